// 2D points: the whole point cloud moving through the reverse steps, with trails, the predicted
// noise ε̂ of the model at the current t drawn as a vector field, and the real data faintly behind.
// Data sets: the shipped toy sets, or points the user draws here (tick `draw`, click and drag in the
// square, then "Learn my drawing" trains a fresh model on them in about ten seconds).
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

namespace {
struct PointsView {
  bool field = true, trails = true, data = true, draw = false;
  int trail_len = 12;
  float last_x = 1e9f, last_y = 1e9f;  // the last point drawn during this drag
};
PointsView g_pts;
constexpr float kLim = kDiffusionPlaneLim;  // the view is [−3, 3]², as in every 2D diffusion view
constexpr int kField = 17;    // field arrows per side
const char* const kData2d[] = {"moons", "swiss-roll", "rings", "gaussians", "drawn"};
constexpr int kData2dCount = 5;
}  // namespace

// [SECTION] One frame of the panel: the 2D sampler, and the plot square's place on screen (plot_draw sets it)

struct PointsFrame {
  PanelContext& ctx;
  DiffusionLab* lab;
  const Sampler& s;
  float em;
  float side = 0;   // the plot square's side in pixels
  ImVec2 p0 = {}, p1 = {};  // its corners on screen

  ImVec2 to_px(float x, float y) const {
    return ImVec2(p0.x + (x + kLim) / (2 * kLim) * side, p0.y + (kLim - y) / (2 * kLim) * side);
  }
  int t_field() const { return s.current_t() >= 0 ? s.current_t() : 0; }  // the t the noise field is drawn for
  void controls();    // data set, stepping, overlays, scrubbing, presets, the drawing's buttons
  void plot_draw();   // the square: grid, data, drawing, noise field, trails, points
  void plot_mouse();  // drawing points with the mouse, the tooltip, the note below
};

