// GanLab: commands, Run mode, undo history and the image-GAN worker.
#include "lab/gan_lab.hpp"


#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

#include "core/error.hpp"
#include "core/files.hpp"
#include "lab/lab_settings.hpp"
#include "lab/train_control.hpp"
#include "models/data/fashion_mnist.hpp"
#include "models/gan/image_gan_run.hpp"
#include "models/gan/losses.hpp"

namespace gb {

namespace {
constexpr size_t kUndoMax = 64;     // 2D snapshots kept for `back`
constexpr int kMaxStepsPerFrame = 200;

// Number argument i of c within [lo, hi]; on failure fills `err`.
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
}  // namespace

std::string gan2d_preset_name(const Gan2dConfig& c) {
  for (const auto& p : gan2d_presets()) {
    const Gan2dConfig& q = p.config;
    if (q.data.kind == c.data.kind && q.loss == c.loss && q.optim == c.optim && q.lr_g == c.lr_g && q.lr_d == c.lr_d &&
        q.k_d == c.k_d && q.batch == c.batch && q.z_dim == c.z_dim && q.g_hidden == c.g_hidden && q.g_layers == c.g_layers &&
        q.d_hidden == c.d_hidden && q.d_layers == c.d_layers && q.gp_weight == c.gp_weight && q.sgd_momentum == c.sgd_momentum)
      return p.name;
  }
  return "";
}

GanLab::GanLab() : toy_(std::make_unique<Gan2d>(gan2d_preset("ring"))) { after_change(); }

GanLab::~GanLab() {
  if (batch_.valid()) batch_.wait();
  if (worker_) worker_->stop();
}

std::vector<PanelInfo> GanLab::panels() const {
  return {{"gan.playground", "2D GAN: real and fake points, D's field, G's gradients"},
          {"gan.latent", "2D GAN: how G warps the latent grid"},
          {"gan.losses", "GAN losses over time"},
          {"gan.samples", "Fashion GAN: samples by class"},
          {"gan.interpolate", "Fashion GAN: walk between two latents"},
          {"gan.training", "Fashion GAN: live training"}};
}

std::vector<std::string> GanLab::default_panels() const {
  return {"gan.playground", "gan.latent", "gan.losses", "gan.samples"};
}

void GanLab::reset_to_defaults() {
  finish_batch();
  running_ = false;
  speed_ = 120;
  step_debt_ = 0;
  last_update_ = -1;
  if (worker_) worker_->stop();
  worker_.reset();
  snap_.reset();
  mode_ = "2d";
  *toy_ = Gan2d(gan2d_preset("ring"));
  undo_.clear();
  drawn_.clear();
  label_ = 0;
  seed_a_ = 1;
  seed_b_ = 2;
  t_ = 0;
  per_class_ = 4;
  frames_ = 9;
  after_change();
  refresh_image_view();
}

std::vector<CommandHelp> GanLab::commands() const {
  std::vector<CommandHelp> v = {
      {"mode 2d|image", "show the 2D toy GAN or the Fashion-MNIST image GAN"},
      {"dataset ring|grid|moons|spiral|custom", "the real 2D distribution (custom = your drawn points)"},
      {"points X Y X Y …", "replace the drawn points (at least two different points)"},
      {"point X Y", "add one drawn point"},
      {"clear points", "remove the drawn points"},
      {"lr G [D]", "learning rates of generator and discriminator (set lr-g, set lr-d at once)"},
      {"step d", "one discriminator update"},
      {"step g", "one generator update"},
      {"step [N]", "N full steps: k discriminator updates then one generator update"},
      {"run", "train continuously (Run mode)"},
      {"pause", "stop Run mode (2D) or pause live image-GAN training"},
      {"preset NAME", "ring, grid, moons, spiral, wgan-gp, sgd, mode-collapse"},
      {"seed S", "image: latent seed A (2D: set seed)"},
      {"seed2 S", "image: latent seed B (the other end of the interpolation)"},
      {"reset", "fresh 2D networks with the current settings"},
      {"back [N]", "undo N 2D steps or setting changes"},
      {"load shipped|PATH", "load the Fashion-MNIST GAN"},
      {"class NAME|INDEX", "which clothing class the image GAN draws"},
      {"interpolate T", "position 0–1 between latent seeds A and B"},
      {"samples N", "image: samples per class in the sample grid (1–12)"},
      {"frames N", "image: frames in the interpolation strip (3–15)"},
      {"train start [steps N] [every M]|pause|resume|stop|use", "live image-GAN training in the background (samples every M steps)"},
  };
  for (auto& h : setting_commands(setting_specs(gan_settings_table()))) v.push_back(h);
  return v;
}

// [SECTION] helpers
void GanLab::push_undo() {
  undo_.push_back(*toy_);
  if (undo_.size() > kUndoMax) undo_.erase(undo_.begin());
}

void GanLab::after_change() {
  coverage_ = toy_->mode_coverage(1000);
  view2d_dirty_ = true;
}

namespace {
// What the 2D panels show of a GAN (field, points, arrows, latent grid); version left to the caller.
Gan2dView compute_view2d(const Gan2d& toy) {
  constexpr int kFieldRes = 56, kPoints = 400, kArrows = 120, kGridRes = 17;
  Gan2dView v;
  v.field_res = kFieldRes;
  v.field = toy.disc_field(kFieldRes, v.lo, v.hi);
  v.field_is_prob = toy.config().loss == GanLoss::ns;
  v.field_min = v.field_max = v.field.empty() ? 0.0f : v.field[0];
  for (float f : v.field) {
    if (std::isfinite(f)) {
      v.field_min = std::min(v.field_min, f);
      v.field_max = std::max(v.field_max, f);
    }
  }
  v.real = toy.real_points(kPoints);
  v.fake = toy.fake_points(kPoints);
  v.arrows = toy.fake_arrows(kArrows);
  v.grid_res = kGridRes;
  v.grid = toy.latent_grid(kGridRes, v.grid_extent);
  return v;
}
}  // namespace

const Gan2dView& GanLab::view2d() const {
  if (!view2d_dirty_) return view2d_;
  const uint64_t version = view2d_.version;
  view2d_ = compute_view2d(*toy_);
  view2d_.version = version + 1;
  view2d_dirty_ = false;
  return view2d_;
}

void GanLab::take_batch() {
  RunBatch b = batch_.get();
  *toy_ = std::move(*b.toy);
  coverage_ = b.coverage;
  const uint64_t version = view2d_.version;
  view2d_ = std::move(b.view);
  view2d_.version = version + 1;
  view2d_dirty_ = false;
}

void GanLab::finish_batch() {
  if (batch_.valid()) take_batch();
}

const GanSampleGrid& GanLab::sample_grid() const {
  if (!grid_dirty_) return grid_;
  grid_ = {};
  grid_dirty_ = false;
  if (!image_) return grid_;
  const int C = image_->config().n_classes;
  grid_.per_class = per_class_;
  grid_.seed = seed_a_;
  std::vector<float> z;
  std::vector<int> labels;
  for (int c = 0; c < C; ++c)
    for (int j = 0; j < per_class_; ++j) {
      const auto zj = image_->latent_for_seed(seed_a_ + uint64_t(j));
      z.insert(z.end(), zj.begin(), zj.end());
      labels.push_back(c);
    }
  const auto img = image_->generate(z, labels);  // (N, 28, 28) in [−1, 1]
  grid_.images.resize(img.size());
  for (size_t i = 0; i < img.size(); ++i) grid_.images[i] = model_to_pixel(img[i]);
  for (size_t n = 0; n < labels.size(); ++n) {
    const float s = image_->score(img.data() + n * 784, labels[n]);
    grid_.d_score.push_back(s);
    grid_.d_prob.push_back(sigmoid(s));
  }
  return grid_;
}

const GanStrip& GanLab::strip() const {
  if (!strip_dirty_) return strip_;
  strip_ = {};
  strip_dirty_ = false;
  if (!image_) return strip_;
  strip_.label = label_;
  strip_.seed_a = seed_a_;
  strip_.seed_b = seed_b_;
  std::vector<float> z;
  std::vector<int> labels(size_t(frames_), label_);
  for (int f = 0; f < frames_; ++f) {
    const float t = float(f) / float(frames_ - 1);
    strip_.t.push_back(t);
    const auto zf = image_->interpolate_latent(seed_a_, seed_b_, t);
    z.insert(z.end(), zf.begin(), zf.end());
  }
  const auto img = image_->generate(z, labels);
  strip_.images.resize(img.size());
  for (size_t i = 0; i < img.size(); ++i) strip_.images[i] = model_to_pixel(img[i]);
  for (int f = 0; f < frames_; ++f) {
    const float s = image_->score(img.data() + size_t(f) * 784, label_);
    strip_.d_score.push_back(s);
    strip_.d_prob.push_back(sigmoid(s));
  }
  return strip_;
}

void GanLab::ensure_image_model() {
  if (image_ || image_tried_) return;
  image_tried_ = true;
  const std::string path = assets_dir() + "/models/fashion-gan.safetensors";
  try {
    image_ = std::make_shared<const ImageGan>(ImageGan::load(path));
    image_source_ = "shipped";
    image_message_.clear();
  } catch (const Error& e) {
    image_message_ = e.what();
  }
  refresh_image_view();
}

void GanLab::refresh_image_view() {
  // The grid and strip are recomputed on first use, and only when what they show changed.
  if (grid_.per_class != per_class_ || grid_.seed != seed_a_ || grid_.images.empty() != !image_) grid_dirty_ = true;
  if (strip_.label != label_ || strip_.seed_a != seed_a_ || strip_.seed_b != seed_b_ || int(strip_.t.size()) != frames_ ||
      strip_.images.empty() != !image_)
    strip_dirty_ = true;
  view_ = {};
  view_.label = label_;
  view_.t = t_;
  if (!image_) return;
  view_.z = image_->interpolate_latent(seed_a_, seed_b_, t_);
  auto img = image_->generate(view_.z, {label_});
  view_.image.resize(img.size());
  for (size_t i = 0; i < img.size(); ++i) view_.image[i] = model_to_pixel(img[i]);
  view_.d_score = image_->score(img.data(), label_);
  view_.d_prob = sigmoid(view_.d_score);
}

// [SECTION] commands
CommandResult GanLab::handle(const Command& c) {
  finish_batch();  // a Run-mode batch under way would overwrite what the command changes
  try {
    const std::string& v = c.verb();
    if (v == "mode") {
      if (c.argc() != 1 || (c.arg(0) != "2d" && c.arg(0) != "image")) return CommandResult::bad("mode: expected 2d or image");
      mode_ = c.arg(0);
      if (mode_ == "image") ensure_image_model();
      return CommandResult::good("showing the " + std::string(mode_ == "2d" ? "2D GAN" : "Fashion-MNIST GAN"));
    }
    if (v == "load" || v == "class" || v == "seed2" || v == "interpolate" || v == "train" || v == "samples" || v == "frames" ||
        (mode_ == "image" && (v == "seed" || v == "pause")))
      return handle_image(c);
    return handle_2d(c);
  } catch (const Error& e) {
    return CommandResult::bad(e.what());
  }
}

CommandResult GanLab::handle_2d(const Command& c) {
  const std::string& v = c.verb();
  std::string err;
  double x = 0;
  if (v == "step") {
    if (c.argc() == 1 && (c.arg(0) == "d" || c.arg(0) == "g")) {
      push_undo();
      const float loss = c.arg(0) == "d" ? toy_->step_d() : toy_->step_g();
      after_change();
      return CommandResult::good(std::string(c.arg(0) == "d" ? "discriminator" : "generator") + " step, loss " +
                                 fmt("%.4f", loss));
    }
    double n = 1;
    if (c.argc() == 1 && !parse_number(c.arg(0), 1, 100000, n, err, "step")) return CommandResult::bad(err + " (or d, g)");
    if (c.argc() > 1) return CommandResult::bad("step: expected `step d`, `step g` or `step [N]`");
    push_undo();
    for (int i = 0; i < int(n); ++i) toy_->step();
    after_change();
    return CommandResult::good(std::to_string(int(n)) + " step(s); modes covered " + std::to_string(coverage_.covered) +
                               "/" + std::to_string(coverage_.modes));
  }
  if (v == "run") {
    running_ = true;
    last_update_ = -1;
    return CommandResult::good("running");
  }
  if (v == "pause") {
    running_ = false;
    return CommandResult::good("paused");
  }
  if (v == "back") {
    double n = 1;
    if (c.argc() == 1 && !parse_number(c.arg(0), 1, double(kUndoMax), n, err, "back")) return CommandResult::bad(err);
    if (undo_.empty()) return CommandResult::bad("back: nothing to undo");
    int k = 0;
    for (; k < int(n) && !undo_.empty(); ++k) {
      *toy_ = std::move(undo_.back());
      undo_.pop_back();
    }
    after_change();
    return CommandResult::good("undid " + std::to_string(k) + " change(s)");
  }
  // Settings: each is undoable; validation errors leave everything as it was.
  Gan2dConfig cfg = toy_->config();
  // Settings from gan_settings_table() (lab/gan_settings.cpp): `set NAME VALUE` and the old `loss hinge`, `k 3`, ….
  if (v == "set" || (v != "lr" && find_setting(gan_settings_table(), v))) {
    const bool verb_form = v != "set";
    if (c.argc() != (verb_form ? 1u : 2u))
      return CommandResult::bad(verb_form ? v + ": expected one value" : "set: expected `set NAME VALUE`");
    GanSettings st{cfg, speed_};
    const Setting<GanSettings>* which = nullptr;
    CommandResult r = apply_setting(gan_settings_table(), st, verb_form ? v : c.arg(0), c.arg(verb_form ? 0 : 1), &which);
    if (!r.ok) return r;
    const std::string& n = which->spec.name;
    if (n == "speed") {
      speed_ = st.speed;
      return r;
    }
    push_undo();
    if (n == "loss") toy_->set_loss(st.toy.loss);
    if (n == "optim") toy_->set_optim(st.toy.optim);
    if (n == "lr-g" || n == "lr-d") toy_->set_lr(st.toy.lr_g, st.toy.lr_d);
    if (n == "k") toy_->set_k(st.toy.k_d);
    if (n == "seed") *toy_ = Gan2d(st.toy);
    after_change();  // D's field and G's arrows are read through the loss
    return r;
  }
  if (v == "lr") {  // `lr G [D]`: both learning rates at once, each checked against its row of the table
    if (c.argc() < 1 || c.argc() > 2) return CommandResult::bad("lr: expected `lr G [D]`, e.g. lr 0.001");
    double lg = 0, ld = 0;
    if (!parse_setting(find_setting(gan_settings_table(), "lr-g")->spec, c.arg(0), lg, err)) return CommandResult::bad(err);
    ld = lg;
    if (c.argc() > 1 && !parse_setting(find_setting(gan_settings_table(), "lr-d")->spec, c.arg(1), ld, err))
      return CommandResult::bad(err);
    push_undo();
    toy_->set_lr(float(lg), float(ld));
    return CommandResult::good("learning rates G " + fmt("%g", lg) + ", D " + fmt("%g", ld));
  }
  if (v == "dataset" || v == "points" || v == "point" || v == "clear") {
    ToyData d = cfg.data;
    if (v == "dataset") {
      if (c.argc() != 1) return CommandResult::bad("dataset: expected ring, grid, moons, spiral or custom");
      d.kind = toy_dataset_from_name(c.arg(0));
      if (d.kind == ToyDataset::custom) d.custom = drawn_;
    } else if (v == "clear") {
      if (c.argc() != 1 || c.arg(0) != "points") return CommandResult::bad("expected `clear points`");
      drawn_.clear();
      if (d.kind != ToyDataset::custom) return CommandResult::good("drawn points cleared");
      d = ToyData{};  // a custom set with no points cannot be sampled: back to the ring
    } else {
      if (c.argc() == 0 || c.argc() % 2 != 0) return CommandResult::bad(v + ": expected pairs of coordinates X Y");
      std::vector<float> pts;
      for (size_t i = 0; i < c.argc(); ++i) {
        if (!parse_number(c.arg(i), -10, 10, x, err, "coordinate")) return CommandResult::bad(err);
        pts.push_back(float(x));
      }
      if (v == "points") drawn_ = pts;
      else drawn_.insert(drawn_.end(), pts.begin(), pts.end());
      d.kind = ToyDataset::custom;
      d.custom = drawn_;
      try {
        d.validate();
      } catch (const Error&) {  // keep drawing: the GAN switches once the set can be sampled
        return CommandResult::good(std::to_string(drawn_.size() / 2) +
                                   " point(s) drawn; draw at least two different points to train on them");
      }
    }
    d.validate();  // `dataset custom` without two different drawn points: the message says so
    push_undo();
    toy_->set_data(d);
    after_change();
    return CommandResult::good(std::string("dataset ") + toy_dataset_name(d.kind) +
                               (d.kind == ToyDataset::custom ? " (" + std::to_string(d.custom.size() / 2) + " points)" : ""));
  }
  if (v == "preset") {
    if (c.argc() != 1) return CommandResult::bad("preset: expected a name (ring, grid, moons, spiral, wgan-gp, sgd, mode-collapse)");
    Gan2dConfig p = gan2d_preset(c.arg(0));
    push_undo();
    *toy_ = Gan2d(p);
    after_change();
    for (const auto& pr : gan2d_presets())
      if (pr.name == c.arg(0)) return CommandResult::good("preset " + pr.name + ": " + pr.summary);
    return CommandResult::good("preset " + c.arg(0));
  }
  if (v == "reset") {
    Gan2d fresh(cfg);
    push_undo();
    *toy_ = std::move(fresh);
    after_change();
    return CommandResult::good("fresh networks (seed " + std::to_string(cfg.seed) + ")");
  }
  return CommandResult::bad("gan: unknown command `" + v + "` (see help)");
}

CommandResult GanLab::handle_image(const Command& c) {
  const std::string& v = c.verb();
  std::string err;
  double x = 0;
  if (v == "load") {
    if (c.argc() != 1) return CommandResult::bad("load: expected `shipped` or a path");
    const std::string path = c.arg(0) == "shipped" ? assets_dir() + "/models/fashion-gan.safetensors" : c.arg(0);
    image_ = std::make_shared<const ImageGan>(ImageGan::load(path));  // throws gb::Error naming the file
    grid_dirty_ = strip_dirty_ = true;
    image_source_ = c.arg(0) == "shipped" ? "shipped" : path;
    image_message_.clear();
    image_tried_ = true;
    refresh_image_view();
    return CommandResult::good("loaded " + image_source_);
  }
  ensure_image_model();
  if (v == "class") {
    if (c.argc() != 1) return CommandResult::bad("class: expected a name or 0-9");
    label_ = fashion_class_from_name(c.arg(0));
    refresh_image_view();
    return CommandResult::good(std::string("class ") + kFashionClassNames[label_]);
  }
  if (v == "seed" || v == "seed2") {
    if (!arg_number(c, 0, 0, 4e15, x, err, v)) return CommandResult::bad(err);
    (v == "seed" ? seed_a_ : seed_b_) = uint64_t(x);
    refresh_image_view();
    return CommandResult::good(std::string(v == "seed" ? "latent seed A " : "latent seed B ") + std::to_string(uint64_t(x)));
  }
  if (v == "samples" || v == "frames") {
    const bool samples = v == "samples";
    if (!arg_number(c, 0, samples ? 1 : 3, samples ? 12 : 15, x, err, v)) return CommandResult::bad(err);
    (samples ? per_class_ : frames_) = int(x);
    refresh_image_view();
    return CommandResult::good(samples ? std::to_string(per_class_) + " sample(s) per class"
                                       : std::to_string(frames_) + " interpolation frames");
  }
  if (v == "interpolate") {
    if (c.argc() == 3) {  // interpolate A B T
      double a = 0, b = 0;
      if (!arg_number(c, 0, 0, 4e15, a, err, "seed A") || !arg_number(c, 1, 0, 4e15, b, err, "seed B"))
        return CommandResult::bad(err);
      seed_a_ = uint64_t(a);
      seed_b_ = uint64_t(b);
      if (!arg_number(c, 2, 0, 1, x, err, "t")) return CommandResult::bad(err);
    } else if (!arg_number(c, 0, 0, 1, x, err, "t")) {
      return CommandResult::bad(err);
    }
    t_ = float(x);
    refresh_image_view();
    return CommandResult::good("t = " + fmt("%.3f", x) + ", D says real with probability " + fmt("%.2f", view_.d_prob));
  }
  if (v == "pause" || v == "train") {
    const std::string what = v == "pause" ? "pause" : (c.argc() ? c.arg(0) : "");
    if (what == "start") {
      int64_t steps = 3000;
      int every = 50;
      if (c.argc() % 2 != 1) return CommandResult::bad("train start: expected `train start [steps N] [every M]`");
      for (size_t i = 1; i + 1 < c.argc(); i += 2) {
        if (c.arg(i) == "steps") {
          if (!arg_number(c, i + 1, 1, 1e7, x, err, "steps")) return CommandResult::bad(err);
          steps = int64_t(x);
        } else if (c.arg(i) == "every") {
          if (!arg_number(c, i + 1, 1, 1e6, x, err, "every")) return CommandResult::bad(err);
          every = int(x);
        } else {
          return CommandResult::bad("train start: unknown option `" + c.arg(i) + "` (expected steps N, every M)");
        }
      }
      if (worker_) worker_->stop();
      if (!data_) data_ = std::make_shared<const FashionMnist>(load_fashion_mnist("train"));
      ImageGanTrainConfig tc;
      tc.seed = seed_a_;
      ImageGanWorkerOptions opt;
      opt.max_steps = steps;
      opt.sample_every = every;
      worker_ = std::make_unique<ImageGanWorker>(ImageGanTrainer(ImageGanConfig{}, tc), data_, opt);
      worker_->start();
      snap_ = worker_->snapshot();
      return CommandResult::good("training a fresh Fashion-MNIST GAN for " + std::to_string(steps) +
                                 " steps in the background (samples every " + std::to_string(every) + ")");
    }
    if (auto r = train_control(worker_.get(), what, snap_, "use `train start`")) return *r;
    if (what == "use") {  // train_control stopped the worker and took its last snapshot
      image_ = std::make_shared<const ImageGan>(worker_->trainer().averaged_model());
      image_source_ = "trained here (" + std::to_string(snap_->step) + " steps)";
      grid_dirty_ = strip_dirty_ = true;
      refresh_image_view();
      return CommandResult::good("drawing with the model trained here");
    }
    return CommandResult::bad("train: expected start, pause, resume, stop or use");
  }
  return CommandResult::bad("gan: unknown command `" + v + "` (see help)");
}

// [SECTION] per-frame update
void GanLab::update(double now_seconds) {
  if (worker_) snap_ = worker_->snapshot();  // a pointer copy under a mutex: never waits on training
  if (batch_.valid() && batch_.wait_for(std::chrono::seconds(0)) == std::future_status::ready) take_batch();
  if (!running_) {
    last_update_ = now_seconds;
    return;
  }
  if (last_update_ < 0) last_update_ = now_seconds;
  const double dt = std::clamp(now_seconds - last_update_, 0.0, 0.25);
  last_update_ = now_seconds;
  step_debt_ += dt * speed_;
  if (background_ && batch_.valid()) {  // the previous batch is still training: the steps owed wait (bounded)
    step_debt_ = std::min(step_debt_, double(kMaxStepsPerFrame));
    return;
  }
  const int n = std::min(int(step_debt_), kMaxStepsPerFrame);
  step_debt_ -= n;
  if (step_debt_ > kMaxStepsPerFrame) step_debt_ = 0;  // do not accumulate a backlog
  if (n > 0) {
    if (undo_.empty() || toy_->g_steps() % 100 < int64_t(n)) push_undo();  // keep undo points while running
    if (background_) {
      // The same steps and time budget on a copy, then the views the panels draw: the UI thread only hands over.
      batch_ = std::async(std::launch::async, [toy = std::make_unique<Gan2d>(*toy_), n, budget = frame_budget_ms_]() mutable {
        const auto t0 = std::chrono::steady_clock::now();
        for (int i = 0; i < n; ++i) {
          toy->step();
          if (std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count() > budget) break;
        }
        RunBatch b;
        b.coverage = toy->mode_coverage(1000);
        b.view = compute_view2d(*toy);
        b.toy = std::move(toy);
        return b;
      });
      return;
    }
    // At most frame_budget_ms_ of training per frame so the window stays responsive; the rest is dropped.
    const auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < n; ++i) {
      toy_->step();
      if (std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count() > frame_budget_ms_) {
        step_debt_ = 0;
        break;
      }
    }
    after_change();
  }
}

