// Token chips: layout with wrapping, hover and click.
#include "app/panels/transformer_chips.hpp"

#include <algorithm>
#include <cmath>

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
    ImU32 bg = c.bg ? c.bg : ImGui::GetColorU32(ImGuiCol_FrameBg);
    if (c.dim) bg = (bg & 0x00FFFFFF) | (0x50u << 24);
    dl->AddRectFilled(p0, p1, bg, 0.2f * em);
    ImU32 fg = c.fg ? c.fg : text_colour_on(bg);
    if (c.dim) fg = ImGui::GetColorU32(ImGuiCol_TextDisabled);
    dl->PushClipRect(p0, p1, true);
    dl->AddText(ImVec2(p0.x + pad_x, p0.y + pad_y), fg, text.c_str());
    dl->PopClipRect();
    bool hov = window_hovered && mouse.x >= p0.x && mouse.x < p1.x && mouse.y >= p0.y && mouse.y < p1.y;
    if (c.outline || hov) dl->AddRect(p0, p1, hov ? ImGui::GetColorU32(ImGuiCol_Text) : accent, 0.2f * em, 0, 0.15f * em);
    if (hov) {
      h.hovered = int(i);
      if (ImGui::IsMouseClicked(ImGuiMouseButton_Left)) h.clicked = int(i);
    }
    x += w + gap;
    if (text.size() >= 3 && text.compare(text.size() - 3, 3, "\xe2\x86\xb5") == 0) {  // ↵ ends the line
      x = 0;
      y += line_h;
    }
  }
  if (!chips.empty()) y += line_h;
  ImGui::Dummy(ImVec2(width, std::max(y, 1.0f)));
  if (mono) ImGui::PopFont();
  ImGui::PopID();
  return h;
}

}  // namespace gb::app
