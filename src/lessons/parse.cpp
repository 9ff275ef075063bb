// The lesson parser: front matter, steps (`## ` headings), fenced glassbox/quiz/predict blocks and the
// prose between them (md4c). Collects every problem as `file:line: message`; never throws.
#include <algorithm>
#include <cctype>
#include <filesystem>
#include <string>
#include <vector>

#include "build_info.hpp"
#include "core/error.hpp"
#include "core/files.hpp"
#include "core/utf8.hpp"
#include "lab/command.hpp"
#include "lab/session.hpp"
#include "lessons/lesson.hpp"

namespace gb {

namespace {

struct Line {
  int number = 0;    // 1-based
  std::string text;  // without the line ending
};

std::string trim(std::string_view s) {
  size_t a = 0, b = s.size();
  while (a < b && (s[a] == ' ' || s[a] == '\t')) ++a;
  while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t')) --b;
  return std::string(s.substr(a, b - a));
}

std::string lower(std::string s) {
  for (auto& c : s) c = char(std::tolower((unsigned char)c));
  return s;
}

// Removes a YAML-style comment (` # …`) and surrounding quotes from a front matter value.
std::string yaml_scalar(const std::string& raw) {
  std::string v = trim(raw);
  if (v.size() >= 2 && (v[0] == '"' || v[0] == '\'')) {
    size_t end = v.find(v[0], 1);
    if (end != std::string::npos) return v.substr(1, end - 1);
  }
  for (size_t i = 0; i < v.size(); ++i)
    if (v[i] == '#' && (i == 0 || v[i - 1] == ' ' || v[i - 1] == '\t')) {
      v = trim(v.substr(0, i));
      break;
    }
  return v;
}

// Removes a `#` comment from a command line: `#` at the start or after a space, outside quotes.
std::string strip_command_comment(const std::string& line) {
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quoted && c == '\\') {
      ++i;
      continue;
    }
    if (c == '"') quoted = !quoted;
    if (!quoted && c == '#' && (i == 0 || line[i - 1] == ' ' || line[i - 1] == '\t')) return trim(line.substr(0, i));
  }
  return trim(line);
}

// A fence line: up to 3 spaces, then ``` or ~~~ (3 or more), then an optional info string.
bool fence_open(const std::string& s, char& ch, size_t& len, std::string& info) {
  size_t i = 0;
  while (i < s.size() && i < 4 && s[i] == ' ') ++i;
  if (i > 3 || i >= s.size() || (s[i] != '`' && s[i] != '~')) return false;
  ch = s[i];
  size_t j = i;
  while (j < s.size() && s[j] == ch) ++j;
  len = j - i;
  if (len < 3) return false;
  info = trim(s.substr(j));
  if (ch == '`' && info.find('`') != std::string::npos) return false;
  size_t sp = info.find_first_of(" \t{");
  if (sp != std::string::npos) info = info.substr(0, sp);
  return true;
}

bool fence_close(const std::string& s, char ch, size_t len) {
  size_t i = 0;
  while (i < s.size() && i < 4 && s[i] == ' ') ++i;
  if (i > 3) return false;
  size_t j = i;
  while (j < s.size() && s[j] == ch) ++j;
  return j - i >= len && trim(s.substr(j)).empty();
}

// A level-2 ATX heading (`## Title`); returns its text.
bool step_heading(const std::string& s, std::string& title) {
  size_t i = 0;
  while (i < s.size() && i < 4 && s[i] == ' ') ++i;
  if (i > 3 || s.compare(i, 2, "##") != 0) return false;
  i += 2;
  if (i < s.size() && s[i] != ' ' && s[i] != '\t') return false;  // ### or ##text
  std::string t = trim(s.substr(i));
  // optional closing #s
  size_t e = t.size();
  while (e > 0 && t[e - 1] == '#') --e;
  if (e < t.size() && (e == 0 || t[e - 1] == ' ' || t[e - 1] == '\t')) t = trim(t.substr(0, e));
  title = t;
  return true;
}

const char* kBlockTypes = "glassbox, quiz or predict";

