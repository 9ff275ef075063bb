// LessonRunner: walks one lesson over a live gb::Session. Entering step k by Back, a jump or a reload
// resets the session to the lesson's baseline (Session::reset_to_defaults with the lesson's
// workspace) and replays the commands of steps 1..k in file order, predict reveals of earlier steps
// included, so Back gives exactly the previous step's state. Next is cheap: the session already
// holds step k's state, so it runs only what a fresh replay would run after it (the current step's
// unrevealed predict reveals, then step k+1's commands) — the same commands in the same order. Answers and the current step are kept
// per user in a progress file (JSON, written atomically). Command failures are collected as
// `file:line: message`; nothing here throws into the UI. No ImGui.
#pragma once
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "lab/session.hpp"
#include "lessons/lesson.hpp"

namespace gb {

// [SECTION] Progress per user: lesson id → current step, answers, finished.
struct LessonProgress {
  int step = 0;                        // 0-based step the student is on
  bool finished = false;               // reached the last step and pressed Finish
  std::map<std::string, int> answers;  // "step.block" → chosen answer index
  int visited = 0;                     // highest step index reached
};

struct ProgressStore {
  std::map<std::string, LessonProgress> lessons;
  std::string current;  // the lesson open last
};

std::string progress_to_json(const ProgressStore& p);
// Forgiving: entries of the wrong type are skipped, each named in `skipped` ("FILE: lessons.b.step is
// "x" (a string), expected a whole number"); throws gb::Error only when the text is not a JSON object.
ProgressStore progress_from_json(const std::string& text, const std::string& file = "lesson progress",
                                 std::vector<std::string>* skipped = nullptr);
std::string progress_path();  // config_dir()/lessons-progress.json

// [SECTION] The runner
class LessonRunner {
 public:
  // `progress_file` empty: progress is kept in memory only (tests, `lessons check`, screenshots).
  explicit LessonRunner(Session& session, std::string progress_file = "");

  // Parses `path` and makes it the current lesson, entering its saved step (or `step` when ≥ 0).
  // On a parse error the previous lesson (if any) stays; the errors are in load_errors().
  // In another language than English (gb::language()) the lesson's translation lessons/<lang>/<name>.md is shown
  // when it exists, parses and acts exactly as the original (compare_translation); else the English one, and
  // translation() says why. `path` may name either; progress, session files and ids are the same for both.
  bool open(const std::string& path, int step = -1);
  // The language changed: shows the open lesson in the new one (or English) at the same step, without replaying
  // anything (a translation runs the same commands).
  void relocalize();
  enum class Translation {
    english,     // the language is English
    translated,  // the lesson is shown in the current language
    missing,     // no translation into the current language yet: English is shown
    broken,      // the translation does not parse or does not act as the original: English (translation_problem())
  };
  Translation translation() const { return translation_; }
  const std::string& translation_problem() const { return translation_problem_; }
  void close();  // no lesson (the panel shows the list)
  bool has_lesson() const { return lesson_.has_value(); }
  const Lesson& lesson() const { return *lesson_; }
  const std::string& path() const { return path_; }  // the file shown (a translation's, or the English one)
  const std::vector<LessonError>& load_errors() const { return load_errors_; }
  // What was wrong with the progress file when it was read ("" when nothing): skipped entries, or a
  // damaged file that was set aside as FILE.damaged.
  const std::string& progress_problem() const { return progress_problem_; }

  // [SECTION] Navigation. goto_step(step() + 1) (Next) runs only the commands a fresh replay would
  // run after the current state; every other move resets and replays from the baseline.
  int step() const { return step_; }
  int step_count() const { return lesson_ ? int(lesson_->steps.size()) : 0; }
  void goto_step(int k);  // clamped to [0, step_count)
  bool next();            // false on the last step (then it marks the lesson finished)
  bool back();            // false on the first step
  void replay();          // the current step again from the baseline (undoes what the student changed)
  // True when the last goto_step ran only the new step's commands (Next), false after a full replay.
  bool last_move_incremental() const { return last_incremental_; }

