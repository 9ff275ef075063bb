// Samplers: chi-square tests that temperature/top-k/top-p draws follow the transformed distribution
// (computed here independently), determinism, greedy limits, clamping, and beam search.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <vector>
#include "common/tiny_models.hpp"

#include "models/transformer/gpt.hpp"
#include "models/transformer/limits.hpp"
#include "models/transformer/sampler.hpp"
#include "core/error.hpp"

using namespace gb;

namespace {
const std::vector<float> kLogits = {1.0f, 2.5f, 0.3f, -1.0f, 2.0f, 1.7f, 0.0f, -0.5f, 3.0f, 0.9f, 1.2f, -2.0f};

// Reference distribution after temperature → top-k → top-p, in long double, written from the
// definitions (sort by probability, keep a prefix) rather than from the sampler's code.
std::vector<long double> reference(const std::vector<float>& logits, double temp, int k, double p) {
  const size_t V = logits.size();
  std::vector<long double> q(V);
  long double mx = *std::max_element(logits.begin(), logits.end()) / (long double)temp, s = 0;
  for (size_t i = 0; i < V; ++i) s += q[i] = std::exp((long double)logits[i] / temp - mx);
  for (auto& v : q) v /= s;
  std::vector<size_t> order(V);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return q[a] > q[b]; });
  size_t keep = (k > 0 && size_t(k) < V) ? size_t(k) : V;
  long double mass = 0;
  for (size_t i = 0; i < keep; ++i) mass += q[order[i]];
  if (p < 1) {  // smallest prefix (of the top-k set, renormalised) with mass ≥ p
    long double cum = 0;
    size_t n = 0;
    while (n < keep) {
      cum += q[order[n]] / mass;
      ++n;
      if (cum >= p) break;
    }
    keep = n;
  }
  std::vector<long double> out(V, 0);
  long double m2 = 0;
  for (size_t i = 0; i < keep; ++i) m2 += q[order[i]];
  for (size_t i = 0; i < keep; ++i) out[order[i]] = q[order[i]] / m2;
  return out;
}

// Upper 0.1% points of the chi-square distribution (significance α = 0.001), df = 1 … 11.
const double kChi2Crit[] = {0, 10.83, 13.82, 16.27, 18.47, 20.52, 22.46, 24.32, 26.12, 27.88, 29.59, 31.26};

// Pearson's statistic of `counts` against `expected` probabilities; returns {chi2, df}. Categories
// with expected probability 0 must never be drawn (checked).
std::pair<double, int> chi2(const std::vector<int>& counts, const std::vector<long double>& expected, int n) {
  double x = 0;
  int cats = 0;
  for (size_t i = 0; i < counts.size(); ++i) {
    if (expected[i] == 0) {
      CHECK(counts[i] == 0);
      continue;
    }
    const double e = double(expected[i]) * n;
    x += (counts[i] - e) * (counts[i] - e) / e;
    ++cats;
  }
  return {x, cats - 1};
}
}  // namespace

TEST_CASE("sampling follows the transformed distribution (chi-square, α = 0.001, fixed seeds)") {
  struct Case {
    double temp;
    int k;
    double p;
  };
  const int N = 20000;
  const int V = int(kLogits.size());
  for (Case c : {Case{1.0, 0, 1.0}, Case{0.7, 0, 1.0}, Case{1.3, 5, 1.0}, Case{1.0, 0, 0.8}, Case{0.8, 8, 0.9},
                 Case{2.0, 0, 0.5}}) {
    CAPTURE(c.temp);
    CAPTURE(c.k);
    CAPTURE(c.p);
    SamplerSettings s;
    s.temperature = float(c.temp);
    s.top_k = c.k;
    s.top_p = float(c.p);
    Rng rng(1234);
    std::vector<int> counts(size_t(V), 0);
    for (int i = 0; i < N; ++i) counts[size_t(sample_token(kLogits.data(), V, s, rng))]++;
    auto ref = reference(kLogits, c.temp, c.k, c.p);
    auto [x, df] = chi2(counts, ref, N);
    REQUIRE(df >= 1);
    CHECK(x < kChi2Crit[df]);
    // The step trace's final distribution is the reference one.
    Rng r2(1);
    SampleStep st = sample_step(kLogits.data(), V, s, r2);
    for (int i = 0; i < V; ++i) CHECK(st.probs_final[size_t(i)] == doctest::Approx(double(ref[size_t(i)])).epsilon(1e-5));
  }
  // Power: the same draws at temperature 0.7 are rejected against the untempered distribution.
  SamplerSettings s;
  s.temperature = 0.7f;
  Rng rng(1234);
  std::vector<int> counts(size_t(V), 0);
  for (int i = 0; i < N; ++i) counts[size_t(sample_token(kLogits.data(), V, s, rng))]++;
  auto [x, df] = chi2(counts, reference(kLogits, 1.0, 0, 1.0), N);
  CHECK(x > kChi2Crit[df]);
}

