// Filmstrip: the whole denoising trajectory as thumbnails, x_t on top and the x̂_0 predicted at that
// step below, the current step marked; frames not reached yet are empty boxes; a click jumps there.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include <imgui.h>

#include "app/panels/diffusion_common.hpp"
#include "app/panels/registry.hpp"
#include "app/panels/transformer_inspect.hpp"
#include "app/widgets/draw_util.hpp"
#include "core/i18n.hpp"

namespace gb::app {

void draw_diffusion_filmstrip(PanelContext& ctx) {
  DiffusionLab* lab = diffusion_lab(ctx);
  if (!diffusion_ready(lab)) return;
  const float em = ImGui::GetFontSize();
  const Sampler& s = *lab->sampler();
  const auto& frames = lab->frames();
  const auto& x0s = lab->frame_x0();
  const int total = s.total_steps();
  const int cur = s.steps_taken();
  const bool image = lab->is_image();
  const int B = s.batch();

  // How many thumbnails fit: at least 3 font heights each; pick evenly spaced frames (always the
  // first, the last and the current one).
  const float avail = ImGui::GetContentRegionAvail().x;
  const float label_w = ImGui::CalcTextSize(tr("x_0 guess")).x + 0.6f * em;
  const float gap = 0.25f * em;
  const float rows_h = ImGui::GetContentRegionAvail().y - 3.2f * em;
  const float min_side = std::max(2.5f * em, ImGui::CalcTextSize("t=999").x + 0.2f * em);  // the t label fits
  float side = std::clamp(rows_h / 2 - 1.4f * em, min_side, std::max(min_side, 7 * em));
  int n = std::max(2, int((avail - label_w) / (side + gap)));
  if (n > total + 1) {
    n = total + 1;
    side = std::clamp((avail - label_w) / n - gap, min_side, side);
  }
  std::vector<int> pick;
  for (int i = 0; i < n; ++i) pick.push_back(int(std::lround(double(i) * total / (n - 1))));
  // replace the nearest pick by the current frame so it is always visible
  {
    int best = 0;
    for (int i = 0; i < n; ++i)
      if (std::abs(pick[size_t(i)] - cur) < std::abs(pick[size_t(best)] - cur)) best = i;
    pick[size_t(best)] = cur;
  }
  ui::text_wrappedf(tr("%d steps from pure noise (left) to the picture (right); showing %d of the %d frames."), total, n, total + 1);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImU32 accent = ImGui::GetColorU32(ImGuiCol_PlotLinesHovered), text = ui::axis_colour(), dim = ui::grid_colour();
  ImVec2 o = ImGui::GetCursorScreenPos();
  dl->AddText(ImVec2(o.x, o.y + 1.2f * em + side / 2 - em / 2), text, "x_t");  // i18n: keep
  dl->AddText(ImVec2(o.x, o.y + 2.6f * em + side * 1.5f - em / 2), text, tr("x_0 guess"));
  int hovered = -1, hovered_row = 0;
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  for (int i = 0; i < n; ++i) {
    const int f = pick[size_t(i)];
    const float x = o.x + label_w + i * (side + gap);
    const int t = f < total ? s.timesteps()[size_t(f)] : -1;
    char lab_t[32];
    if (t >= 0) std::snprintf(lab_t, sizeof lab_t, "t=%d", t);
    else std::snprintf(lab_t, sizeof lab_t, "x_0");
    std::string lt = ui::fit_text(lab_t, side + gap);
    dl->AddText(ImVec2(x, o.y), f == cur ? accent : text, lt.c_str());
    for (int row = 0; row < 2; ++row) {
      const float y = o.y + 1.2f * em + row * (side + 1.4f * em);
      const std::vector<float>* v = nullptr;
      if (row == 0 && f < int(frames.size()) && !frames[size_t(f)].empty()) v = &frames[size_t(f)];
      // The guess under a frame is the one made in the step that produced it (from the frame before), so every
      // frame reached so far has one; pure noise (frame 0) has none yet.
      if (row == 1 && f >= 1 && f - 1 < int(x0s.size()) && !x0s[size_t(f - 1)].empty()) v = &x0s[size_t(f - 1)];
      ImVec2 p0(x, y), p1(x + side, y + side);
      if (v) {
        if (image) diffusion_thumbnail("diffusion.film." + std::to_string(row) + "." + std::to_string(i), v->data(), p0, side);
        else diffusion_points_thumbnail(v->data(), B, p0, ImVec2(side, side), kDiffusionPlaneLim, ui::series_colour(row == 0 ? 1 : 2));
      } else {
        dl->AddRect(p0, p1, dim);
        centred_text(dl, p0, p1, dim, row == 1 && f == 0 ? "\xe2\x80\x94" : "?");
      }
      if (f == cur && row == 0) dl->AddRect(ImVec2(p0.x - 2, p0.y - 2), ImVec2(p1.x + 2, p1.y + 2), accent, 0, 0, std::max(2.0f, 0.12f * em));
      if (mouse.x >= p0.x && mouse.x < p1.x && mouse.y >= p0.y && mouse.y < p1.y && ImGui::IsWindowHovered()) {
        hovered = f;
        hovered_row = row;
      }
    }
  }
  ImGui::Dummy(ImVec2(avail, 1.2f * em + 2 * side + 1.6f * em));
  if (hovered >= 0) {
    const int t = hovered < total ? s.timesteps()[size_t(hovered)] : -1;
    ImGui::BeginTooltip();
    if (hovered_row == 0) {
      if (t >= 0) ImGui::Text(tr("frame %d: x_t after %d steps, t = %d"), hovered, hovered, t);
      else ImGui::Text(tr("frame %d: the finished sample x_0"), hovered);
    } else if (hovered >= 1) {
      ImGui::Text(tr("step %d (from t = %d): the clean picture x_0 the network guessed while computing this frame"),
                  hovered, s.timesteps()[size_t(hovered - 1)]);
    } else {
      ImGui::TextUnformatted(tr("pure noise: no step taken yet, so no guess"));
    }
    if (hovered < int(frames.size()) && frames[size_t(hovered)].empty()) ImGui::TextDisabled(tr("not reached yet"));
    ImGui::TextDisabled(tr("click: jump here (`diffusion frame %d`)"), hovered);
    ImGui::EndTooltip();
    if (ImGui::IsMouseClicked(ImGuiMouseButton_Left)) diffusion_run(ctx, "frame " + std::to_string(hovered));
  }
  if (image) diffusion_grey_legend();
  // When "outline early, details late" holds: the guess from very noisy input is the average of what could be
  // there, which for pictures of one class soon becomes its outline, but for a 2D cloud is a blob in the middle.
  if (image)
    note(tr("Top: the sample after each step. Bottom: what the network thought the final picture would be in the step that made it. With a class to draw, the very first guesses are still mostly noise, a rough outline shows after the first few steps, and the details (edges, soles, stripes) come only in the last steps, when little noise is left. Empty boxes: steps not taken yet (Run fills them)."));
  else
    note(tr("Top: the points after each step. Bottom: where the network guessed the points would end up in the step that made them. While the noise is large it cannot tell which part of the shape a point belongs to, so it guesses the middle of the data: a blob. The shape appears in the guesses only in the later steps, as the noise gets small. Empty boxes: steps not taken yet (Run fills them)."));
}

GB_PANEL("diffusion.filmstrip", draw_diffusion_filmstrip);

}  // namespace gb::app
