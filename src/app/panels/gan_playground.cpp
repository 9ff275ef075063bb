// 2D GAN playground (GAN Lab, natively): real points (green discs) and generated points (purple crosses) over the
// discriminator's output D(x) coloured across the plane, an arrow on each generated point showing
// where the generator's loss pushes it, and the controls: Step D / Step G / Step (k D-steps per
// G-step), Run/Pause, Back, speed, data set (click to draw points for "custom"), presets, loss,
// optimiser, learning rates, k and seed. Every action is a `gan …` command.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include <imgui.h>

#include "app/panels/gan_common.hpp"
#include "app/panels/registry.hpp"
#include "app/panels/transformer_inspect.hpp"
#include "app/widgets/draw_util.hpp"
#include "app/widgets/heatmap.hpp"
#include "app/widgets/setting_slider.hpp"
#include "lab/lab_settings.hpp"
#include "core/i18n.hpp"

namespace gb::app {

namespace {

struct PlaygroundView {
  bool arrows = true;     // show G's gradient arrows
  bool show_real = true;  // show the real points
  float lr_g = 0, lr_d = 0;  // slider positions while dragging (committed on release)
  bool editing_lr = false;
  bool drawing = false;   // "custom" chosen: clicks in the plane add points
  int last_kind = -1;     // data set shown last frame (a change from elsewhere ends drawing mode)
};
PlaygroundView g_pg;

const char* kDatasets[] = {"ring", "grid", "moons", "spiral", "custom"};
const char* kLosses[] = {"ns", "hinge", "wgan-gp"};
// The losses in words, in the current language.
const char* loss_words(int k) {
  return k == 0 ? tr("non-saturating (ns)") : k == 1 ? tr("hinge") : tr("Wasserstein + gradient penalty (wgan-gp)");
}

std::string fmt_g(const char* f, double v) {
  char b[64];
  std::snprintf(b, sizeof b, f, v);
  return b;
}

// Width for a widget followed by `label`: what is left of the line, between 5 and `max_em` font heights.
float item_width(const char* label, float max_em) {
  const float em = ImGui::GetFontSize();
  const float w = ImGui::GetContentRegionAvail().x - ImGui::CalcTextSize(label).x - ImGui::GetStyle().ItemInnerSpacing.x;
  return std::clamp(w, 5 * em, max_em * em);
}

// One picture of markers over the plane and the hash of what it shows.
struct PointLayer {
  std::vector<ImU32> pixels;
  uint64_t key = 0;
};

void draw_arrow(ImDrawList* dl, ImVec2 a, ImVec2 b, ImU32 col, float thick, float head) {
  dl->AddLine(a, b, col, thick);
  float dx = b.x - a.x, dy = b.y - a.y, len = std::sqrt(dx * dx + dy * dy);
  if (len < 1.5f) return;
  dx /= len, dy /= len;
  head = std::min(head, len * 0.6f);
  ImVec2 l(b.x - dx * head - dy * head * 0.5f, b.y - dy * head + dx * head * 0.5f);
  ImVec2 r(b.x - dx * head + dy * head * 0.5f, b.y - dy * head - dx * head * 0.5f);
  dl->AddTriangleFilled(b, l, r, col);
}

}  // namespace

// The presets' summaries (models/gan/gan2d.cpp gan2d_presets) are shown through tr(text); listed here as tr() literals
// so the translation test and tools/i18n_extract.py find them. Keep in step with gan2d_presets (an unlisted summary
// is shown in English). Never called.
[[maybe_unused]] static void preset_texts_for_translators() {
  tr("8 Gaussians on a ring, non-saturating loss, Adam: learns all 8 modes");
  tr("5×5 grid of Gaussians, hinge loss (hard: most of the 25 modes are found, rarely all)");
  tr("two interleaved half-moons");
  tr("one spiral arm (harder: a long thin curve)");
  tr("ring with the Wasserstein loss and gradient penalty, 5 critic steps per G step");
  tr("ring trained with plain SGD (momentum 0.5) instead of Adam");
  tr("ring with a strong generator and a weak discriminator: G piles its points on a few modes");
}

// [SECTION] One frame of the panel: the lab's 2D GAN and its view, one function per part of the panel

struct PlaygroundFrame {
  PanelContext& ctx;
  GanLab* lab;
  float em;
  const Gan2d& toy;
  const Gan2dConfig& cfg;
  const Gan2dView& v;

