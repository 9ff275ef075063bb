// TeachLab: the stages after pretraining on the shipped stories model — fine-tuning (all weights or
// LoRA), learning from the class's votes (DPO), retrieval from a notebook of facts, and bias from the
// data mix — all driven by commands; training steps run in a worker thread, so the UI never waits.
//
// [SECTION] Commands (handle(); also listed with help by commands())
//   teach load shipped|PATH          the model to start from (also the frozen base / reference)
//   teach corpus sea|space|rhyme|mix|PATH   the fine-tuning text (mix: the doctor stories of `teach mix`)
//   teach mode full|lora R           train every weight, or LoRA adapters of rank R (starts over from the base)
//   teach set NAME VALUE             lr, beta, seed, mix, rank, steps (lab/teach_settings.cpp; old spellings
//                                    `teach lr|beta|seed|mix V` still work). lr and β apply to the next steps;
//                                    seed and rank start over from the base; mix makes the doctor corpus
//   teach finetune [N]               N fine-tuning steps in the worker (default: the `steps` setting, 30)
//   teach prompt "…"                 the prompt of the probes, the A/B samples and retrieval
//   teach sample                     writes two continuations A and B of the prompt (seeded)
//   teach vote a|b                   the class prefers A (or B): a (prompt, chosen, rejected) pair
//   teach rule WORD|off              a rule-voter: `teach sample` then votes for the one containing WORD
//   teach dpo steps N                N DPO steps on all the votes, against the frozen base
//   teach votes save PATH | votes load PATH | votes clear   the vote list as JSONL (glassbox dpo reads it)
//   teach votes remove N             drop vote N (1 = the first in the list)
//   teach autovote N                 with a rule: sample pairs until N more votes are cast (at most 40·N pairs)
//   teach fresh [N]                  N fresh samples of the prompt from the model as it is now (default 10)
//   teach retrieve on|off            put the best facts in front of the prompt
//   teach facts add "…" | facts load PATH | facts clear | facts remove N | facts shipped
//   teach mix P                      the doctor stories with share P (0–1) of "she"; becomes the corpus
//   teach undo                       back to the base (tuned weights and optimiser dropped; votes kept)
//   teach stop | teach wait          stop the worker after its step | wait for it (tests, lessons)
//   teach save PATH                  write the tuned model (loads wherever a model loads)
#pragma once
#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "lab/lab.hpp"
#include "models/transformer/checkpoint.hpp"
#include "models/transformer/gpt.hpp"
#include "models/transformer/retrieval.hpp"
#include "models/transformer/tokenizer.hpp"
#include "models/transformer/tune.hpp"

namespace gb {

struct TeachSettings;  // lab/lab_settings.hpp

// One vote: the prompt and the two continuations, text as shown.
using TeachVote = PreferenceText;

// The next-token distribution after the probe prompt, for the base and the tuned model.
struct TeachProbe {
  std::string context;                       // the text that went in (with retrieved facts in front when on)
  std::vector<TokenScore> base_top, tuned_top;  // best candidates, best first
  std::vector<std::string> base_tokens, tuned_tokens;  // their text
};

// Retrieval before and after, for the facts panel: the tuned model's next token after the prompt alone
// and after the prompt with the retrieved facts in front, and its probability of the true answer.
struct TeachFactsProbe {
  std::string answer;                 // the word a fact of the notebook says comes next (" Max"), empty if none
  int answer_fact = -1;               // the fact it comes from (index into facts), −1: none
  std::string context_without, context_with;  // the prompt alone; the retrieved facts + the prompt
  std::vector<int> retrieved;         // facts put in front (indices, in context order)
  double p_without = 0, p_with = 0;   // the model's probability of the answer's first token (NaN: no answer)
  std::vector<TokenScore> top_without, top_with;  // best next tokens, best first
  std::vector<std::string> tokens_without, tokens_with;
};

// One point of the forgetting plot: the mean next-token loss (nats per token) on the style corpus and on the
// original stories, after `step` tuning steps from the base.
struct TeachForgetPoint {
  int64_t step = 0;
  float style = 0, stories = 0;
};

// One bias run: the share of "she" doctor stories it fine-tuned on (from the base) and the model's next word
// after kDoctorProbe then.
struct TeachBiasPoint {
  double mix = 0;
  int steps = 0;
  double p_she = 0, p_he = 0;
};

// What the worker publishes (copied under a mutex; panels read a copy).
struct TeachProgress {
  enum class Job { none, finetune, dpo, autovote };
  Job job = Job::none;
  bool running = false;
  int64_t step = 0, total = 0;
  std::vector<float> finetune_loss;    // every fine-tuning step's batch loss, over the whole session
  std::vector<float> dpo_loss;         // every DPO step's loss
  std::vector<float> dpo_kl;           // KL to the reference at every DPO step
  std::vector<TeachForgetPoint> forgetting;  // since the base (cleared by undo, mode, corpus): every few steps
  std::vector<TeachBiasPoint> bias;          // the bias runs so far (`teach bias run`), one point per run
  double seconds_per_step = 0;         // of the last job
  std::string message;                 // errors, "stopped"
};

class TeachLab : public Lab {
 public:
  TeachLab();
  ~TeachLab() override;
  std::string name() const override { return "teach"; }
  std::string title() const override { return "After pretraining (fine-tune, votes, facts, bias)"; }
  std::vector<PanelInfo> panels() const override;
  std::vector<std::string> default_panels() const override;
  std::vector<CommandHelp> commands() const override;
  std::vector<SettingSpec> setting_table() const override;        // lab/lab_settings.cpp
  double setting_value(const std::string& name) const override;  // lab/lab_settings.cpp
  TeachSettings settings() const;
  CommandResult handle(const Command& c) override;
  void update(double now_seconds) override;
  std::string status() const override;
  double seconds_until_update(double) const override { return busy() ? 0.1 : kNever; }
  void reset_to_defaults() override;

