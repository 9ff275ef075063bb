// DiffusionLab: the diffusion workspace's model, settings, history and commands.
// Placeholder until the diffusion engine lands: it lists its panels and accepts no commands yet.
#pragma once
#include "lab/lab.hpp"

namespace gb {

class DiffusionLab : public Lab {
 public:
  std::string name() const override { return "diffusion"; }
  std::string title() const override { return "Diffusion"; }
  std::vector<PanelInfo> panels() const override;
  std::vector<CommandHelp> commands() const override { return {}; }
  CommandResult handle(const Command& c) override {
    return CommandResult::bad("diffusion: unknown command `" + c.verb() + "` (the diffusion engine is not built yet)");
  }
};

}  // namespace gb
