// β and the trade-off, trained live: presets β = 0 (a plain autoencoder: sharp copies, a holey latent space
// whose prior samples are garbage), β = 1 (the true VAE) and β = 8 (posterior collapse: blurry, everything at
// the centre). A fresh 2D VAE trains on a worker thread (the app stays responsive); the two loss terms are
// drawn stacked over the steps, with prior samples, reconstructions and the μ of test pictures as it learns.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include <imgui.h>

#include "app/panels/gan_common.hpp"
#include "app/panels/registry.hpp"
#include "app/panels/transformer_inspect.hpp"
#include "app/panels/vae_common.hpp"
#include "app/widgets/draw_util.hpp"
#include "app/widgets/plots.hpp"
#include "core/idx.hpp"
#include "core/i18n.hpp"

namespace gb::app {

namespace {
struct BetaView {
  int steps = 2000;       // steps for a custom start
  float beta = 1;         // β for a custom start
  int warmup = 0;         // KL warm-up steps for a custom start
};
BetaView g_bv;

void image_row(const char* key, const std::vector<uint8_t>& px, int n, float side) {
  for (int i = 0; i < n && size_t(i + 1) * 784 <= px.size(); ++i) {
    if (i > 0) ImGui::SameLine(0, 0.15f * ImGui::GetFontSize());
    vae_image(std::string(key) + std::to_string(i), &px[size_t(i) * 784], side);
  }
}
}  // namespace

void draw_vae_beta(PanelContext& ctx) {
  VaeLab* lab = vae_lab(ctx);
  if (!lab) return;
  const float em = ImGui::GetFontSize();
  auto snap = lab->training();
  const bool active = snap && !snap->finished;

  // [SECTION] presets and controls
  ui::text_wrappedf(tr("loss = reconstruction + β · KL. β says how much the two numbers of a picture must look like the prior N(0, I). Pick a preset and watch a fresh 2D VAE learn (2000 steps, about a minute):"));
  struct Preset {
    const char* label;
    const char* cmd;
    const char* tip;
  };
  const Preset presets[] = {
      {tr("β = 0 (autoencoder)"), "vae train beta0",
       tr("No KL term: an ordinary autoencoder. Sharp reconstructions, but the points spread anywhere and leave holes: samples from N(0, I) land in the holes and come out as garbage.")},
      {tr("β = 1 (VAE)"), "vae train beta1", tr("The true ELBO: reconstructions a little blurry, the points fill the prior, samples look like clothes.")},
      {tr("β = 8 (collapse)"), "vae train beta8",
       tr("KL weighs 8 times: the cheapest answer is to ignore the picture (μ ≈ 0, σ ≈ 1). Posterior collapse: everything at the centre, every picture decodes to the same blur.")},
  };
  for (int i = 0; i < 3; ++i) {
    if (i > 0) same_line_if_fits(ImGui::CalcTextSize(presets[i].label).x + 2 * em);
    if (ctx.allows(presets[i].cmd) && ImGui::Button(presets[i].label)) ctx.run(presets[i].cmd);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", presets[i].tip);
  }
  if (ImGui::TreeNode(tr("Your own run (β, steps, KL warm-up)"))) {
    ImGui::SetNextItemWidth(8 * em);
    ImGui::SliderFloat("\xce\xb2", &g_bv.beta, 0.0f, 10.0f, "%.2f");
    if (ImGui::IsItemHovered()) ImGui::SetTooltip(tr("Weight of the KL term, 0 to 10."));
    ImGui::SetNextItemWidth(8 * em);
    ImGui::InputInt(tr("steps"), &g_bv.steps, 500, 1000);
    g_bv.steps = std::clamp(g_bv.steps, 1, 10000000);
    ImGui::SetNextItemWidth(8 * em);
    ImGui::InputInt(tr("KL warm-up steps"), &g_bv.warmup, 100, 500);
    g_bv.warmup = std::clamp(g_bv.warmup, 0, 10000000);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip(tr("β ramps from 0 to its value over this many steps (0: no warm-up)."));
    char cmd[160];
    std::snprintf(cmd, sizeof cmd, "vae train start beta %g steps %d warmup %d", double(g_bv.beta), g_bv.steps, g_bv.warmup);
    if (ctx.allows(cmd) && ImGui::Button(tr("Start"))) ctx.run(cmd);
    ImGui::TreePop();
  }
  if (!snap) {
    note(tr("Nothing is training. Each preset trains a fresh 2D VAE in the background from the same seed, so the three runs differ only in β."));
    return;
  }
  if (active) {
    if (ctx.allows(snap->paused ? "vae train resume" : "vae train pause") && ImGui::Button(snap->paused ? tr("Resume") : tr("Pause"))) ctx.run(snap->paused ? "vae train resume" : "vae train pause");
    ImGui::SameLine();
    if (ctx.allows("vae train stop") && ImGui::Button(tr("Stop"))) ctx.run("vae train stop");
    ImGui::SameLine();
  }
  if (ctx.allows("vae train use") && ImGui::Button(tr("Use this model"))) ctx.run("vae train use");
  if (ImGui::IsItemHovered()) ImGui::SetTooltip(tr("Stop training and show this model in the map, atlas, one-picture and walk panels."));
  ImGui::SameLine();
  ImGui::Text(tr("step %lld / %lld · β = %g%s"), (long long)snap->step, (long long)snap->max_steps, double(snap->beta_now),
              snap->paused ? tr(" (paused)") : snap->finished ? tr(" (done)") : "");
  if (!snap->error.empty()) accent_text(snap->error.c_str());

  // [SECTION] the two terms, stacked
  const int w = std::max(1, int(snap->rec.size() / 60));
  const auto rec = ui::moving_average(snap->rec, size_t(w));
  auto kl = ui::moving_average(snap->kl, size_t(w));
  std::vector<float> top(rec.size());
  for (size_t i = 0; i < rec.size(); ++i) top[i] = rec[i] + kl[i];
  ui::PlotOptions o;
  o.title = tr("the two terms, stacked (smoothed)");
  o.x_label = tr("training step");
  o.y_label = tr("nats");
  o.size = ImVec2(0, std::max(8 * em, ImGui::GetContentRegionAvail().y * 0.42f));
  o.y_min = 0;
  o.x_min = 0;
  o.x_max = float(std::max<int64_t>(snap->max_steps, 1));
  ui::line_plot("##vae.beta.loss", {{tr("reconstruction"), rec.data(), int(rec.size())}, {tr("reconstruction + KL"), top.data(), int(top.size())}}, o);
  if (!snap->rec.empty()) {
    vae_number(tr("last reconstruction"), snap->rec.back(), "%.1f", tr("The batch's mean reconstruction term (binary cross-entropy, nats per picture)."));
    ImGui::SameLine(0, 2 * em);
    vae_number("KL", snap->kl.back(), "%.2f", tr("The batch's mean KL(q(z|x) ‖ N(0, I)) in nats per picture: the gap between the two lines."));
  }

  // [SECTION] what the model does now
  if (snap->pictures_step < 0) return;
  const float side = std::clamp((ImGui::GetContentRegionAvail().x * 0.55f) / 8.5f, 1.6f * em, 3.2f * em);
  ImGui::BeginGroup();
  ImGui::Text(tr("at step %lld: pictures (top) and their reconstructions"), (long long)snap->pictures_step);
  image_row("vae.beta.orig", snap->originals, 8, side);
  image_row("vae.beta.rec", snap->recons, 8, side);
  ImGui::TextUnformatted(tr("samples from the prior N(0, I):"));
  image_row("vae.beta.prior", snap->prior, 8, side);
  ImGui::EndGroup();
  ImGui::SameLine(0, em);
  // the μ of test pictures on the plane
  const float ps = std::max(5 * em, std::min(ImGui::GetContentRegionAvail().x - plane_margin().x, 3 * side + 2.4f * ImGui::GetTextLineHeightWithSpacing()));
  ImGui::BeginGroup();
  // The square fits the points (at least ±4, the prior's 1σ ring drawn): with β = 0 they wander far out.
  float ext = 4;
  for (float v : snap->mu)
    if (std::isfinite(v)) ext = std::max(ext, std::fabs(v));
  ext = std::min(std::ceil(ext * 1.05f), 1000.0f);
  Plane p = plane_begin("##vae.beta.mu", ps, -ext, ext, "z1", "z2");
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddCircle(p.px(0, 0), ps / (2 * ext), ImGui::GetColorU32(ImGuiCol_Text, 0.35f), 48);
  for (size_t i = 0; i < snap->mu_labels.size() && snap->latent == 2; ++i)
    ui::draw_marker(dl, p.px(snap->mu[i * 2], snap->mu[i * 2 + 1]), std::max(2.0f, 0.15f * em), snap->mu_labels[i], vae_class_colour(snap->mu_labels[i], 0.8f));
  plane_end(p);
  ImGui::Text(tr("z1, z2 from %g to %g"), double(-ext), double(ext));
  if (p.hovered) ImGui::SetTooltip(tr("μ of %zu test pictures, coloured by class (legend: latent map panel).\nRing: 1 σ of the prior. z1 and z2 from %g to %g."), snap->mu_labels.size(), double(-ext), double(ext));
  ImGui::EndGroup();
}

GB_PANEL("vae.beta", draw_vae_beta);

}  // namespace gb::app
