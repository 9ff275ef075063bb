// The app's entry points handed to the CLI dispatcher (src/cli/cli.cpp) as AppHooks.
#pragma once
#include <string>

namespace gb::app {

int run_app(int argc, char** argv);     // `glassbox [--model PATH]`; argv[0] is the first flag
int screenshot(int argc, char** argv);  // `glassbox screenshot …`; argv[1] == "screenshot"
int bench_ui(int argc, char** argv);    // `glassbox bench ui …`; argv[2] == "ui"
int review(int argc, char** argv);      // `glassbox screenshot --review DIR …` (src/app/review.cpp)

// Parses "WxH" (e.g. 1600x900) within 64..16384; throws cli::UsageError naming `flag`.
void parse_size(const std::string& text, const char* flag, int& width, int& height);

}  // namespace gb::app
