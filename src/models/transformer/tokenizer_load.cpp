// Tokenizer file formats: GPT-2's vocab.json + merges.txt (encoder.json + vocab.bpe), Hugging Face
// tokenizer.json, Glassbox's own JSON (to_json/from_json) and checkpoints holding it. Every
// malformed input becomes a gb::Error naming the file (and line or field).
#include <filesystem>
#include <unordered_set>

#include "core/error.hpp"
#include "core/files.hpp"
#include "core/json_in.hpp"
#include "core/safetensors.hpp"
#include "core/utf8.hpp"
#include "models/transformer/tokenizer.hpp"

namespace gb {

using json = nlohmann::json;

// [SECTION] GPT-2's byte ↔ unicode mapping
// GPT-2 stores token bytes as text: printable bytes (! to ~, ¡ to ¬, ® to ÿ) stand for themselves,
// the other 68 bytes map to U+0100, U+0101, … in byte order.

namespace {

struct ByteLevel {
  std::array<char32_t, 256> to_cp{};
  std::array<int, 324> to_byte{};  // code point → byte, -1 for none (all mapped code points are < 324)
  ByteLevel() {
    to_byte.fill(-1);
    int n = 0;
    for (int b = 0; b < 256; ++b) {
      bool printable = (b >= 0x21 && b <= 0x7E) || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
      to_cp[b] = printable ? char32_t(b) : char32_t(256 + n++);
      to_byte[to_cp[b]] = b;
    }
  }
};
const ByteLevel& byte_level() {
  static const ByteLevel m;
  return m;
}

std::string bytelevel_encode(std::string_view bytes) {
  std::string out;
  for (char c : bytes) utf8_append(out, byte_level().to_cp[uint8_t(c)]);
  return out;
}

// Decodes GPT-2's byte-level text; on failure returns false and describes the problem.
bool bytelevel_decode(std::string_view text, std::string& out, std::string& problem) {
  out.clear();
  for (size_t i = 0; i < text.size();) {
    char32_t cp = 0;
    size_t n = utf8_decode(text, i, cp);
    if (!n) {
      problem = "is not valid UTF-8";
      return false;
    }
    if (cp >= 324 || byte_level().to_byte[cp] < 0) {
      char buf[64];
      std::snprintf(buf, sizeof buf, "has character U+%04X, which stands for no byte", unsigned(cp));
      problem = buf;
      return false;
    }
    out += char(byte_level().to_byte[cp]);
    i += n;
  }
  if (out.empty()) {
    problem = "is empty";
    return false;
  }
  return true;
}

// The top level of every tokenizer file is a JSON object; errors name the file (and `what`).
JsonIn parse_json(std::string_view text, const std::string& name, const std::string& what = "") {
  return JsonIn::parse(text, name, what);
}

// Shortened, printable form of a token for error messages.
std::string quote(std::string_view s) {
  std::string d = token_display(s.substr(0, 40));
  return "`" + d + (s.size() > 40 ? "…" : "") + "`";
}

constexpr int64_t kMaxVocab = 10'000'000;  // larger ids mean a corrupt file

}  // namespace

// [SECTION] The shared builder for GPT-2 style files

struct TokenizerLoader {
  struct Entry {
    std::string text;  // byte-level text (or raw content for special tokens)
    int64_t id;
    bool special;
  };
  struct MergeText {
    std::string a, b;
    std::string where;  // "merges.txt:12" or "tokenizer.json: model.merges[11]"
  };

