// File → Open model (see open_model.hpp).
#include "app/open_model.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <system_error>

#include <imgui.h>

#include "app/widgets/draw_util.hpp"

namespace gb::app {

namespace fs = std::filesystem;

void OpenModelDialog::open(const std::string& folder) {
  std::error_code ec;
  std::string start = folder;
  if (start.empty() || !fs::is_directory(start, ec)) start = fs::current_path(ec).string();
  list(start);
  path_[0] = 0;
  want_open_ = true;
}

void OpenModelDialog::list(const std::string& folder) {
  std::error_code ec;
  fs::path p = fs::weakly_canonical(fs::path(folder), ec);
  if (ec) p = fs::path(folder);
  entries_.clear();
  error_.clear();
  fs::directory_iterator it(p, fs::directory_options::skip_permission_denied, ec);
  if (ec) {
    error_ = p.string() + ": cannot list this folder (" + ec.message() + ")";
    folder_ = p.string();
    return;
  }
  folder_ = p.string();
  for (; it != fs::directory_iterator(); it.increment(ec)) {
    if (ec) break;
    const fs::directory_entry& e = *it;
    std::string name = e.path().filename().string();
    if (name.empty() || name[0] == '.') continue;  // hidden files
    std::error_code ec2;
    if (e.is_directory(ec2)) {
      Entry en{name, true, false};
      en.gpt2_folder = fs::exists(e.path() / "config.json", ec2) && fs::exists(e.path() / "model.safetensors", ec2);
      entries_.push_back(en);
    } else if (e.path().extension() == ".safetensors") {
      entries_.push_back({name, false, false});
    }
  }
  std::sort(entries_.begin(), entries_.end(), [](const Entry& a, const Entry& b) {
    if (a.folder != b.folder) return a.folder;
    return a.name < b.name;
  });
}

std::optional<std::string> OpenModelDialog::draw() {
  const char* title = "Open a transformer model";
  if (want_open_) {
    ImGui::OpenPopup(title);
    want_open_ = false;
  }
  const float em = ImGui::GetFontSize();
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowSize(ImVec2(std::min(48 * em, vp->Size.x * 0.9f), std::min(30 * em, vp->Size.y * 0.85f)),
                           ImGuiCond_Appearing);
  ImGui::SetNextWindowPos(ImVec2(vp->Pos.x + vp->Size.x / 2, vp->Pos.y + vp->Size.y / 2), ImGuiCond_Appearing,
                          ImVec2(0.5f, 0.5f));
  std::optional<std::string> chosen;
  ImVec4 bg = ImGui::GetStyleColorVec4(ImGuiCol_PopupBg);
  bg.w = 1.0f;  // opaque: the panels behind must not show through the file list
  ImGui::PushStyleColor(ImGuiCol_PopupBg, bg);
  const bool open = ImGui::BeginPopupModal(title, nullptr);
  ImGui::PopStyleColor();
  if (!open) return chosen;

  ImGui::TextWrapped("A Glassbox checkpoint (.safetensors) or a Hugging Face GPT-2 folder (config.json, "
                     "model.safetensors, vocab.json / encoder.json and merges.txt / vocab.bpe).");
  if (ImGui::Button("The shipped stories model")) chosen = "shipped";
  ui::same_line_if_fits(ImGui::CalcTextSize("A tiny random model").x + 2 * em);
  if (ImGui::Button("A tiny random model")) chosen = "random";
  ImGui::Separator();

  ImGui::TextDisabled("folder:");
  ImGui::SameLine();
  ImGui::TextWrapped("%s", folder_.c_str());
  if (!error_.empty()) ImGui::TextColored(ImVec4(1.0f, 0.45f, 0.35f, 1), "%s", error_.c_str());
  const float footer = ImGui::GetFrameHeightWithSpacing() * 2 + ImGui::GetStyle().ItemSpacing.y;
  ImGui::BeginChild("##entries", ImVec2(0, -footer), true);
  std::string enter;  // folder to open after the loop (the list must not change while drawn)
  if (fs::path(folder_).has_parent_path() && fs::path(folder_) != fs::path(folder_).root_path()) {
    if (ImGui::Selectable("..  (the folder above)", false, ImGuiSelectableFlags_AllowDoubleClick) &&
        ImGui::IsMouseDoubleClicked(0))
      enter = fs::path(folder_).parent_path().string();
  }
  for (const Entry& e : entries_) {
    std::string full = (fs::path(folder_) / e.name).string();
    std::string label = e.folder ? (e.gpt2_folder ? e.name + "/   (GPT-2 folder: loadable)" : e.name + "/") : e.name;
    bool selected = full == path_;
    if (ImGui::Selectable(label.c_str(), selected, ImGuiSelectableFlags_AllowDoubleClick)) {
      if (!e.folder || e.gpt2_folder) std::snprintf(path_, sizeof path_, "%s", full.c_str());
      if (ImGui::IsMouseDoubleClicked(0)) {
        if (e.folder && !e.gpt2_folder)
          enter = full;
        else
          chosen = full;
      }
    }
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip("%s", e.folder ? (e.gpt2_folder ? "click to choose this folder as the model; double-click loads it"
                                                         : "double-click to open this folder")
                                       : "click to choose; double-click loads it");
  }
  if (entries_.empty() && error_.empty()) ImGui::TextDisabled("(no .safetensors files or folders here)");
  ImGui::EndChild();
  if (!enter.empty()) list(enter);

  ImGui::SetNextItemWidth(-ImGui::CalcTextSize("path").x - ImGui::GetStyle().ItemInnerSpacing.x - em);
  bool typed_enter = ImGui::InputText("path", path_, sizeof path_, ImGuiInputTextFlags_EnterReturnsTrue);
  ImGui::BeginDisabled(path_[0] == 0);
  if (ImGui::Button("Open") || (typed_enter && path_[0])) chosen = std::string(path_);
  ImGui::EndDisabled();
  ImGui::SameLine();
  if (ImGui::Button("Cancel") || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape))) ImGui::CloseCurrentPopup();
  if (chosen) ImGui::CloseCurrentPopup();
  ImGui::EndPopup();
  return chosen;
}

}  // namespace gb::app
