// Heatmap widget: float matrix → R32F texture → colour pass into an RGBA texture (shader) → ImGui image,
// plus labels, colour scale and hover tooltip.
#include "app/widgets/heatmap.hpp"
#include "app/widgets/label_layout.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <functional>
#include <unordered_map>
#include <vector>

#include "app/gl.hpp"
#include "app/shaders.hpp"
#include "app/widgets/draw_util.hpp"
#include "core/i18n.hpp"

namespace gb::ui {

// [SECTION] GL program and texture cache

namespace {

struct ColourProgram {
  GLuint program = 0;
  GLuint vao = 0;
  GLint u_data = -1, u_lo = -1, u_hi = -1, u_map = -1;
  bool tried = false;
  std::string error;  // compile/link log if it failed
};

struct Slot {
  GLuint data_tex = 0, out_tex = 0, fbo = 0;
  int rows = 0, cols = 0;
  uint64_t hash = 0;
  int last_used = 0;  // frame number
};

ColourProgram g_prog;
constexpr size_t kCpuColourCells = size_t(1) << 16;  // up to this many cells: coloured on the CPU
GLuint g_marker_tex = 0;
bool g_marker_tried = false;
std::unordered_map<std::string, Slot> g_slots;
int g_frame = 0;

GLuint compile(GLenum type, const std::string& src, std::string& log) {
  GLuint s = glCreateShader(type);
  const char* p = src.c_str();
  glShaderSource(s, 1, &p, nullptr);
  glCompileShader(s);
  GLint ok = 0;
  glGetShaderiv(s, GL_COMPILE_STATUS, &ok);
  if (!ok) {
    char buf[2048];
    glGetShaderInfoLog(s, sizeof buf, nullptr, buf);
    log += buf;
    glDeleteShader(s);
    return 0;
  }
  return s;
}

bool ensure_program() {
  if (g_prog.tried) return g_prog.program != 0;
  g_prog.tried = true;
  const char* vs = shader_source("heatmap.vert.glsl");
  const char* fs = shader_source("heatmap.frag.glsl");
  const char* cm = shader_source("colormap.glsl");
  if (!vs || !fs || !cm) {
    g_prog.error = "heatmap shaders missing from the binary";
    return false;
  }
  std::string frag = fs;
  const std::string marker = "//@include colormap.glsl";
  if (auto at = frag.find(marker); at != std::string::npos) frag.replace(at, marker.size(), cm);
  GLuint v = compile(GL_VERTEX_SHADER, vs, g_prog.error);
  GLuint f = compile(GL_FRAGMENT_SHADER, frag, g_prog.error);
  if (!v || !f) return false;
  GLuint p = glCreateProgram();
  glAttachShader(p, v);
  glAttachShader(p, f);
  glLinkProgram(p);
  glDeleteShader(v);
  glDeleteShader(f);
  GLint ok = 0;
  glGetProgramiv(p, GL_LINK_STATUS, &ok);
  if (!ok) {
    char buf[2048];
    glGetProgramInfoLog(p, sizeof buf, nullptr, buf);
    g_prog.error = buf;
    glDeleteProgram(p);
    return false;
  }
  g_prog.program = p;
  g_prog.u_data = glGetUniformLocation(p, "u_data");
  g_prog.u_lo = glGetUniformLocation(p, "u_lo");
  g_prog.u_hi = glGetUniformLocation(p, "u_hi");
  g_prog.u_map = glGetUniformLocation(p, "u_map");
  glGenVertexArrays(1, &g_prog.vao);
  return true;
}

void free_slot(Slot& s) {
  if (s.fbo) glDeleteFramebuffers(1, &s.fbo);
  if (s.data_tex) glDeleteTextures(1, &s.data_tex);
  if (s.out_tex) glDeleteTextures(1, &s.out_tex);
  s = Slot{};
}

// A hash of the data a texture was made from (is it still the same?): eight bytes a step (a megabyte in about
// 0.1 ms; the byte-wise FNV-1a took over 1 ms, every frame, for the VAE atlas).
uint64_t fnv1a(const void* p, size_t n, uint64_t h = 1469598103934665603ull) {
  const unsigned char* b = static_cast<const unsigned char*>(p);
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    std::memcpy(&w, b + i, 8);
    h = (h ^ w) * 0x9E3779B97F4A7C15ull;
    h ^= h >> 29;
  }
  for (; i < n; ++i) h = (h ^ b[i]) * 1099511628211ull;
  return h;
}

// Runs the colour pass for one slot, leaving the caller's GL state as it was.
void colour_pass(Slot& s, Colormap map, float lo, float hi) {
  GLint prev_fbo = 0, prev_prog = 0, prev_vao = 0, prev_tex = 0, prev_active = 0, vp[4];
  glGetIntegerv(GL_FRAMEBUFFER_BINDING, &prev_fbo);
  glGetIntegerv(GL_CURRENT_PROGRAM, &prev_prog);
  glGetIntegerv(GL_VERTEX_ARRAY_BINDING, &prev_vao);
  glGetIntegerv(GL_ACTIVE_TEXTURE, &prev_active);
  glGetIntegerv(GL_VIEWPORT, vp);
  GLboolean blend = glIsEnabled(GL_BLEND), scissor = glIsEnabled(GL_SCISSOR_TEST);
  glActiveTexture(GL_TEXTURE0);
  glGetIntegerv(GL_TEXTURE_BINDING_2D, &prev_tex);

  glBindFramebuffer(GL_FRAMEBUFFER, s.fbo);
  glViewport(0, 0, s.cols, s.rows);
  glDisable(GL_BLEND);
  glDisable(GL_SCISSOR_TEST);
  glUseProgram(g_prog.program);
  glBindTexture(GL_TEXTURE_2D, s.data_tex);
  glUniform1i(g_prog.u_data, 0);
  glUniform1f(g_prog.u_lo, lo);
  glUniform1f(g_prog.u_hi, hi);
  glUniform1i(g_prog.u_map, int(map));
  glBindVertexArray(g_prog.vao);
  glDrawArrays(GL_TRIANGLES, 0, 3);

  glBindVertexArray(GLuint(prev_vao));
  glBindTexture(GL_TEXTURE_2D, GLuint(prev_tex));
  glActiveTexture(GLenum(prev_active));
  glUseProgram(GLuint(prev_prog));
  glBindFramebuffer(GL_FRAMEBUFFER, GLuint(prev_fbo));
  glViewport(vp[0], vp[1], vp[2], vp[3]);
  if (blend) glEnable(GL_BLEND);
  if (scissor) glEnable(GL_SCISSOR_TEST);
}

// An RGBA8 texture in slot `slot_key`, filled by `fill` (w·h pixels, IM_COL32) only when `hash` differs from the
// slot's (or the size changed).
ImTextureID rgba_slot(const std::string& slot_key, int w, int h, bool smooth, uint64_t hash,
                      const std::function<void(std::vector<ImU32>&)>& fill) {
  if (w <= 0 || h <= 0 || !glfwGetCurrentContext()) return nullptr;
  GLint max_size = 0;
  glGetIntegerv(GL_MAX_TEXTURE_SIZE, &max_size);
  if (w > max_size || h > max_size) return nullptr;
  Slot& s = g_slots[slot_key];
  s.last_used = g_frame;
  GLint prev_tex = 0;
  glActiveTexture(GL_TEXTURE0);
  glGetIntegerv(GL_TEXTURE_BINDING_2D, &prev_tex);
  if (s.rows != h || s.cols != w || !s.out_tex || s.fbo) {
    // A new size keeps the texture object (a matrix growing by a row and a column each new token).
    const GLuint keep = s.fbo ? 0 : s.out_tex;
    if (keep) s.out_tex = 0;
    free_slot(s);
    s.last_used = g_frame;
    s.rows = h;
    s.cols = w;
    s.out_tex = keep;
    if (!s.out_tex) glGenTextures(1, &s.out_tex);
    glBindTexture(GL_TEXTURE_2D, s.out_tex);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, w, h, 0, GL_RGBA, GL_UNSIGNED_BYTE, nullptr);
  }
  glBindTexture(GL_TEXTURE_2D, s.out_tex);
  if (hash != s.hash || !s.hash) {
    s.hash = hash;
    static std::vector<ImU32> px;
    px.clear();
    fill(px);
    if (px.size() == size_t(w) * size_t(h)) {
      glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
      glPixelStorei(GL_UNPACK_ROW_LENGTH, 0);
      glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, w, h, GL_RGBA, GL_UNSIGNED_BYTE, px.data());  // IM_COL32: bytes R, G, B, A
    }
  }
  const GLint filter = smooth ? GL_LINEAR : GL_NEAREST;
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, filter);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, filter);
  glBindTexture(GL_TEXTURE_2D, GLuint(prev_tex));
  return reinterpret_cast<ImTextureID>(static_cast<intptr_t>(s.out_tex));
}

}  // namespace