  CommandResult run(const std::string& line) const { return gan_run(ctx, *lab, "2d", line); }
  void toolbar();
  void plane(float side);
  void status();
  void settings(bool collapsible);
};

void PlaygroundFrame::toolbar() {
  // [SECTION] toolbar: stepping
  if (gan_allows(ctx, "step d") && ImGui::Button(tr("Step D"))) run("step d");
  if (ImGui::IsItemHovered()) ImGui::SetTooltip(tr("One discriminator update: D learns to tell real points from the current fakes."));
  same_line_if_fits(ImGui::CalcTextSize(tr("Step G")).x + 2 * em);
  if (gan_allows(ctx, "step g") && ImGui::Button(tr("Step G"))) run("step g");
  if (ImGui::IsItemHovered()) ImGui::SetTooltip(tr("One generator update: every fake point moves along its arrow."));
  char step_label[96];
  std::snprintf(step_label, sizeof step_label, tr("Step (%d D + 1 G)"), cfg.k_d);
  same_line_if_fits(ImGui::CalcTextSize(step_label).x + 2 * em);
  if (gan_allows(ctx, "step") && ImGui::Button(step_label)) run("step");
  if (ImGui::IsItemHovered()) ImGui::SetTooltip(tr("k = %d discriminator updates, then one generator update."), cfg.k_d);
  same_line_if_fits(ImGui::CalcTextSize(tr("Pause")).x + 2 * em);
  if (gan_allows(ctx, lab->running() ? "pause" : "run") && ImGui::Button(lab->running() ? tr("Pause") : tr("Run"))) run(lab->running() ? "pause" : "run");
  if (ImGui::IsItemHovered()) ImGui::SetTooltip(tr("Run: train continuously at %.0f steps per second."), lab->speed());
  same_line_if_fits(ImGui::CalcTextSize(tr("Back")).x + 2 * em);
  ImGui::BeginDisabled(lab->undo_depth() == 0);
  if (gan_allows(ctx, "back") && ImGui::Button(tr("Back"))) run("back");
  ImGui::EndDisabled();
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
    ImGui::SetTooltip(tr("Undo the last step or setting change (%zu kept)."), lab->undo_depth());
  same_line_if_fits(ImGui::CalcTextSize(tr("Reset")).x + 2 * em);
  if (gan_allows(ctx, "reset") && ImGui::Button(tr("Reset"))) run("reset");
  if (ImGui::IsItemHovered()) ImGui::SetTooltip(tr("Fresh untrained networks with the same settings and seed."));
  same_line_if_fits(ui::labelled_width(6 * em, tr("steps/s")));
  {
    float speed = lab->speed();
    ImGui::SetNextItemWidth(6 * em);
    if (ui::setting_slider("gan", "speed", tr("steps/s"), speed, "%.0f", false))
      run("speed " + fmt_g("%.0f", speed));
    if (ImGui::IsItemHovered()) ImGui::SetTooltip(tr("Run-mode speed: full steps per second (fewer if the computer cannot keep up)."));
  }

  // [SECTION] toolbar: data and preset
  ImGui::SetNextItemWidth(7 * em);
  int ds = int(cfg.data.kind);
  if (ds != g_pg.last_kind) g_pg.drawing = ds == int(ToyDataset::custom);
  g_pg.last_kind = ds;
  // The data sets' names as shown (the command words stay English: `gan dataset ring`).
  const char* shown[] = {tr("ring"), tr("grid"), tr("moons"), tr("spiral"), tr("custom")};
  if (ImGui::Combo(tr("data"), &ds, shown, 5)) {
    g_pg.drawing = ds == int(ToyDataset::custom);
    if (g_pg.drawing && lab->drawn_points().size() < 4)
      ctx.run("gan mode 2d");  // nothing to train on yet: the note below says how to draw
    else
      run(std::string("dataset ") + kDatasets[ds]);
  }
  if (g_pg.drawing) ds = int(ToyDataset::custom);
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip(tr("The real distribution the generator must learn to imitate.\ncustom: click in the plane to draw your own points."));
  same_line_if_fits(ui::labelled_width(9 * em, tr("preset")));
  ImGui::SetNextItemWidth(9 * em);
  // The box shows the preset whose settings are in force, or that they were changed by hand.
  const std::string current = lab->preset();
  if (ImGui::BeginCombo(tr("preset"), current.empty() ? tr("(own settings)") : current.c_str())) {
    for (const auto& p : gan2d_presets()) {
      if (ImGui::Selectable(p.name.c_str(), p.name == current)) run("preset " + p.name);
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr(p.summary.c_str()));
    }
    ImGui::EndCombo();
  }
  if (ImGui::IsItemHovered()) {
    if (current.empty())
      ImGui::SetTooltip(tr("The settings were changed by hand: no preset has them. Pick one to start again from its settings."));
    else
      for (const auto& p : gan2d_presets())
        if (p.name == current) ImGui::SetTooltip(tr("preset %s: %s\n(picking a preset starts fresh networks)"), p.name.c_str(), tr(p.summary.c_str()));
  }
  same_line_if_fits(6 * em);
  ImGui::Checkbox(tr("arrows"), &g_pg.arrows);
}

