// safetensors: round trips in F32/F16/BF16 with metadata, and every validation error the reader reports.
#include <doctest/doctest.h>

#include <bit>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <string>

#include "core/error.hpp"
#include "core/files.hpp"
#include "core/half.hpp"
#include "core/rng.hpp"
#include "core/safetensors.hpp"

using namespace gb;

namespace {
// A file from a header JSON and `data_bytes` zero bytes of data.
std::string make_file(const std::string& header, size_t data_bytes, uint64_t hlen_override = 0) {
  uint64_t n = hlen_override ? hlen_override : header.size();
  std::string out;
  for (int i = 0; i < 8; ++i) out += char((n >> (8 * i)) & 0xFF);
  out += header;
  out.append(data_bytes, '\0');
  return out;
}

// The gb::Error message parse_safetensors throws for `bytes` (fails the test when it does not throw).
std::string error_of(const std::string& bytes) {
  try {
    parse_safetensors(bytes, "bad.safetensors");
  } catch (const Error& e) {
    return e.what();
  }
  FAIL("no error thrown");
  return "";
}
bool has(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }
}  // namespace

TEST_CASE("safetensors round trip: F32 exact, F16/BF16 rounded, metadata kept, file order kept") {
  std::vector<float> a = {1.0f, -2.5f, 3.14159f, 1e-3f, 65504.0f, -0.0f};
  SafeTensors st;
  st.metadata["glassbox.config"] = "{\"n_layer\": 2}";
  st.metadata["note"] = "héllo";
  st.add("a", {2, 3}, a.data(), DType::F32);
  st.add("b", {6}, a.data(), DType::F16);
  st.add("c", {3, 2}, a.data(), DType::BF16);
  std::string bytes = serialize_safetensors(st);
  CHECK((bytes.size() - 8 - 4 * 6 - 2 * 6 - 2 * 6) % 8 == 0);  // header padded to 8

  SafeTensors r = parse_safetensors(bytes, "x.safetensors");
  CHECK(r.metadata == st.metadata);
  REQUIRE(r.tensors().size() == 3);
  CHECK(r.tensors()[0].name == "a");
  CHECK(r.tensors()[1].name == "b");
  CHECK(r.tensors()[2].name == "c");
  CHECK(r.get("a").shape == std::vector<int64_t>{2, 3});
  CHECK(r.get("a").to_float() == a);
  auto b = r.get_float("b", {6});
  auto c = r.get_float("c", {3, 2});
  for (size_t i = 0; i < a.size(); ++i) {
    CHECK(b[i] == half_to_float(float_to_half(a[i])));
    CHECK(c[i] == bf16_to_float(float_to_bf16(a[i])));
  }
  CHECK(b[2] == doctest::Approx(3.14159).epsilon(1e-3));
  CHECK(c[2] == doctest::Approx(3.14159).epsilon(1e-2));

  // Through a real file (memory-mapped read, atomic write).
  std::string path = (std::filesystem::temp_directory_path() / "gb_test_roundtrip.safetensors").string();
  write_safetensors(path, st);
  SafeTensors f = read_safetensors(path);
  CHECK(f.get("a").to_float() == a);
  CHECK(f.metadata.at("note") == "héllo");
  std::filesystem::remove(path);
}

TEST_CASE("safetensors: a scalar and an empty tensor are valid") {
  SafeTensors st;
  float x = 7.0f;
  st.add("s", {}, &x);
  st.add("e", {0, 4}, nullptr);
  SafeTensors r = parse_safetensors(serialize_safetensors(st));
  CHECK(r.get("s").numel() == 1);
  CHECK(r.get("s").to_float()[0] == 7.0f);
  CHECK(r.get("e").numel() == 0);
}

