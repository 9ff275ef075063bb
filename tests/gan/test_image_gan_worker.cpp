// Image-GAN training: seeded determinism, checkpoint resume, and the worker thread — a run paused
// and resumed mid-way is bit-identical to an uninterrupted one; malformed settings give messages.
#include <doctest/doctest.h>

#include <chrono>
#include <cstdio>
#include <limits>
#include <memory>
#include <thread>

#include "core/error.hpp"
#include "models/gan/image_gan_worker.hpp"

using namespace gb;

namespace {
ImageGanConfig tiny_model() {
  ImageGanConfig c;
  c.z_dim = 8;
  c.emb_dim = 4;
  c.g_ch0 = 4;
  c.g_ch1 = 3;
  c.d_ch0 = 3;
  c.d_ch1 = 4;
  c.d_feat = 8;
  return c;
}
ImageGanTrainConfig tiny_train(uint64_t seed = 1) {
  ImageGanTrainConfig t;
  t.batch = 4;
  t.seed = seed;
  return t;
}
std::shared_ptr<FashionMnist> synthetic_data() {
  auto d = std::make_shared<FashionMnist>();
  d->count = 20;
  d->images.resize(20 * 784);
  d->labels.resize(20);
  Rng r(3);
  for (auto& p : d->images) p = uint8_t(r.below(256));
  for (auto& l : d->labels) l = uint8_t(r.below(10));
  return d;
}
void wait_for(ImageGanWorker& w, bool (*pred)(const ImageGanSnapshot&)) {
  for (int i = 0; i < 20000; ++i) {  // up to ~200 s under sanitizers; normally milliseconds
    if (pred(*w.snapshot())) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  FAIL("worker did not reach the expected state");
}
}  // namespace

TEST_CASE("image GAN training: same seed bit-identical, different seed differs") {
  auto data = synthetic_data();
  ImageGanTrainer a(tiny_model(), tiny_train()), b(tiny_model(), tiny_train()), c(tiny_model(), tiny_train(2));
  for (int i = 0; i < 3; ++i) {
    a.train_step(*data);
    b.train_step(*data);
    c.train_step(*data);
  }
  CHECK(a.model.g.data == b.model.g.data);
  CHECK(a.model.d.data == b.model.d.data);
  CHECK(a.g_ema == b.g_ema);
  CHECK(a.model.g.data != c.model.g.data);
  CHECK(std::isfinite(a.d_losses.back()));
  CHECK(a.d_losses.size() == 3);
}

TEST_CASE("image GAN: checkpoint round trip resumes bit-identically; fp16 model loads") {
  auto data = synthetic_data();
  ImageGanTrainer a(tiny_model(), tiny_train()), ref(tiny_model(), tiny_train());
  for (int i = 0; i < 2; ++i) {
    a.train_step(*data);
    ref.train_step(*data);
  }
  const std::string path = "gan_test_ckpt.safetensors";
  a.save_checkpoint(path);
  ImageGanTrainer b = ImageGanTrainer::load_checkpoint(path);
  b.train_step(*data);
  ref.train_step(*data);
  CHECK(b.model.g.data == ref.model.g.data);
  CHECK(b.model.d.data == ref.model.d.data);
  CHECK(b.step == 3);
  // Half-precision export: sampling works and stays close to the fp32 model.
  ref.model.save(path, true);
  ImageGan h = ImageGan::load(path);
  std::vector<float> z = ref.model.latent_for_seed(5);
  auto x32 = ref.model.generate(z, {4}), x16 = h.generate(z, {4});
  double maxd = 0;
  for (size_t i = 0; i < x32.size(); ++i) maxd = std::max(maxd, double(std::fabs(x32[i] - x16[i])));
  MESSAGE("fp16 export: max pixel difference " << maxd << " (range [-1, 1])");
  CHECK(maxd < 0.05);
  // A file that is not an image-GAN checkpoint is a gb::Error naming the file.
  CHECK_THROWS_WITH_AS(ImageGanTrainer::load_checkpoint("no_such_file.safetensors"), doctest::Contains("no_such_file"), Error);
  std::remove(path.c_str());
}

TEST_CASE("image GAN worker: pause/resume is bit-identical to an uninterrupted run") {
  auto data = synthetic_data();
  const int total = 6;
  ImageGanTrainer ref(tiny_model(), tiny_train());
  for (int i = 0; i < total; ++i) ref.train_step(*data);

  ImageGanWorkerOptions opt;
  opt.max_steps = total;
  opt.sample_every = 2;
  opt.samples_per_class = 2;
  ImageGanWorker w(ImageGanTrainer(tiny_model(), tiny_train()), data, opt);
  CHECK(w.snapshot()->step == 0);
  w.start();
  w.pause();
  wait_for(w, [](const ImageGanSnapshot& s) { return s.paused; });
  const int64_t paused_at = w.snapshot()->step;
  CHECK(paused_at <= total);
  std::this_thread::sleep_for(std::chrono::milliseconds(30));
  CHECK(w.snapshot()->step == paused_at);  // nothing moves while paused
  w.resume();
  wait_for(w, [](const ImageGanSnapshot& s) { return s.finished; });
  auto s = w.snapshot();
  CHECK(s->step == total);
  CHECK(s->d_losses.size() == size_t(total));
  CHECK(s->samples.size() == size_t(10 * 2 * 784));
  CHECK(s->samples_step == total);
  w.stop();
  CHECK(w.trainer().model.g.data == ref.model.g.data);
  CHECK(w.trainer().model.d.data == ref.model.d.data);
  CHECK(w.trainer().d_losses == ref.d_losses);
}

TEST_CASE("image GAN: malformed settings are messages, not crashes") {
  auto data = synthetic_data();
  ImageGanTrainConfig t = tiny_train();
  t.lr_g = std::numeric_limits<float>::quiet_NaN();
  ImageGanTrainer tr(tiny_model(), t);
  CHECK_THROWS_WITH_AS(tr.train_step(*data), doctest::Contains("learning rates"), Error);
  // The worker reports the failure in its snapshot instead of crashing.
  ImageGanWorker w(std::move(tr), data, {});
  w.start();
  wait_for(w, [](const ImageGanSnapshot& s) { return s.finished; });
  CHECK(w.snapshot()->error.find("learning rates") != std::string::npos);
  CHECK_THROWS_AS(fashion_class_from_name("Hat"), Error);
  CHECK(fashion_class_from_name("ankle boot") == 9);
  CHECK(fashion_class_from_name("3") == 3);
  ImageGan m(tiny_model());
  CHECK_THROWS_AS(m.interpolate_latent(1, 2, 1.5f), Error);
  CHECK_THROWS_AS(m.interpolate_latent(1, 2, std::numeric_limits<float>::quiet_NaN()), Error);
  auto za = m.interpolate_latent(1, 2, 0.0f), zb = m.interpolate_latent(1, 2, 1.0f);
  auto a = m.latent_for_seed(1), b = m.latent_for_seed(2);
  for (size_t i = 0; i < a.size(); ++i) {
    CHECK(za[i] == doctest::Approx(a[i]).epsilon(1e-5));
    CHECK(zb[i] == doctest::Approx(b[i]).epsilon(1e-5));
  }
}
