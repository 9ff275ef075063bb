// Lesson panels: one line per panel (draw functions in lessons*.cpp).
#include "app/panels/registry.hpp"

namespace gb::app {

void draw_lessons(PanelContext& ctx);

std::vector<PanelDef> lesson_panel_defs() {
  return {
      {"lessons", draw_lessons},
  };
}

}  // namespace gb::app