void widgets_new_frame() {
  ++g_frame;
  for (auto it = g_slots.begin(); it != g_slots.end();) {
    if (g_frame - it->second.last_used > 120) {
      free_slot(it->second);
      it = g_slots.erase(it);
    } else {
      ++it;
    }
  }
}

void widgets_shutdown() {
  for (auto& [k, s] : g_slots) free_slot(s);
  g_slots.clear();
  if (g_marker_tex) glDeleteTextures(1, &g_marker_tex);
  g_marker_tex = 0;
  g_marker_tried = false;
  if (g_prog.program) glDeleteProgram(g_prog.program);
  if (g_prog.vao) glDeleteVertexArrays(1, &g_prog.vao);
  g_prog = ColourProgram{};
}

ImTextureID colormap_texture(const std::string& key, const float* data, int rows, int cols, Colormap map, float lo,
                             float hi, bool smooth, uint64_t version) {
  if (!data || rows <= 0 || cols <= 0) return nullptr;
  if (size_t(rows) * size_t(cols) <= kCpuColourCells) {
    // Small matrices coloured on the CPU (the same colour map, core/colormap.hpp): a render pass into a texture
    // stalled software GL for milliseconds each time the data changed.
    uint64_t h = version ? fnv1a(&version, sizeof version) : fnv1a(data, size_t(rows) * size_t(cols) * sizeof(float));
    const float params[3] = {lo, hi, float(int(map))};
    h = fnv1a(params, sizeof params, h);
    return rgba_slot("cpu:" + key, cols, rows, smooth, h, [&](std::vector<ImU32>& px) {
      px.resize(size_t(rows) * size_t(cols));
      // A table of 4097 colours per map (t in steps of 1/4096: under a fifth of a colour level from the exact map).
      constexpr int kSteps = 4096;
      static std::vector<ImU32> tables[3];
      std::vector<ImU32>& lut = tables[std::clamp(int(map), 0, 2)];
      auto u8 = [](float v) { return ImU32(std::clamp(v, 0.0f, 1.0f) * 255.0f + 0.5f); };
      auto rgba = [&](const Rgb& c) { return IM_COL32(u8(c[0]), u8(c[1]), u8(c[2]), 255); };
      if (lut.empty())
        for (int k = 0; k <= kSteps; ++k) lut.push_back(rgba(colormap(map, float(k) / kSteps)));
      const ImU32 nan_colour = rgba(colormap(map, NAN));
      for (size_t i = 0; i < px.size(); ++i) {
        const float t = colormap_t(map, data[i], lo, hi);
        px[i] = std::isnan(t) ? nan_colour : lut[size_t(std::lround(std::clamp(t, 0.0f, 1.0f) * kSteps))];
      }
    });
  }
  if (!ensure_program()) return nullptr;
  GLint max_size = 0;
  glGetIntegerv(GL_MAX_TEXTURE_SIZE, &max_size);
  if (rows > max_size || cols > max_size) return nullptr;
  Slot& s = g_slots[key];
  s.last_used = g_frame;
  if (s.rows != rows || s.cols != cols || !s.fbo) {
    free_slot(s);
    s.last_used = g_frame;
    s.rows = rows;
    s.cols = cols;
    GLint prev_tex = 0, prev_fbo = 0;
    glActiveTexture(GL_TEXTURE0);
    glGetIntegerv(GL_TEXTURE_BINDING_2D, &prev_tex);
    glGetIntegerv(GL_FRAMEBUFFER_BINDING, &prev_fbo);
    glGenTextures(1, &s.data_tex);
    glBindTexture(GL_TEXTURE_2D, s.data_tex);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);  // texelFetch needs a complete texture
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_R32F, cols, rows, 0, GL_RED, GL_FLOAT, nullptr);
    glGenTextures(1, &s.out_tex);
    glBindTexture(GL_TEXTURE_2D, s.out_tex);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, cols, rows, 0, GL_RGBA, GL_UNSIGNED_BYTE, nullptr);
    glGenFramebuffers(1, &s.fbo);
    glBindFramebuffer(GL_FRAMEBUFFER, s.fbo);
    glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, s.out_tex, 0);
    glBindFramebuffer(GL_FRAMEBUFFER, GLuint(prev_fbo));
    glBindTexture(GL_TEXTURE_2D, GLuint(prev_tex));
  }
  uint64_t h = version ? fnv1a(&version, sizeof version) : fnv1a(data, size_t(rows) * size_t(cols) * sizeof(float));
  float params[3] = {lo, hi, float(int(map))};
  h = fnv1a(params, sizeof params, h);
  GLint prev_tex = 0;
  glActiveTexture(GL_TEXTURE0);
  glGetIntegerv(GL_TEXTURE_BINDING_2D, &prev_tex);
  if (h != s.hash) {
    s.hash = h;
    glBindTexture(GL_TEXTURE_2D, s.data_tex);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
    glPixelStorei(GL_UNPACK_ROW_LENGTH, 0);
    glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, cols, rows, GL_RED, GL_FLOAT, data);
    colour_pass(s, map, lo, hi);
  }
  glBindTexture(GL_TEXTURE_2D, s.out_tex);
  GLint filter = smooth ? GL_LINEAR : GL_NEAREST;
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, filter);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, filter);
  glBindTexture(GL_TEXTURE_2D, GLuint(prev_tex));
  return reinterpret_cast<ImTextureID>(static_cast<intptr_t>(s.out_tex));
}

