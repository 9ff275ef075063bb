// File → Open model: a small file browser for transformer checkpoints (.safetensors files and Hugging Face
// GPT-2 folders). It only picks a path; loading goes through the `transformer load PATH` command.
#pragma once
#include <optional>
#include <string>
#include <vector>

namespace gb::app {

class OpenModelDialog {
 public:
  // Opens the dialog in `folder` (the current directory if empty or missing).
  void open(const std::string& folder);
  // Draws the dialog while it is open; returns what to load ("shipped", "random" or a path) once chosen.
  std::optional<std::string> draw();

 private:
  struct Entry {
    std::string name;
    bool folder = false;
    bool gpt2_folder = false;  // holds config.json and model.safetensors: loadable as a whole
  };
  void list(const std::string& folder);

  bool want_open_ = false;
  std::string folder_;
  std::vector<Entry> entries_;
  std::string error_;
  char path_[1024] = {};
};

}  // namespace gb::app
