// VAE latent map: 2000 test pictures encoded by the 2D VAE, each drawn at its μ = (μ1, μ2) and coloured by
// its class, over the prior N(0, I) drawn as rings at 1, 2 and 3 standard deviations. Hover a point: its
// σ ellipse (where q(z|x) puts most of its mass) and the picture itself. The empty places between the
// clusters are the "holes": latents no training picture maps to.
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
#include "core/idx.hpp"
#include "core/i18n.hpp"

namespace gb::app {

namespace {
struct MapView {
  int solo = -1;  // class shown alone (−1: all), from a click on the legend
  // The 2000 markers as one texture, re-rasterised only when what they show changes (key: data, size, highlight).
  uint64_t key = 0;
  int w = 0, h = 0;
  std::vector<ImU32> pixels;
};
MapView g_map;
}  // namespace

void draw_vae_map(PanelContext& ctx) {
  VaeLab* lab = vae_lab(ctx);
  if (!lab || !vae_map_ready(*lab)) return;
  const VaeMap& m = lab->map();
  if (m.count == 0) {
    note(tr("No map: it needs the Fashion-MNIST test images and a VAE with a 2D latent. %s"), lab->load_message().c_str());
    return;
  }
  const float em = ImGui::GetFontSize();
  ui::text_wrappedf(tr("Each dot is one test picture squeezed by the encoder into two numbers, its centre μ = (μ1, μ2). Rings: the prior N(0, I) at 1, 2 and 3 σ. Hover a dot."));
  const int hl = vae_class_legend(g_map.solo);
  if (hl >= 0 && ImGui::IsMouseClicked(ImGuiMouseButton_Left)) g_map.solo = g_map.solo == hl ? -1 : hl;
  if (g_map.solo >= 0) {
    ImGui::SameLine();
    if (ImGui::SmallButton(tr("show all"))) g_map.solo = -1;
  }
  const ImVec2 mg = plane_margin();
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float side = std::max(6 * em, std::min(avail.x - mg.x - em, avail.y - mg.y - 2.6f * ImGui::GetTextLineHeightWithSpacing()));
  // The long axis titles only when they fit along the square (the vertical one would run over the text above).
  const bool long_titles = ImGui::CalcTextSize(tr("z2 (second latent number)")).x < side;
  Plane p = plane_begin("##vae.map", side, m.lo, m.hi, long_titles ? tr("z1 (first latent number)") : "z1",
                        long_titles ? tr("z2 (second latent number)") : "z2");
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float unit = side / (m.hi - m.lo);
  for (int r = 1; r <= 3; ++r)
    dl->AddCircle(p.px(0, 0), unit * float(r), ImGui::GetColorU32(ImGuiCol_Text, 0.45f - 0.1f * float(r)), 64, 1.5f);
  const float rad = std::max(2.5f, 0.2f * em);  // big enough to tell the class's marker shape
  int nearest = -1;
  float best = (0.6f * em) * (0.6f * em);
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  // [SECTION] the markers: one texture the size of the plane (shape and colour: the class)
  const ImVec2 corner = p.px(m.lo, m.hi), bottom_right = p.px(m.hi, m.lo);
  const ImVec2 top_left(std::floor(corner.x), std::floor(corner.y));  // texels on whole pixels
  const int tw = std::max(1, int(std::lround(bottom_right.x - top_left.x))), th = std::max(1, int(std::lround(bottom_right.y - top_left.y)));
  uint64_t key = 1469598103934665603ull;
  auto mix = [&key](const void* d, size_t n) {
    for (size_t i = 0; i < n; ++i) key = (key ^ static_cast<const unsigned char*>(d)[i]) * 1099511628211ull;
  };
  const int state[4] = {tw, th, hl, g_map.solo};
  mix(state, sizeof state);
  mix(&rad, sizeof rad);
  const float range[2] = {m.lo, m.hi};
  mix(range, sizeof range);
  mix(&m.version, sizeof m.version);  // new encodings (another model, a live-trained one) get a new version
  mix(&m.count, sizeof m.count);
  for (int c = 0; c < kFashionClasses; ++c) {
    const ImU32 col = vae_class_colour(c, 0.85f);  // the theme's colours
    mix(&col, sizeof col);
  }
  if (key != g_map.key) {
    std::vector<ui::MarkerPoint> pts;
    pts.reserve(size_t(m.count));
    for (int i = 0; i < m.count; ++i) {
      const int c = m.labels[size_t(i)];
      if (g_map.solo >= 0 && c != g_map.solo) continue;
      const ImVec2 q = p.px(m.mu[size_t(i) * 2], m.mu[size_t(i) * 2 + 1]);
      pts.push_back({q.x - top_left.x, q.y - top_left.y, c, vae_class_colour(c, hl >= 0 && hl != c ? 0.25f : 0.85f)});
    }
    ui::rasterise_markers(g_map.pixels, tw, th, pts, rad);
    g_map.key = key, g_map.w = tw, g_map.h = th;
  }
  if (ImTextureID tex = ui::rgba_texture("vae.map.markers", g_map.pixels.data(), g_map.w, g_map.h, false, g_map.key))
    dl->AddImage(tex, top_left, ImVec2(top_left.x + float(g_map.w), top_left.y + float(g_map.h)));
  for (int i = 0; i < m.count; ++i) {
    const int c = m.labels[size_t(i)];
    if (g_map.solo >= 0 && c != g_map.solo) continue;
    const ImVec2 q = p.px(m.mu[size_t(i) * 2], m.mu[size_t(i) * 2 + 1]);
    if (p.hovered) {
      const float d = (q.x - mouse.x) * (q.x - mouse.x) + (q.y - mouse.y) * (q.y - mouse.y);
      if (d < best) {
        best = d;
        nearest = i;
      }
    }
  }
  if (nearest >= 0) {
    const float mx = m.mu[size_t(nearest) * 2], my = m.mu[size_t(nearest) * 2 + 1];
    const float sx = m.sigma[size_t(nearest) * 2], sy = m.sigma[size_t(nearest) * 2 + 1];
    // the σ ellipse (axis-aligned: q(z|x) has a diagonal covariance), drawn as a polygon
    ImVec2 pts[48];
    for (int k = 0; k < 48; ++k) {
      const float a = 6.2831853f * float(k) / 48;
      pts[k] = p.px(mx + sx * std::cos(a), my + sy * std::sin(a));
    }
    dl->AddPolyline(pts, 48, IM_COL32(255, 255, 255, 230), ImDrawFlags_Closed, 2.0f);
    dl->AddCircle(p.px(mx, my), rad + 2, IM_COL32(0, 0, 0, 255), 12, 2.0f);
  }
  plane_end(p);
  // The true ends of both axes, where the round ticks leave them unlabelled (a small plane gets only "0").
  {
    const auto ticks = ui::nice_ticks(m.lo, m.hi, std::max(3, int(side / (3.5f * em))));
    const float near = 0.15f * (m.hi - m.lo);
    for (float end : {m.lo, m.hi}) {
      bool covered = false;
      for (double t : ticks) covered |= std::fabs(float(t) - end) < near;
      if (covered) continue;
      const std::string s = ui::format_number("%g", end);
      const ImVec2 ts = ImGui::CalcTextSize(s.c_str());
      const ImVec2 bx = p.px(end, m.lo), ly = p.px(m.lo, end);
      dl->AddLine(bx, ImVec2(bx.x, bx.y + 0.3f * em), ui::axis_colour());
      dl->AddText(ImVec2(bx.x - ts.x / 2, bx.y + 0.3f * em), ui::axis_colour(), s.c_str());
      dl->AddLine(ImVec2(ly.x - 0.3f * em, ly.y), ly, ui::axis_colour());
      dl->AddText(ImVec2(ly.x - 0.4f * em - ts.x, ly.y - ts.y / 2), ui::axis_colour(), s.c_str());
    }
  }
  if (nearest >= 0 && lab->test_images()) {
    const int c = m.labels[size_t(nearest)];
    char buf[768];
    std::snprintf(buf, sizeof buf,
                  tr("test picture %d: %s\nμ = (%.3f, %.3f)   centre of q(z|x)\nσ = (%.3f, %.3f)   spread (the white ellipse)\nclick: send it through the VAE (One picture panel)"),
                  nearest, fashion_class(c), m.mu[size_t(nearest) * 2], m.mu[size_t(nearest) * 2 + 1],
                  m.sigma[size_t(nearest) * 2], m.sigma[size_t(nearest) * 2 + 1]);
    vae_image_tooltip("vae.map.hover", lab->test_images()->image(nearest), buf);
    if (p.clicked) ctx.run("vae image " + std::to_string(nearest));
  } else if (p.hovered) {
    ImGui::SetTooltip(tr("z = (%.2f, %.2f)\n%.2f standard deviations from the prior's centre"), p.mx, p.my, std::hypot(p.mx, p.my));
  }
  note(tr("Model: %s. Axes: z1, z2 from %g to %g. Gaps between the clouds are latents no picture maps to: decode one and you get a mix or a smudge."), lab->map_source().c_str(), double(m.lo), double(m.hi));
}

GB_PANEL("vae.map", draw_vae_map);

}  // namespace gb::app
