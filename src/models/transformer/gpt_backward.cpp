// Training-time GPT: batched forward that keeps activations, and the hand-written backward pass.
// Layout: N = B·T rows; every (N, X) matrix is row-major, row n = sequence n / T, position n % T.
#include "models/transformer/gpt_backward.hpp"

#include <cmath>
#include <string>

#include "core/error.hpp"
#include "nn/linear.hpp"

namespace gb {

using StridedMap = Eigen::Map<Mat, 0, Eigen::OuterStride<>>;
using CStridedMap = Eigen::Map<const Mat, 0, Eigen::OuterStride<>>;

// [SECTION] parameters
void gpt_declare_params(const GptDims& d, ParamSet& p) {
  const int C = d.n_embd, V = d.vocab_size, T = d.block_size;
  p.declare("wte.weight", {V, C}, true);
  p.declare("wpe.weight", {T, C}, false);
  for (int l = 0; l < d.n_layer; ++l) {
    std::string h = "h." + std::to_string(l) + ".";
    p.declare(h + "ln_1.weight", {C}, false);
    p.declare(h + "ln_1.bias", {C}, false);
    p.declare(h + "attn.c_attn.weight", {3 * C, C}, true);
    p.declare(h + "attn.c_attn.bias", {3 * C}, false);
    p.declare(h + "attn.c_proj.weight", {C, C}, true);
    p.declare(h + "attn.c_proj.bias", {C}, false);
    p.declare(h + "ln_2.weight", {C}, false);
    p.declare(h + "ln_2.bias", {C}, false);
    p.declare(h + "mlp.c_fc.weight", {4 * C, C}, true);
    p.declare(h + "mlp.c_fc.bias", {4 * C}, false);
    p.declare(h + "mlp.c_proj.weight", {C, 4 * C}, true);
    p.declare(h + "mlp.c_proj.bias", {C}, false);
  }
  p.declare("ln_f.weight", {C}, false);
  p.declare("ln_f.bias", {C}, false);
  p.allocate();
}

GptParamIdx gpt_param_index(const GptDims& d, const ParamSet& p) {
  auto idx = [&](const std::string& name, std::vector<int> shape) {
    const ParamView* v = p.find(name);
    if (!v) fail("GPT parameters: missing tensor `" + name + "`");
    if (v->shape != shape) fail("GPT parameters: tensor `" + name + "` has the wrong shape");
    return size_t(v - p.views().data());
  };
  const int C = d.n_embd;
  GptParamIdx ix;
  ix.wte = idx("wte.weight", {d.vocab_size, C});
  ix.wpe = idx("wpe.weight", {d.block_size, C});
  for (int l = 0; l < d.n_layer; ++l) {
    std::string h = "h." + std::to_string(l) + ".";
    GptBlockIdx b;
    b.ln_1_w = idx(h + "ln_1.weight", {C});
    b.ln_1_b = idx(h + "ln_1.bias", {C});
    b.attn_w = idx(h + "attn.c_attn.weight", {3 * C, C});
    b.attn_b = idx(h + "attn.c_attn.bias", {3 * C});
    b.attn_proj_w = idx(h + "attn.c_proj.weight", {C, C});
    b.attn_proj_b = idx(h + "attn.c_proj.bias", {C});
    b.ln_2_w = idx(h + "ln_2.weight", {C});
    b.ln_2_b = idx(h + "ln_2.bias", {C});
    b.fc_w = idx(h + "mlp.c_fc.weight", {4 * C, C});
    b.fc_b = idx(h + "mlp.c_fc.bias", {4 * C});
    b.mlp_proj_w = idx(h + "mlp.c_proj.weight", {C, 4 * C});
    b.mlp_proj_b = idx(h + "mlp.c_proj.bias", {C});
    ix.h.push_back(b);
  }
  ix.ln_f_w = idx("ln_f.weight", {C});
  ix.ln_f_b = idx("ln_f.bias", {C});
  return ix;
}

void gpt_init_params(const GptDims& d, ParamSet& p, Rng& rng) {
  const float proj_std = 0.02f / std::sqrt(2.0f * float(d.n_layer));
  for (size_t i = 0; i < p.views().size(); ++i) {
    const ParamView& v = p.views()[i];
    float* w = p.ptr(i);
    const bool is_ln_weight = v.name.find("ln_") != std::string::npos && v.name.ends_with(".weight");
    if (v.shape.size() == 1) {
      for (size_t k = 0; k < v.size; ++k) w[k] = is_ln_weight ? 1.0f : 0.0f;
    } else {
      const float std = v.name.ends_with("c_proj.weight") ? proj_std : 0.02f;
      for (size_t k = 0; k < v.size; ++k) w[k] = std * rng.normal_f();
    }
  }
}

void GptActs::resize(const GptDims& d, int B_, int T_) {
  if (B == B_ && T == T_ && int(res.size()) == d.n_layer + 1) return;
  B = B_;
  T = T_;
  const int N = B * T, C = d.n_embd, L = d.n_layer, H = d.n_head, V = d.vocab_size;
  res.assign(size_t(L + 1), Mat(N, C));
  ln1.assign(size_t(L), Mat(N, C));
  qkv.assign(size_t(L), Mat(N, 3 * C));
  atty.assign(size_t(L), Mat(N, C));
  res_mid.assign(size_t(L), Mat(N, C));
  ln2.assign(size_t(L), Mat(N, C));
  fc.assign(size_t(L), Mat(N, 4 * C));
  fc_gelu.assign(size_t(L), Mat(N, 4 * C));
  ln1_mean.assign(size_t(L), std::vector<float>(size_t(N)));
  ln1_rstd = ln2_mean = ln2_rstd = ln1_mean;
  att.assign(size_t(L), std::vector<float>(size_t(B) * H * T * T));
  lnf.resize(N, C);
  lnf_mean.assign(size_t(N), 0.0f);
  lnf_rstd.assign(size_t(N), 0.0f);
  probs.resize(N, V);
  targets.assign(size_t(N), 0);
  token_loss.assign(size_t(N), 0.0f);
  d_res.resize(N, C);
  d_ln.resize(N, C);
  d_qkv.resize(N, 3 * C);
  d_atty.resize(N, C);
  d_fc.resize(N, 4 * C);
  d_fc_gelu.resize(N, 4 * C);
}

// [SECTION] local ops: batched LayerNorm and causal attention over (N, C) rows.
// (Local to training because they run over the whole batch at once and keep what backward needs.)
namespace {

constexpr float kLnEps = 1e-5f;

// out (N, C) = (x − mean) · rstd · w + b per row; keeps mean and rstd (N).
void layernorm_forward(Mat& out, float* mean, float* rstd, const Mat& x, const float* w, const float* b) {
  const int N = int(x.rows()), C = int(x.cols());
  for (int n = 0; n < N; ++n) {
    const float* xr = x.data() + size_t(n) * C;
    float* o = out.data() + size_t(n) * C;
    float m = 0;
    for (int c = 0; c < C; ++c) m += xr[c];
    m /= float(C);
    float var = 0;
    for (int c = 0; c < C; ++c) var += (xr[c] - m) * (xr[c] - m);
    var /= float(C);
    const float s = 1.0f / std::sqrt(var + kLnEps);
    for (int c = 0; c < C; ++c) o[c] = (xr[c] - m) * s * w[c] + b[c];
    mean[n] = m;
    rstd[n] = s;
  }
}

// dx (N, C) += ∂L/∂x; dw, db (C) += ∂L/∂w, ∂L/∂b; from dout (N, C) and the forward's x, mean, rstd.
void layernorm_backward(Mat& dx, float* dw, float* db, const Mat& dout, const Mat& x, const float* w,
                        const float* mean, const float* rstd) {
  const int N = int(x.rows()), C = int(x.cols());
  for (int n = 0; n < N; ++n) {
    const float* xr = x.data() + size_t(n) * C;
    const float* g = dout.data() + size_t(n) * C;
    float* dxr = dx.data() + size_t(n) * C;
    const float m = mean[n], s = rstd[n];
    float sum_dxhat = 0, sum_dxhat_xhat = 0;
    for (int c = 0; c < C; ++c) {
      const float xhat = (xr[c] - m) * s;
      const float dxhat = g[c] * w[c];
      sum_dxhat += dxhat;
      sum_dxhat_xhat += dxhat * xhat;
      dw[c] += g[c] * xhat;
      db[c] += g[c];
    }
    sum_dxhat /= float(C);
    sum_dxhat_xhat /= float(C);
    for (int c = 0; c < C; ++c) {
      const float xhat = (xr[c] - m) * s;
      // term 1: direct path; term 2: through the mean; term 3: through the variance
      dxr[c] += s * (g[c] * w[c] - sum_dxhat - xhat * sum_dxhat_xhat);
    }
  }
}

// Causal self-attention for every (sequence, head): att (B, H, T, T) = softmax(Q Kᵀ/√hs) masked,
// y (N, C) = att · V with heads side by side. qkv is (N, 3C) = [Q | K | V].
void attention_forward(Mat& y, float* att, const Mat& qkv, int B, int T, int H) {
  const int C = int(y.cols()), hs = C / H;
  const float scale = 1.0f / std::sqrt(float(hs));
#pragma omp parallel for collapse(2) schedule(static)
  for (int b = 0; b < B; ++b)
    for (int h = 0; h < H; ++h) {
      const float* base = qkv.data() + size_t(b) * T * 3 * C + size_t(h) * hs;
      CStridedMap Q(base, T, hs, Eigen::OuterStride<>(3 * C));          // (T, hs)
      CStridedMap K(base + C, T, hs, Eigen::OuterStride<>(3 * C));      // (T, hs)
      CStridedMap Vv(base + 2 * C, T, hs, Eigen::OuterStride<>(3 * C)); // (T, hs)
      MatMap P(att + (size_t(b) * H + h) * T * T, T, T);                // (T, T)
      P.noalias() = Q * K.transpose();
      for (int i = 0; i < T; ++i) {
        float* row = P.data() + size_t(i) * T;
        float mx = -INFINITY;
        for (int j = 0; j <= i; ++j) mx = std::max(mx, row[j] * scale);
        float sum = 0;
        for (int j = 0; j <= i; ++j) {
          row[j] = std::exp(row[j] * scale - mx);
          sum += row[j];
        }
        const float inv = 1.0f / sum;
        for (int j = 0; j <= i; ++j) row[j] *= inv;
        for (int j = i + 1; j < T; ++j) row[j] = 0.0f;  // causal mask: no looking ahead
      }
      StridedMap Y(y.data() + size_t(b) * T * C + size_t(h) * hs, T, hs, Eigen::OuterStride<>(C));  // (T, hs)
      Y.noalias() = P * Vv;
    }
}

// dqkv (N, 3C) += gradients of Q, K, V from dy (N, C), the forward's att and qkv.
void attention_backward(Mat& dqkv, const Mat& dy, const float* att, const Mat& qkv, int B, int T, int H) {
  const int C = int(dy.cols()), hs = C / H;
  const float scale = 1.0f / std::sqrt(float(hs));
#pragma omp parallel for collapse(2) schedule(static)
  for (int b = 0; b < B; ++b)
    for (int h = 0; h < H; ++h) {
      const float* base = qkv.data() + size_t(b) * T * 3 * C + size_t(h) * hs;
      float* dbase = dqkv.data() + size_t(b) * T * 3 * C + size_t(h) * hs;
      CStridedMap Q(base, T, hs, Eigen::OuterStride<>(3 * C));           // (T, hs)
      CStridedMap K(base + C, T, hs, Eigen::OuterStride<>(3 * C));       // (T, hs)
      CStridedMap Vv(base + 2 * C, T, hs, Eigen::OuterStride<>(3 * C));  // (T, hs)
      StridedMap dQ(dbase, T, hs, Eigen::OuterStride<>(3 * C));           // (T, hs)
      StridedMap dK(dbase + C, T, hs, Eigen::OuterStride<>(3 * C));       // (T, hs)
      StridedMap dV(dbase + 2 * C, T, hs, Eigen::OuterStride<>(3 * C));   // (T, hs)
      CMatMap P(att + (size_t(b) * H + h) * T * T, T, T);                  // (T, T)
      CStridedMap dY(dy.data() + size_t(b) * T * C + size_t(h) * hs, T, hs, Eigen::OuterStride<>(C));  // (T, hs)
      dV.noalias() += P.transpose() * dY;                                   // (T, T)ᵀ·(T, hs)
      Mat dS = dY * Vv.transpose();                                         // (T, T) ∂L/∂P
      // softmax backward row by row: dS_ij = P_ij (dP_ij − Σ_k P_ik dP_ik); masked entries stay 0
      for (int i = 0; i < T; ++i) {
        const float* p = P.data() + size_t(i) * T;
        float* g = dS.data() + size_t(i) * T;
        float dot = 0;
        for (int j = 0; j <= i; ++j) dot += p[j] * g[j];
        for (int j = 0; j <= i; ++j) g[j] = p[j] * (g[j] - dot) * scale;
        for (int j = i + 1; j < T; ++j) g[j] = 0.0f;
      }
      dQ.noalias() += dS * K;               // (T, T)·(T, hs)
      dK.noalias() += dS.transpose() * Q;   // (T, T)ᵀ·(T, hs)
    }
}

// db (X) += column sums of dout (N, X), row after row. (Not Eigen's colwise().sum(): its
// vectorised reduction depends on the address alignment of db, which would make two identical runs
// differ in the last bit and break exact resume.)
void bias_backward(float* db, const Mat& dout) {
  const int N = int(dout.rows()), X = int(dout.cols());
  for (int n = 0; n < N; ++n) {
    const float* g = dout.data() + size_t(n) * X;
    for (int x = 0; x < X; ++x) db[x] += g[x];
  }
}

MatMap mmap(Mat& m) { return MatMap(m.data(), m.rows(), m.cols()); }
CMatMap cmap(const Mat& m) { return CMatMap(m.data(), m.rows(), m.cols()); }

}  // namespace

// [SECTION] forward
float gpt_train_forward(const GptDims& d, const GptParamIdx& ix, const ParamSet& p, const int32_t* tokens,
                        const int32_t* targets, int B, int T, GptActs& a) {
  if (T < 1 || T > d.block_size) fail("training: context " + std::to_string(T) + " exceeds the model's " + std::to_string(d.block_size));
  a.resize(d, B, T);
  const int N = B * T, C = d.n_embd, V = d.vocab_size, L = d.n_layer, H = d.n_head;
  // embeddings: res[0] = wte[token] + wpe[position]
  const float* wte = p.ptr(ix.wte);
  const float* wpe = p.ptr(ix.wpe);
  for (int n = 0; n < N; ++n) {
    const int32_t tok = tokens[n];
    if (tok < 0 || tok >= V) fail("training: token id " + std::to_string(tok) + " is outside the vocabulary");
    const float* e = wte + size_t(tok) * C;
    const float* q = wpe + size_t(n % T) * C;
    float* r = a.res[0].data() + size_t(n) * C;
    for (int c = 0; c < C; ++c) r[c] = e[c] + q[c];
  }
  for (int l = 0; l < L; ++l) {
    const GptBlockIdx& bi = ix.h[size_t(l)];
    layernorm_forward(a.ln1[l], a.ln1_mean[l].data(), a.ln1_rstd[l].data(), a.res[l], p.ptr(bi.ln_1_w), p.ptr(bi.ln_1_b));
    linear_forward(mmap(a.qkv[l]), cmap(a.ln1[l]), p.mat(bi.attn_w), p.ptr(bi.attn_b));
    attention_forward(a.atty[l], a.att[l].data(), a.qkv[l], B, T, H);
    linear_forward(mmap(a.res_mid[l]), cmap(a.atty[l]), p.mat(bi.attn_proj_w), p.ptr(bi.attn_proj_b));
    a.res_mid[l] += a.res[l];
    layernorm_forward(a.ln2[l], a.ln2_mean[l].data(), a.ln2_rstd[l].data(), a.res_mid[l], p.ptr(bi.ln_2_w), p.ptr(bi.ln_2_b));
    linear_forward(mmap(a.fc[l]), cmap(a.ln2[l]), p.mat(bi.fc_w), p.ptr(bi.fc_b));
    act_forward(Act::gelu, a.fc_gelu[l].data(), a.fc[l].data(), size_t(a.fc[l].size()));
    linear_forward(mmap(a.res[l + 1]), cmap(a.fc_gelu[l]), p.mat(bi.mlp_proj_w), p.ptr(bi.mlp_proj_b));
    a.res[l + 1] += a.res_mid[l];
  }
  layernorm_forward(a.lnf, a.lnf_mean.data(), a.lnf_rstd.data(), a.res[L], p.ptr(ix.ln_f_w), p.ptr(ix.ln_f_b));
  // tied head: logits (N, V) = lnf · wteᵀ, then softmax and cross-entropy per row
  a.probs.noalias() = a.lnf * p.mat(ix.wte).transpose();
  double total = 0;
  for (int n = 0; n < N; ++n) {
    float* row = a.probs.data() + size_t(n) * V;
    float mx = row[0];
    for (int v = 1; v < V; ++v) mx = std::max(mx, row[v]);
    float sum = 0;
    for (int v = 0; v < V; ++v) {
      row[v] = std::exp(row[v] - mx);
      sum += row[v];
    }
    const float inv = 1.0f / sum;
    for (int v = 0; v < V; ++v) row[v] *= inv;
    const int32_t t = targets[n];
    if (t < 0 || t >= V) fail("training: target id " + std::to_string(t) + " is outside the vocabulary");
    a.targets[size_t(n)] = t;
    a.token_loss[size_t(n)] = -std::log(std::max(row[t], 1e-30f));
    total += a.token_loss[size_t(n)];
  }
  return float(total / N);
}

// [SECTION] backward
void gpt_train_backward(const GptDims& d, const GptParamIdx& ix, ParamSet& p, const int32_t* tokens, GptActs& a) {
  const int B = a.B, T = a.T, N = B * T, C = d.n_embd, V = d.vocab_size, L = d.n_layer, H = d.n_head;
  const ParamSet& cp = p;  // weights are read only; gradients go to p.grad
  // cross-entropy + softmax: dlogits = (probs − onehot(target)) / N, computed in place in a.probs
  const float invN = 1.0f / float(N);
  for (int n = 0; n < N; ++n) {
    float* row = a.probs.data() + size_t(n) * V;
    row[a.targets[size_t(n)]] -= 1.0f;
    for (int v = 0; v < V; ++v) row[v] *= invN;
  }
  // tied head: dlnf = dlogits · wte; dwte += dlogitsᵀ · lnf
  a.d_ln.noalias() = a.probs * cp.mat(ix.wte);                // (N, V)·(V, C)
  p.grad_mat(ix.wte).noalias() += a.probs.transpose() * a.lnf;  // (V, N)·(N, C)
  a.d_res.setZero();
  layernorm_backward(a.d_res, p.grad_ptr(ix.ln_f_w), p.grad_ptr(ix.ln_f_b), a.d_ln, a.res[L], p.ptr(ix.ln_f_w),
                     a.lnf_mean.data(), a.lnf_rstd.data());
  for (int l = L - 1; l >= 0; --l) {
    const GptBlockIdx& bi = ix.h[size_t(l)];
    // MLP: res[l+1] = res_mid + gelu(ln2 · Wfcᵀ + bfc) · Wprojᵀ + bproj; d_res flows on unchanged
    a.d_fc_gelu.setZero();
    linear_backward(mmap(a.d_fc_gelu), p.grad_mat(bi.mlp_proj_w), nullptr, cmap(a.d_res),
                    cmap(a.fc_gelu[l]), cp.mat(bi.mlp_proj_w));
    bias_backward(p.grad_ptr(bi.mlp_proj_b), a.d_res);
    a.d_fc.setZero();
    act_backward(Act::gelu, a.d_fc.data(), a.d_fc_gelu.data(), a.fc[l].data(), size_t(a.d_fc.size()));
    a.d_ln.setZero();
    linear_backward(mmap(a.d_ln), p.grad_mat(bi.fc_w), nullptr, cmap(a.d_fc), cmap(a.ln2[l]), cp.mat(bi.fc_w));
    bias_backward(p.grad_ptr(bi.fc_b), a.d_fc);
    layernorm_backward(a.d_res, p.grad_ptr(bi.ln_2_w), p.grad_ptr(bi.ln_2_b), a.d_ln, a.res_mid[l], p.ptr(bi.ln_2_w),
                       a.ln2_mean[l].data(), a.ln2_rstd[l].data());
    // attention: res_mid = res + attn(ln1) · Wprojᵀ + bproj
    a.d_atty.setZero();
    linear_backward(mmap(a.d_atty), p.grad_mat(bi.attn_proj_w), nullptr, cmap(a.d_res),
                    cmap(a.atty[l]), cp.mat(bi.attn_proj_w));
    bias_backward(p.grad_ptr(bi.attn_proj_b), a.d_res);
    a.d_qkv.setZero();
    attention_backward(a.d_qkv, a.d_atty, a.att[l].data(), a.qkv[l], B, T, H);
    a.d_ln.setZero();
    linear_backward(mmap(a.d_ln), p.grad_mat(bi.attn_w), nullptr, cmap(a.d_qkv), cmap(a.ln1[l]),
                    cp.mat(bi.attn_w));
    bias_backward(p.grad_ptr(bi.attn_b), a.d_qkv);
    layernorm_backward(a.d_res, p.grad_ptr(bi.ln_1_w), p.grad_ptr(bi.ln_1_b), a.d_ln, a.res[l], p.ptr(bi.ln_1_w),
                       a.ln1_mean[l].data(), a.ln1_rstd[l].data());
  }
  // embeddings: res[0] = wte[token] + wpe[position]
  float* dwte = p.grad_ptr(ix.wte);
  float* dwpe = p.grad_ptr(ix.wpe);
  for (int n = 0; n < N; ++n) {
    const float* g = a.d_res.data() + size_t(n) * C;
    float* e = dwte + size_t(tokens[n]) * C;
    float* q = dwpe + size_t(n % T) * C;
    for (int c = 0; c < C; ++c) {
      e[c] += g[c];
      q[c] += g[c];
    }
  }
}

}  // namespace gb
