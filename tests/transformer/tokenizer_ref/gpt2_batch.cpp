// Test driver: encodes every string of a JSON array with a tokenizer and prints the id lists as JSON.
// usage: gpt2_batch TOKENIZER_PATH STRINGS.json  (special-token text is treated as ordinary text)
#include <cstdio>
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/files.hpp"
#include "models/transformer/tokenizer.hpp"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: gpt2_batch TOKENIZER_PATH STRINGS.json\n");
    return 2;
  }
  try {
    gb::Tokenizer tok = gb::Tokenizer::load(argv[1]);
    nlohmann::json strings = nlohmann::json::parse(gb::read_file(argv[2]));
    nlohmann::json out = nlohmann::json::array();
    for (auto& s : strings) {
      std::string text = s.get<std::string>();
      std::vector<int> ids = tok.encode(text, false);
      if (tok.decode(ids) != text) {
        std::fprintf(stderr, "gpt2_batch: decode(encode(s)) != s for %s\n", s.dump().c_str());
        return 1;
      }
      out.push_back(ids);
    }
    std::printf("%s\n", out.dump().c_str());
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "gpt2_batch: %s\n", e.what());
    return 1;
  }
}
