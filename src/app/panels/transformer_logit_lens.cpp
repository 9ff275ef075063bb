// Logit lens panel (transformer.logit-lens): for every position, what the model would predict if it
// stopped after each block (the residual stream through the final LayerNorm and the output head),
// as a table coloured by probability, so students watch the prediction form through the layers.
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <imgui.h>

#include "core/i18n.hpp"
#include "app/panels/registry.hpp"
#include "app/panels/transformer_inspect.hpp"
#include "app/widgets/draw_util.hpp"
#include "app/widgets/heatmap.hpp"

namespace gb::app {

namespace {

struct LensView {
  bool show_prob = true;  // print the probability under each guess
};
LensView g_view;

}  // namespace

// The hovered cell: what the model would guess after that block, or the token that really comes next.
static void lens_tooltip(TransformerLab* lab, const Trace& trc, const std::vector<std::string>& labels, int hover_l, int hover_i) {
  const int nl = int(trc.layers.size()), T = int(trc.ids.size());
  ImGui::BeginTooltip();
  ImGui::Text(tr("position %d, input token %s"), hover_i, ui::one_line(labels[size_t(hover_i)]).c_str());
  int32_t actual = hover_i + 1 < T ? trc.ids[size_t(hover_i) + 1] : -1;
  if (hover_l == nl) {
    if (actual >= 0)
      ImGui::Text(tr("the token that really comes next: %s (id %d)"), ui::one_line(vocab_label(*lab, actual)).c_str(), actual);
    else
      ImGui::TextUnformatted(tr("the last position: the next token is not chosen yet"));
  } else {
    const LayerTrace& L = trc.layers[size_t(hover_l)];
    ImGui::Text(tr("if the model stopped after block %d, it would guess:"), hover_l);
    const auto& top = L.lens_top[size_t(hover_i)];
    for (size_t k = 0; k < top.size() && k < 5; ++k)
      ImGui::Text(tr("  %6.2f%%  %s  (id %d, logit %.3f)"), 100.0 * top[k].prob, ui::one_line(vocab_label(*lab, top[k].id)).c_str(),
                  top[k].id, top[k].logit);
    if (actual >= 0 && size_t(hover_i) < L.lens_next_prob.size())
      ImGui::Text(tr("probability of the actual next token %s: %.2f%%"), ui::one_line(vocab_label(*lab, actual)).c_str(),
                  100.0 * L.lens_next_prob[size_t(hover_i)]);
  }
  ImGui::EndTooltip();
}

void draw_transformer_logit_lens(PanelContext& ctx) {
  TransformerLab* lab = transformer_lab(ctx);
  std::shared_ptr<const Trace> trp = lab && lab->has_model() ? lab->trace(true) : nullptr;
  if (!transformer_ready(lab, trp.get())) return;
  const Trace& trc = *trp;
  const float em = ImGui::GetFontSize();
  const int nl = int(trc.layers.size()), T = int(trc.ids.size());
  if (trc.layers.back().lens_top.size() != size_t(T)) {
    note(tr("The logit lens is being computed…"));
    return;
  }
  std::vector<std::string> labels = window_labels(*lab, trc);

  note(tr("Each column is one position of the text. Going down, each row shows the token the model would predict next if it stopped after that block (the \"logit lens\": the residual stream sent straight through the final LayerNorm and the output layer). Colour = how sure it is (probability of that guess)."));
  ImGui::Checkbox(tr("show probabilities"), &g_view.show_prob);
  ImGui::SameLine();
  help_marker(tr("The bottom row is the model's real answer: after the last block the lens is exactly the output. A cell outlined in white guessed the token that actually comes next in the text."));
  {  // Legend of the white outline, on the same line when it fits.
    const char* what = tr("outlined in white: the guess is the token that really comes next");
    const float sw = 1.6f * em, need = sw + 0.4f * em + ImGui::CalcTextSize(what).x;
    ui::same_line_if_fits(need + 1.0f * em);
    ImVec2 p = ImGui::GetCursorScreenPos();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float h = ImGui::GetTextLineHeight();
    dl->AddRectFilled(p, ImVec2(p.x + sw, p.y + h), colormap_u32(Colormap::viridis, 0.6f));
    dl->AddRect(p, ImVec2(p.x + sw, p.y + h), IM_COL32(255, 255, 255, 255), 0, 0, std::max(2.0f, 0.12f * em));
    ImGui::Dummy(ImVec2(sw, h));
    ImGui::SameLine(0, 0.4f * em);
    ImGui::PushTextWrapPos(0);
    ImGui::TextDisabled("%s", what);
    ImGui::PopTextWrapPos();
  }

  // Geometry: a column per position, wide enough for its guesses (capped), fixed row labels.
  std::vector<float> col_w(static_cast<size_t>(T));
  for (int i = 0; i < T; ++i) {
    float w = ImGui::CalcTextSize(ui::one_line(labels[size_t(i)]).c_str()).x;
    for (int l = 0; l < nl; ++l) {
      const auto& top = trc.layers[size_t(l)].lens_top[size_t(i)];
      if (!top.empty()) w = std::max(w, ImGui::CalcTextSize(ui::one_line(vocab_label(*lab, top[0].id)).c_str()).x);
    }
    col_w[size_t(i)] = std::clamp(w + 0.8f * em, 3.6f * em, 9.0f * em);
  }
  std::string last_label = strf(tr("after block %d = output"), nl - 1);
  float label_w = std::max(ImGui::CalcTextSize(last_label.c_str()).x, ImGui::CalcTextSize(tr("actual next token")).x) + 0.8f * em;
  const float row_h = g_view.show_prob ? 2.3f * em : 1.4f * em;
  const float head_h = 2.6f * em;
  const float scale_w = std::max({5.5f * em, ImGui::CalcTextSize(tr("(probability)")).x + 1.2f * em, ImGui::CalcTextSize(tr("how sure")).x + 1.2f * em});
  float table_w = label_w;
  for (float w : col_w) table_w += w;
  float table_h = head_h + (nl + 1) * row_h + 0.4f * em;

  ImVec2 avail = ImGui::GetContentRegionAvail();
  float child_w = std::max(avail.x - scale_w, 10 * em);
  ImGui::BeginChild("##lens", ImVec2(child_w, std::min(avail.y, table_h + ImGui::GetStyle().ScrollbarSize + 2)), false,
                    ImGuiWindowFlags_HorizontalScrollbar);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImVec2 origin = ImGui::GetCursorScreenPos();
  ImU32 text = ui::axis_colour(), dim = ImGui::GetColorU32(ImGuiCol_TextDisabled);
  std::vector<float> col_left(size_t(T) + 1, origin.x + label_w);  // each column's left edge
  for (int i = 0; i < T; ++i) col_left[size_t(i) + 1] = col_left[size_t(i)] + col_w[size_t(i)];
  auto col_x = [&](int i) { return col_left[size_t(i)]; };
  int hover_l = -1, hover_i = -1;
  ImVec2 mouse = ImGui::GetIO().MousePos;
  bool child_hovered = ImGui::IsWindowHovered();
  // Header: the input tokens.
  for (int i = 0; i < T; ++i) {
    float x = col_x(i), w = col_w[size_t(i)];
    // Columns scrolled out of the child draw nothing (ImGui does not cull draw-list text and boxes).
    if (!ImGui::IsRectVisible(ImVec2(x, origin.y), ImVec2(x + w, origin.y + head_h))) continue;
    std::string pos = strf(tr("pos %d"), i);
    std::string tok = ui::fit_text(ui::one_line(labels[size_t(i)]), w - 0.4f * em);
    dl->AddText(ImVec2(x + 0.2f * em, origin.y), dim, pos.c_str());
    dl->AddText(ImVec2(x + 0.2f * em, origin.y + 1.15f * em), text, tok.c_str());
  }
  // Cells.
  for (int l = 0; l <= nl; ++l) {
    float y = origin.y + head_h + l * row_h;
    for (int i = 0; i < T; ++i) {
      float x = col_x(i), w = col_w[size_t(i)];
      ImVec2 p0(x + 1, y + 1), p1(x + w - 1, y + row_h - 1);
      if (!ImGui::IsRectVisible(ImVec2(x, y), ImVec2(x + w, y + row_h))) continue;
      int32_t actual = i + 1 < T ? trc.ids[size_t(i) + 1] : -1;
      if (l == nl) {  // the actual next token row
        std::string s = actual >= 0 ? ui::fit_text(ui::one_line(vocab_label(*lab, actual)), w - 0.4f * em) : "?";
        dl->AddRectFilled(p0, p1, ui::plot_bg_colour());
        dl->AddText(ImVec2(p0.x + 0.2f * em, p0.y + (row_h - em) / 2 - 1), actual >= 0 ? text : dim, s.c_str());
      } else {
        const auto& top = trc.layers[size_t(l)].lens_top[size_t(i)];
        if (top.empty()) continue;
        ImU32 bg = colormap_u32(Colormap::viridis, top[0].prob);
        dl->AddRectFilled(p0, p1, bg);
        ImU32 fg = text_colour_on(bg);
        std::string s = ui::fit_text(ui::one_line(vocab_label(*lab, top[0].id)), w - 0.4f * em);
        dl->AddText(ImVec2(p0.x + 0.2f * em, p0.y + 0.1f * em), fg, s.c_str());
        if (g_view.show_prob) {
          char buf[32];
          // Whole percents, except below 1% (an untrained model's best guess may be 0.002%, which is not 0%).
          const double pc = 100.0 * top[0].prob;
          if (pc >= 0.995)
            std::snprintf(buf, sizeof buf, "%.0f%%", pc);
          else
            std::snprintf(buf, sizeof buf, "%.2g%%", pc);
          dl->AddText(ImVec2(p0.x + 0.2f * em, p0.y + 1.1f * em), fg, buf);
        }
        if (top[0].id == actual) dl->AddRect(p0, p1, IM_COL32(255, 255, 255, 255), 0, 0, std::max(2.0f, 0.12f * em));
      }
      if (child_hovered && mouse.x >= p0.x && mouse.x < p1.x + 2 && mouse.y >= p0.y && mouse.y < p1.y + 2) hover_l = l, hover_i = i;
    }
  }
  // Row labels stay put while the table scrolls sideways: drawn last over the cells.
  float left = ImGui::GetWindowPos().x;
  dl->AddRectFilled(ImVec2(left, origin.y), ImVec2(left + label_w, origin.y + table_h), ImGui::GetColorU32(ImGuiCol_WindowBg));
  dl->AddText(ImVec2(left, origin.y + 1.15f * em), dim, tr("input token"));
  for (int l = 0; l <= nl; ++l) {
    float y = origin.y + head_h + l * row_h + (row_h - em) / 2;
    std::string s = l == nl ? std::string(tr("actual next token")) : l == nl - 1 ? last_label : strf(tr("after block %d"), l);
    dl->AddText(ImVec2(left, y), l == nl ? dim : text, s.c_str());
  }
  ImGui::Dummy(ImVec2(table_w, table_h));
  if (hover_l >= 0 && hover_i >= 0) lens_tooltip(lab, trc, labels, hover_l, hover_i);
  ImGui::EndChild();
  ImGui::SameLine(0, 0.8f * em);
  ImGui::BeginGroup();
  ImGui::TextUnformatted(tr("how sure"));
  ImGui::TextUnformatted(tr("(probability)"));
  ui::colour_scale("lens.scale", Colormap::viridis, 0.0f, 1.0f, ImVec2(scale_w - 0.8f * em, std::max(8.0f * em, std::min(avail.y, table_h) - 2.6f * em)), "%.2g");
  ImGui::EndGroup();
}

GB_PANEL("transformer.logit-lens", draw_transformer_logit_lens);

}  // namespace gb::app
