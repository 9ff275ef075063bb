// Shared drawing helpers for the widgets.
#include "app/widgets/draw_util.hpp"
#include "app/widgets/heatmap.hpp"
#include "core/i18n.hpp"

#include <imgui_internal.h>  // ImTextCharFromUtf8

#include <algorithm>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <unordered_set>

namespace gb::ui {

std::vector<double> nice_ticks(double lo, double hi, int max_ticks) {
  std::vector<double> t;
  if (!(hi > lo) || !std::isfinite(lo) || !std::isfinite(hi) || max_ticks < 1) return t;
  double raw = (hi - lo) / max_ticks;
  double mag = std::pow(10.0, std::floor(std::log10(raw)));
  double step = mag;
  for (double m : {1.0, 2.0, 5.0, 10.0}) {
    step = m * mag;
    if (step >= raw) break;
  }
  double first = std::ceil(lo / step - 1e-9) * step;
  for (double v = first; v <= hi + step * 1e-9; v += step) t.push_back(std::abs(v) < step * 1e-9 ? 0.0 : v);
  return t;
}

std::vector<double> log_ticks(double lo, double hi, int max_ticks) {
  std::vector<double> t;
  if (!(lo > 0) || !(hi > lo)) return t;
  int a = int(std::ceil(std::log10(lo) - 1e-9)), b = int(std::floor(std::log10(hi) + 1e-9));
  int every = std::max(1, (b - a + 1 + max_ticks - 1) / std::max(1, max_ticks));
  for (int k = a; k <= b; k += every) t.push_back(std::pow(10.0, k));
  return t;
}

std::string format_number(const char* fmt, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, fmt, v);
  return buf;
}

std::string fit_text(const std::string& text, float width) {
  if (ImGui::CalcTextSize(text.c_str()).x <= width) return text;
  const char* ell = "\xE2\x80\xA6";  // …
  float ell_w = ImGui::CalcTextSize(ell).x;
  std::string s = text;
  while (!s.empty()) {
    // drop one UTF-8 character
    size_t n = s.size() - 1;
    while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
    s.resize(n);
    if (ImGui::CalcTextSize(s.c_str()).x + ell_w <= width) break;
  }
  return s + ell;
}

std::string wrap_at_spaces(const std::string& text, float width) {
  std::string out;
  size_t line_start = 0;  // in `out`
  size_t i = 0;
  while (i < text.size()) {
    if (text[i] == '\n') {
      out += '\n';
      line_start = out.size();
      ++i;
      continue;
    }
    // the next word with the spaces before it
    size_t j = i;
    while (j < text.size() && text[j] == ' ') ++j;
    size_t k = j;
    while (k < text.size() && text[k] != ' ' && text[k] != '\n') ++k;
    const std::string spaces = text.substr(i, j - i), word = text.substr(j, k - j);
    const std::string candidate = out.substr(line_start) + spaces + word;
    if (out.size() > line_start && ImGui::CalcTextSize(candidate.c_str()).x > width) {
      out += '\n';  // the spaces at the break are dropped
      line_start = out.size();
      out += word;
    } else {
      out += spaces + word;
    }
    i = k;
  }
  return out;
}

void text_wrapped(const char* text) {
  ImGuiWindow* w = ImGui::GetCurrentWindow();
  const float wrap_pos = w->DC.TextWrapPos < 0 ? 0.0f : w->DC.TextWrapPos;
  const float width = std::max(ImGui::GetFontSize(), ImGui::CalcWrapWidthForPos(w->DC.CursorPos, wrap_pos));
  ImGui::TextUnformatted(wrap_at_spaces(text, width).c_str());
}

void text_wrappedf(const char* fmt, ...) {
  char buf[2048];
  va_list args;
  va_start(args, fmt);
  std::vsnprintf(buf, sizeof buf, fmt, args);
  va_end(args);
  text_wrapped(buf);
}

std::string one_line(const std::string& text) {
  std::string s;
  for (char c : text) {
    if (c == '\n') s += "\\n";
    else if (c == '\t') s += "\\t";
    else if (static_cast<unsigned char>(c) < 0x20) s += '?';
    else s += c;
  }
  return s;
}

void add_text_vertical(ImDrawList* dl, ImVec2 bottom_left, ImU32 col, const char* text) {
  // Draw horizontally with the glyph tops at `bottom_left`, then rotate every new vertex by -90°
  // around it: (dx, dy) → (dy, -dx), so +x (reading direction) becomes up.
  int first = dl->VtxBuffer.Size;
  dl->AddText(bottom_left, col, text);
  for (int i = first; i < dl->VtxBuffer.Size; ++i) {
    ImVec2& p = dl->VtxBuffer[i].pos;
    float dx = p.x - bottom_left.x, dy = p.y - bottom_left.y;
    p = ImVec2(bottom_left.x + dy, bottom_left.y - dx);
  }
}

