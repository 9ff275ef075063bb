// The app shell: window, fonts and themes (presenter mode), main menu, workspaces and panels,
// status bar, help windows, command line and settings persistence.
#include "app/app.hpp"

#include <algorithm>
#include <chrono>
#include <cfloat>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include <imgui_impl_glfw.h>
#include <imgui_internal.h>  // the keyboard-focus item (GImGui->NavId) for the focus ring
#include <imgui_impl_opengl3.h>

#include "app/gl.hpp"
#include "app/keys.hpp"
#include "app/panels/registry.hpp"
#include "app/views.hpp"
#include "app/widgets/draw_util.hpp"
#include "app/widgets/heatmap.hpp"
#include "app/widgets/setting_slider.hpp"
#include "build_info.hpp"
#include "core/error.hpp"
#include "core/files.hpp"
#include "core/i18n.hpp"
#include "lab/command.hpp"
#include "lab/gan_lab.hpp"
#include "lessons/session_io.hpp"

namespace gb::app {

namespace {

std::string g_glfw_error;
void glfw_error_callback(int code, const char* description) {
  g_glfw_error = "GLFW error " + std::to_string(code) + ": " + (description ? description : "?");
}

constexpr float kBaseFontPx = 16.0f;  // font size at UI scale 1
constexpr const char* kFontPath = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
constexpr const char* kMonoFontPath = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf";
// Chinese, Japanese and Korean characters (Debian fonts-droid-fallback); used only for characters DejaVu lacks.
constexpr const char* kFallbackFontPath = "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf";

// Latin-1 and Latin Extended (GPT-2's Ġ), Greek (α β ε σ for diffusion) and Greek Extended (ᾱ),
// Cyrillic, general punctuation (– — … •), superscripts and subscripts (x₀ 10⁰), arrows (↵ ⇥), maths,
// technical and control pictures (␣ ␍), shapes.
const ImWchar kGlyphRanges[] = {0x0020, 0x024F, 0x0370, 0x03FF, 0x0400, 0x04FF, 0x1F00, 0x1FFF, 0x2010, 0x205E,
                                0x2070, 0x209F, 0x2190, 0x21FF,
                                0x2200, 0x22FF, 0x2300, 0x23FF, 0x2400, 0x243F, 0x25A0, 0x25FF, 0};

ImFont* g_mono_font = nullptr;
}  // namespace
ImFont* mono_font() { return g_mono_font; }
namespace {

const char* kThemes[] = {"dark", "light", "contrast"};
// The themes' names as the status bar shows them (translated when shown).
const char* theme_label(const std::string& theme) {
  if (theme == "light") return N_("light");
  if (theme == "contrast") return N_("high contrast");
  return N_("dark");
}

// [SECTION] Themes

void theme_colors(const std::string& theme, ImGuiStyle& s) {
  if (theme == "light") {
    ImGui::StyleColorsLight(&s);
    s.Colors[ImGuiCol_PlotLinesHovered] = ImVec4(0.80f, 0.30f, 0.05f, 1.0f);  // accent
    s.Colors[ImGuiCol_NavHighlight] = ImVec4(0.0f, 0.18f, 0.75f, 1.0f);      // keyboard focus: deep blue on white
    return;
  }
  ImGui::StyleColorsDark(&s);
  s.Colors[ImGuiCol_PlotLinesHovered] = ImVec4(1.00f, 0.62f, 0.20f, 1.0f);  // accent
  s.Colors[ImGuiCol_NavHighlight] = ImVec4(1.00f, 0.78f, 0.10f, 1.0f);      // keyboard focus: amber on dark grey
  if (theme != "contrast") return;
  // High contrast for projectors: pure black, white text and borders, yellow accents.
  ImVec4* c = s.Colors;
  const ImVec4 black(0, 0, 0, 1), white(1, 1, 1, 1), yellow(1.0f, 0.86f, 0.0f, 1), dark_yellow(0.45f, 0.38f, 0.0f, 1);
  c[ImGuiCol_Text] = white;
  c[ImGuiCol_TextDisabled] = ImVec4(0.85f, 0.85f, 0.85f, 1);
  c[ImGuiCol_WindowBg] = black;
  c[ImGuiCol_ChildBg] = black;
  c[ImGuiCol_PopupBg] = black;
  c[ImGuiCol_MenuBarBg] = black;
  c[ImGuiCol_Border] = white;
  c[ImGuiCol_FrameBg] = ImVec4(0.12f, 0.12f, 0.12f, 1);
  c[ImGuiCol_FrameBgHovered] = dark_yellow;
  c[ImGuiCol_FrameBgActive] = dark_yellow;
  c[ImGuiCol_TitleBg] = ImVec4(0.15f, 0.15f, 0.15f, 1);
  c[ImGuiCol_TitleBgActive] = ImVec4(0.0f, 0.20f, 0.55f, 1);
  c[ImGuiCol_TitleBgCollapsed] = black;
  c[ImGuiCol_Button] = ImVec4(0.12f, 0.12f, 0.12f, 1);
  c[ImGuiCol_ButtonHovered] = dark_yellow;
  c[ImGuiCol_ButtonActive] = ImVec4(0.6f, 0.5f, 0.0f, 1);
  c[ImGuiCol_Header] = ImVec4(0.0f, 0.20f, 0.55f, 1);
  c[ImGuiCol_HeaderHovered] = dark_yellow;
  c[ImGuiCol_HeaderActive] = ImVec4(0.6f, 0.5f, 0.0f, 1);
  c[ImGuiCol_CheckMark] = yellow;
  c[ImGuiCol_SliderGrab] = yellow;
  c[ImGuiCol_SliderGrabActive] = white;
  c[ImGuiCol_Separator] = white;
  c[ImGuiCol_PlotLinesHovered] = yellow;
  c[ImGuiCol_TextSelectedBg] = ImVec4(0.0f, 0.35f, 0.9f, 1);
  c[ImGuiCol_NavHighlight] = yellow;
  c[ImGuiCol_ScrollbarGrab] = ImVec4(0.7f, 0.7f, 0.7f, 1);
  s.WindowBorderSize = 2.0f;
  s.FrameBorderSize = 1.0f;
  s.PopupBorderSize = 2.0f;
}

}  // namespace

std::string last_glfw_error() { return g_glfw_error; }

static bool contains(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

// [SECTION] Construction and window

Shell::Shell(Session& session, Settings settings, ShellOptions options)
    : session_(session), settings_(std::move(settings)), options_(std::move(options)),
      // lesson progress is saved only by the interactive app
      lessons_(std::make_unique<LessonRunner>(session_, options_.persist ? progress_path() : std::string())) {
  windowed_w_ = options_.width;
  windowed_h_ = options_.height;
  ui::set_slider_teacher_lock(&session_.teacher);  // sliders show the teacher's ranges while locked
  // The 2D GAN's Run mode trains on a worker: a frame then costs the UI thread the hand-over, not the steps.
  if (auto* gan = dynamic_cast<GanLab*>(&session_.lab("gan"))) gan->set_run_in_background(true);
}

Shell::~Shell() {
  ui::set_slider_teacher_lock(nullptr);
  if (imgui_ready_) {
    if (options_.persist) save_settings_now();
    ui::widgets_shutdown();
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext();
  }
  if (window_) glfwDestroyWindow(window_);
  glfwTerminate();
}

bool Shell::init(std::string& error) {
  apply_language();  // before the first frame (a bad catalogue: English, and the message in the status bar)
  glfwSetErrorCallback(glfw_error_callback);
  if (!glfwInit()) {
    error = "cannot start GLFW (" + g_glfw_error +
            "); is there a display? Without one, run under: xvfb-run -a -s \"-screen 0 1920x1080x24\" glassbox …";
    return false;
  }
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
  glfwWindowHint(GLFW_SAMPLES, 0);
  window_ = glfwCreateWindow(options_.width, options_.height, options_.title.c_str(), nullptr, nullptr);
  if (!window_) {
    error = "cannot create an OpenGL 3.3 window (" + g_glfw_error + ")";
    return false;
  }
  glfwMakeContextCurrent(window_);
  glfwSwapInterval(options_.vsync ? 1 : 0);
  glfwGetWindowPos(window_, &windowed_x_, &windowed_y_);

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // layout lives in settings.json (persist) or nowhere (screenshots)
  io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
  if (options_.persist && !settings_.imgui_ini.empty())
    ImGui::LoadIniSettingsFromMemory(settings_.imgui_ini.c_str(), settings_.imgui_ini.size());
  ImGui_ImplGlfw_InitForOpenGL(window_, true);
  ImGui_ImplOpenGL3_Init("#version 330 core");
  imgui_ready_ = true;
  apply_style();
  if (settings_.fullscreen) toggle_fullscreen();
  last_save_ = glfwGetTime();
  return true;
}

bool Shell::should_close() const { return glfwWindowShouldClose(window_); }
void Shell::swap() { glfwSwapBuffers(window_); }

void Shell::toggle_fullscreen() {
  GLFWmonitor* monitor = glfwGetPrimaryMonitor();
  if (!fullscreen_) {
    if (!monitor) return show_message(tr("full screen: no monitor found"), false);
    const GLFWvidmode* mode = glfwGetVideoMode(monitor);
    glfwGetWindowPos(window_, &windowed_x_, &windowed_y_);
    glfwGetWindowSize(window_, &windowed_w_, &windowed_h_);
    glfwSetWindowMonitor(window_, monitor, 0, 0, mode->width, mode->height, mode->refreshRate);
    fullscreen_ = true;
  } else {
    glfwSetWindowMonitor(window_, nullptr, windowed_x_, windowed_y_, windowed_w_, windowed_h_, 0);
    fullscreen_ = false;
  }
  settings_.fullscreen = fullscreen_;
  glfwSwapInterval(options_.vsync ? 1 : 0);
}

// [SECTION] Presenter mode: fonts rasterised at the UI scale, scaled style, theme

void Shell::apply_style() {
  float scale = std::clamp(settings_.ui_scale, kMinUiScale, kMaxUiScale);
  settings_.ui_scale = scale;
  ImGuiStyle style;  // fresh, so repeated scaling does not accumulate
  style.WindowRounding = 4.0f;
  style.FrameRounding = 3.0f;
  style.GrabRounding = 3.0f;
  style.WindowPadding = ImVec2(10, 8);
  style.ItemSpacing = ImVec2(8, 5);
  theme_colors(settings_.theme, style);
  style.ScaleAllSizes(scale);
  ImGui::GetStyle() = style;

  if (scale != applied_scale_) {
    build_fonts(scale);
    applied_scale_ = scale;
  }
  applied_theme_ = settings_.theme;
}

// The language changes only here, between frames (tr()'s texts stay valid while panels draw). A catalogue that is
// missing or malformed leaves the previous language in place and says which file and line is wrong.
bool Shell::apply_language() {
  if (settings_.language == applied_language_) return true;
  try {
    set_language(settings_.language);
    applied_language_ = settings_.language;
    language_error_.clear();
    lessons_->relocalize();  // the open lesson in the new language, same step, nothing replayed
    return true;
  } catch (const Error& e) {
    language_error_ = e.what();
    settings_.language = applied_language_.empty() ? "en" : applied_language_;
    if (applied_language_.empty()) {  // at start: English
      set_language("en");
      applied_language_ = "en";
    }
    show_message(format_text(tr("The language stays %s: %s"), language_name(settings_.language), e.what()), false);
    return false;
  }
}

void Shell::build_fonts(float scale) {
  ImGuiIO& io = ImGui::GetIO();
  io.Fonts->Clear();
  const float px = std::round(kBaseFontPx * scale);
  // Characters outside the main font (Chinese, Japanese, Korean…) come from a fallback font, merged into each font,
  // but only those some panel has shown (ui::want_glyphs): all of CJK would make the atlas huge.
  extra_ranges_.clear();
  const bool fallback = !extra_glyphs_.empty() && file_exists(kFallbackFontPath);
  if (fallback) {
    ImFontGlyphRangesBuilder b;
    for (ImWchar c : extra_glyphs_) b.AddChar(c);
    b.BuildRanges(&extra_ranges_);
  }
  auto add = [&](const char* path) -> ImFont* {
    if (!file_exists(path)) return nullptr;
    ImFont* f = io.Fonts->AddFontFromFileTTF(path, px, nullptr, kGlyphRanges);
    if (f && fallback) {
      ImFontConfig merge;
      merge.MergeMode = true;
      io.Fonts->AddFontFromFileTTF(kFallbackFontPath, px, &merge, extra_ranges_.Data);
    }
    return f;
  };
  ImFont* main = add(kFontPath);
  if (!main) {
    ImFontConfig cfg;
    cfg.SizePixels = std::round(13.0f * scale);
    io.Fonts->AddFontDefault(&cfg);
  }
  g_mono_font = add(kMonoFontPath);
  io.Fonts->Build();
  if (frames_ > 0) {  // before the first frame the backend creates the texture itself
    ImGui_ImplOpenGL3_DestroyFontsTexture();
    ImGui_ImplOpenGL3_CreateFontsTexture();
  }
}

void Shell::add_wanted_glyphs() {
  std::vector<ImWchar> wanted = ui::take_wanted_glyphs();
  if (wanted.empty() || !file_exists(kFallbackFontPath)) return;
  constexpr size_t kMaxExtra = 6000;  // bounds the atlas (about 16 MB at scale 2)
  size_t before = extra_glyphs_.size();
  for (ImWchar c : wanted)
    if (extra_glyphs_.size() < kMaxExtra) extra_glyphs_.push_back(c);
  std::sort(extra_glyphs_.begin(), extra_glyphs_.end());
  extra_glyphs_.erase(std::unique(extra_glyphs_.begin(), extra_glyphs_.end()), extra_glyphs_.end());
  if (extra_glyphs_.size() != before) build_fonts(applied_scale_);
}

// [SECTION] Frame

void Shell::frame() {
  run_pending_exports();  // between frames: exports render frames of their own
  glfwPollEvents();
  if (settings_.ui_scale != applied_scale_ || settings_.theme != applied_theme_) apply_style();
  if (settings_.language != applied_language_) apply_language();
  add_wanted_glyphs();
  double now = glfwGetTime();
  using clock = std::chrono::steady_clock;
  auto ms_since = [](clock::time_point t) { return std::chrono::duration<double, std::milli>(clock::now() - t).count(); };
  auto t0 = clock::now();
  session_.update(now);
  profile_.update_ms = ms_since(t0);
  t0 = clock::now();
  profile_.panels.clear();
  ui::widgets_new_frame();
  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplGlfw_NewFrame();
  if (options_.ignore_mouse) {  // headless: wherever the X server's pointer is, no hover tooltips
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = pointer_.x < 0 ? ImVec2(-FLT_MAX, -FLT_MAX) : pointer_;
    for (bool& down : io.MouseDown) down = false;
    io.MouseDown[0] = pointer_.x >= 0 && pointer_down_;
  }
  inject_keys();
  ImGui::NewFrame();

  handle_shortcuts();
  auto_open_workspace();
  draw_menu();
  draw_workspace();
  draw_status_bar();
  draw_help_windows();
  draw_command_line();
  if (show_gallery_) draw_widget_gallery(settings_.ui_scale);
  // Dialogs last: ImGui 1.86 asserts when a window first appears after an open modal in the same frame.
  if (auto chosen = open_model_.draw()) {
    run("workspace transformer");
    run("transformer load " + quote_word(*chosen));
  }
  if (auto command = session_dialog_.draw()) run(*command);
  draw_focus_ring();
  if (auto command = export_dialog_.draw()) run(*command);
  teacher_dialog_.draw(session_, [this](const std::string& l) { return run(l); });

  ImGui::Render();
  profile_.build_ms = ms_since(t0);
  t0 = clock::now();
  int fb_w = 0, fb_h = 0;
  glfwGetFramebufferSize(window_, &fb_w, &fb_h);
  glViewport(0, 0, fb_w, fb_h);
  ImVec4 bg = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
  float k = settings_.theme == "light" ? 0.92f : 0.6f;
  glClearColor(bg.x * k, bg.y * k, bg.z * k, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  ImDrawData* draw_data = ImGui::GetDrawData();
  ImGui_ImplOpenGL3_RenderDrawData(draw_data);
  profile_.render_ms = ms_since(t0);
  profile_.vertices = draw_data->TotalVtxCount;
  profile_.draw_calls = 0;
  for (int i = 0; i < draw_data->CmdListsCount; ++i) {
    const ImDrawList* list = draw_data->CmdLists[i];
    profile_.draw_calls += list->CmdBuffer.Size;
    // A panel's window is "Title###id", its child windows "Title###id/child"
    const char* owner = list->_OwnerName ? list->_OwnerName : "";
    const char* hash = std::strstr(owner, "###");
    if (!hash) continue;
    std::string_view rest(hash + 3);
    for (auto& p : profile_.panels)
      if (rest.substr(0, p.id.size()) == p.id && (rest.size() == p.id.size() || rest[p.id.size()] == '/'))
        p.vertices += list->VtxBuffer.Size;
  }
  ++frames_;

  if (options_.persist) {
    ImGuiIO& io = ImGui::GetIO();
    if ((io.WantSaveIniSettings || now - last_save_ > 3.0) && now - last_save_ > 1.0) {
      io.WantSaveIniSettings = false;
      save_settings_now();
      last_save_ = now;
    }
  }
}

std::vector<unsigned char> Shell::read_pixels(int& width, int& height) {
  glfwGetFramebufferSize(window_, &width, &height);
  std::vector<unsigned char> px(size_t(width) * size_t(height) * 4);
  glBindFramebuffer(GL_READ_FRAMEBUFFER, 0);
  glReadBuffer(GL_BACK);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadPixels(0, 0, width, height, GL_RGBA, GL_UNSIGNED_BYTE, px.data());
  // OpenGL's rows go bottom to top; PNG rows top to bottom.
  std::vector<unsigned char> out(px.size());
  size_t row = size_t(width) * 4;
  for (int y = 0; y < height; ++y)
    std::copy_n(px.data() + size_t(height - 1 - y) * row, row, out.data() + size_t(y) * row);
  for (size_t i = 3; i < out.size(); i += 4) out[i] = 255;
  return out;
}

// [SECTION] Commands and messages

CommandResult Shell::run(const std::string& line) {
  // Window-level commands (the dialogs live in the shell, not in a lab): `dialog open-model [FOLDER]`.
  const std::string dialog = "dialog open-model";
  if (line.rfind(dialog, 0) == 0 && (line.size() == dialog.size() || line[dialog.size()] == ' ')) {
    open_model_.open(line.size() > dialog.size() ? line.substr(dialog.size() + 1) : "");
    return CommandResult::good();
  }
  if (ShellVerb verb = shell_verb(line); verb != ShellVerb::none) {
    CommandResult r = run_shell_verb(verb);
    show_message(r.message.empty() ? (r.ok ? "ok: " + line : "failed: " + line) : r.message, r.ok);
    return r;
  }
  if (line.rfind("press ", 0) == 0) {  // press KEY …: key presses for screenshots and tests, one per frame pair
    std::vector<KeyChord> chords;
    for (size_t a = 6; a < line.size();) {
      size_t b = line.find(' ', a);
      if (b == std::string::npos) b = line.size();
      KeyChord c;
      if (b > a && !parse_chord(line.substr(a, b - a), c))
        return CommandResult::bad("press: `" + line.substr(a, b - a) + "` is not a key like Ctrl+2, F5, Down, Space, Tab, Alt");
      if (b > a) chords.push_back(c);
      a = b + 1;
    }
    if (chords.empty()) return CommandResult::bad("press: expected keys, e.g. press Ctrl+2 Down Space");
    key_queue_.insert(key_queue_.end(), chords.begin(), chords.end());
    return CommandResult::good();
  }
  // Exports render frames of their own, so they wait for the start of the next frame (export_run.cpp).
  if (is_export_command(line)) return queue_export(line);
  if (line == "dialog teacher") {
    teacher_dialog_.open();
    return CommandResult::good();
  }
  if (line.rfind("teacher", 0) == 0 && (line.size() == 7 || line[7] == ' ')) {  // teacher mode: lessons/session_io.hpp
    CommandResult r = run_teacher_command(session_, lessons_.get(), line);
    show_message(r.message, r.ok);  // never the line itself: it may hold a PIN
    return r;
  }
  // Session files keep the lesson position too, so the shell (which owns the lesson runner) runs them.
  if (line.rfind("session ", 0) == 0) {
    CommandResult r = CommandResult::bad("session: expected `session save FILE` or `session open FILE`");
    try {
      Command c = parse_command(line);
      if (c.argc() == 2 && c.arg(0) == "save") r = save_session_to(session_, lessons_.get(), c.arg(1));
      if (c.argc() == 2 && c.arg(0) == "open") r = open_session_from(session_, lessons_.get(), c.arg(1));
      if (r.ok) {
        remember_session(settings_, c.arg(1));
        if (c.arg(0) == "open") forget_layout();
      }
    } catch (const Error& e) {
      r = CommandResult::bad(e.what());
    }
    show_message(r.message, r.ok);
    return r;
  }
  CommandResult r = session_.run(line);
  // Messages from the labs stay English (they quote command words, files and values the CLI prints the same way);
  // the shell's own words around them are translated.
  show_message(r.message.empty() ? format_text(r.ok ? tr("ok: %s") : tr("failed: %s"), line.c_str()) : r.message, r.ok);
  return r;
}

void Shell::show_message(const std::string& text, bool ok) {
  message_ = text;
  message_ok_ = ok;
}

void Shell::auto_open_workspace() {
  // The first visit to a workspace with none of its panels open opens the lab's default panels.
  const std::string& ws = session_.view.workspace;
  if (std::find(auto_opened_.begin(), auto_opened_.end(), ws) != auto_opened_.end()) return;
  auto_opened_.push_back(ws);
  Lab& lab = session_.current();
  for (auto& p : lab.panels())
    if (session_.view.open_panels.count(p.id)) return;
  // All of them: the tiling shows as many as stay readable at this scale and lists the others above the tiles.
  for (auto& id : lab.default_panels()) session_.run("open " + id);
}

// [SECTION] Keyboard shortcuts (the table in keys.cpp; Help → Keys lists the same table)

void Shell::handle_shortcuts() {
  for (auto& s : shortcuts())
    if (!*s.scope && shortcut_pressed(s)) run(s.command);  // scoped ones: their panel handles them
}

CommandResult Shell::run_shell_verb(ShellVerb verb) {
  auto scale_by = [&](float d) {
    settings_.ui_scale = std::clamp(settings_.ui_scale + d, kMinUiScale, kMaxUiScale);
    return CommandResult::good();
  };
  auto lesson_go = [&](int delta) {
    if (!lessons_->has_lesson()) return CommandResult::bad("lesson: no lesson is open");
    const int target = lessons_->step() + delta;
    if (target < 0 || target >= lessons_->step_count()) return CommandResult::bad("lesson: no step there");
    lessons_->goto_step(target);
    return CommandResult::good();
  };
  auto model = [&](ShellVerb v) {
    const std::string c = model_command(session_, v);
    if (c.empty()) return CommandResult::bad("the " + session_.view.workspace + " workspace has no single step to take");
    return session_.run(c);
  };
  switch (verb) {
    case ShellVerb::none: break;
    case ShellVerb::fullscreen: toggle_fullscreen(); return CommandResult::good();
    case ShellVerb::bigger: return scale_by(0.25f);
    case ShellVerb::smaller: return scale_by(-0.25f);
    case ShellVerb::scale_reset: settings_.ui_scale = 1.0f; return CommandResult::good();
    case ShellVerb::theme_next: {
      int i = 0;
      while (i < 3 && settings_.theme != kThemes[i]) ++i;
      settings_.theme = kThemes[(i + 1) % 3];
      return CommandResult::good();
    }
    case ShellVerb::tile: relayout_ = true; return CommandResult::good();
    case ShellVerb::command_line:
      show_command_line_ = true;
      focus_command_line_ = true;
      return CommandResult::good();
    case ShellVerb::keys_help: show_shortcuts_ = !show_shortcuts_; return CommandResult::good();
    case ShellVerb::lessons: return session_.run(session_.view.lessons_open ? "close lessons" : "open lessons");
    case ShellVerb::quit:
      if (window_) glfwSetWindowShouldClose(window_, GLFW_TRUE);
      return CommandResult::good();
    case ShellVerb::lesson_next: return lesson_go(+1);
    case ShellVerb::lesson_back: return lesson_go(-1);
    case ShellVerb::model_step: case ShellVerb::model_back: case ShellVerb::model_play: return model(verb);
    case ShellVerb::open_model: open_model_.open(""); return CommandResult::good();
    case ShellVerb::save_session: case ShellVerb::open_session:
      session_dialog_.open(verb == ShellVerb::save_session, "", settings_.recent_sessions);
      return CommandResult::good();
  }
  return CommandResult::bad("unknown shell command");
}

// `press CHORD`: a key press for screenshots and tests (held for one frame, released the next).
void Shell::inject_keys() {
  ImGuiIO& io = ImGui::GetIO();
  if (key_held_.key) {  // release last frame's key
    if (key_held_.key > 0 && key_held_.key < 512) io.KeysDown[key_held_.key] = false;
    io.KeysDown[GLFW_KEY_LEFT_CONTROL] = io.KeysDown[GLFW_KEY_LEFT_SHIFT] = false;
    io.KeyCtrl = io.KeyShift = io.KeyAlt = false;
    io.KeysDown[GLFW_KEY_LEFT_ALT] = false;
    key_held_ = {};
    return;
  }
  if (key_queue_.empty()) return;
  key_held_ = key_queue_.front();
  key_queue_.erase(key_queue_.begin());
  if (key_held_.key > 0 && key_held_.key < 512) io.KeysDown[key_held_.key] = true;
  io.KeysDown[GLFW_KEY_LEFT_CONTROL] = io.KeyCtrl = key_held_.ctrl;
  io.KeysDown[GLFW_KEY_LEFT_SHIFT] = io.KeyShift = key_held_.shift;
  io.KeyAlt = key_held_.key == GLFW_KEY_LEFT_ALT;
}

// The keyboard focus, drawn thicker than ImGui's own 2-pixel frame: a ring in the theme's focus colour
// with a thin line of the window's background on each side, so it shows on any colour it sits on.
void Shell::draw_focus_ring() {
  ImGuiContext& g = *GImGui;
  ImGuiWindow* w = g.NavWindow;
  if (!w || !g.NavId || g.NavDisableHighlight || !g.NavIdIsAlive || w->Hidden) return;
  ImRect r = ImGui::WindowRectRelToAbs(w, w->NavRectRel[g.NavLayer]);
  if (r.GetWidth() <= 0 || r.GetHeight() <= 0) return;
  const float k = settings_.ui_scale, t = 3.0f * k, pad = 3.0f * k + 1.0f;
  r.Expand(pad);
  ImDrawList* dl = w->DrawList;
  dl->PushClipRect(w->OuterRectClipped.Min, w->OuterRectClipped.Max, false);
  const ImU32 ring = ImGui::GetColorU32(ImGuiCol_NavHighlight), edge = ImGui::GetColorU32(ImGuiCol_WindowBg);
  auto grown = [&](float d) { return ImRect(r.Min.x - d, r.Min.y - d, r.Max.x + d, r.Max.y + d); };
  const ImRect outer = grown(t), mid = grown(t * 0.5f);
  dl->AddRect(outer.Min, outer.Max, edge, 0, 0, 1.5f * k);
  dl->AddRect(mid.Min, mid.Max, ring, 0, 0, t);
  dl->AddRect(r.Min, r.Max, edge, 0, 0, 1.0f * k);
  dl->PopClipRect();
}

bool Shell::keys_pending() const { return !key_queue_.empty() || key_held_.key != 0; }

// [SECTION] Main menu

void Shell::draw_menu() {
  if (!ImGui::BeginMainMenuBar()) return;
  if (ImGui::BeginMenu(tr("File"))) {
    const bool model_fixed = session_.teacher.locked() && session_.teacher.rules.fixed_model;  // teacher mode
    if (ImGui::MenuItem(tr("Open model…"), "Ctrl+O", false, !model_fixed)) open_model_.open("");
    ImGui::Separator();
    if (ImGui::MenuItem(tr("Save session…"), "Ctrl+S")) session_dialog_.open(true, "", settings_.recent_sessions);
    if (ImGui::MenuItem(tr("Open session…"), nullptr, false, !session_.teacher.locked()))
      session_dialog_.open(false, "", settings_.recent_sessions);
    if (ImGui::BeginMenu(tr("Recent sessions"), !settings_.recent_sessions.empty())) {
      std::string pick;
      for (auto& p : settings_.recent_sessions)
        if (ImGui::MenuItem(p.c_str())) pick = p;  // i18n: keep (a file path)
      ImGui::EndMenu();
      if (!pick.empty()) run("session open " + quote_word(pick));  // after the loop: it reorders the list
    }
    ImGui::Separator();
    if (ImGui::MenuItem(tr("Save settings now"), nullptr, false, options_.persist)) {
      save_settings_now();
      if (message_ok_) show_message(format_text(tr("settings saved to %s"), settings_path().c_str()), true);
    }
    ImGui::Separator();
    if (ImGui::MenuItem(tr("Quit"), "Ctrl+Q")) glfwSetWindowShouldClose(window_, GLFW_TRUE);
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu(tr("View"))) {
    ImGui::TextDisabled("%s", tr("Presenter mode"));
    float scale = settings_.ui_scale;
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 9);
    if (ImGui::SliderFloat(tr("UI scale"), &scale, kMinUiScale, kMaxUiScale, "%.2fx"))
      settings_.ui_scale = scale;  // applied between frames
    for (float s : {1.0f, 1.5f, 2.0f, 2.5f, 3.0f}) {
      char label[16];
      std::snprintf(label, sizeof label, "%.1fx", s);
      ImGui::SameLine();
      if (ImGui::SmallButton(label)) settings_.ui_scale = s;  // i18n: keep (a number)
    }
    if (ImGui::BeginMenu(tr("Theme"))) {
      if (ImGui::MenuItem(tr("Dark"), nullptr, settings_.theme == "dark")) settings_.theme = "dark";
      if (ImGui::MenuItem(tr("Light"), nullptr, settings_.theme == "light")) settings_.theme = "light";
      if (ImGui::MenuItem(tr("High contrast (projectors)"), nullptr, settings_.theme == "contrast")) settings_.theme = "contrast";
      ImGui::EndMenu();
    }
    // Each language in its own name; the choice is applied between frames and kept in settings.json.
    if (ImGui::BeginMenu(tr("Language"))) {
      for (const std::string& code : available_languages()) {
        std::string item = std::string(language_name(code)) + "##lang-" + code;
        if (ImGui::MenuItem(item.c_str(), nullptr, settings_.language == code)) settings_.language = code;
      }
      ImGui::Separator();
      ImGui::TextDisabled("%s", ui::english_model_text());
      ImGui::EndMenu();
    }
    if (ImGui::MenuItem(tr("Full screen"), "F11", fullscreen_)) toggle_fullscreen();
    ImGui::Separator();
    if (ImGui::MenuItem(tr("Tile panels"), "Ctrl+R")) relayout_ = true;
    if (ImGui::MenuItem(tr("Command line"), "Ctrl+K", show_command_line_)) {
      show_command_line_ = !show_command_line_;
      focus_command_line_ = show_command_line_;
    }
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu(tr("Model"))) {
    int i = 0;
    for (Lab* lab : session_.labs()) {
      const std::string key = "Ctrl+" + std::to_string(++i);
      const std::string item = std::string(tr(lab->title().c_str())) + "##ws-" + lab->name();
      if (ImGui::MenuItem(item.c_str(), i <= 9 ? key.c_str() : nullptr, session_.view.workspace == lab->name()))
        run("workspace " + lab->name());
    }
    ImGui::Separator();
    ImGui::TextDisabled("%s", tr("Panels of this workspace"));
    for (auto& p : session_.current().panels()) {
      if (session_.teacher.hides_panel(p.id)) continue;  // teacher mode: hidden while locked
      bool open = session_.view.open_panels.count(p.id) > 0;
      const std::string item = std::string(tr(p.title.c_str())) + "##" + p.id;
      if (ImGui::MenuItem(item.c_str(), nullptr, open)) run((open ? "close " : "open ") + p.id);
    }
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu(tr("Lessons"))) {
    if (ImGui::MenuItem(tr("Lessons panel"), "Ctrl+L", session_.view.lessons_open))
      run(session_.view.lessons_open ? "close lessons" : "open lessons");
    ImGui::Separator();
    LessonRunner& runner = *lessons_;
    for (auto& file : lesson_files(lessons_dir())) {  // start (or carry on with) a lesson directly
      std::string id = file.substr(file.find_last_of('/') + 1);
      id = id.substr(0, id.size() - 3);
      const LessonProgress* lp = runner.progress_of(id);
      bool current = runner.has_lesson() && runner.lesson().id == id;
      if (ImGui::MenuItem(id.c_str(), lp && lp->finished ? tr("finished") : nullptr, current)) {  // i18n: keep (lesson id)
        run("open lessons");
        runner.open(file);
      }
    }
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu(tr("Teacher"))) {
    if (session_.teacher.locked()) {
      if (ImGui::MenuItem(tr("Unlock…"))) teacher_dialog_.open();
    } else if (ImGui::MenuItem(tr("Set up teacher mode…"))) {
      teacher_dialog_.open();
    }
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu(tr("Help"))) {
    if (ImGui::MenuItem(tr("Keyboard shortcuts"), "F1", show_shortcuts_)) show_shortcuts_ = !show_shortcuts_;
    if (ImGui::MenuItem(tr("Commands"), nullptr, show_commands_)) show_commands_ = !show_commands_;
    if (ImGui::MenuItem(tr("Widget gallery (for panel authors)"), nullptr, show_gallery_)) show_gallery_ = !show_gallery_;
    ImGui::Separator();
    if (ImGui::MenuItem(tr("About Glassbox"), nullptr, show_about_)) show_about_ = !show_about_;
    ImGui::EndMenu();
  }
  ImGui::EndMainMenuBar();
}

// [SECTION] Workspace and panels

void Shell::draw_panel(const PanelInfo& info, ImVec2 pos, ImVec2 size, bool force_layout) {
  ImGuiCond cond = force_layout ? ImGuiCond_Always : ImGuiCond_FirstUseEver;
  const PanelDef* def = find_panel(info.id);
  ImGui::SetNextWindowPos(pos, cond);
  ImGui::SetNextWindowSize(size, cond);
  std::string hl = session_.view.highlight;
  std::string hl_id = hl.substr(0, hl.find(':'));
  bool highlighted = !hl_id.empty() && hl_id == info.id;
  if (highlighted && focus_highlight_ != hl) {
    ImGui::SetNextWindowFocus();
    ImGui::SetNextWindowCollapsed(false);
    focus_highlight_ = hl;
  }
  bool open = true;
  // The title in the current language; "###id" keeps the window (its place and size) across a language switch.
  std::string title = std::string(tr(info.title.c_str())) + "###" + info.id;
  bool visible = ImGui::Begin(title.c_str(), info.id == "lessons" ? nullptr : &open, ImGuiWindowFlags_NoCollapse);
  ImVec2 wpos = ImGui::GetWindowPos(), wsize = ImGui::GetWindowSize();
  if (visible) {
    PanelContext ctx{session_, info, settings_.ui_scale, [this](const std::string& l) { return run(l); }, "", g_mono_font,
                     lessons_.get()};
    if (highlighted && hl.find(':') != std::string::npos) ctx.highlight_detail = hl.substr(hl.find(':') + 1);
    if (empty_panels_) {
      // `bench ui`'s floor: the same windows in the same places, without their content
    } else if (def) {
      auto t0 = std::chrono::steady_clock::now();
      def->draw(ctx);
      profile_.panels.push_back(
          {info.id, std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count(), 0});
    } else {
      std::string file = info.id;
      std::replace(file.begin(), file.end(), '.', '_');
      std::replace(file.begin(), file.end(), '-', '_');
      // i18n: keep (for developers)
      ImGui::TextWrapped("The panel `%s` has no drawing code yet (add src/app/panels/%s.cpp ending with GB_PANEL(\"%s\", "
                         "draw_%s); see src/app/panels/registry.hpp).",
                         info.id.c_str(), file.c_str(), info.id.c_str(), file.c_str());
    }
    if (!empty_panels_) draw_export_menu(info, export_dialog_, export_menu_for_, lessons_ && lessons_->has_lesson() ? lessons_->lesson().id : "");  // right-click: take it away
  }
  ImGui::End();
  if (info.id != "lessons") tiled_.push_back({info.id, wpos, wsize});
  if (highlighted) {
    // A pulsing frame around the window draws the eye to it.
    float pulse = 0.5f + 0.5f * std::sin(float(session_.clock) * 6.0f);
    ImU32 col = ImGui::GetColorU32(ImVec4(1.0f, 0.78f, 0.0f, 0.45f + 0.55f * pulse));
    float t = (3.0f + 3.0f * pulse) * settings_.ui_scale;
    ImGui::GetForegroundDrawList()->AddRect(ImVec2(wpos.x - t / 2, wpos.y - t / 2),
                                            ImVec2(wpos.x + wsize.x + t / 2, wpos.y + wsize.y + t / 2), col,
                                            ImGui::GetStyle().WindowRounding, 0, t);
  }
  if (!open) run("close " + info.id);
}

// The order in which open panels claim the workspace's tiles: the ones the user picked from the strip (latest
// first), the panels the lesson step shows (`show`), the highlighted one, the others the step named, then the rest
// in the workspace's order.
std::vector<std::string> Shell::tile_order(const std::vector<std::string>& open_ids) {
  std::vector<std::string> order;
  auto add = [&](const std::string& id) {
    if (std::find(open_ids.begin(), open_ids.end(), id) != open_ids.end() &&
        std::find(order.begin(), order.end(), id) == order.end())
      order.push_back(id);
  };
  for (auto& id : picked_) add(id);
  std::string hl = session_.view.highlight.substr(0, session_.view.highlight.find(':'));
  LessonRunner& runner = *lessons_;
  const bool lesson = session_.view.lessons_open && runner.has_lesson();
  if (lesson)
    for (auto& id : runner.shown_panels()) add(id);
  if (!hl.empty()) add(hl);
  if (lesson)
    for (auto& id : runner.named_panels()) add(id);
  for (auto& id : open_ids) add(id);
  return order;
}

void Shell::draw_workspace() {
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  const float em = ImGui::GetFontSize();
  const ImGuiStyle& st = ImGui::GetStyle();
  float menu_h = ImGui::GetFrameHeight();
  float status_h = ImGui::GetFrameHeight() + st.WindowPadding.y * 2;
  float gap = 0.4f * em;
  ImVec2 a(vp->Pos.x + gap, vp->Pos.y + menu_h + gap);
  ImVec2 b(vp->Pos.x + vp->Size.x - gap, vp->Pos.y + vp->Size.y - status_h - gap);
  bool force = relayout_;
  relayout_ = false;
  tiled_.clear();
  strip_.clear();

  // The lessons column on the right.
  if (session_.view.lessons_open) {
    float w = std::min(std::max(18.0f * em, 0.3f * (b.x - a.x)), 0.6f * (b.x - a.x));  // 36% at scale 2 on 1600 px
    PanelInfo info{"lessons", N_("Lessons")};
    for (auto& p : session_.all_panels())
      if (p.id == "lessons") info = p;
    draw_panel(info, ImVec2(b.x - w, a.y), ImVec2(w, b.y - a.y), true);
    b.x -= w + gap;
  }

  std::vector<PanelInfo> open;
  std::vector<std::string> open_ids;
  for (auto& p : session_.current().panels())
    if (session_.view.open_panels.count(p.id)) open.push_back(p), open_ids.push_back(p.id);
  if (open.empty()) {
    const char* hint = tr("No panels open here. Open one from the Model menu, or type a command (Ctrl+K).");
    ImVec2 ts = ImGui::CalcTextSize(hint);
    ImGui::GetBackgroundDrawList()->AddText(ImVec2((a.x + b.x - ts.x) / 2, (a.y + b.y - ts.y) / 2),
                                            ImGui::GetColorU32(ImGuiCol_TextDisabled), hint);
    return;
  }
  // A lesson step (or a highlight) that changes what the workspace is about forgets the panels picked by hand.
  LessonRunner& runner = *lessons_;
  const bool in_lesson = session_.view.lessons_open && runner.has_lesson();
  std::string context = session_.view.workspace;
  if (in_lesson) {
    context += "|" + runner.lesson().id + "#" + std::to_string(runner.step());
    for (auto& id : runner.shown_panels()) context += " " + id;
  }
  if (context != tile_context_) picked_.clear(), tile_context_ = context;
  // Outside a lesson a highlight brings its panel in to stay (a lesson step's highlight lasts as long as the step).
  std::string hl = session_.view.highlight.substr(0, session_.view.highlight.find(':'));
  if (!in_lesson && !hl.empty() && hl != last_highlight_ && session_.view.open_panels.count(hl)) {
    picked_.erase(std::remove(picked_.begin(), picked_.end(), hl), picked_.end());
    picked_.insert(picked_.begin(), hl);
  }
  last_highlight_ = hl;

  // As many panels as stay readable get a tile; a lesson step with a `show` line gets exactly its panels (and any
  // picked by hand); the highlighted one always gets a tile. The others stay open in a strip of buttons above the
  // tiles (a click brings one in).
  std::vector<std::string> order = tile_order(open_ids);
  const int n = int(order.size());
  int slots = std::min(n, tile_capacity(b.x - a.x, b.y - a.y, em, gap));
  if (in_lesson && !runner.shown_panels().empty()) {
    int shown = 0;
    for (auto& id : order)
      if (contains(runner.shown_panels(), id) || contains(picked_, id)) ++shown;
    slots = shown;
  }
  auto hl_at = std::find(order.begin(), order.end(), hl);
  if (hl_at != order.end()) slots = std::max(slots, int(hl_at - order.begin()) + 1);
  if (slots < n) {  // the strip, its buttons wrapped into as many rows as they need
    auto title_of = [&](const std::string& id) {
      for (auto& p : open)
        if (p.id == id) return std::string(tr(p.title.c_str()));
      return id;
    };
    const float inner_w = b.x - a.x - st.WindowPadding.x * 2;
    float x = ImGui::CalcTextSize(tr("Also open:")).x;
    int rows = 1;
    for (int i = slots; i < n; ++i) {
      float w = ImGui::CalcTextSize(title_of(order[size_t(i)]).c_str()).x + st.FramePadding.x * 2;
      if (x + st.ItemSpacing.x + w > inner_w) ++rows, x = w;
      else x += st.ItemSpacing.x + w;
    }
    const float strip_h = ImGui::GetFrameHeight() * float(rows) + st.ItemSpacing.y * float(rows - 1) + st.WindowPadding.y * 2;
    ImGui::SetNextWindowPos(a);
    ImGui::SetNextWindowSize(ImVec2(b.x - a.x, strip_h));
    ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                             ImGuiWindowFlags_NoFocusOnAppearing | ImGuiWindowFlags_NoBringToFrontOnFocus;
    if (ImGui::Begin("##panel-strip", nullptr, flags)) {
      ImGui::AlignTextToFramePadding();
      ImGui::TextDisabled("%s", tr("Also open:"));
      float line_x = ImGui::CalcTextSize(tr("Also open:")).x;
      for (int i = slots; i < n; ++i) {
        std::string title = title_of(order[size_t(i)]);
        float w = ImGui::CalcTextSize(title.c_str()).x + st.FramePadding.x * 2;
        if (line_x + st.ItemSpacing.x + w > inner_w) line_x = w;  // a new row
        else ImGui::SameLine(), line_x += st.ItemSpacing.x + w;
        ImGui::PushID(order[size_t(i)].c_str());
        if (ImGui::Button(title.c_str())) {  // it takes the first tile
          picked_.erase(std::remove(picked_.begin(), picked_.end(), order[size_t(i)]), picked_.end());
          picked_.insert(picked_.begin(), order[size_t(i)]);
        }
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr("Show this panel (it takes the place of the first one)"));
        ImGui::PopID();
        strip_.push_back(order[size_t(i)]);
      }
    }
    ImGui::End();
    a.y += strip_h + gap;
  }
  std::vector<TileRect> cells = tile_layout(slots, b.x - a.x, b.y - a.y, em, gap);
  // Tiles are placed again whenever what is tiled, or where, changes; otherwise panels keep where the user put them.
  std::string key;
  for (int i = 0; i < slots; ++i) {
    char geo[96];
    std::snprintf(geo, sizeof geo, "@%.0f,%.0f,%.0f,%.0f;", cells[size_t(i)].x + a.x, cells[size_t(i)].y + a.y,
                  cells[size_t(i)].w, cells[size_t(i)].h);
    key += order[size_t(i)] + geo;
  }
  if (key != tile_key_) force = true, tile_key_ = key;
  for (int i = 0; i < slots; ++i) {
    const TileRect& c = cells[size_t(i)];
    for (auto& p : open)
      if (p.id == order[size_t(i)]) draw_panel(p, ImVec2(a.x + c.x, a.y + c.y), ImVec2(c.w, c.h), force);
  }
}

// [SECTION] Status bar

void Shell::draw_status_bar() {
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  float h = ImGui::GetFrameHeight() + ImGui::GetStyle().WindowPadding.y * 2;
  ImGui::SetNextWindowPos(ImVec2(vp->Pos.x, vp->Pos.y + vp->Size.y - h));
  ImGui::SetNextWindowSize(ImVec2(vp->Size.x, h));
  ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                           ImGuiWindowFlags_NoFocusOnAppearing | ImGuiWindowFlags_NoNav |
                           ImGuiWindowFlags_NoBringToFrontOnFocus;
  ImGui::PushStyleColor(ImGuiCol_WindowBg, ImGui::GetStyleColorVec4(ImGuiCol_MenuBarBg));
  ImGui::PushStyleVar(ImGuiStyleVar_WindowRounding, 0);
  if (ImGui::Begin("##status", nullptr, flags)) {
    ImGui::AlignTextToFramePadding();
    ImGui::Text("%.0f fps", ImGui::GetIO().Framerate);  // i18n: keep (a unit)
    ImGui::SameLine();
    if (session_.teacher.locked()) {  // teacher mode's badge: a word, not only a colour
      ImGui::TextColored(settings_.theme == "light" ? ImVec4(0.55f, 0.3f, 0.0f, 1) : ImVec4(1.0f, 0.75f, 0.2f, 1), "%s",
                         tr("locked by the teacher"));
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", session_.teacher.summary().c_str());
      ImGui::SameLine();
    }
    ImGui::TextDisabled("|");
    ImGui::SameLine();
    ImGui::TextUnformatted(tr(session_.current().title().c_str()));
    ImGui::SameLine();
    ImGui::TextDisabled("|");
    ImGui::SameLine();
    ImGui::Text("%s", session_.current().status().c_str());
    char right[160];
    std::snprintf(right, sizeof right, tr("scale %.2gx  %s"), settings_.ui_scale, tr(theme_label(settings_.theme)));
    float w = ImGui::CalcTextSize(right).x;
    float x = ImGui::GetWindowContentRegionMax().x - w;
    // A long message is cut with "…" before the scale/theme note (hover for the whole text); with no
    // room left at all (a long status at presenter scale) it waits until the status gets shorter.
    const float em = ImGui::GetFontSize();
    if (!message_.empty() && x - ImGui::GetItemRectMax().x + ImGui::GetWindowPos().x > 6 * em) {
      ImGui::SameLine();
      ImGui::TextDisabled("|");
      ImGui::SameLine();
      float room = x - em - ImGui::GetCursorPosX();
      std::string shown = message_;
      if (ImGui::CalcTextSize(shown.c_str()).x > room) {
        while (!shown.empty() && ImGui::CalcTextSize((shown + "…").c_str()).x > room) {
          shown.pop_back();
          while (!shown.empty() && (static_cast<unsigned char>(shown.back()) & 0xC0) == 0x80) shown.pop_back();  // whole UTF-8 characters
          if (!shown.empty() && static_cast<unsigned char>(shown.back()) >= 0xC0) shown.pop_back();
        }
        shown += "…";
      }
      if (message_ok_)
        ImGui::TextUnformatted(shown.c_str());
      else
        ImGui::TextColored(settings_.theme == "light" ? ImVec4(0.75f, 0.0f, 0.0f, 1) : ImVec4(1.0f, 0.35f, 0.3f, 1), "%s",
                           shown.c_str());
      if (shown != message_ && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", message_.c_str());
    }
    if (x > ImGui::GetItemRectMax().x - ImGui::GetWindowPos().x + ImGui::GetFontSize()) {  // room right of the last item
      ImGui::SameLine(x);
      ImGui::TextDisabled("%s", right);
    }
  }
  ImGui::End();
  ImGui::PopStyleVar();
  ImGui::PopStyleColor();
}

// [SECTION] Help windows and command line

void Shell::draw_help_windows() {
  const float em = ImGui::GetFontSize();
  ImVec2 center = ImGui::GetMainViewport()->GetCenter();
  if (show_shortcuts_) {
    ImGui::SetNextWindowPos(center, ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
    const std::string title = std::string(tr("Keyboard shortcuts")) + "###shortcuts";
    if (ImGui::Begin(title.c_str(), &show_shortcuts_, ImGuiWindowFlags_AlwaysAutoResize)) {
      if (ImGui::BeginTable("keys", 2, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV)) {
        for (auto& s : shortcuts()) {
          ImGui::TableNextRow();
          ImGui::TableNextColumn();
          ImGui::TextUnformatted(shortcut_label(s).c_str());
          ImGui::TableNextColumn();
          ImGui::TextUnformatted(s.what());
        }
        ImGui::EndTable();
      }
      ImGui::TextUnformatted(tr("Without a mouse: arrows move the keyboard focus, Space or Enter presses, Esc goes back,"));
      ImGui::TextUnformatted(tr("Alt enters a panel's menu, Ctrl+Tab switches panels (hold Ctrl, press Tab again)."));
    }
    ImGui::End();
  }
  if (show_commands_) {
    ImGui::SetNextWindowSize(ImVec2(40 * em, 24 * em), ImGuiCond_FirstUseEver);
    ImGui::SetNextWindowPos(center, ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
    const std::string title = std::string(tr("Commands")) + "###commands";
    if (ImGui::Begin(title.c_str(), &show_commands_)) {
      ImGui::TextWrapped("%s", tr("Every button is a command; you can type them in the command line (Ctrl+K)."));
      ImGui::TextWrapped("%s", tr("Commands are typed in English, and their help below is English too (the same words work in every language, in lessons and on the command line)."));
      if (ImGui::BeginTable("cmds", 2, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_ScrollY)) {
        std::vector<CommandHelp> all = session_.commands(), shell = shell_commands();
        all.insert(all.end(), shell.begin(), shell.end());  // the shell's own (ui, lesson, model, dialog)
        for (auto& c : all) {
          ImGui::TableNextRow();
          ImGui::TableNextColumn();
          if (g_mono_font) ImGui::PushFont(g_mono_font);
          ImGui::TextUnformatted(c.usage.c_str());
          if (g_mono_font) ImGui::PopFont();
          ImGui::TableNextColumn();
          ImGui::TextWrapped("%s", c.summary.c_str());
        }
        ImGui::EndTable();
      }
    }
    ImGui::End();
  }
  if (show_about_) {
    ImGui::SetNextWindowPos(center, ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
    ImGui::SetNextWindowSize(ImVec2(30 * em, 0), ImGuiCond_Appearing);
    const std::string title = std::string(tr("About Glassbox")) + "###about";
    if (ImGui::Begin(title.c_str(), &show_about_)) {
      ImGui::Text("Glassbox %s", build::version);  // i18n: keep (name and version)
      ImGui::TextWrapped("%s", tr("Watch generative models think: a GPT-style transformer, a diffusion model, a GAN and a VAE run inside this app, and every panel shows their internals live."));
      ImGui::TextWrapped("%s", ui::english_model_text());
      ImGui::TextDisabled(tr("Settings: %s"), settings_path().c_str());
    }
    ImGui::End();
  }
}

void Shell::draw_command_line() {
  if (!show_command_line_) return;
  const float em = ImGui::GetFontSize();
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(ImVec2(vp->Pos.x + vp->Size.x / 2, vp->Pos.y + ImGui::GetFrameHeight() + em), ImGuiCond_Appearing,
                          ImVec2(0.5f, 0.0f));
  ImGui::SetNextWindowSize(ImVec2(std::min(44 * em, vp->Size.x - 2 * em), 0), ImGuiCond_Appearing);
  const std::string title = std::string(tr("Command line")) + "###command-line";
  if (ImGui::Begin(title.c_str(), &show_command_line_, ImGuiWindowFlags_NoSavedSettings)) {
    if (focus_command_line_) {
      ImGui::SetKeyboardFocusHere();
      focus_command_line_ = false;
    }
    ImGui::SetNextItemWidth(-1);
    if (g_mono_font) ImGui::PushFont(g_mono_font);
    bool enter = ImGui::InputTextWithHint("##cmd", tr("e.g. open transformer.attention   (Enter runs, Esc closes)"), command_buf_,
                                          sizeof command_buf_, ImGuiInputTextFlags_EnterReturnsTrue);
    if (g_mono_font) ImGui::PopFont();
    if (enter && command_buf_[0]) {
      run(command_buf_);
      command_buf_[0] = 0;
      focus_command_line_ = true;
    }
    if (ImGui::IsKeyPressed(GLFW_KEY_ESCAPE)) show_command_line_ = false;
    if (!message_.empty())
      ImGui::TextColored(message_ok_ ? ImGui::GetStyleColorVec4(ImGuiCol_Text) : ImVec4(1.0f, 0.35f, 0.3f, 1), "%s",
                         message_.c_str());
  }
  ImGui::End();
}

// [SECTION] Settings

Settings Shell::collect_settings() {
  Settings s = settings_;
  s.workspace = session_.view.workspace;
  s.open_panels = session_.view.open_panels;
  s.lessons_open = session_.view.lessons_open;
  s.fullscreen = fullscreen_;
  if (!fullscreen_ && window_) glfwGetWindowSize(window_, &windowed_w_, &windowed_h_);
  s.window_width = std::clamp(windowed_w_, 200, 16384);
  s.window_height = std::clamp(windowed_h_, 150, 16384);
  size_t n = 0;
  const char* ini = ImGui::SaveIniSettingsToMemory(&n);
  s.imgui_ini.assign(ini, n);
  return s;
}

void Shell::save_settings_now() {
  if (!options_.persist) return;
  Settings s = collect_settings();
  std::string json = settings_to_json(s);
  if (json == last_saved_json_) return;
  try {
    save_settings(settings_path(), s);
    last_saved_json_ = json;
  } catch (const Error& e) {
    show_message(format_text(tr("could not save settings: %s"), e.what()), false);
  }
}

}  // namespace gb::app
