// GptSession: sequence + KV cache + sampler stepping with exact undo, and traces for panels.
#include "models/transformer/gpt_session.hpp"

#include "core/error.hpp"
#include "core/json_in.hpp"
#include "core/files.hpp"
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
  set_ids(ids);
}

void GptSession::set_ids(const std::vector<int32_t>& ids) {
  if (ids.empty()) fail("the prompt is empty");
  const int V = model_->config.vocab_size;
  for (int32_t id : ids)
    if (id < 0 || id >= V)
      fail("token id " + std::to_string(id) + " is outside the vocabulary (0 to " + std::to_string(V - 1) + ")");
  ids_ = ids;
  prompt_len_ = int(ids.size());
  window_ = std::max(0, int(ids.size()) - model_->config.block_size);
  history_.clear();
  has_last_ = false;
  rebuild();
}

void GptSession::rebuild() {
  cache_.clear();
  const int n = int(ids_.size()) - window_;
  gpt_decode(*model_, cache_, ids_.data() + window_, n, logits_);
}

void GptSession::append(int32_t token) {
  ids_.push_back(token);
  const int bs = model_->config.block_size;
  if (int(ids_.size()) - window_ > bs) {
    // Slide by a quarter of the context at once, so the cache is rebuilt rarely.
    window_ = int(ids_.size()) - std::max(1, bs * 3 / 4);
    rebuild();
  } else {
    gpt_decode(*model_, cache_, &token, 1, logits_);
  }
}

// [SECTION] stepping
const SampleStep& GptSession::step() {
  if (ids_.empty()) fail("no prompt yet");
  StepRecord r;
  r.rng_before = rng;
  r.window_before = window_;
  last_ = sample_step(logits_.data(), model_->config.vocab_size, settings, rng);
  r.token = last_.token;
  append(last_.token);
  history_.push_back(r);
  has_last_ = true;
  return last_;
}

void GptSession::push(int32_t token) {
  if (ids_.empty()) fail("no prompt yet");
  if (token < 0 || token >= model_->config.vocab_size) fail("token id " + std::to_string(token) + " is outside the vocabulary");
  StepRecord r;
  r.token = token;
  r.rng_before = rng;
  r.window_before = window_;
  r.forced = true;
  append(token);
  history_.push_back(r);
  has_last_ = false;
}

bool GptSession::back() {
  if (history_.empty()) return false;
  const StepRecord r = history_.back();
  history_.pop_back();
  ids_.pop_back();
  rng = r.rng_before;
  has_last_ = false;
  if (r.window_before != window_) {
    window_ = r.window_before;
    rebuild();
    return true;
  }
  // Drop the undone token and re-run the new last one to get its logits back.
  const int n = cache_.length - 1;  // tokens of the window that remain (≥ 1: the prompt stays)
  cache_.truncate(n - 1);
  gpt_decode(*model_, cache_, &ids_.back(), 1, logits_);
  return true;
}

// [SECTION] inspection
Trace GptSession::trace(const TraceOptions& opt) const {
  std::vector<int32_t> win(ids_.begin() + window_, ids_.end());
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
