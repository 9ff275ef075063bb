// Prompt and generation panel: the prompt box, Step / Back / Run / Reset, seed and sampler settings,
// and the text with every generated token tinted by the probability it had when it was chosen.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>

#include <imgui.h>

#include "core/i18n.hpp"
#include "app/panels/registry.hpp"
#include "app/widgets/draw_util.hpp"
#include "app/panels/transformer_chips.hpp"
#include "app/panels/transformer_format.hpp"
#include "app/panels/transformer_inspect.hpp"
#include "app/widgets/label_layout.hpp"
#include "core/utf8.hpp"
#include "app/widgets/setting_slider.hpp"
#include "lab/lab_settings.hpp"

namespace gb::app {

namespace {

constexpr ImU32 kPromptColour = IM_COL32(95, 95, 105, 255);  // the prompt's tokens in the text

struct GenerateView {
  char prompt[4096] = "";
  std::string synced_prompt = "\x01";  // the lab prompt the box last showed
  int seed = 42;
  int top_k = 0;
  bool editing = false;      // the prompt box is being typed in (else the whole prompt is shown wrapped)
  int focus_frames = 0;      // frames left to give the box the keyboard (ImGui applies the request a frame late)
  float settings_h = 0;      // height the sampler settings under the text took last frame
};
GenerateView g_view;

// A mark at value v on the slider just drawn, whose frame is `frame_w` wide (the width given to
// SetNextItemWidth before it: reading CalcItemWidth() after the item gives the default width instead, which
// put the "T = 1" mark near T = 1.7). Two short ticks on the frame's top and bottom edges, so the value
// printed in the middle of the frame stays readable; the grab for value v sits exactly between them.
void slider_mark(float frame_w, float lo, float hi, float v) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 p0 = ImGui::GetItemRectMin();  // the frame starts at the item's left; the label is on its right
  const float h = ImGui::GetFrameHeight();
  const float x = ui::slider_value_x(p0.x, frame_w, ImGui::GetStyle().GrabMinSize, lo, hi, v);
  const float t = std::max(2.0f, 0.12f * ImGui::GetFontSize()), tick = 0.28f * h;
  ImU32 c = ImGui::GetColorU32(ImGuiCol_PlotLinesHovered);
  dl->AddLine(ImVec2(x, p0.y), ImVec2(x, p0.y + tick), c, t);
  dl->AddLine(ImVec2(x, p0.y + h - tick), ImVec2(x, p0.y + h), c, t);
}

}  // namespace

// The prompt box and "Use prompt".
static void generate_prompt(PanelContext& ctx, TransformerLab* lab, float em) {
  // [SECTION] prompt
  if (g_view.synced_prompt != lab->prompt()) {
    g_view.synced_prompt = lab->prompt();
    std::snprintf(g_view.prompt, sizeof g_view.prompt, "%s", lab->prompt().c_str());
  }
  // While typing, a one-line box; otherwise the whole prompt wrapped in a box of as many lines as it needs (a long
  // prompt in a one-line box showed only its start at presenter scale). A click on it starts typing.
  bool enter = false;
  const float prompt_w = std::max(4 * em, ImGui::GetContentRegionAvail().x - 7.5f * em - ImGui::GetStyle().ItemSpacing.x);
  ui::want_glyphs(g_view.prompt);  // typed or pasted Chinese, Japanese, Korean: characters from the fallback font
  if (g_view.editing) {
    if (g_view.focus_frames > 0) ImGui::SetKeyboardFocusHere();
    ImGui::SetNextItemWidth(prompt_w);
    enter = ImGui::InputTextWithHint("##prompt", tr("type the start of a story"), g_view.prompt, sizeof g_view.prompt,
                                     ImGuiInputTextFlags_EnterReturnsTrue);
    if (ImGui::IsItemActive()) g_view.focus_frames = 0;
    else if (g_view.focus_frames > 0) --g_view.focus_frames;
    else g_view.editing = false;
  } else {
    const ImVec2 pad = ImGui::GetStyle().FramePadding;
    const bool empty = g_view.prompt[0] == 0;
    const std::string shown = ui::wrap_at_spaces(empty ? tr("type the start of a story") : g_view.prompt, prompt_w - 2 * pad.x);
    const ImVec2 ts = ImGui::CalcTextSize(shown.c_str());
    const ImVec2 p0 = ImGui::GetCursorScreenPos(), p1(p0.x + prompt_w, p0.y + ts.y + 2 * pad.y);
    if (ImGui::InvisibleButton("##prompt_view", ImVec2(prompt_w, p1.y - p0.y))) g_view.editing = true, g_view.focus_frames = 3;
    const bool hov = ImGui::IsItemHovered();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(p0, p1, ImGui::GetColorU32(hov ? ImGuiCol_FrameBgHovered : ImGuiCol_FrameBg), ImGui::GetStyle().FrameRounding);
    dl->AddText(ImVec2(p0.x + pad.x, p0.y + pad.y), ImGui::GetColorU32(empty ? ImGuiCol_TextDisabled : ImGuiCol_Text),
                shown.c_str());
    if (hov) ImGui::SetTooltip(tr("The prompt: click to change it, Enter or \"Use prompt\" to start from it"));
  }
  ImGui::SameLine();
  if (ImGui::Button(tr("Use prompt"), ImVec2(-1, 0)) || enter) ctx.run("prompt " + quote_word(g_view.prompt));
}

