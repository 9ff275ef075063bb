// Fuzzes the lesson-folder code: each input builds a small folder — files with fuzzed names and
// contents, symlinks to themselves, to the folder and to nowhere, subfolders — then lists it, loads
// every lesson and looks one up by a fuzzed key. Nothing may throw; every error names its file.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>

#include "fuzz_common.hpp"
#include "lessons/lesson.hpp"

namespace fs = std::filesystem;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const fs::path root = fs::temp_directory_path() / ("fuzz_lessons_" + std::to_string(::getpid()));
  std::error_code ec;
  fs::remove_all(root, ec);
  fs::create_directories(root, ec);
  size_t i = 0;
  auto take = [&](size_t n) {
    std::string s(reinterpret_cast<const char*>(data) + i, std::min(n, size - i));
    i += s.size();
    return s;
  };
  std::string key;
  while (i + 2 < size) {
    const uint8_t kind = data[i++] % 5;
    std::string name = take(data[i++] % 24);
    for (char& c : name)
      if (c == '/' || c == '\0') c = '_';
    if (name.empty() || name == "." || name == "..") name = "x";
    if (kind == 0 || kind == 1) name += ".md";
    const fs::path p = root / name;
    if (kind == 0) {  // a lesson file with fuzzed contents
      const size_t n = i < size ? data[i++] * 4u : 0;
      FILE* f = std::fopen(p.c_str(), "wb");
      if (f) {
        const std::string body = take(n);
        std::fwrite(body.data(), 1, body.size(), f);
        std::fclose(f);
      }
    } else if (kind == 1) {
      fs::create_symlink(p, p, ec);  // a lesson that is a symlink to itself
    } else if (kind == 2) {
      fs::create_directory_symlink(root, p, ec);  // a folder inside itself
    } else if (kind == 3) {
      fs::create_symlink(root / "nowhere", p, ec);  // dangling
    } else {
      fs::create_directories(p, ec);
      key = name;
    }
  }
  if (i < size) key = take(size - i);
  std::string sub = key;  // stays inside the scratch folder
  for (char& c : sub)
    if (c == '/' || c == '\0') c = '_';
  for (const std::string& dir : {root.string(), (root / sub).string()}) {
    for (const std::string& f : gb::lesson_files(dir)) {
      gb::LessonParse lp = gb::load_lesson(f);
      for (auto& e : lp.errors)
        if (e.str().rfind(f, 0) != 0) gb::fuzz::die("lesson error does not start with its file");
    }
    (void)gb::find_lesson_file(dir, key);
  }
  fs::remove_all(root, ec);
  return 0;
}
