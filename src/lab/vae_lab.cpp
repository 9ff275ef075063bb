// VaeLab: commands, lazily computed views, the training worker and the side-by-side comparison.
#include "lab/vae_lab.hpp"


#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

#include "core/error.hpp"
#include "core/files.hpp"
#include "core/threads.hpp"
#include "lab/lab_settings.hpp"
#include "lab/train_control.hpp"
#include "models/diffusion/images.hpp"
#include "models/diffusion/sampler.hpp"
#include "models/diffusion/train.hpp"
#include "models/gan/image_gan.hpp"
#include "models/gan/image_gan_run.hpp"

namespace gb {

namespace {
constexpr int kMapPoints = 2000;  // test images on the latent map
constexpr int kAtlasRes = 20;     // the classic 20 × 20 atlas

bool arg_number(const Command& c, size_t i, double lo, double hi, double& out, std::string& err, const std::string& what) {
  if (c.argc() <= i) {
    err = what + ": missing value";
    return false;
  }
  return parse_number(c.arg(i), lo, hi, out, err, what);
}

std::string fmt(const char* f, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}

std::vector<uint8_t> to_bytes(const std::vector<float>& probs) {
  std::vector<uint8_t> px(probs.size());
  for (size_t i = 0; i < probs.size(); ++i) px[i] = uint8_t(std::lround(std::clamp(probs[i], 0.0f, 1.0f) * 255.0f));
  return px;
}

std::string shipped_path(bool conditional) {
  return assets_dir() + (conditional ? "/models/fashion-cvae.safetensors" : "/models/fashion-vae-2d.safetensors");
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}
}  // namespace

// The three families on one class and seed (runs on a background thread: everything it reads is captured).
VaeCompare compute_compare(int label, uint64_t seed, std::shared_ptr<const Vae> cvae, std::string cvae_source,
                           std::string cvae_message);

VaeLab::VaeLab() = default;

VaeLab::~VaeLab() {
  if (worker_) worker_->stop();
  if (compare_job_.valid()) compare_job_.wait();
}

std::vector<PanelInfo> VaeLab::panels() const {
  return {{"vae.map", "VAE latent map: 2000 pictures as points"},
          {"vae.atlas", "VAE decoder atlas: the plane decoded"},
          {"vae.one", "One picture through the VAE (z = \xce\xbc + \xcf\x83\xc2\xb7\xce\xb5)"},
          {"vae.beta", "\xce\xb2 and the trade-off: live training"},
          {"vae.interpolate", "Walk between two pictures: latent line vs pixel fade"},
          {"vae.samples", "Conditional VAE: samples by class"},
          {"vae.compare", "All image families side by side"}};
}

std::vector<std::string> VaeLab::default_panels() const { return {"vae.map", "vae.atlas", "vae.one", "vae.samples"}; }

std::vector<CommandHelp> VaeLab::commands() const {
  std::vector<CommandHelp> v = {
      {"load shipped|FILE", "load a VAE checkpoint (conditional → the samples' model, 2D → the map's model)"},
      {"cursor Z1 Z2", "the latent point the atlas decodes large (each −6…6)"},
      {"image I", "send test image I (0–9999) through the 2D VAE"},
      {"draw X Y [X Y …]", "paint on the 28×28 canvas (pixels 0–27) and send the drawing through the VAE"},
      {"canvas clear", "wipe the drawing"},
      {"resample", "draw a new \xce\xb5 in z = \xce\xbc + \xcf\x83\xc2\xb7\xce\xb5"},
      {"interpolate A B", "the two test images (0–9999) of the interpolation strip"},
      {"class NAME|INDEX|all", "which clothing class the conditional VAE draws (all: a row per class)"},
      {"compare", "the same class and seed through the GAN, the conditional VAE and diffusion"},
      {"train start [beta B] [steps N] [warmup W] [checkpoint FILE] [every M]",
       "train a fresh 2D VAE in the background (KL warm-up over W steps, full checkpoint to FILE every M steps)"},
      {"train beta0|beta1|beta8", "presets: a plain autoencoder, the true VAE, posterior collapse (2000 steps each)"},
      {"train pause|resume|stop|use", "control live training; use = the map, atlas and one-image panels show it"},
  };
  for (auto& h : setting_commands(setting_specs(vae_settings_table()))) v.push_back(h);
  return v;
}

void VaeLab::reset_to_defaults() {
  if (worker_) worker_->stop();
  worker_.reset();
  snap_.reset();
  cursor_[0] = cursor_[1] = 0;
  image_ = 0;
  use_canvas_ = false;
  std::fill(canvas_.begin(), canvas_.end(), uint8_t(0));
  eps_seed_ = 1;
  interp_a_ = 0;
  interp_b_ = 1;
  class_ = 0;
  seed_ = 1;
  temperature_ = 1;
  per_class_ = 8;
  prior_ = 0;
  compare_ = {};
  ++compare_generation_;  // a job still running is discarded when it ends
  compare_again_ = false;
  one_dirty_ = interp_dirty_ = samples_dirty_ = cursor_dirty_ = true;
}

// [SECTION] loading
void VaeLab::ensure_loaded() {
  if (tried_) return;
  tried_ = true;
  std::string msg;
  try {
    if (!vae2d_) {
      vae2d_ = std::make_shared<const Vae>(Vae::load(shipped_path(false)));
      src2d_ = "shipped fashion-vae-2d";
    }
  } catch (const std::exception& e) {
    msg += std::string(e.what()) + "\n";
  }
  try {
    if (!cvae_) {
      cvae_ = std::make_shared<const Vae>(Vae::load(shipped_path(true)));
      srcc_ = "shipped fashion-cvae";
    }
  } catch (const std::exception& e) {
    msg += std::string(e.what()) + "\n";
  }
  try {
    if (!test_) test_ = std::make_shared<const FashionMnist>(load_fashion_mnist("test"));
  } catch (const std::exception& e) {
    msg += std::string(e.what()) + "\n";
  }
  if (!msg.empty()) msg.pop_back();
  message_ = msg;
  models_changed();
}

void VaeLab::models_changed() {
  map_dirty_ = atlas_dirty_ = one_dirty_ = interp_dirty_ = samples_dirty_ = cursor_dirty_ = true;
  compare_.rows.clear();
  ++compare_generation_;
}

// [SECTION] views
const VaeMap& VaeLab::map() const {
  if (!map_dirty_) return map_;
  map_dirty_ = false;
  const uint64_t v = map_.version + 1;
  map_ = {};
  map_.version = v;
  if (!vae2d_ || !test_ || vae2d_->config().latent != 2) return map_;
  const int n = std::min(kMapPoints, test_->count);
  const auto x = vae_pixels(*test_, 0, n);
  const auto stats = vae2d_->encode(x.data(), nullptr, n);  // (n, 4): μ1 μ2 logσ²1 logσ²2
  map_.count = n;
  map_.mu.resize(size_t(n) * 2);
  map_.sigma.resize(size_t(n) * 2);
  map_.labels.assign(test_->labels.begin(), test_->labels.begin() + n);
  float extent = 3.2f;  // at least the prior's 3σ ring
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < 2; ++j) {
      const float mu = stats[size_t(i) * 4 + j];
      map_.mu[size_t(i) * 2 + j] = mu;
      map_.sigma[size_t(i) * 2 + j] = std::exp(0.5f * stats[size_t(i) * 4 + 2 + j]);
      if (std::isfinite(mu)) extent = std::max(extent, std::fabs(mu));
    }
  extent = std::min(std::ceil(extent * 1.05f * 2) / 2, 20.0f);
  map_.lo = -extent;
  map_.hi = extent;
  return map_;
}

