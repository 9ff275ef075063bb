// A Glassbox session: the labs plus the view state (workspace, open panels, highlight),
// all driven by commands. The app, the CLI, lessons and tests hold one Session.
#pragma once
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "lab/command.hpp"
#include "lab/lab.hpp"
#include "lab/teacher_lock.hpp"

namespace gb {

// What the user sees, as plain data (the app draws from it; settings persist it).
struct ViewState {
  std::string workspace = "transformer";  // one of Session::lab_names()
  std::set<std::string> open_panels;      // panel ids, e.g. "transformer.attention"
  std::string highlight;                  // panel id (optionally "panel id:what") to draw the eye to
  double highlight_until = 0;             // seconds (session clock) when the highlight fades
  bool lessons_open = false;              // the lessons panel beside the workspace
};

class Session {
 public:
  Session();
  ~Session();

  // Runs one command line. Global verbs: workspace, open, close, highlight, help. A first word
  // naming a lab ("transformer step") routes the rest to that lab; any other verb goes to the
  // current workspace's lab. Never throws for bad input.
  CommandResult run(const std::string& line);
  CommandResult run(const Command& c);
  // Why teacher mode would refuse this line ("" = it would run), routed as run() routes it. Panels leave out the
  // buttons of refused commands; run() refuses them anyway.
  std::string refusal(const std::string& line);

  // The labs' names in menu order, without making a Session (lessons check `workspace:` against it).
  static const std::vector<std::string>& lab_names();
  // "transformer, diffusion, gan, vae or teach": every lab, for messages (a new lab appears without edits).
  static std::string workspace_list(const std::string& last_joiner = "or");

  Lab& lab(const std::string& name);  // throws gb::Error for an unknown name
  Lab& current() { return lab(view.workspace); }
  std::vector<Lab*> labs();
  const std::vector<std::string>& workspaces() const { return order_; }  // the labs' names, in menu order
  bool has_panel(const std::string& id) const;
  std::vector<PanelInfo> all_panels() const;
  std::vector<std::string> default_panels(const std::string& workspace) const;  // opened on a first visit
  std::vector<CommandHelp> commands() const;  // global and per-lab verbs, for Help and lessons
  // The command vocabulary as a Markdown table (`glassbox help commands --markdown`; the README's copy is
  // compared with it by a test): every command above, the settings rows generated from the labs' tables.
  std::string commands_markdown() const;
  void update(double now_seconds);
  // Seconds until the session changes with no input (a lab's own work, a fading highlight): the app sleeps that
  // long at most when nothing else happens (kNever: until input or a background thread's news).
  double seconds_until_update() const;
  // A lesson's baseline: every lab back to its defaults (training stopped, models kept in memory),
  // `workspace` current, no panels open and no highlight (the lessons panel stays as it is).
  void reset_to_defaults(const std::string& workspace);

  ViewState view;
  double clock = 0;  // seconds, advanced by update()
  // Teacher mode (lab/teacher_lock.hpp): run() asks it before every command and keeps limited settings in range
  // after; `teacher …` commands set it up, lock and unlock it.
  TeacherLock teacher;

 private:
  CommandResult run_lab(const std::string& lab, const Command& c);  // the teacher's check, the lab, the limits
  std::map<std::string, std::unique_ptr<Lab>> labs_;
  std::vector<std::string> order_;
};

}  // namespace gb
