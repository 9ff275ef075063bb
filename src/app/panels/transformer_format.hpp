// Pure text for the transformer panels (no ImGui, so the tests link it without a window): worked
// arithmetic printed with enough digits to be right on screen, and token labels whose punctuation
// stays visible ("." and "," drawn as ‹.› ‹,› so a lone dot is not lost at presenter scale).
#pragma once
#include <string>

namespace gb::app {

// "num / denom = p" for p = num / denom, where p is printed with 4 decimals (or 3 significant digits
// below 0.001) and num, denom with the fewest significant digits (at least 4) for which the printed
// num divided by the printed denom rounds to the printed p: "1 / 1.0004 = 0.9996", never "1 / 1 = 0.9996".
// `denom_shown` (may be null) receives the printed denominator, for repeating it earlier in a formula.
std::string worked_division(double num, double denom, std::string* denom_shown = nullptr);

// The printed form of p in worked_division ("0.9996", "0.000123").
std::string format_probability(double p);

// A token label as the panels show it (spaces already ␣, newlines ↵) with lone punctuation made
// visible: a label that is nothing but 1–3 ASCII punctuation characters, after an optional leading
// ␣, is wrapped in ‹ › ("." → "‹.›", "␣," → "␣‹,›"). Anything else is returned unchanged.
std::string visible_punctuation(const std::string& label);

// Colour slot of a slice of the probability strip (slices in token-id order, as the sampler walks them):
// the five most likely candidates (rank 0–4 among those that can be drawn) get slots 0–4 (five distinct
// palette colours), every other slice slot 5 or 6 by the parity of its place in the strip. Two slices
// side by side never share a slot.
int strip_colour_slot(int rank, int position);

}  // namespace gb::app
