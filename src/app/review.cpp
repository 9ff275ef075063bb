// `glassbox screenshot --review DIR`: a screenshot review you can repeat. Renders every workspace, every panel on
// its own and every lesson step (a predict step before and after the guess) at each UI scale into DIR, writes an
// index page (index.html), contact sheets (sheet-*.png: one look covers the whole app) and summary.json, and checks
// what a machine can see: text that ImGui clipped (a label wider than its panel, button or cell) and a panel a
// lesson step is about (`show`, or open/highlight) that is not on screen at that scale. Exit 1 when any is found.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <imgui.h>
#include <imgui_internal.h>
#include <nlohmann/json.hpp>
#include <stb/stb_easy_font.h>
#include <stb/stb_image_write.h>

#include "app/app.hpp"
#include "app/hooks.hpp"
#include "app/panels/registry.hpp"
#include "app/views.hpp"
#include "cli/args.hpp"
#include "core/error.hpp"
#include "core/files.hpp"
#include "lab/session.hpp"
#include "lab/settings.hpp"
#include "lab/transformer_lab.hpp"
#include "lab/diffusion_lab.hpp"
#include "lab/teach_lab.hpp"
#include "lab/vae_lab.hpp"
#include "lessons/lesson.hpp"
#include "models/transformer/train.hpp"

