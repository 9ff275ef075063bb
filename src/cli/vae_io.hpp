// Shared pieces of the VAE subcommands (sample vae, vae encode|decode, bench vae): default model
// paths, loading with a hint, probabilities → uint8 pixels, and writing images as .npy or a PNG grid.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "models/vae/vae.hpp"

namespace gb::cli {

std::string vae_default_path(bool conditional);  // assets/models/fashion-cvae|fashion-vae-2d.safetensors
Vae vae_load_model(const std::string& path);     // gb::Error naming the file (with a hint when missing)
std::vector<uint8_t> vae_to_pixels(const std::vector<float>& probs);  // round(p · 255), 0 = background
bool vae_ends_with(const std::string& s, const char* tail);
// uint8 [N,28,28] .npy, or a PNG grid with `cols` images per row (class names in a left margin
// when row_names is not empty, one per row).
void vae_write_images(const std::string& out, const std::vector<uint8_t>& px, int cols,
                      const std::vector<std::string>& row_names);

}  // namespace gb::cli
