// Live VAE training on a worker thread (core/background_trainer.hpp, like ImageGanWorker). The worker publishes immutable
// snapshots (step, both loss terms per step, β, prior samples, reconstructions and the μ of a few test
// images) through a mutex-protected shared_ptr<const VaeSnapshot>; reading one is a pointer copy, so the UI
// never waits on a training step. Start / pause / resume / stop; pausing happens between steps, so a paused
// and resumed run is bit-identical to an uninterrupted one. Full checkpoints are written atomically.
#pragma once
#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "core/background_trainer.hpp"
#include "models/vae/vae_train.hpp"

namespace gb {

struct VaeSnapshot {
  int64_t step = 0;                 // training steps done
  int64_t max_steps = 0;            // the run's planned total
  float beta = 1;                   // β the run aims for (after warm-up)
  float beta_now = 1;               // β at the current step (ramps during the KL warm-up)
  int64_t kl_warmup = 0;            // warm-up steps
  int latent = 2;                   // Z of the model being trained
  bool conditional = false;
  std::vector<float> rec, kl;       // (step) per-step batch means, nats per image
  // Pictures, redrawn every `picture_every` steps (and at start and end):
  int64_t pictures_step = -1;       // step at which they were drawn
  std::vector<uint8_t> prior;       // (n_prior, 28, 28) decoded from fixed prior latents (0 = background)
  std::vector<uint8_t> originals;   // (n_recon, 28, 28) fixed test images …
  std::vector<uint8_t> recons;      // (n_recon, 28, 28) … and their reconstructions (decoded μ)
  std::vector<float> mu;            // (n_points, Z) μ of fixed test images
  std::vector<int> mu_labels;       // (n_points) their classes
  std::string checkpoint;           // path of the last checkpoint written ("" = none)
  bool running = false;             // the thread is alive and not paused
  bool paused = false;
  bool finished = false;            // reached max_steps or stopped
  std::string error;                // training failed with this message (the thread then ends)
};

struct VaeWorkerOptions {
  int64_t max_steps = 3000;        // stop after this many steps (total, including steps done before)
  int picture_every = 100;         // redraw the pictures every N steps
  int n_prior = 16;                // prior samples in each snapshot
  int n_recon = 8;                 // reconstructed test images in each snapshot
  int n_points = 600;              // test images whose μ is published
  uint64_t prior_seed = 7;         // fixed prior latents, so successive pictures are comparable
  std::string checkpoint_path;     // "" = no checkpoints; else the full state is written here atomically …
  int64_t checkpoint_every = 500;  // … every N steps and when the run stops or ends
};

class VaeWorker {
 public:
  // `test` may be null (no reconstructions or μ then).
  VaeWorker(VaeTrainer trainer, std::shared_ptr<const FashionMnist> train, std::shared_ptr<const FashionMnist> test,
            VaeWorkerOptions opt = {});
  ~VaeWorker();  // stops and joins
  VaeWorker(const VaeWorker&) = delete;
  VaeWorker& operator=(const VaeWorker&) = delete;

  void start();   // launches the thread (no-op if already started)
  void pause();   // the thread finishes its current step, publishes, then waits
  void resume();
  void stop();    // finishes the current step and joins; the trainer is then safe to read
  std::shared_ptr<const VaeSnapshot> snapshot() const;
  // The training state; only once stop() has returned.
  const VaeTrainer& trainer() const { return trainer_; }

 private:
  bool train_one();  // one step on the thread; false when the run is done
  void publish(bool with_pictures);
  void save_checkpoint();

  VaeTrainer trainer_;
  std::shared_ptr<const FashionMnist> train_, test_;
  VaeWorkerOptions opt_;
  std::atomic<bool> finished_{false};
  std::string error_, checkpoint_written_;
  VaeSnapshot pictures_;  // the last pictures drawn (only the picture fields are used)
  BackgroundTrainer<VaeSnapshot> bg_;  // last: joins before the trainer dies
};

}  // namespace gb
