// The command-line dispatcher: unknown subcommands and options, missing values → exit 2 with a
// clear message; --help and --version → exit 0. Runs gb::cli::main in-process, capturing stderr.
#include <doctest/doctest.h>

#include <cstdio>
#include <string>
#include <vector>

#include <unistd.h>

#include "cli/args.hpp"
#include "cli/cli.hpp"
#include "core/files.hpp"

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
