// Issue 18 engine: LoRA adapters, DPO, the fine-tuner and fact retrieval. The PyTorch case is run by
// tests/teach/teach_vs_torch.py (sets GB_TEACH_REF); the rest checks against finite differences and
// hand-computed numbers.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <nlohmann/json.hpp>

#include "common/tiny_models.hpp"
#include "core/error.hpp"
#include "core/safetensors.hpp"
#include "models/data/corpus.hpp"
#include "models/transformer/lora.hpp"
#include "models/transformer/retrieval.hpp"
#include "models/transformer/teach_data.hpp"
#include "models/transformer/tune.hpp"

using namespace gb;

namespace {

// 1 layer, 2 heads, width 8, context 8, vocabulary 11 (the shared fixture).
GptConfig tiny_config() { return test::tiny_gpt_config(11, 8, 1, 2, 8); }

// GPT-2 initialisation plus `scale` · N(0, 1) on every weight (sharper distributions).
ParamSet random_params(const GptConfig& c, uint64_t seed, float scale) { return test::tiny_gpt(c, seed, scale, seed + 1)->params; }

using test::max_abs;
using test::max_abs_diff;

}  // namespace

// [SECTION] LoRA
TEST_CASE("LoRA: B = 0 leaves the model unchanged; merge equals apply; trainable count is Σ r·(In + Out)") {
  GptConfig c = tiny_config();
  ParamSet base = random_params(c, 3, 0.3f);
  Lora lora(c, base, 2, 0, 7);
  CHECK(lora.scale() == doctest::Approx(1.0));
  CHECK(lora.targets().size() == 4);
  const int C = c.n_embd;
  CHECK(lora.trainable_count() == size_t(2 * ((C + 3 * C) + (C + C) + (C + 4 * C) + (4 * C + C))));
  ParamSet eff;
  lora.apply(base, eff);
  CHECK(eff.data == base.data);
  // non-zero B: apply moves exactly the four targets by s·B·A; merge_into gives the same weights
  Rng rng(9);
  for (const LoraTarget& t : lora.targets())
    for (size_t i = 0; i < size_t(t.out) * 2; ++i) lora.params.ptr(t.b_view)[i] = float(rng.normal());
  lora.apply(base, eff);
  const Mat d0 = lora.delta(0);
  const LoraTarget& t0 = lora.targets()[0];
  CHECK(d0.rows() == 3 * C);
  CHECK(std::abs(eff.mat(t0.base_view)(5, 3) - (base.mat(t0.base_view)(5, 3) + d0(5, 3))) < 1e-6);
  const size_t ln = base.view("h.0.ln_1.weight").offset;
  CHECK(eff.data[ln] == base.data[ln]);
  ParamSet merged = base;
  lora.merge_into(merged);
  CHECK(max_abs_diff(merged.data.data(), eff.data) < 1e-6);
  ParamSet eff2;
  lora.apply(merged, eff2);  // B is zero after the merge
  CHECK(eff2.data == merged.data);
  CHECK_THROWS_AS(Lora(c, base, 0, 0, 1), Error);
  CHECK_THROWS_AS(Lora(c, base, 9, 0, 1), Error);
}

TEST_CASE("LoRA gradients match central finite differences") {
  GptConfig c = tiny_config();
  ParamSet base = random_params(c, 5, 0.3f);
  Lora lora(c, base, 2, 3.0f, 11);
  Rng rng(13);
  for (auto& v : lora.params.views())
    for (size_t i = 0; i < v.size; ++i) lora.params.data[v.offset + i] = float(0.4 * rng.normal());
  GptParamIdx ix = gpt_param_index(c, base);
  const int B = 2, T = 6;
  std::vector<int32_t> in(B * T), tg(B * T);
  for (size_t i = 0; i < in.size(); ++i) {
    in[i] = int32_t(rng.below(11));
    tg[i] = int32_t(rng.below(11));
  }
  GptActs a;
  ParamSet eff;
  auto loss_now = [&] {
    lora.apply(base, eff);
    return double(gpt_train_forward(c, ix, eff, in.data(), tg.data(), B, T, a));
  };
  loss_now();
  eff.zero_grad();
  gpt_train_backward(c, ix, eff, in.data(), a);
  lora.params.zero_grad();
  lora.backward(eff);
  const std::vector<float> g = lora.params.grad;
  const double eps = 1e-2;
  double worst = 0;
  int checked = 0;
  for (size_t i = 0; i < lora.params.count(); i += 3) {
    const float keep = lora.params.data[i];
    lora.params.data[i] = keep + float(eps);
    const double up = loss_now();
    lora.params.data[i] = keep - float(eps);
    const double dn = loss_now();
    lora.params.data[i] = keep;
    const double fd = (up - dn) / (2 * eps);
    worst = std::max(worst, std::abs(fd - g[i]) / std::max(1e-2, std::abs(fd)));
    ++checked;
  }
  MESSAGE("LoRA: worst relative error " << worst << " over " << checked << " entries");
  CHECK(checked > 50);
  CHECK(worst < 2e-2);
}

