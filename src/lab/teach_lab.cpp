// TeachLab: commands, the worker that runs fine-tuning and DPO steps, and the probes panels read.
#include "lab/teach_lab.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <cmath>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/files.hpp"
#include "lab/lab_settings.hpp"
#include "models/data/corpus.hpp"
#include "models/transformer/gpt_session.hpp"
#include "models/transformer/sampler.hpp"
#include "models/transformer/teach_data.hpp"

namespace gb {

namespace {
constexpr int kSampleTokens = 16;   // length of the A/B continuations
constexpr int kProbeTop = 8;        // candidates kept by the probes
constexpr int kRetrieveTop = 2;     // facts put in front of the prompt
constexpr double kRetrieveMin = 0.2;
constexpr int kForgetEvery = 5;     // fine-tuning steps between two points of the forgetting plot
constexpr int kForgetWindows = 8;   // windows of each loss measured for it
constexpr int kBiasStories = 200;   // doctor stories of one bias run

double now_s() { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); }

Gpt model_with(const GptConfig& cfg, const ParamSet& weights) {
  Gpt g(cfg);
  g.params.data = weights.data;
  g.threads = 1;
  return g;
}

// The next-token logits (V) after `ids` (1 to block_size tokens) under the weights `w`.
std::vector<float> next_logits(const GptConfig& cfg, const ParamSet& w, const std::vector<int32_t>& ids) {
  Gpt g = model_with(cfg, w);
  KvCache cache;
  std::vector<float> logits;
  gpt_decode(g, cache, ids.data(), int(ids.size()), logits);
  return logits;
}

// softmax(logits)[id], computed stably.
double softmax_at(const std::vector<float>& logits, int32_t id) {
  double mx = logits[0], z = 0;
  for (float v : logits) mx = std::max(mx, double(v));
  for (float v : logits) z += std::exp(double(v) - mx);
  return std::exp(double(logits[size_t(id)]) - mx) / z;
}
}  // namespace

TeachLab::TeachLab() { reset_to_defaults(); }

TeachLab::~TeachLab() {
  stop_ = true;
  if (job_.joinable()) job_.join();
}

void TeachLab::reset_to_defaults() {
  stop_ = true;
  if (job_.joinable()) job_.join();
  stop_ = false;
  tc_ = TuneConfig{};
  tc_.lr = 1e-3f;
  tc_.batch = 8;
  tc_.context = 64;
  tc_.beta = 0.1f;
  if (model_) tuner_ = std::make_unique<Tuner>(model_->model.config, model_->model.params, tc_);
  corpus_name_ = "sea";
  corpus_.clear();
  prompt_ = "Lily's dog is called";
  sample_a_.clear();
  sample_b_.clear();
  sample_seed_ = 1;
  rule_.clear();
  if (!store_dir_.empty() && !votes_.empty()) {
    // A lesson's baseline clears the list; the class's votes are kept beside the store first (the next vote
    // rewrites votes.jsonl), so `teach votes load` can bring them back.
    try {
      write_file_atomic(store_dir_ + "/votes-before-reset.jsonl", preferences_to_jsonl(votes_));
    } catch (const std::exception&) {
    }
  }
  votes_.clear();
  retrieve_ = false;
  facts_ = FactBook{};
  facts_set_ = false;
  fact_scores_.clear();
  mix_ = 0.5;
  steps_ = 30;
  probe_ = TeachProbe{};
  vote_stats_ = DpoStats{};
  facts_probe_ = TeachFactsProbe{};
  fresh_.clear();
  if (model_) load_shipped_facts();
  job_mixes_.clear();
  bias_pending_ = false;
  ++generation_;
  {
    std::lock_guard<std::mutex> g(progress_mu_);
    progress_ = TeachProgress{};
  }
  refresh_probe();  // the probes of the default prompt and the shipped facts (nothing without a model)
}

std::vector<PanelInfo> TeachLab::panels() const {
  return {{"teach.finetune", "Fine-tuning: before and after"},
          {"teach.forgetting", "Forgetting: new style vs old stories"},
          {"teach.changes", "Which weights changed (\xe2\x80\x96\xce\x94W\xe2\x80\x96, LoRA's B\xc2\xb7" "A)"},
          {"teach.bias", "Bias comes from the data"},
          {"teach.votes", "Human votes: A or B?"},
          {"teach.dpo", "Learning from the votes (DPO)"},
          {"teach.facts", "Facts and retrieval: why a fluent model says false things"}};
}

std::vector<std::string> TeachLab::default_panels() const { return {"teach.finetune", "teach.forgetting", "teach.changes"}; }

TeachSettings TeachLab::settings() const {
  TeachSettings s;
  s.lr = tc_.lr;
  s.beta = tc_.beta;
  s.seed = tc_.seed;
  s.mix = mix_;
  s.rank = tc_.lora_rank;
  s.steps = steps_;
  return s;
}