const VaeAtlas& VaeLab::atlas() const {
  if (!atlas_dirty_) return atlas_;
  atlas_dirty_ = false;
  const uint64_t v = atlas_.version + 1;
  atlas_ = {};
  atlas_.version = v;
  if (!vae2d_ || vae2d_->config().latent != 2) return atlas_;
  const int R = kAtlasRes;
  atlas_.res = R;
  std::vector<float> z(size_t(R) * R * 2);
  for (int r = 0; r < R; ++r)
    for (int c = 0; c < R; ++c) {
      // cell centres: column c at z1, row r (top = high z2)
      z[(size_t(r) * R + c) * 2 + 0] = atlas_.lo + (float(c) + 0.5f) * (atlas_.hi - atlas_.lo) / float(R);
      z[(size_t(r) * R + c) * 2 + 1] = atlas_.hi - (float(r) + 0.5f) * (atlas_.hi - atlas_.lo) / float(R);
    }
  atlas_.images = to_bytes(vae2d_->decode(z.data(), nullptr, R * R));
  return atlas_;
}

const std::vector<uint8_t>& VaeLab::cursor_image() const {
  if (!cursor_dirty_) return cursor_img_;
  cursor_dirty_ = false;
  cursor_img_.clear();
  if (!vae2d_ || vae2d_->config().latent != 2) return cursor_img_;
  cursor_img_ = to_bytes(vae2d_->decode(cursor_, nullptr, 1));
  return cursor_img_;
}