void PointsFrame::controls() {
  // [SECTION] controls
  auto button_w = [](const char* label) { return ImGui::CalcTextSize(label).x + 2 * ImGui::GetStyle().FramePadding.x; };
  int di = 0;
  for (int i = 0; i < kData2dCount; ++i)
    if (lab->data() == kData2d[i]) di = i;
  ImGui::SetNextItemWidth(8 * em);
  const char* shown[kData2dCount];
  for (int i = 0; i < kData2dCount; ++i) shown[i] = diffusion_data_label(kData2d[i]);
  if (ImGui::Combo("##data2d", &di, shown, kData2dCount)) diffusion_run(ctx, std::string("data ") + kData2d[di]);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip(tr("Which data the model learnt: a shipped toy set, or \"drawn\" (your own points)."));
  struct Btn {
    const char* label;
    std::string cmd;
    const char* tip;
  };
  const Btn btns[] = {{tr("Step"), "step", tr("One denoising step for every point")},
                      {tr("Back"), "back", tr("Undo the last step (exactly as before)")},
                      {lab->playing() ? tr("Pause") : tr("Play"), lab->playing() ? "pause" : "play", tr("Animate the steps (about 3 s in all)")},
                      {tr("Run"), "run", tr("All remaining steps")},
                      {tr("Reset"), "reset", tr("Back to the Gaussian blob x_T (uses the newest trained weights)")}};
  for (const auto& b : btns) {
    ui::same_line_if_fits(button_w(b.label));
    if (diffusion_allows(ctx, b.cmd) && ImGui::Button(b.label)) diffusion_run(ctx, b.cmd);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", b.tip);
  }
  struct Check {
    const char* label;
    bool* v;
    const char* tip;
  };
  const Check checks[] = {{tr("noise field"), &g_pts.field, tr("Arrows: −ε_θ, where the model would push a point at this t")},
                          {tr("trails"), &g_pts.trails, tr("Each point's path over the last steps")},
                          {tr("real data"), &g_pts.data, tr("The training data, faintly, behind the samples")},
                          {tr("draw"), &g_pts.draw, tr("Click and drag in the square to add your own points (data set \"drawn\")")}};
  bool first = true;
  for (const auto& c : checks) {
    if (!first) ui::same_line_if_fits(ImGui::GetFrameHeight() + ImGui::GetStyle().ItemInnerSpacing.x + ImGui::CalcTextSize(c.label).x);
    first = false;
    ImGui::Checkbox(c.label, c.v);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", c.tip);
  }
  const int t_now = s.current_t();
  const int total = s.total_steps();
  int k_now = s.steps_taken();
  char buf[160];
  if (t_now >= 0) std::snprintf(buf, sizeof buf, tr("step %%d of %d  (t = %d)"), total, t_now);
  else std::snprintf(buf, sizeof buf, tr("step %%d of %d  (finished)"), total);
  ImGui::SetNextItemWidth(std::min(ImGui::GetContentRegionAvail().x, 24 * em));
  if (ImGui::SliderInt("##scrub2d", &k_now, 0, total, buf)) diffusion_run(ctx, "frame " + std::to_string(k_now));
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip(tr("Scrub along the trajectory (%s, %d steps). t = %d is pure noise, t = 0 the last step."),
                      sampler_name(lab->sampler_config().kind), total, lab->model()->schedule().T - 1);
  for (const DiffusionPreset* preset : diffusion_presets_for(false)) {  // no classes, so no guidance presets
    const char* pn = preset->name;
    ui::same_line_if_fits(button_w(pn));
    diffusion_preset_button(ctx, *preset, lab->preset() == pn, false);
  }
  if (lab->computing() && lab->target_frame() > s.steps_taken()) {
    char progress[96];
    std::snprintf(progress, sizeof progress, tr("computing step %d / %d"), s.steps_taken() + 1, lab->target_frame());
    ImGui::ProgressBar(float(s.steps_taken()) / float(std::max(1, lab->target_frame())), ImVec2(-1, 0), progress);
  }
  if (g_pts.draw || lab->is_drawn()) {
    const int n_drawn = int(lab->drawn().size() / 2);
    ImGui::AlignTextToFramePadding();
    ImGui::Text(tr("Your drawing: %d points"), n_drawn);
    ui::same_line_if_fits(button_w(tr("Clear drawing")));
    if (diffusion_allows(ctx, "draw clear") && ImGui::Button(tr("Clear drawing"))) diffusion_run(ctx, "draw clear");
    ui::same_line_if_fits(button_w(tr("Learn my drawing")));
    ImGui::BeginDisabled(n_drawn < 2);
    if (diffusion_allows(ctx, "data drawn") && diffusion_allows(ctx, "train start") && ImGui::Button(tr("Learn my drawing"))) {
      diffusion_run(ctx, "data drawn");
      diffusion_run(ctx, "train start");
    }
    ImGui::EndDisabled();
    if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
      ImGui::SetTooltip(tr("Train a fresh 2D model on your points (4000 steps, about 10 s on a worker thread);\npress Reset during or after training to sample with the newest weights."));
    auto snap = lab->training();
    if (lab->is_drawn() && snap && snap->total > 0)
      note(tr("Training on your drawing: step %lld of %lld, loss %.4f. Reset, then Run or Play, samples with the newest weights."),
           (long long)snap->step,
           (long long)snap->total, snap->loss_history.empty() ? 0.0 : double(snap->loss_history.back()));
    else if (lab->is_drawn())
      note(tr("Not trained yet: the points follow an untrained network. Press \"Learn my drawing\"."));
  }
}

