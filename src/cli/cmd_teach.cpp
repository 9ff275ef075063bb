// `glassbox finetune` and `glassbox dpo`: the stages after pretraining, headless. Fine-tuning continues
// training a GPT on a small text (all weights, or LoRA adapters of rank r); DPO learns from
// (prompt, chosen, rejected) preference pairs against a frozen copy of the starting model. Both
// write an ordinary Glassbox checkpoint (LoRA folded in) that loads wherever a model loads.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/args.hpp"
#include "cli/teach_cli.hpp"
#include "core/error.hpp"
#include "core/files.hpp"
#include "core/utf8.hpp"
#include "models/data/corpus.hpp"
#include "models/transformer/checkpoint.hpp"
#include "models/transformer/gpt_session.hpp"
#include "models/transformer/tokenizer.hpp"
#include "models/transformer/tune.hpp"

namespace gb::cli {

namespace {

double now_s() { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); }

// The model, its tokenizer (required: both commands read text) and the tokenizer JSON to save.
struct TeachModel {
  LoadedGpt loaded;
  std::shared_ptr<const Tokenizer> tok;
  std::string tokenizer_json;
};
TeachModel load_teach_model(const Args& args) {
  const std::string path = args.has("--model") ? args.str("--model") : assets_dir() + "/models/stories-gpt.safetensors";
  TeachModel m{load_gpt(path), nullptr, ""};
  m.tok = load_tokenizer_for(m.loaded);
  if (!m.tok) fail_file(path, "this model has no tokenizer, so it cannot read text");
  m.tokenizer_json = !m.loaded.tokenizer_json.empty() ? m.loaded.tokenizer_json : m.tok->to_json().dump();
  return m;
}

std::vector<int32_t> encode(const Tokenizer& tok, const std::string& text) {
  std::vector<int32_t> out;
  for (int id : tok.encode(text)) out.push_back(int32_t(id));
  return out;
}

// The pretraining stories (a fixed slice), to show how much of them the tuned model forgets.
const std::vector<int32_t>& stories_tokens(const Tokenizer& tok) {
  static const std::vector<int32_t> t = encode(tok, generate_stories(kStoriesSeed + 7, 24000));
  return t;
}

TuneConfig tune_config(const Args& args, float default_lr) {
  TuneConfig tc;
  tc.lora_rank = int(args.integer("--lora", 0, 0, 4096));
  tc.lora_alpha = float(args.number("--alpha", 0, 0, 1e6));
  tc.lr = float(args.number("--lr", default_lr, 1e-8, 1.0));
  tc.seed = uint64_t(args.integer("--seed", 1, 0, 0x7FFFFFFFFFFFFFFFL));
  tc.threads = int(args.integer("--threads", 1, 1, 256));
  return tc;
}

void save_tuned(const std::string& out, const TeachModel& m, const Tuner& t, const nlohmann::ordered_json& record) {
  std::map<std::string, std::string> extra;
  // keep the starting model's own training record, and say what was done after it
  auto tr = m.loaded.metadata.find("glassbox.training");
  if (tr != m.loaded.metadata.end()) extra["glassbox.training"] = tr->second;
  extra["glassbox.tuning"] = record.dump();
  save_gpt_checkpoint(out, m.loaded.model.config, t.weights(), m.tokenizer_json, DType::F32, extra);
}

std::string count_text(size_t n) {
  char b[32];
  if (n >= 1000000) std::snprintf(b, sizeof b, "%.2f M", double(n) / 1e6);
  else if (n >= 1000) std::snprintf(b, sizeof b, "%.1f k", double(n) / 1e3);
  else std::snprintf(b, sizeof b, "%zu", n);
  return b;
}

const std::vector<FlagSpec> kFinetuneSpec = {
    {"--model", true, "PATH      the model to start from (default: the shipped stories model)"},
    {"--corpus", true, "FILE     UTF-8 text to learn from; stories separated by blank lines"},
    {"--lora", true, "R          train LoRA adapters of rank R on the attention and MLP matrices (0: every weight; default 0)"},
    {"--alpha", true, "A         LoRA alpha, the adapters' scale is A/R (default: R)"},
    {"--steps", true, "N         optimisation steps"},
    {"--lr", true, "LR           learning rate (default 1e-3, with --lora 1e-2)"},
    {"--batch", true, "B         windows per step (default 8)"},
    {"--context", true, "T       tokens per window (default 64)"},
    {"--seed", true, "S          LoRA initialisation and window draws (default 1)"},
    {"--out", true, "FILE        where to write the tuned model (.safetensors)"},
    {"--threads", true, "N       CPU threads for the math (default 1)"},
    {"--json", false, "          print the run's numbers as JSON"},
    {"--help", false, "          show this help"},
};

const std::vector<FlagSpec> kDpoSpec = {
    {"--model", true, "PATH      the model to start from; it is also the frozen reference (default: the shipped stories model)"},
    {"--prefs", true, "FILE      preference pairs, one JSON object per line: {\"prompt\": …, \"chosen\": …, \"rejected\": …}"},
    {"--steps", true, "N         DPO steps (each uses every pair)"},
    {"--beta", true, "B          how strongly the reference holds the model (default 0.1)"},
    {"--lora", true, "R          train LoRA adapters of rank R instead of every weight (default 0)"},
    {"--alpha", true, "A         LoRA alpha (default: R)"},
    {"--lr", true, "LR           learning rate (default 5e-4)"},
    {"--seed", true, "S          LoRA initialisation (default 1)"},
    {"--out", true, "FILE        where to write the tuned model (.safetensors)"},
    {"--threads", true, "N       CPU threads for the math (default 1)"},
    {"--json", false, "          print the run's numbers as JSON"},
    {"--help", false, "          show this help"},
};

}  // namespace

