// Animated GIFs of things that move (generation token by token, the denoising filmstrip, the GAN over training, a VAE
// walk): RGBA frames → one global 256-colour palette (a fixed colour cube of our own plus a grey ramp, nearest colour by
// a 32k-entry lookup) → Debian's giflib for the encoding. No window needed; the app renders the frames.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace gb {

struct GifFrame {
  std::vector<unsigned char> rgba;  // (height, width, 4) rows top to bottom; alpha ignored
};

// Writes `frames` (each width × height) as an animated GIF that loops forever, each frame shown for `delay_cs`
// hundredths of a second (≥ 2: browsers slow faster GIFs down). Written atomically. Throws gb::Error naming the file.
void write_gif(const std::string& path, const std::vector<GifFrame>& frames, int width, int height, int delay_cs);

// The delay in hundredths of a second for a frame rate (0.5–50 fps), at least 2.
int gif_delay_for_fps(double fps);

// What a GIF holds (read back with giflib's DGifSlurp; tests and `glassbox export gif` report it).
struct GifInfo {
  int width = 0, height = 0, frames = 0;
  std::vector<int> delays_cs;  // per frame (from its graphics control block; −1 when it has none)
  bool loops = false;          // has the NETSCAPE2.0 looping block
};
GifInfo read_gif_info(const std::string& path);
// Frame i of a GIF as RGBA (width × height × 4), for looking at frames and for tests. Throws gb::Error.
std::vector<unsigned char> read_gif_frame(const std::string& path, int index, int& width, int& height);

}  // namespace gb
