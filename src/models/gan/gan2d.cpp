// The 2D GAN engine: training steps (ns / hinge / WGAN-GP, Adam or SGD), views and presets.
#include "models/gan/gan2d.hpp"

#include <cmath>
#include <limits>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/safetensors.hpp"
#include "core/threads.hpp"

namespace gb {

namespace {
constexpr int kViewPoints = 1024;  // fixed latents for the views
constexpr uint64_t kViewSeedMix = 0x5EED5EED12345ull, kRealViewMix = 0xDA7ADA7A777ull;
}  // namespace

// [SECTION] names, config, presets
Optim optim_from_name(const std::string& name) {
  if (name == "adam" || name == "adamw") return Optim::adam;
  if (name == "sgd") return Optim::sgd;
  fail("unknown optimiser `" + name + "` (accepted: adam, sgd)");
}
const char* optim_name(Optim o) { return o == Optim::adam ? "adam" : "sgd"; }

static void check_lr(float lr, const char* what) {
  if (!std::isfinite(lr)) fail(std::string(what) + " learning rate is not a finite number");
  if (lr < 0 || lr > 10) fail(std::string(what) + " learning rate must be between 0 and 10");
}

void Gan2dConfig::validate() const {
  data.validate();
  check_lr(lr_g, "generator");
  check_lr(lr_d, "discriminator");
  if (k_d < 1 || k_d > 100) fail("k (discriminator steps per generator step) must be 1 to 100");
  if (batch < 2 || batch > 65536) fail("batch must be 2 to 65536");
  if (z_dim < 1 || z_dim > 64) fail("latent size must be 1 to 64");
  if (g_hidden < 1 || d_hidden < 1 || g_layers < 1 || d_layers < 1 || g_hidden > 4096 || d_hidden > 4096 ||
      g_layers > 16 || d_layers > 16)
    fail("network sizes must be 1 to 4096 units and 1 to 16 layers");
  if (!std::isfinite(gp_weight) || gp_weight < 0) fail("gradient-penalty weight must be a finite number >= 0");
  if (!std::isfinite(sgd_momentum) || sgd_momentum < 0 || sgd_momentum >= 1) fail("SGD momentum must be in [0, 1)");
}

const std::vector<Gan2dPreset>& gan2d_presets() {
  static const std::vector<Gan2dPreset> presets = [] {
    std::vector<Gan2dPreset> v;
    Gan2dConfig ring;
    v.push_back({"ring", "8 Gaussians on a ring, non-saturating loss, Adam: learns all 8 modes", ring});
    Gan2dConfig grid;
    grid.data.kind = ToyDataset::grid;
    grid.loss = GanLoss::hinge;
    grid.g_hidden = grid.d_hidden = 128;
    v.push_back({"grid", "5×5 grid of Gaussians, hinge loss (hard: most of the 25 modes are found, rarely all)", grid});
    Gan2dConfig moons;
    moons.data.kind = ToyDataset::moons;
    v.push_back({"moons", "two interleaved half-moons", moons});
    Gan2dConfig spiral;
    spiral.data.kind = ToyDataset::spiral;
    spiral.g_hidden = spiral.d_hidden = 128;
    v.push_back({"spiral", "one spiral arm (harder: a long thin curve)", spiral});
    Gan2dConfig wgan;
    wgan.loss = GanLoss::wgan_gp;
    wgan.k_d = 5;
    wgan.lr_g = wgan.lr_d = 5e-4f;
    v.push_back({"wgan-gp", "ring with the Wasserstein loss and gradient penalty, 5 critic steps per G step", wgan});
    Gan2dConfig sgd;
    sgd.optim = Optim::sgd;
    sgd.lr_g = sgd.lr_d = 0.01f;
    sgd.sgd_momentum = 0.5f;
    v.push_back({"sgd", "ring trained with plain SGD (momentum 0.5) instead of Adam", sgd});
    Gan2dConfig collapse;
    collapse.lr_g = 2e-3f;  // the generator moves 10× faster than the discriminator can follow
    collapse.lr_d = 2e-4f;
    v.push_back({"mode-collapse",
                 "ring with a strong generator and a weak discriminator: G piles its points on a few modes", collapse});
    return v;
  }();
  return presets;
}

Gan2dConfig gan2d_preset(const std::string& name) {
  std::string names;
  for (const auto& p : gan2d_presets()) {
    if (p.name == name) return p.config;
    names += (names.empty() ? "" : ", ") + p.name;
  }
  fail("unknown 2D GAN preset `" + name + "` (accepted: " + names + ")");
}

// [SECTION] construction
Gan2d::Gan2d(const Gan2dConfig& cfg) : cfg_(cfg), rng_(cfg.seed) {
  cfg_.validate();
  std::vector<int> gs{cfg.z_dim}, ds{2};
  for (int i = 0; i < cfg.g_layers; ++i) gs.push_back(cfg.g_hidden);
  for (int i = 0; i < cfg.d_layers; ++i) ds.push_back(cfg.d_hidden);
  gs.push_back(2);
  ds.push_back(1);
  gnet = Mlp(g, "g", gs, Act::leaky_relu, Act::identity);
  dnet = Mlp(d, "d", ds, Act::leaky_relu, Act::identity);
  g.allocate();
  d.allocate();
  Rng init(cfg.seed * 0x9E3779B97F4A7C15ull + 17);
  gnet.init(g, init);
  dnet.init(d, init);
  for (AdamW* a : {&adam_g_, &adam_d_}) {
    a->config.beta1 = 0.5f;
    a->config.beta2 = 0.999f;
    a->config.weight_decay = 0;
  }
  Rng vr(cfg.seed ^ kViewSeedMix);
  view_z_.resize(size_t(kViewPoints) * cfg.z_dim);
  for (auto& v : view_z_) v = vr.normal_f();
}

void Gan2d::set_lr(float lr_g, float lr_d) {
  check_lr(lr_g, "generator");
  check_lr(lr_d, "discriminator");
  cfg_.lr_g = lr_g;
  cfg_.lr_d = lr_d;
}
void Gan2d::set_k(int k) {
  if (k < 1 || k > 100) fail("k (discriminator steps per generator step) must be 1 to 100");
  cfg_.k_d = k;
}
void Gan2d::set_loss(GanLoss l) { cfg_.loss = l; }
void Gan2d::set_optim(Optim o) {
  cfg_.optim = o;
  adam_g_.m.clear();
  adam_g_.v.clear();
  adam_g_.t = 0;
  adam_d_.m.clear();
  adam_d_.v.clear();
  adam_d_.t = 0;
  mom_g_.clear();
  mom_d_.clear();
}
void Gan2d::set_data(const ToyData& d) {
  d.validate();
  cfg_.data = d;
}

// [SECTION] training
void Gan2d::optimise(ParamSet& p, AdamW& adam, std::vector<float>& mom, float lr) {
  if (cfg_.optim == Optim::adam) {
    adam.step(p, lr);
    return;
  }
  if (mom.size() != p.data.size()) mom.assign(p.data.size(), 0.0f);
  for (size_t i = 0; i < p.data.size(); ++i) {
    mom[i] = cfg_.sgd_momentum * mom[i] + p.grad[i];
    p.data[i] -= lr * mom[i];
  }
}

float Gan2d::gradient_penalty(const float* xhat, int N, bool param_grads) {
  SingleThreadScope one_thread;
  // ∇ₓD by backprop, then the penalty's gradient with respect to the weights by differentiating
  // that backward pass once more. With piecewise-linear activations (LeakyReLU) σ'' = 0, so only
  // the weights appear: u_l = δ_l·W_l (gradient at layer l's input), δ_{l−1} = σ'(pre_{l−1}) ⊙ u_l.
  if (dnet.hidden_act() != Act::leaky_relu && dnet.hidden_act() != Act::relu)
    fail("gradient penalty needs a piecewise-linear discriminator (ReLU or LeakyReLU)");
  MlpCache c;
  dnet.forward(d, c, xhat, N);
  const size_t L = dnet.layers();
  const auto& sz = dnet.sizes();
  auto slope = [&](float pre) {
    return pre > 0 ? 1.0f : (dnet.hidden_act() == Act::leaky_relu ? 0.2f : 0.0f);
  };
  std::vector<Mat> delta(L), u(L);  // delta[l] (N, Out_l), u[l] (N, In_l)
  delta[L - 1] = Mat::Ones(N, 1);
  for (size_t l = L; l-- > 0;) {
    u[l] = delta[l] * d.mat(dnet.weight_index(l));  // (N, Out_l)·(Out_l, In_l)
    if (l > 0) {
      delta[l - 1] = u[l];
      for (int n = 0; n < N; ++n)
        for (int j = 0; j < sz[l]; ++j) delta[l - 1](n, j) *= slope(c.pre[l - 1][size_t(n) * sz[l] + j]);
    }
  }
  // P = λ/N Σ (‖u_0‖ − 1)²
  double pen = 0;
  Mat ubar = Mat::Zero(N, sz[0]);  // dP/du_0
  for (int n = 0; n < N; ++n) {
    const double norm = std::sqrt(double(u[0].row(n).squaredNorm()) + 1e-12);
    pen += (norm - 1) * (norm - 1);
    ubar.row(n) = u[0].row(n) * float(2 * cfg_.gp_weight * (norm - 1) / norm / N);
  }
  pen *= cfg_.gp_weight / N;
  if (param_grads) {
    for (size_t l = 0; l < L; ++l) {
      d.grad_mat(dnet.weight_index(l)).noalias() += delta[l].transpose() * ubar;  // (Out_l, In_l)
      if (l + 1 < L) {
        Mat dbar = ubar * d.mat(dnet.weight_index(l)).transpose();  // (N, Out_l)
        for (int n = 0; n < N; ++n)
          for (int j = 0; j < sz[l + 1]; ++j) dbar(n, j) *= slope(c.pre[l][size_t(n) * sz[l + 1] + j]);
        ubar = dbar;  // dP/du_{l+1}
      }
    }
  }
  return float(pen);
}

float Gan2d::mean_output(const float* scores, int n) const {
  double s = 0;
  for (int i = 0; i < n; ++i) s += cfg_.loss == GanLoss::ns ? sigmoid(scores[i]) : scores[i];
  return n > 0 ? float(s / n) : std::numeric_limits<float>::quiet_NaN();
}

void Gan2d::record(const Gan2dLoss& e) {
  history_.push_back(e);
  if (history_.size() <= kGan2dHistoryMax) return;
  // Keep every other entry (and the newest): half the entries, spread over the whole run.
  size_t w = 0;
  for (size_t i = 0; i < history_.size(); ++i)
    if (i % 2 == 0 || i + 1 == history_.size()) history_[w++] = history_[i];
  history_.resize(w);
}

float Gan2d::step_d() {
  SingleThreadScope one_thread;
  const int B = cfg_.batch;
  std::vector<float> real(size_t(B) * 2), z(size_t(B) * cfg_.z_dim);
  cfg_.data.sample(rng_, B, real.data());
  for (auto& v : z) v = rng_.normal_f();
  MlpCache gc, dr, df;
  gnet.forward(g, gc, z.data(), B);
  const std::vector<float>& fake = gc.post.back();
  dnet.forward(d, dr, real.data(), B);
  dnet.forward(d, df, fake.data(), B);
  std::vector<float> dreal(static_cast<size_t>(B)), dfake(static_cast<size_t>(B));
  float loss = gan_d_loss(cfg_.loss, dr.post.back().data(), B, df.post.back().data(), B, dreal.data(), dfake.data());
  d.zero_grad();
  dnet.backward(d, dr, dreal.data(), nullptr, &d);
  dnet.backward(d, df, dfake.data(), nullptr, &d);
  if (cfg_.loss == GanLoss::wgan_gp) {
    std::vector<float> xhat(real.size());
    for (int n = 0; n < B; ++n) {
      const float e = rng_.uniform_f();
      for (int k = 0; k < 2; ++k) xhat[size_t(n) * 2 + k] = e * real[size_t(n) * 2 + k] + (1 - e) * fake[size_t(n) * 2 + k];
    }
    gradient_penalty(xhat.data(), B, true);
  }
  optimise(d, adam_d_, mom_d_, cfg_.lr_d);
  ++d_steps_;
  const float last_g = history_.empty() ? std::numeric_limits<float>::quiet_NaN() : history_.back().g_loss;
  record({g_steps_, loss, last_g, mean_output(dr.post.back().data(), B), mean_output(df.post.back().data(), B), true});
  return loss;
}

float Gan2d::step_g() {
  SingleThreadScope one_thread;
  const int B = cfg_.batch;
  std::vector<float> z(size_t(B) * cfg_.z_dim);
  for (auto& v : z) v = rng_.normal_f();
  MlpCache gc, df;
  gnet.forward(g, gc, z.data(), B);
  dnet.forward(d, df, gc.post.back().data(), B);
  std::vector<float> dscore(static_cast<size_t>(B)), dx(size_t(B) * 2, 0.0f);
  const float loss = gan_g_loss(cfg_.loss, df.post.back().data(), B, dscore.data());
  dnet.backward(d, df, dscore.data(), dx.data(), nullptr);
  g.zero_grad();
  gnet.backward(g, gc, dx.data(), nullptr, &g);
  optimise(g, adam_g_, mom_g_, cfg_.lr_g);
  ++g_steps_;
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const Gan2dLoss last = history_.empty() ? Gan2dLoss{0, nan, nan, nan, nan, false} : history_.back();
  record({g_steps_, last.d_loss, loss, last.d_real, mean_output(df.post.back().data(), B), false});
  return loss;
}

void Gan2d::step() {
  for (int i = 0; i < cfg_.k_d; ++i) step_d();
  step_g();
}

// [SECTION] views
std::vector<float> Gan2d::real_points(int n) const {
  Rng r(cfg_.seed ^ kRealViewMix);
  std::vector<float> out(size_t(std::max(0, n)) * 2);
  cfg_.data.sample(r, n, out.data());
  return out;
}

std::vector<float> Gan2d::fake_points(int n) const {
  SingleThreadScope one_thread;
  n = std::clamp(n, 0, kViewPoints);
  if (n == 0) return {};
  MlpCache c;
  gnet.forward(g, c, view_z_.data(), n);
  return c.post.back();
}

float Gan2d::disc_score(float x, float y) const {
  SingleThreadScope one_thread;
  MlpCache c;
  const float p[2] = {x, y};
  dnet.forward(d, c, p, 1);
  return c.post.back()[0];
}

std::vector<float> Gan2d::disc_field(int res, float lo, float hi) const {
  SingleThreadScope one_thread;
  if (res < 2 || res > 1024) fail("field resolution must be 2 to 1024");
  std::vector<float> pts(size_t(res) * res * 2);
  for (int j = 0; j < res; ++j)
    for (int i = 0; i < res; ++i) {
      pts[(size_t(j) * res + i) * 2] = lo + (hi - lo) * float(i) / float(res - 1);
      pts[(size_t(j) * res + i) * 2 + 1] = lo + (hi - lo) * float(j) / float(res - 1);
    }
  MlpCache c;
  dnet.forward(d, c, pts.data(), res * res);
  std::vector<float> out = c.post.back();
  if (cfg_.loss == GanLoss::ns)
    for (auto& v : out) v = sigmoid(v);
  return out;
}

std::vector<float> Gan2d::latent_grid(int res, float extent) const {
  SingleThreadScope one_thread;
  if (res < 2 || res > 1024) fail("latent grid resolution must be 2 to 1024");
  std::vector<float> z(size_t(res) * res * cfg_.z_dim, 0.0f);
  for (int j = 0; j < res; ++j)
    for (int i = 0; i < res; ++i) {
      float* p = z.data() + (size_t(j) * res + i) * cfg_.z_dim;
      p[0] = -extent + 2 * extent * float(i) / float(res - 1);
      if (cfg_.z_dim > 1) p[1] = -extent + 2 * extent * float(j) / float(res - 1);
    }
  MlpCache c;
  gnet.forward(g, c, z.data(), res * res);
  return c.post.back();
}

std::vector<FakeArrow> Gan2d::fake_arrows(int n) const {
  SingleThreadScope one_thread;
  n = std::clamp(n, 0, kViewPoints);
  if (n == 0) return {};
  MlpCache gc, dc;
  gnet.forward(g, gc, view_z_.data(), n);
  dnet.forward(d, dc, gc.post.back().data(), n);
  std::vector<float> ds(static_cast<size_t>(n)), dx(size_t(n) * 2, 0.0f);
  gan_g_loss(cfg_.loss, dc.post.back().data(), n, ds.data());
  for (auto& v : ds) v *= float(n);  // per-point loss, not the batch mean
  dnet.backward(d, dc, ds.data(), dx.data(), nullptr);
  std::vector<FakeArrow> out(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i)
    out[size_t(i)] = {gc.post.back()[2 * size_t(i)], gc.post.back()[2 * size_t(i) + 1], -dx[2 * size_t(i)],
                      -dx[2 * size_t(i) + 1]};
  return out;
}

ModeCoverage Gan2d::mode_coverage(int n) const {
  SingleThreadScope one_thread;
  n = std::clamp(n, 1, kViewPoints * 64);
  // Fresh latents (deterministic), more than the view set when asked for.
  Rng r(cfg_.seed ^ kViewSeedMix ^ 0xC0FFEEull);
  std::vector<float> z(size_t(n) * cfg_.z_dim);
  for (auto& v : z) v = r.normal_f();
  MlpCache c;
  gnet.forward(g, c, z.data(), n);
  return gb::mode_coverage(cfg_.data, c.post.back().data(), n);
}

// [SECTION] checkpoint
void Gan2d::restore(const std::vector<float>& g_weights, const std::vector<float>& d_weights, int64_t g_steps,
                    int64_t d_steps, std::vector<Gan2dLoss> history) {
  if (g_weights.size() != g.count() || d_weights.size() != d.count())
    fail("GAN weights: " + std::to_string(g_weights.size()) + " and " + std::to_string(d_weights.size()) +
         " numbers given, the networks of this configuration have " + std::to_string(g.count()) + " and " +
         std::to_string(d.count()));
  std::copy(g_weights.begin(), g_weights.end(), g.data.begin());
  std::copy(d_weights.begin(), d_weights.end(), d.data.begin());
  g_steps_ = g_steps;
  d_steps_ = d_steps;
  history_ = std::move(history);
}

void Gan2d::save(const std::string& path) const {
  SafeTensors st;
  nlohmann::json j = {{"dataset", toy_dataset_name(cfg_.data.kind)}, {"loss", gan_loss_name(cfg_.loss)},
                      {"optim", optim_name(cfg_.optim)},               {"lr_g", cfg_.lr_g},
                      {"lr_d", cfg_.lr_d},                             {"k_d", cfg_.k_d},
                      {"batch", cfg_.batch},                           {"z_dim", cfg_.z_dim},
                      {"g_hidden", cfg_.g_hidden},                     {"g_layers", cfg_.g_layers},
                      {"d_hidden", cfg_.d_hidden},                     {"d_layers", cfg_.d_layers},
                      {"seed", std::to_string(cfg_.seed)},             {"g_steps", std::to_string(g_steps_)}};
  st.metadata["glassbox.model"] = "gan2d";
  st.metadata["glassbox.config"] = j.dump();
  for (const ParamSet* p : {&g, &d})
    for (size_t i = 0; i < p->views().size(); ++i) {
      const auto& v = p->views()[i];
      st.add(v.name, std::vector<int64_t>(v.shape.begin(), v.shape.end()), p->ptr(i));
    }
  if (!cfg_.data.custom.empty()) st.add("data.custom", {int64_t(cfg_.data.custom.size() / 2), 2}, cfg_.data.custom.data());
  write_safetensors(path, st);
}

}  // namespace gb
