// The panel registry: panel id (from Session::all_panels()) → draw function. Adding a panel is one
// file in src/app/panels/ plus one line in registry_<area>.cpp.
#pragma once
#include <string>
#include <vector>

#include "app/panels/panel.hpp"

namespace gb::app {

struct PanelDef {
  const char* id;        // "transformer.attention"
  PanelDrawFn draw;      // draws the window's contents
  float width_em = 0;    // preferred first size in font heights (0: the shell's tiling decides)
  float height_em = 0;
};

// The registered panel for `id`, or nullptr (the shell then draws a "no drawing code yet" note).
const PanelDef* find_panel(const std::string& id);

// [SECTION] Per-workspace tables, one file each (registry_<area>.cpp): the panel ids and draw
// functions of one workspace. A panel is one file src/app/panels/<area>_<panel>.cpp plus one line there.
std::vector<PanelDef> transformer_panel_defs();
std::vector<PanelDef> diffusion_panel_defs();
std::vector<PanelDef> gan_panel_defs();
std::vector<PanelDef> vae_panel_defs();
std::vector<PanelDef> lesson_panel_defs();

// Not a session panel: the widget gallery (Help menu, `glassbox screenshot --view widgets`) shows
// every drawing helper in src/app/widgets/ with made-up data, for panel authors.
void draw_widget_gallery(float ui_scale);

}  // namespace gb::app
