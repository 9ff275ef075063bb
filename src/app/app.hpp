// The app shell: one GLFW window with OpenGL 3.3 core and Dear ImGui, a main menu, a status bar,
// one workspace per model family whose panels come from the registry, presenter mode (UI scale,
// themes, full screen) and settings that persist. Used by the interactive app, by
// `glassbox screenshot` and by `glassbox bench ui`.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include <imgui.h>

#include "app/keys.hpp"
#include "app/export_panel.hpp"
#include "app/open_model.hpp"
#include "app/session_dialog.hpp"
#include "app/teacher_dialog.hpp"
#include "lab/session.hpp"
#include "lab/settings.hpp"
#include "lessons/runner.hpp"

struct GLFWwindow;

namespace gb::app {

struct ShellOptions {
  int width = 1600, height = 900;  // window size in screen pixels
  bool persist = false;            // read/write settings.json and the ImGui layout
  bool vsync = true;               // false for benchmarks
  bool ignore_mouse = false;       // screenshots and benchmarks: no pointer, so no hover effects
  std::string title = "Glassbox";
};

// A workspace panel the last frame drew, with its window's place on screen (`screenshot --review` checks it).
struct DrawnPanel {
  std::string id;
  ImVec2 pos, size;
};

// Where the last frame's time went (bench ui prints it so a slow frame can be traced to its cause).
struct FrameProfile {
  double update_ms = 0;  // session update: labs' Run modes (generation, training hand-off, sampling)
  double build_ms = 0;   // ImGui: panels building their draw lists (CPU)
  double render_ms = 0;  // OpenGL: submitting the draw lists (the rasterising may finish later, at swap)
  int vertices = 0;      // vertices and draw commands submitted
  int draw_calls = 0;
  struct Panel {
    std::string id;
    double build_ms = 0;  // its draw function
    int vertices = 0;     // its window's draw lists (child windows included)
  };
  std::vector<Panel> panels;  // per tiled panel, for `bench ui`'s breakdown
};

class Shell {
 public:
  Shell(Session& session, Settings settings, ShellOptions options);
  ~Shell();
  Shell(const Shell&) = delete;
  Shell& operator=(const Shell&) = delete;

  // Creates the window and GL context. Returns false with a message in `error` (e.g. no display).
  bool init(std::string& error);
  bool should_close() const;
  // One frame: events, session update, UI, rendering into the back buffer (no swap).
  void frame();
  void swap();
  // Sleeps until there is something to draw: input, a worker's news, a lab's deadline (src/app/shell_wait.cpp).
  // The interactive loop calls it before frame(); screenshots and `bench ui` draw every frame without it.
  void wait_for_work();
  // Reads the back buffer after frame(): RGBA rows top to bottom, width × height.
  std::vector<unsigned char> read_pixels(int& width, int& height);

  // The lesson runner that drives the session (the lessons panel draws it; screenshots open a lesson through it).
  // It keeps progress in config_dir()/lessons-progress.json only when `persist` is on.
  LessonRunner& lessons() { return *lessons_; }
  // Runs a command and shows its result in the status bar.
  CommandResult run(const std::string& line);
  void show_message(const std::string& text, bool ok);
  bool keys_pending() const;  // `press` keys not yet delivered (screenshots render until they are)
  void show_widget_gallery(bool on) { show_gallery_ = on; }
  void save_settings_now();  // writes settings.json when persist is on
  const FrameProfile& last_frame_profile() const { return profile_; }
  // The workspace panels the last frame tiled, and the open ones it listed in the strip above them instead.
  const std::vector<DrawnPanel>& drawn_panels() const { return tiled_; }
  const std::vector<std::string>& strip_panels() const { return strip_; }
  void set_empty_panels(bool on) { empty_panels_ = on; }  // `bench ui`'s floor: the windows without their content
  void set_ui_scale(float scale) { settings_.ui_scale = scale; }  // applied at the next frame
  void forget_layout() { relayout_ = true, picked_.clear(); }     // tiles as if the panels had just opened
  // Switches the language at the next frame (View → Language does the same). With a catalogue missing or malformed
  // the previous language stays, and language_error() says which file and line (also shown in the status bar).
  void set_language_code(const std::string& code) { settings_.language = code; }
  bool apply_language();  // now, between frames: true when the language asked for is in place
  const std::string& language_error() const { return language_error_; }
  // Screenshots: the pointer the next frames see instead of none (x < 0: none), with the left button down or not.
  void set_scripted_pointer(float x, float y, bool down) { pointer_ = ImVec2(x, y), pointer_down_ = down; }
  size_t fallback_glyph_count() const { return extra_glyphs_.size(); }  // characters taken from the fallback font
  // [SECTION] Exports (src/app/export_run.cpp). Call between frames (the CLI, or the queue frame() drains): runs one
  // `export …` command now — a PNG is the panel rendered alone offscreen at K× its size with fonts at K×.
  CommandResult export_now(const std::string& line);

