// DiffusionLab: commands over the diffusion sampler and trainer, the filmstrip cache, comparisons,
// presets, the forward-process view and the training view's live samples.
#include "lab/diffusion_lab.hpp"

#include "lab/lab_settings.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>


#include "core/error.hpp"
#include "core/threads.hpp"
#include "core/files.hpp"
#include "models/data/fashion_mnist.hpp"
#include "models/data/toy2d.hpp"

namespace gb {

std::string diffusion_model_file(const std::string& data) {
  if (data == "fashion-mnist") return default_diffusion_model_path();
  return assets_dir() + "/models/" + data + "-2d-diffusion.safetensors";
}

const std::vector<DiffusionPreset>& diffusion_presets() {
  static const std::vector<DiffusionPreset> p = {
      {"default", "DDIM, 50 steps, guidance 2.5: a clear picture of the class asked for", true, SamplerKind::ddim, 50, 2.5f, 0,
       false, "DDIM, 50 steps: the points land on the shape"},
      {"ddpm-1000", "DDPM, all 1000 steps, guidance 2.5: the original slow sampler, also good", true, SamplerKind::ddpm, 1000, 2.5f, 0,
       false, "DDPM, all 1000 steps: the original slow sampler, also good"},
      {"ddim-10", "DDIM with only 10 steps: still a good picture (DDIM can take big jumps)", true, SamplerKind::ddim, 10, 2.5f, 0,
       false, "DDIM with only 10 steps: still close to the shape (DDIM can take big jumps)"},
      {"too-few-steps", "DDPM with only 5 steps: each jump is too big, so noise is left in the picture", false,
       SamplerKind::ddpm, 5, 2.5f, 0, false, "DDPM with only 5 steps: each jump is too big, so the points end as a blurred cloud instead of the shape"},
      {"no-guidance", "guidance 1 (plain conditional, no boost): vaguer shapes, sometimes the wrong kind of clothing",
       false, SamplerKind::ddim, 50, 1, 0, true, nullptr},
      {"unconditional", "guidance 0: the class is ignored, you get some random piece of clothing", false, SamplerKind::ddim,
       50, 0, 0, true, nullptr},
      {"over-guided", "guidance 20: pushed too far, harsh black-and-white pictures with odd details", false,
       SamplerKind::ddim, 50, 20, 0, true, nullptr},
  };
  return p;
}

std::vector<const DiffusionPreset*> diffusion_presets_for(bool image) {
  std::vector<const DiffusionPreset*> out;
  for (const auto& p : diffusion_presets())
    if (image || !p.about_guidance) out.push_back(&p);
  return out;
}

const char* diffusion_preset_summary(const DiffusionPreset& p, bool image) {
  return image || !p.summary_2d ? p.summary : p.summary_2d;
}

DiffusionColourRange diffusion_colour_range(DiffusionPicture kind, const float* values, size_t n) {
  DiffusionColourRange r;
  const float lim = kind == DiffusionPicture::noise ? 3.0f : 1.0f;
  r.lo = -lim;
  r.hi = lim;
  r.slack = 0.05f * lim;
  for (size_t i = 0; i < n; ++i) {
    r.below += r.is_below(values[i]);
    r.above += r.is_above(values[i]);
  }
  return r;
}

// A comparison being computed: one sampler per value, run one after the other in update().
struct DiffusionLab::CompareJob {
  DiffusionComparison out;          // what, values, base, label, data; samples filled as they finish
  std::shared_ptr<const EpsModel> model;
  std::vector<int> labels;
  std::unique_ptr<Sampler> current;  // the value being sampled (index out.samples.size())
};

DiffusionLab::DiffusionLab() = default;
DiffusionLab::~DiffusionLab() {
  if (live_job_.valid()) live_job_.wait();
  worker_.reset();
}

std::vector<PanelInfo> DiffusionLab::panels() const {
  return {
      {"diffusion.sampler", "Sampler (from noise to a picture)"},
      {"diffusion.step", "One denoising step: x_t \xe2\x86\x92 x_{t\xe2\x88\x92" "1}"},  // short: whole at scale 2
      {"diffusion.filmstrip", "Filmstrip (the whole trajectory)"},
      {"diffusion.schedule", "Noise schedule (\xce\xb2_t, \xce\xb1_t, \xc4\x81_t)"},
      {"diffusion.forward", "Forward process (adding noise to a real image)"},
      {"diffusion.compare", "Compare (same seed, different settings)"},
      {"diffusion.points", "2D points (a cloud flowing onto a shape)"},
      {"diffusion.training", "Training (loss and live samples)"},
  };
}

std::vector<std::string> DiffusionLab::default_panels() const {
  return {"diffusion.sampler", "diffusion.step", "diffusion.filmstrip", "diffusion.schedule"};
}

void DiffusionLab::reset_to_defaults() {
  if (live_job_.valid()) live_job_.wait();
  live_job_ = {};
  worker_.reset();
  snapshot_.reset();
  live_ = DiffusionLiveSamples{};
  cfg_ = SamplerConfig{};
  label_ = 7;
  points_ = 500;
  preset_.clear();
  playing_ = false;
  loop_ = false;
  target_ = 0;
  compare_job_.reset();
  compare_ = DiffusionComparison{};
  fwd_class_ = 7;
  fwd_index_ = 0;
  fwd_t_ = 250;
  fwd_seed_ = 1;
  if (model_ || data_ != "fashion-mnist") {
    CommandResult r = load("fashion-mnist");
    if (!r.ok) {
      model_.reset();
      sampler_.reset();
      data_ = "fashion-mnist";
    }
  }
}

std::vector<CommandHelp> DiffusionLab::commands() const {
  std::vector<CommandHelp> v = {
      {"data fashion-mnist|moons|swiss-roll|rings|gaussians|drawn", "which model to sample from (the shipped file; drawn: your points)"},
      {"class NAME|INDEX|none", "class to draw, e.g. Sneaker or 7 (none = unconditional)"},
      {"step [K]", "take K denoising steps (default 1)"},
      {"back [K]", "undo K steps"},
      {"run [loop]", "denoise to the end (loop: again and again from x_T, a steady load for benchmarks)"},
      {"play | pause", "animate the denoising (a few seconds for the whole trajectory) / stop animating"},
      {"reset", "back to pure noise"},
      {"t T", "go to timestep T (forwards or backwards along the trajectory; -1 = the end)"},
      {"frame K", "go to the picture after K steps (0 = pure noise)"},
      {"preset NAME", "default, ddpm-1000, ddim-10 (work); too-few-steps, no-guidance, unconditional, over-guided (fail on purpose)"},
      {"compare guidance G1 G2 … | compare steps S1 S2 … | compare clear",
       "the same seed and class with several guidance scales or step counts (up to 8)"},
      {"forward class C | forward index I | forward t T | forward seed S",
       "forward process: pick a real test image (class, n-th of that class), the timestep and the noise seed"},
      {"train start|pause|stop", "train a fresh model of the current data on a worker thread"},
      {"draw X Y [X Y …] | draw clear", "2D: add your own points (in -3..3), then `data drawn` and `train start` learn them"},
      {"budget auto|MS", "ms of denoising per frame in the app (0 = whole trajectories at once; auto = 8 ms in the app)"},
  };
  for (auto& h : setting_commands(setting_specs(diffusion_settings_table()))) v.push_back(h);
  return v;
}

bool DiffusionLab::ensure_model(std::string& error) {
  if (model_) return true;
  try {
    CommandResult r = load(data_);
    if (!r.ok) error = r.message;
    return r.ok;
  } catch (const Error& e) {
    error = e.what();
    return false;
  }
}

CommandResult DiffusionLab::load(const std::string& data) {
  if (data != "fashion-mnist" && !is_toy2d(data) && data != "drawn")
    return CommandResult::bad("data: expected fashion-mnist, moons, swiss-roll, rings, gaussians or drawn");
  std::shared_ptr<const EpsModel> m = shipped_[data];
  if (!m && data == "drawn") {
    // no file: a fresh (untrained) 2D model until `train start` has learnt the drawing
    if (drawn_.size() < 4) {
      shipped_.erase(data);
      return CommandResult::bad("data drawn: draw at least 2 points first (tick `draw` in the 2D view and click, or `draw X Y`)");
    }
    try {
      DiffusionTrainConfig tc;
      tc.data = "points";
      tc.points = drawn_;
      m = DiffusionTrainer(tc).ema_model();
    } catch (const Error& e) {
      shipped_.erase(data);
      return CommandResult::bad(e.what());
    }
    shipped_[data] = m;
  }
  if (!m) {
    try {
      m = load_diffusion_model(diffusion_model_file(data)).model;
    } catch (const Error& e) {
      shipped_.erase(data);
      return CommandResult::bad(e.what());
    }
    shipped_[data] = m;
  }
  if (worker_) {  // loading a shipped model ends training (its loss curve stays for the same data)
    worker_->stop();
    snapshot_ = worker_->snapshot();
    worker_.reset();
  }
  if (data != data_) snapshot_.reset();
  data_ = data;
  model_ = m;
  cfg_.clip_x0 = m->dim() == 784;
  if (cfg_.steps > model_->schedule().T) cfg_.steps = model_->schedule().T;
  compare_ = DiffusionComparison{};
  compare_job_.reset();
  live_ = DiffusionLiveSamples{};
  return restart();
}

CommandResult DiffusionLab::restart() {
  if (!model_) return CommandResult::good();
  std::vector<int> labels;
  if (is_image()) labels = {label_};
  else labels.assign(size_t(points_), -1);
  try {
    sampler_ = std::make_unique<Sampler>(model_, cfg_, labels);
  } catch (const Error& e) {
    return CommandResult::bad(e.what());
  }
  playing_ = false;
  loop_ = false;
  target_ = 0;
  frames_.assign(size_t(sampler_->total_steps()) + 1, {});
  frame_x0_.assign(size_t(sampler_->total_steps()), {});
  frames_[0] = sampler_->x();
  return CommandResult::good();
}

void DiffusionLab::sync_frames() {
  if (!sampler_) return;
  const auto& tr = sampler_->trace();
  for (size_t k = 0; k < tr.size() && k + 1 < frames_.size(); ++k) {
    if (frames_[k + 1].empty()) frames_[k + 1] = tr[k].x_prev;
    if (frame_x0_[k].empty()) frame_x0_[k] = tr[k].x0;
  }
}

// [SECTION] incremental computation

namespace {
constexpr double kAppBudgetMs = 8.0;  // per frame: leaves room for drawing at 60 fps
using Clock = std::chrono::steady_clock;
// The lab's sampling runs on the caller's (the UI) thread with OpenMP/Eigen kept to that one core:
// the U-Net's matrices are small, and with a second team thread a busy machine (others compiling)
// turned each step's barriers into waits for a descheduled thread: DDPM-1000 took 40 s instead of 1 s.
// The same setting for every path keeps trajectories bit-identical however they are computed (SingleThreadScope).
double ms_since(Clock::time_point t0) { return std::chrono::duration<double, std::milli>(Clock::now() - t0).count(); }
}  // namespace

double DiffusionLab::frame_budget_ms() const {
  if (budget_ms_ > 0) return budget_ms_;
  if (budget_ms_ == 0) return -1;  // synchronous
  return clock_moves_ ? kAppBudgetMs : -1;
}

void DiffusionLab::set_compute_budget(double budget_ms, int max_steps) {
  budget_ms_ = budget_ms < 0 ? -1 : budget_ms;
  max_steps_ = std::max(0, max_steps);
}

bool DiffusionLab::computing() const {
  return (sampler_ && sampler_->steps_taken() != target_) || compare_job_ != nullptr;
}

int DiffusionLab::compare_pending_done() const { return compare_job_ ? int(compare_job_->out.samples.size()) : 0; }
int DiffusionLab::compare_pending_total() const { return compare_job_ ? int(compare_job_->out.values.size()) : 0; }

float DiffusionLab::compare_pending_fraction() const {
  if (!compare_job_ || compare_job_->out.values.empty()) return 0;
  const auto& j = *compare_job_;
  float part = j.current && j.current->total_steps() > 0 ? float(j.current->steps_taken()) / float(j.current->total_steps()) : 0;
  return (float(j.out.samples.size()) + part) / float(j.out.values.size());
}

std::string DiffusionLab::progress() const {
  char buf[160];
  if (sampler_ && sampler_->steps_taken() < target_) {
    std::snprintf(buf, sizeof buf, "computing step %d / %d", sampler_->steps_taken() + 1, target_);
    return buf;
  }
  if (compare_job_) {
    const auto& j = *compare_job_;
    const int i = int(j.out.samples.size());
    const int k = j.current ? j.current->steps_taken() : 0, n = j.current ? j.current->total_steps() : 0;
    std::snprintf(buf, sizeof buf, "computing comparison %d / %d (%s %g: step %d / %d)", i + 1, int(j.out.values.size()),
                  j.out.what.c_str(), double(j.out.values[size_t(std::min<int>(i, int(j.out.values.size()) - 1))]), k, n);
    return buf;
  }
  return {};
}

void DiffusionLab::advance(double budget_ms, int max_steps) {
  if (!sampler_) return;
  target_ = std::clamp(target_, 0, sampler_->total_steps());
  while (sampler_->steps_taken() > target_) sampler_->back();
  const SingleThreadScope one;
  const auto t0 = Clock::now();
  int n = 0;
  while (sampler_->steps_taken() < target_) {
    if (budget_ms == 0) break;
    if (n > 0 && ((budget_ms > 0 && ms_since(t0) >= budget_ms) || (max_steps > 0 && n >= max_steps))) break;
    sampler_->step();
    ++n;
  }
  sync_frames();
}

CommandResult DiffusionLab::walk(int target) {
  target_ = target;
  // synchronous: everything now; in the app only going back now, the steps forward in update()
  advance(frame_budget_ms() < 0 ? -1.0 : 0.0, 0);
  return CommandResult::good();
}

void DiffusionLab::advance_compare(double budget_ms, int max_steps, int& steps_used) {
  if (!compare_job_) return;
  CompareJob& j = *compare_job_;
  const SingleThreadScope one;
  const auto t0 = Clock::now();
  while (j.out.samples.size() < j.out.values.size()) {
    if (!j.current) {
      SamplerConfig sc = j.out.base;
      const float v = j.out.values[j.out.samples.size()];
      if (j.out.what == "guidance") sc.guidance = v;
      else sc.steps = int(v);
      try {
        j.current = std::make_unique<Sampler>(j.model, sc, j.labels);
      } catch (const Error&) {  // values were checked when the job was made; skip a bad one
        j.out.samples.push_back({});
        continue;
      }
    }
    while (!j.current->done()) {
      if (steps_used > 0 && ((budget_ms > 0 && ms_since(t0) >= budget_ms) || (max_steps > 0 && steps_used >= max_steps)))
        return;
      j.current->step();
      ++steps_used;
    }
    j.out.samples.push_back(j.current->x());
    j.current.reset();
  }
  compare_ = std::move(j.out);
  compare_job_.reset();
}

ForwardSample DiffusionLab::forward(const float* x0, int t, uint64_t seed) const {
  if (!model_) fail("diffusion: no model loaded");
  return forward_process(model_->schedule(), x0, model_->dim(), t, seed);
}

// [SECTION] forward-process view

bool DiffusionLab::load_fashion_test(std::string& error) const {
  if (fashion_test_) return true;
  if (!fashion_error_.empty()) {
    error = fashion_error_;
    return false;
  }
  try {
    fashion_test_ = std::make_unique<FashionMnist>(load_fashion_mnist("test"));
  } catch (const Error& e) {
    fashion_error_ = e.what();
    error = fashion_error_;
    return false;
  }
  fashion_by_class_.assign(kFashionClasses, {});
  for (int i = 0; i < fashion_test_->count; ++i) fashion_by_class_[fashion_test_->labels[size_t(i)]].push_back(i);
  return true;
}

int DiffusionLab::forward_count() const {
  std::string err;
  if (!load_fashion_test(err)) return 0;
  return int(fashion_by_class_[size_t(fwd_class_)].size());
}

bool DiffusionLab::forward_x0(std::vector<float>& x0, std::string& error) const {
  if (!is_image()) {
    x0 = data_points();
    return true;
  }
  if (!load_fashion_test(error)) return false;
  const auto& list = fashion_by_class_[size_t(fwd_class_)];
  if (list.empty()) {
    error = "forward: no test image of this class";
    return false;
  }
  const uint8_t* img = fashion_test_->image(list[size_t(std::min<int>(fwd_index_, int(list.size()) - 1))]);
  x0.resize(784);
  for (int i = 0; i < 784; ++i) x0[size_t(i)] = float(img[i]) / 127.5f - 1.0f;
  return true;
}

CommandResult DiffusionLab::forward_cmd(const Command& c) {
  if (c.argc() != 2) return CommandResult::bad("forward: expected class C, index I, t T or seed S");
  const std::string& what = c.arg(0);
  std::string err;
  double x = 0;
  if (what == "class") {
    int k = fashion_class_from_string(c.arg(1));
    if (k < 0) return CommandResult::bad("forward class: unknown class `" + c.arg(1) + "`");
    fwd_class_ = k;
    fwd_index_ = 0;
    return CommandResult::good();
  }
  if (what == "index") {
    int n = forward_count();
    if (n == 0 && !load_fashion_test(err)) return CommandResult::bad(err);
    if (!parse_number(c.arg(1), 0, n - 1, x, err, "forward index")) return CommandResult::bad(err);
    fwd_index_ = int(x);
    return CommandResult::good();
  }
  if (what == "t") {
    if (!parse_number(c.arg(1), 0, model_->schedule().T - 1, x, err, "forward t")) return CommandResult::bad(err);
    fwd_t_ = int(x);
    return CommandResult::good();
  }
  if (what == "seed") {
    if (!parse_number(c.arg(1), 0, 1e15, x, err, "forward seed")) return CommandResult::bad(err);
    fwd_seed_ = uint64_t(x);
    return CommandResult::good();
  }
  return CommandResult::bad("forward: expected class, index, t or seed, not `" + what + "`");
}

// [SECTION] 2D helpers

const std::vector<float>& DiffusionLab::data_points() const {
  if (data_ == "drawn") return drawn_;
  std::string key = data_ + "/" + std::to_string(points_);
  if (key != data_points_key_) {
    data_points_.clear();
    if (is_toy2d(data_)) {
      Rng rng(12345);
      data_points_ = toy2d_sample(data_, points_, rng);
    }
    data_points_key_ = key;
  }
  return data_points_;
}

const std::vector<float>& DiffusionLab::eps_field(int t, float lo, float hi, int n) const {
  char key[160];
  std::snprintf(key, sizeof key, "%p/%d/%g/%g/%d", static_cast<const void*>(model_.get()), t, lo, hi, n);
  if (key == field_key_) return field_;
  field_.assign(size_t(n) * n * 2, 0.0f);
  if (!model_ || model_->dim() != 2 || t < 0 || t >= model_->schedule().T) return field_;
  std::vector<float> xy(size_t(n) * n * 2);
  for (int r = 0; r < n; ++r)
    for (int c = 0; c < n; ++c) {
      xy[size_t(r * n + c) * 2] = lo + (c + 0.5f) / n * (hi - lo);
      xy[size_t(r * n + c) * 2 + 1] = hi - (r + 0.5f) / n * (hi - lo);
    }
  std::vector<int> tt(size_t(n) * n, t);
  const SingleThreadScope one;
  model_->predict(field_.data(), xy.data(), tt.data(), nullptr, n * n);
  field_key_ = key;
  return field_;
}

// [SECTION] presets and comparisons

CommandResult DiffusionLab::apply_preset(const std::string& name) {
  for (const auto& p : diffusion_presets()) {
    if (name != p.name) continue;
    if (!is_image() && p.about_guidance) {
      std::string names;
      for (const DiffusionPreset* q : diffusion_presets_for(false)) names += std::string(names.empty() ? "" : ", ") + q->name;
      return CommandResult::bad("preset " + name + ": the " + data_ +
                                " model has no classes, so guidance changes nothing (2D presets: " + names + ")");
    }
    SamplerConfig keep = cfg_;
    cfg_.kind = p.kind;
    cfg_.steps = std::min(p.steps, model_->schedule().T);
    cfg_.guidance = p.guidance;
    cfg_.eta = p.eta;
    CommandResult r = restart();
    if (!r.ok) {
      cfg_ = keep;
      return r;
    }
    walk(sampler_->total_steps());
    preset_ = name;
    return CommandResult::good(std::string("preset ") + p.name + ": " + diffusion_preset_summary(p, is_image()));
  }
  std::string names;
  for (const auto& p : diffusion_presets()) names += std::string(names.empty() ? "" : ", ") + p.name;
  return CommandResult::bad("preset: unknown preset `" + name + "` (expected " + names + ")");
}

CommandResult DiffusionLab::compare(const Command& c) {
  if (c.argc() == 1 && c.arg(0) == "clear") {
    compare_ = DiffusionComparison{};
    compare_job_.reset();
    return CommandResult::good();
  }
  if (c.argc() < 2 || (c.arg(0) != "guidance" && c.arg(0) != "steps"))
    return CommandResult::bad("compare: expected `compare guidance G1 G2 …`, `compare steps S1 S2 …` or `compare clear`");
  const std::string what = c.arg(0);
  if (c.argc() > 9) return CommandResult::bad("compare: at most 8 values");
  std::vector<float> values;
  std::string err;
  for (size_t i = 1; i < c.argc(); ++i) {
    double x = 0;
    if (!parse_setting(find_setting(diffusion_settings_table(), what)->spec, c.arg(i), x, err))
      return CommandResult::bad("compare: " + err);
    if (what == "steps" && x > model_->schedule().T)
      return CommandResult::bad("compare: steps " + c.arg(i) + ": this model has only " + std::to_string(model_->schedule().T) + " steps");
    values.push_back(float(x));
  }
  DiffusionComparison out;
  out.what = what;
  out.values = values;
  out.base = cfg_;
  out.base.record = false;
  out.label = is_image() ? label_ : -1;
  out.data = data_;
  auto job = std::make_unique<CompareJob>();
  job->model = model_;
  if (is_image()) job->labels = {label_};
  else job->labels.assign(size_t(points_), -1);
  for (float v : values) {  // every setting valid before anything is computed
    SamplerConfig sc = out.base;
    if (what == "guidance") sc.guidance = v;
    else sc.steps = int(v);
    try {
      Sampler check(model_, sc, job->labels);
    } catch (const Error& e) {
      return CommandResult::bad(std::string("compare: ") + e.what());
    }
  }
  job->out = std::move(out);
  compare_job_ = std::move(job);
  const double budget = frame_budget_ms();
  if (budget < 0) {
    int used = 0;
    advance_compare(-1, 0, used);
    return CommandResult::good();
  }
  compare_ = DiffusionComparison{};  // the panel shows the progress until the new one is ready
  return CommandResult::good("compare: computing " + std::to_string(values.size()) + " samplers");
}

// [SECTION] commands

CommandResult DiffusionLab::handle(const Command& c) {
  const std::string& v = c.verb();
  std::string err;
  auto arg_count = [&](size_t lo, size_t hi) { return c.argc() >= lo && c.argc() <= hi; };
  if (v == "data") {
    if (!arg_count(1, 1)) return CommandResult::bad("data: expected one name");
    return load(c.arg(0));
  }
  if (v == "train") {
    if (!arg_count(1, 1)) return CommandResult::bad("train: expected start, pause or stop");
    const std::string& a = c.arg(0);
    if (a == "start") {
      if (!worker_) {
        DiffusionTrainConfig tc;
        tc.data = data_;
        if (is_drawn()) {
          if (drawn_.size() < 4) return CommandResult::bad("train: draw at least 2 points first");
          tc.data = "points";
          tc.points = drawn_;
        }
        if (!is_image()) {
          tc.steps = is_drawn() ? 4000 : 20000;  // a drawing: learnt in about 10 s
          tc.batch = 256;
          tc.lr = 3e-3f;
          tc.warmup = 100;
          tc.label_dropout = 0;
          tc.ema_decay = 0.995f;
        } else {
          tc.steps = 5000;
          tc.batch = 32;
          tc.lr = 1.5e-3f;
        }
        try {
          worker_ = std::make_unique<DiffusionTrainWorker>(tc, is_image() ? 25 : 200);
        } catch (const Error& e) {
          return CommandResult::bad(e.what());
        }
        live_ = DiffusionLiveSamples{};
      }
      worker_->start();
      return CommandResult::good("training " + data_);
    }
    if (!worker_) return CommandResult::bad(a == "pause" || a == "stop" ? "train: not training" : "train: expected start, pause or stop");
    if (a == "pause") {
      worker_->pause();
      return CommandResult::good("training paused");
    }
    if (a == "stop") {
      worker_->stop();
      snapshot_ = worker_->snapshot();
      worker_.reset();
      return CommandResult::good("training stopped");
    }
    return CommandResult::bad("train: expected start, pause or stop");
  }
  if (v == "draw") {
    if (c.argc() == 1 && c.arg(0) == "clear") {
      drawn_.clear();
      return CommandResult::good();
    }
    if (c.argc() == 0 || c.argc() % 2 != 0) return CommandResult::bad("draw: expected X Y pairs (e.g. draw 0.5 -1) or clear");
    std::vector<float> add;
    for (size_t i = 0; i < c.argc(); ++i) {
      double x = 0;
      if (!parse_number(c.arg(i), -3, 3, x, err, i % 2 == 0 ? "draw x" : "draw y")) return CommandResult::bad(err);
      add.push_back(float(x));
    }
    if (drawn_.size() + add.size() > 2 * 2000) return CommandResult::bad("draw: at most 2000 points (draw clear to start again)");
    drawn_.insert(drawn_.end(), add.begin(), add.end());
    return CommandResult::good();
  }
  // every other command needs a model
  if (!ensure_model(err)) return CommandResult::bad(err);
  double x = 0;
  if (v == "class") {
    if (!arg_count(1, 1)) return CommandResult::bad("class: expected a name, an index 0-9 or none");
    if (!is_image()) return CommandResult::bad("class: the 2D models have no classes");
    int k = c.arg(0) == "none" ? -1 : fashion_class_from_string(c.arg(0));
    if (k < 0 && c.arg(0) != "none") return CommandResult::bad("class: unknown class `" + c.arg(0) + "` (expected T-shirt/top, Trouser, Pullover, Dress, Coat, Sandal, Shirt, Sneaker, Bag, Ankle boot, 0-9 or none)");
    label_ = k;
    preset_.clear();
    return restart();
  }
  if (v == "set" || find_setting(diffusion_settings_table(), v)) {  // `set guidance 5`, old `guidance 5`
    const bool verb_form = v != "set";
    if (c.argc() != (verb_form ? 1u : 2u))
      return CommandResult::bad(verb_form ? v + ": expected one value" : "set: expected `set NAME VALUE`");
    const std::string& name = verb_form ? v : c.arg(0);
    const std::string& word = verb_form ? c.arg(0) : c.arg(1);
    DiffusionSettings st{cfg_, points_};
    const Setting<DiffusionSettings>* which = nullptr;
    CommandResult r = apply_setting(diffusion_settings_table(), st, name, word, &which);
    if (!r.ok) return r;
    if (which->spec.name == "steps" && st.sampler.steps > model_->schedule().T)
      return CommandResult::bad("steps " + word + ": this model has only " + std::to_string(model_->schedule().T) + " steps");
    if (which->spec.name == "point-count") {
      points_ = st.points;
      return is_image() ? CommandResult::good("point-count: used by the 2D models") : restart();
    }
    SamplerConfig keep = cfg_;
    cfg_ = st.sampler;
    preset_.clear();
    CommandResult rr = restart();
    if (!rr.ok) cfg_ = keep;
    return rr.ok && rr.message.empty() ? r : rr;
  }
  if (v == "preset") {
    if (!arg_count(1, 1)) return CommandResult::bad("preset: expected one name");
    return apply_preset(c.arg(0));
  }
  if (v == "compare") return compare(c);
  if (v == "forward") return forward_cmd(c);
  if (v == "step" || v == "back") {
    double k = 1;
    if (c.argc() > 1 || (c.argc() == 1 && !parse_number(c.arg(0), 1, 10000, k, err, v))) return CommandResult::bad(err.empty() ? v + ": expected a count" : err);
    playing_ = false;
    loop_ = false;
    // step: on from where the trajectory is heading; back: from the picture shown now
    return walk(v == "step" ? std::min(sampler_->total_steps(), target_ + int(k))
                            : std::max(0, std::min(target_, sampler_->steps_taken()) - int(k)));
  }
  if (v == "run") {
    if (c.argc() > 1 || (c.argc() == 1 && c.arg(0) != "loop")) return CommandResult::bad("run: expected nothing or `loop`");
    playing_ = false;
    loop_ = c.argc() == 1;
    return walk(sampler_->total_steps());
  }
  if (v == "play") {
    loop_ = false;
    if (sampler_->done()) sampler_->reset();
    target_ = sampler_->steps_taken();
    playing_ = true;
    play_started_ = -1;
    return CommandResult::good();
  }
  if (v == "pause") {
    playing_ = false;
    loop_ = false;
    return walk(sampler_->steps_taken());  // stop where the picture is now
  }
  if (v == "budget") {
    if (!arg_count(1, 1)) return CommandResult::bad("budget: expected auto or a number of ms");
    if (c.arg(0) == "auto") {
      budget_ms_ = -1;
      return CommandResult::good();
    }
    if (!parse_number(c.arg(0), 0, 1000, x, err, "budget")) return CommandResult::bad(err);
    budget_ms_ = x;
    return CommandResult::good();
  }
  if (v == "reset") {
    preset_.clear();
    return restart();
  }
  if (v == "t") {
    if (!arg_count(1, 1) || !parse_number(c.arg(0), -1, model_->schedule().T - 1, x, err, "t"))
      return CommandResult::bad(err.empty() ? "t: expected a timestep" : err);
    const int t = int(x);
    playing_ = false;
    loop_ = false;
    // the picture at t: after every step whose timestep is above t (t = −1: all of them)
    const auto& ts = sampler_->timesteps();
    return walk(int(std::count_if(ts.begin(), ts.end(), [t](int s) { return s > t; })));
  }
  if (v == "frame") {
    if (!arg_count(1, 1) || !parse_number(c.arg(0), 0, sampler_->total_steps(), x, err, "frame"))
      return CommandResult::bad(err.empty() ? "frame: expected a step count" : err);
    playing_ = false;
    loop_ = false;
    return walk(int(x));
  }
  return CommandResult::bad("diffusion: unknown command `" + v + "`");
}

// [SECTION] per-frame update: training snapshots, live samples, play mode

namespace {
DiffusionLiveSamples draw_live_samples(std::shared_ptr<const EpsModel> model, int64_t step, int points) {
  become_background_thread();  // one core, lower priority than the UI
  DiffusionLiveSamples out;
  out.step = step;
  out.dim = model->dim();
  SamplerConfig sc;
  sc.kind = SamplerKind::ddim;
  sc.steps = std::min(20, model->schedule().T);
  sc.seed = 7;
  sc.record = false;
  if (model->num_classes() > 0) {
    sc.guidance = 3;
    for (int k = 0; k < model->num_classes(); ++k) out.labels.push_back(k);
  } else {
    sc.clip_x0 = false;
    out.labels.assign(size_t(points), -1);
  }
  out.samples = sample_batch(model, sc, out.labels, 64);
  return out;
}
}  // namespace

void DiffusionLab::update(double now) {
  if (worker_) {
    auto s = worker_->snapshot();
    if (s != snapshot_) {
      snapshot_ = s;
      // the newest trained weights are used by the next trajectory (reset / new settings)
      if (s && s->model && s->step > 0) {
        model_ = s->model;
        if (is_drawn()) shipped_["drawn"] = s->model;  // the drawing's only model: keep the newest weights
        // still at x_T (the same noise whatever the weights): the next Run / Play uses these weights
        if (sampler_ && sampler_->steps_taken() == 0 && target_ == 0 && !playing_) restart();
      }
    }
  }
  if (live_job_.valid() && live_job_.wait_for(std::chrono::seconds(0)) == std::future_status::ready) live_ = live_job_.get();
  if (!live_job_.valid() && snapshot_ && snapshot_->model && snapshot_->step != live_.step && now - live_last_ > 2.0) {
    live_last_ = now;
    live_job_ = std::async(std::launch::async, draw_live_samples, snapshot_->model, snapshot_->step, std::min(points_, 500));
  }
  if (last_now_ >= 0 && now != last_now_) clock_moves_ = true;
  last_now_ = now;
  if (!sampler_) return;
  if (playing_) {
    // the whole trajectory in about 3 s (at most the frame budget of stepping per frame)
    if (play_started_ < 0) {
      play_started_ = now;
      play_base_ = sampler_->steps_taken();
    }
    const int total = sampler_->total_steps();
    target_ = std::min(total, play_base_ + int((now - play_started_) * std::max(8.0, total / 3.0)));
  }
  const double budget = frame_budget_ms();  // < 0: headless, finish what a command left
  if (loop_ && budget > 0 && sampler_->done() && target_ == sampler_->total_steps())
    sampler_->rewind();  // the same trajectory again, replayed rather than recomputed (the cached frames stay valid)
  const auto t0 = Clock::now();
  if (sampler_->steps_taken() != target_) advance(budget < 0 ? -1 : budget, max_steps_);
  if (compare_job_) {
    double left = budget < 0 ? -1 : std::max(0.0, budget - ms_since(t0));
    int used = 0;
    if (left != 0 || budget < 0) advance_compare(left, max_steps_, used);
  }
  if (playing_ && sampler_->done()) playing_ = false;
}

std::string DiffusionLab::status() const {
  char buf[200];
  if (worker_ && snapshot_) {
    float loss = snapshot_->loss_history.empty() ? 0.0f : snapshot_->loss_history.back();
    std::snprintf(buf, sizeof buf, "training %s step %lld/%lld · loss %.4f%s", data_.c_str(), (long long)snapshot_->step,
                  (long long)snapshot_->total, loss, snapshot_->paused ? " (paused)" : "");
    return buf;
  }
  if (!sampler_) return "diffusion: model loads on first use";
  // At the end there is no timestep left: say "finished" (never "t = -1").
  const int t = sampler_->current_t();
  const std::string where = t >= 0 ? "t = " + std::to_string(t) : std::string("finished: the clean sample x_0");
  std::snprintf(buf, sizeof buf, "%s %s · step %d/%d · %s%s", data_.c_str(), sampler_name(cfg_.kind), sampler_->steps_taken(),
                sampler_->total_steps(), where.c_str(), playing_ ? " · playing" : loop_ ? " · looping" : "");
  std::string p = progress();
  return p.empty() ? std::string(buf) : std::string(buf) + " · " + p;
}

// Play, Run and comparisons step a little every frame; live samples of the network in training are drawn on a
// helper thread (polled at 10 Hz) at most every 2 s. Training snapshots wake the app from the worker.
double DiffusionLab::seconds_until_update(double now) const {
  if (playing_ || loop_ || computing()) return 0.0;
  if (live_job_.valid()) return 0.1;
  if (snapshot_ && snapshot_->model && snapshot_->step != live_.step) return std::max(0.0, live_last_ + 2.0 - now);
  return kNever;
}

}  // namespace gb
