// AdamW (decoupled weight decay) over a ParamSet, plus warm-up + cosine learning-rate schedule.
#pragma once
#include <cstdint>
#include <vector>

#include "nn/params.hpp"

namespace gb {

struct AdamWConfig {
  float beta1 = 0.9f;          // first-moment decay
  float beta2 = 0.999f;        // second-moment decay
  float eps = 1e-8f;           // added to sqrt(v) for stability
  float weight_decay = 0.01f;  // decoupled, applied only to views with decay = true
};

// Optimiser state is plain data (copyable), so a checkpoint can hold it and resume exactly.
struct AdamW {
  AdamWConfig config;
  std::vector<float> m, v;  // same layout as ParamSet::data
  int64_t t = 0;            // steps taken

  // One update with learning rate lr using p.grad (does not zero the gradients).
  void step(ParamSet& p, float lr);
};

// Linear warm-up for `warmup` steps to lr_max, then cosine decay to lr_min at `total` steps.
float lr_warmup_cosine(int64_t step, int64_t warmup, int64_t total, float lr_max, float lr_min);

}  // namespace gb
