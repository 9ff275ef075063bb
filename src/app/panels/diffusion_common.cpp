// Helpers shared by the diffusion panels (see diffusion_common.hpp).
#include "app/panels/diffusion_common.hpp"

#include <algorithm>
#include <cmath>

#include "app/panels/transformer_inspect.hpp"
#include "app/widgets/draw_util.hpp"
#include "models/data/fashion_mnist.hpp"
#include "core/i18n.hpp"

namespace gb::app {

DiffusionLab* diffusion_lab(PanelContext& ctx) {
  for (Lab* l : ctx.session.labs())
    if (auto* d = dynamic_cast<DiffusionLab*>(l)) return d;
  return nullptr;
}

bool diffusion_ready(DiffusionLab* lab) {
  if (!lab) {
    note(tr("This session has no diffusion lab."));
    return false;
  }
  std::string err;
  if (!lab->ensure_model(err) || !lab->sampler()) {
    accent_text(tr("No diffusion model is loaded."));
    note("%s", err.empty() ? tr("The model could not be loaded.") : err.c_str());
    return false;
  }
  return true;
}

CommandResult diffusion_run(PanelContext& ctx, const std::string& cmd) { return ctx.run("diffusion " + cmd); }
bool diffusion_allows(PanelContext& ctx, const std::string& cmd) { return ctx.allows("diffusion " + cmd); }

const char* diffusion_data_label(const std::string& data) {
  if (data == "moons") return tr("moons");
  if (data == "swiss-roll") return tr("swiss-roll");
  if (data == "rings") return tr("rings");
  if (data == "gaussians") return tr("gaussians");
  if (data == "drawn") return tr("drawn");
  return data == "fashion-mnist" ? "fashion-mnist" : "?";
}

const char* diffusion_class_name(int label) {
  return label >= 0 && label < kFashionClasses ? fashion_class(label) : tr("no class");
}

// [SECTION] large pictures on the fixed colour scale

namespace {
// Marker colours that stand out on each map's end colours: grey ends white (above) / black (below);
// the diverging map ends dark red / dark blue.
ImU32 mark_colour(DiffusionPicture kind, bool above) {
  if (kind == DiffusionPicture::noise) return IM_COL32(240, 228, 66, 255);                 // yellow
  return above ? IM_COL32(213, 94, 0, 255) : IM_COL32(86, 180, 233, 255);                  // vermillion, sky blue
}
Colormap picture_map(DiffusionPicture kind) { return kind == DiffusionPicture::noise ? Colormap::diverging : Colormap::grey; }
const char* kUp = "\xe2\x96\xb2";    // ▲
const char* kDown = "\xe2\x96\xbc";  // ▼
}  // namespace

float diffusion_scale_width() {
  const float em = ImGui::GetFontSize();
  return 0.5f * em + 0.9f * em + 0.6f * em + std::max(ImGui::CalcTextSize("\xe2\x88\x92" "0.5").x, ImGui::CalcTextSize("\xe2\x96\xb2 784").x - 1.5f * em) +
         0.3f * em;
}

ui::HeatmapHover diffusion_image(const char* id, const float* x, float side, DiffusionPicture kind, const char* value_name) {
  ui::HeatmapHover hover;
  ImGui::PushID(id);
  const float em = ImGui::GetFontSize();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const DiffusionColourRange r = diffusion_colour_range(kind, x, 784);
  const Colormap map = picture_map(kind);
  const ImVec2 p0 = ImGui::GetCursorScreenPos(), p1(p0.x + side, p0.y + side);
  ImTextureID tex = ui::colormap_texture("diffusion.image#" + std::to_string(ImGui::GetID("img")), x, 28, 28, map, r.lo, r.hi);
  if (tex) dl->AddImage(tex, p0, p1);
  else dl->AddRectFilled(p0, p1, ui::plot_bg_colour());
  dl->AddRect(ImVec2(p0.x - 1, p0.y - 1), ImVec2(p1.x + 1, p1.y + 1), ui::grid_colour());
  // ▲ / ▼ on the pixels beyond the scale (a triangle half a cell wide, at least 3 px)
  const float cell = side / 28;
  if (r.below + r.above > 0) {
    const float h = std::max(1.5f, 0.28f * cell);
    for (int i = 0; i < 784; ++i) {
      const bool above = r.is_above(x[i]), below = r.is_below(x[i]);
      if (!above && !below) continue;
      const ImVec2 c(p0.x + (i % 28 + 0.5f) * cell, p0.y + (i / 28 + 0.5f) * cell);
      const ImU32 col = mark_colour(kind, above);
      if (above) dl->AddTriangleFilled(ImVec2(c.x, c.y - h), ImVec2(c.x + h, c.y + h), ImVec2(c.x - h, c.y + h), col);
      else dl->AddTriangleFilled(ImVec2(c.x - h, c.y - h), ImVec2(c.x + h, c.y - h), ImVec2(c.x, c.y + h), col);
    }
  }
  // hover
  ImGui::InvisibleButton("img", ImVec2(side, side));  // i18n: keep (an ImGui id)
  if (ImGui::IsItemHovered()) {
    const ImVec2 m = ImGui::GetIO().MousePos;
    const int col = std::clamp(int((m.x - p0.x) / cell), 0, 27), row = std::clamp(int((m.y - p0.y) / cell), 0, 27);
    hover.hovered = true;
    hover.row = row;
    hover.col = col;
    hover.value = x[row * 28 + col];
    hover.clicked = ImGui::IsItemClicked(ImGuiMouseButton_Left);
    dl->AddRect(ImVec2(p0.x + col * cell, p0.y + row * cell), ImVec2(p0.x + (col + 1) * cell, p0.y + (row + 1) * cell),
                IM_COL32(255, 255, 255, 255), 0, 0, 2.0f);
    ImGui::BeginTooltip();
    ImGui::Text(tr("pixel row %d, column %d"), row, col);
    ImGui::Text("%s: %.3f", value_name, hover.value);
    if (r.is_above(hover.value) || r.is_below(hover.value))
      ImGui::Text(tr("%s beyond the colour scale (%+g): drawn at its end colour"), r.is_above(hover.value) ? kUp : kDown,
                  r.is_above(hover.value) ? r.hi : r.lo);
    ImGui::EndTooltip();
  }
  // the colour bar, its ends counting the marked pixels
  ImGui::SameLine(0, 0.5f * em);
  const ImVec2 b0 = ImGui::GetCursorScreenPos();
  const float count_h = 1.1f * em;
  ImGui::SetCursorScreenPos(ImVec2(b0.x, b0.y + count_h));
  ui::colour_scale("bar", map, r.lo, r.hi, ImVec2(diffusion_scale_width() - 0.5f * em, std::max(2.0f * em, side - 2 * count_h)),
                   "%.3g");
  const ImU32 dim = ui::grid_colour();
  char buf[32];
  std::snprintf(buf, sizeof buf, "%s %d", kUp, r.above);
  dl->AddText(b0, r.above ? mark_colour(kind, true) : dim, buf);
  std::snprintf(buf, sizeof buf, "%s %d", kDown, r.below);
  dl->AddText(ImVec2(b0.x, b0.y + side - em), r.below ? mark_colour(kind, false) : dim, buf);
  ImGui::SetCursorScreenPos(b0);
  ImGui::Dummy(ImVec2(diffusion_scale_width() - 0.5f * em, side));
  if (ImGui::IsItemHovered()) {
    ImGui::BeginTooltip();
    ImGui::Text(tr("Colour scale: %g … %+g, fixed: every %s picture in the diffusion panels uses it, whatever the data."),
                r.lo, r.hi, kind == DiffusionPicture::noise ? tr("noise") : "x_0 / x_t");
    if (kind == DiffusionPicture::model_space)
      ImGui::TextUnformatted(tr("−1 = black background, +1 = white ink (a Fashion-MNIST picture's range)."));
    else
      ImGui::Text(tr("Standard normal noise: 99.7%% of it lies within ±3; 0 is the neutral colour."));
    ImGui::Text(tr("%s %d pixels above %+g: drawn at the top colour and marked %s in the picture."), kUp, r.above, r.hi + r.slack, kUp);
    ImGui::Text(tr("%s %d pixels below %g: drawn at the bottom colour and marked %s."), kDown, r.below, r.lo - r.slack, kDown);
    ImGui::TextDisabled(tr("(a pixel within %g of an end looks the same as the end colour and is not marked)"), r.slack);
    ImGui::EndTooltip();
  }
  ImGui::PopID();
  return hover;
}

void diffusion_thumbnail(const std::string& key, const float* x, ImVec2 p0, float side, float lo, float hi) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImTextureID tex = ui::colormap_texture(key, x, 28, 28, Colormap::grey, lo, hi);
  ImVec2 p1(p0.x + side, p0.y + side);
  if (tex) dl->AddImage(tex, p0, p1);
  else dl->AddRectFilled(p0, p1, ui::plot_bg_colour());
}

