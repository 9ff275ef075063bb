// Fuzzes encode/decode/encode_with_steps on arbitrary bytes with a trained tokenizer and, when
// assets/gpt2 exists, GPT-2's.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "core/files.hpp"
#include "fuzz_common.hpp"
#include "models/data/corpus.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const gb::Tokenizer trained = gb::Tokenizer::train(gb::generate_stories(1, 100'000) + "日本語 éé 🎉🎉", 700);
  static const std::unique_ptr<gb::Tokenizer> gpt2 = []() -> std::unique_ptr<gb::Tokenizer> {
    std::string dir = gb::assets_dir() + "/gpt2";
    if (!gb::file_exists(dir + "/encoder.json")) return nullptr;
    return std::make_unique<gb::Tokenizer>(gb::Tokenizer::load_gpt2(dir));
  }();
  std::string text(reinterpret_cast<const char*>(data), size);
  gb::fuzz::check_tokenizer(trained, text);
  if (gpt2) gb::fuzz::check_tokenizer(*gpt2, text);
  return 0;
}
