// Helpers shared by the diffusion panels: finding the lab, the "no model" note, 28×28 images as
// pixelated heatmaps with a colour scale, thumbnails, class names and the 2D point view.
#pragma once
#include <string>
#include <vector>

#include <imgui.h>

#include "app/panels/panel.hpp"
#include "app/widgets/heatmap.hpp"
#include "lab/diffusion_lab.hpp"

namespace gb::app {

// The session's diffusion lab (nullptr if the session has none).
DiffusionLab* diffusion_lab(PanelContext& ctx);

// Loads the model on first use; draws why nothing can be shown and returns false when there is
// no lab, no model or no sampler.
bool diffusion_ready(DiffusionLab* lab);

// A data set's name as shown in the current language (the command word stays English: `diffusion data moons`).
const char* diffusion_data_label(const std::string& data);

// Runs "diffusion <cmd>" (routed to the diffusion lab whatever the workspace).
CommandResult diffusion_run(PanelContext& ctx, const std::string& cmd);
// False when teacher mode switched `diffusion CMD` off (its button is left out).
bool diffusion_allows(PanelContext& ctx, const std::string& cmd);

// The class name in the current language ("Sneaker"), or "no class" for −1.
const char* diffusion_class_name(int label);
// A Fashion-MNIST class name (0..9) in the current language (defined in gan_common.cpp).
const char* fashion_class(int c);

// A 28×28 image (784 values) drawn large and pixelated in a `side`-pixel square, with its colour bar to the
// right (diffusion_scale_width() more). The scale is the fixed one of its kind (diffusion_colour_range: model
// space −1 = black background … +1 = white ink; noise ±3 on the diverging map), the same in every panel, so
// pictures a student compares are drawn alike. Pixels beyond it are drawn at the end colour and marked ▲
// (above) or ▼ (below) in the picture; the bar's ends count them.
ui::HeatmapHover diffusion_image(const char* id, const float* x, float side, DiffusionPicture kind, const char* value_name);
float diffusion_scale_width();

// A small 28×28 thumbnail at `p0` (no scale, no tooltip), values in [lo, hi] on the grey map.
void diffusion_thumbnail(const std::string& key, const float* x, ImVec2 p0, float side, float lo = -1, float hi = 1);

// A 2D point cloud thumbnail: points (n, 2) drawn in the box [p0, p0 + size] over [-lim, lim]².
void diffusion_points_thumbnail(const float* xy, int n, ImVec2 p0, ImVec2 size, float lim, ImU32 col);

// The thumbnails' colour scale on one line: "−1 (background) [grey ramp] +1 (ink)", the same fixed scale as
// the large pictures, with a tooltip saying values beyond it are drawn black or white (thumbnails are too small
// to mark them). For panels that show many small pictures.
void diffusion_grey_legend();

// A preset button: green when it works, red when it fails on purpose, full colour when applied now; a
// click runs `diffusion preset NAME`; the tooltip says what it does for this model (image or 2D).
void diffusion_preset_button(PanelContext& ctx, const DiffusionPreset& p, bool current, bool image);

// Pixel value in model space → the 0..255 byte of a Fashion-MNIST picture (0 = background).
int diffusion_byte(float v);

}  // namespace gb::app
