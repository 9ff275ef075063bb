// Fashion GAN samples by class: one column per clothing class, one row per latent seed (the same
// latent z in a whole row, drawn as each class), and under each image what the discriminator thinks
// of it. Class picker, seed and number of samples per class; click an image to pick its class.
#include <algorithm>
#include <cstdio>
#include <string>

#include <imgui.h>

#include "app/panels/gan_common.hpp"
#include "app/panels/registry.hpp"
#include "app/panels/transformer_inspect.hpp"
#include "app/widgets/draw_util.hpp"
#include "models/data/fashion_mnist.hpp"
#include "core/i18n.hpp"

namespace gb::app {

// Shared with the interpolation panel: "no model" explanation; returns false when there is no model.
bool gan_image_ready(PanelContext& ctx, GanLab& lab) {
  static bool tried = false;
  static std::string load_error;
  if (!lab.has_image_model() && !tried) {
    // First look: load the shipped model (a command, so the status bar says what happened).
    tried = true;
    CommandResult r = ctx.run("gan load shipped");
    if (!r.ok) load_error = r.message;
  }
  if (lab.has_image_model()) return true;
  accent_text(tr("No Fashion-MNIST GAN is loaded."));
  note("%s", !load_error.empty() ? load_error.c_str()
             : !lab.image_message().empty() ? lab.image_message().c_str()
                                           : tr("Load one with the command `gan load shipped` or `gan load PATH`."));
  return false;
}

// A class picker combo; runs `class NAME` on change.
void gan_class_combo(PanelContext& ctx, GanLab& lab, float width) {
  int label = lab.image_view().label;
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(tr("class"));
  ImGui::SameLine();
  ImGui::SetNextItemWidth(width);
  if (ImGui::BeginCombo("##class", fashion_class(label))) {
    for (int c = 0; c < kFashionClasses; ++c)
      if (ImGui::Selectable(fashion_class(c), c == label)) gan_run(ctx, lab, "image", "class " + std::to_string(c));
    ImGui::EndCombo();
  }
}

void draw_gan_samples(PanelContext& ctx) {
  GanLab* lab = gan_lab(ctx);
  if (!lab) return;
  if (!gan_image_ready(ctx, *lab)) return;
  const float em = ImGui::GetFontSize();
  const GanSampleGrid& g = lab->sample_grid();
  const int C = kFashionClasses;
  if (g.per_class <= 0 || g.images.size() != size_t(C) * g.per_class * 784) {
    note(tr("No samples."));
    return;
  }
  // [SECTION] controls
  gan_class_combo(ctx, *lab, 9 * em);
  same_line_if_fits(10 * em);
  int seed = int(g.seed);
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(tr("seed"));
  ImGui::SameLine();
  ImGui::SetNextItemWidth(7 * em);
  if (ImGui::InputInt("##seed", &seed)) gan_run(ctx, *lab, "image", "seed " + std::to_string(std::max(0, seed)));
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip(tr("Row j uses the latent drawn from seed %d + j: a different seed, different clothes."), int(g.seed));
  same_line_if_fits(10 * em);
  int per = g.per_class;
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(tr("rows"));
  ImGui::SameLine();
  ImGui::SetNextItemWidth(7 * em);
  if (ImGui::InputInt("##per", &per)) gan_run(ctx, *lab, "image", "samples " + std::to_string(std::clamp(per, 1, 12)));
  ImGui::TextDisabled(tr("model: %s"), lab->image_source().c_str());
  ImGui::SameLine();
  help_marker(tr("Each row is one latent z (row j: seed + j) drawn as every class: the class label is the only thing that changes along a row. The number under an image is the discriminator's probability that it is a real photo of that class (hover an image for its exact score)."));
  ui::text_wrappedf(tr("Rows: latent seeds %d, %d, …  Under each image: D's probability real."), int(g.seed), int(g.seed) + 1);

  // [SECTION] the grid (scrolls when it does not fit)
  const float label_h = ImGui::GetTextLineHeight();
  const float min_side = 2.6f * em;
  const char* footer = tr("D is the discriminator the generator was trained against; it is not a judge of quality, only of \"looks like the data\".");
  const float footer_h = ImGui::CalcTextSize(footer, nullptr, false, ImGui::GetContentRegionAvail().x).y +
                         ImGui::GetStyle().ItemSpacing.y * 2;
  ImGui::BeginChild("##grid", ImVec2(0, -footer_h), false, ImGuiWindowFlags_HorizontalScrollbar);
  const float avail_w = ImGui::GetContentRegionAvail().x;
  const float gap = 0.3f * em;
  const float side = std::max(min_side, std::min((avail_w - gap * C) / C, 6 * em));
  const int sel = lab->image_view().label;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  // class names as column heads (two lines when they do not fit on one; full name on hover)
  gan_class_headers(side, side + gap, sel);
  ImGui::Dummy(ImVec2(1, 0.2f * em));
  int hover = -1;
  for (int j = 0; j < g.per_class; ++j) {
    for (int c = 0; c < C; ++c) {
      const int idx = c * g.per_class + j;
      if (c > 0) ImGui::SameLine(0, gap);
      ImGui::BeginGroup();
      const bool h = gan_image("gan.samples." + std::to_string(idx), &g.images[size_t(idx) * 784], side, c == sel);
      if (h) hover = idx;
      if (ImGui::IsItemClicked()) gan_run(ctx, *lab, "image", "class " + std::to_string(c));
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.2f", g.d_prob[size_t(idx)]);
      ImVec2 ts = ImGui::CalcTextSize(buf);
      ImVec2 p = ImGui::GetCursorScreenPos();
      const float pr = g.d_prob[size_t(idx)];
      dl->AddText(ImVec2(p.x + (side - ts.x) / 2, p.y), ImGui::ColorConvertFloat4ToU32(ImVec4(1 - 0.6f * pr, 0.5f + 0.5f * pr, 0.6f, 1)), buf);
      ImGui::Dummy(ImVec2(side, label_h));
      if (ImGui::IsItemHovered()) hover = idx;
      ImGui::EndGroup();
    }
    ImGui::Dummy(ImVec2(1, 0.2f * em));
  }
  if (hover >= 0) {
    const int c = hover / g.per_class, j = hover % g.per_class;
    ImGui::BeginTooltip();
    ImGui::Text(tr("%s, latent seed %llu"), fashion_class(c), (unsigned long long)(g.seed + uint64_t(j)));
    ImGui::Text(tr("D's raw score for \"real %s\": %.4f"), fashion_class(c), g.d_score[size_t(hover)]);
    ImGui::Text(tr("probability real = σ(%.4f) = %.4f"), g.d_score[size_t(hover)], g.d_prob[size_t(hover)]);
    ImGui::TextDisabled(tr("click: draw this class in the interpolation panel"));
    ImGui::EndTooltip();
  }
  ImGui::EndChild();
  note("%s", footer);
}

GB_PANEL("gan.samples", draw_gan_samples);

}  // namespace gb::app
