// Session save/open with the lesson position (see session_io.hpp).
#include "lessons/session_io.hpp"

#include <filesystem>

#include "core/error.hpp"
#include "lab/session.hpp"
#include "lab/session_file.hpp"
#include "lessons/lesson.hpp"
#include "lessons/runner.hpp"

namespace gb {

namespace {
bool lesson_exists(const std::string& file) {
  std::error_code ec;
  return std::filesystem::is_regular_file(std::filesystem::path(lessons_dir()) / file, ec);
}
}  // namespace

CommandResult save_session_to(Session& session, const LessonRunner* lessons, const std::string& path) {
  if (path.empty()) return CommandResult::bad("session save: expected a file name, e.g. session save class.glassbox");
  try {
    SessionFile s = capture_session(session);
    if (lessons && lessons->has_lesson()) {
      s.lesson_file = std::filesystem::path(lessons->path()).filename().string();
      s.lesson_step = lessons->step();
    }
    write_session_file(path, s);
  } catch (const std::exception& e) {  // gb::Error names the file; anything else still must not end the app
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
  if (!s.teacher.start_lesson.empty() && !lesson_exists(s.teacher.start_lesson))
    return CommandResult::bad("session not opened (nothing changed): " + path + ": teacher.start_lesson.file \"" +
                              s.teacher.start_lesson + "\" is not in the lessons folder " + lessons_dir());
  if (s.teacher.locked && !s.teacher.start_lesson.empty()) {  // a locked class starts where the teacher chose
    s.lesson_file = s.teacher.start_lesson;
    s.lesson_step = s.teacher.start_step;
    s.lessons_open = true;
  }
  std::string lesson_path;
  if (!s.lesson_file.empty()) {
    lesson_path = (std::filesystem::path(lessons_dir()) / s.lesson_file).string();
    if (!lesson_exists(s.lesson_file))
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
  // The lesson replay ran before the lock came in: the file's rules take over from here (apply_session).
  problem = apply_session(session, s);
  if (!problem.empty()) return CommandResult::bad("session only partly opened: " + problem);  // checked above: a lab bug
  return CommandResult::good("session opened from " + path);
}

}  // namespace gb

namespace gb {

CommandResult run_teacher_command(Session& session, LessonRunner* lessons, const std::string& line) {
  Command c;
  try {
    c = parse_command(line);
  } catch (const Error& e) {
    return CommandResult::bad(e.what());
  }
  if (c.verb() != "teacher") return session.run(c);
  const std::string verb = c.argc() ? c.arg(0) : "";
  if (verb == "start" && c.argc() == 3 && !session.teacher.locked() && !lesson_exists(c.arg(1)))
    return CommandResult::bad("teacher start: \"" + c.arg(1) + "\" is not in the lessons folder " + lessons_dir());
  CommandResult r = session.run(c);
  const TeacherRules& t = session.teacher.rules;
  if (r.ok && verb == "lock" && lessons && !t.start_lesson.empty() && lesson_exists(t.start_lesson)) {
    if (lessons->open((std::filesystem::path(lessons_dir()) / t.start_lesson).string(), t.start_step))
      session.view.lessons_open = true;
    session.teacher.keep_limits(session);  // the lesson's replay reset the labs
  }
  return r;
}

}  // namespace gb
