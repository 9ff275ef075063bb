// IDX files (the MNIST / Fashion-MNIST container), gzip-compressed or raw, read with zlib and
// validated. The Fashion-MNIST loader itself is in models/data/fashion_mnist.hpp.
//
//   gb::IdxArray a = gb::read_idx("file-idx3-ubyte.gz");         // any uint8 IDX file
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace gb {

// One IDX array of unsigned bytes (type code 0x08), row-major with the header's dims.
struct IdxArray {
  std::vector<int64_t> dims;   // e.g. {60000, 28, 28}
  std::vector<uint8_t> data;   // product(dims) bytes
};

// Limits that keep corrupt or hostile files from allocating absurd memory.
constexpr uint64_t kIdxMaxBytes = 512ull << 20;       // largest payload / decompressed size accepted
constexpr int kIdxMaxDims = 8;                        // most dims accepted in a header

// Parses raw (uncompressed) IDX bytes. Throws gb::Error "NAME: problem" for: truncated header,
// bad magic (first two bytes not zero), a type other than uint8, zero or too many dims, dims whose
// product overflows or exceeds kIdxMaxBytes, and a payload shorter or longer than the dims say.
IdxArray parse_idx(std::string_view bytes, const std::string& name = "<memory>");

// Decompresses gzip (or zlib) bytes with an output cap; throws gb::Error naming `name` for corrupt,
// truncated or oversized (> max_out bytes) streams.
std::string gunzip(std::string_view bytes, const std::string& name = "<memory>", uint64_t max_out = kIdxMaxBytes);

// Reads an IDX file; gzip-compressed when it starts with the gzip magic (1f 8b), raw otherwise.
IdxArray read_idx(const std::string& path);

}  // namespace gb
