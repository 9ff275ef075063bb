// The app's persistent settings (UI scale, theme, workspace, open panels, window, ImGui layout),
// stored as JSON in the user's config directory and always written atomically. No ImGui here:
// the ImGui layout is kept as the text ImGui gives us.
#pragma once
#include <set>
#include <string>
#include <vector>

namespace gb {

struct Settings {
  float ui_scale = 1.0f;                   // presenter scale, 1.0–3.0 (fonts are rasterised at 16 px × scale)
  std::string theme = "dark";              // "dark" | "light" | "contrast"
  std::string language = "en";             // "en", or a folder of assets/i18n ("de", "es", "fr", "uk"); View → Language
  std::string workspace = "transformer";   // the workspace shown at start
  std::set<std::string> open_panels;       // panel ids open at start
  bool lessons_open = false;               // the lessons panel beside the workspace
  int window_width = 1600;                 // window size in screen pixels when not full screen
  int window_height = 900;
  bool fullscreen = false;                 // start full screen (F11 toggles)
  std::string imgui_ini;                   // ImGui's window layout (ImGui::SaveIniSettingsToMemory)
  std::vector<std::string> recent_sessions;  // session files saved or opened, newest first (File → Recent sessions)
};

inline constexpr size_t kMaxRecentSessions = 8;
// Puts `path` first in the recent list (once), keeping at most kMaxRecentSessions.
void remember_session(Settings& s, const std::string& path);

inline constexpr float kMinUiScale = 1.0f;
inline constexpr float kMaxUiScale = 3.0f;
bool valid_theme(const std::string& theme);  // dark, light or contrast
// A language code as settings keep it: "en" or 2–8 lowercase letters, '-' or '_' (whether its catalogue
// exists is checked when the app applies it).
bool valid_language_code(const std::string& code);

// JSON text for the settings (stable key order, human-readable).
std::string settings_to_json(const Settings& s);

// Parses settings JSON. Missing keys keep their defaults; a value of the wrong type or out of range
// throws gb::Error naming the key ("settings: ui_scale must be a number from 1 to 3").
Settings settings_from_json(const std::string& text);

// Loads settings from `path`. Never throws: a missing file gives defaults and an empty `error`;
// an unreadable or corrupt file gives defaults and a clear message in `error` ("PATH: …").
Settings load_settings(const std::string& path, std::string& error);

// Writes settings atomically (the previous file stays intact if anything fails). Throws gb::Error.
void save_settings(const std::string& path, const Settings& s);

// Where the app keeps its settings: config_dir() + "/settings.json".
std::string settings_path();

}  // namespace gb
