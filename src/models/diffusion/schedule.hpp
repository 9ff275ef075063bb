// Noise schedules (linear and cosine): β_t, α_t = 1 − β_t, ᾱ_t = Π α_s, and the forward process
// q(x_t | x_0) = N(√ᾱ_t · x_0, (1 − ᾱ_t) · I). Timesteps are 0-based: t = 0 … T−1, where t = 0 is
// the first (least noisy) step and ᾱ_{-1} = 1 by convention.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/rng.hpp"

namespace gb {

enum class ScheduleKind { linear, cosine };
const char* schedule_name(ScheduleKind k);            // "linear", "cosine"
ScheduleKind schedule_from_name(const std::string& s);  // throws gb::Error for anything else

struct NoiseSchedule {
  ScheduleKind kind = ScheduleKind::linear;
  int T = 1000;                   // number of diffusion steps
  std::vector<float> beta;        // (T) noise added at each step
  std::vector<float> alpha;       // (T) 1 − β_t
  std::vector<float> alpha_bar;   // (T) Π_{s≤t} α_s: how much of x_0 survives at step t

  // linear: β from beta_start to beta_end (DDPM: 1e-4 → 0.02 for T = 1000, rescaled by 1000/T).
  // cosine: Nichol & Dhariwal, ᾱ(t) = cos²(((t/T + s)/(1 + s)) · π/2) with s = 0.008, β clipped at 0.999.
  static NoiseSchedule make(ScheduleKind kind, int T);
  float alpha_bar_prev(int t) const { return t > 0 ? alpha_bar[t - 1] : 1.0f; }
};

// x_t (n) = √ᾱ_t · x0 + √(1 − ᾱ_t) · eps, for one sample of n values.
void q_sample(float* xt, const float* x0, const float* eps, int n, const NoiseSchedule& s, int t);

// Fills eps (n) with standard normal draws from rng.
void fill_normal(float* eps, int n, Rng& rng);

}  // namespace gb