std::vector<CommandHelp> TeachLab::commands() const {
  std::vector<CommandHelp> v = {{"load shipped|PATH", "the model to start from; it is also the frozen base"},
          {"corpus sea|space|rhyme|mix|PATH", "the text to fine-tune on (stories separated by blank lines)"},
          {"mode full|lora R", "train every weight, or LoRA adapters of rank R (starts over from the base)"},
          {"finetune [N]", "N fine-tuning steps in the background (default: the steps setting)"},
          {"prompt \"…\"", "the prompt of the probes, the samples and retrieval"},
          {"sample", "write two continuations A and B of the prompt"},
          {"vote a|b", "the class prefers A (or B): one (prompt, chosen, rejected) pair"},
          {"autovote N", "with a rule: sample pairs until the rule has cast N more votes"},
          {"fresh [N]", "N fresh samples of the prompt from the model as it is now (default 10)"},
          {"rule WORD|off", "a rule-voter: after `teach sample`, vote for the one containing WORD"},
          {"dpo steps N", "N DPO steps on all the votes, against the frozen base"},
          {"votes save PATH|load PATH|clear|remove N", "the vote list as JSON lines (prompt, chosen, rejected), as glassbox dpo reads"},
          {"retrieve on|off", "put the best-scoring facts in front of the prompt"},
          {"facts add \"…\"|load PATH|clear|shipped|remove N", "edit the notebook of facts (shipped: assets/teach/facts.txt)"},
          {"corpus text \"…\"", "fine-tune on your own text, pasted (stories separated by blank lines)"},
          {"bias run [P …]|clear", "for the mix (or each share P, 0–1, in turn): from the base, fine-tune `steps` steps on those doctor stories and add a point (p(she), p(he)) to the bias plot"},
          {"undo", "back to the base model (votes and facts kept)"},
          {"stop|wait", "stop the background job after its step, or wait until it ends"},
          {"save PATH", "write the tuned model as a checkpoint"}};
  for (auto& h : setting_commands(setting_specs(teach_settings_table()))) v.push_back(h);
  return v;
}

CommandResult TeachLab::handle_set(const std::string& sub, size_t n, const std::vector<std::string>& args) {
  const bool verb_form = sub != "set";  // old spellings: `teach lr 0.001`, `teach mix 0.8`
  if (n != (verb_form ? 1u : 2u)) return CommandResult::bad(verb_form ? sub + ": expected one value" : "set: expected `set NAME VALUE`");
  TeachSettings st = settings();
  const Setting<TeachSettings>* changed = nullptr;
  CommandResult r = apply_setting(teach_settings_table(), st, verb_form ? sub : args[0], verb_form ? args[0] : args[1], &changed);
  if (!r.ok) return r;
  const std::string name = changed->spec.name;
  if (name == "rank" && model_ && st.rank > model_->model.config.n_embd)
    return CommandResult::bad("rank " + std::to_string(st.rank) + ": at most the model's width, " + std::to_string(model_->model.config.n_embd));
  tc_.lr = st.lr;
  tc_.beta = st.beta;
  tc_.seed = st.seed;
  tc_.lora_rank = st.rank;
  mix_ = st.mix;
  steps_ = st.steps;
  if (name == "mix") {  // the doctor stories of this mix become the corpus (built now when the model is here)
    corpus_name_ = "mix";
    corpus_.clear();
    if (!tuner_) return r;
    CommandResult c = handle(parse_command("teach corpus mix"));
    return c.ok ? CommandResult::good(r.message + "; " + c.message) : c;
  }
  if (!tuner_ || name == "steps") return r;
  if (name == "lr" || name == "beta") {
    tuner_->set_rates(tc_.lr, tc_.beta);
    return CommandResult::good(r.message + " (from the next step; the tuned weights are kept)");
  }
  // seed, rank: a new start from the base
  tuner_ = std::make_unique<Tuner>(model_->model.config, model_->model.params, tc_);
  if (!corpus_.empty()) tuner_->set_corpus(corpus_);
  tuner_changed();
  refresh_probe();
  return CommandResult::good(r.message + "; the model starts over from the base (trains " + std::to_string(tuner_->trainable_count()) +
                             " of " + std::to_string(tuner_->model_count()) + " numbers)");
}

std::vector<int32_t> TeachLab::encode(const std::string& s) const {
  std::vector<int32_t> out;
  for (int id : tok_->encode(s)) out.push_back(int32_t(id));
  return out;
}

CommandResult TeachLab::ensure_model() {
  if (tuner_) return CommandResult::good();
  const std::string path = model_path_.empty() ? assets_dir() + "/models/stories-gpt.safetensors" : model_path_;
  try {
    auto m = std::make_unique<LoadedGpt>(load_gpt(path));
    auto tok = load_tokenizer_for(*m);
    if (!tok) return CommandResult::bad(path + ": this model has no tokenizer, so it cannot read text");
    tuner_ = std::make_unique<Tuner>(m->model.config, m->model.params, tc_);
    model_ = std::move(m);
    tok_ = tok;
    stories_ = encode(generate_stories(kStoriesSeed + 7, 24000));  // held out: not the pretraining stories' seed
    base_she_ = next_prob(kDoctorProbe, " she", true);
    base_he_ = next_prob(kDoctorProbe, " he", true);
    ++generation_;
    restore_tuned();
  } catch (const Error& e) {
    return CommandResult::bad(e.what());
  }
  if (!facts_set_) {
    try {
      facts_ = FactBook::load(assets_dir() + "/teach/facts.txt");
      facts_set_ = true;
    } catch (const Error& e) {
      return CommandResult::good(std::string("model loaded; the shipped facts did not: ") + e.what());
    }
  }
  return CommandResult::good();
}

void TeachLab::load_shipped_facts() {
  try {
    facts_ = FactBook::load(assets_dir() + "/teach/facts.txt");
    facts_set_ = true;
  } catch (const Error&) {
    facts_ = FactBook{};  // ensure_model says why when the model loads
  }
}

std::string TeachLab::ensure_loaded() {
  if (tuner_) return "";
  CommandResult r = ensure_model();
  if (!r.ok) return r.message;
  refresh_probe();
  return r.message;
}

TeachProgress TeachLab::progress() const {
  std::lock_guard<std::mutex> g(progress_mu_);
  return progress_;
}

std::string TeachLab::status() const {
  TeachProgress p = progress();
  if (p.running)
    return std::string(p.job == TeachProgress::Job::dpo ? "learning from votes" : "fine-tuning") + " step " +
           std::to_string(p.step) + "/" + std::to_string(p.total);
  return "idle";
}

