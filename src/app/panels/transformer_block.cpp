// Inside a block (transformer.block): the forward pass as a diagram of stages (embed → LayerNorm →
// Q, K, V → scores → softmax → weighted sum → projection → + residual → LayerNorm → MLP → + residual
// → … → logits → probabilities → sample), stepped through one stage at a time for the selected token
// (the newest by default). Each stage shows its real numbers as heatmaps with their shapes, and the
// formula with live numbers where the stage is a computation.
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
#include "app/widgets/plots.hpp"
#include "nn/gelu.hpp"

namespace gb::app {

namespace {

// [SECTION] Stages
enum Stage {
  kEmbed, kLn1, kQkv, kScores, kSoftmax, kWeightedSum, kProjection, kResid1,
  kLn2, kMlpUp, kGelu, kMlpDown, kResid2, kFinalLn, kLogits, kProbs, kSample, kStageCount
};

struct StageInfo {
  const char* id;     // stable name for lessons: highlight "transformer.block:softmax"
  const char* label;  // the box in the diagram (English; stage_label gives the shown text)
  bool in_block;      // repeated once per block
};

const StageInfo kStages[kStageCount] = {
    {"embed", "embed", false},
    {"ln_1", "LayerNorm", true},
    {"qkv", "Q, K, V", true},
    {"scores", "scores", true},
    {"softmax", "softmax", true},
    {"weighted-sum", "weighted sum", true},
    {"projection", "projection", true},
    {"residual-1", "+ residual", true},
    {"ln_2", "LayerNorm", true},
    {"mlp-up", "MLP: widen", true},
    {"gelu", "GELU", true},
    {"mlp-down", "MLP: narrow", true},
    {"residual-2", "+ residual", true},
    {"ln_f", "final LayerNorm", false},
    {"logits", "logits", false},
    {"probabilities", "probabilities", false},
    {"sample", "sample", false},
};

struct BlockView {
  int stage = kEmbed;           // the stage shown
  std::string last_highlight;   // the highlight detail already applied
};
BlockView g_view;

// The box text of stage s in the current language.
const char* stage_label(int s) {
  const char* labels[kStageCount] = {tr("embed"),          tr("LayerNorm"),   tr("Q, K, V"),     tr("scores"),
                                     tr("softmax"),        tr("weighted sum"), tr("projection"), tr("+ residual"),
                                     tr("LayerNorm"),      tr("MLP: widen"),   tr("GELU"),       tr("MLP: narrow"),
                                     tr("+ residual"),     tr("final LayerNorm"), tr("logits"),  tr("probabilities"),
                                     tr("sample")};
  return labels[s];
}

// [SECTION] Small drawing helpers

// Height (in font heights) of the top-10 bar charts: a label per bar needs 1.05 em of bar slot, plus the
// title and the value axis (12 em dropped every other label).
constexpr float kTopBarsHeight = 10 * 1.15f + 5.0f;

std::string num(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%.3g", v);
  return b;
}

// A few rows of C numbers as one heatmap strip per row, with labels; diverging colours (0 = grey).
// `rows` are pointers to `cols` floats each.
void strips(const char* id, const std::vector<const float*>& rows, int cols, const std::vector<std::string>& names,
            const char* col_name, const char* value_name, float lo = NAN, float hi = NAN) {
  const float em = ImGui::GetFontSize();
  std::vector<float> data;  // (rows, cols) for the widget, this frame only
  data.reserve(rows.size() * size_t(cols));
  for (const float* r : rows) data.insert(data.end(), r, r + cols);
  ui::HeatmapOptions o;
  o.map = Colormap::diverging;
  o.lo = lo, o.hi = hi;
  o.square_cells = false;
  o.row_labels = &names;
  o.row_name = tr("row");
  o.col_name = col_name;
  o.value_name = value_name;
  float h = std::max(float(rows.size()) * 1.6f * em, 5.0f * em);
  o.size = ImVec2(ImGui::GetContentRegionAvail().x, h);
  ui::heatmap(id, data.data(), int(rows.size()), cols, o);
}

// A whole (T, n) matrix with token labels and the followed token's row outlined.
void matrix(const char* id, const Mat& m, const std::vector<std::string>& labels, int row, const char* col_name,
            const char* value_name, Colormap map = Colormap::diverging, float lo = NAN, float hi = NAN,
            bool causal = false) {
  const float em = ImGui::GetFontSize();
  ui::HeatmapOptions o;
  if (causal) {  // a (T, T) token-by-token matrix: keys labelled on top, the future masked
    o.causal_mask = true;
    o.col_labels = &labels;
  }
  o.map = map;
  o.lo = lo, o.hi = hi;
  o.square_cells = false;
  o.row_labels = &labels;
  o.row_name = tr("token");
  o.col_name = col_name;
  o.value_name = value_name;
  o.highlight_row = row;
  // Height: 1.3 em a row for the grid, plus the column labels above it (they used to come out of the rows'
  // share, which then dropped every other row label at presenter scale).
  float col_labels_h = 0;
  if (o.col_labels)
    for (auto& s : labels) col_labels_h = std::max(col_labels_h, std::min(ImGui::CalcTextSize(ui::one_line(s).c_str()).x, 9.0f * em) + 0.4f * em);
  o.size = ImVec2(ImGui::GetContentRegionAvail().x, std::clamp(float(m.rows()) * 1.3f * em, 5.0f * em, 16.0f * em) + col_labels_h);
  ui::heatmap(id, m.data(), int(m.rows()), int(m.cols()), o);
}

void shape_line(const char* what, int rows, int cols) { ImGui::TextDisabled(tr("%s  shape (%d, %d)"), what, rows, cols); }

// The formula box: monospace, in a framed area.
void formula(PanelContext& ctx, const std::string& text) {
  if (ctx.mono_font) ImGui::PushFont(ctx.mono_font);
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_PlotLinesHovered));
  ImGui::TextWrapped("%s", text.c_str());
  ImGui::PopStyleColor();
  if (ctx.mono_font) ImGui::PopFont();
}

