// TransformerLab driven through commands without a window: Step/Back restore identical state, branching,
// seeded replay, the sliding context window, rejected values, and valid panel data for
// awkward prompts (empty, one token, longer than the context, binary garbage). Uses the tiny random model.
#include <doctest/doctest.h>

#include <chrono>
#include <cmath>
#include <string>
#include <thread>
#include <vector>

#include "lab/session.hpp"
#include "lab/transformer_lab.hpp"
#include "models/transformer/train.hpp"

namespace {

using gb::TransformerLab;

gb::CommandResult run(TransformerLab& lab, const std::string& line) { return lab.handle(gb::parse_command(line)); }

void ok(TransformerLab& lab, const std::string& line) {
  gb::CommandResult r = run(lab, line);
  INFO(line << " → " << r.message);
  REQUIRE(r.ok);
}

// Everything Back must restore, captured as plain data.
struct Snapshot {
  std::vector<int32_t> ids;
  int window_start = 0;
  int cache_len = 0;
  std::vector<std::vector<float>> k, v;
  std::array<uint64_t, 4> rng{};
  std::vector<float> next_logits;
  double next_random = 0;
  int32_t next_token = 0;
  std::vector<float> trace_logits;
  size_t steps = 0;
};

Snapshot capture(const TransformerLab& lab) {
  Snapshot s;
  s.ids = lab.all_ids();
  s.window_start = lab.window_start();
  s.cache_len = lab.kv_cache().length;
  s.k = lab.kv_cache().k;
  s.v = lab.kv_cache().v;
  s.rng = lab.rng().s;
  if (auto* n = lab.next()) {
    s.next_logits = n->logits;
    s.next_random = n->random;
    s.next_token = n->token;
  }
  auto tr = lab.trace_now();
  s.trace_logits.assign(tr->logits.data(), tr->logits.data() + tr->logits.size());
  s.steps = lab.steps().size();
  return s;
}

void check_same(const Snapshot& a, const Snapshot& b) {
  CHECK(a.ids == b.ids);
  CHECK(a.window_start == b.window_start);
  CHECK(a.cache_len == b.cache_len);
  CHECK(a.k == b.k);
  CHECK(a.v == b.v);
  CHECK(a.rng == b.rng);
  CHECK(a.next_logits == b.next_logits);
  CHECK(a.next_random == b.next_random);
  CHECK(a.next_token == b.next_token);
  CHECK(a.trace_logits == b.trace_logits);
  CHECK(a.steps == b.steps);
}

// Every accessor a panel reads is consistent with the sequence.
void check_panel_data(const TransformerLab& lab) {
  REQUIRE(lab.has_model());
  const int B = lab.model().config.block_size;
  const int V = lab.model().config.vocab_size;
  auto ids = lab.ids();
  CHECK(int(ids.size()) <= B);
  CHECK(lab.token_strings().size() == lab.all_ids().size());
  CHECK(int(lab.all_ids().size()) - lab.window_start() == int(ids.size()));
  CHECK(lab.kv_cache().length == int(ids.size()));
  auto tr = lab.trace_now(true);
  CHECK(tr->ids == ids);
  CHECK(tr->tokens.size() == ids.size());
  if (!ids.empty()) {
    CHECK(tr->logits.rows() == int(ids.size()));
    CHECK(int(tr->layers.size()) == lab.model().config.n_layer);
    CHECK(!tr->layers[0].lens_top.empty());
    const gb::SampleStep* n = lab.next();
    REQUIRE(n);
    CHECK(int(n->probs.size()) == V);
    double sum = 0;
    for (float p : n->probs_final) sum += p;
    CHECK(sum == doctest::Approx(1.0).epsilon(1e-4));
    CHECK(n->token >= 0);
    CHECK(n->token < V);
    CHECK(lab.selected_token() == int(ids.size()) - 1);
  }
  for (auto& s : lab.token_strings()) CHECK(!s.empty());
}

}  // namespace

TEST_CASE("transformer lab: panels, default panels and command list") {
  TransformerLab lab;
  auto panels = lab.panels();
  std::vector<std::string> want = {"transformer.generate",   "transformer.tokens", "transformer.probabilities",
                                   "transformer.training",   "transformer.embeddings", "transformer.attention",
                                   "transformer.block",      "transformer.logit-lens", "transformer.beam"};
  for (auto& w : want) {
    bool found = false;
    for (auto& p : panels) found = found || p.id == w;
    CHECK_MESSAGE(found, w);
  }
  for (auto& d : lab.default_panels()) {
    bool found = false;
    for (auto& p : panels) found = found || p.id == d;
    CHECK_MESSAGE(found, d);
  }
  CHECK(lab.commands().size() > 10);
  CHECK(!run(lab, "fly away").ok);
}

