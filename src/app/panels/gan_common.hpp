// Helpers shared by the GAN panels (gan_<panel>.cpp): finding the lab, switching its mode before a
// command, the 2D plane (axes, D's field, colour bar), grey 28×28 images and the field's colours.
#pragma once
#include <cstdint>
#include <string>

#include <imgui.h>

#include "app/panels/panel.hpp"
#include "app/widgets/draw_util.hpp"
#include "lab/gan_lab.hpp"

namespace gb::app {

// The session's GAN lab; nullptr (after a note saying so) if the session has none.
GanLab* gan_lab(PanelContext& ctx);

// Runs `line` after switching the lab to `mode` ("2d" | "image") if needed: `seed` and `pause` mean
// different things in the two modes, and the status bar follows the GAN being worked on.
CommandResult gan_run(PanelContext& ctx, GanLab& lab, const char* mode, const std::string& line);
// False when teacher mode switched `gan LINE` off (its button is left out).
bool gan_allows(PanelContext& ctx, const std::string& line);

// [SECTION] the 2D plane: a square showing [lo, hi]² with y up
struct Plane {
  ImVec2 p0, p1;           // pixel box of the square (p0 top-left)
  float lo = -2.5f, hi = 2.5f;
  bool hovered = false;    // mouse over the square this frame
  bool clicked = false;    // left click inside the square
  float mx = 0, my = 0;    // mouse position in data units (when hovered)
  ImVec2 px(float x, float y) const {
    return ImVec2(p0.x + (x - lo) / (hi - lo) * (p1.x - p0.x), p1.y - (y - lo) / (hi - lo) * (p1.y - p0.y));
  }
  bool inside(float x, float y) const { return x >= lo && x <= hi && y >= lo && y <= hi; }
};

// Reserves a square of `side` pixels (plus room for the tick labels below and left), draws the frame,
// the ticks and the axis titles, and handles hover / click. Draw inside it with plane.px().
Plane plane_begin(const char* id, float side, float lo, float hi, const char* x_label, const char* y_label);
// Width and height the tick labels and axis titles add around a plane's square.
ImVec2 plane_margin();
void plane_end(const Plane& p);  // frame on top of the contents

// Colour of D's output: probability p in [0, 1] ("real" = green, "fake" = purple, 0.5 = neutral),
// or for raw critic scores t = (score − min) / (max − min) over the plane.
ImU32 field_colour(float t, float alpha = 1.0f);
ImU32 real_colour();   // real points
ImU32 fake_colour();   // generated points
// D's field (res × res, row 0 at y = lo) as coloured cells over the plane.
void draw_field(const Plane& p, const Gan2dView& v);
// The field's value mapped to [0, 1] for field_colour().
float field_t(const Gan2dView& v, float value);
// A vertical colour bar for the field with its title and true range, and the width it takes.
void field_colour_bar(const Gan2dView& v, float height);
float field_colour_bar_width(const Gan2dView& v);

// [SECTION] images
// A grey texture for one 28×28 uint8 image (0 = black background, 255 = white); valid this frame.
ImTextureID gan_image_texture(const std::string& key, const uint8_t* image);
// Draws the image at the cursor as a `side`-pixel square and reserves the space; returns whether hovered.
bool gan_image(const std::string& key, const uint8_t* image, float side, bool outlined = false);

// The ten class names over image columns `side` pixels wide and `pitch` apart, at the cursor: on one line
// when every name fits, else split after "/" or at a space onto two lines ("T-shirt/" "top", "Ankle" "boot");
// a part is cut with "…" only when even it does not fit. Column `highlight` (−1: none) in the accent colour.
// Reserves the space it takes.
void gan_class_headers(float side, float pitch, int highlight);

// The name of Fashion-MNIST class `c` (0..9) in the current language: kFashionClassNames[c] passed through tr().
// Every panel shows class names through this (the tr() literals are listed once, in gan_common.cpp).
const char* fashion_class(int c);

// Lays the next widget on the same line if `width` pixels still fit (otherwise on a new line).
using ui::same_line_if_fits;

}  // namespace gb::app