// LayerNorm of one row with live numbers: μ, σ and the first entry worked out.
std::string layernorm_formula(const float* x, const float* y, const float* gamma, const float* beta, int C, float eps) {
  double mu = 0, var = 0;
  for (int i = 0; i < C; ++i) mu += x[i];
  mu /= C;
  for (int i = 0; i < C; ++i) var += (x[i] - mu) * (x[i] - mu);
  var /= C;
  double sd = std::sqrt(var + eps);
  return "LayerNorm(x)[i] = (x[i] \xe2\x88\x92 \xce\xbc) / \xcf\x83 \xc2\xb7 \xce\xb3[i] + \xce\xb2[i]\n"  // i18n: keep
         "  \xce\xbc = " + strf(tr("mean of the %d numbers"), C) + " = " + num(mu) + ",  \xcf\x83 = \xe2\x88\x9a(" + tr("variance") + " + \xce\xb5) = " + num(sd) +
         "\n  i = 0: (" + num(x[0]) + " \xe2\x88\x92 " + num(mu) + ") / " + num(sd) + " \xc2\xb7 " + num(gamma[0]) + " + " +
         num(beta[0]) + " = " + num(y[0]);
}

// [SECTION] The diagram

// Stage boxes in a wrapping flow with arrows; the block's stages carry a tint. Returns the clicked stage or −1.
int draw_diagram(int current, int layer, int n_layer) {
  const ImGuiStyle& st = ImGui::GetStyle();
  int clicked = -1;
  ImVec4 block_tint = ImVec4(0.20f, 0.35f, 0.60f, 1.0f), accent = ImGui::GetStyleColorVec4(ImGuiCol_PlotLinesHovered);
  float right = ImGui::GetCursorScreenPos().x + ImGui::GetContentRegionAvail().x;
  bool first = true;
  for (int s = 0; s < kStageCount; ++s) {
    std::string label = stage_label(s);
    if (s == kLn1) label = strf(tr("block %d: LayerNorm"), layer);
    if (s == kResid2 && n_layer > 1) label += " \xe2\x86\xbb";  // ↻ then the next block
    std::string shown = label + "##stage" + std::to_string(s);
    float w = ImGui::CalcTextSize(label.c_str()).x + 2 * st.FramePadding.x;
    float arrow = ImGui::CalcTextSize(" \xe2\x86\x92 ").x;
    if (!first) {
      ImGui::SameLine(0, 0);
      if (ImGui::GetCursorScreenPos().x + arrow + w > right) ImGui::NewLine();
      else {
        ImGui::TextUnformatted(" \xe2\x86\x92 ");  // i18n: keep
        ImGui::SameLine(0, 0);
      }
    }
    first = false;
    int pushed = 0;
    if (s == current) {
      ImGui::PushStyleColor(ImGuiCol_Button, accent);
      ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0, 0, 0, 1));
      pushed = 2;
    } else if (kStages[s].in_block) {
      ImGui::PushStyleColor(ImGuiCol_Button, block_tint);
      ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1, 1, 1, 1));
      pushed = 2;
    }
    if (ImGui::Button(shown.c_str())) clicked = s;
    ImGui::PopStyleColor(pushed);
    if (ImGui::IsItemHovered() && kStages[s].in_block) {
      ImGui::BeginTooltip();
      ImGui::Text(tr("part of block %d (the same steps repeat in each of the %d blocks)"), layer, n_layer);
      ImGui::EndTooltip();
    }
  }
  return clicked;
}

