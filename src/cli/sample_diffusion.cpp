// `glassbox sample diffusion`: draws Fashion-MNIST images (or 2D points) from a diffusion model and
// writes them as .npy (uint8 [N,28,28], 0 = background; float32 [N,2] for 2D models) or a .png grid
// (one row per class, classes in order).
#include <Eigen/Core>
#include <chrono>
#include <cstdio>
#include <string>

#include "cli/args.hpp"
#include "core/error.hpp"
#include "core/files.hpp"
#include "models/data/fashion_mnist.hpp"
#include "models/diffusion/images.hpp"
#include "models/diffusion/sampler.hpp"
#include "models/diffusion/train.hpp"

namespace gb::cli {

namespace {
const std::vector<FlagSpec> kSpec = {
    {"--model", true, "PATH      model file (default: the shipped assets/models/fashion-diffusion.safetensors)"},
    {"--class", true, "NAME|INDEX|all  which class (\"Sneaker\", 7) or all ten (default all)"},
    {"--n", true, "N             images per class (default 8)"},
    {"--steps", true, "S         denoising steps (default 50)"},
    {"--sampler", true, "NAME    ddim (default) | ddpm"},
    {"--eta", true, "X           DDIM noise: 0 deterministic (default) … 1"},
    {"--guidance", true, "G      classifier-free guidance scale (default 5; 1 = none, 0 = unconditional)"},
    {"--seed", true, "S          random seed (default 1)"},
    {"--batch", true, "B         images denoised together (default 64)"},
    {"--threads", true, "N       Eigen threads (default 1)"},
    {"--out", true, "FILE        .npy or .png"},
    {"--help", false, "          show this help"},
};

bool ends_with(const std::string& s, const char* e) {
  std::string x(e);
  return s.size() >= x.size() && s.compare(s.size() - x.size(), x.size(), x) == 0;
}
}  // namespace

int sample_diffusion(int argc, char** argv) {
  Args a(argc, argv, 3, kSpec);
  if (a.has("--help")) {
    std::printf("usage: glassbox sample diffusion [--model PATH] --class NAME|INDEX|all --n N [--steps S]\n"
                "                                 [--sampler ddpm|ddim] [--guidance G] [--seed S] --out FILE\n\n%s",
                usage_lines(kSpec).c_str());
    return 0;
  }
  const std::string out = a.required("--out");
  if (!ends_with(out, ".npy") && !ends_with(out, ".png")) throw UsageError{"--out: FILE must end in .npy or .png"};
  const std::string path = a.str("--model", default_diffusion_model_path());
  DiffusionModelFile mf = load_diffusion_model(path);
  SamplerConfig cfg;
  cfg.kind = sampler_from_name(a.str("--sampler", "ddim"));
  const int T = mf.model->schedule().T;
  cfg.steps = int(a.integer("--steps", cfg.kind == SamplerKind::ddpm ? T : 50, 1, T));
  cfg.eta = float(a.number("--eta", 0.0, 0.0, 10.0));
  cfg.guidance = float(a.number("--guidance", SamplerConfig{}.guidance, -100.0, 100.0));
  cfg.seed = uint64_t(a.integer("--seed", 1, 0, 1L << 62));
  cfg.clip_x0 = mf.is_image();
  const int n = int(a.integer("--n", 8, 1, 100000));
  const int batch = int(a.integer("--batch", 64, 1, 4096));
  Eigen::setNbThreads(int(a.integer("--threads", 1, 1, 256)));

  std::vector<int> classes;
  if (mf.model->num_classes() == 0) {
    if (a.has("--class") && a.str("--class") != "all") throw UsageError{"--class: this model has no classes"};
    classes.push_back(-1);
  } else {
    std::string c = a.str("--class", "all");
    if (c == "all") {
      for (int k = 0; k < mf.model->num_classes(); ++k) classes.push_back(k);
    } else {
      int k = fashion_class_from_string(c);
      if (k < 0 || k >= mf.model->num_classes())
        throw UsageError{"--class: unknown class `" + c + "` (a name like \"Sneaker\", an index 0-9, or all)"};
      classes.push_back(k);
    }
  }
  std::vector<int> labels;
  for (int c : classes)
    for (int i = 0; i < n; ++i) labels.push_back(c);

  auto t0 = std::chrono::steady_clock::now();
  std::vector<float> x = sample_batch(mf.model, cfg, labels, batch);
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const int count = int(labels.size());
  if (!mf.is_image()) {
    if (!ends_with(out, ".npy")) throw UsageError{"--out: a 2D model writes .npy (float32 [N,2])"};
    std::string hdr = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + std::to_string(count) + ", 2), }";
    while ((10 + hdr.size() + 1) % 64) hdr += ' ';
    hdr += '\n';
    std::string f("\x93NUMPY\x01\x00", 8);
    f += char(hdr.size() & 0xFF);
    f += char(hdr.size() >> 8);
    f += hdr;
    f.append(reinterpret_cast<const char*>(x.data()), x.size() * sizeof(float));
    write_file_atomic(out, f);
    std::printf("wrote %d points to %s (%.2f s, %s %d steps)\n", count, out.c_str(), secs, sampler_name(cfg.kind), cfg.steps);
    return 0;
  }
  std::vector<uint8_t> px = dimg::to_pixels(x.data(), count);
  if (ends_with(out, ".npy")) {
    write_file_atomic(out, dimg::encode_npy_u8(px.data(), {count, 28, 28}));
  } else {
    int w = 0, h = 0;
    std::vector<uint8_t> grid = dimg::tile(px.data(), count, 28, n, w, h);
    const int f = 2;
    std::vector<uint8_t> big = dimg::upscale(grid, w, h, f);
    if (classes.size() > 1 || classes[0] >= 0) {
      // one row per class: its name in a left margin
      std::vector<std::string> names;
      int widest = 0;
      for (int c : classes) {
        names.push_back(c >= 0 ? kFashionClassNames[c] : "(any)");
        widest = std::max(widest, dimg::label_width(names.back()));
      }
      const int margin = widest * f + 10 * f;
      big = dimg::label_rows(big, w * f, h * f, names, 2 * f, 30 * f, 28 * f, f, margin, 64, 255);
      w += margin / f;
    }
    write_file_atomic(out, dimg::encode_png_gray(big.data(), w * f, h * f));
  }
  std::printf("wrote %d images to %s (%.2f s, %s %d steps, guidance %g, seed %llu)\n", count, out.c_str(), secs,
              sampler_name(cfg.kind), cfg.steps, double(cfg.guidance), (unsigned long long)cfg.seed);
  if (classes.size() > 1 || classes[0] >= 0) {
    std::printf("%s, in order:", ends_with(out, ".png") ? "rows" : "blocks of N");
    for (int c : classes) std::printf(" %s%s", c >= 0 ? kFashionClassNames[c] : "(any)", c == classes.back() ? "\n" : ",");
  }
  return 0;
}

}  // namespace gb::cli
