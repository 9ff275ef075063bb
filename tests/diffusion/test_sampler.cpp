// Samplers and schedules against closed forms: with the exact ε-model of Gaussian data, DDPM and
// DDIM must return samples with the data's mean and spread; schedule identities; determinism;
// back() restores; the 2D MLP's gradients against finite differences.
#include <doctest/doctest.h>

#include <cmath>
#include <memory>
#include <string>

#include "models/diffusion/mlp2d.hpp"
#include "models/diffusion/sampler.hpp"

using namespace gb;

// x0 ~ N(mu, s²) per coordinate. Then x_t ~ N(√ᾱ·mu, ᾱs² + 1 − ᾱ) and
// E[ε | x_t] = √(1−ᾱ)·(x_t − √ᾱ·mu) / (ᾱs² + 1 − ᾱ): the optimal ε-model, in closed form.
struct GaussianEps : EpsModel {
  NoiseSchedule s;
  float mu[2] = {1.5f, -0.5f};
  float sd[2] = {0.3f, 0.8f};
  explicit GaussianEps(NoiseSchedule sch) : s(std::move(sch)) {}
  int dim() const override { return 2; }
  const NoiseSchedule& schedule() const override { return s; }
  void predict(float* eps, const float* x, const int* t, const int*, int B) const override {
    for (int b = 0; b < B; ++b)
      for (int k = 0; k < 2; ++k) {
        double ab = s.alpha_bar[t[b]];
        eps[2 * b + k] = float(std::sqrt(1 - ab) * (x[2 * b + k] - std::sqrt(ab) * mu[k]) / (ab * sd[k] * sd[k] + 1 - ab));
      }
  }
};

static void check_moments(const std::vector<float>& x, const GaussianEps& m, double tol_mean, double tol_sd,
                          const std::string& what) {
  const int n = int(x.size() / 2);
  for (int k = 0; k < 2; ++k) {
    double s1 = 0, s2 = 0;
    for (int i = 0; i < n; ++i) { s1 += x[2 * i + k]; s2 += double(x[2 * i + k]) * x[2 * i + k]; }
    double mean = s1 / n, sd = std::sqrt(s2 / n - mean * mean);
    INFO(what << " coord " << k << ": mean " << mean << " (want " << m.mu[k] << "), sd " << sd << " (want " << m.sd[k] << ")");
    CHECK(std::fabs(mean - m.mu[k]) < tol_mean);
    CHECK(std::fabs(sd - m.sd[k]) < tol_sd);
  }
}

TEST_CASE("schedules: alpha_bar is the running product, decreasing to near zero") {
  for (ScheduleKind k : {ScheduleKind::linear, ScheduleKind::cosine}) {
    NoiseSchedule s = NoiseSchedule::make(k, 1000);
    double p = 1;
    for (int t = 0; t < s.T; ++t) {
      p *= 1.0 - s.beta[t];
      CHECK(std::fabs(s.alpha_bar[t] - p) < 1e-6);
      if (t) CHECK(s.alpha_bar[t] < s.alpha_bar[t - 1]);
    }
    CHECK(s.alpha_bar.back() < 1e-3);
    CHECK(s.alpha_bar.front() > 0.99);
  }
}

TEST_CASE("the forward process has the closed-form mean and variance") {
  NoiseSchedule s = NoiseSchedule::make(ScheduleKind::linear, 1000);
  std::vector<float> x0(20000, 0.7f);
  ForwardSample f = forward_process(s, x0.data(), int(x0.size()), 300, 5);
  double m = 0, v = 0;
  for (float x : f.x_t) m += x;
  m /= double(x0.size());
  for (float x : f.x_t) v += (x - m) * (x - m);
  v /= double(x0.size());
  CHECK(std::fabs(m - std::sqrt(s.alpha_bar[300]) * 0.7) < 0.02);
  CHECK(std::fabs(v - (1 - s.alpha_bar[300])) < 0.03);
}

TEST_CASE("DDPM and DDIM with the exact Gaussian ε-model reproduce the data distribution") {
  auto model = std::make_shared<GaussianEps>(NoiseSchedule::make(ScheduleKind::linear, 1000));
  std::vector<int> labels(4000, -1);
  SamplerConfig c;
  c.clip_x0 = false;
  c.kind = SamplerKind::ddpm;
  c.steps = 1000;
  check_moments(sample_batch(model, c, labels, 4000), *model, 0.05, 0.05, "ddpm 1000");
  // Stochastic samplers with large steps under-disperse even with the exact ε (the posterior variance
  // β̃ ignores the uncertainty of x0 given x_t; 100 steps gave sd 0.746 for 0.8), so they run 250 steps.
  c.steps = 250;  // respaced DDPM
  check_moments(sample_batch(model, c, labels, 4000), *model, 0.05, 0.05, "ddpm 250");
  c.kind = SamplerKind::ddim;
  c.steps = 50;
  check_moments(sample_batch(model, c, labels, 4000), *model, 0.05, 0.05, "ddim 50");
  c.eta = 1.0f;
  c.steps = 250;
  check_moments(sample_batch(model, c, labels, 4000), *model, 0.05, 0.05, "ddim 250 eta 1");
  auto cos_model = std::make_shared<GaussianEps>(NoiseSchedule::make(ScheduleKind::cosine, 1000));
  c.eta = 0;
  c.steps = 50;
  check_moments(sample_batch(cos_model, c, labels, 4000), *cos_model, 0.05, 0.05, "cosine ddim 50");
}