// [SECTION] One frame of the panel: what every stage reads (the trace, the followed token, the chosen block and head)

struct BlockFrame {
  PanelContext& ctx;
  TransformerLab* lab;
  const Trace& trc;
  const Gpt& model;
  const GptConfig& cfg;
  float em;
  int T, C, nl, nh, hs, layer, head, p;
  const LayerTrace& L;
  std::vector<std::string> labels;
  std::string tok;
  const Mat& x_in;  // (T, C) block input
  std::string lp;   // "h.<layer>." (weight names)
  int s;            // the stage shown

  const float* row(const Mat& m) const { return m.data() + size_t(p) * size_t(m.cols()); }
  void header();  // which token, step buttons, layer/head choice, the diagram
  void stage_embed();
  void stage_layernorm();
  void stage_qkv();
  void stage_scores();
  void stage_softmax();
  void stage_weighted_sum();
  void stage_projection();
  void stage_residual();
  void stage_mlp_up();
  void stage_gelu();
  void stage_mlp_down();
  void stage_logits();
  void stage_probs();
  void stage_sample();
};

void BlockFrame::header() {
  // A lesson can point at a stage: highlight "transformer.block:softmax".
  if (ctx.highlight_detail != g_view.last_highlight) {
    g_view.last_highlight = ctx.highlight_detail;
    for (int s = 0; s < kStageCount; ++s)
      if (ctx.highlight_detail == kStages[s].id) g_view.stage = s;
  }

  // Header: which token, step buttons, layer/head choice.
  ImGui::Text(tr("Following token %d %s%s through the model."), p, tok.c_str(), p == T - 1 ? tr(" (the newest)") : "");
  ImGui::SameLine();
  help_marker(tr("Every token goes through the same steps. This panel follows one of them (click a token in the attention panel, or run `select token I`). The steps inside a block repeat once per block, each block with its own weights."));
  auto go = [&](int dir) {
    int s = g_view.stage + dir;
    if (dir > 0 && g_view.stage == kResid2 && layer + 1 < nl) {
      ctx.run("select layer " + std::to_string(layer + 1));
      s = kLn1;
    } else if (dir < 0 && g_view.stage == kLn1 && layer > 0) {
      ctx.run("select layer " + std::to_string(layer - 1));
      s = kResid2;
    }
    g_view.stage = std::clamp(s, 0, kStageCount - 1);
  };
  if (ImGui::Button(tr("◀ previous step"))) go(-1);
  ImGui::SameLine();
  if (ImGui::Button(tr("next step ▶"))) go(+1);
  ImGui::SameLine();
  ImGui::SetNextItemWidth(7 * em);
  std::string lname = strf(tr("block %d"), layer);
  if (ImGui::BeginCombo("##layer", lname.c_str())) {
    for (int l = 0; l < nl; ++l)
      if (ImGui::Selectable(strf(tr("block %d"), l).c_str(), l == layer)) ctx.run("select layer " + std::to_string(l));
    ImGui::EndCombo();
  }
  ImGui::SameLine();
  ImGui::SetNextItemWidth(7 * em);
  std::string hname = strf(tr("head %d"), head);
  if (ImGui::BeginCombo("##head", hname.c_str())) {
    for (int h = 0; h < nh; ++h)
      if (ImGui::Selectable(strf(tr("head %d"), h).c_str(), h == head)) ctx.run("select head " + std::to_string(h));
    ImGui::EndCombo();
  }
  int c = draw_diagram(g_view.stage, layer, nl);
  if (c >= 0) g_view.stage = c;
}