void PlaygroundFrame::plane(float side) {
  // [SECTION] the plane
  Plane p = plane_begin("##plane", side, v.lo, v.hi, "x1", "x2");
  ImDrawList* dl = ImGui::GetWindowDrawList();
  draw_field(p, v);
  const float r = std::max(2.0f, 0.2f * em);
  const size_t n_real = v.real.size() / 2, n_fake = v.fake.size() / 2;
  // The real points and the generated ones are two pictures of the plane's pixels (the same 4×4-sampled shapes as
  // the marker sprites), redrawn when the points move: 8 vertices instead of 4 per real point and 8 per generated
  // one (1,200 points in Run mode). The crosses of drawn points lie between them, as before.
  const ImVec2 top_left(std::floor(p.p0.x), std::floor(p.p0.y));  // texels on whole pixels
  const int tw = std::max(1, int(std::lround(p.p1.x - top_left.x))), th = std::max(1, int(std::lround(p.p1.y - top_left.y)));
  auto layer = [&](const char* key, const std::vector<float>& xy, bool fake, PointLayer& L) {
    const uint64_t state[] = {uint64_t(tw), uint64_t(th), uint64_t(fake ? fake_colour() : real_colour()),
                              uint64_t(std::lround(r * 64)), uint64_t(xy.size())};
    uint64_t h = 1469598103934665603ull;
    auto mix = [&h](const void* d, size_t n) {
      for (size_t i = 0; i < n; ++i) h = (h ^ static_cast<const unsigned char*>(d)[i]) * 1099511628211ull;
    };
    mix(state, sizeof state);
    const float range[2] = {v.lo, v.hi};
    mix(range, sizeof range);
    mix(xy.data(), xy.size() * sizeof(float));
    if (h != L.key || L.pixels.size() != size_t(tw) * size_t(th)) {
      std::vector<ui::MarkerPoint> pts;
      pts.reserve(xy.size());
      for (size_t i = 0; i + 1 < xy.size(); i += 2) {
        const ImVec2 q = p.px(xy[i], xy[i + 1]);
        const float x = q.x - top_left.x, y = q.y - top_left.y;
        if (fake) {  // a cross (real points are discs: the shape tells them apart without colour), on a light rim
          pts.push_back({x, y, 5, IM_COL32(255, 255, 255, 140), r + 1.0f});
          pts.push_back({x, y, 5, fake_colour(), r});
        } else {
          pts.push_back({x, y, 0, real_colour(), r});  // a disc
        }
      }
      ui::rasterise_markers(L.pixels, tw, th, pts, r);
      L.key = h;
    }
    if (ImTextureID tex = ui::rgba_texture(key, L.pixels.data(), tw, th, false, L.key))
      dl->AddImage(tex, top_left, ImVec2(top_left.x + float(tw), top_left.y + float(th)));
  };
  static PointLayer real_layer, fake_layer;
  if (g_pg.show_real && n_real > 0) layer("gan.playground.real", v.real, false, real_layer);
  // drawn points (custom data): small crosses
  const auto& drawn = lab->drawn_points();
  for (size_t i = 0; i + 1 < drawn.size(); i += 2) {
    ImVec2 q = p.px(drawn[i], drawn[i + 1]);
    dl->AddLine(ImVec2(q.x - r * 1.6f, q.y), ImVec2(q.x + r * 1.6f, q.y), IM_COL32(255, 255, 255, 230), 1.5f);
    dl->AddLine(ImVec2(q.x, q.y - r * 1.6f), ImVec2(q.x, q.y + r * 1.6f), IM_COL32(255, 255, 255, 230), 1.5f);
  }
  if (n_fake > 0) layer("gan.playground.fake", v.fake, true, fake_layer);
  // Arrows: length ∝ gradient, the 90th-percentile arrow drawn 7% of the plane long.
  float arrow_scale = 0;
  if (g_pg.arrows && !v.arrows.empty()) {
    std::vector<float> norms;
    for (const auto& a : v.arrows) norms.push_back(std::sqrt(a.gx * a.gx + a.gy * a.gy));
    std::vector<float> sorted = norms;
    std::nth_element(sorted.begin(), sorted.begin() + sorted.size() * 9 / 10, sorted.end());
    const float ref = std::max(sorted[sorted.size() * 9 / 10], 1e-12f);
    arrow_scale = 0.07f * (v.hi - v.lo) / ref;
    const ImU32 ac = IM_COL32(255, 255, 255, 220);
    for (size_t i = 0; i < v.arrows.size(); ++i) {
      const auto& a = v.arrows[i];
      float gx = a.gx * arrow_scale, gy = a.gy * arrow_scale;
      const float len = std::sqrt(gx * gx + gy * gy), cap = 0.2f * (v.hi - v.lo);
      if (len > cap) gx *= cap / len, gy *= cap / len;
      // A whole-pixel width: ImGui draws such lines from its line texture (4 vertices, not 8 for a fractional width).
      draw_arrow(dl, p.px(a.x, a.y), p.px(a.x + gx, a.y + gy), ac, std::max(1.0f, std::round(0.08f * em)), 0.45f * em);
    }
  }
  // Hover: the nearest point, or the plane itself.
  int hover_real = -1, hover_fake = -1;
  if (p.hovered) {
    ImVec2 mouse = ImGui::GetIO().MousePos;
    float best = (0.6f * em) * (0.6f * em);
    for (size_t i = 0; i < n_fake; ++i) {
      ImVec2 q = p.px(v.fake[2 * i], v.fake[2 * i + 1]);
      float d = (q.x - mouse.x) * (q.x - mouse.x) + (q.y - mouse.y) * (q.y - mouse.y);
      if (d < best) best = d, hover_fake = int(i), hover_real = -1;
    }
    if (g_pg.show_real)
      for (size_t i = 0; i < n_real; ++i) {
        ImVec2 q = p.px(v.real[2 * i], v.real[2 * i + 1]);
        float d = (q.x - mouse.x) * (q.x - mouse.x) + (q.y - mouse.y) * (q.y - mouse.y);
        if (d < best) best = d, hover_real = int(i), hover_fake = -1;
      }
  }
  plane_end(p);
  if (p.hovered) {
    const bool ns = cfg.loss == GanLoss::ns;
    auto d_text = [&](float x, float y) {
      const float s = toy.disc_score(x, y);
      return ns ? fmt_g("D(x) = \xcf\x83(%.3f) = ", s) + fmt_g(tr("%.4f  (probability real)"), sigmoid(s))
                : fmt_g(tr("D(x) = %.4f  (critic score; higher = more real-looking)"), s);
    };
    ImGui::BeginTooltip();
    if (hover_fake >= 0) {
      const float x = v.fake[2 * size_t(hover_fake)], y = v.fake[2 * size_t(hover_fake) + 1];
      dl->AddCircle(p.px(x, y), r + 3, IM_COL32(255, 255, 255, 255), 16, 2.0f);
      ImGui::Text(tr("generated point G(z) #%d"), hover_fake);
      ImGui::Text("x = (%.4f, %.4f)", x, y);
      ImGui::TextUnformatted(d_text(x, y).c_str());
      if (size_t(hover_fake) < v.arrows.size()) {
        const auto& a = v.arrows[size_t(hover_fake)];
        ImGui::Text(tr("arrow: −∂Loss_G/∂x = (%.4g, %.4g), length %.4g"), a.gx, a.gy,
                    std::sqrt(a.gx * a.gx + a.gy * a.gy));
        ImGui::TextDisabled(tr("the direction the generator's update pushes this point"));
      }
    } else if (hover_real >= 0) {
      const float x = v.real[2 * size_t(hover_real)], y = v.real[2 * size_t(hover_real) + 1];
      dl->AddCircle(p.px(x, y), r + 3, IM_COL32(255, 255, 255, 255), 16, 2.0f);
      ImGui::Text(tr("real point #%d (from the %s data)"), hover_real, toy_dataset_name(cfg.data.kind));
      ImGui::Text("x = (%.4f, %.4f)", x, y);
      ImGui::TextUnformatted(d_text(x, y).c_str());
    } else {
      ImGui::Text("x = (%.3f, %.3f)", p.mx, p.my);
      ImGui::TextUnformatted(d_text(p.mx, p.my).c_str());
      if (g_pg.drawing)
        ImGui::TextDisabled(tr("click: add a point to your data set here"));
    }
    ImGui::EndTooltip();
    if (p.clicked && g_pg.drawing && hover_fake < 0) run("point " + fmt_g("%.3f", p.mx) + " " + fmt_g("%.3f", p.my));
  }
  ImGui::SameLine();
  field_colour_bar(v, side + 0.3f * em);
}

