// Training the ε-models: the loss ‖ε − ε_θ(√ᾱ_t·x0 + √(1−ᾱ_t)·ε, t, c)‖², AdamW with warm-up +
// cosine learning rate, EMA weights (what gets sampled), label dropout for classifier-free guidance,
// atomic checkpoints that resume exactly; a worker thread for the lab; saving/loading models.
//
// Lab usage:
//   gb::DiffusionTrainConfig cfg;  cfg.data = "moons";  cfg.steps = 3000;
//   gb::DiffusionTrainWorker w(cfg);        // loads data; throws gb::Error (e.g. Fashion-MNIST missing)
//   w.start();  w.pause();  w.resume();  w.stop();
//   auto snap = w.snapshot();               // never blocks on training: a shared_ptr<const …> swap
//   snap->loss_history, snap->model (EMA weights, ready for a gb::Sampler)
#pragma once
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/background_trainer.hpp"
#include "models/data/fashion_mnist.hpp"
#include "models/diffusion/mlp2d.hpp"
#include "models/diffusion/unet.hpp"
#include "nn/adamw.hpp"

namespace gb {

struct DiffusionTrainConfig {
  std::string data = "fashion-mnist";  // "fashion-mnist", a toy2d name, or "points" (user points)
  int64_t steps = 20000;       // optimiser steps
  int batch = 128;             // samples per step
  float lr = 2e-3f;            // peak learning rate (after warm-up)
  float lr_min = 5e-5f;        // final learning rate (cosine decay)
  int warmup = 300;            // warm-up steps
  float weight_decay = 0.0f;   // AdamW decoupled weight decay
  float grad_clip = 1.0f;      // global gradient-norm clip
  float ema_decay = 0.999f;    // EMA of weights (warmed up as min(decay, (1+s)/(10+s)))
  float label_dropout = 0.1f;  // fraction of labels replaced by "no class" (classifier-free guidance)
  uint64_t seed = 1;           // initial weights, batches, noise
  ScheduleKind schedule = ScheduleKind::linear;  // noise schedule
  int T = 1000;                // diffusion steps
  UNetConfig unet;             // image model shape
  Mlp2dConfig mlp;             // 2D model shape
  std::vector<float> points;   // (n, 2) training points when data == "points"
};

// Any trained diffusion model, as loaded from a file.
struct DiffusionModelFile {
  std::shared_ptr<EpsModel> model;            // UNet or Mlp2d
  std::map<std::string, std::string> metadata;
  bool is_image() const { return model && model->dim() == 784; }
};

// The shipped image model: assets_dir()/models/fashion-diffusion.safetensors.
std::string default_diffusion_model_path();
// Loads a model written by save_diffusion_model (any of F32/F16/BF16). Throws gb::Error naming the file.
DiffusionModelFile load_diffusion_model(const std::string& path);
// Saves a U-Net or Mlp2d with `weights` (its param layout) as dtype, plus metadata (atomic write).
void save_diffusion_model(const std::string& path, const EpsModel& model, const std::vector<float>& weights,
                          bool fp16, const std::map<std::string, std::string>& metadata = {});

class DiffusionTrainer {
 public:
  explicit DiffusionTrainer(const DiffusionTrainConfig& config);  // loads data, initialises weights
  float train_step();          // one optimiser step; returns the batch loss
  int64_t step() const { return step_; }
  bool finished() const { return step_ >= config_.steps; }
  const DiffusionTrainConfig& config() const { return config_; }
  const std::vector<float>& loss_history() const { return losses_; }
  // A fresh model holding the EMA weights (safe to hand to other threads).
  std::shared_ptr<EpsModel> ema_model() const;
  // The final model file (EMA weights; fp16 when asked) with metadata describing the run.
  void save_model(const std::string& path, bool fp16, const std::map<std::string, std::string>& extra = {}) const;
  // Full training state (weights, EMA, AdamW moments, step, RNG) for exact resumption.
  void save_checkpoint(const std::string& path) const;
  void load_checkpoint(const std::string& path);  // throws gb::Error when it does not match the config

 private:
  ParamSet& params();
  void sample_batch(std::vector<float>& x0, std::vector<int>& labels);
  DiffusionTrainConfig config_;
  NoiseSchedule schedule_;
  std::unique_ptr<UNet> unet_;
  std::unique_ptr<Mlp2d> mlp_;
  UNetWork unet_work_;
  Mlp2dWork mlp_work_;
  FashionMnist images_;
  AdamW opt_;
  std::vector<float> ema_;
  std::vector<float> losses_;
  Rng rng_;
  int64_t step_ = 0;
};

// What the training worker publishes for the UI (immutable once published).
struct DiffusionTrainSnapshot {
  int64_t step = 0;                         // steps done
  int64_t total = 0;                        // steps planned
  std::vector<float> loss_history;          // one loss per step so far
  std::shared_ptr<const EpsModel> model;    // EMA weights at `step` (null before the first publish)
  bool running = false, paused = false, finished = false;
  std::string error;                        // set when training stopped on an error
};

// Runs a DiffusionTrainer on a worker thread. The UI calls snapshot() each frame: a mutex-protected
// shared_ptr copy, never waiting for a training step. Snapshots are published every `publish_every`
// steps and when training pauses or ends.
class DiffusionTrainWorker {
 public:
  explicit DiffusionTrainWorker(const DiffusionTrainConfig& config, int publish_every = 50);
  ~DiffusionTrainWorker();  // stops and joins
  void start();             // starts or resumes
  void pause();
  void resume() { start(); }
  void stop();              // ends the thread (the trainer keeps its state; start() continues)
  std::shared_ptr<const DiffusionTrainSnapshot> snapshot() const;
  // Optional: called on the worker thread after each step (e.g. checkpointing); must be quick.
  std::function<void(const DiffusionTrainer&)> on_step;

 private:
  bool train_one();  // one step on the worker thread; false when finished
  void publish(bool running);
  DiffusionTrainer trainer_;
  int publish_every_;
  BackgroundTrainer<DiffusionTrainSnapshot> bg_;  // last: joins the thread before the trainer goes
};

}  // namespace gb