// [SECTION] The stages, one function each

void BlockFrame::stage_embed() {
  accent_text(tr("Embedding: the token becomes a list of numbers"));
  note(tr("The model looks up a learned row of %d numbers for the token (its token embedding) and another for its position in the text (its position embedding), and adds them. This sum is the start of the residual stream, the running list of numbers every block reads and adds to."), C);
  int32_t id = trc.ids[size_t(p)];
  strips("emb", {row(trc.tok_emb), row(trc.pos_emb), row(trc.embed)}, C,
         {strf(tr("token %s"), tok.c_str()), strf(tr("position %d"), p), tr("sum")}, tr("dimension"), tr("value"));
  shape_line(tr("each row"), 1, C);
  formula(ctx, "x = wte[" + std::to_string(id) + "] + wpe[" + std::to_string(p) + "]\n  " + tr("dimension 0:") + " " +
                   num(row(trc.tok_emb)[0]) + " + " + num(row(trc.pos_emb)[0]) + " = " + num(row(trc.embed)[0]));
}

void BlockFrame::stage_layernorm() {
  const Mat& in = s == kLn1 ? x_in : s == kLn2 ? L.resid_mid : trc.layers.back().resid_post;
  const Mat& out = s == kLn1 ? L.ln_1 : s == kLn2 ? L.ln_2 : trc.ln_f;
  std::string wn = s == kFinalLn ? "ln_f." : lp + (s == kLn1 ? "ln_1." : "ln_2.");
  accent_text(s == kFinalLn ? tr("Final LayerNorm (layer normalisation) before the output")
                            : tr("LayerNorm (layer normalisation): rescale the numbers"));
  note(tr("LayerNorm shifts the token's %d numbers to average 0 and scales them to spread 1, then multiplies each by a learned weight γ and adds a learned bias β. It keeps the numbers in a range the next step works well with."), C);
  strips("ln", {row(in), row(out)}, C, {tr("input x"), "LayerNorm(x)"}, tr("dimension"), tr("value"));
  shape_line(tr("each row"), 1, C);
  formula(ctx, layernorm_formula(row(in), row(out), model.w(wn + "weight"), model.w(wn + "bias"), C, cfg.ln_eps));
}

void BlockFrame::stage_qkv() {
  accent_text(tr("Q, K, V: query, key and value"));
  note(tr("From the normalised numbers, three learned matrices make three new lists per token: a query q (what this token is looking for), a key k (what it offers to others) and a value v (what it passes on when looked at). The %d numbers are cut into %d heads of %d; each head does its own attention."), C, nh, hs);
  strips("qkv", {row(L.q), row(L.k), row(L.v)}, C, {tr("query q"), tr("key k"), tr("value v")}, tr("dimension"), tr("value"));
  shape_line(tr("q, k, v of this token, each"), 1, C);
  formula(ctx, "q = LN(x) \xc2\xb7 W_q + b_q,  k = LN(x) \xc2\xb7 W_k + b_k,  v = LN(x) \xc2\xb7 W_v + b_v   (W: " +
                   std::to_string(C) + " \xc3\x97 " + std::to_string(C) + ")\n  " +
                   strf(tr("head %d uses dimensions %d–%d"), head, head * hs, (head + 1) * hs - 1));
  ImGui::Spacing();
  ImGui::TextUnformatted(tr("Keys of every token so far (the other tokens offer these):"));
  matrix("keys", L.k, labels, p, tr("dimension"), tr("key value"));
  shape_line("K", T, C);
}

