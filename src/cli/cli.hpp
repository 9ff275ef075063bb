// The glassbox command line: subcommands (train, generate, sample, tokenize, bench, lessons,
// screenshot) dispatched from one table. The window-needing parts are passed in as hooks so the
// CLI library itself has no ImGui or OpenGL.
#pragma once
#include <functional>
#include <string>

namespace gb::cli {

struct AppHooks {
  // Launches the window; argc/argv are the flags after `glassbox` (e.g. --model PATH).
  std::function<int(int argc, char** argv)> run_app;
  // `glassbox screenshot …`, flags from argv[2] on.
  std::function<int(int argc, char** argv)> screenshot;
  // `glassbox bench ui …`
  std::function<int(int argc, char** argv)> bench_ui;
  // `glassbox bench idle …`
  std::function<int(int argc, char** argv)> bench_idle;
  // `glassbox export …` (pictures and animations need a display; data does not)
  std::function<int(int argc, char** argv)> export_;
};

// Entry point for `glassbox …`. Returns the process exit code (2 for usage errors).
int main(int argc, char** argv, const AppHooks& hooks);

// A subcommand: name, one-line summary, usage text and its function (argv[0] = "glassbox",
// argv[1] = the subcommand name). Subcommands live in src/cli/cmd_<name>.cpp.
struct Subcommand {
  const char* name;
  const char* summary;
  int (*run)(int argc, char** argv);
};

}  // namespace gb::cli
