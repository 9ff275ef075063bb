// Transformer layers, each forward next to its backward: embedding, LayerNorm, softmax,
// cross-entropy, causal multi-head self-attention.
#include "nn/transformer_ops.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace gb {

namespace {
using StridedMap = Eigen::Map<Mat, 0, Eigen::OuterStride<>>;
using CStridedMap = Eigen::Map<const Mat, 0, Eigen::OuterStride<>>;
}  // namespace

// [SECTION] embedding
void embedding_forward(MatMap out, const int32_t* ids, CMatMap table) {
  for (Eigen::Index n = 0; n < out.rows(); ++n) out.row(n) = table.row(ids[n]);  // (C)
}

void embedding_backward(MatMap dtable, const int32_t* ids, CMatMap dout) {
  for (Eigen::Index n = 0; n < dout.rows(); ++n) dtable.row(ids[n]) += dout.row(n);  // (C)
}

void encoder_forward(MatMap out, const int32_t* ids, CMatMap wte, CMatMap wpe, int B, int T, int pos0) {
  for (int b = 0; b < B; ++b)
    for (int t = 0; t < T; ++t) {
      const Eigen::Index n = Eigen::Index(b) * T + t;
      out.row(n) = wte.row(ids[n]) + wpe.row(pos0 + t);  // (C)
    }
}

void encoder_backward(MatMap dwte, MatMap dwpe, CMatMap dout, const int32_t* ids, int B, int T, int pos0) {
  for (int b = 0; b < B; ++b)
    for (int t = 0; t < T; ++t) {
      const Eigen::Index n = Eigen::Index(b) * T + t;
      dwte.row(ids[n]) += dout.row(n);
      dwpe.row(pos0 + t) += dout.row(n);
    }
}

// [SECTION] layernorm
void layernorm_forward(MatMap out, float* mean, float* rstd, CMatMap inp, const float* w, const float* b, float eps) {
  const Eigen::Index N = inp.rows(), C = inp.cols();
  for (Eigen::Index n = 0; n < N; ++n) {
    const float* x = inp.data() + n * C;
    float* o = out.data() + n * C;
    double m = 0;  // accumulate in double: rows of 1600 floats lose digits in float sums
    for (Eigen::Index c = 0; c < C; ++c) m += x[c];
    const float mf = float(m / double(C));
    double v = 0;
    for (Eigen::Index c = 0; c < C; ++c) v += double(x[c] - mf) * double(x[c] - mf);
    const float s = float(1.0 / std::sqrt(v / double(C) + double(eps)));
    for (Eigen::Index c = 0; c < C; ++c) o[c] = (x[c] - mf) * s * w[c] + b[c];
    if (mean) mean[n] = mf;
    if (rstd) rstd[n] = s;
  }
}

void layernorm_backward(MatMap dinp, float* dw, float* db, CMatMap dout, CMatMap inp, const float* w,
                        const float* mean, const float* rstd) {
  const Eigen::Index N = inp.rows(), C = inp.cols();
  for (Eigen::Index n = 0; n < N; ++n) {
    const float* x = inp.data() + n * C;
    const float* g = dout.data() + n * C;
    float* dx = dinp.data() + n * C;
    const float m = mean[n], s = rstd[n];
    float mean_dxhat = 0, mean_dxhat_xhat = 0;  // means over the row of ∂L/∂x̂ and ∂L/∂x̂ · x̂
    for (Eigen::Index c = 0; c < C; ++c) {
      const float xhat = (x[c] - m) * s;
      const float dxhat = g[c] * w[c];
      mean_dxhat += dxhat;
      mean_dxhat_xhat += dxhat * xhat;
      if (dw) dw[c] += g[c] * xhat;
      if (db) db[c] += g[c];
    }
    mean_dxhat /= float(C);
    mean_dxhat_xhat /= float(C);
    for (Eigen::Index c = 0; c < C; ++c) {
      const float xhat = (x[c] - m) * s;
      // term 1: direct path through x̂; term 2: through the mean; term 3: through the variance
      dx[c] += s * (g[c] * w[c] - mean_dxhat - xhat * mean_dxhat_xhat);
    }
  }
}