// [SECTION] DPO
TEST_CASE("DPO: at the reference the loss is ln 2 and u = 0; gradients match finite differences") {
  GptConfig c = tiny_config();
  ParamSet ref = random_params(c, 21, 0.3f);
  GptParamIdx ix = gpt_param_index(c, ref);
  std::vector<DpoPair> pairs = {{{1, 2}, {3, 4, 5}, {6}}, {{7}, {8, 9}, {10, 0, 1}}};
  ParamSet p = ref;
  DpoStats s0 = dpo_loss_and_grad(c, ix, p, ref, pairs, 0.5f, false);
  CHECK(s0.loss == doctest::Approx(std::log(2.0)).epsilon(1e-6));
  CHECK(std::abs(s0.pairs[0].u) < 1e-9);
  CHECK(s0.kl < 1e-9);
  // a different policy: the gradient against central differences of the loss
  Rng rng(23);
  for (float& w : p.data) w += float(0.1 * rng.normal());
  p.zero_grad();
  DpoStats s = dpo_loss_and_grad(c, ix, p, ref, pairs, 0.5f, true);
  CHECK(s.kl > 0);
  // log π by hand for pair 0's chosen: sum of log-softmax entries of an uncached forward
  GptActs a;
  SeqRows rows;
  const double lp = sequence_logprob(c, ix, p, {1, 2}, {3, 4, 5}, a, rows);
  CHECK(rows.first == 1);
  CHECK(rows.count == 3);
  CHECK(lp == doctest::Approx(s.pairs[0].logp_chosen));
  const std::vector<float> g = p.grad;
  const double eps = 1e-2;
  double worst = 0;
  int checked = 0;
  for (size_t i = 0; i < p.count(); i += 5) {
    const float keep = p.data[i];
    p.data[i] = keep + float(eps);
    const double up = dpo_loss_and_grad(c, ix, p, ref, pairs, 0.5f, false).loss;
    p.data[i] = keep - float(eps);
    const double dn = dpo_loss_and_grad(c, ix, p, ref, pairs, 0.5f, false).loss;
    p.data[i] = keep;
    const double fd = (up - dn) / (2 * eps);
    worst = std::max(worst, std::abs(fd - g[i]) / std::max(1e-2, std::abs(fd)));
    ++checked;
  }
  MESSAGE("DPO: worst relative error " << worst << " over " << checked << " entries");
  CHECK(checked > 100);
  CHECK(worst < 3e-2);
  CHECK_THROWS_AS(dpo_loss_and_grad(c, ix, p, ref, {}, 0.5f, false), Error);
  CHECK_THROWS_AS(dpo_loss_and_grad(c, ix, p, ref, pairs, 0.0f, false), Error);
  std::vector<DpoPair> empty_cont = {{{1}, {}, {2}}};
  CHECK_THROWS_AS(dpo_loss_and_grad(c, ix, p, ref, empty_cont, 0.5f, false), Error);
}

