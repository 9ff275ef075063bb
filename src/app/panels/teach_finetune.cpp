// Panel teach.finetune: fine-tuning the stories model on a small text of the class's choice. The corpus
// (sea, space, rhyme stories, the teacher's own text pasted or a .txt file), the mode (every weight or LoRA of
// rank r, each with the numbers it trains), steps and learning rate, Run / Stop / Undo to the base, and the same
// prompt's next-token bars before (the frozen base) and after (the tuned model) side by side.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include <imgui.h>

#include "core/i18n.hpp"
#include "app/panels/registry.hpp"
#include "app/panels/teach_common.hpp"
#include "app/panels/transformer_format.hpp"
#include "app/panels/transformer_inspect.hpp"
#include "app/widgets/draw_util.hpp"
#include "app/widgets/plots.hpp"
#include "app/widgets/setting_slider.hpp"

namespace gb::app {

namespace {

struct FinetuneView {
  char text[4096] = "";   // the teacher's own text, pasted
  char path[512] = "";    // or a .txt file
  char prompt[256] = "";
  std::string prompt_seen;  // the lab's prompt last copied into the box
};
FinetuneView g_ft;

// One side of the before/after comparison: horizontal bars of the best next tokens with exact probabilities.
void next_token_bars(const char* id, const char* title, const std::vector<TokenScore>& top, const std::vector<std::string>& text,
                     float width, float height, float v_max, ImU32 colour) {
  std::vector<float> p;
  std::vector<std::string> labels;
  for (size_t i = 0; i < top.size() && i < text.size(); ++i) {
    p.push_back(top[i].prob);
    labels.push_back(teach_token_label(text[i]));
  }
  ui::BarOptions o;
  o.size = ImVec2(width, height);
  o.title = title;
  o.labels = &labels;
  o.value_name = tr("probability of this next token");
  o.value_format = "%.4f";
  o.horizontal = true;
  o.v_min = 0;
  o.v_max = v_max;
  o.y_label = tr("probability");
  o.colour = colour;
  ui::BarHover h = ui::bar_chart(id, p.data(), int(p.size()), o);
  if (h.hovered && h.index >= 0 && size_t(h.index) < top.size()) {
    const TokenScore& t = top[size_t(h.index)];
    ImGui::SetTooltip(tr("next token %s\nprobability p = %.4f (%.2f%%)\nlogit z = %.3f\np = e^z / Σ e^z over all %s"), labels[size_t(h.index)].c_str(),
                      double(t.prob), 100.0 * double(t.prob), double(t.logit), tr("tokens of the vocabulary"));
  }
}

}  // namespace

void draw_teach_finetune(PanelContext& ctx) {
  TeachLab* lab = teach_lab(ctx);
  if (!lab) return;
  const float em = ImGui::GetFontSize();
  // `highlight teach.finetune:bars` (a lesson about the bars): the controls step aside, the bars come first.
  const bool bars_first = ctx.highlight_detail == "bars";
  if (!bars_first)
    ui::text_wrapped(
      tr("Fine-tuning (supervised fine-tuning): keep training the finished stories model on a small text with a new style. The model you start from stays as a frozen copy, the base, so you can compare and go back."));
  if (!lab->loaded()) {
    teach_ready(ctx, *lab);
    return;
  }
  const bool busy = lab->busy();  // a run goes on: the controls wait, the bars show the last probe
  const Tuner* tuner = lab->tuner();  // null while busy
  if (!bars_first) {
  ImGui::BeginDisabled(busy);

  // [SECTION] corpus
  accent_text(tr("1. What to learn from"));
  const std::string& cn = lab->corpus_name();
  struct Choice {
    const char* word;
    const char* label;
  };
  const Choice kChoices[] = {{"sea", tr("sea stories")}, {"space", tr("space stories")}, {"rhyme", tr("stories that rhyme")}};
  auto radio_w = [&](const char* label) { return ImGui::CalcTextSize(label).x + ImGui::GetFrameHeight() + 2 * em; };
  bool first = true;
  for (const Choice& c : kChoices) {
    if (!first) ui::same_line_if_fits(radio_w(c.label));
    first = false;
    if (ImGui::RadioButton(c.label, cn == c.word)) ctx.run(std::string("teach corpus ") + c.word);
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip(tr("200 short %s written for Glassbox (assets/teach/%s-stories.txt)\ncommand: teach corpus %s"), c.label, c.word, c.word);
  }
  ui::same_line_if_fits(radio_w(tr("doctor stories (bias mix)")));
  if (ImGui::RadioButton(tr("doctor stories (bias mix)"), cn == "mix")) ctx.run("teach corpus mix");
  if (ImGui::IsItemHovered()) ImGui::SetTooltip(tr("the doctor stories of the bias panel's mix (%.0f%% \"she\")\ncommand: teach corpus mix"), lab->mix() * 100);
  const bool own = cn != "sea" && cn != "space" && cn != "rhyme" && cn != "mix";
  if (own) {
    ui::same_line_if_fits(6 * em);
    ImGui::TextDisabled(tr("(your text)"));
  }
  if (ImGui::TreeNode(tr("Your own text (paste it, or name a .txt file)"))) {
    ImGui::InputTextMultiline("##text", g_ft.text, sizeof g_ft.text, ImVec2(-1, 5 * em));
    if (ctx.allows("teach corpus text " + quote_word(g_ft.text)) && ImGui::Button(tr("Learn from this text"))) ctx.run("teach corpus text " + quote_word(g_ft.text));
    if (ImGui::IsItemHovered()) ImGui::SetTooltip(tr("stories separated by blank lines; an empty text is refused with the reason"));
    ImGui::SetNextItemWidth(std::max(8 * em, ImGui::GetContentRegionAvail().x - 8 * em));
    ImGui::InputTextWithHint("##path", "/path/to/stories.txt", g_ft.path, sizeof g_ft.path);  // i18n: keep (a path)
    ImGui::SameLine();
    if (ctx.allows("teach corpus " + quote_word(g_ft.path)) && ImGui::Button(tr("Load file"))) ctx.run("teach corpus " + quote_word(g_ft.path));
    if (ImGui::IsItemHovered()) ImGui::SetTooltip(tr("a UTF-8 text file; an empty or binary file is refused with a message naming it"));
    ImGui::TreePop();
  }

  // [SECTION] mode
  accent_text(tr("2. How much of the model may change"));
  const int rank = lab->lora_rank();
  const std::string all_label = strf(tr("every weight (trains %s numbers)"), teach_count(double(lab->trainable_for(0))).c_str());
  if (ImGui::RadioButton(all_label.c_str(), rank == 0)) ctx.run("teach mode full");
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip(tr("full fine-tuning: all %zu numbers of the model move\ncommand: teach mode full"), lab->trainable_for(0));
  static int want_rank = 4;
  if (rank > 0) want_rank = rank;
  const std::string lora_label =
      strf(tr("LoRA rank r = %d (trains %s numbers)"), want_rank, teach_count(double(lab->trainable_for(want_rank))).c_str());
  if (ImGui::RadioButton(lora_label.c_str(), rank > 0)) ctx.run("teach mode lora " + std::to_string(want_rank));
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip(tr("LoRA (low-rank adapters): every attention and MLP matrix W stays frozen; it runs as W + B·A with small A (r × in) and B (out × r).\nOnly A and B train: 16 · width · r · blocks = %zu numbers, %.2f%% of the model.\ncommand: teach mode lora %d"),
                      lab->trainable_for(want_rank), 100.0 * double(lab->trainable_for(want_rank)) / double(std::max<size_t>(1, lab->trainable_for(0))), want_rank);
  ui::same_line_if_fits(9 * em);
  ImGui::SetNextItemWidth(7 * em);
  int r = want_rank;
  if (ui::setting_slider("teach", "rank", "r##rank", r, "%d", true, 1, 64)) {
    want_rank = r;
    if (rank > 0) ctx.run("teach set rank " + std::to_string(r));
  }
  note(tr("Changing the mode starts over from the base."));

  ImGui::EndDisabled();
  // [SECTION] run
  accent_text(tr("3. Train"));
  ImGui::BeginDisabled(busy);
  int steps = lab->steps_per_run();
  ImGui::SetNextItemWidth(10 * em);
  if (ui::setting_slider("teach", "steps", tr("steps per run"), steps, "%d", true, 1, 200)) ctx.run("teach set steps " + std::to_string(steps));
  ui::same_line_if_fits(17 * em);
  float lr = float(lab->setting_value("lr"));
  ImGui::SetNextItemWidth(10 * em);
  if (ui::setting_slider("teach", "lr", tr("learning rate"), lr, "%.0e")) {
    char b[64];
    std::snprintf(b, sizeof b, "teach set lr %.3g", double(lr));
    ctx.run(b);
  }
  if (ctx.allows("teach finetune") && ImGui::Button(tr("Run fine-tuning"))) ctx.run("teach finetune");
  if (ImGui::IsItemHovered()) ImGui::SetTooltip(tr("%d steps of AdamW on batches of 8 windows × 64 tokens\ncommand: teach finetune %d"), steps, steps);
  ui::same_line_if_fits(9 * em);
  if (ctx.allows("teach undo") && ImGui::Button(tr("Undo to the base"))) ctx.run("teach undo");
  if (ImGui::IsItemHovered()) ImGui::SetTooltip(tr("throw the tuned weights away: back to the model you started from\ncommand: teach undo"));
  ImGui::EndDisabled();
  ui::same_line_if_fits(busy ? 18 * em : 11 * em);
  }  // !bars_first
  const TeachProgress p = lab->progress();
  if (busy) {
    if (ctx.allows("teach stop") && ImGui::Button(tr("Stop"))) ctx.run("teach stop");
    ImGui::SameLine();
    ImGui::Text(tr("%s step %lld of %lld"), p.job == TeachProgress::Job::dpo ? tr("learning from votes:") : tr("fine-tuning:"), (long long)p.step, (long long)p.total);
    if (!p.finetune_loss.empty()) {
      ui::same_line_if_fits(9 * em);
      ImGui::Text(tr("· batch loss %.3f"), double(p.finetune_loss.back()));
      if (ImGui::IsItemHovered()) ImGui::SetTooltip(tr("mean next-token loss of the step's batch (8 windows of 64 tokens), nats per token"));
    }
  } else if (tuner) {
    ImGui::Text(tr("%lld steps from the base"), (long long)tuner->steps_done());
  }
  if (ImGui::IsItemHovered() && p.seconds_per_step > 0) ImGui::SetTooltip(tr("last run: %.0f ms per step on this machine"), p.seconds_per_step * 1e3);
  if (!p.message.empty()) note("%s", p.message.c_str());

  // [SECTION] before / after
  if (!bars_first) accent_text(tr("4. The same prompt, before and after"));
  if (g_ft.prompt_seen != lab->prompt()) {
    g_ft.prompt_seen = lab->prompt();
    std::snprintf(g_ft.prompt, sizeof g_ft.prompt, "%s", lab->prompt().c_str());
  }
  ImGui::BeginDisabled(busy);
  const char* set_label = tr("Set prompt");  // the button keeps its whole (translated) label beside the field
  const float set_w = ImGui::CalcTextSize(set_label).x + 2 * ImGui::GetStyle().FramePadding.x + ImGui::GetStyle().ItemSpacing.x;
  ImGui::SetNextItemWidth(std::max(10 * em, ImGui::GetContentRegionAvail().x - set_w));
  if (ImGui::InputText("##prompt", g_ft.prompt, sizeof g_ft.prompt, ImGuiInputTextFlags_EnterReturnsTrue)) ctx.run("teach prompt " + quote_word(g_ft.prompt));
  ImGui::SameLine();
  if (ctx.allows("teach prompt " + quote_word(g_ft.prompt)) && ImGui::Button(set_label)) ctx.run("teach prompt " + quote_word(g_ft.prompt));
  ImGui::EndDisabled();
  const TeachProbe& pr = lab->probe();
  if (pr.base_top.empty()) {
    note(tr("No bars: the prompt is empty or longer than the model's context."));
    return;
  }
  float v_max = 0;
  for (auto& t : pr.base_top) v_max = std::max(v_max, t.prob);
  for (auto& t : pr.tuned_top) v_max = std::max(v_max, t.prob);
  v_max = std::min(1.0f, v_max * 1.1f + 1e-3f);
  const float gap = em;
  const float w = std::max(12 * em, (ImGui::GetContentRegionAvail().x - gap) * 0.5f);
  const float h = std::max(10 * em, std::min(16 * em, ImGui::GetContentRegionAvail().y - 3.5f * em));
  const std::string after = busy ? std::string(tr("after: tuned (updates when the run ends)"))
                                 : strf(tr("after: tuned, %d steps"), int(tuner ? tuner->steps_done() : 0));
  ImGui::BeginGroup();
  next_token_bars("##before", tr("before: the frozen base"), pr.base_top, pr.base_tokens, w, h, v_max, ui::series_colour(1));
  ImGui::EndGroup();
  ui::same_line_if_fits(w);
  ImGui::BeginGroup();
  next_token_bars("##after", after.c_str(), pr.tuned_top, pr.tuned_tokens, w, h, v_max, ui::series_colour(2));
  ImGui::EndGroup();
  if (!pr.base_top.empty() && !pr.tuned_top.empty())
    ui::text_wrappedf(tr("Most likely next token: %s with p = %.4f before, %s with p = %.4f after (both sides on the same scale). %s"),
                      teach_token_label(pr.base_tokens[0]).c_str(), double(pr.base_top[0].prob), teach_token_label(pr.tuned_tokens[0]).c_str(),
                      double(pr.tuned_top[0].prob), token_marks_legend());
}
GB_PANEL("teach.finetune", draw_teach_finetune);

}  // namespace gb::app
