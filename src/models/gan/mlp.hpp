// A small multi-layer perceptron over a ParamSet (the 2D GAN's generator and discriminator):
// Linear → act → … → Linear → output act, with forward caches and backward to inputs and weights.
#pragma once
#include <string>
#include <vector>

#include "core/rng.hpp"
#include "nn/linear.hpp"
#include "nn/params.hpp"

namespace gb {

struct MlpCache {
  int N = 0;
  std::vector<std::vector<float>> pre;   // per layer: (N, width) before the activation
  std::vector<std::vector<float>> post;  // per layer: (N, width) after it; post[-1] is the output
  std::vector<float> in;                 // (N, In)
};

class Mlp {
 public:
  // sizes = {In, hidden…, Out}; `hidden` activation between layers, `out` after the last one.
  // Parameters are declared in `p` under prefix ("g.0.weight" …); call p.allocate() afterwards.
  Mlp() = default;
  Mlp(ParamSet& p, const std::string& prefix, std::vector<int> sizes, Act hidden, Act out);
  // Kaiming-uniform-like init (PyTorch's default for nn.Linear): U(−1/√In, 1/√In) weights and biases.
  void init(ParamSet& p, Rng& rng) const;

  // out = post.back(), (N, Out).
  void forward(const ParamSet& p, MlpCache& c, const float* x, int N) const;
  // Adds parameter gradients into grads->grad (if grads is not null; usually grads == &p) and
  // dx (N, In, if not null) from dout (N, Out).
  void backward(const ParamSet& p, const MlpCache& c, const float* dout, float* dx, ParamSet* grads) const;

  int in_dim() const { return sizes_.front(); }
  int out_dim() const { return sizes_.back(); }
  const std::vector<int>& sizes() const { return sizes_; }
  Act hidden_act() const { return hidden_; }
  Act out_act() const { return out_; }
  size_t layers() const { return w_.size(); }
  size_t weight_index(size_t l) const { return w_[l]; }  // (Out_l, In_l)
  size_t bias_index(size_t l) const { return b_[l]; }    // (Out_l)

 private:
  std::vector<int> sizes_;
  std::vector<size_t> w_, b_;  // parameter indices per layer
  Act hidden_ = Act::relu, out_ = Act::identity;
};

}  // namespace gb
