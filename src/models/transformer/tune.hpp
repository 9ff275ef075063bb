// After pretraining: fine-tuning (all weights or LoRA adapters) on a small corpus, and DPO (direct
// preference optimisation, the short road to RLHF's goal) on (prompt, chosen, rejected) pairs, both
// against a frozen copy of the starting model (the base / the reference).
//
//   Tuner t(cfg, loaded.params, {.lora_rank = 4});   // 0: full fine-tuning
//   t.set_corpus(tokens);                             // the style corpus, encoded
//   for (...) t.finetune_step();                      // loss, gradient norm
//   DpoStats s = t.dpo_step(pairs);                   // loss, log-probabilities, KL to the reference
//   t.weights();                                      // the tuned model (LoRA merged), GPT-2 names
//   t.undo();                                         // back to the base at any time
//
// DPO (Rafailov et al. 2023) per pair, with π the model, π_ref the frozen reference:
//   u = β·[(log π(chosen) − log π_ref(chosen)) − (log π(rejected) − log π_ref(rejected))]
//   loss = −log σ(u);  ∂loss/∂log π(chosen) = −β·σ(−u),  ∂loss/∂log π(rejected) = +β·σ(−u)
// where log π(y) is the sum of log p over y's tokens after the prompt. The batch loss is the mean.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/rng.hpp"
#include "models/transformer/gpt_backward.hpp"
#include "models/transformer/lora.hpp"
#include "nn/adamw.hpp"
#include "nn/params.hpp"

namespace gb {

// [SECTION] corpus text
// A teacher's text as the stories model reads it: checked (throws gb::Error naming `file` when it is
// empty or only blanks, binary — a NUL byte — or not UTF-8), stories split at blank lines, each
// story's lines joined by spaces, stories separated by <|endoftext|> as in the pretraining corpus.
std::string corpus_from_text(const std::string& text, const std::string& file);

// [SECTION] preference pairs as text (the JSONL layout common DPO data sets use)
struct PreferenceText {
  std::string prompt, chosen, rejected;
};
// One JSON object per line with string members `prompt`, `chosen`, `rejected` (others ignored; blank
// lines skipped), read through gb::JsonIn. Throws gb::Error naming `file`, the line and the key for
// bad JSON, a missing or non-string member, an empty prompt or continuation, chosen == rejected,
// a binary file (NUL byte), or no pairs at all.
std::vector<PreferenceText> parse_preferences(const std::string& text, const std::string& file);
// The same layout back (one line per pair, UTF-8 kept, control characters escaped).
std::string preferences_to_jsonl(const std::vector<PreferenceText>& pairs);

// [SECTION] settings
struct TuneConfig {
  int lora_rank = 0;          // 0: train every weight; r ≥ 1: LoRA adapters of rank r
  float lora_alpha = 0;       // LoRA α (0: α = r)
  float lr = 1e-3f;           // AdamW learning rate (constant)
  int batch = 8;              // fine-tuning windows per step
  int context = 64;           // fine-tuning window length (≤ the model's block_size)
  float weight_decay = 0.0f;  // AdamW decoupled decay (0: none; fine-tuning stays near the base)
  float grad_clip = 1.0f;     // global gradient-norm limit (0: none)
  float beta = 0.1f;          // DPO β: how strongly the reference holds the model
  uint64_t seed = 1;          // LoRA init and batch draws
  int threads = 1;            // OpenMP threads of the calling thread while stepping (1: steady on a busy machine)
};

// [SECTION] sequence log-probabilities (shared by DPO and tests)
// log π(cont | prompt) = Σ_i log p(cont_i | prompt, cont_<i) under the weights `p`, keeping the
// activations in `a` (one sequence, B = 1) for a backward pass. The prompt (≥ 1 token) is cut from
// the left when prompt + cont does not fit the context; cont (≥ 1 token) must fit with 1 prompt token.
// `rows` gets the first row of the continuation and their count (for the backward's weights).
struct SeqRows {
  int first = 0, count = 0, T = 0;
  std::vector<int32_t> tokens;  // (T) the inputs that went in (for the backward)
};
double sequence_logprob(const GptConfig& d, const GptParamIdx& ix, const ParamSet& p, const std::vector<int32_t>& prompt,
                        const std::vector<int32_t>& cont, GptActs& a, SeqRows& rows);

// One preference: the prompt and two continuations, token ids.
struct DpoPair {
  std::vector<int32_t> prompt, chosen, rejected;
};

struct DpoPairStats {
  double logp_chosen = 0, logp_rejected = 0;          // log π under the model being tuned
  double ref_chosen = 0, ref_rejected = 0;            // log π_ref under the frozen reference
  double u = 0;                                       // β·[(lc − rc) − (lr − rr)]
  double loss = 0;                                    // −log σ(u)
  double kl = 0;                                      // mean over continuation tokens of KL(π ‖ π_ref) of the next-token distributions
};
struct DpoStats {
  double loss = 0;        // mean over pairs
  double accuracy = 0;    // fraction of pairs with u > 0 (the model prefers the chosen more than the reference did)
  double kl = 0;          // mean KL to the reference over pairs
  double grad_norm = 0;   // before clipping (0 when only measured)
  std::vector<DpoPairStats> pairs;
};

// The DPO loss of `pairs` for weights `p` against `ref`, and (when p.grad is sized) its gradient
// added into p.grad (call p.zero_grad() first). Independent of the Tuner (tests check it against PyTorch).
DpoStats dpo_loss_and_grad(const GptConfig& d, const GptParamIdx& ix, ParamSet& p, const ParamSet& ref,
                           const std::vector<DpoPair>& pairs, float beta, bool with_grad);

// [SECTION] the tuner
struct MatrixChange {
  std::string name;      // "h.2.mlp.c_fc.weight"
  double norm = 0;       // ‖W_tuned − W_base‖ (Frobenius)
  double base_norm = 0;  // ‖W_base‖
};

struct TuneStep {
  double loss = 0, grad_norm = 0;
  bool ok = true;        // false: NaN/Inf met, the update was not applied
  std::string message;
};

class Tuner {
 public:
  // `base` holds the starting weights under GPT-2's names (Gpt::params of a loaded model).
  Tuner(const GptConfig& cfg, const ParamSet& base, const TuneConfig& tc);