  // [SECTION] Questions of the current step, by block index within the step.
  // Records the choice; a predict block's reveal commands run after the first committed guess.
  // Returns false when `block` is not a question or `choice` is out of range.
  bool answer(int block, int choice);
  int chosen(int step, int block) const;  // −1: not answered yet
  // The question answered last on the current step (−1: none since the step was entered) and a count
  // of answers given, so the panel can bring the new explanation into view once.
  int last_answered_block() const { return last_answered_block_; }
  int answer_count() const { return answer_count_; }
  bool revealed(int step, int block) const { return chosen(step, block) >= 0; }

  // [SECTION] What the current step is about, for the app's layout and `screenshot --review`.
  // shown_panels(): the panels of the step's last `show PANEL…` line (reveals included), in order; empty when
  // the step has none. named_panels(): every panel the step's commands named (open, highlight, show), in order.
  const std::vector<std::string>& shown_panels() const { return shown_; }
  const std::vector<std::string>& named_panels() const { return named_; }

  // Errors of the commands run by the last goto/answer, as `file:line: message`.
  const std::vector<std::string>& action_errors() const { return action_errors_; }
  int commands_run() const { return commands_run_; }

  // [SECTION] Hot reload for authors: re-parses when the file's modification time changed. The step
  // index is kept (clamped); a parse error keeps the old lesson and shows in load_errors().
  // Returns true when the lesson was reloaded.
  bool check_reload();

  // [SECTION] Progress
  const ProgressStore& progress() const { return store_; }
  const LessonProgress* progress_of(const std::string& id) const;
  // Forgets a lesson's progress (answers, step): it opens as if never seen (the screenshot review walks each lesson
  // once per UI scale, every predict step unanswered at first).
  void forget(const std::string& id);

  // Headless check: reset, then run every command of every step and every reveal in file order.
  // Returns the errors (command failures) as `file:line: message`.
  std::vector<std::string> run_everything();

 private:
  void run_actions(const std::vector<LessonAction>& actions);
  CommandResult run_show(const std::string& line);  // the lesson line `show PANEL [PANEL…]`
  void run_block(int step, int block);   // runs a block's commands and logs it in ran_
  bool step_forward(int k);              // Next without a reset; false when the log does not allow it
  std::vector<std::pair<int, int>> replay_order(int k) const;  // (step, block) a fresh replay of step k runs
  void run_from(const std::vector<std::pair<int, int>>& order, size_t from, int k);
  void save();
  static std::string key(int step, int block) { return std::to_string(step) + "." + std::to_string(block); }

  Session& session_;
  std::string progress_file_;
  ProgressStore store_;
  std::optional<Lesson> lesson_;
  std::string path_;
  std::string english_path_;         // the original of path_
  Translation translation_ = Translation::english;
  std::string translation_problem_;
  // The lesson to show for the English file's parse `english` in the current language (sets path_, translation_).
  Lesson localized(Lesson english);
  std::filesystem::file_time_type mtime_{};
  std::vector<LessonError> load_errors_;
  std::string progress_problem_;
  int step_ = 0;
  std::vector<std::string> action_errors_;
  int commands_run_ = 0;
  // The blocks (step, block) whose commands ran since the last reset, in order; valid only while
  // ran_valid_ (a reset that failed or a different lesson clears it). Next compares it with the
  // order of a fresh replay to know that running only the rest gives the same state.
  std::vector<std::pair<int, int>> ran_;
  bool ran_valid_ = false;
  bool last_incremental_ = false;
  int last_answered_block_ = -1;
  int answer_count_ = 0;
  bool in_current_step_ = false;     // the blocks running now belong to step_ (their panels are recorded)
  std::vector<std::string> shown_;   // see shown_panels()
  std::vector<std::string> named_;   // see named_panels()
};

}  // namespace gb
