// Panel teach.changes: which weights fine-tuning moved. One bar per weight matrix, ‖ΔW‖ = ‖W_tuned − W_base‖
// (Frobenius: the square root of the sum of squared changes), named in a student's words with the technical
// name; and for LoRA, the product s·B·A of a chosen matrix as a heatmap with its colour scale.
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
#include "app/widgets/heatmap.hpp"
#include "app/widgets/plots.hpp"

namespace gb::app {

namespace {

struct ChangesView {
  bool relative = false;  // ‖ΔW‖ / ‖W‖ instead of ‖ΔW‖
  int target = 0;         // LoRA matrix shown
};
ChangesView g_ch;

// "h.2.mlp.c_fc.weight" → "block 3: MLP in (h.2.mlp.c_fc)"; "" for tensors that are not weight matrices.
std::string matrix_words(const std::string& name) {
  if (name == "wte.weight") return tr("word meanings (wte, token embedding)");
  if (name == "wpe.weight") return tr("positions (wpe, position embedding)");
  int block = -1;
  char part[64] = "";
  if (std::sscanf(name.c_str(), "h.%d.%63s", &block, part) != 2) return "";
  const std::string rest = part;
  const std::string tech = "h." + std::to_string(block) + "." + rest.substr(0, rest.size() - std::string(".weight").size());
  const int n = block + 1;
  const char* t = tech.c_str();
  if (rest == "attn.c_attn.weight") return strf(tr("block %d: attention's query/key/value (%s)"), n, t);
  if (rest == "attn.c_proj.weight") return strf(tr("block %d: attention's output (%s)"), n, t);
  if (rest == "mlp.c_fc.weight") return strf(tr("block %d: MLP in, width × 4 (%s)"), n, t);
  if (rest == "mlp.c_proj.weight") return strf(tr("block %d: MLP out (%s)"), n, t);
  return "";
}

}  // namespace

void draw_teach_changes(PanelContext& ctx) {
  TeachLab* lab = teach_lab(ctx);
  if (!lab) return;
  const float em = ImGui::GetFontSize();
  const bool want_product = ctx.highlight_detail == "product";  // a lesson about the picture: it comes first
  if (!want_product)
    ui::text_wrapped(tr("Which parts of the model did fine-tuning change? Each bar is one weight matrix W; its length is ‖ΔW‖ = ‖W_tuned − W_base‖ (the square root of the sum of all squared changes, Frobenius norm)."));
  if (!teach_ready(ctx, *lab)) return;
  const Tuner* tuner = lab->tuner();
  if (!tuner) return;
  const std::vector<MatrixChange>& all = lab->changes();
  std::vector<float> v;
  std::vector<std::string> labels;
  std::vector<const MatrixChange*> rows;
  for (const MatrixChange& m : all) {
    const std::string w = matrix_words(m.name);
    if (w.empty()) continue;
    rows.push_back(&m);
    labels.push_back(w);
    v.push_back(float(g_ch.relative ? (m.base_norm > 0 ? m.norm / m.base_norm : 0) : m.norm));
  }
  size_t best = 0;
  for (size_t i = 0; i < v.size(); ++i)
    if (v[i] > v[best]) best = i;
  const bool moved = !v.empty() && v[best] > 0;
  const bool product_first = tuner->uses_lora() && want_product;
  if (!product_first) {
  ImGui::Checkbox(tr("relative: ‖ΔW‖ / ‖W‖"), &g_ch.relative);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip(tr("the change as a share of the matrix's own size (0.01 = 1%% of ‖W‖)"));
  ImGui::SameLine();
  ImGui::Text(tr("%lld steps from the base"), (long long)tuner->steps_done());
  // The bars, drawn here: the names are longer than a bar chart's label column (student words + technical name).
  const float list_h = tuner->uses_lora() ? std::min(1.25f * em * float(v.size()) + 2.5f * em, 0.5f * ImGui::GetContentRegionAvail().y)
                                          : ImGui::GetContentRegionAvail().y - 3 * em;
  ImGui::BeginChild("##dwlist", ImVec2(0, std::max(8 * em, list_h)), false);
  float name_w = 0;
  for (auto& l : labels) name_w = std::max(name_w, ImGui::CalcTextSize(l.c_str()).x);
  name_w += em;
  const float vmax = moved ? v[best] : 1.0f;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  // Narrow (a tile at scale 2): each name on its own line above its bar.
  const bool stacked = ImGui::GetContentRegionAvail().x < name_w + 12 * em;
  const float bar_x = stacked ? 0 : name_w;
  const float bar_w = std::max(3 * em, ImGui::GetContentRegionAvail().x - bar_x - 5 * em);
  for (size_t i = 0; i < v.size(); ++i) {
    ImVec2 p0 = ImGui::GetCursorScreenPos();
    if (stacked) ImGui::TextWrapped("%s", labels[i].c_str());  // a long (translated) name wraps instead of running off
    else ImGui::TextUnformatted(labels[i].c_str());
    if (stacked) {
      p0 = ImGui::GetCursorScreenPos();
      ImGui::Dummy(ImVec2(bar_w, em));
    }
    const float len = bar_w * (vmax > 0 ? v[i] / vmax : 0);
    const ImVec2 b0(p0.x + bar_x, p0.y + 0.15f * em), b1(p0.x + bar_x + std::max(1.0f, len), p0.y + 0.95f * em);
    dl->AddRectFilled(b0, b1, i == best && moved ? ui::series_colour(0) : ui::series_colour(1));
    char num[32];
    std::snprintf(num, sizeof num, "%.4g", double(v[i]));
    dl->AddText(ImVec2(b1.x + 0.3f * em, p0.y), ImGui::GetColorU32(ImGuiCol_Text), num);
    const bool hov = ImGui::IsMouseHoveringRect(ImVec2(p0.x, p0.y - (stacked ? 1.2f * em : 0)), ImVec2(p0.x + bar_x + bar_w + 5 * em, p0.y + 1.1f * em));
    if (hov) {
      const MatrixChange& m = *rows[i];
      ImGui::SetTooltip(tr("%s\n‖ΔW‖ = %.5g   ‖W_base‖ = %.5g   change = %.3f%% of the matrix\n(tensor %s)"), labels[i].c_str(),
                        m.norm, m.base_norm, m.base_norm > 0 ? 100 * m.norm / m.base_norm : 0.0, m.name.c_str());
    }
  }
  ImGui::Dummy(ImVec2(0, 0.2f * em));
  ImGui::SetCursorPosX(ImGui::GetCursorPosX() + bar_x);
  ui::text_wrappedf(tr("bar length: %s, 0 to %.4g (the longest bar)"), g_ch.relative ? "\xe2\x80\x96\xce\x94W\xe2\x80\x96 / \xe2\x80\x96W\xe2\x80\x96" : tr("‖ΔW‖ (Frobenius norm of the change)"), double(vmax));
  ImGui::EndChild();
  }  // !product_first
  if (moved)
    ui::text_wrappedf(tr("Changed most: %s (‖ΔW‖ = %.4g, %.2f%% of ‖W‖)."), labels[best].c_str(),
                      rows[best]->norm, rows[best]->base_norm > 0 ? 100 * rows[best]->norm / rows[best]->base_norm : 0.0);
  else
    note(tr("Nothing has changed yet: this is the base. Run fine-tuning (or learn from votes) and look again."));

  // [SECTION] LoRA's product
  if (!tuner->uses_lora()) {
    note(tr("In LoRA mode (teach.finetune) each matrix changes by a small product B·A, shown here as a picture."));
    return;
  }
  const Lora& lora = *tuner->lora();
  accent_text(tr("LoRA: the change of one matrix is s · B · A"));
  const auto& targets = lora.targets();
  g_ch.target = std::clamp(g_ch.target, 0, int(targets.size()) - 1);
  ImGui::SetNextItemWidth(std::max(14 * em, 0.6f * ImGui::GetContentRegionAvail().x));
  const std::string cur = matrix_words(targets[size_t(g_ch.target)].name);
  if (ImGui::BeginCombo(tr("matrix"), cur.c_str())) {
    for (int i = 0; i < int(targets.size()); ++i)
      if (ImGui::Selectable(matrix_words(targets[size_t(i)].name).c_str(), i == g_ch.target)) g_ch.target = i;
    ImGui::EndCombo();
  }
  int rows_n = 0, cols_n = 0;
  const std::vector<float>& ba = lab->lora_product(size_t(g_ch.target), rows_n, cols_n);
  if (ba.empty()) return;
  const LoraTarget& t = targets[size_t(g_ch.target)];
  ui::text_wrappedf(tr("ΔW = s · B · A with s = α / r = %.3g / %d = %.3g, B (%d × %d), A (%d × %d): %d × %d = %d numbers, made from only %d · (%d + %d) = %d trained ones (rank %d: every row is a mix of the same %d rows of A)."),
                    double(lora.alpha()), lora.rank(), double(lora.scale()), t.out, lora.rank(), lora.rank(), t.in, rows_n, cols_n, rows_n * cols_n,
                    lora.rank(), t.out, t.in, lora.rank() * (t.out + t.in), lora.rank(), lora.rank());
  ui::HeatmapOptions ho;
  ho.map = Colormap::diverging;
  ho.row_name = tr("output (row of W)");
  ho.col_name = tr("input (column of W)");
  ho.value_name = tr("change of this weight (s·B·A)");
  ho.square_cells = false;
  ho.size = ImVec2(0, std::max(5 * em, ImGui::GetContentRegionAvail().y - 1.0f * em));
  ui::heatmap("##ba", ba.data(), rows_n, cols_n, ho);
}
GB_PANEL("teach.changes", draw_teach_changes);

}  // namespace gb::app