void PointsFrame::plot_draw() {
  // [SECTION] the plot square
  ImVec2 avail = ImGui::GetContentRegionAvail();
  side = std::max(8 * em, std::min(avail.x - 1.6f * em, avail.y - 4.0f * em));
  p0 = ImGui::GetCursorScreenPos();
  p0.x += std::max(1.4f * em, (avail.x - side) / 2);
  p1 = ImVec2(p0.x + side, p0.y + side);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->PushClipRect(p0, p1, true);
  dl->AddRectFilled(p0, p1, ui::plot_bg_colour());
  for (int g = -2; g <= 2; ++g) {
    dl->AddLine(to_px(float(g), -kLim), to_px(float(g), kLim), ui::grid_colour());
    dl->AddLine(to_px(-kLim, float(g)), to_px(kLim, float(g)), ui::grid_colour());
    char tick[8];
    std::snprintf(tick, sizeof tick, "%d", g);
    dl->AddText(ImVec2(to_px(float(g), 0).x + 2, p1.y - em - 2), ui::axis_colour(), tick);
    if (g != 0) dl->AddText(ImVec2(p0.x + 3, to_px(0, float(g)).y - em / 2), ui::axis_colour(), tick);
  }
  if (g_pts.data) {
    const auto& d = lab->data_points();
    ImU32 c = (ui::grid_colour() & 0x00FFFFFF) | 0xC0000000;
    for (size_t i = 0; i + 1 < d.size(); i += 2) {
      ImVec2 q = to_px(d[i], d[i + 1]);
      dl->AddCircleFilled(q, std::max(1.5f, 0.12f * em), c, 6);
    }
  }
  const ImU32 drawn_col = ui::series_colour(0);
  if (g_pts.draw && !lab->is_drawn()) {  // the drawing in progress (for data drawn it is the real data above)
    const auto& d = lab->drawn();
    for (size_t i = 0; i + 1 < d.size(); i += 2) dl->AddCircleFilled(to_px(d[i], d[i + 1]), std::max(2.0f, 0.16f * em), drawn_col, 8);
  }
  // vector field of −ε̂ (the direction a denoising step pushes a point) at the current t
  const std::vector<float>& field = lab->eps_field(t_field(), -kLim, kLim, kField);
  const float cell = side / kField;
  if (g_pts.field) {
    float emax = 1e-6f;
    for (size_t i = 0; i + 1 < field.size(); i += 2) emax = std::max(emax, std::hypot(field[i], field[i + 1]));
    ImU32 fc = ui::series_colour(2);
    for (int r = 0; r < kField; ++r)
      for (int c = 0; c < kField; ++c) {
        const float ex = field[size_t(r * kField + c) * 2], ey = field[size_t(r * kField + c) * 2 + 1];
        ImVec2 a(p0.x + (c + 0.5f) * cell, p0.y + (r + 0.5f) * cell);
        float len = 0.45f * cell * std::hypot(ex, ey) / emax;
        float n = std::max(1e-6f, std::hypot(ex, ey));
        ImVec2 dir(-ex / n, ey / n);  // −ε̂, screen y down
        ImVec2 b(a.x + dir.x * len, a.y + dir.y * len);
        dl->AddLine(a, b, fc, std::max(1.0f, 0.08f * em));
        float hs = std::min(0.3f * len, 0.25f * em);
        dl->AddTriangleFilled(b, ImVec2(b.x - dir.x * hs - dir.y * hs * 0.6f, b.y - dir.y * hs + dir.x * hs * 0.6f),
                              ImVec2(b.x - dir.x * hs + dir.y * hs * 0.6f, b.y - dir.y * hs - dir.x * hs * 0.6f), fc);
      }
  }
  // trails through the last frames
  const auto& frames = lab->frames();
  const int k = s.steps_taken();
  const int B = s.batch();
  if (g_pts.trails && k > 0) {
    ImU32 tc = (ui::series_colour(1) & 0x00FFFFFF) | 0x70000000;
    const int from = std::max(0, k - g_pts.trail_len);
    std::vector<ImVec2> line;
    for (int b = 0; b < B; ++b) {
      line.clear();
      for (int f = from; f <= k; ++f)
        if (f < int(frames.size()) && !frames[size_t(f)].empty())
          line.push_back(to_px(frames[size_t(f)][size_t(2 * b)], frames[size_t(f)][size_t(2 * b + 1)]));
      if (line.size() >= 2) dl->AddPolyline(line.data(), int(line.size()), tc, 0, std::max(1.0f, 0.06f * em));
    }
  }
  const std::vector<float>& x = s.x();
  const ImU32 pc = ui::series_colour(1);
  const float pr = std::max(1.5f, 0.16f * em);
  for (int b = 0; b < B; ++b) dl->AddCircleFilled(to_px(x[size_t(2 * b)], x[size_t(2 * b + 1)]), pr, pc, 8);
  dl->PopClipRect();
  dl->AddRect(p0, p1, ui::axis_colour());
  // axis names outside the square (the ticks are inside)
  {
    const char* xl = tr("x (first coordinate)");
    dl->AddText(ImVec2(p0.x + (side - ImGui::CalcTextSize(xl).x) / 2, p1.y + 0.2f * em), ui::axis_colour(), xl);
    const char* yl = tr("y (second coordinate)");
    ui::add_text_vertical(dl, ImVec2(p0.x - 1.25f * em, p0.y + (side + ImGui::CalcTextSize(yl).x) / 2), ui::axis_colour(), yl);
  }
}