// Step, Back, Run/Pause, Reset, speed, seed.
static void generate_controls(PanelContext& ctx, TransformerLab* lab, float em) {
  // [SECTION] controls
  if (ctx.allows("step") && ImGui::Button(tr("Step"))) ctx.run("step");
  if (ImGui::IsItemHovered()) ImGui::SetTooltip(tr("Generate one token with the sampler below"));
  ImGui::SameLine();
  ImGui::BeginDisabled(lab->steps().empty());
  if (ctx.allows("back") && ImGui::Button(tr("Back"))) ctx.run("back");
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
    ImGui::SetTooltip(tr("Undo the last token: the sequence, the model's memory and the random numbers go back exactly"));
  ImGui::EndDisabled();
  ImGui::SameLine();
  if (lab->running()) {
    if (ctx.allows("pause") && ImGui::Button(tr("Pause"))) ctx.run("pause");
  } else if (ctx.allows("run") && ImGui::Button(tr("Run"))) {
    ctx.run("run");
  }
  ImGui::SameLine();
  if (ctx.allows("reset") && ImGui::Button(tr("Reset"))) ctx.run("reset");
  if (ImGui::IsItemHovered()) ImGui::SetTooltip(tr("Back to the prompt alone (same seed: the same text will come again)"));
  ui::same_line_if_fits(ui::labelled_width(8 * em, tr("tokens/s")));
  float speed = lab->settings().speed;
  ImGui::SetNextItemWidth(8 * em);
  if (ui::setting_slider("transformer", "speed", tr("tokens/s"), speed, "%.1f")) ctx.run("set speed " + std::to_string(speed));
  ui::same_line_if_fits(ui::labelled_width(6 * em, tr("seed")));
  g_view.seed = int(lab->settings().seed);
  ImGui::SetNextItemWidth(6 * em);
  if (ImGui::InputInt(tr("seed"), &g_view.seed, 1, 10, ImGuiInputTextFlags_EnterReturnsTrue) && g_view.seed >= 0)
    ctx.run("seed " + std::to_string(g_view.seed));

  ImGui::Separator();
}

