// What a panel's draw function gets: the session (to read labs and run commands), its own
// PanelInfo, the UI scale, and a way to run commands whose result shows in the status bar.
// A panel is one file src/app/panels/<panel>.cpp with a free function draw_<panel>(PanelContext&) that
// registers itself (GB_PANEL, see registry.hpp). The shell opens the ImGui window (title, size, highlight frame, close
// button); the function draws only the window's contents. Panels keep view choices (selected layer,
// head, zoom) in a file-local state struct, never copies of model data.
#pragma once
#include <functional>
#include <string>

#include "lab/lab.hpp"
#include "lab/session.hpp"

struct ImFont;

namespace gb {
class LessonRunner;
}

namespace gb::app {

struct PanelContext {
  Session& session;
  const PanelInfo& info;
  float ui_scale = 1.0f;  // presenter scale; multiply pixel sizes by it (fonts are already scaled)
  // Runs a command line through the session; the result is shown in the status bar.
  std::function<CommandResult(const std::string&)> run;
  // The "what" of a highlight aimed at this panel ("transformer.attention:layer 1 head 2" → "layer 1
  // head 2"), empty if none. Panels may use it to point at one part of themselves.
  std::string highlight_detail;
  ImFont* mono_font = nullptr;  // DejaVu Sans Mono at the current scale (nullptr: use the default font)
  LessonRunner* lessons = nullptr;  // the shell's lesson runner (the lessons panel draws and drives it)
  // False when teacher mode switched this command line off: the panel leaves its button out (the command
  // layer refuses the command anyway, whoever sends it).
  bool allows(const std::string& line) const { return session.refusal(line).empty(); }
};

using PanelDrawFn = void (*)(PanelContext&);

}  // namespace gb::app