void BlockFrame::stage_scores() {
  accent_text(tr("Scores: how well the query matches each key"));
  note(tr("Head %d compares this token's query with the key of every token up to it (a dot product), divided by √%d to keep the numbers moderate. Later tokens are masked (score -∞): a token cannot look at the future."), head, hs);
  const Mat& S = L.attn_scores[size_t(head)];  // (T, T)
  matrix("scores", S, labels, p, tr("key token"), tr("score"), Colormap::viridis, NAN, NAN, true);
  shape_line(tr("scores of this head"), T, T);
  // Live numbers for the best-matching key.
  int best = 0;
  for (int j = 0; j <= p; ++j)
    if (S(p, j) > S(p, best)) best = j;
  double dot = 0;
  for (int i = 0; i < hs; ++i) dot += double(L.q(p, head * hs + i)) * L.k(best, head * hs + i);
  formula(ctx, "score(" + std::to_string(p) + ", j) = q_" + std::to_string(p) + " \xc2\xb7 k_j / \xe2\x88\x9a" +
                   std::to_string(hs) + "\n  " + strf(tr("best match j = %d"), best) + " " +
                   ui::one_line(labels[size_t(best)]) + ": q\xc2\xb7k = " + num(dot) + ",  / " + num(std::sqrt(double(hs))) +
                   " = " + num(S(p, best)));
}

void BlockFrame::stage_softmax() {
  accent_text(tr("Softmax: scores become attention weights that add up to 1"));
  note(tr("Each score is raised as e^score and divided by the sum over the row, so big scores win most of the attention, every weight is between 0 and 1, and the row adds up to 1. Masked scores (-∞) get weight 0."));
  const Mat& S = L.attn_scores[size_t(head)];
  const Mat& W = L.attn_weights[size_t(head)];
  std::vector<std::string> keys(labels.begin(), labels.begin() + p + 1);
  ui::BarOptions b;
  b.labels = &keys;
  b.value_name = tr("attention weight");
  b.y_label = tr("weight");
  b.title = tr("this token's row of weights");
  b.v_min = 0;
  b.v_max = 1;
  b.value_format = "%.3f";
  b.size = ImVec2(ImGui::GetContentRegionAvail().x, 11 * em);
  ui::bar_chart("w", W.data() + size_t(p) * size_t(T), p + 1, b);
  double sum = 0;
  for (int j = 0; j <= p; ++j) sum += std::exp(double(S(p, j)));
  std::string terms;
  for (int j = 0; j <= p && j < 4; ++j) terms += (j ? " + e^" : "e^") + num(S(p, j));
  if (p >= 4) terms += " + \xe2\x80\xa6";
  int best = 0;
  for (int j = 0; j <= p; ++j)
    if (W(p, j) > W(p, best)) best = j;
  formula(ctx, "w_j = e^(s_j) / \xce\xa3_k e^(s_k)\n  \xce\xa3 = " + terms + " = " + num(sum) + "\n  j = " +
                   std::to_string(best) + " " + ui::one_line(labels[size_t(best)]) + ": e^" + num(S(p, best)) + " / " +
                   num(sum) + " = " + num(W(p, best)));
  matrix("weights", W, labels, p, tr("key token"), tr("attention weight"), Colormap::viridis, 0.0f, 1.0f, true);
  shape_line(tr("weights of this head"), T, T);
}

void BlockFrame::stage_weighted_sum() {
  accent_text(tr("Weighted sum: mix the values of the tokens looked at"));
  note(tr("Each head adds up the value vectors v of the tokens, each multiplied by its attention weight. Tokens with more weight contribute more. The %d heads' results are placed side by side."), nh);
  const Mat& W = L.attn_weights[size_t(head)];
  std::vector<int> order;
  for (int j = 0; j <= p; ++j) order.push_back(j);
  std::sort(order.begin(), order.end(), [&](int a, int b) { return W(p, a) > W(p, b); });
  std::string terms, first;
  double check = 0;
  for (size_t k = 0; k < order.size(); ++k) {
    int j = order[k];
    check += double(W(p, j)) * L.v(j, head * hs);
    if (k < 3) {
      terms += (k ? " + " : "") + num(W(p, j)) + "\xc2\xb7v_" + std::to_string(j);
      first += (k ? " + " : "") + num(W(p, j)) + "\xc3\x97" + num(L.v(j, head * hs));
    }
  }
  if (order.size() > 3) terms += " + \xe2\x80\xa6", first += " + \xe2\x80\xa6";
  strips("heads", {row(L.attn_heads)}, C, {tr("all heads")}, tr("dimension"), tr("value"));
  shape_line(tr("heads side by side"), 1, C);
  formula(ctx, strf(tr("head %d output"), head) + " = \xce\xa3_j w_j \xc2\xb7 v_j = " + terms +
                   "\n  " + tr("its first number:") + " " + first + " = " + num(check));
}

