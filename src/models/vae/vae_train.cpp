// VAE training step, resumable checkpoints, test-set evaluation and the headless training run.
#include "models/vae/vae_train.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/half.hpp"
#include "core/json_in.hpp"
#include "core/files.hpp"
#include "core/safetensors.hpp"
#include "core/threads.hpp"

namespace gb {

float vae_beta_at(const VaeTrainConfig& tc, int64_t step) {
  if (tc.kl_warmup <= 0 || step >= tc.kl_warmup) return tc.beta;
  return tc.beta * float(step + 1) / float(tc.kl_warmup);
}

std::vector<float> vae_pixels(const FashionMnist& data, int first, int count) {
  std::vector<float> x(size_t(count) * kVaePixels);
  for (int n = 0; n < count; ++n) {
    const uint8_t* img = data.image(first + n);
    for (int i = 0; i < kVaePixels; ++i) x[size_t(n) * kVaePixels + i] = float(img[i]) * (1.0f / 255.0f);
  }
  return x;
}

// [SECTION] training step
VaeTrainer::VaeTrainer(const VaeConfig& mc, const VaeTrainConfig& t) : model(mc), tc(t), rng(t.seed) {
  model.init(t.seed);
  opt.config.weight_decay = t.weight_decay;
  rng.reseed(t.seed ^ 0x5EEDFA11ull);  // a stream apart from the initialisation's
}

VaeLoss VaeTrainer::train_step(const FashionMnist& data) {
  SingleThreadScope one_thread;
  if (data.count <= 0) fail("vae training: no images");
  if (!(std::isfinite(tc.lr) && tc.lr >= 0)) fail("vae training: the learning rate must be finite and ≥ 0");
  if (!(std::isfinite(tc.beta) && tc.beta >= 0)) fail("vae training: β must be finite and ≥ 0");
  const VaeConfig& k = model.config();
  const int B = tc.batch, Z = k.latent;
  std::vector<float> x(size_t(B) * kVaePixels), eps(size_t(B) * Z);
  std::vector<int> labels(size_t(B), 0);
  for (int n = 0; n < B; ++n) {
    const int idx = int(rng.below(uint64_t(data.count)));
    const uint8_t* img = data.image(idx);
    for (int i = 0; i < kVaePixels; ++i) x[size_t(n) * kVaePixels + i] = float(img[i]) * (1.0f / 255.0f);
    labels[size_t(n)] = int(data.labels[size_t(idx)]);
  }
  for (auto& e : eps) e = rng.normal_f();
  const float beta = vae_beta_at(tc, step);
  const VaeLoss L = model.forward(cache_, x.data(), k.conditional() ? labels.data() : nullptr, eps.data(), B);
  model.p.zero_grad();
  model.backward(cache_, beta);
  const float lr = lr_warmup_cosine(step, 0, tc.steps, tc.lr, tc.lr * 0.1f);
  opt.step(model.p, lr);
  ++step;
  rec_history.push_back(float(L.rec));
  kl_history.push_back(float(L.kl));
  return L;
}

// [SECTION] evaluation
VaeLoss vae_evaluate(const Vae& m, const FashionMnist& data, uint64_t seed, int limit) {
  SingleThreadScope one_thread;
  const int total = limit > 0 ? std::min(limit, data.count) : data.count;
  if (total <= 0) fail("vae evaluation: no images");
  const int Z = m.config().latent, chunk = 500;
  Rng rng(seed);
  VaeCache c;
  VaeLoss sum;
  for (int start = 0; start < total; start += chunk) {
    const int n = std::min(chunk, total - start);
    auto x = vae_pixels(data, start, n);
    std::vector<int> labels(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) labels[size_t(i)] = int(data.labels[size_t(start + i)]);
    std::vector<float> eps(size_t(n) * Z);
    for (auto& e : eps) e = rng.normal_f();
    VaeLoss L = m.forward(c, x.data(), m.config().conditional() ? labels.data() : nullptr, eps.data(), n);
    sum.rec += L.rec * n;
    sum.kl += L.kl * n;
  }
  sum.rec /= total;
  sum.kl /= total;
  return sum;
}

// [SECTION] checkpoints
static std::string train_json(const VaeTrainer& tr) {
  nlohmann::json t = {{"batch", tr.tc.batch},
                      {"lr", tr.tc.lr},
                      {"beta", tr.tc.beta},
                      {"kl_warmup", std::to_string(tr.tc.kl_warmup)},
                      {"steps", std::to_string(tr.tc.steps)},
                      {"weight_decay", tr.tc.weight_decay},
                      {"seed", std::to_string(tr.tc.seed)},
                      {"step", std::to_string(tr.step)},
                      {"opt_t", std::to_string(tr.opt.t)}};
  for (int i = 0; i < 4; ++i) t["rng"][i] = std::to_string(tr.rng.s[size_t(i)]);
  return t.dump();
}

void VaeTrainer::save_checkpoint(const std::string& path) const {
  SafeTensors st;
  st.metadata["glassbox.model"] = "vae";
  st.metadata["glassbox.config"] = model.config().to_json();
  st.metadata["glassbox.train"] = train_json(*this);
  for (size_t i = 0; i < model.p.views().size(); ++i) {
    const auto& v = model.p.views()[i];
    st.add(v.name, std::vector<int64_t>(v.shape.begin(), v.shape.end()), model.p.ptr(i));
  }
  auto add_vec = [&](const std::string& name, const std::vector<float>& v) {
    if (!v.empty()) st.add(name, {int64_t(v.size())}, v.data());
  };
  add_vec("train.opt.m", opt.m);
  add_vec("train.opt.v", opt.v);
  add_vec("train.rec_history", rec_history);
  add_vec("train.kl_history", kl_history);
  write_safetensors(path, st);
}

VaeTrainer VaeTrainer::load_checkpoint(const std::string& path) {
  Vae m = Vae::load(path);
  SafeTensors st = read_safetensors(path);
  auto it = st.metadata.find("glassbox.train");
  if (it == st.metadata.end()) fail_file(path, "no training state (glassbox.train metadata); it can be sampled, not resumed");
  VaeTrainer tr(m.config(), VaeTrainConfig{});
  const JsonIn t = JsonIn::parse(it->second, path, "glassbox.train");
  tr.tc.batch = t.int32("batch", 1, 4096);
  tr.tc.lr = float(t.number("lr", 0, 10));
  tr.tc.beta = float(t.number("beta", 0, 1e4));
  // step counters are decimal strings (64-bit exact); anything beyond 10^12 steps is damage, not training
  auto counter = [&](const char* key) {
    const uint64_t v = t.u64_string(key);
    if (v > uint64_t(1e12)) t.fail_here(std::string(key) + " is " + std::to_string(v) + ", expected at most 10^12 steps");
    return int64_t(v);
  };
  tr.tc.kl_warmup = counter("kl_warmup");
  tr.tc.steps = counter("steps");
  tr.tc.weight_decay = float(t.number("weight_decay", 0, 10));
  tr.tc.seed = t.u64_string("seed");
  tr.step = counter("step");
  tr.opt.t = counter("opt_t");
  const std::vector<JsonIn> rng = t.array("rng");
  if (rng.size() != 4) t.fail_here("rng has " + std::to_string(rng.size()) + " words, expected 4");
  for (size_t i = 0; i < 4; ++i) tr.rng.s[i] = rng[i].as_u64_string();
  if (tr.tc.steps < 1) fail_file(path, "glassbox.train.steps is 0, expected at least 1");
  tr.opt.config.weight_decay = tr.tc.weight_decay;
  tr.model = std::move(m);
  const int64_t n = int64_t(tr.model.p.count());
  // A resume without the optimizer's moments would quietly restart Adam: refuse it, naming what is missing.
  for (const char* name : {"train.opt.m", "train.opt.v"})
    if (!st.find(name)) fail_file(path, std::string("the training state lacks the tensor `") + name + "` (Adam's moments)");
  tr.opt.m = st.get_float("train.opt.m", {n});
  tr.opt.v = st.get_float("train.opt.v", {n});
  if (const SafeTensor* t = st.find("train.rec_history")) tr.rec_history = t->to_float();
  if (const SafeTensor* t = st.find("train.kl_history")) tr.kl_history = t->to_float();
  return tr;
}

// [SECTION] fitted prior
VaeFittedPrior fit_vae_prior_on(const Vae& m, const FashionMnist& data, int K, uint64_t seed) {
  const int Z = m.config().latent, N = data.count;
  const bool cond = m.config().conditional();
  std::vector<float> mu(static_cast<size_t>(N) * Z);
  std::vector<int> labels(static_cast<size_t>(N));
  for (int i = 0; i < N; ++i) labels[size_t(i)] = int(data.labels[size_t(i)]);
  for (int start = 0; start < N; start += 1000) {
    const int n = std::min(1000, N - start);
    const auto x = vae_pixels(data, start, n);
    const auto stats = m.encode(x.data(), cond ? labels.data() + start : nullptr, n);  // (n, 2Z) [μ | log σ²]
    for (int i = 0; i < n; ++i) std::copy_n(&stats[size_t(i) * 2 * Z], Z, &mu[size_t(start + i) * Z]);
  }
  return fit_vae_prior(mu, cond ? labels.data() : nullptr, N, Z, cond ? m.config().n_classes : 1, K, seed);
}

// [SECTION] headless run
VaeLoss run_vae_training(const VaeRun& run, const std::function<void(int64_t, const VaeLoss&)>& progress,
                         const std::function<void(const VaeTrainer&)>& on_checkpoint) {
  if (run.out.empty()) fail("train vae: no output path");
  if (run.train.steps < 1) fail("train vae: steps must be at least 1");
  const FashionMnist data = load_fashion_mnist("train");
  const std::string ckpt = run.out + ".ckpt.safetensors";
  VaeTrainer tr = run.resume && file_exists(ckpt) ? VaeTrainer::load_checkpoint(ckpt) : VaeTrainer(run.model, run.train);
  tr.tc.steps = run.train.steps;  // a resumed run may be extended
  const auto t0 = std::chrono::steady_clock::now();
  const int64_t first_step = tr.step;
  while (tr.step < tr.tc.steps) {
    const VaeLoss L = tr.train_step(data);
    if (!std::isfinite(L.rec) || !std::isfinite(L.kl))
      fail("train vae: the loss became NaN or infinite at step " + std::to_string(tr.step) + " (try a smaller --lr)");
    if (progress) progress(tr.step, L);
    if (run.checkpoint_every > 0 && (tr.step % run.checkpoint_every == 0 || tr.step == tr.tc.steps)) {
      tr.save_checkpoint(ckpt);
      if (on_checkpoint) on_checkpoint(tr);
    }
  }
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const FashionMnist test = load_fashion_mnist("test");
  const VaeLoss T = vae_evaluate(tr.model, test);
  auto fmt = [](double v) {
    char b[32];
    std::snprintf(b, sizeof b, "%.3f", v);
    return std::string(b);
  };
  std::map<std::string, std::string> meta = {
      {"glassbox.train", train_json(tr)},
      {"glassbox.command", run.command},
      {"glassbox.test_rec_nats", fmt(T.rec)},
      {"glassbox.test_kl_nats", fmt(T.kl)},
      {"glassbox.test_neg_elbo_nats", fmt(T.rec + T.kl)},
      {"glassbox.train_seconds", fmt(secs)},
      {"glassbox.train_steps_this_run", std::to_string(tr.step - first_step)}};
  if (run.prior_components > 0) {  // on the weights as saved (fp16), so the codes are the ones the file gives
    Vae saved = tr.model;
    for (size_t i = 0; i < saved.p.views().size(); ++i) {
      float* w = saved.p.ptr(i);
      for (size_t j = 0; j < saved.p.views()[i].size; ++j) w[j] = half_to_float(float_to_half(w[j]));
    }
    saved.set_fitted_prior(fit_vae_prior_on(saved, data, run.prior_components, run.train.seed));
    meta["glassbox.prior"] = "fitted: " + std::to_string(run.prior_components) + " Gaussians per class, k-means seed " +
                             std::to_string(run.train.seed);
    saved.save(run.out, true, meta);
    return T;
  }
  tr.model.save(run.out, true, meta);
  return T;
}

}  // namespace gb
