// What a session file keeps of the VAE lab beyond its settings table (lab/session_file.hpp): the atlas cursor,
// the picture going through the VAE (a test image, or the class's own drawing, kept as a 28×28 tensor), its ε
// draw, the two pictures of the interpolation and the class of the samples. A VAE trained live in the β panel is
// not kept yet (it trains again in seconds).
#include <cmath>

#include "core/error.hpp"
#include "lab/lab_state.hpp"
#include "lab/vae_lab.hpp"

namespace gb {

namespace {
struct SavedVae {
  float cursor[2] = {0, 0};
  int image = 0, interp_a = 0, interp_b = 1, cls = 0;
  uint64_t eps_seed = 1;
  bool use_canvas = false;
  std::vector<uint8_t> canvas;
};

SavedVae read_saved(const LabState& in) {
  JsonIn j = in.in();
  SavedVae s;
  s.cursor[0] = float(j.number_or("cursor_z1", 0, -6, 6));
  s.cursor[1] = float(j.number_or("cursor_z2", 0, -6, 6));
  s.image = j.int32_or("image", 0, 0, 9999);
  s.interp_a = j.int32_or("interpolate_a", 0, 0, 9999);
  s.interp_b = j.int32_or("interpolate_b", 1, 0, 9999);
  s.cls = j.int32_or("class", 0, -1, 9);
  s.eps_seed = uint64_t(j.integer_or("eps_draw", 1, 0, int64_t(1) << 53));
  s.use_canvas = j.boolean_or("drawing", false);
  if (in.has_tensor("canvas")) {
    const StateTensor& t = in.tensor("canvas", {28, 28});
    for (float v : t.data) {
      if (!(v >= 0 && v <= 255 && v == std::floor(v))) j.fail_here("canvas: a pixel is not a whole number from 0 to 255");
      s.canvas.push_back(uint8_t(v));
    }
  }
  return s;
}
}  // namespace

void VaeLab::save_state(LabState& out) const {
  out.fields["cursor_z1"] = cursor_[0];
  out.fields["cursor_z2"] = cursor_[1];
  out.fields["image"] = image_;
  out.fields["interpolate_a"] = interp_a_;
  out.fields["interpolate_b"] = interp_b_;
  out.fields["class"] = class_;
  out.fields["eps_draw"] = eps_seed_;
  out.fields["drawing"] = use_canvas_;
  bool ink = false;
  for (uint8_t p : canvas_) ink |= p != 0;
  if (ink) out.tensors["canvas"] = StateTensor{{28, 28}, std::vector<float>(canvas_.begin(), canvas_.end())};
}

std::string VaeLab::check_state(const LabState& in) const {
  if (in.empty()) return "";
  read_saved(in);  // throws gb::Error naming the file and the field
  return "";
}

void VaeLab::apply_state(const LabState& in) {
  if (in.empty()) return;
  const SavedVae s = read_saved(in);
  cursor_[0] = s.cursor[0];
  cursor_[1] = s.cursor[1];
  const int last = test_ ? test_->count - 1 : 9999;  // fewer test images than the file names: the last one
  image_ = std::min(s.image, last);
  interp_a_ = std::min(s.interp_a, last);
  interp_b_ = std::min(s.interp_b, last);
  class_ = s.cls;
  eps_seed_ = s.eps_seed;
  use_canvas_ = s.use_canvas;
  canvas_ = s.canvas.empty() ? std::vector<uint8_t>(784, 0) : s.canvas;
  map_dirty_ = atlas_dirty_ = one_dirty_ = interp_dirty_ = samples_dirty_ = cursor_dirty_ = true;
}

}  // namespace gb
