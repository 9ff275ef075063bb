// Helpers shared by the diffusion panels (see diffusion_common.hpp).
#include "app/panels/diffusion_common.hpp"

#include <algorithm>
#include <cmath>

#include "app/panels/transformer_inspect.hpp"
#include "app/widgets/draw_util.hpp"
#include "core/idx.hpp"

namespace gb::app {

DiffusionLab* diffusion_lab(PanelContext& ctx) {
  for (Lab* l : ctx.session.labs())
    if (auto* d = dynamic_cast<DiffusionLab*>(l)) return d;
  return nullptr;
}

bool diffusion_ready(DiffusionLab* lab) {
  if (!lab) {
    note("This session has no diffusion lab.");
    return false;
  }
  std::string err;
  if (!lab->ensure_model(err) || !lab->sampler()) {
    accent_text("No diffusion model is loaded.");
    note("%s", err.empty() ? "The model could not be loaded." : err.c_str());
    return false;
  }
  return true;
}

CommandResult diffusion_run(PanelContext& ctx, const std::string& cmd) { return ctx.run("diffusion " + cmd); }

const char* diffusion_class_name(int label) {
  return label >= 0 && label < kFashionClasses ? kFashionClassNames[label] : "no class";
}

ui::HeatmapHover diffusion_image(const char* id, const float* x, float side, Colormap map, float lo, float hi,
                                 const char* value_name) {
  ui::HeatmapOptions o;
  o.map = map;
  o.lo = lo;
  o.hi = hi;
  o.row_name = "pixel row";
  o.col_name = "pixel column";
  o.value_name = value_name;
  o.value_format = "%.3f";
  o.size = ImVec2(side, side);
  return ui::heatmap(id, x, 28, 28, o);
}

void diffusion_thumbnail(const std::string& key, const float* x, ImVec2 p0, float side, float lo, float hi) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImTextureID tex = ui::colormap_texture(key, x, 28, 28, Colormap::grey, lo, hi);
  ImVec2 p1(p0.x + side, p0.y + side);
  if (tex) dl->AddImage(tex, p0, p1);
  else dl->AddRectFilled(p0, p1, ui::plot_bg_colour());
}

void diffusion_points_thumbnail(const float* xy, int n, ImVec2 p0, ImVec2 size, float lim, ImU32 col) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddRectFilled(p0, ImVec2(p0.x + size.x, p0.y + size.y), ui::plot_bg_colour());
  const float s = std::min(size.x, size.y) / (2 * lim);
  const ImVec2 c(p0.x + size.x / 2, p0.y + size.y / 2);
  const float r = std::max(1.0f, 0.012f * std::min(size.x, size.y));
  for (int i = 0; i < n; ++i) {
    float px = c.x + xy[2 * i] * s, py = c.y - xy[2 * i + 1] * s;
    if (px < p0.x || py < p0.y || px > p0.x + size.x || py > p0.y + size.y) continue;
    dl->AddRectFilled(ImVec2(px - r, py - r), ImVec2(px + r, py + r), col);
  }
}

void diffusion_grey_legend() {
  const float em = ImGui::GetFontSize();
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted("colour scale: \xe2\x88\x92" "1 (background)");
  ImGui::SameLine();
  const ImVec2 p0 = ImGui::GetCursorScreenPos();
  const float w = 8 * em, h = 0.9f * em;
  const float y = p0.y + (ImGui::GetFrameHeight() - h) / 2;
  ImGui::GetWindowDrawList()->AddRectFilledMultiColor(ImVec2(p0.x, y), ImVec2(p0.x + w, y + h), IM_COL32(0, 0, 0, 255),
                                                      IM_COL32(255, 255, 255, 255), IM_COL32(255, 255, 255, 255),
                                                      IM_COL32(0, 0, 0, 255));
  ImGui::GetWindowDrawList()->AddRect(ImVec2(p0.x, y), ImVec2(p0.x + w, y + h), ui::axis_colour());
  ImGui::Dummy(ImVec2(w, ImGui::GetFrameHeight()));
  const bool hovered = ImGui::IsItemHovered();
  ImGui::SameLine();
  ImGui::TextUnformatted("+1 (ink)");
  if (hovered || ImGui::IsItemHovered())
    ImGui::SetTooltip("Pixel values in model space: \xe2\x88\x92" "1 = black background (byte 0), +1 = white (byte 255).\n"
                      "Noisy pictures go beyond \xe2\x88\x92" "1 \xe2\x80\xa6 1; those pixels are shown black or white.");
}

int diffusion_byte(float v) { return std::clamp(int(std::lround((v + 1.0f) * 127.5f)), 0, 255); }

}  // namespace gb::app
