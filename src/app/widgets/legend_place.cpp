// Legend placement: free corners inside the plot, else rows outside it (see legend_place.hpp).
#include "app/widgets/legend_place.hpp"

#include <algorithm>

namespace gb::ui {

LegendBox legend_corner_box(const LegendBox& plot, int corner, float w, float h, float margin) {
  const bool right = corner == 0 || corner == 2, top = corner == 0 || corner == 1;
  const float x0 = right ? plot.x1 - margin - w : plot.x0 + margin;
  const float y0 = top ? plot.y0 + margin : plot.y1 - margin - h;
  return {x0, y0, x0 + w, y0 + h};
}

int legend_free_corner(const LegendBox& plot, float w, float h, float margin, const std::vector<LegendPt>& occupied) {
  if (w + 2 * margin > plot.x1 - plot.x0 || h + 2 * margin > plot.y1 - plot.y0) return -1;  // would stick out over the ticks
  for (int c = 0; c < 4; ++c) {
    const LegendBox b = legend_corner_box(plot, c, w, h, margin);
    // a few pixels of clearance around the box, so a line running along its edge counts too
    const LegendBox near{b.x0 - 2, b.y0 - 2, b.x1 + 2, b.y1 + 2};
    if (std::none_of(occupied.begin(), occupied.end(), [&](const LegendPt& p) { return near.contains(p); })) return c;
  }
  return -1;
}

std::vector<LegendBox> legend_rows(const std::vector<float>& entry_widths, float width, float row_h, float gap) {
  std::vector<LegendBox> out;
  float x = 0, y = 0;
  for (float w : entry_widths) {
    if (x > 0 && x + w > width) {  // next row
      x = 0;
      y += row_h;
    }
    out.push_back({x, y, x + w, y + row_h});
    x += w + gap;
  }
  return out;
}

float legend_rows_height(const std::vector<LegendBox>& boxes) { return boxes.empty() ? 0 : boxes.back().y1; }

}  // namespace gb::ui