TEST_CASE("transformer lab: step then back restores identical state") {
  TransformerLab lab;
  ok(lab, "load random 7");
  ok(lab, "prompt \"Once upon a time\"");
  Snapshot before = capture(lab);
  ok(lab, "step");
  CHECK(lab.all_ids().size() == before.ids.size() + 1);
  CHECK(lab.rng().s != before.rng);  // a number was drawn
  ok(lab, "back");
  check_same(capture(lab), before);

  // Several steps with a changing temperature, then back all of them.
  ok(lab, "step 3");
  Snapshot mid = capture(lab);
  ok(lab, "set temperature 2");
  ok(lab, "step 4");
  ok(lab, "back 4");
  ok(lab, "set temperature 1");
  check_same(capture(lab), mid);
  ok(lab, "back 3");
  check_same(capture(lab), before);
  CHECK(!run(lab, "back").ok);  // nothing left to undo
}

TEST_CASE("transformer lab: force and branch, back returns") {
  TransformerLab lab;
  ok(lab, "load random 3");
  ok(lab, "prompt \"The cat\"");
  Snapshot before = capture(lab);
  int32_t would = lab.next()->token;
  int32_t other = would == 5 ? 6 : 5;
  ok(lab, "force " + std::to_string(other));
  REQUIRE(lab.steps().size() == 1);
  CHECK(lab.steps().back().forced);
  CHECK(lab.steps().back().token == other);
  CHECK(lab.all_ids().back() == other);
  CHECK(lab.rng().s == before.rng);  // forcing draws nothing
  ok(lab, "back");
  check_same(capture(lab), before);

  ok(lab, "step");
  int32_t drawn = lab.all_ids().back();
  CHECK(drawn == would);  // the preview predicted the draw
  ok(lab, "branch " + std::to_string(other));
  CHECK(lab.all_ids().back() == other);
  CHECK(lab.steps().size() == 1);
  ok(lab, "back");
  check_same(capture(lab), before);

  // By text: a single-token string works, a multi-token one is refused with a reason.
  std::string tok_text = lab.tokenizer().token_bytes(other);
  CHECK(run(lab, "force " + gb::quote_word(tok_text)).ok == (lab.tokenizer().encode(tok_text).size() == 1));
  gb::CommandResult r = run(lab, "force \"this is many tokens\"");
  CHECK(!r.ok);
  CHECK(r.message.find("tokens") != std::string::npos);
  CHECK(!run(lab, "force 99999999").ok);
  CHECK(!run(lab, "force -3").ok);
}

TEST_CASE("transformer lab: a seeded session replays identically") {
  auto session = [](uint64_t seed) {
    TransformerLab lab;
    ok(lab, "load random 11");
    ok(lab, "prompt \"Tom had a red ball\"");
    ok(lab, "seed " + std::to_string(seed));
    ok(lab, "set temperature 1.3");
    ok(lab, "set top-k 50");
    ok(lab, "step 5");
    ok(lab, "back 2");
    ok(lab, "set top-p 0.9");
    ok(lab, "step 6");
    return lab.all_ids();
  };
  auto a = session(5), b = session(5), c = session(6);
  CHECK(a == b);
  CHECK(a != c);
}

