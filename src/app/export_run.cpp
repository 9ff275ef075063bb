// The `export` command inside the shell: pictures of one panel rendered alone into an offscreen framebuffer at K× its
// size (fonts rasterised at K×, style scaled by K: the same panel code as on screen, only sharper), data tables
// (lab/export_data.hpp) and animated GIFs (lab/export_gif.hpp) recorded frame by frame. Runs between frames.
#include <algorithm>
#include <cfloat>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <string_view>
#include <thread>

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>  // environ

#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>
#include <stb/stb_image_write.h>

#include "app/app.hpp"
#include "app/export_panel.hpp"
#include "app/gl.hpp"
#include "app/hooks.hpp"
#include "app/panels/registry.hpp"
#include "app/widgets/heatmap.hpp"
#include "core/error.hpp"
#include "core/files.hpp"
#include "core/i18n.hpp"
#include "lessons/lesson.hpp"
#include "lab/diffusion_lab.hpp"
#include "lab/export_data.hpp"
#include "lab/export_gif.hpp"
#include "lab/vae_lab.hpp"

namespace gb::app {

std::string encode_png(const std::vector<unsigned char>& rgba, int w, int h, const std::string& file) {
  std::string out;
  auto append = [](void* ctx, void* data, int size) { static_cast<std::string*>(ctx)->append(static_cast<char*>(data), size_t(size)); };
  if (!stbi_write_png_to_func(append, &out, w, h, 4, rgba.data(), w * 4))
    throw Error(file + ": cannot encode the PNG (out of memory?)");
  return out;
}

namespace {

// A picture's largest font scale (UI scale × K): the font atlas must fit in one texture.
constexpr float kMaxCaptureFontScale = 8.0f;


// The VAE walk as frames: the latent line's picture beside the pixel cross-fade, each 28×28 pixel a square of
// `cell` pixels, a bar under them showing t. White ink on black, as the panel draws them.
std::vector<std::vector<unsigned char>> vae_walk_frames(Session& s, int scale, int& w, int& h) {
  auto* lab = dynamic_cast<VaeLab*>(&s.lab("vae"));
  if (!lab) throw Error("vae.interpolate: no VAE workspace");
  lab->ensure_loaded();
  const VaeInterp& in = lab->interp();
  if (in.t.empty()) throw Error("vae.interpolate: no walk to record (" + lab->load_message() + ")");
  const int cell = 6 * scale, side = 28 * cell, gap = 4 * cell, pad = 2 * cell, bar = 3 * cell;
  w = pad + side + gap + side + pad;
  h = pad + side + pad + bar + pad;
  std::vector<std::vector<unsigned char>> frames;
  for (size_t f = 0; f < in.t.size(); ++f) {
    std::vector<unsigned char> px(size_t(w) * size_t(h) * 4, 0);
    auto put = [&](int x, int y, unsigned char r, unsigned char g, unsigned char b) {
      unsigned char* p = px.data() + (size_t(y) * size_t(w) + size_t(x)) * 4;
      p[0] = r, p[1] = g, p[2] = b, p[3] = 255;
    };
    for (int y = 0; y < h; ++y)
      for (int x = 0; x < w; ++x) put(x, y, 24, 24, 28);
    const uint8_t* pics[2] = {in.latent_line.data() + f * 784, in.crossfade.data() + f * 784};
    for (int k = 0; k < 2; ++k) {
      const int x0 = pad + k * (side + gap), y0 = pad;
      for (int y = 0; y < side; ++y)
        for (int x = 0; x < side; ++x) {
          uint8_t v = pics[k][size_t((y / cell) * 28 + x / cell)];
          put(x0 + x, y0 + y, v, v, v);
        }
    }
    const int by = pad + side + pad, bw = w - 2 * pad;
    const int filled = int(std::lround(double(bw) * in.t[f]));
    for (int y = by; y < by + bar; ++y)
      for (int x = 0; x < bw; ++x) {
        if (x < filled) put(pad + x, y, 255, 158, 51);  // the app's accent
        else put(pad + x, y, 70, 70, 76);
      }
    frames.push_back(std::move(px));
  }
  return frames;
}

}  // namespace

// [SECTION] Offscreen captures

void Shell::begin_capture(float scale) {
  capture_saved_style_ = ImGui::GetStyle();
  ImGui::GetStyle().ScaleAllSizes(scale);
  build_fonts(applied_scale_ * scale);
}

void Shell::end_capture() {
  ImGui::GetStyle() = capture_saved_style_;
  build_fonts(applied_scale_);
}

ImVec2 Shell::panel_size(const std::string& id) {
  for (auto& p : tiled_)
    if (p.id == id && p.size.x > 0 && p.size.y > 0) return p.size;
  const float em = std::round(16.0f * applied_scale_);
  return ImVec2(40 * em, 28 * em);  // a panel not on screen: a readable default
}

std::vector<unsigned char> Shell::capture_panel(const PanelInfo& info, ImVec2 size, float scale) {
  const int W = std::max(64, int(std::lround(size.x * scale))), H = std::max(64, int(std::lround(size.y * scale)));
  GLint max_tex = 0;
  glGetIntegerv(GL_MAX_TEXTURE_SIZE, &max_tex);
  if (W > max_tex || H > max_tex)
    throw Error(info.id + ": a picture of " + std::to_string(W) + "x" + std::to_string(H) + " is larger than this " +
                "graphics driver allows (" + std::to_string(max_tex) + " a side); choose a smaller scale");
  GLuint tex = 0, fbo = 0;
  glGenTextures(1, &tex);
  glBindTexture(GL_TEXTURE_2D, tex);
  glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, W, H, 0, GL_RGBA, GL_UNSIGNED_BYTE, nullptr);
  glGenFramebuffers(1, &fbo);
  glBindFramebuffer(GL_FRAMEBUFFER, fbo);
  glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, tex, 0);
  const bool complete = glCheckFramebufferStatus(GL_FRAMEBUFFER) == GL_FRAMEBUFFER_COMPLETE;
  glBindFramebuffer(GL_FRAMEBUFFER, 0);
  if (!complete) {
    glDeleteFramebuffers(1, &fbo);
    glDeleteTextures(1, &tex);
    throw Error(info.id + ": cannot render offscreen (the OpenGL framebuffer is incomplete)");
  }
  const PanelDef* def = find_panel(info.id);
  ImGuiIO& io = ImGui::GetIO();
  bool mouse_down[5];
  std::copy(std::begin(io.MouseDown), std::end(io.MouseDown), mouse_down);
  // Three passes: tables and wrapped text settle their sizes on the frames after the first.
  for (int pass = 0; pass < 3; ++pass) {
    ui::widgets_new_frame();
    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    io.DisplaySize = ImVec2(float(W), float(H));
    io.DisplayFramebufferScale = ImVec2(1, 1);
    io.MousePos = ImVec2(-FLT_MAX, -FLT_MAX);  // no hover effects in a picture
    for (bool& d : io.MouseDown) d = false;
    if (io.DeltaTime <= 0) io.DeltaTime = 1e-4f;
    ImGui::NewFrame();
    ImGui::SetNextWindowPos(ImVec2(0, 0), ImGuiCond_Always);
    ImGui::SetNextWindowSize(ImVec2(float(W), float(H)), ImGuiCond_Always);
    ImGui::PushStyleColor(ImGuiCol_TitleBg, ImGui::GetStyleColorVec4(ImGuiCol_TitleBgActive));
    const std::string title = info.title + "###gb-export:" + info.id;
    const ImGuiWindowFlags flags = ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings |
                                   ImGuiWindowFlags_NoFocusOnAppearing | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoNav;
    if (ImGui::Begin(title.c_str(), nullptr, flags) && def) {
      PanelContext ctx{session_, info, applied_scale_ * scale, [this](const std::string& l) { return run(l); }, "",
                       mono_font(), lessons_.get()};
      def->draw(ctx);
    }
    ImGui::End();
    ImGui::PopStyleColor();
    ImGui::Render();
    glBindFramebuffer(GL_FRAMEBUFFER, fbo);
    glViewport(0, 0, W, H);
    const ImVec4 bg = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
    glClearColor(bg.x, bg.y, bg.z, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
  }
  std::vector<unsigned char> px(size_t(W) * size_t(H) * 4);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadPixels(0, 0, W, H, GL_RGBA, GL_UNSIGNED_BYTE, px.data());
  glBindFramebuffer(GL_FRAMEBUFFER, 0);
  glDeleteFramebuffers(1, &fbo);
  glDeleteTextures(1, &tex);
  std::copy(mouse_down, mouse_down + 5, std::begin(io.MouseDown));
  std::vector<unsigned char> out(px.size());  // OpenGL's rows go bottom to top
  const size_t row = size_t(W) * 4;
  for (int y = 0; y < H; ++y) std::copy_n(px.data() + size_t(H - 1 - y) * row, row, out.data() + size_t(y) * row);
  for (size_t i = 3; i < out.size(); i += 4) out[i] = 255;
  return out;
}

