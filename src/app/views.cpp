// Named views: workspace names, lessons, the widget gallery and panel ids.
#include "app/views.hpp"

#include <algorithm>

namespace gb::app {

std::vector<std::string> view_names(const Session& session) {
  std::vector<std::string> v = {"transformer", "diffusion", "gan", "lessons", "widgets"};
  for (auto& p : session.all_panels())
    if (p.id != "lessons") v.push_back(p.id);
  return v;
}

int default_panel_count(float width, float height, float ui_scale) {
  const float em = 16.0f * ui_scale;         // the UI font's size at this scale
  const float w_em = width / em;
  const float h_em = height / em - 3.5f;     // menu bar, status bar and gaps
  const int cols = w_em >= 48 ? 2 : 1;       // a panel narrower than ~24 em wraps every line
  const int rows = h_em >= 30 ? 2 : 1;       // one shorter than ~15 em shows its first controls only
  return cols * rows;
}

bool plan_view(const Session& session, const std::string& view, ViewPlan& plan, float width, float height,
               float ui_scale) {
  plan = ViewPlan{};
  if (view == "widgets") {
    plan.widget_gallery = true;
    plan.commands = {"workspace transformer"};
    return true;
  }
  if (view == "lessons") {
    plan.commands = {"workspace transformer", "open lessons"};
    return true;
  }
  auto panels = session.all_panels();
  if (view == "transformer" || view == "diffusion" || view == "gan") {
    plan.commands.push_back("workspace " + view);
    auto ids = session.default_panels(view);
    ids.resize(std::min(ids.size(), size_t(default_panel_count(width, height, ui_scale))));
    for (auto& id : ids) plan.commands.push_back("open " + id);
    return true;
  }
  auto dot = view.find('.');
  if (dot == std::string::npos || !session.has_panel(view)) return false;
  plan.commands = {"workspace " + view.substr(0, dot), "open " + view};
  return true;
}

}  // namespace gb::app
