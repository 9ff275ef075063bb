// Shared test helper: the message of the gb::Error a call throws, or "(no error)", so a test can check that bad
// input is refused and what the message names.
#pragma once
#include <functional>
#include <string>

#include "core/error.hpp"

namespace gb::test {

inline std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace gb::test