const VaeOneImage& VaeLab::one() const {
  if (!one_dirty_) return one_;
  one_dirty_ = false;
  one_ = {};
  if (!vae2d_) return one_;
  if (use_canvas_ || !test_) {
    one_.source = "your drawing";
    one_.input = canvas_;
  } else {
    const int i = std::min(image_, test_->count - 1);
    one_.source = "test image " + std::to_string(i);
    one_.test_index = i;
    one_.true_label = test_->labels[size_t(i)];
    one_.input.assign(test_->image(i), test_->image(i) + kVaePixels);
  }
  std::vector<float> x(kVaePixels);
  for (int i = 0; i < kVaePixels; ++i) x[size_t(i)] = float(one_.input[size_t(i)]) / 255.0f;
  Rng rng(eps_seed_);
  one_.eps_seed = eps_seed_;
  one_.trace = vae2d_->trace(x.data(), -1, rng);
  one_.recon = to_bytes(one_.trace.recon);
  return one_;
}

const VaeInterp& VaeLab::interp() const {
  if (!interp_dirty_) return interp_;
  interp_dirty_ = false;
  interp_ = {};
  interp_.a = interp_a_;
  interp_.b = interp_b_;
  if (!vae2d_ || !test_) return interp_;
  const int F = interp_.frames, Z = vae2d_->config().latent;
  const int ia = std::min(interp_a_, test_->count - 1), ib = std::min(interp_b_, test_->count - 1);
  const auto xa = vae_pixels(*test_, ia, 1), xb = vae_pixels(*test_, ib, 1);
  const auto sa = vae2d_->encode(xa.data(), nullptr, 1), sb = vae2d_->encode(xb.data(), nullptr, 1);
  interp_.labels = {test_->labels[size_t(ia)], test_->labels[size_t(ib)]};
  interp_.z.resize(size_t(F) * Z);
  interp_.crossfade.resize(size_t(F) * kVaePixels);
  for (int f = 0; f < F; ++f) {
    const float t = float(f) / float(F - 1);
    interp_.t.push_back(t);
    for (int j = 0; j < Z; ++j) interp_.z[size_t(f) * Z + j] = (1 - t) * sa[size_t(j)] + t * sb[size_t(j)];
    for (int i = 0; i < kVaePixels; ++i)
      interp_.crossfade[size_t(f) * kVaePixels + i] =
          uint8_t(std::lround((1 - t) * float(test_->image(ia)[i]) + t * float(test_->image(ib)[i])));
  }
  interp_.latent_line = to_bytes(vae2d_->decode(interp_.z.data(), nullptr, F));
  return interp_;
}

