// Markdown drawn with ImGui: styled runs of words laid out by hand (see markdown.hpp).
#include "app/widgets/markdown.hpp"

#include <algorithm>
#include <cmath>

#include "core/utf8.hpp"

namespace gb::ui {

// [SECTION] Inline runs

void md_flatten(const MdNode& n, int style, std::vector<MdRun>& out) {
  using K = MdNode::Kind;
  switch (n.kind) {
    case K::text: out.push_back({n.text, style}); return;
    case K::code: out.push_back({n.text, style | kCode}); return;
    case K::soft_break: out.push_back({" ", style}); return;
    case K::hard_break: out.push_back({"\n", style}); return;
    case K::strong: style |= kBold; break;
    case K::emph: style |= kItalic; break;
    case K::link: style |= kLink; break;
    default: break;
  }
  for (auto& c : n.children) md_flatten(c, style, out);
}

// [SECTION] Layout: words, runs, blocks

float MdPainter::width_of(const std::string& s, int style) const {
  ImFont* f = font_for(style);
  return f->CalcTextSizeA(size, 1e9f, 0, s.data(), s.data() + s.size()).x;
}

void MdPainter::word(ImVec2 p, const std::string& s, int style, ImU32 base) const {
  if (!draw || s.empty()) return;
  p = ImVec2(std::floor(p.x + 0.5f), std::floor(p.y + 0.5f));  // whole pixels: even glyphs, even faux bold
  ImFont* f = font_for(style);
  ImU32 col = colour_for(style, base);
  if (style & kCode) {
    float w = width_of(s, style);
    float pad = 2.0f * scale;
    dl->AddRectFilled(ImVec2(p.x - pad * 0.5f, p.y), ImVec2(p.x + w + pad * 0.5f, p.y + size + pad * 0.5f), code_bg,
                      2.0f * scale);
  }
  dl->AddText(f, size, p, col, s.data(), s.data() + s.size());
  if (style & kBold) dl->AddText(f, size, ImVec2(p.x + std::max(1.0f, std::round(0.6f * scale)), p.y), col, s.data(), s.data() + s.size());
  if (style & kLink) {
    float w = width_of(s, style);
    dl->AddLine(ImVec2(p.x, p.y + size), ImVec2(p.x + w, p.y + size), col, std::max(1.0f, scale));
  }
}

float MdPainter::runs(const std::vector<MdRun>& rs, ImVec2 origin, float width, ImU32 base) const {
  float x = 0, y = 0;
  bool line_empty = true;
  auto newline = [&] {
    x = 0;
    y += line_h;
    line_empty = true;
  };
  for (auto& r : rs) {
    if (r.text == "\n") {
      newline();
      continue;
    }
    size_t i = 0;
    const std::string& t = r.text;
    while (i < t.size()) {
      // one token: a word and the spaces after it
      size_t j = i;
      while (j < t.size() && t[j] != ' ') ++j;
      size_t k = j;
      while (k < t.size() && t[k] == ' ') ++k;
      std::string w = t.substr(i, j - i), sp = t.substr(j, k - j);
      i = k;
      if (line_empty && w.empty()) continue;  // no leading spaces on a line
      float ww = width_of(w, r.style);
      if (!line_empty && x + ww > width) newline();
      if (ww > width) {  // a word longer than the line: cut it by characters
        size_t a = 0;
        while (a < w.size()) {
          size_t b = a;
          float cw = 0;
          while (b < w.size()) {
            char32_t cp;
            size_t n = utf8_decode(w, b, cp);
            if (n == 0) n = 1;
            float add = width_of(w.substr(b, n), r.style);
            if (cw + add > width - x && b > a) break;
            cw += add;
            b += n;
          }
          word(ImVec2(origin.x + x, origin.y + y), w.substr(a, b - a), r.style, base);
          x += cw;
          line_empty = false;
          a = b;
          if (a < w.size()) newline();
        }
      } else {
        word(ImVec2(origin.x + x, origin.y + y), w, r.style, base);
        x += ww;
        line_empty = false;
      }
      if (!sp.empty() && !line_empty) x += width_of(sp, r.style & ~kCode);
    }
  }
  return line_empty && x == 0 ? y : y + line_h;
}

float MdPainter::spans(const MdNode& n, ImVec2 origin, float width, ImU32 base, int style) const {
  std::vector<MdRun> rs;
  for (auto& c : n.children) md_flatten(c, style, rs);
  return runs(rs, origin, width, base);
}

float MdPainter::blocks(const MdNode& n, ImVec2 o, float width, ImU32 base, bool tight) const {
  float y = 0;
  const float gap = tight ? 0.15f * size : 0.55f * size;
  for (size_t i = 0; i < n.children.size(); ++i) {
    if (i > 0) y += gap;
    y += block(n.children[i], ImVec2(o.x, o.y + y), width, base);
  }
  return y;
}

float MdPainter::block(const MdNode& b, ImVec2 o, float width, ImU32 base) const {
  using K = MdNode::Kind;
  switch (b.kind) {
    case K::paragraph: return spans(b, o, width, base);
    case K::heading: return spans(b, ImVec2(o.x, o.y + 0.2f * size), width, accent_col, kBold) + 0.2f * size;
    case K::bullet_list:
    case K::ordered_list: {
      float y = 0, indent = 1.3f * size;
      int number = b.kind == K::ordered_list ? std::max(0, b.level) : 0;
      for (size_t i = 0; i < b.children.size(); ++i) {
        if (i > 0) y += 0.2f * size;
        std::string marker = b.kind == K::ordered_list ? std::to_string(number + int(i)) + "." : "\xE2\x80\xA2";
        float mw = width_of(marker, 0);
        if (b.kind == K::ordered_list) indent = std::max(indent, mw + 0.5f * size);
        word(ImVec2(o.x + indent - mw - 0.35f * size, o.y + y), marker, 0, dim_col);
        y += blocks(b.children[i], ImVec2(o.x + indent, o.y + y), width - indent, base, true);
      }
      return y;
    }
    case K::list_item: return blocks(b, o, width, base, true);
    case K::quote: {
      float pad = 0.8f * size;
      float h = blocks(b, ImVec2(o.x + pad, o.y), width - pad, dim_col);
      if (draw) dl->AddRectFilled(o, ImVec2(o.x + 0.25f * size, o.y + h), quote_bar, 0);
      return h;
    }
    case K::code_block: {
      std::vector<std::string> lines;
      size_t p = 0;
      while (p < b.text.size()) {
        size_t e = b.text.find('\n', p);
        if (e == std::string::npos) e = b.text.size();
        lines.push_back(b.text.substr(p, e - p));
        p = e + 1;
      }
      float pad = 0.4f * size;
      float h = float(lines.size()) * line_h + 2 * pad;
      if (draw) {
        dl->AddRectFilled(o, ImVec2(o.x + width, o.y + h), code_bg, 3.0f * scale);
        dl->PushClipRect(o, ImVec2(o.x + width, o.y + h), true);
        for (size_t i = 0; i < lines.size(); ++i)
          dl->AddText(font_for(kCode), size, ImVec2(o.x + pad, o.y + pad + float(i) * line_h), base, lines[i].c_str());
        dl->PopClipRect();
      }
      return h;
    }
    case K::rule:
      if (draw) dl->AddLine(ImVec2(o.x, o.y + 0.5f * size), ImVec2(o.x + width, o.y + 0.5f * size), dim_col, scale);
      return size;
    default: return spans(b, o, width, base);
  }
}

// [SECTION] Entry points

MdPainter md_painter(ImFont* mono_font, float ui_scale) {
  MdPainter p;
  p.dl = ImGui::GetWindowDrawList();
  p.font = ImGui::GetFont();
  p.mono = mono_font;
  p.size = ImGui::GetFontSize();
  p.scale = ui_scale;
  p.line_h = std::round(p.size * 1.3f);
  p.text_col = ImGui::GetColorU32(ImGuiCol_Text);
  p.dim_col = ImGui::GetColorU32(ImGuiCol_TextDisabled);
  p.accent_col = ImGui::GetColorU32(ImGuiCol_PlotLinesHovered);
  p.code_bg = ImGui::GetColorU32(ImGuiCol_FrameBg);
  p.quote_bar = ImGui::GetColorU32(ImGuiCol_Separator);
  return p;
}

void markdown(MdPainter& p, const MdNode& doc, ImU32 col) {
  ImVec2 o = ImGui::GetCursorScreenPos();
  float w = std::max(4.0f * p.size, ImGui::GetContentRegionAvail().x - 0.3f * p.size);
  float h = p.blocks(doc, o, w, col ? col : p.text_col);
  ImGui::Dummy(ImVec2(w, std::max(h, 1.0f)));
}

void wrapped(ImU32 col, const std::string& text) {
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(col));
  ImGui::TextWrapped("%s", text.c_str());
  ImGui::PopStyleColor();
}

ImU32 error_colour() {
  ImVec4 bg = ImGui::GetStyleColorVec4(ImGuiCol_WindowBg);
  bool light = bg.x + bg.y + bg.z > 1.5f;
  return light ? IM_COL32(175, 0, 0, 255) : IM_COL32(255, 110, 100, 255);
}
ImU32 good_colour() {
  ImVec4 bg = ImGui::GetStyleColorVec4(ImGuiCol_WindowBg);
  bool light = bg.x + bg.y + bg.z > 1.5f;
  return light ? IM_COL32(0, 110, 40, 255) : IM_COL32(110, 220, 130, 255);
}


}  // namespace gb::ui
