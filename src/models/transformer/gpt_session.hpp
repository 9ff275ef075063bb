// GptSession: the one prompt → step → back → branch state of a GPT, used by the transformer lab and
// by `glassbox generate`. It holds a model (and optionally its tokenizer), the whole token sequence,
// the KV cache and next-token logits of the part the model sees (the context window), a seeded Rng,
// and a history of steps that can be undone exactly.
//
//   GptSession s = GptSession::load("assets/models/stories-gpt.safetensors");  // or a Hugging Face folder
//   s.set_prompt("Once upon a time");      // tokenises, prefills the cache
//   s.settings.temperature = 0.8f;         // greedy / temperature / top-k / top-p
//   const GenStep& g = s.step();           // draws one token, appends it; g.sample has every probability
//   s.push(id);                            // a chosen token instead of a draw (a branch); undoable
//   s.back();                              // undo: sequence, cache, window and Rng as before the step
//   Trace tr = s.trace({});                // every internal of the window (for panels)
//
// [SECTION] The context-window rule (the only one in Glassbox)
// The model sees at most block_size tokens. A prompt longer than that keeps its last block_size
// tokens in view (window_start() > 0). When a step appends a token to a full window, the window
// slides: it then holds the newest kept_after_slide(block_size) = max(1, block_size / 2) tokens
// (the new one included) and their cache is decoded again. back() slides it back exactly.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/rng.hpp"
#include "models/transformer/gpt.hpp"
#include "models/transformer/sampler.hpp"
#include "models/transformer/tokenizer.hpp"

namespace gb {

struct LoadedGpt;
// The tokenizer that belongs to a loaded model: its checkpoint's `glassbox.tokenizer`, or the GPT-2
// files (vocab.json+merges.txt, encoder.json+vocab.bpe, tokenizer.json) in its Hugging Face folder;
// null when it has none. Throws gb::Error for tokenizer data that is present but malformed.
std::shared_ptr<const Tokenizer> load_tokenizer_for(const LoadedGpt& l);

// One generated (or forced) token, everything about how it was chosen, and what undoes it.
struct GenStep {
  SampleStep sample;          // the sampler's trace: logits, probabilities at every stage, random draw, token
                              // (for a forced or beam token: what a draw would have shown; vectors are
                              // emptied on older steps when GptSession::keep_traces is false)
  int32_t token = 0;          // the token appended (= sample.token unless forced or from a beam)
  bool forced = false;        // chosen by push() (a student's pick; no random number drawn)
  bool beam = false;          // taken from the best beam (step_beam)
  float prob = 0;             // probability the token had in the distribution it was drawn from (probs_final)
  float model_prob = 0;       // probability under the model's own distribution (T = 1, no cuts)
  int position = 0;           // index of the token in the whole sequence (prompt + generated)
  // [internal] state before the step, for back()
  Rng rng_before;
  int window_start_before = 0;
  std::shared_ptr<const KvCache> cache_before;  // only when the window slid at this step (else truncate)
};

class GptSession {
 public:
  // The context-window rule: tokens left in view after a slide (see the file comment).
  static int kept_after_slide(int block_size) { return block_size / 2 > 1 ? block_size / 2 : 1; }

  GptSession() = default;  // no model: has_model() is false, every sequence call throws
  // tokenizer may be null (then only ids work, and token strings read "<id>").
  GptSession(std::shared_ptr<const Gpt> model, std::shared_ptr<const Tokenizer> tokenizer, uint64_t seed = 1);
  // load_gpt(path) plus the tokenizer stored in / beside it. Throws gb::Error naming the path.
  static GptSession load(const std::string& path, uint64_t seed = 1);

  // [SECTION] the sequence
  // Replaces the sequence (clears the history). Throws gb::Error for an empty prompt, ids outside the
  // vocabulary, or text without a tokenizer. A prompt longer than the context keeps its last tokens.
  void set_prompt(const std::string& text);
  // As set_prompt with ids; an empty list is allowed here (then there is nothing to predict from:
  // logits() is empty and step() throws).
  void set_ids(const std::vector<int32_t>& ids);
  const std::vector<int32_t>& ids() const { return ids_; }      // the whole sequence (prompt + steps)
  std::vector<int32_t> window_ids() const { return std::vector<int32_t>(ids_.begin() + window_, ids_.end()); }
  int prompt_length() const { return prompt_len_; }
  int window_start() const { return window_; }                  // first id inside the model's context
  int window_length() const { return int(ids_.size()) - window_; }
  const std::vector<float>& logits() const { return logits_; }  // (V) next-token logits; empty without a sequence
  const KvCache& cache() const { return cache_; }               // K/V of the window

  // [SECTION] stepping
  SamplerSettings settings;  // used by step() / push() / step_beam() without explicit settings
  Rng rng;                   // the sampler's stream (seeded by the constructor / reseed)
  void reseed(uint64_t seed) { rng.reseed(seed); }
  bool keep_traces = true;   // false: older steps drop their SampleStep vectors and cache copies
                             // (long CLI runs; back() then decodes again instead of restoring)
  // Samples one token, appends it and returns its record (valid until the next step/back/set call).
  const GenStep& step() { return step(settings); }
  const GenStep& step(const SamplerSettings& s);
  // Appends the first token of the best beam of `width` beams looking `depth` tokens ahead (within
  // the window's free room, at least 1); the record's sample is a draw on a copy of the Rng (the
  // stream is not advanced).
  const GenStep& step_beam(const SamplerSettings& s, int width, int depth);
  // Appends a chosen token (a student's pick) without drawing; undoable like a step. The record's
  // sample shows the distribution it was chosen from (drawn on a copy of the Rng).
  const GenStep& push(int32_t token) { return push(token, settings); }
  const GenStep& push(int32_t token, const SamplerSettings& s);
  // Undoes the last step or push: sequence, KV cache, window and Rng as they were. False when
  // nothing is left to undo (the prompt stays).
  bool back();
  const std::vector<GenStep>& history() const { return history_; }
  // The last step's record when the last change was a step or push (null after back/set).
  const GenStep* last_step() const { return has_last_ ? &history_.back() : nullptr; }
  // The next step's draw under `s` on a copy of the Rng (nothing consumed). Throws without a sequence.
  SampleStep preview(const SamplerSettings& s) const;

  // [SECTION] inspection
  // Full trace of the tokens inside the context window (ids()[window_start() …]), with token
  // strings filled in. Costs one uncached forward pass (plus the logit lens when asked).
  Trace trace(const TraceOptions& opt = {}) const;
  // A token's display string (gb::token_display of its bytes), "<id>" without a tokenizer.
  std::string token_string(int32_t id) const;
  // The sequence as text (its bytes; empty without a tokenizer; ids beyond the tokenizer read "<id>").
  std::string text() const;

  bool has_model() const { return model_ != nullptr; }
  const Gpt& model() const { return *model_; }
  const Tokenizer* tokenizer() const { return tok_.get(); }
  std::shared_ptr<const Gpt> model_ptr() const { return model_; }
  std::shared_ptr<const Tokenizer> tokenizer_ptr() const { return tok_; }

 private:
  void need_sequence() const;  // throws without a model or a sequence
  const GenStep& append(int32_t token, SampleStep sample, bool forced, bool beam, const Rng& rng_before);

  std::shared_ptr<const Gpt> model_;
  std::shared_ptr<const Tokenizer> tok_;
  std::vector<int32_t> ids_;
  int prompt_len_ = 0;
  int window_ = 0;
  KvCache cache_;
  std::vector<float> logits_;
  std::vector<GenStep> history_;
  bool has_last_ = false;
};

}  // namespace gb
