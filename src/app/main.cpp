// glassbox entry point: the CLI decides; the app window, screenshots and the UI benchmark are hooks.
#include "app/hooks.hpp"
#include "cli/cli.hpp"

int main(int argc, char** argv) {
  gb::cli::AppHooks hooks;
  hooks.run_app = gb::app::run_app;
  hooks.screenshot = gb::app::screenshot;
  hooks.bench_ui = gb::app::bench_ui;
  hooks.bench_idle = gb::app::bench_idle;
  hooks.export_ = gb::app::export_cli;
  return gb::cli::main(argc, argv, hooks);
}
