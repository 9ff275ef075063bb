// Helpers shared by the GAN panels.
#include "app/panels/gan_common.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "app/panels/transformer_inspect.hpp"  // note()
#include "app/widgets/draw_util.hpp"
#include "app/widgets/heatmap.hpp"
#include "models/data/fashion_mnist.hpp"
#include "core/i18n.hpp"

namespace gb::app {

GanLab* gan_lab(PanelContext& ctx) {
  for (Lab* l : ctx.session.labs())
    if (auto* g = dynamic_cast<GanLab*>(l)) return g;
  note(tr("This session has no GAN lab."));
  return nullptr;
}

CommandResult gan_run(PanelContext& ctx, GanLab& lab, const char* mode, const std::string& line) {
  if (lab.mode() != mode) ctx.run(std::string("gan mode ") + mode);
  return ctx.run("gan " + line);
}

bool gan_allows(PanelContext& ctx, const std::string& line) { return ctx.allows("gan " + line); }

const char* fashion_class(int c) {
  // The same order as kFashionClassNames (models/data/fashion_mnist.cpp); one literal each so the
  // translation-completeness test finds them.
  switch (c) {
    case 0: return tr("T-shirt/top");
    case 1: return tr("Trouser");
    case 2: return tr("Pullover");
    case 3: return tr("Dress");
    case 4: return tr("Coat");
    case 5: return tr("Sandal");
    case 6: return tr("Shirt");
    case 7: return tr("Sneaker");
    case 8: return tr("Bag");
    case 9: return tr("Ankle boot");
    default: return c >= 0 && c < kFashionClasses ? tr(kFashionClassNames[c]) : "?";
  }
}

// [SECTION] plane
ImVec2 plane_margin() {
  const float em = ImGui::GetFontSize();
  return ImVec2(3.6f * em, 2.4f * em);  // left: tick labels + y title; below: tick labels + x title
}

Plane plane_begin(const char* id, float side, float lo, float hi, const char* x_label, const char* y_label) {
  const float em = ImGui::GetFontSize();
  const ImVec2 m = plane_margin();
  ImVec2 c = ImGui::GetCursorScreenPos();
  Plane p;
  p.lo = lo;
  p.hi = hi;
  p.p0 = ImVec2(c.x + m.x, c.y + 0.3f * em);
  p.p1 = ImVec2(p.p0.x + side, p.p0.y + side);
  ImGui::InvisibleButton(id, ImVec2(side + m.x, side + m.y + 0.3f * em));
  ImVec2 mouse = ImGui::GetIO().MousePos;
  p.hovered = ImGui::IsItemHovered() && mouse.x >= p.p0.x && mouse.x <= p.p1.x && mouse.y >= p.p0.y && mouse.y <= p.p1.y;
  if (p.hovered) {
    p.mx = lo + (mouse.x - p.p0.x) / side * (hi - lo);
    p.my = lo + (p.p1.y - mouse.y) / side * (hi - lo);
    p.clicked = ImGui::IsMouseClicked(ImGuiMouseButton_Left);
  }
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddRectFilled(p.p0, p.p1, ui::plot_bg_colour());
  const ImU32 axis = ui::axis_colour();
  for (double t : ui::nice_ticks(lo, hi, std::max(3, int(side / (3.5f * em))))) {
    std::string s = ui::format_number("%g", t);
    ImVec2 ts = ImGui::CalcTextSize(s.c_str());
    ImVec2 bx = p.px(float(t), lo), ly = p.px(lo, float(t));
    dl->AddLine(bx, ImVec2(bx.x, bx.y + 0.3f * em), axis);
    dl->AddText(ImVec2(bx.x - ts.x / 2, bx.y + 0.3f * em), axis, s.c_str());
    dl->AddLine(ImVec2(ly.x - 0.3f * em, ly.y), ly, axis);
    dl->AddText(ImVec2(ly.x - 0.4f * em - ts.x, ly.y - ts.y / 2), axis, s.c_str());
  }
  if (x_label) {
    ImVec2 ts = ImGui::CalcTextSize(x_label);
    dl->AddText(ImVec2((p.p0.x + p.p1.x - ts.x) / 2, p.p1.y + 1.25f * em), axis, x_label);
  }
  if (y_label) {
    ImVec2 ts = ImGui::CalcTextSize(y_label);
    ui::add_text_vertical(dl, ImVec2(c.x, (p.p0.y + p.p1.y + ts.x) / 2), axis, y_label);
  }
  dl->PushClipRect(p.p0, p.p1, true);
  return p;
}

void plane_end(const Plane& p) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->PopClipRect();
  dl->AddRect(p.p0, p.p1, ui::axis_colour());
}

