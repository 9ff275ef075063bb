// Small drawing helpers shared by the widgets: nice axis ticks, number formatting, vertical text,
// text truncation and the series palette.
#pragma once
#include <string>
#include <vector>

#include <imgui.h>

namespace gb::ui {

// Up to about `max_ticks` round values (1, 2, 5 × 10^k steps) inside [lo, hi].
std::vector<double> nice_ticks(double lo, double hi, int max_ticks);
// Powers of ten inside [lo, hi] (both > 0), thinned to at most max_ticks.
std::vector<double> log_ticks(double lo, double hi, int max_ticks);

std::string format_number(const char* fmt, double v);

// Cuts `text` to fit `width` pixels with the current font, ending in "…" when cut.
std::string fit_text(const std::string& text, float width);

// Breaks `text` into lines no wider than `width` pixels at spaces only (existing newlines are kept). ImGui's own
// wrapping also breaks after '.' and ',', which splits numbers ("0." / "5") and formulas mid-number. A word
// wider than `width` gets a line of its own.
std::string wrap_at_spaces(const std::string& text, float width);
// ImGui::TextWrapped with wrap_at_spaces (same wrap position: the window's edge or PushTextWrapPos).
void text_wrapped(const char* text);
void text_wrappedf(const char* fmt, ...) IM_FMTARGS(1);  // printf-style

// Makes a label safe to draw on one line (newline → "\n", tab → "\t", other control chars → "?").
std::string one_line(const std::string& text);

// Draws text reading bottom-to-top. `bottom_left` is the bottom-left corner of the rotated text's
// box: it covers x in [bottom_left.x, bottom_left.x + font size] and y in [bottom_left.y - width, bottom_left.y].
void add_text_vertical(ImDrawList* dl, ImVec2 bottom_left, ImU32 col, const char* text);

// SameLine() when an item `width` pixels wide still fits on the current line, else a new line
// (so rows of controls wrap at presenter scale instead of running off the window's edge).
void same_line_if_fits(float width);
// The width of a labelled widget: its frame plus the spacing and the label text.
float labelled_width(float frame_width, const char* label);

// Text the panels show may hold characters the UI font lacks (Chinese, Japanese, Korean…). Passing such text here
// asks the shell to add those characters from a fallback font before the next frame (the first frame shows "?").
// Cheap for text the font already covers. Only characters never asked for before are queued.
void want_glyphs(const char* text, const char* text_end = nullptr);
inline void want_glyphs(const std::string& text) { want_glyphs(text.data(), text.data() + text.size()); }
// The characters asked for since the last call (the shell rebuilds its fonts with them).
std::vector<ImWchar> take_wanted_glyphs();

// Marker shapes, so classes and kinds of points differ by shape as well as colour (for colour-blind viewers and
// grey-scale printouts): 0 disc, 1 square, 2 triangle, 3 diamond, 4 triangle down, 5 cross ×, 6 plus +, 7 ring,
// 8 hollow square, 9 hollow triangle (then again from 0). `r` is the half-size in pixels.
void draw_marker(ImDrawList* dl, ImVec2 centre, float r, int shape, ImU32 colour);
// A legend swatch: the marker at the start of a line of text (call before the text; it reserves 1 em).
void legend_marker(int shape, ImU32 colour);
// Where the model's tokens are shown (token chips, probabilities): one line in the current language saying that the
// model is English and its tokens are shown as they are, not translated. english_model_text() is that line's text
// (for a tooltip); english_model_note() draws it dim and wrapped (nothing in English, where it goes without saying).
const char* english_model_text();
void english_model_note();

// Colour-blind-safe palette (Okabe–Ito) for series i.
ImU32 series_colour(int i);

// Theme-aware colours for plots.
ImU32 axis_colour();   // axes, ticks, labels
ImU32 grid_colour();   // faint grid lines
ImU32 plot_bg_colour();

}  // namespace gb::ui
