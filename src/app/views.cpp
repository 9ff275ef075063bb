// Named views: workspace names, lessons, the widget gallery and panel ids.
#include "app/views.hpp"

#include <algorithm>

namespace gb::app {

std::vector<std::string> view_names(const Session& session) {
  std::vector<std::string> v = session.workspaces();
  v.push_back("lessons");
  v.push_back("widgets");
  for (auto& p : session.all_panels())
    if (p.id != "lessons") v.push_back(p.id);
  return v;
}

std::string join(const std::vector<std::string>& words) {
  std::string s;
  for (auto& x : words) s += (s.empty() ? "" : ", ") + x;
  return s;
}

bool is_workspace(const Session& session, const std::string& name) {
  return std::find(session.workspaces().begin(), session.workspaces().end(), name) != session.workspaces().end();
}

int tile_capacity(float width, float height, float em, float gap) {
  const int cols = std::max(1, int((width + gap) / (kTileMinWidthEm * em + gap)));
  const int rows = std::max(1, int((height + gap) / (kTileMinHeightEm * em + gap)));
  return cols * rows;
}

std::vector<TileRect> tile_layout(int n, float width, float height, float em, float gap) {
  std::vector<TileRect> out;
  if (n <= 0) return out;
  // How readable a cell of w × h is: the smaller of its width and height over the readable minimum.
  auto score = [&](float w, float h) { return std::min(w / (kTileMinWidthEm * em), h / (kTileMinHeightEm * em)); };
  const float half_w = (width - gap) / 2, half_h = (height - gap) / 2;
  if (n == 1) return {{0, 0, width, height}};
  if (n == 2) {
    if (score(half_w, height) >= score(width, half_h)) return {{0, 0, half_w, height}, {half_w + gap, 0, half_w, height}};
    return {{0, 0, width, half_h}, {0, half_h + gap, width, half_h}};
  }
  if (n == 3) {
    const float third_w = (width - 2 * gap) / 3, third_h = (height - 2 * gap) / 3;
    const float column = score(half_w, half_h), row = score(third_w, height), stack = score(width, third_h);
    if (row > column && row >= stack)
      return {{0, 0, third_w, height}, {third_w + gap, 0, third_w, height}, {2 * (third_w + gap), 0, third_w, height}};
    if (stack > column)
      return {{0, 0, width, third_h}, {0, third_h + gap, width, third_h}, {0, 2 * (third_h + gap), width, third_h}};
    return {{0, 0, half_w, height}, {half_w + gap, 0, half_w, half_h}, {half_w + gap, half_h + gap, half_w, half_h}};
  }
  int best_cols = 1;
  float best = -1;
  for (int c = 1; c <= n; ++c) {
    const int r = (n + c - 1) / c;
    const float s = score((width - gap * float(c - 1)) / float(c), (height - gap * float(r - 1)) / float(r));
    if (s > best + 1e-4f) best = s, best_cols = c;
  }
  const int cols = best_cols, rows = (n + cols - 1) / cols;
  const float ch = (height - gap * float(rows - 1)) / float(rows);
  for (int r = 0; r < rows; ++r) {
    const int in_row = std::min(cols, n - r * cols);  // the last row's cells widen to fill it
    const float cw = (width - gap * float(in_row - 1)) / float(in_row);
    for (int c = 0; c < in_row; ++c) out.push_back({float(c) * (cw + gap), float(r) * (ch + gap), cw, ch});
  }
  return out;
}

bool plan_view(const Session& session, const std::string& view, ViewPlan& plan) {
  plan = ViewPlan{};
  if (view == "widgets") {
    plan.widget_gallery = true;
    plan.commands = {"workspace transformer"};
    return true;
  }
  if (view == "lessons") {
    plan.commands = {"workspace transformer", "open lessons"};
    return true;
  }
  auto panels = session.all_panels();
  if (is_workspace(session, view)) {
    plan.commands.push_back("workspace " + view);
    // Every default panel opens; the shell tiles as many as stay readable and lists the rest above them.
    for (auto& id : session.default_panels(view)) plan.commands.push_back("open " + id);
    return true;
  }
  auto dot = view.find('.');
  if (dot == std::string::npos || !session.has_panel(view)) return false;
  plan.commands = {"workspace " + view.substr(0, dot), "open " + view};
  return true;
}

}  // namespace gb::app