void TeachLab::join_job() {
  if (!job_.joinable()) return;
  job_.join();
  finish_job();
}

void TeachLab::update(double) {
  if (job_.joinable() && !job_running_.load()) join_job();
}

std::map<std::string, std::string> TeachLab::tuning_metadata() const {
  nlohmann::ordered_json rec = {{"kind", "teach"}, {"mode", tc_.lora_rank ? "lora" : "full"}, {"lora_rank", tc_.lora_rank},
                                {"steps", tuner_->steps_done()}, {"votes", votes_.size()}};
  return {{"glassbox.tuning", rec.dump()},
          {"glassbox.teach_base", model_path_.empty() ? "shipped" : model_path_},
          {"glassbox.teach_steps", std::to_string(tuner_->steps_done())}};
}

void TeachLab::save_tuned() {
  if (tuned_file_.empty() || !tuner_ || busy()) return;
  try {
    if (tuner_->steps_done() == 0) {
      std::error_code ec;
      std::filesystem::remove(tuned_file_, ec);
      return;
    }
    const std::filesystem::path dir = std::filesystem::path(tuned_file_).parent_path();
    if (!dir.empty()) std::filesystem::create_directories(dir);
    std::string tj = !model_->tokenizer_json.empty() ? model_->tokenizer_json : tok_->to_json().dump();
    save_gpt_checkpoint(tuned_file_, model_->model.config, tuner_->weights(), tj, DType::F32, tuning_metadata());
    tuned_message_.clear();
  } catch (const std::exception& e) {
    tuned_message_ = std::string("the tuned model was not kept: ") + e.what();
  }
}

void TeachLab::restore_tuned() {
  if (tuned_file_.empty() || !std::filesystem::exists(tuned_file_)) return;
  try {
    LoadedGpt t = load_gpt(tuned_file_);
    auto base = t.metadata.find("glassbox.teach_base");
    const std::string want = model_path_.empty() ? "shipped" : model_path_;
    if (base == t.metadata.end() || base->second != want) {
      tuned_message_ = tuned_file_ + ": tuned from another model (" + (base == t.metadata.end() ? "unknown" : base->second) +
                       "), not restored";
      return;
    }
    int64_t steps = 0;
    auto st = t.metadata.find("glassbox.teach_steps");
    if (st != t.metadata.end()) {
      double v = 0;
      std::string err;
      if (parse_number(st->second, 0, 1e12, v, err, "steps")) steps = int64_t(v);
    }
    if (tc_.lora_rank != 0) {  // a saved fine-tune comes back with every weight (LoRA was merged into it)
      tc_.lora_rank = 0;
      tuner_ = std::make_unique<Tuner>(model_->model.config, model_->model.params, tc_);
    }
    tuner_->restore(t.model.params, steps);
    ++generation_;
    tuned_message_ = "restored your fine-tuned model (" + std::to_string(steps) + " steps) from " + tuned_file_;
  } catch (const std::exception& e) {
    tuned_message_ = std::string("the saved tuned model was not restored: ") + e.what();
  }
}

void TeachLab::finish_job() {
  ++generation_;
  if (progress().job == TeachProgress::Job::autovote) {
    const size_t got = job_auto_votes_.size();
    for (auto& vote : job_auto_votes_) votes_.push_back(std::move(vote));
    job_auto_votes_.clear();
    refresh_votes();
    store_votes();
    autovote_summary_ = std::to_string(got) + " new votes after " + std::to_string(job_auto_pairs_) + " sample pairs (" +
                        std::to_string(votes_.size()) + " in all)" +
                        (got < job_auto_want_ ? "; the model rarely writes \"" + job_auto_rule_ + "\" after this prompt" : "");
  }
  save_tuned();
  refresh_probe();
  // fresh samples that show the class's taste after learning (same seeds as before: a fair comparison)
  if (progress().job == TeachProgress::Job::dpo) handle(parse_command("teach fresh " + std::to_string(fresh_.empty() ? 10 : fresh_.size())));
  if (bias_pending_) {
    bias_pending_ = false;
    if (!job_mixes_.empty()) mix_ = job_mixes_.back();
    job_mixes_.clear();
  }
}

void TeachLab::tuner_changed() {
  ++generation_;
  std::lock_guard<std::mutex> g(progress_mu_);
  progress_.forgetting.clear();
}

size_t TeachLab::trainable_for(int rank) const {
  if (!model_) return 0;
  const GptConfig& c = model_->model.config;
  return rank <= 0 ? tuner_->model_count() : size_t(16) * size_t(c.n_embd) * size_t(rank) * size_t(c.n_layer);
}

const std::vector<MatrixChange>& TeachLab::changes() const {
  static const std::vector<MatrixChange> none;
  if (!tuner_ || busy()) return none;
  if (changes_gen_ != generation_) {
    changes_ = tuner_->changes();
    changes_gen_ = generation_;
  }
  return changes_;
}

const std::vector<float>& TeachLab::lora_product(size_t target, int& rows, int& cols) const {
  static const std::vector<float> none;
  rows = cols = 0;
  if (!tuner_ || busy() || !tuner_->lora() || target >= tuner_->lora()->targets().size()) return none;
  if (product_gen_ != generation_ || product_target_ != target) {
    Mat d = tuner_->lora()->delta(target);
    product_.assign(d.data(), d.data() + d.size());
    product_rows_ = int(d.rows());
    product_cols_ = int(d.cols());
    product_gen_ = generation_;
    product_target_ = target;
  }
  rows = product_rows_;
  cols = product_cols_;
  return product_;
}

