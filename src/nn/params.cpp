// ParamSet: named views into one contiguous parameter buffer.
#include "nn/params.hpp"

#include <cmath>

#include "core/error.hpp"
#include "core/memory.hpp"
#include "nn/param_file.hpp"

namespace gb {

size_t ParamSet::declare(const std::string& name, std::vector<int> shape, bool decay) {
  ParamView v;
  v.name = name;
  v.shape = std::move(shape);
  v.size = 1;
  for (int d : v.shape) {
    if (d < 0) fail("parameter `" + name + "` has a negative dimension (a size overflowed)");
    v.size *= size_t(d);
  }
  v.offset = views_.empty() ? 0 : views_.back().offset + views_.back().size;
  v.decay = decay;
  views_.push_back(std::move(v));
  return views_.size() - 1;
}

namespace {
thread_local ParamCheckScope* g_check_scope = nullptr;
thread_local const std::function<void(const ParamSet&)>* g_check = nullptr;
}  // namespace

ParamCheckScope::ParamCheckScope(std::function<void(const ParamSet&)> check) : check_(std::move(check)), outer_(g_check_scope) {
  g_check_scope = this;
  g_check = &check_;
}
ParamCheckScope::~ParamCheckScope() {
  g_check_scope = outer_;
  g_check = outer_ ? &outer_->check_ : nullptr;
}

void ParamSet::allocate() {
  const size_t n = views_.empty() ? 0 : views_.back().offset + views_.back().size;
  if (g_check) (*g_check)(*this);
  check_memory(2.0 * double(n) * sizeof(float), "model", std::to_string(n) + " parameters (with their gradients)");
  data.assign(n, 0.0f);
  grad.assign(n, 0.0f);
}

const ParamView* ParamSet::find(const std::string& name) const {
  for (auto& v : views_)
    if (v.name == name) return &v;
  return nullptr;
}

const ParamView& ParamSet::view(const std::string& name) const {
  if (auto* v = find(name)) return *v;
  fail("unknown parameter `" + name + "`");
}

static std::pair<int, int> rows_cols(const ParamView& v) {
  if (v.shape.size() == 1) return {1, v.shape[0]};
  int rows = v.shape[0];
  return {rows, int(v.size / size_t(rows))};
}

MatMap ParamSet::mat(size_t i) {
  auto [r, c] = rows_cols(views_[i]);
  return MatMap(ptr(i), r, c);
}
CMatMap ParamSet::mat(size_t i) const {
  auto [r, c] = rows_cols(views_[i]);
  return CMatMap(ptr(i), r, c);
}
MatMap ParamSet::grad_mat(size_t i) {
  auto [r, c] = rows_cols(views_[i]);
  return MatMap(grad_ptr(i), r, c);
}

void ParamSet::zero_grad() { std::fill(grad.begin(), grad.end(), 0.0f); }

double ParamSet::grad_norm() const {
  double s = 0;
  for (float g : grad) s += double(g) * g;
  return std::sqrt(s);
}

double ParamSet::clip_grad_norm(double max_norm) {
  double n = grad_norm();
  if (max_norm > 0 && n > max_norm) {
    float k = float(max_norm / (n + 1e-6));
    for (float& g : grad) g *= k;
  }
  return n;
}

}  // namespace gb