 private:
  void apply_style();          // theme + scaled sizes + fonts (between frames)
  void build_fonts(float scale);
  void add_wanted_glyphs();    // characters panels asked for (ui::want_glyphs) from the fallback font
  void handle_shortcuts();
  CommandResult run_shell_verb(ShellVerb verb);  // `ui …`, `lesson next|back`, `model step|back|play`
  void inject_keys();      // `press KEY`: one queued key down this frame, up the next
  void draw_focus_ring();  // the keyboard focus, thick and in the theme's focus colour
  void draw_menu();
  void draw_workspace();
  std::vector<std::string> tile_order(const std::vector<std::string>& open_ids);
  void draw_panel(const PanelInfo& info, ImVec2 pos, ImVec2 size, bool force_layout);
  void draw_status_bar();
  void draw_help_windows();
  void draw_command_line();
  void toggle_fullscreen();
  void auto_open_workspace();
  Settings collect_settings();
  // Export internals (src/app/export_run.cpp): fonts and style at `scale`× for offscreen captures, one capture.
  void begin_capture(float scale);
  void end_capture();
  std::vector<unsigned char> capture_panel(const PanelInfo& info, ImVec2 size, float scale);
  ImVec2 panel_size(const std::string& id);  // the panel's size on screen last frame (a default when not drawn)
  void run_pending_exports();
  CommandResult queue_export(const std::string& line);  // checks the words now, runs it at the next frame's start

  Session& session_;
  Settings settings_;
  ShellOptions options_;
  std::unique_ptr<LessonRunner> lessons_;  // see lessons()
  GLFWwindow* window_ = nullptr;
  bool imgui_ready_ = false;
  long frames_ = 0;                 // frames rendered so far
  int settle_frames_ = 0;           // frames still to draw after input before the app may sleep
  bool empty_panels_ = false;       // set_empty_panels
  bool waits_ = false;              // wait_for_work() has installed its wake handler and input callbacks
  FrameProfile profile_;
  OpenModelDialog open_model_;  // File → Open model (Ctrl+O)
  SessionDialog session_dialog_;  // File → Save session (Ctrl+S) / Open session
  ExportDialog export_dialog_;    // a panel's right-click menu → where to save
  std::vector<std::string> pending_exports_;  // `export …` commands waiting for the next frame's start
  std::string export_menu_for_;               // `export menu PANEL`: open that panel's right-click menu
  std::vector<std::pair<int, std::string>> worksheet_jobs_;  // `glassbox export worksheet` children: pid, file
  ImGuiStyle capture_saved_style_;            // the style begin_capture replaced
  TeacherDialog teacher_dialog_;  // Teacher → Set up teacher mode… / Unlock…
  std::vector<ImWchar> extra_glyphs_;  // characters merged in from the fallback font (CJK…), sorted
  ImVector<ImWchar> extra_ranges_;     // the same as ImGui glyph ranges; alive while the atlas is built
  float applied_scale_ = 0;         // the scale the fonts/style were built for
  std::string applied_theme_;
  std::string applied_language_;    // the language tr() speaks ("" before the first apply_language)
  std::string language_error_;
  ImVec2 pointer_{-1, -1};          // set_scripted_pointer (headless only)
  bool pointer_down_ = false;      // why the last language asked for could not be applied
  bool fullscreen_ = false;
  int windowed_x_ = 100, windowed_y_ = 100, windowed_w_ = 1600, windowed_h_ = 900;
  bool relayout_ = false;           // tile the workspace panels on the next frame
  bool show_shortcuts_ = false, show_commands_ = false, show_about_ = false, show_gallery_ = false;
  bool show_command_line_ = false, focus_command_line_ = false;
  char command_buf_[512] = {};
  std::vector<KeyChord> key_queue_;  // `press` keys still to deliver
  KeyChord key_held_;                // the key down this frame (released the next)
  std::vector<std::string> auto_opened_;  // workspaces whose panels were opened on first visit
  std::string message_;
  bool message_ok_ = true;
  double last_save_ = 0;
  std::string last_saved_json_;
  std::string focus_highlight_;     // highlight already brought to front
  std::vector<std::string> picked_; // panels brought in from the strip by hand, latest first
  std::string tile_context_;        // workspace, highlight and lesson step the picks were made in
  std::string last_highlight_;      // the highlighted panel last frame (a new one is brought in)
  std::string tile_key_;            // what was tiled where last frame (a change re-tiles)
  std::vector<DrawnPanel> tiled_;   // see drawn_panels()
  std::vector<std::string> strip_;  // see strip_panels()
};

// Installs the GLFW error callback that records the last error (for clear messages).
std::string last_glfw_error();
// DejaVu Sans Mono at the fonts' current scale (nullptr when missing); PanelContext::mono_font.
ImFont* mono_font();

}  // namespace gb::app
