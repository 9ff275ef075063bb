// The settings tables of the labs (declared once; see lab/setting_spec.hpp). Panels read the specs
// for their sliders' ranges and tooltips, the CLI for its flags, `help commands` for its table.
#pragma once
#include <string>
#include <vector>

#include "lab/setting_spec.hpp"
#include "lab/transformer_lab.hpp"
#include "models/diffusion/sampler.hpp"
#include "models/gan/gan2d.hpp"

namespace gb {

// What `diffusion set …` changes: the sampler and the 2D point count.
struct DiffusionSettings {
  SamplerConfig sampler;
  int points = 500;  // 2D: points sampled together
};

// What `gan set …` changes: the 2D game's training settings and Run-mode speed.
struct GanSettings {
  Gan2dConfig toy;
  float speed = 120;  // Run-mode steps per second
};

// What `vae set …` changes: the conditional VAE's prior samples.
struct VaeSettings {
  uint64_t seed = 1;      // sample j of a class uses seed + j
  float temperature = 1;  // z = T·ε
  int per_class = 8;      // samples per class in the panel
  int prior = 0;          // 0 = the fitted prior (when the model has one), 1 = the standard normal N(0, I)
};

// What `teach set …` changes: the fine-tuning and DPO settings, the data mix and the run length.
struct TeachSettings {
  float lr = 1e-3f;    // AdamW learning rate
  float beta = 0.1f;   // DPO β
  uint64_t seed = 1;   // LoRA start, batches, samples, mixed corpus
  double mix = 0.5;    // share of "she" doctor stories
  int rank = 0;        // LoRA rank (0: every weight)
  int steps = 30;      // fine-tuning steps of one run
};

const SettingsTable<TransformerSettings>& transformer_settings_table();  // lab/transformer_settings.cpp
const SettingsTable<DiffusionSettings>& diffusion_settings_table();      // lab/diffusion_settings.cpp
const SettingsTable<GanSettings>& gan_settings_table();                  // lab/gan_settings.cpp
const SettingsTable<VaeSettings>& vae_settings_table();                  // lab/vae_settings.cpp
const SettingsTable<TeachSettings>& teach_settings_table();              // lab/teach_settings.cpp

// The specs of lab `lab` ("transformer", "diffusion", "gan", "vae", "teach"); empty for a lab without settings.
std::vector<SettingSpec> lab_setting_specs(const std::string& lab);
// One spec by lab and name (panels: slider range and tooltip). Throws gb::Error when there is none.
const SettingSpec& lab_setting(const std::string& lab, const std::string& name);
// The numeric flags of the CLI's subcommands that no lab setting covers (--steps, --batch, --lr, …), one row
// each with the subcommand in .flag (lab/command_flags.cpp).
const std::vector<SettingSpec>& command_flag_specs();
// One of them; throws gb::Error when `subcommand` has no such flag.
const SettingSpec& command_flag(const std::string& subcommand, const std::string& name);
// The specs whose CLI flag belongs to `subcommand` ("generate", "sample diffusion", "train gan"): the labs'
// settings first, then the subcommand's own rows from command_flag_specs().
std::vector<SettingSpec> cli_setting_specs(const std::string& subcommand);
// The tooltip of a slider: "help: range unit (default D) · command `LAB set NAME VALUE`".
std::string setting_tooltip(const std::string& lab, const std::string& name);

}  // namespace gb
