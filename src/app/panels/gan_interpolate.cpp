// Fashion GAN latent walk: two latent seeds A and B, a slider t that moves the latent from A (t = 0)
// to B (t = 1) along the sphere (slerp), the image at t in large, the strip of frames in between with
// D's probability under each, and D's probability along the walk.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include <imgui.h>

#include "app/panels/gan_common.hpp"
#include "app/panels/registry.hpp"
#include "app/panels/transformer_inspect.hpp"
#include "app/widgets/draw_util.hpp"
#include "app/widgets/plots.hpp"
#include "models/data/fashion_mnist.hpp"
#include "core/i18n.hpp"

namespace gb::app {

bool gan_image_ready(PanelContext& ctx, GanLab& lab);               // gan_samples.cpp
void gan_class_combo(PanelContext& ctx, GanLab& lab, float width);  // gan_samples.cpp

namespace {
std::string fmt_t(float t) {
  char b[32];
  std::snprintf(b, sizeof b, "%.4g", double(t));
  return b;
}
}  // namespace

void draw_gan_interpolate(PanelContext& ctx) {
  GanLab* lab = gan_lab(ctx);
  if (!lab) return;
  if (!gan_image_ready(ctx, *lab)) return;
  const float em = ImGui::GetFontSize();
  const GanImageView& v = lab->image_view();
  const GanStrip& s = lab->strip();

  // [SECTION] controls
  gan_class_combo(ctx, *lab, 9 * em);
  same_line_if_fits(11 * em);
  int a = int(lab->seed_a()), b = int(lab->seed_b());
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(tr("seed A"));
  ImGui::SameLine();
  ImGui::SetNextItemWidth(6.5f * em);
  if (ImGui::InputInt("##seedA", &a)) gan_run(ctx, *lab, "image", "seed " + std::to_string(std::max(0, a)));
  same_line_if_fits(11 * em);
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(tr("seed B"));
  ImGui::SameLine();
  ImGui::SetNextItemWidth(6.5f * em);
  if (ImGui::InputInt("##seedB", &b)) gan_run(ctx, *lab, "image", "seed2 " + std::to_string(std::max(0, b)));
  float t = v.t;
  ImGui::SetNextItemWidth(std::max(10 * em, ImGui::GetContentRegionAvail().x - 4 * em));
  if (ImGui::SliderFloat("t", &t, 0, 1, "t = %.3f")) gan_run(ctx, *lab, "image", "interpolate " + fmt_t(t));
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip(tr("0: the latent of seed A, 1: the latent of seed B; in between, a walk along the sphere (slerp)."));

  // [SECTION] the image at t, large, beside the explanation
  const float big = std::clamp(ImGui::GetContentRegionAvail().y * 0.45f, 5 * em, 16 * em);
  if (!v.image.empty()) {
    ImGui::BeginGroup();
    if (gan_image("gan.interp.big", v.image.data(), big))
      ImGui::SetTooltip(tr("%s at t = %.3f\nD's raw score %.4f, probability real σ(%.4f) = %.4f"), fashion_class(v.label),
                        v.t, v.d_score, v.d_score, v.d_prob);
    ImGui::EndGroup();
    ImGui::SameLine();
    ImGui::BeginGroup();
    ImGui::PushTextWrapPos(0);
    ImGui::Text("%s, t = %.3f", fashion_class(v.label), v.t);
    ImGui::Text(tr("D: probability real %.3f"), v.d_prob);
    double norm = 0;
    for (float x : v.z) norm += double(x) * x;
    ImGui::Text(tr("latent: %zu numbers, length |z| = %.2f"), v.z.size(), std::sqrt(norm));
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip(tr("A standard normal latent of %zu numbers has length about √%zu = %.1f; slerp keeps the walk at that length (a straight line would pass through shorter, untypical latents)."),
                        v.z.size(), v.z.size(), std::sqrt(double(v.z.size())));
    ImGui::PopTextWrapPos();
    ImGui::EndGroup();
  }

  // [SECTION] the strip
  const int F = int(s.t.size());
  if (F > 0 && s.images.size() == size_t(F) * 784) {
    const float gap = 0.25f * em;
    const float side = std::max(2.4f * em, std::min((ImGui::GetContentRegionAvail().x - gap * F) / F, 7 * em));
    note(tr("The walk in %d frames (seed %llu → seed %llu); under each: D's probability real"), F,
         (unsigned long long)s.seed_a, (unsigned long long)s.seed_b);  // wrapped: at scale 2 it is wider than the panel
    ImGui::BeginChild("##strip", ImVec2(0, side + 2.6f * ImGui::GetTextLineHeight()), false, ImGuiWindowFlags_HorizontalScrollbar);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    int hover = -1;
    for (int f = 0; f < F; ++f) {
      if (f > 0) ImGui::SameLine(0, gap);
      ImGui::BeginGroup();
      const bool near = std::fabs(s.t[size_t(f)] - v.t) < 0.5f / float(F - 1);
      if (gan_image("gan.interp." + std::to_string(f), &s.images[size_t(f) * 784], side, near)) hover = f;
      if (ImGui::IsItemClicked()) gan_run(ctx, *lab, "image", "interpolate " + fmt_t(s.t[size_t(f)]));
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.2f", s.d_prob[size_t(f)]);
      ImVec2 ts = ImGui::CalcTextSize(buf);
      ImVec2 p = ImGui::GetCursorScreenPos();
      dl->AddText(ImVec2(p.x + (side - ts.x) / 2, p.y), ui::axis_colour(), buf);
      ImGui::Dummy(ImVec2(side, ImGui::GetTextLineHeight()));
      if (ImGui::IsItemHovered()) hover = f;
      ImGui::EndGroup();
    }
    if (hover >= 0)
      ImGui::SetTooltip(tr("frame %d: t = %.3f\nD's raw score %.4f, probability real %.4f\nclick: move the slider here"), hover,
                        s.t[size_t(hover)], s.d_score[size_t(hover)], s.d_prob[size_t(hover)]);
    ImGui::EndChild();
    // Under the strip, not beside the big picture: there it made the group so tall that at scale 2 the strip and
    // D's numbers under it (what lesson 15 asks about) fell below the panel's edge.
    note(tr("z(t) = sin((1−t)Ω)/sin Ω · z_A + sin(tΩ)/sin Ω · z_B, Ω = the angle between z_A and z_B. The generator turns every z on the way into a picture of the same class."));
    // D's probability along the walk, with the slider's position marked.
    if (ImGui::GetContentRegionAvail().y > 8 * em) {
      ui::PlotOptions po;
      po.size = ImVec2(0, std::min(ImGui::GetContentRegionAvail().y, 14 * em));
      po.x_label = tr("t (0 = seed A, 1 = seed B)");
      po.y_label = tr("D: p(real)");
      po.x_min = 0, po.x_max = 1;
      po.y_min = 0, po.y_max = 1;
      po.marker_x = v.t;
      ui::line_plot("dwalk", {{tr("D's probability real"), s.d_prob.data(), F, s.t.data()}}, po);
    }
  }
}

GB_PANEL("gan.interpolate", draw_gan_interpolate);

}  // namespace gb::app
