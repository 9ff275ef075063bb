// Reading the shortcut table's keys from Dear ImGui (the table itself is in keys.cpp, free of ImGui).
#include <GLFW/glfw3.h>
#include <imgui.h>

#include "app/keys.hpp"

namespace gb::app {

static bool chord_pressed(const KeyChord& c) {
  if (!c.key) return false;
  const ImGuiIO& io = ImGui::GetIO();
  if (io.KeyCtrl != c.ctrl || io.KeyShift != c.shift || io.KeyAlt) return false;
  // Keys that type nothing (F-keys) or Ctrl chords work everywhere; others wait while a text field has the keyboard.
  const bool function_key = c.key >= GLFW_KEY_F1 && c.key <= GLFW_KEY_F25;
  if (!c.ctrl && !function_key && io.WantTextInput) return false;
  return ImGui::IsKeyPressed(c.key, false);
}

bool shortcut_pressed(const Shortcut& s) { return chord_pressed(s.chord) || chord_pressed(s.alt); }

bool shortcut_pressed(const char* command) {
  const Shortcut* s = find_shortcut(command);
  return s && shortcut_pressed(*s);
}

}  // namespace gb::app
