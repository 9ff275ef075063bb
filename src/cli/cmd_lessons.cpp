// `glassbox lessons list|check`: list the lessons, or parse every lesson and run every command of
// every step (predict reveals included) headless through a fresh Session, reporting `file:line: …`.
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/args.hpp"
#include "core/error.hpp"
#include "lab/session.hpp"
#include "lessons/lesson.hpp"
#include "lessons/runner.hpp"

namespace gb::cli {

static const std::vector<FlagSpec> kLessonsFlags = {
    {"--dir", true, "DIR      the lessons folder (default: the repository's lessons/)"},
    {"--json", false, "         check: print {\"lessons\": N, \"steps\": M, \"errors\": [\"file:line: message\", …]};\n"
                      "                  list: an array of {id, title, workspace, minutes, steps}"},
    {"--help", false, "         show this help"},
};

static const char* kLessonsUsage =
    "usage: glassbox lessons list [--dir DIR] [--json]\n"
    "       glassbox lessons check [--dir DIR] [--json]   parse every lesson and run all its commands, and check\n"
    "                                                    every translation (DIR/<lang>/NAME.md) against its\n"
    "                                                    original; exit code 1 on any error\n\n";

static int lessons_list(const std::string& dir, bool json) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec))
    fail_file(dir, ec ? "cannot open the lessons folder (" + ec.message() + ")" : std::string("no such lessons folder"));
  nlohmann::json out = nlohmann::json::array();
  for (auto& f : lesson_files(dir)) {
    LessonParse p = load_lesson(f);
    const Lesson& L = p.lesson;
    if (json) {
      out.push_back({{"id", L.id}, {"file", f}, {"title", L.title}, {"workspace", L.workspace}, {"minutes", L.minutes},
                     {"steps", L.steps.size()}, {"ok", p.ok()}});
    } else {
      std::printf("%-28s %-11s %3d min  %2zu steps  %s%s\n", L.id.c_str(), L.workspace.c_str(), L.minutes,
                  L.steps.size(), L.title.c_str(), p.ok() ? "" : "  (has errors: glassbox lessons check)");
    }
  }
  if (json) std::printf("%s\n", out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
  else if (lesson_files(dir).empty()) std::printf("no lessons in %s\n", dir.c_str());
  return 0;
}

static int lessons_check(const std::string& dir, bool json) {
  std::vector<std::string> files = lesson_files(dir);
  std::vector<std::string> errors;
  int steps = 0, commands = 0;
  std::error_code ec;  // a folder that is a symlink to itself, or a name too long, is an error message, not a throw
  const bool is_dir = std::filesystem::is_directory(dir, ec);
  if (ec) errors.push_back(dir + ":1: cannot open the folder (" + ec.message() + ")");
  else if (!is_dir) errors.push_back(dir + ":1: no such folder");
  else if (files.empty()) errors.push_back(dir + ":1: no lessons (*.md files) in this folder");
  Session session;  // one fresh session; every lesson starts from the baseline (labs reset)
  LessonRunner runner(session);
  for (auto& f : files) {
    size_t before = errors.size();
    if (!runner.open(f, 0)) {
      for (auto& e : runner.load_errors()) errors.push_back(e.str());
    } else {
      steps += runner.step_count();
      for (auto& e : runner.run_everything()) errors.push_back(e);
      commands += runner.commands_run();
    }
    if (!json) {
      std::string id = std::filesystem::path(f).stem().string();
      if (errors.size() == before)
        std::printf("ok    %s (%d steps)\n", id.c_str(), runner.has_lesson() ? runner.step_count() : 0);
      else
        for (size_t i = before; i < errors.size(); ++i) std::printf("error %s\n", errors[i].c_str());
    }
    runner.close();
  }
  // Translations (lessons/<lang>/<the English file's name>): each must parse and act exactly as its original (same
  // steps, the same commands, the same quizzes with the same right answers), so its commands need not run again.
  size_t translations = 0;
  for (const std::string& lang : is_dir ? lesson_languages(dir) : std::vector<std::string>{}) {
    for (auto& f : lesson_files((std::filesystem::path(dir) / lang).string())) {
      ++translations;
      size_t before = errors.size();
      const std::string name = std::filesystem::path(f).filename().string();
      const std::string original = (std::filesystem::path(dir) / name).string();
      LessonParse t = load_lesson(f);
      for (auto& e : t.errors) errors.push_back(e.str());
      std::error_code fec;
      if (!std::filesystem::is_regular_file(original, fec)) {
        errors.push_back(f + ":1: no English original " + name + " in " + dir + " (a translation keeps its original's file name)");
      } else if (t.ok()) {
        LessonParse o = load_lesson(original);
        if (o.ok())
          for (auto& e : compare_translation(o.lesson, t.lesson)) errors.push_back(e.str());
      }
      if (!json) {
        if (errors.size() == before)
          std::printf("ok    %s/%s (translation, %zu steps)\n", lang.c_str(), t.lesson.id.c_str(), t.lesson.steps.size());
        else
          for (size_t i = before; i < errors.size(); ++i) std::printf("error %s\n", errors[i].c_str());
      }
    }
  }
  if (json) {
    nlohmann::json out;
    out["lessons"] = files.size();
    out["translations"] = translations;
    out["steps"] = steps;
    out["errors"] = errors;
    std::printf("%s\n", out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
  } else {
    std::printf("%zu lessons, %zu translations, %d steps, %d commands run, %zu error%s\n", files.size(), translations, steps,
                commands, errors.size(), errors.size() == 1 ? "" : "s");
    if (files.empty())
      for (auto& e : errors) std::printf("error %s\n", e.c_str());
  }
  return errors.empty() ? 0 : 1;
}

int cmd_lessons(int argc, char** argv) {
  if (argc < 3) throw UsageError{"expected `list` or `check`"};
  if (std::string(argv[2]) == "--help" || std::string(argv[2]) == "-h") {
    std::printf("%s%s", kLessonsUsage, usage_lines(kLessonsFlags).c_str());
    return 0;
  }
  const std::string what = argv[2];
  Args args(argc, argv, 3, kLessonsFlags);
  if (args.has("--help")) {
    std::printf("%s%s", kLessonsUsage, usage_lines(kLessonsFlags).c_str());
    return 0;
  }
  const std::string dir = args.str("--dir", lessons_dir());
  if (what == "list") return lessons_list(dir, args.has("--json"));
  if (what == "check") return lessons_check(dir, args.has("--json"));
  throw UsageError{"expected `list` or `check`, got `" + what + "`"};
}

}  // namespace gb::cli
