// GptSession: sequence + KV cache + sampler stepping with exact undo, the one context-window rule,
// and traces for panels.
#include "models/transformer/gpt_session.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "core/files.hpp"
#include "core/json_in.hpp"
#include "core/utf8.hpp"
#include "models/transformer/checkpoint.hpp"

namespace gb {

std::shared_ptr<const Tokenizer> load_tokenizer_for(const LoadedGpt& l) {
  if (!l.tokenizer_json.empty()) {
    const JsonIn j = JsonIn::parse(l.tokenizer_json, l.source, "glassbox.tokenizer");
    return std::make_shared<Tokenizer>(Tokenizer::from_json(j.raw(), l.source + " (glassbox.tokenizer)"));
  }
  if (!l.tokenizer_folder.empty()) {
    const std::string& f = l.tokenizer_folder;
    for (const char* name : {"vocab.json", "encoder.json", "tokenizer.json"})
      if (file_exists(f + "/" + name)) return std::make_shared<Tokenizer>(Tokenizer::load_gpt2(f));
  }
  return nullptr;
}

GptSession::GptSession(std::shared_ptr<const Gpt> model, std::shared_ptr<const Tokenizer> tokenizer, uint64_t seed)
    : rng(seed), model_(std::move(model)), tok_(std::move(tokenizer)) {
  if (!model_) fail("GptSession: no model");
}

GptSession GptSession::load(const std::string& path, uint64_t seed) {
  LoadedGpt l = load_gpt(path);
  auto tok = load_tokenizer_for(l);
  return GptSession(std::make_shared<const Gpt>(std::move(l.model)), tok, seed);
}

// [SECTION] the sequence
void GptSession::set_prompt(const std::string& text) {
  if (!tok_) fail("this model has no tokenizer: give the prompt as token ids");
  std::vector<int32_t> ids;
  for (int id : tok_->encode(text)) ids.push_back(int32_t(id));
  if (ids.empty()) fail("the prompt is empty");
  set_ids(ids);
}

void GptSession::set_ids(const std::vector<int32_t>& ids) {
  if (!model_) fail("no model loaded");
  const int V = model_->config.vocab_size;
  for (int32_t id : ids)
    if (id < 0 || id >= V)
      fail("token id " + std::to_string(id) + " is outside the vocabulary (0 to " + std::to_string(V - 1) + ")");
  ids_ = ids;
  prompt_len_ = int(ids.size());
  window_ = std::max(0, int(ids.size()) - model_->config.block_size);
  history_.clear();
  has_last_ = false;
  cache_.clear();
  logits_.clear();
  if (!ids_.empty()) gpt_decode(*model_, cache_, ids_.data() + window_, window_length(), logits_);
}

void GptSession::need_sequence() const {
  if (!model_) fail("no model loaded");
  if (logits_.empty()) fail("the sequence is empty; give a prompt first");
}

// Appends `token`, sliding the window when it is full (the one rule: keep kept_after_slide tokens).
const GenStep& GptSession::append(int32_t token, SampleStep sample, bool forced, bool beam, const Rng& rng_before) {
  if (token < 0 || token >= model_->config.vocab_size)
    fail("token id " + std::to_string(token) + " is outside the vocabulary (0 to " +
         std::to_string(model_->config.vocab_size - 1) + ")");
  if (!keep_traces && !history_.empty()) {
    GenStep& prev = history_.back();  // only the newest record keeps its vectors and cache copy
    SampleStep& old = prev.sample;
    old.logits = {}, old.probs = {}, old.probs_temp = {}, old.probs_top_k = {}, old.probs_final = {};
    prev.cache_before.reset();
  }
  GenStep g;
  g.token = token;
  g.forced = forced;
  g.beam = beam;
  g.prob = token < int(sample.probs_final.size()) ? sample.probs_final[size_t(token)] : 0.0f;
  g.model_prob = token < int(sample.probs.size()) ? sample.probs[size_t(token)] : 0.0f;
  g.sample = std::move(sample);
  g.position = int(ids_.size());
  g.rng_before = rng_before;
  g.window_start_before = window_;
  const int B = model_->config.block_size;
  const bool full = window_length() >= B;
  ids_.push_back(token);
  if (full) {
    g.cache_before = std::make_shared<KvCache>(cache_);
    const int keep = kept_after_slide(B);
    window_ = int(ids_.size()) - keep;
    cache_.clear();
    gpt_decode(*model_, cache_, ids_.data() + window_, keep, logits_);
  } else {
    gpt_decode(*model_, cache_, &token, 1, logits_);
  }
  history_.push_back(std::move(g));
  has_last_ = true;
  return history_.back();
}

// [SECTION] stepping
const GenStep& GptSession::step(const SamplerSettings& s) {
  need_sequence();
  const Rng before = rng;
  SampleStep st = sample_step(logits_.data(), int(logits_.size()), s, rng);
  const int32_t token = st.token;
  return append(token, std::move(st), false, false, before);
}

const GenStep& GptSession::step_beam(const SamplerSettings& s, int width, int depth) {
  need_sequence();
  SampleStep st = preview(s);
  const int room = model_->config.block_size - cache_.length;
  const BeamResult br = beam_search(*model_, cache_, logits_, width, std::max(1, std::min(depth, room)));
  const int32_t token = br.best.empty() ? st.token : br.best.front();
  return append(token, std::move(st), false, true, rng);
}

const GenStep& GptSession::push(int32_t token, const SamplerSettings& s) {
  need_sequence();
  return append(token, preview(s), true, false, rng);
}

SampleStep GptSession::preview(const SamplerSettings& s) const {
  need_sequence();
  Rng copy = rng;
  return sample_step(logits_.data(), int(logits_.size()), s, copy);
}

bool GptSession::back() {
  if (history_.empty()) return false;
  GenStep g = std::move(history_.back());
  history_.pop_back();
  ids_.pop_back();
  rng = g.rng_before;
  has_last_ = false;
  const int slid_from = window_;
  window_ = g.window_start_before;
  if (g.cache_before) {
    cache_ = *g.cache_before;
  } else if (window_ != slid_from) {  // a slide whose cache copy was dropped (keep_traces off)
    cache_.clear();
    gpt_decode(*model_, cache_, ids_.data() + window_, window_length(), logits_);
    return true;
  } else {
    cache_.truncate(cache_.length - 1);
  }
  if (!g.sample.logits.empty()) {
    logits_ = std::move(g.sample.logits);  // the logits the step was drawn from
  } else {
    // Dropped trace: re-run the new last token to get its logits back.
    cache_.truncate(cache_.length - 1);
    gpt_decode(*model_, cache_, &ids_.back(), 1, logits_);
  }
  return true;
}

// [SECTION] inspection
Trace GptSession::trace(const TraceOptions& opt) const {
  const std::vector<int32_t> win = window_ids();
  Trace t = gpt_trace(*model_, win, opt);
  t.tokens.reserve(win.size());
  for (int32_t id : win) t.tokens.push_back(token_string(id));
  return t;
}

std::string GptSession::token_string(int32_t id) const {
  if (tok_ && id >= 0 && id < tok_->vocab_size()) return token_display(tok_->token_bytes(id));
  return "<" + std::to_string(id) + ">";
}

std::string GptSession::text() const {
  if (!tok_) return "";
  std::string out;  // token bytes; an id the tokenizer lacks (model vocabulary larger) shows as <id>
  for (int32_t id : ids_) out += id < tok_->vocab_size() ? tok_->token_bytes(id) : "<" + std::to_string(id) + ">";
  return out;
}

}  // namespace gb