const VaeSamples& VaeLab::samples() const {
  if (!samples_dirty_) return samples_;
  samples_dirty_ = false;
  samples_ = {};
  if (!cvae_) return samples_;
  const int C = cvae_->config().n_classes, Z = cvae_->config().latent;
  if (class_ < 0)
    for (int c = 0; c < C; ++c) samples_.classes.push_back(c);
  else
    samples_.classes.push_back(std::min(class_, C - 1));
  samples_.per_class = per_class_;
  samples_.seed = seed_;
  samples_.temperature = temperature_;
  samples_.fitted = prior_ == 0 && cvae_->has_fitted_prior();
  std::vector<int> labels;
  for (int c : samples_.classes)
    for (int j = 0; j < per_class_; ++j) {
      std::vector<int> k;
      const auto z = samples_.fitted ? cvae_->fitted_prior().sample(&c, 1, seed_ + uint64_t(j), temperature_, &k)
                                     : cvae_->prior_latents(1, seed_ + uint64_t(j), temperature_);
      samples_.z.insert(samples_.z.end(), z.begin(), z.begin() + Z);
      samples_.component.push_back(samples_.fitted ? k[0] : -1);
      labels.push_back(c);
    }
  samples_.images = to_bytes(cvae_->decode(samples_.z.data(), labels.data(), int(labels.size())));
  return samples_;
}