class Parser {
 public:
  Parser(const std::string& file, LessonParse& out) : file_(file), out_(out) {}

  void error(int line, const std::string& msg) { out_.errors.push_back({file_, line, msg}); }

  void run(std::string_view text) {
    Lesson& L = out_.lesson;
    L.file = file_;
    L.id = std::filesystem::path(file_).stem().string();
    if (!split_lesson_id(L.id, L.number, L.topic))
      error(1, "the file name should be NN-topic.md (two digits, a dash, a kebab-case topic), not `" +
                   std::filesystem::path(file_).filename().string() + "`");
    if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // BOM
    std::vector<Line> lines = split(text);
    // Binary files and bad encodings stop here: nothing after them can be trusted.
    for (auto& l : lines) {
      if (l.text.find('\0') != std::string::npos) {
        error(l.number, "a NUL byte: this is not a text file");
        return;
      }
      if (!utf8_valid(l.text)) {
        error(l.number, "this line is not valid UTF-8 text (save the file as UTF-8)");
        return;
      }
    }
    size_t body = front_matter(lines);
    parse_body(lines, body);
  }

 private:
  static std::vector<Line> split(std::string_view text) {
    std::vector<Line> lines;
    size_t pos = 0;
    int n = 1;
    while (pos <= text.size()) {
      size_t e = text.find('\n', pos);
      if (e == std::string_view::npos) e = text.size();
      std::string s(text.substr(pos, e - pos));
      if (!s.empty() && s.back() == '\r') s.pop_back();
      lines.push_back({n++, std::move(s)});
      if (e == text.size()) break;
      pos = e + 1;
    }
    if (!lines.empty() && lines.back().text.empty()) lines.pop_back();
    return lines;
  }