TEST_CASE("rewind() replays the recorded steps: the same trajectory, and the noise streams left as recomputing leaves them") {
  auto model = std::make_shared<GaussianEps>(NoiseSchedule::make(ScheduleKind::linear, 1000));
  SamplerConfig c;
  c.kind = SamplerKind::ddpm;  // noise at every step: wrong streams would show
  c.steps = 12;
  c.clip_x0 = false;
  std::vector<int> labels(3, -1);
  Sampler ref(model, c, labels);
  const std::vector<float> x_T = ref.x();
  ref.run();
  const std::vector<float> a = ref.x();
  const std::vector<SamplerStep> trace = ref.trace();

  Sampler s(model, c, labels);
  for (int i = 0; i < 5; ++i) s.step();
  s.rewind();  // from the middle
  CHECK(s.steps_taken() == 0);
  CHECK(s.x() == x_T);
  CHECK(s.trace().empty());
  s.run();
  CHECK(s.x() == a);
  s.rewind();  // from the end: everything replayed
  CHECK(s.x() == x_T);
  for (int i = 0; i < 7; ++i) s.step();
  REQUIRE(s.trace().size() == 7);
  CHECK(s.trace()[6].noise == trace[6].noise);
  CHECK(s.trace()[6].x_prev == trace[6].x_prev);
  // back() drops what is kept: the steps after it are computed again from the restored streams
  CHECK(s.back());
  s.run();
  CHECK(s.x() == a);
  CHECK(s.trace().size() == trace.size());
  CHECK(s.trace().back().noise == trace.back().noise);
}

TEST_CASE("sampling is deterministic for a seed, independent of batching, and back() undoes steps") {
  auto model = std::make_shared<GaussianEps>(NoiseSchedule::make(ScheduleKind::linear, 1000));
  SamplerConfig c;
  c.kind = SamplerKind::ddpm;
  c.steps = 20;
  c.clip_x0 = false;
  std::vector<int> labels(6, -1);
  auto a = sample_batch(model, c, labels, 6), b = sample_batch(model, c, labels, 4);
  CHECK(a == b);
  c.seed = 2;
  CHECK(sample_batch(model, c, labels, 6) != a);
  c.seed = 1;
  Sampler s(model, c, labels);
  s.step();
  s.step();
  std::vector<float> x2 = s.x();
  s.step();
  REQUIRE(s.trace().size() == 3);
  const SamplerStep& st = s.trace().back();
  for (size_t i = 0; i < st.x_prev.size(); ++i) CHECK(st.x_prev[i] == doctest::Approx(st.mean[i] + st.noise[i]));
  CHECK(s.back());
  CHECK(s.x() == x2);
  s.step();  // the same noise again after back()
  s.run();
  CHECK(s.done());
  CHECK(s.x() == a);
  CHECK(sampler_timesteps(1000, 50).front() == 999);
  CHECK(sampler_timesteps(1000, 50).size() == 50);
  CHECK(sampler_timesteps(1000, 1000).back() == 0);
}

TEST_CASE("2D MLP gradients match central finite differences") {
  Mlp2dConfig cfg;
  cfg.hidden = 16;
  Mlp2d net(cfg, NoiseSchedule::make(ScheduleKind::linear, 100));
  Rng rng(3);
  net.init(rng);
  const int B = 5;
  std::vector<float> x(2 * B), w(2 * B), eps(2 * B);
  for (auto& v : x) v = rng.normal_f();
  for (auto& v : w) v = rng.normal_f();
  int t[B] = {0, 10, 50, 99, 33};
  Mlp2dWork work;
  auto loss = [&] {
    net.forward(work, eps.data(), x.data(), t, B);
    double s = 0;
    for (int i = 0; i < 2 * B; ++i) s += double(eps[i]) * w[i];
    return s;
  };
  loss();
  net.params.zero_grad();
  net.backward(work, w.data());
  double worst = 0;
  for (size_t i = 0; i < net.params.data.size(); i += 7) {
    float keep = net.params.data[i];
    net.params.data[i] = keep + 1e-2f;
    double lp = loss();
    net.params.data[i] = keep - 1e-2f;
    double lm = loss();
    net.params.data[i] = keep;
    double num = (lp - lm) / 2e-2;
    worst = std::max(worst, std::fabs(num - net.params.grad[i]) / std::max(1.0, std::fabs(num)));
  }
  CHECK(worst < 5e-3);
}
