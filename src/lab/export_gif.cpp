// Animated GIF writing and reading through giflib (see export_gif.hpp). The palette and the colour matching are ours;
// the LZW encoding and the file format are giflib's.
#include "lab/export_gif.hpp"

#include <gif_lib.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <utility>

#include "core/error.hpp"
#include "core/files.hpp"

namespace gb {

namespace {

// [SECTION] Palette: a 6×6×6 colour cube (216 colours) and a 40-step grey ramp (the UI is mostly greys).
struct Palette {
  std::array<GifColorType, 256> colours{};
  std::vector<uint8_t> lookup;  // (32, 32, 32) 5-bit RGB → nearest palette index
};

const Palette& palette() {
  static const Palette p = [] {
    Palette q;
    int n = 0;
    for (int r = 0; r < 6; ++r)
      for (int g = 0; g < 6; ++g)
        for (int b = 0; b < 6; ++b) q.colours[size_t(n++)] = {uint8_t(r * 51), uint8_t(g * 51), uint8_t(b * 51)};
    for (int i = 0; i < 40; ++i) {  // greys between the cube's own (which are multiples of 51)
      uint8_t v = uint8_t(std::lround(255.0 * (i + 1) / 41.0));
      q.colours[size_t(n++)] = {v, v, v};
    }
    q.lookup.resize(32 * 32 * 32);
    for (int r = 0; r < 32; ++r)
      for (int g = 0; g < 32; ++g)
        for (int b = 0; b < 32; ++b) {
          const int R = r * 8 + 4, G = g * 8 + 4, B = b * 8 + 4;
          int best = 0;
          long best_d = 1L << 40;
          for (int i = 0; i < 256; ++i) {
            const auto& c = q.colours[size_t(i)];
            // weighted distance (the eye is most sensitive to green, least to blue)
            long dr = R - c.Red, dg = G - c.Green, db = B - c.Blue;
            long d = 3 * dr * dr + 4 * dg * dg + 2 * db * db;
            if (d < best_d) best_d = d, best = i;
          }
          q.lookup[size_t((r * 32 + g) * 32 + b)] = uint8_t(best);
        }
    return q;
  }();
  return p;
}

int write_bytes(GifFileType* gif, const GifByteType* data, int n) {
  static_cast<std::string*>(gif->UserData)->append(reinterpret_cast<const char*>(data), size_t(n));
  return n;
}

[[noreturn]] void gif_fail(const std::string& path, const char* what, int code) {
  const char* msg = GifErrorString(code);
  throw Error(path + ": " + what + " (" + (msg ? msg : "giflib error") + ")");
}

}  // namespace

int gif_delay_for_fps(double fps) {
  fps = std::clamp(fps, 0.5, 50.0);
  return std::max(2, int(std::lround(100.0 / fps)));
}

GifWriter::GifWriter(std::string path, int width, int height, int delay_cs)
    : path_(std::move(path)), width_(width), height_(height), delay_cs_(delay_cs) {
  if (width < 1 || height < 1 || width > 65535 || height > 65535)
    throw Error(path_ + ": a GIF frame must be 1 to 65535 pixels a side, not " + std::to_string(width) + "x" +
                std::to_string(height));
  const Palette& pal = palette();
  int err = 0;
  GifFileType* gif = EGifOpen(&bytes_, write_bytes, &err);
  if (!gif) gif_fail(path_, "cannot start the GIF", err);
  gif_ = gif;
  EGifSetGifVersion(gif, true);
  ColorMapObject* map = GifMakeMapObject(256, pal.colours.data());
  if (!map) throw Error(path_ + ": out of memory for the GIF palette");
  const int put = EGifPutScreenDesc(gif, width, height, 8, 0, map);
  GifFreeMapObject(map);
  if (put == GIF_ERROR) gif_fail(path_, "cannot write the screen description", gif->Error);
  // NETSCAPE2.0: loop forever.
  const unsigned char loop[3] = {1, 0, 0};
  if (EGifPutExtensionLeader(gif, APPLICATION_EXT_FUNC_CODE) == GIF_ERROR ||
      EGifPutExtensionBlock(gif, 11, "NETSCAPE2.0") == GIF_ERROR || EGifPutExtensionBlock(gif, 3, loop) == GIF_ERROR ||
      EGifPutExtensionTrailer(gif) == GIF_ERROR)
    gif_fail(path_, "cannot write the looping block", gif->Error);
}

GifWriter::~GifWriter() {
  int e = 0;
  if (gif_) EGifCloseFile(static_cast<GifFileType*>(gif_), &e);
}

void GifWriter::add(const std::vector<unsigned char>& rgba) {
  if (!gif_) throw Error(path_ + ": the GIF is already finished");
  if (rgba.size() != size_t(width_) * size_t(height_) * 4) throw Error(path_ + ": a frame has the wrong size");
  auto* gif = static_cast<GifFileType*>(gif_);
  const Palette& pal = palette();
  GraphicsControlBlock gcb{};
  gcb.DisposalMode = DISPOSE_DO_NOT;
  gcb.UserInputFlag = false;
  gcb.DelayTime = delay_cs_;
  gcb.TransparentColor = NO_TRANSPARENT_COLOR;
  GifByteType ext[4];
  const size_t len = EGifGCBToExtension(&gcb, ext);
  if (EGifPutExtension(gif, GRAPHICS_EXT_FUNC_CODE, int(len), ext) == GIF_ERROR)
    gif_fail(path_, "cannot write a frame's delay", gif->Error);
  if (EGifPutImageDesc(gif, 0, 0, width_, height_, false, nullptr) == GIF_ERROR)
    gif_fail(path_, "cannot write a frame", gif->Error);
  std::vector<GifByteType> line(static_cast<size_t>(width_), 0);
  for (int y = 0; y < height_; ++y) {
    const unsigned char* px = rgba.data() + size_t(y) * size_t(width_) * 4;
    for (int x = 0; x < width_; ++x, px += 4)
      line[size_t(x)] = pal.lookup[size_t(((px[0] >> 3) * 32 + (px[1] >> 3)) * 32 + (px[2] >> 3))];
    if (EGifPutLine(gif, line.data(), width_) == GIF_ERROR) gif_fail(path_, "cannot write a frame's pixels", gif->Error);
  }
  ++frames_;
}

void GifWriter::finish() {
  if (!gif_) throw Error(path_ + ": the GIF is already finished");
  if (frames_ == 0) throw Error(path_ + ": no frames to write");
  int err = 0;
  auto* gif = static_cast<GifFileType*>(gif_);
  gif_ = nullptr;
  if (EGifCloseFile(gif, &err) == GIF_ERROR) gif_fail(path_, "cannot finish the GIF", err);
  write_file_atomic(path_, bytes_);
}

void write_gif(const std::string& path, const std::vector<GifFrame>& frames, int width, int height, int delay_cs) {
  if (frames.empty()) throw Error(path + ": no frames to write");
  GifWriter w(path, width, height, delay_cs);
  for (auto& f : frames) w.add(f.rgba);
  w.finish();
}

namespace {

struct Slurped {
  GifFileType* gif = nullptr;
  ~Slurped() {
    int e = 0;
    if (gif) DGifCloseFile(gif, &e);
  }
};

void slurp(const std::string& path, Slurped& s) {
  int err = 0;
  s.gif = DGifOpenFileName(path.c_str(), &err);
  if (!s.gif) gif_fail(path, "cannot open the GIF", err);
  if (DGifSlurp(s.gif) == GIF_ERROR) gif_fail(path, "cannot read the GIF", s.gif->Error);
}

bool is_loop_block(const ExtensionBlock* blocks, int n) {
  for (int i = 0; i < n; ++i)
    if (blocks[i].Function == APPLICATION_EXT_FUNC_CODE && blocks[i].ByteCount == 11 &&
        std::memcmp(blocks[i].Bytes, "NETSCAPE2.0", 11) == 0)
      return true;
  return false;
}

}  // namespace

GifInfo read_gif_info(const std::string& path) {
  Slurped s;
  slurp(path, s);
  GifInfo info;
  info.width = s.gif->SWidth;
  info.height = s.gif->SHeight;
  info.frames = s.gif->ImageCount;
  info.loops = is_loop_block(s.gif->ExtensionBlocks, s.gif->ExtensionBlockCount);
  for (int i = 0; i < s.gif->ImageCount; ++i) {
    const SavedImage& im = s.gif->SavedImages[i];
    if (is_loop_block(im.ExtensionBlocks, im.ExtensionBlockCount)) info.loops = true;
    GraphicsControlBlock gcb{};
    info.delays_cs.push_back(DGifSavedExtensionToGCB(s.gif, i, &gcb) == GIF_OK ? gcb.DelayTime : -1);
  }
  return info;
}

std::vector<unsigned char> read_gif_frame(const std::string& path, int index, int& width, int& height) {
  Slurped s;
  slurp(path, s);
  if (index < 0 || index >= s.gif->ImageCount)
    throw Error(path + ": has " + std::to_string(s.gif->ImageCount) + " frames, no frame " + std::to_string(index));
  width = s.gif->SWidth;
  height = s.gif->SHeight;
  std::vector<unsigned char> out(size_t(width) * size_t(height) * 4, 0);
  for (size_t i = 3; i < out.size(); i += 4) out[i] = 255;
  // Frames drawn one over the other from the first (our GIFs keep every frame whole, so this is the frame itself).
  for (int f = 0; f <= index; ++f) {
    const SavedImage& im = s.gif->SavedImages[f];
    const ColorMapObject* map = im.ImageDesc.ColorMap ? im.ImageDesc.ColorMap : s.gif->SColorMap;
    if (!map) throw Error(path + ": frame " + std::to_string(f) + " has no colour table");
    const int L = im.ImageDesc.Left, T = im.ImageDesc.Top, W = im.ImageDesc.Width, H = im.ImageDesc.Height;
    for (int y = 0; y < H; ++y)
      for (int x = 0; x < W; ++x) {
        const int X = L + x, Y = T + y;
        if (X < 0 || Y < 0 || X >= width || Y >= height) continue;
        const int c = im.RasterBits[size_t(y) * size_t(W) + size_t(x)];
        if (c >= map->ColorCount) continue;
        unsigned char* px = out.data() + (size_t(Y) * size_t(width) + size_t(X)) * 4;
        px[0] = map->Colors[c].Red, px[1] = map->Colors[c].Green, px[2] = map->Colors[c].Blue;
      }
  }
  return out;
}

}  // namespace gb
