// `glassbox bench ui`: frame times with every panel of a workspace open and its model running, beside the floor
// (the same windows in the same places, empty) measured in the same run, and the CPU cost that stays on a machine
// with a GPU: the lab update plus building the panels (build_ms), and the vertices per frame.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <map>
#include <string>
#include <vector>

#include "app/app.hpp"
#include "app/gl.hpp"
#include "app/hooks.hpp"
#include "app/views.hpp"
#include "cli/args.hpp"
#include "lab/session.hpp"
#include "lab/settings.hpp"

namespace gb::app {

namespace {

double quantile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, size_t(double(v.size()) * q))];
}

// Per-frame figures of one measured run.
struct Series {
  std::vector<double> frame, update, build, render, present, vertices, calls;
  std::map<std::string, std::pair<std::vector<double>, std::vector<double>>> panels;  // id: build ms, vertices
  std::vector<std::vector<std::pair<std::string, double>>> frame_panels;  // per frame: (panel id, build ms)
  double cpu_ms = 0, wall_ms = 0;  // all threads' CPU and wall time per frame
};

Series measure(Shell& shell, int frames) {
  for (int i = 0; i < 5; ++i) {  // warm-up: fonts, textures, layout
    shell.frame();
    shell.swap();
  }
  Series s;
  const std::clock_t cpu0 = std::clock();
  const auto wall0 = std::chrono::steady_clock::now();
  for (int i = 0; i < frames; ++i) {
    auto t0 = std::chrono::steady_clock::now();
    shell.frame();
    auto t1 = std::chrono::steady_clock::now();
    shell.swap();
    glFinish();
    auto t2 = std::chrono::steady_clock::now();
    const FrameProfile& p = shell.last_frame_profile();
    s.frame.push_back(std::chrono::duration<double, std::milli>(t2 - t0).count());
    s.update.push_back(p.update_ms);
    s.build.push_back(p.update_ms + p.build_ms);  // the CPU work a GPU does not take over
    s.render.push_back(p.render_ms);
    s.present.push_back(std::chrono::duration<double, std::milli>(t2 - t1).count());
    s.vertices.push_back(p.vertices);
    s.calls.push_back(p.draw_calls);
    s.frame_panels.emplace_back();
    for (auto& panel : p.panels) {
      s.panels[panel.id].first.push_back(panel.build_ms);
      s.panels[panel.id].second.push_back(panel.vertices);
      s.frame_panels.back().push_back({panel.id, panel.build_ms});
    }
  }
  s.cpu_ms = 1000.0 * double(std::clock() - cpu0) / CLOCKS_PER_SEC / frames;
  s.wall_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - wall0).count() / frames;
  return s;
}

// What the slowest twentieth of the frames (build time at or above its p95) spend their build time on: the lab
// update, the panels that cost most there, and the rest (ImGui's own work, texture uploads between panels).
void print_slow_frames(const Series& s) {
  const double p95 = quantile(s.build, 0.95);
  std::map<std::string, double> panel_ms;
  double update = 0, rest = 0;
  int n = 0;
  for (size_t f = 0; f < s.build.size(); ++f) {
    if (s.build[f] < p95) continue;
    ++n;
    update += s.update[f];
    double panels = 0;
    for (auto& [id, ms] : s.frame_panels[f]) panel_ms[id] += ms, panels += ms;
    rest += s.build[f] - s.update[f] - panels;
  }
  if (n == 0) return;
  std::vector<std::pair<double, std::string>> top;
  for (auto& [id, ms] : panel_ms) top.push_back({ms / n, id});
  std::sort(top.rbegin(), top.rend());
  std::fprintf(stderr, "  slowest 5%% of frames (%d, build >= %.2f ms), mean ms: lab update %.2f, outside the panels %.2f", n,
               p95, update / n, rest / n);
  for (size_t i = 0; i < top.size() && i < 3; ++i) std::fprintf(stderr, ", %s %.2f", top[i].second.c_str(), top[i].first);
  std::fprintf(stderr, "\n");
}

