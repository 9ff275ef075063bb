// Training: start / pause / stop a fresh model of the current data on a worker thread, the loss
// curve live, and samples drawn from the newest (EMA) weights every few seconds.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include <imgui.h>

#include "app/panels/diffusion_common.hpp"
#include "app/panels/registry.hpp"
#include "app/panels/transformer_inspect.hpp"
#include "app/widgets/draw_util.hpp"
#include "app/widgets/plots.hpp"
#include "models/data/fashion_mnist.hpp"
#include "core/i18n.hpp"

namespace gb::app {

void draw_diffusion_training(PanelContext& ctx) {
  DiffusionLab* lab = diffusion_lab(ctx);
  if (!lab) return;
  const float em = ImGui::GetFontSize();
  auto snap = lab->training();
  const bool active = lab->training_active();
  const bool running = active && !(snap && (snap->paused || snap->finished));

  // [SECTION] controls
  ui::text_wrappedf(tr("Train a fresh %s model from random weights: the network sees real %s with noise added and learns to predict that noise (loss = mean of (ε − ε_θ)²)."),
                     lab->is_image() ? tr("image") : "2D", lab->is_image() ? tr("Fashion-MNIST pictures") : (lab->data() + tr(" points")).c_str());
  if (!running) {
    if (diffusion_allows(ctx, "train start") && ImGui::Button(active ? tr("Resume") : tr("Start"))) diffusion_run(ctx, "train start");
  } else if (diffusion_allows(ctx, "train pause") && ImGui::Button(tr("Pause"))) {
    diffusion_run(ctx, "train pause");
  }
  ImGui::SameLine();
  ImGui::BeginDisabled(!active);
  if (diffusion_allows(ctx, "train stop") && ImGui::Button(tr("Stop"))) diffusion_run(ctx, "train stop");
  ImGui::EndDisabled();
  ImGui::SameLine();
  if (diffusion_allows(ctx, "data " + lab->data()) && ImGui::Button(tr("Shipped model"))) diffusion_run(ctx, "data " + lab->data());
  if (ImGui::IsItemHovered()) ImGui::SetTooltip(tr("Stop training and go back to the shipped, fully trained model"));
  if (lab->is_image()) note(tr("The image U-Net learns slowly on a CPU: expect blurry blobs for minutes. The 2D models learn in seconds."));

  if (!snap) {
    note(tr("Not trained yet. Start trains the %s model; the sampler then uses the newest weights after Reset."), lab->data().c_str());
    return;
  }
  if (!snap->error.empty()) {
    accent_text(tr("Training stopped with an error:"));
    note("%s", snap->error.c_str());
  }
  const float loss = snap->loss_history.empty() ? 0.0f : snap->loss_history.back();
  ImGui::Text(tr("step %lld of %lld%s   loss %.4f"), (long long)snap->step, (long long)snap->total,
              snap->finished ? tr(" (finished)") : snap->paused ? tr(" (paused)") : active ? "" : tr(" (stopped)"), loss);

  // [SECTION] loss curve (smoothed copy beside the raw one)
  const auto& lh = snap->loss_history;
  const float avail_h = ImGui::GetContentRegionAvail().y;
  const float plot_h = std::max(8 * em, avail_h * 0.45f);
  std::vector<float> smooth(lh.size());
  float m = lh.empty() ? 0 : lh[0];
  for (size_t i = 0; i < lh.size(); ++i) smooth[i] = m = 0.98f * m + 0.02f * lh[i];
  ui::PlotOptions o;
  o.title = tr("Training loss: mean squared error of the predicted noise (lower = better)");
  o.x_label = tr("training step");
  o.y_label = tr("loss");  // short: the plot is low at scale 2 (the title says what it is)
  // a log axis only when the loss spans a decade (else it would show a single tick); linear from 0 otherwise
  float lo = 1e30f, hi = 0;
  for (float v : lh)
    if (v > 0) lo = std::min(lo, v), hi = std::max(hi, v);
  o.log_y = hi > 0 && hi >= 10 * lo;
  if (!o.log_y) o.y_min = 0;
  o.size = ImVec2(0, plot_h);
  ui::line_plot("loss", {{tr("loss per step"), lh.data(), int(lh.size()), nullptr, 0}, {tr("smoothed"), smooth.data(), int(smooth.size()), nullptr, 0}}, o);

  // [SECTION] live samples
  const DiffusionLiveSamples& live = lab->live_samples();
  if (live.step < 0) {
    note(tr("Samples from the current weights appear here a few seconds after training starts."));
    return;
  }
  ImGui::Text(tr("Samples from the weights of step %lld (DDIM, 20 steps%s):"), (long long)live.step, live.dim == 784 ? tr(", guidance 3") : "");
  const float avail = ImGui::GetContentRegionAvail().x;
  const float rest_h = ImGui::GetContentRegionAvail().y - 0.5f * em;
  ImVec2 p0 = ImGui::GetCursorScreenPos();
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  if (live.dim == 784) {
    const int n = int(live.labels.size());
    const float gap = 0.3f * em;
    float side = std::min((avail - gap * (n - 1)) / n, std::max(2.5f * em, rest_h - 1.3f * em));
    side = std::max(side, 2 * em);
    for (int i = 0; i < n; ++i) {
      ImVec2 q(p0.x + i * (side + gap), p0.y);
      diffusion_thumbnail("diffusion.live." + std::to_string(i), live.samples.data() + size_t(i) * 784, q, side);
      if (mouse.x >= q.x && mouse.x < q.x + side && mouse.y >= q.y && mouse.y < q.y + side && ImGui::IsWindowHovered())
        ImGui::SetTooltip(tr("asked for class %d: %s"), live.labels[size_t(i)], diffusion_class_name(live.labels[size_t(i)]));
    }
    ImGui::Dummy(ImVec2(avail, side));
    note(tr("Left to right: the ten classes, T-shirt/top … Ankle boot (hover for the name)."));
  } else {
    // An untrained network throws its samples far away: say so (above the square, so it stays in view).
    const int n = int(live.labels.size());
    int inside = 0;
    for (int i = 0; i < n; ++i) {
      const float x = live.samples[size_t(2 * i)], y = live.samples[size_t(2 * i + 1)];
      inside += std::abs(x) <= 3 && std::abs(y) <= 3;
    }
    if (inside < n)
      note(tr("%d of %d points fall outside this square (−3 … 3): the network has not learnt the data yet."),
           n - inside, n);
    p0 = ImGui::GetCursorScreenPos();
    float side = std::max(6 * em, std::min(avail, ImGui::GetContentRegionAvail().y - 0.5f * em));
    diffusion_points_thumbnail(live.samples.data(), n, p0, ImVec2(side, side), kDiffusionPlaneLim, ui::series_colour(1));
    ImGui::Dummy(ImVec2(side, side));
    if (ImGui::IsItemHovered()) ImGui::SetTooltip(tr("%d points sampled from the weights of step %lld (square −3 … 3)"),
                                                  n, (long long)live.step);
  }
}

GB_PANEL("diffusion.training", draw_diffusion_training);

}  // namespace gb::app