// [SECTION] the tuner
TEST_CASE("Tuner: fine-tuning lowers the corpus loss, LoRA trains only adapters, undo returns to the base") {
  GptConfig c = tiny_config();
  ParamSet base = random_params(c, 31, 0.1f);
  std::vector<int32_t> corpus;
  for (int i = 0; i < 200; ++i) corpus.push_back(int32_t(i % 5));  // 0 1 2 3 4 0 1 …: easy to learn
  for (int rank : {0, 2}) {
    TuneConfig tc;
    tc.lora_rank = rank;
    tc.lr = rank ? 3e-2f : 1e-2f;
    tc.batch = 4;
    tc.context = 8;
    Tuner t(c, base, tc);
    CHECK(t.trainable_count() == (rank ? t.lora()->trainable_count() : base.count()));
    t.set_corpus(corpus);
    const double before = t.mean_loss(corpus, 8);
    CHECK(before == doctest::Approx(t.mean_loss(corpus, 8, true)));
    for (int i = 0; i < 40; ++i) REQUIRE(t.finetune_step().ok);
    const double after = t.mean_loss(corpus, 8);
    MESSAGE("rank " << rank << ": corpus loss " << before << " → " << after);
    CHECK(after < before - 0.3);
    CHECK(t.mean_loss(corpus, 8, true) == doctest::Approx(before));  // the base stays frozen
    double ln_change = 0, attn_change = 0;
    for (const MatrixChange& m : t.changes()) {
      if (m.name == "h.0.ln_1.weight") ln_change = m.norm;
      if (m.name == "h.0.attn.c_attn.weight") attn_change = m.norm;
    }
    CHECK(attn_change > 0);
    if (rank) CHECK(ln_change == 0);  // LoRA touches only the four matrices
    else CHECK(ln_change > 0);
    t.undo();
    CHECK(t.weights().data == base.data);
    CHECK(t.steps_done() == 0);
  }
  TuneConfig tc;
  Tuner t(c, base, tc);
  CHECK_THROWS_AS(t.set_corpus({1, 2, 3}), Error);
  CHECK_THROWS_AS(t.finetune_step(), Error);
}

TEST_CASE("Tuner: DPO steps raise the chosen continuation against the rejected one") {
  GptConfig c = tiny_config();
  ParamSet base = random_params(c, 41, 0.2f);
  TuneConfig tc;
  tc.lr = 1e-2f;
  tc.beta = 0.5f;
  Tuner t(c, base, tc);
  std::vector<DpoPair> pairs = {{{1, 2}, {3, 3}, {4, 4}}, {{5}, {3, 6}, {4, 6}}};
  DpoStats s0 = t.dpo_measure(pairs);
  CHECK(s0.loss == doctest::Approx(std::log(2.0)));
  for (int i = 0; i < 15; ++i) t.dpo_step(pairs);
  DpoStats s1 = t.dpo_measure(pairs);
  MESSAGE("DPO loss " << s0.loss << " → " << s1.loss << ", KL " << s1.kl);
  CHECK(s1.loss < 0.5);
  CHECK(s1.accuracy == 1.0);
  CHECK(s1.pairs[0].logp_chosen - s1.pairs[0].logp_rejected > s0.pairs[0].logp_chosen - s0.pairs[0].logp_rejected);
  CHECK(s1.kl > 0);
}

// [SECTION] retrieval
TEST_CASE("Retrieval: TF-IDF finds the fact about the prompt's subject; bad notebooks are refused") {
  CHECK(retrieval_words("Lily's dog is called Max.") == std::vector<std::string>{"lily", "dog", "called", "max"});
  FactBook b = FactBook::parse("# story world\nLily's dog is called Max.\n\nTom lives by the sea.\r\nTom's cat is called Pip.\n",
                               "facts.txt");
  REQUIRE(b.facts.size() == 3);
  CHECK(b.facts[1] == "Tom lives by the sea.");
  auto s = b.score("Lily's dog is called");
  CHECK(s[0].index == 0);
  CHECK(s[0].score > s[1].score);
  CHECK(s[0].score > 0.5);
  CHECK(s[0].score <= 1.0 + 1e-12);
  CHECK(s[0].matched.size() == 3);
  auto s2 = b.score("Where does Tom live? Tom lives by the");
  CHECK(s2[0].index == 1);
  CHECK(with_facts(b, s, 1, "Lily's dog is called") == "Lily's dog is called Max. Lily's dog is called");
  CHECK(with_facts(b, b.score("zebra"), 2, "zebra") == "zebra");  // nothing relevant: nothing added
  // cosine of a fact with itself is 1
  CHECK(b.score("Tom lives by the sea.")[0].score == doctest::Approx(1.0));
  CHECK_THROWS_WITH_AS(FactBook::parse("", "f.txt"), doctest::Contains("f.txt: holds no facts"), Error);
  CHECK_THROWS_WITH_AS(FactBook::parse("# only a comment\n\n", "f.txt"), doctest::Contains("holds no facts"), Error);
  CHECK_THROWS_WITH_AS(FactBook::parse(std::string("ab\0cd", 5), "f.bin"), doctest::Contains("f.bin: is a binary file"), Error);
  CHECK_THROWS_WITH_AS(FactBook::parse("caf\xC3", "f.txt"), doctest::Contains("not UTF-8"), Error);
}

