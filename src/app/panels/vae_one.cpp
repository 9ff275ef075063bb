// One picture through the VAE: a test picture (or one drawn with the mouse on a 28×28 canvas) → the encoder
// → μ and σ (bars) → ε drawn (Resample) → z = μ + σ·ε with the live numbers → the decoder's reconstruction,
// and this picture's two loss terms: reconstruction (nats) and KL (nats).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include <imgui.h>

#include "app/panels/registry.hpp"
#include "app/panels/transformer_inspect.hpp"
#include "app/panels/vae_common.hpp"
#include "app/widgets/draw_util.hpp"
#include "core/idx.hpp"
#include "core/i18n.hpp"

namespace gb::app {

namespace {
// Bars for μ ± σ of each latent number on a shared axis from −4 to 4 (the prior's N(0, 1) shaded).
void mu_sigma_bars(const VaeTrace& t, float width) {
  const float em = ImGui::GetFontSize(), lo = -4, hi = 4;
  const int Z = int(t.mu.size());
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float label_w = 2.2f * em;
  const ImVec2 p0 = ImGui::GetCursorScreenPos();
  const float row = 1.5f * em, w = std::max(4 * em, width - label_w);
  auto X = [&](float v) { return p0.x + label_w + (std::clamp(v, lo, hi) - lo) / (hi - lo) * w; };
  int hover = -1;
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  for (int k = 0; k < Z; ++k) {
    const float y = p0.y + float(k) * row;
    char name[16];
    std::snprintf(name, sizeof name, "z%d", k + 1);
    dl->AddText(ImVec2(p0.x, y + 0.2f * em), ui::axis_colour(), name);
    dl->AddRectFilled(ImVec2(X(-1), y + 0.2f * em), ImVec2(X(1), y + row - 0.2f * em), ImGui::GetColorU32(ImGuiCol_FrameBg));
    const float m = t.mu[size_t(k)], s = t.sigma[size_t(k)];
    dl->AddRectFilled(ImVec2(X(m - s), y + 0.45f * em), ImVec2(X(m + s), y + row - 0.45f * em), ui::series_colour(1));
    dl->AddLine(ImVec2(X(m), y + 0.1f * em), ImVec2(X(m), y + row - 0.1f * em), ui::series_colour(0), 3);
    dl->AddCircleFilled(ImVec2(X(t.z[size_t(k)]), y + row / 2), 0.28f * em, IM_COL32(230, 60, 60, 255));
    if (mouse.y >= y && mouse.y < y + row && mouse.x >= p0.x && mouse.x <= p0.x + label_w + w) hover = k;
  }
  const float axis_y = p0.y + float(Z) * row;
  for (double v : ui::nice_ticks(lo, hi, 9)) {
    const std::string s = ui::format_number("%g", v);
    const float x = X(float(v));
    dl->AddLine(ImVec2(x, axis_y), ImVec2(x, axis_y + 0.25f * em), ui::axis_colour());
    dl->AddText(ImVec2(x - ImGui::CalcTextSize(s.c_str()).x / 2, axis_y + 0.25f * em), ui::axis_colour(), s.c_str());
  }
  ImGui::Dummy(ImVec2(label_w + w, float(Z) * row + 1.4f * em));
  if (hover >= 0) {
    const size_t k = size_t(hover);
    ImGui::SetTooltip(tr("z%d: μ = %.4f (thick line), σ = %.4f (bar: μ ± σ), ε = %.4f,\nz = μ + σ·ε = %.4f (red dot). Grey band: the prior's ±1 (N(0, 1))."),
                      hover + 1, t.mu[k], t.sigma[k], t.eps[k], t.z[k]);
  }
}

// The 28×28 canvas: press and drag to paint (each mouse position becomes a `draw X Y` command).
void canvas(PanelContext& ctx, const VaeLab& lab, float side) {
  const ImVec2 p = ImGui::GetCursorScreenPos();
  vae_image("vae.one.canvas", lab.canvas().data(), side, true);
  static float last_x = -1, last_y = -1;
  if (ImGui::IsItemHovered() && ImGui::IsMouseDown(ImGuiMouseButton_Left)) {
    const ImVec2 m = ImGui::GetIO().MousePos;
    const float x = std::clamp((m.x - p.x) / side * 28 - 0.5f, 0.0f, 27.0f), y = std::clamp((m.y - p.y) / side * 28 - 0.5f, 0.0f, 27.0f);
    if (std::fabs(x - last_x) + std::fabs(y - last_y) > 0.4f) {
      char buf[64];
      std::snprintf(buf, sizeof buf, "vae draw %.1f %.1f", x, y);
      ctx.run(buf);
      last_x = x;
      last_y = y;
    }
  } else {
    last_x = last_y = -1;
  }
  if (ImGui::IsItemHovered()) ImGui::SetTooltip(tr("Press and drag to draw (white = ink). The drawing goes through the VAE as you draw."));
}
}  // namespace

void draw_vae_one(PanelContext& ctx) {
  VaeLab* lab = vae_lab(ctx);
  if (!lab || !vae_map_ready(*lab)) return;
  const VaeOneImage& o = lab->one();
  const VaeTrace& t = o.trace;
  if (t.mu.empty()) {
    note(tr("Nothing to show yet."));
    return;
  }
  const float em = ImGui::GetFontSize();
  // [SECTION] controls
  int idx = std::max(0, o.test_index);
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(tr("test picture"));
  ImGui::SameLine();
  ImGui::SetNextItemWidth(7 * em);
  if (ImGui::InputInt("##img", &idx)) ctx.run("vae image " + std::to_string(std::clamp(idx, 0, 9999)));
  if (ImGui::IsItemHovered()) ImGui::SetTooltip(tr("Which of the 10000 Fashion-MNIST test pictures goes through the VAE."));
  same_line_if_fits(ImGui::CalcTextSize(tr("Resample ε")).x + 2 * em);
  if (ctx.allows("vae resample") && ImGui::Button(tr("Resample ε"))) ctx.run("vae resample");
  if (ImGui::IsItemHovered()) ImGui::SetTooltip(tr("Draw a new ε ~ N(0, I): z moves inside the σ bar, the picture changes a little."));
  same_line_if_fits(ImGui::CalcTextSize(tr("Clear drawing")).x + 2 * em);
  if (ctx.allows("vae canvas clear") && ImGui::Button(tr("Clear drawing"))) ctx.run("vae canvas clear");

  // [SECTION] the pipeline: input → μ, σ, ε, z → reconstruction
  const float avail = ImGui::GetContentRegionAvail().x;
  const float side = std::clamp(avail * 0.2f, 4 * em, 9 * em);
  ImGui::BeginGroup();
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + side);  // the column is as wide as the picture: longer labels wrap
  accent_text(o.test_index >= 0 ? tr("Input (draw over it)") : tr("Your drawing"));
  ImGui::PopTextWrapPos();
  if (o.test_index >= 0) {
    vae_image("vae.one.input", o.input.data(), side, true);
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip(tr("%s, class %s. Draw on the canvas below to use your own picture."), o.source.c_str(), fashion_class(o.true_label));
    ImGui::TextDisabled("%s", ui::fit_text(std::string(fashion_class(o.true_label)), side).c_str());
    canvas(ctx, *lab, side * 0.6f);
  } else {
    canvas(ctx, *lab, side);
  }
  ImGui::EndGroup();
  ImGui::SameLine(0, 1.2f * em);
  ImGui::BeginGroup();
  accent_text(tr("Encoder: μ and σ, then z = μ + σ·ε"));
  // Three columns when they fit; in a narrow window the decoder's picture goes under the others.
  if (ctx.mono_font) ImGui::PushFont(ctx.mono_font);
  const float formula_w = ImGui::CalcTextSize("z1 = -0.000 + 0.000 \xc3\x97 -0.000 = -0.000").x;
  if (ctx.mono_font) ImGui::PopFont();
  const bool narrow = avail - 2 * side - 4 * em < std::max(12 * em, formula_w);
  const float bars_w = std::max(8 * em, avail - (narrow ? 1 : 2) * side - (narrow ? 3 : 4) * em);
  mu_sigma_bars(t, bars_w);
  for (size_t k = 0; k < t.mu.size(); ++k) {
    char line[160];
    std::snprintf(line, sizeof line, "z%zu = %.3f + %.3f \xc3\x97 %+.3f = %.3f", k + 1, t.mu[k], t.sigma[k], t.eps[k], t.z[k]);
    if (ctx.mono_font) ImGui::PushFont(ctx.mono_font);
    ImGui::TextUnformatted(line);
    if (ctx.mono_font) ImGui::PopFont();
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip(tr("z%zu = μ%zu + σ%zu · ε%zu\nμ (centre) = %.5f\nσ (spread) = %.5f\nε (the random draw, N(0,1), draw %llu) = %.5f\nz = %.5f"),
                        k + 1, k + 1, k + 1, k + 1, t.mu[k], t.sigma[k], (unsigned long long)o.eps_seed, t.eps[k], t.z[k]);
  }
  // [SECTION] the two loss terms
  ImGui::Dummy(ImVec2(1, 0.4f * em));
  accent_text(tr("This picture's loss (nats)"));
  ImGui::SameLine();
  help_marker(tr("A nat is a unit of information (like a bit, with e instead of 2). The VAE is trained to make the sum small, averaged over many pictures."));
  vae_number(tr("reconstruction"), t.loss.rec, "%.1f",
             tr("−log p(x|z): binary cross-entropy summed over the 784 pixels. How badly the decoder's picture matches the input. Small = a faithful copy."));
  same_line_if_fits(8 * em);
  vae_number(tr("+ KL"), t.loss.kl, "%.2f",
             tr("KL(q(z|x) ‖ N(0, I)) = ½ Σ (μ² + σ² − 1 − log σ²). How far this picture's cloud is from the prior: the price of its two numbers."));
  same_line_if_fits(8 * em);
  vae_number(tr("= total"), t.loss.rec + t.loss.kl, "%.1f", tr("The negative ELBO for this picture (β = 1): an upper bound on −log p(x)."));
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + bars_w);
  ui::text_wrappedf(tr("KL = ½[(%.2f² + %.2f² − 1 − log %.2f²)%s] = %.2f"),
                    t.mu[0], t.sigma[0], t.sigma[0], t.mu.size() > 1 ? tr(" + (same for z2)") : "", t.loss.kl);
  ImGui::PopTextWrapPos();
  ImGui::EndGroup();
  if (!narrow) ImGui::SameLine(0, 1.2f * em);
  ImGui::BeginGroup();
  accent_text(tr("Decoder(z)"));
  vae_image("vae.one.recon", o.recon.data(), side, true);
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip(tr("The reconstruction: each pixel is the decoder's probability of ink at z = (%.3f, %.3f)."), t.z[0], t.z.size() > 1 ? t.z[1] : 0.0f);
  ImGui::EndGroup();

}

GB_PANEL("vae.one", draw_vae_one);

}  // namespace gb::app
