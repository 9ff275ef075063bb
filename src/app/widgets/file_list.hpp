// A folder's entries as a clickable list, for the app's file dialogs (File → Open model, Save/Open session):
// ".." goes up, a double-click enters a folder or chooses a file, a click puts the entry's path in `path`.
#pragma once
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace gb::ui {

struct FileEntry {
  std::string name;
  bool folder = false;
  bool choosable = false;  // a folder that is itself a choice (a Hugging Face model folder)
  std::string note;        // shown after the name ("GPT-2 folder: loadable")
};

// Opens (when *want_open) and begins the centred, opaque modal of a file dialog; true while it is open (then
// call ImGui::EndPopup()).
bool begin_file_dialog(const char* title, bool* want_open);

class FileList {
 public:
  // keep(entry, out): whether to list a directory entry (hidden files are skipped before); fills out's flags.
  using Filter = std::function<bool(const std::filesystem::directory_entry&, FileEntry&)>;
  explicit FileList(Filter keep) : keep_(std::move(keep)) {}
  void list(const std::string& folder);  // the current directory when empty or missing
  const std::string& folder() const { return folder_; }
  // Draws the list in a child window of height `height` (< 0: all but that much). Returns a path chosen by
  // double-click; a single click copies the entry's path into `path` (size `path_size`).
  std::optional<std::string> draw(float height, char* path, size_t path_size, const char* empty_text);

 private:
  Filter keep_;
  std::string folder_, error_;
  std::vector<FileEntry> entries_;
};

}  // namespace gb::ui
