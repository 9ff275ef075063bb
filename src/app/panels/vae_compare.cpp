// All image families side by side: the same class and seed through the GAN (one generator pass), the
// conditional VAE (one decoder pass) and the diffusion model (50 DDIM steps with guidance), each with its
// time for this one picture, the number of network evaluations, and what the family trades in plain words.
// A transformer would write the picture token by token: one network pass per pixel (784).
#include <algorithm>
#include <cstdio>
#include <string>

#include <imgui.h>

#include "app/panels/registry.hpp"
#include "app/panels/transformer_inspect.hpp"
#include "app/panels/vae_common.hpp"
#include "app/widgets/draw_util.hpp"
#include "core/idx.hpp"

namespace gb::app {

void draw_vae_compare(PanelContext& ctx) {
  VaeLab* lab = vae_lab(ctx);
  if (!lab) return;
  const float em = ImGui::GetFontSize();
  if (lab->comparison().rows.empty() && !lab->computing()) ctx.run("vae compare");  // the first look shows something
  const VaeCompare& cmp = lab->comparison();
  // [SECTION] controls (the class and seed are the conditional-samples panel's)
  const VaeSamples& s = lab->samples();
  const int cls = s.classes.size() == 1 ? s.classes[0] : 0;
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted("class");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(9 * em);
  if (ImGui::BeginCombo("##class", kFashionClassNames[cls])) {
    for (int c = 0; c < kFashionClasses; ++c)
      if (ImGui::Selectable(kFashionClassNames[c], c == cls)) {
        ctx.run("vae class " + std::to_string(c));
        ctx.run("vae compare");
      }
    ImGui::EndCombo();
  }
  same_line_if_fits(10 * em);
  int seed = int(s.seed);
  ImGui::TextUnformatted("seed");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(7 * em);
  if (ImGui::InputInt("##seed", &seed)) {
    ctx.run("vae seed " + std::to_string(std::max(0, seed)));
    ctx.run("vae compare");
  }
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("The random numbers each family starts from (its noise or latent) come from this seed.");
  same_line_if_fits(ImGui::CalcTextSize("Draw again").x + 2 * em);
  if (ImGui::Button("Draw again")) ctx.run("vae compare");
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Run all three again (the times change a little from run to run).");
  if (lab->computing()) {
    ImGui::SameLine();
    ImGui::TextDisabled("drawing\xe2\x80\xa6");
  }
  if (cmp.rows.empty()) {
    note("Drawing with the three models (diffusion takes a few seconds)\xe2\x80\xa6");
    return;
  }
  ui::text_wrappedf("One %s, seed %llu, from each family. Same question, three ways of answering it:", kFashionClassNames[cmp.label],
                    (unsigned long long)cmp.seed);

  // [SECTION] one column per family
  const int n = int(cmp.rows.size());
  const float gap = 1.2f * em;
  const float avail = ImGui::GetContentRegionAvail().x;
  // Three columns when each gets 13 font heights; otherwise one row per family, the picture left of its text.
  const bool stacked = (avail - gap * float(n - 1)) / float(n) < 13 * em;
  const float side = stacked ? std::min(6 * em, avail * 0.3f) : std::min((avail - gap * float(n - 1)) / float(n) * 0.6f, 9 * em);
  const float col_w = stacked ? std::max(6 * em, avail - side - gap - ImGui::GetStyle().ScrollbarSize)
                              : (avail - gap * float(n - 1)) / float(n);
  ImGui::BeginChild("##cols", ImVec2(0, 0), false);
  for (int i = 0; i < n; ++i) {
    const FamilyResult& r = cmp.rows[size_t(i)];
    if (i > 0 && !stacked) ImGui::SameLine(0, gap);
    if (stacked) {
      if (r.ok && r.image.size() == 784) vae_image("vae.compare." + std::to_string(i), r.image.data(), side, true);
      else ImGui::Dummy(ImVec2(side, side));
      ImGui::SameLine(0, gap);
    }
    ImGui::BeginGroup();
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + col_w);
    accent_text(r.family.c_str());
    if (stacked) {
      if (!r.ok) note("No picture: %s", r.message.c_str());
    } else if (r.ok && r.image.size() == 784) {
      vae_image("vae.compare." + std::to_string(i), r.image.data(), side, true);
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s, asked for %s (seed %llu)\nmodel file: %s", r.family.c_str(),
                                                    kFashionClassNames[cmp.label], (unsigned long long)cmp.seed, r.model.c_str());
    } else {
      note("No picture: %s", r.message.c_str());
    }
    vae_number("time for this picture:", r.seconds * 1000, "%.1f ms",
               "Wall-clock milliseconds on this computer for this one picture (one CPU thread), model already loaded.");
    vae_number("network evaluations:", r.network_evals, "%.0f",
               "How many times a neural network ran forward to make the picture. GAN and VAE: one. Diffusion: two per "
               "step (with and without the class, for guidance).");
    ui::text_wrapped(r.trade.c_str());
    ImGui::PopTextWrapPos();
    ImGui::EndGroup();
    if (stacked) ImGui::Dummy(ImVec2(1, 0.4f * em));
  }
  ImGui::Dummy(ImVec2(1, 0.5f * em));
  ImGui::Separator();
  ui::text_wrapped("And a transformer? It would write the picture token by token, one pixel after the other: 784 network "
                   "passes, each seeing all pixels so far. Flexible and exact in its probabilities, but the slowest of all "
                   "for pictures (Glassbox uses it for text).");
  note("The independent Fashion-MNIST classifier (tests/quality/) is a Python script and does not run in the app; its "
       "scores for the three shipped models are in the README's quality table.");
  ImGui::EndChild();
}

GB_PANEL("vae.compare", draw_vae_compare);

}  // namespace gb::app
