// Human votes (the data of RLHF / DPO): the model writes two endings A and B of the same prompt, the class
// picks the better one (buttons, or keys A / B while the panel is focused), and every pick becomes a
// (prompt, chosen, rejected) pair in the visible list (delete with ×). A rule-voter ("prefer the one
// containing WORD") votes for lessons and tests. After learning, fresh samples show the model's new taste.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>

#include <imgui.h>

#include "app/keys.hpp"
#include "core/i18n.hpp"
#include "app/panels/registry.hpp"
#include "app/panels/teach_common.hpp"
#include "app/panels/transformer_inspect.hpp"
#include "app/widgets/draw_util.hpp"
#include "lab/command.hpp"

namespace gb::app {

namespace {
struct VotesView {
  TeachPromptEdit prompt;
  char rule[64] = "happy";
  int autovotes = 5;
};
VotesView g_vv;

ImU32 good_colour(float a = 1.0f) { return IM_COL32(0, 158, 115, int(255 * a)); }  // Okabe–Ito green
ImU32 bad_colour(float a = 1.0f) { return IM_COL32(213, 94, 0, int(255 * a)); }    // Okabe–Ito vermillion

// One sample: the prompt dimmed, the ending in full, wrapped to the column.
void sample_text(const std::string& prompt, const std::string& ending) {
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  ImGui::TextWrapped("%s", prompt.c_str());
  ImGui::PopStyleColor();
  ImGui::TextWrapped("\xe2\x80\xa6%s", ending.c_str());  // i18n: keep
}

bool contains(const std::string& text, const std::string& word) { return !word.empty() && text.find(word) != std::string::npos; }
}  // namespace

void draw_teach_votes(PanelContext& ctx) {
  TeachLab* lab = teach_lab(ctx);
  if (!lab) return;
  lab->ensure_loaded();
  const float em = ImGui::GetFontSize();
  ui::text_wrapped(tr("The model writes two endings for the same start. You pick the better one: each pick is a vote (technical: a preference pair — prompt, chosen, rejected). \"Learn from the votes\" then nudges the model towards what the class chose."));
  if (!teach_ready(ctx, *lab)) return;

  if (!lab->store_message().empty()) accent_text(lab->store_message().c_str());
  // [SECTION] the prompt
  teach_prompt_input(ctx, *lab, g_vv.prompt, tr("Prompt"),
                     tr("The start both endings continue. Press Enter or Use to change it (`teach prompt \"…\"`)."),
                     std::max(8 * em, ImGui::GetContentRegionAvail().x - 9 * em));

  // [SECTION] A and B side by side
  if (ctx.allows("teach sample") && ImGui::Button(tr("Write two endings (A and B)"))) ctx.run("teach sample");
  if (ImGui::IsItemHovered()) ImGui::SetTooltip(tr("The model samples two continuations of the prompt (temperature 1, top-k 40; seeded) — `teach sample`."));
  const bool have = !lab->sample_a().empty() && !lab->sample_b().empty();
  const char* keys_hint = tr("keys A / B vote while this panel is focused");
  ui::same_line_if_fits(ImGui::CalcTextSize(keys_hint).x);
  ImGui::TextDisabled("%s", keys_hint);
  if (have && ImGui::BeginTable("##teach.votes.ab", 2, ImGuiTableFlags_Borders | ImGuiTableFlags_SizingStretchSame)) {
    const std::string* s[2] = {&lab->sample_a(), &lab->sample_b()};
    for (int i = 0; i < 2; ++i) {
      ImGui::TableNextColumn();
      accent_text(i == 0 ? "A" : "B");
      sample_text(lab->prompt(), *s[i]);
      if (contains(*s[i], lab->rule())) ImGui::TextDisabled(tr("(contains \"%s\")"), lab->rule().c_str());
      if (ctx.allows(i == 0 ? "teach vote a" : "teach vote b") && ImGui::Button(i == 0 ? tr("A is better  [A]") : tr("B is better  [B]"))) ctx.run(i == 0 ? "teach vote a" : "teach vote b");
    }
    ImGui::EndTable();
  } else if (!have) {
    note(tr("No endings to vote on yet: press \"Write two endings\"."));
  }
  if (have && ImGui::IsWindowFocused(ImGuiFocusedFlags_RootAndChildWindows) && !ImGui::GetIO().WantTextInput) {
    if (shortcut_pressed("teach vote a")) ctx.run("teach vote a");  // keys from app/keys.cpp's table
    else if (shortcut_pressed("teach vote b")) ctx.run("teach vote b");
  }

  // [SECTION] the rule-voter
  ImGui::Separator();
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(tr("Rule voter: prefer the ending containing"));
  ui::same_line_if_fits(6 * em);
  if (!lab->rule().empty() && !ImGui::IsAnyItemActive()) std::snprintf(g_vv.rule, sizeof g_vv.rule, "%s", lab->rule().c_str());
  ImGui::SetNextItemWidth(6 * em);
  ImGui::InputText("##teach.votes.rule", g_vv.rule, sizeof g_vv.rule);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip(tr("A teacher's rule instead of a hand vote, for lessons and tests: after each sample, the rule votes for the\nending that contains this word (no vote when both or neither do)."));
  const bool rule_on = !lab->rule().empty();
  ui::same_line_if_fits(ImGui::CalcTextSize(rule_on ? tr("Rule off") : tr("Rule on")).x + 2 * ImGui::GetStyle().FramePadding.x);
  if (ctx.allows(rule_on ? "teach rule off" : "teach rule " + quote_word(g_vv.rule)) && ImGui::Button(rule_on ? tr("Rule off") : tr("Rule on"))) ctx.run(rule_on ? "teach rule off" : "teach rule " + quote_word(g_vv.rule));
  if (rule_on) {
    ui::same_line_if_fits(5 * em);
    ImGui::SetNextItemWidth(5 * em);
    ImGui::InputInt("##teach.votes.n", &g_vv.autovotes, 0, 0);
    g_vv.autovotes = std::clamp(g_vv.autovotes, 1, 100);
    char label[160];
    std::snprintf(label, sizeof label, tr("Let the rule cast %d votes"), g_vv.autovotes);
    ui::same_line_if_fits(ImGui::CalcTextSize(label).x + 2 * ImGui::GetStyle().FramePadding.x);
    if (ctx.allows("teach autovote " + std::to_string(g_vv.autovotes)) && ImGui::Button(label)) ctx.run("teach autovote " + std::to_string(g_vv.autovotes));
    if (ImGui::IsItemHovered()) ImGui::SetTooltip(tr("Samples pairs of endings until the rule has voted %d times (`teach autovote %d`)."), g_vv.autovotes, g_vv.autovotes);
    ImGui::TextDisabled(tr("rule on: votes go to the ending containing \"%s\""), lab->rule().c_str());
    const TeachProgress p = lab->progress();  // the rule votes in the worker: the app stays responsive meanwhile
    if (p.job == TeachProgress::Job::autovote && p.running)
      ImGui::TextDisabled(tr("the rule is reading pairs of endings… %lld pairs so far"), (long long)p.step);
    else if (!lab->autovote_summary().empty())
      ImGui::TextWrapped("%s", lab->autovote_summary().c_str());
  }

  // [SECTION] the list of votes
  ImGui::Separator();
  const auto& votes = lab->votes();
  const DpoStats& st = lab->vote_stats();
  ImGui::Text(tr("Votes: %zu"), votes.size());
  ImGui::SameLine();
  help_marker(tr("Each row is one preference pair: the prompt, the ending the class chose and the one it rejected. This is the JSON-lines layout DPO data sets use (`teach votes save FILE`, `glassbox dpo --prefs FILE`). The list is kept when Glassbox quits."));
  if (!votes.empty()) {
    ImGui::SameLine();
    if (ctx.allows("teach votes clear") && ImGui::SmallButton(tr("Delete all"))) ctx.run("teach votes clear");
  }
  const float list_h = std::max(6 * em, ImGui::GetContentRegionAvail().y - (lab->fresh_samples().empty() ? ImGui::GetFrameHeightWithSpacing() : 8 * em));
  if (!votes.empty() && ImGui::BeginTable("##teach.votes.list", 4,
                                          ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY | ImGuiTableFlags_SizingStretchProp,
                                          ImVec2(0, list_h))) {
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn("#", ImGuiTableColumnFlags_WidthFixed, ImGui::CalcTextSize("\xc3\x97 000").x + 2 * ImGui::GetStyle().FramePadding.x);  // i18n: keep
    ImGui::TableSetupColumn(tr("prompt"), ImGuiTableColumnFlags_WidthStretch, 1.0f);
    ImGui::TableSetupColumn(tr("chosen (preferred)"), ImGuiTableColumnFlags_WidthStretch, 1.3f);
    ImGui::TableSetupColumn(tr("rejected"), ImGuiTableColumnFlags_WidthStretch, 1.3f);
    ImGui::TableHeadersRow();
    int remove = -1;
    for (size_t i = 0; i < votes.size(); ++i) {
      ImGui::PushID(int(i));
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      if (ImGui::SmallButton(tr("×"))) remove = int(i);
      if (ImGui::IsItemHovered()) ImGui::SetTooltip(tr("Delete vote %zu (`teach votes remove %zu`)."), i + 1, i + 1);
      ImGui::SameLine(0, 0.3f * em);
      ImGui::Text("%zu", i + 1);
      auto tip = [&] {
        if (!ImGui::IsItemHovered() || i >= st.pairs.size()) return;
        const DpoPairStats& p = st.pairs[i];
        ImGui::SetTooltip(tr("vote %zu\nlog π(chosen) = %.2f   (reference %.2f)\nlog π(rejected) = %.2f   (reference %.2f)\nu = %.3f, DPO loss = %.3f\n(log π: the model's log-probability of the whole ending; the DPO panel explains)"),
                          i + 1, p.logp_chosen, p.ref_chosen, p.logp_rejected, p.ref_rejected, p.u, p.loss);
      };
      ImGui::TableNextColumn();
      ImGui::TextWrapped("%s", votes[i].prompt.c_str());
      tip();
      ImGui::TableNextColumn();
      ImGui::PushStyleColor(ImGuiCol_Text, good_colour());
      ImGui::TextWrapped("%s", votes[i].chosen.c_str());
      ImGui::PopStyleColor();
      tip();
      ImGui::TableNextColumn();
      ImGui::PushStyleColor(ImGuiCol_Text, bad_colour());
      ImGui::TextWrapped("%s", votes[i].rejected.c_str());
      ImGui::PopStyleColor();
      tip();
      ImGui::PopID();
    }
    ImGui::EndTable();
    if (remove >= 0) ctx.run("teach votes remove " + std::to_string(remove + 1));
  } else if (votes.empty()) {
    note(tr("No votes yet."));
  }

  // [SECTION] fresh samples (after learning)
  const auto& fresh = lab->fresh_samples();
  if (!fresh.empty()) {
    int with = 0;
    for (const std::string& f : fresh) with += contains(f, lab->rule()) ? 1 : 0;
    ImGui::Separator();
    if (!lab->rule().empty())
      ImGui::Text(tr("Fresh samples from the model as it is now: %d of %zu contain \"%s\""), with, fresh.size(), lab->rule().c_str());
    else
      ImGui::Text(tr("Fresh samples from the model as it is now (%zu)"), fresh.size());
    if (ImGui::IsItemHovered()) ImGui::SetTooltip(tr("Written after the last learning run (or `teach fresh N`), same seeds every time, so before and after compare fairly."));
    ImGui::SameLine();
    if (ctx.allows("teach fresh " + std::to_string(fresh.size())) && ImGui::SmallButton(tr("Again"))) ctx.run("teach fresh " + std::to_string(fresh.size()));
    for (const std::string& f : fresh) {
      const bool w = contains(f, lab->rule());
      if (w) ImGui::PushStyleColor(ImGuiCol_Text, good_colour());
      ui::text_wrappedf(tr("• %s"), ui::one_line(f).c_str());
      if (w) ImGui::PopStyleColor();
    }
  } else {
    if (ctx.allows("teach fresh 10") && ImGui::SmallButton(tr("Fresh samples"))) ctx.run("teach fresh 10");
    if (ImGui::IsItemHovered()) ImGui::SetTooltip(tr("Ten samples of the prompt from the model as it is now (`teach fresh 10`): run before and after learning."));
  }
}

GB_PANEL("teach.votes", draw_teach_votes);

}  // namespace gb::app
