// Training-time GPT: batched forward that keeps activations, and the hand-written backward pass.
// Layout: N = B·T rows; every (N, X) matrix is row-major, row n = sequence n / T, position n % T.
#include "models/transformer/gpt_backward.hpp"

#include <cmath>
#include <string>

#include "core/error.hpp"
#include "nn/gelu.hpp"
#include "nn/linear.hpp"
#include "nn/transformer_ops.hpp"

namespace gb {

// [SECTION] parameters
void gpt_declare_params(const GptConfig& d, ParamSet& p) {
  Gpt::declare(d, p);  // the inference model's names, shapes, order and decay flags
  p.allocate();
}

void gpt_init_params(const GptConfig& d, ParamSet& p, uint64_t seed) {
  Gpt m(d);
  m.init_random(seed);  // the inference model's GPT-2 initialisation
  if (m.params.count() != p.count()) fail("GPT parameters: the parameter set does not match the config");
  p.data = m.params.data;
}

void GptActs::resize(const GptConfig& d, int B_, int T_) {
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
  fc_tanh.assign(size_t(L), Mat(N, 4 * C));
  ln1_mean.assign(size_t(L), std::vector<float>(size_t(N)));
  ln1_rstd = ln2_mean = ln2_rstd = ln1_mean;
  att.assign(size_t(L), std::vector<float>(size_t(B) * H * T * T));
  lnf.resize(N, C);
  lnf_mean.assign(size_t(N), 0.0f);
  lnf_rstd.assign(size_t(N), 0.0f);
  logits.resize(N, V);
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

// [SECTION] helpers
namespace {

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
float gpt_train_forward(const GptConfig& d, const GptParamIdx& ix, const ParamSet& p, const int32_t* tokens,
                        const int32_t* targets, int B, int T, GptActs& a) {
  if (T < 1 || T > d.block_size) fail("training: context " + std::to_string(T) + " exceeds the model's " + std::to_string(d.block_size));
  a.resize(d, B, T);
  const int N = B * T, V = d.vocab_size, L = d.n_layer, H = d.n_head;
  for (int n = 0; n < N; ++n)
    if (tokens[n] < 0 || tokens[n] >= V) fail("training: token id " + std::to_string(tokens[n]) + " is outside the vocabulary");
  encoder_forward(mmap(a.res[0]), tokens, p.mat(ix.wte), p.mat(ix.wpe), B, T);  // wte[token] + wpe[position]
  for (int l = 0; l < L; ++l) {
    const GptBlockIdx& bi = ix.h[size_t(l)];
    layernorm_forward(mmap(a.ln1[l]), a.ln1_mean[l].data(), a.ln1_rstd[l].data(), cmap(a.res[l]), p.ptr(bi.ln_1_w),
                      p.ptr(bi.ln_1_b), d.ln_eps);
    linear_forward(mmap(a.qkv[l]), cmap(a.ln1[l]), p.mat(bi.attn_w), p.ptr(bi.attn_b));
    attention_forward(mmap(a.atty[l]), nullptr, a.att[l].data(), cmap(a.qkv[l]), B, T, H);
    linear_forward(mmap(a.res_mid[l]), cmap(a.atty[l]), p.mat(bi.attn_proj_w), p.ptr(bi.attn_proj_b));
    a.res_mid[l] += a.res[l];
    layernorm_forward(mmap(a.ln2[l]), a.ln2_mean[l].data(), a.ln2_rstd[l].data(), cmap(a.res_mid[l]), p.ptr(bi.ln_2_w),
                      p.ptr(bi.ln_2_b), d.ln_eps);
    linear_forward(mmap(a.fc[l]), cmap(a.ln2[l]), p.mat(bi.fc_w), p.ptr(bi.fc_b));
    gelu_forward(a.fc_gelu[l].data(), a.fc_tanh[l].data(), a.fc[l].data(), size_t(a.fc[l].size()));
    linear_forward(mmap(a.res[l + 1]), cmap(a.fc_gelu[l]), p.mat(bi.mlp_proj_w), p.ptr(bi.mlp_proj_b));
    a.res[l + 1] += a.res_mid[l];
  }
  layernorm_forward(mmap(a.lnf), a.lnf_mean.data(), a.lnf_rstd.data(), cmap(a.res[L]), p.ptr(ix.ln_f_w), p.ptr(ix.ln_f_b),
                    d.ln_eps);
  // tied head: logits (N, V) = lnf · wteᵀ, then softmax and cross-entropy per row
  a.logits.noalias() = a.lnf * p.mat(ix.wte).transpose();  // (N, C)·(C, V)
  softmax_forward(mmap(a.probs), cmap(a.logits));
  for (int n = 0; n < N; ++n)
    if (targets[n] < 0 || targets[n] >= V) fail("training: target id " + std::to_string(targets[n]) + " is outside the vocabulary");
  a.targets.assign(targets, targets + N);
  return crossentropy_forward(a.token_loss.data(), cmap(a.probs), targets);
}

// [SECTION] backward
void gpt_train_backward(const GptConfig& d, const GptParamIdx& ix, ParamSet& p, const int32_t* tokens, GptActs& a,
                        const float* dloss) {
  const int B = a.B, T = a.T, L = d.n_layer, H = d.n_head;
  const ParamSet& cp = p;  // weights are read only; gradients go to p.grad
  // cross-entropy + softmax: dlogits (N, V) = (probs − onehot(target)) · dloss (1/N for the mean)
  a.logits.setZero();  // reused as dlogits
  crossentropy_softmax_backward(mmap(a.logits), cmap(a.probs), a.targets.data(), dloss);
  // tied head: dlnf = dlogits · wte; dwte += dlogitsᵀ · lnf
  a.d_ln.noalias() = a.logits * cp.mat(ix.wte);                 // (N, V)·(V, C)
  p.grad_mat(ix.wte).noalias() += a.logits.transpose() * a.lnf;  // (V, N)·(N, C)
  a.d_res.setZero();
  layernorm_backward(mmap(a.d_res), p.grad_ptr(ix.ln_f_w), p.grad_ptr(ix.ln_f_b), cmap(a.d_ln), cmap(a.res[L]), p.ptr(ix.ln_f_w),
                     a.lnf_mean.data(), a.lnf_rstd.data());
  for (int l = L - 1; l >= 0; --l) {
    const GptBlockIdx& bi = ix.h[size_t(l)];
    // MLP: res[l+1] = res_mid + gelu(ln2 · Wfcᵀ + bfc) · Wprojᵀ + bproj; d_res flows on unchanged
    a.d_fc_gelu.setZero();
    linear_backward(mmap(a.d_fc_gelu), p.grad_mat(bi.mlp_proj_w), nullptr, cmap(a.d_res),
                    cmap(a.fc_gelu[l]), cp.mat(bi.mlp_proj_w));
    bias_backward(p.grad_ptr(bi.mlp_proj_b), a.d_res);
    a.d_fc.setZero();
    gelu_backward(a.d_fc.data(), a.d_fc_gelu.data(), a.fc[l].data(), a.fc_tanh[l].data(), size_t(a.d_fc.size()));
    a.d_ln.setZero();
    linear_backward(mmap(a.d_ln), p.grad_mat(bi.fc_w), nullptr, cmap(a.d_fc), cmap(a.ln2[l]), cp.mat(bi.fc_w));
    bias_backward(p.grad_ptr(bi.fc_b), a.d_fc);
    layernorm_backward(mmap(a.d_res), p.grad_ptr(bi.ln_2_w), p.grad_ptr(bi.ln_2_b), cmap(a.d_ln), cmap(a.res_mid[l]), p.ptr(bi.ln_2_w),
                       a.ln2_mean[l].data(), a.ln2_rstd[l].data());
    // attention: res_mid = res + attn(ln1) · Wprojᵀ + bproj
    a.d_atty.setZero();
    linear_backward(mmap(a.d_atty), p.grad_mat(bi.attn_proj_w), nullptr, cmap(a.d_res),
                    cmap(a.atty[l]), cp.mat(bi.attn_proj_w));
    bias_backward(p.grad_ptr(bi.attn_proj_b), a.d_res);
    a.d_qkv.setZero();
    attention_backward(mmap(a.d_qkv), cmap(a.d_atty), cmap(a.qkv[l]), a.att[l].data(), B, T, H);
    a.d_ln.setZero();
    linear_backward(mmap(a.d_ln), p.grad_mat(bi.attn_w), nullptr, cmap(a.d_qkv), cmap(a.ln1[l]),
                    cp.mat(bi.attn_w));
    bias_backward(p.grad_ptr(bi.attn_b), a.d_qkv);
    layernorm_backward(mmap(a.d_res), p.grad_ptr(bi.ln_1_w), p.grad_ptr(bi.ln_1_b), cmap(a.d_ln), cmap(a.res[l]), p.ptr(bi.ln_1_w),
                       a.ln1_mean[l].data(), a.ln1_rstd[l].data());
  }
  // embeddings: res[0] = wte[token] + wpe[position]
  encoder_backward(p.grad_mat(ix.wte), p.grad_mat(ix.wpe), cmap(a.d_res), tokens, B, T);
}

}  // namespace gb
