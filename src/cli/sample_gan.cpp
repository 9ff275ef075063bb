// `glassbox sample gan`: images from the class-conditional Fashion-MNIST GAN as a .npy array
// (uint8 [N,28,28], 0 = background, N per class in class order with --class all) or a PNG grid.
#include <cstdio>
#include <string>

#include "cli/args.hpp"
#include "cli/setting_flags.hpp"
#include "core/error.hpp"
#include "core/files.hpp"
#include "models/data/fashion_mnist.hpp"
#include "models/gan/image_gan_run.hpp"
#include "models/gan/image_io.hpp"

namespace gb::cli {

namespace {
const std::string kCmd = "sample gan";
// The numbers come from their rows (lab/command_flags.cpp): range, default, help and message.
const std::vector<FlagSpec> kSampleSpec = with_setting_flags({
    {"--model", true, "PATH    image-GAN checkpoint (default: the shipped assets/models/fashion-gan.safetensors)"},
    {"--class", true, "C       class name (\"Ankle boot\"), index 0-9, or all (default all)"},
    {"--out", true, "FILE      .npy (uint8 [N,28,28], 0 = background) or .png (grid)"},
    {"--help", false, "        show this help"},
}, kCmd);

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}
}  // namespace

int sample_gan(int argc, char** argv) {
  // argv: glassbox sample gan [flags…]
  Args a(argc, argv, 3, kSampleSpec);
  check_setting_flags(a, kCmd);  // every number against its row, before any work
  if (a.has("--help")) {
    std::printf("usage: glassbox sample gan [--model PATH] [--class NAME|INDEX|all] [--n N] [--seed S] --out FILE\n\n%s"
                "classes: ",
                usage_lines(kSampleSpec).c_str());
    for (int c = 0; c < kFashionClasses; ++c) std::printf("%d %s%s", c, kFashionClassNames[c], c + 1 < kFashionClasses ? ", " : "\n");
    return 0;
  }
  const std::string out = a.required("--out");
  if (!ends_with(out, ".npy") && !ends_with(out, ".png")) throw UsageError{"--out: write a .npy or a .png file"};
  const int n = int(flag_value(a, kCmd, "n"));
  const uint64_t seed = uint64_t(flag_value(a, kCmd, "seed"));
  const std::string cls = a.str("--class", "all");
  const std::string path = a.str("--model", assets_dir() + "/models/fashion-gan.safetensors");
  if (!file_exists(path)) fail_file(path, "no such model file (train one with `glassbox train gan --out FILE`)");
  const ImageGan m = ImageGan::load(path);
  std::vector<int> labels;
  int classes = 1;
  if (cls == "all") {
    classes = m.config().n_classes;
    for (int c = 0; c < classes; ++c)
      for (int j = 0; j < n; ++j) labels.push_back(c);
  } else {
    int c = -1;
    try {
      c = fashion_class_from_name(cls);
    } catch (const Error& e) {
      throw UsageError{std::string("--class: ") + e.what()};
    }
    if (c >= m.config().n_classes) throw UsageError{"--class: the model has only " + std::to_string(m.config().n_classes) + " classes"};
    labels.assign(size_t(n), c);
  }
  const std::vector<uint8_t> px = sample_image_gan(m, labels, seed);
  if (ends_with(out, ".npy")) {
    write_npy_u8(out, px.data(), {int(labels.size()), 28, 28});
  } else {
    const int cols = classes > 1 ? n : std::min(n, 10);
    int w = 0, h = 0;
    auto grid = tile_images(px.data(), int(labels.size()), 28, cols, w, h);
    write_png_gray(out, grid.data(), w, h);
  }
  std::printf("wrote %s: %zu images (%s, seed %llu) from %s\n", out.c_str(), labels.size(),
              cls == "all" ? "every class" : kFashionClassNames[labels[0]], (unsigned long long)seed, path.c_str());
  return 0;
}

}  // namespace gb::cli
