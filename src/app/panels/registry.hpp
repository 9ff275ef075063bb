// The panel registry: panel id (from Session::all_panels()) → draw function. Adding a panel is one
// file in src/app/panels/ plus one line in registry.cpp.
#pragma once
#include <string>

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

// [SECTION] Draw functions, one per file in src/app/panels/.
void draw_transformer_overview(PanelContext& ctx);
void draw_diffusion_overview(PanelContext& ctx);
void draw_gan_overview(PanelContext& ctx);
void draw_lessons(PanelContext& ctx);
void draw_transformer_embeddings(PanelContext& ctx);
void draw_transformer_attention(PanelContext& ctx);
void draw_transformer_block(PanelContext& ctx);
void draw_transformer_logit_lens(PanelContext& ctx);
void draw_transformer_beam(PanelContext& ctx);
void draw_transformer_generate(PanelContext& ctx);
void draw_transformer_tokens(PanelContext& ctx);
void draw_transformer_probabilities(PanelContext& ctx);
void draw_transformer_training(PanelContext& ctx);

// Not a session panel: the widget gallery (Help menu, `glassbox screenshot --view widgets`) shows
// every drawing helper in src/app/widgets/ with made-up data, for panel authors.
void draw_widget_gallery(float ui_scale);

}  // namespace gb::app
