// Panel teach.bias: bias comes from the data. A slider sets the share of doctor stories in which the doctor is
// "she"; Run writes that mixed corpus, fine-tunes briefly from the base and adds one point per pronoun to the
// plot of the model's probability of "she" and "he" after "The doctor smiled at Lily and said that" against the
// mix, so run by run the class sees the line.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

#include <imgui.h>

#include "core/i18n.hpp"
#include "app/panels/registry.hpp"
#include "app/panels/teach_common.hpp"
#include "app/panels/transformer_inspect.hpp"
#include "app/widgets/draw_util.hpp"
#include "app/widgets/plots.hpp"
#include "app/widgets/setting_slider.hpp"
#include "models/transformer/teach_data.hpp"

namespace gb::app {

void draw_teach_bias(PanelContext& ctx) {
  TeachLab* lab = teach_lab(ctx);
  if (!lab) return;
  const float em = ImGui::GetFontSize();
  ui::text_wrapped(tr("A model has no opinions of its own: it learns how often things happen in the text it reads. Here the class chooses the text. Set how many of the doctor stories say \"she\", fine-tune a fresh copy of the base on them, and ask the model to continue:"));
  ImGui::TextUnformatted((std::string("\"") + kDoctorProbe + " \xe2\x80\xa6\"").c_str());
  if (ImGui::IsItemHovered()) ImGui::SetTooltip(tr("the probe: the model's probability of the next word \" she\" and \" he\" after this text"));
  if (!lab->loaded() || (lab->busy() && !lab->bias_running())) {
    teach_ready(ctx, *lab);
    return;
  }
  float mix = float(lab->mix());
  ImGui::SetNextItemWidth(14 * em);
  if (!lab->busy() && ui::setting_slider("teach", "mix", tr("share of \"she\" stories"), mix, "%.2f")) {
    char b[48];
    std::snprintf(b, sizeof b, "teach set mix %.2f", double(mix));
    ctx.run(b);
  }
  ui::same_line_if_fits(12 * em);
  int steps = lab->steps_per_run();
  ImGui::SetNextItemWidth(8 * em);
  if (!lab->busy() && ui::setting_slider("teach", "steps", tr("steps"), steps, "%d", true, 1, 200)) ctx.run("teach set steps " + std::to_string(steps));
  if (lab->busy()) {
    const TeachProgress p = lab->progress();
    if (ctx.allows("teach stop") && ImGui::Button(tr("Stop"))) ctx.run("teach stop");
    ImGui::SameLine();
    ui::text_wrappedf(tr("bias runs: fine-tuning step %lld of %lld … (each run starts from the base)"), (long long)p.step, (long long)p.total);
  } else {
    if (ctx.allows("teach bias run") && ImGui::Button(tr("Run: make the stories, fine-tune, measure"))) ctx.run("teach bias run");
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip(tr("from the base: 200 doctor stories, %.0f%% with \"she\"; %d fine-tuning steps; then p(she) and p(he)\ncommand: teach bias run"),
                        lab->mix() * 100, steps);
    ImGui::SameLine();
    if (ctx.allows("teach bias clear") && ImGui::Button(tr("Clear the points"))) ctx.run("teach bias clear");
  }

  const std::vector<TeachBiasPoint> pts = lab->bias_points();
  std::vector<float> x, she, he;
  for (const TeachBiasPoint& b : pts) {
    x.push_back(float(b.mix));
    she.push_back(float(b.p_she));
    he.push_back(float(b.p_he));
  }
  ui::ScatterOptions o;
  o.x_label = tr("share of doctor stories with \"she\" (the training data)");
  o.y_label = tr("p(next word)");
  o.x_min = 0;
  o.x_max = 1;
  o.y_min = 0;
  o.y_max = 1;
  o.size = ImVec2(0, std::max(10 * em, ImGui::GetContentRegionAvail().y - 4.5f * em));
  ui::ScatterSeries s_she{"p(\" she\")", x.data(), she.data(), int(x.size()), ui::series_colour(0), 0.35f * em};
  ui::ScatterSeries s_he{"p(\" he\")", x.data(), he.data(), int(x.size()), ui::series_colour(1), 0.35f * em};
  ui::ScatterSeries both[2] = {s_she, s_he};
  ui::ScatterHover h = ui::scatter("##bias", both, 2, o);
  if (h.series >= 0 && h.index >= 0 && size_t(h.index) < pts.size()) {
    const TeachBiasPoint& b = pts[size_t(h.index)];
    ImGui::SetTooltip(tr("run %d: %.0f%% \"she\" stories, %d steps from the base\np(\" she\") = %.4f   p(\" he\") = %.4f\nshare of she among the two: %.4f / (%.4f + %.4f) = %.3f"),
                      h.index + 1, b.mix * 100, b.steps, b.p_she, b.p_he, b.p_she, b.p_she, b.p_he, b.p_she / std::max(1e-12, b.p_she + b.p_he));
  }
  if (pts.empty())
    note(tr("No runs yet. Try 10%%, 50%% and 90%%: each run adds one point per pronoun."));
  else {
    const TeachBiasPoint& b = pts.back();
    ui::text_wrappedf(tr("Last run: %.0f%% \"she\" in the data → p(she) = %.3f, p(he) = %.3f, so the model says \"she\" %.0f%% of the time it picks one of the two. The base (before any run): p(she) = %.3f, p(he) = %.3f."),
                      b.mix * 100, b.p_she, b.p_he, 100 * b.p_she / std::max(1e-12, b.p_she + b.p_he), lab->base_p_she(), lab->base_p_he());
  }
  note(tr("Where bias comes from: the text a model learns from. If most doctors in the data are \"he\", the model expects \"he\" — nobody programmed that rule. Real models read the internet, with its skews."));
}
GB_PANEL("teach.bias", draw_teach_bias);

}  // namespace gb::app
