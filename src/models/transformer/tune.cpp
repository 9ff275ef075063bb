// Fine-tuning (full or LoRA) and DPO on top of the GPT's training forward/backward.
#include "models/transformer/tune.hpp"

#include <algorithm>
#include <cmath>

#include <omp.h>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/json_in.hpp"
#include "core/utf8.hpp"
#include "models/data/corpus.hpp"

namespace gb {

// [SECTION] corpus text
std::string corpus_from_text(const std::string& text, const std::string& file) {
  if (text.find('\0') != std::string::npos)
    fail_file(file, "is a binary file (it holds a NUL byte); give plain UTF-8 text, stories separated by blank lines");
  if (!utf8_valid(text)) fail_file(file, "is not UTF-8 text; save it as plain UTF-8 text");
  std::string out, story;
  size_t stories = 0;
  auto end_story = [&] {
    if (story.empty()) return;
    out += story;
    out += kStorySeparator;
    story.clear();
    ++stories;
  };
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) nl = text.size();
    std::string line = text.substr(pos, nl - pos);
    const size_t a = line.find_first_not_of(" \t\r");
    if (a == std::string::npos) {
      end_story();  // a blank line ends a story
    } else {
      const size_t b = line.find_last_not_of(" \t\r");
      if (!story.empty()) story += ' ';
      story.append(line, a, b - a + 1);
    }
    pos = nl + 1;
  }
  end_story();
  if (stories == 0) fail_file(file, "is empty (no text to learn from)");
  return out;
}

// [SECTION] preference pairs as text
std::vector<PreferenceText> parse_preferences(const std::string& text, const std::string& file) {
  if (text.find('\0') != std::string::npos) fail_file(file, "is a binary file (it holds a NUL byte), not JSON lines");
  std::vector<PreferenceText> out;
  size_t pos = 0;
  int line_no = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) nl = text.size();
    const std::string line = text.substr(pos, nl - pos);
    pos = nl + 1;
    ++line_no;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    JsonIn j = JsonIn::parse(line, file, "line " + std::to_string(line_no));
    PreferenceText p{j.string("prompt"), j.string("chosen"), j.string("rejected")};
    if (p.prompt.empty()) j.fail_here("has an empty prompt");
    if (p.chosen.empty() || p.rejected.empty()) j.fail_here("has an empty continuation");
    if (p.chosen == p.rejected) j.fail_here("has the same text chosen and rejected");
    out.push_back(std::move(p));
  }
  if (out.empty()) fail_file(file, "holds no preference pairs (one JSON object per line)");
  return out;
}

std::string preferences_to_jsonl(const std::vector<PreferenceText>& pairs) {
  std::string out;
  for (const PreferenceText& p : pairs) {
    nlohmann::ordered_json j = {{"prompt", p.prompt}, {"chosen", p.chosen}, {"rejected", p.rejected}};
    out += j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  }
  return out;
}

// [SECTION] sequence log-probabilities
double sequence_logprob(const GptConfig& d, const GptParamIdx& ix, const ParamSet& p, const std::vector<int32_t>& prompt,
                        const std::vector<int32_t>& cont, GptActs& a, SeqRows& rows) {
  if (prompt.empty()) fail("preference pair: the prompt has no tokens");
  if (cont.empty()) fail("preference pair: a continuation has no tokens");
  if (int(cont.size()) > d.block_size)
    fail("preference pair: a continuation of " + std::to_string(cont.size()) + " tokens does not fit the model's context of " +
         std::to_string(d.block_size));
  // inputs are seq[0..T−1] and targets seq[1..T], so T ≤ block_size allows block_size + 1 tokens
  const size_t keep = std::min(prompt.size(), size_t(d.block_size) + 1 - cont.size());
  std::vector<int32_t> seq(prompt.end() - std::ptrdiff_t(keep), prompt.end());
  seq.insert(seq.end(), cont.begin(), cont.end());
  rows.T = int(seq.size()) - 1;
  rows.first = int(keep) - 1;  // row j predicts seq[j+1]; the first continuation token is seq[keep]
  rows.count = int(cont.size());
  rows.tokens.assign(seq.begin(), seq.end() - 1);
  const std::vector<int32_t> targets(seq.begin() + 1, seq.end());
  gpt_train_forward(d, ix, p, rows.tokens.data(), targets.data(), 1, rows.T, a);
  double lp = 0;
  for (int r = rows.first; r < rows.first + rows.count; ++r) lp -= double(a.token_loss[size_t(r)]);
  return lp;
}

