// Byte-level BPE: GPT-2 pre-tokenisation, encoding with a rank map and a per-word cache, decoding,
// the step-by-step merge trace and training. File loaders live in tokenizer_load.cpp.
#include "models/transformer/tokenizer.hpp"

#include <algorithm>
#include <cstdio>
#include <mutex>
#include <queue>

#include "core/error.hpp"
#include "core/utf8.hpp"
#include "models/transformer/tokenizer_unicode.hpp"

namespace gb {

// [SECTION] Pre-tokenisation (GPT-2's regex, by hand)

namespace {

enum class CharClass : uint8_t { other, letter, number, space };

struct Char {
  CharClass cls;
  char32_t cp;  // 0xFFFFFFFF for a byte that is not valid UTF-8
  size_t len;   // bytes
};

Char char_at(std::string_view s, size_t pos) {
  char32_t cp = 0;
  size_t n = utf8_decode(s, pos, cp);
  if (n == 0) return {CharClass::other, 0xFFFFFFFFu, 1};
  CharClass c = unicode::is_letter(cp)   ? CharClass::letter
                : unicode::is_number(cp) ? CharClass::number
                : unicode::is_space(cp)  ? CharClass::space
                                         : CharClass::other;
  return {c, cp, n};
}

// Length of the contraction ('s 't 're 've 'm 'll 'd) starting at pos, or 0.
size_t contraction_at(std::string_view s, size_t pos) {
  if (pos + 1 >= s.size() || s[pos] != '\'') return 0;
  char a = s[pos + 1];
  if (a == 's' || a == 't' || a == 'm' || a == 'd') return 2;
  if (pos + 2 < s.size()) {
    char b = s[pos + 2];
    if ((a == 'r' && b == 'e') || (a == 'v' && b == 'e') || (a == 'l' && b == 'l')) return 3;
  }
  return 0;
}

}  // namespace

std::vector<std::pair<size_t, size_t>> pretokenize_gpt2(std::string_view s) {
  std::vector<std::pair<size_t, size_t>> out;
  const size_t n = s.size();
  size_t p = 0;
  while (p < n) {
    // 's|'t|'re|'ve|'m|'ll|'d
    if (size_t k = contraction_at(s, p)) {
      out.push_back({p, p + k});
      p += k;
      continue;
    }
    Char c = char_at(s, p);
    // ` ?\p{L}+`, ` ?\p{N}+`, ` ?[^\s\p{L}\p{N}]+`: an optional space then a run of one class.
    size_t start = p;
    CharClass run = c.cls;
    if (c.cp == ' ' && p + 1 < n) {
      Char next = char_at(s, p + 1);
      if (next.cls != CharClass::space) start = p + 1, run = next.cls;
    }
    if (run != CharClass::space) {
      size_t q = start;
      while (q < n) {
        Char d = char_at(s, q);
        if (d.cls != run) break;
        q += d.len;
      }
      out.push_back({p, q});
      p = q;
      continue;
    }
    // `\s+(?!\S)` then `\s+`: a whitespace run; when a non-space follows, its last character is
    // left for the next piece (so " word" keeps its space), unless the run is one character.
    size_t q = p, last = p;
    while (q < n) {
      Char d = char_at(s, q);
      if (d.cls != CharClass::space) break;
      last = q;
      q += d.len;
    }
    if (q < n && last > p) q = last;
    out.push_back({p, q});
    p = q;
  }
  return out;
}

// [SECTION] Construction, copying, the word cache

struct Tokenizer::Cache {
  std::mutex mutex;
  std::unordered_map<std::string, std::vector<int>> words;
};
static constexpr size_t kCacheMaxWords = 200000;  // cleared when it grows past this

Tokenizer::Tokenizer() : cache_(std::make_unique<Cache>()) {
  for (int b = 0; b < 256; ++b) {
    tokens_.push_back(std::string(1, char(b)));
    byte_id_[b] = b;
  }
  special_flag_.assign(256, 0);
}
Tokenizer::Tokenizer(const Tokenizer& o)
    : tokens_(o.tokens_), byte_id_(o.byte_id_), merges_(o.merges_), rank_(o.rank_), specials_(o.specials_),
      special_flag_(o.special_flag_), cache_(std::make_unique<Cache>()) {}
Tokenizer& Tokenizer::operator=(const Tokenizer& o) {
  if (this != &o) *this = Tokenizer(o);
  return *this;
}
Tokenizer::Tokenizer(Tokenizer&&) noexcept = default;
Tokenizer& Tokenizer::operator=(Tokenizer&&) noexcept = default;
Tokenizer::~Tokenizer() = default;

void Tokenizer::add_merge(int left, int right, int merged) {
  rank_[pair_key(left, right)] = int(merges_.size());
  merges_.push_back({left, right, merged});
}

void Tokenizer::finish(const std::string& name) {
  special_flag_.assign(tokens_.size(), 0);
  for (auto& s : specials_) {
    if (s.id < 0 || s.id >= int(tokens_.size())) fail_file(name, "special token id " + std::to_string(s.id) + " out of range");
    if (s.content.empty()) fail_file(name, "empty special token");
    special_flag_[s.id] = 1;
  }
  for (int b = 0; b < 256; ++b) {
    int id = byte_id_[b];
    if (id < 0 || id >= int(tokens_.size()) || special_flag_[id] || tokens_[id] != std::string(1, char(b))) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "%02X", b);
      fail_file(name, std::string("no token for byte 0x") + hex + " (not a byte-level vocabulary)");
    }
  }
  cache_ = std::make_unique<Cache>();
}

