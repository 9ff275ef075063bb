// The 2D ε-model for toy point sets: an MLP on (x, y) plus a timestep embedding.
//   h0 = SiLU(W_in·[x, y] + W_t·sinusoidal(t) + b)      (hidden)
//   h_k = SiLU(W_k·h_{k−1} + b_k), k = 1..layers−1        (hidden)
//   ε = W_out·h + b_out                                   (2)
#pragma once
#include <string>
#include <vector>

#include "models/diffusion/eps_model.hpp"
#include "nn/params.hpp"

namespace gb {

struct Mlp2dConfig {
  int hidden = 128;  // width of each hidden layer
  int layers = 3;    // hidden layers
  int tdim = 32;     // sinusoidal timestep features
  std::string to_json() const;
  // Checked through gb::JsonIn: throws gb::Error naming `file` and the key on a bad value.
  static Mlp2dConfig from_json(const std::string& json, const std::string& file = "<config>");
};

// Activations of one forward pass (reused between calls).
struct Mlp2dWork {
  int B = 0;
  std::vector<float> x, tsin;              // (B, 2), (B, tdim)
  std::vector<std::vector<float>> pre, h;  // per hidden layer: (B, hidden) before and after SiLU
  std::vector<float> g1, g2;               // backward scratch
};

class Mlp2d : public EpsModel {
 public:
  Mlp2d(const Mlp2dConfig& config, const NoiseSchedule& schedule);
  void init(Rng& rng);  // PyTorch-like uniform ±1/√fan_in
  int dim() const override { return 2; }
  const NoiseSchedule& schedule() const override { return schedule_; }
  void predict(float* eps, const float* x, const int* t, const int* label, int B) const override;
  void forward(Mlp2dWork& w, float* eps, const float* x, const int* t, int B) const;
  void backward(Mlp2dWork& w, const float* deps);  // adds into params.grad
  const Mlp2dConfig& config() const { return config_; }
  ParamSet params;  // "in.weight" (hidden, 2), "time.weight" (hidden, tdim), "in.bias", "h1.weight", …, "out.weight"

 private:
  Mlp2dConfig config_;
  NoiseSchedule schedule_;
  size_t in_w_, t_w_, in_b_, out_w_, out_b_;
  std::vector<size_t> hw_, hb_;
};

// The toy 2D data sets are in models/data/toy2d.hpp.

}  // namespace gb
