// LoRA (low-rank adapters) for a GPT: each adapted matrix W (Out, In) is used as
//   W_eff = W + s·B·A,   A (r, In), B (Out, r), s = α / r,
// with W frozen and only A and B trained. Adapted: every block's attention (c_attn, c_proj) and MLP
// (c_fc, c_proj) matrices. A starts random N(0, 1/In), B at zero, so the adapted model starts equal
// to the base.
//
// How the training loop uses it (the GPT's own forward/backward run on the effective weights):
//   Lora lora(cfg, base, 4, 4.0f, seed);
//   lora.apply(base, eff);                          // eff = base with every W replaced by W + sBA
//   gpt_train_forward(... eff ...); eff.zero_grad(); gpt_train_backward(... eff ...);
//   lora.params.zero_grad(); lora.backward(eff);    // dA = s·Bᵀ·dW, dB = s·dW·Aᵀ from eff.grad
//   opt.step(lora.params, lr);
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/tensor.hpp"
#include "models/transformer/gpt.hpp"
#include "nn/params.hpp"

namespace gb {

// One adapted matrix: where it sits in the base ParamSet and where its A and B sit in Lora::params.
struct LoraTarget {
  std::string name;     // "h.0.attn.c_attn.weight"
  size_t base_view = 0; // view index in the base (and effective) ParamSet
  int out = 0, in = 0;  // W's shape (Out, In)
  size_t a_view = 0;    // "h.0.attn.c_attn.lora_A" (r, In)
  size_t b_view = 0;    // "h.0.attn.c_attn.lora_B" (Out, r)
};

class Lora {
 public:
  // Adapters of rank r (1 ≤ r ≤ min(Out, In) of the smallest matrix) with α (0: α = r, s = 1) for the
  // model `cfg` whose weights use GPT-2's names in `base`. A ~ N(0, 1/In) from seed, B = 0.
  Lora(const GptConfig& cfg, const ParamSet& base, int rank, float alpha, uint64_t seed);

  int rank() const { return rank_; }
  float alpha() const { return alpha_; }
  float scale() const { return alpha_ / float(rank_); }
  const std::vector<LoraTarget>& targets() const { return targets_; }
  // Numbers trained: Σ r·(In + Out) over the targets (= params.count()).
  size_t trainable_count() const { return params.count(); }

  // eff ← base, then each target W ← W + s·B·A. eff must have base's layout (it is re-allocated when not).
  void apply(const ParamSet& base, ParamSet& eff) const;
  // Adds the gradients of A and B into params.grad from eff.grad (∂L/∂W_eff of each target):
  // dA += s·Bᵀ·dW (r, In), dB += s·dW·Aᵀ (Out, r).
  void backward(const ParamSet& eff);
  // s·B·A of target i (Out, In): how far the adapter moves that matrix.
  Mat delta(size_t i) const;
  // Folds s·B·A into `base` (the adapted model becomes the new base), then B = 0.
  void merge_into(ParamSet& base);

  ParamSet params;  // every A and B, named as above; AdamW runs on this

 private:
  int rank_ = 0;
  float alpha_ = 0;
  std::vector<LoraTarget> targets_;
};

}  // namespace gb
