// Placeholder for the lessons panel (the lessons runner replaces this file's contents).
#include "app/panels/placeholder_text.hpp"
#include "app/panels/registry.hpp"

namespace gb::app {

void draw_lessons(PanelContext& ctx) {
  draw_placeholder(ctx, "Lessons",
                   "Short guided lessons will appear in this column. A lesson is a Markdown file in lessons/ "
                   "whose action blocks drive the app: they open panels, point at what to look at and set "
                   "values, exactly as you could by hand.",
                   {"A list of lessons, each a few minutes long.",
                    "Step-by-step text with Next and Back, and buttons that run the lesson's actions.",
                    "Highlights that draw your eye to the panel being discussed."});
}

}  // namespace gb::app
