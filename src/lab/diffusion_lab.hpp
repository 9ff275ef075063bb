// DiffusionLab: the diffusion workspace's model, sampler settings, denoising trajectory and commands.
// It samples from the shipped Fashion-MNIST U-Net (data fashion-mnist), a shipped 2D toy model
// (data moons|swiss-roll|rings|gaussians) or a 2D model of points the user drew (data drawn: untrained
// until `train start`), one denoising step at a time with the full trace kept so
// `back` undoes a step; `train start` trains a fresh model of the current data on a worker thread.
// Every frame the trajectory has reached stays in a filmstrip cache (until the settings change), so
// going back keeps the whole picture sequence visible.
//
// Commands (see commands() for the one-line help shown to users):
//   data fashion-mnist|moons|swiss-roll|rings|gaussians|drawn   which model (loads the shipped file)
//   draw X Y [X Y …] | draw clear  the user's own 2D points (in [-3, 3]²), for data drawn
//   class NAME|INDEX|none        class to draw (image model; none = unconditional)
//   set NAME VALUE               a setting of diffusion_settings_table() (lab/diffusion_settings.cpp): sampler, steps,
//                                guidance, eta, seed, point-count; the old `guidance 5`, `seed 1`, `points 500` too
//   step [K] | back [K] | run [loop] | reset | t T | frame K     walk the trajectory
//   preset NAME                  a named setting (some work, some fail on purpose); runs to the end
//   compare guidance G… | compare steps S… | compare clear      same seed, several settings side by side
//   forward class C | forward index I | forward t T | forward seed S   the forward-process view
//   train start|pause|stop       train a fresh model of the current data (2D: seconds; images: slow)
//   budget auto|MS               ms of denoising per frame in the app (0 = whole trajectories at once)
//
// Long work never freezes the app: walking commands (step, run, t, frame, preset) and `compare` only
// set a target; going back is immediate, and the forward steps are computed in update() at most
// budget ms per frame (≥ 1 step), so a DDPM-1000 run shows "computing step 312 / 1000" while the
// window stays interactive. The trajectory is the same, bit for bit, however it is cut into frames.
// Budget `auto` (the default) computes synchronously inside handle() until update() has been called
// with a clock that moves (the app's frame loop); tests, the CLI and lesson checks that never move
// the clock see every command finished when handle() returns.
#pragma once
#include <future>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "models/data/fashion_mnist.hpp"
#include "lab/lab.hpp"
#include "models/diffusion/sampler.hpp"
#include "models/diffusion/train.hpp"

