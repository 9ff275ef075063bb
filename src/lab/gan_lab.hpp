// GanLab: the GAN workspace — a 2D GAN on toy distributions (GAN Lab natively) and the
// class-conditional Fashion-MNIST GAN — with settings, undo history, Run mode and live image-GAN
// training on a worker thread, all driven by commands.
//
// [SECTION] Commands (handle(); also listed with help by commands())
//   mode 2d|image             which GAN the workspace shows
//   2D GAN:
//   dataset ring|grid|moons|spiral|custom     the real distribution (custom = the drawn points)
//   points X Y X Y …          replace the drawn points (custom dataset; at least two different points)
//   point X Y                 add one drawn point        clear points
//   set NAME VALUE            a setting of gan_settings_table() (lab/gan_settings.cpp): loss, optim, lr-g, lr-d, k,
//                             speed, seed; the old `loss hinge`, `k 3`, `speed 20`, `seed 1` too; lr G [D] sets both rates
//   step d | step g | step [N]   one discriminator update, one generator update, or N full steps (k D + 1 G)
//   run | pause               Run mode: `speed` full steps per second from update()
//   preset NAME               ring, grid, moons, spiral, wgan-gp, sgd, mode-collapse (resets the networks)
//   seed S                    2D: `set seed` (new weights and random stream); image: the latent seed
//   reset                     new networks with the current settings
//   back [N]                  undo N steps or setting changes (2D)
//   image GAN:
//   load shipped | load PATH  the image-GAN model
//   class NAME|INDEX          which class to draw ("Sneaker", 7)
//   seed A | seed2 B          the two latent seeds      interpolate T   t in [0, 1] between them
//   samples N                 samples per class in the sample grid (1–12)
//   frames N                  frames in the interpolation strip (3–15)
//   train start [steps N] [every M] | train pause | train resume | train stop | train use
//
// Panels read the accessors below and change the lab only through commands.
#pragma once
#include <cstdint>
#include <future>
#include <memory>
#include <string>
#include <vector>

#include "lab/lab.hpp"
#include "models/gan/gan2d.hpp"
#include "models/gan/image_gan.hpp"
#include "models/gan/image_gan_worker.hpp"

namespace gb {

// What the image-GAN view shows: one generated image and what D thinks of it.
struct GanImageView {
  std::vector<uint8_t> image;  // (28, 28), 0 = background; empty when no model
  std::vector<float> z;        // the latent used
  int label = 0;               // class asked for
  float t = 0;                 // interpolation position between seed A and seed B
  float d_score = 0;           // discriminator's raw score
  float d_prob = 0;            // σ(score): D's probability that the image is real
};

// What the 2D panels draw, computed from the current networks on first use after a change.
struct Gan2dView {
  float lo = -2.5f, hi = 2.5f;     // the square [lo, hi]² of the plane that is shown
  int field_res = 0;
  std::vector<float> field;        // (field_res, field_res) D's output, row 0 at y = lo, x fastest
  bool field_is_prob = true;       // ns: σ(D) in [0, 1] ("probability real"); hinge / wgan-gp: raw score
  float field_min = 0, field_max = 0;
  std::vector<float> real;         // (n_real, 2) a fixed draw of real points
  std::vector<float> fake;         // (n_fake, 2) G(z) for fixed latents
  std::vector<FakeArrow> arrows;   // the first fakes with −∂Loss_G/∂x
  int grid_res = 0;                // latent grid: res × res latents over [−grid_extent, grid_extent]²
  float grid_extent = 2.5f;
  std::vector<float> grid;         // (grid_res · grid_res, 2) G(z) of the latent grid, z₁ fastest
  uint64_t version = 0;            // changes whenever the view is recomputed
};

// The image GAN's sample grid: sample j of every class uses latent seed `seed + j`, so a column
// shows one latent drawn as each class.
struct GanSampleGrid {
  int per_class = 0;
  uint64_t seed = 0;
  std::vector<uint8_t> images;   // (n_classes · per_class, 28, 28), class-major, 0 = background
  std::vector<float> d_score;    // (n_classes · per_class) D's raw score for the class asked for
  std::vector<float> d_prob;     // σ(score): D's probability "real"
};

// Frames of the latent interpolation between seed A (t = 0) and seed B (t = 1) for one class.
struct GanStrip {
  int label = 0;
  uint64_t seed_a = 0, seed_b = 0;
  std::vector<float> t;          // (frames) evenly spaced in [0, 1]
  std::vector<uint8_t> images;   // (frames, 28, 28)
  std::vector<float> d_score, d_prob;  // (frames)
};

// The 2D preset whose settings `c` has (everything but the seed), or "" when the settings were changed
// by hand. Read from the settings themselves, so `back` and `seed` keep the name right.
std::string gan2d_preset_name(const Gan2dConfig& c);

class GanLab : public Lab {
 public:
  GanLab();
  ~GanLab() override;
  GanLab(const GanLab&) = delete;
  GanLab& operator=(const GanLab&) = delete;

