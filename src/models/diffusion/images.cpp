// uint8 conversion, tiling, PNG (zlib) and .npy encoders for diffusion samples.
#include "models/diffusion/images.hpp"

#include <algorithm>
#include <cmath>

#include <zlib.h>

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function"
#pragma GCC diagnostic ignored "-Wsign-compare"
#include <stb/stb_easy_font.h>  // header-only, static functions (Debian libstb-dev)
#pragma GCC diagnostic pop

#include "core/error.hpp"

namespace gb::dimg {

int label_width(const std::string& text) {
  std::string t = text;
  return stb_easy_font_width(t.data());
}

std::vector<uint8_t> label_rows(const std::vector<uint8_t>& pixels, int width, int height,
                                const std::vector<std::string>& labels, int row_top, int row_pitch, int row_h,
                                int text_scale, int margin, uint8_t bg, uint8_t fg) {
  const int W = width + margin;
  std::vector<uint8_t> out(size_t(W) * height, bg);
  for (int y = 0; y < height; ++y)
    std::copy(pixels.begin() + long(size_t(y) * width), pixels.begin() + long(size_t(y + 1) * width),
              out.begin() + long(size_t(y) * W + margin));
  std::vector<char> buf(64 * 1024);
  for (size_t r = 0; r < labels.size(); ++r) {
    std::string t = labels[r];
    // stb_easy_font: quads of 4 vertices (x, y, z, colour) in font units; glyphs are ~7 units tall
    const int q = stb_easy_font_print(0, 0, t.data(), nullptr, buf.data(), int(buf.size()));
    const float* v = reinterpret_cast<const float*>(buf.data());
    const int x0 = std::max(1, margin - 4 * text_scale - stb_easy_font_width(t.data()) * text_scale);
    const int y0 = row_top + int(r) * row_pitch + (row_h - 7 * text_scale) / 2;
    for (int k = 0; k < q; ++k) {
      const float* a = v + k * 16;  // 4 vertices × 4 floats
      const int qx0 = x0 + int(std::lround(a[0] * text_scale)), qy0 = y0 + int(std::lround(a[1] * text_scale));
      const int qx1 = x0 + int(std::lround(a[8] * text_scale)), qy1 = y0 + int(std::lround(a[9] * text_scale));
      for (int y = std::max(0, qy0); y < std::min(height, qy1); ++y)
        for (int x = std::max(0, qx0); x < std::min(margin, qx1); ++x) out[size_t(y) * W + x] = fg;
    }
  }
  return out;
}

std::vector<uint8_t> to_pixels(const float* x, int count, int size) {
  std::vector<uint8_t> p(size_t(count) * size);
  for (size_t i = 0; i < p.size(); ++i) p[i] = uint8_t(std::clamp(std::lround((x[i] + 1.0f) * 127.5f), 0L, 255L));
  return p;
}

std::vector<uint8_t> tile(const uint8_t* images, int count, int side, int cols, int& width, int& height, int gap,
                          uint8_t gap_value) {
  cols = std::max(1, std::min(cols, count));
  const int rows = (count + cols - 1) / cols;
  width = cols * (side + gap) + gap;
  height = rows * (side + gap) + gap;
  std::vector<uint8_t> out(size_t(width) * height, gap_value);
  for (int k = 0; k < count; ++k) {
    const int r = k / cols, c = k % cols;
    for (int i = 0; i < side; ++i)
      std::copy(images + (size_t(k) * side + i) * side, images + (size_t(k) * side + i + 1) * side,
                out.begin() + long(size_t(gap + r * (side + gap) + i) * width + gap + c * (side + gap)));
  }
  return out;
}

std::vector<uint8_t> upscale(const std::vector<uint8_t>& p, int width, int height, int f) {
  std::vector<uint8_t> out(size_t(width) * f * height * f);
  for (int y = 0; y < height * f; ++y)
    for (int x = 0; x < width * f; ++x) out[size_t(y) * width * f + x] = p[size_t(y / f) * width + x / f];
  return out;
}

static void put_u32(std::string& s, uint32_t v) {
  for (int k = 3; k >= 0; --k) s += char((v >> (8 * k)) & 0xFF);
}

static void chunk(std::string& png, const char* type, const std::string& data) {
  put_u32(png, uint32_t(data.size()));
  std::string td = std::string(type, 4) + data;
  png += td;
  put_u32(png, uint32_t(crc32(0, reinterpret_cast<const Bytef*>(td.data()), uInt(td.size()))));
}

std::string encode_png_gray(const uint8_t* pixels, int width, int height) {
  std::string raw;  // each row: filter byte 0, then the pixels
  raw.reserve(size_t(width + 1) * height);
  for (int y = 0; y < height; ++y) {
    raw += '\0';
    raw.append(reinterpret_cast<const char*>(pixels + size_t(y) * width), size_t(width));
  }
  uLongf zlen = compressBound(uLong(raw.size()));
  std::string z(zlen, '\0');
  if (compress2(reinterpret_cast<Bytef*>(z.data()), &zlen, reinterpret_cast<const Bytef*>(raw.data()), uLong(raw.size()), 9) != Z_OK)
    fail("png: compression failed");
  z.resize(zlen);
  std::string png("\x89PNG\r\n\x1a\n", 8);
  std::string ihdr;
  put_u32(ihdr, uint32_t(width));
  put_u32(ihdr, uint32_t(height));
  ihdr += std::string("\x08\x00\x00\x00\x00", 5);  // 8-bit greyscale, deflate, no filter, no interlace
  chunk(png, "IHDR", ihdr);
  chunk(png, "IDAT", z);
  chunk(png, "IEND", "");
  return png;
}

std::string encode_npy_u8(const uint8_t* data, const std::vector<int>& shape) {
  std::string dims;
  size_t n = 1;
  for (int d : shape) {
    dims += std::to_string(d) + ", ";
    n *= size_t(d);
  }
  if (shape.size() > 1) dims.resize(dims.size() - 1);  // "(2, 3)"; one dim keeps "(2,)"
  if (shape.size() > 1) dims.pop_back();
  if (shape.size() == 1) dims.pop_back();
  std::string header = "{'descr': '|u1', 'fortran_order': False, 'shape': (" + dims + "), }";
  while ((10 + header.size() + 1) % 64) header += ' ';
  header += '\n';
  std::string out("\x93NUMPY\x01\x00", 8);
  out += char(header.size() & 0xFF);
  out += char(header.size() >> 8);
  out += header;
  out.append(reinterpret_cast<const char*>(data), n);
  return out;
}

}  // namespace gb::dimg