struct WorkspaceResult {
  std::string workspace;
  Series live, floor;
};

// Every panel of the workspace open, its model running (unless still), then the same layout empty.
bool bench_workspace(Shell& shell, Session& session, const std::string& ws, bool still, const std::string& extra,
                     int frames, WorkspaceResult& out) {
  shell.run("workspace " + ws);
  for (auto& p : session.current().panels()) shell.run("open " + p.id);
  if (!still) {
    // Keep the model moving so the panels redraw live data (Run modes advance in the labs' update()).
    if (ws == "transformer") {
      shell.run("transformer set max-tokens 4096");
      shell.run("transformer set speed 30");
      shell.run("transformer run");
    } else if (ws == "diffusion") {
      shell.run("diffusion run loop");
    } else if (ws == "gan") {
      shell.run("gan run");
    } else if (ws == "vae") {
      // A fresh 2D VAE training on its worker (the β panel's curves grow every frame), long enough to outlast
      // the measurement; the other panels show the shipped models.
      shell.run("vae train start beta 1 steps 1000000");
    }
  }
  if (!run_all(shell, split_commands(extra), "bench ui")) return false;
  out.workspace = ws;
  out.live = measure(shell, frames);
  shell.set_empty_panels(true);
  out.floor = measure(shell, frames);
  shell.set_empty_panels(false);
  session.reset_to_defaults(ws);  // stops Run modes and closes the panels before the next workspace
  return true;
}

}  // namespace

