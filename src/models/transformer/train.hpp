// GPT training: config, token data with a train/validation split, the step loop (AdamW, warm-up +
// cosine, clipping, NaN/Inf guard), exact checkpoints (weights + optimiser + RNG), and a worker
// thread that publishes snapshots for the UI without ever blocking it.
#pragma once
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/background_trainer.hpp"
#include "core/rng.hpp"
#include "core/safetensors.hpp"
#include "models/transformer/gpt_backward.hpp"
#include "nn/adamw.hpp"
#include "nn/params.hpp"

namespace gb {

// [SECTION] configuration
struct TrainConfig {
  std::string corpus = "stories";  // "stories", "tiny" or a UTF-8 text file
  GptConfig model;                   // layers, heads, width, context, vocabulary
  int batch = 16;                  // sequences per step
  int64_t steps = 3000;            // optimisation steps of the whole run
  float lr = 2e-3f;                // peak learning rate (after warm-up)
  float lr_min = 2e-4f;            // learning rate at the end of the cosine
  int64_t warmup = 100;            // linear warm-up steps
  float weight_decay = 0.1f;       // AdamW decoupled decay on matrices and the token embedding
  float beta2 = 0.99f;             // AdamW second-moment decay
  float grad_clip = 1.0f;          // global gradient-norm limit (0: no clipping)
  double val_fraction = 0.05;      // last fraction of the token stream held out for validation
  int64_t val_every = 100;         // steps between validation passes (0: never)
  int val_batches = 8;             // batches per validation pass (fixed windows, same every time)
  int64_t checkpoint_every = 250;  // steps between checkpoints when a path is set (0: only at the end)
  uint64_t seed = 1337;            // weight init and batch draws
  int threads = 1;                 // CPU threads for the math (Eigen + OpenMP)
  std::string command;             // the command line that started the run (training record)
};
std::string train_config_to_json(const TrainConfig& c);
// Checked through gb::JsonIn: throws gb::Error naming `file` and the key on bad JSON or a bad value.
TrainConfig train_config_from_json(const std::string& json, const std::string& file = "<training config>");

// [SECTION] data
// The token stream split in two: the first (1 − val_fraction) for training, the rest for validation.
struct TokenData {
  std::vector<int32_t> train, val;

  static TokenData split(const std::vector<int32_t>& tokens, double val_fraction, int context);
  // B random windows of T+1 tokens from the training part, drawn with rng: out (B, T+1).
  void sample_batch(Rng& rng, int B, int T, std::vector<int32_t>& out) const;
  // Validation batch i of B windows (evenly spaced, the same every call): out (B, T+1).
  void val_batch(int i, int n_batches, int B, int T, std::vector<int32_t>& out) const;
};

// [SECTION] records
struct LossPoint {
  int64_t step = 0;      // steps done when measured
  float train = 0;       // training loss of that step's batch
  float val = -1;        // validation loss (−1 when not measured at this step)
  float lr = 0;          // learning rate used
  float grad_norm = 0;   // global gradient norm before clipping
};

// One training example seen through the model: what went in, what should come out, what came out.
struct TrainExampleTrace {
  std::vector<int32_t> input, target;                // (T)
  std::vector<float> target_prob, token_loss;        // (T) p(target), −log p(target)
  std::vector<std::vector<std::pair<int32_t, float>>> top;  // (T) × top-5 (token, probability)
  float loss = 0;                                    // mean over the example
  std::vector<std::string> grad_norm_names;          // "embeddings", "block 0", …, "final norm"
  std::vector<float> grad_norms;                     // L2 norm of each group's gradient
};

// [SECTION] the trainer (single-threaded object; the worker owns one)
class Trainer {
 public:
  // A fresh run: initialises the weights from cfg.seed. `tokens` is the whole encoded corpus and
  // `tokenizer_json` is stored with every checkpoint.
  Trainer(const TrainConfig& cfg, std::vector<int32_t> tokens, std::string tokenizer_json);
  // Continues a run saved by save_state; bit-identical to never having stopped.
  static std::unique_ptr<Trainer> load_state(const std::string& path);
  // The same from a file already read (its `file` names it in errors). Every damaged part — config,
  // counters, RNG words, history, tensors, token data — is a gb::Error naming the key or tensor.
  static std::unique_ptr<Trainer> load_state(const SafeTensors& st);

  struct StepResult {
    float loss = 0, lr = 0, grad_norm = 0;
    bool ok = true;       // false: NaN/Inf met; weights were left at the last good values
    std::string message;  // why it stopped
  };
  // One optimisation step on a batch drawn from the seeded RNG.
  StepResult step();
  // One optimisation step on the given batch (B, T+1) of token windows (step() after drawing it).
  StepResult step_on(const std::vector<int32_t>& batch);
  // Mean loss over the fixed validation batches.
  float validate();
  bool done() const { return step_ >= cfg_.steps; }

