// Named views for `glassbox screenshot --view NAME`: a workspace (transformer, diffusion, gan),
// lessons, the widget gallery, or any panel id X.Y (runs `workspace X` and `open X.Y`).
#pragma once
#include <string>
#include <vector>

#include "lab/session.hpp"

namespace gb::app {

struct ViewPlan {
  std::vector<std::string> commands;  // run through the Session, in order
  bool widget_gallery = false;        // show the widget gallery window
};

// Every valid view name, for error messages and --help: the workspaces (the labs, in menu order), lessons, widgets and
// every panel id.
std::vector<std::string> view_names(const Session& session);
// "a, b, c" (for messages that list names).
std::string join(const std::vector<std::string>& words);
// True when `name` is a workspace (a lab's name).
bool is_workspace(const Session& session, const std::string& name);

// [SECTION] Tiling rules (the shell's workspace layout)
// A panel stays readable in a cell at least kTileMinWidthEm × kTileMinHeightEm font heights (narrower and every
// line wraps; lower and a panel shows its first controls only).
constexpr float kTileMinWidthEm = 24.0f, kTileMinHeightEm = 14.0f;

// How many panels fit readable side by side in a region of width × height pixels, at font size `em` pixels:
// 12 at scale 1 on 1600 × 900, 2 at scale 2, 1 at scale 2 beside the lessons column. Never less than 1.
int tile_capacity(float width, float height, float em, float gap);

// Cells for n panels in a region of width × height (origin at 0, 0), the first panel first. One panel fills the
// region; two sit side by side or one above the other, whichever keeps both more readable; three give the first a
// whole column (or all three a row or column each); four and more fill a grid whose last row's cells widen so no
// quadrant is left empty.
struct TileRect {
  float x = 0, y = 0, w = 0, h = 0;
};
std::vector<TileRect> tile_layout(int n, float width, float height, float em, float gap);

// The commands that show `view`; false if there is no such view.
bool plan_view(const Session& session, const std::string& view, ViewPlan& plan);

}  // namespace gb::app
