// Reports on a trained story GPT: sampled stories and the pronoun → antecedent attention per head.
#include "models/transformer/train_report.hpp"

#include <algorithm>
#include <map>

#include "core/error.hpp"
#include "models/data/corpus.hpp"
#include "models/transformer/gpt_backward.hpp"
#include "models/transformer/sampler.hpp"

namespace gb {

std::string model_story(const Gpt& m, const Tokenizer& tok, float temperature, Rng& rng, int max_tokens) {
  const int eot = tok.special_id(kStorySeparator);
  KvCache cache;
  std::vector<float> logits;
  int32_t next = eot >= 0 ? eot : 0;
  SamplerSettings s;
  s.greedy = temperature <= 0;
  if (!s.greedy) s.temperature = temperature;  // checked by the sampler (kTemperatureRange)
  std::vector<int> out;
  for (int i = 0; i < max_tokens && cache.length < m.config.block_size; ++i) {
    gpt_decode(m, cache, &next, 1, logits);
    next = sample_token(logits.data(), m.config.vocab_size, s, rng);
    if (next == eot) break;
    out.push_back(next);
  }
  return tok.decode(out);
}

PronounAttention pronoun_attention(const Gpt& m, const Tokenizer& tok, int n_stories, uint64_t seed, int query_offset) {
  const GptConfig& c = m.config;
  const int L = c.n_layer, H = c.n_head;
  std::map<std::string, bool> names;  // name → female
  for (auto& n : story_names()) names[n.name] = n.female;
  const std::map<std::string, bool> pronouns = {{"he", false}, {"He", false}, {"him", false}, {"his", false}, {"His", false},
                                                {"she", true}, {"She", true}, {"her", true},  {"Her", true}};
  auto word = [&](int id) {
    std::string w = tok.token_bytes(id);
    if (!w.empty() && w[0] == ' ') w.erase(0, 1);
    return w;
  };
  PronounAttention r;
  r.heads.resize(size_t(L) * H);
  for (int l = 0; l < L; ++l)
    for (int h = 0; h < H; ++h) {
      r.heads[size_t(l * H + h)].layer = l;
      r.heads[size_t(l * H + h)].head = h;
    }
  GptParamIdx ix = gpt_param_index(c, m.params);
  GptActs acts;
  const int eot = tok.special_id(kStorySeparator);
  for (int s = 0; s < n_stories; ++s) {
    std::vector<int32_t> ids;
    if (eot >= 0) ids.push_back(eot);
    for (int id : tok.encode(generate_story(0x5EED0000ull + uint64_t(seed) * 100003ull + uint64_t(s)), false)) ids.push_back(id);
    if (int(ids.size()) > c.block_size) ids.resize(size_t(c.block_size));
    const int T = int(ids.size());
    std::vector<int32_t> dummy(size_t(T), 0);
    gpt_train_forward(c, ix, m.params, ids.data(), dummy.data(), 1, T, acts);
    ++r.stories;
    std::vector<std::pair<int, std::string>> seen;  // (position, name) of names so far
    for (int i = 0; i < T; ++i) {
      const std::string w = word(ids[size_t(i)]);
      if (names.count(w)) {
        seen.push_back({i, w});
        continue;
      }
      auto pit = pronouns.find(w);
      if (pit == pronouns.end()) continue;
      const bool female = pit->second;
      std::string antecedent;
      int matching = 0;
      bool distractor = false;
      std::vector<std::string> distinct;
      for (auto& [pos, n] : seen)
        if (std::find(distinct.begin(), distinct.end(), n) == distinct.end()) distinct.push_back(n);
      for (auto& n : distinct) {
        if (names[n] == female) {
          ++matching;
          antecedent = n;
        } else {
          distractor = true;
        }
      }
      if (matching != 1 || !distractor) continue;
      const int q = i + query_offset;  // the query position whose attention is measured
      if (q < 0 || q >= T) continue;
      ++r.pronouns;
      for (int l = 0; l < L; ++l)
        for (int h = 0; h < H; ++h) {
          const float* row = acts.att[size_t(l)].data() + (size_t(h) * T + size_t(q)) * T;  // (T) weights of query q
          double a = 0, o = 0;
          for (auto& [pos, n] : seen)
            if (pos <= q) (n == antecedent ? a : o) += row[pos];
          r.heads[size_t(l * H + h)].to_antecedent += a;
          r.heads[size_t(l * H + h)].to_other += o;
        }
    }
  }
  for (auto& h : r.heads) {
    h.to_antecedent /= std::max(1, r.pronouns);
    h.to_other /= std::max(1, r.pronouns);
    if (h.to_antecedent > r.best.to_antecedent) r.best = h;
  }
  return r;
}

}  // namespace gb
