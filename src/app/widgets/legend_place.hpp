// Where a plot's legend goes, as plain geometry (no ImGui, so tests can check it): in a corner of the plot
// area that no data crosses and that the legend fits inside, else outside the plot, in rows above it.
// A legend never covers curves, points or tick labels.
#pragma once
#include <vector>

namespace gb::ui {

struct LegendPt {
  float x = 0, y = 0;
};
struct LegendBox {
  float x0 = 0, y0 = 0, x1 = 0, y1 = 0;  // screen pixels, y down
  bool contains(LegendPt p) const { return p.x >= x0 && p.x <= x1 && p.y >= y0 && p.y <= y1; }
  bool overlaps(const LegendBox& o) const { return x0 < o.x1 && o.x0 < x1 && y0 < o.y1 && o.y0 < y1; }
};

// The box of a w × h legend in corner `corner` of `plot` (0 top right, 1 top left, 2 bottom right, 3 bottom
// left), `margin` pixels in from the edges.
LegendBox legend_corner_box(const LegendBox& plot, int corner, float w, float h, float margin);

// The first corner (in the order above) whose box fits inside `plot` and holds none of `occupied` (the
// screen positions the data passes through); −1 when there is none (the legend must go outside).
int legend_free_corner(const LegendBox& plot, float w, float h, float margin, const std::vector<LegendPt>& occupied);

// A legend laid out in rows (entries side by side, wrapping) in a strip `width` pixels wide: each entry's box
// relative to the strip's top-left corner, `row_h` high, `gap` apart. The strip's height is the last box's y1.
std::vector<LegendBox> legend_rows(const std::vector<float>& entry_widths, float width, float row_h, float gap);
float legend_rows_height(const std::vector<LegendBox>& boxes);

}  // namespace gb::ui
