// All image families side by side: the same class and seed through the GAN (one generator pass), the
// conditional VAE (one decoder pass) and the diffusion model (50 DDIM steps with guidance), each with its
// time for this one picture, the number of network evaluations, and what the family trades in plain words.
// A transformer would write the picture token by token: one network pass per pixel (784).
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string>

#include <imgui.h>

#include "app/panels/registry.hpp"
#include "app/panels/transformer_inspect.hpp"
#include "app/panels/vae_common.hpp"
#include "app/widgets/draw_util.hpp"
#include "core/files.hpp"
#include "core/idx.hpp"
#include "lab/quality_verdicts.hpp"
#include "core/i18n.hpp"

namespace gb::app {

namespace {

// The verdicts file is read once per run (tests/quality/quality_table.py --write rewrites it offline).
const QualityVerdicts& verdicts() {
  static const QualityVerdicts v = load_quality_verdicts();
  return v;
}

// The lab's texts for the three rows (lab/vae_lab.cpp compute_compare: family names and trade-offs) are shown through
// tr(text); they are listed here as tr() literals so the translation test and tools/i18n_extract.py find them.
// Keep this list in step with compute_compare (an unlisted text is shown in English). Never called.
[[maybe_unused]] static void compare_texts_for_translators() {
  tr("conditional VAE");
  tr("diffusion (DDIM, 50 steps)");
  tr("One pass of the generator: the fastest, and sharp. But it is trained as a contest, which can wobble or collapse onto a few kinds of picture, and there is no way back from a picture to its z.");
  tr("One pass of the decoder: as fast as the GAN and trained by one plain loss that always goes down. The price is blur: it hedges between the pictures a z could mean. It can also encode a picture back to z.");
  tr("Many small denoising steps (here 50, each two passes for guidance): by far the slowest, but the sharpest and most varied, and its training is a plain, stable regression.");
}

// The verdicts' key for a family row ("GAN" → gan, "conditional VAE" → vae, "diffusion (…)" → diffusion).
const char* verdict_key(const std::string& family) {
  if (family.rfind("GAN", 0) == 0) return "gan";
  if (family.find("VAE") != std::string::npos) return "vae";
  if (family.rfind("diffusion", 0) == 0) return "diffusion";
  return "";
}

// The verdict for the model a row came from, or null with `why` when there is none for that file (another
// checkpoint loaded, or no verdicts file): a verdict is only shown for the exact file that was judged.
const QualityVerdict* verdict_for(const FamilyResult& r, std::string& why) {
  const QualityVerdicts& all = verdicts();
  if (!all.error.empty()) {
    why = all.error;
    return nullptr;
  }
  const QualityVerdict* v = all.find(verdict_key(r.family));
  if (!v) {
    char b[1024];
    std::snprintf(b, sizeof b, tr("none measured for this family in %s"), all.file.c_str());
    why = b;
    return nullptr;
  }
  const std::string path = r.model.rfind("shipped ", 0) == 0 ? assets_dir() + "/models/" + v->file : r.model;
  std::error_code ec;
  const auto bytes = std::filesystem::file_size(path, ec);
  if (std::filesystem::path(path).filename().string() != v->file || ec || int64_t(bytes) != v->file_bytes) {
    char b[1024];
    std::snprintf(b, sizeof b, tr("this model file is not the one judged (%s)"), v->file.c_str());
    why = b;
    return nullptr;
  }
  return v;
}

// The three figures of one family's verdict, each hoverable with its meaning and the real-picture floor.
void draw_verdict(const FamilyResult& r) {
  std::string why;
  const QualityVerdict* v = verdict_for(r, why);
  ImGui::TextUnformatted(tr("classifier's verdict:"));
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip(tr("An independent Fashion-MNIST classifier (tests/quality/, trained separately, never seen by the generators) judged samples of every class from the shipped model."));
  if (!v) {
    note(tr("none: %s"), why.c_str());
    return;
  }
  const QualityVerdict* real = verdicts().find("real");
  char floor[160] = "";
  auto floor_line = [&](const char* fmt, double x) {
    if (real) std::snprintf(floor, sizeof floor, fmt, x);
    return floor;
  };
  const int n = 10 * v->per_class;
  char help[1536];
  std::snprintf(help, sizeof help,
                tr("Looks like the class asked (classifier accuracy): %.0f of %d samples (%d per class, seed %lld) were labelled by the classifier as the class they were asked to be.\n%s\nmeasured %s on %s"),
                v->accuracy * n, n, v->per_class, (long long)v->seed,
                floor_line(tr("Real pictures: %.1f%% (the classifier's own mistakes)."), 100 * (real ? real->accuracy : 0)),
                v->date.c_str(), v->file.c_str());
  ImGui::Indent(0.8f * ImGui::GetFontSize());
  vae_number(tr("looks like the class asked:"), 100 * v->accuracy, "%.1f%%", help);
  std::snprintf(help, sizeof help,
                tr("How far from real pictures (Frechet distance, FD): the distance between a bell curve fitted to the classifier's 128 features of these %d samples and one fitted to the 10,000 real test pictures. 0 = the same; lower is better.\n%s"),
                n, floor_line(tr("Real training pictures: %.1f (the floor for 1000 pictures)."), real ? real->fd : 0));
  vae_number(tr("distance from real (FD):"), v->fd, "%.1f", help);
  std::snprintf(help, sizeof help,
                tr("Variety of the least varied class (diversity ratio): mean distance between two samples of a class over the same for real pictures of it, the lowest of the ten classes. 1 = as varied as real pictures; 0 = the same picture every time.\n%s"),
                floor_line(tr("Real pictures: %.2f."), real ? real->min_diversity : 0));
  vae_number(tr("variety (lowest class):"), v->min_diversity, "%.2f", help);
  ImGui::Unindent(0.8f * ImGui::GetFontSize());
}

}  // namespace

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
  ImGui::TextUnformatted(tr("class"));
  ImGui::SameLine();
  ImGui::SetNextItemWidth(9 * em);
  if (ImGui::BeginCombo("##class", fashion_class(cls))) {
    for (int c = 0; c < kFashionClasses; ++c)
      if (ImGui::Selectable(fashion_class(c), c == cls)) {
        ctx.run("vae class " + std::to_string(c));
        ctx.run("vae compare");
      }
    ImGui::EndCombo();
  }
  same_line_if_fits(10 * em);
  int seed = int(s.seed);
  ImGui::TextUnformatted(tr("seed"));
  ImGui::SameLine();
  ImGui::SetNextItemWidth(7 * em);
  if (ImGui::InputInt("##seed", &seed)) {
    ctx.run("vae seed " + std::to_string(std::max(0, seed)));
    ctx.run("vae compare");
  }
  if (ImGui::IsItemHovered()) ImGui::SetTooltip(tr("The random numbers each family starts from (its noise or latent) come from this seed."));
  same_line_if_fits(ImGui::CalcTextSize(tr("Draw again")).x + 2 * em);
  if (ctx.allows("vae compare") && ImGui::Button(tr("Draw again"))) ctx.run("vae compare");
  if (ImGui::IsItemHovered()) ImGui::SetTooltip(tr("Run all three again (the times change a little from run to run)."));
  if (lab->computing()) {
    ImGui::SameLine();
    ImGui::TextDisabled(tr("drawing…"));
  }
  if (cmp.rows.empty()) {
    note(tr("Drawing with the three models (diffusion takes a few seconds)…"));
    return;
  }
  ui::text_wrappedf(tr("One %s, seed %llu, from each family. Same question, three ways of answering it:"), fashion_class(cmp.label),
                    (unsigned long long)cmp.seed);

