// Learning from the votes with DPO: "Learn from the votes" runs N DPO steps in the worker against the frozen
// reference (the base), β shown and settable; the DPO loss of one selected vote with its live numbers
// plugged into −log σ(β·[(log π(chosen) − log π_ref(chosen)) − (log π(rejected) − log π_ref(rejected))]);
// the chosen and rejected log-probabilities before (the reference) and now; the loss and the KL to the
// reference over the steps; and, in plain words, how ChatGPT-style RLHF (reward model + PPO) relates to DPO.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include <imgui.h>

#include "core/i18n.hpp"
#include "app/panels/registry.hpp"
#include "app/panels/teach_common.hpp"
#include "app/panels/transformer_inspect.hpp"
#include "app/widgets/draw_util.hpp"
#include "app/widgets/plots.hpp"

namespace gb::app {

namespace {
struct DpoView {
  int steps = 5;     // steps per "Learn" press
  int pair = 0;      // the vote whose numbers the formula shows
  float beta = 0.1f; // the slider's value (the lab's β is the truth)
};
DpoView g_dv;

// One piece of a formula: laid on the current line when it fits, else on the next; hoverable when `tip` is set.
void piece(const char* text, const char* tip = nullptr, bool number = false) {
  const float w = ImGui::CalcTextSize(text).x;
  if (ImGui::GetContentRegionAvail().x < w) ImGui::NewLine();
  if (number) ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_PlotLinesHovered));
  ImGui::TextUnformatted(text);
  if (number) ImGui::PopStyleColor();
  if (tip && ImGui::IsItemHovered()) {
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 30.0f);
    ImGui::TextUnformatted(tip);
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
  }
  ImGui::SameLine(0, 0);
}

std::string num(double v, const char* fmt = "%.2f") {
  char b[64];
  std::snprintf(b, sizeof b, fmt, v);
  return b;
}

// A value shown as "name value", the value hoverable.
void labelled(const char* name, double v, const char* fmt, const char* tip) {
  ImGui::TextUnformatted(name);
  ImGui::SameLine();
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_PlotLinesHovered));
  ImGui::TextUnformatted(num(v, fmt).c_str());
  ImGui::PopStyleColor();
  if (ImGui::IsItemHovered()) {
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 30.0f);
    ImGui::TextUnformatted(tip);
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
  }
}
}  // namespace

