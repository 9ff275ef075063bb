// Declared parameters vs a checkpoint's tensors, checked before allocation.
#include "nn/param_file.hpp"

#include "core/error.hpp"
#include "core/memory.hpp"

namespace gb {

namespace {
std::string shape_text(const std::vector<int64_t>& s) {
  std::string r = "[";
  for (size_t i = 0; i < s.size(); ++i) r += (i ? ", " : "") + std::to_string(s[i]);
  return r + "]";
}
}  // namespace

size_t declared_count(const ParamSet& p) {
  return p.views().empty() ? 0 : p.views().back().offset + p.views().back().size;
}

size_t float_values_in(const SafeTensors& st) {
  size_t n = 0;
  for (const SafeTensor& t : st.tensors())
    if (t.dtype == DType::F32 || t.dtype == DType::F16 || t.dtype == DType::BF16 || t.dtype == DType::F64) n += size_t(t.numel());
  return n;
}

void check_params_against_file(const ParamSet& p, const SafeTensors& st, const std::string& prefix, const std::string& config) {
  for (const ParamView& v : p.views()) {
    const std::vector<int64_t> want(v.shape.begin(), v.shape.end());
    const SafeTensor* t = st.find(prefix + v.name);
    if (!t)
      fail_file(st.file, "missing tensor `" + prefix + v.name + "` (shape " + shape_text(want) + ") that its config " + config +
                             " implies");
    if (t->shape != want)
      fail_file(st.file, "tensor `" + t->name + "` has the wrong shape for its config: the file holds " + shape_text(t->shape) +
                             ", its config " + config + " implies " + shape_text(want) + " (the config does not match the weights)");
  }
  const double bytes = 2.0 * double(declared_count(p)) * sizeof(float);
  check_memory(bytes, st.file, "the model its config " + config + " describes");
}

ParamFileCheck::ParamFileCheck(const SafeTensors& st, std::string prefix, std::string config)
    : scope_([&st, prefix = std::move(prefix), config = std::move(config)](const ParamSet& p) {
        check_params_against_file(p, st, prefix, config);
      }) {}

}  // namespace gb
