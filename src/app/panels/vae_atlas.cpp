// VAE decoder atlas: the latent plane decoded on a 20 × 20 grid (each cell is what the decoder draws for
// the z at its centre), with the same axes as the latent map; drag the cursor over it and the decoder
// draws that z large beside it, with z = (z1, z2) shown.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

#include <imgui.h>

#include "app/panels/gan_common.hpp"
#include "app/panels/registry.hpp"
#include "app/panels/transformer_inspect.hpp"
#include "app/panels/vae_common.hpp"
#include "app/widgets/draw_util.hpp"
#include "app/widgets/heatmap.hpp"
#include "core/i18n.hpp"

namespace gb::app {

void draw_vae_atlas(PanelContext& ctx) {
  VaeLab* lab = vae_lab(ctx);
  if (!lab || !vae_map_ready(*lab)) return;
  const VaeAtlas& a = lab->atlas();
  const int R = a.res;
  if (R <= 0 || a.images.size() != size_t(R) * R * 784) {
    note(tr("No atlas: the loaded VAE does not have a 2D latent."));
    return;
  }
  const float em = ImGui::GetFontSize();
  ui::text_wrappedf(tr("The decoder run on every point of a %d × %d grid over the latent plane. Neighbouring cells look alike: the plane is a smooth map of clothes. Drag over it to decode any z."), R, R);
  const ImVec2 mg = plane_margin();
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float big_w = std::clamp(avail.x * 0.28f, 6 * em, 14 * em);
  const float side = std::max(6 * em, std::min(avail.x - mg.x - big_w - 2 * em, avail.y - mg.y - 2 * ImGui::GetTextLineHeightWithSpacing()));
  // one texture for the whole atlas: (R·28) × (R·28) grey pixels, row 0 at the top
  static std::vector<float> tex;
  static uint64_t tex_version = 0, tex_uploads = 0;  // the atlas's version copied; a count of copies (texture version)
  const int W = R * 28;
  if (tex_version != a.version || tex.size() != size_t(W) * W) {
    tex.assign(size_t(W) * W, 0.0f);
    for (int cell = 0; cell < R * R; ++cell) {
      const int r = cell / R, c = cell % R;
      for (int y = 0; y < 28; ++y)
        for (int x = 0; x < 28; ++x)
          tex[size_t(r * 28 + y) * W + c * 28 + x] = float(a.images[size_t(cell) * 784 + y * 28 + x]) / 255.0f;
    }
    tex_version = a.version;
    ++tex_uploads;
  }
  ImGui::BeginGroup();
  const bool long_titles = ImGui::CalcTextSize(tr("z2 (second latent number)")).x < side;  // else they overrun the square
  Plane p = plane_begin("##vae.atlas", side, a.lo, a.hi, long_titles ? tr("z1 (first latent number)") : "z1",
                        long_titles ? tr("z2 (second latent number)") : "z2");
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddImage(ui::colormap_texture("vae.atlas", tex.data(), W, W, Colormap::grey, 0.0f, 1.0f, false, tex_uploads), p.p0, p.p1);
  const float cz1 = lab->cursor_z1(), cz2 = lab->cursor_z2();
  if (p.inside(cz1, cz2)) {
    const ImVec2 q = p.px(cz1, cz2);
    dl->AddCircle(q, 0.5f * em, IM_COL32(255, 80, 80, 255), 20, 2.5f);
    dl->AddLine(ImVec2(q.x - 0.8f * em, q.y), ImVec2(q.x + 0.8f * em, q.y), IM_COL32(255, 80, 80, 255), 1.5f);
    dl->AddLine(ImVec2(q.x, q.y - 0.8f * em), ImVec2(q.x, q.y + 0.8f * em), IM_COL32(255, 80, 80, 255), 1.5f);
  }
  plane_end(p);
  if (p.hovered) {
    if (ImGui::IsMouseDown(ImGuiMouseButton_Left)) {
      char buf[96];
      std::snprintf(buf, sizeof buf, "vae cursor %.3f %.3f", std::clamp(p.mx, -6.0f, 6.0f), std::clamp(p.my, -6.0f, 6.0f));
      ctx.run(buf);
    }
    const int c = std::clamp(int((p.mx - a.lo) / (a.hi - a.lo) * float(R)), 0, R - 1);
    const int r = std::clamp(int((a.hi - p.my) / (a.hi - a.lo) * float(R)), 0, R - 1);
    const float zc1 = a.lo + (float(c) + 0.5f) * (a.hi - a.lo) / float(R), zc2 = a.hi - (float(r) + 0.5f) * (a.hi - a.lo) / float(R);
    char buf[480];
    std::snprintf(buf, sizeof buf, tr("cell centre z = (%.2f, %.2f)\nmouse z = (%.2f, %.2f)\npress and drag: move the cursor"),
                  zc1, zc2, p.mx, p.my);
    vae_image_tooltip("vae.atlas.hover", &a.images[size_t(r * R + c) * 784], buf);
  }
  ImGui::EndGroup();
  ImGui::SameLine(0, 1.5f * em);
  ImGui::BeginGroup();
  accent_text(tr("The cursor, decoded"));
  const auto& img = lab->cursor_image();
  if (img.size() == 784) {
    vae_image("vae.atlas.cursor", img.data(), big_w, true);
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip(tr("decoder(z) for z = (%.3f, %.3f): each pixel is the probability of ink (sigmoid of the logit)"), cz1, cz2);
  }
  ImGui::Text("z = (%.2f, %.2f)", cz1, cz2);
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip(tr("z1 = %.4f, z2 = %.4f\n%.2f standard deviations from the prior's centre"), cz1, cz2, std::hypot(cz1, cz2));
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + big_w);
  note(tr("Far outside the 3σ ring the decoder was never trained: it extrapolates."));
  ImGui::PopTextWrapPos();
  ImGui::EndGroup();
  note(tr("Grid over z1, z2 from %g to %g (the prior's ±3σ). Model: %s."), double(a.lo), double(a.hi), lab->map_source().c_str());
}

GB_PANEL("vae.atlas", draw_vae_atlas);

}  // namespace gb::app
