// Training on 2D toy data (fast): the loss falls, checkpoints resume bit-exactly, model files round
// trip (F32 and F16), the worker thread starts/pauses/resumes/stops and publishes snapshots.
#include <doctest/doctest.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <thread>

#include "core/error.hpp"
#include "models/diffusion/sampler.hpp"
#include "models/diffusion/train.hpp"

using namespace gb;

static DiffusionTrainConfig small_config() {
  DiffusionTrainConfig c;
  c.data = "moons";
  c.steps = 300;
  c.batch = 64;
  c.lr = 3e-3f;
  c.warmup = 20;
  c.label_dropout = 0;
  c.mlp.hidden = 32;
  c.T = 200;
  return c;
}

static std::string tmp_path(const char* name) {
  return (std::filesystem::temp_directory_path() / (std::string("gb_test_diffusion_") + name)).string();
}

TEST_CASE("2D training lowers the loss") {
  DiffusionTrainer tr(small_config());
  double first = 0, last = 0;
  for (int i = 0; i < 300; ++i) {
    float l = tr.train_step();
    if (i < 20) first += l / 20;
    if (i >= 280) last += l / 20;
  }
  INFO("loss " << first << " -> " << last);
  CHECK(last < 0.8 * first);
}

// Resumption restores every piece of state, but Eigen's vectorised sums depend on the alignment of
// the (re)allocated buffers, so the continued run matches to float rounding (observed: first
// difference in the 7th significant digit, 4 steps after resuming), not bit for bit.
TEST_CASE("a checkpoint resumes training (to float rounding)") {
  DiffusionTrainConfig c = small_config();
  c.steps = 40;
  DiffusionTrainer a(c);
  for (int i = 0; i < 40; ++i) a.train_step();
  DiffusionTrainer b(c);
  for (int i = 0; i < 20; ++i) b.train_step();
  std::string path = tmp_path("ckpt.safetensors");
  b.save_checkpoint(path);
  DiffusionTrainer r(c);
  r.load_checkpoint(path);
  CHECK(r.step() == 20);
  for (int i = 0; i < 20; ++i) r.train_step();
  auto ma = a.ema_model(), mr = r.ema_model();
  const auto& wa = dynamic_cast<Mlp2d&>(*ma).params.data;
  const auto& wr = dynamic_cast<Mlp2d&>(*mr).params.data;
  double worst = 0;
  for (size_t i = 0; i < wa.size(); ++i) worst = std::max(worst, double(std::fabs(wa[i] - wr[i])));
  CHECK(worst < 1e-4);
  REQUIRE(a.loss_history().size() == r.loss_history().size());
  for (size_t i = 0; i < 20; ++i) CHECK(a.loss_history()[i] == r.loss_history()[i]);  // restored as saved
  for (size_t i = 20; i < 40; ++i) CHECK(a.loss_history()[i] == doctest::Approx(r.loss_history()[i]).epsilon(1e-4));
  std::filesystem::remove(path);
}

TEST_CASE("model files round trip and bad files are reported") {
  DiffusionTrainer tr(small_config());
  for (int i = 0; i < 5; ++i) tr.train_step();
  std::string path = tmp_path("model.safetensors");
  tr.save_model(path, false);
  DiffusionModelFile f = load_diffusion_model(path);
  REQUIRE(f.model);
  CHECK(!f.is_image());
  CHECK(f.model->schedule().T == 200);
  CHECK(dynamic_cast<Mlp2d&>(*f.model).params.data == dynamic_cast<Mlp2d&>(*tr.ema_model()).params.data);
  tr.save_model(path, true);  // fp16: close, not equal
  DiffusionModelFile h = load_diffusion_model(path);
  auto& a = dynamic_cast<Mlp2d&>(*h.model).params.data;
  auto b = dynamic_cast<Mlp2d&>(*tr.ema_model()).params.data;
  double worst = 0;
  for (size_t i = 0; i < a.size(); ++i) worst = std::max(worst, double(std::fabs(a[i] - b[i])) / (std::fabs(b[i]) + 1e-3));
  CHECK(worst < 2e-3);
  std::filesystem::remove(path);
  CHECK_THROWS_AS(load_diffusion_model("/nonexistent/model.safetensors"), Error);
  CHECK_THROWS_AS(load_diffusion_model(__FILE__), Error);  // not a safetensors file
}

TEST_CASE("the training worker publishes snapshots and can pause, resume and stop") {
  DiffusionTrainConfig c = small_config();
  c.steps = 100000;
  DiffusionTrainWorker w(c, 10);
  REQUIRE(w.snapshot());
  CHECK(w.snapshot()->step == 0);
  w.start();
  auto wait_for = [&](auto pred) {
    for (int i = 0; i < 2000 && !pred(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    return pred();
  };
  CHECK(wait_for([&] { return w.snapshot()->step >= 20; }));
  w.pause();
  CHECK(wait_for([&] { return w.snapshot()->paused && !w.snapshot()->running; }));
  int64_t paused_at = w.snapshot()->step;
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  CHECK(w.snapshot()->step == paused_at);
  auto snap = w.snapshot();
  REQUIRE(snap->model);
  CHECK(int64_t(snap->loss_history.size()) == snap->step);
  // A snapshot's model samples while training goes on.
  w.resume();
  SamplerConfig sc;
  sc.steps = 10;
  sc.clip_x0 = false;
  Sampler s(snap->model, sc, {-1, -1, -1});
  s.run();
  CHECK(s.x().size() == 6);
  CHECK(wait_for([&] { return w.snapshot()->step > paused_at + 10; }));
  w.stop();
  CHECK(!w.snapshot()->running);
}
