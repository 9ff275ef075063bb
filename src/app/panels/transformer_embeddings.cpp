// Embeddings panel (transformer.embeddings): the followed token's embedding, its position embedding
// and their sum as colour strips; a 2D PCA map of every token's embedding with the text's tokens
// highlighted (hover a point for its token); and a token's nearest neighbours by cosine similarity.
// The PCA and the neighbours are computed once per model in lab/transformer_analysis, not per frame.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include <imgui.h>

#include "core/i18n.hpp"
#include "app/panels/registry.hpp"
#include "app/panels/transformer_chips.hpp"
#include "app/panels/transformer_inspect.hpp"
#include "app/widgets/draw_util.hpp"
#include "app/widgets/heatmap.hpp"
#include "lab/transformer_analysis.hpp"

namespace gb::app {

namespace {

constexpr ImU32 kUnusedColour = IM_COL32(128, 128, 128, 150);  // tokens the training text never uses

// The text the model was trained on, when the lab knows it ("" otherwise): the shipped model's stories, or
// the corpus of the session's training run once its weights are in use.
std::string training_text(const TransformerLab& lab) {
  const TransformerModelInfo& info = lab.model_info();
  if (info.description.rfind("training weights", 0) == 0) return lab.training_corpus();
  if (info.source == "shipped") return "stories";
  return "";
}

struct EmbeddingsView {
  int32_t query = -1;  // token whose neighbours are listed (−1: the followed token of the text)
  int neighbours = 10; // how many neighbours to list
  bool scrolled_to_map = false;  // the map was scrolled into view for the current highlight
};
EmbeddingsView g_view;

// [SECTION] Token chips: the text's tokens; clicking one follows it (`select token I`).
int draw_token_chips(const std::vector<std::string>& labels, int selected) {
  const float em = ImGui::GetFontSize();
  int clicked = -1;
  float right = ImGui::GetCursorScreenPos().x + ImGui::GetContentRegionAvail().x;
  ImVec4 accent = ImGui::GetStyleColorVec4(ImGuiCol_PlotLinesHovered);
  for (size_t i = 0; i < labels.size(); ++i) {
    std::string s = ui::fit_text(ui::one_line(labels[i]), 10 * em);
    float w = ImGui::CalcTextSize(s.c_str()).x + 2 * ImGui::GetStyle().FramePadding.x;
    if (i > 0) {
      ImGui::SameLine(0, 0.25f * em);
      if (ImGui::GetCursorScreenPos().x + w > right) ImGui::NewLine();
    }
    bool sel = int(i) == selected;
    // A button drawn as a chip (12 vertices for its box instead of about 30 for a rounded frame with its fringe).
    ImGui::PushID(int(i));
    if (ImGui::InvisibleButton("##chip", ImVec2(w, ImGui::GetFrameHeight()))) clicked = int(i);
    if (ImGui::IsItemVisible()) {
      const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
      const ImU32 bg = sel ? ImGui::GetColorU32(accent)
                           : ImGui::GetColorU32(ImGui::IsItemActive() ? ImGuiCol_ButtonActive
                                                : ImGui::IsItemHovered() ? ImGuiCol_ButtonHovered : ImGuiCol_Button);
      chip_rect(ImGui::GetWindowDrawList(), a, b, bg, ImGui::GetStyle().FrameRounding);
      ImGui::GetWindowDrawList()->AddText(ImVec2(a.x + ImGui::GetStyle().FramePadding.x, a.y + ImGui::GetStyle().FramePadding.y),
                                          sel ? IM_COL32(0, 0, 0, 255) : ImGui::GetColorU32(ImGuiCol_Text), s.c_str());
    }
    if (ImGui::IsItemHovered()) ImGui::SetTooltip(tr("position %d: %s\nclick to follow this token"), int(i), ui::one_line(labels[i]).c_str());
    ImGui::PopID();
  }
  return clicked;
}

// [SECTION] The PCA map

// Every vocabulary token as a faint dot at its first two principal components; the text's tokens,
// the query token and its neighbours highlighted and labelled. Returns a clicked token id or −1.
int32_t draw_map(const TransformerLab& lab, const EmbeddingMap& map, const Trace& trc, int32_t query,
                 const std::vector<Neighbour>& near, ImVec2 size) {
  const float em = ImGui::GetFontSize();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImVec2 origin = ImGui::GetCursorScreenPos();
  const int V = map.vocab;
  // Scrolled out of the panel (it sits under the strips): only its place is kept.
  if (!ImGui::IsRectVisible(origin, ImVec2(origin.x + size.x, origin.y + size.y))) {
    ImGui::Dummy(size);
    return -1;
  }
  auto used = [&](int i) { return map.used.empty() || map.used[size_t(i)]; };
  // The frame fits the tokens the training text uses (never-used tokens outside it are left out of the picture).
  float x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
  for (int i = 0; i < V; ++i) {
    if (!used(i)) continue;
    x0 = std::min(x0, map.x[size_t(i)]), x1 = std::max(x1, map.x[size_t(i)]);
    y0 = std::min(y0, map.y[size_t(i)]), y1 = std::max(y1, map.y[size_t(i)]);
  }
  if (!(x1 > x0)) x0 -= 1, x1 += 1;
  if (!(y1 > y0)) y0 -= 1, y1 += 1;
  float mx = 0.06f * (x1 - x0), my = 0.06f * (y1 - y0);
  x0 -= mx, x1 += mx, y0 -= my, y1 += my;

  // Frame: room for tick labels on the left and bottom, axis titles outside them.
  const float left = 4.2f * em, bottom = 2.8f * em, top = 0.5f * em, right = 0.5f * em;
  ImVec2 p0(origin.x + left, origin.y + top), p1(origin.x + size.x - right, origin.y + size.y - bottom);
  auto sx = [&](float x) { return p0.x + (x - x0) / (x1 - x0) * (p1.x - p0.x); };
  auto sy = [&](float y) { return p1.y - (y - y0) / (y1 - y0) * (p1.y - p0.y); };
  ImU32 axis = ui::axis_colour(), grid = ui::grid_colour();
  dl->AddRectFilled(p0, p1, ui::plot_bg_colour());
  for (double v : ui::nice_ticks(x0, x1, std::max(2, int((p1.x - p0.x) / (5 * em))))) {
    float x = sx(float(v));
    dl->AddLine(ImVec2(x, p0.y), ImVec2(x, p1.y), grid);
    std::string t = ui::format_number("%.2g", v);
    dl->AddText(ImVec2(x - ImGui::CalcTextSize(t.c_str()).x / 2, p1.y + 0.25f * em), axis, t.c_str());
  }
  for (double v : ui::nice_ticks(y0, y1, std::max(2, int((p1.y - p0.y) / (2.5f * em))))) {
    float y = sy(float(v));
    dl->AddLine(ImVec2(p0.x, y), ImVec2(p1.x, y), grid);
    std::string t = ui::format_number("%.2g", v);
    dl->AddText(ImVec2(p0.x - 0.3f * em - ImGui::CalcTextSize(t.c_str()).x, y - em / 2), axis, t.c_str());
  }
  dl->AddRect(p0, p1, axis);
  char title[160];
  // Shares under 10% keep one decimal: a random model's components explain ~0.2% each, not "0%".
  auto pct = [](double share) { return ui::format_number(share < 0.1 ? "%.1f%%" : "%.0f%%", 100.0 * share); };
  std::snprintf(title, sizeof title, tr("direction 1 (principal component 1: %s of the spread)"), pct(map.share[0]).c_str());
  std::string xt = ui::fit_text(title, p1.x - p0.x);
  dl->AddText(ImVec2((p0.x + p1.x - ImGui::CalcTextSize(xt.c_str()).x) / 2, p1.y + 1.45f * em), axis, xt.c_str());
  std::snprintf(title, sizeof title, tr("direction 2 (component 2: %s)"), pct(map.share[1]).c_str());
  std::string yt = ui::fit_text(title, p1.y - p0.y);
  ui::add_text_vertical(dl, ImVec2(origin.x, (p0.y + p1.y + ImGui::CalcTextSize(yt.c_str()).x) / 2), axis, yt.c_str());

  dl->PushClipRect(p0, p1, true);
  // Every token: tiny squares (cheap for 50 000 points); tokens the training text never uses as hollow grey ones
  // underneath.
  ImVec4 tc = ImGui::GetStyleColorVec4(ImGuiCol_Text);
  ImU32 faint = ImGui::GetColorU32(ImVec4(tc.x, tc.y, tc.z, 0.35f));
  float d = std::max(1.0f, 0.1f * em);
  // Drawn once into a picture of the plot's pixels (one quad instead of a few vertices per token: GPT-2 has 50 257),
  // again only when the map, the plot's size or the colours change.
  const int W = std::max(1, int(p1.x - p0.x + 0.5f)), H = std::max(1, int(p1.y - p0.y + 0.5f));
  struct Cloud {
    std::vector<float> key;
    std::vector<ImU32> px;
    uint64_t version = 0;
  };
  static Cloud cloud;
  std::vector<float> key = {float(V), float(W), float(H), d, float(faint), float(kUnusedColour), float(map.unused), x0, x1, y0, y1};
  if (V > 0) key.insert(key.end(), {map.x[0], map.y[0], map.x[size_t(V - 1)], map.y[size_t(V - 1)], map.x[size_t(V / 2)]});
  if (key != cloud.key) {
    cloud.key = key;
    ++cloud.version;
    // Composited "over" in floats (premultiplied), as the GPU would blend the squares one after the other.
    std::vector<float> acc(size_t(W) * H * 4, 0.0f);
    auto fill = [&](float ax, float ay, float bx, float by, ImU32 c, bool hollow, float hx0, float hy0, float hx1, float hy1) {
      const float a = float((c >> IM_COL32_A_SHIFT) & 0xFF) / 255.0f;
      const float r = float((c >> IM_COL32_R_SHIFT) & 0xFF) / 255.0f, g = float((c >> IM_COL32_G_SHIFT) & 0xFF) / 255.0f,
                  b = float((c >> IM_COL32_B_SHIFT) & 0xFF) / 255.0f;
      const int i0 = std::max(0, int(std::ceil(ax - 0.5f))), i1 = std::min(W - 1, int(std::floor(bx - 0.5f)));
      const int j0 = std::max(0, int(std::ceil(ay - 0.5f))), j1 = std::min(H - 1, int(std::floor(by - 0.5f)));
      for (int j = j0; j <= j1; ++j)
        for (int i = i0; i <= i1; ++i) {
          const float cx = float(i) + 0.5f, cy = float(j) + 0.5f;
          if (hollow && cx > hx0 && cx < hx1 && cy > hy0 && cy < hy1) continue;
          float* q = &acc[(size_t(j) * W + i) * 4];
          q[0] = r * a + q[0] * (1 - a), q[1] = g * a + q[1] * (1 - a), q[2] = b * a + q[2] * (1 - a), q[3] = a + q[3] * (1 - a);
        }
    };
    // Tokens the training text never uses as hollow grey squares underneath, the used ones as small squares on top.
    for (int i = 0; i < V; ++i) {
      if (used(i)) continue;
      const float x = sx(map.x[size_t(i)]) - p0.x, y = sy(map.y[size_t(i)]) - p0.y;
      fill(x - d - 1, y - d - 1, x + d + 1, y + d + 1, kUnusedColour, true, x - d, y - d, x + d, y + d);
    }
    for (int i = 0; i < V; ++i) {
      if (!used(i)) continue;
      const float x = sx(map.x[size_t(i)]) - p0.x, y = sy(map.y[size_t(i)]) - p0.y;
      fill(x - d, y - d, x + d, y + d, faint, false, 0, 0, 0, 0);
    }
    cloud.px.assign(size_t(W) * H, 0);
    for (size_t k = 0; k < cloud.px.size(); ++k) {
      const float* q = &acc[k * 4];
      if (q[3] <= 0) continue;
      auto u8 = [](float v) { return ImU32(std::clamp(std::lround(v * 255.0f), 0L, 255L)); };
      cloud.px[k] = (u8(q[0] / q[3]) << IM_COL32_R_SHIFT) | (u8(q[1] / q[3]) << IM_COL32_G_SHIFT) |
                    (u8(q[2] / q[3]) << IM_COL32_B_SHIFT) | (u8(q[3]) << IM_COL32_A_SHIFT);
    }
  }
  if (ImTextureID tex = ui::rgba_texture("transformer.embeddings.cloud", cloud.px.data(), W, H, false, cloud.version))
    dl->AddImage(tex, p0, ImVec2(p0.x + float(W), p0.y + float(H)));
  // Highlighted tokens with labels: neighbours, the text's tokens, the query on top.
  ImU32 accent = ImGui::GetColorU32(ImGuiCol_PlotLinesHovered), nb_col = ui::series_colour(2);
  auto dot = [&](int32_t id, ImU32 col, float r) {
    if (id < 0 || id >= V) return;
    ImVec2 c(sx(map.x[size_t(id)]), sy(map.y[size_t(id)]));
    dl->AddCircleFilled(c, r, col, 16);
    dl->AddCircle(c, r, IM_COL32(0, 0, 0, 200), 16, 1.0f);
  };
  for (auto& n : near) dot(n.id, nb_col, 0.25f * em);
  // A token the text uses many times ("the", ".") is one dot, not one per use drawn on top of each other.
  std::vector<int32_t> text_ids = trc.ids;
  std::sort(text_ids.begin(), text_ids.end());
  text_ids.erase(std::unique(text_ids.begin(), text_ids.end()), text_ids.end());
  for (int32_t id : text_ids) dot(id, accent, 0.3f * em);
  if (query >= 0) {
    dot(query, accent, 0.45f * em);
    ImVec2 c(sx(map.x[size_t(query)]), sy(map.y[size_t(query)]));
    dl->AddCircle(c, 0.75f * em, accent, 24, std::max(2.0f, 0.12f * em));
  }
  // Labels, most important first (the followed token, the text's tokens, its neighbours); a label that would
  // cover one already drawn is left out, so the map stays readable at presenter scale (hover any dot for its token).
  std::vector<ImVec4> placed;  // x0, y0, x1, y1
  auto label = [&](int32_t id, float r) {
    if (id < 0 || id >= V) return;
    ImVec2 c(sx(map.x[size_t(id)]), sy(map.y[size_t(id)]));
    std::string s = ui::fit_text(ui::one_line(vocab_label(lab, id)), 8 * em);
    ImVec2 sz = ImGui::CalcTextSize(s.c_str());
    // Right of the dot; near the plot's right edge on its left instead, and never past the top or bottom edge.
    ImVec2 at(c.x + r + 0.2f * em, c.y - em / 2);
    if (at.x + sz.x + 0.1f * em > p1.x) at.x = std::max(p0.x + 0.1f * em, c.x - r - 0.2f * em - sz.x);
    at.y = std::clamp(at.y, p0.y, std::max(p0.y, p1.y - sz.y));
    ImVec4 box(at.x - 0.1f * em, at.y, at.x + sz.x + 0.1f * em, at.y + sz.y);
    for (const ImVec4& b : placed)
      if (box.x < b.z && b.x < box.z && box.y < b.w && b.y < box.w) return;
    placed.push_back(box);
    dl->AddRectFilled(ImVec2(box.x, box.y), ImVec2(box.z, box.w), IM_COL32(0, 0, 0, 150));
    dl->AddText(at, IM_COL32(255, 255, 255, 255), s.c_str());
  };
  if (query >= 0) label(query, 0.45f * em);
  for (int32_t id : trc.ids)
    if (id != query) label(id, 0.3f * em);
  for (auto& n : near) label(n.id, 0.25f * em);
  dl->PopClipRect();

  // Hover: the nearest token within reach; click makes it the neighbour query.
  ImGui::SetCursorScreenPos(p0);
  ImGui::InvisibleButton("##map", ImVec2(std::max(p1.x - p0.x, 1.0f), std::max(p1.y - p0.y, 1.0f)));
  int32_t clicked = -1;
  if (ImGui::IsItemHovered()) {
    ImVec2 m = ImGui::GetIO().MousePos;
    float best = (0.7f * em) * (0.7f * em);
    int32_t hit = -1;
    for (int i = 0; i < V; ++i) {
      float dx = sx(map.x[size_t(i)]) - m.x, dy = sy(map.y[size_t(i)]) - m.y;
      if (dx * dx + dy * dy < best) best = dx * dx + dy * dy, hit = i;
    }
    if (hit >= 0) {
      ImVec2 c(sx(map.x[size_t(hit)]), sy(map.y[size_t(hit)]));
      dl->AddCircle(c, 0.5f * em, IM_COL32(255, 255, 255, 255), 16, 2.0f);
      ImGui::BeginTooltip();
      ImGui::Text(tr("token %s  (id %d)"), ui::one_line(vocab_label(lab, hit)).c_str(), hit);
      ImGui::Text(tr("position on the map: (%.3f, %.3f)"), map.x[size_t(hit)], map.y[size_t(hit)]);
      if (!used(hit))
        ImGui::TextWrapped(tr("the training text (%s) never uses this token whole, so the model never read it: its numbers were only pushed down as a wrong answer"), map.corpus.c_str());
      for (size_t i = 0; i < trc.ids.size(); ++i)
        if (trc.ids[i] == hit) {
          ImGui::Text(tr("in your text at position %d"), int(i));
          break;
        }
      ImGui::TextDisabled(tr("click: list its nearest neighbours"));
      ImGui::EndTooltip();
      if (ImGui::IsItemClicked(ImGuiMouseButton_Left)) clicked = hit;
    }
  }
  ImGui::SetCursorScreenPos(origin);
  ImGui::Dummy(size);
  return clicked;
}

}  // namespace

// [SECTION] The panel

void draw_transformer_embeddings(PanelContext& ctx) {
  TransformerLab* lab = transformer_lab(ctx);
  std::shared_ptr<const Trace> trp = lab && lab->has_model() ? lab->trace() : nullptr;
  if (!transformer_ready(lab, trp.get())) return;
  const Trace& trc = *trp;
  const float em = ImGui::GetFontSize();
  const int T = int(trc.ids.size()), C = int(trc.embed.cols());
  const int p = std::clamp(lab->selected_token(), 0, T - 1);
  std::vector<std::string> labels = window_labels(*lab, trc);
  const int32_t id = trc.ids[size_t(p)];

  ImGui::TextUnformatted(tr("Follow a token:"));
  ImGui::SameLine();
  int chip = draw_token_chips(labels, p);
  if (chip >= 0) {
    ctx.run("select token " + std::to_string(chip == T - 1 ? -1 : chip));
    g_view.query = -1;
  }

  // [SECTION] Strips
  ImGui::Spacing();
  accent_text(strf(tr("Token %s at position %d as numbers"), ui::one_line(labels[size_t(p)]).c_str(), p).c_str());
  ImGui::SameLine();
  help_marker(tr("The model cannot read letters. Each token in its vocabulary has a learned list of numbers, its embedding (a row of the table wte). Each position has one too (wpe). The model adds the two: that sum is what the first block receives. Colours: red positive, blue negative, grey zero."));
  {
    std::vector<float> rows;  // (3, C) this frame only
    const float* t = trc.tok_emb.data() + size_t(p) * size_t(C);
    const float* q = trc.pos_emb.data() + size_t(p) * size_t(C);
    const float* s = trc.embed.data() + size_t(p) * size_t(C);
    rows.insert(rows.end(), t, t + C);
    rows.insert(rows.end(), q, q + C);
    rows.insert(rows.end(), s, s + C);
    std::vector<std::string> names = {"wte[" + std::to_string(id) + "]", "wpe[" + std::to_string(p) + "]",
                                      tr("sum → block 0")};
    ui::HeatmapOptions o;
    o.map = Colormap::diverging;
    o.square_cells = false;
    o.row_labels = &names;
    o.row_name = tr("row");
    o.col_name = tr("dimension");
    o.value_name = tr("value");
    o.size = ImVec2(ImGui::GetContentRegionAvail().x, 5.0f * em);
    ui::heatmap("emb.strips", rows.data(), 3, C, o);
    note(tr("rows: the token's embedding (wte, word token embedding), its position's embedding (wpe, word position embedding), and their sum (what block 0 receives); each %d numbers, dimensions 0–%d. Hover a cell for its exact value."), C, C - 1);
  }

  // [SECTION] Map and neighbours
  ImGui::Spacing();
  // A lesson pointing at the map (`highlight transformer.embeddings:map`) scrolls it into view once: at presenter
  // scale it sits below the strips.
  if (ctx.highlight_detail == "map") {
    if (!g_view.scrolled_to_map) ImGui::SetScrollHereY(0.0f);
    g_view.scrolled_to_map = true;
  } else {
    g_view.scrolled_to_map = false;
  }
  TransformerAnalysis& an = shared_transformer_analysis();
  std::shared_ptr<const Gpt> model = lab->model_ptr();
  const EmbeddingMap& map = an.embedding_map(model, 0, &lab->tokenizer(), training_text(*lab));
  int32_t query = g_view.query >= 0 && g_view.query < map.vocab ? g_view.query : id;
  const std::vector<Neighbour>& near = an.neighbours(model, query, g_view.neighbours);
  std::vector<Neighbour> near_copy = near;  // the map call below may not invalidate it, but keep the frame safe

  ImVec2 avail = ImGui::GetContentRegionAvail();
  float list_w = std::min(22 * em, avail.x * 0.4f);
  bool side = avail.x > 40 * em;
  // The legend under the map: one line, or three when it wraps beside the neighbour list.
  const float legend_h = map.unused > 0 ? (side ? 4.0f : 2.6f) * ImGui::GetTextLineHeightWithSpacing() : 0.0f;
  ImVec2 map_size(side ? avail.x - list_w - 1.0f * em : avail.x, std::max(avail.y - 1.6f * em - legend_h, 14 * em));
  if (!side) map_size.y = std::min(map_size.y, 22 * em);
  ImGui::BeginGroup();
  accent_text(map.unused > 0 ? strf(tr("Map of the %d tokens the model has read"), int(map.vocab - map.unused)).c_str()
                             : tr("Map of all tokens"));
  ImGui::SameLine();
  help_marker(tr("Each dot is one of the vocabulary's tokens, placed by its embedding. An embedding has many numbers, so it is squashed to the two directions along which the embeddings differ most (PCA, principal component analysis). Tokens the model treats alike tend to sit close together. Orange: your text's tokens."));
  int32_t hit = draw_map(*lab, map, trc, query, near_copy, map_size);
  if (map.unused > 0) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    ImVec2 p = ImGui::GetCursorScreenPos();
    const float h = ImGui::GetTextLineHeight(), d = 0.2f * em;
    dl->AddRect(ImVec2(p.x + 0.5f * em - d, p.y + h / 2 - d), ImVec2(p.x + 0.5f * em + d, p.y + h / 2 + d), kUnusedColour, 0, 0, 1.5f);
    ImGui::Dummy(ImVec2(1.0f * em, h));
    ImGui::SameLine();
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + map_size.x - 1.5f * em);
    ImGui::TextDisabled(tr("Left out: %d of the %d tokens never appear whole in the training text (%s): single bytes and word pieces that are always merged into longer tokens. The model never read them, so they do not choose the two directions; they sit together outside the frame (hollow grey where one falls inside)."),
                        map.unused, map.vocab, map.corpus.c_str());
    ImGui::PopTextWrapPos();
  }
  ImGui::EndGroup();
  if (hit >= 0) g_view.query = hit;
  if (side) ImGui::SameLine(0, 1.0f * em);
  ImGui::BeginGroup();
  accent_text(strf(tr("Nearest to %s"), ui::one_line(vocab_label(*lab, query)).c_str()).c_str());
  ImGui::SameLine();
  help_marker(tr("Cosine similarity compares the directions of two embeddings: 1 = pointing the same way, 0 = unrelated (at right angles), -1 = opposite. Measured on all the numbers, not just the two shown on the map."));
  if (g_view.query >= 0) {
    if (ImGui::SmallButton(tr("back to the followed token"))) g_view.query = -1;
  } else {
    note("%s", tr("click a dot to choose another token"));
  }
  ImGui::TextDisabled(tr("token"));
  ImGui::SameLine(10.5f * em);
  note("%s", tr("cosine similarity"));  // wraps when a language's words are longer than the column
  for (size_t i = 0; i < near_copy.size(); ++i) {
    const Neighbour& n = near_copy[i];
    std::string s = ui::fit_text(ui::one_line(vocab_label(*lab, n.id)), 8 * em);
    ImGui::Text("%2d.", int(i) + 1);
    ImGui::SameLine(2.2f * em);
    ImGui::TextUnformatted(s.c_str());
    ImGui::SameLine(10.5f * em);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3f", n.cosine);
    ImGui::ProgressBar(std::max(0.0f, n.cosine), ImVec2(std::max(list_w - 10.5f * em, 4 * em), 0), buf);
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip(tr("%s (id %d): cosine similarity %.4f with %s (1: same direction, 0: unrelated, -1: opposite)%s"),
                        ui::one_line(vocab_label(*lab, n.id)).c_str(), n.id, n.cosine,
                        ui::one_line(vocab_label(*lab, query)).c_str(),
                        !map.used.empty() && !map.used[size_t(n.id)] ? tr("\nnever in the training text") : "");
  }
  ImGui::EndGroup();
}

GB_PANEL("transformer.embeddings", draw_transformer_embeddings);

}  // namespace gb::app
