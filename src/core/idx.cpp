// IDX reader (validated, zlib for .gz).
#include "core/idx.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>

#include <zlib.h>

#include "core/error.hpp"
#include "core/files.hpp"

namespace gb {


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

}  // namespace gb
