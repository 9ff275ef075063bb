// Token chips for the transformer panels: a wrapping row of coloured boxes, one per token, with
// hover and click detection (the caller draws the tooltip).
#pragma once
#include <string>
#include <vector>

#include <imgui.h>

namespace gb::app {

struct Chip {
  std::string text;     // display text (visible spaces/newlines already applied)
  ImU32 bg = 0;         // box colour
  ImU32 fg = 0;         // text colour (0: black or white, whichever reads better)
  bool outline = false; // draw an accent outline (selected / chosen)
  bool dim = false;     // drawn faded (outside the model's window)
};

struct ChipHover {
  int hovered = -1;  // chip under the mouse
  int clicked = -1;  // chip clicked this frame
};

// A filled box with corners cut round in three points each and no anti-aliased fringe: 12 vertices where
// AddRectFilled(..., rounding) takes about 30, and the same at a glance for chip-sized boxes.
void chip_rect(ImDrawList* dl, ImVec2 a, ImVec2 b, ImU32 col, float r);

// Draws chips left to right, wrapping at the available width; a chip whose text ends in "↵" ends
// its line. `mono` (may be null) is the font for chip text.
ChipHover chip_flow(const char* id, const std::vector<Chip>& chips, ImFont* mono);

// Colour for a probability p in [0, 1] (low: dark red, high: bright green), readable under text.
ImU32 probability_colour(float p);

// The legend of probability_colour: a colour bar "probability when chosen" from 0 to 100 % with ticks
// (spaced by √p, as the colours are), `width` pixels wide, its title left of it (above it when narrow) and the
// tick labels under it. Returns its height.
float probability_legend(const char* id, float width);

}  // namespace gb::app
