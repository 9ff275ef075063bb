// NumPy .npy arrays: a validating reader (versions 1–3, little-endian, C order) and a writer.
// Used by `glassbox vae encode|decode`, whose inputs come from the user.
//
// Usage:
//   gb::NpyArray a = gb::read_npy("z.npy");           // throws gb::Error "z.npy: problem"
//   if (a.descr != "<f4") …;  a.shape == {N, 2};  a.to_float() → N·2 floats
//   gb::write_file_atomic(path, gb::encode_npy_f32(data, {N, 2}));
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace gb {

struct NpyArray {
  std::string descr;           // dtype as NumPy writes it: "|u1", "<f4", "<f8", …
  std::vector<int64_t> shape;  // C order
  std::string data;            // raw little-endian bytes, numel · itemsize
  std::string file;            // for error messages
  int64_t numel() const;
  // Converts "<f4", "<f8", "|u1" to float; throws gb::Error naming the file for any other dtype.
  std::vector<float> to_float() const;
};

constexpr uint64_t kNpyMaxBytes = 1ull << 30;  // largest payload accepted (1 GiB)

// Parses .npy bytes. Throws gb::Error "NAME: problem" for: bad magic, unknown version, truncated
// header, a header that is not the dict NumPy writes, fortran_order True, big-endian or unknown
// dtype, negative or overflowing shape, payload shorter or longer than the shape says.
NpyArray parse_npy(std::string_view bytes, const std::string& name = "<memory>");
NpyArray read_npy(const std::string& path);

// A version-1 .npy file: header padded to a multiple of 64 bytes, then numel · itemsize bytes of data.
std::string encode_npy(const std::string& descr, const std::vector<int>& shape, const void* data, size_t itemsize);
std::string encode_npy_f32(const float* data, const std::vector<int>& shape);  // descr <f4

}  // namespace gb
