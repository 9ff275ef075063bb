// The Fashion-MNIST loader and its class names.
#include "models/data/fashion_mnist.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>

#include "core/error.hpp"
#include "core/files.hpp"

namespace gb {

const char* const kFashionClassNames[kFashionClasses] = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                                                         "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};

std::string fashion_mnist_dir() {
  if (const char* e = std::getenv("GLASSBOX_FASHION_DIR"); e && *e) return e;
  return "/usr/share/datasets/fashion-mnist";
}

FashionMnist fashion_from_arrays(IdxArray images, IdxArray labels, const std::string& name) {
  if (images.dims.size() != 3 || images.dims[1] != kFashionSide || images.dims[2] != kFashionSide)
    fail_file(name, "images must have dims (N, 28, 28)");
  if (labels.dims.size() != 1) fail_file(name, "labels must have dims (N)");
  if (images.dims[0] != labels.dims[0])
    fail_file(name, "count mismatch: " + std::to_string(images.dims[0]) + " images but " +
                        std::to_string(labels.dims[0]) + " labels");
  if (images.dims[0] == 0) fail_file(name, "holds no images (its header says N = 0): nothing to train on or show");
  for (uint8_t l : labels.data)
    if (l >= kFashionClasses) fail_file(name, "label " + std::to_string(l) + " out of range 0..9");
  FashionMnist f;
  f.count = int(images.dims[0]);
  f.images = std::move(images.data);
  f.labels = std::move(labels.data);
  return f;
}

FashionMnist load_fashion_mnist(const std::string& split, const std::string& dir_in) {
  std::string dir = dir_in.empty() ? fashion_mnist_dir() : dir_in;
  std::string prefix;
  if (split == "train") prefix = "train";
  else if (split == "test") prefix = "t10k";
  else fail("fashion-mnist: unknown split `" + split + "` (train or test)");
  std::string img = dir + "/" + prefix + "-images-idx3-ubyte.gz";
  std::string lab = dir + "/" + prefix + "-labels-idx1-ubyte.gz";
  for (const std::string& p : {img, lab})
    if (!file_exists(p))
      fail_file(p, "Fashion-MNIST is not installed. Install it with `sudo apt-get install dataset-fashion-mnist` "
                   "(or point GLASSBOX_FASHION_DIR at a folder with the four *-ubyte.gz files)");
  return fashion_from_arrays(read_idx(img), read_idx(lab), img);
}

int fashion_class_from_string(const std::string& s) {
  if (s.size() == 1 && s[0] >= '0' && s[0] <= '9') return s[0] - '0';
  auto norm = [](std::string x) {
    std::string r;
    for (char c : x)
      if (std::isalnum(uint8_t(c))) r += char(std::tolower(uint8_t(c)));
    return r;
  };
  std::string n = norm(s);
  if (n.empty()) return -1;
  for (int i = 0; i < kFashionClasses; ++i) {
    std::string c = norm(kFashionClassNames[i]);
    if (n == c) return i;
  }
  if (n == "tshirt" || n == "top") return 0;
  if (n == "boot" || n == "ankleboots") return 9;
  return -1;
}

}  // namespace gb
