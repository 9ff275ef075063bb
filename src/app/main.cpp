// glassbox entry point: the CLI decides; the app window is one of its hooks.
#include "cli/cli.hpp"

int main(int argc, char** argv) {
  gb::cli::AppHooks hooks;  // filled in by the app shell
  return gb::cli::main(argc, argv, hooks);
}
