// `glassbox train transformer`: trains a GPT on the story corpus (or --corpus tiny|FILE) with its own
// BPE tokenizer; shows progress, ETA, tokens/s and train/validation loss; writes the model (config,
// tokenizer and training record in its metadata) and OUT.state.safetensors to resume exactly.
#include <omp.h>
#include <unistd.h>

#include <Eigen/Core>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <string>
#include <vector>

#include "cli/args.hpp"
#include "cli/setting_flags.hpp"
#include "core/error.hpp"
#include "core/json_in.hpp"
#include "core/files.hpp"
#include "models/transformer/checkpoint.hpp"
#include "models/data/corpus.hpp"
#include "models/transformer/tokenizer.hpp"
#include "models/transformer/train.hpp"
#include "models/transformer/train_report.hpp"

namespace gb::cli {

namespace {
const std::string kCmd = "train transformer";
// The numbers come from their rows (lab/command_flags.cpp): range, default, help and message.
const std::vector<FlagSpec> kSpec = with_setting_flags({
    {"--corpus", true, "NAME   stories (default: generated, ~3 MB) | tiny (memorisation demo) | a UTF-8 text FILE"},
    {"--out", true, "FILE      where to write the model (.safetensors); OUT.state.safetensors holds the full training state"},
    {"--resume", true, "FILE   continue a run from its .state.safetensors (other model/run flags not allowed)"},
    {"--f32", false, "         store the model's weights as float32 (default fp16)"},
    {"--report", true, "FILE   only report on a trained model: its training record, stories, pronoun attention"},
    {"--help", false, "        show this help"},
}, kCmd);

volatile std::sig_atomic_t g_interrupted = 0;
void on_sigint(int) { g_interrupted = 1; }

std::string fmt_time(double s) {
  char b[32];
  if (s < 0 || s > 1e7) return "?";
  int m = int(s / 60), sec = int(s) % 60;
  if (m >= 60) std::snprintf(b, sizeof b, "%dh%02dm", m / 60, m % 60);
  else std::snprintf(b, sizeof b, "%dm%02ds", m, sec);
  return b;
}

void print_samples(const Trainer& t, const Tokenizer& tok, int n_tokens) {
  const int eot = tok.special_id(kStorySeparator);
  std::vector<int32_t> prompt = {eot >= 0 ? eot : 0};
  auto text = [&](const std::vector<int32_t>& ids) {
    std::vector<int> v;
    for (int32_t id : ids) {
      if (id == eot) break;  // one story
      v.push_back(id);
    }
    return tok.decode(v);
  };
  Rng rng(t.config().seed + 99);
  std::printf("greedy:  %s\n", text(t.generate(prompt, n_tokens, 0.0f, rng)).c_str());
  for (int i = 0; i < 2; ++i) std::printf("sampled: %s\n", text(t.generate(prompt, n_tokens, 0.8f, rng)).c_str());
}
int report(const std::string& path) {
  LoadedGpt g = load_gpt_checkpoint(path);
  // One thread: a small model gains nothing from more, and idle OpenMP threads spin on a busy machine.
  Eigen::setNbThreads(1);
  omp_set_num_threads(1);
  g.model.threads = 1;
  if (g.tokenizer_json.empty()) fail_file(path, "has no tokenizer (no `glassbox.tokenizer` metadata), so its text cannot be shown");
  Tokenizer tok = Tokenizer::from_json(JsonIn::parse(g.tokenizer_json, path, "glassbox.tokenizer").raw(), path);
  const GptConfig& c = g.model.config;
  std::printf("%s: %d layers, %d heads, width %d, context %d, vocabulary %d, %zu parameters\n", path.c_str(), c.n_layer,
              c.n_head, c.n_embd, c.block_size, c.vocab_size, g.model.params.count());
  if (auto it = g.metadata.find("glassbox.training"); it != g.metadata.end()) {
    const JsonIn rec = JsonIn::parse(it->second, path, "glassbox.training");
    std::printf("trained by: %s\nseed %llu, %lld steps, %lld tokens seen; final train loss %.4f, validation loss %.4f\n",
                rec.string_or("command", "?").c_str(), (unsigned long long)rec.integer_or("seed", 0, 0, INT64_MAX),
                (long long)rec.integer_or("steps", 0, 0, INT64_MAX), (long long)rec.integer_or("tokens_seen", 0, 0, INT64_MAX),
                rec.number_or("final_train_loss", -1.0, -1.0, 1e9), rec.number_or("final_val_loss", -1.0, -1.0, 1e9));
  }
  Rng rng(7);
  std::printf("\ngreedy:\n  %s\n", model_story(g.model, tok, 0.0f, rng, c.block_size).c_str());
  for (int i = 0; i < 3; ++i) std::printf("sampled (temperature 0.8, seed 7, #%d):\n  %s\n", i + 1, model_story(g.model, tok, 0.8f, rng, c.block_size).c_str());
  for (int offset : {0, -1}) {
    PronounAttention pa = pronoun_attention(g.model, tok, 200, 1, offset);
    std::printf("\nattention %s to the name the pronoun refers to (in brackets: to the other character's name),\n"
                "averaged over %d pronouns in %d held-out stories:\n",
                offset == 0 ? "from each pronoun" : "from the token before each pronoun (where the model chooses he or she)",
                pa.pronouns, pa.stories);
    for (int l = 0; l < c.n_layer; ++l) {
      std::printf("  layer %d:", l);
      for (int h = 0; h < c.n_head; ++h) {
        const auto& x = pa.heads[size_t(l * c.n_head + h)];
        std::printf("  head %d %.2f (%.2f)", h, x.to_antecedent, x.to_other);
      }
      std::printf("\n");
    }
    std::printf("best: layer %d head %d puts %.2f of its attention on the antecedent name, %.2f on the other name\n",
                pa.best.layer, pa.best.head, pa.best.to_antecedent, pa.best.to_other);
  }
  return 0;
}
}  // namespace

int train_transformer(int argc, char** argv) {
  Args a(argc, argv, 3, kSpec);
  check_setting_flags(a, kCmd);  // every number against its row, before any work
  if (a.has("--help")) {
    std::printf("usage: glassbox train transformer [--corpus stories|tiny|FILE] [--layers L --heads H --width C --context T]\n"
                "                                  [--steps N] [--batch B] [--lr X] [--seed S] [--resume FILE] --out FILE\n\n%s",
                usage_lines(kSpec).c_str());
    return 0;
  }
  if (a.has("--report")) return report(a.str("--report"));
  if (a.has("--bench")) {
    GptConfig d;
    d.n_layer = int(flag_value(a, kCmd, "layers"));
    d.n_head = int(flag_value(a, kCmd, "heads"));
    d.n_embd = int(flag_value(a, kCmd, "width"));
    d.block_size = int(flag_value(a, kCmd, "context"));
    d.vocab_size = int(flag_value(a, kCmd, "vocab"));
    if (d.n_embd % d.n_head != 0) throw UsageError{"--width must be divisible by --heads"};
    const int B = int(flag_value(a, kCmd, "batch")), threads = int(flag_value(a, kCmd, "threads", 1));
    double cpu_tps = 0;
    const double tps = bench_train_tokens_per_s(d, B, d.block_size, int(flag_value(a, kCmd, "bench")), threads, &cpu_tps);
    std::printf("training tokens/s: %.0f  per CPU second: %.0f  (%d layers, %d heads, width %d, context %d, vocab %d, batch %d, %d thread(s))\n", tps, cpu_tps,
                d.n_layer, d.n_head, d.n_embd, d.block_size, d.vocab_size, B, threads);
    return 0;
  }
  const std::string out = a.required("--out");
  const std::string state_path = out + ".state.safetensors";
  std::unique_ptr<Trainer> t;
  Tokenizer tok;
  if (a.has("--resume")) {
    for (const char* f : {"--corpus", "--layers", "--heads", "--width", "--context", "--vocab", "--steps", "--batch", "--lr",
                          "--warmup", "--seed", "--val-every", "--checkpoint-every"})
      if (a.has(f)) throw UsageError{std::string(f) + " cannot change a resumed run (it continues exactly as it was started)"};
    // A damaged state is reported with what is damaged; nothing is written (the files stay as they are).
    const std::string resume = a.str("--resume");
    try {
      t = Trainer::load_state(resume);
      tok = Tokenizer::from_json(JsonIn::parse(t->tokenizer_json(), resume, "glassbox.tokenizer").raw(), resume);
    } catch (const Error& e) {
      std::fprintf(stderr,
                   "glassbox: cannot resume: %s\n"
                   "Nothing was written: %s and %s are left as they were.\n"
                   "To start fresh instead, run the same command without --resume and with a new --out, e.g.\n"
                   "  glassbox train transformer --out %s.fresh.safetensors [your model options]\n",
                   e.what(), resume.c_str(), out.c_str(), out.c_str());
      return 1;
    }
    std::fprintf(stderr, "resuming %s at step %lld of %lld\n", a.str("--resume").c_str(), (long long)t->steps_done(),
                 (long long)t->config().steps);
  } else {
    TrainConfig c;
    c.corpus = a.str("--corpus", "stories");
    c.model.n_layer = int(flag_value(a, kCmd, "layers"));
    c.model.n_head = int(flag_value(a, kCmd, "heads"));
    c.model.n_embd = int(flag_value(a, kCmd, "width"));
    c.model.block_size = int(flag_value(a, kCmd, "context"));
    const int vocab = int(flag_value(a, kCmd, "vocab"));
    c.steps = int64_t(flag_value(a, kCmd, "steps"));
    c.batch = int(flag_value(a, kCmd, "batch"));
    c.lr = float(flag_value(a, kCmd, "lr"));
    c.lr_min = c.lr / 10;
    c.warmup = int64_t(flag_value(a, kCmd, "warmup"));
    c.seed = uint64_t(flag_value(a, kCmd, "seed"));
    c.val_every = int64_t(flag_value(a, kCmd, "val-every"));
    c.checkpoint_every = int64_t(flag_value(a, kCmd, "checkpoint-every"));
    if (c.model.n_embd % c.model.n_head != 0)
      throw UsageError{"--width " + std::to_string(c.model.n_embd) + " is not divisible by --heads " + std::to_string(c.model.n_head)};
    c.command = "glassbox";
    for (int i = 1; i < argc; ++i) {
      c.command += ' ';
      c.command += argv[i];
    }
    const std::string text = load_corpus(c.corpus);
    auto t0 = std::chrono::steady_clock::now();
    tok = Tokenizer::train(text, vocab, {kStorySeparator});
    std::vector<int> ids = tok.encode(text);
    c.model.vocab_size = tok.vocab_size();
    std::vector<int32_t> tokens(ids.begin(), ids.end());
    std::fprintf(stderr, "corpus %s: %zu bytes -> %zu tokens, BPE vocabulary %d (%.1f s)\n", c.corpus.c_str(), text.size(),
                 tokens.size(), tok.vocab_size(),
                 std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    t = std::make_unique<Trainer>(c, std::move(tokens), tok.to_json().dump());
  }
  TrainConfig c = t->config();
  c.threads = int(flag_value(a, kCmd, "threads", c.threads));
  const bool half = !a.has("--f32");
  std::fprintf(stderr, "model: %d layers, %d heads, width %d, context %d, vocabulary %d (%zu parameters); batch %d, %lld steps, lr %g\n",
               c.model.n_layer, c.model.n_head, c.model.n_embd, c.model.block_size, c.model.vocab_size, t->params().count(),
               c.batch, (long long)c.steps, double(c.lr));

  std::signal(SIGINT, on_sigint);
  const bool tty = ::isatty(STDOUT_FILENO);
  const int64_t first = t->steps_done();
  const double tokens_per_step = double(c.batch) * c.model.block_size;
  auto start = std::chrono::steady_clock::now();
  auto last_print = start;
  double smooth = -1;
  float val = -1;
  for (auto& p : t->history())
    if (p.val >= 0) val = p.val;
  while (!t->done() && !g_interrupted) {
    Trainer::StepResult r = t->step();
    if (!r.ok) {
      t->save_model(out, half);
      std::fprintf(stderr, "\n%s\nwrote the last good weights to %s\n", r.message.c_str(), out.c_str());
      return 1;
    }
    smooth = smooth < 0 ? r.loss : 0.95 * smooth + 0.05 * r.loss;
    const int64_t k = t->steps_done();
    if (c.val_every > 0 && (k % c.val_every == 0 || t->done())) val = t->validate();
    const bool ckpt = c.checkpoint_every > 0 && k % c.checkpoint_every == 0 && !t->done();
    if (ckpt) {
      t->save_state(state_path);
      t->save_model(out, half);
    }
    auto now = std::chrono::steady_clock::now();
    const double secs = std::chrono::duration<double>(now - start).count();
    const double since = std::chrono::duration<double>(now - last_print).count();
    if ((tty && since > 0.2) || (!tty && (since > 10 || ckpt)) || t->done()) {
      last_print = now;
      const double rate = double(k - first) / std::max(secs, 1e-9);
      const double eta = double(c.steps - k) / std::max(rate, 1e-9);
      char line[256];
      const int width = 24, filled = int(double(k) / double(c.steps) * width);
      std::string bar(size_t(filled), '#');
      bar.append(size_t(width - filled), '.');
      std::snprintf(line, sizeof line, "[%s] step %lld/%lld  %s left  %.0f tok/s  loss %.3f  val %s", bar.c_str(),
                    (long long)k, (long long)c.steps, fmt_time(eta).c_str(), rate * tokens_per_step, smooth,
                    val >= 0 ? std::to_string(val).substr(0, 5).c_str() : "-");
      if (tty) std::printf("\r%s   ", line);
      else std::printf("%s\n", line);
      std::fflush(stdout);
    }
  }
  if (tty) std::printf("\n");
  t->save_state(state_path);
  t->save_model(out, half);
  if (g_interrupted) {
    std::printf("interrupted at step %lld; continue with: glassbox train transformer --resume %s --out %s\n",
                (long long)t->steps_done(), state_path.c_str(), out.c_str());
    return 130;
  }
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("trained %lld steps in %s; final validation loss %.4f; wrote %s (and %s)\n", (long long)(t->steps_done() - first),
              fmt_time(secs).c_str(), double(val), out.c_str(), state_path.c_str());
  print_samples(*t, tok, std::min(120, c.model.block_size - 1));
  return 0;
}

}  // namespace gb::cli
