// Fuzzes the lesson parser (front matter, steps, fences, quiz/predict blocks, md4c Markdown): any bytes
// give a parse or a list of `file:line: message` errors, never a crash; every error line lies within
// the file, every parsed action is a command parse_command accepts, and every question that parsed
// cleanly has a question text, at least two answers and one correct.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_common.hpp"
#include "lab/command.hpp"
#include "lessons/lesson.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  gb::LessonParse p = gb::parse_lesson(text, "lessons/04-fuzz.md");
  const int lines = int(std::count(text.begin(), text.end(), '\n')) + 1;
  for (auto& e : p.errors) {
    if (e.line < 1 || e.line > lines) gb::fuzz::die("error line outside the file");
    if (e.message.empty()) gb::fuzz::die("empty error message");
    if (e.str().rfind("lessons/04-fuzz.md:", 0) != 0) gb::fuzz::die("error does not start with file:");
  }
  for (auto& s : p.lesson.steps)
    for (auto& b : s.blocks) {
      for (auto& a : b.actions) gb::parse_command(a.command);  // must not throw: the parser checked it
      if (p.ok() && b.is_question()) {
        if (b.answers.size() < 2) gb::fuzz::die("a valid question with fewer than two answers");
        if (std::none_of(b.answers.begin(), b.answers.end(), [](auto& a) { return a.correct; }))
          gb::fuzz::die("a valid question with no correct answer");
      }
    }
  gb::markdown_plain_text(gb::parse_markdown(text));
  return 0;
}