  const GptConfig& model_config() const { return cfg_; }
  const TuneConfig& config() const { return tc_; }
  bool uses_lora() const { return lora_ != nullptr; }
  const Lora* lora() const { return lora_.get(); }
  // Numbers each step changes: every weight (full) or every A and B (LoRA).
  size_t trainable_count() const;
  size_t model_count() const { return base_.count(); }
  int64_t steps_done() const { return steps_; }
  // The learning rate and DPO β of the next steps (the weights and the optimiser's moments are kept).
  void set_rates(float lr, float beta);
  // A saved fine-tune of this base back (every-weight mode only: LoRA files hold the merged weights): the weights
  // become `tuned`, `steps` steps are counted, the optimiser starts fresh. Throws gb::Error when the layout differs.
  void restore(const ParamSet& tuned, int64_t steps);

  // The corpus to fine-tune on (token ids); throws gb::Error when it is shorter than context + 2 tokens.
  void set_corpus(std::vector<int32_t> tokens);
  // One AdamW step on `batch` windows drawn from the corpus with the seeded RNG.
  TuneStep finetune_step();
  // One AdamW step on the DPO loss of `pairs` (all of them, one batch).
  DpoStats dpo_step(const std::vector<DpoPair>& pairs);
  // The DPO numbers of `pairs` now, without a step.
  DpoStats dpo_measure(const std::vector<DpoPair>& pairs) const;
  // Mean next-token loss on n evenly spaced windows of `context` tokens of `tokens`, with the tuned
  // weights (base = true: the frozen base). Fewer windows when the text is short; NaN when none fits.
  double mean_loss(const std::vector<int32_t>& tokens, int n_windows, bool base = false) const;

  // The tuned weights (LoRA folded in), GPT-2 names: save or load these like any model.
  const ParamSet& weights() const { return eff_; }
  const ParamSet& base() const { return base_; }
  // ‖ΔW‖ of every matrix (and vector), in the model's order.
  std::vector<MatrixChange> changes() const;
  // Back to the base: the tuned weights, the adapters and the optimiser start over.
  void undo();

 private:
  void refresh();  // eff_ from base_ (+ LoRA)
  TuneStep apply_update(double loss);

  GptConfig cfg_;
  TuneConfig tc_;
  GptParamIdx ix_;
  ParamSet base_;                 // frozen starting weights (and the DPO reference)
  ParamSet eff_;                  // weights the model runs with (full: the trained ones)
  std::unique_ptr<Lora> lora_;
  AdamW opt_;
  Rng rng_;
  int64_t steps_ = 0;
  std::vector<int32_t> corpus_;
  std::vector<int32_t> batch_, inp_, tgt_;
  mutable GptActs acts_;
};

}  // namespace gb