namespace gb {

// A named sampler setting shown in diffusion.sampler; `works` false = fails on purpose (to discuss).
struct DiffusionPreset {
  const char* name;     // "too-few-steps"
  const char* summary;  // what it sets and what happens (for the image model)
  bool works;
  SamplerKind kind;
  int steps;
  float guidance;
  float eta;
  bool about_guidance = false;     // only varies the class guidance: meaningless for the 2D models (no classes)
  const char* summary_2d = nullptr;  // what happens with a 2D model (nullptr: about_guidance, not offered)
};
const std::vector<DiffusionPreset>& diffusion_presets();
// The presets that mean something for the image model (all) or for a 2D model (no guidance presets).
std::vector<const DiffusionPreset*> diffusion_presets_for(bool image);
// What a preset does for the image model or for a 2D model.
const char* diffusion_preset_summary(const DiffusionPreset& p, bool image);

// [SECTION] colour scales of the pictures
// One rule for every picture a student compares, in every diffusion panel: a fixed range per kind of
// picture, never fitted to the data (a fitted range makes lightly noised pictures look faded and lets
// two panels draw the same x_t differently). Pixels outside the range are drawn at the end colour and
// marked; the counts say how many.
enum class DiffusionPicture {
  model_space,  // x_0, x_t, pred x_0, x_{t−1}: −1 = black background … +1 = white ink
  noise,        // ε and ε_θ: standard normal noise, ±3 holds 99.7% of it
};
struct DiffusionColourRange {
  float lo = -1, hi = 1;  // the colour scale's ends
  float slack = 0.05f;    // values beyond an end by less than this look the same as the end colour and are not
                          // marked (5% of the half-range: a background pixel at −1.02 is not "darker than black")
  int below = 0;          // values < lo − slack (drawn at the lo colour, marked ▼)
  int above = 0;          // values > hi + slack (marked ▲)
  bool is_below(float v) const { return v < lo - slack; }
  bool is_above(float v) const { return v > hi + slack; }
};
DiffusionColourRange diffusion_colour_range(DiffusionPicture kind, const float* values, size_t n);
// The square the 2D views show, [−lim, lim]² on both axes, in every 2D diffusion panel.
constexpr float kDiffusionPlaneLim = 3.0f;

// The result of `compare`: the same seed and class, one setting varied.
struct DiffusionComparison {
  std::string what;                          // "guidance" or "steps" (empty: nothing compared yet)
  std::vector<float> values;                 // the values tried, in the order given
  std::vector<std::vector<float>> samples;   // per value: (B, dim) final samples in model space
  SamplerConfig base;                        // the other settings
  int label = -1;                            // class drawn (−1 = unconditional / 2D)
  std::string data;                          // data set name
};

// The training view's live samples: drawn from the worker's newest EMA weights.
struct DiffusionLiveSamples {
  int64_t step = -1;           // training step of the weights used (−1 = none yet)
  std::vector<int> labels;     // (B) class of each sample (−1 for 2D)
  std::vector<float> samples;  // (B, dim)
  int dim = 0;
};

class DiffusionLab : public Lab {
 public:
  DiffusionLab();
  ~DiffusionLab() override;
  std::string name() const override { return "diffusion"; }
  std::string title() const override { return "Diffusion"; }
  std::vector<PanelInfo> panels() const override;
  // The first screen: sampler, one step, filmstrip, schedule (the rest are in the Model menu).
  std::vector<std::string> default_panels() const override;
  // Back to a fresh lab's settings (image model, Sneaker, DDIM 50, guidance 2.5, seed 1), stopping
  // training and play; shipped models already loaded stay in memory.
  void reset_to_defaults() override;
  void save_state(LabState& out) const override;  // diffusion_lab_state.cpp (session files)
  std::string check_state(const LabState& in) const override;
  void apply_state(const LabState& in) override;
  std::vector<CommandHelp> commands() const override;
  std::vector<SettingSpec> setting_table() const override;        // lab/lab_settings.cpp
  double setting_value(const std::string& name) const override;  // lab/lab_settings.cpp
  CommandResult handle(const Command& c) override;
  void update(double now_seconds) override;
  double seconds_until_update(double now_seconds) const override;
  std::string status() const override;

  // [SECTION] read-only views for panels
  const std::string& data() const { return data_; }
  bool is_image() const { return data_ == "fashion-mnist"; }
  int label() const { return label_; }                  // −1 = unconditional
  const SamplerConfig& sampler_config() const { return cfg_; }
  const Sampler* sampler() const { return sampler_.get(); }  // null until a model is loaded
  std::shared_ptr<const EpsModel> model() const { return model_; }
  // Loads the model of the current data set if none is loaded yet (panels call it once; the error
  // says what is missing).
  bool ensure_model(std::string& error);
  std::shared_ptr<const DiffusionTrainSnapshot> training() const { return snapshot_; }
  bool training_active() const { return worker_ != nullptr; }
  // The forward process of a real 28×28 image x0 ([-1, 1], 784 values) at timestep t.
  ForwardSample forward(const float* x0, int t, uint64_t seed) const;
  int points() const { return points_; }                // 2D: points sampled together
  const std::string& preset() const { return preset_; }  // last preset applied ("" after manual changes)
  bool playing() const { return playing_; }

  // [SECTION] incremental computation (see the file comment)
  // The step count the trajectory is heading to (== sampler()->steps_taken() when nothing is pending).
  int target_frame() const { return target_; }
  bool computing() const;                  // trajectory steps or a comparison still to compute
  // "computing step 312 / 1000" (or "computing comparison 2 / 6"), empty when nothing is pending.
  std::string progress() const;
  // Comparison under way: values done so far and in all (0, 0 when none).
  int compare_pending_done() const;
  int compare_pending_total() const;
  float compare_pending_fraction() const;  // 0..1 of the comparison's steps done (pictures and steps)
  // ms of denoising per update() (< 0: unlimited, i.e. synchronous), as now in force.
  double frame_budget_ms() const;
  // For tests and benchmarks: budget_ms < 0 = auto (the default), 0 = synchronous, > 0 = that many ms
  // per update(); max_steps > 0 also caps the sampler steps per update() (0 = no cap).
  void set_compute_budget(double budget_ms, int max_steps = 0);
  bool looping() const { return loop_; }  // `run loop`: the trajectory is recomputed from x_T forever

