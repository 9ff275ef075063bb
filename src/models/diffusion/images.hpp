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
std::string encode_png_gray(const uint8_t* pixels, int width, int height);
std::string encode_npy_u8(const uint8_t* data, const std::vector<int>& shape);

}  // namespace gb::dimg