ImTextureID rgba_texture(const std::string& key, const ImU32* pixels, int w, int h, bool smooth, uint64_t version) {
  if (!pixels || w <= 0 || h <= 0) return nullptr;
  const uint64_t hash = version ? version : fnv1a(pixels, size_t(w) * size_t(h) * sizeof(ImU32));
  return rgba_slot("rgba:" + key, w, h, smooth, hash, [&](std::vector<ImU32>& px) { px.assign(pixels, pixels + size_t(w) * h); });
}

// [SECTION] Marker sprites

namespace {

constexpr int kCell = 64;      // pixels per shape at the finest level
constexpr int kShapes = 10;
constexpr int kMaxLevel = 3;   // 8-pixel cells at the coarsest level: the 8-pixel padding keeps shapes apart

float seg_dist(float px, float py, float ax, float ay, float bx, float by) {
  const float vx = bx - ax, vy = by - ay, wx = px - ax, wy = py - ay;
  const float t = std::clamp((wx * vx + wy * vy) / (vx * vx + vy * vy), 0.0f, 1.0f);
  return std::hypot(wx - t * vx, wy - t * vy);
}

bool in_triangle(float px, float py, float ax, float ay, float bx, float by, float cx, float cy) {
  auto side = [&](float x0, float y0, float x1, float y1) { return (x1 - x0) * (py - y0) - (y1 - y0) * (px - x0); };
  const float d1 = side(ax, ay, bx, by), d2 = side(bx, by, cx, cy), d3 = side(cx, cy, ax, ay);
  return !((d1 < 0 || d2 < 0 || d3 < 0) && (d1 > 0 || d2 > 0 || d3 > 0));
}

// Whether (x, y), in units of the marker's half-size r (y down), lies in shape k: the same geometry as draw_marker().
bool in_shape(int k, float x, float y) {
  const float t = 0.45f, h = t / 2;  // line width of the open shapes
  switch (k) {
    case 0: return x * x + y * y <= 1;
    case 1: return std::abs(x) <= 0.85f && std::abs(y) <= 0.85f;
    case 2: return in_triangle(x, y, 0, -1.15f, -1, 0.85f, 1, 0.85f);
    case 3: return std::abs(x) + std::abs(y) <= 1.2f;
    case 4: return in_triangle(x, y, 0, 1.15f, -1, -0.85f, 1, -0.85f);
    case 5: return seg_dist(x, y, -1, -1, 1, 1) <= h || seg_dist(x, y, -1, 1, 1, -1) <= h;
    case 6: return seg_dist(x, y, -1.2f, 0, 1.2f, 0) <= h || seg_dist(x, y, 0, -1.2f, 0, 1.2f) <= h;
    case 7: {
      const float d = std::hypot(x, y);
      return d <= 1 && d >= 1 - t;
    }
    case 8: {
      const float d = std::max(std::abs(x), std::abs(y));
      return std::abs(d - 0.85f) <= h;
    }
    default:
      return seg_dist(x, y, 0, -1.15f, -1, 0.85f) <= h || seg_dist(x, y, -1, 0.85f, 1, 0.85f) <= h ||
             seg_dist(x, y, 1, 0.85f, 0, -1.15f) <= h;
  }
}

}  // namespace

