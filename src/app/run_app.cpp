// `glassbox [--model PATH]`: the interactive app with persistent settings.
#include <cstdio>
#include <cstdlib>

#include "app/app.hpp"
#include "app/hooks.hpp"
#include "cli/args.hpp"
#include "core/files.hpp"
#include "core/threads.hpp"
#include "lab/command.hpp"
#include "lab/session.hpp"
#include "lab/settings.hpp"
#include "lab/teach_lab.hpp"

namespace gb::app {

int run_app(int argc, char** argv) {
  const std::vector<cli::FlagSpec> spec = {
      {"--model", true, "PATH  a transformer checkpoint (.safetensors) to load at start"},
      {"--session", true, "FILE  a session file (.glassbox) to open at start (File → Save session writes one)"},
      {"--lang", true, "CODE  language of the UI: en, de, es, fr, uk (kept like View → Language; default: the saved one, or $GLASSBOX_LANG)"},
      {"--help", false, "  this help"},
  };
  cli::Args args(argc, argv, 0, spec);
  if (args.has("--help")) {
    std::printf("usage: glassbox [--model PATH] [--session FILE] [--lang CODE]\n%s", cli::usage_lines(spec).c_str());
    return 0;
  }
  Session session;
  std::string settings_error;
  Settings settings = load_settings(settings_path(), settings_error);
  const char* env_lang = std::getenv("GLASSBOX_LANG");
  if (args.has("--lang") || (env_lang && *env_lang)) settings.language = language_option(args);
  // Restore the view: only names that still exist.
  session.run("workspace " + settings.workspace);
  for (auto& id : settings.open_panels)
    if (session.has_panel(id)) session.run("open " + id);
  session.run("workspace " + settings.workspace);  // `open` may have switched it
  if (settings.lessons_open) session.run("open lessons");

  ShellOptions options;
  options.width = settings.window_width;
  options.height = settings.window_height;
  options.persist = true;
  Shell shell(session, settings, options);
  std::string error;
  if (!shell.init(error)) {
    std::fprintf(stderr, "glassbox: %s\n", error.c_str());
    return 1;
  }
  if (!settings_error.empty()) shell.show_message(settings_error, false);
  // The teach workspace's tuned model, votes and facts notebook survive quit and reload: kept in the config folder
  // (the model written after every finished run; the votes and the notebook after every change).
  for (Lab* lab : session.labs())
    if (auto* teach = dynamic_cast<TeachLab*>(lab)) {
      teach->set_tuned_file(config_dir() + "/teach/tuned.safetensors");
      teach->set_store_dir(config_dir() + "/teach");
      if (!teach->store_message().empty()) shell.show_message(teach->store_message(), false);
    }
  if (args.has("--model")) shell.run("transformer load " + quote_word(args.str("--model")));
  if (args.has("--session")) shell.run("session open " + quote_word(args.str("--session")));  // a bad file: a message, the app runs
  while (!shell.should_close()) {
    shell.wait_for_work();  // asleep until input, a worker's news or a lab's deadline
    shell.frame();
    shell.swap();
  }
  set_wake_ui_handler(nullptr);  // workers may outlive the window
  return 0;
}

}  // namespace gb::app
