// Fuzzes the JSON halves of a Hugging Face GPT-2 folder: config.json (first byte even) and
// model.safetensors.index.json (odd). Any bytes give a config in range or a gb::Error naming the
// file; an index gives a non-empty set of plain file names or a gb::Error.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/error.hpp"
#include "fuzz_common.hpp"
#include "models/transformer/checkpoint.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
  try {
    if (data[0] % 2 == 0) {
      gb::GptConfig c = gb::hf_config_from_json(text, "fuzz/config.json");
      c.validate("again");  // what the reader returns is a valid config
      if (c.n_embd % c.n_head) gb::fuzz::die("n_embd not a multiple of n_head");
    } else {
      for (const std::string& s : gb::hf_shard_names(text, "fuzz/model.safetensors.index.json"))
        if (s.empty() || s.find('/') != std::string::npos || s.find("..") != std::string::npos)
          gb::fuzz::die("a shard name that leaves the folder");
    }
  } catch (const gb::Error& e) {
    const std::string m = e.what();
    if (m.rfind("fuzz/", 0) != 0) gb::fuzz::die("error does not name the file");
  }
  return 0;
}