// [SECTION] retrieval (generate --facts)
std::string retrieve_into_prompt(const FactBook& book, const std::string& prompt, nlohmann::ordered_json* report) {
  const std::vector<FactScore> scores = book.score(prompt);
  const std::string context = with_facts(book, scores, kRetrieveTop, prompt, kRetrieveMinScore);
  if (report) {
    nlohmann::ordered_json facts = nlohmann::ordered_json::array();
    int used = 0;
    for (const FactScore& s : scores) {
      const bool u = used < kRetrieveTop && s.score > kRetrieveMinScore;
      used += u;
      facts.push_back({{"text", book.facts[size_t(s.index)]}, {"score", s.score}, {"matched", s.matched}, {"used", u}});
    }
    *report = {{"context", context}, {"top", kRetrieveTop}, {"min_score", kRetrieveMinScore}, {"facts", facts}};
  }
  return context;
}

// [SECTION] finetune
int cmd_finetune(int argc, char** argv) {
  Args args(argc, argv, 2, kFinetuneSpec);
  if (args.has("--help")) {
    std::printf("usage: glassbox finetune [--model PATH] --corpus FILE [--lora R] --steps N --out FILE\n"
                "                         [--lr LR] [--batch B] [--context T] [--seed S] [--json]\n\n%s",
                usage_lines(kFinetuneSpec).c_str());
    return 0;
  }
  const std::string corpus_path = args.required("--corpus"), out = args.required("--out");
  if (!args.has("--steps")) throw UsageError{"--steps N is required"};
  const int64_t steps = args.integer("--steps", 0, 1, 10000000);
  const bool json = args.has("--json");
  TuneConfig tc = tune_config(args, args.has("--lora") && args.integer("--lora", 0, 0, 4096) > 0 ? 1e-2 : 1e-3);
  tc.batch = int(args.integer("--batch", 8, 1, 4096));
  tc.context = int(args.integer("--context", 64, 2, 1 << 20));

  const std::string text = corpus_from_text(read_file(corpus_path), corpus_path);  // checked before the model loads
  TeachModel m = load_teach_model(args);
  const GptConfig& cfg = m.loaded.model.config;
  if (tc.context > cfg.block_size) tc.context = cfg.block_size;
  if (tc.lora_rank > cfg.n_embd)
    throw UsageError{"--lora " + std::to_string(tc.lora_rank) + " is larger than the model width " + std::to_string(cfg.n_embd)};
  std::vector<int32_t> tokens = encode(*m.tok, text);
  if (tokens.size() < size_t(tc.context) + 2)
    fail_file(corpus_path, "is too short: " + std::to_string(tokens.size()) + " tokens, and one training window needs " +
                               std::to_string(tc.context + 2));
  Tuner t(cfg, m.loaded.model.params, tc);
  t.set_corpus(tokens);
  const std::vector<int32_t>& stories = stories_tokens(*m.tok);
  const double corpus_before = t.mean_loss(tokens, 32), stories_before = t.mean_loss(stories, 32);
  if (!json)
    std::printf("fine-tuning %s (%s numbers) on %s (%zu tokens): %s trains %s numbers\n", m.loaded.source.c_str(),
                count_text(t.model_count()).c_str(), corpus_path.c_str(), tokens.size(),
                tc.lora_rank ? ("LoRA rank " + std::to_string(tc.lora_rank)).c_str() : "every weight",
                count_text(t.trainable_count()).c_str());
  nlohmann::ordered_json losses = nlohmann::ordered_json::array();
  const double t0 = now_s();
  for (int64_t s = 0; s < steps; ++s) {
    TuneStep st = t.finetune_step();
    if (!st.ok) fail("fine-tuning stopped at step " + std::to_string(s + 1) + ": " + st.message);
    losses.push_back(st.loss);
    if (!json && (s == 0 || (s + 1) % std::max<int64_t>(1, steps / 10) == 0 || s + 1 == steps))
      std::printf("step %5lld  loss %.4f  grad norm %.3f\n", (long long)(s + 1), st.loss, st.grad_norm);
  }
  const double per_step = (now_s() - t0) / double(steps);
  const double corpus_after = t.mean_loss(tokens, 32), stories_after = t.mean_loss(stories, 32);
  nlohmann::ordered_json rec;
  rec["kind"] = "finetune";
  rec["from"] = m.loaded.source;
  rec["corpus"] = corpus_path;
  rec["mode"] = tc.lora_rank ? "lora" : "full";
  rec["lora_rank"] = tc.lora_rank;
  rec["lora_alpha"] = t.lora() ? t.lora()->alpha() : 0.0f;
  rec["trainable"] = t.trainable_count();
  rec["parameters"] = t.model_count();
  rec["steps"] = steps;
  rec["lr"] = tc.lr;
  rec["batch"] = tc.batch;
  rec["context"] = tc.context;
  rec["seed"] = tc.seed;
  rec["corpus_loss"] = {corpus_before, corpus_after};
  rec["stories_loss"] = {stories_before, stories_after};
  save_tuned(out, m, t, rec);
  rec["seconds_per_step"] = per_step;
  if (json) {
    rec["losses"] = losses;
    std::printf("%s\n", rec.dump().c_str());
  } else {
    std::printf("loss on %s: %.4f → %.4f   on the original stories: %.4f → %.4f (forgetting)\n", corpus_path.c_str(),
                corpus_before, corpus_after, stories_before, stories_after);
    std::printf("%.1f ms per step · wrote %s\n", per_step * 1e3, out.c_str());
  }
  return 0;
}

