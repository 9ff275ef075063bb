// Dispatch for `glassbox SUBCOMMAND …`, --help and --version.
#include "cli/cli.hpp"

#include <cstdio>
#include <cstring>
#include <exception>
#include <new>
#include <string>
#include <string_view>
#include <vector>

#include "build_info.hpp"
#include "cli/args.hpp"
#include "core/error.hpp"

namespace gb::cli {

// [SECTION] Subcommand table: declare each cmd_<name>.cpp entry here and add a row below.
int cmd_tokenize(int argc, char** argv);
int cmd_train(int argc, char** argv);
int cmd_generate(int argc, char** argv);
int cmd_bench(int argc, char** argv);
int cmd_sample(int argc, char** argv);
int cmd_lessons(int argc, char** argv);
int cmd_vae(int argc, char** argv);
int cmd_finetune(int argc, char** argv);
int cmd_dpo(int argc, char** argv);
int cmd_help_commands(int argc, char** argv);  // cmd_help.cpp

static const std::vector<Subcommand>& table() {
  static const std::vector<Subcommand> t = {
      {"tokenize", "show how a tokenizer splits a text into tokens", cmd_tokenize},
      {"train", "train a model: transformer, diffusion, gan or vae", cmd_train},
      {"generate", "continue a prompt with a GPT (Glassbox checkpoint or Hugging Face GPT-2 folder)", cmd_generate},
      {"sample", "draw images from a trained model: diffusion, gan or vae (.npy or .png grid)", cmd_sample},
      {"bench", "measure speed: transformer, diffusion, gan or vae (decode tokens/s, steps/s)", cmd_bench},
      {"vae", "squeeze images into latents and back: encode IMAGES.npy → Z.npy, decode Z.npy → images", cmd_vae},
      {"finetune", "continue training a GPT on a small text: every weight or LoRA adapters (--lora R)", cmd_finetune},
      {"dpo", "teach a GPT from preference pairs (prompt, chosen, rejected) with DPO", cmd_dpo},
      {"lessons", "list the lessons, or check them: parse each and run all its commands (list|check)", cmd_lessons},
  };
  return t;
}

static void print_usage(FILE* out) {
  std::fprintf(out,
               "Glassbox %s: watch generative models think.\n\n"
               "usage: glassbox [--model PATH] [--session FILE]   launch the app\n"
               "       glassbox FILE.glassbox         launch the app with a saved session\n"
               "       glassbox SUBCOMMAND [OPTIONS]  run headless\n"
               "       glassbox --help | --version\n\nsubcommands:\n",
               build::version);
  std::fprintf(out, "  %-11s %s\n", "screenshot", "render a view of the app to a PNG (needs a display or xvfb-run)");
  std::fprintf(out, "  %-11s %s\n", "export", "save a panel as a picture (PNG), its data (CSV/JSON) or an animation (GIF)");
  std::fprintf(out, "  %-11s %s\n", "bench ui", "measure frame times with every panel open");
  std::fprintf(out, "  %-11s %s\n", "bench idle", "measure the app's CPU use while nothing happens");
  for (auto& s : table()) std::fprintf(out, "  %-11s %s\n", s.name, s.summary);
  std::fprintf(out, "  %-11s %s\n", "help commands", "every command of the app and its settings (--markdown: the README's table)");
  std::fprintf(out, "\n`glassbox SUBCOMMAND --help` shows a subcommand's options.\n");
}

int main(int argc, char** argv, const AppHooks& hooks) {
  try {
    // `glassbox FILE.glassbox` (a double-click on a session file: the .desktop entry passes the file alone)
    // opens the app with that session, as `glassbox --session FILE` does.
    const bool session_file = argc == 2 && std::string_view(argv[1]).size() > 9 &&
                              std::string_view(argv[1]).substr(std::string_view(argv[1]).size() - 9) == ".glassbox";
    if (argc < 2 || std::strncmp(argv[1], "--model", 7) == 0 || std::strncmp(argv[1], "--session", 9) == 0 || session_file) {
      if (!hooks.run_app) {
        std::fprintf(stderr, "glassbox: this build has no app window\n");
        return 2;
      }
      if (session_file) {
        char flag[] = "--session";
        char* app_argv[] = {flag, argv[1], nullptr};
        return hooks.run_app(2, app_argv);
      }
      return hooks.run_app(argc - 1, argv + 1);
    }
    std::string sub = argv[1];
    if (sub == "help" && argc > 2 && std::string(argv[2]) == "commands") return cmd_help_commands(argc, argv);
    if (sub == "--help" || sub == "-h" || sub == "help") {
      print_usage(stdout);
      return 0;
    }
    if (sub == "--version") {
      std::printf("glassbox %s\n", build::version);
      return 0;
    }
    if (sub == "screenshot" && hooks.screenshot) return hooks.screenshot(argc, argv);
    if (sub == "export" && hooks.export_) return hooks.export_(argc, argv);
    if (sub == "bench" && argc > 2 && std::string(argv[2]) == "ui" && hooks.bench_ui) return hooks.bench_ui(argc, argv);
    if (sub == "bench" && argc > 2 && std::string(argv[2]) == "idle" && hooks.bench_idle) return hooks.bench_idle(argc, argv);
    for (auto& s : table())
      if (sub == s.name) return s.run(argc, argv);
    std::fprintf(stderr, "glassbox: unknown %s `%s`\n\n", sub.rfind("-", 0) == 0 ? "option" : "subcommand", sub.c_str());
    print_usage(stderr);
    return 2;
  } catch (const UsageError& e) {
    std::fprintf(stderr, "glassbox %s: %s\n(see glassbox %s --help)\n", argv[1], e.message.c_str(), argv[1]);
    return 2;
  } catch (const Error& e) {
    std::fprintf(stderr, "glassbox: %s\n", e.what());
    return 1;
  } catch (const std::bad_alloc&) {  // a last line of defence: loaders check sizes before allocating
    std::fprintf(stderr, "glassbox: out of memory (the input asks for more memory than this machine has)\n");
    return 1;
  } catch (const std::exception& e) {  // never abort on an input: report and exit 1
    std::fprintf(stderr, "glassbox: unexpected error: %s\n", e.what());
    return 1;
  }
}

}  // namespace gb::cli
