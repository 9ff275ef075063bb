// Fuzzes Glassbox's own tokenizer JSON (what checkpoints store under glassbox.tokenizer).
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/error.hpp"
#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string in(reinterpret_cast<const char*>(data), size);
  nlohmann::json j = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return 0;
  try {
    gb::Tokenizer t = gb::Tokenizer::from_json(j);
    nlohmann::json out = t.to_json();
    if (gb::Tokenizer::from_json(out).to_json() != out) gb::fuzz::die("to_json/from_json round trip");
    gb::fuzz::check_tokenizer(t, "Hello world, it's 2024!  \n\xE6\x97\xA5\xFF" + in.substr(0, 100));
  } catch (const gb::Error&) {
  }
  return 0;
}
