// The panel registry: draw functions registered by their own files (GB_PANEL), checked against the labs' tables.
#include "app/panels/registry.hpp"

#include <algorithm>
#include <vector>

namespace gb::app {

namespace {
std::vector<PanelDef>& table() {
  static std::vector<PanelDef> t;  // filled before main() by the panels' GB_PANEL lines
  return t;
}
std::vector<std::string>& duplicates() {
  static std::vector<std::string> d;
  return d;
}
}  // namespace

bool register_panel(const char* id, PanelDrawFn draw) {
  if (find_panel(id)) duplicates().push_back(id);
  else table().push_back({id, draw});
  return true;
}

const std::vector<PanelDef>& registered_panels() { return table(); }

const PanelDef* find_panel(const std::string& id) {
  for (auto& p : table())
    if (id == p.id) return &p;
  return nullptr;
}

std::vector<std::string> registry_problems(const std::vector<PanelInfo>& declared, const std::vector<PanelDef>& registered) {
  std::vector<std::string> out;
  auto is_declared = [&](const std::string& id) {
    return std::any_of(declared.begin(), declared.end(), [&](const PanelInfo& p) { return p.id == id; });
  };
  for (auto& p : declared) {
    int n = int(std::count_if(registered.begin(), registered.end(), [&](const PanelDef& d) { return p.id == d.id; }));
    if (n == 0) out.push_back(p.id + ": declared by its lab, but no file registers a draw function (GB_PANEL)");
    if (n > 1) out.push_back(p.id + ": " + std::to_string(n) + " files register a draw function (GB_PANEL)");
  }
  for (auto& d : registered)
    if (!is_declared(d.id))
      out.push_back(std::string(d.id) + ": a draw function is registered (GB_PANEL), but no lab declares the panel "
                                        "(add it to the lab's panels() table)");
  if (&registered == &table())
    for (auto& id : duplicates()) out.push_back(id + ": a second file registers a draw function (GB_PANEL)");
  return out;
}

}  // namespace gb::app