// The text as token chips, coloured by the probability each had when chosen.
static void generate_text(PanelContext& ctx, TransformerLab* lab, float em) {
  // [SECTION] the text
  const auto& ids = lab->all_ids();
  const auto& strs = lab->token_strings();
  const auto& steps = lab->steps();
  const int prompt_n = lab->prompt_tokens(), ws = lab->window_start();
  {  // Legend: the prompt's grey, then the colour bar of the generated tokens (its own tooltip gives the details).
    std::string tip = std::string(tr("Grey boxes: your prompt. Generated tokens are coloured by the probability they had when chosen: green, the model was confident; red, an unlikely token was drawn. Hover a token for the numbers. Faded tokens have slid out of the model's context window; an orange outline is a token you forced.")) +
                      "\n\n" + token_marks_legend() + "\n" + tr("The model is English: its tokens are shown exactly as it reads them, whatever the language of the app.");
    help_marker(tip.c_str());
    ImGui::SameLine();
    const ImVec2 p = ImGui::GetCursorScreenPos(), sz = ImGui::CalcTextSize(tr("prompt"));
    const ImVec2 box(sz.x + 0.5f * em, sz.y + 0.24f * em);
    ImGui::GetWindowDrawList()->AddRectFilled(p, ImVec2(p.x + box.x, p.y + box.y), kPromptColour, 0.2f * em);
    ImGui::GetWindowDrawList()->AddText(ImVec2(p.x + 0.25f * em, p.y + 0.12f * em), text_colour_on(kPromptColour), tr("prompt"));
    ImGui::Dummy(box);
    ImGui::SameLine();
    probability_legend("gen.legend", std::min(ImGui::GetContentRegionAvail().x, 36 * em));
  }
  // The lines under the text box (notes, then the count) wrap at presenter scale: reserve their real height.
  char footer[320];
  std::snprintf(footer, sizeof footer, tr("%zu tokens (%d prompt, %zu generated); the model sees the last %zu"), ids.size(),
                prompt_n, steps.size(), ids.size() - size_t(ws));
  const float wrap_w = ImGui::GetContentRegionAvail().x;
  const float line_gap = ImGui::GetStyle().ItemSpacing.y;
  float below = ImGui::CalcTextSize(footer, nullptr, false, wrap_w).y + 2 * line_gap + g_view.settings_h;
  for (auto& n : lab->notes()) below += ImGui::CalcTextSize(n.c_str(), nullptr, false, wrap_w).y + line_gap;
  // At least five whole lines of text, whatever the notes and settings take (the panel scrolls then): at presenter
  // scale the box used to show one and a half.
  const float chip_line = (ctx.mono_font ? ctx.mono_font->FontSize : em) * 1.42f;
  const float box_h = std::max(ImGui::GetContentRegionAvail().y - below, 5 * chip_line + 2 * ImGui::GetStyle().WindowPadding.y);
  ImGui::BeginChild("##text", ImVec2(0, box_h), true);
  std::vector<Chip> chips(ids.size());
  for (size_t i = 0; i < ids.size(); ++i) {
    chips[i].text = i < strs.size() ? visible_punctuation(strs[i]) : "?";
    chips[i].dim = int(i) < ws;
    if (int(i) < prompt_n) {
      chips[i].bg = kPromptColour;
    } else {
      const GenStep& g = steps[i - size_t(prompt_n)];
      chips[i].bg = probability_colour(g.prob);
      chips[i].outline = g.forced;
    }
  }
  ChipHover h = chip_flow("gen", chips, ctx.mono_font);
  if (lab->running()) ImGui::SetScrollHereY(1.0f);
  ImGui::EndChild();
  if (h.hovered >= 0) {
    size_t i = size_t(h.hovered);
    ImGui::BeginTooltip();
    ImGui::Text(tr("token `%s`  id %d  position %zu"), strs[i].c_str(), ids[i], i);
    if (int(i) < prompt_n) {
      ImGui::TextUnformatted(tr("part of the prompt"));
    } else {
      const GenStep& g = steps[i - size_t(prompt_n)];
      ImGui::Text(tr("generated token %zu"), i - size_t(prompt_n) + 1);
      ImGui::Text(tr("probability when chosen: %.4f (%.2f%%)"), g.prob, 100.0 * g.prob);
      ImGui::Text(tr("model's own probability (T = 1, no cut): %.4f"), g.model_prob);
      if (g.forced)
        ImGui::Text(tr("forced by you (the sampler would have picked `%s`)"), vocab_label(*lab, g.sample.token).c_str());
      else if (g.beam)
        ImGui::TextUnformatted(tr("taken from the best beam"));
      else if (g.sample.random >= 0)
        ImGui::Text(tr("random number drawn: %.4f"), g.sample.random);
      else
        ImGui::TextUnformatted(tr("greedy: the most likely token"));
    }
    if (int(i) < ws) ImGui::TextUnformatted(tr("outside the context window: the model no longer sees it"));
    ImGui::EndTooltip();
  }
  for (auto& n : lab->notes()) note("%s", n.c_str());
  note("%s", footer);
}