TEST_CASE("sampling is deterministic for a seed; the traced and fast paths agree and draw once per step") {
  const int V = int(kLogits.size());
  SamplerSettings s;
  s.temperature = 0.9f;
  s.top_k = 6;
  s.top_p = 0.95f;
  Rng a(42), b(42), c(42);
  for (int i = 0; i < 200; ++i) {
    SampleStep st = sample_step(kLogits.data(), V, s, a);
    const int32_t t = sample_token(kLogits.data(), V, s, b);
    CHECK(st.token == t);
    const double u = c.uniform();
    CHECK(st.random == u);  // exactly one uniform per step
  }
  // Pinned values: the first draws for seed 7 (same on every machine: integer PRNG, fixed order).
  Rng r(7);
  std::vector<int32_t> got;
  for (int i = 0; i < 8; ++i) got.push_back(sample_token(kLogits.data(), V, s, r));
  Rng r2(7);
  std::vector<int32_t> again;
  for (int i = 0; i < 8; ++i) again.push_back(sample_token(kLogits.data(), V, s, r2));
  CHECK(got == again);
  CHECK(got == std::vector<int32_t>{8, 4, 8, 10, 10, 8, 1, 1});  // recorded once; must never drift
}

TEST_CASE("greedy, out-of-range settings refused, and step trace contents") {
  const int V = int(kLogits.size());
  SamplerSettings s;
  s.greedy = true;  // argmax, nothing drawn
  Rng rng(3);
  Rng before = rng;
  SampleStep st = sample_step(kLogits.data(), V, s, rng);
  CHECK(st.greedy);
  CHECK(st.token == 8);  // logit 3.0
  CHECK(st.random == -1);
  CHECK(rng.s == before.s);  // nothing drawn
  CHECK(st.probs_final[8] == 1.0f);
  CHECK(st.probs[8] == doctest::Approx(0.3).epsilon(0.5));  // the model's own distribution is kept
  // Ties go to the lower id.
  std::vector<float> tie = {1.0f, 5.0f, 5.0f};
  SamplerSettings g;
  g.greedy = true;
  CHECK(sample_token(tie.data(), 3, g, rng) == 1);
  // NaN logits never win and never crash.
  std::vector<float> nan = {std::numeric_limits<float>::quiet_NaN(), 0.0f, 1.0f};
  SamplerSettings t1;
  for (int i = 0; i < 50; ++i) CHECK(sample_token(nan.data(), 3, t1, rng) != 0);
  // All −inf: a valid token (uniform), never garbage.
  std::vector<float> ninf(4, -std::numeric_limits<float>::infinity());
  SampleStep si = sample_step(ninf.data(), 4, t1, rng);
  CHECK(si.token >= 0);
  CHECK(si.token < 4);
  CHECK(si.probs_final[0] == doctest::Approx(0.25));
  // Out of range: refused with the settings table's message (the same Range constants), never clamped.
  auto refused = [&](SamplerSettings bad, const std::string& message) {
    try {
      sample_step(kLogits.data(), V, bad, rng);
      FAIL("accepted: " << message);
    } catch (const gb::Error& e) {
      CHECK(std::string(e.what()) == message);
    }
  };
  SamplerSettings hot;
  hot.temperature = 9.0f;
  refused(hot, "temperature 9: out of range 0.05\xe2\x80\x93" "5");
  SamplerSettings p2;
  p2.top_p = 1.5f;
  refused(p2, "top-p 1.5: out of range 0.01\xe2\x80\x93" "1");
  SamplerSettings nan_t;
  nan_t.temperature = std::numeric_limits<float>::quiet_NaN();
  CHECK_THROWS_AS(sample_step(kLogits.data(), V, nan_t, rng), gb::Error);
  // top-k above the vocabulary keeps every token (as off), within its range
  SamplerSettings big;
  big.top_k = 99999;
  SampleStep sb = sample_step(kLogits.data(), V, big, rng);
  CHECK(sb.settings.top_k == V);
  // Cut-offs reported.
  SamplerSettings kp;
  kp.top_k = 4;
  kp.top_p = 0.6f;
  SampleStep sk = sample_step(kLogits.data(), V, kp, rng);
  CHECK(sk.top_k_kept == 4);
  CHECK(sk.top_k_cutoff_logit == 1.7f);  // 4th largest logit
  CHECK(sk.top_p_kept >= 1);
  CHECK(sk.top_p_kept <= 4);
  CHECK(sk.top_p_mass >= 0.6f);
  double sum = 0;
  for (float p : sk.probs_final) sum += p;
  CHECK(sum == doctest::Approx(1.0));
  CHECK(sk.probs_final[size_t(sk.token)] > 0);
}

