// File → Open model: a small file browser for transformer checkpoints (.safetensors files and Hugging Face
// GPT-2 folders). It only picks a path; loading goes through the `transformer load PATH` command.
#pragma once
#include <optional>
#include <string>

#include "app/widgets/file_list.hpp"

namespace gb::app {

class OpenModelDialog {
 public:
  OpenModelDialog();
  // Opens the dialog in `folder` (the current directory if empty or missing).
  void open(const std::string& folder);
  // Draws the dialog while it is open; returns what to load ("shipped", "random" or a path) once chosen.
  std::optional<std::string> draw();

 private:
  bool want_open_ = false;
  ui::FileList files_;
  char path_[1024] = {};
};

}  // namespace gb::app
