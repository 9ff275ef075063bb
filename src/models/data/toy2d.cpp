// Toy 2D distributions (one generator per set, for the GAN and diffusion labs) and mode coverage.
#include "models/data/toy2d.hpp"

#include <cmath>

#include "core/error.hpp"

namespace gb {

namespace {
constexpr float kPi = 3.14159265358979f;
constexpr float kRingRadius = 1.5f, kRingStd = 0.06f;   // 8 Gaussians on a circle
constexpr float kGridStep = 0.8f, kGridStd = 0.05f;     // 5×5 Gaussians, centres −1.6 … 1.6
constexpr float kSpiralNoise = 0.05f;
constexpr double kPiD = 3.141592653589793;
// The sets the shipped 2D diffusion models were trained on (swiss-roll, moons, rings, gaussians)
// draw with these constants in double precision; changing them changes the shipped models' data.
constexpr double kMoonScale = 1.4, kMoonNoise = 0.07;       // two interleaved half circles
constexpr double kSwissNoise = 0.05;                         // swiss roll: radius u/10, u in 1.5π … 4.5π
constexpr double kRingsInner = 0.6, kRingsOuter = 1.4, kRingsNoise = 0.05;  // two circles
constexpr double kGaussStep = 1.2, kGaussStd = 0.1;          // 3×3 Gaussians

// Two interleaved half circles (radius 1) scaled by kMoonScale and centred; t in [0, 1).
void moon_point(int which, double t, double* p) {
  const double a = kPiD * t;
  double x = std::cos(a), y = std::sin(a);
  if (which != 0) {
    x = 1 - x;
    y = 0.5 - y;
  }
  p[0] = (x - 0.5) * kMoonScale;
  p[1] = (y - 0.25) * kMoonScale;
}
void swiss_point(double u, double* p) {
  p[0] = u * std::cos(u) / 10.0;
  p[1] = u * std::sin(u) / 10.0;
}
void push2(std::vector<float>& m, double x, double y) {
  m.push_back(float(x));
  m.push_back(float(y));
}
// One arm of an Archimedean spiral, t in [0, 1): radius grows from 0.2 to 1.9 over 1.75 turns.
void spiral_point(float t, float* p) {
  const float a = 3.5f * kPi * t, r = 0.2f + 1.7f * t;
  p[0] = r * std::cos(a);
  p[1] = r * std::sin(a);
}
}  // namespace

ToyDataset toy_dataset_from_name(const std::string& name) {
  if (name == "ring") return ToyDataset::ring;
  if (name == "grid") return ToyDataset::grid;
  if (name == "moons") return ToyDataset::moons;
  if (name == "spiral") return ToyDataset::spiral;
  if (name == "swiss-roll") return ToyDataset::swiss_roll;
  if (name == "rings") return ToyDataset::rings;
  if (name == "gaussians") return ToyDataset::gaussians;
  if (name == "custom" || name == "drawn") return ToyDataset::custom;
  fail("unknown 2D dataset `" + name + "` (accepted: ring, grid, moons, spiral, swiss-roll, rings, gaussians, custom)");
}

const char* toy_dataset_name(ToyDataset d) {
  switch (d) {
    case ToyDataset::ring: return "ring";
    case ToyDataset::grid: return "grid";
    case ToyDataset::moons: return "moons";
    case ToyDataset::spiral: return "spiral";
    case ToyDataset::custom: return "custom";
    case ToyDataset::swiss_roll: return "swiss-roll";
    case ToyDataset::rings: return "rings";
    case ToyDataset::gaussians: return "gaussians";
  }
  return "?";
}

void ToyData::validate() const {
  if (kind != ToyDataset::custom) return;
  if (custom.size() % 2 != 0) fail("drawn points: odd number of coordinates");
  const size_t n = custom.size() / 2;
  for (float v : custom)
    if (!std::isfinite(v)) fail("drawn points: a coordinate is not a finite number");
  bool distinct = false;
  for (size_t i = 1; i < n && !distinct; ++i)
    distinct = custom[2 * i] != custom[0] || custom[2 * i + 1] != custom[1];
  if (n < 2 || !distinct) fail("drawn points: draw at least two different points to make a distribution (have " +
                               std::to_string(n) + ")");
  if (!(custom_noise > 0 && std::isfinite(custom_noise))) fail("drawn points: blur must be a positive number");
}

void ToyData::sample(Rng& rng, int n, float* out) const {
  validate();
  for (int i = 0; i < n; ++i) {
    float* p = out + 2 * size_t(i);
    switch (kind) {
      case ToyDataset::ring: {
        const int m = int(rng.below(8));
        const float a = 2 * kPi * float(m) / 8;
        p[0] = kRingRadius * std::cos(a) + kRingStd * rng.normal_f();
        p[1] = kRingRadius * std::sin(a) + kRingStd * rng.normal_f();
        break;
      }
      case ToyDataset::grid: {
        const int m = int(rng.below(25));
        p[0] = (float(m % 5) - 2) * kGridStep + kGridStd * rng.normal_f();
        p[1] = (float(m / 5) - 2) * kGridStep + kGridStd * rng.normal_f();
        break;
      }
      case ToyDataset::moons: {
        const double t = rng.uniform();
        double q[2];
        moon_point(int(rng.below(2)), t, q);
        p[0] = float(q[0] + kMoonNoise * rng.normal());
        p[1] = float(q[1] + kMoonNoise * rng.normal());
        break;
      }
      case ToyDataset::swiss_roll: {
        double q[2];
        swiss_point(1.5 * kPiD * (1 + 2 * rng.uniform()), q);
        p[0] = float(q[0] + kSwissNoise * rng.normal());
        p[1] = float(q[1] + kSwissNoise * rng.normal());
        break;
      }
      case ToyDataset::rings: {
        const double r = rng.below(2) == 0 ? kRingsInner : kRingsOuter;
        const double a = 2 * kPiD * rng.uniform();
        p[0] = float(r * std::cos(a) + kRingsNoise * rng.normal());
        p[1] = float(r * std::sin(a) + kRingsNoise * rng.normal());
        break;
      }
      case ToyDataset::gaussians: {
        const int k = int(rng.below(9));
        p[0] = float((k % 3 - 1) * kGaussStep + kGaussStd * rng.normal());
        p[1] = float((k / 3 - 1) * kGaussStep + kGaussStd * rng.normal());
        break;
      }
      case ToyDataset::spiral: {
        spiral_point(std::sqrt(rng.uniform_f()), p);  // sqrt: uniform density along the growing arm
        p[0] += kSpiralNoise * rng.normal_f();
        p[1] += kSpiralNoise * rng.normal_f();
        break;
      }
      case ToyDataset::custom: {
        const size_t m = size_t(rng.below(custom.size() / 2));
        p[0] = custom[2 * m] + custom_noise * rng.normal_f();
        p[1] = custom[2 * m + 1] + custom_noise * rng.normal_f();
        break;
      }
    }
  }
}

std::vector<float> ToyData::modes() const {
  std::vector<float> m;
  switch (kind) {
    case ToyDataset::ring:
      for (int i = 0; i < 8; ++i) {
        m.push_back(kRingRadius * std::cos(2 * kPi * float(i) / 8));
        m.push_back(kRingRadius * std::sin(2 * kPi * float(i) / 8));
      }
      break;
    case ToyDataset::grid:
      for (int i = 0; i < 25; ++i) {
        m.push_back((float(i % 5) - 2) * kGridStep);
        m.push_back((float(i / 5) - 2) * kGridStep);
      }
      break;
    case ToyDataset::moons:
      for (int w = 0; w < 2; ++w)
        for (int i = 0; i < 8; ++i) {
          double p[2];
          moon_point(w, (i + 0.5) / 8, p);
          push2(m, p[0], p[1]);
        }
      break;
    case ToyDataset::swiss_roll:
      for (int i = 0; i < 24; ++i) {
        double p[2];
        swiss_point(1.5 * kPiD * (1 + 2 * (i + 0.5) / 24), p);
        push2(m, p[0], p[1]);
      }
      break;
    case ToyDataset::rings:  // anchors about 0.5 apart on each circle
      for (int i = 0; i < 8; ++i) push2(m, kRingsInner * std::cos(2 * kPiD * i / 8), kRingsInner * std::sin(2 * kPiD * i / 8));
      for (int i = 0; i < 16; ++i)
        push2(m, kRingsOuter * std::cos(2 * kPiD * i / 16), kRingsOuter * std::sin(2 * kPiD * i / 16));
      break;
    case ToyDataset::gaussians:
      for (int k = 0; k < 9; ++k) push2(m, (k % 3 - 1) * kGaussStep, (k / 3 - 1) * kGaussStep);
      break;
    case ToyDataset::spiral:
      for (int i = 0; i < 24; ++i) {
        float p[2];
        spiral_point(std::sqrt((float(i) + 0.5f) / 24), p);
        m.insert(m.end(), p, p + 2);
      }
      break;
    case ToyDataset::custom: {
      const size_t n = custom.size() / 2, step = n > 32 ? (n + 31) / 32 : 1;
      for (size_t i = 0; i < n; i += step) m.insert(m.end(), custom.begin() + long(2 * i), custom.begin() + long(2 * i + 2));
      break;
    }
  }
  return m;
}

float ToyData::mode_radius() const {
  switch (kind) {
    case ToyDataset::ring: return 3 * kRingStd;
    case ToyDataset::grid: return 3 * kGridStd;
    case ToyDataset::moons: return 0.4f;   // anchors 0.55 apart along the arc
    case ToyDataset::swiss_roll: return 0.3f;  // anchors about 0.4 apart along the roll
    case ToyDataset::rings: return 0.35f;
    case ToyDataset::gaussians: return float(3 * kGaussStd);
    case ToyDataset::spiral: return 0.35f;
    case ToyDataset::custom: return 3 * custom_noise;
  }
  return 0.1f;
}

// [SECTION] by name (the diffusion lab's sets)
const std::vector<std::string>& toy2d_names() {
  static const std::vector<std::string> n = {"swiss-roll", "moons", "rings", "gaussians"};
  return n;
}

bool is_toy2d(const std::string& name) {
  for (auto& n : toy2d_names())
    if (n == name) return true;
  return false;
}

std::vector<float> toy2d_sample(const std::string& name, int n, Rng& rng) {
  if (!is_toy2d(name)) fail("unknown 2D data set `" + name + "` (swiss-roll, moons, rings, gaussians)");
  ToyData d;
  d.kind = toy_dataset_from_name(name);
  std::vector<float> p(size_t(n) * 2);
  d.sample(rng, n, p.data());
  return p;
}

// [SECTION] mode coverage
ModeCoverage mode_coverage(const ToyData& data, const float* points, int n) {
  ModeCoverage c;
  const auto m = data.modes();
  c.modes = int(m.size() / 2);
  c.counts.assign(size_t(c.modes), 0);
  const float r2 = data.mode_radius() * data.mode_radius();
  int near = 0;
  for (int i = 0; i < n; ++i) {
    int best = -1;
    float bd = r2;
    for (int k = 0; k < c.modes; ++k) {
      const float dx = points[2 * i] - m[2 * size_t(k)], dy = points[2 * i + 1] - m[2 * size_t(k) + 1];
      const float d2 = dx * dx + dy * dy;
      if (d2 <= bd) {
        bd = d2;
        best = k;
      }
    }
    if (best >= 0) {
      ++c.counts[size_t(best)];
      ++near;
    }
  }
  const float fair = float(n) / float(std::max(1, c.modes));
  for (int k = 0; k < c.modes; ++k) c.covered += float(c.counts[size_t(k)]) >= 0.2f * fair ? 1 : 0;
  c.quality = n > 0 ? float(near) / float(n) : 0.0f;
  // Spread against a fixed real sample of the same size.
  auto rms_spread = [](const float* p, int count) {
    double mx = 0, my = 0, s = 0;
    for (int i = 0; i < count; ++i) {
      mx += p[2 * i];
      my += p[2 * i + 1];
    }
    mx /= std::max(1, count);
    my /= std::max(1, count);
    for (int i = 0; i < count; ++i) s += (p[2 * i] - mx) * (p[2 * i] - mx) + (p[2 * i + 1] - my) * (p[2 * i + 1] - my);
    return std::sqrt(s / std::max(1, count));
  };
  if (n > 1) {
    Rng r(12345);
    std::vector<float> real(size_t(n) * 2);
    data.sample(r, n, real.data());
    const double rs = rms_spread(real.data(), n);
    c.spread = rs > 0 ? float(rms_spread(points, n) / rs) : 0.0f;
  }
  return c;
}

}  // namespace gb