ImTextureID marker_sprite(int shape, ImVec2& uv0, ImVec2& uv1) {
  if (!g_marker_tried) {
    g_marker_tried = true;
    if (!glfwGetCurrentContext()) return nullptr;
    // White everywhere (no dark fringes when filtered), alpha = the shape's coverage (4×4 samples per pixel).
    std::vector<uint32_t> px(size_t(kCell) * kShapes * kCell);
    const float unit = float(kCell) / (2 * kMarkerSpriteExtent);  // pixels per r
    for (int k = 0; k < kShapes; ++k)
      for (int y = 0; y < kCell; ++y)
        for (int x = 0; x < kCell; ++x) {
          int hits = 0;
          for (int sy = 0; sy < 4; ++sy)
            for (int sx = 0; sx < 4; ++sx)
              hits += in_shape(k, (float(x) + (float(sx) + 0.5f) / 4 - kCell / 2.0f) / unit,
                               (float(y) + (float(sy) + 0.5f) / 4 - kCell / 2.0f) / unit);
          const uint32_t a = uint32_t(std::lround(255.0 * hits / 16));
          px[size_t(y) * kCell * kShapes + size_t(k) * kCell + x] = (a << 24) | 0x00FFFFFFu;
        }
    GLint prev_tex = 0;
    glActiveTexture(GL_TEXTURE0);
    glGetIntegerv(GL_TEXTURE_BINDING_2D, &prev_tex);
    glGenTextures(1, &g_marker_tex);
    glBindTexture(GL_TEXTURE_2D, g_marker_tex);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_BASE_LEVEL, 0);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAX_LEVEL, kMaxLevel);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR_MIPMAP_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
    glPixelStorei(GL_UNPACK_ROW_LENGTH, 0);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, kCell * kShapes, kCell, 0, GL_RGBA, GL_UNSIGNED_BYTE, px.data());
    // The coarser levels: 2×2 box averages, each cell on its own (sizes divide evenly down to level kMaxLevel).
    int w = kCell * kShapes, h = kCell;
    for (int level = 1; level <= kMaxLevel; ++level) {
      std::vector<uint32_t> next(size_t(w / 2) * (h / 2));
      for (int y = 0; y < h / 2; ++y)
        for (int x = 0; x < w / 2; ++x) {
          uint32_t sum = 0;
          for (int dy = 0; dy < 2; ++dy)
            for (int dx = 0; dx < 2; ++dx) sum += px[size_t(2 * y + dy) * w + 2 * x + dx] >> 24;
          next[size_t(y) * (w / 2) + x] = (((sum + 2) / 4) << 24) | 0x00FFFFFFu;
        }
      w /= 2, h /= 2;
      px.swap(next);
      glTexImage2D(GL_TEXTURE_2D, level, GL_RGBA8, w, h, 0, GL_RGBA, GL_UNSIGNED_BYTE, px.data());
    }
    glBindTexture(GL_TEXTURE_2D, GLuint(prev_tex));
  }
  if (!g_marker_tex) return nullptr;
  const int k = ((shape % kShapes) + kShapes) % kShapes;
  uv0 = ImVec2(float(k) / kShapes, 0);
  uv1 = ImVec2(float(k + 1) / kShapes, 1);
  return reinterpret_cast<ImTextureID>(static_cast<intptr_t>(g_marker_tex));
}

