// Line plot, bar chart and scatter plot drawn with ImDrawList on a shared axes frame.
#include "app/widgets/plots.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>

#include "app/widgets/draw_util.hpp"
#include "app/widgets/legend_place.hpp"
#include "core/i18n.hpp"

namespace gb::ui {

// [SECTION] Axes frame

namespace {

struct Frame {
  ImVec2 p0, p1;             // plot area in screen pixels (inside the axes)
  double x0, x1, y0, y1;     // data ranges
  bool log_y = false;
  bool hovered = false;      // mouse inside the plot area
  ImVec2 mouse;

  float sx(double x) const { return float(p0.x + (x - x0) / (x1 - x0) * (p1.x - p0.x)); }
  float sy(double y) const {
    double t = log_y ? (std::log10(y) - std::log10(y0)) / (std::log10(y1) - std::log10(y0)) : (y - y0) / (y1 - y0);
    return float(p1.y - t * (p1.y - p0.y));
  }
  double dx(float px) const { return x0 + (px - p0.x) / (p1.x - p0.x) * (x1 - x0); }
  double dy(float py) const {
    double t = (p1.y - py) / (p1.y - p0.y);
    return log_y ? std::pow(10.0, std::log10(y0) + t * (std::log10(y1) - std::log10(y0))) : y0 + t * (y1 - y0);
  }
};

struct FrameSpec {
  ImVec2 size;
  const char* title = nullptr;
  const char* x_label = nullptr;
  const char* y_label = nullptr;
  const char* x_format = "%g";
  const char* y_format = "%.3g";
  bool x_numeric = true;     // draw numeric ticks on this axis (false: the caller labels categories)
  bool y_numeric = true;
  float left_extra = 0;      // room for category labels when an axis is not numeric
  float bottom_extra = 0;
  float legend_h = 0;        // a legend strip above the plot area (when no corner inside is free)
};

void widen(double& lo, double& hi, bool log) {
  if (!std::isfinite(lo) || !std::isfinite(hi)) lo = 0, hi = 1;
  if (hi > lo) return;
  double d = log ? 0 : (lo == 0 ? 1 : std::abs(lo) * 0.1);
  if (log) {
    lo /= 2;
    hi *= 2;
  } else {
    lo -= d;
    hi += d;
  }
}

std::vector<double> y_ticks_for(const Frame& f, float h, float em) {
  int n = std::max(2, int(h / (2.2f * em)));
  if (f.log_y) return log_ticks(f.y0, f.y1, n);
  // At least two labelled values when the range allows (one tick alone does not say how the axis runs).
  std::vector<double> t = nice_ticks(f.y0, f.y1, n);
  for (int more = n + 1; t.size() < 2 && more <= n + 4; ++more) t = nice_ticks(f.y0, f.y1, more);
  return t;
}

// The widget's size for a spec (0 width: the available width; 0 height: 14 font heights).
ImVec2 frame_size(const FrameSpec& s) {
  const float em = ImGui::GetFontSize();
  ImVec2 avail = ImGui::GetContentRegionAvail();
  return ImVec2(s.size.x > 0 ? s.size.x : std::max(avail.x, 8 * em), s.size.y > 0 ? s.size.y : 14 * em);
}

// Margins from tick label sizes: sets f.p0 / f.p1 for a widget at `origin` of `size`; `yt` gets the y ticks.
void frame_area(Frame& f, const FrameSpec& s, ImVec2 origin, ImVec2 size, std::vector<double>& yt) {
  const float em = ImGui::GetFontSize();
  float top = (s.title ? 1.6f * em : 0.7f * em) + s.legend_h;
  float bottom = 0.3f * em + (s.x_numeric ? 1.3f * em : s.bottom_extra) + (s.x_label ? 1.3f * em : 0);
  float right = 1.0f * em;
  float h_guess = size.y - top - bottom;
  // y tick labels decide the left margin
  yt.clear();
  float y_label_w = 0;
  if (s.y_numeric) {
    Frame tmp = f;
    yt = y_ticks_for(tmp, h_guess, em);
    for (double v : yt) y_label_w = std::max(y_label_w, ImGui::CalcTextSize(format_number(s.y_format, v).c_str()).x);
    y_label_w += 0.6f * em;
  } else {
    y_label_w = s.left_extra;
  }
  float left = y_label_w + (s.y_label ? 1.4f * em : 0) + 0.2f * em;
  f.p0 = ImVec2(origin.x + left, origin.y + top);
  f.p1 = ImVec2(origin.x + size.x - right, origin.y + size.y - bottom);
  if (f.p1.x - f.p0.x < em) f.p1.x = f.p0.x + em;
  if (f.p1.y - f.p0.y < em) f.p1.y = f.p0.y + em;
}

// Reserves the widget, computes margins from tick label sizes and draws background, grid, ticks,
// axis titles and the plot title. The ranges must be set in `f` already.
void begin_frame(Frame& f, const FrameSpec& s) {
  const float em = ImGui::GetFontSize();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 size = frame_size(s);
  ImVec2 origin = ImGui::GetCursorScreenPos();
  ImGui::InvisibleButton("plot", size);
  f.hovered = false;
  std::vector<double> yt;
  frame_area(f, s, origin, size, yt);

  ImU32 axis = axis_colour(), grid = grid_colour();
  dl->AddRectFilled(f.p0, f.p1, plot_bg_colour());
  if (s.title) {
    float w = ImGui::CalcTextSize(s.title).x;
    dl->AddText(ImVec2(std::max(origin.x, (f.p0.x + f.p1.x - w) / 2), origin.y + 0.2f * em), axis, s.title);
  }
  if (s.y_numeric) {
    for (double v : yt) {
      float y = f.sy(v);
      if (y < f.p0.y - 1 || y > f.p1.y + 1) continue;
      dl->AddLine(ImVec2(f.p0.x, y), ImVec2(f.p1.x, y), grid);
      dl->AddLine(ImVec2(f.p0.x - 0.3f * em, y), ImVec2(f.p0.x, y), axis);
      std::string t = format_number(s.y_format, v);
      float w = ImGui::CalcTextSize(t.c_str()).x;
      dl->AddText(ImVec2(f.p0.x - 0.45f * em - w, y - em / 2), axis, t.c_str());
    }
  }
  if (s.x_numeric) {
    float maxw = 0;
    for (double v : {f.x0, f.x1}) maxw = std::max(maxw, ImGui::CalcTextSize(format_number(s.x_format, v).c_str()).x);
    int n = std::max(2, int((f.p1.x - f.p0.x) / (maxw + 2.0f * em)));
    for (double v : nice_ticks(f.x0, f.x1, n)) {
      float x = f.sx(v);
      dl->AddLine(ImVec2(x, f.p0.y), ImVec2(x, f.p1.y), grid);
      dl->AddLine(ImVec2(x, f.p1.y), ImVec2(x, f.p1.y + 0.3f * em), axis);
      std::string t = format_number(s.x_format, v);
      float w = ImGui::CalcTextSize(t.c_str()).x;
      dl->AddText(ImVec2(x - w / 2, f.p1.y + 0.35f * em), axis, t.c_str());
    }
  }
  dl->AddLine(ImVec2(f.p0.x, f.p1.y), ImVec2(f.p1.x, f.p1.y), axis);
  dl->AddLine(ImVec2(f.p0.x, f.p0.y), ImVec2(f.p0.x, f.p1.y), axis);
  if (s.x_label) {
    float w = ImGui::CalcTextSize(s.x_label).x;
    dl->AddText(ImVec2((f.p0.x + f.p1.x - w) / 2, origin.y + size.y - 1.3f * em), axis, s.x_label);
  }
  if (s.y_label) {
    std::string t = fit_text(s.y_label, f.p1.y - f.p0.y);
    float w = ImGui::CalcTextSize(t.c_str()).x;
    add_text_vertical(dl, ImVec2(origin.x + 0.1f * em, (f.p0.y + f.p1.y + w) / 2), axis, t.c_str());
  }
  f.mouse = ImGui::GetIO().MousePos;
  f.hovered = ImGui::IsItemHovered() && f.mouse.x >= f.p0.x && f.mouse.x <= f.p1.x && f.mouse.y >= f.p0.y &&
              f.mouse.y <= f.p1.y;
}

// [SECTION] Legend

struct LegendSize {
  float w = 0, h = 0;             // the box inside a corner
  std::vector<float> entry_w;     // each entry's width in a row outside the plot
};

LegendSize legend_size(const std::vector<std::pair<std::string, ImU32>>& entries) {
  const float em = ImGui::GetFontSize();
  LegendSize z;
  for (auto& e : entries) {
    const float tw = ImGui::CalcTextSize(e.first.c_str()).x;
    z.w = std::max(z.w, tw);
    z.entry_w.push_back(tw + 1.8f * em);
  }
  z.w += 2.2f * em;
  z.h = entries.size() * em * 1.15f + 0.4f * em;
  return z;
}

LegendBox box_of(const Frame& f) { return {f.p0.x, f.p0.y, f.p1.x, f.p1.y}; }

// Height of the strip above the plot that an outside legend needs (its rows for the plot's width).
float legend_strip_height(const Frame& f, const LegendSize& z) {
  const float em = ImGui::GetFontSize();
  return legend_rows_height(legend_rows(z.entry_w, f.p1.x - f.p0.x, 1.15f * em, 0.8f * em)) + 0.3f * em;
}

// Series k is told apart by more than its colour (colour-blind viewers, grey printouts): lines by their dash
// pattern (solid, dashed, dotted, dash-dot), scatter series by marker shape (disc, cross, square, triangle …).
int scatter_shape(int k) {
  static const int shapes[] = {0, 5, 1, 2, 3, 6, 4, 7, 8, 9};
  return shapes[((k % 10) + 10) % 10];
}

// The polyline without the points that lie within `tol` pixels of the straight line between the points kept on
// either side (on a smooth curve most of them): fewer vertices, the same picture.
std::vector<ImVec2> simplify(const ImVec2* pts, int n, float tol) {
  std::vector<ImVec2> out;
  if (n <= 2) return std::vector<ImVec2>(pts, pts + n);
  out.push_back(pts[0]);
  int anchor = 0;
  for (int j = anchor + 2; j < n; ++j) {
    const ImVec2 a = pts[anchor], b = pts[j];
    const float vx = b.x - a.x, vy = b.y - a.y, len2 = vx * vx + vy * vy;
    bool fits = true;
    for (int i = anchor + 1; i < j && fits; ++i) {
      const float wx = pts[i].x - a.x, wy = pts[i].y - a.y;
      const float t = len2 > 0 ? std::clamp((wx * vx + wy * vy) / len2, 0.0f, 1.0f) : 0.0f;
      const float dx = wx - t * vx, dy = wy - t * vy;
      fits = dx * dx + dy * dy <= tol * tol;
    }
    if (!fits) {
      anchor = j - 1;
      out.push_back(pts[anchor]);
    }
  }
  out.push_back(pts[n - 1]);
  return out;
}

// A polyline in series k's dash pattern (lengths in font heights; the pattern runs on along the whole line).
void stroke_line(ImDrawList* dl, const ImVec2* all_pts, int all_n, ImU32 col, float thick, int k) {
  const std::vector<ImVec2> kept = simplify(all_pts, all_n, 0.25f);
  const ImVec2* pts = kept.data();
  const int n = int(kept.size());
  static const std::vector<float> patterns[] = {{}, {0.7f, 0.35f}, {0.14f, 0.3f}, {0.7f, 0.3f, 0.14f, 0.3f}};
  const std::vector<float>& pat = patterns[((k % 4) + 4) % 4];
  if (pat.empty() || n < 2) {
    if (n > 1) dl->AddPolyline(pts, n, col, 0, thick);
    return;
  }
  const float em = ImGui::GetFontSize();
  size_t seg = 0;
  float left = pat[0] * em;  // what remains of the current dash or gap
  std::vector<ImVec2> run{pts[0]};
  for (int i = 1; i < n; ++i) {
    ImVec2 a = pts[i - 1];
    const ImVec2 b = pts[i];
    float len = std::hypot(b.x - a.x, b.y - a.y);
    while (len > 0) {
      const float step = std::min(len, left);
      const float f = step / len;
      a = ImVec2(a.x + (b.x - a.x) * f, a.y + (b.y - a.y) * f);
      len -= step, left -= step;
      if (seg % 2 == 0) run.push_back(a);
      if (left <= 1e-4f) {  // next dash or gap
        if (seg % 2 == 0 && run.size() > 1) dl->AddPolyline(run.data(), int(run.size()), col, 0, thick);
        run.clear();
        seg = (seg + 1) % pat.size();
        left = pat[seg] * em;
        if (seg % 2 == 0) run.push_back(a);
      }
    }
  }
  if (seg % 2 == 0 && run.size() > 1) dl->AddPolyline(run.data(), int(run.size()), col, 0, thick);
}

void legend_entry(ImDrawList* dl, ImVec2 at, const std::string& name, ImU32 col, bool dots, int k) {
  const float em = ImGui::GetFontSize();
  const float cy = at.y + em / 2;
  if (dots) {
    draw_marker(dl, ImVec2(at.x + 0.9f * em, cy), 0.28f * em, scatter_shape(k), col);
  } else {
    const ImVec2 line[2] = {ImVec2(at.x + 0.2f * em, cy), ImVec2(at.x + 1.6f * em, cy)};
    stroke_line(dl, line, 2, col, std::max(2.0f, 0.15f * em), k);
  }
  dl->AddText(ImVec2(at.x + 1.8f * em, at.y), axis_colour(), name.c_str());
}

// The legend takes a corner of the plot that no data crosses (top right, top left, bottom right, bottom left),
// else — when `strip` > 0 — the rows of the strip reserved above the plot (legend_free_corner decided).
void draw_legend(const Frame& f, const std::vector<std::pair<std::string, ImU32>>& entries, bool dots,
                 const std::vector<LegendPt>& occupied, float strip) {
  if (entries.size() < 2) return;
  const float em = ImGui::GetFontSize();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const LegendSize z = legend_size(entries);
  const float m = 0.4f * em;
  const int corner = legend_free_corner(box_of(f), z.w, z.h, m, occupied);
  if (corner < 0 || strip > 0) {
    // outside: rows in the strip above the plot area
    const std::vector<LegendBox> rows = legend_rows(z.entry_w, f.p1.x - f.p0.x, 1.15f * em, 0.8f * em);
    const ImVec2 o(f.p0.x, f.p0.y - strip);
    for (size_t i = 0; i < entries.size() && i < rows.size(); ++i)
      legend_entry(dl, ImVec2(o.x + rows[i].x0, o.y + rows[i].y0), entries[i].first, entries[i].second, dots, int(i));
    return;
  }
  const LegendBox b = legend_corner_box(box_of(f), corner, z.w, z.h, m);
  const ImVec2 b0(b.x0, b.y0), b1(b.x1, b.y1);
  dl->AddRectFilled(b0, b1, ImGui::GetColorU32(ImGuiCol_PopupBg, 0.85f), 0.2f * em);
  dl->AddRect(b0, b1, grid_colour(), 0.2f * em);
  float y = b0.y + 0.2f * em;
  for (size_t i = 0; i < entries.size(); ++i) {
    legend_entry(dl, ImVec2(b0.x, y), entries[i].first, entries[i].second, dots, int(i));
    y += em * 1.15f;
  }
}

// Where the lines of `series` pass on screen, a point every ~4 px (the legend avoids them).
std::vector<LegendPt> line_occupancy(const Frame& f, const LineSeries* series, int n_series, bool log_y) {
  std::vector<LegendPt> occ;
  for (int k = 0; k < n_series; ++k) {
    const LineSeries& s = series[k];
    if (!s.y) continue;
    bool have_prev = false;
    LegendPt prev;
    for (int i = 0; i < s.count; ++i) {
      const double x = s.x ? s.x[i] : i, y = s.y[i];
      if (!std::isfinite(y) || (log_y && y <= 0)) {
        have_prev = false;
        continue;
      }
      const LegendPt p{f.sx(x), f.sy(y)};
      if (have_prev) {
        const float dx = p.x - prev.x, dy = p.y - prev.y;
        const int k_n = std::min(2000, int(std::sqrt(dx * dx + dy * dy) / 4.0f));
        for (int j = 1; j < k_n; ++j) occ.push_back({prev.x + dx * j / k_n, prev.y + dy * j / k_n});
      }
      occ.push_back(p);
      prev = p;
      have_prev = true;
    }
  }
  return occ;
}

int nearest_index(const LineSeries& s, double x) {
  if (s.count <= 0) return -1;
  if (!s.x) return std::clamp(int(std::lround(x)), 0, s.count - 1);
  const float* e = s.x + s.count;
  const float* it = std::lower_bound(s.x, e, float(x));
  if (it == e) return s.count - 1;
  if (it == s.x) return 0;
  return (x - *(it - 1) <= *it - x) ? int(it - s.x) - 1 : int(it - s.x);
}

}  // namespace

// [SECTION] Line plot

PlotHover line_plot(const char* id, const LineSeries* series, int n_series, const PlotOptions& o) {
  PlotHover hover;
  ImGui::PushID(id);
  const float em = ImGui::GetFontSize();
  Frame f;
  f.log_y = o.log_y;
  double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
  for (int k = 0; k < n_series; ++k) {
    const LineSeries& s = series[k];
    if (!s.y) continue;
    for (int i = 0; i < s.count; ++i) {
      double x = s.x ? s.x[i] : i, y = s.y[i];
      if (!std::isfinite(y) || (o.log_y && y <= 0)) continue;
      x0 = std::min(x0, x), x1 = std::max(x1, x);
      y0 = std::min(y0, y), y1 = std::max(y1, y);
    }
  }
  if (!std::isfinite(x0)) x0 = 0, x1 = 1, y0 = o.log_y ? 0.1 : 0, y1 = 1;
  if (!o.log_y && std::isfinite(y0)) {
    double pad = (y1 - y0) * 0.05;
    y0 -= pad, y1 += pad;
  }
  if (!std::isnan(o.x_min)) x0 = o.x_min;
  if (!std::isnan(o.x_max)) x1 = o.x_max;
  if (!std::isnan(o.y_min)) y0 = o.y_min;
  if (!std::isnan(o.y_max)) y1 = o.y_max;
  if (o.log_y && y0 <= 0) y0 = y1 > 0 ? y1 * 1e-3 : 1e-3;
  widen(x0, x1, false);
  widen(y0, y1, o.log_y);
  f.x0 = x0, f.x1 = x1, f.y0 = y0, f.y1 = y1;
  FrameSpec spec;
  spec.size = o.size, spec.title = o.title, spec.x_label = o.x_label, spec.y_label = o.y_label;
  spec.x_format = o.x_format, spec.y_format = o.y_format;
  // The legend: a corner inside the plot that no line crosses, else a strip above the plot (decided on the
  // frame the plot will have, before anything is drawn).
  std::vector<std::pair<std::string, ImU32>> legend;
  for (int k = 0; k < n_series; ++k) legend.emplace_back(series[k].name, series[k].colour ? series[k].colour : series_colour(k));
  if (o.legend && legend.size() >= 2) {
    Frame probe = f;
    std::vector<double> yt;
    frame_area(probe, spec, ImGui::GetCursorScreenPos(), frame_size(spec), yt);
    const LegendSize z = legend_size(legend);
    if (legend_free_corner(box_of(probe), z.w, z.h, 0.4f * em, line_occupancy(probe, series, n_series, o.log_y)) < 0)
      spec.legend_h = legend_strip_height(probe, z);
  }
  begin_frame(f, spec);

  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->PushClipRect(f.p0, f.p1, true);
  float thick = std::max(1.5f, 0.11f * em);
  std::vector<ImVec2> pts;
  // A plot scrolled out of its window draws its frame's place but no lines (ImGui does not cull draw-list shapes).
  const bool visible = ImGui::IsRectVisible(f.p0, f.p1);
  for (int k = 0; visible && k < n_series; ++k) {
    const LineSeries& s = series[k];
    ImU32 col = s.colour ? s.colour : series_colour(k);
    if (!s.y || s.count <= 0) continue;
    pts.clear();
    float width_px = f.p1.x - f.p0.x;
    bool decimate = s.count > int(width_px);
    int col_x = INT32_MIN;
    float mn = 0, mx = 0;
    auto flush = [&]() {
      if (col_x == INT32_MIN) return;
      if (mx - mn < 1.0f) {  // less than a pixel tall: one point
        pts.emplace_back(float(col_x), 0.5f * (mn + mx));
        return;
      }
      pts.emplace_back(float(col_x), mn);
      pts.emplace_back(float(col_x), mx);
    };
    for (int i = 0; i < s.count; ++i) {
      double x = s.x ? s.x[i] : i, y = s.y[i];
      if (!std::isfinite(y) || (o.log_y && y <= 0)) {  // gap in the line
        flush();
        col_x = INT32_MIN;
        stroke_line(dl, pts.data(), int(pts.size()), col, thick, k);
        pts.clear();
        continue;
      }
      ImVec2 p(f.sx(x), f.sy(y));
      if (!decimate) {
        pts.push_back(p);
        continue;
      }
      int cx = int(p.x);
      if (cx != col_x) {
        flush();
        col_x = cx, mn = mx = p.y;
      } else {
        mn = std::min(mn, p.y), mx = std::max(mx, p.y);
      }
    }
    if (decimate) flush();
    if (pts.size() > 1) stroke_line(dl, pts.data(), int(pts.size()), col, thick, k);
    else if (pts.size() == 1) dl->AddCircleFilled(pts[0], thick * 1.5f, col);
  }
  if (!std::isnan(o.marker_x)) {
    float x = f.sx(o.marker_x);
    dl->AddLine(ImVec2(x, f.p0.y), ImVec2(x, f.p1.y), ImGui::GetColorU32(ImGuiCol_PlotLinesHovered), thick);
  }
  if (f.hovered && n_series > 0) {
    hover.hovered = true;
    hover.x = f.dx(f.mouse.x);
    hover.y = f.dy(f.mouse.y);
    hover.index = nearest_index(series[0], hover.x);
    double xs = hover.index >= 0 ? (series[0].x ? series[0].x[hover.index] : hover.index) : hover.x;
    float px = f.sx(xs);
    dl->AddLine(ImVec2(px, f.p0.y), ImVec2(px, f.p1.y), axis_colour(), 1.0f);
    ImGui::BeginTooltip();
    ImGui::Text("%s: %s", o.x_label ? o.x_label : "x", format_number(o.x_format, xs).c_str());
    for (int k = 0; k < n_series; ++k) {
      const LineSeries& s = series[k];
      int i = nearest_index(s, xs);
      if (i < 0 || !s.y) continue;
      ImU32 col = s.colour ? s.colour : series_colour(k);
      double y = s.y[i];
      if (std::isfinite(y) && (!o.log_y || y > 0)) dl->AddCircleFilled(ImVec2(f.sx(s.x ? s.x[i] : i), f.sy(y)), thick * 2.2f, col);
      ImGui::PushID(k);
      ImGui::ColorButton("##c", ImGui::ColorConvertU32ToFloat4(col), ImGuiColorEditFlags_NoTooltip, ImVec2(em * 0.8f, em * 0.8f));
      ImGui::PopID();
      ImGui::SameLine();
      ImGui::Text("%s: %s", s.name.empty() ? "y" : s.name.c_str(), format_number(o.y_format, y).c_str());
    }
    ImGui::EndTooltip();
  }
  dl->PopClipRect();
  if (o.legend) draw_legend(f, legend, false, line_occupancy(f, series, n_series, o.log_y), spec.legend_h);
  ImGui::PopID();
  return hover;
}

// [SECTION] Bar chart

BarHover bar_chart(const char* id, const float* values, int n, const BarOptions& o) {
  BarHover hover;
  ImGui::PushID(id);
  const float em = ImGui::GetFontSize();
  double v0 = 0, v1 = 0;
  for (int i = 0; i < n; ++i)
    if (std::isfinite(values[i])) v0 = std::min(v0, double(values[i])), v1 = std::max(v1, double(values[i]));
  if (v1 > 0) v1 *= 1.05;
  if (v0 < 0) v0 *= 1.05;
  if (!std::isnan(o.v_min)) v0 = o.v_min;
  if (!std::isnan(o.v_max)) v1 = o.v_max;
  widen(v0, v1, false);
  // Category labels: measure them to size the margin.
  const int label_every = std::max(1, o.label_every);
  float label_w = 0;
  if (o.labels)
    for (size_t i = 0; i < o.labels->size(); i += size_t(label_every))
      label_w = std::max(label_w, ImGui::CalcTextSize(one_line((*o.labels)[i]).c_str()).x);
  label_w = std::min(label_w, 10.0f * em);

  Frame f;
  FrameSpec spec;
  spec.size = o.size, spec.title = o.title;
  if (o.horizontal) {
    f.x0 = v0, f.x1 = v1, f.y0 = 0, f.y1 = std::max(n, 1);
    spec.x_label = o.y_label, spec.y_label = o.x_label;
    spec.x_format = o.value_format;
    spec.y_numeric = false;
    spec.left_extra = (o.labels ? label_w + 0.6f * em : 2.5f * em);
  } else {
    f.x0 = 0, f.x1 = std::max(n, 1), f.y0 = v0, f.y1 = v1;
    spec.x_label = o.x_label, spec.y_label = o.y_label;
    spec.y_format = o.value_format;
    spec.x_numeric = false;
    // Labels under the bars: horizontal if every one fits its slot, else vertical.
    float avail = (o.size.x > 0 ? o.size.x : ImGui::GetContentRegionAvail().x) - 6 * em;
    float slot = avail / std::max(n, 1) * float(label_every);
    bool vertical = o.labels && label_w > slot * 0.95f;
    spec.bottom_extra = o.labels ? (vertical ? label_w + 0.6f * em : 1.4f * em) : 1.4f * em;
  }
  begin_frame(f, spec);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImU32 base = o.colour ? o.colour : series_colour(1);
  ImU32 accent = ImGui::GetColorU32(ImGuiCol_PlotLinesHovered);
  ImU32 axis = axis_colour();
  int hovered_i = -1;
  if (f.hovered) {
    double c = o.horizontal ? (f.p1.y - f.mouse.y) / (f.p1.y - f.p0.y) * f.y1 : f.dx(f.mouse.x);
    // Horizontal charts list bar 0 at the top.
    hovered_i = o.horizontal ? n - 1 - int(std::floor(c)) : int(std::floor(c));
    if (hovered_i < 0 || hovered_i >= n) hovered_i = -1;
  }
  float slot_px = o.horizontal ? (f.p1.y - f.p0.y) / std::max(n, 1) : (f.p1.x - f.p0.x) / std::max(n, 1);
  int every = std::max(1, int(std::ceil(em * 1.05f / std::max(slot_px, 1e-3f))));
  if (label_every > 1) every = label_every * std::max(1, int(std::ceil(double(every) / label_every)));
  bool vertical_labels = !o.horizontal && o.labels && label_w > slot_px * float(label_every) * 0.95f;
  for (int i = 0; i < n; ++i) {
    float v = values[i];
    ImU32 col = (i == o.highlight) ? accent : base;
    if (i == hovered_i) col = ImGui::GetColorU32(ImGuiCol_ButtonHovered);
    if (o.horizontal) {
      float ya = f.p0.y + i * slot_px, yb = ya + slot_px;
      float pad = std::min(0.15f * slot_px, 0.2f * em);
      if (std::isfinite(v)) {
        float xa = f.sx(0), xb = f.sx(v);
        dl->AddRectFilled(ImVec2(std::min(xa, xb), ya + pad), ImVec2(std::max(xa, xb), yb - pad), col);
        if (slot_px >= em * 0.95f) {
          std::string t = format_number(o.value_format, v);
          float tw = ImGui::CalcTextSize(t.c_str()).x;
          float tx = std::max(xa, xb) + 0.3f * em;
          if (tx + tw > f.p1.x) tx = std::max(xa, xb) - tw - 0.3f * em;  // inside the bar when it is long
          dl->AddText(ImVec2(tx, (ya + yb) / 2 - em / 2), tx < std::max(xa, xb) ? IM_COL32(0, 0, 0, 255) : axis, t.c_str());
        }
      }
      if (i % every == 0) {
        std::string l = o.labels && i < int(o.labels->size()) ? one_line((*o.labels)[i]) : std::to_string(i);
        l = fit_text(l, spec.left_extra - 0.6f * em);
        float w = ImGui::CalcTextSize(l.c_str()).x;
        dl->AddText(ImVec2(f.p0.x - 0.4f * em - w, (ya + yb) / 2 - em / 2), axis, l.c_str());
      }
    } else {
      float xa = f.p0.x + i * slot_px, xb = xa + slot_px;
      float pad = std::min(0.12f * slot_px, 0.25f * em);
      if (std::isfinite(v)) {
        float ya = f.sy(0), yb = f.sy(v);
        dl->AddRectFilled(ImVec2(xa + pad, std::min(ya, yb)), ImVec2(xb - pad, std::max(ya, yb)), col);
      }
      if (i % every == 0) {
        std::string l = o.labels && i < int(o.labels->size()) ? one_line((*o.labels)[i]) : std::to_string(i);
        if (vertical_labels) {
          l = fit_text(l, spec.bottom_extra - 0.6f * em);
          add_text_vertical(dl, ImVec2((xa + xb) / 2 - em / 2, f.p1.y + 0.3f * em + ImGui::CalcTextSize(l.c_str()).x), axis,
                            l.c_str());
        } else {
          float w = ImGui::CalcTextSize(l.c_str()).x;
          dl->AddText(ImVec2((xa + xb) / 2 - w / 2, f.p1.y + 0.3f * em), axis, l.c_str());
        }
      }
    }
  }
  if (hovered_i >= 0) {
    hover.hovered = true;
    hover.index = hovered_i;
    hover.value = values[hovered_i];
    hover.clicked = ImGui::IsMouseClicked(ImGuiMouseButton_Left);
    ImGui::BeginTooltip();
    if (o.labels && hovered_i < int(o.labels->size()))
      ImGui::Text("%d: %s", hovered_i, one_line((*o.labels)[hovered_i]).c_str());
    else
      ImGui::Text(tr("bar %d"), hovered_i);
    ImGui::Text("%s: %s", o.value_name, format_number(o.value_format, hover.value).c_str());
    ImGui::EndTooltip();
  }
  ImGui::PopID();
  return hover;
}

// [SECTION] Scatter plot

ScatterHover scatter(const char* id, const ScatterSeries* series, int n_series, const ScatterOptions& o) {
  ScatterHover hover;
  ImGui::PushID(id);
  const float em = ImGui::GetFontSize();
  double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
  for (int k = 0; k < n_series; ++k)
    for (int i = 0; i < series[k].count; ++i) {
      double x = series[k].x[i], y = series[k].y[i];
      if (!std::isfinite(x) || !std::isfinite(y)) continue;
      x0 = std::min(x0, x), x1 = std::max(x1, x), y0 = std::min(y0, y), y1 = std::max(y1, y);
    }
  if (!std::isfinite(x0)) x0 = -1, x1 = 1, y0 = -1, y1 = 1;
  double mx = (x1 - x0) * 0.05, my = (y1 - y0) * 0.05;
  x0 -= mx, x1 += mx, y0 -= my, y1 += my;
  if (!std::isnan(o.x_min)) x0 = o.x_min;
  if (!std::isnan(o.x_max)) x1 = o.x_max;
  if (!std::isnan(o.y_min)) y0 = o.y_min;
  if (!std::isnan(o.y_max)) y1 = o.y_max;
  widen(x0, x1, false);
  widen(y0, y1, false);
  Frame f;
  f.x0 = x0, f.x1 = x1, f.y0 = y0, f.y1 = y1;
  FrameSpec spec;
  spec.size = o.size, spec.title = o.title, spec.x_label = o.x_label, spec.y_label = o.y_label;
  spec.x_format = o.format, spec.y_format = o.format;
  if (o.equal_aspect) {
    // Lay out once to learn the pixel box, then grow one range so units are square.
    ImVec2 avail = ImGui::GetContentRegionAvail();
    float w = (o.size.x > 0 ? o.size.x : std::max(avail.x, 8 * em)) - 5.5f * em;
    float h = (o.size.y > 0 ? o.size.y : 14 * em) - 3.5f * em;
    double ux = (x1 - x0) / std::max(w, 1.0f), uy = (y1 - y0) / std::max(h, 1.0f);
    if (ux > uy) {
      double c = (y0 + y1) / 2, half = ux * h / 2;
      f.y0 = c - half, f.y1 = c + half;
    } else {
      double c = (x0 + x1) / 2, half = uy * w / 2;
      f.x0 = c - half, f.x1 = c + half;
    }
  }
  // The legend: a corner no point lies in, else a strip above the plot (decided on the frame it will have).
  std::vector<std::pair<std::string, ImU32>> legend;
  for (int k = 0; k < n_series; ++k) legend.emplace_back(series[k].name, series[k].colour ? series[k].colour : series_colour(k));
  auto point_occupancy = [&](const Frame& fr) {
    std::vector<LegendPt> occ;
    for (int k = 0; k < n_series; ++k)
      for (int i = 0; i < series[k].count; ++i)
        if (std::isfinite(series[k].x[i]) && std::isfinite(series[k].y[i])) occ.push_back({fr.sx(series[k].x[i]), fr.sy(series[k].y[i])});
    return occ;
  };
  if (o.legend && legend.size() >= 2) {
    Frame probe = f;
    std::vector<double> yt;
    frame_area(probe, spec, ImGui::GetCursorScreenPos(), frame_size(spec), yt);
    const LegendSize z = legend_size(legend);
    if (legend_free_corner(box_of(probe), z.w, z.h, 0.4f * em, point_occupancy(probe)) < 0) spec.legend_h = legend_strip_height(probe, z);
  }
  begin_frame(f, spec);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->PushClipRect(f.p0, f.p1, true);
  if (o.background) {
    double bx0 = std::isnan(o.x_min) ? f.x0 : o.x_min, bx1 = std::isnan(o.x_max) ? f.x1 : o.x_max;
    double by0 = std::isnan(o.y_min) ? f.y0 : o.y_min, by1 = std::isnan(o.y_max) ? f.y1 : o.y_max;
    dl->AddImage(o.background, ImVec2(f.sx(bx0), f.sy(by1)), ImVec2(f.sx(bx1), f.sy(by0)));
  }
  float best = (0.6f * em) * (0.6f * em);
  for (int k = 0; k < n_series; ++k) {
    const ScatterSeries& s = series[k];
    ImU32 col = s.colour ? s.colour : series_colour(k);
    float r = s.radius > 0 ? s.radius : 0.22f * em;
    for (int i = 0; i < s.count; ++i) {
      if (!std::isfinite(s.x[i]) || !std::isfinite(s.y[i])) continue;
      ImVec2 p(f.sx(s.x[i]), f.sy(s.y[i]));
      draw_marker(dl, p, r, scatter_shape(k), col);  // series k: its own shape as well as colour
      if (f.hovered) {
        float d = (p.x - f.mouse.x) * (p.x - f.mouse.x) + (p.y - f.mouse.y) * (p.y - f.mouse.y);
        if (d < best) best = d, hover.series = k, hover.index = i;
      }
    }
  }
  dl->PopClipRect();
  if (f.hovered) {
    hover.hovered = true;
    hover.x = f.dx(f.mouse.x);
    hover.y = f.dy(f.mouse.y);
    ImGui::BeginTooltip();
    if (hover.series >= 0) {
      const ScatterSeries& s = series[hover.series];
      ImVec2 p(f.sx(s.x[hover.index]), f.sy(s.y[hover.index]));
      dl->AddCircle(p, (s.radius > 0 ? s.radius : 0.22f * em) + 3, axis_colour(), 16, 2.0f);
      ImGui::Text(tr("%s point %d"), s.name.empty() ? "" : s.name.c_str(), hover.index);
      ImGui::Text("(%s, %s)", format_number(o.format, s.x[hover.index]).c_str(), format_number(o.format, s.y[hover.index]).c_str());
    } else {
      ImGui::Text("(%s, %s)", format_number(o.format, hover.x).c_str(), format_number(o.format, hover.y).c_str());
    }
    ImGui::EndTooltip();
  }
  if (o.legend) draw_legend(f, legend, true, point_occupancy(f), spec.legend_h);
  ImGui::PopID();
  return hover;
}

std::vector<float> moving_average(const std::vector<float>& v, size_t w) {
  w = std::max<size_t>(1, w);
  std::vector<float> out(v.size());
  double s = 0;
  size_t cnt = 0;
  for (size_t i = 0; i < v.size(); ++i) {
    if (std::isfinite(v[i])) s += v[i], ++cnt;
    if (i >= w && std::isfinite(v[i - w])) s -= v[i - w], --cnt;
    out[i] = cnt ? float(s / double(cnt)) : NAN;
  }
  return out;
}

}  // namespace gb::ui
