// Variational autoencoder for 28×28 grey images (Fashion-MNIST), an MLP in both directions:
//   encoder  q(z|x):  [x (784) ; one-hot class (C)] → linear H1 → ReLU → linear H2 → ReLU → linear 2Z
//                     → μ (Z) and log σ² (Z)
//   sampling:         z = μ + σ·ε,  ε ~ N(0, I)   (the reparameterisation: randomness kept outside)
//   decoder  p(x|z):  [z (Z) ; one-hot class (C)] → linear H2 → ReLU → linear H1 → ReLU → linear 784
//                     → logits; the picture is sigmoid(logits) (each pixel's probability of ink)
//   or the convolutional decoder (decoder = "conv"), which paints the picture from a small grid up:
//                     [z ; one-hot] → linear → (K0, 7, 7) → ReLU → 2× nearest upsampling → conv 3×3 → (K1, 14, 14)
//                     → ReLU → 2× upsampling → conv 3×3 → (K1, 28, 28) → ReLU → conv 3×3 → (1, 28, 28) logits
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
#include "models/vae/vae_prior.hpp"
#include "nn/params.hpp"

namespace gb {

constexpr int kVaePixels = 784;  // 28 × 28

struct VaeConfig {
  int latent = 2;      // Z: size of z (2 = the latent plane is the screen)
  int n_classes = 0;   // C: 0 = unconditional; 10 = class one-hot given to encoder and decoder
  int hidden1 = 512;   // H1: first encoder layer / last decoder layer
  int hidden2 = 256;   // H2: second encoder layer / first decoder layer
  bool conv = false;   // decoder: false = the MLP above, true = the convolutional one
  int conv_ch0 = 64;   // K0: channels of the conv decoder at 7×7
  int conv_ch1 = 32;   // K1: channels of the conv decoder at 14×14 and 28×28
  bool conditional() const { return n_classes > 0; }
  int64_t param_count() const;  // computed from the shape alone (nothing allocated)
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
  // conv decoder: dec_h1/dec_a1 hold the linear layer (N, K0·49); then
  std::vector<float> dec_up1;          // (N, K0, 14, 14) upsampled
  std::vector<float> dec_c1, dec_ca1;  // (N, K1, 14, 14) conv 1, pre- and post-ReLU
  std::vector<float> dec_up2;          // (N, K1, 28, 28) upsampled
  std::vector<float> dec_c2, dec_ca2;  // (N, K1, 28, 28) conv 2, pre- and post-ReLU
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
  // Latents from the prior, N rows: z = temperature · ε, ε ~ N(0, I) drawn in order from Rng(seed); with
  // fitted = true and a fitted prior in the model, from that instead (the mixture of the labels' classes; labels
  // (N) or null for an unconditional model — see VaeFittedPrior::sample).
  std::vector<float> prior_latents(int N, uint64_t seed, float temperature, const int* labels = nullptr,
                                   bool fitted = false) const;
  // The prior fitted to the training pictures' codes after training (empty when the model has none).
  const VaeFittedPrior& fitted_prior() const { return fitted_; }
  bool has_fitted_prior() const { return !fitted_.empty(); }
  // Throws gb::Error when p does not match this model (classes, latent) or fails its check().
  void set_fitted_prior(VaeFittedPrior p);

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
  void conv_decoder_forward(VaeCache& c, int N) const;                  // from c.dec_in to c.logits
  void conv_decoder_backward(VaeCache& c, const std::vector<float>& dlogits, std::vector<float>& d_dec_in);
  VaeConfig cfg_;
  VaeFittedPrior fitted_;  // saved as prior.weights / prior.means / prior.chol (float32)
  size_t e1w_, e1b_, e2w_, e2b_, eow_, eob_;                            // parameter indices: encoder
  size_t d1w_ = 0, d1b_ = 0, d2w_ = 0, d2b_ = 0, dow_ = 0, dob_ = 0;  // MLP decoder (conv: d1 = the linear layer)
  size_t k1w_ = 0, k1b_ = 0, k2w_ = 0, k2b_ = 0, k3w_ = 0, k3b_ = 0;  // conv decoder's three convolutions
};

// Per-image loss terms for the pixels x (784) given logits (784): Σ softplus(l) − x·l, stable for any l.
double vae_bce_logits(const float* x, const float* logits, int n);

}  // namespace gb
