// The command-line dispatcher: unknown subcommands and options, missing values → exit 2 with a
// clear message; --help and --version → exit 0. Runs gb::cli::main in-process, capturing stderr.
#include <doctest/doctest.h>

#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "cli/args.hpp"
#include "cli/cli.hpp"
#include "cli/setting_flags.hpp"
#include "common/tiny_models.hpp"
#include "core/files.hpp"
#include "lab/command.hpp"
#include "lab/transformer_lab.hpp"
#include "models/data/corpus.hpp"
#include "models/transformer/tokenizer.hpp"

namespace {

struct Run {
  int code;
  std::string out, err;
};

// Runs gb::cli::main with stdout and stderr sent to temporary files.
Run run_cli(std::vector<std::string> words, const gb::cli::AppHooks& hooks = {}) {
  words.insert(words.begin(), "glassbox");
  std::vector<char*> argv;
  for (auto& w : words) argv.push_back(w.data());
  argv.push_back(nullptr);
  std::string out_path = "/tmp/glassbox_test_cli_out_" + std::to_string(::getpid());
  std::string err_path = "/tmp/glassbox_test_cli_err_" + std::to_string(::getpid());
  std::fflush(stdout);
  std::fflush(stderr);
  int saved_out = ::dup(1), saved_err = ::dup(2);
  FILE* o = std::freopen(out_path.c_str(), "w", stdout);
  FILE* e = std::freopen(err_path.c_str(), "w", stderr);
  REQUIRE(o);
  REQUIRE(e);
  Run r;
  r.code = gb::cli::main(int(words.size()), argv.data(), hooks);
  std::fflush(stdout);
  std::fflush(stderr);
  ::dup2(saved_out, 1);
  ::dup2(saved_err, 2);
  ::close(saved_out);
  ::close(saved_err);
  r.out = gb::read_file(out_path);
  r.err = gb::read_file(err_path);
  std::remove(out_path.c_str());
  std::remove(err_path.c_str());
  return r;
}

}  // namespace

TEST_CASE("unknown subcommand: exit 2, names it, prints usage") {
  Run r = run_cli({"frobnicate"});
  CHECK(r.code == 2);
  CHECK(r.err.find("unknown subcommand `frobnicate`") != std::string::npos);
  CHECK(r.err.find("usage: glassbox") != std::string::npos);
}

TEST_CASE("unknown option: exit 2") {
  Run r = run_cli({"--frobnicate"});
  CHECK(r.code == 2);
  CHECK(r.err.find("unknown option `--frobnicate`") != std::string::npos);
}

TEST_CASE("--help and --version exit 0 on stdout") {
  Run h = run_cli({"--help"});
  CHECK(h.code == 0);
  CHECK(h.out.find("usage: glassbox") != std::string::npos);
  CHECK(h.out.find("screenshot") != std::string::npos);
  Run v = run_cli({"--version"});
  CHECK(v.code == 0);
  CHECK(v.out.find("glassbox ") == 0);
}

TEST_CASE("hooks receive their arguments; a UsageError from a hook exits 2") {
  gb::cli::AppHooks hooks;
  std::vector<std::string> seen;
  hooks.screenshot = [&](int argc, char** argv) {
    for (int i = 0; i < argc; ++i) seen.push_back(argv[i]);
    gb::cli::Args a(argc, argv, 2, {{"--out", true, "FILE"}});
    return a.has("--out") ? 0 : 1;
  };
  hooks.run_app = [&](int argc, char** argv) {
    gb::cli::Args a(argc, argv, 0, {{"--model", true, "PATH"}});
    return a.str("--model") == "m.safetensors" ? 0 : 1;
  };
  CHECK(run_cli({"screenshot", "--out", "x.png"}, hooks).code == 0);
  CHECK(seen == std::vector<std::string>{"glassbox", "screenshot", "--out", "x.png"});
  Run missing = run_cli({"screenshot", "--out"}, hooks);
  CHECK(missing.code == 2);
  CHECK(missing.err.find("option --out needs a value") != std::string::npos);
  Run unknown = run_cli({"screenshot", "--bogus", "1"}, hooks);
  CHECK(unknown.code == 2);
  CHECK(unknown.err.find("unknown option `--bogus`") != std::string::npos);
  CHECK(run_cli({"--model", "m.safetensors"}, hooks).code == 0);
  CHECK(run_cli({"--model"}, hooks).code == 2);
}

TEST_CASE("a build without the app says so") {
  Run r = run_cli({});
  CHECK(r.code == 2);
  CHECK(r.err.find("no app window") != std::string::npos);
}

TEST_CASE("Args: strict numbers and ranges") {
  std::vector<std::string> w = {"glassbox", "x", "--frames", "12abc", "--scale=5"};
  std::vector<char*> argv;
  for (auto& s : w) argv.push_back(s.data());
  gb::cli::Args a(int(argv.size()), argv.data(), 2, {{"--frames", true, "N"}, {"--scale", true, "S"}});
  CHECK_THROWS_AS(a.integer("--frames", 1, 1, 100), gb::cli::UsageError);
  CHECK_THROWS_AS(a.number("--scale", 1, 1, 3), gb::cli::UsageError);
  CHECK(a.integer("--missing", 7, 1, 100) == 7);
}

