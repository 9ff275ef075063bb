// Named views: workspace names, lessons, the widget gallery and panel ids.
#include "app/views.hpp"

namespace gb::app {

std::vector<std::string> view_names(const Session& session) {
  std::vector<std::string> v = {"transformer", "diffusion", "gan", "lessons", "widgets"};
  for (auto& p : session.all_panels())
    if (p.id != "lessons") v.push_back(p.id);
  return v;
}

bool plan_view(const Session& session, const std::string& view, ViewPlan& plan) {
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
    for (auto& id : session.default_panels(view)) plan.commands.push_back("open " + id);
    return true;
  }
  auto dot = view.find('.');
  if (dot == std::string::npos || !session.has_panel(view)) return false;
  plan.commands = {"workspace " + view.substr(0, dot), "open " + view};
  return true;
}

}  // namespace gb::app
