// Forward process: a real Fashion-MNIST test picture x_0 (by class and index) drowned in noise as t
// grows, x_t = √ᾱ_t·x_0 + √(1−ᾱ_t)·ε, with the numbers of the hovered pixel. For the 2D data sets
// the whole point cloud is noised instead.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include <imgui.h>

#include "app/panels/diffusion_common.hpp"
#include "app/panels/registry.hpp"
#include "app/panels/transformer_inspect.hpp"
#include "app/widgets/draw_util.hpp"
#include "app/widgets/plots.hpp"
#include "models/data/fashion_mnist.hpp"
#include "core/i18n.hpp"

namespace gb::app {

namespace {
struct ForwardView {
  int pixel = 14 * 28 + 14;
};
ForwardView g_fwd;

std::string paren(double v) {  // negative numbers in parentheses inside formulas
  char b[32];
  std::snprintf(b, sizeof b, v < 0 ? "(%.4f)" : "%.4f", v);
  return b;
}
}  // namespace

void draw_diffusion_forward(PanelContext& ctx) {
  DiffusionLab* lab = diffusion_lab(ctx);
  if (!diffusion_ready(lab)) return;
  const float em = ImGui::GetFontSize();
  const NoiseSchedule& sched = lab->model()->schedule();
  char buf[512];

  // [SECTION] controls
  ImGui::PushItemWidth(std::min(12 * em, ImGui::GetContentRegionAvail().x * 0.3f));
  if (lab->is_image()) {
    if (ImGui::BeginCombo(tr("class##fwd"), fashion_class(lab->forward_class()))) {
      for (int k = 0; k < kFashionClasses; ++k)
        if (ImGui::Selectable(fashion_class(k), k == lab->forward_class())) diffusion_run(ctx, "forward class " + std::to_string(k));
      ImGui::EndCombo();
    }
    ImGui::SameLine();
    int n = lab->forward_count();
    int idx = lab->forward_index();
    if (n > 0 && ImGui::SliderInt(tr("test image"), &idx, 0, n - 1)) diffusion_run(ctx, "forward index " + std::to_string(idx));
    if (ImGui::IsItemHovered()) ImGui::SetTooltip(tr("Which of the %d test pictures of this class"), n);
  }
  int t = lab->forward_t();
  // The t slider takes what the noise seed leaves of the line; at presenter scale the seed goes to the next line.
  const float seed_w = 8 * em, seed_full = ui::labelled_width(seed_w, tr("noise seed"));
  const float t_label = ui::labelled_width(0, tr("t (drag to add noise)"));
  const float row = ImGui::GetContentRegionAvail().x, spacing = ImGui::GetStyle().ItemSpacing.x;
  const bool one_row = row - seed_full - spacing - t_label >= 10 * em;
  ImGui::SetNextItemWidth(std::max(5 * em, one_row ? row - seed_full - spacing - t_label : row - t_label));
  if (ImGui::SliderInt(tr("t (drag to add noise)"), &t, 0, sched.T - 1)) diffusion_run(ctx, "forward t " + std::to_string(t));
  if (one_row) ImGui::SameLine();
  int seed = int(lab->forward_seed());
  ImGui::SetNextItemWidth(seed_w);
  if (ImGui::InputInt(tr("noise seed"), &seed)) diffusion_run(ctx, "forward seed " + std::to_string(std::max(0, seed)));
  ImGui::PopItemWidth();

  std::vector<float> x0;
  std::string err;
  if (!lab->forward_x0(x0, err)) {
    accent_text(tr("No real pictures to noise."));
    note("%s", err.c_str());
    return;
  }
  t = lab->forward_t();
  ForwardSample f = forward_process(sched, x0.data(), int(x0.size()), t, lab->forward_seed());
  const float ab = f.alpha_bar, sa = std::sqrt(ab), sn = std::sqrt(1 - ab);

  // [SECTION] pictures
  if (lab->is_image()) {
    const float avail = ImGui::GetContentRegionAvail().x;
    const float scale_w = diffusion_scale_width();
    float side = std::clamp((avail - 3 * scale_w - 2 * ImGui::GetStyle().ItemSpacing.x) / 3, 5 * em,
                            std::max(5 * em, ImGui::GetContentRegionAvail().y - 9 * em));
    // Fixed colour scales (diffusion_colour_range): x_0 and x_t on the same −1 … +1, so a lightly noised
    // picture looks like the picture, not faded; ε on ±3.
    int hovered = -1;
    ImGui::BeginGroup();
    ImGui::TextUnformatted(ui::fit_text(tr("x_0 (real picture)"), side + scale_w).c_str());
    auto h = diffusion_image("fx0", x0.data(), side, DiffusionPicture::model_space, tr("x_0 value"));
    if (h.hovered) hovered = h.row * 28 + h.col;
    ImGui::EndGroup();
    ImGui::SameLine();
    ImGui::BeginGroup();
    ImGui::TextUnformatted(ui::fit_text(tr("ε (noise, seed)"), side + scale_w).c_str());
    h = diffusion_image("feps", f.eps.data(), side, DiffusionPicture::noise, tr("noise ε"));
    if (h.hovered) hovered = h.row * 28 + h.col;
    ImGui::EndGroup();
    ImGui::SameLine();
    ImGui::BeginGroup();
    std::snprintf(buf, sizeof buf, tr("x_t at t = %d"), t);
    ImGui::TextUnformatted(ui::fit_text(buf, side + scale_w).c_str());
    h = diffusion_image("fxt", f.x_t.data(), side, DiffusionPicture::model_space, tr("x_t value"));
    if (h.hovered) hovered = h.row * 28 + h.col;
    ImGui::EndGroup();
    if (hovered >= 0) g_fwd.pixel = hovered;
    const int i = g_fwd.pixel;
    ImGui::Text(tr("Pixel (row %d, column %d) — hover a picture to pick another"), i / 28, i % 28);
    if (ctx.mono_font) ImGui::PushFont(ctx.mono_font);
    std::snprintf(buf, sizeof buf,
                  "x_t = \xe2\x88\x9a\xc4\x81_t\xc2\xb7x_0 + \xe2\x88\x9a(1\xe2\x88\x92\xc4\x81_t)\xc2\xb7\xce\xb5 = %.4f\xc2\xb7%s + %.4f\xc2\xb7%s = %.4f",
                  sa, paren(x0[size_t(i)]).c_str(), sn, paren(f.eps[size_t(i)]).c_str(), f.x_t[size_t(i)]);
    ui::text_wrappedf("%s", buf);
    if (ctx.mono_font) ImGui::PopFont();
  } else {
    const int n = int(x0.size() / 2);
    std::vector<float> ax(static_cast<size_t>(n)), ay(static_cast<size_t>(n)), bx(static_cast<size_t>(n)), by(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) {
      ax[size_t(i)] = x0[size_t(2 * i)];
      ay[size_t(i)] = x0[size_t(2 * i + 1)];
      bx[size_t(i)] = f.x_t[size_t(2 * i)];
      by[size_t(i)] = f.x_t[size_t(2 * i + 1)];
    }
    ui::ScatterOptions so;
    so.equal_aspect = true;
    so.x_min = so.y_min = -kDiffusionPlaneLim;  // the square every 2D diffusion view shows
    so.x_max = so.y_max = kDiffusionPlaneLim;
    so.size = ImVec2(0, std::max(10 * em, ImGui::GetContentRegionAvail().y - 5 * em));
    so.x_label = "x";
    so.y_label = "y";
    ui::scatter("fwd2d", {{tr("x_0 (data)"), ax.data(), ay.data(), n, 0, 0}, {tr("x_t (noised)"), bx.data(), by.data(), n, 0, 0}}, so);
    if (ctx.mono_font) ImGui::PushFont(ctx.mono_font);
    std::snprintf(buf, sizeof buf, tr("x_t = %.4f·x_0 + %.4f·ε   (point 0: %.3f, %.3f → %.3f, %.3f)"), sa, sn,
                  ax[0], ay[0], bx[0], by[0]);
    ui::text_wrappedf("%s", buf);
    if (ctx.mono_font) ImGui::PopFont();
  }
  note(tr("ā_t = %.5f at t = %d: %.1f%% of the picture's variance is left, the rest is noise. Training shows the network pictures like x_t and asks it for ε; sampling runs this backwards."),
       ab, t, 100 * ab);
}

GB_PANEL("diffusion.forward", draw_diffusion_forward);

}  // namespace gb::app
