// Session save/open with the lesson position (see session_io.hpp).
#include "lessons/session_io.hpp"

#include <filesystem>

#include "core/error.hpp"
#include "lab/session.hpp"
#include "lab/session_file.hpp"
#include "lessons/lesson.hpp"
#include "lessons/runner.hpp"

namespace gb {

CommandResult save_session_to(Session& session, const LessonRunner* lessons, const std::string& path) {
  if (path.empty()) return CommandResult::bad("session save: expected a file name, e.g. session save class.glassbox");
  try {
    SessionFile s = capture_session(session);
    if (lessons && lessons->has_lesson()) {
      s.lesson_file = std::filesystem::path(lessons->path()).filename().string();
      s.lesson_step = lessons->step();
    }
    write_session_file(path, s);
  } catch (const Error& e) {
    return CommandResult::bad(std::string("session not saved: ") + e.what());
  }
  return CommandResult::good("session saved to " + path);
}

CommandResult open_session_from(Session& session, LessonRunner* lessons, const std::string& path) {
  if (path.empty()) return CommandResult::bad("session open: expected a file name, e.g. session open class.glassbox");
  SessionFile s;
  try {
    s = read_session_file(path);
  } catch (const Error& e) {
    return CommandResult::bad(std::string("session not opened (nothing changed): ") + e.what());
  }
  std::string lesson_path;
  if (!s.lesson_file.empty()) {
    lesson_path = (std::filesystem::path(lessons_dir()) / s.lesson_file).string();
    std::error_code ec;
    if (!std::filesystem::is_regular_file(lesson_path, ec))
      return CommandResult::bad("session not opened (nothing changed): " + path + ": lesson.file \"" + s.lesson_file +
                                "\" is not in the lessons folder " + lessons_dir());
  }
  std::string problem = check_session(session, s);
  if (!problem.empty()) return CommandResult::bad("session not opened (nothing changed): " + problem);
  // The lesson first: opening it replays its steps; the saved labs then replace what the replay left.
  if (lessons) {
    if (!lesson_path.empty()) {
      if (!lessons->open(lesson_path, s.lesson_step)) {
        std::string why = lessons->load_errors().empty() ? "it did not load" : lessons->load_errors().front().str();
        return CommandResult::bad("session not opened (nothing changed): " + path + ": lesson " + s.lesson_file + ": " + why);
      }
    } else {
      lessons->close();
    }
  }
  problem = apply_session(session, s);
  if (!problem.empty()) return CommandResult::bad("session only partly opened: " + problem);  // checked above: a lab bug
  return CommandResult::good("session opened from " + path);
}

}  // namespace gb