CommandResult TeachLab::start_job(TeachProgress::Job job, int64_t steps) {
  join_job();
  {
    std::lock_guard<std::mutex> g(progress_mu_);
    progress_.job = job;
    progress_.running = true;
    progress_.step = 0;
    progress_.total = steps;
    progress_.message.clear();
  }
  stop_ = false;
  job_running_ = true;
  job_ = std::thread([this, job, steps] {
    const double t0 = now_s();
    int64_t done = 0;
    std::string message;
    // forgetting: both losses at the start of a fine-tuning run (when not measured there yet) and every few steps
    const bool bias = !job_mixes_.empty();  // a bias job: one run per mix, each from the base
    const int64_t per = bias ? std::max<int64_t>(1, steps / int64_t(job_mixes_.size())) : steps;
    auto measure = [&] {
      if (job != TeachProgress::Job::finetune || stories_.empty() || bias) return;
      TeachForgetPoint pt;
      pt.step = tuner_->steps_done();
      pt.style = float(tuner_->mean_loss(corpus_, kForgetWindows));
      pt.stories = float(tuner_->mean_loss(stories_, kForgetWindows));
      std::lock_guard<std::mutex> g(progress_mu_);
      if (progress_.forgetting.empty() || progress_.forgetting.back().step != pt.step) progress_.forgetting.push_back(pt);
    };
    try {
      measure();
      for (; done < steps && !stop_.load(); ++done) {
        if (job == TeachProgress::Job::finetune) {
          if (bias && done % per == 0) {  // a new run: the base, the doctor stories of this mix
            tuner_->undo();
            const double m = job_mixes_[size_t(done / per)];
            corpus_ = encode(corpus_from_text(doctor_mix_corpus(m, kBiasStories, tc_.seed), "doctor stories"));
            tuner_->set_corpus(corpus_);
          }
          TuneStep st = tuner_->finetune_step();
          if (!st.ok) {
            message = st.message;
            break;
          }
          {
            std::lock_guard<std::mutex> g(progress_mu_);
            progress_.finetune_loss.push_back(float(st.loss));
            progress_.step = done + 1;
          }
          if ((done + 1) % kForgetEvery == 0 || done + 1 == steps) measure();
          if (bias && (done + 1) % per == 0) {
            TeachBiasPoint b;
            b.mix = job_mixes_[size_t(done / per)];
            b.steps = int(per);
            b.p_she = prob_with(tuner_->weights(), kDoctorProbe, " she");
            b.p_he = prob_with(tuner_->weights(), kDoctorProbe, " he");
            std::lock_guard<std::mutex> g(progress_mu_);
            progress_.bias.push_back(b);
          }
        } else if (job == TeachProgress::Job::autovote) {
          if (job_auto_votes_.size() >= job_auto_want_) break;
          const std::string a = sample_text(tc_.seed * 1000 + sample_seed_++);
          const std::string b = sample_text(tc_.seed * 1000 + sample_seed_++);
          ++job_auto_pairs_;
          const bool ha = a.find(job_auto_rule_) != std::string::npos, hb = b.find(job_auto_rule_) != std::string::npos;
          if (ha != hb) job_auto_votes_.push_back({job_auto_prompt_, ha ? a : b, ha ? b : a});
          std::lock_guard<std::mutex> g(progress_mu_);
          progress_.step = done + 1;
        } else {
          DpoStats st = tuner_->dpo_step(job_pairs_);
          std::lock_guard<std::mutex> g(progress_mu_);
          progress_.dpo_loss.push_back(float(st.loss));
          progress_.dpo_kl.push_back(float(st.kl));
          progress_.step = done + 1;
        }
      }
      if (done > 0 && done < steps) measure();  // stopped early: where it stopped
    } catch (const Error& e) {
      message = e.what();
    }
    std::lock_guard<std::mutex> g(progress_mu_);
    progress_.running = false;
    progress_.seconds_per_step = done > 0 ? (now_s() - t0) / double(done) : 0;
    progress_.message = !message.empty() ? message : stop_.load() ? "stopped" : "";
    job_running_ = false;
  });
  return CommandResult::good();
}

void TeachLab::refresh_probe() {
  if (!tuner_ || busy()) return;
  fact_scores_ = facts_.facts.empty() ? std::vector<FactScore>{} : facts_.score(prompt_);
  refresh_facts_probe();
  refresh_votes();
  probe_ = TeachProbe{};
  probe_.context = retrieve_ && !facts_.facts.empty() ? with_facts(facts_, fact_scores_, kRetrieveTop, prompt_, kRetrieveMin) : prompt_;
  std::vector<int32_t> ids = encode(probe_.context);
  const GptConfig& cfg = tuner_->model_config();
  if (ids.empty() || int(ids.size()) > cfg.block_size) return;
  for (int which = 0; which < 2; ++which) {
    const std::vector<float> logits = next_logits(cfg, which == 0 ? tuner_->base() : tuner_->weights(), ids);
    auto top = top_tokens(logits.data(), cfg.vocab_size, kProbeTop);
    std::vector<std::string> txt;
    for (const TokenScore& t : top) txt.push_back(tok_->decode({t.id}));
    (which == 0 ? probe_.base_top : probe_.tuned_top) = top;
    (which == 0 ? probe_.base_tokens : probe_.tuned_tokens) = txt;
  }
}

double TeachLab::next_prob(const std::string& context, const std::string& word, bool base) const {
  if (!tuner_ || busy()) return std::nan("");
  return prob_with(base ? tuner_->base() : tuner_->weights(), context, word);
}

double TeachLab::prob_with(const ParamSet& weights, const std::string& context, const std::string& word) const {
  std::vector<int32_t> ids = encode(context), w = encode(word);
  const GptConfig& cfg = tuner_->model_config();
  if (ids.empty() || w.empty() || int(ids.size()) > cfg.block_size) return std::nan("");
  return softmax_at(next_logits(cfg, weights, ids), w[0]);
}

