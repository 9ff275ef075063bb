// VaeLab: the VAE workspace — the shipped 2D-latent VAE (the latent plane is the screen) and the
// class-conditional VAE, one image through the VAE (a test image or one drawn with the mouse), the
// interpolation between two images, conditional samples, live training on a worker thread (β presets,
// KL warm-up, pause/resume, atomic checkpoints) and all image families side by side. Driven by commands.
//
// [SECTION] Commands (handle(); also listed with help by commands())
//   load shipped | load FILE     a VAE checkpoint: a conditional one replaces the conditional VAE, an
//                                unconditional 2D one the map's VAE; a bad file leaves the loaded model as it was
//   cursor Z1 Z2                 the point of the latent plane the atlas decodes large
//   image I                      test image I (0–9999) goes through the 2D VAE
//   draw X Y [X Y …]             paint with a soft brush on the 28×28 canvas (pixel coordinates, 0–27);
//                                the drawing then goes through the VAE        canvas clear
//   resample                     a new ε for z = μ + σ·ε
//   interpolate A B              the two test images of the interpolation strip
//   class NAME|INDEX|all         conditional samples: one class, or a row per class
//   seed S | temperature T | grid N   seed of the prior draw, scale of ε (0–3), samples per class (1–16)
//   compare                      the same class and seed through the GAN, the conditional VAE and diffusion
//   train start [beta B] [steps N] [warmup W] [checkpoint FILE] [every M] | train beta0|beta1|beta8
//   train pause | train resume | train stop | train use
//
// Settings: `vae set NAME VALUE` from lab/vae_settings.cpp; `train start`'s numbers are the rows of
// `glassbox train vae` (lab/command_flags.cpp); pause/resume/stop come from lab/train_control.hpp.
#pragma once
#include <cstdint>
#include <future>
#include <memory>
#include <string>
#include <vector>

#include "core/idx.hpp"
#include "lab/lab.hpp"
#include "models/vae/vae.hpp"
#include "models/vae/vae_worker.hpp"

namespace gb {

// 2000 test images encoded by the 2D VAE: the latent map.
struct VaeMap {
  int count = 0;
  std::vector<float> mu;       // (count, 2)
  std::vector<float> sigma;    // (count, 2)
  std::vector<int> labels;     // (count)
  float lo = -4, hi = 4;       // the square of the plane shown (covers the points and the prior's 3σ ring)
  uint64_t version = 0;
};

// The latent plane decoded on a res × res grid over [lo, hi]² (the classic atlas).
struct VaeAtlas {
  int res = 0;
  float lo = -3, hi = 3;
  std::vector<uint8_t> images;  // (res · res, 28, 28), row 0 = top (z2 = hi), z1 fastest
  uint64_t version = 0;
};

// One image through the 2D VAE.
struct VaeOneImage {
  std::string source;           // "test image 17" or "your drawing"
  int test_index = -1;          // −1 for the drawing
  int true_label = -1;          // the test image's class (−1 for the drawing)
  std::vector<uint8_t> input;   // (28, 28)
  VaeTrace trace;               // μ, σ, ε, z, reconstruction, both loss terms
  std::vector<uint8_t> recon;   // (28, 28) the reconstruction as bytes
  uint64_t eps_seed = 1;
};

// Two test images: their z's joined by a straight line and decoded, beside a pixel cross-fade.
struct VaeInterp {
  int a = 0, b = 1;             // test image indices
  int frames = 10;
  std::vector<float> t;              // (frames) 0 … 1
  std::vector<float> z;              // (frames, 2) points on the line between μ_a and μ_b
  std::vector<uint8_t> latent_line;  // (frames, 28, 28) decoded
  std::vector<uint8_t> crossfade;    // (frames, 28, 28) (1 − t)·a + t·b in pixels
  std::vector<int> labels;           // the two test images' classes
};

// Conditional samples from the prior: for each class shown, `per_class` samples with ε from seed + j.
struct VaeSamples {
  std::vector<int> classes;     // the classes shown (one, or all ten)
  int per_class = 0;
  uint64_t seed = 0;
  float temperature = 1;
  bool fitted = false;          // drawn from the model's fitted prior (else N(0, I))
  std::vector<float> z;         // (classes · per_class, Z)
  std::vector<int> component;   // (classes · per_class) the fitted mixture's component drawn, −1 for N(0, I)
  std::vector<uint8_t> images;  // (classes · per_class, 28, 28), class-major
};

// One family's picture in the side-by-side comparison.
struct FamilyResult {
  std::string family;           // "GAN", "conditional VAE", "diffusion (DDIM)"
  std::string model;            // file it came from
  bool ok = false;
  std::string message;          // why there is no picture
  std::vector<uint8_t> image;   // (28, 28)
  double seconds = 0;           // wall time for this one image
  int network_evals = 0;        // forward passes of a network to make it
  std::string trade;            // what the family trades, in plain words
};

struct VaeCompare {
  int label = 0;
  uint64_t seed = 1;
  std::vector<FamilyResult> rows;  // GAN, conditional VAE, diffusion
};

class VaeLab : public Lab {
 public:
  VaeLab();
  ~VaeLab() override;
  VaeLab(const VaeLab&) = delete;
  VaeLab& operator=(const VaeLab&) = delete;

