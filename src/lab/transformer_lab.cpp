// TransformerLab: model loading, the sequence with its undo history, sampling, traces, beam tree,
// temperature comparison and the command vocabulary (training lives in transformer_lab_train.cpp).
#include "lab/transformer_lab.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <future>
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/files.hpp"
#include "core/json_in.hpp"
#include "core/utf8.hpp"
#include "lab/lab_settings.hpp"
#include "lab/transformer_lab_impl.hpp"
#include "models/transformer/checkpoint.hpp"
#include "models/data/corpus.hpp"

namespace gb {

namespace {


std::string num(double v) {
  char b[48];
  std::snprintf(b, sizeof b, "%g", v);
  return b;
}

std::string shipped_model_path() { return assets_dir() + "/models/stories-gpt.safetensors"; }

// Parses a whole-word integer in [lo, hi].
bool parse_int(const std::string& w, long long lo, long long hi, long long& out, std::string& err, const std::string& what) {
  double d = 0;
  if (!parse_number(w, -9e18, 9e18, d, err, what)) return false;
  if (d != std::floor(d)) {
    err = what + ": `" + w + "` is not a whole number";
    return false;
  }
  if (d < double(lo) || d > double(hi)) {
    err = what + ": " + w + " is out of range (expected " + std::to_string(lo) + " to " + std::to_string(hi) + ")";
    return false;
  }
  out = (long long)d;
  return true;
}

}  // namespace

std::string lab_token_display(const Tokenizer& tok, int32_t id) {
  if (id < 0 || id >= tok.vocab_size()) return "<id " + std::to_string(id) + ">";
  if (tok.is_special(id)) return tok.token_bytes(id);
  return token_display_visible(tok.token_bytes(id));
}

// [SECTION] Construction, panels, status

TransformerLab::TransformerLab() : impl_(std::make_unique<Impl>()) { seq_.reseed(settings_.seed); }

TransformerLab::~TransformerLab() {
  // Stop training before the worker's Trainer and the caches go away.
  if (impl_->prep.valid()) impl_->prep.wait();
  if (impl_->loading.valid()) impl_->loading.wait();
  impl_->train.reset();
}

std::vector<PanelInfo> TransformerLab::panels() const {
  return {
      {"transformer.generate", "Prompt and generation"},
      {"transformer.probabilities", "Next-token probabilities"},
      {"transformer.tokens", "Tokens: how the text is cut up"},
      {"transformer.attention", "Attention: who looks at whom"},
      {"transformer.embeddings", "Embeddings: tokens as vectors"},
      {"transformer.block", "Inside a block"},
      {"transformer.logit-lens", "Logit lens: what each layer would say"},
      {"transformer.beam", "Beam search tree"},
      {"transformer.training", "Training"},
  };
}

std::vector<std::string> TransformerLab::default_panels() const {
  return {"transformer.generate", "transformer.probabilities", "transformer.tokens", "transformer.attention"};
}

std::string TransformerLab::status() const {
  const Impl& m = *impl_;
  std::string s;
  if (!m.model_tried) return "transformer: model loads on first use";
  if (!m.info.loaded) return "no model loaded";
  s = std::to_string(seq_.ids().size()) + " tokens · T " + num(settings_.sampler.temperature);
  if (settings_.sampler.greedy) s += " · greedy";
  if (settings_.sampler.beam_width > 0) s += " · beam " + std::to_string(settings_.sampler.beam_width);
  if (running_) s += " · running " + num(settings_.speed) + " tok/s";
  if (m.prep.valid()) s += " · preparing training data…";
  if (m.loading.valid()) s += " · loading " + m.loading_what + "…";
  if (!m.train_error.empty()) s += " · training failed: " + m.train_error;
  if (m.snap) {
    s += " · training ";
    // The worker's first snapshot (before its first step) says "paused": to a student it is starting, as the
    // Training panel says.
    const bool starting = m.snap->state == TrainSnapshot::State::paused && m.snap->step == 0 && m.snap->history.empty();
    s += starting ? "starting" : train_state_name(m.snap->state);
    s += " step " + std::to_string(m.snap->step);
    if (!m.snap->history.empty()) {
      char b[32];
      std::snprintf(b, sizeof b, " loss %.3f", m.snap->history.back().train);
      s += b;
    }
  }
  return s;
}

// [SECTION] Model

const TransformerModelInfo& TransformerLab::model_info() const {
  ensure_model();
  return impl_->info;
}
const Gpt& TransformerLab::model() const {
  ensure_model();
  if (!impl_->model) fail("transformer: no model loaded");
  return *impl_->model;
}
std::shared_ptr<const Gpt> TransformerLab::model_ptr() const {
  ensure_model();
  return impl_->model;
}
const Tokenizer& TransformerLab::tokenizer() const {
  ensure_model();
  return impl_->tok;
}

const Tokenizer* TransformerLab::gpt2_tokenizer() const {
  Impl& m = *impl_;
  if (!m.gpt2_tried) {
    m.gpt2_tried = true;
    std::string dir = assets_dir() + "/gpt2";
    try {
      if (file_exists(dir + "/encoder.json") || file_exists(dir + "/vocab.json") || file_exists(dir + "/tokenizer.json"))
        m.gpt2 = std::make_unique<Tokenizer>(Tokenizer::load_gpt2(dir));
    } catch (const Error&) {
      m.gpt2.reset();
    }
  }
  return m.gpt2.get();
}

void TransformerLab::ensure_model() const {
  if (impl_->model_tried) return;
  // Logically const: the default model is loaded lazily on first use.
  auto* self = const_cast<TransformerLab*>(this);
  CommandResult r = self->do_load("shipped", 0);
  if (!r.ok) {
    std::string why = r.message;
    self->do_load("random", 1);
    impl_->info.message = why + " — using a tiny random-weight model instead (its text is gibberish until trained).";
  }
}

namespace {

// A tiny untrained model with a tokenizer learnt on the tiny corpus: the fallback when no checkpoint
// is available, and a fast model for tests.
void make_random_model(uint64_t seed, std::shared_ptr<Gpt>& model, Tokenizer& tok) {
  tok = Tokenizer::train(tiny_corpus(), 384);
  GptConfig c;
  c.n_layer = 2;
  c.n_head = 4;
  c.n_embd = 64;
  c.block_size = 64;
  c.vocab_size = tok.vocab_size();
  auto g = std::make_shared<Gpt>(c);
  g->init_random(seed);
  g->threads = 1;
  model = std::move(g);
}

std::string describe(const GptConfig& c) {
  return std::to_string(c.n_layer) + " layers, " + std::to_string(c.n_head) + " heads, " + std::to_string(c.n_embd) +
         " wide, context " + std::to_string(c.block_size) + ", " + std::to_string(c.vocab_size) + " tokens";
}

}  // namespace

namespace {

// Everything a load needs off the UI thread: the model, its tokenizer, the description (throws gb::Error).
LoadedModel load_model(const std::string& what, uint64_t seed, GptWeights weights) {
  LoadedModel r;
  std::shared_ptr<Gpt> g;
  TransformerModelInfo& info = r.info;
  if (what == "random") {
    make_random_model(seed, g, r.tok);
    info.source = "random (seed " + std::to_string(seed) + ")";
    info.format = "random";
    info.random_weights = true;
    info.description = "tiny untrained GPT (random weights): " + describe(g->config);
  } else {
    std::string path = what == "shipped" ? shipped_model_path() : what;
    if (!file_exists(path)) fail_file(path, what == "shipped" ? "the shipped model is not there yet" : "no such file or folder");
    LoadedGpt lg = load_gpt(path);
    if (!lg.tokenizer_json.empty()) {
      r.tok = Tokenizer::from_json(JsonIn::parse(lg.tokenizer_json, path, "glassbox.tokenizer").raw(), path);
    } else if (!lg.tokenizer_folder.empty())
      r.tok = Tokenizer::load(lg.tokenizer_folder);
    else
      fail_file(path, "the checkpoint has no tokenizer (glassbox.tokenizer metadata)");
    if (r.tok.vocab_size() > lg.model.config.vocab_size)
      fail_file(path, "the tokenizer has " + std::to_string(r.tok.vocab_size()) + " tokens but the model only " +
                          std::to_string(lg.model.config.vocab_size));
    g = std::make_shared<Gpt>(std::move(lg.model));
    g->threads = g->config.n_embd <= 512 ? 1 : 0;
    info.source = what == "shipped" ? "shipped" : path;
    info.format = lg.format;
    std::string name = what == "shipped" ? "stories GPT" : lg.format == "huggingface" ? "GPT-2" : "GPT";
    info.description = name + ": " + describe(g->config);
  }
  g->use_weights(weights);  // the slow part of switching, done here rather than on the UI thread
  info.loaded = true;
  info.params = g->config.param_count();
  r.model = std::move(g);
  return r;
}

// Bytes of weights a path holds (a file, or a folder's *.safetensors): big models load in the background.
uintmax_t weight_file_bytes(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::is_regular_file(path, ec)) return fs::file_size(path, ec);
  uintmax_t total = 0;
  if (fs::is_directory(path, ec))
    for (const auto& e : fs::directory_iterator(path, ec))
      if (e.path().extension() == ".safetensors") total += e.file_size(ec);
  return total;
}

constexpr uintmax_t kBackgroundLoadBytes = 100u << 20;  // ≥ 100 MB (GPT-2 small and up): load off the UI thread

}  // namespace

