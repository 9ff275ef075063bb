// Legend placement: a legend never covers data or tick labels. It takes a corner of the plot area that no
// data crosses and that it fits inside; otherwise it goes outside the plot, in rows above it.
#include <doctest/doctest.h>

#include <cstddef>
#include <vector>

#include "app/widgets/legend_place.hpp"

using namespace gb::ui;

namespace {
// A horizontal line across the whole plot at height y, a point every 4 px (what plots.cpp records).
void add_hline(std::vector<LegendPt>& occ, const LegendBox& plot, float y) {
  for (float x = plot.x0; x <= plot.x1; x += 4) occ.push_back({x, y});
}
bool covers_any(const LegendBox& b, const std::vector<LegendPt>& occ) {
  for (const LegendPt& p : occ)
    if (b.contains(p)) return true;
  return false;
}
}  // namespace

TEST_CASE("legend: the first free corner, never one the data crosses") {
  const LegendBox plot{100, 50, 500, 350};
  std::vector<LegendPt> occ;
  // a falling curve from the top left to the bottom right: the top right and bottom left are free
  for (float x = 100; x <= 500; x += 4) occ.push_back({x, 50 + (x - 100) * 0.75f});
  int c = legend_free_corner(plot, 120, 60, 8, occ);
  CHECK(c == 0);  // top right
  CHECK_FALSE(covers_any(legend_corner_box(plot, c, 120, 60, 8), occ));
  // a horizontal line near the top (a loss settling high) also crosses the top corners: bottom left is free
  add_hline(occ, plot, 80);
  c = legend_free_corner(plot, 120, 60, 8, occ);
  CHECK(c == 3);
  const LegendBox b = legend_corner_box(plot, c, 120, 60, 8);
  CHECK_FALSE(covers_any(b, occ));
  CHECK(b.x0 >= plot.x0);
  CHECK(b.y1 <= plot.y1);
}

TEST_CASE("legend: when every corner is crossed (balance lines across the plot), it goes outside") {
  // The GAN losses panel: D and G loss curves plus the two horizontal balance lines, 2 log 2 and log 2.
  const LegendBox plot{80, 40, 480, 200};
  std::vector<LegendPt> occ;
  add_hline(occ, plot, 60);   // high line through both top corners
  add_hline(occ, plot, 185);  // low line through both bottom corners
  for (float x = 80; x <= 480; x += 4) occ.push_back({x, float(120 + 10 * ((int(x) / 8) % 2))});
  // the old rule (fewest covered points) would still have put the legend on the data
  CHECK(legend_free_corner(plot, 150, 90, 8, occ) == -1);
}

TEST_CASE("legend: a legend larger than the plot (scale 2) never sticks out over the tick labels") {
  const LegendBox plot{160, 40, 360, 140};  // a small plot: 200 × 100 px; tick labels are left of x = 160
  const std::vector<LegendPt> none;         // no data at all, every corner is empty…
  CHECK(legend_free_corner(plot, 230, 60, 8, none) == -1);  // …but 230 px does not fit in 200 px
  CHECK(legend_free_corner(plot, 150, 90, 8, none) == -1);  // nor 90 + 2·8 px in 100 px
  CHECK(legend_free_corner(plot, 150, 60, 8, none) == 0);
}

TEST_CASE("legend rows outside the plot: entries side by side, wrapping, inside the strip's width") {
  const std::vector<float> widths = {90, 90, 160, 140};
  const auto rows = legend_rows(widths, 300, 20, 10);
  REQUIRE(rows.size() == 4);
  CHECK(rows[0].y0 == 0);
  CHECK(rows[1].y0 == 0);  // 90 + 10 + 90 fits in 300
  CHECK(rows[1].x0 == 100);
  CHECK(rows[2].y0 == 20);  // 200 + 160 does not: next row
  CHECK(rows[2].x0 == 0);
  CHECK(rows[3].y0 == 40);
  for (const LegendBox& r : rows) CHECK(r.x1 <= 300);
  for (std::size_t i = 0; i < rows.size(); ++i)
    for (std::size_t j = i + 1; j < rows.size(); ++j) CHECK_FALSE(rows[i].overlaps(rows[j]));
  CHECK(legend_rows_height(rows) == 60);
  // The strip sits above the plot area: shifted up by its height it cannot overlap the plot below it.
  const LegendBox plot{80, 100, 380, 260};
  for (const LegendBox& r : rows) {
    const LegendBox placed{plot.x0 + r.x0, plot.y0 - 60 + r.y0, plot.x0 + r.x1, plot.y0 - 60 + r.y1};
    CHECK_FALSE(placed.overlaps(plot));
    CHECK(placed.x0 >= plot.x0);  // not over the y tick labels on the left
  }
}
