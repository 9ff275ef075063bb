// 2D GAN latent map: the generator G turns a point z of the latent plane into a point G(z) of the
// data plane. Left: a regular grid of latents (coloured cells); right: the same grid after G, warped,
// drawn over the real data (faint). Hover a grid node on either side to see both ends of the mapping.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

#include <imgui.h>

#include "app/panels/gan_common.hpp"
#include "app/panels/registry.hpp"
#include "app/panels/transformer_inspect.hpp"
#include "app/widgets/draw_util.hpp"
#include "app/widgets/heatmap.hpp"
#include "core/i18n.hpp"

namespace gb::app {

namespace {
// Cell colour from its latent position: hue around the circle by angle, paler near the centre.
ImU32 latent_colour(float u, float v, float alpha) {
  const float a = std::atan2(v - 0.5f, u - 0.5f), rr = std::min(1.0f, 2 * std::hypot(u - 0.5f, v - 0.5f));
  float h = (a + 3.14159265f) / (2 * 3.14159265f);
  float r, g, b;
  ImGui::ColorConvertHSVtoRGB(h, 0.25f + 0.6f * rr, 0.95f, r, g, b);
  return ImGui::ColorConvertFloat4ToU32(ImVec4(r, g, b, alpha));
}
}  // namespace

void draw_gan_latent(PanelContext& ctx) {
  GanLab* lab = gan_lab(ctx);
  if (!lab) return;
  const float em = ImGui::GetFontSize();
  const Gan2dView& v = lab->view2d();
  const int R = v.grid_res;
  if (R < 2 || v.grid.size() != size_t(R) * R * 2) {
    note(tr("No latent grid yet."));
    return;
  }
  const int z_dim = lab->toy().config().z_dim;
  ui::text_wrappedf(tr("The generator G is a function from a latent plane z = (z1, z2) to the data plane. Each coloured cell on the left lands where the same colour is on the right."));
  if (z_dim > 2) note(tr("(G has %d latent numbers; the grid varies the first two and keeps the others at 0.)"), z_dim);

  const ImVec2 m = plane_margin();
  ImVec2 avail = ImGui::GetContentRegionAvail();
  const float arrow_w = 2.6f * em;
  const float reserve_below = 2.5f * ImGui::GetTextLineHeightWithSpacing();
  // Two planes and the arrow side by side, with the spacing between them and room for the last tick label.
  const float spacing = 2 * ImGui::GetStyle().ItemSpacing.x + 0.8f * em;
  float side = std::min((avail.x - 2 * m.x - arrow_w - spacing) / 2, avail.y - m.y - reserve_below);
  side = std::max(side, 5 * em);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float E = v.grid_extent;
  auto node = [&](int i, int j) { return &v.grid[(size_t(j) * R + i) * 2]; };
  auto zval = [&](int i) { return -E + 2 * E * float(i) / float(R - 1); };

  // [SECTION] left: the latent grid
  Plane a = plane_begin("##latent", side, -E, E, tr("z1 (latent)"), tr("z2 (latent)"));
  {
    // The cells as one (R−1, R−1) picture, one texel a cell (row 0 at the top: z2 = E), coloured once per size.
    static std::vector<ImU32> cells;
    cells.resize(size_t(R - 1) * size_t(R - 1));
    for (int j = 0; j + 1 < R; ++j)
      for (int i = 0; i + 1 < R; ++i)
        cells[size_t(R - 2 - j) * size_t(R - 1) + size_t(i)] =
            latent_colour((float(i) + 0.5f) / float(R - 1), (float(j) + 0.5f) / float(R - 1), 0.9f);
    if (ImTextureID tex = ui::rgba_texture("gan.latent.cells", cells.data(), R - 1, R - 1, false, uint64_t(R)))
      dl->AddImage(tex, a.px(-E, E), a.px(E, -E));
  }
  for (int i = 0; i < R; ++i) {
    dl->AddLine(a.px(zval(i), -E), a.px(zval(i), E), IM_COL32(40, 40, 40, 160));
    dl->AddLine(a.px(-E, zval(i)), a.px(E, zval(i)), IM_COL32(40, 40, 40, 160));
  }
  int hi = -1, hj = -1;
  auto nearest_latent = [&](const Plane& p) {
    const float step = 2 * E / float(R - 1);
    hi = std::clamp(int(std::lround((p.mx + E) / step)), 0, R - 1);
    hj = std::clamp(int(std::lround((p.my + E) / step)), 0, R - 1);
  };
  if (a.hovered) nearest_latent(a);
  plane_end(a);

  // [SECTION] the arrow between
  ImGui::SameLine(0, 0);
  {
    ImVec2 c = ImGui::GetCursorScreenPos();
    float y = c.y + 0.3f * em + side / 2;
    dl->AddLine(ImVec2(c.x + 0.3f * em, y), ImVec2(c.x + arrow_w - 0.3f * em, y), ui::axis_colour(), 2.0f);
    dl->AddTriangleFilled(ImVec2(c.x + arrow_w - 0.2f * em, y), ImVec2(c.x + arrow_w - 0.7f * em, y - 0.35f * em),
                          ImVec2(c.x + arrow_w - 0.7f * em, y + 0.35f * em), ui::axis_colour());
    ImVec2 ts = ImGui::CalcTextSize("G");
    dl->AddText(ImVec2(c.x + (arrow_w - ts.x) / 2, y - ts.y - 0.2f * em), ui::axis_colour(), "G");
    ImGui::Dummy(ImVec2(arrow_w, side));
  }
  ImGui::SameLine(0, 0);

  // [SECTION] right: the warped grid over the real data
  Plane b = plane_begin("##warped", side, v.lo, v.hi, tr("x1 (data)"), tr("x2 (data)"));
  for (size_t i = 0; i + 1 < v.real.size(); i += 2) {
    ui::draw_marker(dl, b.px(v.real[i], v.real[i + 1]), std::max(1.5f, 0.14f * em), 0, IM_COL32(0, 150, 90, 110));
  }
  // The warped cells without anti-aliased edges (4 vertices a cell instead of 8): the grid lines drawn over them
  // cover the edges.
  const ImDrawListFlags flags = dl->Flags;
  dl->Flags &= ~ImDrawListFlags_AntiAliasedFill;
  for (int j = 0; j + 1 < R; ++j)
    for (int i = 0; i + 1 < R; ++i) {
      ImU32 c = latent_colour((float(i) + 0.5f) / float(R - 1), (float(j) + 0.5f) / float(R - 1), 0.55f);
      const float *p00 = node(i, j), *p10 = node(i + 1, j), *p11 = node(i + 1, j + 1), *p01 = node(i, j + 1);
      dl->AddQuadFilled(b.px(p00[0], p00[1]), b.px(p10[0], p10[1]), b.px(p11[0], p11[1]), b.px(p01[0], p01[1]), c);
    }
  dl->Flags = flags;
  // Each grid line of constant z2 (then z1) as one polyline: 2 vertices a node instead of 4 a segment.
  const ImU32 line = IM_COL32(230, 230, 230, 170);
  std::vector<ImVec2> pts(static_cast<size_t>(R));
  for (int across = 0; across < 2; ++across)
    for (int j = 0; j < R; ++j) {
      for (int i = 0; i < R; ++i) {
        const float* p = across ? node(j, i) : node(i, j);
        pts[size_t(i)] = b.px(p[0], p[1]);
      }
      dl->AddPolyline(pts.data(), R, line, 0, 1.0f);
    }
  if (b.hovered) {
    // nearest warped node
    float best = 1e30f;
    for (int j = 0; j < R; ++j)
      for (int i = 0; i < R; ++i) {
        const float* p = node(i, j);
        float d = (p[0] - b.mx) * (p[0] - b.mx) + (p[1] - b.my) * (p[1] - b.my);
        if (d < best) best = d, hi = i, hj = j;
      }
  }
  if (hi >= 0) {
    const float* p = node(hi, hj);
    dl->AddCircle(b.px(p[0], p[1]), 0.4f * em, IM_COL32(255, 255, 255, 255), 16, 2.0f);
  }
  plane_end(b);
  if (hi >= 0) {
    dl->AddCircle(a.px(zval(hi), zval(hj)), 0.4f * em, IM_COL32(255, 255, 255, 255), 16, 2.0f);
    const float* p = node(hi, hj);
    ImGui::SetTooltip(tr("latent z = (%.3f, %.3f)%s\nG(z) = (%.4f, %.4f)\ngrid node (%d, %d) of %d × %d"), zval(hi), zval(hj),
                      z_dim > 2 ? tr(", other latent numbers 0") : "", p[0], p[1], hi, hj, R, R);
  }
  note(tr("Dots behind: real data. Latents are drawn from a standard normal distribution, so most of G's points come from the middle of the grid (|z| < 2); stretched cells are where G spreads few latents over a large area, folded or squeezed ones where it piles many into a small one."));
}

GB_PANEL("gan.latent", draw_gan_latent);

}  // namespace gb::app
