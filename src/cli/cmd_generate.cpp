// `glassbox generate`: continues a prompt with a GPT (Glassbox checkpoint or Hugging Face GPT-2
// folder) using greedy, temperature/top-k/top-p sampling or beam search; text or JSON output.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <unistd.h>

#include "cli/args.hpp"
#include "cli/setting_flags.hpp"
#include "cli/teach_cli.hpp"
#include "core/error.hpp"
#include "core/files.hpp"
#include "core/utf8.hpp"
#include "lab/lab_settings.hpp"
#include "models/transformer/checkpoint.hpp"
#include "models/transformer/gpt.hpp"
#include "models/transformer/gpt_session.hpp"
#include "models/transformer/sampler.hpp"
#include "models/transformer/tokenizer.hpp"

namespace gb::cli {

namespace {
const std::string kCmd = "generate";
// The sampler flags (--temperature, --top-k, --top-p, --greedy, --beam, --seed) come from the transformer lab's
// settings table (lab/transformer_settings.cpp): the same names, ranges, defaults and messages as
// `transformer set NAME VALUE`, so a flag and a command cannot disagree.
const std::vector<FlagSpec>& flag_spec() {
  static const std::vector<FlagSpec> spec = [] {
    std::vector<FlagSpec> v = {
        {"--model", true, "PATH         Glassbox .safetensors checkpoint or Hugging Face GPT-2 folder (default: the shipped stories model)"},
        {"--prompt", true, "TEXT        the prompt (needs the model's tokenizer)"},
        {"--ids", true, "1,2,3          the prompt as token ids instead"},
    };
    for (const FlagSpec& f : setting_flags(cli_setting_specs("generate"))) v.push_back(f);
    v.push_back({"--json", false, "               print ids, text, per-step candidates and timing as JSON"});
    v.push_back({"--facts", true, "FILE           retrieval: score each fact (one per line) against the prompt, put the best in front (--json lists them)"});
    v.push_back({"--help", false, "               show this help"});
    return v;
  }();
  return spec;
}

// GLASSBOX_ESCAPE_OUTPUT=1 escapes as for a terminal (tests have no terminal).
bool escape_forced() {
  const char* e = std::getenv("GLASSBOX_ESCAPE_OUTPUT");
  return e && *e == '1';
}

// Text for a terminal: token_display per line (newlines and tabs kept, other control bytes and
// invalid UTF-8 as `<1B>`).
std::string terminal_safe(const std::string& s) { return token_display(s); }

double now_s() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

std::vector<int32_t> parse_ids(const std::string& s) {
  std::vector<int32_t> ids;
  std::stringstream ss(s);
  std::string part;
  while (std::getline(ss, part, ',')) {
    char* end = nullptr;
    const long v = std::strtol(part.c_str(), &end, 10);
    if (part.empty() || *end || v < 0 || v > 100000000) throw UsageError{"--ids: `" + part + "` is not a token id"};
    ids.push_back(int32_t(v));
  }
  if (ids.empty()) throw UsageError{"--ids: no ids given"};
  return ids;
}

}  // namespace

int cmd_generate(int argc, char** argv) {
  const std::vector<FlagSpec>& kSpec = flag_spec();
  Args args(argc, argv, 2, kSpec);
  check_setting_flags(args, kCmd);  // every number against its row, before any work
  if (args.has("--help")) {
    std::printf("usage: glassbox generate [--model PATH] (--prompt TEXT | --ids 1,2,3) [--max-new N]\n"
                "                         [--greedy | --temperature T --top-k K --top-p P | --beam B]\n"
                "                         [--seed S] [--top N] [--json]\n\n%s",
                usage_lines(kSpec).c_str());
    return 0;
  }
  // Without --model: the shipped stories model, as the app starts with.
  const std::string model_path = args.has("--model") ? args.str("--model") : assets_dir() + "/models/stories-gpt.safetensors";
  if (args.has("--prompt") == args.has("--ids")) throw UsageError{"give exactly one of --prompt and --ids"};
  const bool sampling_flags = args.has("--temperature") || args.has("--top-k") || args.has("--top-p");
  if (int(args.has("--greedy")) + int(sampling_flags) + int(args.has("--beam")) > 1)
    throw UsageError{"choose one of --greedy, sampling (--temperature/--top-k/--top-p) and --beam"};
  int max_new = int(flag_value(args, kCmd, "max-new"));
  const int top_n = int(flag_value(args, kCmd, "top"));
  const bool json = args.has("--json");
  TransformerSettings settings;  // the lab's defaults, then the flags given, each checked by its table row
  apply_setting_flags(args, transformer_settings_table(), settings, "generate");
  const SamplerSettings ss = settings.sampler;
  const uint64_t seed = settings.seed;
  const bool beam = ss.beam_width > 0;

  // [SECTION] load
  const double t_load = now_s();
  LoadedGpt loaded = load_gpt(model_path);
  if (args.has("--threads")) loaded.model.threads = int(flag_value(args, kCmd, "threads"));
  std::shared_ptr<const Tokenizer> tok = load_tokenizer_for(loaded);
  auto model = std::make_shared<const Gpt>(std::move(loaded.model));
  const Gpt& m = *model;
  const double load_s = now_s() - t_load;
  const int V = m.config.vocab_size;

  std::vector<int32_t> prompt;
  nlohmann::ordered_json retrieval;  // --facts: what was retrieved (issue 18)
  if (args.has("--prompt")) {
    if (!tok) fail_file(model_path, "this model has no tokenizer; give the prompt as --ids");
    std::string text = args.str("--prompt");
    if (args.has("--facts")) text = retrieve_into_prompt(FactBook::load(args.str("--facts")), text, &retrieval);
    for (int id : tok->encode(text)) prompt.push_back(int32_t(id));
    if (prompt.empty()) throw UsageError{"--prompt: the prompt is empty"};
  } else {
    if (args.has("--facts")) throw UsageError{"--facts needs the prompt as text (--prompt)"};
    prompt = parse_ids(args.str("--ids"));
  }
  for (int32_t id : prompt)
    if (id >= V) fail("--ids: token id " + std::to_string(id) + " is outside the model's vocabulary (0 to " + std::to_string(V - 1) + ")");
  std::vector<std::string> notes;
  check_sampler_settings(ss);  // the flags were checked by their table rows; the sampler's ranges are the same
  const SamplerSettings& chosen = ss;
  const int eos = tok ? tok->special_id("<|endoftext|>") : -1;
  auto token_str = [&](int32_t id) { return tok ? token_display(tok->token_bytes(id)) : "<" + std::to_string(id) + ">"; };

  // [SECTION] prefill: the same stepping session as the transformer lab (one context-window rule)
  GptSession session(model, tok, seed);
  session.keep_traces = false;
  const double t_prefill = now_s();
  session.set_ids(prompt);
  const double prefill_s = now_s() - t_prefill;
  if (session.window_start() > 0)
    notes.push_back("the prompt has " + std::to_string(prompt.size()) + " tokens but the model's context is " +
                    std::to_string(m.config.block_size) + ": the first " + std::to_string(session.window_start()) +
                    " are outside its context window");
  // Beam search looks ahead inside the window and cannot slide it.
  const int room = m.config.block_size - session.window_length();
  if (beam && max_new > room) {
    notes.push_back("max-new " + std::to_string(max_new) + " reduced to " + std::to_string(room) + " for beam search (context " +
                    std::to_string(m.config.block_size) + ")");
    max_new = room;
  }

  // [SECTION] generate
  nlohmann::ordered_json steps = nlohmann::ordered_json::array();
  std::vector<int32_t> out_ids;
  auto record = [&](int32_t id, const std::vector<float>& lg, const std::vector<float>& final_probs) {
    if (!json) return;
    nlohmann::ordered_json st;
    st["id"] = id;
    st["token"] = token_str(id);
    nlohmann::ordered_json top = nlohmann::ordered_json::array();
    for (const TokenScore& c : top_tokens(lg.data(), V, top_n))
      top.push_back({{"id", c.id}, {"token", token_str(c.id)}, {"logit", c.logit},
                     {"prob", final_probs[size_t(c.id)]}, {"model_prob", c.prob}});
    st["top"] = std::move(top);
    steps.push_back(std::move(st));
  };
  nlohmann::ordered_json beam_json;
  const double t_decode = now_s();
  int decoded = 0;
  if (beam) {
    BeamResult br = beam_search(m, session.cache(), session.logits(), chosen.beam_width, max_new, eos);
    decoded = int(br.nodes.size() ? br.beams.size() : 0);
    // Replay the best path through the session to report each step's candidates (beam search
    // applies no transforms: "prob" is the model's probability).
    SamplerSettings plain;
    for (int32_t id : br.best) {
      const GenStep& g = session.push(id, plain);
      record(id, g.sample.logits, g.sample.probs);
      out_ids.push_back(id);
      if (id == eos) break;
    }
    if (json) {
      nlohmann::ordered_json nodes = nlohmann::ordered_json::array();
      for (const BeamNode& n : br.nodes)
        nodes.push_back({{"parent", n.parent}, {"depth", n.depth}, {"id", n.token}, {"token", token_str(n.token)},
                         {"logprob", n.logprob}, {"score", n.score}, {"kept", n.kept}});
      beam_json["width"] = chosen.beam_width;
      beam_json["nodes"] = std::move(nodes);
      beam_json["beams"] = br.beams;
      beam_json["best_score"] = br.best_score;
    }
  } else {
    int slid = 0;
    for (int i = 0; i < max_new; ++i) {
      const GenStep& g = session.step(chosen);
      record(g.token, g.sample.logits, g.sample.probs_final);
      out_ids.push_back(g.token);
      ++decoded;
      if (session.window_start() != g.window_start_before) ++slid;
      if (g.token == eos) break;
    }
    if (slid > 0)
      notes.push_back("the context window (" + std::to_string(m.config.block_size) + " tokens) was full " + std::to_string(slid) +
                      (slid == 1 ? " time" : " times") + ": the oldest tokens slid out of view");
  }
  const double decode_s = now_s() - t_decode;
  const double tps = decoded > 0 && decode_s > 0 ? decoded / decode_s : 0.0;

  std::string text;
  if (tok) {
    std::vector<int> ids(out_ids.begin(), out_ids.end());
    text = tok->decode(ids);
  }
  if (json) {
    nlohmann::ordered_json out;
    out["model"] = model_path;
    out["prompt_ids"] = prompt;
    out["ids"] = out_ids;
    out["window_start"] = session.window_start();  // first id still in the model's context (GptSession's rule)
    out["text"] = text;
    out["sampler"] = {{"mode", beam ? "beam" : (chosen.greedy || chosen.temperature <= kGreedyTemperature) ? "greedy" : "sample"},
                      {"temperature", chosen.temperature}, {"top_k", chosen.top_k}, {"top_p", chosen.top_p},
                      {"beam", chosen.beam_width}, {"seed", seed}};
    out["notes"] = notes;
    if (!retrieval.is_null()) out["retrieval"] = std::move(retrieval);
    out["steps"] = std::move(steps);
    if (beam) out["beam"] = std::move(beam_json);
    out["timing"] = {{"load_s", load_s}, {"prefill_s", prefill_s}, {"decode_tokens_per_s", tps}};
    std::printf("%s\n", out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
    return 0;
  }
  for (auto& n : notes) std::fprintf(stderr, "note: %s\n", n.c_str());
  if (tok) {
    // To a terminal, control bytes (ESC, CR, …) and broken UTF-8 show escaped as in the token chips
    // (`<1B>`), so generated text cannot move the cursor or recolour the terminal; to a pipe or a
    // file the bytes go out as generated.
    std::vector<int> pids(prompt.begin(), prompt.end());
    const std::string all = tok->decode(pids) + text;
    std::printf("%s\n", ::isatty(STDOUT_FILENO) || escape_forced() ? terminal_safe(all).c_str() : all.c_str());
  } else {
    std::string s;
    for (int32_t id : out_ids) s += (s.empty() ? "" : ",") + std::to_string(id);
    std::printf("ids: %s\n", s.c_str());
  }
  std::printf("-- %zu prompt + %zu new tokens (%s, seed %llu) · load %.2f s · prefill %.3f s · %.1f tokens/s\n",
              prompt.size(), out_ids.size(), beam ? "beam" : (chosen.greedy ? "greedy" : "sampled"),
              (unsigned long long)seed, load_s, prefill_s, tps);
  return 0;
}

}  // namespace gb::cli