// The sampler's settings: temperature, greedy, top-k, top-p, beams.
static void generate_sampler(PanelContext& ctx, TransformerLab* lab, float em) {
  // The sampler's settings come after the text: at presenter scale the text gets the room and the settings are a
  // scroll away (their height is measured, so at scale 1 the text box leaves room for them).
  ImGui::Separator();
  const float settings_y0 = ImGui::GetCursorPosY();
  // [SECTION] sampler
  const SamplerSettings& s = lab->settings().sampler;
  float temp = s.temperature;
  const float temp_w = std::max(10 * em, ImGui::GetContentRegionAvail().x * 0.35f);
  ImGui::SetNextItemWidth(temp_w);
  if (ui::setting_slider("transformer", "temperature", tr("temperature"), temp, "%.2f", false)) ctx.run("set temperature " + std::to_string(temp));
  slider_mark(temp_w, float(lab_setting("transformer", "temperature").lo), float(lab_setting("transformer", "temperature").hi), 1.0f);
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip(tr("Logits are divided by the temperature before softmax.\nThe orange ticks mark T = 1, the model's own probabilities. Below 1 (left of them): sharper, safer text. Above 1: flatter, more surprising text."));
  ui::same_line_if_fits(ui::labelled_width(ImGui::GetFrameHeight(), tr("greedy")));
  bool greedy = s.greedy;
  if (ImGui::Checkbox(tr("greedy"), &greedy)) ctx.run(std::string("set greedy ") + (greedy ? "on" : "off"));
  if (ImGui::IsItemHovered()) ImGui::SetTooltip(tr("Always take the most likely token (no random number)"));
  int top_k = s.top_k;
  ImGui::SetNextItemWidth(8 * em);
  if (ui::setting_slider("transformer", "top-k", "top-k", top_k, top_k == 0 ? tr("off") : "%d"))  // i18n: keep
    ctx.run("set top-k " + std::to_string(top_k));
  ui::same_line_if_fits(ui::labelled_width(8 * em, "top-p"));  // i18n: keep
  float top_p = s.top_p;
  ImGui::SetNextItemWidth(8 * em);
  if (ui::setting_slider("transformer", "top-p", "top-p", top_p, top_p >= 1.0f ? tr("off") : "%.2f"))  // i18n: keep
    ctx.run("set top-p " + std::to_string(top_p));
  ui::same_line_if_fits(ui::labelled_width(6 * em, tr("beams")));
  int beam = s.beam_width;
  ImGui::SetNextItemWidth(6 * em);
  if (ui::setting_slider("transformer", "beam", tr("beams"), beam, beam == 0 ? tr("off") : "%d")) ctx.run("set beam " + std::to_string(beam));
  g_view.settings_h = ImGui::GetCursorPosY() - settings_y0;
}

void draw_transformer_generate(PanelContext& ctx) {
  TransformerLab* lab = transformer_lab(ctx);
  if (!lab) return;
  const float em = ImGui::GetFontSize();
  const TransformerModelInfo& info = lab->model_info();
  if (!info.loaded) {
    accent_text(tr("No model loaded."));
    note("%s", info.message.c_str());
    return;
  }
  ImGui::TextWrapped(tr("Model: %s"), info.description.c_str());
  if (info.random_weights) note(tr("Random weights: this model has not learnt anything yet, so its text is gibberish. %s"),
                                info.message.c_str());
  // Which weights a decoding step reads, and what int8 or fp16 costs (transformer set int8 / set fp16).
  bool int8 = lab->settings().int8, fp16 = lab->settings().fp16;
  // A kind the teacher locked leaves its box out (the command layer refuses it anyway).
  const bool int8_ok = ctx.allows(int8 ? "set int8 off" : "set int8 on");
  const bool fp16_ok = ctx.allows(fp16 ? "set fp16 off" : "set fp16 on");
  if (int8_ok && ImGui::Checkbox(tr("int8 weights"), &int8)) {  // one kind at a time from the panel
    if (int8 && lab->settings().fp16) ctx.run("set fp16 off");
    ctx.run(std::string("set int8 ") + (int8 ? "on" : "off"));
  }
  if (int8_ok && ImGui::IsItemHovered())
    ImGui::SetTooltip("%s", tr("Store each weight as an 8-bit integer (int8) with one scale per 32 weights instead of a 32-bit float: a quarter of the memory to read for every new token, so generating is faster, at the price of a small error in the logits."));
  if (int8_ok) ImGui::SameLine();
  if (fp16_ok && ImGui::Checkbox(tr("fp16 weights"), &fp16)) {
    if (fp16 && lab->settings().int8) ctx.run("set int8 off");
    ctx.run(std::string("set fp16 ") + (fp16 ? "on" : "off"));
  }
  if (fp16_ok && ImGui::IsItemHovered())
    ImGui::SetTooltip("%s", tr("Store each weight as a 16-bit float (fp16, about 3 significant digits) instead of a 32-bit float: half the memory to read for every new token, with a much smaller error than int8. A model saved in fp16, like the shipped one, loses nothing."));
  if (fp16_ok) ImGui::SameLine();
  if (info.weights != "float32")
    note(tr("%.0f MB of weights per token; largest logit change against float32 on the prompt's last token: %.2g"),
         double(info.weight_bytes) / 1e6, info.int8_logit_error);
  else
    note(tr("float32: %.0f MB of weights per token"), double(info.weight_bytes) / 1e6);
  if (lab->loading()) accent_text(tr("Loading the new model in the background…"));

  generate_prompt(ctx, lab, em);
  generate_controls(ctx, lab, em);
  generate_text(ctx, lab, em);
  generate_sampler(ctx, lab, em);
}

GB_PANEL("transformer.generate", draw_transformer_generate);

}  // namespace gb::app