// [SECTION] softmax
void softmax_forward(MatMap probs, CMatMap logits) {
  const Eigen::Index N = logits.rows(), V = logits.cols();
  for (Eigen::Index n = 0; n < N; ++n) {
    const float* l = logits.data() + n * V;
    float* p = probs.data() + n * V;
    float mx = -std::numeric_limits<float>::infinity();
    for (Eigen::Index i = 0; i < V; ++i) mx = std::max(mx, l[i]);
    double sum = 0;
    for (Eigen::Index i = 0; i < V; ++i) {
      p[i] = std::exp(l[i] - mx);
      sum += p[i];
    }
    const float inv = float(1.0 / sum);
    for (Eigen::Index i = 0; i < V; ++i) p[i] *= inv;
  }
}

void softmax_backward(MatMap dlogits, CMatMap dprobs, CMatMap probs) {
  const Eigen::Index N = probs.rows(), V = probs.cols();
  for (Eigen::Index n = 0; n < N; ++n) {
    const float* p = probs.data() + n * V;
    const float* dp = dprobs.data() + n * V;
    float* dl = dlogits.data() + n * V;
    double dot = 0;  // Σ_j p_j dp_j
    for (Eigen::Index i = 0; i < V; ++i) dot += double(p[i]) * dp[i];
    for (Eigen::Index i = 0; i < V; ++i) dl[i] += p[i] * (dp[i] - float(dot));
  }
}

// [SECTION] cross-entropy
float crossentropy_forward(float* losses, CMatMap probs, const int32_t* targets) {
  double sum = 0;
  int counted = 0;
  for (Eigen::Index n = 0; n < probs.rows(); ++n) {
    if (targets[n] < 0) {
      losses[n] = 0;
      continue;
    }
    // clamp: a probability that underflowed to 0 gives a large finite loss, not inf
    const float p = std::max(probs(n, targets[n]), 1e-30f);
    losses[n] = -std::log(p);
    sum += losses[n];
    ++counted;
  }
  return counted ? float(sum / counted) : 0.0f;
}

void crossentropy_softmax_backward(MatMap dlogits, CMatMap probs, const int32_t* targets, const float* dloss) {
  const Eigen::Index N = probs.rows(), V = probs.cols();
  int counted = 0;
  for (Eigen::Index n = 0; n < N; ++n) counted += targets[n] >= 0;
  const float mean_scale = counted ? 1.0f / float(counted) : 0.0f;
  for (Eigen::Index n = 0; n < N; ++n) {
    if (targets[n] < 0) continue;
    const float d = dloss ? dloss[n] : mean_scale;
    const float* p = probs.data() + n * V;
    float* dl = dlogits.data() + n * V;
    // ∂(−log softmax(l)_t)/∂l_i = p_i − [i = t]
    for (Eigen::Index i = 0; i < V; ++i) dl[i] += d * p[i];
    dl[targets[n]] -= d;
  }
}