void diffusion_points_thumbnail(const float* xy, int n, ImVec2 p0, ImVec2 size, float lim, ImU32 col) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddRectFilled(p0, ImVec2(p0.x + size.x, p0.y + size.y), ui::plot_bg_colour());
  const float s = std::min(size.x, size.y) / (2 * lim);
  const ImVec2 c(p0.x + size.x / 2, p0.y + size.y / 2);
  const float r = std::max(1.0f, 0.012f * std::min(size.x, size.y));
  for (int i = 0; i < n; ++i) {
    float px = c.x + xy[2 * i] * s, py = c.y - xy[2 * i + 1] * s;
    if (px < p0.x || py < p0.y || px > p0.x + size.x || py > p0.y + size.y) continue;
    dl->AddRectFilled(ImVec2(px - r, py - r), ImVec2(px + r, py + r), col);
  }
}

void diffusion_grey_legend() {
  const float em = ImGui::GetFontSize();
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(tr("colour scale: −1 (background)"));
  ImGui::SameLine();
  const ImVec2 p0 = ImGui::GetCursorScreenPos();
  const float w = 8 * em, h = 0.9f * em;
  const float y = p0.y + (ImGui::GetFrameHeight() - h) / 2;
  ImGui::GetWindowDrawList()->AddRectFilledMultiColor(ImVec2(p0.x, y), ImVec2(p0.x + w, y + h), IM_COL32(0, 0, 0, 255),
                                                      IM_COL32(255, 255, 255, 255), IM_COL32(255, 255, 255, 255),
                                                      IM_COL32(0, 0, 0, 255));
  ImGui::GetWindowDrawList()->AddRect(ImVec2(p0.x, y), ImVec2(p0.x + w, y + h), ui::axis_colour());
  ImGui::Dummy(ImVec2(w, ImGui::GetFrameHeight()));
  const bool hovered = ImGui::IsItemHovered();
  ImGui::SameLine();
  ImGui::TextUnformatted(tr("+1 (ink)"));
  if (hovered || ImGui::IsItemHovered())
    ImGui::SetTooltip(tr("Pixel values in model space: −1 = black background (byte 0), +1 = white (byte 255).\nThe same fixed scale as the large pictures. Noisy pictures go beyond −1 … 1; those\npixels are shown black or white here (the large pictures mark them ▲ / ▼)."));
}

