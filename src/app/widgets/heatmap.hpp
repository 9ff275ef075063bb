// Heatmap / image widget: shows a float matrix coloured on the GPU by shaders/heatmap.frag.glsl,
// with a colour scale labelled with its true numeric range, and a tooltip giving row, column and
// value under the mouse.
//
//   // attention weights of one head: (T, T) row-major, query rows, key columns
//   gb::ui::HeatmapOptions o;
//   o.row_labels = &tokens; o.col_labels = &tokens;
//   o.row_name = "query token"; o.col_name = "key token";
//   o.value_name = "attention weight"; o.lo = 0; o.hi = 1;
//   gb::ui::HeatmapHover h = gb::ui::heatmap("attn", weights.data(), T, T, o);
//   if (h.hovered) { /* h.row, h.col, h.value */ }
//
// Signed data (weights, gradients, residuals): o.map = gb::Colormap::diverging; zero is then the
// neutral colour whatever the range. Images (0 = black, 1 = white): o.map = gb::Colormap::grey.
// Data is copied to a texture each frame it changes (a hash decides), so passing the same
// pointer every frame is cheap. Matrices up to the GPU's texture size (≥ 8192 cells a side).
#pragma once
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include <imgui.h>

#include "core/colormap.hpp"

namespace gb::ui {

struct HeatmapOptions {
  Colormap map = Colormap::viridis;  // viridis (sequential), diverging (signed, 0 neutral) or grey (images)
  float lo = NAN;                    // value at the bottom of the colour scale (NaN: the data's minimum)
  float hi = NAN;                    // value at the top (NaN: the data's maximum); diverging + NaN: ±max|v|
  ImVec2 size = {0, 0};              // whole widget in pixels incl. labels and scale; 0 = available width /
                                     // square cells (height capped at max_height)
  float max_height = 0;              // cap for the automatic height (0: 24 font heights)
  bool square_cells = true;          // keep cells square when sizing automatically
  bool colour_scale = true;          // the colour bar with ticks on the right
  bool smooth = false;               // bilinear magnification (images) instead of crisp cells
  const std::vector<std::string>* row_labels = nullptr;  // one per row, drawn on the left when they fit
  const std::vector<std::string>* col_labels = nullptr;  // one per column, drawn vertically on top
  const char* row_name = "row";      // what a row is ("query token"), for the tooltip
  const char* col_name = "column";   // what a column is ("key token")
  const char* value_name = "value";  // what the number means ("attention weight")
  const char* value_format = "%.4g"; // printf format for values in the tooltip and the scale
  bool causal_mask = false;          // cells right of the diagonal (a token looking ahead) drawn grey, hatched,
                                     // and named "masked" on hover
  int highlight_row = -1;            // outline one row / column / cell (-1: none)
  int highlight_col = -1;
};

struct HeatmapHover {
  bool hovered = false;  // the mouse is over a cell this frame
  int row = -1, col = -1;
  float value = 0;
  bool clicked = false;  // left click on that cell
};

// Draws `data` (rows, cols), row-major: data[r * cols + c]. `id` must be unique in the window.
HeatmapHover heatmap(const char* id, const float* data, int rows, int cols, const HeatmapOptions& opts = {});

// Lower level: the coloured (rows, cols) texture for `data` (one texel per cell, row 0 at v = 0),
// for drawing yourself with ImDrawList::AddImage (e.g. a field behind a scatter plot). Valid for
// this frame. `key` identifies the cache slot; use a string unique to your panel.
// version ≠ 0: the caller says when the data changed (a new version) and the data is not hashed (big pictures).
ImTextureID colormap_texture(const std::string& key, const float* data, int rows, int cols, Colormap map,
                             float lo, float hi, bool smooth = false, uint64_t version = 0);

// An RGBA image (w, h) of ImU32 pixels (IM_COL32), row 0 at v = 0, as a texture valid for this frame; uploaded only
// when the pixels change (a hash decides). For pictures a panel colours itself (e.g. a field with its own colour map).
// smooth: bilinear between pixels (then pixel centres are the exact samples: draw from uv 0.5/w to 1 − 0.5/w).
// version ≠ 0: the caller says when the pixels changed (a new version) and nothing is hashed (big pictures).
ImTextureID rgba_texture(const std::string& key, const ImU32* pixels, int w, int h, bool smooth = false,
                         uint64_t version = 0);

// The marker shapes of draw_marker() (draw_util.hpp) as sprites: one textured quad per marker instead of a
// tessellated shape (a disc costs 24 vertices, a sprite 4). Shape `shape` (0…9) lies in the returned texture between
// uv0 and uv1, the quad spanning centre ± kMarkerSpriteExtent × r. nullptr when there is no GL context.
constexpr float kMarkerSpriteExtent = 2.0f;
ImTextureID marker_sprite(int shape, ImVec2& uv0, ImVec2& uv1);

// Many markers as ONE texture (a scatter of thousands of points costs 4 vertices instead of 4 each): the markers of
// draw_marker()'s shapes rasterised on the CPU into a w × h picture (row 0 at the top), each at pixel (x, y) with
// half-size r pixels, composited in order. The panel keeps the pixels and re-rasterises only when its data, size or
// highlight change, then shows them with rgba_texture(…, version). Hover stays the panel's own (nearest point).
struct MarkerPoint {
  float x = 0, y = 0;  // centre in pixels from the picture's top-left corner
  int shape = 0;       // 0…9, as draw_marker()
  ImU32 colour = 0;    // IM_COL32, alpha included
  float r = 0;         // half-size in pixels; 0: the r given to rasterise_markers
};
void rasterise_markers(std::vector<ImU32>& out, int w, int h, const std::vector<MarkerPoint>& pts, float r);

// A vertical colour bar of `size` pixels for [lo, hi] with ticks and the exact ends labelled.
void colour_scale(const char* id, Colormap map, float lo, float hi, ImVec2 size, const char* value_format = "%.4g");

// The range heatmap() uses when lo/hi are NaN.
void auto_range(const float* data, size_t n, Colormap map, float& lo, float& hi);

// Called by the shell: once per frame (frees textures not used for a while) and before the GL
// context goes away.
void widgets_new_frame();
void widgets_shutdown();

}  // namespace gb::ui
