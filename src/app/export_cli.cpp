// `glassbox export …`: the app's `export` command from the command line. Data (CSV/JSON) is built headless from a
// Session; pictures and animations open a Shell the way `glassbox screenshot` does (needs a display or xvfb-run),
// let the view settle, then run the same Shell::export_now the app's right-click menu runs.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <stb/stb_image_write.h>

#include "app/app.hpp"
#include "app/export_panel.hpp"
#include "app/hooks.hpp"
#include "app/views.hpp"
#include "cli/args.hpp"
#include "core/error.hpp"
#include "core/files.hpp"
#include "lab/command.hpp"
#include "lab/export_data.hpp"
#include "lab/export_gif.hpp"
#include "lab/session.hpp"
#include "lab/settings.hpp"
#include "core/i18n.hpp"
#include "lessons/export_worksheet.hpp"
#include "lessons/lesson.hpp"
#include "lessons/runner.hpp"

namespace gb::app {

namespace fs = std::filesystem;

namespace {

// Lets background work a command started show its first results (at most `seconds`).
void settle(Session& session, int seconds) {
  const auto t0 = std::chrono::steady_clock::now();
  auto now = [] { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); };
  session.update(now());
  while (waiting_for_labs(session) && std::chrono::steady_clock::now() - t0 < std::chrono::seconds(seconds)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    session.update(now());
  }
}

// The first, middle and last frames of a GIF as PNGs in `dir` (to look at what an animation shows).
void write_frame_pngs(const std::string& gif, const std::string& dir) {
  GifInfo info = read_gif_info(gif);
  std::error_code ec;
  fs::create_directories(dir, ec);
  const std::string stem = fs::path(gif).stem().string();
  const int picks[3] = {0, info.frames / 2, info.frames - 1};
  const char* names[3] = {"first", "middle", "last"};
  for (int k = 0; k < 3; ++k) {
    int w = 0, h = 0;
    std::vector<unsigned char> px = read_gif_frame(gif, picks[k], w, h);
    const std::string out = (fs::path(dir) / (stem + "-" + names[k] + ".png")).string();
    if (!stbi_write_png(out.c_str(), w, h, 4, px.data(), w * 4)) throw Error(out + ": cannot write the PNG");
    std::printf("wrote %s (frame %d of %d)\n", out.c_str(), picks[k] + 1, info.frames);
  }
}

// The window pictures are rendered in: --size, --ui-scale and --theme from `args`. nullptr (and a message naming
// `who`) when there is no display.
std::unique_ptr<Shell> open_window(Session& session, const cli::Args& args, int width, int height, const char* theme,
                                   const char* who) {
  if (args.has("--size")) parse_size(args.str("--size"), "--size", width, height);
  Settings settings;
  settings.ui_scale = float(args.number("--ui-scale", 1.0, kMinUiScale, kMaxUiScale));
  settings.theme = args.str("--theme", theme);
  if (!valid_theme(settings.theme)) throw cli::UsageError{"--theme: expected dark, light or contrast, not `" + settings.theme + "`"};
  ShellOptions options;
  options.width = width;
  options.height = height;
  options.title = "Glassbox export";
  options.ignore_mouse = true;
  auto shell = std::make_unique<Shell>(session, settings, options);
  std::string error;
  if (!shell->init(error)) {
    std::fprintf(stderr, "glassbox %s: %s\n", who, error.c_str());
    return nullptr;
  }
  return shell;
}

// `glassbox export worksheet LESSON FILE.html`: each step rendered the way `screenshot --lesson N --step K` shows it
// (the lessons panel beside its workspace), embedded in the printable page.
int export_worksheet(const std::string& key, const std::string& file, const cli::Args& args) {
  if (fs::path(file).extension() != ".html") throw cli::UsageError{file + ": a worksheet is written as .html"};
  if (const char* lang = std::getenv("GLASSBOX_LANG"); lang && *lang) {  // the page's words (the app does the same)
    try {
      set_language(lang);
    } catch (const Error& e) {
      std::fprintf(stderr, "glassbox export worksheet: %s (the page stays English)\n", e.what());
    }
  }
  // The lesson in the current language when it has been translated (lessons/de/…), else the English one.
  std::string path;
  if (!language().empty() && language() != "en") path = find_lesson_file((fs::path(lessons_dir()) / language()).string(), key);
  if (path.empty()) path = find_lesson_file(lessons_dir(), key);
  if (path.empty()) throw cli::UsageError{"no lesson `" + key + "` in " + lessons_dir() + " (see glassbox lessons list)"};
  LessonParse parsed = load_lesson(path);
  if (!parsed.ok()) {
    for (auto& e : parsed.errors) std::fprintf(stderr, "%s\n", e.str().c_str());
    return 1;
  }
  const Lesson& lesson = parsed.lesson;
  std::vector<std::string> pngs(lesson.steps.size());
  if (!args.has("--no-pictures")) {
    Session session;
    std::unique_ptr<Shell> window = open_window(session, args, 1600, 900, "light", "export worksheet (or use --no-pictures)");
    if (!window) return 1;
    Shell& shell = *window;
    ViewPlan plan;
    plan_view(session, "lessons", plan);
    if (!run_all(shell, plan.commands, "export worksheet")) return 1;
    LessonRunner& runner = shell.lessons();
    if (!runner.open(path, 0)) {
      for (auto& e : runner.load_errors()) std::fprintf(stderr, "%s\n", e.str().c_str());
      return 1;
    }
    const std::string dir = args.str("--pictures");
    if (!dir.empty()) fs::create_directories(dir);
    for (size_t k = 0; k < lesson.steps.size(); ++k) {
      runner.goto_step(int(k));
      shell.show_message("", true);
      std::vector<unsigned char> px;
      int w = 0, h = 0;
      const auto t0 = std::chrono::steady_clock::now();
      for (int i = 0;; ++i) {
        shell.frame();
        const bool last = i >= 7 && (!waiting_for_labs(session) || std::chrono::steady_clock::now() - t0 > std::chrono::seconds(90));
        if (last) px = shell.read_pixels(w, h);
        shell.swap();
        if (last) break;
      }
      for (auto& e : runner.action_errors()) std::fprintf(stderr, "glassbox export worksheet: step %zu: %s\n", k + 1, e.c_str());
      pngs[k] = encode_png(px, w, h, file);
      if (!dir.empty()) {
        const std::string out = (fs::path(dir) / (lesson.id + "-step-" + std::to_string(k + 1) + ".png")).string();
        write_file_atomic(out, pngs[k]);
        std::printf("wrote %s\n", out.c_str());
      }
    }
  }
  const std::string html = worksheet_html(lesson, pngs, language().empty() ? "en" : language());
  write_file_atomic(file, html);
  size_t questions = 0;
  for (auto& s : lesson.steps)
    for (auto& b : s.blocks) questions += b.is_question();
  std::printf("wrote %s (%s: %zu steps, %zu questions, %zu KB)\n", file.c_str(), lesson.id.c_str(), lesson.steps.size(),
              questions, html.size() / 1024);
  return 0;
}

}  // namespace

