// Plot helpers drawn with ImDrawList (ImPlot is not packaged in Debian): a multi-series line plot,
// a bar chart and a scatter plot, each with axes, round-number ticks, labels and a hover readout.
//
//   gb::ui::LineSeries loss{"training loss", losses.data(), int(losses.size())};
//   gb::ui::PlotOptions o;
//   o.x_label = "step"; o.y_label = "loss"; o.log_y = true;
//   gb::ui::line_plot("loss", {loss}, o);
//
//   gb::ui::BarOptions b;  b.labels = &top_tokens;  b.value_name = "probability";  b.horizontal = true;
//   gb::ui::bar_chart("next token", probs.data(), int(probs.size()), b);
//
//   gb::ui::ScatterSeries real{"real", xs.data(), ys.data(), n};
//   gb::ui::ScatterOptions s;  s.equal_aspect = true;
//   s.background = gb::ui::colormap_texture("gan.field", field.data(), 64, 64, gb::Colormap::diverging, -1, 1);
//   gb::ui::scatter("points", {real, fake}, s);
//
// Data is read through pointers during the call only; nothing is copied or kept between frames.
// Colours default to a colour-blind-safe palette (series i gets series_colour(i)).
// Series i is also told apart without colour: line series by dash pattern (solid, dashed, dotted, dash-dot),
// scatter series by marker shape (disc, cross, square, triangle …), in the plot and in its legend.
#pragma once
#include <cmath>
#include <initializer_list>
#include <string>
#include <vector>

#include <imgui.h>

namespace gb::ui {

// [SECTION] Line plot

struct LineSeries {
  std::string name;          // legend entry and tooltip label
  const float* y = nullptr;  // (count) values
  int count = 0;
  const float* x = nullptr;  // (count) x values in increasing order; nullptr: 0, 1, 2, …
  ImU32 colour = 0;          // 0: palette colour for this series' position
};

struct PlotOptions {
  ImVec2 size = {0, 0};            // 0 width: available width; 0 height: 14 font heights
  const char* title = nullptr;     // drawn above the plot
  const char* x_label = nullptr;   // axis titles
  const char* y_label = nullptr;
  float x_min = NAN, x_max = NAN;  // axis ranges (NaN: fit the data)
  float y_min = NAN, y_max = NAN;
  bool log_y = false;              // logarithmic y axis (non-positive values are skipped)
  bool legend = true;              // legend (2+ series): a corner no line crosses, else a strip above the plot
  const char* x_format = "%g";     // tick and tooltip formats
  const char* y_format = "%.3g";
  float marker_x = NAN;            // a vertical marker line (e.g. the current step); NaN: none
};

struct PlotHover {
  bool hovered = false;
  double x = 0, y = 0;  // mouse position in data units
  int index = -1;       // nearest sample of series 0 (line plot)
};

PlotHover line_plot(const char* id, const LineSeries* series, int n_series, const PlotOptions& opts = {});
// Moving average of a loss curve over the last w values (NaN values skipped; the first values average what is
// there). The one smoothing of the training panels (GAN losses, image-GAN training, VAE β).
std::vector<float> moving_average(const std::vector<float>& v, size_t w);

inline PlotHover line_plot(const char* id, std::initializer_list<LineSeries> series, const PlotOptions& opts = {}) {
  return line_plot(id, series.begin(), int(series.size()), opts);
}

// [SECTION] Bar chart

struct BarOptions {
  ImVec2 size = {0, 0};                              // as PlotOptions::size
  const char* title = nullptr;
  const char* x_label = nullptr;                     // category axis title
  const char* y_label = nullptr;                     // value axis title
  const std::vector<std::string>* labels = nullptr;  // one per bar (tokens, classes); drawn when they fit
  int label_every = 1;                               // draw only every k-th label (histograms: whole numbers)
  const char* value_name = "value";                  // tooltip: "probability: 0.31"
  const char* value_format = "%.3g";
  bool horizontal = false;                           // bars grow to the right, labels on the left (top-k lists)
  float v_min = NAN, v_max = NAN;                    // value axis range (NaN: 0 and the data's extremes)
  int highlight = -1;                                // draw this bar in the accent colour (e.g. the sampled token)
  ImU32 colour = 0;                                  // 0: palette colour 1
};

struct BarHover {
  bool hovered = false;
  int index = -1;
  float value = 0;
  bool clicked = false;
};

BarHover bar_chart(const char* id, const float* values, int n, const BarOptions& opts = {});

// [SECTION] Scatter plot

struct ScatterSeries {
  std::string name;          // legend entry ("real", "generated")
  const float* x = nullptr;  // (count)
  const float* y = nullptr;  // (count)
  int count = 0;
  ImU32 colour = 0;          // 0: palette colour for this series' position
  float radius = 0;          // point radius in pixels (0: 0.22 font heights)
};

struct ScatterOptions {
  ImVec2 size = {0, 0};              // as PlotOptions::size
  const char* title = nullptr;
  const char* x_label = nullptr;
  const char* y_label = nullptr;
  float x_min = NAN, x_max = NAN;    // axis ranges (NaN: fit the data with a margin)
  float y_min = NAN, y_max = NAN;
  bool equal_aspect = false;         // one unit is as long on both axes (2D data sets)
  bool legend = true;                // as PlotOptions::legend (a corner with no points, else above the plot)
  const char* format = "%.3g";
  ImTextureID background = nullptr;  // drawn under the points over the axis ranges (e.g. a
                                     // discriminator field from colormap_texture, row 0 = y_max)
};

struct ScatterHover {
  bool hovered = false;  // mouse over the plot area
  double x = 0, y = 0;   // mouse position in data units
  int series = -1;       // nearest point within a few pixels, or -1
  int index = -1;
};

ScatterHover scatter(const char* id, const ScatterSeries* series, int n_series, const ScatterOptions& opts = {});
inline ScatterHover scatter(const char* id, std::initializer_list<ScatterSeries> series, const ScatterOptions& opts = {}) {
  return scatter(id, series.begin(), int(series.size()), opts);
}

}  // namespace gb::ui
