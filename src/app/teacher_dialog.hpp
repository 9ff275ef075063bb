// Teacher → Set up teacher mode… / Unlock…: the dialog where a teacher sets a PIN, picks the panels and controls to
// hide, fixes the model, limits settings to a sub-range and chooses a start lesson, then locks the app; and where the
// PIN unlocks it again. The dialog only issues `teacher …` commands (lab/teacher_lock.hpp), which enforce the rules.
#pragma once
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "lab/command.hpp"

namespace gb {
class Session;
}

namespace gb::app {

class TeacherDialog {
 public:
  // Opens the dialog: the set-up view when the app is unlocked, the PIN prompt when it is locked.
  void open() { want_open_ = true; }
  // Draws the dialog while it is open; its buttons run `teacher …` commands through `run`.
  void draw(Session& session, const std::function<CommandResult(const std::string&)>& run);

 private:
  void draw_setup(Session& session, const std::function<CommandResult(const std::string&)>& run);
  void draw_unlock(Session& session, const std::function<CommandResult(const std::string&)>& run);
  bool want_open_ = false;
  char pin_[72] = {};
  std::string feedback_;  // the last command's message
  bool feedback_ok_ = true;
  std::map<std::string, std::pair<double, double>> limit_edit_;  // LAB.SETTING → the range being typed
  std::vector<std::string> lessons_;                            // lesson file names (read when the dialog opens)
  int start_step_ = 1;
};

}  // namespace gb::app
