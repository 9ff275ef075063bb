// One denoising step, large: x_t (the input), ε̂ (the noise the network predicts), x̂_0 (the clean
// picture it implies) and x_{t−1} (the output) side by side, each with a colour scale; the update
// formula with the live numbers of the hovered pixel; a histogram of the pixel values of x_t.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>

#include <imgui.h>

#include "app/panels/diffusion_common.hpp"
#include "app/panels/registry.hpp"
#include "app/panels/transformer_inspect.hpp"
#include "app/widgets/draw_util.hpp"
#include "app/widgets/plots.hpp"
#include "core/i18n.hpp"

namespace gb::app {

namespace {
struct StepView {
  int pixel = 14 * 28 + 14;  // the pixel whose numbers the formula shows (last hovered)
};
StepView g_step;

// A number for a formula: negative values in parentheses so "0.98·(−0.47)" reads right.
std::string fnum(double v) {
  char b[32];
  std::snprintf(b, sizeof b, v < 0 ? "(%.4f)" : "%.4f", v);
  return b;
}

void mono_wrapped(PanelContext& ctx, const char* text) {
  if (ctx.mono_font) ImGui::PushFont(ctx.mono_font);
  ui::text_wrapped(text);  // breaks at spaces, never inside a number
  if (ctx.mono_font) ImGui::PopFont();
}
}  // namespace

// [SECTION] One frame of the panel: the last step the sampler took, one function per part

struct StepFrame {
  PanelContext& ctx;
  DiffusionLab* lab;
  float em;
  const Sampler& s;
  const SamplerConfig& cfg;
  const NoiseSchedule& sched;
  int D;                  // numbers per sample (784 for an image, 2 for a point)
  const SamplerStep& st;  // the last step taken
  char buf[512] = {};

