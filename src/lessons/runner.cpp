// LessonRunner: reset + replay navigation, answers, hot reload and the per-user progress file.
#include "lessons/runner.hpp"

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/files.hpp"
#include "core/i18n.hpp"
#include "core/json_in.hpp"

namespace gb {

// [SECTION] Progress file

std::string progress_path() { return config_dir() + "/lessons-progress.json"; }

std::string progress_to_json(const ProgressStore& p) {
  nlohmann::json j;
  j["version"] = 1;
  j["current"] = p.current;
  j["lessons"] = nlohmann::json::object();
  for (auto& [id, lp] : p.lessons) {
    nlohmann::json e;
    e["step"] = lp.step;
    e["visited"] = lp.visited;
    e["finished"] = lp.finished;
    e["answers"] = lp.answers;
    j["lessons"][id] = e;
  }
  return j.dump(2) + "\n";
}

ProgressStore progress_from_json(const std::string& text, const std::string& file, std::vector<std::string>* skipped) {
  const JsonIn j = JsonIn::parse(text, file, "");
  ProgressStore p;
  // Forgiving: an entry of the wrong type is skipped (and named in `skipped`), the rest is kept.
  auto keep = [&](auto&& read) {
    try {
      read();
    } catch (const Error& e) {
      if (skipped) skipped->push_back(e.what());
    }
  };
  keep([&] { p.current = j.string_or("current", ""); });
  if (!j.has("lessons")) return p;
  std::vector<std::pair<std::string, JsonIn>> lessons;
  keep([&] { lessons = j.object("lessons").members(); });
  for (const auto& item : lessons) {
    const JsonIn& e = item.second;  // not a structured binding: clang 14 cannot capture those in lambdas
    if (!e.is_object()) {
      keep([&] { e.fail_here("is not an object; this lesson's progress is skipped"); });
      continue;
    }
    LessonProgress lp;
    // read as 64 bits before clamping: 2^32 + 3 must not wrap to step 3
    keep([&] { lp.step = int(e.has("step") ? e.value("step").as_integer_clamped(0, 100000) : 0); });
    keep([&] { lp.visited = int(e.has("visited") ? e.value("visited").as_integer_clamped(0, 100000) : 0); });
    keep([&] { lp.finished = e.boolean_or("finished", false); });
    if (e.has("answers")) {
      std::vector<std::pair<std::string, JsonIn>> answers;
      keep([&] { answers = e.object("answers").members(); });
      for (const auto& a : answers) keep([&] { lp.answers[a.first] = int(a.second.as_integer_clamped(-1, 1000)); });
    }
    p.lessons[item.first] = lp;
  }
  return p;
}

// [SECTION] Runner

namespace {
// A highlight lasts a few seconds of the session clock from the command that set it. The clock stands
// still while a step's commands run (a thousand GAN steps can take seconds), so the next frame would
// find the highlight already expired: extend it by the time the commands took.
class HighlightKeeper {
 public:
  explicit HighlightKeeper(Session& s) : s_(s), t0_(std::chrono::steady_clock::now()) {}
  ~HighlightKeeper() {
    if (s_.view.highlight.empty()) return;
    s_.view.highlight_until += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0_).count();
  }

 private:
  Session& s_;
  std::chrono::steady_clock::time_point t0_;
};
}  // namespace

LessonRunner::LessonRunner(Session& session, std::string progress_file)
    : session_(session), progress_file_(std::move(progress_file)) {
  if (progress_file_.empty() || !file_exists(progress_file_)) return;
  try {
    std::vector<std::string> skipped;
    store_ = progress_from_json(read_file(progress_file_), progress_file_, &skipped);
    if (!skipped.empty())
      progress_problem_ = skipped.front() + (skipped.size() > 1 ? " (and " + std::to_string(skipped.size() - 1) + " more)" : "") +
                          "; the rest of the progress was kept";
  } catch (const std::exception& e) {
    // A damaged progress file starts afresh, but first a copy is kept beside it: the next save
    // rewrites the file, and the student's answers must not be lost without a trace.
    store_ = {};
    const std::string copy = progress_file_ + ".damaged";
    try {
      write_file_atomic(copy, read_file(progress_file_));
      progress_problem_ = std::string(e.what()) + "; started afresh, the old file is kept as " + copy;
    } catch (const std::exception&) {
      progress_problem_ = std::string(e.what()) + "; started afresh";
    }
  }
}

