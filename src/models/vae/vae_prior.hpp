// A prior fitted after training ("ex-post density estimation", Ghosh et al. 2020, "From variational to
// deterministic autoencoders"): for each class a mixture of K Gaussians fitted to the centres μ of the
// training pictures. The loss only pulls q(z|x) towards N(0, I); the codes the decoder actually saw do not fill
// that ball evenly, and a draw from N(0, I) can land in a hole between them. A draw from the fitted mixture lands
// where training pictures were encoded. Plain data; model code, no UI.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace gb {

struct VaeFittedPrior {
  int classes = 0;             // C: one mixture per class (1 for an unconditional model); 0 = no fitted prior
  int components = 0;          // K: Gaussians per class
  int latent = 0;              // Z
  std::vector<float> weights;  // (C, K) mixture weights, each row sums to 1
  std::vector<float> means;    // (C, K, Z) component centres
  std::vector<float> chol;     // (C, K, Z, Z) lower-triangular L with covariance = L·Lᵀ, row-major
  bool empty() const { return classes == 0; }

  // N latents (N, Z): sample i picks a component of class labels[i] (0 when labels is null) by weight, then
  // z = mean + temperature · L·ε with ε ~ N(0, I), all drawn in order from Rng(seed). temperature 0 gives the
  // component centres.
  // drawn (optional) receives the component drawn for each sample.
  std::vector<float> sample(const int* labels, int N, uint64_t seed, float temperature,
                            std::vector<int>* drawn = nullptr) const;
  // Checks the shapes against (C, K, Z) and the values (weights ≥ 0 summing to 1 per class, L lower-triangular
  // with a positive diagonal, every number finite); returns "" or what is wrong, naming the tensor.
  std::string check() const;
};

// Fits a mixture of K Gaussians per class to mu (N, Z): k-means (k-means++ start drawn from Rng(seed), Lloyd's
// iterations until no point moves or 100 rounds), then each cluster's share, mean and covariance (+ 1e-4·I so it
// stays positive definite). labels (N) in 0…C−1, or null with C = 1. A class needs at least K points.
VaeFittedPrior fit_vae_prior(const std::vector<float>& mu, const int* labels, int N, int Z, int C, int K, uint64_t seed);

}  // namespace gb