  static Tokenizer build(const std::vector<Entry>& entries, const std::vector<MergeText>& merge_texts,
                         const std::string& vocab_name) {
    Tokenizer t;
    int64_t n = 0;
    for (auto& e : entries) {
      if (e.id < 0 || e.id >= kMaxVocab)
        fail_file(vocab_name, "token " + quote(e.text) + " has id " + std::to_string(e.id) + ", out of range");
      n = std::max(n, e.id + 1);
    }
    if (n > int64_t(entries.size()))
      fail_file(vocab_name, "ids are not contiguous: " + std::to_string(entries.size()) + " tokens but an id of " + std::to_string(n - 1));
    std::vector<const Entry*> by_id(n, nullptr);
    for (auto& e : entries) {
      const Entry*& slot = by_id[e.id];
      if (slot && (slot->text != e.text || slot->special != e.special))
        fail_file(vocab_name, "id " + std::to_string(e.id) + " is given to both " + quote(slot->text) + " and " + quote(e.text));
      slot = &e;
    }
    t.tokens_.assign(n, {});
    t.specials_.clear();
    t.byte_id_.fill(-1);
    std::unordered_map<std::string, int> id_of;  // byte-level text → id (ordinary tokens only)
    std::string bytes, problem;
    for (int64_t id = 0; id < n; ++id) {
      const Entry* e = by_id[id];
      if (!e) fail_file(vocab_name, "ids are not contiguous: no token has id " + std::to_string(id));
      if (e->special) {
        if (e->text.empty() || !utf8_valid(e->text)) fail_file(vocab_name, "special token " + quote(e->text) + " is empty or not UTF-8");
        t.tokens_[id] = e->text;
        t.specials_.push_back({int(id), e->text});
        continue;
      }
      if (!bytelevel_decode(e->text, bytes, problem)) fail_file(vocab_name, "token " + quote(e->text) + " " + problem);
      t.tokens_[id] = bytes;
      id_of[e->text] = int(id);
      if (bytes.size() == 1) t.byte_id_[uint8_t(bytes[0])] = int(id);
    }
    for (auto& m : merge_texts) {
      auto a = id_of.find(m.a), b = id_of.find(m.b);
      if (a == id_of.end()) fail(m.where + ": merge names unknown token " + quote(m.a));
      if (b == id_of.end()) fail(m.where + ": merge names unknown token " + quote(m.b));
      auto c = id_of.find(m.a + m.b);
      if (c == id_of.end()) fail(m.where + ": merge result " + quote(m.a + m.b) + " is not in the vocabulary");
      if (t.rank_.count(Tokenizer::pair_key(a->second, b->second))) fail(m.where + ": duplicate merge " + quote(m.a + " " + m.b));
      t.add_merge(a->second, b->second, c->second);
    }
    t.finish(vocab_name);
    return t;
  }

  // Splits "a b" into two tokens; throws naming `where` when there are not exactly two.
  static MergeText split_merge(std::string_view line, const std::string& where) {
    std::vector<std::string> parts;
    size_t i = 0;
    auto is_sep = [](char c) { return c == ' ' || c == '\t' || c == '\r'; };
    while (i < line.size()) {
      while (i < line.size() && is_sep(line[i])) ++i;
      size_t j = i;
      while (j < line.size() && !is_sep(line[j])) ++j;
      if (j > i) parts.emplace_back(line.substr(i, j - i));
      i = j;
    }
    if (parts.size() != 2)
      fail(where + ": a merge needs two tokens separated by a space, found " + std::to_string(parts.size()) +
           (parts.size() == 1 ? " (" + quote(parts[0]) + ")" : ""));
    return {parts[0], parts[1], where};
  }

  static Tokenizer hf_json(std::string_view text, const std::string& name) {
    const JsonIn j = parse_json(text, name);
    if (!j.has("model") || !j.value("model").is_object()) fail_file(name, "no `model` object (not a Hugging Face tokenizer.json)");
    const JsonIn model = j.object("model");
    if (model.has("type") && model.string("type") != "BPE")
      fail_file(name, "model.type is \"" + model.string("type") + "\"; only BPE is supported");
    if (j.has("normalizer")) fail_file(name, "has a normalizer; only GPT-2 style byte-level BPE is supported");
    if (j.has("pre_tokenizer")) {
      const JsonIn p = j.value("pre_tokenizer");
      if (!p.is_object() || !p.has("type") || !p.value("type").is_string() || p.string("type") != "ByteLevel")
        fail_file(name, "pre_tokenizer is not ByteLevel; only GPT-2 style byte-level BPE is supported");
      if (p.boolean_or("add_prefix_space", false)) fail_file(name, "pre_tokenizer adds a prefix space; not supported");
      if (!p.boolean_or("use_regex", true)) fail_file(name, "pre_tokenizer has use_regex off; not supported");
    }
    std::vector<Entry> entries;
    for (const auto& [k, v] : model.object("vocab").members()) entries.push_back({k, v.as_integer(0, kMaxVocab - 1), false});
    if (j.has("added_tokens")) {
      for (const JsonIn& a : j.array("added_tokens")) {
        const bool special = a.boolean_or("special", false);
        const std::string content = a.string("content");
        const int64_t id = a.integer("id", 0, kMaxVocab - 1);
        bool replaced = false;
        for (auto& e : entries)
          if (e.id == id && e.text == content) e.special = special, replaced = true;
        if (!replaced) {
          if (!special) a.fail_here("is a non-special added token outside the vocabulary (not supported)");
          entries.push_back({content, id, true});
        }
      }
    }
    std::vector<MergeText> merges;
    for (const JsonIn& m : model.array("merges")) {
      const std::string where = name + ": " + m.path();
      if (m.is_string()) {
        merges.push_back(split_merge(m.as_string(), where));
      } else if (m.is_array() && m.size() == 2 && m.at(0).is_string() && m.at(1).is_string()) {
        merges.push_back({m.at(0).as_string(), m.at(1).as_string(), where});
      } else {
        fail(where + ": expected \"a b\" or [\"a\", \"b\"]");
      }
    }
    return build(entries, merges, name);
  }