std::string GanLab::status() const {
  if (mode_ == "image") {
    if (snap_ && !snap_->finished)
      return "image GAN training step " + std::to_string(snap_->step) +
             (snap_->d_losses.empty() ? "" : " · D " + fmt("%.3f", snap_->d_losses.back()) + " G " + fmt("%.3f", snap_->g_losses.back())) +
             (snap_->paused ? " (paused)" : "");
    return image_ ? "Fashion GAN (" + image_source_ + ") · " + kFashionClassNames[label_] : "no image GAN: " + image_message_;
  }
  const auto& h = toy_->history();
  std::string s = std::string("2D ") + toy_dataset_name(toy_->config().data.kind) + " · " + gan_loss_name(toy_->config().loss) +
                  " · step " + std::to_string(toy_->g_steps());
  if (!h.empty()) s += " · D " + fmt("%.3f", h.back().d_loss) + " G " + fmt("%.3f", h.back().g_loss);
  s += " · modes " + std::to_string(coverage_.covered) + "/" + std::to_string(coverage_.modes);
  return s + (running_ ? " (running)" : "");
}

// Run mode trains a little every frame; the image GAN's worker wakes the app with each snapshot.
double GanLab::seconds_until_update(double) const { return running_ ? 0.0 : kNever; }

}  // namespace gb
