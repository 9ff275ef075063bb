// TransformerLab: the transformer workspace's model, tokenizer, sequence, sampler settings, undo
// history, traces, beam tree, temperature comparison and background training, all driven by commands.
//
// [SECTION] Commands (handle(); also listed with help by commands())
//   load PATH | load shipped | load random [SEED]   model: Glassbox .safetensors, Hugging Face GPT-2
//                                                   folder, the shipped stories model, or a tiny random one
//   prompt "TEXT"            replace the whole sequence by TEXT (bytes; any bytes are fine)
//   step [N]                 generate N tokens (default 1) with the current sampler
//   back [N]                 undo N tokens (default 1): ids, KV cache, random stream, trace as before
//   force ID|"TOKEN"         take this token as the next one instead of drawing (a branch; back returns)
//   branch ID|"TOKEN"        replace the last generated token by this one (back + force)
//   run | pause              Run mode: generate `speed` tokens per second from update()
//   reset                    back to the prompt alone (seed and settings kept)
//   seed S                   reseed the random stream (and reset to the prompt)
//   set temperature T        0.05–3 (values outside are clamped with a note; 1 = the model's own)
//   set top-k K              0 (off) … V          set top-p P        0.01–1 (1 = off)
//   set greedy on|off        set beam B          0 (off, sample) or 1–8 beams
//   set beam-depth D         tokens the beam tree looks ahead, 1–12
//   set speed S              Run mode tokens per second, 0.5–30
//   set max-tokens N         Run mode stops after this many generated tokens, 1–4096
//   select layer L [head H]  select head H     select token I (−1: the last)   (panels follow)
//   compare temperatures T1 T2 T3 [N]   generate N tokens (default 24) from the current state at each T
//   train start [from-scratch|from-shipped] [steps N]   train in the background (UI never waits)
//   train pause | train resume | train stop | train use (generate with the training weights)
//
// Panels read the accessors below; they change the lab only through commands. Everything here runs
// on the UI thread except the trace helper thread and the training worker, which the lab owns.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/rng.hpp"
#include "lab/lab.hpp"
#include "models/transformer/gpt.hpp"
#include "models/transformer/sampler.hpp"
#include "models/transformer/tokenizer.hpp"

namespace gb {

struct TrainSnapshot;  // models/transformer/train.hpp

// [SECTION] Plain data the panels read

// Which model is loaded and where it came from.
struct TransformerModelInfo {
  bool loaded = false;        // false: nothing usable (then the panels show `message`)
  std::string source;         // path, "shipped", or "random (seed S)"
  std::string format;         // "glassbox", "huggingface", "random"
  std::string description;    // one line for students: "stories GPT: 4 layers, 4 heads, 256 wide, 4096 tokens"
  bool random_weights = false;// an untrained fallback (its text is gibberish, and the panels say so)
  size_t params = 0;          // parameter count
  std::string message;        // why the shipped model is not used, or the last load error ("" when fine)
};

// Sampler and Run-mode settings (the sampler's own fields are in SamplerSettings).
struct TransformerSettings {
  SamplerSettings sampler;    // greedy, temperature (default 1), top-k (0 off), top-p (1 off), beam width (0 off)
  uint64_t seed = 42;         // the random stream's seed (`seed S`)
  float speed = 4.0f;         // Run mode: tokens per second, 0.5–30
  int max_tokens = 200;       // Run mode pauses after this many generated tokens
  int beam_depth = 6;         // tokens the beam tree looks ahead
};

// One generated token and everything about how it was chosen.
struct GenStep {
  SampleStep sample;          // the sampler's trace: logits, probabilities at every stage, random draw, token
  int32_t token = 0;          // the token appended (= sample.token unless forced)
  bool forced = false;        // chosen by `force`/`branch` (no random number drawn)
  bool beam = false;          // taken from the best beam (beam width > 0)
  float prob = 0;             // probability the token had in the distribution it was drawn from (probs_final)
  float model_prob = 0;       // probability under the model's own distribution (T = 1, no cuts)
  int position = 0;           // index of the token in the whole sequence (prompt + generated)
  // [internal] state before the step, for `back`
  Rng rng_before;
  int window_start_before = 0;
  std::shared_ptr<const KvCache> cache_before;  // only when the context slid at this step (else truncate)
};

// One run of `compare temperatures`.
struct TemperatureRun {
  float temperature = 1;
  std::vector<int32_t> ids;   // generated tokens
  std::vector<float> probs;   // probability of each when drawn
  std::string text;           // decoded generated bytes
};

// [SECTION] The lab
class TransformerLab : public Lab {
 public:
  TransformerLab();
  ~TransformerLab() override;
  TransformerLab(const TransformerLab&) = delete;
  TransformerLab& operator=(const TransformerLab&) = delete;

  std::string name() const override { return "transformer"; }
  std::string title() const override { return "Transformer (GPT)"; }
  std::vector<PanelInfo> panels() const override;
  // The panels opened when the workspace first opens (a readable default layout).
  std::vector<std::string> default_panels() const override;
  std::vector<CommandHelp> commands() const override;
  CommandResult handle(const Command& c) override;
  void update(double now_seconds) override;
  double seconds_until_update(double now_seconds) const override;
  std::string status() const override;
  void reset_to_defaults() override;  // transformer_lab_reset.cpp