  // Returns the index of the first body line.
  size_t front_matter(const std::vector<Line>& lines) {
    Lesson& L = out_.lesson;
    if (lines.empty() || trim(lines[0].text) != "---") {
      error(1, "missing front matter: the file must start with a `---` line, then title, workspace, minutes "
               "and goals, then another `---` line");
      return 0;
    }
    size_t i = 1;
    bool closed = false, have_title = false, have_ws = false, have_minutes = false, have_goals = false;
    bool in_goals = false;
    int goals_line = 0;
    for (; i < lines.size(); ++i) {
      const std::string& raw = lines[i].text;
      const int ln = lines[i].number;
      std::string t = trim(raw);
      if (t == "---") {
        closed = true;
        ++i;
        break;
      }
      if (t.empty() || t[0] == '#') continue;
      if (t[0] == '-') {
        if (!in_goals) {
          error(ln, "a list item outside `goals:` in the front matter");
          continue;
        }
        std::string g = yaml_scalar(t.substr(1));
        if (g.empty())
          error(ln, "an empty goal");
        else
          L.goals.push_back(g);
        continue;
      }
      in_goals = false;
      size_t colon = t.find(':');
      if (colon == std::string::npos) {
        error(ln, "expected `key: value` in the front matter, got `" + t + "`");
        continue;
      }
      std::string key = lower(trim(t.substr(0, colon)));
      std::string value = yaml_scalar(t.substr(colon + 1));
      if (key == "title") {
        have_title = true;
        L.title = value;
        if (value.empty()) error(ln, "title: is empty");
      } else if (key == "workspace") {
        have_ws = true;
        L.workspace = value;
        const std::vector<std::string>& labs = Session::lab_names();
        if (std::find(labs.begin(), labs.end(), value) == labs.end())
          error(ln, "workspace: `" + value + "` is not one of " + Session::workspace_list());
      } else if (key == "minutes") {
        have_minutes = true;
        bool digits = !value.empty() && value.size() <= 4 &&
                      std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; });
        if (!digits || std::stoi(value) < 1 || std::stoi(value) > 600)
          error(ln, "minutes: expected a whole number from 1 to 600, got `" + value + "`");
        else
          L.minutes = std::stoi(value);
      } else if (key == "goals") {
        have_goals = true;
        goals_line = ln;
        if (value.empty()) {
          in_goals = true;
        } else if (value.front() == '[' && value.back() == ']') {  // goals: [a, b]
          std::string inner = value.substr(1, value.size() - 2);
          size_t p = 0;
          while (p <= inner.size()) {
            size_t c = inner.find(',', p);
            if (c == std::string::npos) c = inner.size();
            std::string g = yaml_scalar(inner.substr(p, c - p));
            if (!g.empty()) L.goals.push_back(g);
            p = c + 1;
          }
        } else {
          L.goals.push_back(value);
        }
      } else {
        error(ln, "unknown front matter key `" + key + "` (expected title, workspace, minutes, goals)");
      }
    }
    if (!closed) {
      error(1, "the front matter is not closed: add a `---` line after the goals");
      return lines.size();
    }
    const int end_line = lines[i - 1].number;
    if (!have_title) error(end_line, "missing front matter key `title`");
    if (!have_ws) error(end_line, "missing front matter key `workspace` (" + Session::workspace_list() + ")");
    if (!have_minutes) error(end_line, "missing front matter key `minutes`");
    if (!have_goals) error(end_line, "missing front matter key `goals` (a list of at least one learning goal)");
    else if (L.goals.empty()) error(goals_line, "goals: needs at least one goal (`- …` lines under it)");
    return i;
  }

  void flush_prose() {
    if (prose_.empty()) return;
    std::string text;
    for (auto& l : prose_) text += l.text + "\n";
    int first = prose_.front().number;
    prose_.clear();
    if (trim(text).find_first_not_of("\n") == std::string::npos) return;
    MdNode md = parse_markdown(text);
    if (md.children.empty()) return;
    if (!step_) {
      for (auto& c : md.children) out_.lesson.intro.children.push_back(std::move(c));
      return;
    }
    LessonBlock b;
    b.kind = LessonBlock::Kind::prose;
    b.line = first;
    b.prose = std::move(md);
    step_->blocks.push_back(std::move(b));
  }

  void parse_body(const std::vector<Line>& lines, size_t start) {
    Lesson& L = out_.lesson;
    L.intro.kind = MdNode::Kind::document;
    for (size_t i = start; i < lines.size(); ++i) {
      const Line& l = lines[i];
      std::string title;
      char ch = 0;
      size_t len = 0;
      std::string info;
      if (step_heading(l.text, title)) {
        flush_prose();
        if (title.empty()) error(l.number, "a step heading (`##`) with no title");
        L.steps.push_back({});
        step_ = &L.steps.back();
        step_->title = title.empty() ? "(untitled step)" : title;
        step_->line = l.number;
        continue;
      }
      if (fence_open(l.text, ch, len, info)) {
        // find the closing fence
        size_t j = i + 1;
        while (j < lines.size() && !fence_close(lines[j].text, ch, len)) ++j;
        const bool closed = j < lines.size();
        const std::string fence(len, ch);
        std::string kind = lower(info);
        if (!closed)
          error(l.number, "unterminated code fence: the " + fence + (info.empty() ? "" : info) +
                              " block has no closing " + fence + " line");
        if (kind == "glassbox" || kind == "quiz" || kind == "predict") {
          flush_prose();
          std::vector<Line> content(lines.begin() + long(i) + 1, lines.begin() + long(j));
          if (!step_)
            error(l.number, "a ```" + kind + " block before the first step: blocks belong to steps (after a `## ` heading)");
          else if (closed)
            block(kind, l.number, content);
          i = closed ? j : lines.size();
          continue;
        }
        if (!kind.empty() && kind != "text" && kind != "markdown" && kind != "md")
          error(l.number, "unknown block type `" + info + "` (expected " + kBlockTypes +
                              "; a fence without a word shows code as it is)");
        // a code block shown as prose (md4c draws it)
        size_t end = closed ? j : lines.size() - 1;
        for (size_t k = i; k <= end && k < lines.size(); ++k) prose_.push_back(lines[k]);
        i = end;
        continue;
      }
      prose_.push_back(l);
    }
    flush_prose();
    if (L.steps.empty())
      error(lines.empty() ? 1 : lines.back().number, "the lesson has no steps: each step starts with a `## ` heading");
  }

  bool parse_action(const Line& l, std::vector<LessonAction>& out) {
    std::string cmd = strip_command_comment(l.text);
    if (cmd.empty()) return false;
    try {
      parse_command(cmd);
    } catch (const Error& e) {
      error(l.number, std::string(e.what()) + " in `" + cmd + "`");
      return false;
    }
    out.push_back({l.number, cmd});
    return true;
  }

  void block(const std::string& kind, int line, const std::vector<Line>& content) {
    LessonBlock b;
    b.line = line;
    if (kind == "glassbox") {
      b.kind = LessonBlock::Kind::actions;
      for (auto& l : content) parse_action(l, b.actions);
      // Commands run when the step is entered, before the student guesses: after a predict block
      // they could show the outcome the student is asked to predict.
      for (const LessonBlock& prev : step_->blocks)
        if (prev.kind == LessonBlock::Kind::predict && !b.actions.empty()) {
          error(line, "this ```glassbox block comes after the ```predict block at line " + std::to_string(prev.line) +
                          " in the same step, but it runs when the step is entered, before the student guesses, "
                          "so it could give the answer away: move its commands above the ```predict block, "
                          "into that block's `reveal:` commands, or into the next step");
          break;
        }
      step_->blocks.push_back(std::move(b));
      return;
    }
    b.kind = kind == "quiz" ? LessonBlock::Kind::quiz : LessonBlock::Kind::predict;
    bool reveal = false;
    int reveal_line = 0;
    for (auto& l : content) {
      std::string t = trim(l.text);
      if (lower(t) == "reveal:") {
        if (b.kind != LessonBlock::Kind::predict) {
          error(l.number, "`reveal:` belongs in a ```predict block, not a ```quiz");
        } else if (reveal) {
          error(l.number, "a second `reveal:` line");
        } else if (b.answers.empty()) {
          error(l.number, "`reveal:` comes after the answers");
        }
        reveal = true;
        reveal_line = l.number;
        continue;
      }
      if (reveal) {
        parse_action(l, b.actions);
        continue;
      }
      if (t.empty()) continue;
      bool item = (t[0] == '-' || t[0] == '*' || t[0] == '+') && t.size() > 1 && t[1] == ' ';
      std::string rest = item ? trim(t.substr(2)) : "";
      if (item && rest.size() >= 3 && rest[0] == '[' && rest[2] == ']' &&
          (rest[1] == 'x' || rest[1] == 'X' || rest[1] == ' ')) {
        LessonAnswer a;
        a.line = l.number;
        a.correct = rest[1] != ' ';
        std::string body = trim(rest.substr(3));
        size_t sep = body.find("::");
        if (sep == std::string::npos) {
          error(l.number, "this answer has no explanation: write `- [ ] answer :: why it is right or wrong`");
          a.text = body;
        } else {
          a.text = trim(body.substr(0, sep));
          a.explanation = trim(body.substr(sep + 2));
          if (a.explanation.empty()) error(l.number, "this answer's explanation (after `::`) is empty");
        }
        if (a.text.empty()) error(l.number, "an answer with no text before `::`");
        a.text_md = parse_markdown(a.text);
        a.explanation_md = parse_markdown(a.explanation);
        b.answers.push_back(std::move(a));
        continue;
      }
      if (item && !rest.empty() && rest[0] == '[') {
        error(l.number, "an answer starts with `- [x]` (correct) or `- [ ]` (wrong), got `" + t + "`");
        continue;
      }
      if (!b.answers.empty()) {
        // a continuation of the previous answer's explanation
        LessonAnswer& a = b.answers.back();
        a.explanation += " " + t;
        a.explanation_md = parse_markdown(a.explanation);
        continue;
      }
      if (!b.question.empty()) b.question += "\n";
      b.question += t;
    }
    const std::string name = "```" + kind + " block";
    if (trim(b.question).empty()) error(line, "the " + name + " has no question (write it on its first lines)");
    if (b.answers.size() < 2) error(line, "the " + name + " needs at least two answers (`- [x] …` and `- [ ] …`)");
    if (!b.answers.empty() && std::none_of(b.answers.begin(), b.answers.end(), [](auto& a) { return a.correct; }))
      error(line, "the " + name + " has no correct answer: mark one with `- [x]`");
    if (b.kind == LessonBlock::Kind::predict) {
      if (!reveal)
        error(line, "the ```predict block has no `reveal:` line followed by the commands that show the outcome");
      else if (b.actions.empty())
        error(reveal_line, "`reveal:` has no commands after it");
    }
    b.question_md = parse_markdown(b.question);
    step_->blocks.push_back(std::move(b));
  }

  std::string file_;
  LessonParse& out_;
  LessonStep* step_ = nullptr;  // the step being filled (nullptr: the introduction)
  std::vector<Line> prose_;     // prose lines not yet parsed
};

}  // namespace

