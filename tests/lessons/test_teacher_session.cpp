// Teacher mode with lessons (issue 20.2): `teacher lock` opens the teacher's start lesson at its step; a locked
// session file opened as `glassbox --session FILE` does (open_session_from) starts locked, in that lesson and step,
// whatever lesson the file was saved in; while locked, another session cannot be opened; a start lesson that is not
// in the lessons folder is refused naming the field.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "lab/session.hpp"
#include "lab/session_file.hpp"
#include "lessons/lesson.hpp"
#include "lessons/runner.hpp"
#include "lessons/session_io.hpp"

using namespace gb;

namespace {
std::string temp_file(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() / "gb_teacher_session";
  std::filesystem::create_directories(dir);
  return (dir / name).string();
}

void ok(CommandResult r, const std::string& what) {
  INFO(what << ": " << r.message);
  REQUIRE(r.ok);
}
}  // namespace

TEST_CASE("teacher mode: a locked session file opens locked, in the teacher's start lesson and step") {
  Session a;
  LessonRunner la(a);
  for (const char* line : {"teacher pin 2468", "teacher start 04-attention.md 3", "teacher limit transformer.temperature 0.2 1.5"})
    ok(run_teacher_command(a, &la, line), line);
  CHECK_FALSE(run_teacher_command(a, &la, "teacher start no-such-lesson.md 1").ok);  // checked against the folder
  ok(run_teacher_command(a, &la, "teacher lock"), "teacher lock");
  REQUIRE(la.has_lesson());
  CHECK(std::filesystem::path(la.path()).filename() == "04-attention.md");
  CHECK(la.step() == 2);
  CHECK(a.view.lessons_open);
  CHECK(a.lab("transformer").setting_value("temperature") <= 1.5);  // the lesson's replay did not undo the limit
  ok(run_teacher_command(a, &la, "teacher unlock 2468"), "unlock");
  ok(run_teacher_command(a, &la, "teacher lock"), "lock again");
  REQUIRE(la.open((std::filesystem::path(lessons_dir()) / "01-what-a-model-does.md").string(), 0));  // the class moved on
  ok(a.run("workspace diffusion"), "the student wanders off");
  const std::string path = temp_file("class.glassbox");
  ok(save_session_to(a, &la, path), "save");

  Session b;  // what `glassbox --session class.glassbox` does
  LessonRunner lb(b);
  ok(open_session_from(b, &lb, path), "open");
  CHECK(b.teacher.locked());
  REQUIRE(lb.has_lesson());
  CHECK(std::filesystem::path(lb.path()).filename() == "04-attention.md");
  CHECK(lb.step() == 2);
  CHECK(b.view.lessons_open);
  CHECK_FALSE(b.run("transformer set temperature 3").ok);
  // Locked: no other session (the teacher unlocks first).
  CommandResult r = open_session_from(b, &lb, path);
  CHECK_FALSE(r.ok);
  CHECK(r.message.find("locked by the teacher") != std::string::npos);
  ok(b.run("teacher unlock 2468"), "unlock b");
  ok(open_session_from(b, &lb, path), "open again, unlocked");
  CHECK(b.teacher.locked());
}
