// Fashion-MNIST: the loader shared by the diffusion, GAN and VAE models, and the class names.
//
//   gb::FashionMnist train = gb::load_fashion_mnist("train");   // throws gb::Error with an install hint
//   const uint8_t* img = train.image(i);                         // (28, 28), 0 = background
//   int label = train.labels[i];                                 // 0..9, see kFashionClassNames
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/idx.hpp"

namespace gb {

constexpr int kFashionClasses = 10;
constexpr int kFashionSide = 28;
extern const char* const kFashionClassNames[kFashionClasses];  // "T-shirt/top", "Trouser", …

// Where Debian's dataset-fashion-mnist puts the files ($GLASSBOX_FASHION_DIR overrides).
std::string fashion_mnist_dir();

struct FashionMnist {
  int count = 0;                 // number of images
  std::vector<uint8_t> images;   // (count, 28, 28), 0 = background, 255 = ink
  std::vector<uint8_t> labels;   // (count), 0..9
  const uint8_t* image(int i) const { return images.data() + size_t(i) * kFashionSide * kFashionSide; }
};

// Loads split "train" (60000) or "test" (10000) from `dir` (default fashion_mnist_dir()).
// Missing files → gb::Error telling how to install them (sudo apt-get install dataset-fashion-mnist).
// Checks image dims (N, 28, 28), label dims (N), equal counts and labels < 10.
FashionMnist load_fashion_mnist(const std::string& split, const std::string& dir = "");

// Builds a FashionMnist from parsed arrays (the checks above); `name` is used in errors.
FashionMnist fashion_from_arrays(IdxArray images, IdxArray labels, const std::string& name);

// Parses a class name ("Sneaker", case-insensitive, also "tshirt"/"t-shirt") or index "0".."9";
// returns -1 when it is neither.
int fashion_class_from_string(const std::string& s);

}  // namespace gb
