// The panel registry: the union of the per-workspace tables (registry_<area>.cpp, one line per panel).
#include "app/panels/registry.hpp"

#include <vector>

namespace gb::app {

static const std::vector<PanelDef>& table() {
  static const std::vector<PanelDef> t = [] {
    std::vector<PanelDef> all;
    for (auto* part : {&transformer_panel_defs, &diffusion_panel_defs, &gan_panel_defs, &vae_panel_defs, &lesson_panel_defs})
      for (auto& d : (*part)()) all.push_back(d);
    return all;
  }();
  return t;
}

const PanelDef* find_panel(const std::string& id) {
  for (auto& p : table())
    if (id == p.id) return &p;
  return nullptr;
}

}  // namespace gb::app
