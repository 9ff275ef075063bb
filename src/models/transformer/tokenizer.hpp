// Byte-level BPE tokenizer: trains on a text, loads GPT-2's files (vocab.json + merges.txt,
// encoder.json + vocab.bpe, Hugging Face tokenizer.json), encodes any byte string losslessly and
// can report the merge steps that turn raw bytes into tokens (for the tokenization panel).
//
// Usage:
//   gb::Tokenizer gpt2 = gb::Tokenizer::load("assets/gpt2");           // folder, tokenizer.json, .json, .safetensors
//   std::vector<int> ids = gpt2.encode("Hello world");                   // {15496, 995}
//   std::string text = gpt2.decode(ids);                                 // "Hello world"
//   gb::Tokenizer mine = gb::Tokenizer::train(corpus, 512);              // 256 bytes + merges + <|endoftext|>
//   nlohmann::json j = mine.to_json();                                   // stored in checkpoints (glassbox.tokenizer)
#pragma once
#include <array>
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

namespace gb {

// GPT-2's pre-tokenisation: splits text into the pieces matched by
//   's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
// Returns [begin, end) byte ranges covering the whole input. Bytes that are not valid UTF-8 count
// as characters of the "other" class ([^\s\p{L}\p{N}]), so any byte string splits losslessly.
std::vector<std::pair<size_t, size_t>> pretokenize_gpt2(std::string_view text);

// One step of encode_with_steps: the lowest-ranked pair present anywhere in the text (never across
// pre-token boundaries) merged at every occurrence, left to right.
struct BpeMergeStep {
  int rank = 0;    // position of the merge in the merge list (0 = learnt first)
  int left = 0;    // token id of the pair's left part
  int right = 0;   // token id of the pair's right part
  int merged = 0;  // token id the pair becomes
  int count = 0;   // occurrences merged in this step
  std::vector<int> ids;  // the whole token sequence after this step
};

// The merge history of one text, from raw bytes to final tokens.
struct BpeTrace {
  std::vector<std::pair<size_t, size_t>> pieces;  // pre-token byte ranges (special tokens are pieces too)
  std::vector<int> initial;                       // token ids before any merge (one per byte, specials whole)
  std::vector<BpeMergeStep> steps;                // in order; steps.back().ids (or initial) == encode(text)
  std::vector<int> final_ids() const { return steps.empty() ? initial : steps.back().ids; }
};

class Tokenizer {
 public:
  struct Special {
    int id;
    std::string content;  // the literal text, e.g. "<|endoftext|>"
  };

  Tokenizer();  // empty: 256 byte tokens (ids 0–255), no merges, no specials
  Tokenizer(const Tokenizer& o);
  Tokenizer& operator=(const Tokenizer& o);
  Tokenizer(Tokenizer&&) noexcept;
  Tokenizer& operator=(Tokenizer&&) noexcept;
  ~Tokenizer();

  // [SECTION] Making one
  // Learns merges on `text` (GPT-2 pre-tokenisation, so merges never cross word boundaries; special
  // tokens in the text are cut out first) until vocab_size tokens exist counting `specials`, or no
  // pair occurs twice. Ids: 0–255 bytes, then merges in order, then specials. Deterministic.
  static Tokenizer train(std::string_view text, int vocab_size,
                         const std::vector<std::string>& specials = {"<|endoftext|>"});
  // Loads GPT-2 style files from a folder: vocab.json + merges.txt, else encoder.json + vocab.bpe,
  // else tokenizer.json. Throws gb::Error naming the file and line for anything malformed.
  static Tokenizer load_gpt2(const std::string& folder);
  // From texts in memory (names are used in error messages).
  static Tokenizer from_vocab_merges(std::string_view vocab_json, std::string_view merges_txt,
                                     const std::string& vocab_name = "vocab.json",
                                     const std::string& merges_name = "merges.txt");
  static Tokenizer from_hf_json(std::string_view tokenizer_json, const std::string& name = "tokenizer.json");
  // Any of: a folder (load_gpt2), a Hugging Face tokenizer.json, a Glassbox tokenizer .json, or a
  // .safetensors checkpoint whose metadata holds `glassbox.tokenizer`.
  static Tokenizer load(const std::string& path);

  // Glassbox's own format (see to_json): round-trips exactly. `name` is used in error messages.
  nlohmann::json to_json() const;
  static Tokenizer from_json(const nlohmann::json& j, const std::string& name = "tokenizer");

  // [SECTION] Using one
  // Splits on special tokens (when allow_special) and pre-tokenises, then applies merges.
  // Lossless for any bytes: decode(encode(s)) == s.
  std::vector<int> encode(std::string_view text, bool allow_special = true) const;
  // The bytes of the tokens, concatenated. Throws gb::Error for an id out of range.
  std::string decode(const std::vector<int>& ids) const;
  // The same merges as encode, applied one rank at a time over the whole text, recording every step.
  // Meant for display-sized texts (time grows with steps × length).
  BpeTrace encode_with_steps(std::string_view text, bool allow_special = true) const;

  int vocab_size() const { return int(tokens_.size()); }
  const std::string& token_bytes(int id) const;  // throws gb::Error for an id out of range
  int byte_token(uint8_t b) const { return byte_id_[b]; }
  // Merge list in rank order: (left, right) → merged.
  struct Merge {
    int left, right, merged;
  };
  const std::vector<Merge>& merges() const { return merges_; }
  const std::vector<Special>& specials() const { return specials_; }
  int special_id(std::string_view content) const;  // -1 when absent
  bool is_special(int id) const;

 private:
  friend struct TokenizerLoader;  // the file loaders (tokenizer_load.cpp)
  // Adds a merge (checked by the caller); updates the rank map.
  void add_merge(int left, int right, int merged);
  // Byte tokens and specials must already be set; rebuilds lookup tables and validates.
  void finish(const std::string& name);
  // BPE on one pre-token (no specials inside); appends ids to `out`. Uses the word cache.
  void encode_piece(std::string_view piece, std::vector<int>& out) const;
  std::vector<int> bpe(std::string_view piece) const;
  // Splits text at special tokens: (begin, end, special id or -1) for every segment.
  std::vector<std::tuple<size_t, size_t, int>> split_specials(std::string_view text, bool allow_special) const;

  static uint64_t pair_key(int a, int b) { return (uint64_t(uint32_t(a)) << 32) | uint32_t(b); }

  std::vector<std::string> tokens_;            // id → bytes
  std::array<int, 256> byte_id_{};             // byte → id of its one-byte token
  std::vector<Merge> merges_;                  // rank → merge
  std::unordered_map<uint64_t, int> rank_;     // pair_key(left, right) → rank
  std::vector<Special> specials_;
  std::vector<char> special_flag_;             // id → 1 when special

  struct Cache;
  std::unique_ptr<Cache> cache_;  // per-word results (thread-safe; not copied)
};

}  // namespace gb
