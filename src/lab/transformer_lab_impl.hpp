// TransformerLab's private state shared by its .cpp files: model, KV cache, caches, helper threads.
#pragma once
#include <future>
#include <memory>
#include <string>
#include <vector>

#include "lab/transformer_lab.hpp"
#include "lab/transformer_trace_worker.hpp"
#include "models/transformer/train.hpp"

namespace gb {

// A model read by load (maybe on a helper thread), ready to install.
struct LoadedModel {
  std::shared_ptr<Gpt> model;
  Tokenizer tok;
  TransformerModelInfo info;
};
struct LoadingResult {
  LoadedModel model;
  std::string error;  // "" when it loaded
};

struct TransformerLab::Impl {
  // [SECTION] model
  bool model_tried = false;            // the default model was looked for (lazy, on first use)
  TransformerModelInfo info;
  std::shared_ptr<const Gpt> model;
  bool trained = false;                // model holds weights from `train use`, not the checkpoint's (session files keep them)
  Tokenizer tok;
  bool gpt2_tried = false;
  std::unique_ptr<Tokenizer> gpt2;     // assets/gpt2 when present
  // the default model as first loaded, kept so reset_to_defaults() restores it without disk reads
  std::shared_ptr<const Gpt> base_model;
  Tokenizer base_tok;
  TransformerModelInfo base_info;
  std::future<LoadingResult> loading;  // a big model being read in the background (do_load)
  std::string loading_what;

  // [SECTION] display state of the sequence (the decoding state is TransformerLab::seq_)
  std::vector<std::string> token_strings;  // per all_ids entry
  uint64_t seq_version = 1;            // bumps when the sequence or the model changes

  // [SECTION] caches
  bool next_valid = false;
  SampleStep next;
  std::shared_ptr<const Trace> trace;  // latest trace (maybe of an older sequence while running)
  uint64_t trace_key = 0;              // seq_version the trace belongs to
  bool trace_lens = false;
  uint64_t updates = 0;                // update() calls
  uint64_t lens_wanted_until = 0;      // keep computing the logit lens until this many updates
  TraceWorker worker;
  bool beam_valid = false;
  bool beam_any = false;               // `beam` holds some tree (maybe of an older sequence)
  uint64_t beam_at = 0;                // updates when it was last started (Run mode recomputes it at most every 20)
  BeamResult beam;
  // Run mode grows the tree on a helper thread (a search takes milliseconds): the panel shows the last finished
  // tree meanwhile. beam_job_version: the lab's version() the job started from (its tree is current if unchanged).
  std::future<BeamResult> beam_job;
  uint64_t beam_job_version = 0;

  // [SECTION] training
  std::future<std::unique_ptr<Trainer>> prep;  // corpus + tokens + Trainer, prepared off the UI thread
  std::unique_ptr<TrainWorker> train;
  std::shared_ptr<const TrainSnapshot> snap;
  GptConfig train_config;              // dims of the model being trained
  std::string train_error;
};

// Display string for a token id of this tokenizer (`<id N>` for ids it does not know).
std::string lab_token_display(const Tokenizer& tok, int32_t id);

}  // namespace gb