  // [SECTION] read access for panels and tests (UI thread; while a job runs the tuner is not read)
  bool loaded() const { return tuner_ != nullptr; }
  bool busy() const { return job_running_.load(); }
  TeachProgress progress() const;
  const std::vector<TeachVote>& votes() const { return votes_; }
  // What the last `teach autovote` did, once its job ended ("" before): votes cast, pairs read.
  const std::string& autovote_summary() const { return autovote_summary_; }
  const std::string& sample_a() const { return sample_a_; }
  const std::string& sample_b() const { return sample_b_; }
  const FactBook& facts() const { return facts_; }
  const std::vector<FactScore>& fact_scores() const { return fact_scores_; }
  bool retrieval_on() const { return retrieve_; }
  const TeachProbe& probe() const { return probe_; }
  const Tuner* tuner() const { return busy() ? nullptr : tuner_.get(); }
  // The tuned model's probability of `word` (its first token) right after `context`; base: the frozen base.
  double next_prob(const std::string& context, const std::string& word, bool base) const;
  double mix() const { return mix_; }
  // [SECTION] teachB additions: votes/DPO and facts panels, persistence
  // Loads the shipped model (and facts) on first use; the message says why not (empty when fine).
  std::string ensure_loaded();
  const std::string& prompt() const { return prompt_; }
  const std::string& rule() const { return rule_; }
  float beta() const { return tc_.beta; }
  // The DPO numbers of every vote under the model as it is now (π) and the frozen reference (π_ref = the base):
  // recomputed after each vote and each job. Before learning, π = π_ref and u = 0.
  const DpoStats& vote_stats() const { return vote_stats_; }
  const TeachFactsProbe& facts_probe() const { return facts_probe_; }
  const std::vector<std::string>& fresh_samples() const { return fresh_; }
  // Votes and the facts notebook kept in `dir` (votes.jsonl, facts.txt): read now (a damaged file is set aside
  // as FILE.damaged and named in store_message()), written atomically after every change. "" (the default,
  // tests and lessons): nothing is read or written. A reset (a lesson's start) empties the list in memory after
  // copying it to votes-before-reset.jsonl there.
  void set_store_dir(const std::string& dir);
  const std::string& store_dir() const { return store_dir_; }
  const std::string& store_message() const { return store_message_; }
  // Session files (teach_lab_state.cpp): the prompt, rule, retrieval switch, votes and facts notebook.
  void save_state(LabState& out) const override;
  std::string check_state(const LabState& in) const override;
  void apply_state(const LabState& in) override;
  // [SECTION] teachA additions: fine-tuning, forgetting, changes and bias panels
  int steps_per_run() const { return steps_; }
  // Numbers one step changes in each mode: every weight (rank 0), or LoRA rank r (Σ r·(In + Out) over the
  // adapted matrices = 16·C·r per block). 0 before the model loads.
  size_t trainable_for(int rank) const;
  int lora_rank() const { return tc_.lora_rank; }
  // ‖ΔW‖ per tensor (cached until the weights change); empty while a job runs.
  const std::vector<MatrixChange>& changes() const;
  // LoRA's s·B·A of adapted matrix `target` (Out × In, row-major; cached); empty without LoRA or while busy.
  const std::vector<float>& lora_product(size_t target, int& rows, int& cols) const;
  std::vector<TeachBiasPoint> bias_points() const { return progress().bias; }
  double base_p_she() const { return base_she_; }  // the base model's p(" she") / p(" he") after kDoctorProbe
  double base_p_he() const { return base_he_; }
  bool bias_running() const { return bias_pending_; }
  // The tuned model survives quit and reload: with a file set (the app: the config folder's teach/tuned.safetensors),
  // every finished job writes the tuned weights there atomically, `undo` removes it, and the first model load
  // restores it when it was tuned from the same base (in every-weight mode: LoRA is saved merged). "" (tests,
  // lessons' own sessions, the CLI): nothing is read or written. tuned_message(): what happened (or why not).
  void set_tuned_file(const std::string& path) { tuned_file_ = path; }
  const std::string& tuned_file() const { return tuned_file_; }
  const std::string& tuned_message() const { return tuned_message_; }
  const std::string& corpus_name() const { return corpus_name_; }

