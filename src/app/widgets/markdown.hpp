// Markdown drawn with ImGui (1.86 has no rich text): the tree parsed by md4c (gb::MdNode, src/lessons/) laid out
// by hand as runs of styled words — wrapped paragraphs, bold (faux), italic and links (accent colour), inline code
// and code blocks (mono font on a tinted box), bullet and numbered lists, quotes, rules. Used by the lessons panel;
// any panel may draw Markdown with it.
#pragma once
#include <string>
#include <vector>

#include <imgui.h>

#include "lessons/lesson.hpp"

namespace gb::ui {

enum MdStyle : int { kBold = 1, kItalic = 2, kCode = 4, kLink = 8 };

struct MdRun {
  std::string text;  // "\n" = line break
  int style = 0;
};

// The inline content of `n` as styled runs (appended to `out`).
void md_flatten(const MdNode& n, int style, std::vector<MdRun>& out);

// Lays Markdown out from a point, in a width; every function returns the height it used. With draw = false it only
// measures (for a box sized to its text).
struct MdPainter {
  ImDrawList* dl = nullptr;
  ImFont* font = nullptr;
  ImFont* mono = nullptr;
  float size = 13;          // font size in pixels
  float scale = 1;          // ui scale
  float line_h = 16;
  ImU32 text_col = 0, dim_col = 0, accent_col = 0, code_bg = 0, quote_bar = 0;
  bool draw = true;         // false: measure only

  ImFont* font_for(int style) const { return (style & kCode) && mono ? mono : font; }
  float width_of(const std::string& s, int style) const;
  ImU32 colour_for(int style, ImU32 base) const { return (style & (kItalic | kLink)) ? accent_col : base; }
  void word(ImVec2 p, const std::string& s, int style, ImU32 base) const;  // one word, styled
  // Lays out runs in [x, x + width) from y.
  float runs(const std::vector<MdRun>& rs, ImVec2 origin, float width, ImU32 base) const;
  float spans(const MdNode& n, ImVec2 origin, float width, ImU32 base, int style = 0) const;
  // Draws the blocks of `n` (document, list item, quote).
  float blocks(const MdNode& n, ImVec2 o, float width, ImU32 base, bool tight = false) const;
  float block(const MdNode& b, ImVec2 o, float width, ImU32 base) const;
};

// A painter for the current window: its draw list, the current font and the theme's colours.
MdPainter md_painter(ImFont* mono_font, float ui_scale);

// Draws a Markdown tree at the cursor, wrapped to the available width, and moves the cursor below it.
void markdown(MdPainter& p, const MdNode& doc, ImU32 col = 0);

// Plain wrapped text in a colour (errors, notes).
void wrapped(ImU32 col, const std::string& text);
// Red and green that read on the current theme (dark or light background).
ImU32 error_colour();
ImU32 good_colour();

}  // namespace gb::ui
