// Shared teach panel helpers: lab lookup, the not-ready notes.
#include "app/panels/teach_common.hpp"

#include <imgui.h>

#include "app/panels/transformer_inspect.hpp"

namespace gb::app {

TeachLab* teach_lab(PanelContext& ctx) {
  auto* lab = dynamic_cast<TeachLab*>(&ctx.session.lab("teach"));
  if (!lab) note("This session has no teach lab.");
  return lab;
}

bool teach_ready(PanelContext& ctx, const TeachLab& lab) {
  if (!lab.loaded()) {
    accent_text("No model is loaded for teaching yet.");
    note("The teach workspace starts from the shipped stories model (it stays as a frozen copy: the base).");
    if (ImGui::Button("Load the stories model")) ctx.run("teach load shipped");
    return false;
  }
  if (lab.busy()) {
    TeachProgress p = lab.progress();
    note("%s step %lld of %lld \xe2\x80\xa6", p.job == TeachProgress::Job::dpo ? "Learning from the votes:" : "Fine-tuning:",
         (long long)p.step, (long long)p.total);
    return false;
  }
  return true;
}

}  // namespace gb::app
