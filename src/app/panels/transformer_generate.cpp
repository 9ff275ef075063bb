// Prompt and generation panel: the prompt box, Step / Back / Run / Reset, seed and sampler settings,
// and the text with every generated token tinted by the probability it had when it was chosen.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>

#include <imgui.h>

#include "app/panels/registry.hpp"
#include "app/widgets/draw_util.hpp"
#include "app/panels/transformer_chips.hpp"
#include "app/panels/transformer_inspect.hpp"
#include "core/utf8.hpp"

namespace gb::app {

namespace {

struct GenerateView {
  char prompt[4096] = "";
  std::string synced_prompt = "\x01";  // the lab prompt the box last showed
  int seed = 42;
  int top_k = 0;
};
GenerateView g_view;

// A slider mark (a short tick under the slider) at value v of [lo, hi], labelled.
void slider_mark(ImVec2 slider_min, ImVec2 slider_max, float lo, float hi, float v, const char* label) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float grab = ImGui::GetStyle().GrabMinSize;
  float t = (v - lo) / (hi - lo);
  float x = slider_min.x + grab / 2 + t * (slider_max.x - slider_min.x - grab);
  ImU32 c = ImGui::GetColorU32(ImGuiCol_PlotLinesHovered);
  dl->AddLine(ImVec2(x, slider_min.y), ImVec2(x, slider_max.y), c, 2.0f);
  if (label) dl->AddText(ImVec2(x + 3, slider_min.y), c, label);
}

}  // namespace

