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

}  // namespace gb
