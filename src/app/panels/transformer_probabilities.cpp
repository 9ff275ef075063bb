// Next-token probabilities panel: bars for the top candidates (animated as the temperature moves, with
// a ghost of the T = 1 distribution and the top-k / top-p cuts), entropy, the cumulative strip with the
// random number that picks the token, the softmax formula with live numbers, and a three-temperature
// comparison. Clicking a candidate forces it as the next token.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <vector>

#include <imgui.h>

#include "core/i18n.hpp"
#include "app/panels/registry.hpp"
#include "app/panels/transformer_chips.hpp"
#include "app/panels/transformer_format.hpp"
#include "app/panels/transformer_inspect.hpp"
#include "app/widgets/draw_util.hpp"
#include "app/widgets/setting_slider.hpp"
#include "lab/lab_settings.hpp"

namespace gb::app {

namespace {

constexpr int kBars = 12;

struct ProbView {
  std::vector<float> shown;   // (V) bar heights drawn last frame (eased toward the target)
  uint64_t lab_version = 0;
  double last_time = 0;
  float compare_t[3] = {0.5f, 1.0f, 1.5f};
  size_t compare_key = 0;  // the comparison last seen (a new one opens its section)
};
ProbView g_view;

// Strip colours by slot (strip_colour_slot): five palette colours for the five most likely candidates, none
// of them the accent (orange in the dark theme, vermillion in the light one: the token the next Step takes),
// two greys for the rest.
ImU32 strip_colour(int slot) {
  static const int kSeries[5] = {1, 2, 4, 5, 6};  // sky blue, green, pink, blue, yellow
  if (slot >= 0 && slot < 5) return ui::series_colour(kSeries[slot]);
  return slot == 5 ? IM_COL32(150, 150, 150, 255) : IM_COL32(105, 105, 105, 255);
}

// Rank of every token among those that can be drawn (probs_final > 0), most likely first; −1 for cut tokens.
std::vector<int> draw_ranks(const std::vector<float>& p) {
  std::vector<int> ids;
  for (int i = 0; i < int(p.size()); ++i)
    if (p[size_t(i)] > 0) ids.push_back(i);
  std::stable_sort(ids.begin(), ids.end(), [&](int a, int b) { return p[size_t(a)] > p[size_t(b)]; });
  std::vector<int> rank(p.size(), -1);
  for (size_t r = 0; r < ids.size(); ++r) rank[size_t(ids[r])] = int(r);
  return rank;
}

double entropy_bits(const std::vector<float>& p) {
  double h = 0;
  for (float x : p)
    if (x > 0) h -= double(x) * std::log2(double(x));
  return h;
}

}  // namespace

// [SECTION] One frame of the panel: the next step's distribution, the bars' order, shared colours

struct ProbFrame {
  PanelContext& ctx;
  TransformerLab* lab;
  const SampleStep* s;
  float em;
  int V;
  float T;                           // temperature
  const std::vector<float>& target;  // (V) probabilities at this temperature
  const std::vector<int> rank;       // (V) draw rank of each token (draw_ranks), -1: cut
  ImDrawList* dl;
  ImU32 text, accent;
  ImVec2 mouse;
  std::vector<int> order;            // token ids, the kBars most likely first (animate)
  int nb = 0;                        // bars shown