// [SECTION] dpo
int cmd_dpo(int argc, char** argv) {
  Args args(argc, argv, 2, kDpoSpec);
  if (args.has("--help")) {
    std::printf("usage: glassbox dpo [--model PATH] --prefs PAIRS.jsonl --steps N [--beta B] [--lora R] --out FILE [--json]\n\n"
                "Each line of PAIRS.jsonl is {\"prompt\": \"Lily's dog\", \"chosen\": \" was happy.\", \"rejected\": \" was sad.\"}\n"
                "(start the continuations with a space: they are tokenized on their own).\n\n%s",
                usage_lines(kDpoSpec).c_str());
    return 0;
  }
  const std::string prefs_path = args.required("--prefs"), out = args.required("--out");
  if (!args.has("--steps")) throw UsageError{"--steps N is required"};
  const int64_t steps = args.integer("--steps", 0, 1, 10000000);
  const bool json = args.has("--json");
  TuneConfig tc = tune_config(args, 5e-4f);
  tc.beta = float(args.number("--beta", 0.1, 1e-6, 1e6));

  // the pairs (gb::JsonIn: every error names the file, the line and the key)
  const std::vector<PreferenceText> tp = parse_preferences(read_file(prefs_path), prefs_path);

  TeachModel m = load_teach_model(args);
  const GptConfig& cfg = m.loaded.model.config;
  if (tc.lora_rank > cfg.n_embd)
    throw UsageError{"--lora " + std::to_string(tc.lora_rank) + " is larger than the model width " + std::to_string(cfg.n_embd)};
  std::vector<DpoPair> pairs;
  for (const PreferenceText& p : tp) pairs.push_back({encode(*m.tok, p.prompt), encode(*m.tok, p.chosen), encode(*m.tok, p.rejected)});
  Tuner t(cfg, m.loaded.model.params, tc);
  const DpoStats before = t.dpo_measure(pairs);
  if (!json)
    std::printf("DPO on %s: %zu pairs, β = %g, %s trains %s numbers; start: loss %.4f (ln 2 = 0.6931)\n", prefs_path.c_str(),
                pairs.size(), double(tc.beta), tc.lora_rank ? ("LoRA rank " + std::to_string(tc.lora_rank)).c_str() : "every weight",
                count_text(t.trainable_count()).c_str(), before.loss);
  nlohmann::ordered_json hist = nlohmann::ordered_json::array();
  const double t0 = now_s();
  for (int64_t s = 0; s < steps; ++s) {
    DpoStats st = t.dpo_step(pairs);  // numbers of the weights before this step's update
    hist.push_back({{"loss", st.loss}, {"accuracy", st.accuracy}, {"kl", st.kl}, {"grad_norm", st.grad_norm}});
    if (!json && (s == 0 || (s + 1) % std::max<int64_t>(1, steps / 10) == 0 || s + 1 == steps))
      std::printf("step %5lld  loss %.4f  prefers chosen %3.0f%%  KL to reference %.4f\n", (long long)(s + 1), st.loss,
                  st.accuracy * 100, st.kl);
  }
  const double per_step = (now_s() - t0) / double(steps);
  const DpoStats after = t.dpo_measure(pairs);
  nlohmann::ordered_json rec;
  rec["kind"] = "dpo";
  rec["from"] = m.loaded.source;
  rec["prefs"] = prefs_path;
  rec["pairs"] = pairs.size();
  rec["beta"] = tc.beta;
  rec["mode"] = tc.lora_rank ? "lora" : "full";
  rec["lora_rank"] = tc.lora_rank;
  rec["trainable"] = t.trainable_count();
  rec["steps"] = steps;
  rec["lr"] = tc.lr;
  rec["seed"] = tc.seed;
  rec["loss"] = {before.loss, after.loss};
  rec["accuracy"] = {before.accuracy, after.accuracy};
  rec["kl"] = after.kl;
  save_tuned(out, m, t, rec);
  rec["seconds_per_step"] = per_step;
  nlohmann::ordered_json per_pair = nlohmann::ordered_json::array();
  for (size_t i = 0; i < pairs.size(); ++i)
    per_pair.push_back({{"logp_chosen", {before.pairs[i].logp_chosen, after.pairs[i].logp_chosen}},
                        {"logp_rejected", {before.pairs[i].logp_rejected, after.pairs[i].logp_rejected}}});
  if (json) {
    rec["per_pair"] = per_pair;
    rec["history"] = hist;
    std::printf("%s\n", rec.dump().c_str());
  } else {
    for (size_t i = 0; i < pairs.size() && i < 8; ++i)
      std::printf("pair %zu: log π(chosen) %.3f → %.3f   log π(rejected) %.3f → %.3f\n", i + 1, before.pairs[i].logp_chosen,
                  after.pairs[i].logp_chosen, before.pairs[i].logp_rejected, after.pairs[i].logp_rejected);
    std::printf("loss %.4f → %.4f · prefers chosen %.0f%% → %.0f%% · KL to reference %.4f\n", before.loss, after.loss,
                before.accuracy * 100, after.accuracy * 100, after.kl);
    std::printf("%.1f ms per step · wrote %s\n", per_step * 1e3, out.c_str());
  }
  return 0;
}

}  // namespace gb::cli
