// Checks a PNG written by `glassbox screenshot`: the requested size, and not blank (many distinct
// colours and a real spread of brightness). Usage: png_check FILE.png WIDTH HEIGHT
#include <cstdio>
#include <cstdlib>
#include <set>

#include <stb/stb_image.h>  // implementation in Debian's libstb (-lstb)

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: png_check FILE.png WIDTH HEIGHT\n");
    return 2;
  }
  int want_w = std::atoi(argv[2]), want_h = std::atoi(argv[3]);
  int w = 0, h = 0, n = 0;
  unsigned char* px = stbi_load(argv[1], &w, &h, &n, 3);
  if (!px) {
    std::fprintf(stderr, "png_check: %s: cannot decode (%s)\n", argv[1], stbi_failure_reason());
    return 1;
  }
  std::set<unsigned> colours;
  double sum = 0, sum2 = 0;
  size_t count = size_t(w) * size_t(h);
  for (size_t i = 0; i < count; ++i) {
    unsigned r = px[3 * i], g = px[3 * i + 1], b = px[3 * i + 2];
    colours.insert((r << 16) | (g << 8) | b);
    double y = 0.299 * r + 0.587 * g + 0.114 * b;
    sum += y;
    sum2 += y * y;
  }
  stbi_image_free(px);
  double mean = sum / double(count), var = sum2 / double(count) - mean * mean;
  std::printf("%s: %dx%d, %zu distinct colours, brightness mean %.1f, variance %.1f\n", argv[1], w, h, colours.size(), mean, var);
  bool ok = true;
  if (w != want_w || h != want_h) {
    std::fprintf(stderr, "png_check: expected %dx%d\n", want_w, want_h);
    ok = false;
  }
  // Text is anti-aliased, so a real UI frame has hundreds of colours; a blank or cleared frame has 1–2.
  if (colours.size() < 64) {
    std::fprintf(stderr, "png_check: only %zu distinct colours: the frame looks blank\n", colours.size());
    ok = false;
  }
  if (var < 50.0) {
    std::fprintf(stderr, "png_check: brightness variance %.1f is too low: the frame looks blank\n", var);
    ok = false;
  }
  return ok ? 0 : 1;
}
