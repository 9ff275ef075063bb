// Noise schedule: β_t (noise added per step), α_t = 1 − β_t and ᾱ_t = Π α_s (how much of the clean
// picture survives at t), for the linear and the cosine schedule, with the current t marked and the
// values under the mouse.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include <imgui.h>

#include "app/panels/diffusion_common.hpp"
#include "app/panels/registry.hpp"
#include "app/panels/transformer_inspect.hpp"
#include "app/widgets/draw_util.hpp"
#include "app/widgets/plots.hpp"
#include "core/i18n.hpp"

namespace gb::app {

namespace {
struct ScheduleView {
  int T = 0;
  NoiseSchedule lin, cos;
  std::vector<float> x, sig_lin, sig_cos, keep_lin, keep_cos;  // (T) t, √(1−ᾱ), √ᾱ
};
ScheduleView g_sched;

void schedule_tooltip(int t, const NoiseSchedule& model) {
  if (t < 0 || t >= g_sched.T) return;
  const NoiseSchedule& l = g_sched.lin;
  const NoiseSchedule& c = g_sched.cos;
  ImGui::BeginTooltip();
  ImGui::Text("t = %d", t);
  ImGui::Text(tr("linear:  β_t = %.6f   α_t = %.6f   ā_t = %.5f"), l.beta[size_t(t)], l.alpha[size_t(t)], l.alpha_bar[size_t(t)]);
  ImGui::Text(tr("cosine:  β_t = %.6f   α_t = %.6f   ā_t = %.5f"), c.beta[size_t(t)], c.alpha[size_t(t)], c.alpha_bar[size_t(t)]);
  const float ab = model.alpha_bar[size_t(t)];
  ImGui::Text(tr("this model (%s): x_t = %.3f·x_0 + %.3f·ε"), schedule_name(model.kind), std::sqrt(ab), std::sqrt(1 - ab));
  ImGui::EndTooltip();
}
}  // namespace

void draw_diffusion_schedule(PanelContext& ctx) {
  DiffusionLab* lab = diffusion_lab(ctx);
  if (!diffusion_ready(lab)) return;
  const float em = ImGui::GetFontSize();
  const NoiseSchedule& model = lab->model()->schedule();
  const int T = model.T;
  if (g_sched.T != T) {
    g_sched.T = T;
    g_sched.lin = NoiseSchedule::make(ScheduleKind::linear, T);
    g_sched.cos = NoiseSchedule::make(ScheduleKind::cosine, T);
    g_sched.x.resize(size_t(T));
    g_sched.sig_lin.resize(size_t(T));
    g_sched.sig_cos.resize(size_t(T));
    g_sched.keep_lin.resize(size_t(T));
    g_sched.keep_cos.resize(size_t(T));
    for (int t = 0; t < T; ++t) {
      g_sched.x[size_t(t)] = float(t);
      g_sched.keep_lin[size_t(t)] = std::sqrt(g_sched.lin.alpha_bar[size_t(t)]);
      g_sched.keep_cos[size_t(t)] = std::sqrt(g_sched.cos.alpha_bar[size_t(t)]);
      g_sched.sig_lin[size_t(t)] = std::sqrt(1 - g_sched.lin.alpha_bar[size_t(t)]);
      g_sched.sig_cos[size_t(t)] = std::sqrt(1 - g_sched.cos.alpha_bar[size_t(t)]);
    }
  }
  const Sampler& s = *lab->sampler();
  const int t_now = s.current_t() >= 0 ? s.current_t() : (s.trace().empty() ? -1 : s.trace().back().t);
  ui::text_wrappedf(tr("The model was trained with the %s schedule, T = %d. Current t = %d (the vertical line)."),
                     schedule_name(model.kind), T, t_now);
  // The live numbers first, so they stay in view at scale 2; the curves take the rest.
  if (t_now >= 0) {
    const float a = model.alpha_bar[size_t(t_now)];
    ImGui::Text(tr("At t = %d: β_t = %.5f, α_t = %.5f, ā_t = %.5f"), t_now, model.beta[size_t(t_now)],
                model.alpha[size_t(t_now)], a);
    // ā is a share of the variance; its square root is how much the picture is scaled. Say both, and why the
    // standard deviations do not add up to 100% (variances do).
    note(tr("so x_t = √ā_t·x_0 + √(1−ā_t)·ε = %.3f·x_0 + %.3f·ε. The picture keeps ā_t = %.1f%% of its variance, i.e. √ā_t = %.0f%% of its size (standard deviation); the noise has 1 − ā_t = %.1f%% of a full noise's variance, √(1−ā_t) = %.0f%% of its size. The variance shares add up to 100%%; the sizes do not."),
         std::sqrt(a), std::sqrt(1 - a), 100 * a, 100 * std::sqrt(a), 100 * (1 - a), 100 * std::sqrt(1 - a));
    note(tr("The cosine schedule destroys the picture more slowly at the start, so fewer steps are wasted on pure noise."));
  }
  const float avail_h = ImGui::GetContentRegionAvail().y;
  const float plot_h = std::max(9 * em, avail_h / 2 - 0.3f * em);  // the two plots share what the texts leave
  const ImU32 c_lin = ui::series_colour(0), c_cos = ui::series_colour(1);

  // [SECTION] ᾱ_t: how much of the picture survives
  ui::PlotOptions o;
  o.title = tr("ā_t (signal kept, as a fraction of variance): linear vs cosine");
  o.x_label = tr("timestep t");
  o.y_label = "\xc4\x81_t";
  o.y_min = 0;
  o.y_max = 1;
  o.x_min = 0;
  o.x_max = float(T - 1);
  o.marker_x = float(t_now);
  o.size = ImVec2(0, plot_h);
  ui::LineSeries ab[2] = {{tr("linear ā_t"), g_sched.lin.alpha_bar.data(), T, g_sched.x.data(), c_lin},
                          {tr("cosine ā_t"), g_sched.cos.alpha_bar.data(), T, g_sched.x.data(), c_cos}};
  auto h1 = ui::line_plot("alphabar", ab, 2, o);
  if (h1.hovered) schedule_tooltip(int(std::lround(h1.x)), model);

  // [SECTION] β_t: noise added per step (log scale)
  ui::PlotOptions ob = o;
  ob.title = tr("β_t = 1 − α_t (noise added at each step), log scale");
  ob.y_label = "\xce\xb2_t";
  ob.y_min = NAN;
  ob.y_max = NAN;
  ob.log_y = true;
  ui::LineSeries be[2] = {{tr("linear β_t"), g_sched.lin.beta.data(), T, g_sched.x.data(), c_lin},
                          {tr("cosine β_t"), g_sched.cos.beta.data(), T, g_sched.x.data(), c_cos}};
  auto h2 = ui::line_plot("beta", be, 2, ob);
  if (h2.hovered) schedule_tooltip(int(std::lround(h2.x)), model);

}

GB_PANEL("diffusion.schedule", draw_diffusion_schedule);

}  // namespace gb::app