void PointsFrame::plot_mouse() {
  const std::vector<float>& field = lab->eps_field(t_field(), -kLim, kLim, kField);
  const float cell = side / kField;
  const int t_field = this->t_field();
  const std::vector<float>& x = s.x();
  const int B = s.batch();
  char buf[160];
  ImGui::SetCursorScreenPos(p0);
  ImGui::InvisibleButton("plot", ImVec2(side, side));  // i18n: keep (an ImGui id)
  const bool plot_hovered = ImGui::IsItemHovered() || ImGui::IsItemActive();
  ImGui::Dummy(ImVec2(side, 1.3f * em));  // room for the x axis name
  {
    ImVec2 m = ImGui::GetIO().MousePos;
    const float mx = (m.x - p0.x) / side * 2 * kLim - kLim, my = kLim - (m.y - p0.y) / side * 2 * kLim;
    if (g_pts.draw && plot_hovered && ImGui::IsMouseDown(ImGuiMouseButton_Left) && std::fabs(mx) < kLim && std::fabs(my) < kLim) {
      // a click adds a point; a drag adds one every 0.08 units along the stroke
      if (ImGui::IsMouseClicked(ImGuiMouseButton_Left) || std::hypot(mx - g_pts.last_x, my - g_pts.last_y) > 0.08f) {
        std::snprintf(buf, sizeof buf, "draw %.3f %.3f", mx, my);
        diffusion_run(ctx, buf);
        g_pts.last_x = mx;
        g_pts.last_y = my;
      }
    }
    if (!ImGui::IsMouseDown(ImGuiMouseButton_Left)) g_pts.last_x = g_pts.last_y = 1e9f;
  }
  if (plot_hovered) {
    ImVec2 m = ImGui::GetIO().MousePos;
    float mx = (m.x - p0.x) / side * 2 * kLim - kLim, my = kLim - (m.y - p0.y) / side * 2 * kLim;
    int best = -1;
    float bd = (0.5f * em) * (0.5f * em);
    for (int b = 0; b < B; ++b) {
      ImVec2 q = to_px(x[size_t(2 * b)], x[size_t(2 * b + 1)]);
      float d = (q.x - m.x) * (q.x - m.x) + (q.y - m.y) * (q.y - m.y);
      if (d < bd) {
        bd = d;
        best = b;
      }
    }
    ImGui::BeginTooltip();
    ImGui::Text(tr("mouse at x = %.3f, y = %.3f%s"), mx, my, g_pts.draw ? tr("  (click or drag to draw points here)") : "");
    int c = std::clamp(int((m.x - p0.x) / cell), 0, kField - 1), r = std::clamp(int((m.y - p0.y) / cell), 0, kField - 1);
    ImGui::Text(tr("predicted noise ε_θ at the nearest arrow (t = %d): (%.3f, %.3f)"), t_field, field[size_t(r * kField + c) * 2],
                field[size_t(r * kField + c) * 2 + 1]);
    if (best >= 0) {
      ImGui::Separator();
      ImGui::Text(tr("point %d at (%.3f, %.3f)"), best, x[size_t(2 * best)], x[size_t(2 * best + 1)]);
      if (!s.trace().empty()) {
        const SamplerStep& st = s.trace().back();
        ImGui::Text(tr("last step: ε_θ = (%.3f, %.3f), moved from (%.3f, %.3f)"), st.eps[size_t(2 * best)], st.eps[size_t(2 * best + 1)],
                    st.x_t[size_t(2 * best)], st.x_t[size_t(2 * best + 1)]);
      }
    }
    ImGui::EndTooltip();
  }
  note(tr("Dots: %d samples (they start as a Gaussian blob). Faint dots: the real data%s. Arrows: −ε_θ, the way the model would push a point at t = %d (longest arrow = largest predicted noise). Lines: the last %d steps of each point."),
       B, lab->is_drawn() ? tr(" (your drawing)") : g_pts.draw ? tr("; orange: your drawing") : "", t_field, g_pts.trail_len);
}

void draw_diffusion_points(PanelContext& ctx) {
  DiffusionLab* lab = diffusion_lab(ctx);
  if (!lab) return;
  const float em = ImGui::GetFontSize();
  if (lab->is_image()) {
    accent_text(tr("This view is for the 2D data sets."));
    note(tr("The image model's pictures have 784 numbers each; a 2D model's samples are points (x, y), so you can watch every one of them move. Pick a 2D data set:"));
    for (int i = 0; i < kData2dCount - 1; ++i) {
      if (i > 0) ui::same_line_if_fits(ImGui::CalcTextSize(diffusion_data_label(kData2d[i])).x + 2 * ImGui::GetStyle().FramePadding.x);
      if (diffusion_allows(ctx, std::string("data ") + kData2d[i]) && ImGui::Button(diffusion_data_label(kData2d[i]))) diffusion_run(ctx, std::string("data ") + kData2d[i]);
    }
    return;
  }
  if (!diffusion_ready(lab)) return;
  PointsFrame f{ctx, lab, *lab->sampler(), em};
  f.controls();
  f.plot_draw();
  f.plot_mouse();
}

GB_PANEL("diffusion.points", draw_diffusion_points);

}  // namespace gb::app
