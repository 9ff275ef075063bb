// Colour maps: published viridis values, a neutral centre for the diverging map, and the CPU
// tables equal to the control points in shaders/colormap.glsl (so the GPU colours match).
#include <doctest/doctest.h>

#include <cmath>
#include <regex>
#include <string>
#include <vector>

#include "build_info.hpp"
#include "core/colormap.hpp"
#include "core/files.hpp"

using gb::Colormap;

static gb::Rgb hex(const char* h) {
  auto byte = [&](int i) { return float(std::stoi(std::string(h + i, 2), nullptr, 16)) / 255.0f; };
  return {byte(0), byte(2), byte(4)};
}

static void check_close(const gb::Rgb& got, const gb::Rgb& want, float tol) {
  for (int c = 0; c < 3; ++c) CHECK(std::abs(got[c] - want[c]) <= tol);
}

TEST_CASE("viridis matches the published colours") {
  // Hex values as published for matplotlib's viridis at 0, 1/4, 1/2, 3/4 and 1 (rounded to 8 bits,
  // so allow 2/255; the midpoint and quarters fall between our control points and test interpolation).
  const float tol = 2.0f / 255.0f;
  for (auto [t, h] : std::vector<std::pair<float, const char*>>{
           {0.0f, "440154"}, {0.25f, "3b528b"}, {0.5f, "21918c"}, {0.75f, "5ec962"}, {1.0f, "fde725"}}) {
    CAPTURE(t);
    gb::Rgb got = gb::colormap(Colormap::viridis, t);
    gb::Rgb want = hex(h);
    for (int c = 0; c < 3; ++c) CHECK(std::abs(got[c] - want[c]) <= tol);
  }
  // Exact endpoints (table entries 0 and 255).
  check_close(gb::colormap(Colormap::viridis, 0.0f), {0.267004f, 0.004874f, 0.329415f}, 1e-6f);
  check_close(gb::colormap(Colormap::viridis, 1.0f), {0.993248f, 0.906157f, 0.143936f}, 1e-6f);
  // Clamping and NaN.
  check_close(gb::colormap(Colormap::viridis, -3.0f), gb::colormap(Colormap::viridis, 0.0f), 0);
  check_close(gb::colormap(Colormap::viridis, 7.0f), gb::colormap(Colormap::viridis, 1.0f), 0);
  gb::Rgb nan = gb::colormap(Colormap::viridis, std::nanf(""));
  CHECK(nan[0] == 0.5f);
}

TEST_CASE("diverging map: zero is neutral, signs are blue and red") {
  gb::Rgb mid = gb::colormap(Colormap::diverging, 0.5f);
  CHECK(mid[0] == mid[1]);
  CHECK(mid[1] == mid[2]);
  CHECK(mid[0] > 0.9f);
  // colormap_t puts zero at the centre even for an asymmetric range.
  CHECK(gb::colormap_t(Colormap::diverging, 0.0f, -1.0f, 3.0f) == doctest::Approx(0.5));
  CHECK(gb::colormap_t(Colormap::diverging, 3.0f, -1.0f, 3.0f) == doctest::Approx(1.0));
  CHECK(gb::colormap_t(Colormap::diverging, -1.0f, -1.0f, 3.0f) == doctest::Approx(1.0 / 3.0));
  gb::Rgb neg = gb::colormap(Colormap::diverging, 0.0f);
  gb::Rgb pos = gb::colormap(Colormap::diverging, 1.0f);
  CHECK(neg[2] > neg[0]);  // blue
  CHECK(pos[0] > pos[2]);  // red
  // Sequential maps: plain min..max.
  CHECK(gb::colormap_t(Colormap::viridis, 2.0f, 1.0f, 5.0f) == doctest::Approx(0.25));
  CHECK(gb::colormap_t(Colormap::viridis, 2.0f, 1.0f, 1.0f) == doctest::Approx(0.5));  // flat data
}

TEST_CASE("grey map is linear") {
  check_close(gb::colormap(Colormap::grey, 0.25f), {0.25f, 0.25f, 0.25f}, 1e-6f);
}

// Reads the vec3(...) literals of one array in colormap.glsl.
static std::vector<gb::Rgb> glsl_points(const std::string& src, const std::string& array) {
  auto start = src.find("const vec3 " + array + "[");
  REQUIRE(start != std::string::npos);
  auto end = src.find(");", start);
  std::string body = src.substr(start, end - start);
  body = body.substr(body.find('=') + 1);
  std::regex v(R"(vec3\(\s*([-0-9.eE]+),\s*([-0-9.eE]+),\s*([-0-9.eE]+)\s*\))");
  std::vector<gb::Rgb> out;
  for (auto it = std::sregex_iterator(body.begin(), body.end(), v); it != std::sregex_iterator(); ++it)
    out.push_back({std::stof((*it)[1]), std::stof((*it)[2]), std::stof((*it)[3])});
  return out;
}

TEST_CASE("the shader's control points are the CPU ones") {
  std::string src = gb::read_file(std::string(gb::build::source_dir) + "/shaders/colormap.glsl");
  for (auto [map, name] : std::vector<std::pair<Colormap, const char*>>{
           {Colormap::viridis, "CMAP_VIRIDIS"}, {Colormap::diverging, "CMAP_DIVERGING"}, {Colormap::grey, "CMAP_GREY"}}) {
    CAPTURE(name);
    std::vector<gb::Rgb> glsl = glsl_points(src, name);
    gb::ColormapPoints cpu = gb::colormap_points(map);
    REQUIRE(glsl.size() == cpu.count);
    for (size_t i = 0; i < cpu.count; ++i)
      for (int c = 0; c < 3; ++c) CHECK(glsl[i][c] == cpu.points[i][c]);
    // The shader's segment count is hard-coded; it must match the table length.
    std::string seg = "t * " + std::to_string(cpu.count - 1) + ".0";
    if (map != Colormap::grey) CHECK(src.find(seg) != std::string::npos);
  }
}
