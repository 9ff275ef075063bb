// Colour maps for heatmaps and images, on the CPU. The same control points live in
// shaders/colormap.glsl (tests/core/test_colormap.cpp checks that both tables agree exactly).
#pragma once
#include <array>
#include <cstddef>
#include <string>

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

// [SECTION] Colour-vision deficiency (CVD) simulation, for checking pictures and colour maps

enum class Cvd { none, deuteranopia, protanopia, tritanopia };

// "deuteranopia", "protanopia", "tritanopia" (or "none") → Cvd; false for anything else.
bool parse_cvd(const std::string& name, Cvd& out);
// How an sRGB colour looks to a dichromat (Machado, Oliveira & Fernandes 2009, severity 1), as sRGB in [0, 1].
Rgb simulate_cvd(Cvd cvd, Rgb srgb);
// The same for a picture of 8-bit RGBA pixels, in place (alpha untouched).
void simulate_cvd_rgba(Cvd cvd, unsigned char* rgba, size_t pixels);

// CIELAB (D65) of an sRGB colour: {L*, a*, b*}; and the CIE76 colour difference ΔE*ab between two colours.
Rgb srgb_to_lab(Rgb srgb);
float delta_e(Rgb srgb_a, Rgb srgb_b);

}  // namespace gb
