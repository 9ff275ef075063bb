// Fashion GAN live training: start a fresh model in the background (the app stays responsive),
// pause / resume / stop, watch both losses and a grid of samples drawn every 50 steps from fixed
// latents (so the same "people" improve), then use the trained weights in the other panels.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include <imgui.h>

#include "app/panels/gan_common.hpp"
#include "app/panels/registry.hpp"
#include "app/panels/transformer_inspect.hpp"
#include "app/widgets/draw_util.hpp"
#include "app/widgets/plots.hpp"
#include "models/data/fashion_mnist.hpp"
#include "core/i18n.hpp"

namespace gb::app {

namespace {
struct TrainingView {
  int steps = 3000;        // steps for the next start
  int every = 50;          // sample-grid interval for the next start
  std::string message;     // result of the last command run from here
  bool message_ok = true;
};
TrainingView g_tv;

}  // namespace

void draw_gan_training(PanelContext& ctx) {
  GanLab* lab = gan_lab(ctx);
  if (!lab) return;
  const float em = ImGui::GetFontSize();
  auto run = [&](const std::string& line) {
    CommandResult r = gan_run(ctx, *lab, "image", line);
    g_tv.message = r.message;
    g_tv.message_ok = r.ok;
  };
  auto snap = lab->training();
  const bool active = snap && !snap->finished;

  // [SECTION] controls
  // Read as a sentence: "train for [3000] steps, new samples every [50] steps".
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(tr("Train for"));
  ImGui::SameLine();
  ImGui::SetNextItemWidth(7 * em);
  ImGui::InputInt("##steps", &g_tv.steps, 500, 1000);
  g_tv.steps = std::clamp(g_tv.steps, 1, 10000000);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip(tr("How many training steps the next Start runs (each: one D and one G update)."));
  ImGui::SameLine();
  ImGui::TextUnformatted(tr("steps,"));
  same_line_if_fits(ImGui::CalcTextSize(tr("new samples every")).x + 6 * em);
  ImGui::TextUnformatted(tr("new samples every"));
  ImGui::SameLine();
  ImGui::SetNextItemWidth(6 * em);
  ImGui::InputInt("##every", &g_tv.every, 10, 100);
  g_tv.every = std::clamp(g_tv.every, 1, 1000000);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip(tr("Redraw the sample grid every this many training steps."));
  ImGui::SameLine();
  ImGui::TextUnformatted(tr("steps"));
  same_line_if_fits(ImGui::CalcTextSize(tr("Restart")).x + 2 * em);
  if (gan_allows(ctx, "train start") && ImGui::Button(active ? tr("Restart") : tr("Start")))
    run("train start steps " + std::to_string(g_tv.steps) + " every " + std::to_string(g_tv.every));
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip(tr("Train a fresh Fashion-MNIST GAN (weights from seed A) for this many steps in the background."));
  if (active) {
    same_line_if_fits(6 * em);
    if (gan_allows(ctx, snap->paused ? "train resume" : "train pause") && ImGui::Button(snap->paused ? tr("Resume") : tr("Pause"))) run(snap->paused ? "train resume" : "train pause");
    same_line_if_fits(5 * em);
    if (gan_allows(ctx, "train stop") && ImGui::Button(tr("Stop"))) run("train stop");
  }
  if (snap && snap->step > 0) {
    same_line_if_fits(14 * em);
    if (gan_allows(ctx, "train use") && ImGui::Button(tr("Use these weights"))) run("train use");
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip(tr("Stop training and draw the samples and interpolation panels with this model (averaged weights)."));
  }
  if (!g_tv.message.empty()) {
    if (g_tv.message_ok)
      note("%s", g_tv.message.c_str());
    else
      accent_text(g_tv.message.c_str());
  }
  if (!snap) {
    ui::text_wrappedf(tr("Train the image GAN from scratch and watch it learn: the generator starts from noise; the discriminator learns what real clothes look like; each step both get a little better. A few hundred steps give blurry shapes, a few thousand recognisable clothes (the shipped model had 9000)."));
    return;
  }
  if (!snap->error.empty()) accent_text((tr("Training failed: ") + snap->error).c_str());
  const char* state = snap->finished ? tr("finished") : snap->paused ? tr("paused") : tr("running");
  ImGui::Text(tr("step %lld, %s"), (long long)snap->step, state);
  if (!snap->d_losses.empty()) {
    ImGui::SameLine();
    ImGui::TextDisabled(tr("  last losses: D %.3f, G %.3f"), snap->d_losses.back(), snap->g_losses.back());
  }

  // [SECTION] losses
  const bool side_by_side = ImGui::GetContentRegionAvail().x > 40 * em;
  const float avail_h = ImGui::GetContentRegionAvail().y;
  if (!snap->d_losses.empty()) {
    const int w = std::max(1, int(snap->d_losses.size() / 100));
    std::vector<float> ds = ui::moving_average(snap->d_losses, size_t(w)), gs = ui::moving_average(snap->g_losses, size_t(w));
    ui::PlotOptions po;
    const float h = side_by_side ? avail_h - 3 * ImGui::GetTextLineHeightWithSpacing() : avail_h * 0.4f;
    po.size = ImVec2(side_by_side ? ImGui::GetContentRegionAvail().x * 0.45f : 0, std::clamp(h, 8 * em, 18 * em));
    po.y_min = 0;  // non-saturating losses are ≥ 0
    po.x_label = tr("training step");
    po.y_label = tr("loss");
    char title[192];
    std::snprintf(title, sizeof title, w == 1 ? tr("losses (every step)") : tr("losses (moving average over %d steps)"), w);
    po.title = title;
    std::vector<ui::LineSeries> s = {{tr("D loss"), ds.data(), int(ds.size()), nullptr, fake_colour()},
                                     {tr("G loss"), gs.data(), int(gs.size()), nullptr, IM_COL32(230, 159, 0, 255)}};
    ui::line_plot("imgloss", s.data(), int(s.size()), po);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip(tr("non-saturating losses, averaged over %d steps"), w);
    if (side_by_side) ImGui::SameLine();
  }

  // [SECTION] samples
  const int per = snap->samples_per_class;
  if (per > 0 && snap->samples.size() == size_t(kFashionClasses) * per * 784) {
    ImGui::BeginGroup();
    ImGui::TextDisabled(tr("samples at step %lld: one column per class, fixed latents"), (long long)snap->samples_step);
    const int cols = kFashionClasses, rows = std::min(per, 4);
    const float gap = 0.15f * em;
    const float w_avail = ImGui::GetContentRegionAvail().x,
                h_avail = ImGui::GetContentRegionAvail().y - 3.5f * ImGui::GetTextLineHeightWithSpacing();
    const float side = std::max(1.6f * em, std::min((w_avail - gap * cols) / cols, (h_avail - gap * rows) / rows));
    gan_class_headers(side, side + gap, -1);  // two lines when the names do not fit on one
    int hover = -1;
    for (int r = 0; r < rows; ++r)
      for (int c = 0; c < cols; ++c) {
        if (c > 0) ImGui::SameLine(0, gap);
        const int idx = c * per + r;
        if (gan_image("gan.train." + std::to_string(idx), &snap->samples[size_t(idx) * 784], side)) hover = idx;
      }
    if (hover >= 0)
      ImGui::SetTooltip(tr("%s (sample %d), drawn at step %lld"), fashion_class(hover / per), hover % per + 1,
                        (long long)snap->samples_step);
    ImGui::EndGroup();
  }
  note(tr("D loss and G loss pull against each other: neither goes to zero while the game is balanced. The sample grid uses the same latents every time, so you watch the same clothes sharpen."));
}

GB_PANEL("gan.training", draw_gan_training);

}  // namespace gb::app
