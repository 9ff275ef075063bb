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

// Encodes frames one at a time into memory (a long animation never holds all its RGBA frames), then writes the file
// atomically. Every frame is width × height and shown for `delay_cs` hundredths of a second; the GIF loops forever.
class GifWriter {
 public:
  GifWriter(std::string path, int width, int height, int delay_cs);  // throws gb::Error for a bad size
  ~GifWriter();
  GifWriter(const GifWriter&) = delete;
  GifWriter& operator=(const GifWriter&) = delete;
  void add(const std::vector<unsigned char>& rgba);  // (height, width, 4); throws gb::Error for the wrong size
  void finish();                                     // writes the file; throws gb::Error naming it
  int frames() const { return frames_; }

 private:
  std::string path_;
  int width_, height_, delay_cs_, frames_ = 0;
  std::string bytes_;
  void* gif_ = nullptr;  // GifFileType*
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