TEST_CASE("beam search: width 1 is greedy; the tree is consistent; scores are sums of log-probs") {
  const GptConfig c = test::tiny_gpt_config(23, 16, 2);
  const auto mp = test::tiny_gpt(c, 3, 0.2f, 5);  // jittered: sharper, more varied distributions
  const Gpt& m = *mp;
  Rng rng(5);                                     // (greedy below draws nothing from it)
  std::vector<int32_t> prompt = {1, 5, 7};
  KvCache cache;
  std::vector<float> logits;
  gpt_decode(m, cache, prompt.data(), 3, logits);

  BeamResult one = beam_search(m, cache, logits, 1, 6);
  // Greedy decode for comparison.
  KvCache gc = cache;
  std::vector<float> gl = logits;
  std::vector<int32_t> greedy;
  SamplerSettings g;
  g.greedy = true;
  for (int i = 0; i < 6; ++i) {
    int32_t t = sample_token(gl.data(), c.vocab_size, g, rng);
    greedy.push_back(t);
    gpt_decode(m, gc, &t, 1, gl);
  }
  CHECK(one.best == greedy);

  BeamResult r = beam_search(m, cache, logits, 3, 6);
  REQUIRE(r.beams.size() == 6);
  for (auto& depth : r.beams) CHECK(depth.size() == 3);
  CHECK(r.best.size() == 6);
  CHECK(r.best_score >= one.best_score - 1e-9);  // here the wider search finds at least the greedy score
  // The best sequence's score is the sum of its log-probs under the model (from a traced pass).
  std::vector<int32_t> seq = prompt;
  seq.insert(seq.end(), r.best.begin(), r.best.end());
  Trace tr = gpt_trace(m, seq);
  double lp = 0;
  for (size_t i = 0; i < r.best.size(); ++i) {
    const int row = int(prompt.size() + i) - 1;
    const float* l = tr.logits.data() + size_t(row) * c.vocab_size;
    double mx = *std::max_element(l, l + c.vocab_size), s = 0;
    for (int v = 0; v < c.vocab_size; ++v) s += std::exp(double(l[v]) - mx);
    lp += double(l[r.best[i]]) - mx - std::log(s);
  }
  CHECK(r.best_score == doctest::Approx(lp).epsilon(1e-4));
  // Every kept node's parent was kept at the previous depth.
  for (size_t d = 1; d < r.beams.size(); ++d)
    for (int n : r.beams[d]) {
      const int parent = r.nodes[size_t(n)].parent;
      CHECK(std::find(r.beams[d - 1].begin(), r.beams[d - 1].end(), parent) != r.beams[d - 1].end());
    }
  // Same inputs, same tree.
  BeamResult r2 = beam_search(m, cache, logits, 3, 6);
  CHECK(r2.best == r.best);
  CHECK(r2.nodes.size() == r.nodes.size());
}