void BlockFrame::stage_projection() {
  accent_text(tr("Projection: combine the heads"));
  note(tr("A learned %d × %d matrix mixes the heads' results into one update for the residual stream."), C, C);
  strips("proj", {row(L.attn_heads), row(L.attn_out)}, C, {tr("heads side by side"), tr("attention output")}, tr("dimension"), tr("value"));
  shape_line(tr("each row"), 1, C);
  formula(ctx, "attn_out = heads \xc2\xb7 W_o + b_o   (W_o: " + std::to_string(C) + " \xc3\x97 " + std::to_string(C) + ")");
}

void BlockFrame::stage_residual() {
  const Mat& a = s == kResid1 ? x_in : L.resid_mid;
  const Mat& d = s == kResid1 ? L.attn_out : L.mlp_out;
  const Mat& r = s == kResid1 ? L.resid_mid : L.resid_post;
  accent_text(s == kResid1 ? tr("+ residual: add attention's update to the stream")
                           : tr("+ residual: add the MLP's update to the stream"));
  note(tr("The block does not replace the token's numbers: it adds its result to them (a residual connection). Information from earlier steps flows on untouched, and each step only nudges it."));
  strips("res", {row(a), row(d), row(r)}, C, {tr("stream before"), s == kResid1 ? tr("attention output") : tr("MLP output"), tr("stream after")},
         tr("dimension"), tr("value"));
  shape_line(tr("each row"), 1, C);
  formula(ctx, std::string("x \xe2\x86\x90 x + ") + tr("update") + "\n  " + tr("dimension 0:") + " " + num(row(a)[0]) + " + " + num(row(d)[0]) + " = " + num(row(r)[0]));
}

void BlockFrame::stage_mlp_up() {
  const int F = int(L.mlp_pre.cols());
  accent_text(tr("MLP (multi-layer perceptron), part 1: widen"));
  note(tr("The MLP works on each token by itself (no looking at other tokens). First a learned matrix turns the %d numbers into %d: more room for the features it detects."), C, F);
  strips("up", {row(L.mlp_pre)}, F, {tr("widened")}, tr("unit"), tr("value"));
  shape_line(tr("widened"), 1, F);
  formula(ctx, "h = LN(x) \xc2\xb7 W_fc + b_fc   (W_fc: " + std::to_string(C) + " \xc3\x97 " + std::to_string(F) + ")");
}

void BlockFrame::stage_gelu() {
  const int F = int(L.mlp_pre.cols());
  accent_text(tr("GELU: the MLP's switch"));
  note(tr("Each of the %d numbers goes through GELU, a smooth switch: negative numbers become (nearly) 0, positive ones pass almost unchanged. This bend is what lets the network learn more than straight-line rules."), F);
  strips("gelu", {row(L.mlp_pre), row(L.mlp_act)}, F, {tr("before GELU"), tr("after GELU")}, tr("unit"), tr("value"));
  shape_line(tr("each row"), 1, F);
  const float* z = row(L.mlp_pre);
  int best = 0, on = 0;
  for (int i = 0; i < F; ++i) {
    if (z[i] > z[best]) best = i;
    if (z[i] > 0) ++on;
  }
  formula(ctx, "GELU(z) = \xc2\xbd z (1 + tanh(\xe2\x88\x9a(2/\xcf\x80) (z + 0.044715 z\xc2\xb3)))\n  " + strf(tr("strongest unit %d"), best) +
                   ": GELU(" + num(z[best]) + ") = " + num(gelu_tanh(z[best])) + ";  " +
                   strf(tr("%d of %d units are switched on (z > 0)"), on, F));
}