 private:
  CommandResult ensure_model();
  void finish_job();  // after a job: probes, bias point, caches
  void tuner_changed();
  std::map<std::string, std::string> tuning_metadata() const;  // written with a tuned model
  void save_tuned();     // to tuned_file_ (if set)
  void restore_tuned();  // from tuned_file_ (if set and there)  // weights or mode changed outside a job: caches, forgetting since the base
  CommandResult handle_set(const std::string& sub, size_t n, const std::vector<std::string>& args);
  CommandResult start_job(TeachProgress::Job job, int64_t steps);
  void join_job();
  void refresh_probe();
  std::string sample_text(uint64_t seed) const;
  double prob_with(const ParamSet& weights, const std::string& context, const std::string& word) const;  // no busy check
  std::vector<int32_t> encode(const std::string& s) const;
  void refresh_votes();
  void refresh_facts_probe();
  void load_shipped_facts();
  void store_votes();
  void store_facts();

  std::string model_path_;
  std::unique_ptr<LoadedGpt> model_;
  std::shared_ptr<const Tokenizer> tok_;
  TuneConfig tc_;
  std::unique_ptr<Tuner> tuner_;
  std::string corpus_name_ = "sea";
  std::vector<int32_t> corpus_;
  std::string prompt_ = "Lily's dog is called";
  std::string sample_a_, sample_b_;
  uint64_t sample_seed_ = 1;
  std::string rule_;
  std::vector<TeachVote> votes_;
  bool retrieve_ = false;
  FactBook facts_;
  std::vector<FactScore> fact_scores_;
  double mix_ = 0.5;
  int steps_ = 30;
  TeachProbe probe_;
  DpoStats vote_stats_;
  TeachFactsProbe facts_probe_;
  std::vector<std::string> fresh_;
  std::string store_dir_, store_message_;
  bool facts_set_ = false;  // the notebook was set (loaded, edited, restored): the shipped one is not loaded over it
  std::vector<int32_t> stories_;  // held-out original stories (forgetting)
  std::string tuned_file_, tuned_message_;
  std::vector<double> job_mixes_;  // a bias job's mixes, one run each (read by the worker only while it runs)
  bool bias_pending_ = false;
  double base_she_ = 0, base_he_ = 0;
  int64_t generation_ = 0;  // bumped whenever the weights change
  mutable int64_t changes_gen_ = -1, product_gen_ = -1;
  mutable size_t product_target_ = 0;
  mutable int product_rows_ = 0, product_cols_ = 0;
  mutable std::vector<MatrixChange> changes_;
  mutable std::vector<float> product_;

  std::thread job_;
  std::atomic<bool> job_running_{false}, stop_{false};
  mutable std::mutex progress_mu_;
  TeachProgress progress_;
  std::vector<DpoPair> job_pairs_;
  // an autovote job (the worker samples pairs; the votes join votes_ when it finishes, on the UI thread)
  size_t job_auto_want_ = 0;
  int job_auto_pairs_ = 0;
  std::string job_auto_rule_, job_auto_prompt_;
  std::vector<TeachVote> job_auto_votes_;
  std::string autovote_summary_;  // "8 new votes after 61 sample pairs (8 in all)" once an autovote job ended
};

}  // namespace gb