std::string TeachLab::sample_text(uint64_t seed) const {
  const GptConfig& cfg = tuner_->model_config();
  Gpt g = model_with(cfg, tuner_->weights());
  std::vector<int32_t> ids = encode(prompt_);
  KvCache cache;
  std::vector<float> logits;
  gpt_decode(g, cache, ids.data(), int(ids.size()), logits);
  Rng rng(seed);
  SamplerSettings ss;
  ss.temperature = 1.0f;
  ss.top_k = 40;
  const int eos = tok_->special_id("<|endoftext|>");
  std::vector<int> out;
  for (int i = 0; i < kSampleTokens && cache.length < cfg.block_size; ++i) {
    SampleStep st = sample_step(logits.data(), cfg.vocab_size, ss, rng);
    if (st.token == eos) break;
    out.push_back(st.token);
    const std::string piece = tok_->decode({st.token});
    if (piece.find('.') != std::string::npos || piece.find('!') != std::string::npos) break;  // one sentence
    gpt_decode(g, cache, &st.token, 1, logits);
  }
  return tok_->decode(out);
}

// [SECTION] teachB: the votes' DPO numbers, retrieval before/after, the store
void TeachLab::refresh_votes() {
  vote_stats_ = DpoStats{};
  if (!tuner_ || busy() || votes_.empty()) return;
  std::vector<DpoPair> pairs;
  for (const TeachVote& tv : votes_) {
    pairs.push_back({encode(tv.prompt), encode(tv.chosen), encode(tv.rejected)});
    if (pairs.back().prompt.empty() || pairs.back().chosen.empty() || pairs.back().rejected.empty()) return;
  }
  try {
    vote_stats_ = tuner_->dpo_measure(pairs);
  } catch (const Error&) {
    vote_stats_ = DpoStats{};
  }
}

namespace {
std::string lower(std::string s) {
  for (char& ch : s)
    if (ch >= 'A' && ch <= 'Z') ch = char(ch - 'A' + 'a');
  return s;
}
std::string trim(const std::string& s) {
  size_t a = s.find_first_not_of(" \t\r\n"), b = s.find_last_not_of(" \t\r\n");
  return a == std::string::npos ? "" : s.substr(a, b - a + 1);
}
// The word a fact says comes right after `prompt` ("Lily's dog is called Max." → " Max"), or "".
std::string answer_after(const std::string& fact, const std::string& prompt) {
  const std::string f = trim(fact), p = trim(prompt);
  if (p.empty() || f.size() <= p.size() || lower(f.substr(0, p.size())) != lower(p) || f[p.size()] != ' ') return "";
  std::string rest = trim(f.substr(p.size()));
  size_t end = 0;
  while (end < rest.size() && rest[end] != ' ' && rest[end] != '.' && rest[end] != ',' && rest[end] != '!' && rest[end] != '?') ++end;
  return end == 0 ? "" : " " + rest.substr(0, end);
}
}  // namespace

void TeachLab::refresh_facts_probe() {
  facts_probe_ = TeachFactsProbe{};
  if (!tuner_ || busy()) return;
  TeachFactsProbe& fp = facts_probe_;
  for (const FactScore& s : fact_scores_) {
    fp.answer = answer_after(facts_.facts[size_t(s.index)], prompt_);
    if (!fp.answer.empty()) {
      fp.answer_fact = s.index;
      break;
    }
  }
  for (const FactScore& s : fact_scores_) {
    if (int(fp.retrieved.size()) >= kRetrieveTop) break;
    if (s.score > kRetrieveMin) fp.retrieved.insert(fp.retrieved.begin(), s.index);  // best last, as with_facts
  }
  fp.context_without = prompt_;
  fp.context_with = facts_.facts.empty() ? prompt_ : with_facts(facts_, fact_scores_, kRetrieveTop, prompt_, kRetrieveMin);
  fp.p_without = fp.p_with = std::nan("");
  const GptConfig& cfg = tuner_->model_config();
  const std::vector<int32_t> ans = fp.answer.empty() ? std::vector<int32_t>{} : encode(fp.answer);
  for (int which = 0; which < 2; ++which) {
    const std::vector<int32_t> ids = encode(which == 0 ? fp.context_without : fp.context_with);
    if (ids.empty() || int(ids.size()) > cfg.block_size) continue;
    const std::vector<float> logits = next_logits(cfg, tuner_->weights(), ids);
    auto top = top_tokens(logits.data(), cfg.vocab_size, kProbeTop);
    std::vector<std::string> txt;
    for (const TokenScore& t : top) txt.push_back(tok_->decode({t.id}));
    const double p = ans.empty() ? std::nan("") : softmax_at(logits, ans[0]);
    (which == 0 ? fp.top_without : fp.top_with) = top;
    (which == 0 ? fp.tokens_without : fp.tokens_with) = txt;
    (which == 0 ? fp.p_without : fp.p_with) = p;
  }
}

namespace {
bool only_blank_or_notes(const std::string& text) {
  size_t i = 0;
  while (i < text.size()) {
    size_t e = text.find('\n', i);
    if (e == std::string::npos) e = text.size();
    const std::string line = trim(text.substr(i, e - i));
    if (!line.empty() && line[0] != '#') return false;
    i = e + 1;
  }
  return true;
}
}  // namespace

