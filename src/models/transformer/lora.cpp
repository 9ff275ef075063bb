// LoRA adapters: effective weights W + s·B·A and the chain rule back to A and B.
#include "models/transformer/lora.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"
#include "core/rng.hpp"

namespace gb {

Lora::Lora(const GptConfig& cfg, const ParamSet& base, int rank, float alpha, uint64_t seed) : rank_(rank) {
  const int C = cfg.n_embd;
  if (rank < 1 || rank > C)
    fail("LoRA: rank " + std::to_string(rank) + " must be between 1 and the model width " + std::to_string(C));
  if (!(alpha >= 0) || !std::isfinite(alpha)) fail("LoRA: alpha must be a finite number ≥ 0");
  alpha_ = alpha > 0 ? alpha : float(rank);
  const char* suffix[] = {"attn.c_attn", "attn.c_proj", "mlp.c_fc", "mlp.c_proj"};
  for (int l = 0; l < cfg.n_layer; ++l)
    for (const char* s : suffix) {
      LoraTarget t;
      const std::string stem = "h." + std::to_string(l) + "." + s;
      t.name = stem + ".weight";
      const ParamView* v = base.find(t.name);
      if (!v || v->shape.size() != 2) fail("LoRA: the model has no matrix `" + t.name + "`");
      t.base_view = size_t(v - base.views().data());
      t.out = v->shape[0];
      t.in = v->shape[1];
      t.a_view = params.declare(stem + ".lora_A", {rank, t.in}, false);
      t.b_view = params.declare(stem + ".lora_B", {t.out, rank}, false);
      targets_.push_back(t);
    }
  params.allocate();
  Rng rng(seed);
  for (const LoraTarget& t : targets_) {
    float* a = params.ptr(t.a_view);
    const double sd = 1.0 / std::sqrt(double(t.in));
    for (size_t i = 0; i < size_t(rank) * size_t(t.in); ++i) a[i] = float(rng.normal() * sd);
  }
}

void Lora::apply(const ParamSet& base, ParamSet& eff) const {
  if (eff.count() != base.count() || eff.views().size() != base.views().size()) {
    eff = base;
  } else {
    eff.data = base.data;
  }
  const float s = scale();
  for (const LoraTarget& t : targets_) eff.mat(t.base_view).noalias() += s * (params.mat(t.b_view) * params.mat(t.a_view));
}

void Lora::backward(const ParamSet& eff) {
  const float s = scale();
  const ParamSet& cp = params;
  for (const LoraTarget& t : targets_) {
    CMatMap dW(eff.grad.data() + eff.views()[t.base_view].offset, t.out, t.in);
    CMatMap A = cp.mat(t.a_view), B = cp.mat(t.b_view);
    params.grad_mat(t.a_view).noalias() += s * (B.transpose() * dW);  // (r, Out)·(Out, In)
    params.grad_mat(t.b_view).noalias() += s * (dW * A.transpose());  // (Out, In)·(In, r)
  }
}

Mat Lora::delta(size_t i) const {
  const LoraTarget& t = targets_.at(i);
  return scale() * (params.mat(t.b_view) * params.mat(t.a_view));
}

void Lora::merge_into(ParamSet& base) {
  for (size_t i = 0; i < targets_.size(); ++i) {
    base.mat(targets_[i].base_view) += delta(i);
    params.mat(targets_[i].b_view).setZero();
  }
}

}  // namespace gb