void LessonRunner::save() {
  if (progress_file_.empty()) return;
  try {
    write_file_atomic(progress_file_, progress_to_json(store_));
  } catch (const std::exception&) {
    // progress is a convenience: an unwritable config folder must not stop the lesson
  }
}

const LessonProgress* LessonRunner::progress_of(const std::string& id) const {
  auto it = store_.lessons.find(id);
  return it == store_.lessons.end() ? nullptr : &it->second;
}

namespace {
// The later modification time of a lesson's shown file and its English original (an edit of either reloads).
std::filesystem::file_time_type newest_mtime(const std::string& shown, const std::string& english, std::error_code& ec) {
  auto a = std::filesystem::last_write_time(shown, ec);
  if (ec || shown == english) return a;
  std::error_code ec2;
  auto b = std::filesystem::last_write_time(english, ec2);
  return ec2 ? a : std::max(a, b);
}
}  // namespace

Lesson LessonRunner::localized(Lesson english) {
  english_path_ = english.file;
  path_ = english.file;
  translation_problem_.clear();
  if (language() == "en") {
    translation_ = Translation::english;
    return english;
  }
  const std::string t = translated_lesson_file(english.file, language());
  if (t.empty()) {
    translation_ = Translation::missing;
    return english;
  }
  LessonParse tp = load_lesson(t);
  std::vector<LessonError> problems = tp.errors;
  if (tp.ok()) problems = compare_translation(english, tp.lesson);
  if (!problems.empty()) {
    translation_ = Translation::broken;
    translation_problem_ = problems.front().str();
    return english;
  }
  translation_ = Translation::translated;
  path_ = t;
  return std::move(tp.lesson);
}

void LessonRunner::relocalize() {
  if (!lesson_ || english_path_.empty()) return;
  LessonParse p = load_lesson(english_path_);
  if (!p.ok()) return;  // the English file broke meanwhile: hot reload reports it; keep what is shown
  lesson_ = localized(std::move(p.lesson));
  std::error_code ec;
  auto mt = newest_mtime(path_, english_path_, ec);
  mtime_ = ec ? std::filesystem::file_time_type{} : mt;
}

bool LessonRunner::open(const std::string& given, int step) {
  const std::string path = original_lesson_file(given);
  LessonParse p = load_lesson(path);
  if (!p.ok()) {
    load_errors_ = p.errors;
    return false;
  }
  load_errors_.clear();
  lesson_ = localized(std::move(p.lesson));
  ran_valid_ = false;  // the session holds another lesson's state (or the student's): replay from the baseline
  std::error_code ec;
  auto mt = newest_mtime(path_, english_path_, ec);
  mtime_ = ec ? std::filesystem::file_time_type{} : mt;
  store_.current = lesson_->id;
  int k = step;
  if (k < 0) {
    const LessonProgress* lp = progress_of(lesson_->id);
    k = lp ? lp->step : 0;
  }
  goto_step(k);
  return true;
}

void LessonRunner::forget(const std::string& id) {
  store_.lessons.erase(id);
  save();
}

void LessonRunner::close() {
  lesson_.reset();
  shown_.clear();
  named_.clear();
  ran_valid_ = false;
  path_.clear();
  english_path_.clear();
  translation_ = Translation::english;
  translation_problem_.clear();
  load_errors_.clear();
  action_errors_.clear();
  store_.current.clear();
  save();
}

int LessonRunner::chosen(int step, int block) const {
  if (!lesson_) return -1;
  const LessonProgress* lp = progress_of(lesson_->id);
  if (!lp) return -1;
  auto it = lp->answers.find(key(step, block));
  return it == lp->answers.end() ? -1 : it->second;
}

