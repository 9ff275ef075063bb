// Fuzzes the safetensors reader: any bytes either parse or throw gb::Error; whatever parses must
// convert (float dtypes), serialise and parse again to the same tensors and metadata.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "core/error.hpp"
#include "core/safetensors.hpp"

namespace {
[[noreturn]] void die(const char* what) {
  std::fprintf(stderr, "fuzz invariant broken: %s\n", what);
  std::abort();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  gb::SafeTensors st;
  try {
    st = gb::parse_safetensors(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.safetensors");
  } catch (const gb::Error&) {
    return 0;
  }
  for (auto& t : st.tensors()) {
    if (t.nbytes != size_t(t.numel()) * gb::dtype_size(t.dtype)) die("tensor byte size does not match its shape");
    try {
      if (t.numel() <= (1 << 20)) (void)t.to_float();
    } catch (const gb::Error&) {  // integer dtypes: a clean error
    }
  }
  gb::SafeTensors again;
  try {
    again = gb::parse_safetensors(gb::serialize_safetensors(st), "again");
  } catch (const gb::Error&) {
    die("serialised file does not parse");
  }
  if (again.metadata != st.metadata) die("metadata changed in a round trip");
  if (again.tensors().size() != st.tensors().size()) die("tensor count changed in a round trip");
  for (size_t i = 0; i < st.tensors().size(); ++i) {
    const auto& a = st.tensors()[i];
    const auto* b = again.find(a.name);
    if (!b || b->dtype != a.dtype || b->shape != a.shape || b->nbytes != a.nbytes ||
        (a.nbytes && std::memcmp(a.bytes, b->bytes, a.nbytes) != 0))
      die("tensor changed in a round trip");
  }
  return 0;
}
