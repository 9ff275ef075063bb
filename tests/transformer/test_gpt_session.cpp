// GptSession: stepping, exact undo (sequence, cache, Rng), sliding context window, traces with strings.
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <memory>
#include <vector>

#include "core/error.hpp"
#include "core/files.hpp"
#include "core/safetensors.hpp"
#include "common/tiny_models.hpp"
#include "models/transformer/gpt_session.hpp"
#include "models/transformer/tokenizer.hpp"

using namespace gb;

namespace {
std::shared_ptr<const Gpt> model(int vocab, int block) {
  return test::tiny_gpt(test::tiny_gpt_config(vocab, block, 2), 4, 0.25f, 8);
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
  // The one context-window rule: a step into a full window leaves kept_after_slide(8) = 4 in view.
  CHECK(GptSession::kept_after_slide(8) == 4);
  CHECK(GptSession::kept_after_slide(1) == 1);
  {
    GptSession r(model(23, 8), nullptr, 5);
    r.set_ids({1, 2, 3, 4, 5, 6, 7, 8});  // exactly full
    CHECK(r.window_start() == 0);
    const GenStep& g = r.step();
    CHECK(g.window_start_before == 0);
    CHECK(r.window_start() == 5);  // 9 ids, the newest 4 in view
    CHECK(r.window_length() == 4);
    CHECK(r.cache().length == 4);
    r.set_ids({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11});  // a prompt longer than the context keeps its last 8
    CHECK(r.window_start() == 3);
    CHECK(r.prompt_length() == 11);
    // Without kept traces, undo re-decodes the logits instead of restoring them.
    r.keep_traces = false;
    const std::vector<float> before = r.logits();
    r.step();
    r.step();
    CHECK(r.history().front().sample.logits.empty());
    CHECK(r.back());
    CHECK(r.back());
    CHECK(max_diff(r.logits(), before) < 1e-4);
    CHECK(r.window_start() == 3);
    // … and across slides whose cache copies were dropped.
    for (int i = 0; i < 7; ++i) r.step();
    CHECK(r.history().front().cache_before == nullptr);
    for (int i = 0; i < 7; ++i) CHECK(r.back());
    CHECK(max_diff(r.logits(), before) < 1e-4);
    CHECK(r.window_start() == 3);
    CHECK(r.cache().length == 8);
  }
  for (int i = 12; i > 0; --i) {
    REQUIRE(s.back());
    CHECK(max_diff(s.logits(), logits_at[size_t(i - 1)]) < 1e-4);
  }
  CHECK(s.window_start() == 0);
  CHECK(s.ids().size() == 5);
}

TEST_CASE("session from a Hugging Face folder picks up the GPT-2 tokenizer files beside the weights") {
  const std::string gpt2 = assets_dir() + "/gpt2";
  if (!file_exists(gpt2 + "/encoder.json") || !file_exists(gpt2 + "/vocab.bpe")) {
    MESSAGE("skipped: no GPT-2 tokenizer files in " << gpt2 << " (glassbox.sh fetches them)");
    return;
  }
  namespace fs = std::filesystem;
  const std::string dir = (fs::temp_directory_path() / "gb_h3_hf_tok").string();
  fs::remove_all(dir);
  fs::create_directories(dir);
  fs::copy_file(gpt2 + "/encoder.json", dir + "/encoder.json");
  fs::copy_file(gpt2 + "/vocab.bpe", dir + "/vocab.bpe");
  // A narrow model with GPT-2's vocabulary, saved in HF layout (no prefix, Conv1D transposed).
  GptConfig c;
  c.n_layer = 1;
  c.n_head = 2;
  c.n_embd = 8;
  c.block_size = 16;
  c.vocab_size = 50257;
  Gpt m(c);
  m.init_random(2);
  SafeTensors st;
  for (auto& v : m.params.views()) {
    std::vector<int64_t> shape(v.shape.begin(), v.shape.end());
    const float* src = m.params.data.data() + v.offset;
    std::vector<float> buf(src, src + v.size);
    if (shape.size() == 2 && v.name.rfind("h.", 0) == 0) {
      MatMap(buf.data(), shape[1], shape[0]) = CMatMap(src, shape[0], shape[1]).transpose();
      std::swap(shape[0], shape[1]);
    }
    st.add(v.name, shape, buf.data(), DType::F16);
  }
  write_safetensors(dir + "/model.safetensors", st);
  write_file_atomic(dir + "/config.json",
                    R"({"model_type":"gpt2","n_layer":1,"n_head":2,"n_embd":8,"n_positions":16,"vocab_size":50257})");
  GptSession s = GptSession::load(dir);
  REQUIRE(s.tokenizer() != nullptr);
  s.set_prompt("Hello world");
  CHECK(s.ids() == std::vector<int32_t>{15496, 995});
  CHECK(s.token_string(995) == " world");
  s.settings.greedy = true;
  s.step();
  CHECK(s.ids().size() == 3);
  fs::remove_all(dir);
}
