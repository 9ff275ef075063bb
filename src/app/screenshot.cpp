// `glassbox screenshot` renders real frames of the app and writes a PNG (`bench ui` is in bench_ui.cpp).
#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <stb/stb_image_write.h>  // implementation in Debian's libstb (-lstb)

#include "app/app.hpp"
#include "app/gl.hpp"
#include "app/hooks.hpp"
#include "app/views.hpp"
#include "cli/args.hpp"
#include "core/colormap.hpp"
#include "lab/session.hpp"
#include "lab/settings.hpp"
#include "lessons/lesson.hpp"

namespace gb::app {

void parse_size(const std::string& text, const char* flag, int& width, int& height) {
  int w = 0, h = 0;
  char extra = 0;
  if (std::sscanf(text.c_str(), "%dx%d%c", &w, &h, &extra) != 2 || w < 64 || h < 64 || w > 16384 || h > 16384)
    throw cli::UsageError{std::string(flag) + ": `" + text + "` is not a size like 1600x900 (64 to 16384 a side)"};
  width = w;
  height = h;
}

// "a; b \"x;y\"; c" → {"a", "b \"x;y\"", "c"}: semicolons inside double quotes do not split.
std::vector<std::string> split_commands(const std::string& text) {
  std::vector<std::string> out;
  std::string cur;
  bool quoted = false;
  auto flush = [&] {
    size_t a = cur.find_first_not_of(" \t"), b = cur.find_last_not_of(" \t");
    if (a != std::string::npos) out.push_back(cur.substr(a, b - a + 1));
    cur.clear();
  };
  for (size_t i = 0; i < text.size(); ++i) {
    char ch = text[i];
    if (ch == '\\' && quoted && i + 1 < text.size()) {
      cur += ch;
      cur += text[++i];
      continue;
    }
    if (ch == '"') quoted = !quoted;
    if (ch == ';' && !quoted) flush();
    else cur += ch;
  }
  flush();
  return out;
}

// Runs commands through the shell; the first that fails is reported as "glassbox WHO: command `…` failed: why".
bool run_all(Shell& shell, const std::vector<std::string>& commands, const char* who) {
  for (auto& c : commands) {
    CommandResult r = shell.run(c);
    if (!r.ok) {
      std::fprintf(stderr, "glassbox %s: command `%s` failed: %s\n", who, c.c_str(), r.message.c_str());
      return false;
    }
  }
  return true;
}

std::string language_option(const cli::Args& args) {
  const char* env = std::getenv("GLASSBOX_LANG");
  std::string code = args.str("--lang", env && *env ? env : "en");
  if (!valid_language_code(code))
    throw cli::UsageError{"--lang: `" + code + "` is not a language code such as en, de, es, fr or uk"};
  return code;
}

int screenshot(int argc, char** argv) {
  const std::vector<cli::FlagSpec> spec = {
      {"--view", true, "NAME     what to show: a workspace, lessons, widgets or a panel id like gan.playground"},
      {"--out", true, "FILE.png  where to write the picture"},
      {"--size", true, "WxH      window size in pixels (default 1600x900)"},
      {"--scale", true, "S       UI scale 1.0–3.0 (default 1)"},
      {"--theme", true, "T       dark, light or contrast (default dark)"},
      {"--lang", true, "CODE     language of the UI: en, de, es, fr, uk (default: $GLASSBOX_LANG, else en)"},
      {"--frames", true, "N      frames to render before capturing (default 8)"},
      {"--do", true, "\"CMD; CMD\"  commands to run after the view opens (e.g. \"transformer load assets/gpt2-tiny; transformer step 5\")"},
      {"--lesson", true, "ID     show lesson ID (04-attention, 4 or attention) at --step K beside its workspace"},
      {"--step", true, "K        the lesson's step, 1 = the first (default 1)"},
      {"--pointer", true, "\"click X,Y; hover X,Y\"  headless pointer in window pixels before the capture: click opens a menu or presses a button, hover shows a tooltip (the last one stays)"},
      {"--answer", true, "N      choose answer N (1 = the first) of the step's first quiz or predict (shows the reveal)"},
      {"--cvd", true, "KIND      write the picture as a colour-blind viewer sees it: deuteranopia, protanopia or tritanopia"},
      {"--help", false, "        this help"},
  };
  for (int i = 2; i < argc; ++i)  // the review of the whole app has flags of its own
    if (std::string(argv[i]) == "--review") return review(argc, argv);
  cli::Args args(argc, argv, 2, spec);
  Session session;
  if (args.has("--help")) {
    std::printf("usage: glassbox screenshot --view NAME --out FILE.png [--size WxH] [--scale S] [--theme T]\n%s"
                "       glassbox screenshot --review DIR [--scales 1,2] [--only TEXT]  (every view and lesson step, checked;\n"
                "       see glassbox screenshot --review DIR --help)\n"
                "views: %s\nWithout a display run it under: xvfb-run -a -s \"-screen 0 1920x1080x24\" glassbox screenshot …\n",
                cli::usage_lines(spec).c_str(), join(view_names(session)).c_str());
    return 0;
  }
  const bool lesson = args.has("--lesson");
  std::string view = lesson ? args.str("--view", "lessons") : args.required("--view");
  std::string out = args.required("--out");
  int width = 1600, height = 900;
  if (args.has("--size")) parse_size(args.str("--size"), "--size", width, height);
  Settings settings;
  settings.ui_scale = float(args.number("--scale", 1.0, kMinUiScale, kMaxUiScale));
  settings.theme = args.str("--theme", "dark");
  if (!valid_theme(settings.theme)) throw cli::UsageError{"--theme: expected dark, light or contrast, not `" + settings.theme + "`"};
  settings.language = language_option(args);
  int frames = int(args.integer("--frames", 8, 2, 1000));
  Cvd cvd = Cvd::none;
  if (args.has("--cvd") && !parse_cvd(args.str("--cvd"), cvd))
    throw cli::UsageError{"--cvd: expected deuteranopia, protanopia or tritanopia, not `" + args.str("--cvd") + "`"};
  ViewPlan plan;
  if (!plan_view(session, view, plan)) {
    std::fprintf(stderr, "glassbox screenshot: unknown view `%s`\nvalid views: %s\n", view.c_str(),
                 join(view_names(session)).c_str());
    return 2;
  }

  ShellOptions options;
  options.width = width;
  options.height = height;
  options.title = "Glassbox screenshot";
  options.ignore_mouse = true;
  Shell shell(session, settings, options);
  std::string error;
  if (!shell.init(error)) {
    std::fprintf(stderr, "glassbox screenshot: %s\n", error.c_str());
    return 1;
  }
  if (!shell.language_error().empty()) {
    std::fprintf(stderr, "glassbox screenshot: --lang %s: %s\n", settings.language.c_str(), shell.language_error().c_str());
    return 1;
  }
  for (auto& c : split_commands(args.str("--do"))) plan.commands.push_back(c);
  if (!run_all(shell, plan.commands, "screenshot")) return 1;
  if (lesson) {  // the lessons panel beside the workspace, at the step asked for
    const std::string file = find_lesson_file(lessons_dir(), args.str("--lesson"));
    if (file.empty())
      throw cli::UsageError{"--lesson: no lesson `" + args.str("--lesson") + "` in " + lessons_dir()};
    LessonRunner& runner = shell.lessons();
    shell.run("open lessons");
    if (!runner.open(file, 0)) {
      for (auto& e : runner.load_errors()) std::fprintf(stderr, "%s\n", e.str().c_str());
      return 1;
    }
    long step = args.integer("--step", 1, 1, 1000);
    if (step > runner.step_count())
      throw cli::UsageError{"--step: " + std::to_string(step) + " is past the lesson's last step (" +
                            std::to_string(runner.step_count()) + ")"};
    runner.goto_step(int(step) - 1);
    if (args.has("--answer")) {
      const auto& blocks = runner.lesson().steps[size_t(step - 1)].blocks;
      int q = 0;
      while (q < int(blocks.size()) && !blocks[size_t(q)].is_question()) ++q;
      if (q == int(blocks.size())) throw cli::UsageError{"--answer: step " + std::to_string(step) + " has no question"};
      long n = args.integer("--answer", 1, 1, long(blocks[size_t(q)].answers.size()));
      runner.answer(q, int(n) - 1);
    }
    for (auto& e : runner.action_errors()) std::fprintf(stderr, "glassbox screenshot: %s\n", e.c_str());
  }
  shell.show_message("", true);
  shell.show_widget_gallery(plan.widget_gallery);
  // --pointer: each click is a press and a release (a frame each); the pointer then stays where the last step left it.
  for (const std::string& step : split_commands(args.str("--pointer"))) {
    char kind[16] = {0};
    float x = 0, y = 0;
    if (std::sscanf(step.c_str(), "%15s %f,%f", kind, &x, &y) != 3 || (std::string(kind) != "click" && std::string(kind) != "hover"))
      throw cli::UsageError{"--pointer: expected `click X,Y` or `hover X,Y`, not `" + step + "`"};
    const bool click = std::string(kind) == "click";
    for (int f = 0; f < (click ? 3 : 2); ++f) {
      shell.set_scripted_pointer(x, y, click && f == 1);
      shell.frame();
      shell.swap();
    }
  }
  std::vector<unsigned char> pixels;
  int w = 0, h = 0;
  const auto t0 = std::chrono::steady_clock::now();
  for (int i = 0;; ++i) {
    shell.frame();
    // Training or sampling a step started shows its first results within seconds: wait for them (at most 90 s).
    const bool last = i + 1 >= frames && !shell.keys_pending() && (!waiting_for_labs(session) ||
                                          std::chrono::steady_clock::now() - t0 > std::chrono::seconds(90));
    if (last) pixels = shell.read_pixels(w, h);  // back buffer, before the swap
    shell.swap();
    if (last) break;
  }
  if (w != width || h != height) {
    std::fprintf(stderr, "glassbox screenshot: the window came out %dx%d instead of %dx%d (screen too small?)\n", w, h,
                 width, height);
    return 1;
  }
  simulate_cvd_rgba(cvd, pixels.data(), size_t(w) * size_t(h));  // Machado et al. 2009 (core/colormap.cpp)
  if (!stbi_write_png(out.c_str(), w, h, 4, pixels.data(), w * 4)) {
    std::fprintf(stderr, "glassbox screenshot: %s: cannot write the PNG\n", out.c_str());
    return 1;
  }
  std::printf("wrote %s (%dx%d, view %s, scale %.2g, theme %s, language %s)\n", out.c_str(), w, h, view.c_str(),
              settings.ui_scale, settings.theme.c_str(), settings.language.c_str());
  if (shell.fallback_glyph_count() > 0)
    std::printf("%zu characters drawn from the fallback font (Chinese, Japanese, Korean)\n", shell.fallback_glyph_count());
  return 0;
}

}  // namespace gb::app
