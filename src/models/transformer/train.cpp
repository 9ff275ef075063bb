// GPT training: data split and batches, the step loop with its NaN/Inf guard, exact checkpoints,
// samples, the throughput bench, and the worker thread that publishes snapshots.
#include "models/transformer/train.hpp"

#include <omp.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/threads.hpp"
#include "core/files.hpp"
#include "core/json_in.hpp"
#include "core/memory.hpp"
#include "core/safetensors.hpp"
#include "nn/param_file.hpp"

namespace gb {

using json = nlohmann::json;

// [SECTION] config <-> JSON
std::string train_config_to_json(const TrainConfig& c) {
  json j = {{"corpus", c.corpus},
            {"n_layer", c.model.n_layer},
            {"n_head", c.model.n_head},
            {"n_embd", c.model.n_embd},
            {"block_size", c.model.block_size},
            {"vocab_size", c.model.vocab_size},
            {"batch", c.batch},
            {"steps", c.steps},
            {"lr", c.lr},
            {"lr_min", c.lr_min},
            {"warmup", c.warmup},
            {"weight_decay", c.weight_decay},
            {"beta2", c.beta2},
            {"grad_clip", c.grad_clip},
            {"val_fraction", c.val_fraction},
            {"val_every", c.val_every},
            {"val_batches", c.val_batches},
            {"checkpoint_every", c.checkpoint_every},
            {"seed", c.seed},
            {"threads", c.threads},
            {"command", c.command}};
  return j.dump();
}

TrainConfig train_config_from_json(const std::string& text, const std::string& file) {
  TrainConfig c;
  const JsonIn j = JsonIn::parse(text, file, "glassbox.train_config");
  const int64_t big = int64_t(1) << 40;
  c.corpus = j.string_or("corpus", c.corpus);
  c.model.n_layer = j.int32_or("n_layer", c.model.n_layer, 1, 256);
  c.model.n_head = j.int32_or("n_head", c.model.n_head, 1, 256);
  c.model.n_embd = j.int32_or("n_embd", c.model.n_embd, 1, 16384);
  c.model.block_size = j.int32_or("block_size", c.model.block_size, 2, 65536);
  c.model.vocab_size = j.int32_or("vocab_size", c.model.vocab_size, 2, 1000000);
  c.batch = j.int32_or("batch", c.batch, 1, 1 << 20);
  c.steps = j.integer_or("steps", c.steps, 1, big);
  c.lr = float(j.number_or("lr", c.lr, 0, 100));
  c.lr_min = float(j.number_or("lr_min", c.lr_min, 0, 100));
  c.warmup = j.integer_or("warmup", c.warmup, 0, big);
  c.weight_decay = float(j.number_or("weight_decay", c.weight_decay, 0, 100));
  c.beta2 = float(j.number_or("beta2", c.beta2, 0, 0.999999));
  c.grad_clip = float(j.number_or("grad_clip", c.grad_clip, 0, 1e9));
  c.val_fraction = j.number_or("val_fraction", c.val_fraction, 0, 0.9);
  c.val_every = j.integer_or("val_every", c.val_every, 0, big);
  c.val_batches = j.int32_or("val_batches", c.val_batches, 0, 1 << 20);
  c.checkpoint_every = j.integer_or("checkpoint_every", c.checkpoint_every, 0, big);
  c.seed = uint64_t(j.integer_or("seed", int64_t(c.seed), 0, INT64_MAX));
  c.threads = j.int32_or("threads", c.threads, 1, 1024);
  c.command = j.string_or("command", c.command);
  return c;
}

// [SECTION] data
TokenData TokenData::split(const std::vector<int32_t>& tokens, double val_fraction, int context) {
  const size_t need = size_t(context) + 1;
  if (tokens.size() < need + 1)
    fail("corpus: " + std::to_string(tokens.size()) + " tokens is too short for a context of " + std::to_string(context));
  TokenData d;
  size_t n_val = size_t(double(tokens.size()) * val_fraction);
  n_val = std::max(n_val, need);
  if (tokens.size() < n_val + need) {
    // Too small to hold out a window (e.g. the tiny corpus): validate on the training text itself.
    d.train = tokens;
    d.val = tokens;
  } else {
    d.train.assign(tokens.begin(), tokens.end() - std::ptrdiff_t(n_val));
    d.val.assign(tokens.end() - std::ptrdiff_t(n_val), tokens.end());
  }
  return d;
}

void TokenData::sample_batch(Rng& rng, int B, int T, std::vector<int32_t>& out) const {
  out.resize(size_t(B) * (T + 1));
  const uint64_t starts = train.size() - size_t(T);  // windows of T+1 tokens: start in [0, size−T−1]
  for (int b = 0; b < B; ++b) {
    const size_t s = size_t(rng.below(starts));
    std::copy_n(train.begin() + std::ptrdiff_t(s), T + 1, out.begin() + std::ptrdiff_t(b) * (T + 1));
  }
}

void TokenData::val_batch(int i, int n_batches, int B, int T, std::vector<int32_t>& out) const {
  out.resize(size_t(B) * (T + 1));
  const size_t last = val.size() - size_t(T) - 1;  // last valid start
  const size_t windows = size_t(n_batches) * B;
  for (int b = 0; b < B; ++b) {
    const size_t k = size_t(i) * B + b;
    const size_t s = windows > 1 ? last * k / (windows - 1) : 0;
    std::copy_n(val.begin() + std::ptrdiff_t(s), T + 1, out.begin() + std::ptrdiff_t(b) * (T + 1));
  }
}

// [SECTION] trainer
// Per thread (OpenMP's setting for the calling thread; Eigen reads it): a global Eigen::setNbThreads here would also
// change the app's decoding and trace threads.
static void set_threads(int threads) { omp_set_num_threads(std::max(1, threads)); }

static void split_batch(const std::vector<int32_t>& batch, int B, int T, std::vector<int32_t>& inp, std::vector<int32_t>& tgt) {
  inp.resize(size_t(B) * T);
  tgt.resize(size_t(B) * T);
  for (int b = 0; b < B; ++b) {
    const int32_t* w = batch.data() + size_t(b) * (T + 1);
    std::copy_n(w, T, inp.data() + size_t(b) * T);
    std::copy_n(w + 1, T, tgt.data() + size_t(b) * T);
  }
}

static void check_config(const TrainConfig& c) {
  const GptConfig& d = c.model;
  if (d.n_layer < 1 || d.n_head < 1 || d.n_embd < 1 || d.block_size < 2 || d.vocab_size < 2)
    fail("training: the model needs at least one layer, head and channel, a context of 2 and 2 tokens");
  if (d.n_embd % d.n_head != 0)
    fail("training: width " + std::to_string(d.n_embd) + " is not divisible by " + std::to_string(d.n_head) + " heads");
  if (c.batch < 1 || c.steps < 1) fail("training: batch and steps must be positive");
}

Trainer::Trainer(const TrainConfig& cfg, std::vector<int32_t> tokens, std::string tokenizer_json)
    : cfg_(cfg), tokenizer_json_(std::move(tokenizer_json)) {
  check_config(cfg_);
  for (int32_t t : tokens)
    if (t < 0 || t >= cfg_.model.vocab_size) fail("training: token id " + std::to_string(t) + " is outside the vocabulary");
  data_ = TokenData::split(tokens, cfg_.val_fraction, cfg_.model.block_size);
  setup();
  gpt_init_params(cfg_.model, params_, cfg_.seed);
  rng_.reseed(cfg_.seed + 1);  // batch draws: a stream of its own
}

void Trainer::setup() {
  gpt_declare_params(cfg_.model, params_);
  ix_ = gpt_param_index(cfg_.model, params_);
  opt_.config.weight_decay = cfg_.weight_decay;
  opt_.config.beta2 = cfg_.beta2;
  set_threads(cfg_.threads);
}

static bool all_finite(const std::vector<float>& v) {
  for (float x : v)
    if (!std::isfinite(x)) return false;
  return true;
}

Trainer::StepResult Trainer::step() {
  data_.sample_batch(rng_, cfg_.batch, cfg_.model.block_size, batch_);
  return step_on(batch_);
}

Trainer::StepResult Trainer::step_on(const std::vector<int32_t>& batch) {
  StepResult r;
  const int B = cfg_.batch, T = cfg_.model.block_size;
  if (batch.size() != size_t(B) * (T + 1)) fail("training: a batch must hold " + std::to_string(B) + " windows of " + std::to_string(T + 1) + " tokens");
  set_threads(cfg_.threads);
  split_batch(batch, B, T, inp_, tgt_);
  params_.zero_grad();
  r.loss = gpt_train_forward(cfg_.model, ix_, params_, inp_.data(), tgt_.data(), B, T, acts_);
  record_example(batch);
  if (!std::isfinite(r.loss)) {
    r.ok = false;
    r.message = "training stopped at step " + std::to_string(step_) + ": the loss is not a number (NaN/Inf); the last good weights are kept";
    return r;
  }
  gpt_train_backward(cfg_.model, ix_, params_, inp_.data(), acts_);
  // per-group gradient norms for the trace
  {
    example_.grad_norm_names.clear();
    example_.grad_norms.clear();
    auto group = [&](const std::string& name, auto pred) {
      double s = 0;
      for (auto& v : params_.views())
        if (pred(v.name))
          for (size_t k = 0; k < v.size; ++k) s += double(params_.grad[v.offset + k]) * params_.grad[v.offset + k];
      example_.grad_norm_names.push_back(name);
      example_.grad_norms.push_back(float(std::sqrt(s)));
    };
    group("embeddings", [](const std::string& n) { return n.starts_with("wte.") || n.starts_with("wpe."); });
    for (int l = 0; l < cfg_.model.n_layer; ++l) {
      std::string prefix = "h." + std::to_string(l) + ".";
      group("block " + std::to_string(l), [&](const std::string& n) { return n.starts_with(prefix); });
    }
    group("final norm", [](const std::string& n) { return n.starts_with("ln_f."); });
  }
  r.grad_norm = float(params_.clip_grad_norm(cfg_.grad_clip));
  if (!std::isfinite(r.grad_norm)) {
    r.ok = false;
    r.message = "training stopped at step " + std::to_string(step_) + ": the gradients are not numbers (NaN/Inf); the last good weights are kept";
    return r;
  }
  r.lr = lr_warmup_cosine(step_, cfg_.warmup, cfg_.steps, cfg_.lr, cfg_.lr_min);
  last_good_ = params_.data;
  opt_.step(params_, r.lr);
  if (!all_finite(params_.data)) {
    params_.data = last_good_;
    r.ok = false;
    r.message = "training stopped at step " + std::to_string(step_) + ": the update made a weight NaN/Inf; the last good weights are kept";
    return r;
  }
  ++step_;
  LossPoint lp;
  lp.step = step_;
  lp.train = r.loss;
  lp.lr = r.lr;
  lp.grad_norm = r.grad_norm;
  history_.push_back(lp);
  return r;
}

void Trainer::record_example(const std::vector<int32_t>& batch) {
  const int T = cfg_.model.block_size, V = cfg_.model.vocab_size;
  TrainExampleTrace& e = example_;
  e.input.assign(batch.begin(), batch.begin() + T);
  e.target.assign(batch.begin() + 1, batch.begin() + T + 1);
  e.target_prob.resize(size_t(T));
  e.token_loss.assign(acts_.token_loss.begin(), acts_.token_loss.begin() + T);
  e.top.assign(size_t(T), {});
  double s = 0;
  std::vector<int32_t> order(static_cast<size_t>(V));
  for (int t = 0; t < T; ++t) {
    const float* row = acts_.probs.data() + size_t(t) * V;
    e.target_prob[size_t(t)] = row[e.target[size_t(t)]];
    for (int v = 0; v < V; ++v) order[size_t(v)] = v;
    const int k = std::min(5, V);
    std::partial_sort(order.begin(), order.begin() + k, order.end(),
                      [&](int32_t a, int32_t b) { return row[a] > row[b] || (row[a] == row[b] && a < b); });
    for (int i = 0; i < k; ++i) e.top[size_t(t)].push_back({order[size_t(i)], row[order[size_t(i)]]});
    s += e.token_loss[size_t(t)];
  }
  e.loss = float(s / T);
}

float Trainer::validate() {
  const int B = cfg_.batch, T = cfg_.model.block_size, nb = std::max(1, cfg_.val_batches);
  set_threads(cfg_.threads);
  std::vector<int32_t> batch, inp, tgt;
  double s = 0;
  for (int i = 0; i < nb; ++i) {
    data_.val_batch(i, nb, B, T, batch);
    split_batch(batch, B, T, inp, tgt);
    s += gpt_train_forward(cfg_.model, ix_, params_, inp.data(), tgt.data(), B, T, acts_);
  }
  float v = float(s / nb);
  if (!history_.empty() && history_.back().step == step_) history_.back().val = v;
  return v;
}

std::vector<int32_t> Trainer::generate(const std::vector<int32_t>& prompt, int n, float temperature, Rng& rng) const {
  const GptConfig& d = cfg_.model;
  std::vector<int32_t> seq = prompt;
  if (seq.empty()) seq.push_back(0);
  GptActs a;
  std::vector<int32_t> dummy;
  for (int i = 0; i < n; ++i) {
    const int T = std::min<int>(int(seq.size()), d.block_size);
    std::vector<int32_t> window(seq.end() - T, seq.end());
    dummy.assign(size_t(T), 0);
    gpt_train_forward(d, ix_, params_, window.data(), dummy.data(), 1, T, a);
    const float* probs = a.probs.data() + size_t(T - 1) * d.vocab_size;  // (V) next-token distribution
    int32_t next = 0;
    if (temperature <= 0) {
      next = int32_t(std::max_element(probs, probs + d.vocab_size) - probs);
    } else {
      // p^(1/temperature), renormalised, then one uniform draw
      std::vector<double> w(size_t(d.vocab_size));
      double sum = 0;
      for (int v = 0; v < d.vocab_size; ++v) sum += w[size_t(v)] = std::pow(double(probs[v]), 1.0 / temperature);
      double u = rng.uniform() * sum, acc = 0;
      next = d.vocab_size - 1;
      for (int v = 0; v < d.vocab_size; ++v) {
        acc += w[size_t(v)];
        if (u < acc) { next = v; break; }
      }
    }
    seq.push_back(next);
  }
  return std::vector<int32_t>(seq.begin() + std::ptrdiff_t(prompt.empty() ? 1 : prompt.size()), seq.end());
}

// [SECTION] checkpoints
static std::string hex64(uint64_t v) {
  char b[17];
  std::snprintf(b, sizeof b, "%016llx", static_cast<unsigned long long>(v));
  return b;
}

static json history_json(const std::vector<LossPoint>& h, bool only_val) {
  json a = json::array();
  for (auto& p : h)
    if (!only_val || p.val >= 0) a.push_back({p.step, p.train, p.val, p.lr, p.grad_norm});
  return a;
}

void Trainer::save_state(const std::string& path) const {
  SafeTensors st;
  for (auto& v : params_.views()) {
    std::vector<int64_t> shape(v.shape.begin(), v.shape.end());
    st.add(v.name, shape, params_.data.data() + v.offset);
  }
  const int64_t n = int64_t(params_.count());
  std::vector<float> m = opt_.m, v = opt_.v;  // empty before the first step: AdamW starts from zeros
  if (m.empty()) m.assign(size_t(n), 0.0f);
  if (v.empty()) v.assign(size_t(n), 0.0f);
  st.add("optim.m", {n}, m.data());
  st.add("optim.v", {n}, v.data());
  st.add_raw("data.train", DType::I32, {int64_t(data_.train.size())}, data_.train.data(), data_.train.size() * 4);
  st.add_raw("data.val", DType::I32, {int64_t(data_.val.size())}, data_.val.data(), data_.val.size() * 4);
  json s = {{"step", step_},
            {"adam_t", opt_.t},
            {"rng", {hex64(rng_.s[0]), hex64(rng_.s[1]), hex64(rng_.s[2]), hex64(rng_.s[3])}},
            {"history", history_json(history_, false)}};
  st.metadata["glassbox.train_config"] = train_config_to_json(cfg_);
  st.metadata["glassbox.train_state"] = s.dump();
  st.metadata["glassbox.tokenizer"] = tokenizer_json_;
  write_safetensors(path, st);
}

std::unique_ptr<Trainer> Trainer::load_state(const std::string& path) { return load_state(read_safetensors(path)); }

std::unique_ptr<Trainer> Trainer::load_state(const SafeTensors& st) {
  const std::string& path = st.file;
  auto meta = [&](const char* k) -> const std::string& {
    auto it = st.metadata.find(k);
    if (it == st.metadata.end()) fail_file(path, std::string("not a training state (no `") + k + "` metadata)");
    return it->second;
  };
  std::unique_ptr<Trainer> t(new Trainer());
  t->cfg_ = train_config_from_json(meta("glassbox.train_config"), path);
  try {
    check_config(t->cfg_);
    t->cfg_.model.validate(path);
  } catch (const Error& e) {
    fail_file(path, std::string("glassbox.train_config: ") + e.what());
  }
  auto tok = st.metadata.find("glassbox.tokenizer");
  if (tok == st.metadata.end() || tok->second.empty())
    fail_file(path, "the training state has no tokenizer (its `glassbox.tokenizer` metadata is missing or empty)");
  t->tokenizer_json_ = tok->second;
  // Before allocating: the tensors the config implies are in the file, and one training step's
  // parameters, Adam moments and activations (about B·T·(20·L·C + 3·V) floats) fit in memory.
  {
    const GptConfig& d = t->cfg_.model;
    const double acts = double(t->cfg_.batch) * d.block_size * (20.0 * d.n_layer * d.n_embd + 3.0 * d.vocab_size);
    ParamSet declared;
    Gpt::declare(d, declared);
    check_params_against_file(declared, st, "", "glassbox.train_config " + d.to_json());
    check_memory((4.0 * double(declared_count(declared)) + acts) * sizeof(float), path,
                 "training this model (batch " + std::to_string(t->cfg_.batch) + ", context " + std::to_string(d.block_size) + ")");
  }
  t->setup();
  for (auto& v : t->params_.views()) {
    std::vector<int64_t> shape(v.shape.begin(), v.shape.end());
    std::vector<float> w = st.get_float(v.name, shape);
    std::copy(w.begin(), w.end(), t->params_.data.begin() + std::ptrdiff_t(v.offset));
  }
  const int64_t n = int64_t(t->params_.count());
  t->opt_.m = st.get_float("optim.m", {n});
  t->opt_.v = st.get_float("optim.v", {n});
  auto ints = [&](const char* name, std::vector<int32_t>& out) {
    const SafeTensor& x = st.get(name);
    if (x.dtype != DType::I32 || x.shape.size() != 1) fail_file(path, std::string("tensor `") + name + "` is not a 1-D I32 tensor");
    out.resize(size_t(x.shape[0]));
    if (!out.empty()) std::memcpy(out.data(), x.bytes, out.size() * 4);
    for (int32_t tok : out)
      if (tok < 0 || tok >= t->cfg_.model.vocab_size) fail_file(path, std::string("tensor `") + name + "` holds a token outside the vocabulary");
  };
  ints("data.train", t->data_.train);
  ints("data.val", t->data_.val);
  if (t->data_.train.size() < size_t(t->cfg_.model.block_size) + 1 || t->data_.val.size() < size_t(t->cfg_.model.block_size) + 1)
    fail_file(path, "the stored token data is shorter than one context window");
  const JsonIn s = JsonIn::parse(meta("glassbox.train_state"), path, "glassbox.train_state");
  const int64_t big = int64_t(1) << 40;
  t->step_ = s.integer("step", 0, big);
  t->opt_.t = s.integer("adam_t", 0, big);
  const std::vector<JsonIn> rng = s.array("rng");
  if (rng.size() != 4) fail_file(path, "glassbox.train_state.rng has " + std::to_string(rng.size()) + " words, expected 4");
  for (size_t i = 0; i < 4; ++i) t->rng_.s[i] = rng[i].as_u64_string(16);
  for (const JsonIn& p : s.array("history")) {
    LossPoint lp;
    lp.step = p.at(0).as_integer(0, big);
    lp.train = float(p.at(1).as_number(-1, 1e6));
    lp.val = float(p.at(2).as_number(-1, 1e6));
    lp.lr = float(p.at(3).as_number(0, 100));
    lp.grad_norm = float(p.at(4).as_number(0, 1e30));
    t->history_.push_back(lp);
  }
  if (t->step_ > t->cfg_.steps) s.fail_here("says step " + std::to_string(t->step_) + " of a " + std::to_string(t->cfg_.steps) + "-step run");
  return t;
}

void Trainer::save_model(const std::string& path, bool half) const {
  SafeTensors st;
  for (auto& v : params_.views()) {
    std::vector<int64_t> shape(v.shape.begin(), v.shape.end());
    st.add(v.name, shape, params_.data.data() + v.offset, half ? DType::F16 : DType::F32);
  }
  const GptConfig& d = cfg_.model;
  json config = {{"n_layer", d.n_layer}, {"n_head", d.n_head}, {"n_embd", d.n_embd},
                 {"block_size", d.block_size}, {"vocab_size", d.vocab_size}};
  float last_val = -1, last_train = -1;
  for (auto& p : history_) {
    if (p.val >= 0) last_val = p.val;
    last_train = p.train;
  }
  json record = {{"command", cfg_.command},
                 {"seed", cfg_.seed},
                 {"steps", step_},
                 {"batch", cfg_.batch},
                 {"tokens_seen", int64_t(step_) * cfg_.batch * d.block_size},
                 {"corpus", cfg_.corpus},
                 {"final_train_loss", last_train},
                 {"final_val_loss", last_val},
                 {"config", json::parse(train_config_to_json(cfg_))},
                 {"losses", history_json(history_, true)}};
  st.metadata["glassbox.config"] = config.dump();
  st.metadata["glassbox.tokenizer"] = tokenizer_json_;
  st.metadata["glassbox.training"] = record.dump();
  write_safetensors(path, st);
}

// [SECTION] bench
double bench_train_tokens_per_s(const GptConfig& d, int B, int T, int steps, int threads, double* cpu_tokens_per_s) {
  TrainConfig c;
  c.model = d;
  c.model.block_size = std::max(c.model.block_size, T);
  c.batch = B;
  c.steps = steps + 1;
  c.threads = threads;
  c.warmup = 1;
  Rng rng(5);
  std::vector<int32_t> tokens(size_t(B) * (T + 1) * 8 + 10 * size_t(T));
  for (auto& t : tokens) t = int32_t(rng.below(uint64_t(d.vocab_size)));
  Trainer tr(c, tokens, "");
  tr.step();  // warm-up: allocations, caches
  auto t0 = std::chrono::steady_clock::now();
  const std::clock_t c0 = std::clock();
  for (int i = 0; i < steps; ++i) tr.step();
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const double cpu = double(std::clock() - c0) / CLOCKS_PER_SEC;
  if (cpu_tokens_per_s) *cpu_tokens_per_s = double(steps) * B * c.model.block_size / std::max(cpu, 1e-9);
  return double(steps) * B * c.model.block_size / s;
}

// [SECTION] worker
const char* train_state_name(TrainSnapshot::State s) {
  switch (s) {
    case TrainSnapshot::State::running: return "running";
    case TrainSnapshot::State::paused: return "paused";
    case TrainSnapshot::State::finished: return "finished";
    case TrainSnapshot::State::failed: return "failed";
    case TrainSnapshot::State::stopped: return "stopped";
  }
  return "?";
}

TrainWorker::TrainWorker(std::unique_ptr<Trainer> trainer, std::function<std::string(const std::vector<int32_t>&)> decode)
    : trainer_(std::move(trainer)), decode_(std::move(decode)) {
  publish(TrainSnapshot::State::paused, "", false);
}

TrainWorker::~TrainWorker() { bg_.stop(); }

void TrainWorker::start() {
  bg_.start({.on_start = nullptr,
             .step = [this] { return train_one(); },
             .on_pause = [this] { publish(TrainSnapshot::State::paused, "", false); },
             .on_end = [this](BackgroundTrainer<TrainSnapshot>::End e, const std::string& why) { finish(e, why); }});
}

void TrainWorker::pause() { bg_.pause(); }
void TrainWorker::resume() { bg_.resume(); }
void TrainWorker::stop() { bg_.request_stop(); }
void TrainWorker::join() { bg_.join(); }
std::shared_ptr<const TrainSnapshot> TrainWorker::snapshot() const { return bg_.snapshot(); }

void TrainWorker::publish(TrainSnapshot::State st, const std::string& message, bool with_samples) {
  auto s = std::make_shared<TrainSnapshot>();
  const Trainer& t = *trainer_;
  s->state = st;
  s->message = message;
  s->step = t.steps_done();
  s->total_steps = t.config().steps;
  s->weights = std::make_shared<const std::vector<float>>(t.params().data);
  s->weights_version = ++weights_version_;
  s->history = t.history();
  if (with_samples && decode_) {
    Rng rng(t.config().seed * 7919 + uint64_t(t.steps_done()));  // its own stream: training is untouched
    std::vector<int32_t> prompt(t.data().val.begin(), t.data().val.begin() + 1);
    samples_.clear();
    samples_.push_back(decode_(t.generate(prompt, 48, 0.0f, rng)));
    samples_.push_back(decode_(t.generate(prompt, 48, 0.8f, rng)));
  }
  s->samples = samples_;
  s->example = t.last_example();
  s->tokens_per_s = tokens_per_s_;
  bg_.publish(std::move(s));
}

// On the worker thread (BackgroundTrainer's loop; it lowers the thread's priority).
bool TrainWorker::train_one() {
  Trainer& t = *trainer_;
  const TrainConfig& c = t.config();
  if (t.done()) return false;
  auto t0 = std::chrono::steady_clock::now();
  Trainer::StepResult r = t.step();
  if (!r.ok) {
    step_error_ = r.message;
    return false;
  }
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  double tps = double(c.batch) * c.model.block_size / std::max(s, 1e-9);
  tokens_per_s_ = tokens_per_s_ == 0 ? tps : 0.9 * tokens_per_s_ + 0.1 * tps;
  const int64_t k = t.steps_done();
  const bool val = c.val_every > 0 && (k % c.val_every == 0 || t.done());
  if (val) t.validate();
  if (c.checkpoint_every > 0 && k % c.checkpoint_every == 0 && !checkpoint_path_.empty()) t.save_state(checkpoint_path_);
  if (k % std::max(1, publish_every_) == 0 || val) publish(TrainSnapshot::State::running, "", val);
  return true;
}

void TrainWorker::finish(BackgroundTrainer<TrainSnapshot>::End e, const std::string& why) {
  using End = BackgroundTrainer<TrainSnapshot>::End;
  TrainSnapshot::State end = e == End::stopped ? TrainSnapshot::State::stopped : TrainSnapshot::State::finished;
  std::string message = why;
  if (e == End::failed || !step_error_.empty()) {
    end = TrainSnapshot::State::failed;
    if (message.empty()) message = step_error_;
  } else {
    try {
      if (!checkpoint_path_.empty()) trainer_->save_state(checkpoint_path_);
    } catch (const std::exception& ex) {
      end = TrainSnapshot::State::failed;
      message = ex.what();
    }
  }
  step_error_.clear();
  publish(end, message, false);
}

}  // namespace gb
