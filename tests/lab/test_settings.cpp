// Settings: JSON round trip, clear errors and defaults for corrupt files, atomic save.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include <unistd.h>

#include "core/error.hpp"
#include "core/files.hpp"
#include "lab/settings.hpp"

namespace fs = std::filesystem;

static fs::path fresh_dir() {
  fs::path d = fs::temp_directory_path() / ("glassbox_test_settings_" + std::to_string(::getpid()));
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

TEST_CASE("settings survive a round trip through JSON and a file") {
  gb::Settings s;
  s.ui_scale = 2.25f;
  s.theme = "contrast";
  s.language = "uk";
  s.workspace = "gan";
  s.open_panels = {"gan.overview", "transformer.attention"};
  s.lessons_open = true;
  s.window_width = 1280;
  s.window_height = 720;
  s.fullscreen = true;
  s.imgui_ini = "[Window][Debug##Default]\nPos=60,60\nSize=400,400\n\"quoted\" \\ text\n";
  gb::Settings back = gb::settings_from_json(gb::settings_to_json(s));
  CHECK(back.ui_scale == s.ui_scale);
  CHECK(back.theme == s.theme);
  CHECK(back.language == "uk");
  CHECK(back.workspace == s.workspace);
  CHECK(back.open_panels == s.open_panels);
  CHECK(back.lessons_open == s.lessons_open);
  CHECK(back.window_width == s.window_width);
  CHECK(back.window_height == s.window_height);
  CHECK(back.fullscreen == s.fullscreen);
  CHECK(back.imgui_ini == s.imgui_ini);

  fs::path d = fresh_dir();
  std::string path = (d / "glassbox" / "settings.json").string();
  gb::save_settings(path, s);
  std::string error;
  gb::Settings loaded = gb::load_settings(path, error);
  CHECK(error.empty());
  CHECK(loaded.theme == "contrast");
  CHECK(loaded.imgui_ini == s.imgui_ini);
  fs::remove_all(d);
}

TEST_CASE("missing keys keep their defaults; a missing file is not an error") {
  gb::Settings s = gb::settings_from_json(R"({"theme": "light"})");
  CHECK(s.theme == "light");
  CHECK(s.ui_scale == 1.0f);
  CHECK(s.workspace == "transformer");
  CHECK(s.language == "en");
  std::string error = "stale";
  gb::Settings d = gb::load_settings("/nonexistent/glassbox/settings.json", error);
  CHECK(error.empty());
  CHECK(d.theme == "dark");
}

TEST_CASE("corrupt settings give a clear error and defaults, never a crash") {
  fs::path d = fresh_dir();
  std::string path = (d / "settings.json").string();
  struct Case {
    const char* text;
    const char* expect;  // part of the message
  };
  for (auto c : {Case{"{ \"ui_scale\": 2, ", "not valid JSON"}, Case{"[1, 2, 3]", "JSON object"},
                 Case{R"({"ui_scale": "big"})", "ui_scale is \"big\" (a string), expected a number from 1 to 3"},
                 Case{R"({"ui_scale": 9})", "ui_scale is 9 (a whole number), expected a number from 1 to 3"},
                 Case{R"({"theme": "neon"})", "theme must be dark, light or contrast"},
                 Case{R"({"language": "../models"})", "language must be a code such as en, de or uk"},
                 Case{R"({"open_panels": 5})", "open_panels is 5"},
                 Case{R"({"open_panels": ["a", 7]})", "open_panels[1] is 7"},
                 Case{R"({"window_width": 10})", "window_width is 10 (a whole number), expected a whole number from 200 to 16384"},
                 // 2^32 + 300 used to wrap silently to a 300-pixel window
                 Case{R"({"window_width": 4294967596})", "window_width is 4294967596"},
                 Case{R"({"lessons_open": "yes"})", "lessons_open is \"yes\" (a string), expected true or false"},
                 Case{"\x01\xff\xfe garbage", "not valid JSON"}, Case{"", "not valid JSON"}}) {
    CAPTURE(c.text);
    gb::write_file_atomic(path, c.text);
    std::string error;
    gb::Settings s = gb::load_settings(path, error);
    CHECK(error.find(path + ": ") == 0);
    CHECK(error.find(c.expect) != std::string::npos);
    CHECK(error.find("using default settings") != std::string::npos);
    CHECK(s.theme == "dark");
    CHECK(s.ui_scale == 1.0f);
  }
  // A directory where the file should be: unreadable, still defaults.
  fs::create_directories(d / "dir.json");
  std::string error;
  gb::load_settings((d / "dir.json").string(), error);
  CHECK(!error.empty());
  fs::remove_all(d);
}

TEST_CASE("themes") {
  CHECK(gb::valid_theme("dark"));
  CHECK(gb::valid_theme("light"));
  CHECK(gb::valid_theme("contrast"));
  CHECK(!gb::valid_theme("Dark"));
}