  std::string name() const override { return "gan"; }
  std::string title() const override { return "GAN (generator vs discriminator)"; }
  std::vector<PanelInfo> panels() const override;
  std::vector<CommandHelp> commands() const override;
  std::vector<SettingSpec> setting_table() const override;        // lab/lab_settings.cpp
  double setting_value(const std::string& name) const override;  // lab/lab_settings.cpp
  CommandResult handle(const Command& c) override;
  void update(double now_seconds) override;
  double seconds_until_update(double now_seconds) const override;
  std::string status() const override;
  // The first visit opens the 2D playground, latent map, losses and the Fashion GAN's samples (a
  // 2 × 2 tiling); interpolation and live training are one click away in the Model menu.
  std::vector<std::string> default_panels() const override;
  // Back to a fresh lab: Run mode and training stopped, ring preset, no drawn points or undo
  // history, image seeds 1 and 2, class 0, t = 0; a loaded image model stays loaded.
  void reset_to_defaults() override;
  void save_state(LabState& out) const override;  // gan_lab_state.cpp (session files)
  std::string check_state(const LabState& in) const override;
  void apply_state(const LabState& in) override;

  // [SECTION] 2D GAN (views: toy().disc_field(…), latent_grid(…), fake_arrows(…), history(), …)
  const std::string& mode() const { return mode_; }  // "2d" | "image"
  const Gan2d& toy() const { return *toy_; }
  std::string preset() const { return gan2d_preset_name(toy_->config()); }  // "" = settings changed by hand
  bool running() const { return running_; }
  float speed() const { return speed_; }
  // Wall-clock training budget per frame in Run mode (the rest of a frame's steps are dropped).
  void set_frame_budget_ms(double ms) { frame_budget_ms_ = ms; }
  // The windowed app: Run mode's training steps, and the views they change, on a worker thread, so a frame costs the
  // UI thread only the hand-over (the panels show the state one batch of steps behind). Off (tests, headless): the
  // steps run in update(). Commands wait for a batch under way first, so nothing they change is overwritten.
  void set_run_in_background(bool on) { background_ = on; }
  const ModeCoverage& coverage() const { return coverage_; }  // refreshed after every change
  size_t undo_depth() const { return undo_.size(); }
  const std::vector<float>& drawn_points() const { return drawn_; }  // (n, 2)
  // Field, points, arrows and latent grid of the current networks (recomputed lazily after changes).
  const Gan2dView& view2d() const;

  // [SECTION] image GAN
  bool has_image_model() const { return image_ != nullptr; }
  const ImageGan* image_model() const { return image_.get(); }
  const std::string& image_source() const { return image_source_; }
  const std::string& image_message() const { return image_message_; }  // why there is no model, or ""
  const GanImageView& image_view() const { return view_; }
  const GanSampleGrid& sample_grid() const;  // empty without a model
  const GanStrip& strip() const;             // empty without a model
  uint64_t seed_a() const { return seed_a_; }
  uint64_t seed_b() const { return seed_b_; }
  // Live training: the latest snapshot (null before `train start`).
  std::shared_ptr<const ImageGanSnapshot> training() const { return snap_; }

 private:
  CommandResult handle_2d(const Command& c);
  CommandResult handle_image(const Command& c);
  void push_undo();
  void after_change();
  struct RunBatch {  // a worker's training steps on its own copy of the 2D GAN
    std::unique_ptr<Gan2d> toy;
    Gan2dView view;
    ModeCoverage coverage;
  };
  void take_batch();    // the finished batch becomes the lab's state
  void finish_batch();  // waits for a batch under way, then takes it
  void ensure_image_model();
  void refresh_image_view();

  std::string mode_ = "2d";
  std::unique_ptr<Gan2d> toy_;
  std::vector<Gan2d> undo_;  // snapshots before each change, newest last (bounded)
  std::vector<float> drawn_; // (n, 2) points the user drew
  ModeCoverage coverage_;
  bool running_ = false;
  float speed_ = 120;        // Run-mode steps per second
  double last_update_ = -1;  // session clock at the previous update()
  double step_debt_ = 0;     // fractional steps owed by Run mode
  double frame_budget_ms_ = 12;  // keeps the window responsive

  std::shared_ptr<const ImageGan> image_;
  bool image_tried_ = false;
  std::string image_source_, image_message_;
  GanImageView view_;
  int label_ = 0;
  uint64_t seed_a_ = 1, seed_b_ = 2;
  float t_ = 0;
  int per_class_ = 4;   // sample-grid columns
  int frames_ = 9;      // interpolation-strip frames
  bool background_ = false;
  std::future<RunBatch> batch_;
  mutable Gan2dView view2d_;
  mutable bool view2d_dirty_ = true;
  mutable GanSampleGrid grid_;
  mutable bool grid_dirty_ = true;
  mutable GanStrip strip_;
  mutable bool strip_dirty_ = true;
  std::shared_ptr<const FashionMnist> data_;
  std::unique_ptr<ImageGanWorker> worker_;
  std::shared_ptr<const ImageGanSnapshot> snap_;
};

}  // namespace gb
