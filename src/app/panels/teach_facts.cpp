// Hallucination and retrieval: the editable "story world" notebook of facts (add, delete, the shipped one),
// retrieval on/off, the retriever's score for every fact as hoverable bars, what the model reads with the
// retrieved facts highlighted, and the model's probability of the true answer (the word the notebook says
// comes next, e.g. "Max") without and with the facts in front — a fact the model never saw in training.
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
#include "lab/command.hpp"

namespace gb::app {

namespace {
struct FactsView {
  TeachPromptEdit prompt;
  char fact[256] = "";
};
FactsView g_fv;

ImU32 retrieved_colour(float a = 1.0f) { return IM_COL32(0, 158, 115, int(255 * a)); }  // Okabe–Ito green

// The best next tokens as horizontal bars, the answer's bar highlighted.
void next_token_bars(const char* id, const std::vector<TokenScore>& top, const std::vector<std::string>& tokens,
                     const std::string& answer, float height) {
  std::vector<float> p;
  std::vector<std::string> labels;
  int hi = -1;
  for (size_t i = 0; i < top.size() && i < tokens.size(); ++i) {
    p.push_back(top[i].prob);
    labels.push_back(teach_token_label(tokens[i]));
    if (!answer.empty() && tokens[i] == answer) hi = int(i);
  }
  ui::BarOptions o;
  o.labels = &labels;
  o.horizontal = true;
  o.value_name = tr("probability of this next token");
  o.y_label = tr("probability");
  o.x_label = tr("next token");
  o.v_min = 0;
  o.v_max = 1;
  o.highlight = hi;
  o.size = ImVec2(0, height);
  ui::bar_chart(id, p.data(), int(p.size()), o);
}
}  // namespace

void draw_teach_facts(PanelContext& ctx) {
  TeachLab* lab = teach_lab(ctx);
  if (!lab) return;
  lab->ensure_loaded();
  const float em = ImGui::GetFontSize();
  ui::text_wrapped(tr("A language model writes what sounds likely, not what is true: asked about something it never read, it still answers fluently (a hallucination). Retrieval looks the question up in a notebook of facts and puts the best matches in front of it, so the model can copy from them."));
  if (!teach_ready(ctx, *lab)) return;

  if (!lab->store_message().empty()) accent_text(lab->store_message().c_str());
  // [SECTION] the question and the switch
  teach_prompt_input(ctx, *lab, g_fv.prompt, tr("Ask"),
                     tr("The start of a sentence the model completes (`teach prompt \"…\"`), e.g. Lily's dog is called"),
                     std::max(8 * em, std::min(24 * em, ImGui::GetContentRegionAvail().x - 8 * em)));
  bool on = lab->retrieval_on();
  ui::same_line_if_fits(ui::labelled_width(ImGui::GetFrameHeight(), tr("retrieval on")) + em);
  if (ImGui::Checkbox(tr("retrieval on"), &on)) ctx.run(on ? "teach retrieve on" : "teach retrieve off");
  if (ImGui::IsItemHovered()) ImGui::SetTooltip(tr("Put the best-scoring facts (at most 2, score above 0.2) in front of the prompt (`teach retrieve on|off`)."));

  const FactBook& book = lab->facts();
  const TeachFactsProbe& fp = lab->facts_probe();
  // [SECTION] before and after
  if (fp.answer.empty()) {
    note(tr("No fact in the notebook continues \"%s\", so there is no true answer to measure. Ask the start of a fact, e.g. \"Lily's dog is called\"."), lab->prompt().c_str());
  } else {
    ui::text_wrappedf(tr("The notebook says the true answer is \"%s\" (from: %s)"), fp.answer.substr(1).c_str(), book.facts[size_t(fp.answer_fact)].c_str());
  }
  if (lab->retrieval_on()) {
    ImGui::TextUnformatted(tr("What the model reads (green: put in front by retrieval):"));
    ImGui::Indent(em);
    ImGui::PushStyleColor(ImGuiCol_Text, retrieved_colour());
    for (int f : fp.retrieved) ui::text_wrapped(book.facts[size_t(f)].c_str());
    ImGui::PopStyleColor();
    if (fp.retrieved.empty()) note(tr("(no fact scored above 0.2: nothing was put in front)"));
    ui::text_wrapped(fp.context_without.c_str());
    ImGui::Unindent(em);
  }
  const float bars_h = 13 * em;  // 8 bars with their labels and the axis (fewer rows drop labels)
  if (ImGui::BeginTable("##teach.facts.ba", 2, ImGuiTableFlags_SizingStretchSame | ImGuiTableFlags_BordersInnerV)) {
    for (int c = 0; c < 2; ++c) {
      ImGui::TableNextColumn();
      const bool with = c == 1;
      accent_text(with ? tr("after: with the retrieved facts") : tr("before: the model alone"));
      if (with && !lab->retrieval_on()) {
        note(tr("Retrieval is off. Predict first: will the true answer become more likely when the fact is in front? Then tick \"retrieval on\"."));
        continue;
      }
      const double p = with ? fp.p_with : fp.p_without;
      if (!fp.answer.empty() && std::isfinite(p)) {
        ImGui::Text(tr("p(%s) ="), teach_token_label(fp.answer).c_str());
        ImGui::SameLine();
        ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_PlotLinesHovered));
        ImGui::Text(p < 0.001 ? "%.2e" : "%.3f", p);
        ImGui::PopStyleColor();
        if (ImGui::IsItemHovered())
          ImGui::SetTooltip(tr("The model's probability that the next token is the first token of \"%s\", %s.\n%.6f = %.2f%%%s"), fp.answer.c_str(),
                            with ? tr("with the retrieved facts in front of the prompt") : tr("after the prompt alone"), p, 100 * p,
                            with && fp.p_without > 0 ? ("\n" + strf(p > fp.p_without ? tr("up %s times") : tr("down %s times"), ui::format_number("%.2g", p / fp.p_without).c_str())).c_str() : "");
      }
      next_token_bars(with ? "##teach.facts.with" : "##teach.facts.without", with ? fp.top_with : fp.top_without,
                      with ? fp.tokens_with : fp.tokens_without, fp.answer, bars_h);
    }
    ImGui::EndTable();
  }
  if (fp.answer_fact >= 0)
    note(tr("The model never saw \"%s\" in training: the notebook's facts were written for Glassbox after the model learned its stories. Without the notebook it can only guess a likely word; with it, any rise comes from reading the fact in front of the prompt. This small model copies from its context only weakly, so the rise is real but not always large."),
         book.facts[size_t(fp.answer_fact)].c_str());
  // [SECTION] the notebook with the retriever's scores
  std::vector<const FactScore*> by_index(book.facts.size(), nullptr);
  for (const FactScore& s : lab->fact_scores())
    if (s.index >= 0 && size_t(s.index) < by_index.size()) by_index[size_t(s.index)] = &s;
  ImGui::Separator();
  ImGui::Text(tr("The story-world notebook: %zu facts"), book.facts.size());
  ImGui::SameLine();
  help_marker(tr("The retriever scores every fact against the prompt: TF-IDF, the cosine between the word-weight vectors of the fact and of the prompt (0 = no shared word, 1 = the same words). Rare words (names) weigh more than common ones. The notebook is kept when Glassbox quits."));
  ImGui::SameLine();
  if (ctx.allows("teach facts shipped") && ImGui::SmallButton(tr("Shipped notebook"))) ctx.run("teach facts shipped");
  if (ImGui::IsItemHovered()) ImGui::SetTooltip(tr("Replace the notebook with the shipped one, assets/teach/facts.txt (`teach facts shipped`)."));
  const float row_h = ImGui::GetTextLineHeightWithSpacing();
  const float list_h = std::min(row_h * float(book.facts.size() + 1) + ImGui::GetStyle().FramePadding.y * 2,
                                std::max(5 * row_h, ImGui::GetContentRegionAvail().y - 2 * ImGui::GetFrameHeightWithSpacing()));
  int remove = -1;
  if (ImGui::BeginChild("##teach.facts.book", ImVec2(0, list_h), true)) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float score_w = ImGui::CalcTextSize("0.00").x + 0.5f * em;
    for (size_t i = 0; i < book.facts.size(); ++i) {
      ImGui::PushID(int(i));
      if (ImGui::SmallButton(tr("×"))) remove = int(i);
      if (ImGui::IsItemHovered()) ImGui::SetTooltip(tr("Delete this fact (`teach facts remove %zu`)."), i + 1);
      ImGui::SameLine();
      const ImVec2 p0 = ImGui::GetCursorScreenPos();
      const float w = std::max(4 * em, ImGui::GetContentRegionAvail().x - score_w);
      const double score = by_index[i] ? by_index[i]->score : 0.0;
      const bool got = std::find(fp.retrieved.begin(), fp.retrieved.end(), int(i)) != fp.retrieved.end();
      const float h = ImGui::GetTextLineHeight();
      dl->AddRectFilled(p0, ImVec2(p0.x + w * float(std::clamp(score, 0.0, 1.0)), p0.y + h),
                        got ? retrieved_colour(0.55f) : ImGui::GetColorU32(ImGuiCol_PlotHistogram, 0.35f));
      dl->AddText(ImVec2(p0.x + 0.2f * em, p0.y), ImGui::GetColorU32(ImGuiCol_Text), ui::fit_text(book.facts[i], w - 0.4f * em).c_str());
      char sc[16];
      std::snprintf(sc, sizeof sc, "%.2f", score);
      dl->AddText(ImVec2(p0.x + w + 0.3f * em, p0.y), ImGui::GetColorU32(ImGuiCol_Text), sc);
      ImGui::InvisibleButton("##row", ImVec2(w + score_w, h));
      if (ImGui::IsItemHovered()) {
        std::string words;
        if (by_index[i])
          for (const std::string& m : by_index[i]->matched) words += (words.empty() ? "" : ", ") + m;
        ImGui::SetTooltip(tr("%s\nretriever score %.3f (0 to 1)%s\nwords shared with the prompt: %s"), book.facts[i].c_str(), score,
                          got ? (lab->retrieval_on() ? tr(" — retrieved: put in front of the prompt") : tr(" — would be retrieved"))
                              : score > 0.2 ? "" : tr(" — below 0.2: never retrieved"),
                          words.empty() ? tr("none") : words.c_str());
      }
      ImGui::PopID();
    }
    if (book.facts.empty()) note(tr("The notebook is empty: add a fact below, or take the shipped notebook."));
  }
  ImGui::EndChild();
  if (remove >= 0) ctx.run("teach facts remove " + std::to_string(remove + 1));
  ImGui::TextDisabled(tr("bars: retriever score, 0 (left) to 1 (full width); green = retrieved"));
  ImGui::SetNextItemWidth(std::max(8 * em, ImGui::GetContentRegionAvail().x - 7 * em));
  const bool add_enter = ImGui::InputTextWithHint("##teach.facts.add", tr("a new fact, e.g. Ben's cat is called Pip."), g_fv.fact, sizeof g_fv.fact,
                                                  ImGuiInputTextFlags_EnterReturnsTrue);
  ImGui::SameLine();
  if ((ImGui::Button(tr("Add fact")) || add_enter) && g_fv.fact[0]) {
    if (ctx.run("teach facts add " + quote_word(g_fv.fact)).ok) g_fv.fact[0] = 0;
  }

}

GB_PANEL("teach.facts", draw_teach_facts);

}  // namespace gb::app