// [SECTION] The command

CommandResult Shell::queue_export(const std::string& line) {
  std::string panel;
  try {
    // `export dialog …`: the dialog the menu opens, prefilled with the request (keyboard users, screenshots).
    if (line.rfind("export dialog ", 0) == 0) {
      ExportRequest r = parse_export_request("export " + line.substr(14));
      bool known = false;
      for (auto& p : session_.all_panels()) known = known || p.id == r.panel;
      if (!known) return CommandResult::bad("export: no panel `" + r.panel + "`");
      export_dialog_.open(r);
      return CommandResult::good();
    }
    if (!is_export_menu_command(line, panel)) {
      ExportRequest r = parse_export_request(line);
      if (r.kind == ExportRequest::Kind::worksheet) {
        if (find_lesson_file(lessons_dir(), r.panel).empty())
          return CommandResult::bad("export worksheet: no lesson `" + r.panel + "` in " + lessons_dir());
        pending_exports_.push_back(line);
        return CommandResult::good("making the worksheet " + r.file + " in a second window\xe2\x80\xa6");
      }
      panel = r.panel;
    }
  } catch (const Error& e) {
    return CommandResult::bad(e.what());
  }
  bool known = false;
  for (auto& p : session_.all_panels()) known = known || p.id == panel;
  if (!known) return CommandResult::bad("export: no panel `" + panel + "` (see Help \xe2\x86\x92 Commands, `open`)");
  pending_exports_.push_back(line);
  return CommandResult::good(line.rfind("export menu", 0) == 0 ? "" : "exporting\xe2\x80\xa6 " + line);
}

