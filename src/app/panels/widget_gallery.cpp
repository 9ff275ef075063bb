// The widget gallery: every drawing helper from src/app/widgets/ with made-up data, so panel
// authors (and screenshots: --view widgets) can see how they look at any scale and theme.
#include <cmath>
#include <string>
#include <vector>

#include <imgui.h>

#include "app/panels/registry.hpp"
#include "app/widgets/heatmap.hpp"
#include "app/widgets/plots.hpp"
#include "core/rng.hpp"
#include "core/i18n.hpp"

namespace gb::app {

namespace {

struct GalleryData {
  std::vector<std::string> tokens = {"Once", " upon", " a", " time", ",", " a", " little", " fox"};
  std::vector<float> attention;   // (8, 8) causal attention weights, rows sum to 1
  std::vector<float> signed_map;  // (12, 16) values in about [-2, 3]
  std::vector<float> loss, val_loss;
  std::vector<float> probs;       // top-8 next-token probabilities
  std::vector<std::string> prob_labels = {" the", " a", " fox", " and", " little", " was", " in", " ."};
  std::vector<float> real_x, real_y, fake_x, fake_y;
  std::vector<float> field;       // (32, 32) discriminator-like field over [-2, 2]²
};

const GalleryData& data() {
  static GalleryData d = [] {
    GalleryData g;
    Rng rng(7);
    const int t = 8;
    g.attention.assign(t * t, 0.0f);
    for (int q = 0; q < t; ++q) {
      float sum = 0;
      for (int k = 0; k <= q; ++k) sum += (g.attention[q * t + k] = std::exp(2.0f * float(rng.uniform()) + (k == q ? 1.0f : 0.0f)));
      for (int k = 0; k <= q; ++k) g.attention[q * t + k] /= sum;
    }
    for (int r = 0; r < 12; ++r)
      for (int c = 0; c < 16; ++c) g.signed_map.push_back(2.5f * std::sin(0.5f * c) * std::cos(0.4f * r) + 0.5f);
    for (int i = 0; i < 400; ++i) {
      float noise = 0.08f * float(rng.uniform() - 0.5);
      g.loss.push_back(4.5f * std::exp(-i / 80.0f) + 1.2f + noise);
      g.val_loss.push_back(4.5f * std::exp(-i / 90.0f) + 1.35f + 0.5f * noise);
    }
    g.probs = {0.31f, 0.22f, 0.12f, 0.09f, 0.07f, 0.05f, 0.04f, 0.02f};
    for (int i = 0; i < 150; ++i) {
      double a = 6.2831853 * rng.uniform();
      g.real_x.push_back(float(std::cos(a) + 0.1 * (rng.uniform() - 0.5)));
      g.real_y.push_back(float(std::sin(a) + 0.1 * (rng.uniform() - 0.5)));
      g.fake_x.push_back(float(0.6 * (rng.uniform() - 0.5) + 0.3));
      g.fake_y.push_back(float(1.2 * (rng.uniform() - 0.5)));
    }
    for (int r = 0; r < 32; ++r)
      for (int c = 0; c < 32; ++c) {
        float x = -2 + 4 * (c + 0.5f) / 32, y = 2 - 4 * (r + 0.5f) / 32;  // row 0 = top = y max
        g.field.push_back(std::tanh(3.0f * (0.8f - std::abs(std::sqrt(x * x + y * y) - 1.0f))) );
      }
    return g;
  }();
  return d;
}

}  // namespace

void draw_widget_gallery(float /*ui_scale*/) {
  const GalleryData& d = data();
  const float em = ImGui::GetFontSize();
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  float top = ImGui::GetFrameHeight() + 0.4f * em;
  float bottom = ImGui::GetFrameHeight() + ImGui::GetStyle().WindowPadding.y * 2 + 0.4f * em;
  ImGui::SetNextWindowPos(ImVec2(vp->Pos.x + 0.4f * em, vp->Pos.y + top), ImGuiCond_Appearing);
  ImGui::SetNextWindowSize(ImVec2(vp->Size.x - 0.8f * em, vp->Size.y - top - bottom), ImGuiCond_Appearing);
  ImGui::SetNextWindowBgAlpha(1.0f);
  if (!ImGui::Begin((std::string(tr("Widget gallery (src/app/widgets)")) + "###widget-gallery").c_str(), nullptr)) {
    ImGui::End();
    return;
  }
  if (ImGui::BeginTable("gallery", 3, ImGuiTableFlags_SizingStretchSame | ImGuiTableFlags_BordersInnerV)) {
    float cell_h = (ImGui::GetContentRegionAvail().y - 4 * em) / 2;
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::TextDisabled("%s", tr("heatmap, viridis, token labels"));
    ui::HeatmapOptions a;
    a.row_labels = &d.tokens;
    a.col_labels = &d.tokens;
    a.row_name = "query token";
    a.col_name = "key token";
    a.value_name = "attention weight";
    a.lo = 0;
    a.hi = 1;
    a.max_height = cell_h;
    a.value_format = "%.2f";
    ui::heatmap("attention", d.attention.data(), 8, 8, a);

    ImGui::TableNextColumn();
    ImGui::TextDisabled("%s", tr("heatmap, diverging (0 = neutral)"));
    ui::HeatmapOptions s;
    s.map = Colormap::diverging;
    s.value_name = "weight";
    s.max_height = cell_h;
    s.value_format = "%.2f";
    ui::heatmap("signed", d.signed_map.data(), 12, 16, s);

    ImGui::TableNextColumn();
    ImGui::TextDisabled("%s", tr("bar chart, horizontal"));
    ui::BarOptions b;
    b.labels = &d.prob_labels;
    b.value_name = "probability";
    b.horizontal = true;
    b.highlight = 2;
    b.y_label = "probability of the next token";
    b.value_format = "%.2f";
    b.size = ImVec2(0, cell_h);
    ui::bar_chart("probs", d.probs.data(), int(d.probs.size()), b);

    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::TextDisabled("%s", tr("line plot, two series"));
    ui::PlotOptions p;
    p.x_label = "training step";
    p.y_label = "loss";
    p.size = ImVec2(0, cell_h);
    p.marker_x = 250;
    ui::line_plot("loss", {{"training loss", d.loss.data(), int(d.loss.size())},
                           {"validation loss", d.val_loss.data(), int(d.val_loss.size())}}, p);

    ImGui::TableNextColumn();
    ImGui::TextDisabled("%s", tr("bar chart, vertical"));
    ui::BarOptions v;
    v.labels = &d.prob_labels;
    v.value_name = "probability";
    v.x_label = "token";
    v.value_format = "%.2f";
    v.size = ImVec2(0, cell_h);
    ui::bar_chart("probs_v", d.probs.data(), int(d.probs.size()), v);

    ImGui::TableNextColumn();
    ImGui::TextDisabled("%s", tr("scatter over a colour-mapped field"));
    ui::ScatterOptions so;
    so.x_min = -2, so.x_max = 2, so.y_min = -2, so.y_max = 2;
    so.equal_aspect = true;
    so.size = ImVec2(0, cell_h);
    so.background = ui::colormap_texture("gallery.field", d.field.data(), 32, 32, Colormap::diverging, -1, 1, true);
    int n = int(d.real_x.size());
    ui::scatter("points", {{"real", d.real_x.data(), d.real_y.data(), n, IM_COL32(0, 158, 115, 255)},
                           {"generated", d.fake_x.data(), d.fake_y.data(), n, IM_COL32(230, 159, 0, 255)}}, so);
    ImGui::EndTable();
  }
  ImGui::End();
}

}  // namespace gb::app
