// Session files (`.glassbox`): one file holding what a class did — every lab's settings (from the labs'
// settings tables), what each lab keeps beyond them (LabState: a prompt, drawn points, trained weights…),
// the view (workspace, open panels) and the lesson position. The container is a safetensors file: the
// manifest is JSON in the metadata entry `glassbox.session`, the tensors are the labs' weights (F32, bit for
// bit), named `labs/LAB/NAME`. Written atomically; read with every check the model reader makes, then every
// manifest field through gb::JsonIn, so a damaged or hand-edited file gets a message naming the field, and
// nothing in the running session changes until the whole file has been checked. No ImGui here.
//
// Manifest (version 1):
//   {"format": "glassbox-session", "version": 1, "written_by": "glassbox 1a2b3c4",
//    "view": {"workspace": "diffusion", "open_panels": ["diffusion.step", …], "lessons_open": true},
//    "lesson": {"file": "04-attention.md", "step": 3},                      (absent: no lesson open)
//    "labs": {"transformer": {"settings": {"temperature": "0.7", …}, "state": {…}}, …},
//    "teacher": {"locked": true, "pin_hash": "$argon2id$…", "hidden_panels": […], "hidden_controls": […],  (absent: none)
//                "fixed_model": true, "limits": {"transformer.temperature": [0.2, 1.5]},
//                "start_lesson": {"file": "04-attention.md", "step": 1}}}
#pragma once
#include <map>
#include <set>
#include <string>
#include <vector>

#include "lab/lab_state.hpp"
#include "lab/teacher_lock.hpp"

namespace gb {

class Session;

inline constexpr int kSessionFormatVersion = 1;
inline constexpr const char* kSessionExtension = ".glassbox";

struct SessionFile {
  int version = kSessionFormatVersion;
  std::string written_by;
  std::string workspace = "transformer";
  std::set<std::string> open_panels;
  bool lessons_open = false;
  std::string lesson_file;  // a lesson's file name in the lessons folder ("" = none)
  int lesson_step = 0;      // 0-based
  struct Lab {
    std::map<std::string, std::string> settings;  // setting name → value as typed ("0.7", "on", "ddim")
    LabState state;
  };
  std::map<std::string, Lab> labs;
  TeacherRules teacher;  // teacher mode (lab/teacher_lock.hpp); empty: no rules
  std::string file = "<memory>";  // where it was read from (messages)
};

// [SECTION] bytes ↔ SessionFile. parse throws gb::Error "FILE: …" for anything wrong with the container
// or the manifest (not a session file, a newer format, a field of the wrong type); it does not yet know the
// labs (check_session does).
std::string session_file_bytes(const SessionFile& s);
SessionFile parse_session_file(std::string_view bytes, const std::string& file);
SessionFile read_session_file(const std::string& path);   // parse_session_file of the file's bytes
void write_session_file(const std::string& path, const SessionFile& s);  // atomic

// [SECTION] the running session ↔ SessionFile.
// Captures every lab's settings (its table, read back through setting_value) and state, and the view.
SessionFile capture_session(Session& session);
// Checks `s` against the running session without changing it: every lab known, every setting known and in
// range, every panel id known, every lab's state accepted (Lab::check_state). Returns "" or the first
// problem, naming the file and the field ("class.glassbox: labs.transformer.settings.temperature: temperature
// 9: out of range 0.05–5").
std::string check_session(Session& session, const SessionFile& s);
// check_session, then (only when it passed) resets every lab to its defaults and applies the settings,
// the states and the view. Returns "" or the problem (then nothing changed). The lesson position is the
// caller's (the app owns the lesson runner).
std::string apply_session(Session& session, const SessionFile& s);

}  // namespace gb
