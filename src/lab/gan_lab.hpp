// GanLab: the gan workspace's model, settings, history and commands.
// Placeholder until the gan engine lands: it lists its panels and accepts no commands yet.
#pragma once
#include "lab/lab.hpp"

namespace gb {

class GanLab : public Lab {
 public:
  std::string name() const override { return "gan"; }
  std::string title() const override { return "GAN (generator vs discriminator)"; }
  std::vector<PanelInfo> panels() const override;
  std::vector<CommandHelp> commands() const override { return {}; }
  CommandResult handle(const Command& c) override {
    return CommandResult::bad("gan: unknown command `" + c.verb() + "` (the gan engine is not built yet)");
  }
};

}  // namespace gb