void BlockFrame::stage_mlp_down() {
  const int F = int(L.mlp_act.cols());
  accent_text(tr("MLP, part 2: narrow back"));
  note(tr("A second learned matrix turns the %d switched numbers back into %d: the MLP's update for the stream."), F, C);
  strips("down", {row(L.mlp_out)}, C, {tr("MLP output")}, tr("dimension"), tr("value"));
  shape_line(tr("MLP output"), 1, C);
  formula(ctx, "mlp_out = GELU(h) \xc2\xb7 W_proj + b_proj   (W_proj: " + std::to_string(F) + " \xc3\x97 " + std::to_string(C) + ")");
}

void BlockFrame::stage_logits() {
  const int V = int(trc.logits.cols());
  accent_text(tr("Logits: a score for every token in the vocabulary"));
  note(tr("The final numbers are compared with the embedding of each of the %d tokens (the same table as at the start). A high logit means \"this token fits next\"."), V);
  std::vector<TokenScore> top = top_tokens(row(trc.logits), V, 10);
  std::vector<float> vals;
  std::vector<std::string> names;
  for (auto& t : top) vals.push_back(t.logit), names.push_back(vocab_label(*lab, t.id));
  ui::BarOptions b;
  b.labels = &names;
  b.horizontal = true;
  b.value_name = tr("logit");
  b.title = tr("the 10 highest logits");
  b.size = ImVec2(ImGui::GetContentRegionAvail().x, kTopBarsHeight * em);  // room for all ten labels
  ui::bar_chart("logits", vals.data(), int(vals.size()), b);
  shape_line(tr("logits of this token"), 1, V);
  double dot = 0;
  const float* e = model.w("wte.weight") + size_t(top[0].id) * size_t(C);
  for (int i = 0; i < C; ++i) dot += double(row(trc.ln_f)[i]) * e[i];
  formula(ctx, "logit[t] = LN_f(x) \xc2\xb7 wte[t]\n  t = " + std::to_string(top[0].id) + " " + names[0] + ": " + num(dot));
}

void BlockFrame::stage_probs() {
  const int V = int(trc.logits.cols());
  accent_text(tr("Probabilities: softmax over the vocabulary"));
  note(tr("Softmax turns the %d logits into probabilities that add up to 1."), V);
  std::vector<TokenScore> top = top_tokens(row(trc.logits), V, 10);
  std::vector<float> vals;
  std::vector<std::string> names;
  for (auto& t : top) vals.push_back(t.prob), names.push_back(vocab_label(*lab, t.id));
  ui::BarOptions b;
  b.labels = &names;
  b.horizontal = true;
  b.value_name = tr("probability");
  b.title = tr("the 10 most likely next tokens");
  b.v_min = 0;
  b.value_format = "%.3f";
  b.size = ImVec2(ImGui::GetContentRegionAvail().x, kTopBarsHeight * em);  // room for all ten labels
  ui::bar_chart("probs", vals.data(), int(vals.size()), b);
  const float* z = row(trc.logits);
  float mx = *std::max_element(z, z + V);
  double sum = 0;
  for (int i = 0; i < V; ++i) sum += std::exp(double(z[i]) - mx);
  formula(ctx, std::string("p[t] = e^(z_t) / \xce\xa3 e^(z)   (") + tr("computed as") + " e^(z_t \xe2\x88\x92 max z) / \xce\xa3 e^(z \xe2\x88\x92 max z))\n  \xce\xa3 e^(z \xe2\x88\x92 " +
                   num(mx) + ") " + strf(tr("over %d tokens"), V) + " = " + num(sum) + "\n  " + names[0] + ": e^(" +
                   num(top[0].logit) + " \xe2\x88\x92 " + num(mx) + ") / " + num(sum) + " = " + num(top[0].prob));
}

