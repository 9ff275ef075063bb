// The right-click menu, the export dialog and the `export` command's words (see export_panel.hpp).
#include "app/export_panel.hpp"

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <system_error>

#include <imgui.h>

#include "core/error.hpp"
#include "core/files.hpp"
#include "core/i18n.hpp"
#include "lab/command.hpp"
#include "lab/export_data.hpp"

namespace gb::app {

namespace fs = std::filesystem;

// [SECTION] Folder and names

std::string exports_dir() {
  std::error_code ec;
  if (const char* x = std::getenv("XDG_PICTURES_DIR"); x && *x) return (fs::path(x) / "Glassbox").string();
  if (const char* home = std::getenv("HOME"); home && *home && fs::is_directory(fs::path(home) / "Pictures", ec))
    return (fs::path(home) / "Pictures" / "Glassbox").string();
  return (fs::path(config_dir()) / "exports").string();
}

std::string default_export_path(const std::string& panel, const std::string& extension, const std::string& folder) {
  std::time_t t = std::time(nullptr);
  char stamp[32] = "now";
  if (std::tm* tm = std::localtime(&t)) std::strftime(stamp, sizeof stamp, "%Y-%m-%d-%H%M", tm);
  return (fs::path(folder.empty() ? exports_dir() : folder) / (panel + "-" + stamp + "." + extension)).string();
}

// [SECTION] The command's words

const char* export_usage() {
  return "export PANEL FILE.png|.csv|.json [--scale 1|2|4]   or   export worksheet LESSON FILE.html   or   "
         "export gif PANEL FILE.gif [--fps F] [--frames N] [--every N] [--scale 1|2|4]   or   "
         "export menu PANEL (its right-click menu)   or   export dialog PANEL FILE … (where to save, prefilled)";
}

namespace {
struct Animation {
  const char* prefix;  // a panel id or "workspace." for all of a workspace's panels
  const char* frame;   // what one frame is
};
const Animation kAnimations[] = {
    {"transformer.generate", "one generated token"},
    {"transformer.probabilities", "one generated token"},
    {"transformer.tokens", "one generated token"},
    {"transformer.attention", "one generated token"},
    {"diffusion.filmstrip", "one denoising step"},
    {"diffusion.step", "one denoising step"},
    {"diffusion.sampler", "one denoising step"},
    {"diffusion.points", "one denoising step"},
    {"gan.playground", "N training steps"},
    {"gan.latent", "N training steps"},
    {"gan.losses", "N training steps"},
    {"vae.interpolate", "one step of the walk"},
};
}  // namespace

bool panel_animates(const std::string& panel) {
  for (auto& a : kAnimations)
    if (panel == a.prefix) return true;
  return false;
}

std::vector<std::string> animated_panels() {
  std::vector<std::string> v;
  for (auto& a : kAnimations) v.push_back(a.prefix);
  return v;
}

bool is_export_menu_command(const std::string& line, std::string& panel) {
  Command c = parse_command(line);
  if (c.argc() < 1 || c.arg(0) != "menu") return false;
  if (c.argc() != 2) throw Error("export menu: expected `export menu PANEL`");
  panel = c.arg(1);
  return true;
}

bool is_export_command(const std::string& line) {
  return line == "export" || line.rfind("export ", 0) == 0;
}

static std::string extension_of(const std::string& file) {
  std::string e = fs::path(file).extension().string();
  for (char& c : e) c = char(std::tolower(static_cast<unsigned char>(c)));
  return e;
}

ExportRequest parse_export_request(const std::string& line) {
  Command c = parse_command(line);
  auto usage = [](const std::string& why) { return Error("export: " + why + "\nusage: " + export_usage()); };
  std::vector<std::string> pos;
  ExportRequest r;
  bool gif = false, worksheet = false;
  for (size_t i = 0; i < c.argc(); ++i) {
    const std::string& w = c.arg(i);
    auto value = [&](double lo, double hi) {
      if (i + 1 >= c.argc()) throw usage(w + " needs a number");
      double v = 0;
      std::string err;
      if (!parse_number(c.arg(++i), lo, hi, v, err, w)) throw usage(err);
      return v;
    };
    if (w == "--scale") {
      r.scale = int(value(1, 4));
      if (r.scale != 1 && r.scale != 2 && r.scale != 4) throw usage("--scale is 1, 2 or 4");
    } else if (w == "--fps") {
      r.fps = value(0.5, 50);
    } else if (w == "--frames") {
      r.frames = int(value(1, 500));
    } else if (w == "--every") {
      r.every = int(value(1, 100000));
    } else if (w.rfind("--", 0) == 0) {
      throw usage("unknown option " + w);
    } else if (pos.empty() && w == "gif" && !worksheet) {
      gif = true;
    } else if (pos.empty() && w == "worksheet" && !gif) {
      worksheet = true;
    } else {
      pos.push_back(w);
    }
  }
  if (pos.size() != 2) throw usage(worksheet ? "expected a lesson and a file" : "expected a panel id and a file");
  r.panel = pos[0];
  r.file = pos[1];
  const std::string ext = extension_of(r.file);
  if (worksheet) {
    if (ext != ".html") throw usage(r.file + ": a worksheet is written as .html");
    r.kind = ExportRequest::Kind::worksheet;
  } else if (gif) {
    if (ext != ".gif") throw usage(r.file + ": an animation is written as .gif");
    r.kind = ExportRequest::Kind::gif;
    if (!panel_animates(r.panel)) {
      std::string list;
      for (auto& p : animated_panels()) list += (list.empty() ? "" : ", ") + p;
      throw Error("export gif: nothing moves in `" + r.panel + "`; animations: " + list);
    }
  } else if (ext == ".png") {
    r.kind = ExportRequest::Kind::png;
  } else if (ext == ".csv" || ext == ".json") {
    r.kind = ext == ".csv" ? ExportRequest::Kind::csv : ExportRequest::Kind::json;
  } else if (ext == ".gif") {
    throw usage("a .gif is an animation: export gif " + r.panel + " " + r.file);
  } else {
    throw usage(r.file + ": the file name ends in .png (picture), .csv or .json (data)");
  }
  return r;
}

std::string export_command(const ExportRequest& r) {
  std::string s = "export ";
  if (r.kind == ExportRequest::Kind::gif) s += "gif ";
  if (r.kind == ExportRequest::Kind::worksheet) s += "worksheet ";
  s += r.panel + " " + quote_word(r.file);
  if (r.kind == ExportRequest::Kind::png || r.kind == ExportRequest::Kind::gif) s += " --scale " + std::to_string(r.scale);
  if (r.kind == ExportRequest::Kind::gif) {
    char fps[32];
    std::snprintf(fps, sizeof fps, " --fps %g", r.fps);
    s += fps;
    if (r.frames > 0) s += " --frames " + std::to_string(r.frames);
    if (r.every > 0) s += " --every " + std::to_string(r.every);
  }
  return s;
}

// [SECTION] Dialog

ExportDialog::ExportDialog()
    : files_([](const fs::directory_entry& d, ui::FileEntry& e) {
        const std::string x = d.path().extension().string();
        return e.folder || x == ".png" || x == ".csv" || x == ".json" || x == ".gif" || x == ".html";
      }) {}

void ExportDialog::open(const ExportRequest& request) {
  request_ = request;
  std::error_code ec;
  fs::path folder = fs::path(request.file).parent_path();
  fs::create_directories(folder, ec);  // the exports folder appears when first used
  files_.list(folder.string());
  std::snprintf(path_, sizeof path_, "%s", request.file.c_str());
  want_open_ = true;
}

std::optional<std::string> ExportDialog::draw() {
  std::optional<std::string> chosen;
  if (!ui::begin_file_dialog(tr("Save an export###export-dialog"), &want_open_)) return chosen;
  const float em = ImGui::GetFontSize();
  if (request_.kind == ExportRequest::Kind::worksheet) ImGui::TextWrapped(tr("Lesson: %s"), request_.panel.c_str());
  else ImGui::TextWrapped(tr("Panel: %s"), request_.panel.c_str());
  switch (request_.kind) {
    case ExportRequest::Kind::png:
      ImGui::TextWrapped(tr("A picture of the panel with its title and legend, %d× its size on screen (PNG)."),
                         request_.scale);
      break;
    case ExportRequest::Kind::csv:
      ImGui::TextWrapped("%s", tr("The panel's numbers as a table: a header row, then one row per item (CSV, for a spreadsheet)."));
      break;
    case ExportRequest::Kind::json:
      ImGui::TextWrapped("%s", tr("The panel's numbers with what each column means and the settings they depend on (JSON)."));
      break;
    case ExportRequest::Kind::worksheet:
      ImGui::TextWrapped("%s", tr("A printable worksheet (HTML, A4): the lesson's text, its questions with boxes to tick, a picture of every step and the answers on a last page for the teacher. A second window opens while the pictures are made."));
      break;
    case ExportRequest::Kind::gif:
      ImGui::TextWrapped(tr("An animation of the panel (GIF, %.3g frames per second). The app pauses while it records."),
                         request_.fps);
      break;
  }
  const float footer = ImGui::GetFrameHeightWithSpacing() * 2 + ImGui::GetStyle().ItemSpacing.y;
  if (auto picked = files_.draw(-footer, path_, sizeof path_, tr("(no exports in this folder yet)"))) chosen = *picked;
  const char* label = tr("path");
  ImGui::SetNextItemWidth(-ImGui::CalcTextSize(label).x - ImGui::GetStyle().ItemInnerSpacing.x - em);
  const bool enter = ImGui::InputText(label, path_, sizeof path_, ImGuiInputTextFlags_EnterReturnsTrue);
  ImGui::BeginDisabled(path_[0] == 0);
  if (ImGui::Button(tr("Save")) || (enter && path_[0])) chosen = std::string(path_);
  ImGui::EndDisabled();
  ImGui::SameLine();
  if (ImGui::Button(tr("Cancel")) || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape))) ImGui::CloseCurrentPopup();
  std::optional<std::string> command;
  if (chosen) {
    ExportRequest r = request_;
    r.file = *chosen;
    const char* want = r.kind == ExportRequest::Kind::png    ? ".png"
                       : r.kind == ExportRequest::Kind::csv  ? ".csv"
                       : r.kind == ExportRequest::Kind::json ? ".json"
                       : r.kind == ExportRequest::Kind::gif  ? ".gif"
                                                             : ".html";
    if (extension_of(r.file) != want) r.file += want;
    command = export_command(r);
    ImGui::CloseCurrentPopup();
  }
  ImGui::EndPopup();
  return command;
}