void PlaygroundFrame::status() {
  // [SECTION] what is shown, in words and numbers
  const auto& h = toy.history();
  const ModeCoverage& cov = lab->coverage();
  ImGui::Text(tr("step %lld (%lld D updates)"), (long long)toy.g_steps(), (long long)toy.d_steps());
  same_line_if_fits(ImGui::CalcTextSize(tr(" ● real")).x);
  ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(real_colour()), tr(" ● real"));
  same_line_if_fits(ImGui::CalcTextSize(tr("× generated")).x);
  ImGui::TextColored(ImVec4(0.72f, 0.55f, 1.0f, 1.0f), tr("× generated"));  // × like the points
  same_line_if_fits(ImGui::CalcTextSize(tr(" modes covered 25/25")).x);
  ImGui::Text(tr(" modes covered %d/%d"), cov.covered, cov.modes);
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip(tr("Of %d reference modes (clusters or anchor points of the real data), %d receive at least a fifth of their fair share of 1000 generated points.\n%.0f%% of generated points lie near some mode; their spread is %.2f× the real data's (much less than 1: collapse)."),
                      cov.modes, cov.covered, 100.0 * cov.quality, cov.spread);
  if (!h.empty()) {
    note(tr("last losses: D %.4f, G %.4f;  %s, %s, lr G %.2g / D %.2g, k %d"), h.back().d_loss, h.back().g_loss,
         gan_loss_name(cfg.loss), optim_name(cfg.optim), cfg.lr_g, cfg.lr_d, cfg.k_d);
  }
  if (g_pg.drawing && cfg.data.kind != ToyDataset::custom)
    accent_text(tr("Click in the plane to draw points (at least two different ones); the GAN then learns your drawing."));
}