void Shell::run_pending_exports() {
  for (size_t i = 0; i < worksheet_jobs_.size();) {  // worksheets made by a child process: report when done
    int status = 0;
    if (waitpid(pid_t(worksheet_jobs_[i].first), &status, WNOHANG) == 0) {
      ++i;
      continue;
    }
    const bool ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    show_message(ok ? "wrote " + worksheet_jobs_[i].second
                    : "export worksheet: making " + worksheet_jobs_[i].second + " failed (run `glassbox export worksheet` "
                      "in a terminal to see why)", ok);
    worksheet_jobs_.erase(worksheet_jobs_.begin() + long(i));
  }
  // After the first frame: before it the backend has not made its font texture, which a capture's fonts would replace.
  if (pending_exports_.empty() || !imgui_ready_ || frames_ == 0) return;
  std::vector<std::string> todo;
  todo.swap(pending_exports_);
  for (auto& line : todo) {
    CommandResult r = export_now(line);
    show_message(r.message, r.ok);
  }
}

CommandResult Shell::export_now(const std::string& line) {
  struct CaptureGuard {  // fonts and style back to the screen's even when a capture throws
    Shell* shell = nullptr;
    ~CaptureGuard() {
      if (shell) shell->end_capture();
    }
  };
  try {
    if (std::string panel; is_export_menu_command(line, panel)) {
      bool known = false;
      for (auto& p : session_.all_panels()) known = known || p.id == panel;
      if (!known) return CommandResult::bad("export menu: no panel `" + panel + "`");
      export_menu_for_ = panel;
      return CommandResult::good("");
    }
    ExportRequest r = parse_export_request(line);
    if (r.kind == ExportRequest::Kind::worksheet) {
      // The pictures need the lesson's steps replayed: a second glassbox does it, so this session is left as it is.
      std::vector<std::string> words = {"glassbox", "export", "worksheet", r.panel, r.file};
      std::vector<char*> argv;
      for (auto& w : words) argv.push_back(w.data());
      argv.push_back(nullptr);
      std::vector<std::string> env_words;
      for (char** e = environ; *e; ++e)
        if (std::string_view(*e).rfind("GLASSBOX_LANG=", 0) != 0) env_words.push_back(*e);
      if (!language().empty() && language() != "en") env_words.push_back("GLASSBOX_LANG=" + language());
      std::vector<char*> envp;
      for (auto& w : env_words) envp.push_back(w.data());
      envp.push_back(nullptr);
      pid_t pid = 0;
      if (int err = posix_spawn(&pid, "/proc/self/exe", nullptr, nullptr, argv.data(), envp.data()); err != 0)
        return CommandResult::bad("export worksheet: cannot start glassbox: " + std::string(std::strerror(err)));
      worksheet_jobs_.push_back({int(pid), r.file});
      return CommandResult::good("making the worksheet " + r.file + " in a second window\xe2\x80\xa6");
    }
    PanelInfo info;
    for (auto& p : session_.all_panels())
      if (p.id == r.panel) info = p;
    if (info.id.empty()) return CommandResult::bad("export: no panel `" + r.panel + "` (see Help → Commands, `open`)");
    if (r.kind == ExportRequest::Kind::csv || r.kind == ExportRequest::Kind::json) {
      ExportTable t = export_table(session_, r.panel);
      write_file_atomic(r.file, r.kind == ExportRequest::Kind::csv ? export_csv(t) : export_json(t));
      return CommandResult::good("wrote " + r.file + " (" + std::to_string(t.rows.size()) + " rows of " + r.panel + ")");
    }
    const float k = std::min(float(r.scale), kMaxCaptureFontScale / std::max(1.0f, applied_scale_));
    const ImVec2 size = panel_size(r.panel);
    if (r.kind == ExportRequest::Kind::png) {
      std::vector<unsigned char> px;
      {
        begin_capture(k);
        CaptureGuard guard{this};
        px = capture_panel(info, size, k);
      }
      const int W = std::max(64, int(std::lround(size.x * k))), H = std::max(64, int(std::lround(size.y * k)));
      write_file_atomic(r.file, encode_png(px, W, H, r.file));
      return CommandResult::good("wrote " + r.file + " (" + std::to_string(W) + "x" + std::to_string(H) + ", " + r.panel + ")");
    }
    // [SECTION] GIF: one frame per generated token / denoising step / N GAN steps / step of the VAE walk
    const int delay = gif_delay_for_fps(r.fps);
    if (r.panel == "vae.interpolate") {
      int w = 0, h = 0;
      auto frames = vae_walk_frames(session_, r.scale, w, h);
      if (r.frames > 0 && r.frames < int(frames.size())) frames.resize(size_t(r.frames));
      GifWriter gif(r.file, w, h, delay);
      for (auto& f : frames) gif.add(f);
      gif.finish();
      return CommandResult::good("wrote " + r.file + " (" + std::to_string(gif.frames()) + " frames, " + std::to_string(w) +
                                 "x" + std::to_string(h) + ")");
    }
    const std::string ws = r.panel.substr(0, r.panel.find('.'));
    std::vector<std::string> advance;  // the command before each frame ("" for none)
    if (ws == "transformer") {
      const int n = r.frames > 0 ? r.frames : 20;
      for (int i = 0; i < n; ++i) advance.push_back(i == 0 ? "" : "transformer step");
    } else if (ws == "diffusion") {
      auto* d = dynamic_cast<DiffusionLab*>(&session_.lab("diffusion"));
      const int steps = d ? d->sampler_config().steps : 50;
      const int n = r.frames > 0 ? std::min(r.frames, steps + 1) : steps + 1;
      for (int i = 0; i < n; ++i)
        advance.push_back("diffusion frame " + std::to_string(n == 1 ? steps : int(std::lround(double(i) * steps / (n - 1)))));
    } else if (ws == "gan") {
      const int n = r.frames > 0 ? r.frames : 30, every = r.every > 0 ? r.every : 20;
      for (int i = 0; i < n; ++i) advance.push_back(i == 0 ? "" : "gan step " + std::to_string(every));
    }
    const int W = std::max(64, int(std::lround(size.x * k))), H = std::max(64, int(std::lround(size.y * k)));
    GifWriter gif(r.file, W, H, delay);
    {
      begin_capture(k);
      CaptureGuard guard{this};
      for (auto& cmd : advance) {
        if (!cmd.empty()) {
          CommandResult c = session_.run(cmd);
          if (!c.ok) return CommandResult::bad("export gif: `" + cmd + "` failed: " + c.message);
        }
        // Let the labs finish what the step started (denoising computed a few steps per update), at most 60 s.
        const auto t0 = std::chrono::steady_clock::now();
        session_.update(glfwGetTime());
        while (waiting_for_labs(session_) && std::chrono::steady_clock::now() - t0 < std::chrono::seconds(60)) {
          std::this_thread::sleep_for(std::chrono::milliseconds(5));
          session_.update(glfwGetTime());
        }
        gif.add(capture_panel(info, size, k));
      }
    }
    gif.finish();
    return CommandResult::good("wrote " + r.file + " (" + std::to_string(gif.frames()) + " frames, " + std::to_string(W) +
                               "x" + std::to_string(H) + ", " + r.panel + ")");
  } catch (const Error& e) {
    return CommandResult::bad(e.what());
  }
}

}  // namespace gb::app
