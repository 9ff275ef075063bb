// The app sleeps until it has something to draw: input, a background thread's news (wake_ui from a trace or a
// training worker), a lab's own deadline (Run mode's next token, a fading highlight) or a text cursor's blink.
// An idle classroom laptop stays idle (`glassbox bench idle` measures it).
#include <algorithm>
#include <chrono>
#include <cstdio>

#include <sys/resource.h>

#include <GLFW/glfw3.h>

#include "app/app.hpp"
#include "app/hooks.hpp"
#include "app/views.hpp"
#include "cli/args.hpp"
#include "core/threads.hpp"
#include "lab/session.hpp"

namespace gb::app {

namespace {

constexpr double kIdleRedrawSeconds = 5.0;  // at most this long without a frame (a safety net, not a clock)
constexpr int kSettleFrames = 3;            // frames drawn after input: ImGui settles hover and new windows' sizes

void post_empty_event() { glfwPostEmptyEvent(); }  // any thread may call it

// Input seen since the last wait. GLFW hands each event to one callback: ours record it and pass it on to the
// ones Dear ImGui's backend installed (a worker's empty event calls none, so it draws one frame, not a settle).
bool g_input = false;
GLFWcursorposfun g_prev_cursor = nullptr;
GLFWmousebuttonfun g_prev_button = nullptr;
GLFWscrollfun g_prev_scroll = nullptr;
GLFWkeyfun g_prev_key = nullptr;
GLFWcharfun g_prev_char = nullptr;
GLFWwindowsizefun g_prev_size = nullptr;
GLFWwindowfocusfun g_prev_focus = nullptr;

void install_input_callbacks(GLFWwindow* w) {
  g_prev_cursor = glfwSetCursorPosCallback(w, [](GLFWwindow* win, double x, double y) {
    g_input = true;
    if (g_prev_cursor) g_prev_cursor(win, x, y);
  });
  g_prev_button = glfwSetMouseButtonCallback(w, [](GLFWwindow* win, int b, int a, int m) {
    g_input = true;
    if (g_prev_button) g_prev_button(win, b, a, m);
  });
  g_prev_scroll = glfwSetScrollCallback(w, [](GLFWwindow* win, double x, double y) {
    g_input = true;
    if (g_prev_scroll) g_prev_scroll(win, x, y);
  });
  g_prev_key = glfwSetKeyCallback(w, [](GLFWwindow* win, int k, int sc, int a, int m) {
    g_input = true;
    if (g_prev_key) g_prev_key(win, k, sc, a, m);
  });
  g_prev_char = glfwSetCharCallback(w, [](GLFWwindow* win, unsigned int c) {
    g_input = true;
    if (g_prev_char) g_prev_char(win, c);
  });
  g_prev_size = glfwSetWindowSizeCallback(w, [](GLFWwindow* win, int x, int y) {
    g_input = true;
    if (g_prev_size) g_prev_size(win, x, y);
  });
  g_prev_focus = glfwSetWindowFocusCallback(w, [](GLFWwindow* win, int f) {
    g_input = true;
    if (g_prev_focus) g_prev_focus(win, f);
  });
}

}  // namespace

void Shell::wait_for_work() {
  if (!waits_) {
    waits_ = true;
    set_wake_ui_handler(post_empty_event);
    install_input_callbacks(window_);  // after Dear ImGui's backend installed its own, which ours pass events to
  }
  if (settle_frames_ > 0) {
    --settle_frames_;
    return;
  }
  double wait = std::min(session_.seconds_until_update(), kIdleRedrawSeconds);
  if (imgui_ready_ && ImGui::GetIO().WantTextInput) wait = std::min(wait, 0.5);  // the text cursor blinks
  if (wait <= 0) return;
  g_input = false;
  glfwWaitEventsTimeout(wait);  // input, a worker's empty event (news) or the deadline
  if (g_input) settle_frames_ = kSettleFrames;
}

// [SECTION] glassbox bench idle

static double process_cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);  // every thread of the process: UI, trace and training workers, GL driver
  return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + 1e-6 * double(u.ru_utime.tv_usec + u.ru_stime.tv_usec);
}

int bench_idle(int argc, char** argv) {
  const std::vector<cli::FlagSpec> spec = {
      {"--seconds", true, "S       how long to measure (default 10)"},
      {"--workspace", true, "NAME  " + Session::workspace_list() + " (default transformer)"},
      {"--do", true, "\"CMD; CMD\"  commands to run first, e.g. \"transformer set speed 4; transformer run\" (the cost of 4 tokens/s)"},
      {"--json", false, "          print one JSON object"},
      {"--help", false, "          this help"},
  };
  cli::Args args(argc, argv, 3, spec);
  if (args.has("--help")) {
    std::printf("usage: glassbox bench idle [--seconds S] [--workspace NAME] [--do \"CMD; CMD\"] [--json]\n"
                "The real app loop in a window with its default panels open and nothing running: the process's CPU use "
                "while no input arrives.\n%s",
                cli::usage_lines(spec).c_str());
    return 0;
  }
  const double seconds = args.number("--seconds", 10, 1, 3600);
  const std::string ws = args.str("--workspace", "transformer");
  Session session;
  if (!is_workspace(session, ws))
    throw cli::UsageError{"--workspace: expected one of " + join(session.workspaces()) + ", not `" + ws + "`"};
  ShellOptions options;
  options.title = "Glassbox bench idle";
  options.ignore_mouse = true;
  Shell shell(session, Settings{}, options);
  std::string error;
  if (!shell.init(error)) {
    std::fprintf(stderr, "glassbox bench idle: %s\n", error.c_str());
    return 1;
  }
  shell.run("workspace " + ws);
  if (!run_all(shell, split_commands(args.str("--do")), "bench idle")) return 1;
  auto loop_for = [&](double s) {
    long frames = 0;
    const auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(s);
    while (std::chrono::steady_clock::now() < end && !shell.should_close()) {
      shell.wait_for_work();
      shell.frame();
      shell.swap();
      ++frames;
    }
    return frames;
  };
  loop_for(2.0);  // start-up: the model loads, the first trace arrives, fonts and layout settle
  const double cpu0 = process_cpu_seconds();
  const auto wall0 = std::chrono::steady_clock::now();
  const long frames = loop_for(seconds);
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
  const double cpu_percent = 100.0 * (process_cpu_seconds() - cpu0) / wall;
  set_wake_ui_handler(nullptr);
  if (args.has("--json"))
    std::printf("{\"cpu_percent\": %.3f, \"frames\": %ld, \"seconds\": %.3f, \"workspace\": \"%s\"}\n", cpu_percent, frames,
                wall, ws.c_str());
  else
    std::printf("bench idle: %.2f%% of one core over %.1f s (%ld frames drawn), workspace %s\n", cpu_percent, wall, frames,
                ws.c_str());
  return 0;
}

}  // namespace gb::app