void PlaygroundFrame::settings(bool collapsible) {
  // [SECTION] settings
  if (!collapsible || ImGui::CollapsingHeader(tr("Settings: loss, optimiser, learning rates, k, seed"))) {
    int li = int(cfg.loss);
    // As wide as the chosen loss's name when the line has room; in a narrow panel its short name ("wgan-gp").
    const ImVec2 fp = ImGui::GetStyle().FramePadding;
    const float arrow = ImGui::GetFrameHeight();
    const float loss_w = std::max(5 * em, std::min(ImGui::CalcTextSize(loss_words(li)).x + 2 * fp.x + arrow + 0.5f * em,
                                                   item_width(tr("loss (?)    "), 100)));
    const bool fits = ImGui::CalcTextSize(loss_words(li)).x + 2 * fp.x + arrow <= loss_w;
    ImGui::SetNextItemWidth(loss_w);
    if (ImGui::BeginCombo(tr("loss"), fits ? loss_words(li) : kLosses[li])) {
      for (int k = 0; k < 3; ++k)
        if (ImGui::Selectable(loss_words(k), k == li)) run(std::string("loss ") + kLosses[k]);
      ImGui::EndCombo();
    }
    ImGui::SameLine();
    help_marker(tr("ns: D maximises log D(real) + log(1 − D(fake)); G maximises log D(G(z)) (strong gradients even when D easily spots fakes).\nhinge: D wants scores ≥ 1 on real and ≤ −1 on fake; G raises D's score on its points.\nwgan-gp: D is a critic giving a score (no probability); a gradient penalty keeps its slope near 1."));
    int oi = int(cfg.optim);
    const char* optims[] = {"Adam", "SGD"};  // i18n: keep (optimiser names)
    ImGui::SetNextItemWidth(8 * em);
    if (ImGui::Combo(tr("optimiser"), &oi, optims, 2)) run(oi == 0 ? "optim adam" : "optim sgd");
    same_line_if_fits(ui::labelled_width(7 * em, tr("k (D steps per G step)")));
    int k = cfg.k_d;
    ImGui::SetNextItemWidth(item_width(tr("k (D steps per G step)"), 7));  // narrower in the side column
    if (ImGui::InputInt(tr("k (D steps per G step)"), &k)) run("k " + std::to_string(k));  // out of range: the command says why
    if (ImGui::IsItemHovered()) {
      const std::string help = setting_tooltip("gan", "k");
      ImGui::SetTooltip("%s", help.c_str());
    }
    if (!g_pg.editing_lr) g_pg.lr_g = cfg.lr_g, g_pg.lr_d = cfg.lr_d;
    ImGui::SetNextItemWidth(item_width(tr("G learning rate"), 12));
    ui::setting_slider("gan", "lr-g", tr("G learning rate"), g_pg.lr_g, "%.2e", false);
    bool active = ImGui::IsItemActive();
    if (ImGui::IsItemDeactivatedAfterEdit()) run("lr " + fmt_g("%.3g", g_pg.lr_g) + " " + fmt_g("%.3g", cfg.lr_d));
    if (ImGui::IsItemHovered()) ImGui::SetTooltip(tr("Generator learning rate: how far each G update moves its weights."));
    ImGui::SetNextItemWidth(item_width(tr("D learning rate"), 12));
    ui::setting_slider("gan", "lr-d", tr("D learning rate"), g_pg.lr_d, "%.2e", false);
    active = active || ImGui::IsItemActive();
    if (ImGui::IsItemDeactivatedAfterEdit()) run("lr " + fmt_g("%.3g", cfg.lr_g) + " " + fmt_g("%.3g", g_pg.lr_d));
    if (ImGui::IsItemHovered()) ImGui::SetTooltip(tr("Discriminator learning rate: how far each D update moves its weights."));
    g_pg.editing_lr = active;
    int seed = int(cfg.seed);
    ImGui::SetNextItemWidth(8 * em);
    if (ImGui::InputInt(tr("seed"), &seed)) run("seed " + std::to_string(std::max(0, seed)));
    if (ImGui::IsItemHovered()) ImGui::SetTooltip(tr("New untrained networks and random stream from this seed (same seed, same run)."));
    same_line_if_fits(ui::labelled_width(ImGui::GetFrameHeight(), tr("real points")));
    ImGui::Checkbox(tr("real points"), &g_pg.show_real);
    if (cfg.data.kind == ToyDataset::custom || !lab->drawn_points().empty()) {
      same_line_if_fits(ImGui::CalcTextSize(tr("clear drawn points")).x + 2 * ImGui::GetStyle().FramePadding.x);
      if (gan_allows(ctx, "clear points") && ImGui::SmallButton(tr("clear drawn points"))) run("clear points");
    }
  }
}