namespace {

// −log σ(u) = softplus(−u), without overflow for large |u|.
double neg_log_sigmoid(double u) { return u > 0 ? std::log1p(std::exp(-u)) : -u + std::log1p(std::exp(u)); }
double sigmoid(double x) { return x >= 0 ? 1.0 / (1.0 + std::exp(-x)) : std::exp(x) / (1.0 + std::exp(x)); }

// Σ over the continuation rows of KL(p ‖ q) of the next-token distributions (probs of two forwards).
double kl_rows(const Mat& p, const Mat& q, const SeqRows& rows) {
  double s = 0;
  for (int r = rows.first; r < rows.first + rows.count; ++r)
    for (Eigen::Index v = 0; v < p.cols(); ++v) {
      const double pv = p(r, v), qv = q(r, v);
      if (pv > 0) s += pv * (std::log(pv) - std::log(std::max(qv, 1e-30)));
    }
  return s;
}

}  // namespace

// [SECTION] DPO
DpoStats dpo_loss_and_grad(const GptConfig& d, const GptParamIdx& ix, ParamSet& p, const ParamSet& ref,
                           const std::vector<DpoPair>& pairs, float beta, bool with_grad) {
  if (pairs.empty()) fail("DPO: no preference pairs");
  if (!(beta > 0) || !std::isfinite(beta)) fail("DPO: β must be a positive number");
  if (ref.count() != p.count()) fail("DPO: the reference model does not match the model being tuned");
  DpoStats out;
  GptActs ac, ar, aref;
  SeqRows rc, rr, rtmp;
  const double P = double(pairs.size());
  double kl_tokens = 0;
  for (const DpoPair& pr : pairs) {
    DpoPairStats s;
    s.ref_chosen = sequence_logprob(d, ix, ref, pr.prompt, pr.chosen, aref, rtmp);
    s.logp_chosen = sequence_logprob(d, ix, p, pr.prompt, pr.chosen, ac, rc);
    double kl = kl_rows(ac.probs, aref.probs, rc);
    s.ref_rejected = sequence_logprob(d, ix, ref, pr.prompt, pr.rejected, aref, rtmp);
    s.logp_rejected = sequence_logprob(d, ix, p, pr.prompt, pr.rejected, ar, rr);
    kl += kl_rows(ar.probs, aref.probs, rr);
    s.kl = kl / double(rc.count + rr.count);
    kl_tokens += s.kl;
    s.u = double(beta) * ((s.logp_chosen - s.ref_chosen) - (s.logp_rejected - s.ref_rejected));
    s.loss = neg_log_sigmoid(s.u);
    out.loss += s.loss / P;
    out.accuracy += (s.u > 0 ? 1.0 : 0.0) / P;
    if (with_grad) {
      // log π(y) = −Σ token_loss over y's rows, so ∂loss/∂token_loss = −∂loss/∂log π(y)
      const float w = float(double(beta) * sigmoid(-s.u) / P);
      std::vector<float> dc(size_t(rc.T), 0.0f), dr(size_t(rr.T), 0.0f);
      for (int r = rc.first; r < rc.first + rc.count; ++r) dc[size_t(r)] = w;
      for (int r = rr.first; r < rr.first + rr.count; ++r) dr[size_t(r)] = -w;
      gpt_train_backward(d, ix, p, rc.tokens.data(), ac, dc.data());
      gpt_train_backward(d, ix, p, rr.tokens.data(), ar, dr.data());
    }
    out.pairs.push_back(s);
  }
  out.kl = kl_tokens / P;
  return out;
}

