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

// Every valid view name, for error messages and --help.
std::vector<std::string> view_names(const Session& session);

// How many of a workspace's default panels to open on a window of width × height pixels at this UI scale: four
// (2 × 2) where each stays readable, fewer at presenter scale on a small screen (two side by side at scale 2 on
// 1600 × 900), so the first view never needs scrolling to find the controls. The rest stay in the Model menu.
int default_panel_count(float width, float height, float ui_scale);

// The commands that show `view` on a window of width × height at this scale; false if there is no such view.
bool plan_view(const Session& session, const std::string& view, ViewPlan& plan, float width = 1600, float height = 900,
               float ui_scale = 1);

}  // namespace gb::app
