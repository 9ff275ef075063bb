// IDX files (the MNIST / Fashion-MNIST container), gzip-compressed or raw, read with zlib and
// validated; plus the Fashion-MNIST loader shared by the diffusion and GAN models.
//
// Usage:
//   gb::FashionMnist train = gb::load_fashion_mnist("train");   // throws gb::Error with an install hint
//   const uint8_t* img = train.image(i);                         // (28, 28), 0 = background
//   int label = train.labels[i];                                 // 0..9, see kFashionClassNames
//   gb::IdxArray a = gb::read_idx("file-idx3-ubyte.gz");         // any uint8 IDX file
//
// API is stable (used by models/diffusion and models/gan).
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

// [SECTION] Fashion-MNIST
constexpr int kFashionClasses = 10;
constexpr int kFashionSide = 28;
extern const char* const kFashionClassNames[kFashionClasses];  // "T-shirt/top", "Trouser", …

// Where Debian's dataset-fashion-mnist puts the files ($GLASSBOX_FASHION_DIR overrides).
std::string fashion_mnist_dir();

struct FashionMnist {
  int count = 0;                 // number of images
  std::vector<uint8_t> images;   // (count, 28, 28), 0 = background, 255 = ink
  std::vector<uint8_t> labels;   // (count), 0..9
  const uint8_t* image(int i) const { return images.data() + size_t(i) * kFashionSide * kFashionSide; }
};

// Loads split "train" (60000) or "test" (10000) from `dir` (default fashion_mnist_dir()).
// Missing files → gb::Error telling how to install them (sudo apt-get install dataset-fashion-mnist).
// Checks image dims (N, 28, 28), label dims (N), equal counts and labels < 10.
FashionMnist load_fashion_mnist(const std::string& split, const std::string& dir = "");

// Builds a FashionMnist from parsed arrays (the checks above); `name` is used in errors.
FashionMnist fashion_from_arrays(IdxArray images, IdxArray labels, const std::string& name);

// Parses a class name ("Sneaker", case-insensitive, also "tshirt"/"t-shirt") or index "0".."9";
// returns -1 when it is neither.
int fashion_class_from_string(const std::string& s);

}  // namespace gb