void draw_transformer_generate(PanelContext& ctx) {
  TransformerLab* lab = transformer_lab(ctx);
  if (!lab) return;
  const float em = ImGui::GetFontSize();
  const TransformerModelInfo& info = lab->model_info();
  if (!info.loaded) {
    accent_text("No model loaded.");
    note("%s", info.message.c_str());
    return;
  }
  ImGui::TextWrapped("Model: %s", info.description.c_str());
  if (info.random_weights) note("Random weights: this model has not learnt anything yet, so its text is gibberish. %s",
                                info.message.c_str());

  // [SECTION] prompt
  if (g_view.synced_prompt != lab->prompt()) {
    g_view.synced_prompt = lab->prompt();
    std::snprintf(g_view.prompt, sizeof g_view.prompt, "%s", lab->prompt().c_str());
  }
  ImGui::SetNextItemWidth(-7.5f * em);
  bool enter = ImGui::InputTextWithHint("##prompt", "type the start of a story", g_view.prompt, sizeof g_view.prompt,
                                        ImGuiInputTextFlags_EnterReturnsTrue);
  ui::want_glyphs(g_view.prompt);  // typed or pasted Chinese, Japanese, Korean: characters from the fallback font
  ImGui::SameLine();
  if (ImGui::Button("Use prompt", ImVec2(-1, 0)) || enter) ctx.run("prompt " + quote_word(g_view.prompt));

  // [SECTION] controls
  if (ImGui::Button("Step")) ctx.run("step");
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Generate one token with the sampler below");
  ImGui::SameLine();
  ImGui::BeginDisabled(lab->steps().empty());
  if (ImGui::Button("Back")) ctx.run("back");
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
    ImGui::SetTooltip("Undo the last token: the sequence, the model's memory and the random numbers go back exactly");
  ImGui::EndDisabled();
  ImGui::SameLine();
  if (lab->running()) {
    if (ImGui::Button("Pause")) ctx.run("pause");
  } else if (ImGui::Button("Run")) {
    ctx.run("run");
  }
  ImGui::SameLine();
  if (ImGui::Button("Reset")) ctx.run("reset");
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Back to the prompt alone (same seed: the same text will come again)");
  ui::same_line_if_fits(ui::labelled_width(8 * em, "tokens/s"));
  float speed = lab->settings().speed;
  ImGui::SetNextItemWidth(8 * em);
  if (ImGui::SliderFloat("tokens/s", &speed, 0.5f, 30.0f, "%.1f")) ctx.run("set speed " + std::to_string(speed));
  ui::same_line_if_fits(ui::labelled_width(6 * em, "seed"));
  g_view.seed = int(lab->settings().seed);
  ImGui::SetNextItemWidth(6 * em);
  if (ImGui::InputInt("seed", &g_view.seed, 1, 10, ImGuiInputTextFlags_EnterReturnsTrue) && g_view.seed >= 0)
    ctx.run("seed " + std::to_string(g_view.seed));

  // [SECTION] sampler
  const SamplerSettings& s = lab->settings().sampler;
  float temp = s.temperature;
  ImGui::SetNextItemWidth(std::max(10 * em, ImGui::GetContentRegionAvail().x * 0.35f));
  if (ImGui::SliderFloat("temperature", &temp, 0.05f, 3.0f, "%.2f")) ctx.run("set temperature " + std::to_string(temp));
  slider_mark(ImGui::GetItemRectMin(), ImVec2(ImGui::GetItemRectMin().x + ImGui::CalcItemWidth(), ImGui::GetItemRectMax().y),
              0.05f, 3.0f, 1.0f, nullptr);
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("Logits are divided by the temperature before softmax.\nBelow 1 (left of the orange mark): "
                      "sharper, safer text. Above 1: flatter, more surprising text.");
  ui::same_line_if_fits(ui::labelled_width(ImGui::GetFrameHeight(), "greedy"));
  bool greedy = s.greedy;
  if (ImGui::Checkbox("greedy", &greedy)) ctx.run(std::string("set greedy ") + (greedy ? "on" : "off"));
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Always take the most likely token (no random number)");
  int top_k = s.top_k;
  ImGui::SetNextItemWidth(8 * em);
  if (ImGui::SliderInt("top-k", &top_k, 0, 200, top_k == 0 ? "off" : "%d")) ctx.run("set top-k " + std::to_string(top_k));
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Keep only the k most likely tokens (0 = off)");
  ui::same_line_if_fits(ui::labelled_width(8 * em, "top-p"));
  float top_p = s.top_p;
  ImGui::SetNextItemWidth(8 * em);
  if (ImGui::SliderFloat("top-p", &top_p, 0.01f, 1.0f, top_p >= 1.0f ? "off" : "%.2f")) ctx.run("set top-p " + std::to_string(top_p));
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Keep the most likely tokens until their probabilities add up to p (1 = off)");
  ui::same_line_if_fits(ui::labelled_width(6 * em, "beams"));
  int beam = s.beam_width;
  ImGui::SetNextItemWidth(6 * em);
  if (ImGui::SliderInt("beams", &beam, 0, 8, beam == 0 ? "off" : "%d")) ctx.run("set beam " + std::to_string(beam));
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Beam search: Step follows the most likely of several continuations (0 = sample)");
  ImGui::Separator();

  // [SECTION] the text
  const auto& ids = lab->all_ids();
  const auto& strs = lab->token_strings();
  const auto& steps = lab->steps();
  const int prompt_n = lab->prompt_tokens(), ws = lab->window_start();
  help_marker("Green: the model was confident. Red: an unlikely token was drawn. Hover a token for the numbers; "
              "faded tokens have slid out of the model's context window.");
  ImGui::SameLine();
  note("Prompt (grey boxes), then generated tokens coloured by the probability they had when chosen:");
  // The lines under the text box (notes, then the count) wrap at presenter scale: reserve their real height.
  char footer[160];
  std::snprintf(footer, sizeof footer, "%zu tokens (%d prompt, %zu generated); the model sees the last %zu", ids.size(),
                prompt_n, steps.size(), ids.size() - size_t(ws));
  const float wrap_w = ImGui::GetContentRegionAvail().x;
  const float line_gap = ImGui::GetStyle().ItemSpacing.y;
  float below = ImGui::CalcTextSize(footer, nullptr, false, wrap_w).y + 2 * line_gap;
  for (auto& n : lab->notes()) below += ImGui::CalcTextSize(n.c_str(), nullptr, false, wrap_w).y + line_gap;
  ImGui::BeginChild("##text", ImVec2(0, -below), true);
  std::vector<Chip> chips(ids.size());
  for (size_t i = 0; i < ids.size(); ++i) {
    chips[i].text = i < strs.size() ? strs[i] : "?";
    chips[i].dim = int(i) < ws;
    if (int(i) < prompt_n) {
      chips[i].bg = IM_COL32(95, 95, 105, 255);
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
    ImGui::Text("token `%s`  id %d  position %zu", strs[i].c_str(), ids[i], i);
    if (int(i) < prompt_n) {
      ImGui::TextUnformatted("part of the prompt");
    } else {
      const GenStep& g = steps[i - size_t(prompt_n)];
      ImGui::Text("generated token %zu", i - size_t(prompt_n) + 1);
      ImGui::Text("probability when chosen: %.4f (%.2f%%)", g.prob, 100.0 * g.prob);
      ImGui::Text("model's own probability (T = 1, no cut): %.4f", g.model_prob);
      if (g.forced)
        ImGui::Text("forced by you (the sampler would have picked `%s`)", vocab_label(*lab, g.sample.token).c_str());
      else if (g.beam)
        ImGui::TextUnformatted("taken from the best beam");
      else if (g.sample.random >= 0)
        ImGui::Text("random number drawn: %.4f", g.sample.random);
      else
        ImGui::TextUnformatted("greedy: the most likely token");
    }
    if (int(i) < ws) ImGui::TextUnformatted("outside the context window: the model no longer sees it");
    ImGui::EndTooltip();
  }
  for (auto& n : lab->notes()) note("%s", n.c_str());
  note("%s", footer);
}

}  // namespace gb::app
