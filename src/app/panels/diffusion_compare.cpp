// Compare: the same seed and class sampled with several guidance scales or step counts, side by
// side (`compare guidance 0 1 3 5 7` / `compare steps 5 10 20 50`).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>

#include <imgui.h>

#include "app/panels/diffusion_common.hpp"
#include "app/panels/registry.hpp"
#include "app/panels/transformer_inspect.hpp"
#include "app/widgets/draw_util.hpp"
#include "core/i18n.hpp"

namespace gb::app {

namespace {
struct CompareView {
  char guidance[64] = "0 1 3 5 10";
  char steps[64] = "2 5 10 20 50";
};
CompareView g_cmp;
}  // namespace

void draw_diffusion_compare(PanelContext& ctx) {
  DiffusionLab* lab = diffusion_lab(ctx);
  if (!diffusion_ready(lab)) return;
  const float em = ImGui::GetFontSize();
  const float field_w = std::min(10 * em, ImGui::GetContentRegionAvail().x * 0.3f);
  if (lab->is_image()) {
    ImGui::SetNextItemWidth(field_w);
    ImGui::InputText("##g", g_cmp.guidance, sizeof g_cmp.guidance);
    ImGui::SameLine();
    if (diffusion_allows(ctx, std::string("compare guidance ") + g_cmp.guidance) && ImGui::Button(tr("Compare guidance"))) diffusion_run(ctx, std::string("compare guidance ") + g_cmp.guidance);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip(tr("Same seed and class, one picture per guidance scale w (up to 8 values)"));
    ui::same_line_if_fits(field_w);  // the row wraps at presenter scale instead of running off the panel
  }
  ImGui::SetNextItemWidth(field_w);
  ImGui::InputText("##s", g_cmp.steps, sizeof g_cmp.steps);
  const float pad = 2 * ImGui::GetStyle().FramePadding.x;
  ui::same_line_if_fits(ImGui::CalcTextSize(tr("Compare steps")).x + pad);
  if (diffusion_allows(ctx, std::string("compare steps ") + g_cmp.steps) && ImGui::Button(tr("Compare steps"))) diffusion_run(ctx, std::string("compare steps ") + g_cmp.steps);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip(tr("Same seed, one sample per step count with the current sampler (up to 8 values)"));
  const DiffusionComparison& c = lab->comparison();
  if (lab->compare_pending_total() > 0) {  // computed a few ms per frame: the window stays responsive
    const float frac = lab->compare_pending_fraction();
    ImGui::ProgressBar(frac, ImVec2(-1, 0), lab->progress().c_str());
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip(tr("The comparison is computed a few milliseconds per frame, so the window keeps responding.\n%d of %d pictures done."), lab->compare_pending_done(), lab->compare_pending_total());
    return;
  }
  if (c.what.empty()) {
    note(tr("Nothing compared yet. Type the values (separated by spaces) and press a button. DDPM with 1000 steps takes a second or two per picture."));
    return;
  }
  ui::same_line_if_fits(ImGui::CalcTextSize(tr("Clear")).x + pad);
  if (diffusion_allows(ctx, "compare clear") && ImGui::SmallButton(tr("Clear"))) diffusion_run(ctx, "compare clear");
  const bool image = c.data == "fashion-mnist";
  const bool by_guidance = c.what == "guidance";
  if (image) {
    char fixed[64];  // what stays fixed while the other setting varies
    if (by_guidance) std::snprintf(fixed, sizeof fixed, tr("%d steps"), c.base.steps);
    else std::snprintf(fixed, sizeof fixed, tr("guidance %.3g"), double(c.base.guidance));
    ui::text_wrappedf(tr("%s, seed %llu, %s %s: varying %s"), diffusion_class_name(c.label), (unsigned long long)c.base.seed,
                       sampler_name(c.base.kind), fixed, by_guidance ? tr("the guidance scale w") : tr("the number of steps"));
  } else {
    ui::text_wrappedf(tr("%s, seed %llu, %s: varying %s"), c.data.c_str(), (unsigned long long)c.base.seed, sampler_name(c.base.kind),
                       by_guidance ? tr("the guidance scale") : tr("the number of steps"));
  }

  // [SECTION] grid
  const int n = int(c.values.size());
  const float avail = ImGui::GetContentRegionAvail().x;
  const float gap = 0.5f * em;
  // The column count that gives the largest pictures within both the width and the height left (the notes
  // below need about 3.5 lines), so every picture — the last one a lesson asks about too — stays in view.
  const float avail_h = ImGui::GetContentRegionAvail().y - 3.5f * ImGui::GetTextLineHeightWithSpacing();
  int cols = n;
  float side = 0;
  for (int c = 1; c <= n; ++c) {
    const int r = (n + c - 1) / c;
    const float sd = std::min((avail - gap * (c - 1)) / c, avail_h / r - 1.4f * em);
    if (sd > side + 0.5f) cols = c, side = sd;
  }
  side = std::max(3 * em, side);
  // The smallest pictures (3 em) may not fit the columns chosen: fewer columns, so no picture runs past the edge.
  cols = std::clamp(int((avail + gap) / (side + gap)), 1, cols);
  const int rows = (n + cols - 1) / cols;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImVec2 o = ImGui::GetCursorScreenPos();
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  int hovered = -1;
  for (int i = 0; i < n; ++i) {
    const int r = i / cols, col = i % cols;
    ImVec2 p0(o.x + col * (side + gap), o.y + r * (side + 1.4f * em));
    char label[64];
    if (c.what == "guidance") std::snprintf(label, sizeof label, "w = %.3g", c.values[size_t(i)]);
    else std::snprintf(label, sizeof label, tr("%d steps"), int(c.values[size_t(i)]));
    dl->AddText(p0, ui::axis_colour(), ui::fit_text(label, side).c_str());
    ImVec2 q0(p0.x, p0.y + 1.2f * em);
    if (image) diffusion_thumbnail("diffusion.cmp." + std::to_string(i), c.samples[size_t(i)].data(), q0, side);
    else
      diffusion_points_thumbnail(c.samples[size_t(i)].data(), int(c.samples[size_t(i)].size() / 2), q0, ImVec2(side, side), kDiffusionPlaneLim,
                                 ui::series_colour(1));
    if (mouse.x >= q0.x && mouse.x < q0.x + side && mouse.y >= q0.y && mouse.y < q0.y + side && ImGui::IsWindowHovered()) {
      hovered = i;
      const float cell = side / 28;
      if (image) {
        int px = std::clamp(int((mouse.x - q0.x) / cell), 0, 27), py = std::clamp(int((mouse.y - q0.y) / cell), 0, 27);
        ImGui::BeginTooltip();
        ImGui::Text(tr("%s: pixel (row %d, column %d) = %.3f (byte %d of 255)"), label, py, px, c.samples[size_t(i)][size_t(py * 28 + px)],
                    diffusion_byte(c.samples[size_t(i)][size_t(py * 28 + px)]));
        ImGui::EndTooltip();
      } else {
        ImGui::SetTooltip(tr("%s: the %d points after sampling (square −3 … 3)"), label, int(c.samples[size_t(i)].size() / 2));
      }
    }
  }
  ImGui::Dummy(ImVec2(avail, rows * (side + 1.4f * em)));
  if (hovered >= 0) dl->AddRect(ImVec2(o.x + (hovered % cols) * (side + gap) - 2, o.y + (hovered / cols) * (side + 1.4f * em) + 1.2f * em - 2),
                                ImVec2(o.x + (hovered % cols) * (side + gap) + side + 2, o.y + (hovered / cols) * (side + 1.4f * em) + 1.2f * em + side + 2),
                                ImGui::GetColorU32(ImGuiCol_PlotLinesHovered), 0, 0, 2);
  if (image) diffusion_grey_legend();
  if (c.what == "guidance")
    note(tr("w = 0 ignores the class; w = 1 is the plain conditional model; larger w pushes harder towards \"%s\" — clearer shapes, then harsh contrast and odd details when pushed too far."),
         diffusion_class_name(c.label));
  else
    note(tr("Few steps: each jump is big, and %s. Many steps: small jumps, the picture settles."),
         c.base.kind == SamplerKind::ddpm ? tr("DDPM leaves noise in the picture") : tr("DDIM still copes surprisingly well"));
}

GB_PANEL("diffusion.compare", draw_diffusion_compare);

}  // namespace gb::app