  // Filmstrip: frame k = the sample after k steps ((B, dim); empty when not reached yet), and the
  // x̂_0 predicted at step k (k = 0 … total−1; empty when not reached).
  const std::vector<std::vector<float>>& frames() const { return frames_; }
  const std::vector<std::vector<float>>& frame_x0() const { return frame_x0_; }

  const DiffusionComparison& comparison() const { return compare_; }

  // [SECTION] forward-process view (a real Fashion-MNIST test image, or 2D data points)
  int forward_class() const { return fwd_class_; }
  int forward_index() const { return fwd_index_; }     // n-th test image of that class
  int forward_t() const { return fwd_t_; }
  uint64_t forward_seed() const { return fwd_seed_; }
  int forward_count() const;                           // test images of forward_class (0: data missing)
  // x0 (784 in [-1, 1], or (points, 2) for 2D) of the chosen example; false + error if unavailable.
  bool forward_x0(std::vector<float>& x0, std::string& error) const;

  // [SECTION] 2D helpers
  // Predicted noise (n·n, 2) on an n×n grid over [lo, hi]² at timestep t (row 0 = y = hi). Cached.
  const std::vector<float>& eps_field(int t, float lo, float hi, int n) const;
  // Real points of the current 2D data set (for the reference cloud), n of them, fixed seed.
  const std::vector<float>& data_points() const;

  const DiffusionLiveSamples& live_samples() const { return live_; }
  // The points the user drew ((n, 2) in [-3, 3]²): the training data of `data drawn`.
  const std::vector<float>& drawn() const { return drawn_; }
  bool is_drawn() const { return data_ == "drawn"; }

 private:
  CommandResult load(const std::string& data);
  CommandResult restart();  // new sampler with the current settings (x_T from the seed)
  CommandResult compare(const Command& c);
  CommandResult forward_cmd(const Command& c);
  CommandResult apply_preset(const std::string& name);
  void sync_frames();       // copies the reached frames from the sampler's trace into the cache
  // Backs up to target_ at once, then steps towards it for at most budget_ms (< 0: no limit; 0: no
  // forward step) and max_steps steps (0: no cap); at least one step when budget_ms > 0.
  void advance(double budget_ms, int max_steps);
  // Walks after a walking command: synchronously, or only the cheap part when the app drives update().
  CommandResult walk(int target);
  struct CompareJob;
  void advance_compare(double budget_ms, int max_steps, int& steps_used);
  bool load_fashion_test(std::string& error) const;
  std::string data_ = "fashion-mnist";
  std::shared_ptr<const EpsModel> model_;
  std::map<std::string, std::shared_ptr<const EpsModel>> shipped_;  // loaded shipped models by data name
  SamplerConfig cfg_;
  int label_ = 7;  // "Sneaker": a clear shape to start with
  int points_ = 500;
  std::string preset_;
  std::unique_ptr<Sampler> sampler_;
  std::vector<std::vector<float>> frames_, frame_x0_;
  DiffusionComparison compare_;
  int fwd_class_ = 7, fwd_index_ = 0, fwd_t_ = 250;
  uint64_t fwd_seed_ = 1;
  mutable std::unique_ptr<FashionMnist> fashion_test_;
  mutable std::string fashion_error_;
  mutable std::vector<std::vector<int>> fashion_by_class_;
  mutable std::vector<float> field_, data_points_;
  mutable std::string field_key_, data_points_key_;
  std::unique_ptr<DiffusionTrainWorker> worker_;
  std::shared_ptr<const DiffusionTrainSnapshot> snapshot_;
  DiffusionLiveSamples live_;
  std::future<DiffusionLiveSamples> live_job_;
  bool playing_ = false;      // `play`: update() steps along the trajectory
  double play_started_ = -1;  // session clock when play started (−1: next update)
  int play_base_ = 0;         // steps taken when play started
  double live_last_ = -1e9;
  int target_ = 0;             // steps the trajectory is heading to
  bool loop_ = false;          // `run loop`
  double budget_ms_ = -1;      // −1 auto, 0 synchronous, > 0 ms per update()
  int max_steps_ = 0;          // cap on steps per update() (0: none; tests)
  bool clock_moves_ = false;   // update() has seen the clock move (the app's frame loop)
  double last_now_ = -1;
  std::unique_ptr<CompareJob> compare_job_;
  std::vector<float> drawn_;   // the user's points (n, 2)
};

// The shipped model file for a data set name ("fashion-mnist" → fashion-diffusion.safetensors,
// "moons" → moons-2d-diffusion.safetensors, …).
std::string diffusion_model_file(const std::string& data);

}  // namespace gb
