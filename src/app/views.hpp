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

// The commands that show `view`; false if there is no such view.
bool plan_view(const Session& session, const std::string& view, ViewPlan& plan);

}  // namespace gb::app
