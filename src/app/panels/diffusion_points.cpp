// 2D points: the whole point cloud moving through the reverse steps, with trails, the predicted
// noise ε̂ of the model at the current t drawn as a vector field, and the real data faintly behind.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include <imgui.h>

#include "app/panels/diffusion_common.hpp"
#include "app/panels/registry.hpp"
#include "app/panels/transformer_inspect.hpp"
#include "app/widgets/draw_util.hpp"

namespace gb::app {

namespace {
struct PointsView {
  bool field = true, trails = true, data = true;
  int trail_len = 12;
};
PointsView g_pts;
constexpr float kLim = 3.0f;  // the view is [−3, 3]²
constexpr int kField = 17;    // field arrows per side
const char* const kData2d[] = {"moons", "swiss-roll", "rings", "gaussians"};
}  // namespace

void draw_diffusion_points(PanelContext& ctx) {
  DiffusionLab* lab = diffusion_lab(ctx);
  if (!lab) return;
  const float em = ImGui::GetFontSize();
  if (lab->is_image()) {
    accent_text("This view is for the 2D data sets.");
    note("The image model's pictures have 784 numbers each; a 2D model's samples are points (x, y), so you can watch "
         "every one of them move. Pick a 2D data set:");
    for (const char* d : kData2d) {
      if (ImGui::Button(d)) diffusion_run(ctx, std::string("data ") + d);
      ImGui::SameLine();
    }
    ImGui::NewLine();
    return;
  }
  if (!diffusion_ready(lab)) return;
  const Sampler& s = *lab->sampler();

  // [SECTION] controls
  int di = 0;
  for (int i = 0; i < 4; ++i)
    if (lab->data() == kData2d[i]) di = i;
  ImGui::SetNextItemWidth(8 * em);
  if (ImGui::Combo("##data2d", &di, kData2d, 4)) diffusion_run(ctx, std::string("data ") + kData2d[di]);
  ImGui::SameLine();
  if (ImGui::Button("Step")) diffusion_run(ctx, "step");
  ImGui::SameLine();
  if (ImGui::Button("Back")) diffusion_run(ctx, "back");
  ImGui::SameLine();
  if (lab->playing() ? ImGui::Button("Pause") : ImGui::Button("Play")) diffusion_run(ctx, lab->playing() ? "pause" : "play");
  ImGui::SameLine();
  if (ImGui::Button("Reset")) diffusion_run(ctx, "reset");
  ImGui::SameLine();
  ImGui::Checkbox("noise field", &g_pts.field);
  ImGui::SameLine();
  ImGui::Checkbox("trails", &g_pts.trails);
  ImGui::SameLine();
  ImGui::Checkbox("real data", &g_pts.data);
  const int t_now = s.current_t();
  ImGui::Text("step %d of %d, %s", s.steps_taken(), s.total_steps(), t_now >= 0 ? ("t = " + std::to_string(t_now)).c_str() : "finished");

  // [SECTION] the plot square
  ImVec2 avail = ImGui::GetContentRegionAvail();
  const float side = std::max(8 * em, std::min(avail.x, avail.y - 2.6f * em));
  ImVec2 p0 = ImGui::GetCursorScreenPos();
  p0.x += std::max(0.0f, (avail.x - side) / 2);
  const ImVec2 p1(p0.x + side, p0.y + side);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  auto to_px = [&](float x, float y) { return ImVec2(p0.x + (x + kLim) / (2 * kLim) * side, p0.y + (kLim - y) / (2 * kLim) * side); };
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
  // vector field of −ε̂ (the direction a denoising step pushes a point) at the current t
  const int t_field = t_now >= 0 ? t_now : 0;
  const std::vector<float>& field = lab->eps_field(t_field, -kLim, kLim, kField);
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
  ImGui::SetCursorScreenPos(p0);
  ImGui::InvisibleButton("plot", ImVec2(side, side));
  if (ImGui::IsItemHovered()) {
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
    ImGui::Text("mouse at (%.3f, %.3f)", mx, my);
    int c = std::clamp(int((m.x - p0.x) / cell), 0, kField - 1), r = std::clamp(int((m.y - p0.y) / cell), 0, kField - 1);
    ImGui::Text("predicted noise \xce\xb5_\xce\xb8 at the nearest arrow (t = %d): (%.3f, %.3f)", t_field, field[size_t(r * kField + c) * 2],
                field[size_t(r * kField + c) * 2 + 1]);
    if (best >= 0) {
      ImGui::Separator();
      ImGui::Text("point %d at (%.3f, %.3f)", best, x[size_t(2 * best)], x[size_t(2 * best + 1)]);
      if (!s.trace().empty()) {
        const SamplerStep& st = s.trace().back();
        ImGui::Text("last step: \xce\xb5_\xce\xb8 = (%.3f, %.3f), moved from (%.3f, %.3f)", st.eps[size_t(2 * best)], st.eps[size_t(2 * best + 1)],
                    st.x_t[size_t(2 * best)], st.x_t[size_t(2 * best + 1)]);
      }
    }
    ImGui::EndTooltip();
  }
  note("Dots: %d samples (they start as a Gaussian blob). Faint dots: the real data. Arrows: \xe2\x88\x92\xce\xb5_\xce\xb8, the way the model "
       "would push a point at t = %d (longest arrow = largest predicted noise). Lines: the last %d steps of each point.",
       B, t_field, g_pts.trail_len);
}

}  // namespace gb::app
