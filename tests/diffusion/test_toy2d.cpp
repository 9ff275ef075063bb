// The toy 2D sets (models/data/toy2d): the four the shipped 2D diffusion models were trained on draw
// exactly what the diffusion code drew before the sets moved to the data room (reference formulas
// below, written out independently), and every set is usable by the GAN's mode coverage.
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/rng.hpp"
#include "models/data/toy2d.hpp"

using namespace gb;

namespace {
// The 2D diffusion sets as first written (double precision, this order of draws).
std::vector<float> reference(const std::string& name, int n, Rng& rng) {
  std::vector<float> p(size_t(n) * 2);
  const double pi = 3.141592653589793;
  for (int i = 0; i < n; ++i) {
    double x = 0, y = 0;
    if (name == "swiss-roll") {
      const double u = 1.5 * pi * (1 + 2 * rng.uniform());
      x = u * std::cos(u) / 10.0 + 0.05 * rng.normal();
      y = u * std::sin(u) / 10.0 + 0.05 * rng.normal();
    } else if (name == "moons") {
      const double a = pi * rng.uniform();
      if (rng.below(2) == 0) {
        x = std::cos(a);
        y = std::sin(a);
      } else {
        x = 1 - std::cos(a);
        y = 0.5 - std::sin(a);
      }
      x = (x - 0.5) * 1.4 + 0.07 * rng.normal();
      y = (y - 0.25) * 1.4 + 0.07 * rng.normal();
    } else if (name == "rings") {
      const double r = rng.below(2) == 0 ? 0.6 : 1.4;
      const double a = 2 * pi * rng.uniform();
      x = r * std::cos(a) + 0.05 * rng.normal();
      y = r * std::sin(a) + 0.05 * rng.normal();
    } else {
      const int k = int(rng.below(9));
      x = (k % 3 - 1) * 1.2 + 0.1 * rng.normal();
      y = (k / 3 - 1) * 1.2 + 0.1 * rng.normal();
    }
    p[2 * size_t(i)] = float(x);
    p[2 * size_t(i) + 1] = float(y);
  }
  return p;
}
}  // namespace

TEST_CASE("toy2d: the shipped diffusion models' sets are drawn exactly as they were trained on") {
  for (const std::string& name : toy2d_names()) {
    CAPTURE(name);
    Rng a(12345), b(12345);
    CHECK(toy2d_sample(name, 500, a) == reference(name, 500, b));
    CHECK(a.s == b.s);  // the same number of draws
    // One generator per set: the GAN's ToyData draws the same points.
    ToyData d;
    d.kind = toy_dataset_from_name(name);
    Rng c(12345), e(12345);
    std::vector<float> pts(1000);
    d.sample(c, 500, pts.data());
    CHECK(pts == toy2d_sample(name, 500, e));
  }
  Rng r(1);
  CHECK_THROWS_AS(toy2d_sample("ring", 3, r), Error);  // the diffusion lab's list only
  CHECK_THROWS_AS(toy_dataset_from_name("circle"), Error);
}

TEST_CASE("toy2d: real data covers every mode of every set, inside the GAN's plane [-2.5, 2.5]") {
  for (ToyDataset kind : {ToyDataset::ring, ToyDataset::grid, ToyDataset::moons, ToyDataset::spiral,
                          ToyDataset::swiss_roll, ToyDataset::rings, ToyDataset::gaussians}) {
    CAPTURE(toy_dataset_name(kind));
    ToyData d;
    d.kind = kind;
    CHECK(toy_dataset_from_name(toy_dataset_name(kind)) == kind);
    Rng r(4);
    std::vector<float> pts(4000 * 2);
    d.sample(r, 4000, pts.data());
    const ModeCoverage c = mode_coverage(d, pts.data(), 4000);
    CHECK(c.covered == c.modes);
    CHECK(c.quality > 0.9f);
    int outside = 0;
    for (float v : pts) outside += std::abs(v) > 2.5f;
    CHECK(outside == 0);
  }
}