namespace gb::app {

namespace {

// [SECTION] Clipped text: glyph quads in the frame's draw lists that their clip rectangle cuts

struct Finding {
  std::string shot, kind, where, text, detail;
  bool defect = true;  // false: a warning (listed, does not fail the review)
  bool known = false;  // a defect listed in the --known file (an open issue with an owner): listed, does not fail
  std::string line() const { return shot + " | " + kind + " | " + where + " | " + text; }
};

// Atlas glyphs by a corner of their UV rectangle (in texels), so a quad cut on one side still finds its glyph.
struct GlyphIndex {
  std::map<std::pair<int, int>, std::pair<const ImFontGlyph*, int>> corner[4];  // TL, TR, BL, BR → glyph, codepoint
  float tw = 1, th = 1;
  void build() {
    ImFontAtlas* atlas = ImGui::GetIO().Fonts;
    tw = float(atlas->TexWidth), th = float(atlas->TexHeight);
    for (ImFont* f : atlas->Fonts)
      for (const ImFontGlyph& g : f->Glyphs) {
        if (!g.Visible) continue;
        int u0 = int(std::lround(g.U0 * tw)), v0 = int(std::lround(g.V0 * th));
        int u1 = int(std::lround(g.U1 * tw)), v1 = int(std::lround(g.V1 * th));
        corner[0][{u0, v0}] = {&g, int(g.Codepoint)};
        corner[1][{u1, v0}] = {&g, int(g.Codepoint)};
        corner[2][{u0, v1}] = {&g, int(g.Codepoint)};
        corner[3][{u1, v1}] = {&g, int(g.Codepoint)};
      }
  }
  // The glyph whose UV rectangle holds (u0, v0)–(u1, v1), or nullptr.
  const std::pair<const ImFontGlyph*, int>* find(float u0, float v0, float u1, float v1) const {
    int x0 = int(std::lround(u0 * tw)), y0 = int(std::lround(v0 * th)), x1 = int(std::lround(u1 * tw)),
        y1 = int(std::lround(v1 * th));
    const std::pair<int, int> keys[4] = {{x0, y0}, {x1, y0}, {x0, y1}, {x1, y1}};
    for (int c = 0; c < 4; ++c) {
      auto it = corner[c].find(keys[c]);
      if (it != corner[c].end()) return &it->second;
    }
    return nullptr;
  }
};

struct GlyphQuad {
  float x0, y0, x1, y1;
  int codepoint;
  bool cut_left, cut_right, cut_top, cut_bottom;
};

std::string utf8(int cp) {
  std::string s;
  if (cp < 0x80) s += char(cp);
  else if (cp < 0x800) s += char(0xC0 | (cp >> 6)), s += char(0x80 | (cp & 0x3F));
  else s += char(0xE0 | (cp >> 12)), s += char(0x80 | ((cp >> 6) & 0x3F)), s += char(0x80 | (cp & 0x3F));
  return s;
}

// Every glyph of every text the last frame drew, window by window; a glyph is "cut" on a side when the scissor
// rectangle of its draw command cuts it there (ImGui's usual clipping) or when ImGui already trimmed its quad on the
// CPU (RenderTextClipped: buttons, combo previews, table cells).
void find_clipped_text(const std::string& shot, const GlyphIndex& index, std::vector<Finding>& out) {
  ImDrawData* dd = ImGui::GetDrawData();
  if (!dd) return;
  ImFontAtlas* atlas = ImGui::GetIO().Fonts;
  const ImVec2 white = atlas->TexUvWhitePixel;
  ImVec2 lines0(1, 1), lines1(0, 0);  // the baked anti-aliased lines' UV rectangle (not glyphs)
  if (atlas->PackIdLines >= 0) {
    const ImFontAtlasCustomRect* r = atlas->GetCustomRectByIndex(atlas->PackIdLines);
    lines0 = ImVec2(r->X / index.tw, r->Y / index.th);
    lines1 = ImVec2((r->X + r->Width) / index.tw, (r->Y + r->Height) / index.th);
  }
  const float tol = 1.0f;  // pixels: antialiasing fringes and rounding
  for (int l = 0; l < dd->CmdListsCount; ++l) {
    const ImDrawList* dl = dd->CmdLists[l];
    std::string owner = dl->_OwnerName ? dl->_OwnerName : "?";
    if (owner.rfind("##Tooltip", 0) == 0 || owner == "##Background" || owner == "##Foreground") continue;
    ImGuiWindow* win = ImGui::FindWindowByName(owner.c_str());
    for (const ImDrawCmd& cmd : dl->CmdBuffer) {
      if (cmd.UserCallback || cmd.TextureId != atlas->TexID) continue;
      const ImDrawIdx* idx = dl->IdxBuffer.Data + cmd.IdxOffset;
      const ImDrawVert* vtx = dl->VtxBuffer.Data + cmd.VtxOffset;
      std::vector<GlyphQuad> quads;
      for (unsigned k = 0; k + 6 <= cmd.ElemCount;) {
        unsigned i0 = idx[k];
        bool quad = idx[k + 1] == i0 + 1 && idx[k + 2] == i0 + 2 && idx[k + 3] == i0 && idx[k + 4] == i0 + 2 &&
                    idx[k + 5] == i0 + 3;
        if (!quad) {
          k += 3;
          continue;
        }
        k += 6;
        const ImDrawVert& a = vtx[i0];
        const ImDrawVert& c = vtx[i0 + 2];
        if (a.uv.x == white.x && a.uv.y == white.y) continue;  // a filled shape
        if (a.uv.x >= lines0.x && a.uv.x <= lines1.x && a.uv.y >= lines0.y && a.uv.y <= lines1.y) continue;
        if (a.uv.x == c.uv.x || a.uv.y == c.uv.y) continue;
        const auto* g = index.find(a.uv.x, a.uv.y, c.uv.x, c.uv.y);
        if (!g) continue;  // not a glyph of the fonts (an image drawn with the atlas)
        GlyphQuad q{a.pos.x, a.pos.y, c.pos.x, c.pos.y, g->second, false, false, false, false};
        const ImFontGlyph& gl = *g->first;
        const float eps = 0.5f / index.tw, epsv = 0.5f / index.th;
        q.cut_left = q.x0 < cmd.ClipRect.x - tol || a.uv.x > gl.U0 + eps;
        q.cut_right = q.x1 > cmd.ClipRect.z + tol || c.uv.x < gl.U1 - eps;
        q.cut_top = q.y0 < cmd.ClipRect.y - tol || a.uv.y > gl.V0 + epsv;
        q.cut_bottom = q.y1 > cmd.ClipRect.w + tol || c.uv.y < gl.V1 - epsv;
        quads.push_back(q);
      }
      // Group glyphs into lines of text (same baseline, in drawing order) and report each line with a cut glyph.
      // Whether the window scrolls matters for the top and bottom: a scrolling panel cuts its first and last
      // visible lines on purpose; the clip rectangle of a plot or a table cell does not scroll.
      // The edge is the window's own when the clip rectangle reaches it: text drawn with a clip rectangle of its own
      // (a token chip) inside a scrolling window is cut by the window's edge the same way.
      // A child window (a text box) partly below the edge of its scrolling panel is cut by the panel's edge.
      bool scroll_top = false, scroll_bottom = false;
      for (ImGuiWindow* w = win; w; w = (w->Flags & ImGuiWindowFlags_ChildWindow) ? w->ParentWindow : nullptr) {
        // Scrolls now, or will from the next frame: its content grew past its edge this frame (a loss curve that has
        // just appeared), and ImGui updates ScrollMax one frame late.
        const bool grew = !(w->Flags & ImGuiWindowFlags_NoScrollbar) && w->DC.CursorMaxPos.y > w->InnerRect.Max.y + 1;
        if (w->ScrollMax.y <= 0 && !grew) continue;
        const ImRect& in = w->InnerClipRect;
        scroll_top |= std::fabs(in.Min.y - cmd.ClipRect.y) < 2;
        scroll_bottom |= std::fabs(in.Max.y - cmd.ClipRect.w) < 2;
      }
      const bool scrolls_x = win && win->ScrollbarX;  // a scroll bar shows there is more to the side
      size_t s = 0;
      while (s < quads.size()) {
        size_t e = s + 1;
        const float em = atlas->Fonts.empty() ? 16.0f : atlas->Fonts[0]->FontSize;  // the UI font's size
        while (e < quads.size() && std::fabs(quads[e].y1 - quads[e - 1].y1) < 0.5f * em &&
               quads[e].x0 >= quads[e - 1].x0 - 1 && quads[e].x0 - quads[e - 1].x1 < 1.2f * em)
          ++e;
        bool left = false, right = false, top = false, bottom = false;
        std::string text;
        for (size_t i = s; i < e; ++i) {
          const GlyphQuad& q = quads[i];
          left |= q.cut_left, right |= q.cut_right, top |= q.cut_top, bottom |= q.cut_bottom;
          if (i > s && q.x0 - quads[i - 1].x1 > 0.2f * em) text += ' ';
          text += utf8(q.codepoint);
        }
        if ((left || right) || (top && !scroll_top) || (bottom && !scroll_bottom)) {
          Finding f;
          f.shot = shot;
          f.kind = "clipped-text";
          f.where = owner.substr(owner.find("###") == std::string::npos ? 0 : owner.find("###") + 3);
          f.text = text;
          std::string sides;
          for (auto [on, name] : {std::pair{left, "left"}, {right, "right"}, {top, "top"}, {bottom, "bottom"}})
            if (on) sides += (sides.empty() ? "" : "+") + std::string(name);
          f.detail = "cut at the " + sides + " edge of its clip rectangle";
          // A horizontally scrolling area shows the rest by scrolling: listed, but not a failure.
          if ((left || right) && scrolls_x && !(top || bottom)) f.defect = false, f.detail += " (the area scrolls sideways)";
          out.push_back(f);
        }
        s = e;
      }
    }
  }
}

// [SECTION] Pictures: PNGs, thumbnails, contact sheets with labels (stb_easy_font)

struct Image {
  int w = 0, h = 0;
  std::vector<unsigned char> px;  // RGBA
};

Image downscale(const std::vector<unsigned char>& px, int w, int h, int f) {
  Image t;
  t.w = w / f, t.h = h / f;
  t.px.assign(size_t(t.w) * t.h * 4, 255);
  for (int y = 0; y < t.h; ++y)
    for (int x = 0; x < t.w; ++x)
      for (int c = 0; c < 3; ++c) {
        int sum = 0;
        for (int dy = 0; dy < f; ++dy)
          for (int dx = 0; dx < f; ++dx) sum += px[(size_t(y * f + dy) * w + size_t(x * f + dx)) * 4 + c];
        t.px[(size_t(y) * t.w + x) * 4 + c] = (unsigned char)(sum / (f * f));
      }
  return t;
}

void fill(Image& im, int x0, int y0, int x1, int y1, unsigned char r, unsigned char g, unsigned char b) {
  for (int y = std::max(0, y0); y < std::min(im.h, y1); ++y)
    for (int x = std::max(0, x0); x < std::min(im.w, x1); ++x) {
      unsigned char* p = &im.px[(size_t(y) * im.w + x) * 4];
      p[0] = r, p[1] = g, p[2] = b, p[3] = 255;
    }
}

void label(Image& im, int x, int y, const std::string& text, unsigned char r, unsigned char g, unsigned char b,
           int zoom = 2) {
  static char buf[60000];
  int quads = stb_easy_font_print(0, 0, const_cast<char*>(text.c_str()), nullptr, buf, sizeof buf);
  const float* v = reinterpret_cast<const float*>(buf);
  for (int q = 0; q < quads; ++q) {
    const float* p = v + q * 16;  // 4 vertices × (x, y, z, colour)
    int qx0 = int(p[0]), qy0 = int(p[1]), qx1 = int(p[8]), qy1 = int(p[9]);
    fill(im, x + qx0 * zoom, y + qy0 * zoom, x + qx1 * zoom, y + qy1 * zoom, r, g, b);
  }
}

struct Shot {
  std::string name;   // "lesson-04-attention-step4", "panel-transformer.attention", "workspace-transformer"
  std::string group;  // workspaces, panels, lessons
  std::string title;  // for the index: what it shows
  float scale = 1;
  std::string file;   // PNG file name in DIR
  Image thumb;
  int defects = 0, warnings = 0;
};

void write_sheets(const std::string& dir, const std::vector<Shot>& shots, std::vector<std::string>& sheets) {
  // One sheet per group and scale, 4 thumbnails a row, each 400 × 225 with its name under it; red frame: a defect.
  std::map<std::string, std::vector<const Shot*>> by;
  std::vector<std::string> keys;
  for (auto& s : shots) {
    char k[64];
    std::snprintf(k, sizeof k, "%s-s%g", s.group.c_str(), s.scale);
    if (!by.count(k)) keys.push_back(k);
    by[k].push_back(&s);
  }
  for (auto& k : keys) {
    auto& list = by[k];
    const int per_sheet = 24;
    for (size_t part = 0; part * per_sheet < list.size(); ++part) {
      const int cols = 4, tw = list[0]->thumb.w, th = list[0]->thumb.h, pad = 8, lab = 28;
      size_t n = std::min(list.size() - part * per_sheet, size_t(per_sheet));
      int rows = int((n + cols - 1) / cols);
      Image sheet;
      sheet.w = cols * (tw + pad) + pad;
      sheet.h = rows * (th + lab + pad) + pad + 30;
      sheet.px.assign(size_t(sheet.w) * sheet.h * 4, 0);
      fill(sheet, 0, 0, sheet.w, sheet.h, 24, 24, 28);
      label(sheet, pad, 8, "glassbox review: " + k + " (" + std::to_string(part + 1) + ")", 255, 255, 255);
      for (size_t i = 0; i < n; ++i) {
        const Shot& s = *list[part * per_sheet + i];
        int x = pad + int(i % cols) * (tw + pad), y = 30 + pad + int(i / cols) * (th + lab + pad);
        if (s.defects > 0) fill(sheet, x - 4, y - 4, x + tw + 4, y + th + 4, 230, 40, 40);
        for (int yy = 0; yy < s.thumb.h && y + yy < sheet.h; ++yy)
          std::copy_n(&s.thumb.px[size_t(yy) * s.thumb.w * 4], size_t(std::min(s.thumb.w, sheet.w - x)) * 4,
                      &sheet.px[(size_t(y + yy) * sheet.w + x) * 4]);
        std::string text = s.name + (s.defects ? "  [" + std::to_string(s.defects) + " defects]" : "");
        label(sheet, x, y + th + 6, text, s.defects ? 255 : 220, s.defects ? 120 : 220, s.defects ? 120 : 220, 1);
      }
      std::string file = "sheet-" + k + (part ? "-" + std::to_string(part + 1) : "") + ".png";
      stbi_write_png((dir + "/" + file).c_str(), sheet.w, sheet.h, 4, sheet.px.data(), sheet.w * 4);
      sheets.push_back(file);
    }
  }
}

std::string html_escape(const std::string& s) {
  std::string o;
  for (char c : s) {
    if (c == '<') o += "&lt;";
    else if (c == '>') o += "&gt;";
    else if (c == '&') o += "&amp;";
    else if (c == '"') o += "&quot;";
    else o += c;
  }
  return o;
}

bool contains(const std::vector<std::string>& v, const std::string& x) { return std::find(v.begin(), v.end(), x) != v.end(); }


}  // namespace

bool waiting_for_labs(Session& session) {
  auto* t = dynamic_cast<TransformerLab*>(&session.lab("transformer"));
  if (t && t->training_preparing()) return true;
  if (t) {
    auto snap = t->training();
    if (snap && snap->history.empty() &&
        (snap->state == TrainSnapshot::State::running || snap->state == TrainSnapshot::State::paused))
      return true;
  }
  auto* d = dynamic_cast<DiffusionLab*>(&session.lab("diffusion"));
  if (d && d->computing()) return true;
  auto* te = dynamic_cast<TeachLab*>(&session.lab("teach"));
  if (te && te->busy()) return true;  // a lesson's fine-tuning / bias / DPO run: the picture after it
  auto* v = dynamic_cast<VaeLab*>(&session.lab("vae"));
  if (v && v->computing()) return true;
  const auto vs = v ? v->training() : nullptr;
  return vs && vs->running && vs->pictures_step < 0;
}

// [SECTION] One review: its options, the shell it renders with, and what it found

struct ReviewOptions {
  std::string dir;                 // --review
  std::vector<float> scales;       // --scales
  std::string only;                // --only
  int width = 1600, height = 900;  // --size
  int frames = 5;                  // --frames
  double settle = 30;              // --settle
  std::vector<std::string> known;  // patterns of defects already reported (--known)