// [SECTION] commands
CommandResult VaeLab::handle(const Command& c) {
  const std::string& v = c.verb();
  std::string err;
  double x = 0, y = 0;
  if (v == "load") {
    if (c.argc() != 1) return CommandResult::bad("load: expected `shipped` or a path to a VAE .safetensors file");
    if (c.arg(0) == "shipped") {
      vae2d_.reset();
      cvae_.reset();
      tried_ = false;
      ensure_loaded();
      if (!vae2d_ || !cvae_) return CommandResult::bad(message_);
      return CommandResult::good("loaded the shipped 2D VAE and conditional VAE");
    }
    ensure_loaded();
    const std::string& path = c.arg(0);
    std::shared_ptr<const Vae> m;
    try {
      m = std::make_shared<const Vae>(Vae::load(path));
    } catch (const std::exception& e) {
      return CommandResult::bad(std::string(e.what()) + " (the loaded model is unchanged)");
    }
    const VaeConfig& k = m->config();
    if (k.conditional()) {
      if (k.n_classes != kFashionClasses)
        return CommandResult::bad(path + ": a conditional VAE with " + std::to_string(k.n_classes) +
                                  " classes; Fashion-MNIST has 10 (the loaded model is unchanged)");
      cvae_ = m;
      srcc_ = path;
    } else {
      if (k.latent != 2)
        return CommandResult::bad(path + ": an unconditional VAE with a " + std::to_string(k.latent) +
                                  "-number latent; the map needs exactly 2 (the loaded model is unchanged)");
      vae2d_ = m;
      src2d_ = path;
    }
    models_changed();
    return CommandResult::good("loaded " + path + (k.conditional() ? " as the conditional VAE" : " as the 2D VAE"));
  }
  ensure_loaded();
  if (v == "cursor") {
    if (c.argc() != 2) return CommandResult::bad("cursor: expected Z1 Z2");
    if (!parse_number(c.arg(0), -6, 6, x, err, "z1") || !parse_number(c.arg(1), -6, 6, y, err, "z2"))
      return CommandResult::bad(err);
    cursor_[0] = float(x);
    cursor_[1] = float(y);
    cursor_dirty_ = true;
    return CommandResult::good("z = (" + fmt("%.2f", x) + ", " + fmt("%.2f", y) + ")");
  }
  if (v == "image") {
    const int last = test_ ? test_->count - 1 : 9999;
    if (!arg_number(c, 0, 0, last, x, err, "image")) return CommandResult::bad(err);
    if (!test_) return CommandResult::bad("image: no test images (" + message_ + ")");
    image_ = int(x);
    use_canvas_ = false;
    one_dirty_ = true;
    return CommandResult::good("test image " + std::to_string(image_) + " (" + kFashionClassNames[test_->labels[size_t(image_)]] + ")");
  }
  if (v == "draw") {
    if (c.argc() == 0 || c.argc() % 2 != 0) return CommandResult::bad("draw: expected pairs of pixel coordinates X Y (0–27)");
    std::vector<float> pts;
    for (size_t i = 0; i < c.argc(); ++i) {
      if (!parse_number(c.arg(i), 0, 27, x, err, i % 2 ? "y" : "x")) return CommandResult::bad(err);
      pts.push_back(float(x));
    }
    // A soft round brush (radius about 1.5 pixels), added with a maximum so strokes do not overflow.
    for (size_t k = 0; k < pts.size(); k += 2)
      for (int r = 0; r < 28; ++r)
        for (int col = 0; col < 28; ++col) {
          const float d2 = (float(col) - pts[k]) * (float(col) - pts[k]) + (float(r) - pts[k + 1]) * (float(r) - pts[k + 1]);
          const float ink = std::clamp(1.6f - 0.55f * d2, 0.0f, 1.0f);
          auto& px = canvas_[size_t(r) * 28 + col];
          px = uint8_t(std::max(float(px), std::round(255 * ink)));
        }
    use_canvas_ = true;
    one_dirty_ = true;
    return CommandResult::good(std::to_string(pts.size() / 2) + " brush dab(s) drawn");
  }
  if (v == "canvas") {
    if (c.argc() != 1 || c.arg(0) != "clear") return CommandResult::bad("canvas: expected `canvas clear`");
    std::fill(canvas_.begin(), canvas_.end(), uint8_t(0));
    use_canvas_ = true;
    one_dirty_ = true;
    return CommandResult::good("canvas cleared");
  }
  if (v == "resample") {
    ++eps_seed_;
    one_dirty_ = true;
    return CommandResult::good("new \xce\xb5 (draw " + std::to_string(eps_seed_) + ")");
  }
  if (v == "interpolate") {
    const int last = test_ ? test_->count - 1 : 9999;
    double a = 0, b = 0;
    if (c.argc() != 2) return CommandResult::bad("interpolate: expected two test image numbers A B");
    if (!arg_number(c, 0, 0, last, a, err, "A") || !arg_number(c, 1, 0, last, b, err, "B")) return CommandResult::bad(err);
    interp_a_ = int(a);
    interp_b_ = int(b);
    interp_dirty_ = true;
    return CommandResult::good("interpolating test images " + std::to_string(interp_a_) + " and " + std::to_string(interp_b_));
  }
  if (v == "class") {
    if (c.argc() != 1) return CommandResult::bad("class: expected a name, 0-9 or all");
    if (c.arg(0) == "all") {
      class_ = -1;
    } else {
      const int k = fashion_class_from_string(c.arg(0));
      if (k < 0) return CommandResult::bad("class: unknown class `" + c.arg(0) + "` (a name like \"Sneaker\", an index 0-9, or all)");
      class_ = k;
    }
    samples_dirty_ = true;
    return CommandResult::good(class_ < 0 ? "all classes" : std::string("class ") + kFashionClassNames[class_]);
  }
  if (v == "set" || find_setting(vae_settings_table(), v)) {  // `set temperature 0.5`, old `temperature 0.5`
    const bool verb_form = v != "set";
    if (c.argc() != (verb_form ? 1u : 2u))
      return CommandResult::bad(verb_form ? v + ": expected one value" : "set: expected `set NAME VALUE`");
    VaeSettings st{seed_, temperature_, per_class_, prior_};
    CommandResult r = apply_setting(vae_settings_table(), st, verb_form ? v : c.arg(0), verb_form ? c.arg(0) : c.arg(1));
    if (!r.ok) return r;
    seed_ = st.seed;
    temperature_ = st.temperature;
    per_class_ = st.per_class;
    prior_ = st.prior;
    samples_dirty_ = true;
    return r;
  }
  if (v == "compare") {
    if (c.argc() != 0) return CommandResult::bad("compare: takes no arguments (set `class` and `seed` first)");
    return compare();
  }
  if (v == "train" || v == "pause") return handle_train(c);
  return CommandResult::bad("vae: unknown command `" + v + "` (see help)");
}