const std::string& Tokenizer::token_bytes(int id) const {
  if (id < 0 || id >= int(tokens_.size()))
    fail("token id " + std::to_string(id) + " is out of range (vocabulary has " + std::to_string(tokens_.size()) + ")");
  return tokens_[id];
}

int Tokenizer::special_id(std::string_view content) const {
  for (auto& s : specials_)
    if (s.content == content) return s.id;
  return -1;
}

bool Tokenizer::is_special(int id) const { return id >= 0 && id < int(special_flag_.size()) && special_flag_[id]; }

// [SECTION] Encoding

// BPE on one piece: repeatedly merge the lowest-ranked adjacent pair, leftmost first. A min-heap of
// (rank, position) over a linked list keeps long pieces O(n log n); stale heap entries are skipped.
std::vector<int> Tokenizer::bpe(std::string_view piece) const {
  const int n = int(piece.size());
  std::vector<int> ids(n);
  for (int i = 0; i < n; ++i) ids[i] = byte_id_[uint8_t(piece[i])];
  if (n < 2 || merges_.empty()) return ids;
  std::vector<int> next(n), prev(n);
  for (int i = 0; i < n; ++i) next[i] = i + 1 < n ? i + 1 : -1, prev[i] = i - 1;
  std::vector<char> alive(n, 1);
  using Entry = std::pair<int, int>;  // (rank, position)
  std::priority_queue<Entry, std::vector<Entry>, std::greater<Entry>> heap;
  auto rank_of = [&](int i) -> int {
    if (i < 0 || next[i] < 0) return -1;
    auto it = rank_.find(pair_key(ids[i], ids[next[i]]));
    return it == rank_.end() ? -1 : it->second;
  };
  auto push = [&](int i) {
    if (int r = rank_of(i); r >= 0) heap.push({r, i});
  };
  for (int i = 0; i + 1 < n; ++i) push(i);
  while (!heap.empty()) {
    auto [r, i] = heap.top();
    heap.pop();
    if (!alive[i] || rank_of(i) != r) continue;  // stale
    int j = next[i];
    ids[i] = merges_[r].merged;
    alive[j] = 0;
    next[i] = next[j];
    if (next[j] >= 0) prev[next[j]] = i;
    push(prev[i]);
    push(i);
  }
  std::vector<int> out;
  for (int i = 0; i >= 0; i = next[i]) out.push_back(ids[i]);
  return out;
}

void Tokenizer::encode_piece(std::string_view piece, std::vector<int>& out) const {
  if (piece.size() == 1) {
    out.push_back(byte_id_[uint8_t(piece[0])]);
    return;
  }
  {
    std::lock_guard lock(cache_->mutex);
    auto it = cache_->words.find(std::string(piece));
    if (it != cache_->words.end()) {
      out.insert(out.end(), it->second.begin(), it->second.end());
      return;
    }
  }
  std::vector<int> ids = bpe(piece);
  out.insert(out.end(), ids.begin(), ids.end());
  std::lock_guard lock(cache_->mutex);
  if (cache_->words.size() >= kCacheMaxWords) cache_->words.clear();
  cache_->words.emplace(std::string(piece), std::move(ids));
}

