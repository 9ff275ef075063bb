// Class-conditional convolutional GAN for 28×28 grey images (Fashion-MNIST), DCGAN-style:
//   G: [z (Z) ; class embedding (E)] → linear → (C0, 7, 7) → BN, ReLU → convT 4/2 → (C1, 14, 14)
//      → BN, ReLU → convT 4/2 → (1, 28, 28) → tanh
//   D: x (1, 28, 28) → conv 4/2 → (D0, 14, 14) → LReLU → conv 4/2 → (D1, 7, 7) → LReLU → linear → h (F)
//      → LReLU; score = w·h + b + ⟨embed(class), h⟩ (projection discriminator)
// Images are in [−1, 1] inside the model (−1 = background); uint8 0..255 outside (0 = background).
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "models/data/fashion_mnist.hpp"
#include "core/rng.hpp"
#include "models/gan/losses.hpp"
#include "nn/adamw.hpp"
#include "nn/params.hpp"

namespace gb {

struct ImageGanConfig {
  int z_dim = 64;      // latent size
  int n_classes = 10;  // conditioning classes
  int emb_dim = 16;    // generator's class-embedding size
  int g_ch0 = 64;      // generator channels at 7×7
  int g_ch1 = 32;      // generator channels at 14×14
  int d_ch0 = 32;      // discriminator channels at 14×14
  int d_ch1 = 64;      // discriminator channels at 7×7
  int d_feat = 128;    // discriminator feature size (projection dimension)
  std::string to_json() const;
  static ImageGanConfig from_json(const std::string& json, const std::string& file);  // throws gb::Error
};

// "Coat", "coat", "4" → 4 (names in models/data/fashion_mnist.hpp kFashionClassNames); throws gb::Error listing them otherwise.
int fashion_class_from_name(const std::string& name);

// Training images: Fashion-MNIST (models/data/fashion_mnist.hpp), count × 28 × 28 uint8 (0 = background), labels 0..9.
using ImageData = FashionMnist;

// Forward caches (activations kept for backward), sized on first use.
struct GenCache {
  int N = 0;
  std::vector<float> in;                          // (N, Z+E) latent and embedding
  std::vector<float> fc, bn0_xhat, bn0, a0;       // (N, C0, 7, 7)
  std::vector<float> bn0_invstd;                  // (C0)
  std::vector<float> up1, bn1_xhat, bn1, a1;      // (N, C1, 14, 14)
  std::vector<float> bn1_invstd;                  // (C1)
  std::vector<float> up2, img;                    // (N, 1, 28, 28) pre-tanh and image
  std::vector<int> labels;                        // (N)
};
struct DiscCache {
  int N = 0;
  std::vector<float> x;              // (N, 1, 28, 28)
  std::vector<float> c0, a0;         // (N, D0, 14, 14)
  std::vector<float> c1, a1;         // (N, D1, 7, 7)
  std::vector<float> fc, h;          // (N, F)
  std::vector<float> score;          // (N)
  std::vector<int> labels;           // (N)
};

class ImageGan {
 public:
  explicit ImageGan(const ImageGanConfig& c = {});
  void init(uint64_t seed);  // DCGAN-style N(0, 0.02) weights (BN: γ ~ N(1, 0.02)), zero biases

  // [SECTION] generator
  // Forward for N latents z (N, Z) and labels; train = batch statistics (and running-average update
  // with bn_momentum).
  void gen_forward(GenCache& c, const float* z, const int* labels, int N, bool train, float bn_momentum = 0.1f);
  // Recomputes the BN running statistics as exact averages over n_batches random batches of
  // `batch` latents with uniformly drawn classes (needed after swapping in averaged weights).
  void recalibrate_bn(uint64_t seed, int n_batches, int batch);
  // Adds parameter gradients into g.grad from dimg (N, 1, 28, 28). Needs the cache of a train forward.
  void gen_backward(GenCache& c, const float* dimg);

  // [SECTION] discriminator
  void disc_forward(DiscCache& c, const float* x, const int* labels, int N) const;
  // Adds into d.grad (if param_grads) and into dx (N, 1, 28, 28) if not null, from dscore (N).
  void disc_backward(DiscCache& c, const float* dscore, float* dx, bool param_grads);