void rasterise_markers(std::vector<ImU32>& out, int w, int h, const std::vector<MarkerPoint>& pts, float r) {
  // Premultiplied RGBA in floats while compositing ("over"), straight alpha in the result (ImGui blends straight).
  std::vector<float> acc(size_t(std::max(w, 0)) * size_t(std::max(h, 0)) * 4, 0.0f);
  // Each marker's coverage (4×4 samples per pixel, as the sprites) is a stamp kept per shape, size and centre within
  // its pixel in eighths: sampling 1,200 moving markers afresh every frame took 50 ms, stamping them well under one.
  struct Stamp {
    int reach = 0;              // the stamp spans [−reach, reach] pixels around the centre's pixel
    std::vector<uint8_t> hits;  // samples inside the shape, 0…16, row by row
  };
  static std::unordered_map<uint64_t, Stamp> stamps;
  if (stamps.size() > 4096) stamps.clear();
  for (const MarkerPoint& m : pts) {
    const float mr = m.r > 0 ? m.r : r;
    const int k = ((m.shape % kShapes) + kShapes) % kShapes;
    int ix = int(std::floor(m.x)), iy = int(std::floor(m.y));
    int qx = int(std::lround((m.x - float(ix)) * 8)), qy = int(std::lround((m.y - float(iy)) * 8));
    if (qx == 8) ++ix, qx = 0;
    if (qy == 8) ++iy, qy = 0;
    uint32_t rbits = 0;
    std::memcpy(&rbits, &mr, sizeof rbits);
    const uint64_t key = (uint64_t(rbits) << 32) | (uint64_t(k) << 8) | (uint64_t(qx) << 4) | uint64_t(qy);
    Stamp& st = stamps[key];
    if (st.hits.empty()) {
      st.reach = int(std::ceil(1.35f * mr + 1)) + 1;  // every shape lies within 1.2 r plus half a line
      const int n = 2 * st.reach + 1;
      st.hits.assign(size_t(n) * size_t(n), 0);
      const float cx = float(qx) / 8, cy = float(qy) / 8;
      for (int dy = -st.reach; dy <= st.reach; ++dy)
        for (int dx = -st.reach; dx <= st.reach; ++dx) {
          int hits = 0;
          for (int sy = 0; sy < 4; ++sy)
            for (int sx = 0; sx < 4; ++sx)
              hits += in_shape(k, (float(dx) + (float(sx) + 0.5f) / 4 - cx) / mr, (float(dy) + (float(sy) + 0.5f) / 4 - cy) / mr);
          st.hits[size_t(dy + st.reach) * size_t(n) + size_t(dx + st.reach)] = uint8_t(hits);
        }
    }
    const float cr = float((m.colour >> IM_COL32_R_SHIFT) & 0xFF) / 255, cg = float((m.colour >> IM_COL32_G_SHIFT) & 0xFF) / 255,
                cb = float((m.colour >> IM_COL32_B_SHIFT) & 0xFF) / 255, ca = float((m.colour >> IM_COL32_A_SHIFT) & 0xFF) / 255;
    const int n = 2 * st.reach + 1;
    for (int dy = -st.reach; dy <= st.reach; ++dy) {
      const int y = iy + dy;
      if (y < 0 || y >= h) continue;
      for (int dx = -st.reach; dx <= st.reach; ++dx) {
        const int x = ix + dx;
        const int hits = st.hits[size_t(dy + st.reach) * size_t(n) + size_t(dx + st.reach)];
        if (x < 0 || x >= w || !hits) continue;
        const float a = ca * float(hits) / 16;
        float* d = &acc[(size_t(y) * size_t(w) + size_t(x)) * 4];
        d[0] = cr * a + d[0] * (1 - a);
        d[1] = cg * a + d[1] * (1 - a);
        d[2] = cb * a + d[2] * (1 - a);
        d[3] = a + d[3] * (1 - a);
      }
    }
  }
  out.assign(size_t(std::max(w, 0)) * size_t(std::max(h, 0)), 0);
  for (size_t i = 0; i < out.size(); ++i) {
    const float* d = &acc[i * 4];
    if (d[3] <= 0) continue;
    auto byte = [](float v) { return int(std::lround(std::clamp(v, 0.0f, 1.0f) * 255)); };
    out[i] = IM_COL32(byte(d[0] / d[3]), byte(d[1] / d[3]), byte(d[2] / d[3]), byte(d[3]));
  }
}

// [SECTION] Range and colour scale

void auto_range(const float* data, size_t n, Colormap map, float& lo, float& hi) {
  float mn = INFINITY, mx = -INFINITY;
  for (size_t i = 0; i < n; ++i)
    if (std::isfinite(data[i])) {
      mn = std::min(mn, data[i]);
      mx = std::max(mx, data[i]);
    }
  if (!std::isfinite(mn)) mn = 0, mx = 1;
  if (map == Colormap::diverging) {
    float m = std::max(std::abs(mn), std::abs(mx));
    if (m == 0) m = 1;
    if (std::isnan(lo)) lo = -m;
    if (std::isnan(hi)) hi = m;
  } else {
    if (std::isnan(lo)) lo = mn;
    if (std::isnan(hi)) hi = mx;
  }
}

