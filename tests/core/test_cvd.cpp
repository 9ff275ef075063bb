// Colour-vision deficiency: the Machado et al. (2009) simulation, and every shipped colour map checked with it
// (a deuteranope, a protanope and a tritanope must still read order and sign off the map). The same checks are
// run on red–green maps first, to show they fail where they should.
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "core/colormap.hpp"

using gb::Cvd;
using gb::Rgb;

namespace {

const Cvd kAll[] = {Cvd::deuteranopia, Cvd::protanopia, Cvd::tritanopia};

std::vector<Rgb> samples(gb::Colormap map, int n) {
  std::vector<Rgb> v;
  for (int i = 0; i < n; ++i) v.push_back(gb::colormap(map, float(i) / float(n - 1)));
  return v;
}

// Linear from a to b through the control points given (a stand-in for a map we must reject).
std::vector<Rgb> ramp(const std::vector<Rgb>& points, int n) {
  std::vector<Rgb> v;
  for (int i = 0; i < n; ++i) {
    float x = float(i) / float(n - 1) * float(points.size() - 1);
    size_t k = std::min(size_t(x), points.size() - 2);
    float f = x - float(k);
    const Rgb &a = points[k], &b = points[k + 1];
    v.push_back({a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f});
  }
  return v;
}

// A sequential map reads as "more" to this viewer: the simulated lightness L* rises (or falls) at every step,
// and neighbouring steps differ by at least min_de (ΔE*ab).
std::string sequential_problem(const std::vector<Rgb>& v, Cvd cvd, float min_de) {
  float dir = 0;
  for (size_t i = 1; i < v.size(); ++i) {
    Rgb a = gb::simulate_cvd(cvd, v[i - 1]), b = gb::simulate_cvd(cvd, v[i]);
    float dl = gb::srgb_to_lab(b)[0] - gb::srgb_to_lab(a)[0];
    if (dir == 0) dir = dl > 0 ? 1.0f : -1.0f;
    if (dl * dir <= 0) return "lightness turns at step " + std::to_string(i);
    if (gb::delta_e(a, b) < min_de) return "steps " + std::to_string(i - 1) + " and " + std::to_string(i) + " look alike";
  }
  return "";
}

// A diverging map keeps its sign for this viewer: lightness rises from each end to the centre, and a value
// and its opposite (t and 1 − t, away from the centre) differ by at least min_de.
std::string diverging_problem(const std::vector<Rgb>& v, Cvd cvd, float min_de) {
  const size_t n = v.size(), mid = n / 2;
  for (size_t i = 1; i <= mid; ++i) {
    float lo = gb::srgb_to_lab(gb::simulate_cvd(cvd, v[i - 1]))[0], hi = gb::srgb_to_lab(gb::simulate_cvd(cvd, v[i]))[0];
    if (hi <= lo) return "negative half: lightness turns at step " + std::to_string(i);
    float lo2 = gb::srgb_to_lab(gb::simulate_cvd(cvd, v[n - i]))[0], hi2 = gb::srgb_to_lab(gb::simulate_cvd(cvd, v[n - 1 - i]))[0];
    if (hi2 <= lo2) return "positive half: lightness turns at step " + std::to_string(n - i);
  }
  for (size_t i = 0; i + 2 < mid; ++i) {  // the three steps around zero are near-white for every sign
    float de = gb::delta_e(gb::simulate_cvd(cvd, v[i]), gb::simulate_cvd(cvd, v[n - 1 - i]));
    if (de < min_de) return "value " + std::to_string(i) + " and its opposite look alike (dE " + std::to_string(de) + ")";
  }
  return "";
}

}  // namespace

TEST_CASE("CVD simulation: greys stay grey, and red and green collapse for a deuteranope") {
  for (Cvd cvd : kAll)
    for (float g : {0.0f, 0.2f, 0.5f, 0.8f, 1.0f}) {
      Rgb s = gb::simulate_cvd(cvd, {g, g, g});
      for (int k = 0; k < 3; ++k) CHECK(s[size_t(k)] == doctest::Approx(g).epsilon(0.003));
    }
  // Red and green of about the same lightness: far apart for normal vision, close for deuteranopes and
  // protanopes, still apart for tritanopes (who confuse blue and yellow instead).
  const Rgb red{0.80f, 0.25f, 0.20f}, green{0.35f, 0.55f, 0.15f};
  CHECK(gb::delta_e(red, green) > 40);
  CHECK(gb::delta_e(gb::simulate_cvd(Cvd::deuteranopia, red), gb::simulate_cvd(Cvd::deuteranopia, green)) < 12);
  CHECK(gb::delta_e(gb::simulate_cvd(Cvd::tritanopia, red), gb::simulate_cvd(Cvd::tritanopia, green)) > 25);
  // The picture version matches the colour version.
  unsigned char px[8] = {204, 64, 51, 255, 10, 20, 30, 7};
  gb::simulate_cvd_rgba(Cvd::deuteranopia, px, 2);
  Rgb s = gb::simulate_cvd(Cvd::deuteranopia, {204 / 255.0f, 64 / 255.0f, 51 / 255.0f});
  for (int k = 0; k < 3; ++k) CHECK(std::abs(px[k] - 255.0f * s[size_t(k)]) <= 1.0f);
  CHECK(px[7] == 7);  // alpha untouched
  Cvd c;
  CHECK(gb::parse_cvd("protanopia", c));
  CHECK(c == Cvd::protanopia);
  CHECK_FALSE(gb::parse_cvd("red-green", c));
}

TEST_CASE("CVD checks reject red-green maps") {
  // A red-to-green sequential ramp at nearly constant lightness, and a red-white-green diverging map (PiYG-like).
  auto red_green = ramp({{0.75f, 0.20f, 0.15f}, {0.30f, 0.55f, 0.15f}}, 16);
  CHECK(sequential_problem(red_green, Cvd::deuteranopia, 2.0f) != "");
  auto red_white_green = ramp({{0.70f, 0.10f, 0.15f}, {0.97f, 0.97f, 0.97f}, {0.15f, 0.50f, 0.10f}}, 17);
  CHECK(diverging_problem(red_white_green, Cvd::deuteranopia, 12.0f) != "");
}

TEST_CASE("every shipped colour map stays readable under deuteranopia, protanopia and tritanopia") {
  for (Cvd cvd : kAll) {
    CAPTURE(int(cvd));
    CHECK(sequential_problem(samples(gb::Colormap::viridis, 16), cvd, 2.0f) == "");
    CHECK(sequential_problem(samples(gb::Colormap::grey, 16), cvd, 2.0f) == "");
    CHECK(diverging_problem(samples(gb::Colormap::diverging, 17), cvd, 12.0f) == "");
  }
}
