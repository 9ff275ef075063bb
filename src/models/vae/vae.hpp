// Variational autoencoder for 28×28 grey images (Fashion-MNIST), an MLP in both directions:
//   encoder  q(z|x):  [x (784) ; one-hot class (C)] → linear H1 → ReLU → linear H2 → ReLU → linear 2Z
//                     → μ (Z) and log σ² (Z)
//   sampling:         z = μ + σ·ε,  ε ~ N(0, I)   (the reparameterisation: randomness kept outside)
//   decoder  p(x|z):  [z (Z) ; one-hot class (C)] → linear H2 → ReLU → linear H1 → ReLU → linear 784
//                     → logits; the picture is sigmoid(logits) (each pixel's probability of ink)
//   loss per image:   reconstruction = Σ_pixels BCE(x, sigmoid(logit))  (Bernoulli, nats)
//                     KL = ½ Σ_z (μ² + σ² − 1 − log σ²)                (nats), total = rec + β·KL
// C = 0 for the unconditional model. Pixels are x = byte / 255 in [0, 1] (0 = background).
// Parameter names and layouts follow PyTorch's nn.Linear (tests/quality/vae_torch.py is the mirror).
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/rng.hpp"
#include "nn/params.hpp"

namespace gb {

constexpr int kVaePixels = 784;  // 28 × 28

struct VaeConfig {
  int latent = 2;      // Z: size of z (2 = the latent plane is the screen)
  int n_classes = 0;   // C: 0 = unconditional; 10 = class one-hot given to encoder and decoder
  int hidden1 = 512;   // H1: first encoder layer / last decoder layer
  int hidden2 = 256;   // H2: second encoder layer / first decoder layer
  bool conditional() const { return n_classes > 0; }
  std::string to_json() const;
  static VaeConfig from_json(const std::string& json, const std::string& file);  // throws gb::Error naming file
};

// Loss terms, each the mean over the batch in nats per image.
struct VaeLoss {
  double rec = 0;  // Bernoulli negative log-likelihood of the pixels (binary cross-entropy, summed over pixels)
  double kl = 0;   // KL(q(z|x) ‖ N(0, I))
  double total(double beta) const { return rec + beta * kl; }
};

// Activations of one batch, kept for backward (sized on first use). Shapes in comments.
struct VaeCache {
  int N = 0;
  std::vector<float> x;                // (N, 784) targets in [0, 1]
  std::vector<int> labels;             // (N) or empty
  std::vector<float> enc_in;           // (N, 784 + C)
  std::vector<float> enc_h1, enc_a1;   // (N, H1) pre- and post-ReLU
  std::vector<float> enc_h2, enc_a2;   // (N, H2)
  std::vector<float> stats;            // (N, 2Z): row = [μ (Z) | log σ² (Z)]
  std::vector<float> eps, z;           // (N, Z)
  std::vector<float> dec_in;           // (N, Z + C)
  std::vector<float> dec_h1, dec_a1;   // (N, H2)
  std::vector<float> dec_h2, dec_a2;   // (N, H1)
  std::vector<float> logits;           // (N, 784)
};

// What one image does inside the VAE, for panels: the numbers of z = μ + σ·ε and the result.
struct VaeTrace {
  int label = -1;                // class given (conditional model), −1 otherwise
  std::vector<float> mu;         // (Z) centre of q(z|x)
  std::vector<float> sigma;      // (Z) spread of q(z|x): exp(½ log σ²)
  std::vector<float> eps;        // (Z) the noise drawn
  std::vector<float> z;          // (Z) = μ + σ·ε
  std::vector<float> recon;      // (784) decoder's pixel probabilities in [0, 1]
  VaeLoss loss;                  // this image's two terms (nats)
};

class Vae {
 public:
  explicit Vae(const VaeConfig& c = {});
  // PyTorch's nn.Linear default: W and b ~ U(−1/√fan_in, 1/√fan_in), drawn from Rng(seed).
  void init(uint64_t seed);

  // [SECTION] training pass
  // Full pass for N images x (N, 784) in [0, 1], labels (N; null for an unconditional model) and
  // noise eps (N, Z). Returns the batch means of the two terms.
  VaeLoss forward(VaeCache& c, const float* x, const int* labels, const float* eps, int N) const;
  // Adds into p.grad the gradient of mean over the batch of (rec + β·KL), from the cache of forward.
  void backward(VaeCache& c, float beta);

  // [SECTION] use
  // μ and log σ² (N, 2Z rows [μ | log σ²]) for N images in [0, 1].
  std::vector<float> encode(const float* x, const int* labels, int N) const;
  // Pixel probabilities (N, 784) in [0, 1] for N latents z (N, Z).
  std::vector<float> decode(const float* z, const int* labels, int N) const;
  // One image through the whole VAE with ε drawn from rng (temperature 1).
  VaeTrace trace(const float* x, int label, Rng& rng) const;
  // Latents from the prior: z = temperature · ε, ε ~ N(0, I) drawn in order from Rng(seed), N rows.
  std::vector<float> prior_latents(int N, uint64_t seed, float temperature) const;

  const VaeConfig& config() const { return cfg_; }

  // Checkpoints: weights in safetensors, config in metadata ("glassbox.model" = "vae",
  // "glassbox.config" = JSON). half = store weights as F16.
  void save(const std::string& path, bool half, const std::map<std::string, std::string>& extra_meta = {}) const;
  static Vae load(const std::string& path);  // throws gb::Error naming the file and the problem

  ParamSet p;

 private:
  void check_labels(const int* labels, int N) const;
  void encoder_forward(VaeCache& c, const float* x, const int* labels, int N) const;
  void decoder_forward(VaeCache& c, const float* z, const int* labels, int N) const;
  VaeConfig cfg_;
  size_t e1w_, e1b_, e2w_, e2b_, eow_, eob_, d1w_, d1b_, d2w_, d2b_, dow_, dob_;  // parameter indices
};

// Per-image loss terms for the pixels x (784) given logits (784): Σ softplus(l) − x·l, stable for any l.
double vae_bce_logits(const float* x, const float* logits, int n);

}  // namespace gb