  // Reads the flags; false after printing --help.
  bool parse(int argc, char** argv);
};

bool ReviewOptions::parse(int argc, char** argv) {
  const std::vector<cli::FlagSpec> spec = {
      {"--review", true, "DIR    write the review into DIR (PNGs, index.html, sheet-*.png, summary.json)"},
      {"--scales", true, "LIST   UI scales, comma separated (default 1,2)"},
      {"--only", true, "A,B      only shots whose name contains A or B (e.g. lesson-04, panel-diffusion, workspace-, widgets)"},
      {"--size", true, "WxH      window size (default 1600x900)"},
      {"--frames", true, "N      frames per shot before capturing (default 5)"},
      {"--known", true, "FILE    defects already reported (one pattern a line, matched against `shot | kind | panel | text`;\n"
                        "             \" #\" starts a comment): listed as known, they do not fail the review"},
      {"--settle", true, "S      at most S seconds per shot for training or sampling to show its first results (default 30)"},
      {"--help", false, "        this help"},
  };
  cli::Args args(argc, argv, 2, spec);
  if (args.has("--help")) {
    std::printf("usage: glassbox screenshot --review DIR [--scales 1,2] [--only A,B] [--known FILE] [--size WxH] [--frames N]\n%s"
                "Renders every workspace, every panel and every lesson step at each scale; checks for clipped text and\n"
                "for panels a lesson step is about that are not on screen. Exit 1 when any defect is found.\n",
                cli::usage_lines(spec).c_str());
    return false;
  }
  dir = args.required("--review");
  {
    std::string list = args.str("--scales", "1,2");
    size_t p = 0;
    while (p <= list.size()) {
      size_t q = list.find(',', p);
      std::string w = list.substr(p, q == std::string::npos ? std::string::npos : q - p);
      char* end = nullptr;
      double v = std::strtod(w.c_str(), &end);
      if (w.empty() || *end || !(v >= kMinUiScale && v <= kMaxUiScale))
        throw cli::UsageError{"--scales: `" + w + "` is not a UI scale from 1 to 3"};
      scales.push_back(float(v));
      if (q == std::string::npos) break;
      p = q + 1;
    }
  }
  only = args.str("--only");
  if (args.has("--size")) parse_size(args.str("--size"), "--size", width, height);
  frames = int(args.integer("--frames", 5, 2, 100));
  settle = args.number("--settle", 30, 0, 600);
  std::filesystem::create_directories(dir);
  if (args.has("--known")) {
    std::string text = read_file(args.str("--known"));
    size_t p = 0;
    while (p < text.size()) {
      size_t q = text.find('\n', p);
      std::string l = text.substr(p, q == std::string::npos ? std::string::npos : q - p);
      p = q == std::string::npos ? text.size() : q + 1;
      // '#' starts a comment at the start of a line or after a space (panel ids like gan.playground/##controls keep theirs)
      if (!l.empty() && l[0] == '#') l.clear();
      if (l.find(" #") != std::string::npos) l = l.substr(0, l.find(" #"));
      while (!l.empty() && (l.back() == ' ' || l.back() == '\t' || l.back() == '\r')) l.pop_back();
      while (!l.empty() && (l.front() == ' ' || l.front() == '\t')) l.erase(0, 1);
      if (!l.empty()) known.push_back(l);
    }
  }
  return true;
}

struct Review : ReviewOptions {
  Shell& shell;
  Session& session;
  LessonRunner& runner;
  std::vector<Finding> findings;
  std::vector<int> known_hits;
  std::vector<Shot> shots;
  GlyphIndex glyphs;
  float glyph_scale = -1;

