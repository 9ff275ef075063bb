// PNG and .npy writers for generated images.
#include "models/gan/image_io.hpp"

#include <zlib.h>

#include "core/error.hpp"
#include "core/files.hpp"
#include "core/npy.hpp"

namespace gb {

static void put_be32(std::string& s, uint32_t v) {
  for (int i = 3; i >= 0; --i) s.push_back(char((v >> (8 * i)) & 0xFF));
}

static void png_chunk(std::string& out, const char* type, const std::string& data) {
  put_be32(out, uint32_t(data.size()));
  std::string body = std::string(type, 4) + data;
  out += body;
  put_be32(out, uint32_t(crc32(0, reinterpret_cast<const Bytef*>(body.data()), uInt(body.size()))));
}

std::string encode_png_gray(const uint8_t* pixels, int width, int height) {
  if (width <= 0 || height <= 0) fail("png: empty image");
  std::string raw;  // each row: filter byte 0, then the pixels
  raw.reserve(size_t(height) * (size_t(width) + 1));
  for (int y = 0; y < height; ++y) {
    raw.push_back(0);
    raw.append(reinterpret_cast<const char*>(pixels) + size_t(y) * width, size_t(width));
  }
  uLongf zlen = compressBound(uLong(raw.size()));
  std::string z(zlen, '\0');
  if (compress2(reinterpret_cast<Bytef*>(z.data()), &zlen, reinterpret_cast<const Bytef*>(raw.data()), uLong(raw.size()),
                6) != Z_OK)
    fail("png: zlib compression failed");
  z.resize(zlen);
  std::string out = "\x89PNG\r\n\x1a\n";
  std::string ihdr;
  put_be32(ihdr, uint32_t(width));
  put_be32(ihdr, uint32_t(height));
  ihdr += std::string("\x08\x00\x00\x00\x00", 5);  // 8-bit, greyscale, deflate, no filter, no interlace
  png_chunk(out, "IHDR", ihdr);
  png_chunk(out, "IDAT", z);
  png_chunk(out, "IEND", "");
  return out;
}

void write_png_gray(const std::string& path, const uint8_t* pixels, int width, int height) {
  write_file_atomic(path, encode_png_gray(pixels, width, height));
}

std::string encode_npy_u8(const uint8_t* data, const std::vector<int>& shape) {
  return encode_npy("|u1", shape, data, 1);
}

void write_npy_u8(const std::string& path, const uint8_t* data, const std::vector<int>& shape) {
  write_file_atomic(path, encode_npy_u8(data, shape));
}

std::vector<uint8_t> tile_images(const uint8_t* images, int count, int side, int cols, int& width, int& height,
                                 uint8_t gap_value) {
  const int gap = 2;
  if (count <= 0 || cols <= 0) fail("tile_images: nothing to tile");
  const int rows = (count + cols - 1) / cols;
  width = cols * side + (cols + 1) * gap;
  height = rows * side + (rows + 1) * gap;
  std::vector<uint8_t> out(size_t(width) * height, gap_value);
  for (int i = 0; i < count; ++i) {
    const int ox = gap + (i % cols) * (side + gap), oy = gap + (i / cols) * (side + gap);
    for (int y = 0; y < side; ++y)
      for (int x = 0; x < side; ++x)
        out[size_t(oy + y) * width + ox + x] = images[size_t(i) * side * side + size_t(y) * side + x];
  }
  return out;
}

}  // namespace gb
