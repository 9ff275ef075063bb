// Diffusion training: trainer, checkpoints, model files, worker thread.
#include "models/diffusion/train.hpp"


#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cmath>
#include <cstring>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/files.hpp"
#include "core/threads.hpp"
#include "core/json_in.hpp"
#include "core/safetensors.hpp"
#include "models/data/toy2d.hpp"
#include "nn/param_file.hpp"

namespace gb {

// [SECTION] model files
std::string default_diffusion_model_path() { return assets_dir() + "/models/fashion-diffusion.safetensors"; }

static const ParamSet& params_of(const EpsModel& m) {
  if (auto* u = dynamic_cast<const UNet*>(&m)) return u->params;
  if (auto* p = dynamic_cast<const Mlp2d*>(&m)) return p->params;
  fail("diffusion: unknown model type");
}

void save_diffusion_model(const std::string& path, const EpsModel& model, const std::vector<float>& weights, bool fp16,
                          const std::map<std::string, std::string>& metadata) {
  const ParamSet& P = params_of(model);
  if (weights.size() != P.data.size()) fail("save_diffusion_model: weights do not match the model");
  SafeTensors st;
  st.metadata = metadata;
  const NoiseSchedule& s = model.schedule();
  st.metadata["glassbox.schedule"] = nlohmann::json{{"kind", schedule_name(s.kind)}, {"T", s.T}}.dump();
  if (auto* u = dynamic_cast<const UNet*>(&model)) {
    st.metadata["glassbox.model"] = "diffusion-unet";
    st.metadata["glassbox.config"] = u->config().to_json();
  } else {
    st.metadata["glassbox.model"] = "diffusion-2d";
    st.metadata["glassbox.config"] = dynamic_cast<const Mlp2d&>(model).config().to_json();
  }
  for (const ParamView& v : P.views()) {
    std::vector<int64_t> shape(v.shape.begin(), v.shape.end());
    st.add(v.name, shape, weights.data() + v.offset, fp16 ? DType::F16 : DType::F32);
  }
  write_safetensors(path, st);
}

static void load_weights(ParamSet& P, const SafeTensors& st, const std::string& prefix) {
  for (size_t i = 0; i < P.views().size(); ++i) {
    const ParamView& v = P.views()[i];
    std::vector<int64_t> shape(v.shape.begin(), v.shape.end());
    std::vector<float> d = st.get_float(prefix + v.name, shape);
    std::copy(d.begin(), d.end(), P.ptr(i));
  }
}

DiffusionModelFile load_diffusion_model(const std::string& path) {
  if (!file_exists(path)) fail_file(path, "no such model file");
  SafeTensors st = read_safetensors(path);
  auto meta = [&](const char* k) {
    auto it = st.metadata.find(k);
    if (it == st.metadata.end()) fail_file(path, std::string("not a Glassbox diffusion model (no `") + k + "` metadata)");
    return it->second;
  };
  std::string kind = meta("glassbox.model");
  NoiseSchedule sched;
  {
    const JsonIn j = JsonIn::parse(meta("glassbox.schedule"), path, "glassbox.schedule");
    const std::string k = j.string("kind");
    if (k != "linear" && k != "cosine") fail_file(path, "glassbox.schedule.kind is \"" + k + "\", expected \"linear\" or \"cosine\"");
    sched = NoiseSchedule::make(schedule_from_name(k), j.int32("T", 2, 100000));
  }
  DiffusionModelFile f;
  f.metadata = st.metadata;
  try {
    const std::string config = meta("glassbox.config");
    if (kind == "diffusion-unet") {
      const UNetConfig c = UNetConfig::from_json(config, path);
      ParamFileCheck check(st, "", "glassbox.config " + c.to_json());  // shapes and memory, before allocating
      auto u = std::make_shared<UNet>(c, sched);
      load_weights(u->params, st, "");
      f.model = u;
    } else if (kind == "diffusion-2d") {
      const Mlp2dConfig c = Mlp2dConfig::from_json(config, path);
      ParamFileCheck check(st, "", "glassbox.config " + c.to_json());
      auto m = std::make_shared<Mlp2d>(c, sched);
      load_weights(m->params, st, "");
      f.model = m;
    } else {
      fail("unknown model kind `" + kind + "` (expected diffusion-unet or diffusion-2d)");
    }
  } catch (const Error& e) {
    std::string w = e.what();
    if (w.rfind(path, 0) == 0) throw;
    fail_file(path, w);
  }
  return f;
}

// [SECTION] trainer
DiffusionTrainer::DiffusionTrainer(const DiffusionTrainConfig& config)
    : config_(config), schedule_(NoiseSchedule::make(config.schedule, config.T)), rng_(config.seed) {
  if (config_.batch < 1 || config_.batch > 100000) fail("diffusion training: batch must be 1..100000");
  if (config_.steps < 1) fail("diffusion training: steps must be positive");
  Rng init_rng(config_.seed * 7919 + 17);
  if (config_.data == "fashion-mnist") {
    images_ = load_fashion_mnist("train");
    unet_ = std::make_unique<UNet>(config_.unet, schedule_);
    unet_->init(init_rng);
  } else if (is_toy2d(config_.data) || config_.data == "points") {
    if (config_.data == "points" && config_.points.size() < 4) fail("diffusion training: draw at least 2 points");
    mlp_ = std::make_unique<Mlp2d>(config_.mlp, schedule_);
    mlp_->init(init_rng);
  } else {
    fail("unknown training data `" + config_.data + "` (fashion-mnist, swiss-roll, moons, rings, gaussians)");
  }
  opt_.config.weight_decay = config_.weight_decay;
  ema_ = params().data;
}

ParamSet& DiffusionTrainer::params() { return unet_ ? unet_->params : mlp_->params; }

void DiffusionTrainer::sample_batch(std::vector<float>& x0, std::vector<int>& labels) {
  const int B = config_.batch;
  labels.assign(B, -1);
  if (unet_) {
    x0.resize(size_t(B) * 784);
    for (int b = 0; b < B; ++b) {
      int i = int(rng_.below(uint64_t(images_.count)));
      const uint8_t* img = images_.image(i);
      for (int k = 0; k < 784; ++k) x0[size_t(b) * 784 + k] = img[k] / 127.5f - 1.0f;  // [-1, 1]
      labels[b] = rng_.uniform_f() < config_.label_dropout ? -1 : images_.labels[i];
    }
  } else if (config_.data == "points") {
    x0.resize(size_t(B) * 2);
    const int n = int(config_.points.size() / 2);
    for (int b = 0; b < B; ++b) {
      int i = int(rng_.below(uint64_t(n)));
      x0[2 * b] = config_.points[2 * size_t(i)] + 0.02f * rng_.normal_f();  // a little jitter
      x0[2 * b + 1] = config_.points[2 * size_t(i) + 1] + 0.02f * rng_.normal_f();
    }
  } else {
    x0 = toy2d_sample(config_.data, B, rng_);
  }
}

float DiffusionTrainer::train_step() {
  const int B = config_.batch;
  std::vector<float> x0, xt, eps, pred;
  std::vector<int> labels, t(B);
  sample_batch(x0, labels);
  const int D = unet_ ? 784 : 2;
  xt.resize(x0.size());
  eps.resize(x0.size());
  pred.resize(x0.size());
  for (int b = 0; b < B; ++b) {
    t[b] = int(rng_.below(uint64_t(schedule_.T)));
    fill_normal(eps.data() + size_t(b) * D, D, rng_);
    q_sample(xt.data() + size_t(b) * D, x0.data() + size_t(b) * D, eps.data() + size_t(b) * D, D, schedule_, t[b]);
  }
  if (unet_) unet_->forward(unet_work_, pred.data(), xt.data(), t.data(), labels.data(), B);
  else mlp_->forward(mlp_work_, pred.data(), xt.data(), t.data(), B);
  // loss = mean (ε̂ − ε)²; d loss / d ε̂ = 2 (ε̂ − ε) / (B·D)
  double loss = 0;
  std::vector<float> d(x0.size());
  const float k = 2.0f / float(x0.size());
  for (size_t i = 0; i < x0.size(); ++i) {
    float e = pred[i] - eps[i];
    loss += double(e) * e;
    d[i] = k * e;
  }
  loss /= double(x0.size());
  ParamSet& P = params();
  P.zero_grad();
  if (unet_) unet_->backward(unet_work_, d.data());
  else mlp_->backward(mlp_work_, d.data());
  if (!std::isfinite(loss)) fail("diffusion training: loss is not finite at step " + std::to_string(step_));
  if (config_.grad_clip > 0) P.clip_grad_norm(config_.grad_clip);
  opt_.step(P, lr_warmup_cosine(step_, config_.warmup, config_.steps, config_.lr, config_.lr_min));
  const float decay = std::min(config_.ema_decay, float(1 + step_) / float(10 + step_));
  for (size_t i = 0; i < ema_.size(); ++i) ema_[i] = decay * ema_[i] + (1 - decay) * P.data[i];
  ++step_;
  losses_.push_back(float(loss));
  return float(loss);
}

std::shared_ptr<EpsModel> DiffusionTrainer::ema_model() const {
  if (unet_) {
    auto m = std::make_shared<UNet>(unet_->config(), schedule_);
    m->params.data = ema_;
    return m;
  }
  auto m = std::make_shared<Mlp2d>(mlp_->config(), schedule_);
  m->params.data = ema_;
  return m;
}

static std::string train_json(const DiffusionTrainConfig& c, int64_t step) {
  return nlohmann::json{{"data", c.data},   {"steps", c.steps}, {"batch", c.batch},     {"lr", c.lr},
                        {"seed", c.seed},   {"step", step},     {"ema", c.ema_decay},   {"label_dropout", c.label_dropout}}
      .dump();
}

void DiffusionTrainer::save_model(const std::string& path, bool fp16, const std::map<std::string, std::string>& extra) const {
  std::map<std::string, std::string> meta = extra;
  meta["glassbox.train"] = train_json(config_, step_);
  meta["glassbox.data"] = config_.data;
  const EpsModel& m = unet_ ? static_cast<const EpsModel&>(*unet_) : static_cast<const EpsModel&>(*mlp_);
  save_diffusion_model(path, m, ema_, fp16, meta);
}

void DiffusionTrainer::save_checkpoint(const std::string& path) const {
  SafeTensors st;
  st.metadata["glassbox.checkpoint"] = train_json(config_, step_);
  std::string rs;
  for (uint64_t w : rng_.s) rs += std::to_string(w) + " ";
  st.metadata["glassbox.rng"] = rs;
  st.metadata["glassbox.adam_t"] = std::to_string(opt_.t);
  const std::vector<float>& w = unet_ ? unet_->params.data : mlp_->params.data;
  const int64_t n = int64_t(w.size());
  st.add("weights", {n}, w.data());
  st.add("ema", {n}, ema_.data());
  if (opt_.m.size() == w.size()) {
    st.add("adam.m", {n}, opt_.m.data());
    st.add("adam.v", {n}, opt_.v.data());
  }
  st.add("losses", {int64_t(losses_.size())}, losses_.data());
  write_safetensors(path, st);
}

void DiffusionTrainer::load_checkpoint(const std::string& path) {
  SafeTensors st = read_safetensors(path);
  auto meta = [&](const char* k) -> const std::string& {
    auto it = st.metadata.find(k);
    if (it == st.metadata.end()) fail_file(path, std::string("not a diffusion training checkpoint (no `") + k + "` metadata)");
    return it->second;
  };
  const JsonIn j = JsonIn::parse(meta("glassbox.checkpoint"), path, "glassbox.checkpoint");
  const std::string data = j.string("data");
  if (data != config_.data)
    fail_file(path, "checkpoint was made for data `" + data + "`, this run trains on `" + config_.data + "`");
  const int64_t step = j.integer("step", 0, int64_t(1) << 40);
  // Read everything into locals first: a damaged state leaves the trainer as it was.
  const int64_t n = int64_t(params().data.size());
  std::vector<float> w = st.get_float("weights", {n}), ema = st.get_float("ema", {n}), m, v;
  if (st.find("adam.m") || st.find("adam.v")) {
    m = st.get_float("adam.m", {n});
    v = st.get_float("adam.v", {n});
  }
  const std::string& adam_t = meta("glassbox.adam_t");
  char* end = nullptr;
  errno = 0;
  const long long t = std::strtoll(adam_t.c_str(), &end, 10);
  if (adam_t.empty() || *end || errno == ERANGE || t < 0 || t > (int64_t(1) << 40))
    fail_file(path, "glassbox.adam_t is \"" + adam_t.substr(0, 40) + "\", expected the Adam step count (a whole number from 0 to 2^40)");
  std::istringstream rs(meta("glassbox.rng"));
  Rng rng = rng_;
  for (auto& word : rng.s)
    if (!(rs >> word)) fail_file(path, "glassbox.rng does not hold the random generator's 4 state words");
  std::vector<float> losses = st.get("losses").to_float();
  params().data = std::move(w);
  ema_ = std::move(ema);
  opt_.m = std::move(m);
  opt_.v = std::move(v);
  opt_.t = t;
  losses_ = std::move(losses);
  step_ = step;
  rng_ = rng;
}

// [SECTION] worker thread
DiffusionTrainWorker::DiffusionTrainWorker(const DiffusionTrainConfig& config, int publish_every)
    : trainer_(config), publish_every_(std::max(1, publish_every)) {
  publish(false);
}

DiffusionTrainWorker::~DiffusionTrainWorker() { stop(); }

void DiffusionTrainWorker::publish(bool running) {
  auto s = std::make_shared<DiffusionTrainSnapshot>();
  s->step = trainer_.step();
  s->total = trainer_.config().steps;
  s->loss_history = trainer_.loss_history();
  s->model = trainer_.ema_model();
  s->running = running;
  s->finished = trainer_.finished();
  s->paused = bg_.pause_requested();
  if (auto prev = bg_.snapshot()) s->error = prev->error;
  bg_.publish(std::move(s));
}

// The worker thread's GEMMs stay on one core, at lower priority (BackgroundTrainer): without it
// OpenMP spreads every small GEMM over all cores and training in the app runs ~50x slower than in the CLI.
void DiffusionTrainWorker::start() {
  using End = BackgroundTrainer<DiffusionTrainSnapshot>::End;
  bg_.start({.on_start = nullptr,
             .step = [this] { return train_one(); },
             .on_pause = [this] { publish(false); },
             .on_end = [this](End e, const std::string& why) {
               if (e != End::failed) return publish(false);
               auto s = std::make_shared<DiffusionTrainSnapshot>();
               s->step = trainer_.step();
               s->total = trainer_.config().steps;
               s->loss_history = trainer_.loss_history();
               s->error = why;
               if (auto prev = bg_.snapshot()) s->model = prev->model;
               bg_.publish(std::move(s));
             }});
}

void DiffusionTrainWorker::pause() { bg_.pause(); }

void DiffusionTrainWorker::stop() { bg_.stop(); }

std::shared_ptr<const DiffusionTrainSnapshot> DiffusionTrainWorker::snapshot() const { return bg_.snapshot(); }

bool DiffusionTrainWorker::train_one() {
  if (trainer_.finished()) return false;
  trainer_.train_step();
  if (on_step) on_step(trainer_);
  if (trainer_.step() % publish_every_ == 0) publish(true);
  return true;
}

}  // namespace gb