// [SECTION] the tuner
Tuner::Tuner(const GptConfig& cfg, const ParamSet& base, const TuneConfig& tc) : cfg_(cfg), tc_(tc), base_(base) {
  ix_ = gpt_param_index(cfg_, base_);
  if (tc_.context < 1) fail("fine-tuning: the context must be at least 1 token");
  tc_.context = std::min(tc_.context, cfg_.block_size);
  if (tc_.batch < 1) fail("fine-tuning: the batch must be at least 1 window");
  if (!(tc_.lr > 0) || !std::isfinite(tc_.lr)) fail("fine-tuning: the learning rate must be a positive number");
  if (tc_.lora_rank < 0) fail("fine-tuning: the LoRA rank must be 0 (all weights) or more");
  if (tc_.lora_rank > 0) lora_ = std::make_unique<Lora>(cfg_, base_, tc_.lora_rank, tc_.lora_alpha, tc_.seed);
  undo();
}

size_t Tuner::trainable_count() const { return lora_ ? lora_->trainable_count() : base_.count(); }

void Tuner::undo() {
  if (lora_) lora_ = std::make_unique<Lora>(cfg_, base_, tc_.lora_rank, tc_.lora_alpha, tc_.seed);
  eff_ = base_;
  eff_.zero_grad();
  opt_ = AdamW{};
  opt_.config.weight_decay = tc_.weight_decay;
  rng_.reseed(tc_.seed + 1);
  steps_ = 0;
  refresh();
}

void Tuner::refresh() {
  if (lora_) lora_->apply(base_, eff_);
}

void Tuner::set_corpus(std::vector<int32_t> tokens) {
  if (tokens.size() < size_t(tc_.context) + 2)
    fail("fine-tuning: the corpus has " + std::to_string(tokens.size()) + " tokens, fewer than the " +
         std::to_string(tc_.context + 2) + " one training window needs");
  for (int32_t t : tokens)
    if (t < 0 || t >= cfg_.vocab_size) fail("fine-tuning: token id " + std::to_string(t) + " is outside the vocabulary");
  corpus_ = std::move(tokens);
}

TuneStep Tuner::apply_update(double loss) {
  TuneStep st;
  st.loss = loss;
  ParamSet& tp = lora_ ? lora_->params : eff_;
  st.grad_norm = tc_.grad_clip > 0 ? tp.clip_grad_norm(tc_.grad_clip) : tp.grad_norm();
  if (!std::isfinite(loss) || !std::isfinite(st.grad_norm)) {
    st.ok = false;
    st.message = "the loss or the gradient is not a finite number; the weights were left as they were";
    return st;
  }
  opt_.step(tp, tc_.lr);
  ++steps_;
  refresh();
  return st;
}

void Tuner::restore(const ParamSet& tuned, int64_t steps) {
  if (lora_) fail("fine-tuning: a saved fine-tune comes back in every-weight mode, not into LoRA adapters");
  bool fits = tuned.data.size() == eff_.data.size() && tuned.views().size() == eff_.views().size();
  for (size_t i = 0; fits && i < eff_.views().size(); ++i)
    fits = tuned.views()[i].name == eff_.views()[i].name && tuned.views()[i].offset == eff_.views()[i].offset &&
           tuned.views()[i].size == eff_.views()[i].size;
  if (!fits) fail("fine-tuning: the saved weights do not fit this model");
  eff_.data = tuned.data;
  steps_ = std::max<int64_t>(0, steps);
  opt_ = AdamW{};
  opt_.config.weight_decay = tc_.weight_decay;
}

void Tuner::set_rates(float lr, float beta) {
  if (!(lr > 0) || !std::isfinite(lr)) fail("fine-tuning: the learning rate must be a positive number");
  tc_.lr = lr;
  tc_.beta = beta;
}

