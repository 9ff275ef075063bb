// Toy 2D distributions, one generator per set, for the 2D GAN (GAN Lab's playground) and the 2D
// diffusion models: a ring and a grid of Gaussians, two moons, a spiral, a swiss roll, two rings, a
// 3×3 grid of Gaussians, and points the user draws; plus the mode-coverage measure used to detect
// collapse. The shipped 2D diffusion checkpoints were trained on swiss-roll, moons, rings and
// gaussians as generated here.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/rng.hpp"

namespace gb {

// The first five are the GAN playground's menu, in its order (custom last).
enum class ToyDataset { ring, grid, moons, spiral, custom, swiss_roll, rings, gaussians };

// "ring" | "grid" | "moons" | "spiral" | "swiss-roll" | "rings" | "gaussians" | "custom" ("drawn"
// too); throws gb::Error listing the names otherwise.
ToyDataset toy_dataset_from_name(const std::string& name);
const char* toy_dataset_name(ToyDataset d);

struct ToyData {
  ToyDataset kind = ToyDataset::ring;
  std::vector<float> custom;  // (n, 2) user-drawn points (kind == custom); at least 2 distinct points
  float custom_noise = 0.05f; // std of the Gaussian blur around each drawn point

  // Throws gb::Error when the set cannot be sampled (custom with < 2 points, non-finite points).
  void validate() const;
  // n points (n, 2) drawn with rng.
  void sample(Rng& rng, int n, float* out) const;
  // Reference "modes": the Gaussian centres (ring: 8, grid: 25, gaussians: 9) or, for continuous
  // sets, evenly spread anchor points along the data (moons: 16, spiral: 24, swiss-roll: 24,
  // rings: 24, custom: the drawn points, up to 32).
  std::vector<float> modes() const;  // (m, 2)
  // Distance within which a generated point counts as "on" a mode.
  float mode_radius() const;
};

// [SECTION] the diffusion lab's sets by name
// Names: "swiss-roll", "moons", "rings", "gaussians" (the sets with shipped 2D diffusion models).
const std::vector<std::string>& toy2d_names();
bool is_toy2d(const std::string& name);
// n points (n, 2) of one of toy2d_names() (ToyData::sample); throws gb::Error for other names.
std::vector<float> toy2d_sample(const std::string& name, int n, Rng& rng);

struct ModeCoverage {
  int modes = 0;         // reference modes
  int covered = 0;       // modes that receive at least a fifth of their fair share of fakes
  float quality = 0;     // fraction of fakes within mode_radius of some mode
  std::vector<int> counts;  // fakes nearest each mode (within the radius)
  float spread = 0;      // RMS distance of the fakes from their mean ÷ the same for real data (≪ 1: collapsed)
};

// Coverage of the modes of `data` by the points (n, 2).
ModeCoverage mode_coverage(const ToyData& data, const float* points, int n);

}  // namespace gb
