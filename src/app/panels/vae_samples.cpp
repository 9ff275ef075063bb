// Conditional VAE samples: pick a class (or all ten), a seed, the prior (fitted to the training codes, or N(0, I))
// and its temperature (the scale of ε); sample j of every class uses ε from seed + j.
#include <algorithm>
#include <cstdio>
#include <string>

#include <imgui.h>

#include "app/panels/gan_common.hpp"
#include "app/panels/registry.hpp"
#include "app/panels/transformer_inspect.hpp"
#include "app/panels/vae_common.hpp"
#include "app/widgets/setting_slider.hpp"
#include "app/widgets/draw_util.hpp"
#include "core/idx.hpp"
#include "core/i18n.hpp"

namespace gb::app {

void draw_vae_samples(PanelContext& ctx) {
  VaeLab* lab = vae_lab(ctx);
  if (!lab || !vae_cond_ready(*lab)) return;
  const VaeSamples& s = lab->samples();
  const int n_cls = int(s.classes.size());
  if (n_cls == 0 || s.images.size() != size_t(n_cls) * s.per_class * 784) {
    note(tr("No samples."));
    return;
  }
  const float em = ImGui::GetFontSize();
  const int Z = lab->cond_model()->config().latent;
  // [SECTION] controls
  const bool all = n_cls > 1;
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(tr("class"));
  ImGui::SameLine();
  ImGui::SetNextItemWidth(9 * em);
  if (ImGui::BeginCombo("##class", all ? tr("all ten") : fashion_class(s.classes[0]))) {
    if (ImGui::Selectable(tr("all ten"), all)) ctx.run("vae class all");
    for (int c = 0; c < kFashionClasses; ++c)
      if (ImGui::Selectable(fashion_class(c), !all && s.classes[0] == c)) ctx.run("vae class " + std::to_string(c));
    ImGui::EndCombo();
  }
  same_line_if_fits(10 * em);
  int seed = int(s.seed);
  ImGui::TextUnformatted(tr("seed"));
  ImGui::SameLine();
  ImGui::SetNextItemWidth(7 * em);
  if (ImGui::InputInt("##seed", &seed)) ctx.run("vae set seed " + std::to_string(std::max(0, seed)));
  if (ImGui::IsItemHovered()) ImGui::SetTooltip(tr("Column j uses ε drawn from seed %d + j."), int(s.seed));
  same_line_if_fits(14 * em);
  float temp = s.temperature;
  ImGui::TextUnformatted(tr("temperature"));
  ImGui::SameLine();
  ImGui::SetNextItemWidth(8 * em);
  if (ui::setting_slider("vae", "temperature", "##temp", temp, "%.2f", false)) {  // range from lab/vae_settings.cpp
    char buf[48];
    std::snprintf(buf, sizeof buf, "vae set temperature %.2f", double(temp));
    ctx.run(buf);
  }
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip(tr("z = T · ε, ε ~ N(0, I). T = 0: the class's average picture. T = 1: the true prior. T > 1: latents the decoder rarely saw (odd pictures)."));
  same_line_if_fits(20 * em);
  const VaeFittedPrior& fp = lab->cond_model()->fitted_prior();
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(tr("prior"));
  ImGui::SameLine();
  const char* fitted_name = tr("fitted to the training pictures");
  const char* standard_name = tr("standard N(0, I)");
  ImGui::SetNextItemWidth(std::max(ImGui::CalcTextSize(fitted_name).x, ImGui::CalcTextSize(standard_name).x) +
                          ImGui::GetStyle().FramePadding.x * 2 + ImGui::GetFrameHeight());
  if (ImGui::BeginCombo("##prior", s.fitted ? fitted_name : standard_name)) {
    if (fp.empty()) {
      ImGui::BeginDisabled();
      ImGui::Selectable(fitted_name, false);
      ImGui::EndDisabled();
      if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
        ImGui::SetTooltip("%s", tr("This model has no fitted prior (train it with --prior-components K)."));
    } else if (ImGui::Selectable(fitted_name, s.fitted)) {
      ctx.run("vae set prior fitted");
    }
    if (ImGui::Selectable(standard_name, !s.fitted)) ctx.run("vae set prior standard");
    ImGui::EndCombo();
  }
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip(tr("Where z comes from.\nStandard: N(0, I), the prior the KL term pulls every code towards. The codes of real pictures do not fill that ball evenly, so some draws land in holes the decoder never saw.\nFitted: for each class, a mix of %d Gaussians fitted to where the training pictures of that class were encoded, so draws land where the decoder has seen codes."),
                      std::max(fp.components, 1));
  same_line_if_fits(10 * em);
  int per = s.per_class;
  ImGui::TextUnformatted(tr("per class"));
  ImGui::SameLine();
  ImGui::SetNextItemWidth(6 * em);
  if (ImGui::InputInt("##per", &per)) ctx.run("vae set grid " + std::to_string(std::clamp(per, 1, 16)));
  if (s.fitted)
    ui::text_wrappedf(tr("Decoder(z, class) with z = m_k + %.2f · L_k·ε: one of the class's %d fitted Gaussians (k, picked by its weight) gives the centre m_k and the spread L_k; the %d numbers of z choose the rest (shape, shade, pattern)."),
                      double(s.temperature), fp.components, Z);
  else
    ui::text_wrappedf(tr("Decoder(z, class) with z = %.2f · ε (%d numbers): the class label is given, the %d numbers of z choose the rest (shape, shade, pattern)."), double(s.temperature), Z, Z);

  // [SECTION] the grid: one row per class
  ImGui::BeginChild("##grid", ImVec2(0, 0), false, ImGuiWindowFlags_HorizontalScrollbar);
  const float name_w = all ? 6.5f * em : 0;
  const float gap = 0.2f * em;
  const int cols = s.per_class;
  const float side = std::clamp((ImGui::GetContentRegionAvail().x - name_w) / float(cols) - gap, 1.8f * em,
                                all ? 4.5f * em : 7 * em);
  int hover = -1;
  for (int r = 0; r < n_cls; ++r) {
    const int c = s.classes[size_t(r)];
    if (all) {
      ImGui::AlignTextToFramePadding();
      ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(vae_class_colour(c)), "%s", ui::fit_text(fashion_class(c), name_w - 0.3f * em).c_str());
      ImGui::SameLine(name_w);
    } else if (r == 0) {
      ImGui::TextUnformatted(fashion_class(c));
    }
    for (int j = 0; j < cols; ++j) {
      if (j > 0) ImGui::SameLine(0, gap);
      const int idx = r * cols + j;
      if (vae_image("vae.samples." + std::to_string(idx), &s.images[size_t(idx) * 784], side)) hover = idx;
    }
  }
  if (hover >= 0) {
    const int r = hover / cols, j = hover % cols;
    char buf[480];
    const int k = hover < int(s.component.size()) ? s.component[size_t(hover)] : -1;
    const int cls = s.classes[size_t(r)];
    int len = k >= 0 ? std::snprintf(buf, sizeof buf, tr("%s, ε from seed %llu\nGaussian %d of %d (weight %.2f)\nz = m_k + %.2f · L_k·ε = ("),
                                     fashion_class(cls), (unsigned long long)(s.seed + uint64_t(j)), k + 1, fp.components,
                                     double(fp.weights[size_t(cls) * fp.components + k]), double(s.temperature))
                     : std::snprintf(buf, sizeof buf, tr("%s, ε from seed %llu\nz = %.2f · ε = ("), fashion_class(cls),
                                     (unsigned long long)(s.seed + uint64_t(j)), double(s.temperature));
    for (int k = 0; k < std::min(Z, 4) && len < 200; ++k)
      len += std::snprintf(buf + len, sizeof buf - size_t(len), "%s%.2f", k ? ", " : "", s.z[size_t(hover) * Z + k]);
    std::snprintf(buf + len, sizeof buf - size_t(len), "%s)", Z > 4 ? ", \xe2\x80\xa6" : "");
    vae_image_tooltip("vae.samples.hover", &s.images[size_t(hover) * 784], buf);
  }
  ImGui::EndChild();
}

GB_PANEL("vae.samples", draw_vae_samples);

}  // namespace gb::app