CommandResult VaeLab::handle_train(const Command& c) {
  std::string err;
  double x = 0;
  const std::string what = c.verb() == "pause" ? "pause" : (c.argc() ? c.arg(0) : "");
  if (what == "start" || what == "beta0" || what == "beta1" || what == "beta8") {
    VaeTrainConfig tc;
    tc.steps = 2000;
    tc.seed = 1;
    VaeWorkerOptions opt;
    if (what != "start") {
      tc.beta = float(what.back() - '0');
      if (c.argc() != 1) return CommandResult::bad("train " + what + ": takes no options");
    } else {
      if (c.argc() % 2 != 1) return CommandResult::bad("train start: expected `train start [beta B] [steps N] [warmup W] [checkpoint FILE] [every M]`");
      // beta, steps, warmup and every are the rows of `glassbox train vae` (lab/command_flags.cpp): one range each
      auto number = [&](size_t i, const char* row, double& out) {
        SettingSpec s = command_flag("train vae", row);
        s.name = c.arg(i);  // the message names the word typed here ("warmup 5e9: out of range 0–100000000")
        return parse_setting(s, c.arg(i + 1), out, err);
      };
      for (size_t i = 1; i + 1 < c.argc(); i += 2) {
        const std::string& o = c.arg(i);
        if (o == "beta") {
          if (!number(i, "beta", x)) return CommandResult::bad(err);
          tc.beta = float(x);
        } else if (o == "steps") {
          if (!number(i, "steps", x)) return CommandResult::bad(err);
          tc.steps = int64_t(x);
        } else if (o == "warmup") {
          if (!number(i, "kl-warmup", x)) return CommandResult::bad(err);
          tc.kl_warmup = int64_t(x);
        } else if (o == "every") {
          if (!number(i, "checkpoint-every", x) || x < 1) return CommandResult::bad(err.empty() ? "every 0: use 1 or more" : err);
          opt.checkpoint_every = int64_t(x);
        } else if (o == "checkpoint") {
          opt.checkpoint_path = c.arg(i + 1);
        } else {
          return CommandResult::bad("train start: unknown option `" + o + "` (expected beta, steps, warmup, checkpoint, every)");
        }
      }
    }
    opt.max_steps = tc.steps;
    opt.picture_every = int(std::clamp<int64_t>(tc.steps / 40, 10, 500));
    if (worker_) worker_->stop();
    try {
      if (!train_) train_ = std::make_shared<const FashionMnist>(load_fashion_mnist("train"));
      worker_ = std::make_unique<VaeWorker>(VaeTrainer(VaeConfig{}, tc), train_, test_, opt);
    } catch (const std::exception& e) {
      return CommandResult::bad(std::string("train: ") + e.what());
    }
    worker_->start();
    snap_ = worker_->snapshot();
    return CommandResult::good("training a fresh 2D VAE with \xce\xb2 = " + fmt("%g", tc.beta) + " for " + std::to_string(tc.steps) +
                               " steps in the background" + (tc.kl_warmup ? " (KL warm-up " + std::to_string(tc.kl_warmup) + " steps)" : "") +
                               (opt.checkpoint_path.empty() ? "" : ", checkpoints to " + opt.checkpoint_path));
  }
  if (auto r = train_control(worker_.get(), what, snap_, "use `train start` or a preset `train beta1`")) return *r;
  if (what == "use") {  // train_control stopped the worker and took its last snapshot
    vae2d_ = std::make_shared<const Vae>(worker_->trainer().model);
    src2d_ = "trained here (\xce\xb2 = " + fmt("%g", worker_->trainer().tc.beta) + ", " + std::to_string(snap_->step) + " steps)";
    models_changed();
    return CommandResult::good("the map, atlas, one-image and interpolation panels now show the model trained here");
  }
  return CommandResult::bad("train: expected start, beta0, beta1, beta8, pause, resume, stop or use");
}

// [SECTION] all image families side by side
CommandResult VaeLab::compare() {
  const int label = std::max(0, class_);
  if (compare_job_.valid()) {  // at most one job at a time: the next starts when this one ends (update())
    compare_again_ = true;
    return CommandResult::good("drawing again when the current drawing ends");
  }
  compare_job_generation_ = compare_generation_;
  compare_job_ = std::async(std::launch::async, compute_compare, label, seed_, cvae_,
                            srcc_.empty() ? shipped_path(true) : srcc_, message_);
  return CommandResult::good(std::string("drawing a ") + kFashionClassNames[label] + " with seed " + std::to_string(seed_) +
                             " with the GAN, the conditional VAE and diffusion (in the background)");
}

