// The .npy reader that `glassbox vae encode|decode` uses: good files round-trip, bad ones name the
// file and the problem.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/npy.hpp"

using namespace gb;

namespace {
std::string npy(const std::string& dict, const std::string& payload, int version = 1) {
  std::string h = dict;
  while ((10 + h.size() + 1) % 64) h += ' ';
  h += '\n';
  std::string f("\x93NUMPY", 6);
  f += char(version);
  f += char(0);
  f += char(h.size() & 0xFF);
  f += char(h.size() >> 8);
  return f + h + payload;
}
std::string error_of(const std::string& bytes) {
  try {
    parse_npy(bytes, "z.npy");
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}
}  // namespace

TEST_CASE("npy: float32 round trip and uint8 images") {
  const std::vector<float> v = {1.5f, -2.0f, 0.25f, 3.0f, 4.0f, 5.0f};
  NpyArray a = parse_npy(encode_npy_f32(v.data(), {3, 2}), "z.npy");
  CHECK(a.descr == "<f4");
  CHECK(a.shape == std::vector<int64_t>{3, 2});
  CHECK(a.to_float() == v);
  NpyArray b = parse_npy(npy("{'descr': '|u1', 'fortran_order': False, 'shape': (2, 2), }", std::string("\x00\x07\xff\x01", 4)));
  CHECK(b.to_float() == std::vector<float>{0, 7, 255, 1});
  NpyArray c = parse_npy(npy("{'shape': (1,), 'fortran_order': False, 'descr': '<f8'}", std::string(8, '\0')));
  CHECK(c.shape == std::vector<int64_t>{1});
  CHECK(c.to_float() == std::vector<float>{0.0f});
}

TEST_CASE("npy: malformed files are refused with the file's name") {
  CHECK(error_of("PK\x03\x04 not numpy") == "z.npy: not a .npy file (it does not start with \\x93NUMPY)");
  CHECK(error_of(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 2), }", std::string(20, '\0')))
            .find("z.npy: payload is 20 bytes but the shape and dtype need 24") == 0);
  CHECK(error_of(npy("{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }", std::string(4, '\0')))
            .find("unsupported dtype `>f4`") != std::string::npos);
  CHECK(error_of(npy("{'descr': '<f4', 'fortran_order': True, 'shape': (1,), }", std::string(4, '\0')))
            .find("Fortran-ordered") != std::string::npos);
  CHECK(error_of(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (-1,), }", ""))
            .find("bad .npy header") != std::string::npos);
  CHECK(error_of(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999, 99999), }", ""))
            .find("too large") != std::string::npos);
  // an empty array whose other dimension is beyond int (found by fuzz_npy): refused, not narrowed
  CHECK(error_of(npy("{'descr': '|u1', 'fortran_order': False, 'shape': (0, 74461561452), }", ""))
            .find("a shape entry is too large (over 2147483647)") != std::string::npos);
  CHECK(error_of(npy("{'descr': '<f4', 'shape': (1,), }", std::string(4, '\0'))).find("are all required") != std::string::npos);
  CHECK(error_of(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", "", 7)).find("version 7") != std::string::npos);
  std::string cut = npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", "");
  CHECK(error_of(cut.substr(0, 30)).find("truncated .npy header") != std::string::npos);
  NpyArray i4 = parse_npy(npy("{'descr': '<i4', 'fortran_order': False, 'shape': (1,), }", std::string(4, '\0')));
  try {
    (void)i4.to_float();
    FAIL("int32 converted silently");
  } catch (const Error& e) {
    CHECK(std::string(e.what()).find("dtype `<i4` cannot be read") != std::string::npos);
  }
}
