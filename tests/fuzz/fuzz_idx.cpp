// Fuzzes the IDX reader: any bytes either parse or throw gb::Error, raw or as a gzip stream (the
// first input byte picks which); whatever parses has exactly product(dims) bytes, and a parsed
// (N, 28, 28) + (N) pair either builds a Fashion-MNIST set with labels < 10 or throws.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "core/error.hpp"
#include "models/data/fashion_mnist.hpp"

namespace {
[[noreturn]] void die(const char* what) {
  std::fprintf(stderr, "fuzz invariant broken: %s\n", what);
  std::abort();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);
  std::string raw;
  try {
    // mode 0: raw IDX; mode 1: gzip/zlib stream holding IDX (with a small output cap)
    raw = data[0] & 1 ? gb::gunzip(bytes, "fuzz.gz", 1 << 20) : std::string(bytes);
  } catch (const gb::Error&) {
    return 0;
  }
  gb::IdxArray a;
  try {
    a = gb::parse_idx(raw, "fuzz.idx");
  } catch (const gb::Error&) {
    return 0;
  }
  uint64_t n = 1;
  for (int64_t d : a.dims) {
    if (d < 0) die("negative dim");
    n *= uint64_t(d);
  }
  if (n != a.data.size()) die("payload size does not match dims");
  if (a.dims.size() == 3 && a.dims[1] == 28 && a.dims[2] == 28) {
    gb::IdxArray labels;
    labels.dims = {a.dims[0]};
    labels.data.assign(size_t(a.dims[0]), uint8_t(data[0] >> 1));
    try {
      gb::FashionMnist f = gb::fashion_from_arrays(a, labels, "fuzz");
      for (uint8_t l : f.labels)
        if (l >= 10) die("label out of range accepted");
    } catch (const gb::Error&) {
    }
  }
  return 0;
}
