// GptSession: what a transformer lab holds — a model and its tokenizer, the current token sequence
// with its KV cache and next-token logits, sampler settings and a seeded Rng, a history of steps
// that can be undone exactly, and the full Trace of the current sequence on request.
//
//   GptSession s = GptSession::load("assets/models/stories-gpt.safetensors");  // or a Hugging Face folder
//   s.set_prompt("Once upon a time");      // tokenises, prefills the cache
//   s.settings.temperature = 0.8f;         // greedy / temperature / top-k / top-p
//   const SampleStep& st = s.step();       // draws one token, appends it; st has every probability
//   s.back();                              // undo: sequence, cache and Rng as before the step
//   Trace tr = s.trace({});                // every internal of the current sequence (for panels)
//
// When the sequence fills the model's context, the window slides: the oldest tokens leave the
// context (window_start() grows) and the cache is rebuilt from the remaining ones.
#pragma once
#include <cstdint>
#include <deque>
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

class GptSession {
 public:
  // One generated (or forced) token, enough to undo it exactly.
  struct StepRecord {
    int32_t token = 0;
    Rng rng_before;            // the sampler's Rng before the draw
    int window_before = 0;     // window_start() before the step
    bool forced = false;       // pushed by push(), not sampled
  };

  // tokenizer may be null (then only ids work, and token strings read "<id>").
  GptSession(std::shared_ptr<const Gpt> model, std::shared_ptr<const Tokenizer> tokenizer, uint64_t seed = 1);
  // load_gpt(path) plus the tokenizer stored in / beside it. Throws gb::Error naming the path.
  static GptSession load(const std::string& path, uint64_t seed = 1);

  // [SECTION] the sequence
  // Replaces the sequence (clears the history). Throws gb::Error for an empty prompt, ids outside the
  // vocabulary, or text without a tokenizer. A prompt longer than the context keeps its last tokens.
  void set_prompt(const std::string& text);
  void set_ids(const std::vector<int32_t>& ids);
  const std::vector<int32_t>& ids() const { return ids_; }      // the whole sequence (prompt + steps)
  int prompt_length() const { return prompt_len_; }
  int window_start() const { return window_; }                  // first id inside the model's context
  const std::vector<float>& logits() const { return logits_; }  // (V) next-token logits of the sequence

  // [SECTION] stepping
  SamplerSettings settings;  // used by step()
  Rng rng;                   // the sampler's stream (seeded by the constructor / reseed)
  void reseed(uint64_t seed) { rng.reseed(seed); }
  // Samples one token with `settings` and `rng`, appends it and returns the step's full trace
  // (valid until the next step/back/set call).
  const SampleStep& step();
  // Appends a chosen token (a student's pick) without drawing; undoable like a step.
  void push(int32_t token);
  // Undoes the last step or push: sequence, KV cache, window and Rng as they were. False when
  // nothing is left to undo (the prompt stays).
  bool back();
  const std::vector<StepRecord>& history() const { return history_; }
  // The trace of the last step() when it is still current (null after push/back/set).
  const SampleStep* last_step() const { return has_last_ ? &last_ : nullptr; }

  // [SECTION] inspection
  // Full trace of the tokens inside the context window (ids()[window_start() …]), with token
  // strings filled in. Costs one uncached forward pass (plus the logit lens when asked).
  Trace trace(const TraceOptions& opt = {}) const;
  // A token's display string (gb::token_display of its bytes), "<id>" without a tokenizer.
  std::string token_string(int32_t id) const;
  // The sequence as text (its bytes; empty without a tokenizer; ids beyond the tokenizer read "<id>").
  std::string text() const;

  const Gpt& model() const { return *model_; }
  const Tokenizer* tokenizer() const { return tok_.get(); }
  std::shared_ptr<const Gpt> model_ptr() const { return model_; }
  std::shared_ptr<const Tokenizer> tokenizer_ptr() const { return tok_; }

 private:
  void rebuild();              // cache + logits from ids_[window_ …]
  void append(int32_t token);  // decode one token (sliding the window when the context is full)

  std::shared_ptr<const Gpt> model_;
  std::shared_ptr<const Tokenizer> tok_;
  std::vector<int32_t> ids_;
  int prompt_len_ = 0;
  int window_ = 0;
  KvCache cache_;
  std::vector<float> logits_;
  std::vector<StepRecord> history_;
  SampleStep last_;
  bool has_last_ = false;
};

}  // namespace gb