std::vector<std::tuple<size_t, size_t, int>> Tokenizer::split_specials(std::string_view text, bool allow_special) const {
  std::vector<std::tuple<size_t, size_t, int>> out;
  if (!allow_special || specials_.empty()) {
    if (!text.empty()) out.push_back({0, text.size(), -1});
    return out;
  }
  // Next occurrence of each special at or after `pos` (recomputed only when passed).
  std::vector<size_t> next_at(specials_.size(), 0);
  std::vector<char> known(specials_.size(), 0);
  size_t pos = 0;
  while (pos < text.size()) {
    size_t best = std::string_view::npos;
    int best_k = -1;
    for (size_t k = 0; k < specials_.size(); ++k) {
      if (!known[k] || (next_at[k] != std::string_view::npos && next_at[k] < pos)) {
        next_at[k] = text.find(specials_[k].content, pos);
        known[k] = 1;
      }
      size_t at = next_at[k];
      if (at == std::string_view::npos) continue;
      // earliest wins; at the same place the longest
      if (at < best || (at == best && specials_[k].content.size() > specials_[best_k].content.size()))
        best = at, best_k = int(k);
    }
    if (best_k < 0) {
      out.push_back({pos, text.size(), -1});
      break;
    }
    if (best > pos) out.push_back({pos, best, -1});
    size_t end = best + specials_[best_k].content.size();
    out.push_back({best, end, specials_[best_k].id});
    pos = end;
  }
  return out;
}

std::vector<int> Tokenizer::encode(std::string_view text, bool allow_special) const {
  std::vector<int> out;
  out.reserve(text.size() / 3 + 1);
  for (auto [b, e, special] : split_specials(text, allow_special)) {
    if (special >= 0) {
      out.push_back(special);
      continue;
    }
    std::string_view seg = text.substr(b, e - b);
    for (auto [pb, pe] : pretokenize_gpt2(seg)) encode_piece(seg.substr(pb, pe - pb), out);
  }
  return out;
}

std::string Tokenizer::decode(const std::vector<int>& ids) const {
  std::string out;
  for (int id : ids) out += token_bytes(id);
  return out;
}

BpeTrace Tokenizer::encode_with_steps(std::string_view text, bool allow_special) const {
  BpeTrace trace;
  std::vector<std::vector<int>> words;  // token ids per piece
  std::vector<char> fixed;              // piece is a special token
  for (auto [b, e, special] : split_specials(text, allow_special)) {
    if (special >= 0) {
      trace.pieces.push_back({b, e});
      words.push_back({special});
      fixed.push_back(1);
      continue;
    }
    for (auto [pb, pe] : pretokenize_gpt2(text.substr(b, e - b))) {
      trace.pieces.push_back({b + pb, b + pe});
      std::vector<int> w;
      for (size_t k = b + pb; k < b + pe; ++k) w.push_back(byte_id_[uint8_t(text[k])]);
      words.push_back(std::move(w));
      fixed.push_back(0);
    }
  }
  auto flatten = [&] {
    std::vector<int> all;
    for (auto& w : words) all.insert(all.end(), w.begin(), w.end());
    return all;
  };
  trace.initial = flatten();
  for (;;) {
    int best = -1;
    for (size_t w = 0; w < words.size(); ++w) {
      if (fixed[w]) continue;
      for (size_t i = 0; i + 1 < words[w].size(); ++i) {
        auto it = rank_.find(pair_key(words[w][i], words[w][i + 1]));
        if (it != rank_.end() && (best < 0 || it->second < best)) best = it->second;
      }
    }
    if (best < 0) break;
    const Merge& m = merges_[best];
    BpeMergeStep step{best, m.left, m.right, m.merged, 0, {}};
    for (size_t w = 0; w < words.size(); ++w) {
      if (fixed[w]) continue;
      std::vector<int>& ids = words[w];
      std::vector<int> merged;
      for (size_t i = 0; i < ids.size();) {
        if (i + 1 < ids.size() && ids[i] == m.left && ids[i + 1] == m.right) {
          merged.push_back(m.merged);
          ++step.count;
          i += 2;
        } else {
          merged.push_back(ids[i++]);
        }
      }
      ids = std::move(merged);
    }
    step.ids = flatten();
    trace.steps.push_back(std::move(step));
  }
  return trace;
}

// [SECTION] Training