// [SECTION] field colours
ImU32 field_colour(float t, float alpha) {
  t = std::isfinite(t) ? std::clamp(t, 0.0f, 1.0f) : 0.5f;
  // purple (fake) → neutral grey → green (real), pastel so the points stay visible on top
  const float fake[3] = {172, 140, 214}, mid[3] = {70, 70, 74}, real[3] = {118, 196, 150};
  const float* a = t < 0.5f ? fake : mid;
  const float* b = t < 0.5f ? mid : real;
  const float u = t < 0.5f ? t * 2 : (t - 0.5f) * 2;
  return IM_COL32(int(a[0] + (b[0] - a[0]) * u), int(a[1] + (b[1] - a[1]) * u), int(a[2] + (b[2] - a[2]) * u),
                  int(255 * alpha));
}
ImU32 real_colour() { return IM_COL32(20, 170, 100, 255); }
ImU32 fake_colour() { return IM_COL32(110, 40, 190, 255); }

float field_t(const Gan2dView& v, float value) {
  if (v.field_is_prob) return value;
  // A critic's score has no fixed zero (Wasserstein: only differences matter), so the colours span
  // the lowest to the highest score on the plane.
  const float span = v.field_max - v.field_min;
  return span > 1e-12f ? (value - v.field_min) / span : 0.5f;
}

void draw_field(const Plane& p, const Gan2dView& v) {
  const int R = v.field_res;
  if (R < 2 || v.field.size() != size_t(R) * R) return;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  // One texel per sample, bilinear between them (the texel centres are the exact samples, at lo … hi): one quad
  // instead of a coloured quad per cell. Rows go top (y = hi) to bottom (y = lo) in the texture.
  std::vector<ImU32> px(size_t(R) * R);
  for (int j = 0; j < R; ++j)
    for (int i = 0; i < R; ++i) px[size_t(R - 1 - j) * R + i] = field_colour(field_t(v, v.field[size_t(j) * R + i]));
  ImTextureID tex = ui::rgba_texture("gan.field#" + std::to_string(ImGui::GetID("field")), px.data(), R, R, true);
  if (!tex) return;
  const float h = 0.5f / float(R);
  dl->AddImage(tex, p.px(v.lo, v.hi), p.px(v.hi, v.lo), ImVec2(h, h), ImVec2(1 - h, 1 - h));
}

namespace {
struct BarLabels {
  std::string hi, mid, lo;
};
BarLabels bar_labels(const Gan2dView& v) {
  if (v.field_is_prob) return {tr("1 real"), "0.5", tr("0 fake")};
  char a[48], b[48], c[48];
  std::snprintf(a, sizeof a, "%.3g", v.field_max);
  std::snprintf(c, sizeof c, "%.3g", 0.5 * (double(v.field_min) + v.field_max));
  std::snprintf(b, sizeof b, "%.3g", v.field_min);
  return {a, c, b};
}
}  // namespace

float field_colour_bar_width(const Gan2dView& v) {
  const float em = ImGui::GetFontSize();
  BarLabels l = bar_labels(v);
  float w = std::max({ImGui::CalcTextSize(l.hi.c_str()).x, ImGui::CalcTextSize(l.mid.c_str()).x, ImGui::CalcTextSize(l.lo.c_str()).x});
  return 1.3f * em + 0.9f * em + 0.4f * em + w + 0.2f * em;
}