void TeachLab::set_store_dir(const std::string& dir) {
  store_dir_ = dir;
  store_message_.clear();
  if (dir.empty()) return;
  auto set_aside = [&](const std::string& path, const std::string& why) {
    const std::string copy = path + ".damaged";
    try {
      write_file_atomic(copy, read_file(path));
      store_message_ += why + "; started afresh, the old file is kept as " + copy + ". ";
    } catch (const std::exception&) {
      store_message_ += why + "; started afresh. ";
    }
  };
  const std::string votes_path = dir + "/votes.jsonl", facts_path = dir + "/facts.txt";
  if (file_exists(votes_path)) {
    try {
      const std::string text = read_file(votes_path);
      votes_ = only_blank_or_notes(text) ? std::vector<TeachVote>{} : parse_preferences(text, votes_path);
    } catch (const std::exception& e) {
      votes_.clear();
      set_aside(votes_path, e.what());
    }
  }
  if (file_exists(facts_path)) {
    try {
      const std::string text = read_file(facts_path);
      facts_ = only_blank_or_notes(text) ? FactBook{} : FactBook::parse(text, facts_path);
      facts_set_ = true;
    } catch (const std::exception& e) {
      set_aside(facts_path, e.what());
    }
  }
  if (!store_message_.empty() && store_message_.back() == ' ') store_message_.pop_back();
  refresh_probe();
}

void TeachLab::store_votes() {
  if (store_dir_.empty()) return;
  try {
    write_file_atomic(store_dir_ + "/votes.jsonl", preferences_to_jsonl(votes_));
  } catch (const std::exception& e) {
    store_message_ = std::string("the votes were not saved: ") + e.what();
  }
}

void TeachLab::store_facts() {
  if (store_dir_.empty()) return;
  std::string text = "# The story world notebook of Glassbox's teach workspace: one fact per line.\n";
  for (const std::string& f : facts_.facts) text += f + "\n";
  try {
    write_file_atomic(store_dir_ + "/facts.txt", text);
  } catch (const std::exception& e) {
    store_message_ = std::string("the facts were not saved: ") + e.what();
  }
}

