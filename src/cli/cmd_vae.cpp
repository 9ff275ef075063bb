// `glassbox vae encode|decode`: images (uint8 [N,28,28] .npy) → latent centres μ (float32 [N,Z] .npy),
// and latents (float32/float64 [N,Z] .npy) → images (.npy or PNG grid). The shipped 2D VAE by default.
// Bad input (wrong dtype or shape, NaN latents, a corrupt checkpoint) → a message naming the file, exit 1.
#include <cmath>
#include <cstdio>
#include <string>

#include "cli/args.hpp"
#include "cli/vae_io.hpp"
#include "core/error.hpp"
#include "core/files.hpp"
#include "models/data/fashion_mnist.hpp"
#include "core/npy.hpp"

namespace gb::cli {

namespace {
const std::vector<FlagSpec> kSpec = {
    {"--in", true, "FILE       encode: images, uint8 [N,28,28] .npy (0 = background); decode: latents [N,Z] .npy"},
    {"--out", true, "FILE      encode: μ as float32 [N,Z] .npy; decode: uint8 [N,28,28] .npy or a .png grid"},
    {"--model", true, "PATH    VAE checkpoint (default: the shipped assets/models/fashion-vae-2d.safetensors)"},
    {"--class", true, "C       class of every image, for a class-conditional model (name or index 0-9)"},
    {"--help", false, "        show this help"},
};

void print_help() {
  std::printf("usage: glassbox vae encode --in IMAGES.npy --out Z.npy [--model PATH] [--class C]\n"
              "       glassbox vae decode --in Z.npy --out IMAGES.npy|IMAGES.png [--model PATH] [--class C]\n\n%s",
              usage_lines(kSpec).c_str());
}

std::string shape_text(const std::vector<int64_t>& shape) {  // "[3,27,28]"
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i > 0) s += ',';
    s += std::to_string(shape[i]);
  }
  return s + "]";
}

// The labels a conditional model needs (one class for all N), empty for an unconditional one.
std::vector<int> labels_for(const Vae& m, const Args& a, int N, const std::string& path) {
  if (!m.config().conditional()) {
    if (a.has("--class")) throw UsageError{"--class: " + path + " is an unconditional VAE (no classes)"};
    return {};
  }
  if (!a.has("--class")) throw UsageError{path + " is class-conditional: give --class NAME|INDEX"};
  const int c = fashion_class_from_string(a.str("--class"));
  if (c < 0 || c >= m.config().n_classes) throw UsageError{"--class: unknown class `" + a.str("--class") + "`"};
  return std::vector<int>(size_t(N), c);
}

int encode(const Args& a) {
  const std::string in = a.required("--in"), out = a.required("--out");
  if (!vae_ends_with(out, ".npy")) throw UsageError{"--out: encode writes a .npy file"};
  const std::string path = a.str("--model", vae_default_path(false));
  const NpyArray arr = read_npy(in);
  if (arr.descr != "|u1")
    fail_file(in, "images must be uint8 (dtype |u1, 0 = background, 255 = ink), not `" + arr.descr + "`");
  if (arr.shape.size() != 3 || arr.shape[1] != 28 || arr.shape[2] != 28 || arr.shape[0] < 1)
    fail_file(in, "images must have shape [N,28,28] with N ≥ 1, not " + shape_text(arr.shape));
  const Vae m = vae_load_model(path);
  const int N = int(arr.shape[0]), Z = m.config().latent;
  std::vector<float> x = arr.to_float();
  for (float& v : x) v *= 1.0f / 255.0f;
  const std::vector<int> labels = labels_for(m, a, N, path);
  const std::vector<float> stats = m.encode(x.data(), labels.empty() ? nullptr : labels.data(), N);
  std::vector<float> mu(size_t(N) * Z);
  for (int n = 0; n < N; ++n)
    for (int k = 0; k < Z; ++k) mu[size_t(n) * Z + k] = stats[size_t(n) * 2 * Z + k];
  write_file_atomic(out, encode_npy_f32(mu.data(), {N, Z}));
  std::printf("wrote %s: μ of %d images, float32 [%d,%d] (latent centres from %s)\n", out.c_str(), N, N, Z, path.c_str());
  return 0;
}

int decode(const Args& a) {
  const std::string in = a.required("--in"), out = a.required("--out");
  if (!vae_ends_with(out, ".npy") && !vae_ends_with(out, ".png")) throw UsageError{"--out: FILE must end in .npy or .png"};
  const std::string path = a.str("--model", vae_default_path(false));
  const NpyArray arr = read_npy(in);
  if (arr.descr != "<f4" && arr.descr != "<f8")
    fail_file(in, "latents must be float32 or float64, not `" + arr.descr + "`");
  const Vae m = vae_load_model(path);
  const int Z = m.config().latent;
  if (arr.shape.size() != 2 || arr.shape[1] != Z || arr.shape[0] < 1)
    fail_file(in, "latents must have shape [N," + std::to_string(Z) + "] for this model (" + path + "), not " +
                      shape_text(arr.shape));
  const int N = int(arr.shape[0]);
  const std::vector<float> z = arr.to_float();
  for (size_t i = 0; i < z.size(); ++i)
    if (!std::isfinite(z[i]))
      fail_file(in, "row " + std::to_string(i / size_t(Z)) + " holds a non-finite value (NaN or Inf); latents must be numbers");
  const std::vector<int> labels = labels_for(m, a, N, path);
  const std::vector<float> probs = m.decode(z.data(), labels.empty() ? nullptr : labels.data(), N);
  vae_write_images(out, vae_to_pixels(probs), std::min(N, 10), {});
  std::printf("wrote %s: %d images decoded from %s\n", out.c_str(), N, in.c_str());
  return 0;
}
}  // namespace

int cmd_vae(int argc, char** argv) {
  const std::string verb = argc > 2 ? argv[2] : "";
  if (verb == "--help" || verb == "-h") {
    print_help();
    return 0;
  }
  if (verb != "encode" && verb != "decode")
    throw UsageError{verb.empty() ? "name what to do: encode or decode" : "unknown action `" + verb + "` (encode or decode)"};
  Args a(argc, argv, 3, kSpec);
  if (a.has("--help")) {
    print_help();
    return 0;
  }
  return verb == "encode" ? encode(a) : decode(a);
}

}  // namespace gb::cli
