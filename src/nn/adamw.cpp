// AdamW update and learning-rate schedule.
#include "nn/adamw.hpp"

#include <cmath>

namespace gb {

void AdamW::step(ParamSet& p, float lr) {
  if (m.size() != p.data.size()) {
    m.assign(p.data.size(), 0.0f);
    v.assign(p.data.size(), 0.0f);
  }
  ++t;
  const float b1 = config.beta1, b2 = config.beta2;
  const float c1 = 1.0f - float(std::pow(double(b1), double(t)));  // bias corrections
  const float c2 = 1.0f - float(std::pow(double(b2), double(t)));
  for (auto& view : p.views()) {
    const float wd = view.decay ? config.weight_decay : 0.0f;
    float* w = p.data.data() + view.offset;
    const float* g = p.grad.data() + view.offset;
    float* mm = m.data() + view.offset;
    float* vv = v.data() + view.offset;
    for (size_t i = 0; i < view.size; ++i) {
      mm[i] = b1 * mm[i] + (1 - b1) * g[i];
      vv[i] = b2 * vv[i] + (1 - b2) * g[i] * g[i];
      const float mhat = mm[i] / c1;
      const float vhat = vv[i] / c2;
      w[i] -= lr * (mhat / (std::sqrt(vhat) + config.eps) + wd * w[i]);
    }
  }
}

float lr_warmup_cosine(int64_t step, int64_t warmup, int64_t total, float lr_max, float lr_min) {
  if (warmup > 0 && step < warmup) return lr_max * float(step + 1) / float(warmup);
  if (step >= total) return lr_min;
  double progress = double(step - warmup) / double(std::max<int64_t>(1, total - warmup));
  return lr_min + 0.5f * (lr_max - lr_min) * float(1.0 + std::cos(3.141592653589793 * progress));
}

}  // namespace gb
