// `glassbox sample vae`: images decoded from the prior z ~ N(0, T²·I) of a VAE — the shipped
// class-conditional one by default — as .npy (uint8 [N,28,28], 0 = background, N per class in class
// order with --class all) or a PNG grid (one row per class, its name in the margin).
#include <chrono>
#include <cstdio>
#include <string>

#include "cli/args.hpp"
#include "cli/setting_flags.hpp"
#include "cli/vae_io.hpp"
#include "core/error.hpp"
#include "lab/lab_settings.hpp"
#include "models/data/fashion_mnist.hpp"

namespace gb::cli {

namespace {
const std::string kCmd = "sample vae";
// --seed and --temperature come from the VAE lab's settings table (lab/vae_settings.cpp): the ranges and
// messages of `vae set NAME VALUE`.
const std::vector<FlagSpec>& flag_spec() {
  static const std::vector<FlagSpec> spec = [] {
    std::vector<FlagSpec> v = {
        {"--model", true, "PATH     VAE checkpoint (default: the shipped assets/models/fashion-cvae.safetensors)"},
        {"--class", true, "C        class name (\"Ankle boot\"), index 0-9, or all (default all)"},
    };
    for (const FlagSpec& f : setting_flags(cli_setting_specs("sample vae"))) v.push_back(f);
    v.push_back({"--out", true, "FILE       .npy (uint8 [N,28,28], 0 = background) or .png (grid)"});
    v.push_back({"--help", false, "         show this help"});
    return v;
  }();
  return spec;
}
}  // namespace

int sample_vae(int argc, char** argv) {
  const std::vector<FlagSpec>& kSpec = flag_spec();
  Args a(argc, argv, 3, kSpec);
  check_setting_flags(a, kCmd);  // every number against its row, before any work
  if (a.has("--help")) {
    std::printf("usage: glassbox sample vae [--model PATH] [--class NAME|INDEX|all] [--n N] [--seed S]\n"
                "                           [--temperature T] [--prior fitted|standard] --out FILE.npy|FILE.png\n\n%s",
                usage_lines(kSpec).c_str());
    return 0;
  }
  const std::string out = a.required("--out");
  if (!vae_ends_with(out, ".npy") && !vae_ends_with(out, ".png")) throw UsageError{"--out: FILE must end in .npy or .png"};
  const int n = int(flag_value(a, kCmd, "n"));
  VaeSettings st;  // the lab's defaults, then the flags given, each checked by its table row
  apply_setting_flags(a, vae_settings_table(), st, "sample vae");
  const uint64_t seed = st.seed;
  const float temperature = st.temperature;
  const std::string path = a.str("--model", vae_default_path(true));
  const Vae m = vae_load_model(path);
  const std::string cls = a.str("--class", "all");
  std::vector<int> classes;
  if (!m.config().conditional()) {
    if (cls != "all") throw UsageError{"--class: " + path + " is an unconditional VAE (no classes)"};
    classes.push_back(-1);
  } else if (cls == "all") {
    for (int c = 0; c < m.config().n_classes; ++c) classes.push_back(c);
  } else {
    const int c = fashion_class_from_string(cls);
    if (c < 0 || c >= m.config().n_classes)
      throw UsageError{"--class: unknown class `" + cls + "` (a name like \"Sneaker\", an index 0-9, or all)"};
    classes.push_back(c);
  }
  std::vector<int> labels;
  for (int c : classes) labels.insert(labels.end(), size_t(n), c);
  const int count = int(labels.size());
  const auto t0 = std::chrono::steady_clock::now();
  const bool fitted = st.prior == 0 && m.has_fitted_prior();
  const std::vector<float> z = m.prior_latents(count, seed, temperature, labels.data(), fitted);
  const std::vector<float> probs = m.decode(z.data(), m.config().conditional() ? labels.data() : nullptr, count);
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::vector<std::string> names;
  if (classes.size() > 1)  // one row per class
    for (int c : classes) names.push_back(kFashionClassNames[c]);
  vae_write_images(out, vae_to_pixels(probs), classes.size() > 1 ? n : std::min(n, 10), names);
  std::printf("wrote %d images to %s (%.3f s, seed %llu, temperature %g, prior %s) from %s\n", count, out.c_str(), secs,
              (unsigned long long)seed, double(temperature),
              fitted ? ("fitted, " + std::to_string(m.fitted_prior().components) + " Gaussians per class").c_str()
                     : st.prior == 0 ? "N(0, I): the model has no fitted prior" : "N(0, I)",
              path.c_str());
  if (m.config().conditional()) {
    std::printf("%s, in order:", vae_ends_with(out, ".png") ? "rows" : "blocks of N");
    for (size_t i = 0; i < classes.size(); ++i)
      std::printf(" %s%s", kFashionClassNames[classes[i]], i + 1 < classes.size() ? "," : "\n");
  }
  return 0;
}

}  // namespace gb::cli
