// Settings ⇄ JSON (nlohmann), loaded forgivingly and saved atomically.
#include "lab/settings.hpp"

#include <cmath>
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/files.hpp"

namespace gb {

using nlohmann::json;

bool valid_theme(const std::string& theme) { return theme == "dark" || theme == "light" || theme == "contrast"; }

std::string settings_to_json(const Settings& s) {
  json j;
  j["version"] = 1;
  j["ui_scale"] = s.ui_scale;
  j["theme"] = s.theme;
  j["workspace"] = s.workspace;
  j["open_panels"] = s.open_panels;
  j["lessons_open"] = s.lessons_open;
  j["window_width"] = s.window_width;
  j["window_height"] = s.window_height;
  j["fullscreen"] = s.fullscreen;
  j["imgui_ini"] = s.imgui_ini;
  return j.dump(2) + "\n";
}

Settings settings_from_json(const std::string& text) {
  json j;
  try {
    j = json::parse(text);
  } catch (const json::exception& e) {
    fail(std::string("settings: not valid JSON (") + e.what() + ")");
  }
  if (!j.is_object()) fail("settings: expected a JSON object at the top level");
  Settings s;
  auto get = [&](const char* key, auto& out, const char* what) {
    if (!j.contains(key)) return;
    try {
      j.at(key).get_to(out);
    } catch (const json::exception&) {
      fail(std::string("settings: ") + key + " must be " + what);
    }
  };
  get("ui_scale", s.ui_scale, "a number from 1 to 3");
  if (!std::isfinite(s.ui_scale) || s.ui_scale < kMinUiScale || s.ui_scale > kMaxUiScale)
    fail("settings: ui_scale must be a number from 1 to 3");
  get("theme", s.theme, "dark, light or contrast");
  if (!valid_theme(s.theme)) fail("settings: theme must be dark, light or contrast (got `" + s.theme + "`)");
  get("workspace", s.workspace, "a workspace name");
  get("open_panels", s.open_panels, "a list of panel ids");
  get("lessons_open", s.lessons_open, "true or false");
  get("window_width", s.window_width, "a whole number of pixels");
  get("window_height", s.window_height, "a whole number of pixels");
  if (s.window_width < 200 || s.window_width > 16384 || s.window_height < 150 || s.window_height > 16384)
    fail("settings: window size out of range (200x150 to 16384x16384)");
  get("fullscreen", s.fullscreen, "true or false");
  get("imgui_ini", s.imgui_ini, "text");
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
