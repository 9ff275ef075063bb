// 2D GAN losses over time: the discriminator's and the generator's loss, then D's average output on
// real and on generated points, with each loss's formula and today's numbers plugged in.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

#include <imgui.h>

#include "app/panels/gan_common.hpp"
#include "app/panels/registry.hpp"
#include "app/panels/transformer_inspect.hpp"
#include "app/widgets/plots.hpp"
#include "core/i18n.hpp"

namespace gb::app {

namespace {
constexpr size_t kMaxPoints = 1500;  // history entries drawn (evenly thinned beyond this)
bool g_smooth = true;                // show moving averages instead of the raw per-update values

}  // namespace

void draw_gan_losses(PanelContext& ctx) {
  GanLab* lab = gan_lab(ctx);
  if (!lab) return;
  const float em = ImGui::GetFontSize();
  const Gan2d& toy = lab->toy();
  const Gan2dConfig& cfg = toy.config();
  const auto& h = toy.history();
  ui::text_wrappedf(tr("The 2D GAN's two players: the discriminator D tries to push its loss down by telling real from fake; the generator G pushes its own loss down by fooling D. (The Fashion GAN's losses are in its training panel.)"));
  if (h.empty()) {
    accent_text(tr("No training yet."));
    note(tr("Press Step or Run in the playground (command: gan step 100)."));
    return;
  }
  // Thin evenly to at most kMaxPoints. x = generator steps done when the entry was recorded (a
  // discriminator update sits half-way to the next generator update).
  const size_t n = h.size(), stride = (n + kMaxPoints - 1) / kMaxPoints;
  std::vector<float> xs, dl, gl, xd, dr, df;
  auto x_of = [&](size_t i) { return float(h[i].step) + (h[i].d_update ? 0.5f : 0.0f); };
  for (size_t i = 0; i < n; i += stride) {
    if (!xs.empty() && x_of(i) < xs.back()) continue;
    xs.push_back(x_of(i));
    dl.push_back(h[i].d_loss);
    gl.push_back(h[i].g_loss);
  }
  // D's outputs from discriminator updates only (one batch measure each).
  for (size_t i = 0; i < n; i += stride) {
    size_t j = i;
    while (j < n && !h[j].d_update) ++j;  // the next D entry at or after i
    if (j >= n) break;
    if (!xd.empty() && x_of(j) <= xd.back()) continue;
    xd.push_back(x_of(j));
    dr.push_back(h[j].d_real);
    df.push_back(h[j].d_fake);
  }
  const size_t w = std::max<size_t>(1, xs.size() / 60);
  ImGui::Checkbox(tr("smooth"), &g_smooth);
  ImGui::SameLine();
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  ui::text_wrappedf(g_smooth ? tr("(moving average over %zu points; untick for every update)") : tr("(every update)"), w);
  ImGui::PopStyleColor();
  if (g_smooth && w > 1) {
    dl = ui::moving_average(dl, w);
    gl = ui::moving_average(gl, w);
    dr = ui::moving_average(dr, std::max<size_t>(1, dr.size() / 60));
    df = ui::moving_average(df, std::max<size_t>(1, df.size() / 60));
  }
  const bool ns = cfg.loss == GanLoss::ns;
  const float avail_h = ImGui::GetContentRegionAvail().y;
  const float plot_h = std::clamp(avail_h * 0.32f, 8 * em, 16 * em);

  ui::PlotOptions po;
  po.size = ImVec2(0, plot_h);
  po.x_label = tr("training step (generator updates)");
  po.y_label = tr("loss");
  po.y_format = "%.3g";
  if (cfg.loss == GanLoss::ns) po.y_min = 0;  // ns losses are ≥ 0; from 0 the balance lines read as heights
  std::vector<float> eq_d(xs.size(), 2 * std::log(2.0f)), eq_g(xs.size(), std::log(2.0f));
  std::vector<ui::LineSeries> s = {{tr("D loss"), dl.data(), int(dl.size()), xs.data(), fake_colour()},
                                   {tr("G loss"), gl.data(), int(gl.size()), xs.data(), IM_COL32(230, 159, 0, 255)}};
  if (ns) {
    s.push_back({tr("balance: 2 log 2"), eq_d.data(), int(eq_d.size()), xs.data(), IM_COL32(150, 150, 150, 200)});
    s.push_back({tr("balance: log 2"), eq_g.data(), int(eq_g.size()), xs.data(), IM_COL32(110, 110, 110, 200)});
  }
  ui::line_plot("losses", s.data(), int(s.size()), po);
  {
    // Why balanced losses are not enough: said here, next to the curves, with the coverage counter's numbers.
    const ModeCoverage& cov = lab->coverage();
    const bool collapsed = cov.modes > 0 && cov.covered * 2 <= cov.modes;
    char buf[1024];
    std::snprintf(buf, sizeof buf,
                  tr("Balanced losses do not mean a healthy GAN: they only say D cannot tell these fakes from real points. A generator that piles all its points on a few modes of the data fools D there just as well (mode collapse). Now %d of %d modes are covered%s."),
                  cov.covered, cov.modes,
                  collapsed ? tr(": whatever the losses say, the generator does not imitate most of the data (yet)") : "");
    if (collapsed) accent_text(buf);
    else note("%s", buf);
  }

  ui::PlotOptions pd = po;
  pd.y_label = ns ? "D(x)" : tr("score");
  if (ns) pd.y_min = 0, pd.y_max = 1;
  std::vector<ui::LineSeries> s2 = {{tr("D on real points"), dr.data(), int(dr.size()), xd.data(), real_colour()},
                                    {tr("D on generated points"), df.data(), int(df.size()), xd.data(), IM_COL32(180, 120, 255, 255)}};
  ui::line_plot("douts", s2.data(), int(s2.size()), pd);

  // [SECTION] formulas with the last numbers
  const Gan2dLoss& last = h.back();
  if (ctx.mono_font) ImGui::PushFont(ctx.mono_font);
  switch (cfg.loss) {
    case GanLoss::ns:
      ui::text_wrappedf(tr("L_D = −mean log D(x_real) − mean log(1 − D(G(z))) = %.4f"), last.d_loss);
      ui::text_wrappedf(tr("L_G = −mean log D(G(z)) = %.4f"), last.g_loss);
      break;
    case GanLoss::hinge:
      ui::text_wrappedf(tr("L_D = mean max(0, 1 − D(x_real)) + mean max(0, 1 + D(G(z))) = %.4f"), last.d_loss);
      ui::text_wrappedf(tr("L_G = −mean D(G(z)) = %.4f"), last.g_loss);
      break;
    case GanLoss::wgan_gp:
      ui::text_wrappedf(tr("L_D = mean D(G(z)) − mean D(x_real) = %.4f − %.4f = %.4f  (+ λ·gradient penalty, λ = %.2g)"),
                         last.d_fake, last.d_real, last.d_loss, cfg.gp_weight);
      ui::text_wrappedf(tr("L_G = −mean D(G(z)) = %.4f"), last.g_loss);
      break;
  }
  if (ctx.mono_font) ImGui::PopFont();
  if (ns)
    note(tr("Last batch: D gave real points %.3f and generated points %.3f on average (probability \"real\"). If G imitated the data perfectly, the best D could do is 0.5 everywhere: L_D = 2 log 2 = 1.386, L_G = log 2 = 0.693."),
         last.d_real, last.d_fake);
  else
    note(tr("Last batch: D's raw score averaged %.3f on real points and %.3f on generated points. D pushes them apart; G pulls its own score up."),
         last.d_real, last.d_fake);
  note(tr("%lld generator steps, %lld discriminator steps (k = %d per generator step). Hover the curves for exact values."),
       (long long)toy.g_steps(), (long long)toy.d_steps(), cfg.k_d);
}

GB_PANEL("gan.losses", draw_gan_losses);

}  // namespace gb::app
