// Settings ⇄ JSON (nlohmann), loaded forgivingly and saved atomically.
#include "lab/settings.hpp"

#include <cmath>
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/files.hpp"
#include "core/json_in.hpp"

namespace gb {

using nlohmann::json;

void remember_session(Settings& s, const std::string& path) {
  std::vector<std::string> v{path};
  for (auto& p : s.recent_sessions)
    if (p != path && v.size() < kMaxRecentSessions) v.push_back(p);
  s.recent_sessions = v;
}

bool valid_theme(const std::string& theme) { return theme == "dark" || theme == "light" || theme == "contrast"; }

bool valid_language_code(const std::string& code) {
  if (code.size() < 2 || code.size() > 8) return false;
  for (char c : code)
    if (!((c >= 'a' && c <= 'z') || c == '-' || c == '_')) return false;
  return true;
}

std::string settings_to_json(const Settings& s) {
  json j;
  j["version"] = 1;
  j["ui_scale"] = s.ui_scale;
  j["theme"] = s.theme;
  j["language"] = s.language;
  j["workspace"] = s.workspace;
  j["open_panels"] = s.open_panels;
  j["lessons_open"] = s.lessons_open;
  j["window_width"] = s.window_width;
  j["window_height"] = s.window_height;
  j["fullscreen"] = s.fullscreen;
  j["imgui_ini"] = s.imgui_ini;
  j["recent_sessions"] = s.recent_sessions;
  return j.dump(2) + "\n";
}

// settings.json is the app's own file, but a user may edit it: every read goes through the checked JsonIn
// (type and range, named key); messages read "settings: window_width is 4294967596, expected …".
Settings settings_from_json(const std::string& text) {
  JsonIn j = JsonIn::parse(text, "settings", "");
  Settings s;
  s.ui_scale = float(j.number_or("ui_scale", s.ui_scale, kMinUiScale, kMaxUiScale));
  s.theme = j.string_or("theme", s.theme);
  if (!valid_theme(s.theme)) fail("settings: theme must be dark, light or contrast (got `" + s.theme + "`)");
  s.language = j.string_or("language", s.language);
  if (!valid_language_code(s.language))
    fail("settings: language must be a code such as en, de or uk (got `" + s.language + "`)");
  s.workspace = j.string_or("workspace", s.workspace);
  if (j.has("open_panels")) {
    s.open_panels.clear();
    for (const JsonIn& id : j.array("open_panels")) s.open_panels.insert(s.open_panels.end(), id.as_string());
  }
  s.lessons_open = j.boolean_or("lessons_open", s.lessons_open);
  s.window_width = j.int32_or("window_width", s.window_width, 200, 16384);
  s.window_height = j.int32_or("window_height", s.window_height, 150, 16384);
  s.fullscreen = j.boolean_or("fullscreen", s.fullscreen);
  s.imgui_ini = j.string_or("imgui_ini", s.imgui_ini);
  if (j.has("recent_sessions"))
    for (const JsonIn& p : j.array("recent_sessions"))
      if (s.recent_sessions.size() < kMaxRecentSessions) s.recent_sessions.push_back(p.as_string());
  return s;
}

Settings load_settings(const std::string& path, std::string& error) {
  error.clear();
  if (!file_exists(path)) return Settings{};
  try {
    return settings_from_json(read_file(path));
  } catch (const Error& e) {
    std::string m = e.what();
    if (m.rfind(path, 0) != 0) m = path + ": " + m;
    error = m + "; using default settings";
    return Settings{};
  }
}

void save_settings(const std::string& path, const Settings& s) { write_file_atomic(path, settings_to_json(s)); }

std::string settings_path() { return config_dir() + "/settings.json"; }

}  // namespace gb
