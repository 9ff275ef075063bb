// The panel registry: panel id → draw function.
//
// Adding a panel is one file plus one registry line, and nothing else:
//   1. src/app/panels/<area>_<name>.cpp with `void draw_<area>_<name>(PanelContext& ctx)` that ends with
//        GB_PANEL("<area>.<name>", draw_<area>_<name>);
//   2. one line {"<area>.<name>", "Title in a student's words"} in its lab's panel table, <Area>Lab::panels()
//      (src/lab/<area>_lab.cpp): the list of panel ids. The session (`open`, `highlight`), lessons and
//      `lessons check`, the Model menu, the workspace tiling, settings, `glassbox screenshot --view`, the screenshot
//      review and bench ui all read that one table; no other list of panels exists (not in tests, help texts or
//      screenshot lists). A lab is headless (no ImGui), so the draw function registers itself from its own file.
// The review (`glassbox screenshot --review`, and `ctest -R app_panels_registered`) fails when a declared panel has no
// draw function or a draw function names an id no lab declares (registry_problems).
#pragma once
#include <string>
#include <vector>

#include "app/panels/panel.hpp"

namespace gb::app {

struct PanelDef {
  const char* id;    // "transformer.attention"
  PanelDrawFn draw;  // draws the window's contents
};

// Called by GB_PANEL before main() runs; returns true. A second function for the same id is refused (the
// duplicate shows in registry_problems).
bool register_panel(const char* id, PanelDrawFn draw);
#define GB_PANEL(id, draw_fn) [[maybe_unused]] static const bool gb_panel_registered_ = ::gb::app::register_panel(id, draw_fn)

// Every registered draw function, in registration order.
const std::vector<PanelDef>& registered_panels();
// The registered panel for `id`, or nullptr (the shell then draws a "no drawing code yet" note).
const PanelDef* find_panel(const std::string& id);

// What does not match between the panels the labs declare (Session::all_panels()) and the registered draw
// functions: "transformer.x: declared by its lab, but no file registers a draw function (GB_PANEL)", and the reverse,
// and ids registered twice. Empty when they agree.
std::vector<std::string> registry_problems(const std::vector<PanelInfo>& declared, const std::vector<PanelDef>& registered);

// Not a session panel: the widget gallery (Help menu, `glassbox screenshot --view widgets`) shows
// every drawing helper in src/app/widgets/ with made-up data, for panel authors.
void draw_widget_gallery(float ui_scale);

}  // namespace gb::app
