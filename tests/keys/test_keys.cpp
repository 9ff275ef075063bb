// The shortcut table that the key handler and Help → Keys share: every entry runs a command the app knows,
// no key is bound twice, none takes a key that keyboard navigation or a text field needs.
#include <doctest/doctest.h>

#include <GLFW/glfw3.h>

#include <set>
#include <string>

#include "app/keys.hpp"
#include "lab/command.hpp"
#include "lab/session.hpp"

using namespace gb::app;

namespace {
// A command the session does not know answers "unknown …" (every lab's dispatcher and the session say so).
bool session_knows(gb::Session& session, const std::string& line) {
  gb::CommandResult r = session.run(line);
  return r.message.find("unknown") == std::string::npos;
}
}  // namespace

TEST_CASE("keys: every shortcut runs a shell command or a command the session knows, in a panel that exists") {
  gb::Session session;
  REQUIRE(shortcuts().size() >= 20);
  for (auto& s : shortcuts()) {
    CAPTURE(std::string(s.command));
    CHECK(std::string(s.what()).size() > 3);
    CHECK(s.chord.key != 0);
    const bool shell = shell_verb(s.command) != ShellVerb::none;
    CHECK((shell || session_knows(session, s.command)));
    if (*s.scope) CHECK(session.has_panel(s.scope));
    CHECK(find_shortcut(s.command) == &s);  // one entry per command
  }
  // the check itself: a made-up command is caught
  CHECK_FALSE(session_knows(session, "gan frobnicate"));
  CHECK(shell_verb("ui frobnicate") == ShellVerb::none);
}

TEST_CASE("keys: no key is bound twice, and none is one that navigation or text fields use") {
  std::set<std::tuple<int, bool, bool>> seen;
  for (auto& s : shortcuts())
    for (const KeyChord& c : {s.chord, s.alt}) {
      if (!c.key) continue;
      CAPTURE(chord_label(c));
      CHECK(seen.insert({c.key, c.ctrl, c.shift}).second);
      CHECK_FALSE(reserved_chord(c));
    }
  // the check itself: arrows, Space, Tab, Enter, Escape and text-field chords are reserved; F5 and Ctrl+S are not
  for (int k : {GLFW_KEY_LEFT, GLFW_KEY_DOWN, GLFW_KEY_SPACE, GLFW_KEY_TAB, GLFW_KEY_ENTER, GLFW_KEY_ESCAPE})
    CHECK(reserved_chord({k, false, false}));
  CHECK(reserved_chord({GLFW_KEY_C, true, false}));
  CHECK(reserved_chord({GLFW_KEY_V, true, false}));
  CHECK_FALSE(reserved_chord({GLFW_KEY_F5, false, false}));
  CHECK_FALSE(reserved_chord({GLFW_KEY_S, true, false}));
}

TEST_CASE("keys: Ctrl+1… switch to the workspaces in the Model menu's order, every one of them") {
  gb::Session session;
  const auto& ws = session.workspaces();
  REQUIRE(ws.size() <= 9);
  for (size_t i = 0; i < ws.size(); ++i) {
    const Shortcut* s = find_shortcut("workspace " + ws[i]);
    REQUIRE(s);
    CHECK(s->chord == KeyChord{GLFW_KEY_1 + int(i), true, false});
  }
}

TEST_CASE("keys: step, back and play give each workspace a command it knows (or none)") {
  gb::Session session;
  int with_step = 0;
  for (auto& ws : session.workspaces())
    for (ShellVerb v : {ShellVerb::model_step, ShellVerb::model_back, ShellVerb::model_play})
      for (bool running : {false, true}) {
        std::string c = model_command_for(ws, v, running);
        CAPTURE(ws);
        CAPTURE(c);
        if (c.empty()) continue;
        CHECK(c.rfind(ws + " ", 0) == 0);
        CHECK(session_knows(session, c));
        session.run(model_command_for(ws, ShellVerb::model_play, true));  // stop any Run mode again
        with_step += v == ShellVerb::model_step;
      }
  CHECK(with_step >= 6);  // transformer, diffusion and gan, running or not
  CHECK(model_command_for("gan", ShellVerb::model_play, false) == "gan run");
  CHECK(model_command_for("gan", ShellVerb::model_play, true) == "gan pause");
  CHECK(model_command_for("diffusion", ShellVerb::model_play, false) == "diffusion play");
}

TEST_CASE("keys: labels and the press command's key names") {
  KeyChord c;
  REQUIRE(parse_chord("Ctrl+Shift+O", c));
  CHECK(c == KeyChord{GLFW_KEY_O, true, true});
  CHECK(chord_label(c) == "Ctrl+Shift+O");
  REQUIRE(parse_chord("F5", c));
  CHECK(c == KeyChord{GLFW_KEY_F5, false, false});
  REQUIRE(parse_chord("Down", c));
  CHECK(c.key == GLFW_KEY_DOWN);
  REQUIRE(parse_chord("ctrl+2", c) == false);  // modifiers are spelled Ctrl+ and Shift+
  CHECK_FALSE(parse_chord("F99", c));
  CHECK_FALSE(parse_chord("Hyper+X", c));
  CHECK(shortcut_label(*find_shortcut("ui bigger")) == "Ctrl+= / Ctrl+Keypad +");
  CHECK(shortcut_label(*find_shortcut("lesson next")) == "Page Down / Ctrl+.");
}
