// The 2D GAN (GAN Lab natively): MLP generator and discriminator on toy 2D distributions, trained
// live or step by step (one D step, one G step, k D steps per G step), with the data the views need:
// the discriminator's field over the plane, the generator's warped latent grid, each fake point's
// gradient, loss curves and mode coverage. Plain data: copy a Gan2d to snapshot it (undo, threads).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/rng.hpp"
#include "models/gan/losses.hpp"
#include "models/gan/mlp.hpp"
#include "models/data/toy2d.hpp"
#include "nn/adamw.hpp"
#include "nn/params.hpp"

namespace gb {

enum class Optim { adam, sgd };
Optim optim_from_name(const std::string& name);  // "adam" | "adamw" | "sgd"; throws gb::Error otherwise
const char* optim_name(Optim o);

struct Gan2dConfig {
  ToyData data;                 // the real distribution
  GanLoss loss = GanLoss::ns;   // ns | hinge | wgan-gp
  Optim optim = Optim::adam;    // for both networks (Adam: β = (0.5, 0.999), no weight decay)
  float lr_g = 1e-3f;           // generator learning rate
  float lr_d = 1e-3f;           // discriminator learning rate
  int k_d = 1;                  // discriminator steps per generator step (step())
  int batch = 128;              // real and fake points per step
  int z_dim = 2;                // latent size (2 lets the latent grid view show all of it)
  int g_hidden = 64;            // generator width
  int g_layers = 3;             // generator hidden layers
  int d_hidden = 64;            // discriminator width
  int d_layers = 3;             // discriminator hidden layers
  float gp_weight = 0.1f;       // WGAN-GP penalty weight λ
  float sgd_momentum = 0.0f;    // SGD momentum (0 = plain SGD)
  uint64_t seed = 1;            // weights and every random draw
  // Throws gb::Error for values that cannot train (NaN or negative learning rates, k < 1, …).
  void validate() const;
};

// Named starting points (the lab's "preset NAME", the CLI's --preset).
struct Gan2dPreset {
  std::string name;
  std::string summary;
  Gan2dConfig config;
};
const std::vector<Gan2dPreset>& gan2d_presets();
Gan2dConfig gan2d_preset(const std::string& name);  // throws gb::Error listing the names

struct Gan2dLoss {
  int64_t step = 0;      // generator steps so far when recorded
  float d_loss = 0;      // discriminator loss (without the gradient penalty)
  float g_loss = 0;      // generator loss (NaN until the first G step)
  // Mean discriminator output on the last batch of real / fake points (ns: the probability "real"
  // σ(D); hinge and wgan-gp: the raw score). NaN until measured.
  float d_real = 0;
  float d_fake = 0;
  bool d_update = true;  // recorded by a discriminator update (false: a generator update)
};

// History entries kept: beyond this, every other older entry is dropped (the curve keeps its shape,
// and undo snapshots, which copy the history, stay small during long runs).
constexpr size_t kGan2dHistoryMax = 20000;

// One fake point and the direction the generator's loss pushes it: −dLoss_G/dx.
struct FakeArrow {
  float x = 0, y = 0;    // the point G(z)
  float gx = 0, gy = 0;  // −∂Loss_G/∂x (where the generator would like the point to move)
};

class Gan2d {
 public:
  explicit Gan2d(const Gan2dConfig& cfg);  // validates cfg (throws gb::Error)

  // [SECTION] training
  float step_d();  // one discriminator update; returns its loss
  float step_g();  // one generator update; returns its loss
  void step();     // k_d discriminator updates, then one generator update
  // Settings that may change while training (validated; the optimiser state is kept).
  void set_lr(float lr_g, float lr_d);
  void set_k(int k);
  void set_loss(GanLoss l);
  void set_optim(Optim o);  // resets optimiser moments
  void set_data(const ToyData& d);

  // [SECTION] views (deterministic: a fixed set of latents and real points, not the training stream)
  std::vector<float> real_points(int n) const;  // (n, 2)
  std::vector<float> fake_points(int n) const;  // (n, 2) G(z) for the first n view latents
  // D's output over the square [lo, hi]², res × res row-major from (lo, lo) (x fastest).
  // For ns: the probability "real" σ(D); for hinge/wgan-gp: the raw score.
  std::vector<float> disc_field(int res, float lo, float hi) const;
  // G applied to a res × res grid of latents over [−extent, extent]² (other latent dims 0): (res·res, 2).
  std::vector<float> latent_grid(int res, float extent = 2.5f) const;
  std::vector<FakeArrow> fake_arrows(int n) const;
  ModeCoverage mode_coverage(int n) const;

  // One entry per update, oldest first (thinned evenly once longer than kGan2dHistoryMax).
  const std::vector<Gan2dLoss>& history() const { return history_; }
  const Gan2dConfig& config() const { return cfg_; }
  int64_t g_steps() const { return g_steps_; }
  int64_t d_steps() const { return d_steps_; }

  // Checkpoint: weights + config (metadata). Optimiser state is not saved.
  void save(const std::string& path) const;
  // A saved game put back (session files): both networks' weights (g.count(), d.count() values), the step
  // counts and the loss history. The optimisers' moments start fresh. Throws gb::Error for a size mismatch.
  void restore(const std::vector<float>& g_weights, const std::vector<float>& d_weights, int64_t g_steps, int64_t d_steps,
               std::vector<Gan2dLoss> history);

  // [SECTION] internals exposed for tests
  ParamSet g, d;
  Mlp gnet, dnet;
  // WGAN-GP: adds λ·mean((‖∇ₓD(x̂)‖ − 1)²) gradients into d.grad for points x̂ (N, 2); returns the penalty.
  float gradient_penalty(const float* xhat, int N, bool param_grads);
  float disc_score(float x, float y) const;  // raw D(x)

 private:
  void optimise(ParamSet& p, AdamW& adam, std::vector<float>& mom, float lr);
  float mean_output(const float* scores, int n) const;  // mean σ(score) (ns) or mean score
  void record(const Gan2dLoss& e);  // appends to history_, thinning it beyond kGan2dHistoryMax
  Gan2dConfig cfg_;
  AdamW adam_g_, adam_d_;
  std::vector<float> mom_g_, mom_d_;  // SGD momentum buffers
  Rng rng_;
  int64_t g_steps_ = 0, d_steps_ = 0;
  std::vector<Gan2dLoss> history_;
  std::vector<float> view_z_;  // (kViewPoints, z_dim) fixed latents for the views
};

}  // namespace gb