static float scale_label_width(float lo, float hi, const char* fmt) {
  float w = 0;
  for (double v : {double(lo), double(hi), (double(lo) + hi) / 2}) w = std::max(w, ImGui::CalcTextSize(format_number(fmt, v).c_str()).x);
  for (double v : nice_ticks(lo, hi, 6)) w = std::max(w, ImGui::CalcTextSize(format_number(fmt, v).c_str()).x);
  return w;
}

// Draws the bar at `p0` (top-left) of height h; returns nothing. Bar width ~ 0.9 em, labels right of it.
static void draw_scale_at(const std::string& key, ImDrawList* dl, ImVec2 p0, float h, Colormap map, float lo, float hi,
                          const char* fmt) {
  const float em = ImGui::GetFontSize();
  const float bar_w = 0.9f * em;
  constexpr int kSteps = 256;
  float values[kSteps];  // (256, 1): top = hi, bottom = lo
  for (int i = 0; i < kSteps; ++i) values[i] = hi + (lo - hi) * float(i) / float(kSteps - 1);
  ImTextureID tex = colormap_texture(key, values, kSteps, 1, map, lo, hi, true);
  ImVec2 p1(p0.x + bar_w, p0.y + h);
  if (tex) dl->AddImage(tex, p0, p1);
  dl->AddRect(p0, p1, axis_colour());
  // Exact ends, then round ticks that do not collide with them.
  ImU32 text = axis_colour();
  auto y_of = [&](double v) { return hi == lo ? p0.y + h / 2 : float(p0.y + (hi - v) / (double(hi) - lo) * h); };
  auto label = [&](double v, float y) {
    std::string s = format_number(fmt, v);
    float ty = std::clamp(y - em / 2, p0.y - em / 2, p1.y - em / 2);
    dl->AddLine(ImVec2(p1.x, y), ImVec2(p1.x + 0.3f * em, y), text);
    dl->AddText(ImVec2(p1.x + 0.6f * em, ty), text, s.c_str());  // a gap: -1 never reads --1
  };
  label(hi, p0.y);
  label(lo, p1.y);
  for (double v : nice_ticks(lo, hi, std::max(2, int(h / (2.2f * em))))) {
    float y = y_of(v);
    if (y - p0.y < 1.2f * em || p1.y - y < 1.2f * em) continue;
    label(v, y);
  }
}

void colour_scale(const char* id, Colormap map, float lo, float hi, ImVec2 size, const char* value_format) {
  ImGui::PushID(id);
  ImVec2 p0 = ImGui::GetCursorScreenPos();
  const float em = ImGui::GetFontSize();
  float pad = 0.5f * em;  // room for the end labels that stick out half a line
  draw_scale_at(std::string("scale#") + std::to_string(ImGui::GetID("bar")), ImGui::GetWindowDrawList(),
                ImVec2(p0.x, p0.y + pad), size.y - 2 * pad, map, lo, hi, value_format);
  ImGui::Dummy(size);
  ImGui::PopID();
}

// [SECTION] The heatmap widget

// Row and column labels, thinned so they never overlap; the highlighted row / column is always labelled (a lesson
// points at it), and in a token-by-token matrix the columns the highlighted row values most win the contested places.
// g0: the grid's top-left corner; cell_w × cell_h: one cell.
static void draw_labels(ImDrawList* dl, const float* data, int rows, int cols, const HeatmapOptions& o, ImVec2 g0,
                        float cell_w, float cell_h, float row_label_w, float col_label_h) {
  const float em = ImGui::GetFontSize();
  ImU32 text = axis_colour(), mark_text = ImGui::GetColorU32(ImGuiCol_PlotLinesHovered);
  if (o.row_labels && row_label_w > 0) {
    const int n = std::min(rows, int(o.row_labels->size()));
    std::vector<int> keep;
    if (o.highlight_row >= 0 && o.highlight_row < n) keep.push_back(o.highlight_row);
    for (int r : pick_labels_even(n, cell_h, em, keep)) {
      std::string s = fit_text(one_line((*o.row_labels)[r]), row_label_w - 0.4f * em);
      float w = ImGui::CalcTextSize(s.c_str()).x;
      float y = g0.y + (r + 0.5f) * cell_h - em / 2;
      dl->AddText(ImVec2(g0.x - 0.3f * em - w, y), r == o.highlight_row ? mark_text : text, s.c_str());
    }
  }
  if (o.col_labels && col_label_h > 0) {
    const int n = std::min(cols, int(o.col_labels->size()));
    std::vector<int> keep, priority;
    if (o.highlight_col >= 0 && o.highlight_col < n) keep.push_back(o.highlight_col);
    if (o.causal_mask && o.highlight_row >= 0 && o.highlight_row < rows) {
      // Rank the visible (unmasked) cells of the highlighted row: the largest gets the highest priority.
      const float* row = data + size_t(o.highlight_row) * size_t(cols);
      std::vector<int> order;
      for (int c = 0; c < n && c <= o.highlight_row; ++c)
        if (std::isfinite(row[c])) order.push_back(c);
      std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return row[a] > row[b]; });
      priority.assign(size_t(n), 0);
      for (size_t k = 0; k < order.size(); ++k) priority[size_t(order[k])] = int(order.size() - k);
    }
    for (int c : pick_labels_even(n, cell_w, em, keep, priority)) {
      std::string s = fit_text(one_line((*o.col_labels)[c]), col_label_h - 0.4f * em);
      float x = g0.x + (c + 0.5f) * cell_w - em / 2;
      add_text_vertical(dl, ImVec2(x, g0.y - 0.3f * em), c == o.highlight_col ? mark_text : text, s.c_str());
    }
  }
}