void draw_teach_dpo(PanelContext& ctx) {
  TeachLab* lab = teach_lab(ctx);
  if (!lab) return;
  lab->ensure_loaded();
  const float em = ImGui::GetFontSize();
  const TeachProgress prog = lab->progress();

  // [SECTION] controls: β, steps, learn
  ui::text_wrapped(tr("Learning from the votes: make each chosen ending more likely than its rejected one, measured against a frozen copy of the starting model (the reference) so the model cannot drift too far. Technical name: DPO, direct preference optimisation."));
  if (!ImGui::IsAnyItemActive()) g_dv.beta = lab->beta();
  ImGui::SetNextItemWidth(9 * em);
  ImGui::SliderFloat("\xce\xb2##teach.dpo.beta", &g_dv.beta, 0.01f, 1.0f, "%.2f", ImGuiSliderFlags_Logarithmic);
  if (ImGui::IsItemDeactivatedAfterEdit()) ctx.run("teach beta " + num(g_dv.beta, "%.3g"));
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip(tr("β = %.3g: how strongly the reference holds the model. Small β: the votes may pull it far (and the text may degrade); large β: small, careful changes. (`teach beta B`, 0.01–1 here)"),
                      double(lab->beta()));
  ImGui::SameLine(0, 1.5f * em);
  ImGui::SetNextItemWidth(5 * em);
  ImGui::InputInt(tr("steps##teach.dpo.steps"), &g_dv.steps, 0, 0);
  g_dv.steps = std::clamp(g_dv.steps, 1, 200);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip(tr("DPO steps per press; each step uses every vote once (one batch)."));
  const bool busy = lab->busy();
  const char* learn = tr("Learn from the votes");
  ui::same_line_if_fits(ImGui::CalcTextSize(learn).x + 2 * em);
  ImGui::BeginDisabled(busy || lab->votes().empty());
  if (ctx.allows("teach dpo steps " + std::to_string(g_dv.steps)) && ImGui::Button(learn)) ctx.run("teach dpo steps " + std::to_string(g_dv.steps));
  ImGui::EndDisabled();
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
    ImGui::SetTooltip(lab->votes().empty() ? tr("No votes yet: vote in the votes panel first.") : tr("`teach dpo steps %d` in the background; the app stays responsive."),
                      g_dv.steps);
  if (busy) {
    ImGui::SameLine();
    if (ctx.allows("teach stop") && ImGui::Button(tr("Stop"))) ctx.run("teach stop");
    ImGui::SameLine();
    ImGui::Text(tr("step %lld of %lld"), (long long)prog.step, (long long)prog.total);
  } else if (prog.seconds_per_step > 0 && prog.job == TeachProgress::Job::dpo) {
    ImGui::SameLine();
    ImGui::TextDisabled(tr("last run: %.0f ms per step"), prog.seconds_per_step * 1000);
  }
  if (!prog.message.empty() && prog.message != "stopped") accent_text(prog.message.c_str());
  if (!lab->loaded()) {
    teach_ready(ctx, *lab);
    return;
  }

  // [SECTION] the formula with one vote's numbers
  const DpoStats& st = lab->vote_stats();
  const auto& votes = lab->votes();
  ImGui::Separator();
  if (votes.empty() || st.pairs.size() != votes.size()) {
    note("%s", busy ? tr("The numbers appear when this run ends.") : tr("No votes yet: write two endings and vote in the votes panel (or `teach autovote N` with a rule)."));
  } else {
    g_dv.pair = std::clamp(g_dv.pair, 0, int(votes.size()) - 1);
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted(tr("The loss of vote"));
    ImGui::SameLine();
    ImGui::SetNextItemWidth(std::min(12 * em, ImGui::GetContentRegionAvail().x));
    int shown = g_dv.pair + 1;
    if (ImGui::SliderInt("##teach.dpo.pair", &shown, 1, int(votes.size()), "%d")) g_dv.pair = shown - 1;
    if (ImGui::IsItemHovered()) ImGui::SetTooltip(tr("Which vote's numbers the formula shows (1 to %zu)."), votes.size());
    ImGui::SameLine();
    ImGui::Text(tr("of %zu"), votes.size());
    const TeachVote& v = votes[size_t(g_dv.pair)];
    const DpoPairStats& p = st.pairs[size_t(g_dv.pair)];
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    ui::text_wrappedf("%s", ui::one_line(v.prompt).c_str());
    ImGui::PopStyleColor();
    ui::text_wrappedf(tr("chosen: …%s"), ui::one_line(v.chosen).c_str());
    ui::text_wrappedf(tr("rejected: …%s"), ui::one_line(v.rejected).c_str());

    const std::string b = num(lab->beta(), "%.3g"), lc = num(p.logp_chosen), rc = num(p.ref_chosen), lr = num(p.logp_rejected),
                      rr = num(p.ref_rejected), u = num(p.u, "%.3f"), loss = num(p.loss, "%.3f");
    const std::string sig = num(1.0 / (1.0 + std::exp(-p.u)), "%.3f");
    const char* tip_lc = tr("log π(chosen): the tuned model's log-probability of the whole chosen ending after the prompt (the sum of log p over its tokens). Closer to 0 = more likely.");
    const char* tip_rc = tr("log π_ref(chosen): the same under the frozen reference (the model before learning).");
    const char* tip_lr = tr("log π(rejected): the tuned model's log-probability of the rejected ending.");
    const char* tip_rr = tr("log π_ref(rejected): the same under the frozen reference.");
    const char* tip_b = tr("β: how strongly the reference holds the model.");
    const char* tip_u = tr("u = β·[gain of the chosen − gain of the rejected]: positive when the model now prefers the chosen ending more than the reference did.");
    const char* tip_loss = tr("The DPO loss of this vote: ln 2 = 0.693 before any learning (u = 0), towards 0 as the chosen ending wins.");
    ImGui::Spacing();
    {
      const char* tip_f = tr("σ(x) = 1/(1 + e^−x), the logistic function. π: the model being tuned; π_ref: the frozen reference.");
      piece(tr("loss = −log σ(β·["), tip_f);
      piece(tr("(log π(chosen) − log π_ref(chosen))"), tr("How much more likely the chosen ending became, compared with the reference."));
      piece(" \xe2\x88\x92 ", tip_f);
      piece(tr("(log π(rejected) − log π_ref(rejected))"), tr("How much more likely the rejected ending became, compared with the reference."));
      piece("])", tip_f);
      ImGui::NewLine();
    }
    piece("     = \xe2\x88\x92log \xcf\x83(");
    piece(b.c_str(), tip_b, true);
    piece("\xc2\xb7[(");
    piece(lc.c_str(), tip_lc, true);
    piece(" \xe2\x88\x92 (");
    piece(rc.c_str(), tip_rc, true);
    piece(")) \xe2\x88\x92 (");
    piece(lr.c_str(), tip_lr, true);
    piece(" \xe2\x88\x92 (");
    piece(rr.c_str(), tip_rr, true);
    piece("))])");
    ImGui::NewLine();
    piece("     = \xe2\x88\x92log \xcf\x83(");
    piece(u.c_str(), tip_u, true);
    piece(") = \xe2\x88\x92log ");
    piece(sig.c_str(), tr("σ(u): the model's chance, in DPO's eyes, that the class prefers the chosen ending."), true);
    piece(" = ");
    piece(loss.c_str(), tip_loss, true);
    ImGui::NewLine();

    // before (the reference) and now, for this vote
    ImGui::Spacing();
    if (ImGui::BeginTable("##teach.dpo.before", 4, ImGuiTableFlags_Borders | ImGuiTableFlags_SizingFixedFit)) {
      ImGui::TableSetupColumn(tr("log-probability of the ending"));
      ImGui::TableSetupColumn(tr("before (reference)"));
      ImGui::TableSetupColumn(tr("now"));
      ImGui::TableSetupColumn(tr("change"));
      ImGui::TableHeadersRow();
      const double rows[2][2] = {{p.ref_chosen, p.logp_chosen}, {p.ref_rejected, p.logp_rejected}};
      for (int r = 0; r < 2; ++r) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(r == 0 ? tr("chosen") : tr("rejected"));
        for (int c = 0; c < 3; ++c) {
          ImGui::TableNextColumn();
          const double val = c < 2 ? rows[r][c] : rows[r][1] - rows[r][0];
          ImGui::Text(c == 2 ? "%+.2f" : "%.2f", val);
          if (ImGui::IsItemHovered())
            ImGui::SetTooltip(tr("%s: %.4f nats%s"), c == 0 ? tr("log π_ref (the frozen reference)") : c == 1 ? tr("log π (the model now)") : tr("now − before"),
                              val, c == 2 ? (r == 0 ? tr("\n(up = the chosen ending became more likely)") : tr("\n(down = the rejected ending became less likely)")) : "");
        }
      }
      ImGui::EndTable();
    }
    labelled(tr("all votes: mean DPO loss"), st.loss, "%.3f", tr("The mean of the loss above over every vote: what each DPO step makes smaller."));
    ImGui::SameLine(0, 1.5f * em);
    labelled(tr("chosen wins"), st.accuracy * 100, "%.0f%%",
             tr("Share of votes with u > 0: the model now prefers the chosen ending more than the reference did."));
    ImGui::SameLine(0, 1.5f * em);
    labelled(tr("KL to the reference"), st.kl, "%.3f",
             tr("How far the model drifted from the reference: the mean over the endings' tokens of KL(π ‖ π_ref) of the next-token distributions, in nats. 0 = unchanged."));
  }

  // [SECTION] the loss and the KL over the steps
  if (!prog.dpo_loss.empty()) {
    std::vector<float> xs(prog.dpo_loss.size());
    for (size_t i = 0; i < xs.size(); ++i) xs[i] = float(i + 1);
    const float w = (ImGui::GetContentRegionAvail().x - em) / 2;
    const float h = std::max(7 * em, std::min(12 * em, ImGui::GetContentRegionAvail().y - 9 * em));
    ui::PlotOptions o;
    o.size = ImVec2(w, h);
    o.title = tr("DPO loss (mean over the votes)");
    o.x_label = tr("DPO step (all runs so far)");
    o.y_label = tr("loss (nats)");
    o.y_min = 0;
    ui::line_plot("##teach.dpo.loss", {{tr("DPO loss"), prog.dpo_loss.data(), int(prog.dpo_loss.size()), xs.data()}}, o);
    ImGui::SameLine(0, em);
    o.title = tr("KL to the reference (drift)");
    o.y_label = "KL (nats)";
    ui::line_plot("##teach.dpo.kl", {{"KL", prog.dpo_kl.data(), int(std::min(prog.dpo_kl.size(), xs.size())), xs.data(), ui::series_colour(2)}}, o);
  }

  // [SECTION] plain words: RLHF and DPO
  ImGui::Separator();
  note(tr("How ChatGPT-style models learn from people (RLHF): people compare two answers; a second network, the reward model, learns to give the preferred answer a higher score; then the model is trained with reinforcement learning (PPO) to write answers the reward model scores high, held near the original by a KL penalty. DPO reaches the same goal directly: its loss (the formula above, once there are votes) raises the chosen answer against the rejected one, with no reward model and no PPO — β plays the part of the KL penalty."));
}

GB_PANEL("teach.dpo", draw_teach_dpo);

}  // namespace gb::app