CommandResult TeachLab::handle(const Command& c) {
  // Through a Session the lab gets "finetune 30" (the workspace name taken off, as every lab);
  // called directly, "teach finetune 30" works too.
  const size_t skip = c.verb() == "teach" ? 1 : 0;
  if (c.words.size() <= skip) return CommandResult::bad("usage: teach SUBCOMMAND … (see `help teach`)");
  const std::string& sub = c.words[skip];
  const size_t n = c.words.size() - skip - 1;  // words after the subcommand
  auto arg = [&](size_t i) -> const std::string& { return c.words.at(skip + 1 + i); };
  std::string err;
  double v = 0;
  if (sub == "wait") {
    join_job();
    update(0);
    TeachProgress p = progress();
    if (!p.message.empty() && p.message != "stopped") return CommandResult::bad(p.message);
    return CommandResult::good(p.job == TeachProgress::Job::autovote && !autovote_summary_.empty() ? autovote_summary_ : "done");
  }
  if (sub == "stop") {
    stop_ = true;
    return CommandResult::good(busy() ? "stopping after this step" : "nothing is running");
  }
  if (busy()) {
    const TeachProgress::Job j = progress().job;
    return CommandResult::bad(std::string(j == TeachProgress::Job::dpo        ? "a DPO run"
                                          : j == TeachProgress::Job::autovote ? "the rule-voter"
                                                                               : "a fine-tuning run") +
                              " is going; `teach stop` or `teach wait` first");
  }
  update(0);
  if (sub == "set" || find_setting(teach_settings_table(), sub)) {  // needs no model: applies when one loads
    std::vector<std::string> args(c.words.begin() + long(skip) + 1, c.words.end());
    return handle_set(sub, n, args);
  }
  if (sub == "load") {
    if (n != 1) return CommandResult::bad("usage: teach load shipped|PATH");
    const std::string keep = model_path_;
    model_path_ = arg(0) == "shipped" ? "" : arg(0);
    tuner_.reset();
    CommandResult r = ensure_model();
    if (!r.ok) {
      model_path_ = keep;
      tuner_.reset();
      ensure_model();
      return r;
    }
    corpus_.clear();
    refresh_probe();
    return CommandResult::good("loaded; " + std::to_string(tuner_->model_count()) + " numbers" +
                               (tuned_message_.empty() ? "" : "; " + tuned_message_));
  }
  CommandResult r = ensure_model();
  if (!r.ok) return r;
  if (sub == "mode") {
    if (n == 1 && arg(0) == "full") {
      tc_.lora_rank = 0;
    } else if (n == 2 && arg(0) == "lora") {
      const double hi = std::min(lab_setting("teach", "rank").hi, double(tuner_->model_config().n_embd));
      if (!parse_number(arg(1), 1, hi, v, err, "rank")) return CommandResult::bad(err);
      tc_.lora_rank = int(v);
    } else {
      return CommandResult::bad("usage: teach mode full|lora R");
    }
    tuner_ = std::make_unique<Tuner>(model_->model.config, model_->model.params, tc_);
    if (!corpus_.empty()) tuner_->set_corpus(corpus_);
    tuner_changed();
    refresh_probe();
    return CommandResult::good(std::string(tc_.lora_rank ? "LoRA" : "every weight") + ": trains " +
                               std::to_string(tuner_->trainable_count()) + " of " + std::to_string(tuner_->model_count()) + " numbers");
  }
  if (sub == "corpus" && n == 2 && arg(0) == "text") {  // the teacher's own text, pasted
    try {
      std::vector<int32_t> t = encode(corpus_from_text(arg(1), "the pasted text"));
      tuner_->set_corpus(t);
      corpus_ = std::move(t);
      corpus_name_ = "text";
      tuner_changed();
    } catch (const Error& e) {
      return CommandResult::bad(e.what());
    }
    return CommandResult::good("corpus: your text, " + std::to_string(corpus_.size()) + " tokens");
  }
  if (sub == "corpus") {
    if (n != 1) return CommandResult::bad("usage: teach corpus sea|space|rhyme|mix|PATH | teach corpus text \"…\"");
    const std::string& name = arg(0);
    try {
      std::string path = name == "sea" || name == "space" || name == "rhyme" ? assets_dir() + "/teach/" + name + "-stories.txt" : name;
      std::string text = name == "mix" ? corpus_from_text(doctor_mix_corpus(mix_, kBiasStories, tc_.seed), "doctor stories")
                                       : corpus_from_text(read_file(path), path);
      std::vector<int32_t> t = encode(text);
      tuner_->set_corpus(t);
      corpus_ = std::move(t);
      corpus_name_ = name;
      tuner_changed();  // the forgetting plot follows one corpus
    } catch (const Error& e) {
      return CommandResult::bad(e.what());
    }
    return CommandResult::good("corpus " + name + ": " + std::to_string(corpus_.size()) + " tokens");
  }
  if (sub == "finetune") {
    double steps = steps_;
    if (n > 1 || (n == 1 && !parse_number(arg(0), 1, 100000, steps, err, "steps"))) return CommandResult::bad(n > 1 ? "usage: teach finetune [N]" : err);
    if (corpus_.empty()) {
      if (corpus_name_ == "text") return CommandResult::bad("paste your text again: `teach corpus text \"…\"`");
      CommandResult cr = handle(parse_command("teach corpus " + quote_word(corpus_name_)));
      if (!cr.ok) return cr;
    }
    return start_job(TeachProgress::Job::finetune, int64_t(steps));
  }
  if (sub == "prompt") {
    if (n != 1 || arg(0).empty()) return CommandResult::bad("usage: teach prompt \"…\"");
    prompt_ = arg(0);
    sample_a_.clear();
    sample_b_.clear();
    fresh_.clear();
    refresh_probe();
    return CommandResult::good();
  }
  if (sub == "sample") {
    if (n != 0) return CommandResult::bad("usage: teach sample");
    sample_a_ = sample_text(tc_.seed * 1000 + sample_seed_++);
    sample_b_ = sample_text(tc_.seed * 1000 + sample_seed_++);
    for (int tries = 0; sample_b_ == sample_a_ && tries < 5; ++tries) sample_b_ = sample_text(tc_.seed * 1000 + sample_seed_++);
    if (!rule_.empty()) {
      const bool a = sample_a_.find(rule_) != std::string::npos, b = sample_b_.find(rule_) != std::string::npos;
      if (a != b) return handle(parse_command(a ? "teach vote a" : "teach vote b"));
      return CommandResult::good("A: " + sample_a_ + " | B: " + sample_b_ + " (the rule cannot choose)");
    }
    return CommandResult::good("A: " + sample_a_ + " | B: " + sample_b_);
  }
  if (sub == "vote") {
    if (n != 1 || (arg(0) != "a" && arg(0) != "b")) return CommandResult::bad("usage: teach vote a|b");
    if (sample_a_.empty() || sample_b_.empty() || sample_a_ == sample_b_)
      return CommandResult::bad("there are no two different samples to vote on; `teach sample` first");
    const bool a = arg(0) == "a";
    votes_.push_back({prompt_, a ? sample_a_ : sample_b_, a ? sample_b_ : sample_a_});
    sample_a_.clear();
    sample_b_.clear();
    refresh_votes();
    store_votes();
    return CommandResult::good(std::to_string(votes_.size()) + " votes");
  }
  if (sub == "autovote") {  // in the worker: dozens of samples take seconds, and the UI must not wait
    if (n != 1 || !parse_number(arg(0), 1, 1000, v, err, "votes")) return CommandResult::bad(n != 1 ? "usage: teach autovote N" : err);
    if (rule_.empty()) return CommandResult::bad("no rule to vote by: `teach rule WORD` first");
    join_job();
    job_auto_want_ = size_t(v);
    job_auto_pairs_ = 0;
    job_auto_rule_ = rule_;
    job_auto_prompt_ = prompt_;
    job_auto_votes_.clear();
    autovote_summary_.clear();
    CommandResult r = start_job(TeachProgress::Job::autovote, 40 * int64_t(v));  // at most 40 pairs per vote
    if (r.ok) r.message = "the rule is reading pairs of endings until it has cast " + std::to_string(job_auto_want_) + " votes";
    return r;
  }
  if (sub == "fresh") {
    double count = 10;
    if (n > 1 || (n == 1 && !parse_number(arg(0), 1, 100, count, err, "samples"))) return CommandResult::bad(n > 1 ? "usage: teach fresh [N]" : err);
    fresh_.clear();
    int with_rule = 0;
    for (int i = 0; i < int(count); ++i) {
      fresh_.push_back(sample_text(tc_.seed * 1000 + 500000 + uint64_t(i)));
      if (!rule_.empty() && fresh_.back().find(rule_) != std::string::npos) ++with_rule;
    }
    return CommandResult::good(std::to_string(fresh_.size()) + " fresh samples" +
                               (rule_.empty() ? "" : ", " + std::to_string(with_rule) + " contain \"" + rule_ + "\""));
  }
  if (sub == "rule") {
    if (n != 1) return CommandResult::bad("usage: teach rule WORD|off");
    rule_ = arg(0) == "off" ? "" : arg(0);
    return CommandResult::good(rule_.empty() ? "rule off" : "votes go to the sample containing \"" + rule_ + "\"");
  }
  if (sub == "dpo") {
    if (n != 2 || arg(0) != "steps" || !parse_number(arg(1), 1, 100000, v, err, "steps"))
      return CommandResult::bad(n == 2 && arg(0) == "steps" ? err : "usage: teach dpo steps N");
    if (votes_.empty()) return CommandResult::bad("no votes yet: `teach sample`, then `teach vote a|b`");
    job_pairs_.clear();
    for (const TeachVote& tv : votes_) job_pairs_.push_back({encode(tv.prompt), encode(tv.chosen), encode(tv.rejected)});
    for (const DpoPair& p : job_pairs_)
      if (p.chosen.empty() || p.rejected.empty()) return CommandResult::bad("a vote has an empty continuation");
    return start_job(TeachProgress::Job::dpo, int64_t(v));
  }
  if (sub == "votes") {
    try {
      if (n == 2 && arg(0) == "save") {
        if (votes_.empty()) return CommandResult::bad("no votes to save yet");
        write_file_atomic(arg(1), preferences_to_jsonl(votes_));
        return CommandResult::good("wrote " + std::to_string(votes_.size()) + " votes to " + arg(1));
      }
      if (n == 2 && arg(0) == "load") {
        votes_ = parse_preferences(read_file(arg(1)), arg(1));
        refresh_votes();
        store_votes();
        return CommandResult::good(std::to_string(votes_.size()) + " votes");
      }
      if (n == 1 && arg(0) == "clear") {
        votes_.clear();
        refresh_votes();
        store_votes();
        return CommandResult::good("0 votes");
      }
      if (n == 2 && arg(0) == "remove") {
        if (votes_.empty()) return CommandResult::bad("there are no votes to remove");
        if (!parse_number(arg(1), 1, double(votes_.size()), v, err, "vote number")) return CommandResult::bad(err);
        votes_.erase(votes_.begin() + std::ptrdiff_t(v) - 1);
        refresh_votes();
        store_votes();
        return CommandResult::good(std::to_string(votes_.size()) + " votes");
      }
    } catch (const Error& e) {
      return CommandResult::bad(e.what());
    }
    return CommandResult::bad("usage: teach votes save PATH | teach votes load PATH | teach votes clear | teach votes remove N");
  }
  if (sub == "retrieve") {
    if (n != 1 || (arg(0) != "on" && arg(0) != "off")) return CommandResult::bad("usage: teach retrieve on|off");
    retrieve_ = arg(0) == "on";
    refresh_probe();
    return CommandResult::good(probe_.context);
  }
  if (sub == "facts") {
    try {
      if (n == 2 && arg(0) == "add") {
        FactBook one = FactBook::parse(arg(1), "the new fact");
        facts_.facts.insert(facts_.facts.end(), one.facts.begin(), one.facts.end());
      } else if (n == 2 && arg(0) == "load") {
        facts_ = FactBook::load(arg(1));
      } else if (n == 1 && arg(0) == "clear") {
        facts_.facts.clear();
      } else if (n == 1 && arg(0) == "shipped") {
        facts_ = FactBook::load(assets_dir() + "/teach/facts.txt");
      } else if (n == 2 && arg(0) == "remove") {
        if (facts_.facts.empty()) return CommandResult::bad("the notebook has no facts to remove");
        if (!parse_number(arg(1), 1, double(facts_.facts.size()), v, err, "fact number")) return CommandResult::bad(err);
        facts_.facts.erase(facts_.facts.begin() + std::ptrdiff_t(v) - 1);
      } else {
        return CommandResult::bad("usage: teach facts add \"…\" | facts load PATH | facts clear | facts shipped | facts remove N");
      }
      facts_set_ = true;
      store_facts();
    } catch (const Error& e) {
      return CommandResult::bad(e.what());
    }
    refresh_probe();
    return CommandResult::good(std::to_string(facts_.facts.size()) + " facts");
  }
  if (sub == "bias") {  // the bias experiment: for each mix, from the base, the doctor stories of the mix, `steps` steps
    if (n == 1 && arg(0) == "clear") {
      std::lock_guard<std::mutex> g(progress_mu_);
      progress_.bias.clear();
      return CommandResult::good("no bias runs");
    }
    if (n < 1 || arg(0) != "run") return CommandResult::bad("usage: teach bias run [P …] | teach bias clear");
    std::vector<double> mixes;
    for (size_t i = 1; i < n; ++i) {
      if (!parse_number(arg(i), 0, 1, v, err, "share of \"she\"")) return CommandResult::bad(err);
      mixes.push_back(v);
    }
    if (mixes.empty()) mixes.push_back(mix_);
    if (mixes.size() > 21) return CommandResult::bad("bias run: at most 21 shares in one go");
    corpus_name_ = "mix";
    tuner_changed();
    job_mixes_ = mixes;
    bias_pending_ = true;
    CommandResult sr = start_job(TeachProgress::Job::finetune, int64_t(steps_) * int64_t(mixes.size()));
    if (!sr.ok) {
      bias_pending_ = false;
      job_mixes_.clear();
      return sr;
    }
    return CommandResult::good("bias: " + std::to_string(mixes.size()) + (mixes.size() == 1 ? " run" : " runs") + " of " +
                               std::to_string(steps_) + " steps from the base on doctor stories");
  }
  if (sub == "undo") {
    tuner_->undo();
    tuner_changed();
    save_tuned();  // nothing tuned: the kept file goes
    refresh_probe();
    return CommandResult::good("back to the base model");
  }
  if (sub == "save") {
    if (n != 1) return CommandResult::bad("usage: teach save PATH");
    try {
      std::string tj = !model_->tokenizer_json.empty() ? model_->tokenizer_json : tok_->to_json().dump();
      save_gpt_checkpoint(arg(0), model_->model.config, tuner_->weights(), tj, DType::F32, tuning_metadata());
    } catch (const Error& e) {
      return CommandResult::bad(e.what());
    }
    return CommandResult::good("wrote " + arg(0));
  }
  return CommandResult::bad("unknown `teach " + sub + "`; try load, corpus, mode, set, finetune, sample, vote, votes, rule, dpo, retrieve, facts, mix, undo, save");
}

}  // namespace gb
