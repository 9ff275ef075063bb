// Choosing the next token: greedy, temperature, top-k, top-p (nucleus) and beam search. Seeded with
// gb::Rng and computed in a fixed order, so a seed gives the same tokens on every machine. Each
// sampling step returns a trace of everything it did, for the sampling panel and lessons.
//
// Order of transforms (as Hugging Face): logits → ÷ temperature → softmax → keep top-k → renormalise
// → keep the smallest set of most likely tokens whose mass reaches top-p → renormalise → draw.
// A lab's step: SampleStep s = sample_step(logits.data(), V, settings, rng); then gpt_decode(s.token).
// Undo: keep a copy of the Rng from before the step (it is plain data) and truncate the KV cache.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/rng.hpp"
#include "models/transformer/gpt.hpp"

namespace gb {

// [SECTION] settings
// Temperatures at or below this count as greedy (argmax): dividing by ~0 would overflow. (The settings'
// range, models/transformer/limits.hpp, starts above it; the guard stays for the division.)
constexpr float kGreedyTemperature = 1e-3f;

struct SamplerSettings {
  bool greedy = false;       // always take the most likely token
  float temperature = 1.0f;  // logits are divided by it; kTemperatureRange (ignored when greedy)
  int top_k = 0;             // keep the k most likely tokens (0: off; ≥ V keeps all); kTopKRange
  float top_p = 1.0f;        // keep the smallest most-likely set with mass ≥ top_p (1: off); kTopPRange
  int beam_width = 0;        // > 0: beam search with this many beams (see beam_search); kBeamRange
};

// Throws gb::Error naming the first setting outside its range (models/transformer/limits.hpp, the same ranges
// as the transformer lab's table): "temperature 9: out of range 0.05–5". Nothing is clamped.
void check_sampler_settings(const SamplerSettings& s);

// [SECTION] one step
// Everything a sampling step did. Vectors are (V), indexed by token id.
struct SampleStep {
  SamplerSettings settings;          // as used (top-k above the vocabulary reads as V)
  bool greedy = false;               // argmax taken (greedy flag or temperature ≤ kGreedyTemperature)
  std::vector<float> logits;         // raw model logits
  std::vector<float> probs;          // softmax(logits): the model's own distribution
  std::vector<float> probs_temp;     // softmax(logits / temperature)
  std::vector<float> probs_top_k;    // after the top-k cut, renormalised (= probs_temp when off)
  std::vector<float> probs_final;    // after the top-p cut, renormalised: what the draw used
  int top_k_kept = 0;                // tokens left after top-k
  float top_k_cutoff_logit = 0;      // smallest logit kept by top-k (−inf when off)
  int top_p_kept = 0;                // tokens left after top-p
  float top_p_cutoff_prob = 0;       // smallest probability (in probs_top_k) kept by top-p (0 when off)
  float top_p_mass = 1;              // mass of the kept set before renormalising
  double random = -1;                // the uniform number in [0, 1) drawn (−1: greedy, nothing drawn)
  int32_t token = 0;                 // the token chosen
};

// One step over `logits` (V). Draws exactly one number from rng unless greedy (then none).
// Ties break toward the lower token id. Never divides by zero; NaN logits are treated as −inf.
SampleStep sample_step(const float* logits, int V, const SamplerSettings& settings, Rng& rng);

// The fast path for decoding without a trace: the same token sample_step would pick (and the same
// rng use), without keeping the vectors.
int32_t sample_token(const float* logits, int V, const SamplerSettings& settings, Rng& rng);

// [SECTION] beam search
// One node of the beam tree: a token appended to its parent's sequence.
struct BeamNode {
  int parent = -1;        // index in BeamResult::nodes (−1: a child of the prompt)
  int depth = 0;          // 1 for the first generated token
  int32_t token = 0;
  float logprob = 0;      // log p(token | prefix) under the model
  double score = 0;       // sum of logprobs from the prompt to this node
  bool kept = false;      // among the `width` best at its depth (else a pruned candidate)
};

struct BeamResult {
  std::vector<BeamNode> nodes;          // every candidate considered, kept or pruned, in creation order
  std::vector<std::vector<int>> beams;  // per depth: the kept node indices, best first
  std::vector<int32_t> best;            // tokens of the best final beam
  double best_score = 0;
};

// Beam search from a prompt already decoded into `cache` whose last logits are `logits` (V).
// Each depth keeps the `width` best sequences by total log-probability; the `width` best children of
// each beam are recorded as candidates (pruned ones too, for display). Stops after max_new tokens or
// when every beam has ended with `eos` (−1: none). Deterministic: ties break by lower parent, then token.
// Throws gb::Error for a width outside 1 … kBeamRange.hi ("beam 9: out of range 1–8").
BeamResult beam_search(const Gpt& m, const KvCache& cache, const std::vector<float>& logits, int width, int max_new,
                       int32_t eos = -1);

}  // namespace gb