VaeCompare compute_compare(int label, uint64_t seed_, std::shared_ptr<const Vae> cvae_, std::string cvae_source,
                           std::string message_) {
  VaeCompare compare_;
  compare_.label = label;
  compare_.seed = seed_;
  {
    FamilyResult r;
    r.family = "GAN";
    r.model = assets_dir() + "/models/fashion-gan.safetensors";
    r.network_evals = 1;
    r.trade = "One pass of the generator: the fastest, and sharp. But it is trained as a contest, which can "
              "wobble or collapse onto a few kinds of picture, and there is no way back from a picture to its z.";
    try {
      const ImageGan g = ImageGan::load(r.model);
      const auto t0 = std::chrono::steady_clock::now();
      r.image = sample_image_gan(g, {label}, seed_);
      r.seconds = seconds_since(t0);
      r.ok = true;
    } catch (const std::exception& e) {
      r.message = e.what();
    }
    compare_.rows.push_back(r);
  }
  {
    FamilyResult r;
    r.family = "conditional VAE";
    r.model = cvae_source;
    r.network_evals = 1;
    r.trade = "One pass of the decoder: as fast as the GAN and trained by one plain loss that always goes down. "
              "The price is blur: it hedges between the pictures a z could mean. It can also encode a picture back to z.";
    if (cvae_) {
      const auto t0 = std::chrono::steady_clock::now();
      const auto z = cvae_->prior_latents(1, seed_, 1.0f, &label, true);  // the model's default: its fitted prior
      r.image = to_bytes(cvae_->decode(z.data(), &label, 1));
      r.seconds = seconds_since(t0);
      r.ok = true;
    } else {
      r.message = message_.empty() ? "no conditional VAE loaded" : message_;
    }
    compare_.rows.push_back(r);
  }
  {
    FamilyResult r;
    r.family = "diffusion (DDIM, 50 steps)";
    r.model = default_diffusion_model_path();
    r.trade = "Many small denoising steps (here 50, each two passes for guidance): by far the slowest, but the "
              "sharpest and most varied, and its training is a plain, stable regression.";
    try {
      const DiffusionModelFile mf = load_diffusion_model(r.model);
      SamplerConfig sc;
      sc.steps = 50;
      sc.seed = seed_;
      sc.record = false;
      const bool guided = mf.model->num_classes() > 0 && sc.guidance != 1.0f;
      r.network_evals = sc.steps * (guided ? 2 : 1);
      const auto t0 = std::chrono::steady_clock::now();
      const auto xs = sample_batch(mf.model, sc, {label}, 1);
      r.seconds = seconds_since(t0);
      r.image = dimg::to_pixels(xs.data(), 1);
      r.ok = true;
    } catch (const std::exception& e) {
      r.message = e.what();
    }
    compare_.rows.push_back(r);
  }
  wake_ui();  // the app draws the result
  return compare_;
}

// [SECTION] per-frame update
void VaeLab::update(double) {
  if (worker_) snap_ = worker_->snapshot();  // a pointer copy under a mutex: never waits on training
  if (compare_job_.valid() && compare_job_.wait_for(std::chrono::seconds(0)) == std::future_status::ready) {
    VaeCompare r = compare_job_.get();
    if (compare_job_generation_ == compare_generation_) compare_ = std::move(r);
    if (compare_again_) {
      compare_again_ = false;
      compare();
    }
  }
}

// While `compare` runs, look for its result a few times a second (its wake_ui may come just before it is ready).
double VaeLab::seconds_until_update(double) const { return compare_job_.valid() ? 0.05 : kNever; }

std::string VaeLab::status() const {
  if (snap_ && !snap_->finished)
    return "VAE training step " + std::to_string(snap_->step) + "/" + std::to_string(snap_->max_steps) + " \xc2\xb7 \xce\xb2 " +
           fmt("%g", snap_->beta_now) +
           (snap_->rec.empty() ? "" : " \xc2\xb7 rec " + fmt("%.1f", snap_->rec.back()) + " KL " + fmt("%.2f", snap_->kl.back())) +
           (snap_->paused ? " (paused)" : "");
  if (!vae2d_ && !cvae_) return tried_ ? "no VAE: " + message_ : "VAE";
  return "2D VAE: " + (vae2d_ ? src2d_ : "none") + " \xc2\xb7 conditional VAE: " + (cvae_ ? srcc_ : "none");
}

}  // namespace gb
