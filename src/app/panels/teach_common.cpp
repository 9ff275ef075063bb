// Shared teach panel helpers: lab lookup, the not-ready notes.
#include "core/i18n.hpp"
#include "app/panels/teach_common.hpp"

#include <imgui.h>

#include <cstdio>

#include "app/panels/transformer_format.hpp"
#include "app/panels/transformer_inspect.hpp"
#include "lab/command.hpp"

namespace gb::app {

TeachLab* teach_lab(PanelContext& ctx) {
  auto* lab = dynamic_cast<TeachLab*>(&ctx.session.lab("teach"));
  if (!lab) {
    note(tr("This session has no teach lab."));
    return nullptr;
  }
  static bool tried = false;  // the shipped model loads on the first look (once: a failure stays on screen)
  if (!lab->loaded() && !lab->busy() && !tried) {
    tried = true;
    ctx.run("teach load shipped");
  }
  return lab;
}

std::string teach_token_label(const std::string& text) {
  std::string out;
  for (char ch : text) {
    if (ch == ' ') out += "\xe2\x90\xa3";
    else if (ch == '\n') out += "\xe2\x86\xb5";
    else out += ch;
  }
  return visible_punctuation(out);
}

std::string teach_count(double n) {
  char b[32];
  if (n >= 1e6) std::snprintf(b, sizeof b, "%.3g M", n / 1e6);
  else if (n >= 1e3) std::snprintf(b, sizeof b, "%.3g k", n / 1e3);
  else std::snprintf(b, sizeof b, "%.0f", n);
  return b;
}

bool teach_ready(PanelContext& ctx, const TeachLab& lab) {
  if (!lab.loaded()) {
    accent_text(tr("No model is loaded for teaching yet."));
    note(tr("The teach workspace starts from the shipped stories model (it stays as a frozen copy: the base)."));
    if (ctx.allows("teach load shipped") && ImGui::Button(tr("Load the stories model"))) ctx.run("teach load shipped");
    return false;
  }
  if (lab.busy()) {
    TeachProgress p = lab.progress();
    note(tr("%s step %lld of %lld …"), p.job == TeachProgress::Job::dpo ? tr("Learning from the votes:") : tr("Fine-tuning:"),
         (long long)p.step, (long long)p.total);
    return false;
  }
  return true;
}

void teach_prompt_input(PanelContext& ctx, const TeachLab& lab, TeachPromptEdit& edit, const char* label, const char* tip, float width) {
  if (lab.prompt() != edit.seen) {
    std::snprintf(edit.text, sizeof edit.text, "%s", lab.prompt().c_str());
    edit.seen = lab.prompt();
  }
  ImGui::PushID(label);
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(label);
  ImGui::SameLine();
  const char* use = tr("Use");  // the field leaves room for the whole (translated) button
  const float use_w = ImGui::CalcTextSize(use).x + 2 * ImGui::GetStyle().FramePadding.x + ImGui::GetStyle().ItemSpacing.x;
  ImGui::SetNextItemWidth(std::max(6 * ImGui::GetFontSize(), std::min(width, ImGui::GetContentRegionAvail().x - use_w)));
  const bool enter = ImGui::InputText("##prompt", edit.text, sizeof edit.text, ImGuiInputTextFlags_EnterReturnsTrue);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tip);
  ImGui::SameLine();
  if ((ImGui::Button(use) || enter) && edit.text[0]) ctx.run("teach prompt " + quote_word(edit.text));
  ImGui::PopID();
}

}  // namespace gb::app
