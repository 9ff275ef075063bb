// File → Save session / Open session: picks a `.glassbox` path (a folder list, the recent sessions, a path
// field). It only picks; saving and opening go through the `session save FILE` / `session open FILE`
// commands (lessons/session_io.hpp).
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "app/widgets/file_list.hpp"

namespace gb::app {

class SessionDialog {
 public:
  SessionDialog();
  // Opens the dialog to save (true) or open (false) in `folder` (the current directory if empty).
  void open(bool save, const std::string& folder, const std::vector<std::string>& recent);
  // Draws the dialog while it is open; returns the command to run ("session save PATH") once chosen.
  std::optional<std::string> draw();

 private:
  bool want_open_ = false, save_ = false;
  std::vector<std::string> recent_;
  ui::FileList files_;
  char path_[1024] = {};
};

}  // namespace gb::app
