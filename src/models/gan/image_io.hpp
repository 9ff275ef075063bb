// Writing generated images: greyscale PNG (zlib-compressed, no dependencies beyond zlib) and NumPy
// .npy uint8 arrays, both through gb::write_file_atomic.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace gb {

// An 8-bit greyscale PNG of width × height pixels (row-major, 0 = black).
std::string encode_png_gray(const uint8_t* pixels, int width, int height);
void write_png_gray(const std::string& path, const uint8_t* pixels, int width, int height);

// A .npy file holding a C-order uint8 array of the given shape.
std::string encode_npy_u8(const uint8_t* data, const std::vector<int>& shape);
void write_npy_u8(const std::string& path, const uint8_t* data, const std::vector<int>& shape);

// Tiles count images of side×side into a grid with `cols` columns and a 2-pixel gap of `gap_value`;
// returns the pixels and sets width/height.
std::vector<uint8_t> tile_images(const uint8_t* images, int count, int side, int cols, int& width, int& height,
                                 uint8_t gap_value = 40);

}  // namespace gb