void TransformerLab::install_model(LoadedModel&& r) {
  Impl& m = *impl_;
  m.model = std::move(r.model);
  m.trained = false;
  m.tok = std::move(r.tok);
  m.info = std::move(r.info);
  sel_layer_ = std::min(sel_layer_, m.model->config.n_layer - 1);
  sel_head_ = std::min(sel_head_, m.model->config.n_head - 1);
  settings_.sampler.top_k = std::min(settings_.sampler.top_k, m.model->config.vocab_size);
  running_ = false;
  comparison_.clear();
  rebuild_from_prompt();
  apply_weights();
}

CommandResult TransformerLab::do_load(const std::string& what, uint64_t seed) {
  Impl& m = *impl_;
  m.model_tried = true;
  if (m.loading.valid()) return CommandResult::bad("load: " + m.loading_what + " is still loading");
  const uintmax_t bytes = what == "random" || what == "shipped" ? 0 : weight_file_bytes(what);
  if (bytes >= kBackgroundLoadBytes && m.model) {
    // A big model: read it on a helper thread; update() installs it (the current model stays until then).
    m.loading_what = what;
    m.loading = std::async(std::launch::async, [what, seed, weights = settings_.weights()]() {
      LoadingResult out;
      try {
        out.model = load_model(what, seed, weights);
      } catch (const std::exception& e) {
        out.error = std::string("load: ") + e.what();
      }
      return out;
    });
    return CommandResult::good("loading " + what + " (" + std::to_string(bytes >> 20) + " MB) in the background…");
  }
  try {
    install_model(load_model(what, seed, settings_.weights()));
    return CommandResult::good("loaded " + m.info.description);
  } catch (const std::exception& e) {
    return CommandResult::bad(std::string("load: ") + e.what());
  }
}