// `show PANEL [PANEL…]`: the panels this step is about, in order. The runner handles it (it is a lesson line, not a
// session command): each panel is opened, and the app keeps them in view first, also when the presenter scale
// leaves room for fewer panels than are open.
CommandResult LessonRunner::run_show(const std::string& line) {
  Command c = parse_command(line);
  if (c.argc() < 1) return CommandResult::bad("show: expected one or more panel ids, e.g. show transformer.attention");
  std::vector<std::string> ids;
  for (size_t i = 0; i < c.argc(); ++i) {
    const std::string& id = c.arg(i);
    if (id == "lessons" || !session_.has_panel(id)) return CommandResult::bad("show: no panel named `" + id + "`");
    if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
  }
  for (auto& id : ids) {
    CommandResult r = session_.run("open " + id);
    if (!r.ok) return r;
  }
  if (in_current_step_) shown_ = ids;
  return CommandResult::good();
}

// The panel a command names, for named_panels(): `open X`, `highlight X[:what] [S]` (not `close X`).
static std::string named_panel(const std::string& line) {
  Command c = parse_command(line);
  if ((c.verb() == "open" || c.verb() == "highlight") && c.argc() >= 1) {
    std::string id = c.arg(0);
    return id.substr(0, id.find(':'));
  }
  return "";
}

void LessonRunner::run_actions(const std::vector<LessonAction>& actions) {
  for (auto& a : actions) {
    CommandResult r;
    try {
      Command c = parse_command(a.command);
      if (c.verb() == "show") {
        r = run_show(a.command);
        if (in_current_step_)
          for (size_t i = 0; i < c.argc(); ++i)
            if (std::find(named_.begin(), named_.end(), c.arg(i)) == named_.end()) named_.push_back(c.arg(i));
      } else {
        r = session_.run(a.command);
        std::string id = named_panel(a.command);
        if (in_current_step_ && !id.empty() && id != "lessons" &&
            std::find(named_.begin(), named_.end(), id) == named_.end())
          named_.push_back(id);
      }
    } catch (const std::exception& e) {
      r = CommandResult::bad(e.what());
    }
    ++commands_run_;
    if (!r.ok)
      action_errors_.push_back(lesson_->file + ":" + std::to_string(a.line) + ": " +
                               (r.message.empty() ? "the command failed: " + a.command : r.message));
    try {
      session_.update(session_.clock);  // lets labs pick up what the command started (no time passes)
    } catch (const std::exception& e) {
      action_errors_.push_back(lesson_->file + ":" + std::to_string(a.line) + ": " + e.what());
    }
  }
}

void LessonRunner::run_block(int step, int block) {
  run_actions(lesson_->steps[size_t(step)].blocks[size_t(block)].actions);
  ran_.emplace_back(step, block);
}

// The blocks a fresh replay of step `k` runs, in order: every command block and every predict reveal
// of steps before k, then k's command blocks and the reveals of k's predicts already answered.
std::vector<std::pair<int, int>> LessonRunner::replay_order(int k) const {
  std::vector<std::pair<int, int>> order;
  for (int s = 0; s <= k; ++s) {
    const auto& blocks = lesson_->steps[size_t(s)].blocks;
    for (int b = 0; b < int(blocks.size()); ++b) {
      const LessonBlock::Kind kind = blocks[size_t(b)].kind;
      if (kind == LessonBlock::Kind::actions || (kind == LessonBlock::Kind::predict && (s < k || revealed(s, b))))
        order.emplace_back(s, b);
    }
  }
  return order;
}

// Runs order[from…]; the highlights of earlier steps are cleared as step k begins (only k's draw the eye).
void LessonRunner::run_from(const std::vector<std::pair<int, int>>& order, size_t from, int k) {
  bool cleared = false;
  shown_.clear();
  named_.clear();
  for (size_t i = from; i < order.size(); ++i) {
    if (!cleared && order[i].first == k) session_.view.highlight.clear(), cleared = true;
    in_current_step_ = order[i].first == k;
    run_block(order[i].first, order[i].second);
  }
  in_current_step_ = false;
  if (!cleared) session_.view.highlight.clear();
}

