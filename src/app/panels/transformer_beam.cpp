// Beam search panel (transformer.beam): the tree of continuations beam search considered from the
// current text, each node a token with its probability and the running score (sum of log
// probabilities); kept beams in colour, pruned candidates greyed, the best path highlighted.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include <imgui.h>

#include "core/i18n.hpp"
#include "app/panels/registry.hpp"
#include "app/panels/transformer_chips.hpp"
#include "app/panels/transformer_inspect.hpp"
#include "app/widgets/draw_util.hpp"
#include "app/widgets/setting_slider.hpp"
#include "lab/lab_settings.hpp"

namespace gb::app {

namespace {

struct BeamView {
  bool show_pruned = true;  // draw the pruned candidates (greyed) as well as the kept beams
  bool fit = true;          // shrink the tree's text (to half size at most) so the whole tree fits the panel
};
BeamView g_view;

// Node positions: column = depth, row = leaf order of a depth-first walk (children best first), a
// parent centred on its children. Computed from the BeamResult every frame (a few dozen nodes).
struct Layout {
  std::vector<float> row;                 // per node: y of its box centre in font heights (−1: not drawn)
  std::vector<std::vector<int>> children; // per node, best first
  std::vector<int> roots;                 // children of the prompt, best first
  float rows = 0;                         // height used, in font heights
};

// Kept nodes are two lines tall (token; probability and total), pruned ones one line.
constexpr float kKeptH = 2.4f, kPrunedH = 1.3f, kGap = 0.35f;  // in font heights

Layout layout_tree(const BeamResult& br, bool pruned) {
  Layout L;
  const int n = int(br.nodes.size());
  L.row.assign(size_t(n), -1.0f);
  L.children.resize(size_t(n));
  auto visible = [&](int i) { return pruned || br.nodes[size_t(i)].kept; };
  for (int i = 0; i < n; ++i) {
    if (!visible(i)) continue;
    int p = br.nodes[size_t(i)].parent;
    if (p < 0) L.roots.push_back(i);
    else if (visible(p)) L.children[size_t(p)].push_back(i);
  }
  auto by_score = [&](int a, int b) { return br.nodes[size_t(a)].score > br.nodes[size_t(b)].score; };
  std::sort(L.roots.begin(), L.roots.end(), by_score);
  for (auto& c : L.children) std::sort(c.begin(), c.end(), by_score);
  // Iterative post-order walk (depth ≤ 12, but keep the stack explicit anyway).
  float next = 0;
  std::vector<std::pair<int, size_t>> stack;
  for (int r : L.roots) {
    stack.push_back({r, 0});
    while (!stack.empty()) {
      auto& [node, k] = stack.back();
      const auto& ch = L.children[size_t(node)];
      if (k < ch.size()) {
        int c = ch[k++];
        stack.push_back({c, 0});
        continue;
      }
      if (ch.empty()) {
        float h = br.nodes[size_t(node)].kept ? kKeptH : kPrunedH;
        L.row[size_t(node)] = next + h / 2;
        next += h + kGap;
      } else {
        L.row[size_t(node)] = (L.row[size_t(ch.front())] + L.row[size_t(ch.back())]) / 2;
      }
      stack.pop_back();
    }
  }
  L.rows = next;
  return L;
}

}  // namespace

// The controls: beams kept and tokens ahead (through commands), show pruned, fit to panel, sample instead.
static void beam_controls(PanelContext& ctx, TransformerLab* lab, float em) {
  const TransformerSettings& set = lab->settings();
  int width = lab->beam_tree_width(), depth = set.beam_depth;
  ImGui::SetNextItemWidth(9 * em);
  if (ui::setting_slider("transformer", "beam", tr("beams kept"), width, "%d", false, 1)) ctx.run("set beam " + std::to_string(width));
  ImGui::SameLine();
  help_marker(tr("Beam search keeps the few most likely partial continuations (the beams) instead of one. At every step it extends each beam by its best next tokens, scores every candidate by the total log-probability of its tokens, and keeps only the best few. The rest are pruned (grey). Setting this also makes Step use beam search."));
  // The row wraps at presenter scale instead of running off the panel's edge.
  ui::same_line_if_fits(ui::labelled_width(9 * em, tr("tokens ahead")));
  ImGui::SetNextItemWidth(9 * em);
  if (ui::setting_slider("transformer", "beam-depth", tr("tokens ahead"), depth)) ctx.run("set beam-depth " + std::to_string(depth));
  ui::same_line_if_fits(ImGui::GetFrameHeight() + ImGui::GetStyle().ItemInnerSpacing.x + ImGui::CalcTextSize(tr("show pruned")).x);
  ImGui::Checkbox(tr("show pruned"), &g_view.show_pruned);
  ui::same_line_if_fits(ImGui::GetFrameHeight() + ImGui::GetStyle().ItemInnerSpacing.x + ImGui::CalcTextSize(tr("fit to panel")).x);
  ImGui::Checkbox(tr("fit to panel"), &g_view.fit);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip(tr("Draw the tree smaller (down to half size) so all of it is in view"));
  if (set.sampler.beam_width > 0) {
    ui::same_line_if_fits(ImGui::CalcTextSize(tr("sample instead")).x + 2 * ImGui::GetStyle().FramePadding.x);
    if (ctx.allows("set beam 0") && ImGui::Button(tr("sample instead"))) ctx.run("set beam 0");
  }
}

// The hovered node's token, continuation, probability and score.
static void beam_tooltip(TransformerLab* lab, const BeamResult* br, int hovered, const std::vector<char>& on_best) {
  const BeamNode& n = br->nodes[size_t(hovered)];
  std::string seq;
  std::vector<int32_t> toks;
  for (int i = hovered; i >= 0; i = br->nodes[size_t(i)].parent) toks.push_back(br->nodes[size_t(i)].token);
  for (auto it = toks.rbegin(); it != toks.rend(); ++it) seq += vocab_text(*lab, *it);
  ImGui::BeginTooltip();
  ImGui::Text(n.depth == 1 ? tr("token %s (id %d), 1 token ahead") : tr("token %s (id %d), %d tokens ahead"),
              ui::one_line(vocab_label(*lab, n.token)).c_str(), n.token, n.depth);
  ImGui::Text(tr("continuation: %s"), ui::one_line(seq).c_str());
  ImGui::Text(tr("probability of this token after the ones before it: %.4f (log %.4f)"), std::exp(double(n.logprob)), n.logprob);
  ImGui::Text(tr("total score = sum of the log-probabilities = %.4f  (probability of the whole continuation %.3g)"), n.score,
              std::exp(n.score));
  ImGui::TextUnformatted(n.kept ? tr("kept: among the best at this depth") : tr("pruned: not among the best, so not extended"));
  if (on_best[size_t(hovered)]) ImGui::TextUnformatted(tr("on the best path"));
  ImGui::EndTooltip();
}

void draw_transformer_beam(PanelContext& ctx) {
  TransformerLab* lab = transformer_lab(ctx);
  std::shared_ptr<const Trace> trp = lab && lab->has_model() ? lab->trace() : nullptr;
  if (!transformer_ready(lab, trp.get())) return;
  const float em = ImGui::GetFontSize();
  const TransformerSettings& set = lab->settings();

  beam_controls(ctx, lab, em);
  const BeamResult* br = lab->beam();
  if (!br || br->nodes.empty()) {
    note(tr("No beam tree: the text is empty or the model's context is full."));
    return;
  }
  std::string best_text;
  for (int32_t t : br->best) best_text += vocab_text(*lab, t);
  note(tr("%s. Best continuation: \"%s\" (total log-probability %.3f, so probability %.3g)."),
       set.sampler.beam_width > 0 ? tr("Step follows the best beam") : tr("Step samples (beam search is off; this tree is a preview)"),
       best_text.c_str(), br->best_score, std::exp(br->best_score));

  // Best path: the best final beam and its ancestors.
  std::vector<char> on_best(br->nodes.size(), 0);
  if (!br->beams.empty() && !br->beams.back().empty())
    for (int i = br->beams.back().front(); i >= 0; i = br->nodes[size_t(i)].parent) on_best[size_t(i)] = 1;
  Layout L = layout_tree(*br, g_view.show_pruned);
  int max_depth = 0;
  for (auto& n : br->nodes) max_depth = std::max(max_depth, n.depth);

  // Geometry: prompt box, then one column per depth, all in font heights. At presenter scale the tree is
  // larger than the panel: "fit" draws it with a smaller font (down to half size, and never below 12 px) so the
  // whole tree is in view instead of cut off on three sides.
  std::vector<int32_t> ids = lab->ids();
  std::string prompt_tail;
  for (size_t i = ids.size() > 4 ? ids.size() - 4 : 0; i < ids.size(); ++i) prompt_tail += vocab_text(*lab, ids[i]);
  prompt_tail = "\xe2\x80\xa6" + prompt_tail;
  auto root_w_at = [&](float e) { return std::min(ImGui::CalcTextSize(prompt_tail.c_str()).x * e / em + 1.0f * e, 12 * e); };
  auto content_w_at = [&](float e) { return root_w_at(e) + 2.2f * e + max_depth * (12.2f * e); };
  auto content_h_at = [&](float e) { return std::max(L.rows, kKeptH) * e + 1.6f * e; };
  float zoom = 1.0f;
  if (g_view.fit) {
    const ImGuiStyle& st = ImGui::GetStyle();
    ImVec2 inner = ImGui::GetContentRegionAvail();
    inner.x -= 2 * st.WindowPadding.x + st.ScrollbarSize;
    inner.y -= 2 * st.WindowPadding.y + st.ScrollbarSize;
    zoom = std::min({1.0f, inner.x / content_w_at(em), inner.y / content_h_at(em)});
    zoom = std::clamp(zoom, std::min(1.0f, std::max(0.5f, 12.0f / em)), 1.0f);
  }

  ImGui::BeginChild("##beam_tree", ImVec2(0, 0), true, ImGuiWindowFlags_HorizontalScrollbar);
  ImGui::SetWindowFontScale(zoom);
  const float tem = ImGui::GetFontSize();
  const float box_w = 10.0f * tem, col_gap = 2.2f * tem;
  const float root_w = std::min(ImGui::CalcTextSize(prompt_tail.c_str()).x + 1.0f * tem, 12 * tem);
  float content_w = root_w + col_gap + max_depth * (box_w + col_gap);
  float content_h = std::max(L.rows, kKeptH) * tem + 1.6f * tem;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImVec2 origin = ImGui::GetCursorScreenPos();
  ImU32 text = ui::axis_colour(), dim = ImGui::GetColorU32(ImGuiCol_TextDisabled);
  ImU32 accent = ImGui::GetColorU32(ImGuiCol_PlotLinesHovered);
  ImU32 kept_bg = IM_COL32(40, 80, 140, 255), pruned_bg = IM_COL32(70, 70, 70, 140);
  float top = origin.y + 1.6f * tem;
  // Column headings.
  dl->AddText(ImVec2(origin.x, origin.y), dim, tr("your text"));
  for (int d = 1; d <= max_depth; ++d) {
    std::string h = strf(tr("token +%d"), d);
    dl->AddText(ImVec2(origin.x + root_w + col_gap + (d - 1) * (box_w + col_gap), origin.y), dim, h.c_str());
  }
  auto box_h = [&](int i) { return (br->nodes[size_t(i)].kept ? kKeptH : kPrunedH) * tem; };
  auto node_pos = [&](int i) {  // top-left of the box
    const BeamNode& n = br->nodes[size_t(i)];
    return ImVec2(origin.x + root_w + col_gap + (n.depth - 1) * (box_w + col_gap), top + L.row[size_t(i)] * tem - box_h(i) / 2);
  };
  float root_mid = L.roots.empty() ? top + kKeptH * tem / 2
                                   : top + (L.row[size_t(L.roots.front())] + L.row[size_t(L.roots.back())]) / 2 * tem;
  float root_y = root_mid - kKeptH * tem / 2;
  ImVec2 r0(origin.x, root_y), r1(origin.x + root_w, root_y + kKeptH * tem);
  dl->AddRectFilled(r0, r1, ImGui::GetColorU32(ImGuiCol_FrameBg), 0.3f * tem);
  centred_text(dl, r0, r1, text, ui::fit_text(ui::one_line(prompt_tail), root_w - 0.4f * tem));
  // Edges first, then boxes.
  for (size_t i = 0; i < br->nodes.size(); ++i) {
    if (L.row[i] < 0) continue;
    const BeamNode& n = br->nodes[i];
    ImVec2 a = n.parent < 0 ? ImVec2(r1.x, root_mid) : ImVec2(node_pos(n.parent).x + box_w, top + L.row[size_t(n.parent)] * tem);
    ImVec2 b(node_pos(int(i)).x, top + L.row[i] * tem);
    // Edges and boxes scrolled out of the child draw nothing (ImGui does not cull draw-list shapes).
    if (!ImGui::IsRectVisible(ImVec2(a.x - 4, std::min(a.y, b.y) - 4), ImVec2(b.x + 4, std::max(a.y, b.y) + 4))) continue;  // + the stroke
    ImU32 col = on_best[i] ? accent : n.kept ? text : dim;
    dl->AddBezierCubic(a, ImVec2(a.x + col_gap / 2, a.y), ImVec2(b.x - col_gap / 2, b.y), b, col,
                       on_best[i] ? std::max(3.0f, 0.18f * tem) : n.kept ? 1.5f : 1.0f);
  }
  int hovered = -1;
  ImVec2 mouse = ImGui::GetIO().MousePos;
  for (size_t i = 0; i < br->nodes.size(); ++i) {
    if (L.row[i] < 0) continue;
    const BeamNode& n = br->nodes[i];
    ImVec2 p0 = node_pos(int(i)), p1(p0.x + box_w, p0.y + box_h(int(i)));
    if (!ImGui::IsRectVisible(p0, p1)) continue;
    ImU32 bg = n.kept ? kept_bg : pruned_bg;
    chip_rect(dl, p0, p1, bg, 0.3f * tem);
    if (on_best[i]) dl->AddRect(p0, p1, accent, 0.3f * tem, 0, std::max(3.0f, 0.15f * tem));
    ImU32 fg = n.kept ? IM_COL32(255, 255, 255, 255) : IM_COL32(190, 190, 190, 255);
    char buf[48];
    double total = n.score == 0 ? 0.0 : n.score;  // never print "-0.00"
    std::snprintf(buf, sizeof buf, tr("p %.2f  total %.2f"), std::exp(double(n.logprob)), total);
    if (n.kept) {
      std::string t = ui::fit_text(ui::one_line(vocab_label(*lab, n.token)), box_w - 0.5f * tem);
      dl->AddText(ImVec2(p0.x + 0.25f * tem, p0.y + 0.1f * tem), fg, t.c_str());
      dl->AddText(ImVec2(p0.x + 0.25f * tem, p0.y + 1.2f * tem), fg, ui::fit_text(buf, box_w - 0.5f * tem).c_str());
    } else {  // one line: token, then its probability
      std::snprintf(buf, sizeof buf, "p %.2f", std::exp(double(n.logprob)));
      float pw = ImGui::CalcTextSize(buf).x;
      std::string t = ui::fit_text(ui::one_line(vocab_label(*lab, n.token)), box_w - pw - 0.9f * tem);
      dl->AddText(ImVec2(p0.x + 0.25f * tem, p0.y + 0.15f * tem), fg, t.c_str());
      dl->AddText(ImVec2(p1.x - 0.25f * tem - pw, p0.y + 0.15f * tem), fg, buf);
    }
    if (ImGui::IsWindowHovered() && mouse.x >= p0.x && mouse.x < p1.x && mouse.y >= p0.y && mouse.y < p1.y) hovered = int(i);
  }
  ImGui::Dummy(ImVec2(content_w, content_h));
  // A new tree scrolls so the text it starts from and its best path are in view (at presenter scale the tree is taller than the panel).
  // The tree's identity: the text it grows from and its best path's score (the lab may reuse the same object).
  const double best_score = double(br->best_score);
  static std::tuple<size_t, size_t, double, float> scrolled_for{0, 0, 0.0, 0.0f};
  const auto key = std::make_tuple(ids.size(), br->nodes.size(), best_score, tem);
  if (scrolled_for != key) {
    scrolled_for = key;
    ImGui::SetScrollX(0);
    // Centre the span from the text along the best path (accent).
    // Only the columns that fit across the view count (at presenter scale the path runs off to the right).
    const int depth_in_view = std::max(1, int((ImGui::GetWindowWidth() - root_w) / (box_w + col_gap)));
    float lo = root_mid - kKeptH * tem, hi = root_mid + kKeptH * tem;
    for (size_t i = 0; i < br->nodes.size(); ++i)
      if (on_best[i] && L.row[i] >= 0 && br->nodes[i].depth <= depth_in_view) {
        lo = std::min(lo, top + L.row[i] * tem - kKeptH * tem);
        hi = std::max(hi, top + L.row[i] * tem + kKeptH * tem);
      }
    const float view_h = ImGui::GetWindowHeight() - ImGui::GetStyle().ScrollbarSize;
    // Too tall: keep the text in view, with as much of the path as fits on its side.
    float focus = hi - lo <= view_h ? 0.5f * (lo + hi) : root_mid - lo > hi - root_mid ? hi - 0.5f * view_h : lo + 0.5f * view_h;
    ImGui::SetScrollY(std::max(0.0f, focus - origin.y - 0.5f * view_h));
  }
  if (hovered >= 0) beam_tooltip(lab, br, hovered, on_best);
  ImGui::EndChild();
}

GB_PANEL("transformer.beam", draw_transformer_beam);

}  // namespace gb::app
