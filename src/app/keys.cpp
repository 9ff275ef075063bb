// The shortcut table, its labels and the shell's own commands (see keys.hpp).
#include "app/keys.hpp"

#include <GLFW/glfw3.h>  // key codes only

#include "core/i18n.hpp"
#include "lab/command.hpp"
#include "lab/diffusion_lab.hpp"
#include "lab/gan_lab.hpp"
#include "lab/session.hpp"
#include "lab/transformer_lab.hpp"

namespace gb::app {

namespace {
constexpr KeyChord key(int k) { return {k, false, false}; }
constexpr KeyChord ctrl(int k) { return {k, true, false}; }
constexpr KeyChord ctrl_shift(int k) { return {k, true, true}; }
constexpr KeyChord none{};
}  // namespace

const std::vector<Shortcut>& shortcuts() {
  static const std::vector<Shortcut> table = {
      {key(GLFW_KEY_F1), none, "ui keys", "", [] { return tr("this list of keys"); }},
      {ctrl(GLFW_KEY_K), none, "ui command-line", "", [] { return tr("command line: type any command, e.g. open transformer.attention"); }},
      {ctrl(GLFW_KEY_1), none, "workspace transformer", "", [] { return tr("Transformer workspace"); }},
      {ctrl(GLFW_KEY_2), none, "workspace diffusion", "", [] { return tr("Diffusion workspace"); }},
      {ctrl(GLFW_KEY_3), none, "workspace gan", "", [] { return tr("GAN workspace"); }},
      {ctrl(GLFW_KEY_4), none, "workspace vae", "", [] { return tr("VAE workspace"); }},
      {ctrl(GLFW_KEY_5), none, "workspace teach", "", [] { return tr("Teach workspace"); }},
      {key(GLFW_KEY_F8), none, "model step", "", [] { return tr("step forward: one token, one denoising step, one GAN step"); }},
      {key(GLFW_KEY_F7), none, "model back", "", [] { return tr("step back (undo the last step)"); }},
      {key(GLFW_KEY_F5), none, "model play", "", [] { return tr("play / pause: generation, denoising animation or GAN training"); }},
      {ctrl(GLFW_KEY_L), none, "ui lessons", "", [] { return tr("lessons panel on/off"); }},
      {key(GLFW_KEY_PAGE_DOWN), ctrl(GLFW_KEY_PERIOD), "lesson next", "lessons", [] { return tr("lesson: next step (presenter remotes send Page Down)"); }},
      {key(GLFW_KEY_PAGE_UP), ctrl(GLFW_KEY_COMMA), "lesson back", "lessons", [] { return tr("lesson: previous step (restores that step's state)"); }},
      {key(GLFW_KEY_A), none, "teach vote a", "teach.votes", [] { return tr("votes panel: A is better"); }},
      {key(GLFW_KEY_B), none, "teach vote b", "teach.votes", [] { return tr("votes panel: B is better"); }},
      {ctrl(GLFW_KEY_EQUAL), ctrl(GLFW_KEY_KP_ADD), "ui bigger", "", [] { return tr("larger UI (presenter scale, up to 3.0)"); }},
      {ctrl(GLFW_KEY_MINUS), ctrl(GLFW_KEY_KP_SUBTRACT), "ui smaller", "", [] { return tr("smaller UI (down to 1.0)"); }},
      {ctrl(GLFW_KEY_0), ctrl(GLFW_KEY_KP_0), "ui scale-reset", "", [] { return tr("UI scale back to 1.0"); }},
      {ctrl(GLFW_KEY_T), none, "ui theme-next", "", [] { return tr("next theme: dark, light, high contrast"); }},
      {key(GLFW_KEY_F11), none, "ui fullscreen", "", [] { return tr("full screen on/off"); }},
      {ctrl(GLFW_KEY_R), none, "ui tile", "", [] { return tr("tile the workspace's panels"); }},
      {ctrl(GLFW_KEY_O), none, "dialog open-model", "", [] { return tr("open a transformer model (.safetensors or a Hugging Face GPT-2 folder)"); }},
      {ctrl(GLFW_KEY_S), none, "dialog save-session", "", [] { return tr("save the session as a .glassbox file"); }},
      {ctrl_shift(GLFW_KEY_O), none, "dialog open-session", "", [] { return tr("open a session file"); }},
      {ctrl(GLFW_KEY_Q), none, "ui quit", "", [] { return tr("quit"); }},
  };
  return table;
}

const Shortcut* find_shortcut(const std::string& command) {
  for (auto& s : shortcuts())
    if (command == s.command) return &s;
  return nullptr;
}

static std::string key_name(int k) {
  if (k >= GLFW_KEY_A && k <= GLFW_KEY_Z) return std::string(1, char(k));
  if (k >= GLFW_KEY_0 && k <= GLFW_KEY_9) return std::string(1, char(k));
  if (k >= GLFW_KEY_F1 && k <= GLFW_KEY_F25) return "F" + std::to_string(k - GLFW_KEY_F1 + 1);
  if (k >= GLFW_KEY_KP_0 && k <= GLFW_KEY_KP_9) return std::string(tr("Keypad")) + " " + std::to_string(k - GLFW_KEY_KP_0);
  switch (k) {
    case GLFW_KEY_EQUAL: return "=";
    case GLFW_KEY_MINUS: return "-";
    case GLFW_KEY_PERIOD: return ".";
    case GLFW_KEY_COMMA: return ",";
    case GLFW_KEY_KP_ADD: return std::string(tr("Keypad")) + " +";
    case GLFW_KEY_KP_SUBTRACT: return std::string(tr("Keypad")) + " -";
    case GLFW_KEY_PAGE_UP: return tr("Page Up");
    case GLFW_KEY_PAGE_DOWN: return tr("Page Down");
    default: return "key " + std::to_string(k);
  }
}

std::string chord_label(const KeyChord& c) {
  if (!c.key) return "";
  std::string s;
  if (c.ctrl) s += std::string(tr("Ctrl")) + "+";
  if (c.shift) s += std::string(tr("Shift")) + "+";
  return s + key_name(c.key);
}

std::string shortcut_label(const Shortcut& s) {
  std::string l = chord_label(s.chord);
  if (s.alt.key) l += " / " + chord_label(s.alt);
  return l;
}

bool parse_chord(const std::string& text, KeyChord& out) {
  out = {};
  std::string t = text;
  for (;;) {
    if (t.rfind("Ctrl+", 0) == 0) out.ctrl = true, t = t.substr(5);
    else if (t.rfind("Shift+", 0) == 0) out.shift = true, t = t.substr(6);
    else break;
  }
  if (t.size() == 1 && ((t[0] >= 'A' && t[0] <= 'Z') || (t[0] >= '0' && t[0] <= '9'))) return out.key = t[0], true;
  if (t.size() == 1 && t[0] >= 'a' && t[0] <= 'z') return out.key = t[0] - 'a' + 'A', true;
  if (t.size() >= 2 && t[0] == 'F' && t.find_first_not_of("0123456789", 1) == std::string::npos) {
    int n = std::stoi(t.substr(1));
    if (n >= 1 && n <= 25) return out.key = GLFW_KEY_F1 + n - 1, true;
    return false;
  }
  static const std::pair<const char*, int> names[] = {
      {"Up", GLFW_KEY_UP},       {"Down", GLFW_KEY_DOWN},          {"Left", GLFW_KEY_LEFT},
      {"Right", GLFW_KEY_RIGHT}, {"Tab", GLFW_KEY_TAB},            {"Space", GLFW_KEY_SPACE},
      {"Enter", GLFW_KEY_ENTER}, {"Escape", GLFW_KEY_ESCAPE},      {"Esc", GLFW_KEY_ESCAPE},
      {"PageUp", GLFW_KEY_PAGE_UP}, {"PageDown", GLFW_KEY_PAGE_DOWN}, {"Home", GLFW_KEY_HOME},
      {"End", GLFW_KEY_END},     {"Alt", GLFW_KEY_LEFT_ALT},       {"=", GLFW_KEY_EQUAL},
      {"-", GLFW_KEY_MINUS},     {".", GLFW_KEY_PERIOD},           {",", GLFW_KEY_COMMA},
  };
  for (auto& [name, k] : names)
    if (t == name) return out.key = k, true;
  return false;
}

bool reserved_chord(const KeyChord& c) {
  switch (c.key) {
    // ImGui 1.86 keyboard navigation maps these whatever the modifiers (Ctrl/Shift only tweak the step).
    case GLFW_KEY_LEFT: case GLFW_KEY_RIGHT: case GLFW_KEY_UP: case GLFW_KEY_DOWN:
    case GLFW_KEY_TAB: case GLFW_KEY_SPACE: case GLFW_KEY_ENTER: case GLFW_KEY_KP_ENTER: case GLFW_KEY_ESCAPE:
    case GLFW_KEY_LEFT_ALT: case GLFW_KEY_RIGHT_ALT: case GLFW_KEY_HOME: case GLFW_KEY_END:
    case GLFW_KEY_BACKSPACE: case GLFW_KEY_DELETE: case GLFW_KEY_INSERT:
      return true;
    // Text fields: select all, copy, paste, cut, redo, undo.
    case GLFW_KEY_A: case GLFW_KEY_C: case GLFW_KEY_V: case GLFW_KEY_X: case GLFW_KEY_Y: case GLFW_KEY_Z:
      return c.ctrl;
    default:
      return false;
  }
}

// [SECTION] Shell commands

ShellVerb shell_verb(const std::string& line) {
  static const std::pair<const char*, ShellVerb> verbs[] = {
      {"ui fullscreen", ShellVerb::fullscreen},     {"ui bigger", ShellVerb::bigger},
      {"ui smaller", ShellVerb::smaller},           {"ui scale-reset", ShellVerb::scale_reset},
      {"ui theme-next", ShellVerb::theme_next},     {"ui tile", ShellVerb::tile},
      {"ui command-line", ShellVerb::command_line}, {"ui keys", ShellVerb::keys_help},
      {"ui quit", ShellVerb::quit},                 {"ui lessons", ShellVerb::lessons},
      {"lesson next", ShellVerb::lesson_next},      {"lesson back", ShellVerb::lesson_back},
      {"model step", ShellVerb::model_step},        {"model back", ShellVerb::model_back},
      {"model play", ShellVerb::model_play},
      {"dialog open-model", ShellVerb::open_model}, {"dialog save-session", ShellVerb::save_session},
      {"dialog open-session", ShellVerb::open_session},
  };
  for (auto& [text, verb] : verbs)
    if (line == text) return verb;
  return ShellVerb::none;
}

std::vector<CommandHelp> shell_commands() {
  return {
      {"ui fullscreen|bigger|smaller|scale-reset|theme-next", "the app: presenter mode (full screen, UI scale, theme)"},
      {"ui tile|command-line|keys|lessons|quit", "the app: tile the panels, command line, Help → Keys, lessons panel, quit"},
      {"lesson next|back", "the app: the open lesson's next or previous step"},
      {"model step|back|play", "the current workspace: one step forward, one back, Run mode / animation on or off"},
      {"dialog open-model|save-session|open-session", "the app: File → Open model, Save session, Open session"},
  };
}

std::string model_command_for(const std::string& ws, ShellVerb verb, bool running) {
  const bool step = verb == ShellVerb::model_step, back = verb == ShellVerb::model_back;
  if (verb == ShellVerb::model_play) {
    if (ws == "transformer" || ws == "gan") return ws + (running ? " pause" : " run");
    if (ws == "diffusion") return running ? "diffusion pause" : "diffusion play";
    return "";
  }
  if (!step && !back) return "";
  if (ws == "transformer" || ws == "diffusion" || ws == "gan") return ws + (step ? " step" : " back");
  return "";
}

std::string model_command(Session& session, ShellVerb verb) {
  const std::string& ws = session.view.workspace;
  bool running = false;
  if (auto* t = dynamic_cast<TransformerLab*>(&session.current())) running = t->running();
  if (auto* g = dynamic_cast<GanLab*>(&session.current())) running = g->running();
  if (auto* d = dynamic_cast<DiffusionLab*>(&session.current())) running = d->playing();
  return model_command_for(ws, verb, running);
}

}  // namespace gb::app
