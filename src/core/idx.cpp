// IDX reader (validated, zlib for .gz) and the Fashion-MNIST loader.
#include "core/idx.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>

#include <zlib.h>

#include "core/error.hpp"
#include "core/files.hpp"

namespace gb {

const char* const kFashionClassNames[kFashionClasses] = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                                                         "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};

// [SECTION] IDX parsing
IdxArray parse_idx(std::string_view bytes, const std::string& name) {
  auto u8 = [&](size_t i) { return uint8_t(bytes[i]); };
  if (bytes.size() < 4) fail_file(name, "truncated IDX header (" + std::to_string(bytes.size()) + " bytes)");
  if (u8(0) != 0 || u8(1) != 0) fail_file(name, "not an IDX file (bad magic: first two bytes must be zero)");
  if (u8(2) != 0x08) fail_file(name, "unsupported IDX element type 0x" + std::to_string(u8(2)) + " (only uint8, 0x08)");
  int ndim = u8(3);
  if (ndim < 1 || ndim > kIdxMaxDims) fail_file(name, "bad IDX dimension count " + std::to_string(ndim));
  size_t header = 4 + 4 * size_t(ndim);
  if (bytes.size() < header) fail_file(name, "truncated IDX header (dims cut off)");
  IdxArray a;
  uint64_t total = 1;
  for (int d = 0; d < ndim; ++d) {
    size_t o = 4 + 4 * size_t(d);
    uint64_t v = uint64_t(u8(o)) << 24 | uint64_t(u8(o + 1)) << 16 | uint64_t(u8(o + 2)) << 8 | u8(o + 3);
    // v < 2^32 and total <= kIdxMaxBytes < 2^30, so the product cannot overflow 64 bits.
    total *= v;
    if (total > kIdxMaxBytes)
      fail_file(name, "IDX dims too large (more than " + std::to_string(kIdxMaxBytes) + " bytes)");
    a.dims.push_back(int64_t(v));
  }
  uint64_t have = bytes.size() - header;
  if (have < total)
    fail_file(name, "truncated IDX payload: header says " + std::to_string(total) + " bytes, file has " +
                        std::to_string(have));
  if (have > total)
    fail_file(name, "IDX payload longer than its dims (" + std::to_string(have) + " bytes, expected " +
                        std::to_string(total) + ")");
  a.data.assign(reinterpret_cast<const uint8_t*>(bytes.data()) + header,
                reinterpret_cast<const uint8_t*>(bytes.data()) + header + total);
  return a;
}

// [SECTION] gzip
std::string gunzip(std::string_view bytes, const std::string& name, uint64_t max_out) {
  z_stream zs;
  std::memset(&zs, 0, sizeof zs);
  if (inflateInit2(&zs, 15 + 32) != Z_OK) fail_file(name, "zlib init failed");  // 15+32: gzip or zlib header
  std::string out;
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  zs.avail_in = uInt(std::min<size_t>(bytes.size(), 0x7FFFFFFF));
  char buf[1 << 16];
  int rc = Z_OK;
  while (true) {
    zs.next_out = reinterpret_cast<Bytef*>(buf);
    zs.avail_out = sizeof buf;
    rc = inflate(&zs, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) break;
    size_t got = sizeof buf - zs.avail_out;
    if (out.size() + got > max_out) {
      inflateEnd(&zs);
      fail_file(name, "decompressed data larger than " + std::to_string(max_out) + " bytes");
    }
    out.append(buf, got);
    if (rc == Z_STREAM_END) break;
    if (got == 0 && zs.avail_in == 0) { rc = Z_BUF_ERROR; break; }  // input ended mid-stream
  }
  inflateEnd(&zs);
  if (rc != Z_STREAM_END)
    fail_file(name, rc == Z_BUF_ERROR ? "truncated gzip stream" : "corrupt gzip stream");
  return out;
}

IdxArray read_idx(const std::string& path) {
  std::string raw = read_file(path);
  if (raw.size() >= 2 && uint8_t(raw[0]) == 0x1f && uint8_t(raw[1]) == 0x8b) return parse_idx(gunzip(raw, path), path);
  return parse_idx(raw, path);
}

// [SECTION] Fashion-MNIST
std::string fashion_mnist_dir() {
  if (const char* e = std::getenv("GLASSBOX_FASHION_DIR"); e && *e) return e;
  return "/usr/share/datasets/fashion-mnist";
}

FashionMnist fashion_from_arrays(IdxArray images, IdxArray labels, const std::string& name) {
  if (images.dims.size() != 3 || images.dims[1] != kFashionSide || images.dims[2] != kFashionSide)
    fail_file(name, "images must have dims (N, 28, 28)");
  if (labels.dims.size() != 1) fail_file(name, "labels must have dims (N)");
  if (images.dims[0] != labels.dims[0])
    fail_file(name, "count mismatch: " + std::to_string(images.dims[0]) + " images but " +
                        std::to_string(labels.dims[0]) + " labels");
  if (images.dims[0] == 0) fail_file(name, "holds no images (its header says N = 0): nothing to train on or show");
  for (uint8_t l : labels.data)
    if (l >= kFashionClasses) fail_file(name, "label " + std::to_string(l) + " out of range 0..9");
  FashionMnist f;
  f.count = int(images.dims[0]);
  f.images = std::move(images.data);
  f.labels = std::move(labels.data);
  return f;
}

FashionMnist load_fashion_mnist(const std::string& split, const std::string& dir_in) {
  std::string dir = dir_in.empty() ? fashion_mnist_dir() : dir_in;
  std::string prefix;
  if (split == "train") prefix = "train";
  else if (split == "test") prefix = "t10k";
  else fail("fashion-mnist: unknown split `" + split + "` (train or test)");
  std::string img = dir + "/" + prefix + "-images-idx3-ubyte.gz";
  std::string lab = dir + "/" + prefix + "-labels-idx1-ubyte.gz";
  for (const std::string& p : {img, lab})
    if (!file_exists(p))
      fail_file(p, "Fashion-MNIST is not installed. Install it with `sudo apt-get install dataset-fashion-mnist` "
                   "(or point GLASSBOX_FASHION_DIR at a folder with the four *-ubyte.gz files)");
  return fashion_from_arrays(read_idx(img), read_idx(lab), img);
}

int fashion_class_from_string(const std::string& s) {
  if (s.size() == 1 && s[0] >= '0' && s[0] <= '9') return s[0] - '0';
  auto norm = [](std::string x) {
    std::string r;
    for (char c : x)
      if (std::isalnum(uint8_t(c))) r += char(std::tolower(uint8_t(c)));
    return r;
  };
  std::string n = norm(s);
  if (n.empty()) return -1;
  for (int i = 0; i < kFashionClasses; ++i) {
    std::string c = norm(kFashionClassNames[i]);
    if (n == c) return i;
  }
  if (n == "tshirt" || n == "top") return 0;
  if (n == "boot" || n == "ankleboots") return 9;
  return -1;
}

}  // namespace gb