TEST_CASE("safetensors reader rejects broken files with a message naming the file and the problem") {
  const std::string ok = R"({"t":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]}})";
  CHECK_NOTHROW(parse_safetensors(make_file(ok, 16)));

  SUBCASE("truncated before the header length") {
    auto m = error_of(std::string("\x05\x00\x00", 3));
    CHECK(has(m, "bad.safetensors"));
    CHECK(has(m, "truncated"));
  }
  SUBCASE("huge header length is refused before allocating") {
    auto m = error_of(make_file(ok, 16, uint64_t(1) << 40));
    CHECK(has(m, "exceeds"));
  }
  SUBCASE("header length past the end of the file") {
    auto m = error_of(make_file(ok, 0, ok.size() + 100));
    CHECK(has(m, "truncated"));
  }
  SUBCASE("data section truncated") {
    auto m = error_of(make_file(ok, 10));
    CHECK(has(m, "past the end"));
  }
  SUBCASE("header not JSON") {
    auto m = error_of(make_file("{\"t\": [1, 2", 16));
    CHECK(has(m, "not valid JSON"));
  }
  SUBCASE("header JSON but not an object") {
    CHECK(has(error_of(make_file("[1,2,3]", 0)), "not a JSON object"));
  }
  SUBCASE("unknown dtype") {
    auto m = error_of(make_file(R"({"t":{"dtype":"F19","shape":[2,2],"data_offsets":[0,16]}})", 16));
    CHECK(has(m, "unknown dtype `F19`"));
    CHECK(has(m, "tensor `t`"));
  }
  SUBCASE("shape does not match the byte size") {
    auto m = error_of(make_file(R"({"t":{"dtype":"F32","shape":[2,3],"data_offsets":[0,16]}})", 16));
    CHECK(has(m, "needs 24 bytes"));
  }
  SUBCASE("negative shape") {
    CHECK(has(error_of(make_file(R"({"t":{"dtype":"F32","shape":[-2,-2],"data_offsets":[0,16]}})", 16)), "non-negative"));
  }
  SUBCASE("shape overflow") {
    CHECK(has(error_of(make_file(
                  R"({"t":{"dtype":"F32","shape":[4611686018427387904,4611686018427387904],"data_offsets":[0,16]}})", 16)),
              "too large"));
  }
  SUBCASE("offsets reversed") {
    CHECK(has(error_of(make_file(R"({"t":{"dtype":"F32","shape":[0],"data_offsets":[16,0]}})", 16)), "after end"));
  }
  SUBCASE("offsets missing") {
    CHECK(has(error_of(make_file(R"({"t":{"dtype":"F32","shape":[4]}})", 16)), "data_offsets"));
  }
  SUBCASE("overlapping tensors") {
    auto m = error_of(make_file(R"({"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]},)"
                                R"("b":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}})",
                                16));
    CHECK(has(m, "overlap"));
  }
  SUBCASE("metadata not string to string") {
    CHECK(has(error_of(make_file(R"({"__metadata__":{"k":3}})", 0)), "not a string"));
  }
  SUBCASE("integer tensor read as float") {
    SafeTensors st = parse_safetensors(make_file(R"({"t":{"dtype":"I32","shape":[4],"data_offsets":[0,16]}})", 16));
    CHECK_THROWS_WITH_AS(st.get("t").to_float(), doctest::Contains("expected a float type"), Error);
  }
  SUBCASE("missing tensor and wrong shape on lookup") {
    SafeTensors st = parse_safetensors(make_file(ok, 16), "m.safetensors");
    CHECK_THROWS_WITH_AS(st.get("nope"), doctest::Contains("m.safetensors: missing tensor `nope`"), Error);
    CHECK_THROWS_WITH_AS(st.get_float("t", {4}), doctest::Contains("has shape [2, 2], expected [4]"), Error);
  }
  SUBCASE("missing file") {
    CHECK_THROWS_WITH_AS(read_safetensors("/nonexistent/x.safetensors"), doctest::Contains("/nonexistent/x.safetensors"),
                         Error);
  }
}

TEST_CASE("fp16/bf16 conversions agree with the compiler's _Float16 / exact bit rules (F16/BF16 checkpoints)") {
  // Every half value converts to float and back unchanged (NaNs keep being NaN).
  for (uint32_t h = 0; h < 0x10000; ++h) {
    const float f = half_to_float(uint16_t(h));
    const _Float16 ref = std::bit_cast<_Float16>(uint16_t(h));
    if (f != f) {
      CHECK(float(ref) != float(ref));
      continue;
    }
    CHECK(f == float(ref));
    CHECK(float_to_half(f) == uint16_t(h));
  }
  // Random floats over the whole half range (normals, subnormals, overflow) round like the compiler.
  Rng rng(9);
  int mismatches = 0;
  for (int i = 0; i < 200000; ++i) {
    const float x = float((rng.uniform() * 2 - 1) * std::ldexp(1.0, int(rng.below(40)) - 28));
    if (float_to_half(x) != std::bit_cast<uint16_t>(_Float16(x))) ++mismatches;
  }
  CHECK(mismatches == 0);
  // bf16 keeps the top 16 bits, rounding to nearest even.
  CHECK(float_to_bf16(1.0f) == 0x3F80);
  CHECK(bf16_to_float(float_to_bf16(3.140625f)) == 3.140625f);
  CHECK(float_to_bf16(bits_to_float(0x3F808000u)) == 0x3F80);  // halfway, even stays
  CHECK(float_to_bf16(bits_to_float(0x3F818000u)) == 0x3F82);  // halfway, odd rounds up
}
