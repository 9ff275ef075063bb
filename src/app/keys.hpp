// The keyboard shortcuts: ONE table that the key handler (Shell::handle_shortcuts), the lessons and votes
// panels and Help → Keys all read, so what the app does and what it says it does cannot disagree
// (tests/keys/test_keys.cpp checks that every entry runs a real command and no key is bound twice).
// No ImGui here: the table and its checks build without a window; shortcut_pressed() lives in keys_input.cpp.
#pragma once
#include <string>
#include <vector>

namespace gb {
class Session;
struct CommandHelp;
}

namespace gb::app {

// One key with its modifiers. `key` is a GLFW key code (GLFW_KEY_F5, GLFW_KEY_S …; 0 = none).
struct KeyChord {
  int key = 0;
  bool ctrl = false, shift = false;
  bool operator==(const KeyChord&) const = default;
};

struct Shortcut {
  KeyChord chord;
  KeyChord alt;           // a second key for the same thing (keypad +, PageDown on presenter remotes…), or none
  const char* command;    // what it runs: a session command ("workspace gan") or a shell command ("ui fullscreen")
  const char* scope;      // "" = anywhere; a panel id = that panel handles it (lessons: while open; others: focused)
  const char* (*what)();  // the description in the current language (each a tr("…") of one literal)
};

// Every shortcut, in the order Help → Keys lists them.
const std::vector<Shortcut>& shortcuts();
// The entry that runs `command`, or nullptr.
const Shortcut* find_shortcut(const std::string& command);
// "Ctrl+S", "F5", "Shift+F5", "Page Down", "Ctrl+Keypad +".
std::string chord_label(const KeyChord& chord);
// "Ctrl+2", "Shift+F5", "Down", "Space", "Tab", "PageDown", "Alt" (the Alt key alone) → a chord (`press` command).
bool parse_chord(const std::string& text, KeyChord& out);
// "Ctrl+= / Ctrl+Keypad +" (the main chord, then the alternative).
std::string shortcut_label(const Shortcut& s);

// Keys that Dear ImGui's keyboard navigation reads with or without modifiers (arrows, Tab, Space, Enter,
// Escape, Alt) and Ctrl chords text fields use (Ctrl+A/C/V/X/Y/Z, Ctrl+Left/Right…): no shortcut may take them.
bool reserved_chord(const KeyChord& chord);

// [SECTION] Shell commands (the ones the shell runs itself, not a lab): `ui …`, `lesson next|back`, `model …`
enum class ShellVerb {
  none,           // not a shell command: the session runs it
  fullscreen,     // ui fullscreen
  bigger,         // ui bigger   (UI scale + 0.25)
  smaller,        // ui smaller  (UI scale − 0.25)
  scale_reset,    // ui scale-reset
  theme_next,     // ui theme-next
  tile,           // ui tile
  command_line,   // ui command-line
  keys_help,      // ui keys
  quit,           // ui quit
  lessons,        // ui lessons  (the lessons panel on/off)
  lesson_next,    // lesson next
  lesson_back,    // lesson back
  model_step,     // model step   (the current workspace's step forward)
  model_back,     // model back
  model_play,     // model play   (Run mode / animation on or off)
  open_model,     // dialog open-model   (File → Open model)
  save_session,   // dialog save-session (File → Save session)
  open_session,   // dialog open-session (File → Open session)
};
ShellVerb shell_verb(const std::string& line);
// Help rows for the shell commands (Help → Commands lists them after the session's).
std::vector<CommandHelp> shell_commands();

// The current workspace's command for model step/back/play ("gan step", "transformer pause" …); "" when the
// workspace has none (the VAE and teach workspaces have no single step).
std::string model_command(Session& session, ShellVerb verb);
// The same for a named workspace, with Run mode known (tests check every workspace's answer is a real command).
std::string model_command_for(const std::string& workspace, ShellVerb verb, bool running);

// Whether the shortcut was pressed this frame (ImGui; in keys_input.cpp). Chords without Ctrl that are not
// function keys do not fire while a text field has the keyboard.
bool shortcut_pressed(const Shortcut& s);
bool shortcut_pressed(const char* command);  // find_shortcut + shortcut_pressed (false when not in the table)

}  // namespace gb::app