// [SECTION] Right-click menu

void draw_export_menu(const PanelInfo& info, ExportDialog& dialog, std::string& open_for, const std::string& lesson_id) {
  const std::string popup = "##export-menu-" + info.id;
  if (open_for == info.id && !ImGui::IsWindowAppearing()) {  // windows appearing later this frame would close it
    open_for.clear();
    ImGui::OpenPopup(popup.c_str());
    const ImVec2 p = ImGui::GetWindowPos(), s = ImGui::GetWindowSize();
    ImGui::SetNextWindowPos(ImVec2(p.x + s.x * 0.5f, p.y + s.y * 0.3f), ImGuiCond_Always, ImVec2(0.5f, 0));
  }
  if (!ImGui::BeginPopupContextWindow(popup.c_str(), ImGuiPopupFlags_MouseButtonRight | ImGuiPopupFlags_NoOpenOverItems))
    return;
  ImGui::TextDisabled("%s", tr("Take this panel away"));
  ImGui::Separator();
  auto request = [&](ExportRequest::Kind kind, const char* ext, int scale) {
    ExportRequest r;
    r.kind = kind;
    r.panel = info.id;
    r.scale = scale;
    r.file = default_export_path(info.id, ext);
    dialog.open(r);
  };
  if (ImGui::MenuItem(tr("Save picture (PNG) 1×"))) request(ExportRequest::Kind::png, "png", 1);
  if (ImGui::MenuItem(tr("Save picture (PNG) 2×"))) request(ExportRequest::Kind::png, "png", 2);
  if (ImGui::MenuItem(tr("Save picture (PNG) 4×"))) request(ExportRequest::Kind::png, "png", 4);
  if (export_has_data(info.id)) {
    ImGui::Separator();
    if (ImGui::MenuItem(tr("Save data (CSV)"))) request(ExportRequest::Kind::csv, "csv", 1);
    if (ImGui::MenuItem(tr("Save data (JSON)"))) request(ExportRequest::Kind::json, "json", 1);
  }
  if (panel_animates(info.id)) {
    ImGui::Separator();
    if (ImGui::MenuItem(tr("Save animation (GIF)"))) request(ExportRequest::Kind::gif, "gif", 1);
  }
  if (info.id == "lessons" && !lesson_id.empty()) {
    ImGui::Separator();
    if (ImGui::MenuItem(tr("Save worksheet (HTML)"))) {
      ExportRequest r;
      r.kind = ExportRequest::Kind::worksheet;
      r.panel = lesson_id;
      r.file = default_export_path(lesson_id + ".worksheet", "html");
      dialog.open(r);
    }
  }
  ImGui::EndPopup();
}

}  // namespace gb::app
