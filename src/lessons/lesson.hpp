// Lessons as plain data: the parse of one lessons/NN-topic.md file (front matter, introduction,
// steps with prose, command blocks, quizzes and predict-first questions). The format is described
// in docs/lessons/FORMAT.md; every problem is reported as `file:line: message`.
// No ImGui here: the app renders the Markdown tree (MdNode), the runner and `lessons check` run it.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace gb {

// [SECTION] A small Markdown tree (from md4c), enough to draw prose: blocks and inline spans.
struct MdNode {
  enum class Kind {
    document,      // children: blocks
    paragraph,     // children: spans
    heading,       // level 1–6 (a step's own title is not in its tree; these are ### and deeper)
    bullet_list,   // children: list_item
    ordered_list,  // level = first number
    list_item,     // children: blocks (tight lists: spans wrapped in one paragraph)
    quote,         // children: blocks
    code_block,    // text = the code (lines end with '\n')
    rule,          // horizontal rule
    text,          // text = plain text
    strong,        // children: spans
    emph,          // children: spans
    code,          // text = inline code
    link,          // children: spans; url
    soft_break,    // a line break inside a paragraph (shown as a space)
    hard_break,    // a forced line break
  };
  Kind kind = Kind::document;
  int level = 0;
  std::string text;
  std::string url;
  std::vector<MdNode> children;
};

// Parses Markdown (CommonMark + strikethrough, no raw HTML) into a tree. Never throws.
MdNode parse_markdown(std::string_view text);

// The plain text of a tree (spans joined, blocks separated by blank lines), for tests and logs.
std::string markdown_plain_text(const MdNode& node);

// [SECTION] The lesson

struct LessonAction {
  int line = 0;          // 1-based line in the lesson file
  std::string command;   // one command line for Session::run (comments stripped)
};

struct LessonAnswer {
  int line = 0;
  std::string text;          // the answer as written (Markdown)
  bool correct = false;
  std::string explanation;   // why it is right or wrong (Markdown)
  MdNode text_md, explanation_md;
};

struct LessonBlock {
  enum class Kind { prose, actions, quiz, predict };
  Kind kind = Kind::prose;
  int line = 0;                      // first line of the block in the file
  MdNode prose;                      // prose: the Markdown tree
  std::vector<LessonAction> actions; // actions: the commands; predict: the reveal commands
  std::string question;              // quiz/predict (Markdown)
  MdNode question_md;
  std::vector<LessonAnswer> answers; // quiz/predict
  bool is_question() const { return kind == Kind::quiz || kind == Kind::predict; }
};

struct LessonStep {
  std::string title;                // the `## ` heading's text
  int line = 0;                     // line of the heading
  std::vector<LessonBlock> blocks;  // in file order
};

struct Lesson {
  std::string id;        // file stem: "04-attention"
  std::string file;      // the path as given (error messages use it)
  int number = -1;       // NN of the file name (−1 when the name does not start with two digits)
  std::string topic;     // "attention"
  std::string title;
  std::string workspace; // transformer | diffusion | gan
  int minutes = 0;
  std::vector<std::string> goals;
  MdNode intro;          // Markdown before the first step (may be empty)
  std::vector<LessonStep> steps;
};

struct LessonError {
  std::string file;
  int line = 0;
  std::string message;
  std::string str() const { return file + ":" + std::to_string(line) + ": " + message; }
};

struct LessonParse {
  Lesson lesson;                   // as much as could be parsed
  std::vector<LessonError> errors; // empty: the lesson is valid
  bool ok() const { return errors.empty(); }
};

// Parses a lesson's text; `file` names it in messages and gives its id. Never throws.
LessonParse parse_lesson(std::string_view text, const std::string& file);
// Reads and parses a file (a read failure is an error at line 1). Never throws.
LessonParse load_lesson(const std::string& path);

// [SECTION] Finding lessons

// The lessons folder: $GLASSBOX_LESSONS, else <source>/lessons, else ./lessons.
std::string lessons_dir();
// Every *.md file in `dir` (sorted by name; README.md excluded). Empty when the folder is missing.
std::vector<std::string> lesson_files(const std::string& dir);
// The file for a lesson key: its id ("04-attention"), number ("4" or "04") or topic ("attention").
// Returns "" when none matches.
std::string find_lesson_file(const std::string& dir, const std::string& key);

// [SECTION] Lessons in other languages: lessons/<lang>/<the English file's name> (lessons/de/06-softmax.md)

// The translation of an English lesson file into `lang` when that file exists: <its folder>/<lang>/<its name>;
// "" for English ("en" or "") or when there is none.
std::string translated_lesson_file(const std::string& english_file, const std::string& lang);
// The English original of a lesson file: lessons/de/06-softmax.md → lessons/06-softmax.md when the folder above
// holds a lesson of that name; the file itself otherwise.
std::string original_lesson_file(const std::string& file);
// What a translation changes that it must not: the step count, each step's ```glassbox``` action blocks (the same
// commands in the same order), its quiz and predict blocks (as many, each with as many answers and the same one
// right, the same reveal commands), and the front matter's workspace. Each difference is an error at the
// translation's line. Empty: the translation drives the app exactly as the original does.
std::vector<LessonError> compare_translation(const Lesson& original, const Lesson& translation);
// The language folders under a lessons folder ("de", "es", …: sub-folders named by a 2–8 letter code), sorted.
std::vector<std::string> lesson_languages(const std::string& dir);

// Splits "04-attention" into number 4 and topic "attention"; false when it does not have that shape.
bool split_lesson_id(const std::string& id, int& number, std::string& topic);

}  // namespace gb