  // [SECTION] Model. The shipped model (assets/models/stories-gpt.safetensors) is loaded on first
  // use; without it a tiny random-weight model with its own small tokenizer stands in.
  const TransformerModelInfo& model_info() const;
  bool has_model() const { return model_info().loaded; }
  const Gpt& model() const;                      // valid when has_model()
  std::shared_ptr<const Gpt> model_ptr() const;  // shared with helper threads; replaced on load/train use
  const Tokenizer& tokenizer() const;            // the model's tokenizer
  // GPT-2's tokenizer from assets/gpt2 (loaded on first call), or nullptr when its files are absent.
  const Tokenizer* gpt2_tokenizer() const;

  // [SECTION] Sequence. The model sees a window of at most block_size tokens; when generation fills
  // it, the oldest half slides out (notes() says so).
  const std::string& prompt() const { return prompt_; }                 // the prompt bytes as given
  const std::vector<int32_t>& all_ids() const { return all_ids_; }      // prompt + generated tokens
  int prompt_tokens() const { return prompt_tokens_; }                  // how many of all_ids are the prompt
  int window_start() const { return window_start_; }                    // first id the model still sees
  std::vector<int32_t> ids() const;                                     // all_ids[window_start:]: what the model sees
  const std::vector<std::string>& token_strings() const;                // token_display_visible per all_ids entry
  std::string text() const;                                             // all_ids decoded (raw bytes)
  const std::vector<GenStep>& steps() const { return steps_; }          // generated tokens, oldest first
  const std::vector<std::string>& notes() const { return notes_; }      // truncation, sliding, clamping
  bool running() const { return running_; }
  const KvCache& kv_cache() const;                                      // K/V of the window (tests, panels)
  const Rng& rng() const { return rng_; }                               // the random stream's state

  // The next token's distribution under the current settings, with the random number the next Step
  // will draw (computed on a copy of the stream; nothing is consumed). nullptr without a model or
  // with an empty sequence (nothing to predict from).
  const SampleStep* next() const;
  // The same logits at temperature 1 with no cuts: the "ghost" distribution.
  const std::vector<float>* next_logits() const;

  // [SECTION] Traces
  // The trace of the sequence the model sees (gpt_trace: every internal). Long traces are computed on
  // a helper thread while Run mode is on, so the trace may lag a token or two (trace_is_current());
  // otherwise it is computed when first asked for. Never null; empty (no ids, no layers) for an empty
  // sequence or no model. logit_lens = true asks for the logit lens (kept on while panels ask).
  std::shared_ptr<const Trace> trace(bool logit_lens = false) const;
  bool trace_is_current() const;
  // Waits for the current sequence's trace (tests, CLI).
  std::shared_ptr<const Trace> trace_now(bool logit_lens = false) const;

  // [SECTION] Beam tree from the current state (width = settings().sampler.beam_width, or 3 when off),
  // computed on first call after a change. nullptr without a model or an empty sequence.
  const BeamResult* beam() const;
  int beam_tree_width() const;

  // [SECTION] Temperature comparison (`compare temperatures …`); empty until run.
  const std::vector<TemperatureRun>& comparison() const { return comparison_; }
  int comparison_start() const { return comparison_start_; }  // all_ids length when it was made

  // [SECTION] Settings and selection (lab state so lessons can drive the panels)
  const TransformerSettings& settings() const { return settings_; }
  int selected_layer() const { return sel_layer_; }   // 0 … n_layer − 1
  int selected_head() const { return sel_head_; }     // 0 … n_head − 1
  int selected_token() const;                         // index into ids() (the window); the last when unset

  // [SECTION] Training (the worker's latest snapshot; nullptr before `train start`)
  std::shared_ptr<const TrainSnapshot> training() const;
  std::string training_source() const { return train_source_; }  // "from-scratch" / "from-shipped"
  std::string training_corpus() const { return train_corpus_; }  // "stories" / "tiny" ("" before any training)
  bool training_preparing() const;                                // corpus/tokenizer being prepared
  std::string training_error() const;                             // why preparing the training failed ("" if not)

  // A counter that changes whenever the sequence, settings or model change (panels may cache on it).
  uint64_t version() const { return version_; }

  struct Impl;  // helper threads and caches (transformer_lab.cpp)

 private:
  CommandResult do_load(const std::string& what, uint64_t seed);
  CommandResult do_prompt(const std::string& text);
  CommandResult do_step(int n, std::string& note);
  CommandResult do_back(int n);
  CommandResult do_force(const std::string& what, bool replace);
  CommandResult do_set(const Command& c);
  CommandResult do_select(const Command& c);
  CommandResult do_compare(const Command& c);
  CommandResult do_train(const Command& c);
  bool append_token(int32_t token, const SampleStep& s, bool forced, bool beam, const Rng& rng_before,
                    std::string& note);
  void rebuild_from_prompt();  // ids, cache, logits from prompt_ (keeps settings and seed)
  void ensure_model() const;
  void update_training();      // picks up prepared trainers and worker snapshots
  void changed();              // bumps version_, drops caches

  std::unique_ptr<Impl> impl_;
  std::string prompt_ = "Once upon a time";
  std::vector<int32_t> all_ids_;
  int prompt_tokens_ = 0;
  int window_start_ = 0;
  std::vector<GenStep> steps_;
  std::vector<std::string> notes_;
  TransformerSettings settings_;
  Rng rng_{42};
  bool running_ = false;
  double run_accum_ = 0, last_update_ = -1;
  int run_generated_ = 0;
  std::vector<TemperatureRun> comparison_;
  int comparison_start_ = 0;
  int sel_layer_ = 0, sel_head_ = 0, sel_token_ = -1;
  std::string train_source_;
  std::string train_corpus_;
  uint64_t version_ = 1;
};

}  // namespace gb
