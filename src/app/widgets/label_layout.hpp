// Pure layout arithmetic for the widgets (no ImGui, so the tests link it without a window): which axis
// labels to draw when not all fit (by priority, the highlighted one never dropped), and where a value sits
// on an ImGui slider (for marks such as "T = 1" under the temperature slider).
#pragma once
#include <vector>

namespace gb::ui {

// Labels at `centre` positions (pixels along the axis, any order) that each need `extent` pixels: the
// indices to draw so that no two drawn labels are closer than `extent`. Higher `priority` wins
// (priority may be empty: all equal); among equal priorities the lower index goes first, so a run of
// equal labels is thinned evenly from the start. Every index in `keep` is drawn whatever its
// neighbours (two kept labels may then overlap each other; nothing else overlaps them). Sorted ascending.
std::vector<int> pick_labels(const std::vector<float>& centre, float extent, const std::vector<int>& priority = {},
                             const std::vector<int>& keep = {});

// The same for n evenly spaced slots of `slot` pixels (row i centred at (i + 0.5)·slot).
std::vector<int> pick_labels_even(int n, float slot, float extent, const std::vector<int>& keep = {},
                                  const std::vector<int>& priority = {});

// The x of the centre of an ImGui slider's grab when the slider shows value v of [lo, hi] (linear),
// for a frame starting at frame_x, frame_w wide, with style.GrabMinSize `grab_min` (Dear ImGui
// 1.86 SliderBehavior: 2 px padding each side, the grab's centre runs over the rest).
float slider_value_x(float frame_x, float frame_w, float grab_min, float lo, float hi, float v);

}  // namespace gb::ui