// Next is exact when what ran since the reset is a prefix of step k's replay order, up to k's own blocks:
// running the rest of that order gives the same commands in the same order as a reset and full replay.
bool LessonRunner::step_forward(int k) {
  if (!ran_valid_ || k != step_ + 1) return false;
  const std::vector<std::pair<int, int>> order = replay_order(k);
  const size_t before_k = size_t(std::find_if(order.begin(), order.end(), [&](auto& o) { return o.first == k; }) - order.begin());
  if (ran_.size() > before_k || !std::equal(ran_.begin(), ran_.end(), order.begin())) return false;
  step_ = k;
  run_from(order, ran_.size(), k);  // the earlier steps' unguessed reveals, then step k
  return true;
}

void LessonRunner::goto_step(int k) {
  if (!lesson_) return;
  const int n = step_count();
  k = std::clamp(k, 0, std::max(0, n - 1));
  HighlightKeeper keep_highlight(session_);
  action_errors_.clear();
  commands_run_ = 0;
  last_answered_block_ = -1;
  last_incremental_ = step_forward(k);
  if (!last_incremental_) {
    step_ = k;
    ran_.clear();
    ran_valid_ = true;
    try {
      session_.reset_to_defaults(lesson_->workspace);
    } catch (const std::exception& e) {
      action_errors_.push_back(lesson_->file + ":1: could not reset the session: " + e.what());
      ran_valid_ = false;  // the state is not the baseline: the next move replays from a reset again
    }
    if (n > 0) run_from(replay_order(step_), 0, step_);
  }
  LessonProgress& lp = store_.lessons[lesson_->id];
  lp.step = step_;
  lp.visited = std::max(lp.visited, step_);
  store_.current = lesson_->id;
  save();
}

void LessonRunner::replay() {
  ran_valid_ = false;
  goto_step(step_);
}

bool LessonRunner::next() {
  if (!lesson_) return false;
  if (step_ + 1 < step_count()) {
    goto_step(step_ + 1);
    return true;
  }
  store_.lessons[lesson_->id].finished = true;
  save();
  return false;
}

bool LessonRunner::back() {
  if (!lesson_ || step_ == 0) return false;
  goto_step(step_ - 1);
  return true;
}

bool LessonRunner::answer(int block, int choice) {
  if (!lesson_ || step_ >= step_count()) return false;
  const auto& blocks = lesson_->steps[size_t(step_)].blocks;
  if (block < 0 || block >= int(blocks.size()) || !blocks[size_t(block)].is_question()) return false;
  const LessonBlock& blk = blocks[size_t(block)];
  if (choice < 0 || choice >= int(blk.answers.size())) return false;
  const bool first = !revealed(step_, block);
  store_.lessons[lesson_->id].answers[key(step_, block)] = choice;
  last_answered_block_ = block;
  ++answer_count_;
  if (blk.kind == LessonBlock::Kind::predict && first) {
    HighlightKeeper keep_highlight(session_);
    in_current_step_ = true;
    run_block(step_, block);
    in_current_step_ = false;
  }  // the outcome shows only now (failures add to the step's errors)
  save();
  return true;
}

bool LessonRunner::check_reload() {
  if (!lesson_ || path_.empty()) return false;
  std::error_code ec;
  auto mt = newest_mtime(path_, english_path_, ec);
  if (ec || mt == mtime_) return false;
  mtime_ = mt;
  LessonParse p = load_lesson(english_path_);
  if (!p.ok()) {
    load_errors_ = p.errors;  // the old lesson stays
    return false;
  }
  load_errors_.clear();
  lesson_ = localized(std::move(p.lesson));
  ran_valid_ = false;  // the steps may have changed: replay the current one from the baseline
  goto_step(step_);
  return true;
}

std::vector<std::string> LessonRunner::run_everything() {
  std::vector<std::string> errors;
  if (!lesson_) {
    for (auto& e : load_errors_) errors.push_back(e.str());
    return errors;
  }
  action_errors_.clear();
  commands_run_ = 0;
  ran_valid_ = false;
  session_.reset_to_defaults(lesson_->workspace);
  for (auto& s : lesson_->steps)
    for (auto& b : s.blocks)
      if (b.kind == LessonBlock::Kind::actions || b.kind == LessonBlock::Kind::predict) run_actions(b.actions);
  errors = action_errors_;
  session_.reset_to_defaults(lesson_->workspace);  // stops and joins any training the lesson started
  return errors;
}

}  // namespace gb