// [SECTION] `glassbox generate` and the transformer lab drive the same stepping session
TEST_CASE("generate: the CLI and the lab's commands draw the same tokens, sliding the context alike") {
  // A tiny model with its own tokenizer, saved as a checkpoint both sides load. Its context (16) is
  // shorter than the run, so the window slides (GptSession's one rule) on both sides.
  const gb::Tokenizer tok = gb::Tokenizer::train(gb::tiny_corpus(), 300);
  const auto m = gb::test::tiny_gpt(gb::test::tiny_gpt_config(tok.vocab_size(), 16, 2), 5, 0.3f);
  const std::string path = "/tmp/glassbox_test_generate_" + std::to_string(::getpid()) + ".safetensors";
  gb::test::save_tiny_gpt(*m, path, tok.to_json().dump());
  const std::string prompt = "Once upon a time";
  const int n = 40;
  struct Mode {
    std::vector<std::string> flags;  // glassbox generate
    std::string command;             // the lab
  };
  for (const Mode& mode : {Mode{{"--temperature", "1.3"}, "set temperature 1.3"}, Mode{{"--greedy"}, "set greedy on"}}) {
    CAPTURE(mode.command);
    std::vector<std::string> words = {"generate", "--model", path, "--prompt", prompt, "--max-new", std::to_string(n),
                                      "--seed", "7", "--json"};
    words.insert(words.end(), mode.flags.begin(), mode.flags.end());
    Run r = run_cli(words);
    INFO(r.err);
    REQUIRE(r.code == 0);
    const nlohmann::json j = nlohmann::json::parse(r.out);
    const std::vector<int32_t> cli = j["ids"].get<std::vector<int32_t>>();
    REQUIRE(!cli.empty());
    const int eos = tok.special_id("<|endoftext|>");
    CHECK((int(cli.size()) == n || cli.back() == eos));  // stops early only at the end-of-text token

    gb::TransformerLab lab;
    for (const std::string& line : {"load " + path, "prompt \"" + prompt + "\"", std::string("seed 7"), mode.command,
                                    "step " + std::to_string(cli.size())}) {
      gb::CommandResult res = lab.handle(gb::parse_command(line));
      INFO(line << " → " << res.message);
      REQUIRE(res.ok);
    }
    const std::vector<int32_t> all = lab.all_ids();
    REQUIRE(int(all.size()) == lab.prompt_tokens() + int(cli.size()));
    CHECK(std::vector<int32_t>(all.begin() + lab.prompt_tokens(), all.end()) == cli);
    CHECK(j["prompt_ids"].get<std::vector<int32_t>>() == std::vector<int32_t>(all.begin(), all.begin() + lab.prompt_tokens()));
    // The window slid, by the same rule on both sides.
    CHECK(lab.window_start() > 0);
    CHECK(j["window_start"].get<int>() == lab.window_start());
    CHECK(all.size() - size_t(lab.window_start()) <= 16);
  }
  std::remove(path.c_str());
}

// [SECTION] every numeric flag of generate/sample/train is a table row, checked the one way
TEST_CASE("command flags: each row's min, max and default are taken; one out of range exits 2 with the row's message") {
  size_t rows = 0;
  for (const gb::SettingSpec& s : gb::command_flag_specs()) {
    INFO(s.flag << " --" << s.name);
    ++rows;
    CHECK(s.lo < s.hi);
    CHECK(gb::check_setting(s, s.def).empty());
    // min and max through the same reader the command uses
    for (double want : {s.lo, s.hi, s.def}) {
      std::vector<std::string> w = {"glassbox", "x", "--" + s.name, gb::setting_value_text(s, want)};
      std::vector<char*> argv;
      for (auto& x : w) argv.push_back(x.data());
      gb::cli::Args a(int(argv.size()), argv.data(), 2, gb::cli::setting_flags(gb::cli_setting_specs(s.flag)));
      CHECK(gb::cli::flag_value(a, s.flag, s.name) == want);
    }
    // out of range through the real command: exit 2 before any work, the row's message
    std::vector<std::string> words;
    std::istringstream sub(s.flag);
    for (std::string x; sub >> x;) words.push_back(x);
    const std::string outside = gb::setting_value_text(s, s.hi * 2 + 1);
    words.push_back("--" + s.name);
    words.push_back(outside);
    const Run r = run_cli(words);
    CHECK(r.code == 2);
    const std::string want = s.name + " " + outside + ": out of range " + gb::setting_range_text(s);
    CHECK(r.err.find(want) != std::string::npos);
  }
  CHECK(rows >= 30);
  // the exact text for one of them, spelled out
  const Run r = run_cli({"train", "vae", "--beta", "500", "--out", "/tmp/never-written.safetensors"});
  CHECK(r.code == 2);
  CHECK(r.err.find("beta 500: out of range 0\xe2\x80\x93" "100") != std::string::npos);
  // a flag read with an ad-hoc range (bench) answers in the same words
  const Run b = run_cli({"bench", "transformer", "--threads", "0"});
  CHECK(b.code == 2);
  CHECK(b.err.find("threads 0: out of range 1\xe2\x80\x93" "256") != std::string::npos);
}
