// Noise schedules and the forward process.
#include "models/diffusion/schedule.hpp"

#include <cmath>

#include "core/error.hpp"

namespace gb {

const char* schedule_name(ScheduleKind k) { return k == ScheduleKind::linear ? "linear" : "cosine"; }

ScheduleKind schedule_from_name(const std::string& s) {
  if (s == "linear") return ScheduleKind::linear;
  if (s == "cosine") return ScheduleKind::cosine;
  fail("unknown noise schedule `" + s + "` (linear or cosine)");
}

NoiseSchedule NoiseSchedule::make(ScheduleKind kind, int T) {
  if (T < 2 || T > 100000) fail("noise schedule: T = " + std::to_string(T) + " out of range 2..100000");
  NoiseSchedule s;
  s.kind = kind;
  s.T = T;
  s.beta.resize(T);
  if (kind == ScheduleKind::linear) {
    const double scale = 1000.0 / T;  // keeps ᾱ_T ≈ the same for any T
    const double b0 = scale * 1e-4, b1 = std::min(0.999, scale * 0.02);
    for (int t = 0; t < T; ++t) s.beta[t] = float(b0 + (b1 - b0) * t / double(T - 1));
  } else {
    const double so = 0.008;
    auto f = [&](double t) {
      double c = std::cos((t / T + so) / (1 + so) * 1.5707963267948966);
      return c * c;
    };
    for (int t = 0; t < T; ++t) s.beta[t] = float(std::min(0.999, 1.0 - f(t + 1) / f(t)));
  }
  s.alpha.resize(T);
  s.alpha_bar.resize(T);
  double ab = 1.0;
  for (int t = 0; t < T; ++t) {
    s.alpha[t] = 1.0f - s.beta[t];
    ab *= 1.0 - double(s.beta[t]);
    s.alpha_bar[t] = float(ab);
  }
  return s;
}

void q_sample(float* xt, const float* x0, const float* eps, int n, const NoiseSchedule& s, int t) {
  const float a = std::sqrt(s.alpha_bar[t]), b = std::sqrt(1.0f - s.alpha_bar[t]);
  for (int i = 0; i < n; ++i) xt[i] = a * x0[i] + b * eps[i];
}

void fill_normal(float* eps, int n, Rng& rng) {
  for (int i = 0; i < n; ++i) eps[i] = rng.normal_f();
}

}  // namespace gb
