// File → Open model (see open_model.hpp).
#include "app/open_model.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <system_error>

#include <imgui.h>

#include "app/widgets/draw_util.hpp"
#include "core/i18n.hpp"

namespace gb::app {

namespace fs = std::filesystem;

OpenModelDialog::OpenModelDialog()
    : files_([](const fs::directory_entry& d, ui::FileEntry& e) {
        std::error_code ec;
        if (e.folder) {
          e.choosable = fs::exists(d.path() / "config.json", ec) && fs::exists(d.path() / "model.safetensors", ec);
          if (e.choosable) e.note = tr("GPT-2 folder: loadable");
          return true;
        }
        return d.path().extension() == ".safetensors";
      }) {}

void OpenModelDialog::open(const std::string& folder) {
  files_.list(folder);
  path_[0] = 0;
  want_open_ = true;
}

std::optional<std::string> OpenModelDialog::draw() {
  const std::string title = std::string(tr("Open a transformer model")) + "###open-model";
  const float em = ImGui::GetFontSize();
  const bool open = ui::begin_file_dialog(title.c_str(), &want_open_);
  std::optional<std::string> chosen;
  if (!open) return chosen;

  ImGui::TextWrapped("%s", tr("A Glassbox checkpoint (.safetensors) or a Hugging Face GPT-2 folder (config.json, model.safetensors, vocab.json / encoder.json and merges.txt / vocab.bpe)."));
  if (ImGui::Button(tr("The shipped stories model"))) chosen = "shipped";
  ui::same_line_if_fits(ImGui::CalcTextSize(tr("A tiny random model")).x + 2 * em);
  if (ImGui::Button(tr("A tiny random model"))) chosen = "random";
  ImGui::Separator();

  const float footer = ImGui::GetFrameHeightWithSpacing() * 2 + ImGui::GetStyle().ItemSpacing.y;
  if (auto picked = files_.draw(-footer, path_, sizeof path_, tr("(no .safetensors files or folders here)"))) chosen = *picked;

  const char* path_label = tr("path");
  ImGui::SetNextItemWidth(-ImGui::CalcTextSize(path_label).x - ImGui::GetStyle().ItemInnerSpacing.x - em);
  bool typed_enter = ImGui::InputText(path_label, path_, sizeof path_, ImGuiInputTextFlags_EnterReturnsTrue);
  ImGui::BeginDisabled(path_[0] == 0);
  if (ImGui::Button(tr("Open")) || (typed_enter && path_[0])) chosen = std::string(path_);
  ImGui::EndDisabled();
  ImGui::SameLine();
  if (ImGui::Button(tr("Cancel")) || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape))) ImGui::CloseCurrentPopup();
  if (chosen) ImGui::CloseCurrentPopup();
  ImGui::EndPopup();
  return chosen;
}

}  // namespace gb::app