bool TransformerLab::loading() const { return impl_->loading.valid(); }

// A background load that has finished: its model replaces the current one, or its error becomes a note.
void TransformerLab::update_loading() {
  Impl& m = *impl_;
  if (!m.loading.valid() || m.loading.wait_for(std::chrono::seconds(0)) != std::future_status::ready) return;
  LoadingResult r = m.loading.get();
  if (!r.error.empty()) {
    notes_.push_back(r.error);
    m.info.message = r.error;
    return;
  }
  install_model(std::move(r.model));
  notes_.push_back("loaded " + m.info.description);
}

// [SECTION] Sequence

std::vector<int32_t> TransformerLab::ids() const {
  ensure_model();
  return seq_.window_ids();
}

const std::vector<std::string>& TransformerLab::token_strings() const {
  ensure_model();
  return impl_->token_strings;
}

std::string TransformerLab::text() const {
  ensure_model();
  std::string s;
  for (int32_t id : seq_.ids())
    if (id >= 0 && id < impl_->tok.vocab_size()) s += impl_->tok.token_bytes(id);
  return s;
}

const KvCache& TransformerLab::kv_cache() const {
  ensure_model();
  return seq_.cache();
}

int TransformerLab::selected_token() const {
  int n = seq_.window_length();
  if (sel_token_ < 0 || sel_token_ >= n) return n - 1;
  return sel_token_;
}

// The model object is shared with the decoding session; its int8/fp16 copies are a derived cache of the
// float weights (built here on the UI thread, between steps), so they are set through the shared pointer.
void TransformerLab::apply_weights() {
  Impl& m = *impl_;
  if (!m.model) return;
  auto g = std::const_pointer_cast<Gpt>(m.model);
  if (settings_.weights() != g->weights()) g->use_weights(settings_.weights());
  const size_t floats = g->config.param_count() - size_t(g->config.block_size) * g->config.n_embd;
  m.info.weights = gpt_weights_name(g->weights());
  m.info.weight_bytes = g->q8 ? g->q8->bytes() + 4 * (floats - g->q8->weights()) : 4 * floats;
  m.info.int8_logit_error = g->q8 ? gpt_int8_logit_error(*g, seq_.window_ids()) : 0.0;
}

