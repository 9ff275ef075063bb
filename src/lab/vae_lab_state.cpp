// What a session file keeps of the VAE lab beyond its settings table (lab/session_file.hpp): the atlas cursor,
// the picture going through the VAE (a test image, or the class's own drawing, kept as a 28×28 tensor), its ε
// draw, the two pictures of the interpolation and the class of the samples. A map VAE trained live in the β panel
// (`train use`) is kept bit for bit with its config; the shipped one by name only, so a file stays small.
#include <cmath>

#include "core/error.hpp"
#include "core/files.hpp"
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
  VaeConfig config;             // the map's VAE trained in the session (empty weights: the shipped one)
  std::string source;
  std::vector<float> weights;
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
  if (in.has_tensor("weights")) {
    JsonIn t = j.object("trained");
    try {
      s.config = VaeConfig::from_json(t.string("config"), in.file);
    } catch (const Error& e) {
      t.fail_here(std::string("config: ") + e.what());
    }
    if (s.config.conditional() || s.config.latent != 2) t.fail_here("config: the map's VAE has a 2D latent and no classes");
    const int64_t n = s.config.param_count();  // counted before allocating: a hand-edited config cannot ask for gigabytes
    if (n > 30'000'000) t.fail_here("config: more parameters than the lab trains");
    s.weights = in.tensor("weights", {int64_t(Vae(s.config).p.data.size())}).data;
    s.source = t.string_or("source", "trained here");
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
  if (vae2d_ && src2d_.rfind("trained here", 0) == 0) {  // `train use`: the weights, bit for bit
    out.fields["trained"] = {{"config", vae2d_->config().to_json()}, {"source", src2d_}};
    out.tensors["weights"] = StateTensor{{int64_t(vae2d_->p.data.size())}, vae2d_->p.data};
  }
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
  if (!s.weights.empty()) {
    auto v = std::make_shared<Vae>(s.config);
    if (v->p.data.size() == s.weights.size()) {
      v->p.data = s.weights;
      vae2d_ = std::move(v);
      src2d_ = s.source.rfind("trained here", 0) == 0 ? s.source : "trained here (" + s.source + ")";
      models_changed();
    }
  } else if (src2d_.rfind("trained here", 0) == 0) {  // the file keeps the shipped model: not this session's
    try {
      vae2d_ = std::make_shared<const Vae>(Vae::load(assets_dir() + "/models/fashion-vae-2d.safetensors"));
      src2d_ = "shipped fashion-vae-2d";
    } catch (const Error&) {
      vae2d_.reset();  // the panels say the shipped model is missing, as on a first start without it
    }
    models_changed();
  }
  map_dirty_ = atlas_dirty_ = one_dirty_ = interp_dirty_ = samples_dirty_ = cursor_dirty_ = true;
}

}  // namespace gb