TEST_CASE("transformer lab: panel data is valid for awkward prompts") {
  TransformerLab lab;
  ok(lab, "load random 1");
  const int B = lab.model().config.block_size;

  SUBCASE("empty prompt starts from <|endoftext|>") {
    ok(lab, "prompt \"\"");
    CHECK(lab.all_ids().size() == 1);
    CHECK(!lab.notes().empty());
    check_panel_data(lab);
    ok(lab, "step 2");
    check_panel_data(lab);
  }
  SUBCASE("one token") {
    ok(lab, "prompt \"a\"");
    CHECK(lab.all_ids().size() == 1);
    check_panel_data(lab);
    ok(lab, "step");
    check_panel_data(lab);
  }
  SUBCASE("longer than the context: truncated with a note, then sliding") {
    std::string text;
    for (int i = 0; i < 200; ++i) text += "the cat sat. ";
    ok(lab, "prompt " + gb::quote_word(text));
    CHECK(int(lab.all_ids().size()) > B);
    CHECK(lab.window_start() > 0);
    REQUIRE(!lab.notes().empty());
    CHECK(lab.notes().back().find("outside") != std::string::npos);
    check_panel_data(lab);
    Snapshot full = capture(lab);
    ok(lab, "step");  // the window was full: it slides
    CHECK(lab.window_start() > full.window_start);
    check_panel_data(lab);
    ok(lab, "step 3");
    check_panel_data(lab);
    ok(lab, "back 4");
    check_same(capture(lab), full);
  }
  SUBCASE("binary garbage") {
    std::string bytes;
    for (int i = 0; i < 300; ++i) bytes += char((i * 73 + 11) & 0xFF);
    bytes += std::string("\xE6\x97", 2);  // a truncated character at the end
    ok(lab, "prompt " + gb::quote_word(bytes));
    CHECK(lab.text().substr(lab.text().size() - 2) == std::string("\xE6\x97", 2));
    check_panel_data(lab);
    ok(lab, "step 2");
    check_panel_data(lab);
  }
  SUBCASE("generation through the whole context and back") {
    ok(lab, "prompt \"x\"");
    Snapshot start = capture(lab);
    ok(lab, "step " + std::to_string(B + 5));
    check_panel_data(lab);
    ok(lab, "back " + std::to_string(B + 5));
    check_same(capture(lab), start);
  }
  // The beam tree needs room in the context window; with a full window there is none (nullptr).
  CHECK((lab.beam() != nullptr) == (lab.kv_cache().length < B));
  ok(lab, "compare temperatures 0.3 1 2 8");
  REQUIRE(lab.comparison().size() == 3);
  for (auto& c : lab.comparison()) CHECK(c.ids.size() == c.probs.size());
}

TEST_CASE("transformer lab: bad values are refused with the table's range, never clamped, never a crash") {
  TransformerLab lab;
  ok(lab, "load random 1");
  gb::CommandResult r = run(lab, "set temperature 50");
  CHECK_FALSE(r.ok);
  CHECK(r.message == "temperature 50: out of range 0.05\xe2\x80\x93" "5");
  CHECK(lab.settings().sampler.temperature == 1.0f);  // unchanged
  CHECK(run(lab, "set temperature 5").ok);            // a teacher's "wild" end
  CHECK(lab.settings().sampler.temperature == 5.0f);
  CHECK_FALSE(run(lab, "set temperature 0").ok);
  CHECK(!run(lab, "set temperature warm").ok);
  CHECK(!run(lab, "set temperature nan").ok);
  CHECK(!run(lab, "set top-k 99999999").ok);
  CHECK(!run(lab, "set top-k 2.5").ok);
  CHECK(!run(lab, "set top-p 7").ok);
  CHECK(lab.settings().sampler.top_p == 1.0f);
  CHECK(!run(lab, "set greedy maybe").ok);
  CHECK(!run(lab, "set beam 100").ok);
  CHECK(lab.settings().sampler.beam_width == 0);
  CHECK(!run(lab, "set colour blue").ok);
  CHECK(!run(lab, "select layer 99").ok);
  CHECK(run(lab, "select layer 1 head 2").ok);
  CHECK(lab.selected_layer() == 1);
  CHECK(lab.selected_head() == 2);
  CHECK(!run(lab, "select head -1").ok);
  CHECK(!run(lab, "step 0").ok);
  CHECK(!run(lab, "step many").ok);
  CHECK(!run(lab, "load /nonexistent/model.safetensors").ok);
  CHECK(lab.has_model());  // a failed load keeps the current model
  CHECK(!run(lab, "compare temperatures 1 2").ok);
  CHECK(!run(lab, "train fly").ok);
  CHECK(!run(lab, "train pause").ok);
  CHECK(!run(lab, "prompt").ok);
}

TEST_CASE("transformer lab: beam steps follow the best beam") {
  TransformerLab lab;
  ok(lab, "load random 2");
  ok(lab, "prompt \"Once\"");
  ok(lab, "set beam 3");
  ok(lab, "set beam-depth 3");
  const gb::BeamResult* b = lab.beam();
  REQUIRE(b);
  REQUIRE(!b->best.empty());
  int32_t first = b->best.front();
  ok(lab, "step");
  CHECK(lab.all_ids().back() == first);
  CHECK(lab.steps().back().beam);
}

TEST_CASE("transformer lab: run mode advances in update() and pauses at max-tokens") {
  TransformerLab lab;
  ok(lab, "load random 4");
  ok(lab, "prompt \"Hi\"");
  ok(lab, "set speed 10");
  ok(lab, "set max-tokens 5");
  ok(lab, "run");
  size_t n0 = lab.all_ids().size();
  double t = 0;
  for (int i = 0; i < 200 && lab.running(); ++i) {
    t += 0.05;
    lab.update(t);
    (void)lab.trace();  // as panels do every frame (asynchronous while running)
  }
  CHECK(!lab.running());
  CHECK(lab.all_ids().size() == n0 + 5);
  CHECK(lab.trace_now()->ids == lab.ids());
}