void TransformerLab::changed() {
  ++version_;
  impl_->next_valid = false;
  impl_->beam_valid = false;
}

void TransformerLab::rebuild_from_prompt() {
  Impl& m = *impl_;
  notes_.clear();
  m.token_strings.clear();
  ++m.seq_version;
  run_generated_ = 0;
  changed();
  if (!m.model) {
    seq_ = GptSession();
    seq_.reseed(settings_.seed);
    return;
  }
  std::vector<int> enc = m.tok.encode(prompt_);
  if (enc.empty()) {
    int eot = m.tok.special_id("<|endoftext|>");
    if (eot >= 0) {
      enc.push_back(eot);
      notes_.push_back("The prompt is empty: the model starts from <|endoftext|>, the token that begins a new story.");
    } else {
      notes_.push_back("The prompt is empty: type a prompt to give the model something to continue.");
    }
  }
  seq_ = GptSession(m.model, nullptr, settings_.seed);
  seq_.set_ids(std::vector<int32_t>(enc.begin(), enc.end()));
  if (seq_.window_start() > 0)
    notes_.push_back("The prompt is " + std::to_string(enc.size()) + " tokens but the model sees at most " +
                     std::to_string(m.model->config.block_size) + ": the first " + std::to_string(seq_.window_start()) +
                     " are outside its context window (greyed out).");
  for (int32_t id : seq_.ids()) m.token_strings.push_back(lab_token_display(m.tok, id));
}

CommandResult TransformerLab::do_prompt(const std::string& text) {
  if (text.size() > 1'000'000) return CommandResult::bad("prompt: at most 1,000,000 bytes");
  prompt_ = text;
  running_ = false;
  rebuild_from_prompt();
  std::string msg = "prompt: " + std::to_string(seq_.prompt_length()) + " tokens";
  for (auto& n : notes_) msg += " — " + n;
  return CommandResult::good(msg);
}

void TransformerLab::after_append(const GenStep& g, std::string& note) {
  Impl& m = *impl_;
  m.token_strings.push_back(lab_token_display(m.tok, g.token));
  if (seq_.window_start() != g.window_start_before) {
    note = "The context window (" + std::to_string(m.model->config.block_size) + " tokens) was full: the oldest " +
           std::to_string(seq_.window_start() - g.window_start_before) + " tokens slid out of view.";
    notes_.push_back(note);
  }
  ++m.seq_version;
  changed();
}

CommandResult TransformerLab::do_step(int n, std::string& note) {
  Impl& m = *impl_;
  if (!m.model) return CommandResult::bad("step: no model loaded");
  for (int i = 0; i < n; ++i) {
    if (seq_.logits().empty()) return CommandResult::bad("step: the sequence is empty; give a prompt first");
    const GenStep& g = settings_.sampler.beam_width > 0
                           ? seq_.step_beam(settings_.sampler, settings_.sampler.beam_width, settings_.beam_depth)
                           : seq_.step(settings_.sampler);
    after_append(g, note);
  }
  return CommandResult::good();
}

CommandResult TransformerLab::do_back(int n) {
  Impl& m = *impl_;
  if (seq_.history().empty()) return CommandResult::bad("back: nothing to undo (only the prompt is left)");
  int done = 0;
  for (; done < n && seq_.back(); ++done) m.token_strings.pop_back();
  ++m.seq_version;
  run_generated_ = std::max(0, run_generated_ - done);
  changed();
  return CommandResult::good("back " + std::to_string(done) + (done < n ? " (reached the prompt)" : ""));
}