void draw_gan_playground(PanelContext& ctx) {
  GanLab* lab = gan_lab(ctx);
  if (!lab) return;
  const Gan2d& toy = lab->toy();
  PlaygroundFrame f{ctx, lab, ImGui::GetFontSize(), toy, toy.config(), lab->view2d()};
  const float em = f.em;
  const Gan2dView& v = f.v;

  // [SECTION] layout: plane left and controls right when the panel is wide, else stacked
  const ImVec2 m = plane_margin();
  const float bar_w = field_colour_bar_width(v);
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float side_wide = avail.y - m.y - 0.6f * em;
  if (side_wide >= 12 * em && avail.x - (side_wide + m.x + bar_w + 1.0f * em) >= 16 * em) {
    ImGui::BeginGroup();
    f.plane(side_wide);
    ImGui::EndGroup();
    ImGui::SameLine(0, 0.8f * em);
    ImGui::BeginChild("##controls", ImVec2(0, 0));
    f.toolbar();
    f.status();
    ImGui::Spacing();
    f.settings(false);
    ImGui::Spacing();
    note(tr("Background: what the discriminator D says about each spot of the plane (green = real, purple = fake). Arrows: where the generator G would move each of its points to fool D. Hover anything for its numbers."));
    ImGui::EndChild();
    return;
  }
  f.toolbar();
  const float reserve_below = 3.2f * ImGui::GetTextLineHeightWithSpacing();
  const ImVec2 avail2 = ImGui::GetContentRegionAvail();
  const float side = std::max(std::min(avail2.x - m.x - bar_w - 0.5f * em, avail2.y - m.y - reserve_below), 10 * em);
  f.plane(side);
  f.status();
  f.settings(true);
  note(tr("Background: what the discriminator D says about each spot of the plane (green = real, purple = fake). Arrows: where the generator G would move each of its points to fool D. Hover anything for its numbers."));
}

GB_PANEL("gan.playground", draw_gan_playground);

}  // namespace gb::app
