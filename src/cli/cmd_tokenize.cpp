// `glassbox tokenize`: shows how a tokenizer (GPT-2 files, a tokenizer .json or a checkpoint)
// splits a text into tokens, optionally with every BPE merge step.
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>

#include "cli/args.hpp"
#include "core/error.hpp"
#include "core/files.hpp"
#include "core/utf8.hpp"
#include "models/transformer/tokenizer.hpp"

namespace gb::cli {

static const std::vector<FlagSpec> kTokenizeFlags = {
    {"--tokenizer", true, "PATH   a folder of GPT-2 files (vocab.json + merges.txt, encoder.json + vocab.bpe or\n"
                          "                     tokenizer.json), a tokenizer .json, or a Glassbox .safetensors checkpoint\n"
                          "                     (default: assets/gpt2)"},
    {"--text", true, "TEXT        the text to tokenize"},
    {"--text-file", true, "FILE   read the text from FILE instead (bytes as they are)"},
    {"--json", false, "             print {\"ids\": [...], \"tokens\": [...]} (tokens as display strings)"},
    {"--steps", false, "            also show every merge step from raw bytes to tokens"},
    {"--no-special", false, "       treat special-token text like <|endoftext|> as ordinary text"},
    {"--help", false, "             show this help"},
};

int cmd_tokenize(int argc, char** argv) {
  Args args(argc, argv, 2, kTokenizeFlags);
  if (args.has("--help")) {
    std::printf("usage: glassbox tokenize [--tokenizer PATH] (--text TEXT | --text-file FILE) [--json] [--steps]\n\n%s",
                usage_lines(kTokenizeFlags).c_str());
    return 0;
  }
  if (args.has("--text") == args.has("--text-file")) throw UsageError{"give exactly one of --text and --text-file"};
  const std::string text = args.has("--text") ? args.str("--text") : read_file(args.str("--text-file"));
  const std::string path = args.str("--tokenizer", assets_dir() + "/gpt2");
  const Tokenizer tok = Tokenizer::load(path);
  const bool allow_special = !args.has("--no-special");
  const std::vector<int> ids = tok.encode(text, allow_special);

  if (args.has("--json")) {
    nlohmann::json out;
    out["ids"] = ids;
    nlohmann::json tokens = nlohmann::json::array();
    for (int id : ids) tokens.push_back(token_display(tok.token_bytes(id)));
    out["tokens"] = std::move(tokens);
    if (args.has("--steps")) {
      BpeTrace trace = tok.encode_with_steps(text, allow_special);
      nlohmann::json steps = nlohmann::json::array();
      for (auto& s : trace.steps)
        steps.push_back({{"rank", s.rank}, {"left", s.left}, {"right", s.right}, {"merged", s.merged},
                         {"count", s.count}, {"ids", s.ids}});
      out["initial"] = trace.initial;
      out["steps"] = std::move(steps);
    }
    std::printf("%s\n", out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
    return 0;
  }

  auto chips = [&](const std::vector<int>& seq) {
    std::string s;
    for (int id : seq) s += "[" + token_display_visible(tok.token_bytes(id)) + "]";
    return s;
  };
  std::printf("%zu bytes -> %zu tokens (vocabulary %d)\n", text.size(), ids.size(), tok.vocab_size());
  if (args.has("--steps")) {
    BpeTrace trace = tok.encode_with_steps(text, allow_special);
    std::printf("bytes      %s\n", chips(trace.initial).c_str());
    for (size_t i = 0; i < trace.steps.size(); ++i) {
      auto& s = trace.steps[i];
      std::printf("step %-4zu merge #%d [%s]+[%s] -> [%s] x%d\n           %s\n", i + 1, s.rank,
                  token_display_visible(tok.token_bytes(s.left)).c_str(), token_display_visible(tok.token_bytes(s.right)).c_str(),
                  token_display_visible(tok.token_bytes(s.merged)).c_str(), s.count, chips(s.ids).c_str());
    }
  }
  for (int id : ids) std::printf("%8d  %s\n", id, token_display_visible(tok.token_bytes(id)).c_str());
  return 0;
}

}  // namespace gb::cli
