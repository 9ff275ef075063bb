// Shared test fixture: tiny models built in memory (no files), so each test says only what differs.
//
//   GptConfig c = gb::test::tiny_gpt_config(/*vocab*/ 23, /*context*/ 16, /*layers*/ 2);
//   std::shared_ptr<Gpt> m = gb::test::tiny_gpt(c, /*seed*/ 3, /*jitter*/ 0.2f, /*jitter seed*/ 5);
#pragma once
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/rng.hpp"
#include "models/transformer/checkpoint.hpp"
#include "models/transformer/gpt.hpp"

namespace gb::test {

// Largest |a[i] − b[i]| over b's length, and largest |b[i]|: the comparisons against PyTorch references.
inline double max_abs_diff(const float* a, const std::vector<float>& b) {
  double m = 0;
  for (size_t i = 0; i < b.size(); ++i) m = std::max(m, double(std::abs(a[i] - b[i])));
  return m;
}
inline double max_abs(const std::vector<float>& b) {
  double m = 0;
  for (float x : b) m = std::max(m, double(std::abs(x)));
  return m;
}

// A GPT-2-shaped config: `layers` blocks of `heads` heads, `width` wide.
inline GptConfig tiny_gpt_config(int vocab, int context, int layers = 1, int heads = 2, int width = 16) {
  GptConfig c;
  c.n_layer = layers;
  c.n_head = heads;
  c.n_embd = width;
  c.block_size = context;
  c.vocab_size = vocab;
  return c;
}

// Gpt::init_random(seed); with jitter > 0, every weight then gets jitter · N(0, 1) more from
// Rng(jitter_seed) (sharper, more varied distributions than GPT-2's small initialisation).
inline std::shared_ptr<Gpt> tiny_gpt(const GptConfig& c, uint64_t seed, float jitter = 0, uint64_t jitter_seed = 8) {
  auto m = std::make_shared<Gpt>(c);
  m->init_random(seed);
  if (jitter > 0) {
    Rng rng(jitter_seed);
    for (auto& x : m->params.data) x += jitter * rng.normal_f();
  }
  m->threads = 1;
  return m;
}

// Saves `m` as a Glassbox checkpoint (F32) with a tokenizer's JSON (may be empty); returns path.
inline std::string save_tiny_gpt(const Gpt& m, const std::string& path, const std::string& tokenizer_json = "") {
  save_gpt_checkpoint(path, m, tokenizer_json);
  return path;
}

}  // namespace gb::test
