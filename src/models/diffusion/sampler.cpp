// DDPM / DDIM samplers with classifier-free guidance and a per-step trace.
#include "models/diffusion/sampler.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"
#include "models/diffusion/limits.hpp"

namespace gb {

const char* sampler_name(SamplerKind k) { return k == SamplerKind::ddpm ? "ddpm" : "ddim"; }

SamplerKind sampler_from_name(const std::string& s) {
  if (s == "ddpm") return SamplerKind::ddpm;
  if (s == "ddim") return SamplerKind::ddim;
  fail("unknown sampler `" + s + "` (ddpm or ddim)");
}

std::vector<int> sampler_timesteps(int T, int steps) {
  std::vector<int> ts;
  for (int k = 0; k < steps; ++k) {
    // trailing spacing: starts at T−1 (pure noise) and ends near 0
    int t = int(std::lround(double(T) - double(k) * T / steps)) - 1;
    if (ts.empty() || t < ts.back()) ts.push_back(std::max(0, t));
  }
  return ts;
}

static uint64_t mix_seed(uint64_t seed, uint64_t i) {
  uint64_t z = seed * 0x9E3779B97F4A7C15ull + (i + 1) * 0xD1B54A32D192ED03ull;
  z = (z ^ (z >> 31)) * 0xBF58476D1CE4E5B9ull;
  return z ^ (z >> 29);
}

Sampler::Sampler(std::shared_ptr<const EpsModel> model, const SamplerConfig& config, std::vector<int> labels)
    : model_(std::move(model)), config_(config), labels_(std::move(labels)) {
  if (!model_) fail("sampler: no model");
  const int T = model_->schedule().T;
  // the diffusion lab's table rows use the same Ranges (models/diffusion/limits.hpp): one message, no clamp
  require_in_range("steps", config_.steps, Range{kSamplerStepsRange.lo, std::min(kSamplerStepsRange.hi, double(T))});
  require_in_range("eta", config_.eta, kEtaRange);
  require_in_range("guidance", config_.guidance, kGuidanceRange);
  if (labels_.empty()) labels_.push_back(-1);
  for (int& l : labels_) {
    if (l >= model_->num_classes() && model_->num_classes() > 0)
      fail("sampler: class " + std::to_string(l) + " out of range 0.." + std::to_string(model_->num_classes() - 1));
    if (model_->num_classes() == 0) l = -1;
  }
  B_ = int(labels_.size());
  ts_ = sampler_timesteps(T, config_.steps);
  reset();
}

void Sampler::reset() {
  const int D = dim();
  x_.assign(size_t(B_) * D, 0.0f);
  rngs_.clear();
  for (int i = 0; i < B_; ++i) {
    rngs_.emplace_back(mix_seed(config_.seed, config_.first_index + uint64_t(i)));
    fill_normal(x_.data() + size_t(i) * D, D, rngs_.back());
  }
  k_ = 0;
  trace_.clear();
  rng_history_.clear();
  x_history_.clear();
  replay_.clear();
}

void Sampler::rewind() {
  if (!config_.record) {
    reset();
    return;
  }
  // Steps k_−1 … 0 on top of any still kept (k_ …): step 0 ends up last, the next to replay.
  for (int i = k_ - 1; i >= 0; --i)
    replay_.emplace_back(std::move(trace_[size_t(i)]), i == k_ - 1 ? rngs_ : rng_history_[size_t(i) + 1]);
  if (k_ > 0) {
    x_ = replay_.back().first.x_t;
    rngs_ = rng_history_[0];
  }
  k_ = 0;
  trace_.clear();
  rng_history_.clear();
  x_history_.clear();
}

int Sampler::current_t() const { return done() ? -1 : ts_[size_t(k_)]; }

void Sampler::predict_eps(std::vector<float>& eps, std::vector<float>* eps_c, std::vector<float>* eps_u,
                          const std::vector<float>& x, int t) const {
  const int D = dim();
  const size_t n = size_t(B_) * D;
  eps.resize(n);
  bool any_label = false;
  for (int l : labels_) any_label |= l >= 0;
  const bool guided = any_label && model_->num_classes() > 0 && config_.guidance != 1.0f;
  if (!guided) {
    std::vector<int> tt(B_, t);
    model_->predict(eps.data(), x.data(), tt.data(), labels_.data(), B_);
    return;
  }
  // conditional and unconditional passes batched together as 2B samples
  std::vector<float> x2(2 * n), e2(2 * n);
  std::copy(x.begin(), x.end(), x2.begin());
  std::copy(x.begin(), x.end(), x2.begin() + n);
  std::vector<int> tt(2 * B_, t), lab(2 * B_, -1);
  std::copy(labels_.begin(), labels_.end(), lab.begin());
  if (config_.threads >= 2) {
    // the two halves on two OpenMP threads (each thread has its own scratch space in predict)
#pragma omp parallel for num_threads(2) schedule(static, 1)
    for (int h = 0; h < 2; ++h)
      model_->predict(e2.data() + size_t(h) * n, x2.data() + size_t(h) * n, tt.data() + h * B_, lab.data() + h * B_, B_);
  } else {
    model_->predict(e2.data(), x2.data(), tt.data(), lab.data(), 2 * B_);
  }
  const float g = config_.guidance;
  for (size_t i = 0; i < n; ++i) {
    // samples without a class (−1) get the unconditional prediction from both halves
    eps[i] = e2[n + i] + g * (e2[i] - e2[n + i]);
  }
  for (int b = 0; b < B_; ++b)
    if (labels_[b] < 0) std::copy(e2.begin() + n + size_t(b) * D, e2.begin() + n + size_t(b + 1) * D, eps.begin() + size_t(b) * D);
  if (eps_c) eps_c->assign(e2.begin(), e2.begin() + n);
  if (eps_u) eps_u->assign(e2.begin() + n, e2.end());
}

void Sampler::step() {
  if (done()) return;
  if (!replay_.empty()) {  // kept by rewind(): the step as it was computed
    auto& [st, after] = replay_.back();
    rng_history_.push_back(rngs_);
    rngs_ = std::move(after);
    x_ = st.x_prev;
    trace_.push_back(std::move(st));
    replay_.pop_back();
    ++k_;
    return;
  }
  const NoiseSchedule& s = model_->schedule();
  const int D = dim();
  const size_t n = size_t(B_) * D;
  SamplerStep st;
  st.t = ts_[size_t(k_)];
  st.t_prev = k_ + 1 < int(ts_.size()) ? ts_[size_t(k_) + 1] : -1;
  const double ab = s.alpha_bar[st.t], ab_prev = st.t_prev >= 0 ? s.alpha_bar[st.t_prev] : 1.0;
  st.alpha_bar = float(ab);
  st.alpha_bar_prev = float(ab_prev);
  predict_eps(st.eps, config_.record ? &st.eps_cond : nullptr, config_.record ? &st.eps_uncond : nullptr, x_, st.t);
  // predicted x0 = (x_t − √(1−ᾱ_t)·ε) / √ᾱ_t, optionally clipped (then ε is made consistent with it)
  st.x0.resize(n);
  const float sa = float(std::sqrt(ab)), s1a = float(std::sqrt(1.0 - ab));
  for (size_t i = 0; i < n; ++i) {
    float x0 = (x_[i] - s1a * st.eps[i]) / sa;
    if (config_.clip_x0) x0 = std::clamp(x0, -1.0f, 1.0f);
    st.x0[i] = x0;
  }
  st.mean.resize(n);
  double sigma = 0;
  if (config_.kind == SamplerKind::ddpm) {
    // posterior q(x_prev | x_t, x0): mean = c0·x0 + ct·x_t, variance β̃ = β'(1−ᾱ_prev)/(1−ᾱ_t)
    const double a_step = ab / ab_prev, b_step = 1.0 - a_step;
    const float c0 = float(std::sqrt(ab_prev) * b_step / (1.0 - ab));
    const float ct = float(std::sqrt(a_step) * (1.0 - ab_prev) / (1.0 - ab));
    for (size_t i = 0; i < n; ++i) st.mean[i] = c0 * st.x0[i] + ct * x_[i];
    sigma = st.t_prev >= 0 ? std::sqrt(b_step * (1.0 - ab_prev) / (1.0 - ab)) : 0.0;
  } else {
    // DDIM: x_prev = √ᾱ_prev·x0 + √(1−ᾱ_prev−σ²)·ε + σ·z,  σ = η·√((1−ᾱ_prev)/(1−ᾱ_t))·√(1−ᾱ_t/ᾱ_prev)
    sigma = st.t_prev >= 0 ? config_.eta * std::sqrt((1.0 - ab_prev) / (1.0 - ab)) * std::sqrt(1.0 - ab / ab_prev) : 0.0;
    const float cx = float(std::sqrt(ab_prev));
    const float ce = float(std::sqrt(std::max(0.0, 1.0 - ab_prev - sigma * sigma)));
    for (size_t i = 0; i < n; ++i) {
      float e = config_.clip_x0 ? (x_[i] - sa * st.x0[i]) / s1a : st.eps[i];  // ε consistent with the clipped x0
      st.mean[i] = cx * st.x0[i] + ce * e;
    }
  }
  st.sigma = float(sigma);
  st.noise.assign(n, 0.0f);
  rng_history_.push_back(rngs_);
  if (sigma > 0)
    for (int b = 0; b < B_; ++b)
      for (int i = 0; i < D; ++i) st.noise[size_t(b) * D + i] = float(sigma) * rngs_[b].normal_f();
  std::vector<float> next(n);
  for (size_t i = 0; i < n; ++i) next[i] = st.mean[i] + st.noise[i];
  if (config_.record) {
    st.x_t = x_;
    st.x_prev = next;
    trace_.push_back(std::move(st));
  } else {
    x_history_.clear();  // not recording: keep only one step of history
    x_history_.push_back(x_);
    if (rng_history_.size() > 1) rng_history_.erase(rng_history_.begin(), rng_history_.end() - 1);
  }
  x_ = std::move(next);
  ++k_;
}

bool Sampler::back() {
  replay_.clear();
  if (k_ == 0) return false;
  if (config_.record) {
    x_ = trace_.back().x_t;
    trace_.pop_back();
  } else {
    if (x_history_.empty()) return false;
    x_ = x_history_.back();
    x_history_.pop_back();
  }
  rngs_ = rng_history_.back();
  rng_history_.pop_back();
  --k_;
  return true;
}

void Sampler::run() {
  while (!done()) step();
}

void Sampler::run_to(int t) {
  while (!done() && current_t() > t) step();
}

ForwardSample forward_process(const NoiseSchedule& s, const float* x0, int dim, int t, uint64_t seed) {
  if (t < 0 || t >= s.T) fail("forward process: t must be 0.." + std::to_string(s.T - 1));
  ForwardSample f;
  Rng rng(seed);
  f.eps.resize(dim);
  fill_normal(f.eps.data(), dim, rng);
  f.x_t.resize(dim);
  q_sample(f.x_t.data(), x0, f.eps.data(), dim, s, t);
  f.alpha_bar = s.alpha_bar[t];
  return f;
}

std::vector<float> sample_batch(std::shared_ptr<const EpsModel> model, SamplerConfig config, const std::vector<int>& labels,
                                int batch) {
  const int D = model->dim();
  std::vector<float> out(labels.size() * size_t(D));
  config.record = false;
  const uint64_t base = config.first_index;
  for (size_t start = 0; start < labels.size(); start += size_t(batch)) {
    size_t end = std::min(labels.size(), start + size_t(batch));
    config.first_index = base + start;
    Sampler s(model, config, std::vector<int>(labels.begin() + long(start), labels.begin() + long(end)));
    s.run();
    std::copy(s.x().begin(), s.x().end(), out.begin() + long(start * D));
  }
  return out;
}

}  // namespace gb
