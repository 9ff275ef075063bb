// DiffusionLab: the diffusion workspace's model, sampler settings, denoising trajectory and commands.
// It samples from the shipped Fashion-MNIST U-Net (data fashion-mnist) or a shipped 2D toy model
// (data moons|swiss-roll|rings|gaussians), one denoising step at a time with the full trace kept so
// `back` undoes a step; `train start` trains a fresh model of the current data on a worker thread.
//
// Commands:
//   data fashion-mnist|moons|swiss-roll|rings|gaussians   which model (loads the shipped file)
//   class NAME|INDEX|none        class to draw (image model; none = unconditional)
//   seed S | guidance G | sampler ddpm|ddim | steps N | eta X   sampler settings (restart the trajectory)
//   step [K] | back [K] | run | reset | t T                      walk the trajectory (t: go to timestep T)
//   train start|pause|stop       train a fresh model of the current data (2D: seconds; images: slow)
#pragma once
#include <memory>
#include <string>

#include "lab/lab.hpp"
#include "models/diffusion/sampler.hpp"
#include "models/diffusion/train.hpp"

namespace gb {

class DiffusionLab : public Lab {
 public:
  DiffusionLab();
  ~DiffusionLab() override;
  std::string name() const override { return "diffusion"; }
  std::string title() const override { return "Diffusion"; }
  std::vector<PanelInfo> panels() const override;
  std::vector<CommandHelp> commands() const override;
  CommandResult handle(const Command& c) override;
  void update(double now_seconds) override;
  std::string status() const override;

  // [SECTION] read-only views for panels
  const std::string& data() const { return data_; }
  bool is_image() const { return data_ == "fashion-mnist"; }
  int label() const { return label_; }                  // −1 = unconditional
  const SamplerConfig& sampler_config() const { return cfg_; }
  const Sampler* sampler() const { return sampler_.get(); }  // null until a model is loaded
  std::shared_ptr<const EpsModel> model() const { return model_; }
  std::shared_ptr<const DiffusionTrainSnapshot> training() const { return snapshot_; }
  // The forward process of a real 28×28 image x0 ([-1, 1], 784 values) at timestep t.
  ForwardSample forward(const float* x0, int t, uint64_t seed) const;
  int points() const { return points_; }                // 2D: points sampled together

 private:
  CommandResult load(const std::string& data);
  CommandResult restart();  // new sampler with the current settings (x_T from the seed)
  bool ensure_model(std::string& error);
  std::string data_ = "fashion-mnist";
  std::shared_ptr<const EpsModel> model_;
  SamplerConfig cfg_;
  int label_ = 7;  // "Sneaker": a clear shape to start with
  int points_ = 500;
  std::unique_ptr<Sampler> sampler_;
  std::unique_ptr<DiffusionTrainWorker> worker_;
  std::shared_ptr<const DiffusionTrainSnapshot> snapshot_;
};

// The shipped model file for a data set name ("fashion-mnist" → fashion-diffusion.safetensors,
// "moons" → moons-2d-diffusion.safetensors, …).
std::string diffusion_model_file(const std::string& data);

}  // namespace gb
