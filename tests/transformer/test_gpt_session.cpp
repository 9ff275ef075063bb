// GptSession: stepping, exact undo (sequence, cache, Rng), sliding context window, traces with strings.
#include <doctest/doctest.h>

#include <cmath>
#include <memory>
#include <vector>

#include "core/error.hpp"
#include "models/transformer/gpt_session.hpp"
#include "models/transformer/tokenizer.hpp"

using namespace gb;

namespace {
std::shared_ptr<const Gpt> model(int vocab, int block) {
  GptConfig c;
  c.n_layer = 2;
  c.n_head = 2;
  c.n_embd = 16;
  c.block_size = block;
  c.vocab_size = vocab;
  auto m = std::make_shared<Gpt>(c);
  m->init_random(4);
  Rng rng(8);
  for (auto& x : m->params.data) x += 0.25f * rng.normal_f();
  return m;
}
double max_diff(const std::vector<float>& a, const std::vector<float>& b) {
  double d = 0;
  for (size_t i = 0; i < a.size(); ++i) d = std::max(d, double(std::abs(a[i] - b[i])));
  return d;
}
// The next-token logits of the window computed from scratch by the traced pass.
std::vector<float> fresh_logits(const GptSession& s) {
  Trace t = s.trace({});
  const int V = s.model().config.vocab_size;
  const float* last = t.logits.data() + size_t(t.logits.rows() - 1) * V;
  return std::vector<float>(last, last + V);
}
}  // namespace

TEST_CASE("session: steps, undo restores sequence, logits and Rng exactly; redo gives the same tokens") {
  GptSession s(model(300, 32), std::make_shared<Tokenizer>(), 77);  // byte tokenizer: ids 0–255
  s.set_prompt("Hi!");
  CHECK(s.ids() == std::vector<int32_t>{'H', 'i', '!'});
  const std::vector<float> start = s.logits();
  const Rng rng0 = s.rng;
  s.settings.temperature = 1.2f;
  std::vector<int32_t> first;
  for (int i = 0; i < 6; ++i) first.push_back(s.step().token);
  CHECK(s.ids().size() == 9);
  CHECK(s.history().size() == 6);
  CHECK(s.last_step() != nullptr);
  CHECK(max_diff(s.logits(), fresh_logits(s)) < 1e-4);
  for (int i = 0; i < 6; ++i) CHECK(s.back());
  CHECK_FALSE(s.back());  // the prompt stays
  CHECK(s.ids().size() == 3);
  CHECK(s.rng.s == rng0.s);
  CHECK(max_diff(s.logits(), start) < 1e-4);  // prefill (GEMM) vs re-decode (GEMV): float rounding only
  std::vector<int32_t> again;
  for (int i = 0; i < 6; ++i) again.push_back(s.step().token);
  CHECK(again == first);
  // A forced token is undoable too and leaves the Rng alone.
  const Rng before = s.rng;
  s.push(65);
  CHECK(s.ids().back() == 65);
  CHECK(s.rng.s == before.s);
  CHECK(s.back());
  CHECK(s.ids().size() == 9);
  // Trace carries token strings.
  Trace t = s.trace({});
  CHECK(t.tokens.size() == 9);
  CHECK(t.tokens[0] == "H");
  CHECK(s.text().substr(0, 3) == "Hi!");
  CHECK_THROWS_AS(s.push(300), Error);
}

TEST_CASE("session: the context window slides when full and undo slides it back") {
  GptSession s(model(23, 8), nullptr, 5);
  s.set_ids({1, 2, 3, 4, 5});
  CHECK_THROWS_AS(s.set_prompt("text"), Error);  // no tokenizer
  CHECK(s.token_string(7) == "<7>");
  std::vector<std::vector<float>> logits_at;
  logits_at.push_back(s.logits());
  for (int i = 0; i < 12; ++i) {
    s.step();
    logits_at.push_back(s.logits());
    CHECK(int(s.ids().size()) - s.window_start() <= 8);
    CHECK(max_diff(s.logits(), fresh_logits(s)) < 1e-4);
  }
  CHECK(s.window_start() > 0);
  for (int i = 12; i > 0; --i) {
    REQUIRE(s.back());
    CHECK(max_diff(s.logits(), logits_at[size_t(i - 1)]) < 1e-4);
  }
  CHECK(s.window_start() == 0);
  CHECK(s.ids().size() == 5);
}
