// Sinusoidal timestep embedding shared by the U-Net and the 2D MLP.
#include "models/diffusion/eps_model.hpp"

#include <cmath>

namespace gb {

void timestep_embedding(float* emb, float t, int dim) {
  const int half = dim / 2;
  for (int i = 0; i < half; ++i) {
    double f = std::exp(-std::log(10000.0) * i / half);
    emb[i] = float(std::sin(t * f));
    emb[half + i] = float(std::cos(t * f));
  }
}

}  // namespace gb
