// The placeholder panels' shared layout: honest text about what will come.
#include "app/panels/placeholder_text.hpp"

#include <imgui.h>

namespace gb::app {

void draw_placeholder(PanelContext& /*ctx*/, const char* heading, const char* intro,
                      std::initializer_list<const char*> coming) {
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_PlotLinesHovered));
  ImGui::TextWrapped("%s", heading);
  ImGui::PopStyleColor();
  ImGui::Spacing();
  ImGui::TextWrapped("%s", intro);
  ImGui::Spacing();
  ImGui::TextDisabled("Coming here:");
  for (const char* item : coming) {
    ImGui::Bullet();
    ImGui::TextWrapped("%s", item);
  }
  ImGui::Spacing();
  ImGui::Separator();
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  ImGui::TextWrapped("Not built yet: this is a placeholder, nothing here is simulated.");
  ImGui::PopStyleColor();
}

}  // namespace gb::app
