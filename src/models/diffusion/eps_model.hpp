// The interface every ε-prediction model offers the samplers: given noisy samples x_t, their
// timesteps and (optionally) class labels, predict the noise that was added.
#pragma once
#include "models/diffusion/schedule.hpp"

namespace gb {

class EpsModel {
 public:
  virtual ~EpsModel() = default;
  virtual int dim() const = 0;                  // values per sample: 784 (28×28 image) or 2 (a point)
  virtual int num_classes() const { return 0; }  // 0 = unconditional; labels 0..num_classes−1, null = num_classes
  virtual const NoiseSchedule& schedule() const = 0;
  // eps (B, dim) = ε_θ(x (B, dim), t (B), label (B)). label may be null (all unconditional); a label
  // of −1 or num_classes() means "no class" (the classifier-free-guidance null label).
  // Thread-safe: uses per-thread scratch space.
  virtual void predict(float* eps, const float* x, const int* t, const int* label, int B) const = 0;
};

// Sinusoidal timestep embedding (Transformer / DDPM style): emb (dim) = [sin(t·f_i), cos(t·f_i)],
// f_i = 10000^(−i/(dim/2)), i = 0 … dim/2−1. dim must be even.
void timestep_embedding(float* emb, float t, int dim);

}  // namespace gb
