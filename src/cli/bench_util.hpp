// Timing helpers shared by the `glassbox bench FAMILY` commands (numbers printed, never pass/fail).
#pragma once
#include <chrono>

namespace gb::cli {

inline double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// Runs f repeatedly for at least min_seconds (and at least once); returns seconds per call.
template <class F>
double per_call(F f, double min_seconds) {
  const auto t0 = std::chrono::steady_clock::now();
  int calls = 0;
  do {
    f();
    ++calls;
  } while (seconds_since(t0) < min_seconds);
  return seconds_since(t0) / calls;
}

}  // namespace gb::cli
