// TransformerLab's background training: `train start|pause|resume|stop|use`. The corpus is encoded
// and the Trainer built on a helper thread; a TrainWorker then trains while the UI keeps drawing and
// picks up its snapshots in update().
#include <algorithm>
#include <chrono>
#include <cstring>

#include "core/error.hpp"
#include "lab/transformer_lab_impl.hpp"
#include "models/data/corpus.hpp"

namespace gb {

namespace {

// Corpus → tokens → Trainer (runs on a helper thread). `init` (may be empty) replaces the fresh weights.
std::unique_ptr<Trainer> prepare_trainer(TrainConfig cfg, Tokenizer tok, std::string corpus,
                                         std::shared_ptr<const Gpt> init) {
  std::string text = load_corpus(corpus);
  std::vector<int> enc = tok.encode(text);
  std::vector<int32_t> tokens(enc.begin(), enc.end());
  // The tiny corpus is a handful of stories on purpose (to show memorisation); repeat it until a
  // model with a long context (the shipped one: 128 tokens) has enough windows to train on.
  if (corpus == "tiny" && !enc.empty())
    while (tokens.size() < size_t(cfg.model.block_size) * 4) tokens.insert(tokens.end(), enc.begin(), enc.end());
  if (tokens.size() < size_t(cfg.model.block_size) * 4)
    fail("training: the corpus is too short for the context of " + std::to_string(cfg.model.block_size) + " tokens");
  auto tr = std::make_unique<Trainer>(cfg, std::move(tokens), tok.to_json().dump());
  if (init) {
    ParamSet& p = tr->mutable_params();
    for (auto& v : p.views()) {
      const ParamView* src = init->params.find(v.name);
      if (!src || src->size != v.size) fail("training: the loaded model has no tensor " + v.name + " of the right size");
      std::memcpy(p.data.data() + v.offset, init->params.data.data() + src->offset, v.size * sizeof(float));
    }
  }
  return tr;
}

}  // namespace

std::shared_ptr<const TrainSnapshot> TransformerLab::training() const { return impl_->snap; }

bool TransformerLab::training_preparing() const { return impl_->prep.valid(); }

std::string TransformerLab::training_error() const { return impl_->train_error; }

void TransformerLab::update_training() {
  Impl& m = *impl_;
  if (m.prep.valid() && m.prep.wait_for(std::chrono::seconds(0)) == std::future_status::ready) {
    try {
      std::unique_ptr<Trainer> tr = m.prep.get();
      Tokenizer tok = m.tok;
      m.train = std::make_unique<TrainWorker>(std::move(tr), [tok](const std::vector<int32_t>& ids) {
        std::string s;
        for (int32_t id : ids)
          if (id >= 0 && id < tok.vocab_size()) s += tok.token_bytes(id);
        return s;
      });
      m.train->set_publish_every(5);
      m.train->start();
      m.train_error.clear();
    } catch (const std::exception& e) {
      m.train_error = e.what();
      notes_.push_back(std::string("Training could not start: ") + e.what());
    }
  }
  if (m.train) {
    auto s = m.train->snapshot();
    if (s && s != m.snap) m.snap = s;
  }
}

CommandResult TransformerLab::do_train(const Command& c) {
  Impl& m = *impl_;
  const char* usage = "train: expected `train start [from-scratch|from-shipped] [corpus stories|tiny] [steps N]`, `train pause`, `train resume`, "
                      "`train stop` or `train use`";
  if (c.argc() < 1) return CommandResult::bad(usage);
  const std::string& sub = c.arg(0);
  bool active = m.train && m.snap &&
                (m.snap->state == TrainSnapshot::State::running || m.snap->state == TrainSnapshot::State::paused);
  if (sub == "start") {
    if (m.prep.valid()) return CommandResult::bad("train start: the training data is still being prepared");
    if (active) return CommandResult::bad("train start: training is already under way (train pause, resume or stop)");
    if (!m.model) return CommandResult::bad("train start: no model loaded");
    bool scratch = false;
    long long steps = 2000;
    std::string corpus = m.info.format == "random" ? "tiny" : "stories";
    for (size_t i = 1; i < c.argc(); ++i) {
      const std::string& w = c.arg(i);
      if (w == "from-scratch") scratch = true;
      else if (w == "from-shipped" || w == "from-model") scratch = false;
      else if (w == "corpus" && i + 1 < c.argc()) {
        corpus = c.arg(++i);
        if (corpus != "stories" && corpus != "tiny")
          return CommandResult::bad("train start: corpus `" + corpus + "` is not one of stories, tiny");
      } else if (w == "steps" && i + 1 < c.argc()) {
        double d = 0;
        std::string err;
        if (!parse_number(c.arg(i + 1), 1, 1e6, d, err, "train steps")) return CommandResult::bad(err);
        steps = (long long)d;
        ++i;
      } else {
        return CommandResult::bad(std::string("train start: unknown option `") + w + "`. " + usage);
      }
    }
    if (m.model->config.param_count() > 30'000'000)
      return CommandResult::bad("train start: this model has " + std::to_string(m.model->config.param_count() / 1'000'000) +
                                "M parameters, too many to train here; load the shipped model first");
    TrainConfig cfg;
    cfg.model = m.model->config;
    cfg.model.vocab_size = m.model->config.vocab_size;
    cfg.batch = 8;
    cfg.steps = steps;
    cfg.lr = scratch ? 2e-3f : 3e-4f;
    cfg.lr_min = scratch ? 2e-4f : 3e-5f;
    cfg.warmup = scratch ? std::min<long long>(100, steps / 10 + 1) : std::min<long long>(10, steps / 10 + 1);
    cfg.val_every = 50;
    cfg.val_batches = 4;
    cfg.checkpoint_every = 0;
    cfg.seed = settings_.seed;
    cfg.threads = 1;
    cfg.command = c.text;
    m.train.reset();
    m.snap.reset();
    m.train_config = cfg.model;
    train_source_ = scratch ? "from-scratch" : "from-shipped";
    train_corpus_ = corpus;
    m.prep = std::async(std::launch::async, prepare_trainer, cfg, m.tok, corpus, scratch ? nullptr : m.model);
    return CommandResult::good("training " + train_source_ + " on the " + corpus + " corpus for " + std::to_string(steps) +
                               " steps (preparing the data…)");
  }
  if (sub == "pause" || sub == "resume" || sub == "stop") {
    if (!m.train) return CommandResult::bad("train " + sub + ": no training has been started (train start)");
    if (sub == "pause") m.train->pause();
    if (sub == "resume") m.train->resume();
    if (sub == "stop") m.train->stop();
    return CommandResult::good("training " + sub + (sub == "stop" ? "ped" : sub == "pause" ? "d" : "d"));
  }
  if (sub == "use") {
    auto s = m.train ? m.train->snapshot() : nullptr;
    if (!s || !s->weights) return CommandResult::bad("train use: no training weights yet (train start)");
    auto g = std::make_shared<Gpt>(m.train_config);
    if (g->params.data.size() != s->weights->size()) return CommandResult::bad("train use: the weights do not fit the model");
    g->params.data = *s->weights;
    g->threads = 1;
    m.model = std::move(g);
    m.trained = true;
    m.info.description = "training weights at step " + std::to_string(s->step) + ": " + m.info.description;
    m.info.random_weights = false;
    running_ = false;
    rebuild_from_prompt();
    apply_weights();
    return CommandResult::good("generating with the training weights of step " + std::to_string(s->step));
  }
  return CommandResult::bad(usage);
}

}  // namespace gb
