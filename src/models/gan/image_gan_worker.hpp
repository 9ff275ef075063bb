// Live training of the image GAN on a worker thread. The worker publishes immutable snapshots
// (step, both loss curves, a grid of samples every N steps) through a mutex-protected
// shared_ptr<const ImageGanSnapshot>; reading one is a pointer copy, so the UI never waits on a
// training step. Start / pause / resume / stop; pausing happens between steps, so a paused and
// resumed run is bit-identical to an uninterrupted one.
#pragma once
#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "core/background_trainer.hpp"
#include "models/gan/image_gan.hpp"

namespace gb {

struct ImageGanSnapshot {
  int64_t step = 0;                  // training steps done
  std::vector<float> d_losses;       // per step (whole run)
  std::vector<float> g_losses;       // per step
  std::vector<uint8_t> samples;      // (n_classes · per_class, 28, 28), class-major; empty until the first
  int samples_per_class = 0;
  int64_t samples_step = -1;         // step at which the samples were drawn
  bool running = false;              // the thread is alive and not paused
  bool paused = false;
  bool finished = false;             // reached max_steps or stopped
  std::string error;                 // training failed with this message (the thread then ends)
};

struct ImageGanWorkerOptions {
  int64_t max_steps = 1000000;  // stop after this many steps (total, including steps done before)
  int sample_every = 100;       // draw the sample grid every N steps (and at start and end)
  int samples_per_class = 8;    // columns of the sample grid
  uint64_t sample_seed = 7;     // fixed latents, so successive grids show the same "people" improving
};

class ImageGanWorker {
 public:
  ImageGanWorker(ImageGanTrainer trainer, std::shared_ptr<const FashionMnist> data, ImageGanWorkerOptions opt = {});
  ~ImageGanWorker();  // stops and joins
  ImageGanWorker(const ImageGanWorker&) = delete;
  ImageGanWorker& operator=(const ImageGanWorker&) = delete;

  void start();   // launches the thread (no-op if already started)
  void pause();   // the thread finishes its current step, publishes, then waits
  void resume();
  void stop();    // finishes the current step and joins; the trainer is then safe to read
  std::shared_ptr<const ImageGanSnapshot> snapshot() const { return bg_.snapshot(); }

  // The training state; only while the thread is paused (after the snapshot says paused) or stopped.
  const ImageGanTrainer& trainer() const { return trainer_; }

 private:
  bool train_one();  // one step on the worker thread; false at max_steps
  void publish(bool with_samples);

  ImageGanTrainer trainer_;
  std::shared_ptr<const FashionMnist> data_;
  ImageGanWorkerOptions opt_;
  std::atomic<bool> finished_{false};
  std::string error_;
  std::vector<uint8_t> last_samples_;
  int64_t last_samples_step_ = -1;
  BackgroundTrainer<ImageGanSnapshot> bg_;  // last: joins the thread before the members above go
};

}  // namespace gb
