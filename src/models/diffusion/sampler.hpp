// Samplers that turn noise into data with an ε-model: DDPM (ancestral) and DDIM (η, any number of
// steps), with classifier-free guidance. A Sampler walks one denoising step at a time, can go back,
// and records a trace of every step (x_t, predicted noise, predicted x_0, mean, noise added) for the
// lab's panels. Deterministic for a seed: sample i of a batch draws from its own stream, so it is
// the same image whatever the batch size.
//
// Lab usage:
//   gb::SamplerConfig cfg;  cfg.kind = gb::SamplerKind::ddim;  cfg.steps = 50;  cfg.guidance = 3;
//   gb::Sampler s(model, cfg, {7});        // one sample of class 7 ("Sneaker"); {} or -1 = unconditional
//   s.step();                              // x_T → x_{τ_{k+1}}; s.trace().back() holds what happened
//   s.back();                              // undo the step (the trajectory is kept until then)
//   s.run();                               // to x_0; s.x() is (B, dim) in model space ([-1, 1] for images)
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/rng.hpp"
#include "models/diffusion/eps_model.hpp"

namespace gb {

enum class SamplerKind { ddpm, ddim };
const char* sampler_name(SamplerKind k);              // "ddpm", "ddim"
SamplerKind sampler_from_name(const std::string& s);  // throws gb::Error

struct SamplerConfig {
  SamplerKind kind = SamplerKind::ddim;  // DDIM is the default: 50 steps look as good as 1000 DDPM steps
  int steps = 50;          // denoising steps (≤ T); fewer than T uses an evenly spaced subsequence
  float eta = 0.0f;        // DDIM only: 0 = deterministic, 1 ≈ DDPM's noise level
  float guidance = 2.5f;   // classifier-free guidance: ε = ε_∅ + g·(ε_c − ε_∅); 1 = plain conditional (2.5: ≥97% recognisable)
  uint64_t seed = 1;       // sample i draws from Rng(mix(seed, first_index + i))
  uint64_t first_index = 0;  // index of this batch's first sample in a larger run
  bool clip_x0 = true;     // clamp predicted x_0 to [-1, 1] (images); off for 2D points
  bool record = true;      // keep the per-step trace (off for big headless batches)
  int threads = 1;         // 2: the guided conditional and unconditional passes run on two threads
};

// What one denoising step did, for B samples of `dim` values each.
struct SamplerStep {
  int t = 0;                  // timestep denoised (0-based, T−1 … 0)
  int t_prev = -1;            // timestep reached (−1 = the clean image)
  float alpha_bar = 0;        // ᾱ_t
  float alpha_bar_prev = 1;   // ᾱ_{t_prev} (1 at the end)
  float sigma = 0;            // standard deviation of the noise added
  std::vector<float> x_t;     // (B, dim) input of the step
  std::vector<float> eps;     // (B, dim) predicted noise (after guidance)
  std::vector<float> eps_cond, eps_uncond;  // (B, dim) the two passes when guidance is used (else empty)
  std::vector<float> x0;      // (B, dim) predicted clean sample (clipped when clip_x0)
  std::vector<float> mean;    // (B, dim) the deterministic part of x_{t_prev}
  std::vector<float> noise;   // (B, dim) σ·z, the random part added (zeros at the last step / η = 0)
  std::vector<float> x_prev;  // (B, dim) output: mean + noise
};

class Sampler {
 public:
  // labels: one class per sample (B = labels.size(); −1 = unconditional); an empty list means one
  // unconditional sample. Throws gb::Error for steps outside 1..T or labels ≥ num_classes.
  Sampler(std::shared_ptr<const EpsModel> model, const SamplerConfig& config, std::vector<int> labels);

  void reset();                   // back to x_T (the same noise for the same seed)
  // Back to x_T keeping the recorded steps: the next step() calls replay them instead of recomputing (the same
  // model, settings and noise give the same steps), e.g. a trajectory shown again and again. Needs record; back()
  // or reset() drop what is kept.
  void rewind();
  bool done() const { return k_ == int(ts_.size()); }
  void step();                    // one denoising step (no-op when done)
  bool back();                    // undo the last step; false at x_T or when not recording
  void run();                     // step until done
  void run_to(int t);             // step while the current timestep is above t

  int batch() const { return B_; }
  int dim() const { return model_->dim(); }
  int steps_taken() const { return k_; }
  int total_steps() const { return int(ts_.size()); }
  int current_t() const;          // timestep of x() (T for pure noise x_T... shown as ts[k]; −1 when done)
  const std::vector<int>& timesteps() const { return ts_; }  // τ, descending
  const std::vector<float>& x() const { return x_; }         // (B, dim) current sample
  const std::vector<SamplerStep>& trace() const { return trace_; }
  const SamplerConfig& config() const { return config_; }
  const std::vector<int>& labels() const { return labels_; }

  // The model's guided ε for x (B, dim) at timestep t (used by step; exposed for panels).
  void predict_eps(std::vector<float>& eps, std::vector<float>* eps_c, std::vector<float>* eps_u,
                   const std::vector<float>& x, int t) const;

 private:
  std::shared_ptr<const EpsModel> model_;
  SamplerConfig config_;
  std::vector<int> labels_;
  int B_ = 1;
  std::vector<int> ts_;
  int k_ = 0;
  std::vector<float> x_;
  std::vector<Rng> rngs_;                      // one stream per sample
  std::vector<std::vector<Rng>> rng_history_;  // streams before each step (for back)
  std::vector<std::vector<float>> x_history_;  // x before each step when not recording a full trace
  std::vector<SamplerStep> trace_;
  // Steps kept by rewind(), the next one last, each with the noise streams after it.
  std::vector<std::pair<SamplerStep, std::vector<Rng>>> replay_;
};

// The evenly spaced ("trailing") timesteps a sampler visits: steps values from T−1 down.
std::vector<int> sampler_timesteps(int T, int steps);

// The forward process for one sample: x_t = √ᾱ_t·x0 + √(1−ᾱ_t)·ε with ε drawn from Rng(seed).
struct ForwardSample {
  std::vector<float> eps;  // (dim) the noise drawn
  std::vector<float> x_t;  // (dim)
  float alpha_bar = 0;     // ᾱ_t
};
ForwardSample forward_process(const NoiseSchedule& s, const float* x0, int dim, int t, uint64_t seed);

// Samples n per class for classes in `labels` (or unconditional) in batches, without a trace:
// returns (labels.size(), dim) in model space. The CLI and quality checks use this.
std::vector<float> sample_batch(std::shared_ptr<const EpsModel> model, SamplerConfig config, const std::vector<int>& labels,
                                int batch = 64);

}  // namespace gb
