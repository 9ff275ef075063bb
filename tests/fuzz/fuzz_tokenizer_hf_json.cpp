// Fuzzes the Hugging Face tokenizer.json loader.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/error.hpp"
#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string in(reinterpret_cast<const char*>(data), size);
  try {
    gb::Tokenizer t = gb::Tokenizer::from_hf_json(in);
    gb::fuzz::check_tokenizer(t, in.substr(0, 300));
  } catch (const gb::Error&) {
  }
  return 0;
}
