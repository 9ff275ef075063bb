// File → Save session / Open session (see session_dialog.hpp).
#include "app/session_dialog.hpp"

#include <cstdio>
#include <ctime>
#include <filesystem>

#include <imgui.h>

#include "lab/command.hpp"
#include "lab/session_file.hpp"
#include "core/i18n.hpp"

namespace gb::app {

namespace fs = std::filesystem;

SessionDialog::SessionDialog()
    : files_([](const fs::directory_entry& d, ui::FileEntry& e) {
        return e.folder || d.path().extension() == kSessionExtension;
      }) {}

void SessionDialog::open(bool save, const std::string& folder, const std::vector<std::string>& recent) {
  save_ = save;
  recent_ = recent;
  files_.list(folder);
  path_[0] = 0;
  if (save) {  // a name with today's date: class-2026-12-07.glassbox
    std::time_t t = std::time(nullptr);
    char day[32] = "session";
    if (std::tm* tm = std::localtime(&t)) std::strftime(day, sizeof day, "class-%Y-%m-%d", tm);
    std::snprintf(path_, sizeof path_, "%s", (fs::path(files_.folder()) / (std::string(day) + kSessionExtension)).string().c_str());
  }
  want_open_ = true;
}

std::optional<std::string> SessionDialog::draw() {
  // One popup id in every language (###session): a language switch cannot leave a second one open.
  const std::string title = std::string(save_ ? tr("Save the session") : tr("Open a session")) + "###session";
  const float em = ImGui::GetFontSize();
  const bool open = ui::begin_file_dialog(title.c_str(), &want_open_);
  std::optional<std::string> chosen;
  if (!open) return chosen;

  ImGui::TextWrapped("%s", save_ ? tr("One .glassbox file keeps every workspace's settings, what the labs hold (prompts, drawn points, votes…), the open panels and the lesson step, so the class can go on tomorrow from here.")
                                 : tr("Opening a session replaces what the workspaces show now by what the file holds. A damaged file is refused with the reason, and nothing changes."));
  if (!save_ && !recent_.empty()) {
    ImGui::TextDisabled("%s", tr("recent sessions:"));
    for (auto& r : recent_) {
      if (ImGui::Selectable(r.c_str(), r == path_, ImGuiSelectableFlags_AllowDoubleClick)) {  // i18n: keep (a path)
        std::snprintf(path_, sizeof path_, "%s", r.c_str());
        if (ImGui::IsMouseDoubleClicked(0)) chosen = r;
      }
    }
    ImGui::Separator();
  }
  const float footer = ImGui::GetFrameHeightWithSpacing() * 2 + ImGui::GetStyle().ItemSpacing.y;
  if (auto picked = files_.draw(-footer, path_, sizeof path_, tr("(no .glassbox files here)"))) chosen = *picked;

  const char* path_label = tr("path");
  ImGui::SetNextItemWidth(-ImGui::CalcTextSize(path_label).x - ImGui::GetStyle().ItemInnerSpacing.x - em);
  bool typed_enter = ImGui::InputText(path_label, path_, sizeof path_, ImGuiInputTextFlags_EnterReturnsTrue);
  ImGui::BeginDisabled(path_[0] == 0);
  if (ImGui::Button(save_ ? tr("Save") : tr("Open")) || (typed_enter && path_[0])) chosen = std::string(path_);
  ImGui::EndDisabled();
  ImGui::SameLine();
  if (ImGui::Button(tr("Cancel")) || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape))) ImGui::CloseCurrentPopup();
  if (chosen) {
    std::string p = *chosen;
    if (save_ && fs::path(p).extension() != kSessionExtension) p += kSessionExtension;
    chosen = std::string(save_ ? "session save " : "session open ") + quote_word(p);
    ImGui::CloseCurrentPopup();
  }
  ImGui::EndPopup();
  return chosen;
}

}  // namespace gb::app
