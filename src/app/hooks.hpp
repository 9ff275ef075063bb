// The app's entry points handed to the CLI dispatcher (src/cli/cli.cpp) as AppHooks.
#pragma once
#include <string>
#include <vector>

namespace gb {
class Session;
namespace cli {
class Args;
}
}  // namespace gb

namespace gb::app {

int run_app(int argc, char** argv);     // `glassbox [--model PATH]`; argv[0] is the first flag
int screenshot(int argc, char** argv);  // `glassbox screenshot …`; argv[1] == "screenshot"
int bench_ui(int argc, char** argv);    // `glassbox bench ui …`; argv[2] == "ui"
int bench_idle(int argc, char** argv);  // `glassbox bench idle …`; argv[2] == "idle" (src/app/shell_wait.cpp)
int review(int argc, char** argv);      // `glassbox screenshot --review DIR …` (src/app/review.cpp)
int export_cli(int argc, char** argv);  // `glassbox export …`; argv[1] == "export" (src/app/export_cli.cpp)

// True while a lab has started background work whose first result a student would see within seconds (training
// data being prepared, a training run without its first loss point, denoising steps still to compute): screenshots
// keep rendering frames until it is there (`screenshot`: at most 90 s, `--review`: --settle), so a picture shows what the step shows.
bool waiting_for_labs(Session& session);

// "a; b \"x;y\"; c" → {"a", "b \"x;y\"", "c"} (the --do flags of screenshot and the benches; src/app/screenshot.cpp).
std::vector<std::string> split_commands(const std::string& text);
class Shell;
// Runs commands through the shell; the first that fails is reported as "glassbox WHO: command `…` failed: why".
bool run_all(Shell& shell, const std::vector<std::string>& commands, const char* who);

// The --lang flag of screenshot, bench ui and the app: CODE, else $GLASSBOX_LANG, else "en" (src/app/screenshot.cpp).
// Throws cli::UsageError for a word that is not a language code; whether its catalogue exists is checked by the shell.
std::string language_option(const gb::cli::Args& args);

// Parses "WxH" (e.g. 1600x900) within 64..16384; throws cli::UsageError naming `flag`.
void parse_size(const std::string& text, const char* flag, int& width, int& height);

}  // namespace gb::app
