// Helpers shared by the VAE panels (vae_<panel>.cpp): finding the lab and loading its models on first
// look, the ten class colours with a legend, rows of 28×28 images and a labelled number a student can hover.
#pragma once
#include <cstdint>
#include <string>

#include <imgui.h>

#include "app/panels/panel.hpp"
#include "app/widgets/draw_util.hpp"
#include "lab/vae_lab.hpp"

namespace gb::app {

// The session's VAE lab (its shipped models loaded on first use); nullptr after a note if none.
VaeLab* vae_lab(PanelContext& ctx);
// True when the 2D (map) model is loaded; else a note saying why not.
bool vae_map_ready(const VaeLab& lab);
// True when the conditional model is loaded; else a note saying why not.
bool vae_cond_ready(const VaeLab& lab);

// One colour per clothing class (10, distinguishable on dark and light themes).
ImU32 vae_class_colour(int c, float alpha = 1.0f);
// The class legend: a swatch and the name per class, wrapping to the width available. `highlight` (−1: none)
// is drawn in full colour, the rest slightly faded when one is highlighted. Returns the class hovered or −1.
int vae_class_legend(int highlight = -1);
// The name of Fashion-MNIST class `c` (0..9) in the current language (defined in gan_common.cpp, which lists
// the ten tr() literals once).
const char* fashion_class(int c);

// Draws a 28×28 image (0 = black) as a `side`-pixel square at the cursor; returns whether it is hovered.
bool vae_image(const std::string& key, const uint8_t* image, float side, bool outlined = false);
// A tooltip with the image enlarged and a line of text.
void vae_image_tooltip(const std::string& key, const uint8_t* image, const char* text);

// Lays the next widget on the same line if `width` pixels still fit (otherwise on a new line).
using ui::same_line_if_fits;

// "name = value" in one line, value hoverable with `help` as its tooltip.
void vae_number(const char* name, double value, const char* format, const char* help);

}  // namespace gb::app
