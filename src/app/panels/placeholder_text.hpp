// Shared look for the placeholder panels: a heading, wrapped paragraphs and a list of what is coming.
#pragma once
#include <initializer_list>

#include "app/panels/panel.hpp"

namespace gb::app {

// Draws: a heading, an explanation, "Coming here:" and one bullet per item, and the lab's status.
void draw_placeholder(PanelContext& ctx, const char* heading, const char* intro,
                      std::initializer_list<const char*> coming);

}  // namespace gb::app
