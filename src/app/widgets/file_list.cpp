// See file_list.hpp.
#include "app/widgets/file_list.hpp"
#include "core/i18n.hpp"

#include <algorithm>
#include <cstdio>
#include <system_error>

#include <imgui.h>

namespace gb::ui {

namespace fs = std::filesystem;

bool begin_file_dialog(const char* title, bool* want_open) {
  if (*want_open) {
    ImGui::OpenPopup(title);
    *want_open = false;
  }
  const float em = ImGui::GetFontSize();
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowSize(ImVec2(std::min(48 * em, vp->Size.x * 0.9f), std::min(30 * em, vp->Size.y * 0.85f)),
                           ImGuiCond_Appearing);
  ImGui::SetNextWindowPos(ImVec2(vp->Pos.x + vp->Size.x / 2, vp->Pos.y + vp->Size.y / 2), ImGuiCond_Appearing,
                          ImVec2(0.5f, 0.5f));
  ImVec4 bg = ImGui::GetStyleColorVec4(ImGuiCol_PopupBg);
  bg.w = 1.0f;  // opaque: the panels behind must not show through the list
  ImGui::PushStyleColor(ImGuiCol_PopupBg, bg);
  const bool open = ImGui::BeginPopupModal(title, nullptr);
  ImGui::PopStyleColor();
  return open;
}

void FileList::list(const std::string& folder) {
  std::error_code ec;
  std::string start = folder;
  if (start.empty() || !fs::is_directory(start, ec)) start = fs::current_path(ec).string();
  fs::path p = fs::weakly_canonical(fs::path(start), ec);
  if (ec) p = fs::path(start);
  entries_.clear();
  error_.clear();
  folder_ = p.string();
  fs::directory_iterator it(p, fs::directory_options::skip_permission_denied, ec);
  if (ec) {
    error_ = folder_ + ": " + tr("cannot list this folder") + " (" + ec.message() + ")";
    return;
  }
  for (; it != fs::directory_iterator(); it.increment(ec)) {
    if (ec) break;
    FileEntry e;
    e.name = it->path().filename().string();
    if (e.name.empty() || e.name[0] == '.') continue;  // hidden files
    std::error_code ec2;
    e.folder = it->is_directory(ec2);
    if (keep_(*it, e)) entries_.push_back(e);
  }
  std::sort(entries_.begin(), entries_.end(), [](const FileEntry& a, const FileEntry& b) {
    if (a.folder != b.folder) return a.folder;
    return a.name < b.name;
  });
}

std::optional<std::string> FileList::draw(float height, char* path, size_t path_size, const char* empty_text) {
  ImGui::TextDisabled("%s", tr("folder:"));
  ImGui::SameLine();
  ImGui::TextWrapped("%s", folder_.c_str());
  if (!error_.empty()) ImGui::TextColored(ImVec4(1.0f, 0.45f, 0.35f, 1), "%s", error_.c_str());
  std::optional<std::string> chosen;
  std::string enter;  // folder to open after the loop (the list must not change while drawn)
  ImGui::BeginChild("##entries", ImVec2(0, height), true);
  if (fs::path(folder_).has_parent_path() && fs::path(folder_) != fs::path(folder_).root_path()) {
    if (ImGui::Selectable(tr("..  (the folder above)"), false, ImGuiSelectableFlags_AllowDoubleClick) &&
        ImGui::IsMouseDoubleClicked(0))
      enter = fs::path(folder_).parent_path().string();
  }
  for (const FileEntry& e : entries_) {
    std::string full = (fs::path(folder_) / e.name).string();
    std::string label = e.folder ? e.name + "/" : e.name;
    if (!e.note.empty()) label += "   (" + e.note + ")";
    if (ImGui::Selectable(label.c_str(), full == path, ImGuiSelectableFlags_AllowDoubleClick)) {
      if (!e.folder || e.choosable) std::snprintf(path, path_size, "%s", full.c_str());
      if (ImGui::IsMouseDoubleClicked(0)) {
        if (e.folder && !e.choosable)
          enter = full;
        else
          chosen = full;
      }
    }
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip("%s", e.folder ? (e.choosable ? tr("click to choose this folder; double-click opens it as the choice")
                                                      : tr("double-click to open this folder"))
                                       : tr("click to choose; double-click to take it"));
  }
  if (entries_.empty() && error_.empty()) ImGui::TextDisabled("%s", empty_text);
  ImGui::EndChild();
  if (!enter.empty()) list(enter);
  return chosen;
}

}  // namespace gb::ui
