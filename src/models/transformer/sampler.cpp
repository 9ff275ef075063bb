// Samplers (greedy, temperature, top-k, top-p) with a full step trace, and beam search with its tree.
#include "models/transformer/sampler.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <sstream>

#include "core/error.hpp"
#include "models/transformer/limits.hpp"

namespace gb {

// [SECTION] settings
void check_sampler_settings(const SamplerSettings& s) {
  if (!s.greedy) require_in_range("temperature", s.temperature, kTemperatureRange);
  require_in_range("top-k", s.top_k, kTopKRange);
  require_in_range("top-p", s.top_p, kTopPRange);
  require_in_range("beam", s.beam_width, kBeamRange);
}

// [SECTION] one step
namespace {

int32_t argmax(const float* x, int V) {
  int32_t best = 0;
  for (int i = 1; i < V; ++i)
    if (x[i] > x[best] || (std::isnan(x[best]) && !std::isnan(x[i]))) best = i;
  return best;
}

// softmax of z (V) into p, in double; entries of −inf get 0.
void softmax_d(const std::vector<double>& z, std::vector<double>& p) {
  double mx = -std::numeric_limits<double>::infinity();
  for (double v : z) mx = std::max(mx, v);
  p.resize(z.size());
  double sum = 0;
  for (size_t i = 0; i < z.size(); ++i) {
    p[i] = std::isinf(z[i]) && z[i] < 0 ? 0.0 : std::exp(z[i] - mx);
    sum += p[i];
  }
  if (!(sum > 0)) {  // every logit −inf/NaN: nothing to prefer, fall back to uniform
    for (double& v : p) v = 1.0 / double(p.size());
    return;
  }
  for (double& v : p) v /= sum;
}

std::vector<float> to_f(const std::vector<double>& v) { return std::vector<float>(v.begin(), v.end()); }

// The whole step; `tr` null on the fast path.
int32_t run_step(const float* logits_in, int V, const SamplerSettings& settings, Rng& rng, SampleStep* tr) {
  if (V < 1) fail("sampler: empty vocabulary");
  check_sampler_settings(settings);
  SamplerSettings s = settings;
  s.top_k = std::min(s.top_k, V);  // k ≥ the vocabulary keeps every token (the same as off)
  const bool greedy = s.greedy || s.temperature <= kGreedyTemperature;
  if (greedy && !tr) return argmax(logits_in, V);

  std::vector<double> z(static_cast<size_t>(V));  // logits with NaN → −inf
  for (int i = 0; i < V; ++i) z[size_t(i)] = std::isnan(logits_in[i]) ? -INFINITY : double(logits_in[i]);
  int32_t token = 0;
  std::vector<double> p_model, p_temp, p_k, p_final;
  int k_kept = V, p_kept = V;
  double k_cut = -INFINITY, p_cut = 0, p_mass = 1;
  double u = -1;
  if (tr) softmax_d(z, p_model);
  if (greedy) {
    token = argmax(logits_in, V);
    p_temp.assign(size_t(V), 0.0);
    p_temp[size_t(token)] = 1.0;
    p_k = p_final = p_temp;
    k_kept = p_kept = 1;
    k_cut = z[size_t(token)];
    p_cut = 1;
  } else {
    std::vector<double> zt(z);
    for (double& v : zt) v /= double(s.temperature);
    softmax_d(zt, p_temp);
    // top-k: the k best by (scaled logit desc, id asc)
    p_k = p_temp;
    if (s.top_k > 0 && s.top_k < V) {
      std::vector<int32_t> order(static_cast<size_t>(V));
      std::iota(order.begin(), order.end(), 0);
      std::partial_sort(order.begin(), order.begin() + s.top_k, order.end(),
                        [&](int32_t a, int32_t b) { return zt[size_t(a)] > zt[size_t(b)] || (zt[size_t(a)] == zt[size_t(b)] && a < b); });
      std::vector<char> keep(static_cast<size_t>(V), 0);
      for (int i = 0; i < s.top_k; ++i) keep[size_t(order[size_t(i)])] = 1;
      double sum = 0;
      for (int i = 0; i < V; ++i) {
        if (!keep[size_t(i)]) p_k[size_t(i)] = 0;
        sum += p_k[size_t(i)];
      }
      for (double& v : p_k) v /= sum;
      k_kept = s.top_k;
      k_cut = z[size_t(order[size_t(s.top_k - 1)])];
    }
    // top-p: smallest most-likely prefix with mass ≥ p (always at least one token)
    p_final = p_k;
    if (s.top_p < 1.0f) {
      std::vector<int32_t> order;
      for (int i = 0; i < V; ++i)
        if (p_k[size_t(i)] > 0) order.push_back(i);
      std::sort(order.begin(), order.end(), [&](int32_t a, int32_t b) {
        return p_k[size_t(a)] > p_k[size_t(b)] || (p_k[size_t(a)] == p_k[size_t(b)] && a < b);
      });
      double cum = 0;
      size_t n = 0;
      while (n < order.size()) {
        cum += p_k[size_t(order[n])];
        ++n;
        if (cum >= double(s.top_p)) break;
      }
      std::vector<char> keep(static_cast<size_t>(V), 0);
      for (size_t i = 0; i < n; ++i) keep[size_t(order[i])] = 1;
      for (int i = 0; i < V; ++i)
        if (!keep[size_t(i)]) p_final[size_t(i)] = 0;
      for (double& v : p_final) v /= cum;
      p_kept = int(n);
      p_cut = p_k[size_t(order[n - 1])];
      p_mass = cum;
    } else {
      p_kept = k_kept;
    }
    // draw: the first token (by id) whose cumulative probability exceeds u
    u = rng.uniform();
    double cum = 0;
    token = -1;
    int32_t last_nonzero = 0;
    for (int i = 0; i < V; ++i) {
      if (p_final[size_t(i)] <= 0) continue;
      last_nonzero = i;
      cum += p_final[size_t(i)];
      if (u < cum) {
        token = i;
        break;
      }
    }
    if (token < 0) token = last_nonzero;  // u within rounding of 1
  }
  if (tr) {
    tr->settings = s;
    tr->greedy = greedy;
    tr->logits.assign(logits_in, logits_in + V);
    tr->probs = to_f(p_model);
    tr->probs_temp = to_f(p_temp);
    tr->probs_top_k = to_f(p_k);
    tr->probs_final = to_f(p_final);
    tr->top_k_kept = k_kept;
    tr->top_k_cutoff_logit = float(k_cut);
    tr->top_p_kept = p_kept;
    tr->top_p_cutoff_prob = float(p_cut);
    tr->top_p_mass = float(p_mass);
    tr->random = u;
    tr->token = token;
  }
  return token;
}
}  // namespace

SampleStep sample_step(const float* logits, int V, const SamplerSettings& settings, Rng& rng) {
  SampleStep tr;
  run_step(logits, V, settings, rng, &tr);
  return tr;
}

int32_t sample_token(const float* logits, int V, const SamplerSettings& settings, Rng& rng) {
  return run_step(logits, V, settings, rng, nullptr);
}

// [SECTION] beam search
BeamResult beam_search(const Gpt& m, const KvCache& cache, const std::vector<float>& logits, int width, int max_new,
                       int32_t eos) {
  const int V = m.config.vocab_size;
  if (int(logits.size()) != V) fail("beam search: logits do not match the vocabulary");
  require_in_range("beam", width, Range{1, kBeamRange.hi});
  struct Beam {
    KvCache cache;
    std::vector<float> logits;
    int node = -1;
    double score = 0;
    bool ended = false;
  };
  std::vector<Beam> beams(1);
  beams[0].cache = cache;
  beams[0].logits = logits;
  BeamResult r;
  for (int depth = 1; depth <= max_new; ++depth) {
    bool full = false;  // a live beam has filled the context
    for (auto& b : beams) full = full || (!b.ended && b.cache.length >= m.config.block_size);
    if (full) break;
    struct Cand {
      double score;
      int beam;   // index into beams
      int node;   // index into r.nodes (−1: an ended beam carried over)
      int32_t token;
    };
    std::vector<Cand> cands;
    for (int b = 0; b < int(beams.size()); ++b) {
      Beam& bm = beams[size_t(b)];
      if (bm.ended) {
        cands.push_back({bm.score, b, -1, -1});
        continue;
      }
      // log-softmax in double
      double mx = -INFINITY;
      for (float v : bm.logits) mx = std::max(mx, double(v));
      double sum = 0;
      for (float v : bm.logits) sum += std::exp(double(v) - mx);
      const double lse = mx + std::log(sum);
      std::vector<int32_t> order(static_cast<size_t>(V));
      std::iota(order.begin(), order.end(), 0);
      const int k = std::min(width, V);
      std::partial_sort(order.begin(), order.begin() + k, order.end(), [&](int32_t a, int32_t c) {
        return bm.logits[size_t(a)] > bm.logits[size_t(c)] || (bm.logits[size_t(a)] == bm.logits[size_t(c)] && a < c);
      });
      for (int i = 0; i < k; ++i) {
        const int32_t t = order[size_t(i)];
        BeamNode n;
        n.parent = bm.node;
        n.depth = depth;
        n.token = t;
        n.logprob = float(double(bm.logits[size_t(t)]) - lse);
        n.score = bm.score + double(n.logprob);
        r.nodes.push_back(n);
        cands.push_back({n.score, b, int(r.nodes.size()) - 1, t});
      }
    }
    std::stable_sort(cands.begin(), cands.end(), [](const Cand& a, const Cand& b) {
      if (a.score != b.score) return a.score > b.score;
      if (a.beam != b.beam) return a.beam < b.beam;
      return a.token < b.token;
    });
    if (int(cands.size()) > width) cands.resize(size_t(width));
    std::vector<Beam> next;
    std::vector<int> kept;
    bool all_ended = true;
    for (const Cand& c : cands) {
      Beam nb;
      const Beam& parent = beams[size_t(c.beam)];
      nb.score = c.score;
      if (c.node < 0) {  // an ended beam stays as it is
        nb = parent;
        next.push_back(std::move(nb));
        kept.push_back(parent.node);
        continue;
      }
      r.nodes[size_t(c.node)].kept = true;
      kept.push_back(c.node);
      nb.node = c.node;
      nb.ended = eos >= 0 && c.token == eos;
      nb.cache = parent.cache;
      if (!nb.ended) {
        all_ended = false;
        gpt_decode(m, nb.cache, &c.token, 1, nb.logits);
      }
      next.push_back(std::move(nb));
    }
    beams = std::move(next);
    r.beams.push_back(kept);
    if (all_ended) break;
  }
  // best beam: highest score (beams are sorted best first)
  if (!beams.empty() && beams[0].node >= 0) {
    r.best_score = beams[0].score;
    for (int n = beams[0].node; n >= 0; n = r.nodes[size_t(n)].parent) r.best.push_back(r.nodes[size_t(n)].token);
    std::reverse(r.best.begin(), r.best.end());
  }
  return r;
}

}  // namespace gb