void draw_marker(ImDrawList* dl, ImVec2 c, float r, int shape, ImU32 colour) {
  // Small markers (scatter points: hundreds a frame) as one sprite quad each; big ones (exports at 4×) as geometry.
  ImVec2 uv0, uv1;
  if (r <= 16.0f) {
    if (ImTextureID tex = marker_sprite(shape, uv0, uv1)) {
      const float e = kMarkerSpriteExtent * r;
      dl->AddImage(tex, ImVec2(c.x - e, c.y - e), ImVec2(c.x + e, c.y + e), uv0, uv1, colour);
      return;
    }
  }
  const float t = std::max(1.0f, 0.45f * r);  // line width of the open shapes
  auto tri = [&](float dir, bool filled) {  // dir −1: pointing up, +1: down
    const ImVec2 a(c.x, c.y + dir * 1.15f * r), b(c.x - r, c.y - dir * 0.85f * r), d(c.x + r, c.y - dir * 0.85f * r);
    if (filled) dl->AddTriangleFilled(a, b, d, colour);
    else dl->AddTriangle(a, b, d, colour, t);
  };
  switch (((shape % 10) + 10) % 10) {
    case 0: dl->AddCircleFilled(c, r, colour, 12); break;
    case 1: dl->AddRectFilled(ImVec2(c.x - 0.85f * r, c.y - 0.85f * r), ImVec2(c.x + 0.85f * r, c.y + 0.85f * r), colour); break;
    case 2: tri(-1, true); break;
    case 3:
      dl->AddQuadFilled(ImVec2(c.x, c.y - 1.2f * r), ImVec2(c.x + 1.2f * r, c.y), ImVec2(c.x, c.y + 1.2f * r), ImVec2(c.x - 1.2f * r, c.y), colour);
      break;
    case 4: tri(+1, true); break;
    case 5:
      dl->AddLine(ImVec2(c.x - r, c.y - r), ImVec2(c.x + r, c.y + r), colour, t);
      dl->AddLine(ImVec2(c.x - r, c.y + r), ImVec2(c.x + r, c.y - r), colour, t);
      break;
    case 6:
      dl->AddLine(ImVec2(c.x - 1.2f * r, c.y), ImVec2(c.x + 1.2f * r, c.y), colour, t);
      dl->AddLine(ImVec2(c.x, c.y - 1.2f * r), ImVec2(c.x, c.y + 1.2f * r), colour, t);
      break;
    case 7: dl->AddCircle(c, r - 0.5f * t, colour, 12, t); break;
    case 8: dl->AddRect(ImVec2(c.x - 0.85f * r, c.y - 0.85f * r), ImVec2(c.x + 0.85f * r, c.y + 0.85f * r), colour, 0, 0, t); break;
    default: tri(-1, false); break;
  }
}

void legend_marker(int shape, ImU32 colour) {
  const float em = ImGui::GetFontSize();
  const ImVec2 p = ImGui::GetCursorScreenPos();
  draw_marker(ImGui::GetWindowDrawList(), ImVec2(p.x + 0.45f * em, p.y + 0.55f * em), 0.33f * em, shape, colour);
  ImGui::Dummy(ImVec2(0.9f * em, em));
  ImGui::SameLine(0, 0.2f * em);
}

ImU32 series_colour(int i) {
  static const ImU32 k[] = {IM_COL32(230, 159, 0, 255),  IM_COL32(86, 180, 233, 255), IM_COL32(0, 158, 115, 255),
                            IM_COL32(213, 94, 0, 255),   IM_COL32(204, 121, 167, 255), IM_COL32(0, 114, 178, 255),
                            IM_COL32(240, 228, 66, 255)};
  return k[((i % 7) + 7) % 7];
}

ImU32 axis_colour() { return ImGui::GetColorU32(ImGuiCol_Text); }
ImU32 grid_colour() { return ImGui::GetColorU32(ImGuiCol_Text, 0.13f); }
ImU32 plot_bg_colour() { return ImGui::GetColorU32(ImGuiCol_FrameBg, 0.6f); }

void same_line_if_fits(float width) {
  const float x = ImGui::GetItemRectMax().x + ImGui::GetStyle().ItemSpacing.x;
  const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
  if (x + width <= right) ImGui::SameLine();
}

float labelled_width(float frame_width, const char* label) {
  return frame_width + ImGui::GetStyle().ItemInnerSpacing.x + ImGui::CalcTextSize(label).x;
}

// [SECTION] glyphs the font lacks

namespace {
std::unordered_set<unsigned> g_asked;  // every character ever queued (so a character no font has is asked once)
std::vector<ImWchar> g_wanted;         // queued since the last take_wanted_glyphs()
}  // namespace

void want_glyphs(const char* text, const char* text_end) {
  if (!text) return;
  if (!text_end) text_end = text + std::strlen(text);
  ImFont* font = ImGui::GetCurrentContext() ? ImGui::GetFont() : nullptr;
  while (text < text_end) {
    unsigned c = 0;
    int n = ImTextCharFromUtf8(&c, text, text_end);
    if (n <= 0) break;
    text += n;
    if (c < 0x2E80 || c > 0xFFFF) continue;  // scripts below CJK are in the main font; ImWchar is 16 bits here
    if (font && font->FindGlyphNoFallback(ImWchar(c))) continue;
    if (g_asked.insert(c).second) g_wanted.push_back(ImWchar(c));
  }
}

std::vector<ImWchar> take_wanted_glyphs() {
  std::vector<ImWchar> out;
  out.swap(g_wanted);
  return out;
}

const char* english_model_text() {
  return tr("The model learned English: its tokens are shown as they are, untranslated.");
}

void english_model_note() {
  if (language() == "en") return;
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  text_wrapped(english_model_text());
  ImGui::PopStyleColor();
}

}  // namespace gb::ui
