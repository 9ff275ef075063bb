// Teacher mode: a teacher sets a PIN (kept only as a salted Argon2id hash, libsodium's crypto_pwhash_str), chooses
// panels and controls to hide, fixes the model, limits settings to a sub-range and picks a start lesson, then
// locks the app for students. The rules are enforced here, in the command layer (Session::run asks refuse() before
// a command runs and keep_limits() after), so buttons, lessons, the command line and scripts all obey — hiding
// widgets is only the visible half. The rules travel in the session file (`teacher` in the manifest). No ImGui here.
//
// Controls are named LAB.NAME: a setting of the lab's table ("transformer.temperature": its slider and `set`) or a
// verb of the lab ("transformer.train", "transformer.load", "gan.reset"). Commands (`teacher …`, see commands()):
//   teacher pin PIN · teacher hide ID · teacher show ID · teacher limit LAB.SETTING LO HI|off · teacher fix-model on|off
//   teacher start LESSON.md STEP|none · teacher clear · teacher lock · teacher unlock PIN · teacher status
#pragma once
#include <map>
#include <set>
#include <string>
#include <vector>

#include "lab/command.hpp"

namespace gb {

class Session;
struct SettingSpec;

struct TeacherLimit {
  double lo = 0, hi = 0;  // inclusive, inside the setting's own range
};

// What a teacher chose; this is what a session file keeps.
struct TeacherRules {
  bool locked = false;                         // students see the locked app
  std::string pin_hash;                        // crypto_pwhash_str output ("$argon2id$v=19$m=65536,t=2,p=1$…")
  std::set<std::string> hidden_panels;         // panel ids: closed and cannot be opened
  std::set<std::string> hidden_controls;       // LAB.SETTING or LAB.VERB: refused, the slider is not drawn
  bool fixed_model = false;                    // no `LAB load …`, no File → Open model
  std::map<std::string, TeacherLimit> limits;  // LAB.SETTING → the sub-range students may choose from
  std::string start_lesson;                    // a lesson's file name in the lessons folder ("" = none)
  int start_step = 0;                          // 0-based
  bool empty() const {
    return !locked && pin_hash.empty() && hidden_panels.empty() && hidden_controls.empty() && !fixed_model &&
           limits.empty() && start_lesson.empty();
  }
};

// [SECTION] PINs. A PIN is 4–64 printable characters (digits are enough; letters allowed). hash_pin throws gb::Error
// for a PIN that is not (its message says why); it takes about a tenth of a second (that is the point).
std::string pin_problem(const std::string& pin);  // "" or why the PIN is not accepted
std::string hash_pin(const std::string& pin);
bool verify_pin(const std::string& hash, const std::string& pin);
// True for a hash this Glassbox writes (Argon2id with the interactive limits). A file's hash is checked with it
// before any verify, so a hand-edited hash cannot ask for gigabytes of memory.
bool is_pin_hash(const std::string& hash);

// [SECTION] The lock of a running session (Session::teacher).
class TeacherLock {
 public:
  TeacherRules rules;

  bool locked() const { return rules.locked; }
  bool hides_panel(const std::string& id) const { return rules.locked && rules.hidden_panels.count(id) > 0; }
  bool hides_control(const std::string& lab, const std::string& name) const {
    return rules.locked && rules.hidden_controls.count(lab + "." + name) > 0;
  }
  // The sub-range of a setting while locked (nullptr: the setting's own range).
  const TeacherLimit* limit(const std::string& lab, const std::string& name) const;
  // One line for the status bar and `teacher status`.
  std::string summary() const;

  // Before a command runs (Session::run): "" when the rules allow it, else the reason, starting with
  // "locked by the teacher: ". `lab` is the lab the command goes to ("" for a global verb), `c` the command as that
  // lab (or the session) gets it.
  std::string refuse(Session& session, const std::string& lab, const Command& c) const;
  // After a command: every limited setting that ended outside its sub-range (a preset, a lesson's reset, a file) is
  // set to the nearest end; hidden panels are closed. Returns what it changed ("" nothing). Does nothing unlocked.
  std::string keep_limits(Session& session);
  // `teacher …` (c without the word teacher). now_seconds: a steady clock, for the pause after wrong PINs.
  CommandResult handle(Session& session, const Command& c, double now_seconds);
  // PIN check with the pause: 3 wrong PINs in a row are free, then each next try waits 1, 2, 4 … 30 s.
  CommandResult unlock(const std::string& pin, double now_seconds);

  // Checks rules against the session's labs and panels: "" or the first problem, naming the field as
  // `where`.FIELD ("teacher.limits.transformer.temperature: 0–1000 is outside temperature's range 0.05–5").
  static std::string check(Session& session, const TeacherRules& r, const std::string& where);
  // Every control of a lab (its settings, then its verbs other than `set`), for the teacher dialog and checks.
  static std::vector<std::string> controls(Session& session, const std::string& lab);
  static std::vector<CommandHelp> commands();

 private:
  int wrong_tries_ = 0;
  double retry_at_ = 0;
};

}  // namespace gb