  // Full training state (fp32 weights, AdamW moments, RNG, history, tokens) — atomic write.
  void save_state(const std::string& path) const;
  // The model checkpoint: weights (fp16 when `half`), glassbox.config, glassbox.tokenizer and the
  // training record glassbox.training (command, seed, steps, losses) — atomic write.
  void save_model(const std::string& path, bool half) const;

  // Samples n tokens after `prompt` (temperature 0: greedy) with its own rng; never touches training state.
  std::vector<int32_t> generate(const std::vector<int32_t>& prompt, int n, float temperature, Rng& rng) const;
  // The trace of the first sequence of the last step's batch (taken before backward).
  const TrainExampleTrace& last_example() const { return example_; }

  const TrainConfig& config() const { return cfg_; }
  const GptConfig& dims() const { return cfg_.model; }
  const ParamSet& params() const { return params_; }
  const AdamW& optimizer() const { return opt_; }
  const Rng& rng() const { return rng_; }
  int64_t steps_done() const { return step_; }
  const std::vector<LossPoint>& history() const { return history_; }
  const std::string& tokenizer_json() const { return tokenizer_json_; }
  const TokenData& data() const { return data_; }
  std::vector<LossPoint>& mutable_history() { return history_; }
  ParamSet& mutable_params() { return params_; }  // to load or edit weights (tests, imports)

 private:
  Trainer() = default;
  void setup();
  void record_example(const std::vector<int32_t>& batch);

  TrainConfig cfg_;
  TokenData data_;
  std::string tokenizer_json_;
  ParamSet params_;
  GptParamIdx ix_;
  AdamW opt_;
  Rng rng_;
  int64_t step_ = 0;
  std::vector<LossPoint> history_;
  std::vector<float> last_good_;          // weights before the latest update (NaN guard)
  std::vector<int32_t> batch_;            // (B, T+1)
  std::vector<int32_t> inp_, tgt_;        // (B, T)
  mutable GptActs acts_;
  TrainExampleTrace example_;
};

// Training throughput (tokens per second, forward + backward + AdamW) of a model with dims `d`,
// batch B, context T, on `threads` threads; runs `steps` steps on random tokens after one warm-up.
// Wall-clock rate; when cpu_tokens_per_s is given it also gets tokens per second of process CPU
// time (the rate an idle machine would show when threads = 1).
double bench_train_tokens_per_s(const GptConfig& d, int B, int T, int steps, int threads, double* cpu_tokens_per_s = nullptr);

// [SECTION] the worker: a thread running a Trainer, controlled from the UI thread
struct TrainSnapshot {
  enum class State { running, paused, finished, failed, stopped };
  State state = State::running;
  std::string message;                 // why it failed/stopped, or ""
  int64_t step = 0, total_steps = 0;
  uint64_t weights_version = 0;        // increases whenever `weights` is a new copy
  std::shared_ptr<const std::vector<float>> weights;  // fp32 weights, ParamSet layout
  std::vector<LossPoint> history;
  std::vector<std::string> samples;    // recent generated texts (greedy first)
  TrainExampleTrace example;           // one training example of a recent step
  double tokens_per_s = 0;
};
const char* train_state_name(TrainSnapshot::State s);

class TrainWorker {
 public:
  // decode turns token ids into text for the samples (may be empty: samples are left out).
  TrainWorker(std::unique_ptr<Trainer> trainer, std::function<std::string(const std::vector<int32_t>&)> decode);
  ~TrainWorker();  // stops and joins

  void start();   // begins (or continues after pause) in a new thread
  void pause();   // finishes the current step, then waits
  void resume();
  void stop();    // finishes the current step, then the thread ends; the Trainer stays readable
  void set_checkpoint_path(const std::string& path) { checkpoint_path_ = path; }  // before start()
  void set_publish_every(int steps) { publish_every_ = steps; }                    // before start()
  // The latest snapshot; never blocks longer than copying a pointer.
  std::shared_ptr<const TrainSnapshot> snapshot() const;
  bool running() const { return bg_.running(); }
  void join();    // waits until the run ends (finished, failed or stopped)
  const Trainer& trainer() const { return *trainer_; }  // only while not running

 private:
  bool train_one();  // one step on the worker thread (validation, checkpoint, publishing); false when done
  void finish(BackgroundTrainer<TrainSnapshot>::End end, const std::string& error);
  void publish(TrainSnapshot::State st, const std::string& message, bool with_samples);

  std::unique_ptr<Trainer> trainer_;
  std::function<std::string(const std::vector<int32_t>&)> decode_;
  std::string checkpoint_path_;
  int publish_every_ = 10;
  uint64_t weights_version_ = 0;
  std::vector<std::string> samples_;
  double tokens_per_s_ = 0;
  std::string step_error_;  // a step's failure message (ends the run as failed)
  BackgroundTrainer<TrainSnapshot> bg_;  // last: joins the thread before the members above go
};

}  // namespace gb
