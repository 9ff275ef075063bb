#include "core/i18n.hpp"

#include <algorithm>
#include <atomic>
#include <cstdarg>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <mutex>

#include "core/error.hpp"
#include "core/files.hpp"

namespace gb {
namespace {

// Catalogues are never freed while the program runs: a pointer tr() returned earlier stays readable
// even if another thread switched the language meanwhile. A handful of languages at most.
std::mutex g_mutex;
std::vector<std::unique_ptr<Catalogue>> g_loaded;
std::atomic<const Catalogue*> g_current{nullptr};
std::string g_language = "en";

std::string unquote(std::string_view s, const std::string& path, int line) {
  // s starts at the opening quote
  if (s.empty() || s.front() != '"') fail_file(path + ":" + std::to_string(line), "expected a quoted string");
  std::string out;
  size_t i = 1;
  for (; i < s.size() && s[i] != '"'; ++i) {
    if (s[i] != '\\') {
      out += s[i];
      continue;
    }
    if (++i >= s.size()) break;
    switch (s[i]) {
      case 'n': out += '\n'; break;
      case 't': out += '\t'; break;
      case '"': out += '"'; break;
      case '\\': out += '\\'; break;
      default:
        fail_file(path + ":" + std::to_string(line), std::string("unknown escape \\") + s[i]);
    }
  }
  if (i >= s.size()) fail_file(path + ":" + std::to_string(line), "string has no closing quote");
  std::string_view rest = s.substr(i + 1);
  if (rest.find_first_not_of(" \t\r") != std::string_view::npos)
    fail_file(path + ":" + std::to_string(line), "text after the closing quote");
  return out;
}

}  // namespace

void parse_po(std::string_view text, const std::string& path, Catalogue& into) {
  enum class Field { none, id, str };
  Field field = Field::none;
  std::string id, str;
  bool have_id = false, have_str = false;
  int id_line = 0;
  auto flush = [&] {
    if (have_id && !have_str) fail_file(path + ":" + std::to_string(id_line), "msgid without msgstr");
    if (have_id && !id.empty() && !str.empty()) {
      if (into.entries.count(id))
        fail_file(path + ":" + std::to_string(id_line), "msgid \"" + id + "\" appears twice");
      into.entries.emplace(id, str);
    }
    id.clear();
    str.clear();
    have_id = have_str = false;
    field = Field::none;
  };
  int line_no = 0;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    size_t first = line.find_first_not_of(" \t\r");
    if (first == std::string_view::npos || line[first] == '#') {
      if (end == text.size()) break;
      continue;
    }
    line = line.substr(first);
    if (line.rfind("msgid ", 0) == 0) {
      flush();
      id = unquote(line.substr(6), path, line_no);
      have_id = true;
      id_line = line_no;
      field = Field::id;
    } else if (line.rfind("msgstr ", 0) == 0) {
      if (!have_id || have_str) fail_file(path + ":" + std::to_string(line_no), "msgstr without msgid");
      str = unquote(line.substr(7), path, line_no);
      have_str = true;
      field = Field::str;
    } else if (line.front() == '"') {
      if (field == Field::none) fail_file(path + ":" + std::to_string(line_no), "string outside an entry");
      (field == Field::id ? id : str) += unquote(line, path, line_no);
    } else if (line.rfind("msgctxt", 0) == 0 || line.rfind("msgid_plural", 0) == 0 ||
               line.rfind("msgstr[", 0) == 0) {
      fail_file(path + ":" + std::to_string(line_no),
                "contexts and plural forms are not used by Glassbox catalogues");
    } else {
      fail_file(path + ":" + std::to_string(line_no), "expected msgid, msgstr, a quoted line or a # comment");
    }
    if (end == text.size()) break;
  }
  flush();
}

const char* tr(const char* english) {
  const Catalogue* c = g_current.load(std::memory_order_acquire);
  if (!c || !english) return english;
  auto it = c->entries.find(english);
  return it == c->entries.end() ? english : it->second.c_str();
}

void set_language(const std::string& code) {
  std::lock_guard lock(g_mutex);
  if (code.empty() || code == "en") {
    g_current.store(nullptr, std::memory_order_release);
    g_language = "en";
    return;
  }
  namespace fs = std::filesystem;
  const fs::path dir = fs::path(assets_dir()) / "i18n" / code;
  std::error_code ec;
  if (code.find_first_of("/\\.") != std::string::npos || !fs::is_directory(dir, ec))
    fail("language \"" + code + "\": no catalogue folder " + dir.string());
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (e.path().extension() == ".po") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  auto cat = std::make_unique<Catalogue>();
  for (const auto& f : files) parse_po(read_file(f.string()), f.string(), *cat);
  g_current.store(cat.get(), std::memory_order_release);
  g_loaded.push_back(std::move(cat));
  g_language = code;
}

const std::string& language() { return g_language; }

std::string format_text(const char* fmt, ...) {
  va_list a;
  va_start(a, fmt);
  va_list b;
  va_copy(b, a);
  int n = std::vsnprintf(nullptr, 0, fmt, a);
  va_end(a);
  std::string out;
  if (n > 0) {
    out.resize(size_t(n) + 1);
    std::vsnprintf(out.data(), out.size(), fmt, b);
    out.resize(size_t(n));
  }
  va_end(b);
  return out;
}

const char* language_name(const std::string& code) {
  // Each in its own language, so a student who cannot read the current one still finds theirs.
  if (code == "en") return "English";
  if (code == "de") return "Deutsch";
  if (code == "es") return "Español";
  if (code == "fr") return "Français";
  if (code == "uk") return "Українська";
  return code.c_str();
}

std::vector<std::string> available_languages() {
  namespace fs = std::filesystem;
  std::vector<std::string> out{"en"};
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(fs::path(assets_dir()) / "i18n", ec))
    if (e.is_directory() && e.path().filename() != "en") out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace gb
