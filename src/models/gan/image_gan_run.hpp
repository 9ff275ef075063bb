// Headless training and sampling of the image GAN (used by `glassbox train gan` / `sample gan` and
// by tests): a training run with atomic intermediate checkpoints and sample grids, and seeded
// sampling into uint8 images.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "models/gan/image_gan.hpp"

namespace gb {

struct ImageGanRun {
  std::string out;                 // final model (.safetensors, fp16 weights)
  int64_t steps = 10000;           // total training steps (one D + one G update each)
  ImageGanConfig model;            // architecture
  ImageGanTrainConfig train;       // optimiser, loss, batch, seed
  int64_t checkpoint_every = 500;  // full fp32 checkpoint (OUT.ckpt.safetensors) + samples every N steps; 0 = never
  bool resume = true;              // continue from OUT.ckpt.safetensors when it exists
  std::string command;             // the command line, stored in the model's metadata
};

// Trains on Fashion-MNIST "train"; progress(step, d_loss, g_loss) is called after every step.
// Writes OUT, and every checkpoint_every steps OUT.ckpt.safetensors and OUT.samples.png.
void run_image_gan_training(const ImageGanRun& run, const std::function<void(int64_t, float, float)>& progress);

// Seeded samples: one latent per label drawn in order from Rng(seed); returns (N, 28, 28) uint8.
std::vector<uint8_t> sample_image_gan(const ImageGan& m, const std::vector<int>& labels, uint64_t seed);

// Writes a PNG grid with one row per class (per_class samples each) for labels 0..n_classes-1.
void write_class_grid_png(const ImageGan& m, const std::string& path, int per_class, uint64_t seed);

}  // namespace gb