  std::string name() const override { return "vae"; }
  std::string title() const override { return "VAE (squeeze a picture into a few numbers)"; }
  std::vector<PanelInfo> panels() const override;
  std::vector<std::string> default_panels() const override;
  std::vector<CommandHelp> commands() const override;
  std::vector<SettingSpec> setting_table() const override;        // lab/lab_settings.cpp
  double setting_value(const std::string& name) const override;  // lab/lab_settings.cpp
  CommandResult handle(const Command& c) override;
  void update(double now_seconds) override;
  double seconds_until_update(double now_seconds) const override;
  std::string status() const override;
  void reset_to_defaults() override;
  void save_state(LabState& out) const override;  // vae_lab_state.cpp (session files)
  std::string check_state(const LabState& in) const override;
  void apply_state(const LabState& in) override;

  // [SECTION] models (loaded on first use from assets/models)
  bool has_map_model() const { return vae2d_ != nullptr; }
  bool has_cond_model() const { return cvae_ != nullptr; }
  const Vae* map_model() const { return vae2d_.get(); }
  const Vae* cond_model() const { return cvae_.get(); }
  const std::string& map_source() const { return src2d_; }
  const std::string& cond_source() const { return srcc_; }
  const std::string& load_message() const { return message_; }  // why a model or the test images are missing
  bool has_test_images() const { return test_ != nullptr; }
  const FashionMnist* test_images() const { return test_.get(); }
  // Loads the shipped models and test images if not tried yet (panels call it on first draw).
  void ensure_loaded();

  // [SECTION] views (recomputed lazily after a change; empty without the model they need)
  const VaeMap& map() const;
  const VaeAtlas& atlas() const;
  float cursor_z1() const { return cursor_[0]; }
  float cursor_z2() const { return cursor_[1]; }
  const std::vector<uint8_t>& cursor_image() const;  // (28, 28) decoded cursor
  const VaeOneImage& one() const;
  const std::vector<uint8_t>& canvas() const { return canvas_; }  // (28, 28) the drawing
  const VaeInterp& interp() const;
  const VaeSamples& samples() const;
  const VaeCompare& comparison() const { return compare_; }  // empty rows until `compare` has finished
  // `compare` runs on a background thread (diffusion takes seconds); true until its result is swapped in by update().
  bool computing() const { return compare_job_.valid(); }
  std::shared_ptr<const VaeSnapshot> training() const { return snap_; }  // null before `train start`

 private:
  CommandResult handle_train(const Command& c);
  CommandResult compare();
  void models_changed();

  std::shared_ptr<const Vae> vae2d_, cvae_;
  std::string src2d_, srcc_, message_;
  bool tried_ = false;
  std::shared_ptr<const FashionMnist> test_, train_;

  float cursor_[2] = {0, 0};
  int image_ = 0;                 // test image for "one image"
  bool use_canvas_ = false;
  std::vector<uint8_t> canvas_ = std::vector<uint8_t>(784, 0);
  uint64_t eps_seed_ = 1;
  int interp_a_ = 0, interp_b_ = 1;
  int class_ = 0;                 // −1 = all classes
  uint64_t seed_ = 1;
  float temperature_ = 1;
  int per_class_ = 8;
  int prior_ = 0;  // VaeSettings::prior

  mutable VaeMap map_;
  mutable VaeAtlas atlas_;
  mutable VaeOneImage one_;
  mutable VaeInterp interp_;
  mutable VaeSamples samples_;
  mutable std::vector<uint8_t> cursor_img_;
  // Views to recompute on next read (set by the commands that change what they show).
  mutable bool map_dirty_ = true, atlas_dirty_ = true, one_dirty_ = true, interp_dirty_ = true, samples_dirty_ = true,
               cursor_dirty_ = true;
  VaeCompare compare_;
  std::future<VaeCompare> compare_job_;
  bool compare_again_ = false;  // `compare` came while a job ran: start another when it ends
  uint64_t compare_generation_ = 0, compare_job_generation_ = 0;  // reset_to_defaults discards a job in flight

  std::unique_ptr<VaeWorker> worker_;
  std::shared_ptr<const VaeSnapshot> snap_;
};

}  // namespace gb