// [SECTION] PyTorch (run by tests/teach/teach_vs_torch.py)
TEST_CASE("LoRA and DPO match PyTorch: loss and gradients on the same weights" * doctest::skip()) {
  const char* path = std::getenv("GB_TEACH_REF");
  REQUIRE_MESSAGE(path != nullptr, "run through tests/teach/teach_vs_torch.py (sets GB_TEACH_REF)");
  SafeTensors ref = read_safetensors(path);
  auto dims = nlohmann::json::parse(ref.metadata.at("dims"));
  auto lj = nlohmann::json::parse(ref.metadata.at("lora"));
  auto dj = nlohmann::json::parse(ref.metadata.at("dpo"));
  GptConfig c;
  c.n_layer = dims["n_layer"];
  c.n_head = dims["n_head"];
  c.n_embd = dims["n_embd"];
  c.block_size = dims["block_size"];
  c.vocab_size = dims["vocab_size"];
  const int B = dims["batch"], T = c.block_size;
  auto load = [&](const std::string& prefix) {
    ParamSet p;
    gpt_declare_params(c, p);
    for (auto& v : p.views()) {
      std::vector<float> w = ref.get_float(prefix + v.name, std::vector<int64_t>(v.shape.begin(), v.shape.end()));
      std::copy(w.begin(), w.end(), p.data.begin() + std::ptrdiff_t(v.offset));
    }
    return p;
  };
  // LoRA
  ParamSet base = load("base.");
  GptParamIdx ix = gpt_param_index(c, base);
  Lora lora(c, base, lj["rank"].get<int>(), lj["alpha"].get<float>(), 1);
  for (auto& v : lora.params.views()) {
    std::vector<float> w = ref.get_float(v.name, std::vector<int64_t>(v.shape.begin(), v.shape.end()));
    std::copy(w.begin(), w.end(), lora.params.data.begin() + std::ptrdiff_t(v.offset));
  }
  const SafeTensor& bt = ref.get("lora.batch");
  std::vector<int32_t> batch(size_t(bt.numel())), in, tg;
  std::memcpy(batch.data(), bt.bytes, batch.size() * 4);
  for (int b = 0; b < B; ++b)
    for (int i = 0; i < T; ++i) {
      in.push_back(batch[size_t(b * (T + 1) + i)]);
      tg.push_back(batch[size_t(b * (T + 1) + i + 1)]);
    }
  ParamSet eff;
  lora.apply(base, eff);
  GptActs a;
  const float loss = gpt_train_forward(c, ix, eff, in.data(), tg.data(), B, T, a);
  eff.zero_grad();
  gpt_train_backward(c, ix, eff, in.data(), a);
  lora.params.zero_grad();
  lora.backward(eff);
  const float ref_loss = ref.get_float("lora.loss", {1})[0];
  MESSAGE("LoRA loss " << loss << " vs PyTorch " << ref_loss);
  CHECK(std::abs(loss - ref_loss) < 1e-5);
  for (auto& v : lora.params.views()) {
    std::vector<float> g = ref.get_float("grad." + v.name, std::vector<int64_t>(v.shape.begin(), v.shape.end()));
    const double err = max_abs_diff(lora.params.grad.data() + v.offset, g);
    // float32 against float64: gradients O(0.1); 1e-5 absolute plus 1e-4 relative to the tensor's scale
    INFO(v.name << " max |diff| " << err << " (max |grad| " << max_abs(g) << ")");
    CHECK(err < 1e-5 + 1e-4 * max_abs(g));
  }
  // DPO
  ParamSet refm = load("ref."), pol = load("pol.");
  std::vector<DpoPair> pairs;
  for (auto& pr : dj["pairs"]) pairs.push_back({pr[0].get<std::vector<int32_t>>(), pr[1].get<std::vector<int32_t>>(), pr[2].get<std::vector<int32_t>>()});
  pol.zero_grad();
  DpoStats s = dpo_loss_and_grad(c, ix, pol, refm, pairs, dj["beta"].get<float>(), true);
  const float dloss = ref.get_float("dpo.loss", {1})[0];
  const std::vector<float> us = ref.get_float("dpo.u", {int64_t(pairs.size())});
  MESSAGE("DPO loss " << s.loss << " vs PyTorch " << dloss);
  CHECK(std::abs(s.loss - dloss) < 1e-5);
  for (size_t i = 0; i < pairs.size(); ++i) CHECK(std::abs(s.pairs[i].u - us[i]) < 1e-5);
  for (auto& v : pol.views()) {
    std::vector<float> g = ref.get_float("dpo.grad." + v.name, std::vector<int64_t>(v.shape.begin(), v.shape.end()));
    const double err = max_abs_diff(pol.grad.data() + v.offset, g);
    INFO(v.name << " max |diff| " << err << " (max |grad| " << max_abs(g) << ")");
    CHECK(err < 1e-6 + 1e-4 * max_abs(g));
  }
}

