// Attention panel (transformer.attention): who looks at whom. A layers × heads grid of small maps,
// the selected head large with token labels on both axes, the causal mask shown, exact numbers on
// hover, a BertViz-style lines view, scores before softmax / weights after, and the mean over heads.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include <imgui.h>

#include "core/i18n.hpp"
#include "app/panels/registry.hpp"
#include "app/panels/transformer_inspect.hpp"
#include "app/widgets/draw_util.hpp"
#include "app/widgets/heatmap.hpp"
#include "app/widgets/label_layout.hpp"

namespace gb::app {

namespace {

// [SECTION] View choices (the selected layer/head/token live in the lab: `select …` commands)
struct AttentionView {
  bool scores = false;   // show scores before softmax (q·k/√d) instead of weights after
  bool average = false;  // the mean over the layer's heads instead of the selected head
  int mode = 0;          // 0: matrix, 1: lines (BertViz style)
};
AttentionView g_view;

constexpr ImU32 kMaskColour = IM_COL32(128, 128, 128, 255);

// The (T, T) matrix to show for layer l: one head's, or the mean over heads written into `mean`.
const float* matrix_for(const LayerTrace& L, int head, bool scores, bool average, std::vector<float>& mean) {
  const std::vector<Mat>& ms = scores ? L.attn_scores : L.attn_weights;
  if (ms.empty()) return nullptr;
  if (!average) return ms[size_t(std::clamp(head, 0, int(ms.size()) - 1))].data();
  const size_t n = size_t(ms[0].size());
  mean.assign(n, 0.0f);
  for (const Mat& m : ms)
    for (size_t i = 0; i < n; ++i) mean[i] += m.data()[i];  // −inf stays −inf in the masked triangle
  for (float& v : mean) v /= float(ms.size());
  return mean.data();
}

void finite_range(const float* d, size_t n, float& lo, float& hi) {
  lo = INFINITY, hi = -INFINITY;
  for (size_t i = 0; i < n; ++i)
    if (std::isfinite(d[i])) lo = std::min(lo, d[i]), hi = std::max(hi, d[i]);
  if (!(lo < hi)) lo = std::isfinite(lo) ? lo - 1 : 0, hi = std::isfinite(hi) ? hi + 1 : 1;
}

// Greys the masked cells above the diagonal of a (T, T) grid at [g0, g0 + T·cell).
void draw_mask(ImDrawList* dl, ImVec2 g0, float cell, int T, bool hatch) {
  // One (T, T) picture of the mask (grey above the diagonal, clear below), shared by every map of this size: one
  // quad per map instead of a rectangle per row.
  static std::vector<ImU32> px;
  static int px_T = 0;
  if (px_T != T) {
    px.assign(size_t(T) * size_t(T), 0);
    for (int r = 0; r < T; ++r)
      for (int c = r + 1; c < T; ++c) px[size_t(r) * T + c] = kMaskColour;
    px_T = T;
  }
  if (ImTextureID tex = ui::rgba_texture("attn.mask", px.data(), T, T, false, uint64_t(T)))
    dl->AddImage(tex, g0, ImVec2(g0.x + T * cell, g0.y + T * cell));
  if (!hatch) return;
  // Diagonal hatching over the masked triangle, clipped to it row by row.
  const float step = std::max(6.0f, ImGui::GetFontSize() * 0.5f);
  ImU32 line = IM_COL32(90, 90, 90, 255);
  for (int r = 0; r + 1 < T; ++r) {
    ImVec2 a(g0.x + (r + 1) * cell, g0.y + r * cell), b(g0.x + T * cell, g0.y + (r + 1) * cell);
    dl->PushClipRect(a, b, true);
    float start = g0.x + std::floor((a.x - cell - g0.x) / step) * step;  // same phase on every row
    for (float x = start; x < b.x; x += step) dl->AddLine(ImVec2(x, b.y), ImVec2(x + cell, a.y), line, 1.0f);
    dl->PopClipRect();
  }
}

// [SECTION] The large matrix

// Returns the row clicked (−1: none).
int draw_matrix(const TransformerLab& lab, const Trace& trc, const std::vector<std::string>& labels, int layer, int head,
                ImVec2 avail) {
  int clicked_row = -1;
  const float em = ImGui::GetFontSize();
  const LayerTrace& L = trc.layers[size_t(layer)];
  const int T = int(trc.ids.size());
  std::vector<float> mean_s, mean_w;
  const float* data = matrix_for(L, head, g_view.scores, g_view.average, g_view.scores ? mean_s : mean_w);
  const float* weights = matrix_for(L, head, false, g_view.average, mean_w);
  const float* scores = matrix_for(L, head, true, g_view.average, mean_s);
  if (!data) return -1;
  const int head_size = int(L.q.cols()) / std::max(1, int(L.attn_weights.size()));
  float lo = 0, hi = 1;
  if (g_view.scores) finite_range(data, size_t(T) * size_t(T), lo, hi);

  // Layout: [row labels][grid][scale], column labels above.
  float label_w = 0;
  for (auto& s : labels) label_w = std::max(label_w, ImGui::CalcTextSize(ui::one_line(s).c_str()).x);
  label_w = std::min(label_w, 7.0f * em) + 0.5f * em;
  const char* fmt = g_view.scores ? "%.3g" : "%.2f";
  float scale_w = 0.6f * em + 0.9f * em + 0.6f * em +
                  std::max(ImGui::CalcTextSize(ui::format_number(fmt, lo).c_str()).x,
                           ImGui::CalcTextSize(ui::format_number(fmt, hi).c_str()).x) + 1.0f * em;
  float top_title = 1.4f * em, left_title = 1.3f * em;
  float side = std::min(avail.x - left_title - label_w - scale_w, avail.y - label_w - top_title - 0.3f * em);
  side = std::max(side, 6.0f * em);
  const float cell = side / float(T);
  ImVec2 origin = ImGui::GetCursorScreenPos();
  ImVec2 g0(origin.x + left_title + label_w, origin.y + top_title + label_w);
  ImVec2 g1(g0.x + side, g0.y + side);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImU32 text = ui::axis_colour();

  dl->AddText(ImVec2(g0.x, origin.y), text, tr("columns: the token looked at (key) →"));
  if (ImGui::IsRectVisible(g0, g1)) {  // scrolled away: not coloured
    ImTextureID tex = ui::colormap_texture("attn.big", data, T, T, Colormap::viridis, lo, hi);
    if (tex) dl->AddImage(tex, g0, g1);
    draw_mask(dl, g0, cell, T, cell >= 0.6f * em);
  }
  if (T >= 3 && cell * T > 12 * em) {
    const char* m = tr("masked: the future");
    ImVec2 sz = ImGui::CalcTextSize(m);
    ImVec2 at(g1.x - sz.x - 0.5f * em, g0.y + 0.4f * em);
    dl->AddRectFilled(ImVec2(at.x - 0.2f * em, at.y), ImVec2(at.x + sz.x + 0.2f * em, at.y + sz.y), IM_COL32(60, 60, 60, 230));
    dl->AddText(at, IM_COL32(255, 255, 255, 255), m);
  }
  dl->AddRect(ImVec2(g0.x - 1, g0.y - 1), ImVec2(g1.x + 1, g1.y + 1), ui::grid_colour());

  // Labels, thinned so they never overlap when cells are smaller than a line of text: the selected row's label
  // is never dropped (a lesson points at it), and the columns it looks at most win the contested places.
  int sel = std::clamp(lab.selected_token(), 0, T - 1);
  ImU32 accent = ImGui::GetColorU32(ImGuiCol_PlotLinesHovered);
  std::vector<int> col_priority(static_cast<size_t>(T), 0);
  {
    std::vector<int> order;
    for (int j = 0; j <= sel; ++j) order.push_back(j);
    std::stable_sort(order.begin(), order.end(),
                     [&](int a, int b) { return weights[size_t(sel) * T + a] > weights[size_t(sel) * T + b]; });
    for (size_t k = 0; k < order.size(); ++k) col_priority[size_t(order[k])] = int(order.size() - k);
  }
  for (int i : ui::pick_labels_even(T, cell, em, {sel})) {
    std::string s = ui::fit_text(ui::one_line(labels[size_t(i)]), label_w - 0.5f * em);
    float w = ImGui::CalcTextSize(s.c_str()).x;
    dl->AddText(ImVec2(g0.x - 0.3f * em - w, g0.y + (i + 0.5f) * cell - em / 2), i == sel ? accent : text, s.c_str());
  }
  for (int i : ui::pick_labels_even(T, cell, em, {}, col_priority)) {
    std::string s = ui::fit_text(ui::one_line(labels[size_t(i)]), label_w - 0.5f * em);
    ui::add_text_vertical(dl, ImVec2(g0.x + (i + 0.5f) * cell - em / 2, g0.y - 0.3f * em), text, s.c_str());
  }
  dl->AddRect(ImVec2(g0.x, g0.y + sel * cell), ImVec2(g1.x, g0.y + (sel + 1) * cell), accent, 0, 0, std::max(2.0f, 0.12f * em));
  // Vertical axis title, left of the labels.
  ui::add_text_vertical(dl, ImVec2(origin.x, g1.y), text,
                        ui::fit_text(tr("rows: query (the looking token) ↓"), g1.y - origin.y).c_str());

  // Hover: exact numbers; click a row to follow that token.
  ImGui::SetCursorScreenPos(g0);
  ImGui::InvisibleButton("##attn_grid", ImVec2(side, side));
  if (ImGui::IsItemHovered()) {
    ImVec2 m = ImGui::GetIO().MousePos;
    int c = std::clamp(int((m.x - g0.x) / cell), 0, T - 1), r = std::clamp(int((m.y - g0.y) / cell), 0, T - 1);
    dl->AddRect(ImVec2(g0.x + c * cell, g0.y + r * cell), ImVec2(g0.x + (c + 1) * cell, g0.y + (r + 1) * cell),
                IM_COL32(255, 255, 255, 255), 0, 0, 2.0f);
    ImGui::BeginTooltip();
    ImGui::Text(tr("looking token (query, row %d): %s"), r, ui::one_line(labels[size_t(r)]).c_str());
    ImGui::Text(tr("looked-at token (key, column %d): %s"), c, ui::one_line(labels[size_t(c)]).c_str());
    size_t k = size_t(r) * size_t(T) + size_t(c);
    if (c > r) {
      ImGui::TextUnformatted(tr("Masked (causal mask): a token may not look at tokens after it."));
      ImGui::TextUnformatted(tr("score before softmax: -∞    attention weight: 0"));
    } else {
      ImGui::Text(tr("attention weight (after softmax): %.4f = %.1f%% of this row's attention"), weights[k], 100.0 * weights[k]);
      ImGui::Text(tr("score (before softmax, q·k / √%d): %.4f"), head_size, scores[k]);
      if (g_view.average) ImGui::TextDisabled(tr("(mean over the %d heads of layer %d)"), int(L.attn_weights.size()), layer);
    }
    ImGui::TextDisabled(tr("click: follow this row's token"));
    ImGui::EndTooltip();
    if (ImGui::IsItemClicked(ImGuiMouseButton_Left)) clicked_row = r;
  }

  // Colour scale with its true range.
  ImGui::SetCursorScreenPos(ImVec2(g1.x + 0.6f * em, g0.y));
  ui::colour_scale("attn.scale", Colormap::viridis, lo, hi, ImVec2(scale_w - 0.6f * em, side), fmt);
  ImGui::SetCursorScreenPos(origin);
  ImGui::Dummy(ImVec2(left_title + label_w + side + scale_w, top_title + label_w + side));
  return clicked_row;
}

// [SECTION] The layers × heads grid

// Small maps of every head (plus each layer's mean). Sets layer/head (head −1: the mean) on a click.
bool draw_grid(const Trace& trc, int sel_layer, int sel_head, float thumb, int& out_layer, int& out_head) {
  const float em = ImGui::GetFontSize();
  const int nl = int(trc.layers.size()), nh = int(trc.layers[0].attn_weights.size()), T = int(trc.ids.size());
  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImU32 text = ui::axis_colour(), accent = ImGui::GetColorU32(ImGuiCol_PlotLinesHovered);
  const float gap = 0.35f * em;
  float row_label_w = ImGui::CalcTextSize(tr("layer 00")).x + 0.4f * em;
  ImVec2 origin = ImGui::GetCursorScreenPos();
  float y0 = origin.y + 1.3f * em;
  bool clicked = false;
  std::vector<float> mean;
  for (int h = 0; h <= nh; ++h) {
    std::string s = h < nh ? strf(tr("head %d"), h) : std::string(tr("mean"));
    s = ui::fit_text(s, thumb + gap);
    float w = ImGui::CalcTextSize(s.c_str()).x;
    dl->AddText(ImVec2(origin.x + row_label_w + h * (thumb + gap) + (thumb - w) / 2, origin.y), text, s.c_str());
  }
  for (int l = 0; l < nl; ++l) {
    float y = y0 + l * (thumb + gap);
    std::string s = strf(tr("layer %d"), l);
    dl->AddText(ImVec2(origin.x, y + (thumb - em) / 2), text, s.c_str());
    for (int h = 0; h <= nh; ++h) {
      bool is_mean = h == nh;
      ImVec2 p0(origin.x + row_label_w + h * (thumb + gap), y), p1(p0.x + thumb, p0.y + thumb);
      // A map scrolled out of the panel is neither averaged nor coloured (21 of them took 3–4 ms per new trace).
      if (!ImGui::IsRectVisible(ImVec2(p0.x - 4, p0.y - 4), ImVec2(p1.x + 4, p1.y + 4))) continue;
      const float* d = matrix_for(trc.layers[size_t(l)], h, g_view.scores, is_mean, mean);
      if (!d) continue;
      float lo = 0, hi = 1;
      if (g_view.scores) finite_range(d, size_t(T) * size_t(T), lo, hi);
      std::string key = "attn.thumb." + std::to_string(l) + "." + (is_mean ? std::string("mean") : std::to_string(h));
      ImTextureID tex = ui::colormap_texture(key, d, T, T, Colormap::viridis, lo, hi);
      if (tex) dl->AddImage(tex, p0, p1);
      draw_mask(dl, p0, thumb / float(T), T, false);
      bool selected = l == sel_layer && (is_mean ? g_view.average : (!g_view.average && h == sel_head));
      dl->AddRect(ImVec2(p0.x - 1, p0.y - 1), ImVec2(p1.x + 1, p1.y + 1), selected ? accent : ui::grid_colour(), 0, 0,
                  selected ? std::max(3.0f, 0.15f * em) : 1.0f);
      ImGui::SetCursorScreenPos(p0);
      ImGui::PushID(l * 1000 + h);
      ImGui::InvisibleButton("##thumb", ImVec2(thumb, thumb));
      if (ImGui::IsItemHovered()) {
        ImGui::BeginTooltip();
        if (is_mean)
          ImGui::Text(tr("layer %d: mean of its %d heads"), l, nh);
        else
          ImGui::Text(tr("layer %d, head %d"), l, h);
        ImGui::TextDisabled(tr("click to show it large"));
        ImGui::EndTooltip();
      }
      if (ImGui::IsItemClicked(ImGuiMouseButton_Left)) {
        clicked = true;
        out_layer = l;
        out_head = is_mean ? -1 : h;
      }
      ImGui::PopID();
    }
  }
  ImGui::SetCursorScreenPos(origin);
  ImGui::Dummy(ImVec2(row_label_w + (nh + 1) * (thumb + gap), 1.3f * em + nl * (thumb + gap)));
  return clicked;
}

// [SECTION] Lines view (BertViz style)

// Tokens in two columns, a line from each looking token (left) to each token it looks at (right),
// as thick and opaque as the attention weight. Returns the left token clicked (−1: none).
int draw_lines(const TransformerLab& lab, const Trace& trc, const std::vector<std::string>& labels, int layer, int head,
               ImVec2 avail) {
  const float em = ImGui::GetFontSize();
  const int T = int(trc.ids.size());
  std::vector<float> mean;
  const float* w = matrix_for(trc.layers[size_t(layer)], head, false, g_view.average, mean);  // (T, T)
  if (!w) return -1;
  float label_w = 0;
  for (auto& s : labels) label_w = std::max(label_w, ImGui::CalcTextSize(ui::one_line(s).c_str()).x);
  label_w = std::min(label_w, 8.0f * em) + 0.6f * em;
  float top = 1.4f * em;
  float row_h = std::clamp((avail.y - top - 0.5f * em) / float(T), 0.2f * em, 1.5f * em);
  float gap = std::clamp(avail.x - 2 * label_w - 1.0f * em, 6.0f * em, 22.0f * em);
  ImVec2 origin = ImGui::GetCursorScreenPos();
  float xl = origin.x + label_w, xr = xl + gap, y0 = origin.y + top;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImU32 text = ui::axis_colour();
  ImVec4 acc = ImGui::GetStyleColorVec4(ImGuiCol_PlotLinesHovered), tc = ImGui::GetStyleColorVec4(ImGuiCol_Text);
  dl->AddText(ImVec2(origin.x, origin.y), text, tr("looking (query)"));
  dl->AddText(ImVec2(xr + 0.3f * em, origin.y), text, tr("looked at (key)"));

  // Which row is in focus: the hovered left token, else the selected token.
  ImGui::SetCursorScreenPos(ImVec2(origin.x, y0));
  ImGui::InvisibleButton("##lines_left", ImVec2(label_w + 0.5f * gap, std::max(row_h * T, 1.0f)));
  bool hover_left = ImGui::IsItemHovered();
  int focus = std::clamp(lab.selected_token(), 0, T - 1);
  int clicked = -1;
  if (hover_left) {
    focus = std::clamp(int((ImGui::GetIO().MousePos.y - y0) / row_h), 0, T - 1);
    if (ImGui::IsItemClicked(ImGuiMouseButton_Left)) clicked = focus;
  }
  auto cy = [&](int i) { return y0 + (i + 0.5f) * row_h; };
  // Other rows faintly, the focus row strongly.
  const float thick = std::max(1.0f, 0.35f * em);
  for (int i = 0; i < T; ++i) {
    if (i == focus) continue;
    for (int j = 0; j <= i; ++j) {
      float a = w[size_t(i) * T + j];
      if (a < 0.02f) continue;
      dl->AddLine(ImVec2(xl + 0.3f * em, cy(i)), ImVec2(xr - 0.3f * em, cy(j)),
                  ImGui::GetColorU32(ImVec4(tc.x, tc.y, tc.z, 0.18f * a)), 1.0f + thick * 0.3f * a);
    }
  }
  for (int j = 0; j <= focus; ++j) {
    float a = w[size_t(focus) * T + j];
    if (a < 0.005f) continue;
    dl->AddLine(ImVec2(xl + 0.3f * em, cy(focus)), ImVec2(xr - 0.3f * em, cy(j)),
                ImGui::GetColorU32(ImVec4(acc.x, acc.y, acc.z, 0.25f + 0.75f * a)), 1.0f + thick * a * 2.0f);
  }
  // Labels: thinned when rows are shorter than a line of text; the focus row always shown, then the tokens it
  // looks at most.
  std::vector<int> priority(static_cast<size_t>(T), 0);
  for (int j = 0; j <= focus; ++j) priority[size_t(j)] = int(1000.0f * w[size_t(focus) * T + j]);
  ImU32 acc32 = ImGui::GetColorU32(acc);
  for (int i : ui::pick_labels_even(T, row_h, em, {focus}, priority)) {
    std::string s = ui::fit_text(ui::one_line(labels[size_t(i)]), label_w - 0.6f * em);
    float tw = ImGui::CalcTextSize(s.c_str()).x;
    float ty = cy(i) - em / 2;
    if (i == focus) {
      dl->AddRectFilled(ImVec2(xl - 0.3f * em - tw - 0.15f * em, ty), ImVec2(xl - 0.15f * em, ty + em), acc32);
      dl->AddText(ImVec2(xl - 0.3f * em - tw, ty), text_colour_on(acc32), s.c_str());
    } else {
      dl->AddText(ImVec2(xl - 0.3f * em - tw, ty), text, s.c_str());
    }
    float a = i <= focus ? w[size_t(focus) * T + i] : 0.0f;
    if (a > 0.01f)
      dl->AddRectFilled(ImVec2(xr + 0.15f * em, ty), ImVec2(xr + 0.45f * em + tw, ty + em),
                        ImGui::GetColorU32(ImVec4(acc.x, acc.y, acc.z, 0.15f + 0.6f * a)));
    dl->AddText(ImVec2(xr + 0.3f * em, ty), i > focus ? ImGui::GetColorU32(ImGuiCol_TextDisabled) : text, s.c_str());
  }
  if (hover_left) {
    // The focus token's top five, exact.
    std::vector<int> order;
    for (int j = 0; j <= focus; ++j) order.push_back(j);
    std::sort(order.begin(), order.end(), [&](int a, int b) { return w[size_t(focus) * T + a] > w[size_t(focus) * T + b]; });
    ImGui::BeginTooltip();
    ImGui::Text(tr("token %d %s looks at:"), focus, ui::one_line(labels[size_t(focus)]).c_str());
    for (size_t k = 0; k < order.size() && k < 5; ++k)
      ImGui::Text(tr("  %5.1f%%  token %d %s"), 100.0 * w[size_t(focus) * T + order[k]], order[k],
                  ui::one_line(labels[size_t(order[k])]).c_str());
    if (focus + 1 < T) ImGui::TextDisabled(tr("later tokens: 0%% (causal mask)"));
    ImGui::TextDisabled(tr("click: follow this token"));
    ImGui::EndTooltip();
  }
  ImGui::SetCursorScreenPos(origin);
  ImGui::Dummy(ImVec2(2 * label_w + gap, top + row_h * T + 0.3f * em));
  return clicked;
}

// Whether an item `w` wide still fits to the right of the last item (then SameLine(), else wrap).
bool fits_on_line(float w) {
  return ImGui::GetItemRectMax().x + w <= ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
}

}  // namespace

// [SECTION] The panel

void draw_transformer_attention(PanelContext& ctx) {
  TransformerLab* lab = transformer_lab(ctx);
  std::shared_ptr<const Trace> trp = lab && lab->has_model() ? lab->trace() : nullptr;
  if (!transformer_ready(lab, trp.get())) return;
  const Trace& trc = *trp;
  const float em = ImGui::GetFontSize();
  const int nl = int(trc.layers.size()), nh = int(trc.layers[0].attn_weights.size()), T = int(trc.ids.size());
  if (nh == 0) {
    note(tr("This trace has no attention recorded."));
    return;
  }
  const int layer = std::clamp(lab->selected_layer(), 0, nl - 1), head = std::clamp(lab->selected_head(), 0, nh - 1);
  std::vector<std::string> labels = window_labels(*lab, trc);

  // Controls, wrapping onto the next line when the window is narrow (presenter scale).
  const ImGuiStyle& st = ImGui::GetStyle();
  auto radio_w = [&](const char* s) { return ImGui::GetFrameHeight() + st.ItemInnerSpacing.x + ImGui::CalcTextSize(s).x + st.ItemSpacing.x; };
  if (ImGui::RadioButton(tr("weights (after softmax)"), !g_view.scores)) g_view.scores = false;
  if (fits_on_line(radio_w(tr("scores (before softmax)")) + 2 * em)) ImGui::SameLine();
  if (ImGui::RadioButton(tr("scores (before softmax)"), g_view.scores)) g_view.scores = true;
  ImGui::SameLine();
  help_marker(tr("The score of a pair is q·k / √(head size): how well what the looking token is searching for (its query q) matches what the other token offers (its key k). Softmax turns each row of scores into weights between 0 and 1 that add up to 1. Scores of later tokens are set to -∞ first (the causal mask), so their weight is exactly 0: a token never sees the future."));
  if (fits_on_line(radio_w(tr("mean over heads")) + 2 * em)) ImGui::SameLine(0, 1.5f * em);
  ImGui::Checkbox(tr("mean over heads"), &g_view.average);
  if (fits_on_line(radio_w(tr("matrix")) + radio_w(tr("lines")) + 2 * em)) ImGui::SameLine(0, 1.5f * em);
  if (ImGui::RadioButton(tr("matrix"), g_view.mode == 0)) g_view.mode = 0;
  ImGui::SameLine();
  if (ImGui::RadioButton(tr("lines"), g_view.mode == 1)) g_view.mode = 1;

  std::string what = g_view.average ? strf(tr("layer %d, mean of %d heads"), layer, nh) : strf(tr("layer %d, head %d"), layer, head);
  note(tr("Showing %s%s. Each row is one token looking back at the tokens before it; its weights add up to 1. Hover for exact numbers; click a small map to pick a head."),
       what.c_str(), lab->trace_is_current() ? "" : tr(" (updating…)"));
  ImGui::Spacing();

  // Body: the grid on the left, the large view on the right (stacked when the window is narrow).
  ImVec2 avail = ImGui::GetContentRegionAvail();
  float thumb = std::clamp(std::min(avail.x * 0.3f / float(nh + 1), (avail.y - 1.5f * em) / float(nl)) - 0.35f * em,
                           2.2f * em, 6.0f * em);
  thumb = std::max(thumb, ImGui::CalcTextSize(tr("head 00")).x);
  float grid_w = ImGui::CalcTextSize(tr("layer 00")).x + 0.4f * em + (nh + 1) * (thumb + 0.35f * em);
  bool side_by_side = avail.x - grid_w > 24 * em;
  int new_layer = layer, new_head = head;
  // Stacked (a narrow panel, presenter scale): the large view the text talks about comes first, the small maps
  // under it, so the selected head and row are on screen without scrolling.
  int clicked = -1;
  auto draw_big = [&](ImVec2 big) {
    big.y = std::max(big.y, 14 * em);
    clicked = g_view.mode == 0 ? draw_matrix(*lab, trc, labels, layer, head, big) : draw_lines(*lab, trc, labels, layer, head, big);
  };
  if (!side_by_side) {
    ImVec2 big = ImGui::GetContentRegionAvail();
    big.y = std::min(big.y, big.x);  // the matrix is square: leave the rest of the height to the small maps
    draw_big(big);
    ImGui::Spacing();
  }
  ImGui::BeginGroup();
  bool picked = draw_grid(trc, layer, head, thumb, new_layer, new_head);
  ImGui::EndGroup();
  if (picked) {
    if (new_head < 0) {
      g_view.average = true;
      ctx.run("select layer " + std::to_string(new_layer));
    } else {
      g_view.average = false;
      ctx.run("select layer " + std::to_string(new_layer) + " head " + std::to_string(new_head));
    }
  }
  if (side_by_side) {
    ImGui::SameLine(0, 1.5f * em);
    ImGui::BeginGroup();
    draw_big(ImVec2(avail.x - grid_w - 1.5f * em, avail.y));
    ImGui::EndGroup();
  }
  // The last token is selected as −1 ("the newest"), so the panels keep following new tokens.
  if (clicked >= 0 && clicked < T) ctx.run("select token " + std::to_string(clicked == T - 1 ? -1 : clicked));
}

GB_PANEL("transformer.attention", draw_transformer_attention);

}  // namespace gb::app
