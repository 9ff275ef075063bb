// The image-GAN training worker thread and its snapshots.
#include "models/gan/image_gan_worker.hpp"

#include "core/error.hpp"
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
  if (bg_.started() || finished_) return;
  bg_.start_publishing([this] { return train_one(); }, [this](bool pictures) { publish(pictures); },
                       [this](const std::string& why) {
                         error_ = why;
                         finished_ = true;
                       });
}

void ImageGanWorker::pause() { bg_.pause(); }

void ImageGanWorker::resume() { bg_.resume(); }

void ImageGanWorker::stop() {
  bg_.stop();
  finished_ = true;
  publish(false);
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
  s->paused = bg_.waiting();
  s->finished = finished_;
  s->running = bg_.started() && !s->paused && !finished_;
  s->error = error_;
  bg_.publish(std::move(s));
}

bool ImageGanWorker::train_one() {
  if (trainer_.step >= opt_.max_steps) {
    finished_ = true;
    publish(true);
    return false;
  }
  trainer_.train_step(*data_);
  const bool samples = trainer_.step % opt_.sample_every == 0 || trainer_.step >= opt_.max_steps;
  publish(samples);
  return true;
}

}  // namespace gb
