// GIF export: a small animation written with our palette through giflib, read back with DGifSlurp: frame count,
// size, delay, looping and the colours of each frame.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "core/error.hpp"
#include "core/files.hpp"
#include "lab/export_gif.hpp"

using namespace gb;

TEST_CASE("export gif: frames, size, delay and colours survive a round trip through giflib") {
  const int W = 37, H = 21, N = 5;
  std::vector<GifFrame> frames(N);
  for (int f = 0; f < N; ++f) {
    frames[size_t(f)].rgba.assign(size_t(W * H * 4), 0);
    for (int y = 0; y < H; ++y)
      for (int x = 0; x < W; ++x) {
        unsigned char* p = frames[size_t(f)].rgba.data() + (size_t(y) * W + size_t(x)) * 4;
        // frame f: a white bar at column f·5, the rest a dark grey and a pure red corner
        bool bar = x >= f * 5 && x < f * 5 + 3;
        bool red = x >= W - 4 && y < 4;
        p[0] = bar ? 255 : red ? 255 : 30;
        p[1] = bar ? 255 : red ? 0 : 30;
        p[2] = bar ? 255 : red ? 0 : 30;
        p[3] = 255;
      }
  }
  const std::string path = (std::filesystem::temp_directory_path() / "gb_test_export.gif").string();
  const int delay = gif_delay_for_fps(4);
  CHECK(delay == 25);
  write_gif(path, frames, W, H, delay);
  GifInfo info = read_gif_info(path);
  CHECK(info.width == W);
  CHECK(info.height == H);
  CHECK(info.frames == N);
  CHECK(info.loops);
  REQUIRE(info.delays_cs.size() == size_t(N));
  for (int d : info.delays_cs) CHECK(d == 25);
  for (int f = 0; f < N; ++f) {
    int w = 0, h = 0;
    auto px = read_gif_frame(path, f, w, h);
    REQUIRE(w == W);
    REQUIRE(h == H);
    auto at = [&](int x, int y) { return px.data() + (size_t(y) * W + size_t(x)) * 4; };
    CHECK(at(f * 5 + 1, 10)[0] == 255);  // the bar is white
    CHECK(at(f * 5 + 1, 10)[2] == 255);
    CHECK(at(W - 2, 1)[0] == 255);  // red stays red
    CHECK(at(W - 2, 1)[1] == 0);
    int gx = (f * 5 + 20) % W;
    if (gx < W - 4 && (gx < f * 5 || gx >= f * 5 + 3)) CHECK(std::abs(int(at(gx, 15)[0]) - 30) <= 8);  // dark grey close
  }
  int w2 = 0, h2 = 0;
  CHECK_THROWS_AS(read_gif_frame(path, N, w2, h2), Error);
  std::filesystem::remove(path);
}

TEST_CASE("export gif: bad input is refused with the file's name") {
  CHECK_THROWS_WITH_AS(write_gif("/tmp/x.gif", {}, 10, 10, 10), doctest::Contains("/tmp/x.gif: no frames"), Error);
  std::vector<GifFrame> one(1);
  one[0].rgba.assign(10, 0);
  CHECK_THROWS_WITH_AS(write_gif("/tmp/x.gif", one, 10, 10, 10), doctest::Contains("wrong size"), Error);
  write_file_atomic("/tmp/gb_not_a.gif", "hello");
  CHECK_THROWS_WITH_AS(read_gif_info("/tmp/gb_not_a.gif"), doctest::Contains("/tmp/gb_not_a.gif"), Error);
  std::filesystem::remove("/tmp/gb_not_a.gif");
}
