// `glassbox bench transformer`: greedy decoding speed (tokens/s, KV cache, one token at a time) of
// the default stories model and of a GPT-2-small-shaped model with random weights.
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/args.hpp"
#include "core/error.hpp"
#include "core/files.hpp"
#include "models/transformer/checkpoint.hpp"
#include "models/transformer/gpt.hpp"
#include "models/transformer/sampler.hpp"
#include "models/transformer/train.hpp"

namespace gb::cli {

namespace {
const std::vector<FlagSpec> kSpec = {
    {"--tokens", true, "N         tokens to decode per model (default 64)"},
    {"--threads", true, "N        threads for the decoder (default 2)"},
    {"--model", true, "PATH       bench this checkpoint / Hugging Face folder instead of the two defaults"},
    {"--only", true, "WHICH       default | gpt2 (default: both)"},
    {"--prompt", true, "N         prompt length in tokens, ids (7i + 3) mod vocabulary (default 16)"},
    {"--weights", true, "W       f32 | int8 | fp16 | both | all: which weights decode (int8: blocks of 32, one scale each; fp16: IEEE half; both = f32 and int8; all = the three; default f32)"},
    {"--json", false, "             print the results as JSON"},
    {"--help", false, "             show this help"},
};

double now_s() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

std::string load_average() {
  std::ifstream f("/proc/loadavg");
  std::string a, b, c;
  f >> a >> b >> c;
  return a.empty() ? "unknown" : a + " " + b + " " + c;
}

// Random weights quickly (uniform, std 0.02): speed does not depend on the values, and a GPT-2-sized
// normal init would take seconds.
void fast_random(Gpt& m, uint64_t seed) {
  Rng rng(seed);
  for (auto& v : m.params.views()) {
    float* p = m.params.data.data() + v.offset;
    const bool ln_w = v.name.find("ln_") != std::string::npos && v.name.find(".weight") != std::string::npos;
    for (size_t i = 0; i < v.size; ++i) p[i] = ln_w ? 1.0f : (rng.uniform_f() - 0.5f) * 0.07f;
  }
}

struct DecodeResult {
  std::string model;
  int threads = 0, prefill_tokens = 0, decode_tokens = 0;
  double prefill_s = 0, decode_tokens_per_s = 0, weight_mb_per_token = 0, weight_gb_per_s = 0;
  nlohmann::ordered_json json;  // every figure, for --json
};

DecodeResult run_one(const std::string& name, Gpt& m, int tokens, int threads, int prompt_tokens) {
  m.threads = threads;
  const GptConfig& c = m.config;
  const int prompt_len = std::min(prompt_tokens, c.block_size / 2);
  tokens = std::max(1, std::min(tokens, c.block_size - prompt_len - 4));
  std::vector<int32_t> prompt;
  for (int i = 0; i < prompt_len; ++i) prompt.push_back(int32_t((i * 7 + 3) % c.vocab_size));
  KvCache cache;
  std::vector<float> logits;
  const double t0 = now_s();
  gpt_decode(m, cache, prompt.data(), prompt_len, logits);
  const double prefill = now_s() - t0;
  SamplerSettings greedy;
  greedy.greedy = true;
  Rng rng(1);
  std::vector<int32_t> generated;  // warm-up and timed tokens: peers compare them (tools/bench_decode_vs_peers.py)
  for (int i = 0; i < 4; ++i) {  // warm-up (page in the weights, grow the cache)
    int32_t t = sample_token(logits.data(), c.vocab_size, greedy, rng);
    generated.push_back(t);
    gpt_decode(m, cache, &t, 1, logits);
  }
  const double t1 = now_s();
  for (int i = 0; i < tokens; ++i) {
    int32_t t = sample_token(logits.data(), c.vocab_size, greedy, rng);
    generated.push_back(t);
    gpt_decode(m, cache, &t, 1, logits);
  }
  const double decode = now_s() - t1;
  // Bytes of weights read per decoded token: every matrix and vector once, the tied head (wte) once
  // more as the head, position table one row.
  const double bytes = m.q8 ? double(m.q8->bytes()) + 4.0 * double(c.param_count() - size_t(c.block_size) * c.n_embd -
                                                                 m.q8->weights())
                           : 4.0 * double(c.param_count() - size_t(c.block_size) * c.n_embd);
  nlohmann::ordered_json r;
  r["model"] = name;
  r["weights"] = m.q8 ? gpt_weights_name(m.weights()) : "f32";
  r["n_layer"] = c.n_layer;
  r["n_head"] = c.n_head;
  r["n_embd"] = c.n_embd;
  r["block_size"] = c.block_size;
  r["vocab_size"] = c.vocab_size;
  r["params"] = c.param_count();
  r["threads"] = threads;
  r["prefill_tokens"] = prompt_len;
  r["prefill_s"] = prefill;
  r["decode_tokens"] = tokens;
  r["decode_s"] = decode;
  r["decode_tokens_per_s"] = tokens / decode;
  r["prompt_ids"] = prompt;
  r["generated_ids"] = generated;  // 4 warm-up tokens, then the timed ones
  r["weight_mb_per_token"] = bytes / 1e6;
  r["weight_gb_per_s"] = bytes * tokens / decode / 1e9;
  return {name + (m.q8 ? std::string(" ") + gpt_weights_name(m.weights()) : std::string()), threads, prompt_len, tokens, prefill, tokens / decode, bytes / 1e6, bytes * tokens / decode / 1e9, r};
}

std::string g_weights = "f32";  // --weights

// One result per weight kind asked for (f32 first, so `both` and `all` show the ratios).
std::vector<DecodeResult> run(const std::string& name, Gpt& m, int tokens, int threads, int prompt_tokens) {
  std::vector<DecodeResult> out;
  const bool all = g_weights == "all", both = g_weights == "both";
  auto one = [&](GptWeights w) {
    m.use_weights(w);
    out.push_back(run_one(name, m, tokens, threads, prompt_tokens));
  };
  if (g_weights == "f32" || both || all) one(GptWeights::f32);
  if (g_weights == "int8" || both || all) one(GptWeights::int8);
  if (g_weights == "fp16" || all) one(GptWeights::fp16);
  m.use_weights(GptWeights::f32);
  return out;
}
}  // namespace

int bench_transformer(int argc, char** argv) {
  Args args(argc, argv, 3, kSpec);
  if (args.has("--help")) {
    std::printf("usage: glassbox bench transformer [--tokens N] [--threads N] [--prompt N] [--model PATH] [--only default|gpt2] [--weights f32|int8|fp16|both|all] [--json]\n\n%s",
                usage_lines(kSpec).c_str());
    return 0;
  }
  const int tokens = int(args.integer("--tokens", 64, 1, 100000));
  const int threads = int(args.integer("--threads", 2, 1, 256));
  const int prompt = int(args.integer("--prompt", 16, 1, 1024));
  const std::string only = args.str("--only", "");
  if (!only.empty() && only != "default" && only != "gpt2") throw UsageError{"--only: `" + only + "` is not default or gpt2"};
  const bool json = args.has("--json");
  g_weights = args.str("--weights", "f32");
  if (g_weights != "f32" && g_weights != "int8" && g_weights != "fp16" && g_weights != "both" && g_weights != "all")
    throw UsageError{"--weights: `" + g_weights + "` is not f32, int8, fp16, both or all"};

  nlohmann::ordered_json out;
  const std::string load_before = load_average();
  out["load_average_before"] = load_before;
  nlohmann::ordered_json results = nlohmann::ordered_json::array();
  auto report = [&](const std::vector<DecodeResult>& rs) {
    for (const DecodeResult& r : rs) {
    if (!json)
      std::printf("%-34s %5.1f tokens/s  (%d threads, %d tokens, %.0f MB of weights per token = %.1f GB/s; prefill %d tokens %.3f s)\n",
                  r.model.c_str(), r.decode_tokens_per_s, r.threads, r.decode_tokens, r.weight_mb_per_token, r.weight_gb_per_s,
                  r.prefill_tokens, r.prefill_s);
    results.push_back(r.json);
    }
    if (rs.size() >= 2 && !json)
      for (size_t i = 1; i < rs.size(); ++i)
        std::printf("%-34s %5.2fx  (%s / f32 decoding speed)\n", "", rs[i].decode_tokens_per_s / rs[0].decode_tokens_per_s,
                    rs[i].json["weights"].get<std::string>().c_str());
  };
  if (args.has("--model")) {
    LoadedGpt l = load_gpt(args.str("--model"));
    report(run(args.str("--model"), l.model, tokens, threads, prompt));
  } else {
    if (only.empty() || only == "default") {
      const std::string stories = assets_dir() + "/models/stories-gpt.safetensors";
      if (file_exists(stories)) {
        LoadedGpt l = load_gpt(stories);
        report(run("stories-gpt.safetensors", l.model, tokens, threads, prompt));
      } else {
        GptConfig c;  // stories-shaped: 4 layers, 4 heads, width 256, context 256, vocabulary 4096
        Gpt m(c);
        fast_random(m, 1);
        report(run("stories-shaped (random weights)", m, tokens, threads, prompt));
      }
      {  // training throughput (forward + backward + AdamW) of the shipped configuration, batch 16
        GptConfig tc = file_exists(stories) ? load_gpt(stories).model.config : GptConfig{};
        const double tps = bench_train_tokens_per_s(tc, 16, tc.block_size, 5, threads);
        out["train_tokens_per_s"] = tps;
        if (!json) std::printf("%-34s %5.0f tokens/s  (training, batch 16 x %d tokens, %d threads)\n", "stories-gpt training", tps, tc.block_size, threads);
      }
    }
    if (only.empty() || only == "gpt2") {
      GptConfig c;
      c.n_layer = 12;
      c.n_head = 12;
      c.n_embd = 768;
      c.block_size = 1024;
      c.vocab_size = 50257;
      Gpt m(c);
      fast_random(m, 2);
      report(run("GPT-2 small shaped (random weights)", m, tokens, threads, prompt));
    }
  }
  out["results"] = results;
  const std::string load_after = load_average();
  out["load_average_after"] = load_after;
  if (json)
    std::printf("%s\n", out.dump(2).c_str());
  else
    std::printf("load average before %s, after %s\n", load_before.c_str(), load_after.c_str());
  return 0;
}

}  // namespace gb::cli
