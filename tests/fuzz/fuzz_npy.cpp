// Fuzzes the .npy reader (`vae encode|decode` inputs): any bytes either parse or throw gb::Error; whatever parses
// holds exactly numel · itemsize bytes, converts to numel floats (or refuses its dtype with gb::Error), and
// encodes back (uint8 and float32) to bytes that parse to the same shape.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/npy.hpp"

namespace {
[[noreturn]] void die(const char* what) {
  std::fprintf(stderr, "fuzz invariant broken: %s\n", what);
  std::abort();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  gb::NpyArray a;
  try {
    a = gb::parse_npy(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.npy");
  } catch (const gb::Error&) {
    return 0;
  }
  int64_t n = 1;
  for (int64_t d : a.shape) {
    if (d < 0) die("negative dimension accepted");
    n *= d;
  }
  if (n != a.numel()) die("numel disagrees with the shape");
  std::vector<float> f;
  try {
    f = a.to_float();
  } catch (const gb::Error&) {
    return 0;  // a dtype the converter refuses, by name
  }
  if (int64_t(f.size()) != n) die("to_float returned the wrong count");
  if (a.shape.size() > 8 || n > (1 << 16)) return 0;
  std::vector<int> shape(a.shape.begin(), a.shape.end());
  gb::NpyArray back = gb::parse_npy(gb::encode_npy_f32(f.data(), shape), "fuzz-back.npy");
  if (back.shape != a.shape || back.numel() != n) die("float32 round trip changed the shape");
  return 0;
}
