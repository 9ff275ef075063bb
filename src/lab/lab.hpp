// The interface every model-family lab implements (TransformerLab, DiffusionLab, GanLab).
// A lab owns a model, its settings, its history (so every step can be undone) and a background
// training worker; it changes only through commands. No ImGui/OpenGL here.
#pragma once
#include <string>
#include <vector>

#include "lab/command.hpp"
#include "lab/setting_spec.hpp"

namespace gb {

struct LabState;  // lab/lab_state.hpp

struct PanelInfo {
  std::string id;     // stable name used by lessons, screenshots and settings: "transformer.attention"
  std::string title;  // window title in words a student knows: "Attention (who looks at whom)"
};

class Lab {
 public:
  virtual ~Lab() = default;
  virtual std::string name() const = 0;                    // "transformer", "diffusion", "gan"
  virtual std::string title() const = 0;                   // "Transformer (GPT)"
  virtual std::vector<PanelInfo> panels() const = 0;       // the workspace's panels, in menu order
  // The panels opened on the first visit to the workspace (the rest stay one click away in the
  // Model menu, so the first screen is not crowded). Default: all of them.
  virtual std::vector<std::string> default_panels() const {
    std::vector<std::string> ids;
    for (auto& p : panels()) ids.push_back(p.id);
    return ids;
  }
  virtual std::vector<CommandHelp> commands() const = 0;   // the verbs handle() accepts
  // The lab's settings table (lab/lab_settings.hpp): `set NAME VALUE` accepts each; setting_value reads the
  // field a setting sets (tests walk the table through commands and read it back). Default: no settings.
  virtual std::vector<SettingSpec> setting_table() const { return {}; }
  virtual double setting_value(const std::string& /*name*/) const { return 0; }
  // Runs one command whose verb belongs to this lab. Never throws for bad user input: the result
  // says what was wrong.
  virtual CommandResult handle(const Command& c) = 0;
  // Called once per frame on the UI thread (and by headless drivers): swap in snapshots published
  // by the training worker, advance Run mode. Must never block.
  virtual void update(double /*now_seconds*/) {}
  // Seconds until update() has work of its own again with no input (0: every frame, as in Run mode or while a
  // trajectory is computed; infinity: nothing pending). Background workers wake the app themselves (wake_ui), so
  // an idle app sleeps until input, a worker's news or this deadline.
  virtual double seconds_until_update(double /*now_seconds*/) const { return kNever; }
  static constexpr double kNever = 1e30;
  // One line for the status bar: "training step 1200 · loss 1.84" or "idle".
  virtual std::string status() const { return "idle"; }
  // [SECTION] Session files (lab/session_file.hpp): what the lab keeps beyond its settings table — a prompt,
  // drawn points, a step position, weights it trained. save_state writes it; check_state reads all of it and
  // returns "" or the problem, naming the file and the field, without changing anything (it may throw
  // gb::Error for the same); apply_state is called only after every lab's check passed and after
  // reset_to_defaults and the settings. Default: nothing beyond the settings.
  virtual void save_state(LabState& /*out*/) const {}
  virtual std::string check_state(const LabState& /*in*/) const { return ""; }
  virtual void apply_state(const LabState& /*in*/) {}
  // Back to the state a fresh lab starts in (settings, seeds, selection, sequence), stopping any
  // training and Run mode, but keeping loaded models in memory so it is cheap (lessons call it on
  // every Next/Back). The default does nothing.
  virtual void reset_to_defaults() {}
};

}  // namespace gb