// [SECTION] attention
void attention_forward(MatMap out, float* preatt, float* att, CMatMap qkv, int B, int T, int H) {
  const int C = int(out.cols()), hs = C / H;
  const float scale = 1.0f / std::sqrt(float(hs));
  const float neg_inf = -std::numeric_limits<float>::infinity();
#pragma omp parallel for collapse(2) schedule(static) if (size_t(B) * H * T * T * hs > 200000)
  for (int b = 0; b < B; ++b)
    for (int h = 0; h < H; ++h) {
      const float* base = qkv.data() + size_t(b) * T * 3 * C + size_t(h) * hs;
      CStridedMap Q(base, T, hs, Eigen::OuterStride<>(3 * C));           // (T, hs)
      CStridedMap K(base + C, T, hs, Eigen::OuterStride<>(3 * C));       // (T, hs)
      CStridedMap Vv(base + 2 * C, T, hs, Eigen::OuterStride<>(3 * C));  // (T, hs)
      MatMap P(att + (size_t(b) * H + h) * T * T, T, T);                 // (T, T)
      P.noalias() = (Q * K.transpose()) * scale;                         // scores
      if (preatt) {
        MatMap S(preatt + (size_t(b) * H + h) * T * T, T, T);  // (T, T)
        S = P;
        for (int i = 0; i < T; ++i)
          for (int j = i + 1; j < T; ++j) S(i, j) = neg_inf;  // causal mask: no looking ahead
      }
      for (int i = 0; i < T; ++i) {
        float* row = P.data() + size_t(i) * T;
        float mx = neg_inf;
        for (int j = 0; j <= i; ++j) mx = std::max(mx, row[j]);
        float sum = 0;
        for (int j = 0; j <= i; ++j) {
          row[j] = std::exp(row[j] - mx);
          sum += row[j];
        }
        const float inv = 1.0f / sum;
        for (int j = 0; j <= i; ++j) row[j] *= inv;
        for (int j = i + 1; j < T; ++j) row[j] = 0.0f;
      }
      StridedMap Y(out.data() + size_t(b) * T * C + size_t(h) * hs, T, hs, Eigen::OuterStride<>(C));  // (T, hs)
      Y.noalias() = P * Vv;
    }
}

void attention_backward(MatMap dqkv, CMatMap dout, CMatMap qkv, const float* att, int B, int T, int H) {
  const int C = int(dout.cols()), hs = C / H;
  const float scale = 1.0f / std::sqrt(float(hs));
#pragma omp parallel for collapse(2) schedule(static) if (size_t(B) * H * T * T * hs > 200000)
  for (int b = 0; b < B; ++b)
    for (int h = 0; h < H; ++h) {
      const float* base = qkv.data() + size_t(b) * T * 3 * C + size_t(h) * hs;
      float* dbase = dqkv.data() + size_t(b) * T * 3 * C + size_t(h) * hs;
      CStridedMap Q(base, T, hs, Eigen::OuterStride<>(3 * C));           // (T, hs)
      CStridedMap K(base + C, T, hs, Eigen::OuterStride<>(3 * C));       // (T, hs)
      CStridedMap Vv(base + 2 * C, T, hs, Eigen::OuterStride<>(3 * C));  // (T, hs)
      StridedMap dQ(dbase, T, hs, Eigen::OuterStride<>(3 * C));          // (T, hs)
      StridedMap dK(dbase + C, T, hs, Eigen::OuterStride<>(3 * C));      // (T, hs)
      StridedMap dV(dbase + 2 * C, T, hs, Eigen::OuterStride<>(3 * C));  // (T, hs)
      CMatMap P(att + (size_t(b) * H + h) * T * T, T, T);                // (T, T)
      CStridedMap dY(dout.data() + size_t(b) * T * C + size_t(h) * hs, T, hs, Eigen::OuterStride<>(C));  // (T, hs)
      dV.noalias() += P.transpose() * dY;  // (T, T)ᵀ·(T, hs)
      Mat dS = dY * Vv.transpose();        // (T, T) ∂L/∂att
      // softmax backward per row, then the 1/√hs scale: ∂L/∂score_ij = P_ij (dP_ij − Σ_k P_ik dP_ik) / √hs
      for (int i = 0; i < T; ++i) {
        const float* p = P.data() + size_t(i) * T;
        float* g = dS.data() + size_t(i) * T;
        float dot = 0;
        for (int j = 0; j <= i; ++j) dot += p[j] * g[j];
        for (int j = 0; j <= i; ++j) g[j] = p[j] * (g[j] - dot) * scale;
        for (int j = i + 1; j < T; ++j) g[j] = 0.0f;  // masked scores get no gradient
      }
      dQ.noalias() += dS * K;              // (T, T)·(T, hs)
      dK.noalias() += dS.transpose() * Q;  // (T, T)ᵀ·(T, hs)
    }
}

}  // namespace gb
