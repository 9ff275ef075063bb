// Turning model-space images ([-1, 1], 0 ↔ mid grey) into uint8 pixels (0 = background, like
// Fashion-MNIST), tiling them into a grid, and encoding .npy / greyscale .png (zlib only).
// In namespace gb::dimg so it never clashes with other families' image helpers.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace gb::dimg {

// pixels (count, 784) = round((x + 1) · 127.5), clamped to 0..255.
std::vector<uint8_t> to_pixels(const float* x, int count, int size = 784);
// Tiles count side×side images into rows of `cols`, with a `gap`-pixel border of value `gap_value`.
std::vector<uint8_t> tile(const uint8_t* images, int count, int side, int cols, int& width, int& height,
                          int gap = 2, uint8_t gap_value = 64);
// Scales a greyscale picture up by an integer factor (nearest neighbour) so it is easy to look at.
std::vector<uint8_t> upscale(const std::vector<uint8_t>& pixels, int width, int height, int factor);
// Adds a left margin of `margin` pixels (value `bg`) with one text label per row of a tiled grid,
// drawn with stb_easy_font (ASCII) at an integer `text_scale`, vertically centred on rows that
// start at row_top + r·row_pitch and are row_h tall. Returns the new picture; width grows by margin.
std::vector<uint8_t> label_rows(const std::vector<uint8_t>& pixels, int width, int height,
                                const std::vector<std::string>& labels, int row_top, int row_pitch, int row_h,
                                int text_scale, int margin, uint8_t bg = 0, uint8_t fg = 255);
// Width in pixels of `text` drawn by label_rows at text_scale 1.
int label_width(const std::string& text);
std::string encode_png_gray(const uint8_t* pixels, int width, int height);
std::string encode_npy_u8(const uint8_t* data, const std::vector<int>& shape);

}  // namespace gb::dimg