void BlockFrame::stage_sample() {
  accent_text(tr("Sample: pick the next token"));
  if (p + 1 < T) {
    int32_t next = trc.ids[size_t(p) + 1];
    float prob = 0;
    const float* z = row(trc.logits);
    int V = int(trc.logits.cols());
    float mx = *std::max_element(z, z + V);
    double sum = 0;
    for (int i = 0; i < V; ++i) sum += std::exp(double(z[i]) - mx);
    prob = float(std::exp(double(z[next]) - mx) / sum);
    note(tr("This token is not the newest one, so its next token is already in the text."));
    formula(ctx, strf(tr("next token in the text: %s  (the model gave it p = %s)"), vocab_label(*lab, next).c_str(), num(prob).c_str()));
  } else if (const SampleStep* st = lab->next()) {
    note(tr("The sampler reshapes the probabilities (temperature, top-k, top-p), then draws a random number r between 0 and 1 and walks down the list adding probabilities until the total passes r."));
    const SamplerSettings& ss = st->settings;
    std::string how = st->greedy ? std::string(tr("greedy: the most likely token, no random number"))
                                 : strf(tr("temperature %s, top-k %s, top-p %s, r = %s"), num(ss.temperature).c_str(),
                                        ss.top_k ? std::to_string(ss.top_k).c_str() : tr("off"),
                                        ss.top_p < 1 ? num(ss.top_p).c_str() : tr("off"), num(st->random).c_str());
    formula(ctx, how + "\n  \xe2\x86\x92 " +
                     strf(tr("next token: %s  (p = %s after the cuts, %s under the model)"), vocab_label(*lab, st->token).c_str(),
                          num(st->probs_final[size_t(st->token)]).c_str(), num(st->probs[size_t(st->token)]).c_str()));
    note(tr("Press Step (or run `step`) to append it; the sampling panel shows every stage of this draw."));
  } else {
    note(tr("Nothing to sample from."));
  }
}


}  // namespace

// [SECTION] The panel

void draw_transformer_block(PanelContext& ctx) {
  TransformerLab* lab = transformer_lab(ctx);
  std::shared_ptr<const Trace> trp = lab && lab->has_model() ? lab->trace() : nullptr;
  if (!transformer_ready(lab, trp.get())) return;
  const Trace& trc = *trp;
  const Gpt& model = lab->model();
  const GptConfig& cfg = model.config;
  const int T = int(trc.ids.size()), C = int(trc.embed.cols()), nl = int(trc.layers.size());
  const int nh = cfg.n_head, hs = C / std::max(1, nh);
  const int layer = std::clamp(lab->selected_layer(), 0, nl - 1), head = std::clamp(lab->selected_head(), 0, nh - 1);
  const int p = std::clamp(lab->selected_token(), 0, T - 1);
  std::vector<std::string> labels = window_labels(*lab, trc);
  const std::string tok = ui::one_line(labels[size_t(p)]);
  BlockFrame f{ctx, lab, trc, model, cfg, ImGui::GetFontSize(), T, C, nl, nh, hs, layer, head, p, trc.layers[size_t(layer)],
               labels, tok, layer == 0 ? trc.embed : trc.layers[size_t(layer) - 1].resid_post,
               "h." + std::to_string(layer) + ".", 0};
  f.header();
  ImGui::Separator();

  // The stage itself, in a scrolling child so nothing is cut at presenter scale.
  ImGui::BeginChild("##stage", ImVec2(0, 0), false);
  f.s = g_view.stage;
  switch (f.s) {
    case kEmbed: f.stage_embed(); break;
    case kLn1:
    case kLn2:
    case kFinalLn: f.stage_layernorm(); break;
    case kQkv: f.stage_qkv(); break;
    case kScores: f.stage_scores(); break;
    case kSoftmax: f.stage_softmax(); break;
    case kWeightedSum: f.stage_weighted_sum(); break;
    case kProjection: f.stage_projection(); break;
    case kResid1:
    case kResid2: f.stage_residual(); break;
    case kMlpUp: f.stage_mlp_up(); break;
    case kGelu: f.stage_gelu(); break;
    case kMlpDown: f.stage_mlp_down(); break;
    case kLogits: f.stage_logits(); break;
    case kProbs: f.stage_probs(); break;
    case kSample: f.stage_sample(); break;
    default: break;
  }
  ImGui::EndChild();
}

GB_PANEL("transformer.block", draw_transformer_block);

}  // namespace gb::app
