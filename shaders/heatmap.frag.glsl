#version 330 core
// Heatmap pass, fragment stage: reads one float per cell and writes its colour. Target texel (x, y)
// is data cell (row y, column x); the colour map comes from colormap.glsl.
uniform sampler2D u_data;  // (rows, cols) R32F, one texel per cell
uniform float u_lo;        // value at the bottom of the colour scale
uniform float u_hi;        // value at the top of the colour scale
uniform int u_map;         // 0 viridis, 1 diverging, 2 grey
out vec4 frag_color;

//@include colormap.glsl

void main() {
  float v = texelFetch(u_data, ivec2(gl_FragCoord.xy), 0).r;
  frag_color = vec4(cmap_color(u_map, cmap_t(u_map, v, u_lo, u_hi)), 1.0);
}