int bench_ui(int argc, char** argv) {
  const std::vector<cli::FlagSpec> spec = {
      {"--frames", true, "N        frames to render per measurement (default 300)"},
      {"--size", true, "WxH        window size (default 1600x900)"},
      {"--workspace", true, "NAME  transformer, diffusion, gan, vae or all (default transformer)"},
      {"--still", false, "         nothing runs while measuring: drawing only"},
      {"--do", true, "\"CMD; CMD\"  commands to run before measuring (e.g. \"diffusion preset ddpm-1000\")"},
      {"--lang", true, "CODE       language of the UI: en, de, es, fr, uk (default: $GLASSBOX_LANG, else en)"},
      {"--json", false, "          print one JSON object"},
      {"--help", false, "          this help"},
  };
  cli::Args args(argc, argv, 3, spec);
  if (args.has("--help")) {
    std::printf(
        "usage: glassbox bench ui [--frames N] [--size WxH] [--workspace NAME|all] [--still] [--do \"CMD; CMD\"] [--lang CODE] [--json]\n"
        "Every panel of a workspace open and its model running (transformer: Run mode at 30 tokens/s; diffusion: run "
        "loop; GAN: Run mode; VAE: a 2D VAE training live), then the same windows empty (the floor), in one run. build_ms is the lab update plus "
        "building the panels: the CPU cost that stays on a machine with a GPU.\n%s",
        cli::usage_lines(spec).c_str());
    return 0;
  }
  const int frames = int(args.integer("--frames", 300, 1, 1000000));
  int width = 1600, height = 900;
  if (args.has("--size")) parse_size(args.str("--size"), "--size", width, height);
  const std::string which = args.str("--workspace", "transformer");
  Session session;
  std::vector<std::string> workspaces;
  if (which == "all")
    workspaces = session.workspaces();
  else if (is_workspace(session, which))
    workspaces = {which};
  else
    throw cli::UsageError{"--workspace: expected " + join(session.workspaces()) + " or all, not `" + which + "`"};
  ShellOptions options;
  options.width = width;
  options.height = height;
  options.vsync = false;
  options.title = "Glassbox bench";
  options.ignore_mouse = true;
  Settings settings;
  settings.language = language_option(args);
  Shell shell(session, settings, options);
  std::string error;
  if (!shell.init(error)) {
    std::fprintf(stderr, "glassbox bench ui: %s\n", error.c_str());
    return 1;
  }
  if (!shell.language_error().empty()) {
    std::fprintf(stderr, "glassbox bench ui: --lang %s: %s\n", settings.language.c_str(), shell.language_error().c_str());
    return 1;
  }
  std::vector<WorkspaceResult> results;
  for (auto& ws : workspaces) {
    WorkspaceResult r;
    if (!bench_workspace(shell, session, ws, args.has("--still"), args.str("--do"), frames, r)) return 1;
    const Series& s = r.live;
    // Where the time goes, on stderr so the JSON on stdout stays as documented.
    std::fprintf(stderr,
                 "bench ui %s breakdown (median ms): lab update %.2f, update + panels build %.2f (p95 %.2f), GL submit "
                 "%.2f, swap+finish (rasterising) %.2f; %.0f vertices, %.0f draw calls per frame; all threads %.1f ms "
                 "CPU per frame (mean wall %.1f ms); empty-panel floor: median %.2f, p95 %.2f ms\n",
                 ws.c_str(), quantile(s.update, 0.5), quantile(s.build, 0.5), quantile(s.build, 0.95),
                 quantile(s.render, 0.5), quantile(s.present, 0.5), quantile(s.vertices, 0.5), quantile(s.calls, 0.5),
                 s.cpu_ms, s.wall_ms, quantile(r.floor.frame, 0.5), quantile(r.floor.frame, 0.95));
    for (auto& [id, v] : s.panels)
      std::fprintf(stderr, "  %-28s build median %.2f p95 %.2f ms, %.0f vertices\n", id.c_str(), quantile(v.first, 0.5),
                   quantile(v.first, 0.95), quantile(v.second, 0.5));
    print_slow_frames(s);
    results.push_back(std::move(r));
  }
  auto fields = [&](const WorkspaceResult& r) {
    char b[512];
    const double p95 = quantile(r.live.frame, 0.95), floor95 = quantile(r.floor.frame, 0.95);
    std::snprintf(b, sizeof b,
                  "\"frame_ms_median\": %.3f, \"frame_ms_p95\": %.3f, \"build_ms_p95\": %.3f, \"update_ms_p95\": %.3f, "
                  "\"vertices_median\": %.0f, \"floor_frame_ms_median\": %.3f, \"floor_frame_ms_p95\": %.3f, "
                  "\"p95_over_floor\": %.3f",
                  quantile(r.live.frame, 0.5), p95, quantile(r.live.build, 0.95), quantile(r.live.update, 0.95),
                  quantile(r.live.vertices, 0.5), quantile(r.floor.frame, 0.5), floor95, floor95 > 0 ? p95 / floor95 : 0.0);
    return std::string(b);
  };
  if (args.has("--json")) {
    // The first workspace's figures at the top level (as before), every workspace's in "workspaces".
    std::string out = "{\"frames\": " + std::to_string(frames) + ", " + fields(results.front()) + ", \"workspaces\": [";
    for (size_t i = 0; i < results.size(); ++i)
      out += (i ? ", " : "") + std::string("{\"workspace\": \"") + results[i].workspace + "\", " + fields(results[i]) + "}";
    std::printf("%s]}\n", out.c_str());
  } else {
    for (auto& r : results)
      std::printf("bench ui: %d frames at %dx%d, workspace %s: median %.3f ms, p95 %.3f ms per frame (empty-panel floor "
                  "p95 %.3f ms); update + panels build p95 %.3f ms; %.0f vertices per frame\n",
                  frames, width, height, r.workspace.c_str(), quantile(r.live.frame, 0.5), quantile(r.live.frame, 0.95),
                  quantile(r.floor.frame, 0.95), quantile(r.live.build, 0.95), quantile(r.live.vertices, 0.5));
  }
  return 0;
}

}  // namespace gb::app
