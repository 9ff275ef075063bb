// TransformerLab: the transformer workspace's model, settings, history and commands.
// Placeholder until the transformer engine lands: it lists its panels and accepts no commands yet.
#pragma once
#include "lab/lab.hpp"

namespace gb {

class TransformerLab : public Lab {
 public:
  std::string name() const override { return "transformer"; }
  std::string title() const override { return "Transformer (GPT)"; }
  std::vector<PanelInfo> panels() const override;
  std::vector<CommandHelp> commands() const override { return {}; }
  CommandResult handle(const Command& c) override {
    return CommandResult::bad("transformer: unknown command `" + c.verb() + "` (the transformer engine is not built yet)");
  }
};

}  // namespace gb
