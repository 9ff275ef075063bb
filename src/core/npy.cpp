// .npy reader (validating every header field against the payload) and float32 writer.
#include "core/npy.hpp"

#include <cctype>
#include <cstdint>
#include <cstring>

#include "core/error.hpp"
#include "core/files.hpp"

namespace gb {

int64_t NpyArray::numel() const {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  return n;
}

std::vector<float> NpyArray::to_float() const {
  const size_t n = size_t(numel());
  std::vector<float> out(n);
  if (descr == "<f4") {
    if (n > 0) std::memcpy(out.data(), data.data(), n * 4);  // an empty array's out.data() may be null
  } else if (descr == "<f8") {
    for (size_t i = 0; i < n; ++i) {
      double v;
      std::memcpy(&v, data.data() + i * 8, 8);
      out[i] = float(v);
    }
  } else if (descr == "|u1") {
    for (size_t i = 0; i < n; ++i) out[i] = float(uint8_t(data[i]));
  } else {
    fail_file(file, "dtype `" + descr + "` cannot be read as numbers here (float32, float64 or uint8 expected)");
  }
  return out;
}

// [SECTION] header dict: {'descr': '<f4', 'fortran_order': False, 'shape': (3, 2), }
namespace {
struct HeaderParser {
  std::string_view s;
  size_t i = 0;
  const std::string& name;
  [[noreturn]] void bad(const std::string& what) { fail_file(name, "bad .npy header (" + what + ")"); }
  void ws() {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n')) ++i;
  }
  bool eat(char c) {
    ws();
    if (i < s.size() && s[i] == c) {
      ++i;
      return true;
    }
    return false;
  }
  std::string quoted() {
    ws();
    if (i >= s.size() || (s[i] != '\'' && s[i] != '"')) bad("expected a quoted string");
    const char q = s[i++];
    const size_t start = i;
    while (i < s.size() && s[i] != q) ++i;
    if (i >= s.size()) bad("unterminated string");
    return std::string(s.substr(start, i++ - start));
  }
  std::string word() {
    ws();
    const size_t start = i;
    while (i < s.size() && std::isalpha(static_cast<unsigned char>(s[i]))) ++i;
    return std::string(s.substr(start, i - start));
  }
  int64_t integer() {
    ws();
    if (i >= s.size() || !std::isdigit(static_cast<unsigned char>(s[i]))) bad("shape entries must be non-negative integers");
    int64_t v = 0;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) {
      v = v * 10 + (s[i++] - '0');
      // (dimensions are ints everywhere in Glassbox: (0, 74461561452) holds no data but would wrap when narrowed)
      if (v > INT32_MAX) bad("a shape entry is too large (over 2147483647)");
    }
    if (i < s.size() && s[i] == 'L') ++i;  // Python 2 long suffix
    return v;
  }
};
}  // namespace

NpyArray parse_npy(std::string_view bytes, const std::string& name) {
  NpyArray a;
  a.file = name;
  if (bytes.size() < 10 || bytes.substr(0, 6) != std::string_view("\x93NUMPY", 6))
    fail_file(name, "not a .npy file (it does not start with \\x93NUMPY)");
  const int major = uint8_t(bytes[6]);
  size_t hlen = 0, hstart = 0;
  if (major == 1) {
    hlen = uint8_t(bytes[8]) | (size_t(uint8_t(bytes[9])) << 8);
    hstart = 10;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12) fail_file(name, "truncated .npy header");
    hlen = 0;
    for (int k = 0; k < 4; ++k) hlen |= size_t(uint8_t(bytes[8 + k])) << (8 * k);
    hstart = 12;
  } else {
    fail_file(name, ".npy format version " + std::to_string(major) + " is not supported (1, 2 or 3)");
  }
  if (hlen > bytes.size() - hstart) fail_file(name, "truncated .npy header");
  HeaderParser p{bytes.substr(hstart, hlen), 0, name};
  bool have_descr = false, have_order = false, have_shape = false;
  if (!p.eat('{')) p.bad("expected {");
  while (!p.eat('}')) {
    const std::string key = p.quoted();
    if (!p.eat(':')) p.bad("expected : after '" + key + "'");
    if (key == "descr") {
      a.descr = p.quoted();
      have_descr = true;
    } else if (key == "fortran_order") {
      const std::string w = p.word();
      if (w == "True") fail_file(name, "Fortran-ordered arrays are not supported (save with C order)");
      if (w != "False") p.bad("fortran_order must be True or False");
      have_order = true;
    } else if (key == "shape") {
      if (!p.eat('(')) p.bad("shape must be a tuple");
      while (!p.eat(')')) {
        a.shape.push_back(p.integer());
        if (a.shape.size() > 16) p.bad("more than 16 dimensions");
        if (!p.eat(',')) {
          if (!p.eat(')')) p.bad("expected , or ) in shape");
          break;
        }
      }
      have_shape = true;
    } else {
      p.bad("unknown key '" + key + "'");
    }
    if (!p.eat(',')) {
      if (!p.eat('}')) p.bad("expected , or }");
      break;
    }
  }
  if (!have_descr || !have_order || !have_shape) p.bad("descr, fortran_order and shape are all required");
  size_t item = 0;
  if (a.descr == "|u1" || a.descr == "<u1" || a.descr == "|i1" || a.descr == "|b1") item = 1;
  else if (a.descr == "<f4" || a.descr == "<i4" || a.descr == "<u4") item = 4;
  else if (a.descr == "<f8" || a.descr == "<i8" || a.descr == "<u8") item = 8;
  else if (a.descr == "<f2" || a.descr == "<i2" || a.descr == "<u2") item = 2;
  else fail_file(name, "unsupported dtype `" + a.descr + "` (big-endian or not a plain number type)");
  if (a.descr == "<u1") a.descr = "|u1";
  uint64_t n = 1;
  for (int64_t d : a.shape) {
    if (d > 0 && n > kNpyMaxBytes / uint64_t(d)) fail_file(name, "shape is too large");
    n *= uint64_t(d);
  }
  if (n * item > kNpyMaxBytes) fail_file(name, "shape is too large (over 1 GiB)");
  const size_t have = bytes.size() - hstart - hlen;
  if (have != n * item)
    fail_file(name, "payload is " + std::to_string(have) + " bytes but the shape and dtype need " +
                        std::to_string(n * item) + " (truncated or corrupt file)");
  a.data.assign(bytes.substr(hstart + hlen));
  return a;
}

NpyArray read_npy(const std::string& path) { return parse_npy(read_file(path), path); }

std::string encode_npy(const std::string& descr, const std::vector<int>& shape, const void* data, size_t itemsize) {
  std::string dims;
  size_t n = 1;
  for (int d : shape) {
    dims += std::to_string(d) + ",";
    n *= size_t(d);
  }
  if (shape.size() > 1) dims.pop_back();
  std::string header = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + dims + "), }";
  const size_t total = 10 + header.size() + 1;  // magic(6) + version(2) + len(2) + header + '\n'
  header.append((64 - total % 64) % 64, ' ');
  header.push_back('\n');
  std::string out("\x93NUMPY\x01\x00", 8);
  out.push_back(char(header.size() & 0xFF));
  out.push_back(char(header.size() >> 8));
  out += header;
  out.append(static_cast<const char*>(data), n * itemsize);
  return out;
}

std::string encode_npy_f32(const float* data, const std::vector<int>& shape) {
  return encode_npy("<f4", shape, data, sizeof(float));
}

}  // namespace gb
