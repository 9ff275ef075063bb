// The image-GAN training worker thread and its snapshots.
#include "models/gan/image_gan_worker.hpp"


#include "core/error.hpp"
#include "core/threads.hpp"
#include "models/gan/image_gan_run.hpp"

namespace gb {

ImageGanWorker::ImageGanWorker(ImageGanTrainer trainer, std::shared_ptr<const FashionMnist> data,
                               ImageGanWorkerOptions opt)
    : trainer_(std::move(trainer)), data_(std::move(data)), opt_(opt) {
  if (!data_ || data_->count <= 0) fail("image-GAN worker: no training images");
  if (opt_.sample_every < 1) opt_.sample_every = 1;
  publish(false);
}

ImageGanWorker::~ImageGanWorker() { stop(); }

void ImageGanWorker::start() {
  if (started_ || finished_) return;
  started_ = true;
  thread_ = std::thread([this] { loop(); });
}

void ImageGanWorker::pause() {
  std::lock_guard<std::mutex> lk(ctl_mu_);
  pause_ = true;
}

void ImageGanWorker::resume() {
  {
    std::lock_guard<std::mutex> lk(ctl_mu_);
    pause_ = false;
  }
  ctl_cv_.notify_all();
}

void ImageGanWorker::stop() {
  {
    std::lock_guard<std::mutex> lk(ctl_mu_);
    stop_ = true;
  }
  ctl_cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  finished_ = true;
  paused_ = false;
  publish(false);
}

std::shared_ptr<const ImageGanSnapshot> ImageGanWorker::snapshot() const {
  std::lock_guard<std::mutex> lk(snap_mu_);
  return snap_;
}

void ImageGanWorker::publish(bool with_samples) {
  auto s = std::make_shared<ImageGanSnapshot>();
  s->step = trainer_.step;
  s->d_losses = trainer_.d_losses;
  s->g_losses = trainer_.g_losses;
  if (with_samples) {
    std::vector<int> labels;
    for (int c = 0; c < trainer_.model.config().n_classes; ++c)
      for (int j = 0; j < opt_.samples_per_class; ++j) labels.push_back(c);
    last_samples_ = sample_image_gan(trainer_.model, labels, opt_.sample_seed);
    last_samples_step_ = trainer_.step;
  }
  s->samples = last_samples_;
  s->samples_per_class = last_samples_.empty() ? 0 : opt_.samples_per_class;
  s->samples_step = last_samples_step_;
  s->paused = paused_;
  s->finished = finished_;
  s->running = started_ && !paused_ && !finished_;
  s->error = error_;
  std::lock_guard<std::mutex> lk(snap_mu_);
  snap_ = std::move(s);
  wake_ui();  // an app asleep until input draws the new snapshot
}

void ImageGanWorker::loop() {
  become_background_thread();  // one core, lower priority: the UI keeps drawing
  try {
    publish(true);
    while (true) {
      {
        std::unique_lock<std::mutex> lk(ctl_mu_);
        if (pause_ && !stop_) {
          paused_ = true;
          lk.unlock();
          publish(false);
          lk.lock();
          ctl_cv_.wait(lk, [this] { return !pause_ || stop_; });
          paused_ = false;
        }
        if (stop_) break;
      }
      if (trainer_.step >= opt_.max_steps) {
        finished_ = true;
        publish(true);
        return;
      }
      trainer_.train_step(*data_);
      const bool samples = trainer_.step % opt_.sample_every == 0 || trainer_.step >= opt_.max_steps;
      publish(samples);
    }
  } catch (const std::exception& e) {
    error_ = e.what();
    finished_ = true;
    publish(false);
  }
}

}  // namespace gb
