// Label picking and slider positions (app/widgets/label_layout).
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "app/widgets/label_layout.hpp"

using namespace gb::ui;

namespace {
bool has(const std::vector<int>& v, int x) { return std::find(v.begin(), v.end(), x) != v.end(); }
}  // namespace

TEST_CASE("pick_labels_even: all labels when they fit") {
  CHECK(pick_labels_even(5, 20, 16) == std::vector<int>{0, 1, 2, 3, 4});
}

TEST_CASE("pick_labels_even never drops a kept (highlighted) label") {
  // Six rows of 0.6 em with 1 em labels: "every other" drew rows 0, 2, 4 and dropped the highlighted row 5.
  auto p = pick_labels_even(6, 12, 20, {5});
  CHECK(has(p, 5));
  CHECK(!has(p, 4));  // too close to the kept row
  for (int odd : {1, 3}) CHECK(!has(p, odd) == (has(p, odd - 1)));
  // No two drawn labels overlap.
  for (size_t i = 1; i < p.size(); ++i) CHECK((p[i] - p[i - 1]) * 12 >= 20);
  // Row 3 (the full stop of "Mia found a kitten. She") kept too.
  auto q = pick_labels_even(6, 12, 20, {3, 5});
  CHECK(has(q, 3));
  CHECK(has(q, 5));
  CHECK(has(q, 0));
  CHECK(!has(q, 4));
  CHECK(!has(q, 2));
}

TEST_CASE("pick_labels: higher priority wins a contested place") {
  std::vector<float> c = {0, 10, 20, 30};
  // Equal priorities: thinned from the start.
  CHECK(pick_labels(c, 15) == std::vector<int>{0, 2});
  // Label 1 matters more: it takes the place of 0 and 2.
  CHECK(pick_labels(c, 15, {0, 5, 0, 0}) == std::vector<int>{1, 3});
  // Kept beats priority.
  CHECK(pick_labels(c, 15, {0, 5, 0, 0}, {2}) == std::vector<int>{0, 2});
}

TEST_CASE("slider_value_x puts T = 1 where Dear ImGui draws the grab for T = 1") {
  // A 300 px temperature slider over [0.05, 3] with 12 px grabs: the grab centre runs from 2 + 6 to 300 - 2 - 6.
  const float x = slider_value_x(100, 300, 12, 0.05f, 3.0f, 1.0f);
  CHECK(x == doctest::Approx(100 + 8 + (0.95 / 2.95) * 284).epsilon(1e-5));
  // The bug: the mark sat at T ≈ 1.6–1.9; here T = 1 is left of the middle of the frame.
  CHECK(x < 100 + 150);
  CHECK(slider_value_x(100, 300, 12, 0.05f, 3.0f, 0.05f) == doctest::Approx(108));
  CHECK(slider_value_x(100, 300, 12, 0.05f, 3.0f, 3.0f) == doctest::Approx(392));
  CHECK(slider_value_x(100, 300, 12, 0.05f, 3.0f, 9.0f) == doctest::Approx(392));  // clamped like the slider
}