CommandResult TransformerLab::do_force(const std::string& what, bool replace) {
  Impl& m = *impl_;
  const char* verb = replace ? "branch" : "force";
  if (!m.model) return CommandResult::bad(std::string(verb) + ": no model loaded");
  const int V = m.model->config.vocab_size;
  int32_t id = -1;
  bool numeric = !what.empty() && std::all_of(what.begin(), what.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
  if (numeric) {
    long long v = 0;
    std::string err;
    if (!parse_int(what, 0, V - 1, v, err, std::string(verb) + " token id")) return CommandResult::bad(err);
    id = int32_t(v);
  } else {
    std::vector<int> enc = m.tok.encode(what);
    if (enc.size() != 1)
      return CommandResult::bad(std::string(verb) + ": `" + token_display(what) + "` is " + std::to_string(enc.size()) +
                                " tokens, not one; give one token's text or its id");
    id = enc[0];
  }
  if (replace) {
    if (seq_.history().empty()) return CommandResult::bad("branch: no generated token to replace (use force)");
    do_back(1);
  }
  if (seq_.logits().empty()) return CommandResult::bad(std::string(verb) + ": the sequence is empty; give a prompt first");
  std::string note;
  after_append(seq_.push(id, settings_.sampler), note);
  return CommandResult::good(std::string(verb) + ": took `" + m.token_strings.back() + "` (id " + std::to_string(id) + ")" +
                             (note.empty() ? "" : " — " + note));
}

// [SECTION] Next-token preview, traces, beam tree

const SampleStep* TransformerLab::next() const {
  ensure_model();
  Impl& m = *impl_;
  if (!m.model || seq_.logits().empty()) return nullptr;
  if (!m.next_valid) {
    m.next = seq_.preview(settings_.sampler);
    m.next_valid = true;
  }
  return &m.next;
}

const std::vector<float>* TransformerLab::next_logits() const {
  ensure_model();
  return seq_.logits().empty() ? nullptr : &seq_.logits();
}

namespace {
const std::shared_ptr<const Trace>& empty_trace() {
  static const std::shared_ptr<const Trace> t = std::make_shared<Trace>();
  return t;
}
}  // namespace

std::shared_ptr<const Trace> TransformerLab::trace(bool logit_lens) const {
  ensure_model();
  Impl& m = *impl_;
  if (!m.model || seq_.window_length() <= 0) return empty_trace();
  if (logit_lens) m.lens_wanted_until = m.updates + 30;
  bool want_lens = logit_lens || m.updates < m.lens_wanted_until;
  if (m.trace && m.trace_key == m.seq_version && (m.trace_lens || !logit_lens)) return m.trace;
  TraceWorker::Job job;
  job.model = m.model;
  job.ids = ids();
  job.tokens.assign(m.token_strings.begin() + seq_.window_start(), m.token_strings.end());
  job.options.logit_lens = want_lens;
  job.key = m.seq_version;
  if (running_ && m.trace) {
    if (!m.worker.has(job.key, want_lens)) m.worker.post(std::move(job));
    return m.trace;
  }
  TraceWorker::Done d = TraceWorker::compute(job);
  if (!d.trace) return m.trace ? m.trace : empty_trace();
  m.trace = d.trace;
  m.trace_key = d.key;
  m.trace_lens = d.logit_lens;
  return m.trace;
}

bool TransformerLab::trace_is_current() const {
  const Impl& m = *impl_;
  return seq_.window_length() <= 0 || (m.trace && m.trace_key == m.seq_version);
}

std::shared_ptr<const Trace> TransformerLab::trace_now(bool logit_lens) const {
  bool was = running_;
  auto* self = const_cast<TransformerLab*>(this);
  self->running_ = false;  // the synchronous path
  auto t = trace(logit_lens);
  self->running_ = was;
  return t;
}

int TransformerLab::beam_tree_width() const {
  return settings_.sampler.beam_width > 0 ? settings_.sampler.beam_width : 3;
}

const BeamResult* TransformerLab::beam() const {
  ensure_model();
  Impl& m = *impl_;
  if (!m.model || seq_.logits().empty()) return nullptr;
  if (m.beam_job.valid() && m.beam_job.wait_for(std::chrono::seconds(0)) == std::future_status::ready) {
    BeamResult done;
    try {
      done = m.beam_job.get();
    } catch (const std::exception&) {  // the model changed under way in a way the search refused: start again
      m.beam_any = !m.beam.nodes.empty();
      return m.beam_any ? &m.beam : nullptr;
    }
    if (!m.beam_valid) {
      m.beam = std::move(done);
      m.beam_valid = m.beam_job_version == version_;
      m.beam_any = true;
    }
  }
  if (m.beam_valid) return &m.beam;
  int depth = std::min(settings_.beam_depth, m.model->config.block_size - seq_.cache().length);
  if (depth < 1) return nullptr;  // the window is full: the tree would need the context to slide
  if (running_ && m.beam_any) {
    // Run mode: the last tree stays on screen while a helper thread grows the new one (at most every 20 updates,
    // so the search's CPU share stays what it was when it ran here).
    if (!m.beam_job.valid() && m.updates - m.beam_at >= 20) {
      m.beam_job_version = version_;
      m.beam_at = m.updates;
      m.beam_job = std::async(std::launch::async, [model = m.model, cache = seq_.cache(), logits = seq_.logits(),
                                                   width = beam_tree_width(), depth] {
        return beam_search(*model, cache, logits, width, depth);  // (model, KV cache, logits) copied: the lab moves on
      });
    }
    return &m.beam;
  }
  m.beam = beam_search(*m.model, seq_.cache(), seq_.logits(), beam_tree_width(), depth);
  m.beam_valid = true;
  m.beam_any = true;
  m.beam_at = m.updates;
  return &m.beam;
}

// [SECTION] Temperature comparison

CommandResult TransformerLab::do_compare(const Command& c) {
  Impl& m = *impl_;
  if (c.argc() < 4 || c.arg(0) != "temperatures" || c.argc() > 5)
    return CommandResult::bad("compare: expected `compare temperatures T1 T2 T3 [TOKENS]`, e.g. compare temperatures 0.3 1 2");
  if (!m.model || seq_.logits().empty()) return CommandResult::bad("compare: nothing to continue; give a prompt first");
  std::vector<float> temps;
  std::string note;
  const std::vector<SettingSpec> temp_spec = setting_specs(transformer_settings_table());
  for (int i = 1; i <= 3; ++i) {
    double t = 0;
    std::string err;
    if (!parse_setting(*find_setting(temp_spec, "temperature"), c.arg(i), t, err)) return CommandResult::bad("compare: " + err);
    temps.push_back(float(t));
  }
  long long n = 24;
  std::string err;
  if (c.argc() == 5 && !parse_int(c.arg(4), 1, 64, n, err, "compare tokens")) return CommandResult::bad(err);
  comparison_.clear();
  comparison_start_ = int(seq_.ids().size());
  const int B = m.model->config.block_size;
  for (float t : temps) {
    TemperatureRun run;
    run.temperature = t;
    KvCache cache = seq_.cache();
    std::vector<float> logits = seq_.logits();
    Rng rng = seq_.rng;  // the same random stream for every temperature
    SamplerSettings s = settings_.sampler;
    s.temperature = t;
    s.greedy = false;
    s.beam_width = 0;
    std::vector<int> toks;
    for (int i = 0; i < n && cache.length < B; ++i) {
      SampleStep st = sample_step(logits.data(), int(logits.size()), s, rng);
      run.ids.push_back(st.token);
      run.probs.push_back(st.probs_final[st.token]);
      toks.push_back(st.token);
      if (i + 1 >= n || cache.length >= B) break;
      gpt_decode(*m.model, cache, &st.token, 1, logits);
    }
    for (int id : toks)
      if (id < m.tok.vocab_size()) run.text += m.tok.token_bytes(id);
    comparison_.push_back(std::move(run));
  }
  if (int(comparison_.front().ids.size()) < n) note += " The context window ends after " + std::to_string(comparison_.front().ids.size()) + " tokens.";
  changed();
  return CommandResult::good("compared temperatures " + num(temps[0]) + ", " + num(temps[1]) + ", " + num(temps[2]) + note);
}

// [SECTION] Settings and selection

// Every setting comes from transformer_settings_table() (lab/transformer_settings.cpp): one parser, one range,
// one message ("temperature 9: out of range 0.05–5"), never a silent clamp.
CommandResult TransformerLab::do_set(const Command& c) {
  const auto& table = transformer_settings_table();
  if (c.argc() != 2) {
    std::string names;
    for (auto& e : table) names += (names.empty() ? "" : ", ") + e.spec.name;
    return CommandResult::bad("set: expected `set NAME VALUE` (" + names + ")");
  }
  const Setting<TransformerSettings>* which = nullptr;
  CommandResult r = apply_setting(table, settings_, c.arg(0), c.arg(1), &which);
  if (!r.ok) return r;
  if (which->spec.name == "seed") {
    running_ = false;
    rebuild_from_prompt();
    r.message += " (back to the prompt)";
  } else if (which->spec.name == "int8" || which->spec.name == "fp16") {
    apply_weights();
    changed();
    if (settings_.weights() != GptWeights::f32 && impl_->model)
      r.message += " (largest logit change on the prompt's last token: " + std::to_string(impl_->info.int8_logit_error) + ")";
  } else {
    changed();
  }
  return r;
}

CommandResult TransformerLab::do_select(const Command& c) {
  const Impl& m = *impl_;
  if (!m.model) return CommandResult::bad("select: no model loaded");
  const int L = m.model->config.n_layer, H = m.model->config.n_head;
  int layer = sel_layer_, head = sel_head_, token = sel_token_;
  size_t i = 0;
  if (c.argc() == 0) return CommandResult::bad("select: expected `select layer L [head H]`, `select head H` or `select token I`");
  while (i < c.argc()) {
    const std::string& what = c.arg(i);
    if (i + 1 >= c.argc()) return CommandResult::bad("select " + what + ": a number is missing");
    long long v = 0;
    std::string err;
    if (what == "layer") {
      if (!parse_int(c.arg(i + 1), 0, L - 1, v, err, "layer")) return CommandResult::bad(err + " (this model has layers 0–" + std::to_string(L - 1) + ")");
      layer = int(v);
    } else if (what == "head") {
      if (!parse_int(c.arg(i + 1), 0, H - 1, v, err, "head")) return CommandResult::bad(err + " (this model has heads 0–" + std::to_string(H - 1) + ")");
      head = int(v);
    } else if (what == "token") {
      int n = seq_.window_length();
      if (!parse_int(c.arg(i + 1), -1, std::max(0, n - 1), v, err, "token"))
        return CommandResult::bad(err + " (the model sees " + std::to_string(n) + " tokens; −1 selects the last)");
      token = int(v);
    } else {
      return CommandResult::bad("select: unknown `" + what + "` (expected layer, head or token)");
    }
    i += 2;
  }
  sel_layer_ = layer;
  sel_head_ = head;
  sel_token_ = token;
  changed();
  return CommandResult::good("selected layer " + std::to_string(layer) + " head " + std::to_string(head) +
                             (token >= 0 ? " token " + std::to_string(token) : ""));
}

// [SECTION] Commands

std::vector<CommandHelp> TransformerLab::commands() const {
  std::vector<CommandHelp> v = {
      {"load PATH|shipped|random [SEED]", "load a Glassbox .safetensors model or a Hugging Face GPT-2 folder, the shipped stories model, or a tiny random one"},
      {"prompt \"TEXT\"", "replace the sequence by TEXT (any bytes)"},
      {"step [N]", "generate N tokens (default 1)"},
      {"back [N]", "undo N tokens (default 1), restoring the exact state and random stream"},
      {"force ID|\"TOKEN\"", "take this token next instead of drawing one (a branch; back returns)"},
      {"branch ID|\"TOKEN\"", "replace the last generated token by this one"},
      {"run", "generate continuously (speed tokens per second)"},
      {"pause", "stop Run mode"},
      {"reset", "back to the prompt alone"},
      {"select layer L [head H]", "the layer and head the panels show"},
      {"select head H", "the attention head the panels show"},
      {"select token I", "the token the panels focus on (-1: the last)"},
      {"compare temperatures T1 T2 T3 [N]", "continue the text N tokens (default 24) at three temperatures with the same random numbers"},
      {"train start [from-scratch|from-shipped] [corpus stories|tiny] [steps N]", "train in the background, from random weights or from the loaded model, on the story corpus or a tiny one (to see memorisation)"},
      {"train pause|resume|stop", "control the background training"},
      {"train use", "generate with the weights training has reached so far"},
  };
  for (auto& h : setting_commands(setting_specs(transformer_settings_table()))) v.push_back(h);
  return v;
}

CommandResult TransformerLab::handle(const Command& c) {
  const std::string& v = c.verb();
  try {
    if (v == "load") {
      if (c.argc() < 1 || c.argc() > 2) return CommandResult::bad("load: expected `load PATH`, `load shipped` or `load random [SEED]`");
      long long seed = 1;
      std::string err;
      if (c.argc() == 2) {
        if (c.arg(0) != "random") return CommandResult::bad("load: only `load random` takes a seed");
        if (!parse_int(c.arg(1), 0, (1LL << 53), seed, err, "seed")) return CommandResult::bad(err);
      }
      impl_->model_tried = true;
      return do_load(c.arg(0), uint64_t(seed));
    }
    ensure_model();
    if (v == "prompt") {
      if (c.argc() != 1) return CommandResult::bad("prompt: expected one quoted text, e.g. prompt \"Once upon a time\"");
      return do_prompt(c.arg(0));
    }
    if (v == "step" || v == "back") {
      long long n = 1;
      std::string err;
      if (c.argc() > 1) return CommandResult::bad(v + ": expected `" + v + " [N]`");
      if (c.argc() == 1 && !parse_int(c.arg(0), 1, 10000, n, err, v + " count")) return CommandResult::bad(err);
      if (v == "back") return do_back(int(n));
      std::string note;
      CommandResult r = do_step(int(n), note);
      if (r.ok && r.message.empty())
        r.message = seq_.history().empty() ? "step" : "step: `" + impl_->token_strings.back() + "`" + (note.empty() ? "" : " — " + note);
      return r;
    }
    if (v == "force" || v == "branch") {
      if (c.argc() != 1) return CommandResult::bad(v + ": expected a token id or one quoted token, e.g. " + v + " \" cat\"");
      return do_force(c.arg(0), v == "branch");
    }
    if (v == "run" || v == "pause") {
      if (c.argc() != 0) return CommandResult::bad(v + ": takes no arguments");
      if (v == "run") {
        if (!impl_->model || seq_.logits().empty()) return CommandResult::bad("run: nothing to continue; give a prompt first");
        running_ = true;
        run_generated_ = 0;
        run_accum_ = 0;
        last_update_ = -1;
      } else {
        running_ = false;
      }
      changed();
      return CommandResult::good(v);
    }
    if (v == "reset") {
      if (c.argc() != 0) return CommandResult::bad("reset: takes no arguments");
      running_ = false;
      rebuild_from_prompt();
      return CommandResult::good("reset to the prompt");
    }
    if (v != "set" && find_setting(transformer_settings_table(), v)) {  // old spellings: `seed 42`
      if (c.argc() != 1) return CommandResult::bad(v + ": expected one value, e.g. " + v + " 42");
      Command sc = c;
      sc.words = {"set", v, c.arg(0)};
      return do_set(sc);
    }
    if (v == "set") return do_set(c);
    if (v == "select") return do_select(c);
    if (v == "compare") return do_compare(c);
    if (v == "train") return do_train(c);
  } catch (const std::exception& e) {
    return CommandResult::bad(v + ": " + e.what());
  }
  return CommandResult::bad("transformer: unknown command `" + v + "` (see Help → Commands)");
}

// [SECTION] Frame update: trace results, Run mode, training snapshots

void TransformerLab::update(double now) {
  Impl& m = *impl_;
  ++m.updates;
  update_loading();
  if (auto d = m.worker.take()) {
    if (d->trace && (!m.trace || d->key >= m.trace_key)) {
      m.trace = d->trace;
      m.trace_key = d->key;
      m.trace_lens = d->logit_lens;
    }
  }
  update_training();
  if (!running_) {
    last_update_ = now;
    return;
  }
  if (last_update_ < 0 || now < last_update_) last_update_ = now;
  run_accum_ = std::min(run_accum_ + (now - last_update_) * settings_.speed, 3.0);
  last_update_ = now;
  auto t0 = std::chrono::steady_clock::now();
  while (run_accum_ >= 1.0 && running_) {
    run_accum_ -= 1.0;
    std::string note;
    CommandResult r = do_step(1, note);
    if (!r.ok) {
      running_ = false;
      break;
    }
    if (++run_generated_ >= settings_.max_tokens) {
      running_ = false;
      notes_.push_back("Run mode paused after " + std::to_string(settings_.max_tokens) + " tokens (set max-tokens N).");
    }
    if (std::chrono::steady_clock::now() - t0 > std::chrono::milliseconds(6)) break;  // keep the frame short
  }
}

// Run mode: the next token is due when run_accum_ reaches 1; data being prepared for training is polled at 10 Hz.
// Traces and training snapshots wake the app from their own threads.
double TransformerLab::seconds_until_update(double now) const {
  double wait = kNever;
  if (running_) {
    const double since = last_update_ < 0 ? 0.0 : std::max(0.0, now - last_update_);
    wait = std::max(0.0, (1.0 - run_accum_) / std::max(0.01f, settings_.speed) - since);
  }
  if (impl_->prep.valid() || impl_->loading.valid()) wait = std::min(wait, 0.1);
  return wait;
}

}  // namespace gb