// The presets' summaries (lab/diffusion_lab.cpp diffusion_presets) are shown through tr(text); listed here as tr()
// literals so the translation test and tools/i18n_extract.py find them. Keep in step with diffusion_presets (an
// unlisted summary is shown in English). Never called.
[[maybe_unused]] static void preset_texts_for_translators() {
  tr("DDIM, 50 steps, guidance 2.5: a clear picture of the class asked for");
  tr("DDIM, 50 steps: the points land on the shape");
  tr("DDPM, all 1000 steps, guidance 2.5: the original slow sampler, also good");
  tr("DDPM, all 1000 steps: the original slow sampler, also good");
  tr("DDIM with only 10 steps: still a good picture (DDIM can take big jumps)");
  tr("DDIM with only 10 steps: still close to the shape (DDIM can take big jumps)");
  tr("DDPM with only 5 steps: each jump is too big, so noise is left in the picture");
  tr("DDPM with only 5 steps: each jump is too big, so the points end as a blurred cloud instead of the shape");
  tr("guidance 1 (plain conditional, no boost): vaguer shapes, sometimes the wrong kind of clothing");
  tr("guidance 0: the class is ignored, you get some random piece of clothing");
  tr("guidance 20: pushed too far, harsh black-and-white pictures with odd details");
}

void diffusion_preset_button(PanelContext& ctx, const DiffusionPreset& p, bool current, bool image) {
  const ImVec4 col = p.works ? ImVec4(0.15f, 0.55f, 0.25f, current ? 1.0f : 0.65f) : ImVec4(0.70f, 0.20f, 0.15f, current ? 1.0f : 0.65f);
  ImGui::PushStyleColor(ImGuiCol_Button, col);
  ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1, 1, 1, 1));
  if (diffusion_allows(ctx, std::string("preset ") + p.name) && ImGui::Button(p.name)) diffusion_run(ctx, std::string("preset ") + p.name);
  ImGui::PopStyleColor(2);
  if (!ImGui::IsItemHovered()) return;
  const char* kind = p.kind == SamplerKind::ddpm ? "DDPM" : "DDIM";
  if (image)
    ImGui::SetTooltip(tr("%s\n%s: %s, %d steps, guidance %.3g%s"), tr(p.summary), p.works ? tr("works") : tr("fails on purpose"), kind, p.steps,
                      p.guidance, current ? tr("\n(applied now)") : "");
  else
    ImGui::SetTooltip(tr("%s\n%s: %s, %d steps%s"), tr(diffusion_preset_summary(p, false)), p.works ? tr("works") : tr("fails on purpose"), kind,
                      p.steps, current ? tr("\n(applied now)") : "");
}

int diffusion_byte(float v) { return std::clamp(int(std::lround((v + 1.0f) * 127.5f)), 0, 255); }

}  // namespace gb::app
