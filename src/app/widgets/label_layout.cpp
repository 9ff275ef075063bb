// Pure layout arithmetic for the widgets: label picking by priority and slider value positions.
#include "app/widgets/label_layout.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace gb::ui {

std::vector<int> pick_labels(const std::vector<float>& centre, float extent, const std::vector<int>& priority,
                             const std::vector<int>& keep) {
  const int n = int(centre.size());
  std::vector<char> kept(size_t(n), 0);
  std::vector<float> placed;  // centres already taken
  for (int k : keep)
    if (k >= 0 && k < n && !kept[size_t(k)]) kept[size_t(k)] = 1, placed.push_back(centre[size_t(k)]);
  std::vector<int> order(static_cast<size_t>(n));
  std::iota(order.begin(), order.end(), 0);
  auto prio = [&](int i) { return size_t(i) < priority.size() ? priority[size_t(i)] : 0; };
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return prio(a) > prio(b); });
  const float need = extent * (1.0f - 1e-4f);  // exactly `extent` apart still fits
  for (int i : order) {
    if (kept[size_t(i)]) continue;
    bool clear = std::none_of(placed.begin(), placed.end(), [&](float c) { return std::abs(c - centre[size_t(i)]) < need; });
    if (clear) kept[size_t(i)] = 1, placed.push_back(centre[size_t(i)]);
  }
  std::vector<int> out;
  for (int i = 0; i < n; ++i)
    if (kept[size_t(i)]) out.push_back(i);
  return out;
}

std::vector<int> pick_labels_even(int n, float slot, float extent, const std::vector<int>& keep,
                                  const std::vector<int>& priority) {
  std::vector<float> c(size_t(std::max(n, 0)));
  for (int i = 0; i < n; ++i) c[size_t(i)] = (float(i) + 0.5f) * slot;
  return pick_labels(c, extent, priority, keep);
}

float slider_value_x(float frame_x, float frame_w, float grab_min, float lo, float hi, float v) {
  const float pad = 2.0f;  // Dear ImGui's grab_padding
  const float usable = std::max(frame_w - 2 * pad, 0.0f);
  const float grab = std::min(grab_min, usable);
  float t = hi != lo ? (v - lo) / (hi - lo) : 0.0f;
  t = std::clamp(t, 0.0f, 1.0f);
  return frame_x + pad + grab / 2 + t * (usable - grab);
}

}  // namespace gb::ui