  // Renders the current state and records one shot. `about`: the panels that must be on screen.
  void capture(Shot shot, const std::vector<std::string>& about);
  bool wanted(const std::string& name) const;  // --only
  void run_all(const std::vector<std::string>& commands);
  void views(float scale);    // workspaces with their default panels, then every panel on its own
  void lessons(float scale);  // every lesson step
  int write_outputs(std::chrono::steady_clock::time_point t_start);  // index page, contact sheets, summary; the exit code
};

void Review::capture(Shot shot, const std::vector<std::string>& about) {
  char scale_tag[16];
  std::snprintf(scale_tag, sizeof scale_tag, "-s%g", shot.scale);
  const std::string tag = shot.name + scale_tag;  // the PNG's name, and the shot in findings
  shell.show_message("", true);
  shell.forget_layout();
  std::vector<unsigned char> px;
  int w = 0, h = 0;
  const auto t0 = std::chrono::steady_clock::now();
  for (int i = 0;; ++i) {
    shell.frame();
    double waited = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    bool last = i + 1 >= frames && (!waiting_for_labs(session) || waited > settle);
    if (last) {
      if (glyph_scale != shot.scale) glyphs = GlyphIndex{}, glyphs.build(), glyph_scale = shot.scale;
      px = shell.read_pixels(w, h);
      std::vector<Finding> found;
      find_clipped_text(tag, glyphs, found);
      // The panels the shot is about: drawn, and inside the window.
      for (auto& id : about) {
        bool seen = false;
        for (auto& d : shell.drawn_panels())
          if (d.id == id && d.pos.x >= -1 && d.pos.y >= -1 && d.pos.x + d.size.x <= float(w) + 1 &&
              d.pos.y + d.size.y <= float(h) + 1 && d.size.x > 8 * ImGui::GetFontSize() &&
              d.size.y > 5 * ImGui::GetFontSize())
            seen = true;
        if (!seen)
          found.push_back({tag, "panel-not-visible", id, "",
                           contains(shell.strip_panels(), id) ? "open, but only listed in the strip above the tiles"
                                                               : "not on screen"});
      }
      for (auto& f : found) {
        for (size_t k = 0; k < known.size() && f.defect; ++k)
          if (f.line().find(known[k]) != std::string::npos) f.known = true, f.defect = false, known_hits[k]++;
        (f.defect ? shot.defects : shot.warnings)++;
      }
      findings.insert(findings.end(), found.begin(), found.end());
    }
    shell.swap();
    if (last) break;
  }
  shot.file = tag + ".png";
  stbi_write_png((dir + "/" + shot.file).c_str(), w, h, 4, px.data(), w * 4);
  shot.thumb = downscale(px, w, h, 4);
  std::printf("%-52s scale %g  %d defects  %d warnings\n", shot.name.c_str(), shot.scale, shot.defects, shot.warnings);
  for (size_t i = findings.size() - size_t(shot.defects + shot.warnings); i < findings.size(); ++i) {
    const Finding& f = findings[i];
    std::printf("  %s: %s in %s%s (%s)\n", f.defect ? "defect" : f.known ? "known" : "warning", f.kind.c_str(), f.where.c_str(),
                f.text.empty() ? "" : (": \"" + f.text + "\"").c_str(), f.detail.c_str());
  }
  std::fflush(stdout);
  shots.push_back(std::move(shot));
}

bool Review::wanted(const std::string& name) const {
  if (only.empty()) return true;
  size_t p = 0;
  while (p <= only.size()) {  // any of the comma-separated parts
    size_t q = only.find(',', p);
    std::string part = only.substr(p, q == std::string::npos ? std::string::npos : q - p);
    if (!part.empty() && name.find(part) != std::string::npos) return true;
    if (q == std::string::npos) break;
    p = q + 1;
  }
  return false;
}

void Review::run_all(const std::vector<std::string>& commands) {
  for (auto& c : commands) {
    CommandResult r = shell.run(c);
    if (!r.ok) findings.push_back({"setup", "command-failed", c, "", r.message});
  }
}

void Review::views(float scale) {
  // [SECTION] Workspaces with their default panels, then every panel on its own
  std::vector<std::pair<std::string, std::string>> views;  // name, view
  for (auto& ws : session.workspaces()) views.push_back({"workspace-" + ws, ws});
  for (auto& p : session.all_panels())
    if (p.id != "lessons") views.push_back({"panel-" + p.id, p.id});
  views.push_back({"widgets", "widgets"});
  for (auto& [name, view] : views) {
    if (!wanted(name)) continue;
    ViewPlan plan;
    plan_view(session, view, plan);
    runner.close();
    session.run("close lessons");
    session.reset_to_defaults(view.substr(0, view.find('.')) == "widgets" ? "transformer" : view.substr(0, view.find('.')));
    run_all(plan.commands);
    shell.show_widget_gallery(plan.widget_gallery);
    Shot s;
    s.name = name, s.group = name.rfind("panel-", 0) == 0 ? "panels" : "workspaces", s.title = view, s.scale = scale;
    capture(std::move(s), {});
    shell.show_widget_gallery(false);
  }
}

void Review::lessons(float scale) {
  // [SECTION] Every lesson step, walked like a student (Next), a predict step before and after the right guess
  for (auto& file : lesson_files(lessons_dir())) {
    std::string id = std::filesystem::path(file).stem().string();
    if (!wanted("lesson-" + id)) continue;
    session.run("open lessons");
    runner.forget(id);  // the answers of the previous scale's walk would reveal the predict steps on entry
    if (!runner.open(file, 0)) {
      for (auto& e : runner.load_errors()) findings.push_back({"lesson-" + id, "lesson-error", file, "", e.str()});
      continue;
    }
    for (int k = 0; k < runner.step_count(); ++k) {
      if (k > 0) runner.next();
      for (auto& e : runner.action_errors()) findings.push_back({"lesson-" + id, "command-failed", file, "", e});
      const LessonStep& step = runner.lesson().steps[size_t(k)];
      auto about = [&] {
        std::vector<std::string> v = runner.shown_panels().empty() ? std::vector<std::string>{} : runner.shown_panels();
        if (v.empty())
          for (auto& p : runner.named_panels())
            if (session.view.open_panels.count(p)) v.push_back(p);
        std::string hl = session.view.highlight.substr(0, session.view.highlight.find(':'));
        if (!hl.empty() && hl != "lessons" && !contains(v, hl)) v.push_back(hl);
        // Only the current workspace's panels can be on screen (a step may name another workspace's panel first).
        std::vector<std::string> out;
        for (auto& p : v)
          if (p.rfind(session.view.workspace + ".", 0) == 0) out.push_back(p);
        return out;
      };
      std::string name = "lesson-" + id + "-step" + std::to_string(k + 1);
      Shot s;
      s.name = name, s.group = "lessons", s.title = id + " step " + std::to_string(k + 1) + ": " + step.title;
      s.scale = scale;
      capture(s, about());
      int q = 0;
      while (q < int(step.blocks.size()) && step.blocks[size_t(q)].kind != LessonBlock::Kind::predict) ++q;
      if (q < int(step.blocks.size())) {
        const auto& answers = step.blocks[size_t(q)].answers;
        int right = 0;
        while (right < int(answers.size()) && !answers[size_t(right)].correct) ++right;
        runner.answer(q, std::min(right, int(answers.size()) - 1));
        for (auto& e : runner.action_errors()) findings.push_back({"lesson-" + id, "command-failed", file, "", e});
        Shot r = s;
        r.name = name + "-answered";
        r.title += " (guess committed, reveal shown)";
        capture(r, about());
      }
    }
    runner.close();
    session.run("close lessons");
  }
}

int Review::write_outputs(std::chrono::steady_clock::time_point t_start) {
  // [SECTION] Index page, contact sheets, summary
  std::vector<std::string> sheets;
  write_sheets(dir, shots, sheets);
  int defects = 0, warnings = 0, known_count = 0;
  for (auto& f : findings) (f.defect ? defects : f.known ? known_count : warnings)++;
  for (size_t k = 0; k < known.size(); ++k)
    if (!known_hits[k] && only.empty())
      std::printf("known defect no longer seen (remove it from the list?): %s\n", known[k].c_str());
  nlohmann::json j;
  j["shots"] = shots.size();
  j["defects"] = nlohmann::json::array();
  j["warnings"] = nlohmann::json::array();
  j["known"] = nlohmann::json::array();
  for (auto& f : findings)
    j[f.defect ? "defects" : f.known ? "known" : "warnings"].push_back(
        {{"shot", f.shot}, {"kind", f.kind}, {"where", f.where}, {"text", f.text}, {"detail", f.detail}});
  j["sheets"] = sheets;
  j["seconds"] = std::chrono::duration<double>(std::chrono::steady_clock::now() - t_start).count();
  write_file_atomic(dir + "/summary.json", j.dump(2) + "\n");

  std::string html = "<!doctype html><meta charset=utf-8><title>Glassbox review</title>\n<style>body{font:14px sans-serif;"
                     "background:#222;color:#ddd}img{width:400px;border:3px solid #333}.bad img{border-color:#e33}"
                     "figure{display:inline-block;margin:6px;vertical-align:top;width:406px}figcaption{font-size:12px}"
                     ".d{color:#f88}.w{color:#fc6}a{color:#9cf}</style>\n<h1>Glassbox review</h1>\n";
  html += "<p>" + std::to_string(shots.size()) + " shots, " + std::to_string(defects) + " defects, " +
          std::to_string(warnings) + " warnings. Contact sheets: ";
  for (auto& s : sheets) html += "<a href=\"" + s + "\">" + s + "</a> ";
  html += "</p>\n";
  std::string group;
  for (auto& s : shots) {
    char head[64];
    std::snprintf(head, sizeof head, "%s, scale %g", s.group.c_str(), s.scale);
    if (group != head) html += "<h2>" + std::string(head) + "</h2>\n", group = head;
    html += std::string("<figure") + (s.defects ? " class=bad" : "") + "><a href=\"" + s.file + "\"><img src=\"" + s.file +
            "\" loading=lazy></a><figcaption>" + html_escape(s.title);
    for (auto& f : findings) {
      if (f.shot + ".png" != s.file) continue;
      html += std::string("<br><span class=") + (f.defect ? "d" : "w") + ">" + html_escape(f.kind + " in " + f.where) +
              (f.text.empty() ? "" : ": \u201c" + html_escape(f.text) + "\u201d") + " (" + html_escape(f.detail) +
              (f.known ? "; known" : "") + ")</span>";
    }
    html += "</figcaption></figure>\n";
  }
  write_file_atomic(dir + "/index.html", html);
  std::printf("review: %zu shots in %s (index.html, %zu contact sheets), %d defects, %d known defects, %d warnings "
              "(summary.json)\n", shots.size(), dir.c_str(), sheets.size(), defects, known_count, warnings);
  return defects > 0 ? 1 : 0;
}


int review(int argc, char** argv) {
  ReviewOptions o;
  if (!o.parse(argc, argv)) return 0;
  Session session;
  // Every panel a lab declares has a draw function, and every draw function a declared panel (registry.hpp).
  std::vector<Finding> findings;
  for (auto& p : registry_problems(session.all_panels(), registered_panels()))
    findings.push_back({"setup", "panel-registry", p.substr(0, p.find(':')), "", p});
  std::printf("panel registry: %zu panels declared by the labs, %zu draw functions registered, %zu problems\n",
              session.all_panels().size(), registered_panels().size(), findings.size());
  for (auto& f : findings) std::printf("  defect: %s\n", f.detail.c_str());
  Settings settings;
  settings.ui_scale = o.scales.front();
  ShellOptions options;
  options.width = o.width;
  options.height = o.height;
  options.title = "Glassbox review";
  options.ignore_mouse = true;
  Shell shell(session, settings, options);
  std::string error;
  if (!shell.init(error)) {
    std::fprintf(stderr, "glassbox screenshot --review: %s\n", error.c_str());
    return 1;
  }
  const auto t_start = std::chrono::steady_clock::now();
  Review r{o, shell, session, shell.lessons(), std::move(findings), std::vector<int>(o.known.size(), 0), {}, {}, -1};
  for (float scale : o.scales) {
    shell.set_ui_scale(scale);
    r.views(scale);
    r.lessons(scale);
  }
  session.reset_to_defaults("transformer");  // stops any training a lesson started
  return r.write_outputs(t_start);
}

}  // namespace gb::app