  void pictures();   // x_t, ε_θ, pred x_0, x_{t−1} (images), or the note for 2D data
  void formula();    // the update with live numbers for one pixel
  void histogram();  // pixel values of x_t
};

void StepFrame::pictures() {
  // [SECTION] the four pictures
  if (lab->is_image()) {
    const float avail = ImGui::GetContentRegionAvail().x;
    const float scale_w = diffusion_scale_width();  // colour bar with labels
    const float sp = ImGui::GetStyle().ItemSpacing.x;
    // four across when they fit at 5 font heights each, else two rows of two; never taller than the panel
    // leaves room for (the formulas below need about 9 lines)
    const int cols = (avail - 4 * scale_w - 3 * sp) / 4 >= 5 * em ? 4 : 2;
    const float rows_h = (ImGui::GetContentRegionAvail().y - 9 * ImGui::GetTextLineHeightWithSpacing()) / (4 / cols) -
                         ImGui::GetTextLineHeightWithSpacing();
    float side = std::clamp(std::min((avail - cols * scale_w - (cols - 1) * sp) / cols, rows_h), 4 * em, 20 * em);
    // One fixed colour scale per kind of picture (diffusion_colour_range), shared with the sampler and
    // forward panels: x_t, pred x_0 and x_{t−1} on −1 … +1 (beyond: marked), ε_θ on ±3.
    struct Pic {
      const char* id;
      const char* title;
      const std::vector<float>* v;
      DiffusionPicture kind;
      const char* what;
    };
    const Pic pics[4] = {
        {"xt", tr("x_t (input)"), &st.x_t, DiffusionPicture::model_space, tr("x_t value")},
        {"eps", tr("ε_θ (predicted noise)"), &st.eps, DiffusionPicture::noise, tr("predicted noise ε_θ")},
        {"x0", tr("pred x_0 (clean guess)"), &st.x0, DiffusionPicture::model_space, tr("predicted x_0")},
        {"xprev", tr("x_{t−1} (output)"), &st.x_prev, DiffusionPicture::model_space, tr("x_{t−1} value")},
    };
    int hovered = -1;
    for (int i = 0; i < 4; ++i) {
      if (i % cols != 0) ImGui::SameLine();
      ImGui::BeginGroup();
      ImGui::TextUnformatted(ui::fit_text(pics[i].title, side + scale_w).c_str());
      auto h = diffusion_image(pics[i].id, pics[i].v->data(), side, pics[i].kind, pics[i].what);
      if (h.hovered) {
        hovered = h.row * 28 + h.col;
        ImGui::BeginTooltip();
        ImGui::TextDisabled(tr("the formula below shows this pixel"));
        ImGui::EndTooltip();
      }
      ImGui::EndGroup();
    }
    if (hovered >= 0) g_step.pixel = hovered;
  } else {
    note(tr("2D data: the numbers below are for point 0 (its first coordinate); the 2D points panel (Model menu) shows the whole cloud."));
    g_step.pixel = 0;
  }
}

void StepFrame::formula() {
  // [SECTION] the update formula with live numbers
  const int i = std::clamp(g_step.pixel, 0, D - 1);  // sample 0
  const double ab = st.alpha_bar, abp = st.alpha_bar_prev;
  const double a_eff = ab / abp, b_eff = 1 - a_eff;
  const double xt = st.x_t[size_t(i)], e = st.eps[size_t(i)], x0 = st.x0[size_t(i)];
  const double z_sigma = st.noise[size_t(i)], out = st.x_prev[size_t(i)];
  ImGui::Spacing();
  if (lab->is_image())
    ui::text_wrappedf(tr("Pixel (row %d, column %d) — hover a picture to pick another"), i / 28, i % 28);
  if (!st.eps_cond.empty()) {
    std::snprintf(buf, sizeof buf,
                  tr("guidance:  ε_θ = ε_uncond + w·(ε_class − ε_uncond) = %.4f + %.3g·(%.4f − %s) = %.4f"),
                  st.eps_uncond[size_t(i)], cfg.guidance, st.eps_cond[size_t(i)], fnum(st.eps_uncond[size_t(i)]).c_str(), e);
    mono_wrapped(ctx, buf);
  }
  const double x0_raw = (xt - std::sqrt(1 - ab) * e) / std::sqrt(ab);
  const bool clipped = cfg.clip_x0 && std::fabs(x0_raw) > 1;  // the sampler's rule: pred x_0 kept in [−1, 1]
  std::snprintf(buf, sizeof buf, "pred x_0 = (x_t \xe2\x88\x92 \xe2\x88\x9a(1\xe2\x88\x92\xc4\x81_t)\xc2\xb7\xce\xb5_\xce\xb8) / \xe2\x88\x9a\xc4\x81_t = (%.4f \xe2\x88\x92 %.4f\xc2\xb7%s) / %.4f = %.4f",
                xt, std::sqrt(1 - ab), fnum(e).c_str(), std::sqrt(ab), x0_raw);
  if (clipped)
    std::snprintf(buf + std::strlen(buf), sizeof buf - std::strlen(buf), tr("  → clipped to [−1, 1]: %.4f"), x0);
  mono_wrapped(ctx, buf);
  if (cfg.kind == SamplerKind::ddpm) {
    const double c1 = 1 / std::sqrt(a_eff), c2 = b_eff / std::sqrt(1 - ab);
    const double formula = c1 * (xt - c2 * e) + z_sigma;
    std::snprintf(buf, sizeof buf,
                  "x_{t\xe2\x88\x92" "1} = 1/\xe2\x88\x9a\xce\xb1_t \xc2\xb7 (x_t \xe2\x88\x92 \xce\xb2_t/\xe2\x88\x9a(1\xe2\x88\x92\xc4\x81_t) \xc2\xb7 \xce\xb5_\xce\xb8) + \xcf\x83_t z\n"
                  "        = %.4f \xc2\xb7 (%.4f \xe2\x88\x92 %.4f \xc2\xb7 %s) + %s = %.4f",
                  c1, xt, c2, fnum(e).c_str(), fnum(z_sigma).c_str(), formula);
    mono_wrapped(ctx, buf);
    note(tr("α_t = ā_t / ā_{t−1} = %.5f / %.5f = %.5f, β_t = 1 − α_t = %.5f%s; σ_t = %.4f is the size of the fresh noise z added (z = %.3f here)."),
         ab, abp, a_eff, b_eff, s.total_steps() < sched.T ? tr(" (over the jump this step makes)") : "", st.sigma,
         st.sigma > 0 ? z_sigma / st.sigma : 0.0);
    if (std::fabs(formula - out) > 1e-3)
      note(tr("The sampler's value is %.4f: it computes the same step from the clipped pred x_0, which changes it where pred x_0 left [−1, 1]."), out);
  } else {
    const double sig = st.sigma;
    const double ce = std::sqrt(std::max(0.0, 1 - abp - sig * sig));
    // With a clipped pred x_0 the sampler re-derives the noise from it, so x_t = √ā_t·x̂_0 + √(1−ā_t)·ε still holds.
    const double e_used = clipped ? (xt - std::sqrt(ab) * x0) / std::sqrt(1 - ab) : e;
    if (clipped) {
      std::snprintf(buf, sizeof buf,
                    "\xce\xb5_used = (x_t \xe2\x88\x92 \xe2\x88\x9a\xc4\x81_t\xc2\xb7pred x_0) / \xe2\x88\x9a(1\xe2\x88\x92\xc4\x81_t) = (%.4f \xe2\x88\x92 %.4f\xc2\xb7%s) / %.4f = %.4f",
                    xt, std::sqrt(ab), fnum(x0).c_str(), std::sqrt(1 - ab), e_used);
      mono_wrapped(ctx, buf);
    }
    std::snprintf(buf, sizeof buf,
                  "DDIM:  x_{t\xe2\x88\x92" "1} = \xe2\x88\x9a\xc4\x81_{t\xe2\x88\x92" "1}\xc2\xb7pred x_0 + \xe2\x88\x9a(1\xe2\x88\x92\xc4\x81_{t\xe2\x88\x92" "1}\xe2\x88\x92\xcf\x83\xc2\xb2)\xc2\xb7%s + \xcf\x83 z\n"
                  "        = %.4f\xc2\xb7%s + %.4f\xc2\xb7%s + %s = %.4f",
                  clipped ? "\xce\xb5_used" : "\xce\xb5_\xce\xb8", std::sqrt(abp), fnum(x0).c_str(), ce, fnum(e_used).c_str(),
                  fnum(z_sigma).c_str(), out);
    mono_wrapped(ctx, buf);
    if (clipped)
      note(tr("Why a second noise: the network's guess for this pixel, %.4f, is %s, so the sampler clips it to %.4f. It then works out which noise goes with the clipped guess — ε_used = %.4f instead of the network's ε_θ = %.4f — so that x_t = √ā_t·pred x_0 + √(1−ā_t)·ε_used still holds, and takes the step with the clipped guess and ε_used. Where pred x_0 needs no clipping, ε_used = ε_θ."),
           x0_raw, x0_raw > 1 ? tr("brighter than white (+1)") : tr("darker than black (−1)"), x0, e_used, e);
    note(tr("ā_t = %.5f (t = %d), ā_{t−1} = %.5f (the next timestep, %s); σ = %.4f (η = %.2f). The same as the DDPM update 1/√α_t·(x_t − β_t/√(1−ā_t)·ε_θ) + σ_t z when η = 1, but with η = 0 no fresh noise is added, so the same seed always lands on the same picture."),
         ab, st.t, abp, st.t_prev >= 0 ? ("t = " + std::to_string(st.t_prev)).c_str() : tr("the end"), st.sigma, cfg.eta);
  }
}

void StepFrame::histogram() {
  // [SECTION] histogram of x_t
  if (lab->is_image()) {
    constexpr int kBins = 32;
    const float lo = -4, hi = 4;
    std::vector<float> counts(kBins, 0.0f);
    for (float v : st.x_t) counts[size_t(std::clamp(int((v - lo) / (hi - lo) * kBins), 0, kBins - 1))] += 1;
    // Each bar is named by its range ("0…0.25"); the labels under the axis show every 4th (the whole numbers).
    std::vector<std::string> labels(kBins);
    for (int b = 0; b < kBins; ++b) {
      std::snprintf(buf, sizeof buf, "%g\xe2\x80\xa6%g", lo + (hi - lo) * b / kBins, lo + (hi - lo) * (b + 1) / kBins);
      labels[size_t(b)] = buf;
    }
    ui::BarOptions bo;
    bo.title = tr("Pixel values of x_t (how many of the 784 pixels fall in each range)");
    bo.x_label = tr("pixel value (−4 … 4; −1 = background, +1 = ink)");
    bo.y_label = tr("pixels");
    bo.labels = &labels;
    bo.label_every = 4;
    bo.value_name = tr("pixels");
    bo.value_format = "%.0f";
    bo.size = ImVec2(0, std::max(8 * em, std::min(14 * em, ImGui::GetContentRegionAvail().y - 0.5f * em)));
    ui::bar_chart("hist", counts.data(), kBins, bo);
    note(tr("Pure noise gives a bell curve around 0; as t falls the pixels gather at −1 (background) and towards +1 (ink)."));
  }
}

void draw_diffusion_step(PanelContext& ctx) {
  DiffusionLab* lab = diffusion_lab(ctx);
  if (!diffusion_ready(lab)) return;
  const float em = ImGui::GetFontSize();
  const Sampler& s = *lab->sampler();
  const SamplerConfig& cfg = lab->sampler_config();
  const NoiseSchedule& sched = lab->model()->schedule();
  const int D = s.dim();
  if (s.trace().empty()) {
    accent_text(tr("Pure noise x_T: no step taken yet."));
    note(tr("Press Step (or type `diffusion step`) to see what one denoising step does: the network looks at the noisy picture x_t, predicts the noise ε_θ in it, and removes a bit of that noise."));
    if (lab->is_image()) {
      float side = std::min(ImGui::GetContentRegionAvail().x * 0.5f, 14 * em);
      diffusion_image("xT", s.x().data(), side, DiffusionPicture::model_space, tr("x_T (standard normal noise)"));
    }
    return;
  }
  const SamplerStep& st = s.trace().back();
  const int k = s.steps_taken();
  ImGui::Text(tr("Step %d of %d: t = %d → %s"), k, s.total_steps(), st.t,
              st.t_prev >= 0 ? ("t = " + std::to_string(st.t_prev)).c_str() : tr("the clean picture"));
  ImGui::SameLine();
  help_marker(tr("x_t: the picture going in (noisy). ε_θ (epsilon-hat): the noise the network thinks is in x_t. pred x_0: the clean picture that noise implies, pred x_0 = (x_t − √(1−ā_t)·ε_θ) / √ā_t. x_{t−1}: the picture coming out, a little less noisy."));

  StepFrame f{ctx, lab, em, s, cfg, sched, D, st};
  f.pictures();
  f.formula();
  f.histogram();
}

GB_PANEL("diffusion.step", draw_diffusion_step);

}  // namespace gb::app