TEST_CASE("transformer lab: Run mode grows the beam tree on a helper thread, and a paused lab shows the current one") {
  TransformerLab lab;
  ok(lab, "load random 4");
  ok(lab, "prompt \"Hi\"");
  ok(lab, "set beam-depth 3");
  ok(lab, "set speed 30");
  ok(lab, "set max-tokens 30");
  REQUIRE(lab.beam());  // a first tree, as the panel draws before Run starts
  ok(lab, "run");
  // 20 updates with the panel asking every frame: the 20th starts a helper-thread tree of the text as it is then.
  double t = 0;
  for (int i = 0; i < 20; ++i) {
    t += 0.01;
    lab.update(t);
    REQUIRE(lab.beam());  // while running: always some tree (the last finished one)
  }
  // One more token, then pause: the helper's tree (finished meanwhile) now belongs to an older text.
  const size_t n = lab.all_ids().size();
  for (int i = 0; i < 100 && lab.all_ids().size() == n; ++i) lab.update(t += 0.01);
  REQUIRE(lab.all_ids().size() == n + 1);
  ok(lab, "pause");
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // the helper thread is done (not a timing check)
  const gb::BeamResult* b = lab.beam();
  REQUIRE(b);
  const gb::BeamResult want = gb::beam_search(lab.model(), lab.kv_cache(), *lab.next_logits(), lab.beam_tree_width(), 3);
  CHECK(b->best == want.best);
  CHECK(b->best_score == want.best_score);
  CHECK(b->nodes.size() == want.nodes.size());
}

TEST_CASE("transformer lab: background training publishes snapshots") {
  TransformerLab lab;
  ok(lab, "load random 5");
  ok(lab, "train start from-scratch steps 6");
  for (int i = 0; i < 3000; ++i) {
    lab.update(i * 0.01);
    auto s = lab.training();
    if (s && s->state != gb::TrainSnapshot::State::running && s->state != gb::TrainSnapshot::State::paused) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  auto s = lab.training();
  REQUIRE(s);
  CHECK(s->state == gb::TrainSnapshot::State::finished);
  CHECK(s->step == 6);
  CHECK(!s->history.empty());
  CHECK(!s->example.input.empty());
  ok(lab, "train use");
  CHECK(lab.has_model());
  ok(lab, "step 2");
}

TEST_CASE("transformer lab: the tiny corpus trains even a model with a long context (the shipped one)") {
  TransformerLab lab;
  ok(lab, "load shipped");
  CHECK_FALSE(run(lab, "train start corpus huge").ok);
  ok(lab, "train start from-scratch corpus tiny steps 2");
  std::shared_ptr<const gb::TrainSnapshot> s;
  for (int i = 0; i < 60000; ++i) {  // waits for the worker (slow under sanitizers), not a timing check
    lab.update(i * 0.01);
    s = lab.training();
    if (s && s->state != gb::TrainSnapshot::State::running && s->state != gb::TrainSnapshot::State::paused) break;
    if (!s && !lab.training_preparing() && !lab.training_error().empty()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  INFO("training error: " << lab.training_error());
  REQUIRE(s);
  CHECK(s->state == gb::TrainSnapshot::State::finished);
  CHECK(s->step == 2);
}

TEST_CASE("transformer lab: reachable through a session") {
  gb::Session s;
  CHECK(s.run("transformer load random 1").ok);
  CHECK(s.run("transformer prompt \"hello\"").ok);
  CHECK(s.run("transformer step 2").ok);
  CHECK(s.has_panel("transformer.probabilities"));
}

TEST_CASE("transformer lab: an idle lab asks for no frames; Run mode asks for the next token's time") {
  TransformerLab lab;
  ok(lab, "load random 5");
  ok(lab, "prompt \"ab\"");
  lab.update(10.0);
  CHECK(lab.seconds_until_update(10.0) >= gb::Lab::kNever);  // nothing of its own to do: the app may sleep
  ok(lab, "set speed 4");
  ok(lab, "run");
  lab.update(10.0);  // the first update starts Run mode's clock
  // 4 tokens a second: the next one is due within a quarter of a second, and sooner as time passes
  const double wait = lab.seconds_until_update(10.0);
  CHECK(wait > 0.0);
  CHECK(wait <= 0.25 + 1e-9);
  CHECK(lab.seconds_until_update(10.2) < wait);
  CHECK(lab.seconds_until_update(10.3) == 0.0);
  ok(lab, "pause");
  CHECK(lab.seconds_until_update(10.3) >= gb::Lab::kNever);
}