  void animate();         // eases the bars toward the current distribution
  void header();          // what is shown and the temperature
  int bars();             // returns the hovered token, or -1
  void draw_strip();      // entropy and the random draw
  void formula(int hovered);
  void comparison();      // three temperatures side by side
};

void ProbFrame::animate() {
  // [SECTION] animation of the bars toward the current distribution
  if (int(g_view.shown.size()) != V) g_view.shown = s->probs_temp;
  double now = ImGui::GetTime();
  float dt = float(std::clamp(now - g_view.last_time, 0.0, 0.1));
  g_view.last_time = now;
  float k = 1.0f - std::exp(-dt * 10.0f);

  // Candidates: the most likely under the current temperature (same order as the T=1 ranks).
  order.resize(static_cast<size_t>(V));
  std::iota(order.begin(), order.end(), 0);
  nb = std::min(kBars, V);
  std::partial_sort(order.begin(), order.begin() + nb, order.end(),
                    [&](int a, int b) { return s->logits[size_t(a)] > s->logits[size_t(b)] || (s->logits[size_t(a)] == s->logits[size_t(b)] && a < b); });
  for (int i = 0; i < nb; ++i) {
    size_t id = size_t(order[size_t(i)]);
    g_view.shown[id] += (target[id] - g_view.shown[id]) * k;
  }
}

void ProbFrame::header() {
  // [SECTION] header: what is shown and the settings
  auto ids = lab->ids();
  std::string last = ids.empty() ? "" : vocab_label(*lab, ids.back());
  ImGui::TextWrapped(tr("What comes after \"…%s\"? The model's %d candidates, most likely first."), last.c_str(), V);
  ui::same_line_if_fits(ImGui::CalcTextSize("(?)").x);  // after wrapped text: a new line when it would be cut
  help_marker(tr("The candidates are the model's own tokens. The model learnt from English text, so its tokens stay English whatever the language of the app."));
  ImGui::TextDisabled(tr("temperature %.2f%s   top-k %s   top-p %s"), T, s->greedy ? tr(" (greedy)") : "",
                      s->settings.top_k > 0 ? std::to_string(s->settings.top_k).c_str() : tr("off"),
                      s->settings.top_p < 1 ? std::to_string(s->settings.top_p).substr(0, 4).c_str() : tr("off"));
  float temp = T;
  ImGui::SetNextItemWidth(std::max(10 * em, ImGui::GetContentRegionAvail().x * 0.4f));
  // The value alone in the frame ("T = 1.00" was wide enough for the grab at T = 1 to sit on it at presenter scale).
  if (ui::setting_slider("transformer", "temperature", tr("temperature T##p"), temp, "%.2f")) ctx.run("set temperature " + std::to_string(temp));
  ImGui::SameLine();
  if (ctx.allows("set temperature 1") && ImGui::SmallButton("T = 1")) ctx.run("set temperature 1");  // i18n: keep
}

int ProbFrame::bars() {
  // [SECTION] bars
  // With top-k / top-p on, a kept token's percentage shows the renormalised value the draw uses: "24.3% → 31.2%".
  const bool cut_on = s->settings.top_k > 0 || (s->settings.top_p > 0 && s->settings.top_p < 1);
  auto pct_text = [&](size_t id) {
    auto one = [](double pc) {
      char b[32];
      if (pc > 0 && pc < 0.001)
        std::snprintf(b, sizeof b, "<0.001%%");
      else
        std::snprintf(b, sizeof b, pc >= 0.1 || pc == 0 ? "%.1f%%" : "%.2g%%", pc);
      return std::string(b);
    };
    std::string t = one(100.0 * target[id]);
    if (cut_on) t += s->probs_final[id] > 0 ? " \xe2\x86\x92 " + one(100.0 * s->probs_final[id]) : std::string(" \xe2\x86\x92 ") + tr("cut");
    return t;
  };
  float avail = ImGui::GetContentRegionAvail().x;
  float pct_w = std::max(ImGui::CalcTextSize(cut_on ? "<0.001% \xe2\x86\x92 100.0%" : "<0.001%").x,
                         cut_on ? ImGui::CalcTextSize((std::string("100.0% \xe2\x86\x92 ") + tr("cut")).c_str()).x : 0.0f) + 0.8f * em;
  // Narrow panels (presenter scale beside the lessons) give the labels less room before the numbers fall off.
  const float swatch = 0.55f * em;  // each bar's colour in the strip below, before its label
  const float label_w = std::min(7.5f * em, std::max(3.0f * em, 0.3f * (avail - pct_w))) + swatch + 0.25f * em;
  const float bar_h = 1.25f * em, gap = 0.25f * em;
  float bar_w = std::max(avail - label_w - pct_w, 4 * em);
  ImVec2 o = ImGui::GetCursorScreenPos();
  float vmax = 0;
  for (int i = 0; i < nb; ++i) {
    size_t id = size_t(order[size_t(i)]);
    vmax = std::max({vmax, g_view.shown[id], s->probs[id]});
  }
  vmax = std::max(vmax, 1e-6f);
  ImU32 dim = ImGui::GetColorU32(ImGuiCol_TextDisabled);
  ImU32 bar_col = ui::series_colour(1), cut_col = IM_COL32(110, 110, 110, 160), ghost = ui::axis_colour();
  int hovered = -1;
  for (int i = 0; i < nb; ++i) {
    size_t id = size_t(order[size_t(i)]);
    float y = o.y + i * (bar_h + gap);
    // A row scrolled out of the panel draws nothing (its cut line included: it sits inside the row's gap).
    if (!ImGui::IsRectVisible(ImVec2(o.x - 2, y - 2), ImVec2(o.x + avail, y + bar_h + gap + 2))) continue;
    bool kept = s->probs_final[id] > 0;
    bool chosen = int(id) == s->token;
    if (kept) {
      ImU32 sw = chosen ? accent : strip_colour(strip_colour_slot(rank[id], 0));
      if (chosen)  // the chosen token: a pointer instead of a square, not only another colour
        dl->AddTriangleFilled(ImVec2(o.x, y + (bar_h - swatch) / 2 - 1), ImVec2(o.x + swatch + 1, y + bar_h / 2),
                              ImVec2(o.x, y + (bar_h + swatch) / 2 + 1), sw);
      else
        dl->AddRectFilled(ImVec2(o.x, y + (bar_h - swatch) / 2), ImVec2(o.x + swatch, y + (bar_h + swatch) / 2), sw);
    }
    if (ctx.mono_font) ImGui::PushFont(ctx.mono_font);
    std::string lab_s = ui::fit_text(vocab_label(*lab, int32_t(id)), label_w - 0.5f * em - swatch - 0.25f * em);
    dl->AddText(ImVec2(o.x + swatch + 0.25f * em, y + (bar_h - ImGui::GetFontSize()) / 2), chosen ? accent : (kept ? text : dim),
                lab_s.c_str());
    if (ctx.mono_font) ImGui::PopFont();
    float x0 = o.x + label_w;
    float w = bar_w * g_view.shown[id] / vmax;
    dl->AddRectFilled(ImVec2(x0, y), ImVec2(x0 + w, y + bar_h), chosen ? accent : (kept ? bar_col : cut_col));
    if (chosen) dl->AddRect(ImVec2(x0 - 2, y - 2), ImVec2(x0 + w + 2, y + bar_h + 2), text, 0, 0, std::max(2.0f, 0.12f * em));
    // ghost: the model's own distribution (T = 1)
    float gw = bar_w * s->probs[id] / vmax;
    dl->AddRect(ImVec2(x0, y), ImVec2(x0 + gw, y + bar_h), ghost, 0, 0, 1.5f);
    std::string pct = pct_text(id);
    dl->AddText(ImVec2(x0 + bar_w + 0.4f * em, y + (bar_h - em) / 2), kept ? text : dim, pct.c_str());
    if (mouse.x >= o.x && mouse.x < o.x + avail && mouse.y >= y && mouse.y < y + bar_h + gap && ImGui::IsWindowHovered()) {
      hovered = int(id);
      dl->AddRect(ImVec2(o.x - 2, y - 1), ImVec2(o.x + avail, y + bar_h + 1), text);
    }
    // cut lines below the last kept candidate
    if (s->settings.top_k > 0 && i + 1 == s->top_k_kept && i + 1 < nb) {
      dl->AddLine(ImVec2(x0, y + bar_h + gap / 2), ImVec2(x0 + bar_w, y + bar_h + gap / 2), IM_COL32(230, 80, 60, 255), 2.0f);
      dl->AddText(ImVec2(x0 + bar_w * 0.6f, y + bar_h - 0.2f * em), IM_COL32(230, 80, 60, 255), tr("top-k cut"));
    }
    if (s->settings.top_p < 1 && i + 1 == s->top_p_kept && i + 1 < nb) {
      dl->AddLine(ImVec2(x0, y + bar_h + gap / 2 + 2), ImVec2(x0 + bar_w, y + bar_h + gap / 2 + 2), IM_COL32(80, 160, 230, 255), 2.0f);
      dl->AddText(ImVec2(x0 + bar_w * 0.8f, y + bar_h - 0.2f * em), IM_COL32(80, 160, 230, 255), tr("top-p cut"));
    }
  }
  ImGui::Dummy(ImVec2(avail, nb * (bar_h + gap)));
  if (hovered >= 0) {
    size_t id = size_t(hovered);
    ImGui::BeginTooltip();
    ImGui::Text(tr("`%s`  (token id %d)"), vocab_label(*lab, int32_t(hovered)).c_str(), hovered);
    ImGui::Text(tr("logit z = %.3f"), s->logits[id]);
    ImGui::Text(tr("model's probability (T = 1): %.4f"), s->probs[id]);
    ImGui::Text(tr("after temperature %.2f: %.4f"), T, s->probs_temp[id]);
    ImGui::Text(tr("after top-k / top-p, renormalised (used by the draw): %.4f"), s->probs_final[id]);
    if (s->probs_final[id] == 0) ImGui::TextUnformatted(tr("cut: this token cannot be drawn"));
    ImGui::TextDisabled(tr("click: take this token next (Back undoes it)"));
    ImGui::EndTooltip();
    if (ImGui::IsMouseClicked(ImGuiMouseButton_Left)) ctx.run("force " + std::to_string(hovered));
  }
  note(tr("Filled bars: probability at this temperature (accent: the token the next Step will take). Outlines: the model's own probabilities at T = 1. Grey: cut by top-k / top-p. Click a bar to force that token. Bar lengths are relative: a full-width bar is %s."), ui::format_number(vmax >= 0.001f ? "%.1f%%" : "%.2g%%", 100.0 * vmax).c_str());
  return hovered;
}

void ProbFrame::draw_strip() {
  // [SECTION] entropy and the random draw
  {
    const double h = entropy_bits(s->probs_final), choices = std::pow(2.0, h);
    ImGui::TextWrapped(std::round(choices) == 1 ? tr("Entropy: %.2f bits at T = %.2f (model: %.2f bits)  — about %.0f equally likely choice")
                                                : tr("Entropy: %.2f bits at T = %.2f (model: %.2f bits)  — about %.0f equally likely choices"),
                       h, T, entropy_bits(s->probs), choices);
  }
  {
    float sw = ImGui::GetContentRegionAvail().x, sh = 1.6f * em;
    ImVec2 p = ImGui::GetCursorScreenPos();
    double cum = 0;
    int hover_strip = -1, position = 0;
    ImU32 edge = ImGui::GetColorU32(ImGuiCol_WindowBg);
    // Off screen (scrolled away) the strip only finds the hovered slice. On screen its slices are first painted into
    // pixel columns (each column the colour of the last slice covering its centre, as drawing a rectangle per slice
    // gave), then drawn as one rectangle per run of equal columns: the tail of a 1688-token vocabulary is a pixel or
    // less per slice, and took a rectangle each. Seams and labels come after, on top.
    const bool visible = ImGui::IsRectVisible(p, ImVec2(p.x + sw, p.y + sh + 0.7f * em));
    const float base = std::floor(p.x);
    std::vector<ImU32> column(visible ? size_t(std::max(0.0f, std::ceil(p.x + sw + 1) - base)) : 0, 0);
    struct Wide {
      float x0, x1;
      int id;
      ImU32 c;
    };
    std::vector<Wide> wide;  // slices wider than 3 px: a seam, maybe a label
    for (int id = 0; id < V; ++id) {
      float q = s->probs_final[size_t(id)];
      if (q <= 0) continue;
      float x0 = p.x + float(cum) * sw, x1 = p.x + float(cum + q) * sw;
      ImU32 c = id == s->token ? accent : strip_colour(strip_colour_slot(rank[size_t(id)], position));
      ++position;
      if (visible) {
        const int j0 = std::max(0, int(std::ceil(x0 - base - 0.5f)));
        const int j1 = std::min(int(column.size()), int(std::ceil(std::max(x1, x0 + 1) - base - 0.5f)));  // exclusive
        for (int j = j0; j < j1; ++j) column[size_t(j)] = c;
        if (x1 - x0 > 3) wide.push_back({x0, x1, id, c});
      }
      if (mouse.y >= p.y && mouse.y < p.y + sh && mouse.x >= x0 && mouse.x < x1 && ImGui::IsWindowHovered()) hover_strip = id;
      cum += q;
    }
    for (size_t j = 0; j < column.size();) {
      size_t k = j + 1;
      while (k < column.size() && column[k] == column[j]) ++k;
      if (column[j]) dl->AddRectFilled(ImVec2(base + float(j), p.y), ImVec2(base + float(k), p.y + sh), column[j]);
      j = k;
    }
    for (const auto& [x0, x1, id, c] : wide) {
      dl->AddLine(ImVec2(x1, p.y), ImVec2(x1, p.y + sh), edge, 1.0f);  // a seam between slices
      if (x1 - x0 > 2.5f * em) {
        std::string l = ui::fit_text(vocab_label(*lab, id), x1 - x0 - 0.3f * em);
        dl->AddText(ImVec2(x0 + 0.15f * em, p.y + (sh - em) / 2), text_colour_on(c), l.c_str());
      }
    }
    dl->AddRect(p, ImVec2(p.x + sw, p.y + sh), ui::axis_colour());
    if (s->random >= 0) {
      float rx = p.x + float(s->random) * sw;
      dl->AddTriangleFilled(ImVec2(rx, p.y + sh), ImVec2(rx - 0.4f * em, p.y + sh + 0.6f * em), ImVec2(rx + 0.4f * em, p.y + sh + 0.6f * em), text);
      dl->AddLine(ImVec2(rx, p.y - 0.2f * em), ImVec2(rx, p.y + sh), text, 2.0f);
    }
    ImGui::Dummy(ImVec2(sw, sh + 0.7f * em));
    if (hover_strip >= 0) {
      ImGui::SetTooltip(tr("`%s` (id %d, candidate number %d by probability): a slice of width %.4f of the strip"),
                        vocab_label(*lab, hover_strip).c_str(), hover_strip, rank[size_t(hover_strip)] + 1,
                        s->probs_final[size_t(hover_strip)]);
    }
    if (s->random >= 0)
      ImGui::TextWrapped(tr("Every candidate owns a slice of the strip as wide as its probability. The next random number is %.4f (the triangle): it lands in `%s`, so the next Step takes `%s`."),
                         s->random, vocab_label(*lab, s->token).c_str(), vocab_label(*lab, s->token).c_str());
    else
      ImGui::TextWrapped(tr("Greedy: no random number; the most likely token `%s` is taken."), vocab_label(*lab, s->token).c_str());
    note(tr("Slices follow the token ids (the order the draw walks). In the accent colour: the token the next Step takes; the five most likely candidates: each its own colour (the square before its bar above); the rest: grey."));
  }
}

void ProbFrame::formula(int hovered) {
  // [SECTION] the formula with live numbers
  {
    size_t id = size_t(hovered >= 0 ? hovered : s->token);
    double zmax = *std::max_element(s->logits.begin(), s->logits.end());
    double denom = 0;
    for (float z : s->logits) denom += std::exp((double(z) - zmax) / T);
    double num = std::exp((double(s->logits[id]) - zmax) / T);
    ImGui::Spacing();
    note(tr("Softmax with temperature, for `%s`%s:"), vocab_label(*lab, int32_t(id)).c_str(),
         hovered >= 0 ? tr(" (hovered)") : tr(" (the next token)"));
    if (ctx.mono_font) ImGui::PushFont(ctx.mono_font);
    // The numerator and the sum get as many digits as it takes for their printed quotient to be the printed p.
    std::string sum_shown;
    const std::string division = worked_division(num, denom, &sum_shown);
    ImGui::TextWrapped("p = exp(z / T) / \xce\xa3 exp(z_j / T) = exp((%.3f \xe2\x88\x92 %.3f) / %.2f) / %s = %s",  // i18n: keep
                       s->logits[id], zmax, T, sum_shown.c_str(), division.c_str());
    if (ctx.mono_font) ImGui::PopFont();
    note(tr("z = %.3f is this token's logit, T = %.2f the temperature; the sum runs over all %d tokens. Subtracting the largest logit (%.3f) from every z changes nothing but keeps exp() from overflowing."),
         s->logits[id], T, V, zmax);
  }
}

void ProbFrame::comparison() {
  // [SECTION] temperature comparison
  {
    // A new comparison (the button, a lesson or the `compare temperatures` command) opens the section.
    const auto& cmp = lab->comparison();
    size_t key = cmp.size();
    for (auto& r : cmp) key = key * 31 + r.ids.size() * 7 + size_t(r.temperature * 1000) + (r.ids.empty() ? 0 : size_t(r.ids[0]));
    if (!cmp.empty() && key != g_view.compare_key) {
      ImGui::SetNextItemOpen(true);
      for (size_t i = 0; i < cmp.size() && i < 3; ++i) g_view.compare_t[i] = cmp[i].temperature;  // show what ran
    }
    g_view.compare_key = cmp.empty() ? 0 : key;
  }
  if (ImGui::CollapsingHeader(tr("Compare three temperatures (same prompt, same random numbers)"))) {
    ImGui::SetNextItemWidth(12 * em);
    ImGui::InputFloat3(tr("temperatures"), g_view.compare_t, "%.2f");
    ImGui::SameLine();
    if (ctx.allows("compare") && ImGui::Button(tr("Generate"))) {
      char cmd[128];
      std::snprintf(cmd, sizeof cmd, "compare temperatures %.3g %.3g %.3g", g_view.compare_t[0], g_view.compare_t[1], g_view.compare_t[2]);
      ctx.run(cmd);
    }
    const auto& cmp = lab->comparison();
    if (cmp.empty()) {
      note(tr("Generate continues the current text 24 tokens at each temperature, side by side."));
    } else if (ImGui::BeginTable("cmp", int(cmp.size()), ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_SizingStretchSame)) {
      for (auto& r : cmp) {
        char h[32];
        std::snprintf(h, sizeof h, "T = %.2f", r.temperature);
        ImGui::TableSetupColumn(h);
      }
      ImGui::TableHeadersRow();
      ImGui::TableNextRow();
      for (size_t c = 0; c < cmp.size(); ++c) {
        ImGui::TableNextColumn();
        std::vector<Chip> chips(cmp[c].ids.size());
        for (size_t i = 0; i < chips.size(); ++i) {
          chips[i].text = vocab_label(*lab, cmp[c].ids[i]);
          chips[i].bg = probability_colour(cmp[c].probs[i]);
        }
        std::string id = "cmp" + std::to_string(c);
        ChipHover h = chip_flow(id.c_str(), chips, ctx.mono_font);
        if (h.hovered >= 0)
          ImGui::SetTooltip(tr("`%s` (id %d): probability %.4f when drawn at T = %.2f"), chips[size_t(h.hovered)].text.c_str(),
                            cmp[c].ids[size_t(h.hovered)], cmp[c].probs[size_t(h.hovered)], cmp[c].temperature);
      }
      ImGui::EndTable();
    }
  }
}

void draw_transformer_probabilities(PanelContext& ctx) {
  TransformerLab* lab = transformer_lab(ctx);
  if (!lab) return;
  if (!lab->has_model()) {
    accent_text(tr("No model loaded."));
    note("%s", lab->model_info().message.c_str());
    return;
  }
  const SampleStep* s = lab->next();
  if (!s) {
    note(tr("Nothing to predict from: give a prompt."));
    return;
  }
  ProbFrame f{ctx, lab, s, ImGui::GetFontSize(), int(s->probs.size()), s->settings.temperature, s->probs_temp,
              draw_ranks(s->probs_final), ImGui::GetWindowDrawList(), ui::axis_colour(),
              ImGui::GetColorU32(ImGuiCol_PlotLinesHovered), ImGui::GetIO().MousePos, {}, 0};
  f.animate();
  f.header();
  const int hovered = f.bars();
  f.draw_strip();
  f.formula(hovered);
  f.comparison();
}

GB_PANEL("transformer.probabilities", draw_transformer_probabilities);

}  // namespace gb::app