void field_colour_bar(const Gan2dView& v, float height) {
  const float em = ImGui::GetFontSize();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImVec2 c = ImGui::GetCursorScreenPos();
  const float bw = 0.9f * em;
  const float top = c.y + 0.5f * em, bottom = c.y + height - 0.5f * em;
  // Short titles (the bar is only as tall as the plane); cut with "…" rather than run past the bar.
  const std::string title = ui::fit_text(v.field_is_prob ? tr("D(x) = p(real)") : tr("D(x): critic score"), bottom - top);
  ImVec2 ts = ImGui::CalcTextSize(title.c_str());
  const ImU32 axis = ui::axis_colour();
  // Title written bottom-to-top beside the bar.
  ui::add_text_vertical(dl, ImVec2(c.x, (top + bottom + ts.x) / 2), axis, title.c_str());
  const float x0 = c.x + 1.3f * em;
  const int n = 48;
  for (int k = 0; k < n; ++k) {
    float y0 = bottom - (bottom - top) * float(k + 1) / n, y1 = bottom - (bottom - top) * float(k) / n;
    dl->AddRectFilled(ImVec2(x0, y0), ImVec2(x0 + bw, y1 + 0.5f), field_colour((float(k) + 0.5f) / n));
  }
  dl->AddRect(ImVec2(x0, top), ImVec2(x0 + bw, bottom), axis);
  BarLabels l = bar_labels(v);
  auto label = [&](float y, const std::string& s) {
    dl->AddLine(ImVec2(x0 + bw, y), ImVec2(x0 + bw + 0.3f * em, y), axis);
    dl->AddText(ImVec2(x0 + bw + 0.4f * em, y - em / 2), axis, s.c_str());
  };
  label(top, l.hi);
  label((top + bottom) / 2, l.mid);
  label(bottom, l.lo);
  ImGui::Dummy(ImVec2(field_colour_bar_width(v), height));
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip(v.field_is_prob ? tr("Colour of the plane: the discriminator's probability that a point there is real.\nGreen: D says real (near 1). Purple: D says fake (near 0). Grey: D cannot tell (0.5).\nNow between %.4f and %.4f over the plane.")
                                      : tr("Colour of the plane: the critic's raw score D(x) (hinge and Wasserstein losses give no probability).\nGreen: higher = more real-looking. Purple: lower. The colours span the lowest to the highest score on the plane now: %.4g to %.4g."),
                      v.field_min, v.field_max);
}

// [SECTION] images
ImTextureID gan_image_texture(const std::string& key, const uint8_t* image) {
  float px[28 * 28];
  for (int i = 0; i < 28 * 28; ++i) px[i] = float(image[i]) / 255.0f;
  return ui::colormap_texture(key, px, 28, 28, Colormap::grey, 0.0f, 1.0f, false);
}

bool gan_image(const std::string& key, const uint8_t* image, float side, bool outlined) {
  ImVec2 p = ImGui::GetCursorScreenPos();
  ImGui::GetWindowDrawList()->AddImage(gan_image_texture(key, image), p, ImVec2(p.x + side, p.y + side));
  if (outlined)
    ImGui::GetWindowDrawList()->AddRect(ImVec2(p.x - 2, p.y - 2), ImVec2(p.x + side + 2, p.y + side + 2),
                                        ImGui::GetColorU32(ImGuiCol_PlotLinesHovered), 0, 0, 2.0f);
  ImGui::Dummy(ImVec2(side, side));
  return ImGui::IsItemHovered();
}

void gan_class_headers(float side, float pitch, int highlight) {
  const float em = ImGui::GetFontSize();
  const float w = side - 0.1f * em;
  bool two_lines = false;
  for (int c = 0; c < kFashionClasses; ++c) two_lines = two_lines || ImGui::CalcTextSize(fashion_class(c)).x > w;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 o = ImGui::GetCursorScreenPos();
  for (int c = 0; c < kFashionClasses; ++c) {
    const std::string name = fashion_class(c);
    std::string a = name, b;
    if (two_lines && ImGui::CalcTextSize(name.c_str()).x > w) {
      const size_t slash = name.find('/'), space = name.find(' ');
      if (slash != std::string::npos) a = name.substr(0, slash + 1), b = name.substr(slash + 1);  // "T-shirt/" "top"
      else if (space != std::string::npos) a = name.substr(0, space), b = name.substr(space + 1);  // "Ankle" "boot"
    }
    const ImU32 col = c == highlight ? ImGui::GetColorU32(ImGuiCol_PlotLinesHovered) : ui::axis_colour();
    const float x = o.x + c * pitch;
    dl->AddText(ImVec2(x, o.y), col, ui::fit_text(a, w).c_str());
    if (!b.empty()) dl->AddText(ImVec2(x, o.y + ImGui::GetTextLineHeight()), col, ui::fit_text(b, w).c_str());
  }
  ImGui::Dummy(ImVec2(kFashionClasses * pitch, ImGui::GetTextLineHeight() * (two_lines ? 2 : 1)));
  // the full name on hover
  const ImVec2 m = ImGui::GetIO().MousePos;
  if (ImGui::IsItemHovered()) {
    const int c = int((m.x - o.x) / pitch);
    if (c >= 0 && c < kFashionClasses) ImGui::SetTooltip(tr("class %d: %s"), c, fashion_class(c));
  }
}

}  // namespace gb::app
