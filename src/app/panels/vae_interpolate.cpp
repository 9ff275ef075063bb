// Walk between two pictures: the straight line between their latents z_a and z_b, decoded in 10 steps,
// beside the pixel-space cross-fade (1 − t)·a + t·b of the same two pictures. The latent walk passes through
// clothes; the cross-fade is two pictures on top of each other — why a latent space is worth having.
#include <algorithm>
#include <cstdio>
#include <string>

#include <imgui.h>

#include "app/panels/registry.hpp"
#include "app/panels/transformer_inspect.hpp"
#include "app/panels/vae_common.hpp"
#include "app/widgets/draw_util.hpp"
#include "core/idx.hpp"
#include "core/i18n.hpp"

namespace gb::app {

void draw_vae_interpolate(PanelContext& ctx) {
  VaeLab* lab = vae_lab(ctx);
  if (!lab || !vae_map_ready(*lab)) return;
  const VaeInterp& v = lab->interp();
  const int F = int(v.t.size());
  if (F == 0 || v.latent_line.size() != size_t(F) * 784 || v.labels.size() != 2) {
    note(tr("No walk: it needs the Fashion-MNIST test images. %s"), lab->load_message().c_str());
    return;
  }
  const float em = ImGui::GetFontSize();
  int a = v.a, b = v.b;
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(tr("from test picture"));
  ImGui::SameLine();
  ImGui::SetNextItemWidth(7 * em);
  bool changed = ImGui::InputInt("##a", &a);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip(tr("Picture a (t = 0): %s"), fashion_class(v.labels[0]));
  same_line_if_fits(ImGui::CalcTextSize(tr("to")).x + 8 * em);
  ImGui::TextUnformatted(tr("to"));
  ImGui::SameLine();
  ImGui::SetNextItemWidth(7 * em);
  changed |= ImGui::InputInt("##b", &b);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip(tr("Picture b (t = 1): %s"), fashion_class(v.labels[1]));
  if (changed) ctx.run("vae interpolate " + std::to_string(std::clamp(a, 0, 9999)) + " " + std::to_string(std::clamp(b, 0, 9999)));
  ui::text_wrappedf(tr("%s → %s in %d steps, t = 0 … 1."), fashion_class(v.labels[0]), fashion_class(v.labels[1]), F);

  const float label_w = 9.5f * em;
  const float gap = 0.2f * em;
  const float side = std::clamp((ImGui::GetContentRegionAvail().x - label_w) / float(F) - gap, 1.8f * em, 6 * em);
  auto row = [&](const char* title, const char* tip, const std::vector<uint8_t>& px, bool latent) {
    ImGui::BeginGroup();
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + label_w - 0.5f * em);
    ImGui::TextUnformatted(title);
    ImGui::PopTextWrapPos();
    ImGui::EndGroup();
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tip);
    ImGui::SameLine(label_w);
    for (int f = 0; f < F; ++f) {
      if (f > 0) ImGui::SameLine(0, gap);
      const std::string key = std::string(latent ? "vae.interp.z" : "vae.interp.px") + std::to_string(f);
      if (vae_image(key, &px[size_t(f) * 784], side)) {
        char buf[400];
        if (latent)
          std::snprintf(buf, sizeof buf, tr("t = %.2f\nz = (1 − t)·z_a + t·z_b = (%.3f, %.3f)\ndecoded"), v.t[size_t(f)],
                        v.z[size_t(f) * 2], v.z[size_t(f) * 2 + 1]);
        else
          std::snprintf(buf, sizeof buf, tr("t = %.2f\npixels = %.2f · a + %.2f · b"), v.t[size_t(f)], 1 - v.t[size_t(f)], v.t[size_t(f)]);
        vae_image_tooltip(key, &px[size_t(f) * 784], buf);
      }
    }
  };
  row(tr("Along the latent line (decoded)"), tr("Encode both pictures to their μ, walk the straight line between them, decode each point."),
      v.latent_line, true);
  ImGui::Dummy(ImVec2(1, 0.3f * em));
  row(tr("Pixel cross-fade"), tr("Mix the two pictures' pixels directly: (1 − t)·a + t·b."), v.crossfade, false);
  // t axis under the frames
  ImGui::SetCursorPosX(label_w);
  const ImVec2 p = ImGui::GetCursorScreenPos();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  for (int f = 0; f < F; f += std::max(1, F / 5)) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%.2g", v.t[size_t(f)]);
    dl->AddText(ImVec2(p.x + float(f) * (side + gap) + side / 2 - ImGui::CalcTextSize(buf).x / 2, p.y), ui::axis_colour(), buf);
  }
  ImGui::Dummy(ImVec2(float(F) * (side + gap), ImGui::GetTextLineHeight()));
  ImGui::SetCursorPosX(label_w);
  ImGui::TextDisabled(tr("t (0 = picture a, 1 = picture b)"));
  note(tr("Every frame of the top row is a garment the decoder can draw; the middle frames of the bottom row are two garments on top of each other, which no photo looks like. Model: %s."), lab->map_source().c_str());
}

GB_PANEL("vae.interpolate", draw_vae_interpolate);

}  // namespace gb::app
