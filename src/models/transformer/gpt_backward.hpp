// Training-time GPT: a batched forward pass that keeps every activation, and the backward pass over
// the whole model (embeddings, LayerNorm, causal attention, GELU MLP, tied head, cross-entropy).
#pragma once
#include <cstdint>
#include <vector>

#include "core/rng.hpp"
#include "core/tensor.hpp"
#include "models/transformer/gpt.hpp"
#include "nn/params.hpp"

namespace gb {

// Every activation of a batched forward pass (B sequences of T tokens, N = B·T rows), kept for backward.
struct GptActs {
  int B = 0, T = 0;
  std::vector<Mat> res;                 // L+1 × (N, C) residual stream entering each block, res[L] leaves the last
  std::vector<Mat> ln1, qkv, atty;      // L × (N, C), (N, 3C), (N, C)
  std::vector<Mat> res_mid;             // L × (N, C) residual after attention, before the MLP
  std::vector<Mat> ln2, fc, fc_gelu;    // L × (N, C), (N, 4C), (N, 4C)
  std::vector<Mat> fc_tanh;             // L × (N, 4C) tanh inside the GELU, kept for backward
  std::vector<std::vector<float>> ln1_mean, ln1_rstd, ln2_mean, ln2_rstd;  // L × (N)
  std::vector<std::vector<float>> att;  // L × (B, H, T, T) softmax weights (0 above the diagonal)
  Mat lnf;                              // (N, C)
  std::vector<float> lnf_mean, lnf_rstd;// (N)
  Mat logits;                           // (N, V) head output; holds dlogits after backward
  Mat probs;                            // (N, V) softmax of the logits
  std::vector<int32_t> targets;         // (N)
  std::vector<float> token_loss;        // (N) −log p(target)
  // backward scratch
  Mat d_res, d_ln, d_qkv, d_atty, d_fc, d_fc_gelu;  // (N, C), (N, C), (N, 3C), (N, C), (N, 4C), (N, 4C)
  void resize(const GptConfig& d, int B, int T);
};

// Forward over tokens (B, T) with targets (B, T); returns the mean cross-entropy. Keeps activations.
// Tokens must lie in [0, V) and T ≤ block_size (checked: gb::Error).
float gpt_train_forward(const GptConfig& d, const GptParamIdx& ix, const ParamSet& p, const int32_t* tokens,
                        const int32_t* targets, int B, int T, GptActs& a);
// Backward of the mean loss of the last forward: adds into p.grad (call p.zero_grad() first).
// dloss (N), when given, replaces the mean's 1/N by ∂L/∂token_loss[n] per row (a weighted sum of
// token losses: DPO's sequence log-probabilities, masked prompts).
void gpt_train_backward(const GptConfig& d, const GptParamIdx& ix, ParamSet& p, const int32_t* tokens, GptActs& a,
                        const float* dloss = nullptr);

// GPT-2 initialisation: weights N(0, 0.02), residual projections N(0, 0.02/√(2L)), biases 0, LN γ=1.
void gpt_init_params(const GptConfig& d, ParamSet& p, uint64_t seed);
// Declares the GPT-2 named tensors (Gpt::declare) into an empty ParamSet and allocates it.
void gpt_declare_params(const GptConfig& d, ParamSet& p);

}  // namespace gb
