// Colour maps for heatmaps and images, on the CPU. The same control points live in
// shaders/colormap.glsl (tests/core/test_colormap.cpp checks that both tables agree exactly).
#pragma once
#include <array>
#include <cstddef>

namespace gb {

enum class Colormap {
  viridis,    // sequential: low = dark purple, high = yellow (matplotlib's viridis)
  diverging,  // signed values: negative = blue, zero = neutral light grey, positive = red (ColorBrewer RdBu)
  grey,       // images: 0 = black, 1 = white
};

using Rgb = std::array<float, 3>;  // red, green, blue in [0, 1]

// Colour at t in [0, 1] (clamped; NaN gives a neutral mid grey). Piecewise linear between the
// control points below, exactly like the GLSL version.
Rgb colormap(Colormap map, float t);

// Maps a value to t: sequential maps use (v - lo) / (hi - lo); the diverging map puts 0 at the
// centre (t = 0.5) when lo < 0 < hi, so the neutral colour always means "zero".
float colormap_t(Colormap map, float v, float lo, float hi);

// The control points, evenly spaced over [0, 1] (shared with the shader by the test).
struct ColormapPoints {
  const Rgb* points;
  size_t count;
};
ColormapPoints colormap_points(Colormap map);

const char* colormap_name(Colormap map);  // "viridis", "diverging", "grey"

}  // namespace gb
