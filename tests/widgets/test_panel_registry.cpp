// The panel registry's check (src/app/panels/registry.cpp): a lab's panel without a draw function, a draw function
// for a panel no lab declares, and an id registered twice are each reported; a matching pair is not.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "app/panels/registry.hpp"

namespace {
void draw_nothing(gb::app::PanelContext&) {}
void draw_other(gb::app::PanelContext&) {}
bool contains(const std::vector<std::string>& v, const std::string& part) {
  for (auto& s : v)
    if (s.find(part) != std::string::npos) return true;
  return false;
}
}  // namespace

GB_PANEL("test.registered", draw_nothing);

TEST_CASE("registry: GB_PANEL registers before main, and a second file for the same id is refused") {
  const gb::app::PanelDef* p = gb::app::find_panel("test.registered");
  REQUIRE(p != nullptr);
  CHECK(bool(p->draw == &draw_nothing));
  CHECK(gb::app::find_panel("test.nope") == nullptr);
  gb::app::register_panel("test.registered", &draw_other);
  CHECK(bool(gb::app::find_panel("test.registered")->draw == &draw_nothing));  // the first one stays
  auto problems = gb::app::registry_problems({{"test.registered", "T"}}, gb::app::registered_panels());
  CHECK(contains(problems, "test.registered: a second file registers"));
}

TEST_CASE("registry: declared and registered panels must match both ways") {
  using gb::app::PanelDef;
  const std::vector<gb::PanelInfo> declared = {{"a.one", "One"}, {"a.two", "Two"}};
  CHECK(gb::app::registry_problems(declared, {{"a.one", draw_nothing}, {"a.two", draw_other}}).empty());
  auto missing = gb::app::registry_problems(declared, {{"a.one", draw_nothing}});
  REQUIRE(missing.size() == 1);
  CHECK(contains(missing, "a.two: declared by its lab, but no file registers"));
  auto extra = gb::app::registry_problems(declared, {{"a.one", draw_nothing}, {"a.two", draw_other}, {"a.three", draw_other}});
  REQUIRE(extra.size() == 1);
  CHECK(contains(extra, "a.three: a draw function is registered (GB_PANEL), but no lab declares"));
  auto twice = gb::app::registry_problems(declared, {{"a.one", draw_nothing}, {"a.one", draw_other}, {"a.two", draw_other}});
  CHECK(contains(twice, "a.one: 2 files register"));
}