  // [SECTION] convenience for sampling and the app (eval-mode generator)
  // Images (N, 28, 28) in [−1, 1] for the given latents and labels.
  std::vector<float> generate(const std::vector<float>& z, const std::vector<int>& labels) const;
  // The latent a seed stands for: z = N(0, 1) draws from Rng(seed).
  std::vector<float> latent_for_seed(uint64_t seed) const;
  // Spherical interpolation between the latents of two seeds, t in [0, 1].
  std::vector<float> interpolate_latent(uint64_t seed_a, uint64_t seed_b, float t) const;
  // The discriminator's raw score and probability "real" for one image (28·28 values in [−1, 1]).
  float score(const float* image, int label) const;

  const ImageGanConfig& config() const { return cfg_; }

  // Checkpoints: weights (+ running BN statistics) in safetensors, config in metadata
  // ("glassbox.model" = "image-gan", "glassbox.config" = JSON). half = store weights as F16.
  void save(const std::string& path, bool half, const std::map<std::string, std::string>& extra_meta = {}) const;
  static ImageGan load(const std::string& path);  // throws gb::Error naming the file

  ParamSet g, d;   // generator and discriminator parameters (separate optimisers)
  ParamSet g_buf;  // BN running means and variances (not trained)

 private:
  void gen_forward_impl(GenCache& c, const float* z, const int* labels, int N, float* running, float momentum) const;
  ImageGanConfig cfg_;
  // parameter indices
  size_t g_emb_, g_fc_w_, g_fc_b_, g_bn0_w_, g_bn0_b_, g_up1_w_, g_up1_b_, g_bn1_w_, g_bn1_b_, g_up2_w_, g_up2_b_;
  size_t g_rm0_, g_rv0_, g_rm1_, g_rv1_;
  size_t d_c0_w_, d_c0_b_, d_c1_w_, d_c1_b_, d_fc_w_, d_fc_b_, d_out_w_, d_out_b_, d_emb_;
};

// [SECTION] training
struct ImageGanTrainConfig {
  int batch = 64;            // real images per D step (and fakes per step)
  float lr_g = 2e-4f;        // generator learning rate (Adam)
  float lr_d = 2e-4f;        // discriminator learning rate
  float beta1 = 0.5f;        // Adam β1 (DCGAN's 0.5)
  float beta2 = 0.999f;      // Adam β2
  float ema = 0.999f;        // generator weight averaging (EMA) decay; the saved model uses the average
  GanLoss loss = GanLoss::ns;  // ns or hinge (wgan-gp is for the 2D GAN only)
  uint64_t seed = 1;         // initial weights and every random draw of training
};

// The whole training state: model, optimisers, random stream, step, loss history. Plain data, so a
// copy (or a checkpoint with optimiser state) resumes bit-identically.
struct ImageGanTrainer {
  ImageGanTrainer(const ImageGanConfig& mc, const ImageGanTrainConfig& tc);
  ImageGan model;
  ImageGanTrainConfig tc;
  AdamW opt_g, opt_d;
  std::vector<float> g_ema;  // exponential moving average of model.g.data
  Rng rng;
  int64_t step = 0;
  std::vector<float> d_losses, g_losses;  // one per step
  // One D step then one G step on a batch drawn from data. Returns {d_loss, g_loss}.
  std::pair<float, float> train_step(const ImageData& data);
  // The model with the averaged generator weights and BN statistics recalibrated for them.
  ImageGan averaged_model() const;
  // Full state (fp32 weights, optimiser moments, rng, step, losses) for exact resumption.
  void save_checkpoint(const std::string& path) const;
  static ImageGanTrainer load_checkpoint(const std::string& path);

 private:
  GenCache gc_;
  DiscCache dc_;
};

// uint8 (0 = background) ↔ model range [−1, 1]
inline float pixel_to_model(uint8_t p) { return float(p) * (2.0f / 255.0f) - 1.0f; }
uint8_t model_to_pixel(float v);

}  // namespace gb