bool split_lesson_id(const std::string& id, int& number, std::string& topic) {
  number = -1;
  topic.clear();
  if (id.size() < 4 || !std::isdigit((unsigned char)id[0]) || !std::isdigit((unsigned char)id[1]) || id[2] != '-')
    return false;
  std::string t = id.substr(3);
  bool ok = !t.empty() && t.front() != '-' && t.back() != '-' &&
            std::all_of(t.begin(), t.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; });
  if (!ok) return false;
  number = (id[0] - '0') * 10 + (id[1] - '0');
  topic = t;
  return true;
}

LessonParse parse_lesson(std::string_view text, const std::string& file) {
  LessonParse out;
  try {
    Parser(file, out).run(text);
  } catch (const std::exception& e) {  // defensive: the parser itself should not throw
    out.errors.push_back({file, 1, std::string("could not parse the lesson: ") + e.what()});
  }
  return out;
}

LessonParse load_lesson(const std::string& path) {
  std::string text;
  try {
    text = read_file(path);
  } catch (const std::exception& e) {
    LessonParse out;
    out.lesson.file = path;
    out.lesson.id = std::filesystem::path(path).stem().string();
    out.errors.push_back({path, 1, std::string("cannot read the lesson: ") + e.what()});
    return out;
  }
  return parse_lesson(text, path);
}

