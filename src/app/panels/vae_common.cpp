// Shared VAE panel helpers: lab lookup, class colours and legend, images, hoverable numbers.
#include "app/panels/vae_common.hpp"

#include <cstdio>

#include "app/panels/gan_common.hpp"
#include "app/panels/transformer_inspect.hpp"
#include "app/widgets/draw_util.hpp"
#include "core/idx.hpp"
#include "core/i18n.hpp"

namespace gb::app {

VaeLab* vae_lab(PanelContext& ctx) {
  auto* lab = dynamic_cast<VaeLab*>(&ctx.session.lab("vae"));
  if (!lab) {
    note(tr("This session has no VAE lab."));
    return nullptr;
  }
  lab->ensure_loaded();
  return lab;
}

bool vae_map_ready(const VaeLab& lab) {
  if (lab.has_map_model()) return true;
  accent_text(tr("No 2D VAE is loaded."));
  note("%s", lab.load_message().empty() ? tr("Load one with `vae load shipped` or `vae load FILE`.") : lab.load_message().c_str());
  return false;
}

bool vae_cond_ready(const VaeLab& lab) {
  if (lab.has_cond_model()) return true;
  accent_text(tr("No conditional VAE is loaded."));
  note("%s", lab.load_message().empty() ? tr("Load one with `vae load shipped` or `vae load FILE`.") : lab.load_message().c_str());
  return false;
}

ImU32 vae_class_colour(int c, float alpha) {
  // Ten hues chosen to stay apart (the Okabe–Ito eight plus two), readable on dark and light backgrounds.
  static const unsigned char rgb[10][3] = {{230, 159, 0},  {86, 180, 233},  {0, 158, 115},   {240, 228, 66}, {0, 114, 178},
                                           {213, 94, 0},   {204, 121, 167}, {150, 150, 150}, {120, 200, 90}, {170, 110, 240}};
  const auto& k = rgb[(c % 10 + 10) % 10];
  return IM_COL32(k[0], k[1], k[2], int(255 * alpha));
}

int vae_class_legend(int highlight) {
  const float em = ImGui::GetFontSize();
  int hovered = -1;
  for (int c = 0; c < kFashionClasses; ++c) {
    const float w = 1.2f * em + ImGui::CalcTextSize(fashion_class(c)).x + 0.8f * em;
    if (c > 0) same_line_if_fits(w);
    ImGui::BeginGroup();
    const ImVec2 p = ImGui::GetCursorScreenPos();
    const float fade = highlight >= 0 && highlight != c ? 0.45f : 1.0f;
    ui::draw_marker(ImGui::GetWindowDrawList(), ImVec2(p.x + 0.45f * em, p.y + 0.55f * em), 0.35f * em, c, vae_class_colour(c, fade));  // shape = class
    ImGui::Dummy(ImVec2(0.9f * em, em));
    ImGui::SameLine(0, 0.2f * em);
    ImGui::TextUnformatted(fashion_class(c));
    ImGui::EndGroup();
    if (ImGui::IsItemHovered()) {
      hovered = c;
      ImGui::SetTooltip(tr("class %d: %s"), c, fashion_class(c));
    }
  }
  return hovered;
}

bool vae_image(const std::string& key, const uint8_t* image, float side, bool outlined) {
  return gan_image(key, image, side, outlined);
}

void vae_image_tooltip(const std::string& key, const uint8_t* image, const char* text) {
  ImGui::BeginTooltip();
  vae_image(key + ".tip", image, 6 * ImGui::GetFontSize());
  ImGui::TextUnformatted(text);
  ImGui::EndTooltip();
}

void vae_number(const char* name, double value, const char* format, const char* help) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, value);
  ImGui::TextUnformatted(name);
  ImGui::SameLine(0, 0.3f * ImGui::GetFontSize());
  ImGui::TextUnformatted(buf);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s = %.6g\n%s", name, value, help);
}

}  // namespace gb::app
