// The VAE training worker thread and its snapshots.
#include "models/vae/vae_worker.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"

namespace gb {

namespace {
std::vector<uint8_t> to_bytes(const std::vector<float>& probs) {
  std::vector<uint8_t> px(probs.size());
  for (size_t i = 0; i < probs.size(); ++i) px[i] = uint8_t(std::lround(std::clamp(probs[i], 0.0f, 1.0f) * 255.0f));
  return px;
}
}  // namespace

VaeWorker::VaeWorker(VaeTrainer trainer, std::shared_ptr<const FashionMnist> train, std::shared_ptr<const FashionMnist> test,
                     VaeWorkerOptions opt)
    : trainer_(std::move(trainer)), train_(std::move(train)), test_(std::move(test)), opt_(std::move(opt)) {
  if (!train_ || train_->count <= 0) fail("VAE worker: no training images");
  opt_.picture_every = std::max(1, opt_.picture_every);
  opt_.checkpoint_every = std::max<int64_t>(1, opt_.checkpoint_every);
  publish(false);
}

VaeWorker::~VaeWorker() { stop(); }

void VaeWorker::start() {
  if (bg_.started() || finished_) return;
  bg_.start_publishing([this] { return train_one(); }, [this](bool pictures) { publish(pictures); },
                       [this](const std::string& why) {
                         error_ = why;
                         finished_ = true;
                       });
}

void VaeWorker::pause() { bg_.pause(); }
void VaeWorker::resume() { bg_.resume(); }

void VaeWorker::stop() {
  const bool was_running = bg_.started() && !bg_.ended();
  bg_.stop();
  if (was_running && error_.empty()) save_checkpoint();  // the state where it stopped
  finished_ = true;
  publish(false);
}

std::shared_ptr<const VaeSnapshot> VaeWorker::snapshot() const { return bg_.snapshot(); }

bool VaeWorker::train_one() {
  if (trainer_.step >= opt_.max_steps) {
    save_checkpoint();
    finished_ = true;
    publish(true);
    return false;
  }
  trainer_.train_step(*train_);
  if (trainer_.step % opt_.checkpoint_every == 0) save_checkpoint();
  publish(trainer_.step % opt_.picture_every == 0 || trainer_.step >= opt_.max_steps);
  return true;
}

void VaeWorker::save_checkpoint() {
  if (opt_.checkpoint_path.empty()) return;
  try {
    trainer_.save_checkpoint(opt_.checkpoint_path);  // atomic: temp file + rename
    checkpoint_written_ = opt_.checkpoint_path;
  } catch (const std::exception& e) {
    error_ = e.what();
  }
}

void VaeWorker::publish(bool with_pictures) {
  const Vae& m = trainer_.model;
  const VaeConfig& k = m.config();
  if (with_pictures) {
    VaeSnapshot& p = pictures_;
    p.pictures_step = trainer_.step;
    std::vector<int> prior_labels(size_t(opt_.n_prior));
    for (int i = 0; i < opt_.n_prior; ++i) prior_labels[size_t(i)] = i % std::max(1, k.n_classes);
    const auto z = m.prior_latents(opt_.n_prior, opt_.prior_seed, 1.0f);
    p.prior = to_bytes(m.decode(z.data(), k.conditional() ? prior_labels.data() : nullptr, opt_.n_prior));
    if (test_ && test_->count > 0) {
      const int nr = std::min(opt_.n_recon, test_->count), np = std::min(opt_.n_points, test_->count);
      const auto x = vae_pixels(*test_, 0, np);
      std::vector<int> labels(test_->labels.begin(), test_->labels.begin() + np);
      const auto stats = m.encode(x.data(), k.conditional() ? labels.data() : nullptr, np);  // (np, 2Z)
      const int Z = k.latent;
      p.mu.assign(size_t(np) * Z, 0.0f);
      for (int n = 0; n < np; ++n)
        for (int j = 0; j < Z; ++j) p.mu[size_t(n) * Z + j] = stats[size_t(n) * 2 * Z + j];
      p.mu_labels = labels;
      p.originals.assign(test_->images.begin(), test_->images.begin() + size_t(nr) * kVaePixels);
      p.recons = to_bytes(m.decode(p.mu.data(), k.conditional() ? labels.data() : nullptr, nr));
    }
  }
  auto s = std::make_shared<VaeSnapshot>(pictures_);
  s->step = trainer_.step;
  s->max_steps = opt_.max_steps;
  s->beta = trainer_.tc.beta;
  s->beta_now = vae_beta_at(trainer_.tc, trainer_.step);
  s->kl_warmup = trainer_.tc.kl_warmup;
  s->latent = k.latent;
  s->conditional = k.conditional();
  s->rec = trainer_.rec_history;
  s->kl = trainer_.kl_history;
  s->checkpoint = checkpoint_written_;
  s->paused = bg_.waiting();
  s->finished = finished_;
  s->running = bg_.started() && !s->paused && !finished_;
  s->error = error_;
  bg_.publish(std::move(s));  // wakes the UI
}

}  // namespace gb
