// Shared pieces of the VAE subcommands: model paths and loading, pixels, .npy / PNG output.
#include "cli/vae_io.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"
#include "core/files.hpp"
#include "models/diffusion/images.hpp"
#include "models/gan/image_io.hpp"

namespace gb::cli {

std::string vae_default_path(bool conditional) {
  return assets_dir() + (conditional ? "/models/fashion-cvae.safetensors" : "/models/fashion-vae-2d.safetensors");
}

Vae vae_load_model(const std::string& path) {
  if (!file_exists(path)) fail_file(path, "no such model file (train one with `glassbox train vae --out FILE`)");
  return Vae::load(path);
}

std::vector<uint8_t> vae_to_pixels(const std::vector<float>& probs) {
  std::vector<uint8_t> px(probs.size());
  for (size_t i = 0; i < probs.size(); ++i) px[i] = uint8_t(std::lround(std::clamp(probs[i], 0.0f, 1.0f) * 255.0f));
  return px;
}

bool vae_ends_with(const std::string& s, const char* tail) {
  const std::string t(tail);
  return s.size() >= t.size() && s.compare(s.size() - t.size(), t.size(), t) == 0;
}

void vae_write_images(const std::string& out, const std::vector<uint8_t>& px, int cols,
                      const std::vector<std::string>& row_names) {
  const int count = int(px.size() / kVaePixels);
  if (vae_ends_with(out, ".npy")) {
    write_npy_u8(out, px.data(), {count, 28, 28});
    return;
  }
  int w = 0, h = 0;
  std::vector<uint8_t> grid = dimg::tile(px.data(), count, 28, std::max(1, std::min(cols, count)), w, h);
  const int f = 2;  // drawn twice as large, easy to look at
  std::vector<uint8_t> big = dimg::upscale(grid, w, h, f);
  if (!row_names.empty()) {
    int widest = 0;
    for (const auto& n : row_names) widest = std::max(widest, dimg::label_width(n));
    const int margin = widest * f + 10 * f;
    big = dimg::label_rows(big, w * f, h * f, row_names, 2 * f, 30 * f, 28 * f, f, margin, 64, 255);
    w += margin / f;
  }
  write_file_atomic(out, dimg::encode_png_gray(big.data(), w * f, h * f));
}

}  // namespace gb::cli
