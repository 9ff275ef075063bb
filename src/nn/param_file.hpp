// Checking a checkpoint's tensors against the parameters a config declares, before allocating:
// a config that does not match its file (or promises terabytes) is reported with the tensor, the
// two shapes and the config, instead of a bad_alloc or a wrong-shape error after a huge allocation.
//
// Usage (around a constructor that declares and allocates ParamSets):
//   ParamFileCheck check(st, "", config_text);   // throws from inside allocate() on a mismatch
//   ImageGan m(config);
#pragma once
#include <functional>
#include <string>

#include "core/safetensors.hpp"
#include "nn/params.hpp"

namespace gb {

// While alive, every ParamSet::allocate() on this thread first calls `check` with the declared set
// (nested scopes: the innermost wins).
class ParamCheckScope {
 public:
  explicit ParamCheckScope(std::function<void(const ParamSet&)> check);
  ~ParamCheckScope();
  ParamCheckScope(const ParamCheckScope&) = delete;
  ParamCheckScope& operator=(const ParamCheckScope&) = delete;

 private:
  std::function<void(const ParamSet&)> check_;
  ParamCheckScope* outer_;
};

// Values a ParamSet's declarations add up to (what allocate() will allocate).
size_t declared_count(const ParamSet& p);

// Throws gb::Error naming st.file when a declared tensor (prefix + name) is missing from `st` or has
// another shape, or when the declared parameters do not fit in memory. `config` is quoted in errors.
void check_params_against_file(const ParamSet& p, const SafeTensors& st, const std::string& prefix, const std::string& config);

// A ParamCheckScope running check_params_against_file for every ParamSet allocated while alive.
class ParamFileCheck {
 public:
  ParamFileCheck(const SafeTensors& st, std::string prefix, std::string config);

 private:
  ParamCheckScope scope_;
};

// Total float values of the file's float tensors (what it can fill).
size_t float_values_in(const SafeTensors& st);

}  // namespace gb