TEST_CASE("Doctor stories: the share of \"she\" follows the mix; same seed, same text") {
  auto count = [](const std::string& s, const std::string& w) {
    int n = 0;
    for (size_t at = s.find(w); at != std::string::npos; at = s.find(w, at + 1)) ++n;
    return n;
  };
  CHECK(count(doctor_mix_corpus(0.0, 50, 1), "said that she") == 0);
  CHECK(count(doctor_mix_corpus(1.0, 50, 1), "said that she") == 50);
  const int mid = count(doctor_mix_corpus(0.8, 400, 3), "said that she");
  CHECK(mid > 280);
  CHECK(mid < 360);
  CHECK(doctor_mix_corpus(0.5, 20, 9) == doctor_mix_corpus(0.5, 20, 9));
  CHECK(corpus_from_text(doctor_mix_corpus(0.5, 3, 1), "d").find(kStorySeparator) != std::string::npos);
}

TEST_CASE("Corpus text: stories at blank lines; empty, blank-only and binary files are refused") {
  CHECK(corpus_from_text("One line.\nSame story.\n\n\nNext story.\n", "c.txt") ==
        std::string("One line. Same story.") + kStorySeparator + "Next story." + kStorySeparator);
  CHECK_THROWS_WITH_AS(corpus_from_text("", "c.txt"), doctest::Contains("c.txt: is empty"), Error);
  CHECK_THROWS_WITH_AS(corpus_from_text(" \n\t\n", "c.txt"), doctest::Contains("c.txt: is empty"), Error);
  CHECK_THROWS_WITH_AS(corpus_from_text(std::string("a\0b", 3), "c.bin"), doctest::Contains("c.bin: is a binary file"), Error);
  CHECK_THROWS_WITH_AS(corpus_from_text("\xFF\xFE", "c.txt"), doctest::Contains("not UTF-8"), Error);
}

TEST_CASE("Preference pairs: JSONL round trip; bad lines name the file, the line and the key") {
  std::vector<PreferenceText> p = {{"Lily's dog", " was \"happy\".", " was sad."}, {"Tom\tsaw", " a ship ⛵", " a rock"}};
  const std::string text = preferences_to_jsonl(p);
  std::vector<PreferenceText> back = parse_preferences("\n" + text + "\n\n", "p.jsonl");
  REQUIRE(back.size() == 2);
  CHECK(back[0].chosen == p[0].chosen);
  CHECK(back[1].prompt == p[1].prompt);
  CHECK(back[1].chosen == p[1].chosen);
  CHECK_THROWS_WITH_AS(parse_preferences("{\"prompt\":\"a\",\"chosen\":\" b\",\"rejected\":\" c\"}\n{\"prompt\":\"a\",\"chosen\":2,\"rejected\":\" c\"}",
                                         "p.jsonl"),
                       doctest::Contains("p.jsonl: line 2.chosen"), Error);
  CHECK_THROWS_WITH_AS(parse_preferences("{\"prompt\":\"a\",\"rejected\":\" c\"}", "p.jsonl"), doctest::Contains("chosen"), Error);
  CHECK_THROWS_WITH_AS(parse_preferences("not json", "p.jsonl"), doctest::Contains("p.jsonl: line 1"), Error);
  CHECK_THROWS_WITH_AS(parse_preferences("{\"prompt\":\"a\",\"chosen\":\" b\",\"rejected\":\" b\"}", "p.jsonl"),
                       doctest::Contains("the same text"), Error);
  CHECK_THROWS_WITH_AS(parse_preferences("\n \n", "p.jsonl"), doctest::Contains("holds no preference pairs"), Error);
  CHECK_THROWS_WITH_AS(parse_preferences(std::string("{\0}", 3), "p.jsonl"), doctest::Contains("binary"), Error);
}
