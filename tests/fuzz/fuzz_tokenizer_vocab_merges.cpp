// Fuzzes the GPT-2 vocab.json + merges.txt loader. Input: vocab.json bytes, a NUL byte, merges.txt bytes.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/error.hpp"
#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string in(reinterpret_cast<const char*>(data), size);
  size_t nul = in.find('\0');
  std::string vocab = in.substr(0, nul), merges = nul == std::string::npos ? "" : in.substr(nul + 1);
  try {
    gb::Tokenizer t = gb::Tokenizer::from_vocab_merges(vocab, merges);
    gb::fuzz::check_tokenizer(t, merges);
    gb::Tokenizer back = gb::Tokenizer::from_json(t.to_json());
    if (back.to_json() != t.to_json()) gb::fuzz::die("to_json/from_json round trip");
  } catch (const gb::Error&) {
  }
  return 0;
}
