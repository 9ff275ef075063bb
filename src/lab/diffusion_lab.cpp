// DiffusionLab: commands over the diffusion sampler and trainer.
#include "lab/diffusion_lab.hpp"

#include <cstdio>

#include "core/error.hpp"
#include "core/files.hpp"
#include "core/idx.hpp"

namespace gb {

std::string diffusion_model_file(const std::string& data) {
  if (data == "fashion-mnist") return default_diffusion_model_path();
  return assets_dir() + "/models/" + data + "-2d-diffusion.safetensors";
}

DiffusionLab::DiffusionLab() = default;
DiffusionLab::~DiffusionLab() = default;

std::vector<PanelInfo> DiffusionLab::panels() const {
  return {
      {"diffusion.sampler", "Sampler (from noise to a picture)"},
      {"diffusion.step", "One denoising step (x_t, predicted noise, predicted x_0)"},
      {"diffusion.filmstrip", "Filmstrip (the whole trajectory)"},
      {"diffusion.schedule", "Noise schedule (beta_t, alpha_t, alpha-bar_t)"},
      {"diffusion.forward", "Forward process (adding noise to a real image)"},
      {"diffusion.compare", "Compare (same seed, different settings)"},
      {"diffusion.points", "2D points (a cloud flowing onto a shape)"},
      {"diffusion.training", "Training (loss and live samples)"},
  };
}

std::vector<CommandHelp> DiffusionLab::commands() const {
  return {
      {"data fashion-mnist|moons|swiss-roll|rings|gaussians", "which model to sample from (the shipped file)"},
      {"class NAME|INDEX|none", "class to draw, e.g. Sneaker or 7 (none = unconditional)"},
      {"seed S", "random seed: the same seed gives the same picture"},
      {"guidance G", "classifier-free guidance, -10..20 (1 = none, 0 = unconditional)"},
      {"sampler ddpm|ddim", "ancestral DDPM or deterministic DDIM"},
      {"steps N", "denoising steps, 1..1000"},
      {"eta X", "DDIM noise, 0..1"},
      {"step [K]", "take K denoising steps (default 1)"},
      {"back [K]", "undo K steps"},
      {"run", "denoise to the end"},
      {"reset", "back to pure noise"},
      {"t T", "go to timestep T (forwards or backwards along the trajectory)"},
      {"train start|pause|stop", "train a fresh model of the current data on a worker thread"},
  };
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
  if (data != "fashion-mnist" && !is_toy2d(data))
    return CommandResult::bad("data: expected fashion-mnist, moons, swiss-roll, rings or gaussians");
  std::string path = diffusion_model_file(data);
  DiffusionModelFile f;
  try {
    f = load_diffusion_model(path);
  } catch (const Error& e) {
    return CommandResult::bad(e.what());
  }
  data_ = data;
  model_ = f.model;
  cfg_.clip_x0 = f.is_image();
  if (cfg_.steps > model_->schedule().T) cfg_.steps = model_->schedule().T;
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
  return CommandResult::good();
}

ForwardSample DiffusionLab::forward(const float* x0, int t, uint64_t seed) const {
  if (!model_) fail("diffusion: no model loaded");
  return forward_process(model_->schedule(), x0, model_->dim(), t, seed);
}

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
        if (!is_image()) {
          tc.steps = 20000;
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
      }
      worker_->start();
      return CommandResult::good("training " + data_);
    }
    if (!worker_) return CommandResult::bad("train: not training");
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
  // every other command needs a model
  if (!ensure_model(err)) return CommandResult::bad(err);
  double x = 0;
  if (v == "class") {
    if (!arg_count(1, 1)) return CommandResult::bad("class: expected a name, an index 0-9 or none");
    if (!is_image()) return CommandResult::bad("class: the 2D models have no classes");
    int k = c.arg(0) == "none" ? -1 : fashion_class_from_string(c.arg(0));
    if (k < 0 && c.arg(0) != "none") return CommandResult::bad("class: unknown class `" + c.arg(0) + "`");
    label_ = k;
    return restart();
  }
  if (v == "seed" || v == "guidance" || v == "steps" || v == "eta") {
    if (!arg_count(1, 1)) return CommandResult::bad(v + ": expected one number");
    const double lo = v == "guidance" ? -10 : 0, hi = v == "guidance" ? 20 : v == "eta" ? 1 : v == "steps" ? model_->schedule().T : 1e15;
    if (!parse_number(c.arg(0), v == "steps" ? 1 : lo, hi, x, err, v)) return CommandResult::bad(err);
    SamplerConfig keep = cfg_;
    if (v == "seed") cfg_.seed = uint64_t(x);
    if (v == "guidance") cfg_.guidance = float(x);
    if (v == "steps") cfg_.steps = int(x);
    if (v == "eta") cfg_.eta = float(x);
    CommandResult r = restart();
    if (!r.ok) cfg_ = keep;
    return r;
  }
  if (v == "sampler") {
    if (!arg_count(1, 1)) return CommandResult::bad("sampler: expected ddpm or ddim");
    try {
      cfg_.kind = sampler_from_name(c.arg(0));
    } catch (const Error& e) {
      return CommandResult::bad(e.what());
    }
    return restart();
  }
  if (v == "step" || v == "back") {
    double k = 1;
    if (c.argc() > 1 || (c.argc() == 1 && !parse_number(c.arg(0), 1, 10000, k, err, v))) return CommandResult::bad(err.empty() ? v + ": expected a count" : err);
    for (int i = 0; i < int(k); ++i) {
      if (v == "step") {
        if (sampler_->done()) break;
        sampler_->step();
      } else if (!sampler_->back()) {
        break;
      }
    }
    return CommandResult::good();
  }
  if (v == "run") {
    sampler_->run();
    return CommandResult::good();
  }
  if (v == "reset") return restart();
  if (v == "t") {
    if (!arg_count(1, 1) || !parse_number(c.arg(0), -1, model_->schedule().T - 1, x, err, "t"))
      return CommandResult::bad(err.empty() ? "t: expected a timestep" : err);
    const int t = int(x);
    while (sampler_->steps_taken() > 0 && sampler_->trace().back().t <= t) sampler_->back();  // back up to t
    sampler_->run_to(t);
    return CommandResult::good();
  }
  return CommandResult::bad("diffusion: unknown command `" + v + "`");
}

void DiffusionLab::update(double) {
  if (!worker_) return;
  auto s = worker_->snapshot();
  if (s == snapshot_) return;
  snapshot_ = s;
  // the newest trained weights are used by the next trajectory (reset / new settings)
  if (s && s->model && s->step > 0) model_ = s->model;
}

std::string DiffusionLab::status() const {
  char buf[160];
  if (worker_ && snapshot_) {
    float loss = snapshot_->loss_history.empty() ? 0.0f : snapshot_->loss_history.back();
    std::snprintf(buf, sizeof buf, "training %s step %lld/%lld · loss %.4f%s", data_.c_str(), (long long)snapshot_->step,
                  (long long)snapshot_->total, loss, snapshot_->paused ? " (paused)" : "");
    return buf;
  }
  if (!sampler_) return "idle";
  std::snprintf(buf, sizeof buf, "%s %s · step %d/%d · t = %d", data_.c_str(), sampler_name(cfg_.kind), sampler_->steps_taken(),
                sampler_->total_steps(), sampler_->current_t());
  return buf;
}

}  // namespace gb