// The hovered cell's row, column and value (or that it is masked).
static void hover_tooltip(const HeatmapOptions& o, int r, int c, const HeatmapHover& hover) {
  ImGui::BeginTooltip();
  auto line = [&](const char* name, int i, const std::vector<std::string>* labels) {
    if (labels && i < int(labels->size()))
      ImGui::Text("%s %d: %s", name, i, one_line((*labels)[i]).c_str());
    else
      ImGui::Text("%s %d", name, i);
  };
  line(o.row_name, r, o.row_labels);
  line(o.col_name, c, o.col_labels);
  if (o.causal_mask && c > r)
    ImGui::TextUnformatted(tr("masked (score −∞, weight 0): a token cannot look at later tokens"));
  else if (o.map == Colormap::diverging)  // the sign in words too: red and blue are not everyone's opposites
    ImGui::Text("%s: %s  (%s)", o.value_name, format_number(o.value_format, hover.value).c_str(),
                hover.value > 0 ? tr("positive") : hover.value < 0 ? tr("negative") : tr("zero"));
  else
    ImGui::Text("%s: %s", o.value_name, format_number(o.value_format, hover.value).c_str());
  ImGui::EndTooltip();
}

HeatmapHover heatmap(const char* id, const float* data, int rows, int cols, const HeatmapOptions& o) {
  HeatmapHover hover;
  ImGui::PushID(id);
  const ImGuiID uid = ImGui::GetID("heatmap");
  const float em = ImGui::GetFontSize();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  if (!data || rows <= 0 || cols <= 0) {
    ImGui::TextDisabled("%s", tr("(no data)"));
    ImGui::PopID();
    return hover;
  }
  float lo = o.lo, hi = o.hi;
  if (std::isnan(lo) || std::isnan(hi)) auto_range(data, size_t(rows) * size_t(cols), o.map, lo, hi);

  // Layout: [row labels][grid][gap][scale], column labels above the grid.
  const float label_cap = 9.0f * em;
  float row_label_w = 0, col_label_h = 0;
  if (o.row_labels)
    for (auto& s : *o.row_labels) row_label_w = std::max(row_label_w, ImGui::CalcTextSize(one_line(s).c_str()).x);
  if (o.col_labels)
    for (auto& s : *o.col_labels) col_label_h = std::max(col_label_h, ImGui::CalcTextSize(one_line(s).c_str()).x);
  row_label_w = row_label_w > 0 ? std::min(row_label_w, label_cap) + 0.4f * em : 0;
  col_label_h = col_label_h > 0 ? std::min(col_label_h, label_cap) + 0.4f * em : 0;
  float scale_w = o.colour_scale ? 0.6f * em + 0.9f * em + 0.6f * em + scale_label_width(lo, hi, o.value_format) + 0.3f * em : 0;

  ImVec2 avail = ImGui::GetContentRegionAvail();
  float total_w = o.size.x > 0 ? o.size.x : std::max(avail.x, 4 * em);
  float grid_w = std::max(total_w - row_label_w - scale_w, 2.0f * em);
  float cell_w = grid_w / float(cols);
  float cell_h;
  float grid_h;
  if (o.size.y > 0) {
    grid_h = std::max(o.size.y - col_label_h - (o.colour_scale ? 0 : 0), 2.0f * em);
    cell_h = grid_h / float(rows);
    if (o.square_cells) {
      float c = std::min(cell_w, cell_h);
      cell_w = cell_h = c;
    }
  } else {
    float max_h = (o.max_height > 0 ? o.max_height : 24 * em) - col_label_h;
    cell_h = o.square_cells ? cell_w : std::max(em * 0.25f, std::min(cell_w, 1.2f * em));
    if (cell_h * rows > max_h) {
      cell_h = max_h / float(rows);
      if (o.square_cells) cell_w = cell_h;
    }
  }
  grid_w = cell_w * float(cols);
  grid_h = cell_h * float(rows);
  // The colour scale needs a minimum height to be readable.
  float body_h = std::max(grid_h, o.colour_scale ? 5.0f * em : 0.0f);

  ImVec2 origin = ImGui::GetCursorScreenPos();
  ImVec2 g0(origin.x + row_label_w, origin.y + col_label_h);
  ImVec2 g1(g0.x + grid_w, g0.y + grid_h);

  ImTextureID tex = colormap_texture("heatmap#" + std::to_string(uid), data, rows, cols, o.map, lo, hi, o.smooth);
  if (tex) {
    dl->AddImage(tex, g0, g1);
  } else {
    dl->AddRectFilled(g0, g1, plot_bg_colour());
    dl->AddText(ImVec2(g0.x + 4, g0.y + 4), axis_colour(), tr("(cannot draw: too large or no GPU shader)"));
  }
  if (o.causal_mask) {
    // One grey band per row right of the diagonal, with a few diagonal hatch lines: "no looking ahead", not "low".
    dl->PushClipRect(g0, g1, true);
    for (int r = 0; r + 1 < cols && r < rows; ++r)
      dl->AddRectFilled(ImVec2(g0.x + (r + 1) * cell_w, g0.y + r * cell_h), ImVec2(g1.x, g0.y + (r + 1) * cell_h),
                        IM_COL32(120, 120, 120, 255));
    const float step = std::max(0.6f * em, 6.0f);
    for (float d = 0; d < (g1.x - g0.x) + (g1.y - g0.y); d += step)
      dl->AddLine(ImVec2(g0.x + d, g0.y), ImVec2(g0.x + d - (g1.y - g0.y), g1.y), IM_COL32(150, 150, 150, 255), 1.0f);
    // The cells on and below the diagonal go back on top of the hatching.
    if (tex)
      for (int r = 0; r < rows; ++r) {
        const int c1 = std::min(cols, r + 1);
        ImVec2 a(g0.x, g0.y + r * cell_h), b(g0.x + c1 * cell_w, g0.y + (r + 1) * cell_h);
        dl->AddImage(tex, a, b, ImVec2(0, float(r) / rows), ImVec2(float(c1) / cols, float(r + 1) / rows));
      }
    dl->PopClipRect();
  }
  dl->AddRect(ImVec2(g0.x - 1, g0.y - 1), ImVec2(g1.x + 1, g1.y + 1), grid_colour());

  draw_labels(dl, data, rows, cols, o, g0, cell_w, cell_h, row_label_w, col_label_h);

  // Highlights.
  ImU32 mark = ImGui::GetColorU32(ImGuiCol_PlotLinesHovered);
  float thick = std::max(2.0f, 0.12f * em);
  if (o.highlight_row >= 0 && o.highlight_row < rows && o.highlight_col >= 0 && o.highlight_col < cols)
    dl->AddRect(ImVec2(g0.x + o.highlight_col * cell_w, g0.y + o.highlight_row * cell_h),
                ImVec2(g0.x + (o.highlight_col + 1) * cell_w, g0.y + (o.highlight_row + 1) * cell_h), mark, 0, 0, thick);
  else if (o.highlight_row >= 0 && o.highlight_row < rows)
    dl->AddRect(ImVec2(g0.x, g0.y + o.highlight_row * cell_h), ImVec2(g1.x, g0.y + (o.highlight_row + 1) * cell_h), mark,
                0, 0, thick);
  else if (o.highlight_col >= 0 && o.highlight_col < cols)
    dl->AddRect(ImVec2(g0.x + o.highlight_col * cell_w, g0.y), ImVec2(g0.x + (o.highlight_col + 1) * cell_w, g1.y), mark,
                0, 0, thick);

  // Hover: an invisible button over the grid.
  ImGui::SetCursorScreenPos(g0);
  ImGui::InvisibleButton("grid", ImVec2(std::max(grid_w, 1.0f), std::max(grid_h, 1.0f)));
  if (ImGui::IsItemHovered()) {
    ImVec2 m = ImGui::GetIO().MousePos;
    int c = std::clamp(int((m.x - g0.x) / cell_w), 0, cols - 1);
    int r = std::clamp(int((m.y - g0.y) / cell_h), 0, rows - 1);
    hover.hovered = true;
    hover.row = r;
    hover.col = c;
    hover.value = data[size_t(r) * size_t(cols) + size_t(c)];
    hover.clicked = ImGui::IsItemClicked(ImGuiMouseButton_Left);
    dl->AddRect(ImVec2(g0.x + c * cell_w, g0.y + r * cell_h), ImVec2(g0.x + (c + 1) * cell_w, g0.y + (r + 1) * cell_h),
                IM_COL32(255, 255, 255, 255), 0, 0, 2.0f);
    dl->AddRect(ImVec2(g0.x + c * cell_w - 1, g0.y + r * cell_h - 1),
                ImVec2(g0.x + (c + 1) * cell_w + 1, g0.y + (r + 1) * cell_h + 1), IM_COL32(0, 0, 0, 255), 0, 0, 1.0f);
    hover_tooltip(o, r, c, hover);
  }

  if (o.colour_scale) {
    float sx = g1.x + 0.6f * em;
    float pad = 0.5f * em;
    float top = g0.y + pad, h = body_h - 2 * pad;
    draw_scale_at("scale#" + std::to_string(uid), dl, ImVec2(sx, top), h, o.map, lo, hi, o.value_format);
  }
  ImGui::SetCursorScreenPos(origin);
  ImGui::Dummy(ImVec2(row_label_w + grid_w + scale_w, col_label_h + body_h));
  ImGui::PopID();
  return hover;
}

}  // namespace gb::ui
