// Taking a panel away: the right-click menu on every panel window (Save picture 1× / 2× / 4×, Save data CSV/JSON,
// Save animation GIF), the dialog that picks where, the exports folder and default names, and the `export` command
// (`export PANEL FILE [--scale K]`, `export gif PANEL FILE [--fps F] [--frames N] [--every N] [--scale K]`), which the
// shell runs between frames (src/app/export_run.cpp) because a picture is a frame rendered offscreen.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "app/widgets/file_list.hpp"
#include "lab/lab.hpp"

namespace gb::app {

// Where exports go unless told otherwise: $XDG_PICTURES_DIR/Glassbox, else ~/Pictures/Glassbox, else the config
// folder's exports/ (created when first used).
std::string exports_dir();
// "FOLDER/transformer.attention-2026-12-07-0815.png" (local time).
std::string default_export_path(const std::string& panel, const std::string& extension, const std::string& folder = "");

struct ExportRequest {
  enum class Kind { png, csv, json, gif, worksheet };
  Kind kind = Kind::png;
  std::string panel, file;  // worksheet: panel is the lesson (id, number or topic)
  int scale = 1;       // png/gif: 1, 2 or 4
  double fps = 4;      // gif: frames per second (0.5–50)
  int frames = 0;      // gif: frames to record (0: the panel's natural count)
  int every = 0;       // gif of the GAN: training steps between frames (0: the default)
};
// True for a line whose first word is `export`.
bool is_export_command(const std::string& line);
// True for `export menu PANEL` (sets `panel`); throws gb::Error for `export menu` without exactly one panel.
bool is_export_menu_command(const std::string& line, std::string& panel);
// Parses an export command line. Throws gb::Error with the usage on anything wrong (unknown kind by extension,
// scale not 1/2/4, numbers out of range).
ExportRequest parse_export_request(const std::string& line);
// The command line for a request (what the menu and the dialog run).
std::string export_command(const ExportRequest& r);
// Panels whose GIF shows something moving, and what one frame is ("one generated token").
bool panel_animates(const std::string& panel);
std::vector<std::string> animated_panels();
// The usage lines of the command (help and errors).
const char* export_usage();

// RGBA pixels (rows top to bottom) as PNG bytes; throws gb::Error naming `file`.
std::string encode_png(const std::vector<unsigned char>& rgba, int w, int h, const std::string& file);

// The dialog the right-click menu opens: a folder list and a path field, prefilled with the default name.
class ExportDialog {
 public:
  ExportDialog();
  void open(const ExportRequest& request);
  // Draws while open; returns the export command once the user chose where.
  std::optional<std::string> draw();

 private:
  bool want_open_ = false;
  ExportRequest request_;
  ui::FileList files_;
  char path_[1024] = {};
};

// The right-click menu of a panel window; call inside the panel's window (between Begin and End). When `open_for` is
// this panel's id (the command `export menu PANEL`: keyboard users, screenshots) the menu opens without a
// click, in the middle of the panel, and `open_for` is cleared.
// `lesson_id`: the lesson open in the lessons panel ("" for none; its menu then offers a worksheet).
void draw_export_menu(const PanelInfo& info, ExportDialog& dialog, std::string& open_for, const std::string& lesson_id);

}  // namespace gb::app
