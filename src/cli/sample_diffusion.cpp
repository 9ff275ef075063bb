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
#include "cli/setting_flags.hpp"
#include "lab/lab_settings.hpp"

namespace gb::cli {

namespace {
const std::string kCmd = "sample diffusion";
// --sampler, --steps, --eta, --guidance and --seed come from the diffusion lab's settings table
// (lab/diffusion_settings.cpp): the ranges and messages of `diffusion set NAME VALUE`.
const std::vector<FlagSpec>& flag_spec() {
  static const std::vector<FlagSpec> spec = [] {
    std::vector<FlagSpec> v = {
        {"--model", true, "PATH      model file (default: the shipped assets/models/fashion-diffusion.safetensors)"},
        {"--class", true, "NAME|INDEX|all  which class (\"Sneaker\", 7) or all ten (default all)"},
    };
    for (const FlagSpec& f : setting_flags(cli_setting_specs("sample diffusion"))) v.push_back(f);
    v.push_back({"--out", true, "FILE        .npy or .png"});
    v.push_back({"--help", false, "          show this help"});
    return v;
  }();
  return spec;
}

bool ends_with(const std::string& s, const char* e) {
  std::string x(e);
  return s.size() >= x.size() && s.compare(s.size() - x.size(), x.size(), x) == 0;
}
}  // namespace

int sample_diffusion(int argc, char** argv) {
  const std::vector<FlagSpec>& kSpec = flag_spec();
  Args a(argc, argv, 3, kSpec);
  check_setting_flags(a, kCmd);  // every number against its row, before any work
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
  DiffusionSettings st;  // the lab's defaults, then the flags given, each checked by its table row
  apply_setting_flags(a, diffusion_settings_table(), st, "sample diffusion");
  SamplerConfig cfg = st.sampler;
  const int T = mf.model->schedule().T;
  if (!a.has("--steps") && cfg.kind == SamplerKind::ddpm) cfg.steps = T;  // DDPM walks every step unless told
  if (cfg.steps > T) throw UsageError{"steps " + std::to_string(cfg.steps) + ": this model has only " + std::to_string(T) + " steps"};
  cfg.clip_x0 = mf.is_image();
  const int n = int(flag_value(a, kCmd, "n"));
  const int batch = int(flag_value(a, kCmd, "batch"));
  Eigen::setNbThreads(int(flag_value(a, kCmd, "threads")));

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