std::string lessons_dir() {
  if (const char* d = std::getenv("GLASSBOX_LESSONS"); d && *d) return d;
  std::string src = std::string(build::source_dir) + "/lessons";
  if (file_exists(src)) return src;
  return "lessons";
}

std::vector<std::string> lesson_files(const std::string& dir) {
  std::vector<std::string> files;
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) return files;
  for (auto& e : std::filesystem::directory_iterator(dir, ec)) {
    if (!e.is_regular_file(ec)) continue;
    std::string name = e.path().filename().string();
    if (e.path().extension() != ".md" || lower(name) == "readme.md") continue;
    files.push_back((std::filesystem::path(dir) / name).string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string find_lesson_file(const std::string& dir, const std::string& key) {
  if (key.size() > 3 && key.substr(key.size() - 3) == ".md" && file_exists(key)) return key;
  bool numeric = !key.empty() && key.size() <= 3 && std::all_of(key.begin(), key.end(), [](char c) { return c >= '0' && c <= '9'; });
  for (auto& f : lesson_files(dir)) {
    std::string id = std::filesystem::path(f).stem().string();
    int number = -1;
    std::string topic;
    split_lesson_id(id, number, topic);
    if (id == key || (numeric && number == std::stoi(key)) || (!topic.empty() && topic == key)) return f;
  }
  return "";
}

// [SECTION] Translated lessons

std::string translated_lesson_file(const std::string& english_file, const std::string& lang) {
  if (lang.empty() || lang == "en" || lang.find_first_of("/\\.") != std::string::npos) return "";
  const std::filesystem::path p(english_file);
  const std::filesystem::path t = p.parent_path() / lang / p.filename();
  std::error_code ec;
  return std::filesystem::is_regular_file(t, ec) ? t.string() : "";
}

std::string original_lesson_file(const std::string& file) {
  const std::filesystem::path p(file);
  const std::string lang = p.parent_path().filename().string();
  if (lang.size() < 2 || lang.size() > 8 || !std::all_of(lang.begin(), lang.end(), [](char c) { return c >= 'a' && c <= 'z'; }))
    return file;
  const std::filesystem::path o = p.parent_path().parent_path() / p.filename();
  std::error_code ec;
  return std::filesystem::is_regular_file(o, ec) ? o.string() : file;
}

std::vector<std::string> lesson_languages(const std::string& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) return out;
  for (auto& e : std::filesystem::directory_iterator(dir, ec)) {
    const std::string name = e.path().filename().string();
    if (!e.is_directory(ec) || name.size() < 2 || name.size() > 8) continue;
    if (std::all_of(name.begin(), name.end(), [](char c) { return c >= 'a' && c <= 'z'; })) out.push_back(name);
  }
  std::sort(out.begin(), out.end());
  return out;
}

namespace {
const char* block_kind_name(LessonBlock::Kind k) {
  switch (k) {
    case LessonBlock::Kind::actions: return "a ```glassbox block";
    case LessonBlock::Kind::quiz: return "a ```quiz block";
    case LessonBlock::Kind::predict: return "a ```predict block";
    default: return "prose";
  }
}
std::string commands_text(const std::vector<LessonAction>& actions) {
  std::string s;
  for (auto& a : actions) s += (s.empty() ? "" : "; ") + a.command;
  return s.empty() ? "(none)" : s;
}
}  // namespace

std::vector<LessonError> compare_translation(const Lesson& original, const Lesson& translation) {
  std::vector<LessonError> errors;
  const std::string& file = translation.file;
  const std::string orig = std::filesystem::path(original.file).filename().string();
  auto add = [&](int line, const std::string& m) { errors.push_back({file, line, m + " (a translation must act as the English " + orig + " does)"}); };
  if (translation.workspace != original.workspace)
    add(1, "workspace `" + translation.workspace + "` is not the original's `" + original.workspace + "`");
  if (translation.steps.size() != original.steps.size()) {
    add(translation.steps.empty() ? 1 : translation.steps.back().line,
        std::to_string(translation.steps.size()) + " steps, the original has " + std::to_string(original.steps.size()));
    return errors;  // steps cannot be paired
  }
  for (size_t k = 0; k < original.steps.size(); ++k) {
    const LessonStep& a = original.steps[k];
    const LessonStep& b = translation.steps[k];
    std::vector<const LessonBlock*> ao, bo;  // the blocks that act or ask (prose may differ freely)
    for (auto& x : a.blocks)
      if (x.kind != LessonBlock::Kind::prose) ao.push_back(&x);
    for (auto& x : b.blocks)
      if (x.kind != LessonBlock::Kind::prose) bo.push_back(&x);
    const std::string step = "step " + std::to_string(k + 1) + ": ";
    if (ao.size() != bo.size()) {
      add(b.line, step + std::to_string(bo.size()) + " command/quiz/predict blocks, the original has " + std::to_string(ao.size()));
      continue;
    }
    for (size_t i = 0; i < ao.size(); ++i) {
      const LessonBlock& x = *ao[i];
      const LessonBlock& y = *bo[i];
      if (x.kind != y.kind) {
        add(y.line, step + block_kind_name(y.kind) + " where the original has " + block_kind_name(x.kind));
        continue;
      }
      if (commands_text(x.actions) != commands_text(y.actions))
        add(y.line, step + "commands `" + commands_text(y.actions) + "` differ from the original's `" + commands_text(x.actions) + "`");
      if (!x.is_question()) continue;
      if (x.answers.size() != y.answers.size()) {
        add(y.line, step + std::to_string(y.answers.size()) + " answers, the original has " + std::to_string(x.answers.size()));
        continue;
      }
      for (size_t j = 0; j < x.answers.size(); ++j)
        if (x.answers[j].correct != y.answers[j].correct)
          add(y.answers[j].line, step + "answer " + std::to_string(j + 1) + " is marked " +
                                     (y.answers[j].correct ? "right" : "wrong") + ", in the original it is " +
                                     (x.answers[j].correct ? "right" : "wrong"));
    }
  }
  return errors;
}

}  // namespace gb