int export_cli(int argc, char** argv) {
  const std::vector<cli::FlagSpec> spec = {
      {"--scale", true, "K        pictures and animations: 1, 2 or 4 times the panel's size on screen (default 1)"},
      {"--fps", true, "F          animations: frames per second, 0.5–50 (default 4)"},
      {"--frames", true, "N       animations: frames to record (default: the panel's natural count)"},
      {"--every", true, "N        GAN animations: training steps between frames (default 20)"},
      {"--do", true, "\"CMD; CMD\"  commands to run first (e.g. \"transformer load assets/gpt2-tiny; transformer step 5\")"},
      {"--size", true, "WxH       pictures: the app window (default 1280x800; worksheets 1600x900)"},
      {"--ui-scale", true, "S     pictures: UI scale 1.0–3.0 (default 1)"},
      {"--theme", true, "T        pictures: dark, light or contrast (default dark; worksheets light)"},
      {"--frames-png", true, "DIR  animations: also write the first, middle and last frames as PNGs into DIR"},
      {"--no-pictures", false, "   worksheets: text and questions only (no window needed)"},
      {"--pictures", true, "DIR    worksheets: also write each step's picture as a PNG into DIR"},
      {"--help", false, "         this help"},
  };
  // Words before the first flag: [gif|worksheet] PANEL FILE.
  std::vector<std::string> words;
  int first_flag = 2;
  while (first_flag < argc && std::string(argv[first_flag]).rfind("--", 0) != 0) words.push_back(argv[first_flag++]);
  cli::Args args(argc, argv, first_flag, spec);
  if (args.has("--help") || words.empty()) {
    std::printf("usage: glassbox export PANEL FILE.png|.csv|.json [--scale 1|2|4] [--do \"CMD; CMD\"]\n"
                "       glassbox export gif PANEL FILE.gif [--fps F] [--frames N] [--every N] [--scale K] [--frames-png DIR]\n"
                "       glassbox export worksheet LESSON FILE.html [--no-pictures] [--pictures DIR] [--size WxH] [--theme T]\n"
                "%s"
                "Data (.csv, .json) needs no window. Pictures and animations do: without a display run them under\n"
                "  xvfb-run -a -s \"-screen 0 1920x1080x24\" glassbox export …\n"
                "panels with data: %s\nanimations: %s\n",
                cli::usage_lines(spec).c_str(), join(export_data_panels()).c_str(), join(animated_panels()).c_str());
    return words.empty() && !args.has("--help") ? 2 : 0;
  }
  if (words[0] == "worksheet") {
    if (words.size() != 3) throw cli::UsageError{"expected: glassbox export worksheet LESSON FILE.html"};
    return export_worksheet(words[1], words[2], args);
  }
  // The app's command line for the request: the same parser checks it (and the app's `export` command runs it).
  std::string line = "export";
  for (auto& w : words) {
    line += ' ';
    line += quote_word(w);
  }
  for (const char* f : {"--scale", "--fps", "--frames", "--every"})
    if (args.has(f)) {
      line += ' ';
      line += f;
      line += ' ';
      line += quote_word(args.str(f));
    }
  ExportRequest r;
  try {
    r = parse_export_request(line);
  } catch (const Error& e) {
    throw cli::UsageError{e.what()};
  }
  if (args.has("--frames-png") && r.kind != ExportRequest::Kind::gif)
    throw cli::UsageError{"--frames-png is for animations (export gif …)"};
  std::vector<std::string> commands = split_commands(args.str("--do"));

  if (r.kind == ExportRequest::Kind::csv || r.kind == ExportRequest::Kind::json) {
    Session session;
    for (auto& c : commands) {
      CommandResult res = session.run(c);
      if (!res.ok) {
        std::fprintf(stderr, "glassbox export: command `%s` failed: %s\n", c.c_str(), res.message.c_str());
        return 1;
      }
      settle(session, 90);
    }
    ExportTable t = export_table(session, r.panel);
    write_file_atomic(r.file, r.kind == ExportRequest::Kind::csv ? export_csv(t) : export_json(t));
    std::printf("wrote %s (%zu rows of %s: %s)\n", r.file.c_str(), t.rows.size(), r.panel.c_str(), t.what.c_str());
    return 0;
  }

  Session session;
  ViewPlan plan;
  if (!plan_view(session, r.panel, plan)) {
    std::fprintf(stderr, "glassbox export: no panel `%s`\nvalid views: %s\n", r.panel.c_str(), join(view_names(session)).c_str());
    return 2;
  }
  std::unique_ptr<Shell> window = open_window(session, args, 1280, 800, "dark", "export");
  if (!window) return 1;
  Shell& shell = *window;
  for (auto& c : commands) plan.commands.push_back(c);
  if (!run_all(shell, plan.commands, "export")) return 1;
  shell.show_message("", true);
  // A few frames so the panel is laid out (its size on screen is the picture's size at 1×) and the labs settle.
  const auto t0 = std::chrono::steady_clock::now();
  for (int i = 0;; ++i) {
    shell.frame();
    shell.swap();
    if (i >= 8 && (!waiting_for_labs(session) || std::chrono::steady_clock::now() - t0 > std::chrono::seconds(90))) break;
  }
  CommandResult res = shell.export_now(line);
  if (!res.ok) {
    std::fprintf(stderr, "glassbox export: %s\n", res.message.c_str());
    return 1;
  }
  std::printf("%s\n", res.message.c_str());
  if (r.kind == ExportRequest::Kind::gif) {
    GifInfo info = read_gif_info(r.file);
    std::printf("read back: %d frames of %dx%d, %d/100 s each, %s\n", info.frames, info.width, info.height,
                info.delays_cs.empty() ? -1 : info.delays_cs[0], info.loops ? "looping" : "not looping");
    if (args.has("--frames-png")) write_frame_pngs(r.file, args.str("--frames-png"));
  }
  return 0;
}

}  // namespace gb::app
