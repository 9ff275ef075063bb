// Sampler panel: what to draw (data set, class by name), the sampler settings (seed, guidance,
// DDPM/DDIM, steps, η), Step / Back / Play / Run / Reset, a scrub slider across t, presets that
// work and presets that fail on purpose, and the picture (or point cloud) as it is now.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include <imgui.h>

#include "app/panels/diffusion_common.hpp"
#include "app/panels/registry.hpp"
#include "app/panels/transformer_inspect.hpp"
#include "app/widgets/draw_util.hpp"
#include "app/widgets/setting_slider.hpp"
#include "models/data/fashion_mnist.hpp"
#include "core/i18n.hpp"

namespace gb::app {

namespace {
const char* const kData[] = {"fashion-mnist", "moons", "swiss-roll", "rings", "gaussians", "drawn"};
constexpr int kDataCount = 6;
}

// [SECTION] One frame of the panel: the lab's sampler, one function per part

struct SamplerFrame {
  PanelContext& ctx;
  DiffusionLab* lab;
  float em;
  const Sampler& s;
  const SamplerConfig& cfg;
  float ctrl_w;      // the controls column's width
  int t_now;         // the sampler's current t (-1: finished)
  char buf[256] = {};

  void picture(float width);  // `width`: the picture and, for images, its colour bar
  void what_to_draw();        // data set, class or number of points
  void settings();            // seed, sampler, steps, guidance, η
  void walk();                // step, back, play, run, scrub
  void presets();
};

void SamplerFrame::picture(float width) {
  ImGui::BeginGroup();
  const std::vector<float>& x = s.x();
  if (lab->is_image()) {
    if (t_now >= 0) ImGui::Text(tr("x_t now (t = %d)"), t_now);
    else ImGui::TextUnformatted(tr("x_0: the finished picture"));
    const float side = std::max(width - diffusion_scale_width(), 4 * em);
    auto h = diffusion_image("now", x.data(), side, DiffusionPicture::model_space, tr("value (model space)"));
    if (h.hovered) {
      ImGui::BeginTooltip();
      ImGui::Text(tr("as a pixel: %d of 255 (0 = background)"), diffusion_byte(h.value));
      ImGui::EndTooltip();
    }
  } else {
    ImGui::Text(tr("%d points, %s"), s.batch(), t_now >= 0 ? ("t = " + std::to_string(t_now)).c_str() : tr("finished"));
    const float side = std::max(width, 4 * em);
    ImVec2 p0 = ImGui::GetCursorScreenPos();
    diffusion_points_thumbnail(x.data(), s.batch(), p0, ImVec2(side, side), kDiffusionPlaneLim, ui::series_colour(1));
    ImGui::Dummy(ImVec2(side, side));
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip(tr("The %d points now (square: −3 … 3 on both axes). The 2D points panel (Model menu) shows them larger, with the model's arrows."), s.batch());
  }
  ImGui::EndGroup();
}

void SamplerFrame::what_to_draw() {
  // [SECTION] what to draw
  int di = 0;
  for (int i = 0; i < kDataCount; ++i)
    if (lab->data() == kData[i]) di = i;
  const char* shown[kDataCount];
  for (int i = 0; i < kDataCount; ++i) shown[i] = diffusion_data_label(kData[i]);
  if (ImGui::Combo(tr("data"), &di, shown, kDataCount)) diffusion_run(ctx, std::string("data ") + kData[di]);
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip(tr("fashion-mnist: 28×28 clothing pictures (a U-Net).\nThe others: 2D point clouds (a small MLP);\ndrawn: points you draw in the 2D points panel."));
  if (lab->is_image()) {
    const char* preview = diffusion_class_name(lab->label());
    if (ImGui::BeginCombo(tr("class"), preview)) {
      if (ImGui::Selectable(tr("no class (unconditional)"), lab->label() < 0)) diffusion_run(ctx, "class none");
      for (int k = 0; k < kFashionClasses; ++k) {
        std::snprintf(buf, sizeof buf, "%d  %s", k, fashion_class(k));
        if (ImGui::Selectable(buf, lab->label() == k)) diffusion_run(ctx, "class " + std::to_string(k));
      }
      ImGui::EndCombo();
    }
    if (ImGui::IsItemHovered()) ImGui::SetTooltip(tr("The kind of clothing to draw (the model's class label c)."));
  } else {
    int n = lab->points();
    if (ui::setting_slider("diffusion", "point-count", tr("points"), n)) diffusion_run(ctx, "set point-count " + std::to_string(n));
  }
}

void SamplerFrame::settings() {
  // [SECTION] sampler settings
  int seed = int(cfg.seed);
  if (ImGui::InputInt(tr("seed"), &seed)) diffusion_run(ctx, "seed " + std::to_string(std::max(0, seed)));
  if (ImGui::IsItemHovered()) ImGui::SetTooltip(tr("Which starting noise x_T: the same seed always gives the same picture."));
  if (lab->is_image()) {
    float g = cfg.guidance;
    if (ui::setting_slider("diffusion", "guidance", tr("guidance"), g, "w = %.2f", false)) {
      std::snprintf(buf, sizeof buf, "guidance %.3g", g);
      diffusion_run(ctx, buf);
    }
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip(tr("Classifier-free guidance scale w:  ε = ε_uncond + w · (ε_class − ε_uncond)\n0 = ignore the class, 1 = plain conditional model, larger = push harder towards the class.\nNow: w = %.3g"),
                        cfg.guidance);
  }
  int kind = cfg.kind == SamplerKind::ddpm ? 0 : 1;
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(tr("sampler"));
  ImGui::SameLine();
  if (ImGui::RadioButton("DDPM", kind == 0) && kind != 0) diffusion_run(ctx, "sampler ddpm");  // i18n: keep
  if (ImGui::IsItemHovered()) ImGui::SetTooltip(tr("DDPM (ancestral): every step removes some noise and adds a little fresh noise back."));
  ImGui::SameLine();
  if (ImGui::RadioButton("DDIM", kind == 1) && kind != 1) diffusion_run(ctx, "sampler ddim");  // i18n: keep
  if (ImGui::IsItemHovered()) ImGui::SetTooltip(tr("DDIM: deterministic when η = 0, and good with few, large steps."));
  int steps = cfg.steps;
  const int T = lab->model()->schedule().T;
  if (ui::setting_slider("diffusion", "steps", tr("steps"), steps, "%d", false, NAN, T)) diffusion_run(ctx, "steps " + std::to_string(steps));
  if (ImGui::IsItemHovered()) ImGui::SetTooltip(tr("How many denoising steps from pure noise to the picture (the model was trained with T = %d)."), T);
  if (cfg.kind == SamplerKind::ddim) {
    float eta = cfg.eta;
    if (ui::setting_slider("diffusion", "eta", tr("eta"), eta, "\xce\xb7 = %.2f", false)) {
      std::snprintf(buf, sizeof buf, "eta %.3g", eta);
      diffusion_run(ctx, buf);
    }
    if (ImGui::IsItemHovered()) ImGui::SetTooltip(tr("DDIM noise η: 0 = no fresh noise (deterministic), 1 = as much as DDPM."));
  }
  ImGui::PopItemWidth();
}

void SamplerFrame::walk() {
  const int T = lab->model()->schedule().T;
  // [SECTION] walking the trajectory
  ImGui::Spacing();
  if (diffusion_allows(ctx, "step") && ImGui::Button(tr("Step"))) diffusion_run(ctx, "step");
  if (ImGui::IsItemHovered()) ImGui::SetTooltip(tr("One denoising step: x_t → x_{t−1}"));
  ImGui::SameLine();
  if (diffusion_allows(ctx, "back") && ImGui::Button(tr("Back"))) diffusion_run(ctx, "back");
  if (ImGui::IsItemHovered()) ImGui::SetTooltip(tr("Undo the last step (the picture is exactly as before)"));
  ImGui::SameLine();
  if (lab->playing()) {
    if (diffusion_allows(ctx, "pause") && ImGui::Button(tr("Pause"))) diffusion_run(ctx, "pause");
  } else if (diffusion_allows(ctx, "play") && ImGui::Button(tr("Play"))) {
    diffusion_run(ctx, "play");
  }
  if (ImGui::IsItemHovered()) ImGui::SetTooltip(tr("Animate the steps (about 3 seconds for the whole trajectory)"));
  ImGui::SameLine();
  if (diffusion_allows(ctx, "run") && ImGui::Button(tr("Run"))) diffusion_run(ctx, "run");
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip(tr("All remaining steps, as fast as the computer can (a few ms of work per frame, so the window keeps responding)"));
  ImGui::SameLine();
  if (diffusion_allows(ctx, "reset") && ImGui::Button(tr("Reset"))) diffusion_run(ctx, "reset");
  if (ImGui::IsItemHovered()) ImGui::SetTooltip(tr("Back to the pure noise x_T"));

  const int total = s.total_steps();
  int k = s.steps_taken();
  ImGui::SetNextItemWidth(ctrl_w);
  if (t_now >= 0) std::snprintf(buf, sizeof buf, tr("step %%d of %d  (t = %d)"), total, t_now);
  else std::snprintf(buf, sizeof buf, tr("step %%d of %d  (done: x_0)"), total);
  if (ImGui::SliderInt("##scrub", &k, 0, total, buf)) diffusion_run(ctx, "frame " + std::to_string(k));
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip(tr("Scrub along the trajectory. t is the noise level: t = %d is pure noise, t = 0 the last step.\nSteps visit t = %d, %d, … (%d timesteps out of T = %d)."),
                      T - 1, s.timesteps()[0], total > 1 ? s.timesteps()[1] : -1, total, T);

  if (lab->computing() && lab->target_frame() > k) {
    // "computing step 312 / 1000": the steps are computed a few ms per frame
    const float frac = float(k) / float(std::max(1, lab->target_frame()));
    char progress[96];
    std::snprintf(progress, sizeof progress, tr("computing step %d / %d"), k + 1, lab->target_frame());
    ImGui::ProgressBar(frac, ImVec2(ctrl_w, 0), progress);
    const char* sampler = cfg.kind == SamplerKind::ddpm ? "DDPM" : "DDIM";
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip(tr("Denoising steps are computed a few milliseconds per frame, so the window keeps responding.\n%d of %d steps done (%s, %d steps, guidance %.3g)."), k, lab->target_frame(),
                        sampler, total, cfg.guidance);
  }
}

void SamplerFrame::presets() {
  // [SECTION] presets
  ImGui::Spacing();
  ImGui::TextUnformatted(tr("Presets"));
  ImGui::SameLine();
  help_marker(tr("Green presets work. Red presets fail on purpose: press one and see what goes wrong. Each runs to the end; scrub back to watch how it got there."));
  // Only the presets that mean something for this model: the 2D models have no classes, so no guidance presets.
  float line_x = 0;
  const bool image = lab->is_image();
  for (const DiffusionPreset* pp : diffusion_presets_for(image)) {
    const DiffusionPreset& p = *pp;
    float w = ImGui::CalcTextSize(p.name).x + 2 * ImGui::GetStyle().FramePadding.x;
    if (line_x > 0 && line_x + w < ctrl_w) ImGui::SameLine();
    else line_x = 0;
    line_x += w + ImGui::GetStyle().ItemSpacing.x;
    diffusion_preset_button(ctx, p, lab->preset() == p.name, image);
  }
  if (!lab->preset().empty())
    for (const auto& p : diffusion_presets())
      if (lab->preset() == p.name) note("%s: %s", p.name, tr(diffusion_preset_summary(p, image)));
}

void draw_diffusion_sampler(PanelContext& ctx) {
  DiffusionLab* lab = diffusion_lab(ctx);
  if (!diffusion_ready(lab)) return;
  const float em = ImGui::GetFontSize();
  const float avail = ImGui::GetContentRegionAvail().x;
  // Two columns when there is room: controls left, the current picture right.
  const bool two_cols = avail > 34 * em;
  const float pic = two_cols ? std::min(avail * 0.42f, ImGui::GetContentRegionAvail().y - 1.5f * em) : 0;
  const float ctrl_w = two_cols ? avail - pic - 1.0f * em : avail;
  // The current picture: right of the controls when the panel is wide; above them when it is narrow, so at scale 2
  // the picture is never pushed out of the panel by the controls.
  SamplerFrame f{ctx, lab, em, *lab->sampler(), lab->sampler_config(), ctrl_w, lab->sampler()->current_t()};
  if (!two_cols) {
    const float room_h = ImGui::GetContentRegionAvail().y;
    const float extra = lab->is_image() ? diffusion_scale_width() : 0;
    f.picture(std::clamp(std::min(avail - extra, 0.45f * room_h), 6 * em, 18 * em) + extra);
    ImGui::Spacing();
  }
  ImGui::BeginGroup();
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + ctrl_w);  // notes wrap inside the controls column
  ImGui::PushItemWidth(std::min(ctrl_w * 0.55f, 14 * em));

  f.what_to_draw();
  f.settings();
  f.walk();
  f.presets();
  ImGui::PopTextWrapPos();
  ImGui::EndGroup();

  if (two_cols) {
    ImGui::SameLine(0, 1.0f * em);
    const float room_h = ImGui::GetContentRegionAvail().y - ImGui::GetTextLineHeightWithSpacing() - 0.3f * em;
    f.picture(std::min(pic, room_h + (lab->is_image() ? diffusion_scale_width() : 0)));
  }
}

GB_PANEL("diffusion.sampler", draw_diffusion_sampler);

}  // namespace gb::app
