// CPU colour maps: piecewise-linear interpolation between evenly spaced control points.
#include "core/colormap.hpp"

#include <algorithm>
#include <cmath>

namespace gb {

// matplotlib's viridis (the published 256-entry table), entries 0, 17, 34, …, 255: 16 points.
static const Rgb kViridis[] = {
    {0.267004f, 0.004874f, 0.329415f}, {0.282656f, 0.100196f, 0.422160f}, {0.277134f, 0.185228f, 0.489898f},
    {0.253935f, 0.265254f, 0.529983f}, {0.221989f, 0.339161f, 0.548752f}, {0.190631f, 0.407061f, 0.556089f},
    {0.163625f, 0.471133f, 0.558148f}, {0.139147f, 0.533812f, 0.555298f}, {0.120565f, 0.596422f, 0.543611f},
    {0.134692f, 0.658636f, 0.517649f}, {0.208030f, 0.718701f, 0.472873f}, {0.327796f, 0.773980f, 0.406640f},
    {0.477504f, 0.821444f, 0.318195f}, {0.647257f, 0.858400f, 0.209861f}, {0.824940f, 0.884720f, 0.106217f},
    {0.993248f, 0.906157f, 0.143936f},
};

// ColorBrewer RdBu (11 classes), reversed so negative is blue: #053061 … #f7f7f7 … #67001f.
static const Rgb kDiverging[] = {
    {0.019608f, 0.188235f, 0.380392f}, {0.129412f, 0.400000f, 0.674510f}, {0.262745f, 0.576471f, 0.764706f},
    {0.572549f, 0.772549f, 0.870588f}, {0.819608f, 0.898039f, 0.941176f}, {0.968627f, 0.968627f, 0.968627f},
    {0.992157f, 0.858824f, 0.780392f}, {0.956863f, 0.647059f, 0.509804f}, {0.839216f, 0.376471f, 0.301961f},
    {0.698039f, 0.094118f, 0.168627f}, {0.403922f, 0.000000f, 0.121569f},
};

static const Rgb kGrey[] = {{0.0f, 0.0f, 0.0f}, {1.0f, 1.0f, 1.0f}};

ColormapPoints colormap_points(Colormap map) {
  switch (map) {
    case Colormap::viridis: return {kViridis, std::size(kViridis)};
    case Colormap::diverging: return {kDiverging, std::size(kDiverging)};
    case Colormap::grey: break;
  }
  return {kGrey, std::size(kGrey)};
}

const char* colormap_name(Colormap map) {
  switch (map) {
    case Colormap::viridis: return "viridis";
    case Colormap::diverging: return "diverging";
    case Colormap::grey: break;
  }
  return "grey";
}

Rgb colormap(Colormap map, float t) {
  if (std::isnan(t)) return {0.5f, 0.5f, 0.5f};
  ColormapPoints p = colormap_points(map);
  t = std::clamp(t, 0.0f, 1.0f);
  // Same arithmetic as colormap.glsl: x in [0, n-1], segment i, fraction f.
  float x = t * float(p.count - 1);
  size_t i = std::min(size_t(std::floor(x)), p.count - 2);
  float f = x - float(i);
  const Rgb& a = p.points[i];
  const Rgb& b = p.points[i + 1];
  return {a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f};
}

float colormap_t(Colormap map, float v, float lo, float hi) {
  if (std::isnan(v)) return v;
  if (map == Colormap::diverging && lo < 0 && hi > 0) {
    float m = std::max(-lo, hi);  // symmetric around zero
    return 0.5f + 0.5f * v / m;
  }
  if (!(hi > lo)) return 0.5f;
  return (v - lo) / (hi - lo);
}

// [SECTION] CVD simulation
//
// G. M. Machado, M. M. Oliveira and L. A. F. Fernandes, "A Physiologically-based Model for Simulation of Color
// Vision Deficiency", IEEE Transactions on Visualization and Computer Graphics 15(6), 1291–1298, 2009. The
// matrices are the paper's for severity 1.0 (full dichromacy); they act on linear RGB, so sRGB is decoded first
// and encoded again after. Each row sums to 1: greys stay grey.

namespace {
const float kMachado[3][3][3] = {
    // deuteranopia
    {{0.367322f, 0.860646f, -0.227968f}, {0.280085f, 0.672501f, 0.047413f}, {-0.011820f, 0.042940f, 0.968881f}},
    // protanopia
    {{0.152286f, 1.052583f, -0.204868f}, {0.114503f, 0.786281f, 0.099216f}, {-0.003882f, -0.048116f, 1.051998f}},
    // tritanopia
    {{1.255528f, -0.076749f, -0.178779f}, {-0.078411f, 0.930809f, 0.147602f}, {0.004733f, 0.691367f, 0.303900f}},
};

float srgb_to_linear(float c) { return c <= 0.04045f ? c / 12.92f : std::pow((c + 0.055f) / 1.055f, 2.4f); }
float linear_to_srgb(float c) {
  c = std::clamp(c, 0.0f, 1.0f);
  return c <= 0.0031308f ? 12.92f * c : 1.055f * std::pow(c, 1.0f / 2.4f) - 0.055f;
}
Rgb apply(const float (&m)[3][3], const Rgb& lin) {
  return {m[0][0] * lin[0] + m[0][1] * lin[1] + m[0][2] * lin[2], m[1][0] * lin[0] + m[1][1] * lin[1] + m[1][2] * lin[2],
          m[2][0] * lin[0] + m[2][1] * lin[1] + m[2][2] * lin[2]};
}
}  // namespace

bool parse_cvd(const std::string& name, Cvd& out) {
  if (name == "none") return out = Cvd::none, true;
  if (name == "deuteranopia") return out = Cvd::deuteranopia, true;
  if (name == "protanopia") return out = Cvd::protanopia, true;
  if (name == "tritanopia") return out = Cvd::tritanopia, true;
  return false;
}

Rgb simulate_cvd(Cvd cvd, Rgb c) {
  if (cvd == Cvd::none) return c;
  Rgb lin = apply(kMachado[int(cvd) - 1], {srgb_to_linear(c[0]), srgb_to_linear(c[1]), srgb_to_linear(c[2])});
  return {linear_to_srgb(lin[0]), linear_to_srgb(lin[1]), linear_to_srgb(lin[2])};
}

void simulate_cvd_rgba(Cvd cvd, unsigned char* px, size_t pixels) {
  if (cvd == Cvd::none) return;
  float decode[256];
  for (int i = 0; i < 256; ++i) decode[i] = srgb_to_linear(float(i) / 255.0f);
  const auto& m = kMachado[int(cvd) - 1];
  for (size_t i = 0; i < pixels; ++i) {
    unsigned char* p = px + i * 4;
    Rgb lin = apply(m, {decode[p[0]], decode[p[1]], decode[p[2]]});
    for (int k = 0; k < 3; ++k) p[k] = (unsigned char)std::lround(255.0f * linear_to_srgb(lin[size_t(k)]));
  }
}

Rgb srgb_to_lab(Rgb c) {
  const float r = srgb_to_linear(c[0]), g = srgb_to_linear(c[1]), b = srgb_to_linear(c[2]);
  // linear sRGB → XYZ (D65), normalised by the white point
  const float x = (0.4124564f * r + 0.3575761f * g + 0.1804375f * b) / 0.95047f;
  const float y = 0.2126729f * r + 0.7151522f * g + 0.0721750f * b;
  const float z = (0.0193339f * r + 0.1191920f * g + 0.9503041f * b) / 1.08883f;
  auto f = [](float t) { return t > 216.0f / 24389.0f ? std::cbrt(t) : (24389.0f / 27.0f * t + 16.0f) / 116.0f; };
  const float fx = f(x), fy = f(y), fz = f(z);
  return {116.0f * fy - 16.0f, 500.0f * (fx - fy), 200.0f * (fy - fz)};
}

float delta_e(Rgb a, Rgb b) {
  Rgb la = srgb_to_lab(a), lb = srgb_to_lab(b);
  return std::sqrt((la[0] - lb[0]) * (la[0] - lb[0]) + (la[1] - lb[1]) * (la[1] - lb[1]) + (la[2] - lb[2]) * (la[2] - lb[2]));
}

}  // namespace gb
