// VAE training: the whole training state (model, AdamW, random stream, loss history) as plain data,
// a headless run with atomic checkpoints, and the test-set evaluation (negative ELBO in nats).
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "models/data/fashion_mnist.hpp"
#include "models/vae/vae.hpp"
#include "nn/adamw.hpp"

namespace gb {

struct VaeTrainConfig {
  int batch = 128;             // images per step (drawn with replacement)
  float lr = 1e-3f;            // peak learning rate (AdamW); cosine decay to lr/10 at `steps`
  float beta = 1.0f;           // weight of the KL term (1 = the true ELBO; 0 = a plain autoencoder)
  int64_t kl_warmup = 0;       // β ramps linearly from 0 over this many steps (0 = no warm-up)
  int64_t steps = 10000;       // planned total (sets the learning-rate schedule)
  float weight_decay = 0.0f;   // AdamW decoupled weight decay on the matrices
  uint64_t seed = 1;           // initial weights and every random draw of training
};

// β at a step (after the warm-up it is tc.beta).
float vae_beta_at(const VaeTrainConfig& tc, int64_t step);

struct VaeTrainer {
  VaeTrainer(const VaeConfig& mc, const VaeTrainConfig& tc);
  Vae model;
  VaeTrainConfig tc;
  AdamW opt;
  Rng rng;
  int64_t step = 0;
  std::vector<float> rec_history, kl_history;  // one per step, nats per image
  // One AdamW step on a batch drawn from data (labels used by a conditional model). Returns the
  // batch's loss terms (before the update).
  VaeLoss train_step(const FashionMnist& data);
  // Full state (fp32 weights, optimiser moments, rng, step, losses) for exact resumption.
  void save_checkpoint(const std::string& path) const;
  static VaeTrainer load_checkpoint(const std::string& path);  // throws gb::Error naming the file

 private:
  VaeCache cache_;
};

// Mean loss terms over a whole split (one ε draw per image from Rng(seed)); rec + kl is the
// negative ELBO, an upper bound on −log p(x), in nats per image.
VaeLoss vae_evaluate(const Vae& m, const FashionMnist& data, uint64_t seed = 7, int limit = 0);

// x = byte / 255 for `count` images starting at `first`.
std::vector<float> vae_pixels(const FashionMnist& data, int first, int count);

struct VaeRun {
  std::string out;                 // final model (.safetensors, fp16 weights)
  VaeConfig model;                 // architecture
  VaeTrainConfig train;            // optimiser, β, batch, seed, steps
  int64_t checkpoint_every = 1000; // full fp32 checkpoint (OUT.ckpt.safetensors) every N steps; 0 = never
  bool resume = true;              // continue from OUT.ckpt.safetensors when it exists
  std::string command;             // the command line, stored in the model's metadata
  int prior_components = 0;        // > 0: fit a prior of K Gaussians per class to the training codes (vae_prior.hpp)
};

// The fitted prior of m on data: every picture encoded to μ (in batches), then fit_vae_prior with K components per
// class (seed for k-means' start).
VaeFittedPrior fit_vae_prior_on(const Vae& m, const FashionMnist& data, int K, uint64_t seed);

// Trains on Fashion-MNIST "train", evaluates on "test" and writes OUT with the training record in
// its metadata. progress(step, loss) after every step; on_checkpoint(trainer) after each checkpoint.
// Returns the test-set loss terms.
VaeLoss run_vae_training(const VaeRun& run, const std::function<void(int64_t, const VaeLoss&)>& progress,
                         const std::function<void(const VaeTrainer&)>& on_checkpoint = {});

}  // namespace gb
