// One contiguous parameter buffer with named views (llm.c style): weights, gradients and optimiser
// moments share one layout, so saving, zeroing, clipping and AdamW are one loop each.
#pragma once
#include <cstddef>
#include <string>
#include <vector>

#include "core/tensor.hpp"

namespace gb {

struct ParamView {
  std::string name;        // "h.0.attn.c_attn.weight"
  std::vector<int> shape;  // e.g. {3C, C}
  size_t offset = 0;       // into ParamSet::data / grad
  size_t size = 0;         // product of shape
  bool decay = true;       // AdamW weight decay applies (matrices yes; biases, norms, embeddings of position no)
};

class ParamSet {
 public:
  // Declares a tensor; returns its index. All declarations come before allocate().
  size_t declare(const std::string& name, std::vector<int> shape, bool decay = true);
  // Allocates data and grad (zeroed). Pointers into them stay valid until the next allocate().
  // First runs the check a ParamCheckScope (nn/param_file.hpp) set on this thread — a loader
  // comparing the declared shapes with a file's tensors — then checks the size against the
  // available memory: a config that promises terabytes throws gb::Error before anything is allocated.
  void allocate();

  size_t count() const { return data.size(); }
  const std::vector<ParamView>& views() const { return views_; }
  const ParamView& view(const std::string& name) const;  // throws gb::Error for an unknown name
  const ParamView* find(const std::string& name) const;

  float* ptr(size_t i) { return data.data() + views_[i].offset; }
  const float* ptr(size_t i) const { return data.data() + views_[i].offset; }
  float* grad_ptr(size_t i) { return grad.data() + views_[i].offset; }
  // 2D views (rows, cols) of a declared tensor; 1D tensors are (1, n).
  MatMap mat(size_t i);
  CMatMap mat(size_t i) const;
  MatMap grad_mat(size_t i);

  void zero_grad();
  double grad_norm() const;  // global L2 norm of all gradients
  // Scales gradients so their global norm is at most max_norm; returns the norm before clipping.
  double clip_grad_norm(double max_norm);

  std::vector<float> data;  // all parameters, contiguous
  std::vector<float> grad;  // same layout

 private:
  std::vector<ParamView> views_;
};

}  // namespace gb