Tokenizer Tokenizer::train(std::string_view text, int vocab_size, const std::vector<std::string>& specials) {
  Tokenizer t;
  const int min_size = 256 + int(specials.size());
  if (vocab_size < min_size)
    fail("tokenizer training: vocabulary size " + std::to_string(vocab_size) + " is below " + std::to_string(min_size) +
         " (256 bytes + " + std::to_string(specials.size()) + " special tokens)");
  for (auto& s : specials) {
    if (s.empty() || !utf8_valid(s)) fail("tokenizer training: special tokens must be non-empty UTF-8 text");
    t.specials_.push_back({0, s});  // ids assigned at the end
  }
  const int target_merges = vocab_size - min_size;

  // Unique pre-tokenised words with their frequencies (special tokens cut out first).
  std::unordered_map<std::string_view, int64_t> counts;
  for (auto [b, e, special] : t.split_specials(text, true)) {
    if (special != -1 || e <= b) continue;
    std::string_view seg = text.substr(b, e - b);
    for (auto [pb, pe] : pretokenize_gpt2(seg))
      if (pe - pb >= 2) ++counts[seg.substr(pb, pe - pb)];
  }
  // Sort words so the result does not depend on hash-map order.
  std::vector<std::pair<std::string_view, int64_t>> sorted(counts.begin(), counts.end());
  std::sort(sorted.begin(), sorted.end());
  std::vector<std::vector<int>> words;
  std::vector<int64_t> freq;
  for (auto& [w, f] : sorted) {
    std::vector<int> ids;
    for (char ch : w) ids.push_back(uint8_t(ch));
    words.push_back(std::move(ids));
    freq.push_back(f);
  }

  std::unordered_map<uint64_t, int64_t> pair_count;
  std::unordered_map<uint64_t, std::vector<int>> pair_words;  // words that contained the pair (may be stale)
  for (size_t w = 0; w < words.size(); ++w)
    for (size_t i = 0; i + 1 < words[w].size(); ++i) {
      uint64_t k = pair_key(words[w][i], words[w][i + 1]);
      pair_count[k] += freq[w];
      auto& list = pair_words[k];
      if (list.empty() || list.back() != int(w)) list.push_back(int(w));
    }
  // Max-heap on count; ties go to the smaller (left, right) so training is deterministic.
  struct Entry {
    int64_t count;
    uint64_t key;
    bool operator<(const Entry& o) const { return count != o.count ? count < o.count : key > o.key; }
  };
  std::priority_queue<Entry> heap;
  for (auto& [k, c] : pair_count) heap.push({c, k});

  std::vector<int> visited(words.size(), -1);  // last merge that touched each word
  std::vector<uint64_t> changed;
  while (int(t.merges_.size()) < target_merges && !heap.empty()) {
    Entry top = heap.top();
    heap.pop();
    auto cit = pair_count.find(top.key);
    if (cit == pair_count.end() || cit->second != top.count) continue;  // stale
    if (top.count < 2) break;
    const int left = int(top.key >> 32), right = int(top.key & 0xFFFFFFFFu);
    const int merged = int(t.tokens_.size());
    t.tokens_.push_back(t.tokens_[left] + t.tokens_[right]);
    t.add_merge(left, right, merged);
    const int stamp = int(t.merges_.size());
    changed.clear();
    std::vector<int> touched = std::move(pair_words[top.key]);
    pair_words.erase(top.key);
    for (int w : touched) {
      if (visited[w] == stamp) continue;
      visited[w] = stamp;
      std::vector<int>& ids = words[w];
      bool has = false;
      for (size_t i = 0; i + 1 < ids.size() && !has; ++i) has = ids[i] == left && ids[i + 1] == right;
      if (!has) continue;
      for (size_t i = 0; i + 1 < ids.size(); ++i) {
        uint64_t k = pair_key(ids[i], ids[i + 1]);
        pair_count[k] -= freq[w];
        changed.push_back(k);
      }
      std::vector<int> out;
      for (size_t i = 0; i < ids.size();) {
        if (i + 1 < ids.size() && ids[i] == left && ids[i + 1] == right) {
          out.push_back(merged);
          i += 2;
        } else {
          out.push_back(ids[i++]);
        }
      }
      ids = std::move(out);
      for (size_t i = 0; i + 1 < ids.size(); ++i) {
        uint64_t k = pair_key(ids[i], ids[i + 1]);
        pair_count[k] += freq[w];
        changed.push_back(k);
        if (ids[i] == merged || ids[i + 1] == merged) {
          auto& list = pair_words[k];
          if (list.empty() || list.back() != w) list.push_back(w);
        }
      }
    }
    std::sort(changed.begin(), changed.end());
    changed.erase(std::unique(changed.begin(), changed.end()), changed.end());
    for (uint64_t k : changed) {
      auto it = pair_count.find(k);
      if (it->second > 0) {
        heap.push({it->second, k});
      } else {
        pair_count.erase(it);
      }
    }
  }
  for (auto& s : t.specials_) {
    s.id = int(t.tokens_.size());
    t.tokens_.push_back(s.content);
  }
  t.finish("tokenizer training");
  return t;
}

}  // namespace gb