TuneStep Tuner::finetune_step() {
  if (corpus_.empty()) fail("fine-tuning: no corpus set");
  omp_set_num_threads(std::max(1, tc_.threads));  // per calling thread (the lab's worker, the CLI)
  const int B = tc_.batch, T = tc_.context;
  batch_.resize(size_t(B) * (T + 1));
  inp_.resize(size_t(B) * T);
  tgt_.resize(size_t(B) * T);
  const uint64_t starts = corpus_.size() - size_t(T);  // windows of T+1 tokens
  for (int b = 0; b < B; ++b) {
    const size_t s = size_t(rng_.below(starts));
    for (int t = 0; t < T; ++t) {
      inp_[size_t(b) * T + t] = corpus_[s + size_t(t)];
      tgt_[size_t(b) * T + t] = corpus_[s + size_t(t) + 1];
    }
  }
  const float loss = gpt_train_forward(cfg_, ix_, eff_, inp_.data(), tgt_.data(), B, T, acts_);
  eff_.zero_grad();
  gpt_train_backward(cfg_, ix_, eff_, inp_.data(), acts_);
  if (lora_) {
    lora_->params.zero_grad();
    lora_->backward(eff_);
  }
  return apply_update(loss);
}

DpoStats Tuner::dpo_step(const std::vector<DpoPair>& pairs) {
  omp_set_num_threads(std::max(1, tc_.threads));
  eff_.zero_grad();
  DpoStats s = dpo_loss_and_grad(cfg_, ix_, eff_, base_, pairs, tc_.beta, true);
  if (lora_) {
    lora_->params.zero_grad();
    lora_->backward(eff_);
  }
  TuneStep st = apply_update(s.loss);
  if (!st.ok) fail("DPO: " + st.message);
  s.grad_norm = st.grad_norm;
  return s;
}

DpoStats Tuner::dpo_measure(const std::vector<DpoPair>& pairs) const {
  omp_set_num_threads(std::max(1, tc_.threads));
  // with_grad = false: the weights are only read
  return dpo_loss_and_grad(cfg_, ix_, const_cast<ParamSet&>(eff_), base_, pairs, tc_.beta, false);
}

double Tuner::mean_loss(const std::vector<int32_t>& tokens, int n_windows, bool base) const {
  if (tokens.size() < 2 || n_windows < 1) return std::nan("");
  omp_set_num_threads(std::max(1, tc_.threads));
  const int T = int(std::min<size_t>(size_t(tc_.context), tokens.size() - 1));
  const size_t span = tokens.size() - size_t(T) - 1;  // last possible start
  const int n = int(std::min<size_t>(size_t(n_windows), span + 1));
  std::vector<int32_t> in(size_t(n) * T), tg(size_t(n) * T);
  for (int i = 0; i < n; ++i) {
    const size_t s = n > 1 ? span * size_t(i) / size_t(n - 1) : 0;
    for (int t = 0; t < T; ++t) {
      in[size_t(i) * T + t] = tokens[s + size_t(t)];
      tg[size_t(i) * T + t] = tokens[s + size_t(t) + 1];
    }
  }
  return gpt_train_forward(cfg_, ix_, base ? base_ : eff_, in.data(), tg.data(), n, T, acts_);
}

std::vector<MatrixChange> Tuner::changes() const {
  std::vector<MatrixChange> out;
  for (const ParamView& v : base_.views()) {
    MatrixChange c;
    c.name = v.name;
    double dn = 0, bn = 0;
    for (size_t i = 0; i < v.size; ++i) {
      const double b = base_.data[v.offset + i], e = eff_.data[v.offset + i];
      dn += (e - b) * (e - b);
      bn += b * b;
    }
    c.norm = std::sqrt(dn);
    c.base_norm = std::sqrt(bn);
    out.push_back(c);
  }
  return out;
}

}  // namespace gb