  // [SECTION] one column per family
  const int n = int(cmp.rows.size());
  const float gap = 1.2f * em;
  const float avail = ImGui::GetContentRegionAvail().x;
  // Three columns when each fits 13 font heights and the verdict's longest line (beside the child's scroll
  // bar); otherwise one row per family, the picture left of its text.
  const float need = std::max(13 * em, ImGui::CalcTextSize(tr("looks like the class asked: 100.0%")).x + 2 * em);
  const bool stacked = (avail - ImGui::GetStyle().ScrollbarSize - gap * float(n - 1)) / float(n) < need;
  const float side = stacked ? std::min(6 * em, avail * 0.3f) : std::min((avail - gap * float(n - 1)) / float(n) * 0.6f, 9 * em);
  const float col_w = stacked ? std::max(6 * em, avail - side - gap - ImGui::GetStyle().ScrollbarSize)
                              : (avail - ImGui::GetStyle().ScrollbarSize - gap * float(n - 1)) / float(n);
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
    accent_text(tr(r.family.c_str()));
    if (stacked) {
      if (!r.ok) note(tr("No picture: %s"), r.message.c_str());
    } else if (r.ok && r.image.size() == 784) {
      vae_image("vae.compare." + std::to_string(i), r.image.data(), side, true);
      if (ImGui::IsItemHovered()) ImGui::SetTooltip(tr("%s, asked for %s (seed %llu)\nmodel file: %s"), tr(r.family.c_str()),
                                                    fashion_class(cmp.label), (unsigned long long)cmp.seed, r.model.c_str());
    } else {
      note(tr("No picture: %s"), r.message.c_str());
    }
    vae_number(tr("time for this picture:"), r.seconds * 1000, tr("%.1f ms"),
               tr("Wall-clock milliseconds on this computer for this one picture (one CPU thread), model already loaded."));
    vae_number(tr("network evaluations:"), r.network_evals, "%.0f",
               tr("How many times a neural network ran forward to make the picture. GAN and VAE: one. Diffusion: two per step (with and without the class, for guidance)."));
    draw_verdict(r);
    ui::text_wrapped(tr(r.trade.c_str()));
    ImGui::PopTextWrapPos();
    ImGui::EndGroup();
    if (stacked) ImGui::Dummy(ImVec2(1, 0.4f * em));
  }
  ImGui::Dummy(ImVec2(1, 0.5f * em));
  ImGui::Separator();
  ui::text_wrapped(tr("And a transformer? It would write the picture token by token, one pixel after the other: 784 network passes, each seeing all pixels so far. Flexible and exact in its probabilities, but the slowest of all for pictures (Glassbox uses it for text)."));
  if (const QualityVerdict* real = verdicts().find("real"))
    note(tr("The verdicts come from assets/models/quality.json, written by tests/quality/quality_table.py (the classifier is a Python script and does not run in the app). Real pictures score %.1f%%, FD %.1f, variety %.2f: the best a model can hope for."),
         100 * real->accuracy, real->fd, real->min_diversity);
  else
    note(tr("No classifier verdicts: %s"), verdicts().error.empty() ? tr("the real-picture floor is missing") : verdicts().error.c_str());
  ImGui::EndChild();
}

GB_PANEL("vae.compare", draw_vae_compare);

}  // namespace gb::app
