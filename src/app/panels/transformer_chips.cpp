// Token chips: layout with wrapping, hover and click.
#include "core/i18n.hpp"
#include "app/panels/transformer_chips.hpp"

#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

#include "app/panels/transformer_inspect.hpp"
#include "app/widgets/draw_util.hpp"

namespace gb::app {

ImU32 probability_colour(float p) {
  p = std::clamp(std::isfinite(p) ? p : 0.0f, 0.0f, 1.0f);
  // Perceptual ramp from deep red (unlikely) through amber to green (likely), by √p so small
  // probabilities still differ.
  float t = std::sqrt(p);
  float r = t < 0.5f ? 0.75f : 0.75f - (t - 0.5f) * 1.1f;
  float g = t < 0.5f ? 0.15f + t * 1.1f : 0.70f;
  float b = 0.15f;
  return ImGui::GetColorU32(ImVec4(r, g, b, 1.0f));
}

float probability_legend(const char* id, float width) {
  ImGui::PushID(id);
  const float em = ImGui::GetFontSize();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const char* title = tr("generated, by probability when chosen");
  // The title left of the bar, or above it when the bar would be shorter than 8 em (a narrow panel).
  const bool above = ImGui::CalcTextSize(title).x + 0.5f * em + 8 * em + 1.8f * em > width;
  const float title_w = above ? 0.0f : ImGui::CalcTextSize(title).x + 0.5f * em;
  // Above the bar, the title wraps when it is wider than the legend (presenter scale beside the "prompt" box).
  const std::string shown = above ? ui::wrap_at_spaces(title, width) : title;
  const float title_h = above ? ImGui::CalcTextSize(shown.c_str()).y + ImGui::GetStyle().ItemSpacing.y : 0.0f;
  ImVec2 o = ImGui::GetCursorScreenPos();
  const float bar_h = 0.7f * em, pad = 0.9f * em;  // pad: half a tick label sticks out at each end
  dl->AddText(ImVec2(o.x, o.y), ui::axis_colour(), shown.c_str());
  o.y += title_h;
  const float x0 = o.x + title_w + pad, x1 = std::max(o.x + width - pad, x0 + 6 * em);
  const int steps = 48;
  for (int i = 0; i < steps; ++i) {
    float a = float(i) / steps, b = float(i + 1) / steps, mid = (a + b) / 2;
    dl->AddRectFilled(ImVec2(x0 + a * (x1 - x0), o.y), ImVec2(x0 + b * (x1 - x0) + 0.5f, o.y + bar_h),
                      probability_colour(mid * mid));  // x is √p
  }
  dl->AddRect(ImVec2(x0, o.y), ImVec2(x1, o.y + bar_h), ui::axis_colour());
  std::vector<std::pair<float, const char*>> ticks = {{0.0f, "0"}, {0.01f, "1%"}, {0.1f, "10%"}, {0.25f, "25%"},
                                                      {0.5f, "50%"}, {1.0f, "100%"}};
  float last_right = -1e9f;
  for (auto& [p, t] : ticks) {
    float x = x0 + std::sqrt(p) * (x1 - x0), w = ImGui::CalcTextSize(t).x;
    dl->AddLine(ImVec2(x, o.y + bar_h), ImVec2(x, o.y + bar_h + 0.25f * em), ui::axis_colour());
    if (x - w / 2 < last_right + 0.3f * em) continue;  // no overlapping tick labels in a narrow panel
    dl->AddText(ImVec2(x - w / 2, o.y + bar_h + 0.2f * em), ui::axis_colour(), t);
    last_right = x + w / 2;
  }
  ImGui::Dummy(ImVec2(width, title_h + bar_h + 1.25f * em));
  if (ImGui::IsItemHovered()) {
    float m = std::clamp((ImGui::GetIO().MousePos.x - x0) / (x1 - x0), 0.0f, 1.0f);
    ImGui::SetTooltip(tr("A generated token's colour is the probability it had when it was drawn (after temperature, top-k and top-p): here %.1f%%. Red: an unlikely token was drawn; green: the model was confident. The scale is stretched at the bottom (by the square root) so small probabilities still differ."),
                      100.0 * m * m);
  }
  ImGui::PopID();
  return title_h + bar_h + 1.25f * em;
}

void chip_rect(ImDrawList* dl, ImVec2 a, ImVec2 b, ImU32 col, float r) {
  r = std::max(0.0f, std::min(r, 0.5f * std::min(b.x - a.x, b.y - a.y)));
  const float k = r * (1.0f - 0.70710678f);  // the corner's midpoint, 45° round the arc
  const ImVec2 pts[12] = {{a.x + r, a.y}, {b.x - r, a.y}, {b.x - k, a.y + k}, {b.x, a.y + r}, {b.x, b.y - r}, {b.x - k, b.y - k},
                          {b.x - r, b.y}, {a.x + r, b.y}, {a.x + k, b.y - k}, {a.x, b.y - r}, {a.x, a.y + r}, {a.x + k, a.y + k}};
  const ImDrawListFlags flags = dl->Flags;
  dl->Flags &= ~ImDrawListFlags_AntiAliasedFill;
  dl->AddConvexPolyFilled(pts, 12, col);
  dl->Flags = flags;
}

ChipHover chip_flow(const char* id, const std::vector<Chip>& chips, ImFont* mono) {
  ChipHover h;
  ImGui::PushID(id);
  if (mono) ImGui::PushFont(mono);
  const float em = ImGui::GetFontSize();
  const float pad_x = 0.25f * em, pad_y = 0.12f * em, gap = 0.18f * em;
  const float line_h = em + 2 * pad_y + gap;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImVec2 origin = ImGui::GetCursorScreenPos();
  float width = std::max(ImGui::GetContentRegionAvail().x, 4 * em);
  float x = 0, y = 0;
  ImVec2 mouse = ImGui::GetIO().MousePos;
  bool window_hovered = ImGui::IsWindowHovered(ImGuiHoveredFlags_AllowWhenBlockedByActiveItem);
  ImU32 accent = ImGui::GetColorU32(ImGuiCol_PlotLinesHovered);
  auto advance = [&](const std::string& text, float w) {
    x += w + gap;
    if (text.size() >= 3 && text.compare(text.size() - 3, 3, "\xe2\x86\xb5") == 0) {  // ↵ ends the line
      x = 0;
      y += line_h;
    }
  };
  for (size_t i = 0; i < chips.size(); ++i) {
    const Chip& c = chips[i];
    std::string text = c.text.empty() ? " " : c.text;
    ui::want_glyphs(text);
    float w = ImGui::CalcTextSize(text.c_str()).x + 2 * pad_x;
    w = std::min(w, width);
    if (x > 0 && x + w > width) {
      x = 0;
      y += line_h;
    }
    ImVec2 p0(origin.x + x, origin.y + y), p1(p0.x + w, p0.y + em + 2 * pad_y);
    // Chips scrolled out of the window still take their place in the flow, but draw nothing (ImGui does not cull
    // draw-list shapes: a long text emitted every chip of it every frame).
    if (!ImGui::IsRectVisible(p0, p1)) {
      advance(text, w);
      continue;
    }
    ImU32 bg = c.bg ? c.bg : ImGui::GetColorU32(ImGuiCol_FrameBg);
    if (c.dim) bg = (bg & 0x00FFFFFF) | (0x50u << 24);
    chip_rect(dl, p0, p1, bg, 0.2f * em);
    ImU32 fg = c.fg ? c.fg : text_colour_on(bg);
    if (c.dim) fg = ImGui::GetColorU32(ImGuiCol_TextDisabled);
    // Only a chip cut to the line's width clips its text (per glyph, without a draw command of its own).
    const ImVec4 clip(p0.x, p0.y, p1.x, p1.y);
    dl->AddText(ImGui::GetFont(), em, ImVec2(p0.x + pad_x, p0.y + pad_y), fg, text.c_str(), nullptr, 0.0f,
                w >= width ? &clip : nullptr);
    bool hov = window_hovered && mouse.x >= p0.x && mouse.x < p1.x && mouse.y >= p0.y && mouse.y < p1.y;
    if (c.outline || hov) dl->AddRect(p0, p1, hov ? ImGui::GetColorU32(ImGuiCol_Text) : accent, 0.2f * em, 0, 0.15f * em);
    if (hov) {
      h.hovered = int(i);
      if (ImGui::IsMouseClicked(ImGuiMouseButton_Left)) h.clicked = int(i);
    }
    advance(text, w);
  }
  if (!chips.empty()) y += line_h;
  ImGui::Dummy(ImVec2(width, std::max(y, 1.0f)));
  if (mono) ImGui::PopFont();
  ImGui::PopID();
  return h;
}

}  // namespace gb::app