  static Tokenizer glassbox_json(const JsonIn& j, const std::string& name) {
    if (!j.is_object()) fail_file(name, "tokenizer is not a JSON object");
    auto expect = [&](const char* key, const char* want, const std::string& problem) {
      if (!j.has(key) || j.value(key).raw().dump() != want) fail_file(name, problem + (j.has(key) ? " " + j.value(key).raw().dump() : ""));
    };
    expect("format", "\"glassbox.bpe\"", "not a Glassbox tokenizer (format should be \"glassbox.bpe\"):");
    expect("version", "1", "unsupported tokenizer version");
    expect("pretokenizer", "\"gpt2\"", "unsupported pretokenizer");
    const std::vector<JsonIn> toks = j.array("tokens");
    if (toks.size() < 256 || toks.size() > size_t(kMaxVocab)) fail_file(name, "tokens must be an array of 256 or more strings");
    Tokenizer t;
    t.tokens_.assign(toks.size(), {});
    t.byte_id_.fill(-1);
    std::string bytes, problem;
    for (size_t id = 0; id < toks.size(); ++id) {
      if (!bytelevel_decode(toks[id].as_string(), bytes, problem)) toks[id].fail_here(problem);
      t.tokens_[id] = bytes;
    }
    const int64_t n = int64_t(toks.size());
    std::vector<char> special(toks.size(), 0);
    for (const JsonIn& s : j.has("specials") ? j.array("specials") : std::vector<JsonIn>{}) {
      const std::string content = s.string("content");
      const int64_t id = s.integer("id", 0, n - 1);
      if (special[id]) s.fail_here("lists special token id " + std::to_string(id) + " twice");
      if (t.tokens_[id] != content) s.fail_here("special token " + quote(content) + " does not match tokens[" + std::to_string(id) + "]");
      special[id] = 1;
      t.specials_.push_back({int(id), content});
    }
    std::unordered_set<std::string_view> seen;
    for (size_t id = 0; id < toks.size(); ++id) {
      if (special[id]) continue;
      if (!seen.insert(t.tokens_[id]).second) fail_file(name, "token " + quote(t.tokens_[id]) + " appears twice");
      if (t.tokens_[id].size() == 1) t.byte_id_[uint8_t(t.tokens_[id][0])] = int(id);
    }
    for (const JsonIn& m : j.has("merges") ? j.array("merges") : std::vector<JsonIn>{}) {
      if (!m.is_array() || m.size() != 3) m.fail_here("must be [left, right, merged] ids");
      int64_t ids[3];
      for (size_t k = 0; k < 3; ++k) {
        ids[k] = m.at(k).as_integer(0, n - 1);
        if (special[ids[k]]) m.fail_here("names special token id " + std::to_string(ids[k]) + " (a merge joins ordinary tokens)");
      }
      const int64_t l = ids[0], rr = ids[1], c = ids[2];
      if (t.tokens_[c] != t.tokens_[l] + t.tokens_[rr]) m.fail_here("gives a merged token that is not left + right");
      if (t.rank_.count(Tokenizer::pair_key(int(l), int(rr)))) m.fail_here("is a duplicate merge");
      t.add_merge(int(l), int(rr), int(c));
    }
    t.finish(name);
    return t;
  }
};

// [SECTION] Public loaders

Tokenizer Tokenizer::from_vocab_merges(std::string_view vocab_json, std::string_view merges_txt, const std::string& vocab_name,
                                       const std::string& merges_name) {
  const JsonIn v = parse_json(vocab_json, vocab_name);  // an object mapping tokens to ids
  std::vector<TokenizerLoader::Entry> entries;
  for (const auto& [k, id] : v.members()) entries.push_back({k, id.as_integer(0, kMaxVocab - 1), k == "<|endoftext|>"});
  std::vector<TokenizerLoader::MergeText> merges;
  size_t line_no = 0, pos = 0;
  bool header = false;
  while (pos < merges_txt.size() || !header) {
    size_t end = merges_txt.find('\n', pos);
    if (end == std::string_view::npos) end = merges_txt.size();
    std::string_view line = merges_txt.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    std::string where = merges_name + ":" + std::to_string(line_no);
    if (!header) {
      if (line.rfind("#version: 0.2", 0) != 0)
        fail(where + ": expected the header `#version: 0.2`, found " + quote(line));
      header = true;
      continue;
    }
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;  // blank line
    merges.push_back(TokenizerLoader::split_merge(line, where));
  }
  return TokenizerLoader::build(entries, merges, vocab_name);
}

Tokenizer Tokenizer::from_hf_json(std::string_view tokenizer_json, const std::string& name) {
  return TokenizerLoader::hf_json(tokenizer_json, name);
}

Tokenizer Tokenizer::from_json(const nlohmann::json& j, const std::string& name) {
  return TokenizerLoader::glassbox_json(JsonIn::wrap(j, name, ""), name);
}

nlohmann::json Tokenizer::to_json() const {
  json toks = json::array();
  for (auto& t : tokens_) toks.push_back(bytelevel_encode(t));
  json merges = json::array();
  for (auto& m : merges_) merges.push_back({m.left, m.right, m.merged});
  json specials = json::array();
  for (auto& s : specials_) specials.push_back({{"id", s.id}, {"content", s.content}});
  return {{"format", "glassbox.bpe"}, {"version", 1}, {"pretokenizer", "gpt2"},
          {"tokens", std::move(toks)}, {"merges", std::move(merges)}, {"specials", std::move(specials)}};
}

Tokenizer Tokenizer::load_gpt2(const std::string& folder) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(folder, ec)) fail_file(folder, "no such folder");
  auto in = [&](const char* f) { return (fs::path(folder) / f).string(); };
  for (auto [v, m] : {std::pair{"vocab.json", "merges.txt"}, std::pair{"encoder.json", "vocab.bpe"}}) {
    if (!file_exists(in(v)) && !file_exists(in(m))) continue;
    if (!file_exists(in(m))) fail_file(in(m), std::string("missing (needed with ") + v + ")");
    if (!file_exists(in(v))) fail_file(in(v), std::string("missing (needed with ") + m + ")");
    return from_vocab_merges(read_file(in(v)), read_file(in(m)), in(v), in(m));
  }
  if (file_exists(in("tokenizer.json"))) return from_hf_json(read_file(in("tokenizer.json")), in("tokenizer.json"));
  fail_file(folder, "no GPT-2 tokenizer files (vocab.json + merges.txt, encoder.json + vocab.bpe, or tokenizer.json)");
}

Tokenizer Tokenizer::load(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::is_directory(path, ec)) return load_gpt2(path);
  auto ends_with = [&](const char* suffix) {
    std::string s = suffix;
    return path.size() >= s.size() && path.compare(path.size() - s.size(), s.size(), s) == 0;
  };
  if (ends_with(".safetensors")) {
    SafeTensors st = read_safetensors(path);
    auto it = st.metadata.find("glassbox.tokenizer");
    if (it == st.metadata.end()) fail_file(path, "no tokenizer in the checkpoint (metadata key glassbox.tokenizer)");
    return TokenizerLoader::glassbox_json(parse_json(it->second, path, "glassbox.tokenizer"), path);
  }
  if (ends_with(".json")) {
    std::string text = read_file(path);
    const JsonIn j = parse_json(text, path);
    if (j.has("model")) return from_hf_json(text, path);
    return TokenizerLoader::glassbox_json(j, path);
  }
  if (!file_exists(path)) fail_file(path, "no such file or folder");
  fail_file(path, "not a tokenizer (expected a folder with GPT-2 files, a .json or a .safetensors checkpoint)");
}

}  // namespace gb
