// IDX reader: a valid round trip and every error path (truncated, bad magic, absurd dims, count
// mismatch, corrupt gzip), plus the real Fashion-MNIST files when they are installed.
#include <doctest/doctest.h>

#include <functional>
#include <string>
#include <zlib.h>

#include "core/error.hpp"
#include "core/files.hpp"
#include "models/data/fashion_mnist.hpp"

using namespace gb;

static std::string idx_header(std::initializer_list<uint32_t> dims, uint8_t type = 0x08) {
  std::string h = {0, 0, char(type), char(dims.size())};
  for (uint32_t d : dims) {
    h += char(d >> 24);
    h += char(d >> 16);
    h += char(d >> 8);
    h += char(d);
  }
  return h;
}

static std::string gzip(const std::string& raw) {
  z_stream zs{};
  REQUIRE(deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK);
  std::string out(deflateBound(&zs, raw.size()) + 32, '\0');
  zs.next_in = (Bytef*)raw.data();
  zs.avail_in = uInt(raw.size());
  zs.next_out = (Bytef*)out.data();
  zs.avail_out = uInt(out.size());
  REQUIRE(deflate(&zs, Z_FINISH) == Z_STREAM_END);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

static std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST_CASE("parse_idx reads a valid array") {
  std::string b = idx_header({2, 3}) + std::string("\x01\x02\x03\x04\x05\x06", 6);
  IdxArray a = parse_idx(b, "t.idx");
  CHECK(a.dims == std::vector<int64_t>{2, 3});
  REQUIRE(a.data.size() == 6);
  CHECK(a.data[5] == 6);
  IdxArray g = parse_idx(gunzip(gzip(b), "t.gz"), "t.gz");
  CHECK(g.data == a.data);
}

TEST_CASE("parse_idx rejects bad files with the file name in the message") {
  CHECK(error_of([] { parse_idx(std::string("\0\0", 2), "a.idx"); }).find("a.idx: truncated") == 0);
  CHECK(error_of([] { parse_idx(std::string("\1\0\x08\x01\0\0\0\0", 8), "b.idx"); }).find("bad magic") != std::string::npos);
  CHECK(error_of([] { parse_idx(idx_header({1}, 0x0D) + "abcd", "c.idx"); }).find("element type") != std::string::npos);
  CHECK(error_of([] { parse_idx(idx_header({}), "d.idx"); }).find("dimension count") != std::string::npos);
  CHECK(error_of([] { parse_idx(idx_header({3, 4}).substr(0, 9), "e.idx"); }).find("dims cut off") != std::string::npos);
  CHECK(error_of([] { parse_idx(idx_header({3, 4}) + "short", "f.idx"); }).find("truncated IDX payload") != std::string::npos);
  CHECK(error_of([] { parse_idx(idx_header({1, 1}) + "xx", "g.idx"); }).find("longer") != std::string::npos);
  // dims whose product overflows 64 bits / would allocate absurd memory: rejected before allocating
  CHECK(error_of([] { parse_idx(idx_header({0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF}), "h.idx"); }).find("too large") != std::string::npos);
  CHECK(error_of([] { parse_idx(idx_header({60000, 28, 28, 28}), "i.idx"); }).find("too large") != std::string::npos);
}

TEST_CASE("gunzip rejects corrupt, truncated and oversized streams") {
  std::string z = gzip(std::string(5000, 'a'));
  CHECK(error_of([&] { gunzip(z.substr(0, z.size() / 2), "t.gz"); }).find("truncated") != std::string::npos);
  std::string bad = z;
  bad[12] ^= 0x55;
  bad[13] ^= 0x55;
  CHECK(!error_of([&] { gunzip(bad, "c.gz"); }).empty());
  CHECK(error_of([&] { gunzip(z, "big.gz", 1000); }).find("larger than") != std::string::npos);
  CHECK(gunzip(z, "ok.gz").size() == 5000);
}

TEST_CASE("Fashion-MNIST arrays: count mismatch, bad dims, bad labels, missing files") {
  auto img = [](uint32_t n) { return parse_idx(idx_header({n, 28, 28}) + std::string(n * 784, '\0'), "i"); };
  auto lab = [](uint32_t n, char v) { return parse_idx(idx_header({n}) + std::string(n, v), "l"); };
  CHECK(fashion_from_arrays(img(3), lab(3, 2), "x").count == 3);
  CHECK(error_of([&] { fashion_from_arrays(img(3), lab(4, 1), "x"); }).find("count mismatch") != std::string::npos);
  CHECK(error_of([&] { fashion_from_arrays(img(2), lab(2, 10), "x"); }).find("out of range") != std::string::npos);
  CHECK(error_of([&] { fashion_from_arrays(lab(2, 1), lab(2, 1), "x"); }).find("(N, 28, 28)") != std::string::npos);
  std::string msg = error_of([] { load_fashion_mnist("train", "/nonexistent-dir"); });
  CHECK(msg.find("sudo apt-get install dataset-fashion-mnist") != std::string::npos);
}

TEST_CASE("class names parse") {
  CHECK(fashion_class_from_string("Sneaker") == 7);
  CHECK(fashion_class_from_string("ankle boot") == 9);
  CHECK(fashion_class_from_string("T-shirt/top") == 0);
  CHECK(fashion_class_from_string("3") == 3);
  CHECK(fashion_class_from_string("hat") == -1);
}

TEST_CASE("the installed Fashion-MNIST test split loads") {
  if (!file_exists(fashion_mnist_dir() + "/t10k-labels-idx1-ubyte.gz")) return;  // not installed here
  FashionMnist f = load_fashion_mnist("test");
  CHECK(f.count == 10000);
  int per[10] = {};
  for (uint8_t l : f.labels) per[l]++;
  for (int c = 0; c < 10; ++c) CHECK(per[c] == 1000);
}
