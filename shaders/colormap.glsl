// Colour maps for heatmaps (included into heatmap.frag.glsl). Mirrors src/core/colormap.cpp exactly:
// same control points (tests/core/test_colormap.cpp compares the two tables), same interpolation.

// matplotlib's viridis, table entries 0, 17, 34, ..., 255.
const vec3 CMAP_VIRIDIS[16] = vec3[16](
    vec3(0.267004, 0.004874, 0.329415), vec3(0.282656, 0.100196, 0.422160), vec3(0.277134, 0.185228, 0.489898),
    vec3(0.253935, 0.265254, 0.529983), vec3(0.221989, 0.339161, 0.548752), vec3(0.190631, 0.407061, 0.556089),
    vec3(0.163625, 0.471133, 0.558148), vec3(0.139147, 0.533812, 0.555298), vec3(0.120565, 0.596422, 0.543611),
    vec3(0.134692, 0.658636, 0.517649), vec3(0.208030, 0.718701, 0.472873), vec3(0.327796, 0.773980, 0.406640),
    vec3(0.477504, 0.821444, 0.318195), vec3(0.647257, 0.858400, 0.209861), vec3(0.824940, 0.884720, 0.106217),
    vec3(0.993248, 0.906157, 0.143936));

// ColorBrewer RdBu reversed: negative = blue, zero = neutral grey, positive = red.
const vec3 CMAP_DIVERGING[11] = vec3[11](
    vec3(0.019608, 0.188235, 0.380392), vec3(0.129412, 0.400000, 0.674510), vec3(0.262745, 0.576471, 0.764706),
    vec3(0.572549, 0.772549, 0.870588), vec3(0.819608, 0.898039, 0.941176), vec3(0.968627, 0.968627, 0.968627),
    vec3(0.992157, 0.858824, 0.780392), vec3(0.956863, 0.647059, 0.509804), vec3(0.839216, 0.376471, 0.301961),
    vec3(0.698039, 0.094118, 0.168627), vec3(0.403922, 0.000000, 0.121569));

const vec3 CMAP_GREY[2] = vec3[2](vec3(0.000000, 0.000000, 0.000000), vec3(1.000000, 1.000000, 1.000000));

// map: 0 = viridis, 1 = diverging, 2 = grey (the order of gb::Colormap).
vec3 cmap_color(int map, float t) {
  if (isnan(t)) return vec3(0.5);
  t = clamp(t, 0.0, 1.0);
  if (map == 0) {
    float x = t * 15.0;
    int i = min(int(floor(x)), 14);
    return mix(CMAP_VIRIDIS[i], CMAP_VIRIDIS[i + 1], x - float(i));
  }
  if (map == 1) {
    float x = t * 10.0;
    int i = min(int(floor(x)), 9);
    return mix(CMAP_DIVERGING[i], CMAP_DIVERGING[i + 1], x - float(i));
  }
  return mix(CMAP_GREY[0], CMAP_GREY[1], t);
}

// Value to t, like gb::colormap_t: the diverging map keeps zero at the centre.
float cmap_t(int map, float v, float lo, float hi) {
  if (isnan(v)) return v;
  if (map == 1 && lo < 0.0 && hi > 0.0) return 0.5 + 0.5 * v / max(-lo, hi);
  if (!(hi > lo)) return 0.5;
  return (v - lo) / (hi - lo);
}
