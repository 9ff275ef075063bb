// Lesson parser (format, malformed inputs with file:line), Markdown tree, runner (reset + replay,
// answers, predict reveals, hot reload) and the progress file.
#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "core/files.hpp"
#include "core/i18n.hpp"
#include "lab/diffusion_lab.hpp"
#include "lab/gan_lab.hpp"
#include "lab/session.hpp"
#include "lab/transformer_lab.hpp"
#include "lessons/lesson.hpp"
#include "lessons/runner.hpp"

using namespace gb;

namespace {

const std::string kData = GB_LESSONS_DATA;

const char* kHeader =
    "---\n"
    "title: T\n"
    "workspace: transformer\n"
    "minutes: 3\n"
    "goals:\n"
    "- g\n"
    "---\n";

// True when some error is at `line` and its message contains `what`.
bool has_error(const LessonParse& p, int line, const std::string& what) {
  for (auto& e : p.errors)
    if (e.line == line && e.message.find(what) != std::string::npos) return true;
  return false;
}

std::string all_errors(const LessonParse& p) {
  std::string s;
  for (auto& e : p.errors) s += e.str() + "\n";
  return s;
}

std::string temp_dir(const std::string& name) {
  auto d = std::filesystem::temp_directory_path() / ("glassbox_lessons_test_" + name);
  std::filesystem::remove_all(d);
  std::filesystem::create_directories(d);
  return d.string();
}

void write(const std::string& path, const std::string& text) {
  std::ofstream f(path, std::ios::binary);
  f << text;
}

}  // namespace

TEST_CASE("parser: the example fixture has every part of the format") {
  LessonParse p = load_lesson(kData + "/good/01-example.md");
  INFO(all_errors(p));
  REQUIRE(p.ok());
  const Lesson& L = p.lesson;
  CHECK(L.id == "01-example");
  CHECK(L.number == 1);
  CHECK(L.topic == "example");
  CHECK(L.title == "Example: the parts of a lesson");
  CHECK(L.workspace == "transformer");  // the trailing `# …` comment is not part of the value
  CHECK(L.minutes == 5);
  REQUIRE(L.goals.size() == 2);
  CHECK(L.goals[1] == "Check that Next and Back replay the same state");
  CHECK(markdown_plain_text(L.intro).find("test fixture") != std::string::npos);
  REQUIRE(L.steps.size() == 4);
  CHECK(L.steps[0].title == "Start with a prompt");
  CHECK(L.steps[0].line == 12);

  // step 1: prose then one glassbox block with comments stripped
  const auto& s0 = L.steps[0].blocks;
  REQUIRE(s0.size() == 2);
  CHECK(s0[0].kind == LessonBlock::Kind::prose);
  CHECK(s0[1].kind == LessonBlock::Kind::actions);
  REQUIRE(s0[1].actions.size() == 4);
  CHECK(s0[1].actions[0].command == "open transformer.generate");
  CHECK(s0[1].actions[0].line == 26);
  CHECK(s0[1].actions[1].command == "transformer prompt \"Mia found a kitten. She\"");

  // the prose tree: paragraph with emphasis and code, a bullet list, an ordered list, a quote
  const MdNode& md = s0[0].prose;
  REQUIRE(md.children.size() == 4);
  CHECK(md.children[0].kind == MdNode::Kind::paragraph);
  bool has_emph = false, has_code = false;
  for (auto& c : md.children[0].children) {
    has_emph |= c.kind == MdNode::Kind::emph;
    has_code |= c.kind == MdNode::Kind::code && c.text == "3";
  }
  CHECK(has_emph);
  CHECK(has_code);
  CHECK(md.children[1].kind == MdNode::Kind::bullet_list);
  REQUIRE(md.children[1].children.size() == 2);
  CHECK(md.children[1].children[0].kind == MdNode::Kind::list_item);
  // tight list items: spans wrapped in a paragraph
  REQUIRE(md.children[1].children[0].children.size() == 1);
  CHECK(md.children[1].children[0].children[0].kind == MdNode::Kind::paragraph);
  CHECK(md.children[2].kind == MdNode::Kind::ordered_list);
  CHECK(md.children[2].level == 1);
  CHECK(md.children[3].kind == MdNode::Kind::quote);

  // step 2: quiz, prose, actions in file order
  const auto& s1 = L.steps[1].blocks;
  REQUIRE(s1.size() == 3);
  CHECK(s1[0].kind == LessonBlock::Kind::quiz);
  CHECK(s1[0].question == "Which number is bigger?");
  REQUIRE(s1[0].answers.size() == 2);
  CHECK_FALSE(s1[0].answers[0].correct);
  CHECK(s1[0].answers[1].correct);
  CHECK(s1[0].answers[1].text == "3");
  CHECK(s1[0].answers[1].explanation == "Yes: 3 is more than 2.");
  CHECK(s1[1].kind == LessonBlock::Kind::prose);
  CHECK(s1[2].kind == LessonBlock::Kind::actions);

  // step 3: predict with reveal commands
  const auto& s2 = L.steps[2].blocks;
  REQUIRE(s2.size() == 1);
  CHECK(s2[0].kind == LessonBlock::Kind::predict);
  REQUIRE(s2[0].actions.size() == 2);
  CHECK(s2[0].actions[0].command == "transformer set temperature 3");
}

TEST_CASE("parser: malformed lessons give file:line messages, never a crash") {
  SUBCASE("unknown block type") {
    auto p = parse_lesson(std::string(kHeader) + "## S\n\n```python\nprint(1)\n```\n", "lessons/07-x.md");
    CHECK(has_error(p, 10, "unknown block type `python`"));
    CHECK(p.errors.at(0).str().rfind("lessons/07-x.md:10: ", 0) == 0);
  }
  SUBCASE("unterminated fence") {
    auto p = parse_lesson(std::string(kHeader) + "## S\n\n```glassbox\nopen transformer.attention\n", "07-x.md");
    CHECK(has_error(p, 10, "unterminated code fence"));
  }
  SUBCASE("unterminated plain code fence") {
    auto p = parse_lesson(std::string(kHeader) + "## S\n\n```\ncode\n", "07-x.md");
    CHECK(has_error(p, 10, "unterminated code fence"));
  }
  SUBCASE("missing front matter") {
    auto p = parse_lesson("## S\n\ntext\n", "07-x.md");
    CHECK(has_error(p, 1, "missing front matter"));
  }
  SUBCASE("front matter not closed") {
    auto p = parse_lesson("---\ntitle: x\n", "07-x.md");
    CHECK(has_error(p, 1, "not closed"));
  }
  SUBCASE("missing front matter keys, bad values") {
    auto p = parse_lesson("---\ntitle: x\nworkspace: nowhere\nminutes: many\nlevel: 3\n---\n## S\ntext\n", "07-x.md");
    CHECK(has_error(p, 3, "workspace: `nowhere`"));
    CHECK(has_error(p, 4, "minutes: expected a whole number"));
    CHECK(has_error(p, 5, "unknown front matter key `level`"));
    CHECK(has_error(p, 6, "missing front matter key `goals`"));
    auto q = parse_lesson("---\nworkspace: gan\nminutes: 3\ngoals:\n- a\n---\n## S\n", "07-x.md");
    CHECK(has_error(q, 6, "missing front matter key `title`"));
    auto r = parse_lesson("---\ntitle: t\nworkspace: gan\nminutes: 3\ngoals:\n---\n## S\n", "07-x.md");
    CHECK(has_error(r, 5, "at least one goal"));
  }
  SUBCASE("quiz without a correct answer, too few answers, no explanation") {
    auto p = parse_lesson(std::string(kHeader) + "## S\n```quiz\nQ?\n- [ ] a :: no\n- [ ] b :: no\n```\n", "07-x.md");
    CHECK(has_error(p, 9, "no correct answer"));
    auto q = parse_lesson(std::string(kHeader) + "## S\n```quiz\nQ?\n- [x] a :: yes\n```\n", "07-x.md");
    CHECK(has_error(q, 9, "at least two answers"));
    auto r = parse_lesson(std::string(kHeader) + "## S\n```quiz\nQ?\n- [x] a\n- [ ] b :: no\n```\n", "07-x.md");
    CHECK(has_error(r, 11, "no explanation"));
    auto s = parse_lesson(std::string(kHeader) + "## S\n```quiz\n- [x] a :: y\n- [ ] b :: no\n```\n", "07-x.md");
    CHECK(has_error(s, 9, "no question"));
  }
  SUBCASE("predict without reveal; reveal in a quiz") {
    auto p = parse_lesson(std::string(kHeader) + "## S\n```predict\nQ?\n- [x] a :: y\n- [ ] b :: n\n```\n", "07-x.md");
    CHECK(has_error(p, 9, "no `reveal:` line"));
    auto q = parse_lesson(std::string(kHeader) + "## S\n```quiz\nQ?\n- [x] a :: y\n- [ ] b :: n\nreveal:\nstep\n```\n",
                          "07-x.md");
    CHECK(has_error(q, 13, "belongs in a ```predict block"));
  }
  SUBCASE("commands after a predict block in the same step would run before the guess") {
    const std::string predict = "```predict\nQ?\n- [x] a :: y\n- [ ] b :: n\nreveal:\ntransformer step\n```\n";
    auto p = parse_lesson(std::string(kHeader) + "## S\n" + predict + "```glassbox\ntransformer step 3\n```\n",
                          "lessons/07-x.md");
    CHECK(has_error(p, 16, "after the ```predict block at line 9"));
    CHECK(has_error(p, 16, "before the student guesses"));
    // before the predict block, in the next step, or a block of comments only: fine
    auto q = parse_lesson(std::string(kHeader) + "## S\n```glassbox\nopen transformer.generate\n```\n" + predict +
                              "```glassbox\n# nothing runs\n```\n## T\n```glassbox\ntransformer step 3\n```\n",
                          "07-x.md");
    CHECK_MESSAGE(q.ok(), all_errors(q));
  }
  SUBCASE("an unclosed quote in a command") {
    auto p = parse_lesson(std::string(kHeader) + "## S\n```glassbox\ntransformer prompt \"open\n```\n", "07-x.md");
    REQUIRE_FALSE(p.ok());
    CHECK(p.errors[0].line == 10);
  }
  SUBCASE("blocks before the first step; no steps") {
    auto p = parse_lesson(std::string(kHeader) + "intro\n```glassbox\nstep\n```\n", "07-x.md");
    CHECK(has_error(p, 9, "before the first step"));
    CHECK(has_error(p, 11, "no steps"));
  }
  SUBCASE("bad file name") {
    auto p = parse_lesson(std::string(kHeader) + "## S\ntext\n", "lessons/attention.md");
    CHECK(has_error(p, 1, "NN-topic.md"));
  }
  SUBCASE("binary garbage") {
    std::string junk = std::string(kHeader) + "## S\n";
    for (int i = 0; i < 300; ++i) junk += char((i * 37 + 11) & 0xFF);
    auto p = parse_lesson(junk, "07-x.md");
    REQUIRE_FALSE(p.ok());
    CHECK(p.errors[0].line >= 8);
    auto q = parse_lesson(std::string("\x89PNG\r\n\x1a\n\0\0\0", 11), "07-x.md");
    CHECK_FALSE(q.ok());
  }
  SUBCASE("empty file") {
    auto p = parse_lesson("", "07-x.md");
    CHECK(has_error(p, 1, "missing front matter"));
  }
}

TEST_CASE("parser: headings, comments and quotes") {
  auto p = parse_lesson(std::string(kHeader) +
                            "## First ##\n"
                            "### a sub-heading is prose\n"
                            "```glassbox\n"
                            "transformer prompt \"Item #3 is # here\"  # comment\n"
                            "   # indented comment\n"
                            "\n"
                            "```\n"
                            "##NotAHeading\n"
                            "## Second\n"
                            "~~~~\n## inside a code block\n~~~~\n",
                        "07-x.md");
  INFO(all_errors(p));
  REQUIRE(p.ok());
  REQUIRE(p.lesson.steps.size() == 2);
  CHECK(p.lesson.steps[0].title == "First");
  REQUIRE(p.lesson.steps[0].blocks.size() == 3);
  CHECK(p.lesson.steps[0].blocks[0].prose.children.at(0).kind == MdNode::Kind::heading);
  REQUIRE(p.lesson.steps[0].blocks[1].actions.size() == 1);
  CHECK(p.lesson.steps[0].blocks[1].actions[0].command == "transformer prompt \"Item #3 is # here\"");
  const MdNode& code = p.lesson.steps[1].blocks.at(0).prose.children.at(0);
  CHECK(code.kind == MdNode::Kind::code_block);
  CHECK(code.text == "## inside a code block\n");
}

TEST_CASE("lesson files: ids, numbers and topics") {
  std::string dir = temp_dir("find");
  write(dir + "/04-attention.md", "x");
  write(dir + "/12-mode-collapse.md", "x");
  write(dir + "/README.md", "x");
  CHECK(lesson_files(dir).size() == 2);
  CHECK(find_lesson_file(dir, "4") == dir + "/04-attention.md");
  CHECK(find_lesson_file(dir, "04") == dir + "/04-attention.md");
  CHECK(find_lesson_file(dir, "attention") == dir + "/04-attention.md");
  CHECK(find_lesson_file(dir, "12-mode-collapse") == dir + "/12-mode-collapse.md");
  CHECK(find_lesson_file(dir, "nope").empty());
  CHECK(find_lesson_file(dir, "5").empty());
  CHECK(lesson_files(dir + "/missing").empty());
}

TEST_CASE("progress: JSON round trip, forgiving reads") {
  ProgressStore s;
  s.current = "04-attention";
  s.lessons["04-attention"].step = 3;
  s.lessons["04-attention"].visited = 4;
  s.lessons["04-attention"].finished = true;
  s.lessons["04-attention"].answers["2.1"] = 1;
  ProgressStore r = progress_from_json(progress_to_json(s));
  CHECK(r.current == "04-attention");
  CHECK(r.lessons["04-attention"].step == 3);
  CHECK(r.lessons["04-attention"].visited == 4);
  CHECK(r.lessons["04-attention"].finished);
  CHECK(r.lessons["04-attention"].answers["2.1"] == 1);
  std::vector<std::string> skipped;
  ProgressStore bad = progress_from_json(R"({"lessons": {"a": 3, "b": {"step": "x", "visited": 2, "answers": {"0.0": "y", "1.0": 1}}}})",
                                         "progress.json", &skipped);
  CHECK(bad.lessons.count("a") == 0);
  CHECK(bad.lessons["b"].step == 0);
  CHECK(bad.lessons["b"].visited == 2);  // the good fields of a damaged entry are kept
  CHECK(bad.lessons["b"].answers.size() == 1);
  REQUIRE(skipped.size() == 3);  // each skipped entry is named with the file and the key
  CHECK(skipped[0] == "progress.json: lessons.a is not an object; this lesson's progress is skipped");
  CHECK(skipped[1] == "progress.json: lessons.b.step is \"x\" (a string), expected a whole number");
  CHECK(skipped[2] == "progress.json: lessons.b.answers.0.0 is \"y\" (a string), expected a whole number");
  // 2^32 + 3 used to wrap to step 3 (read as int before the clamp)
  ProgressStore big = progress_from_json(R"({"lessons": {"c": {"step": 4294967299, "answers": {"0.0": 4294967297}}}})");
  CHECK(big.lessons["c"].step == 100000);
  CHECK(big.lessons["c"].answers["0.0"] == 1000);
  CHECK_THROWS(progress_from_json("not json"));
}

TEST_CASE("runner: a damaged progress file is kept aside, not silently overwritten") {
  Session session;
  std::string dir = temp_dir("damaged-progress");
  const std::string file = dir + "/progress.json";
  write_file_atomic(file, "{\"lessons\": {\"01-example\": {\"step\": 2");  // truncated
  LessonRunner runner(session, file);
  CHECK(runner.progress_problem().find(file + ": not valid JSON") == 0);
  CHECK(runner.progress_problem().find("kept as " + file + ".damaged") != std::string::npos);
  CHECK(read_file(file + ".damaged") == "{\"lessons\": {\"01-example\": {\"step\": 2");
  write_file_atomic(file, R"({"lessons": {"01-example": {"step": 1, "finished": "yes"}}})");
  LessonRunner partly(session, file);
  CHECK(partly.progress_problem() ==
        file + ": lessons.01-example.finished is \"yes\" (a string), expected true or false; the rest of the progress was kept");
  CHECK(partly.progress_of("01-example")->step == 1);
}

TEST_CASE("runner: next/back replay the same state; predict reveals after the guess") {
  Session session;
  std::string dir = temp_dir("runner");
  LessonRunner runner(session, dir + "/progress.json");
  REQUIRE(runner.open(kData + "/good/01-example.md"));
  CHECK(runner.action_errors().empty());
  CHECK(runner.step() == 0);
  auto& tl = dynamic_cast<TransformerLab&>(session.lab("transformer"));
  CHECK(session.view.workspace == "transformer");
  CHECK(session.view.open_panels.count("transformer.generate") == 1);
  CHECK(session.view.highlight == "transformer.generate");
  CHECK(tl.prompt() == "Mia found a kitten. She");
  REQUIRE(tl.steps().size() == 3);
  const std::vector<int32_t> ids_step1 = tl.all_ids();

  // the user wanders off: more tokens, other settings, other workspace
  session.run("transformer step 5");
  session.run("transformer set temperature 2");
  session.run("workspace gan");

  // Next runs only step 2's commands on top of what is on screen (the student's changes stay)
  REQUIRE(runner.next());
  CHECK(runner.last_move_incremental());
  CHECK(runner.step() == 1);
  CHECK(runner.action_errors().empty());
  CHECK(runner.commands_run() == 2);
  CHECK(tl.all_ids().size() == ids_step1.size() + 5);
  CHECK(tl.settings().sampler.temperature == doctest::Approx(0.5));
  CHECK(session.view.workspace == "transformer");  // `open transformer.probabilities` shows its workspace
  CHECK(session.view.highlight.empty());  // step 1's highlight does not carry over
  // Reset step (a replay from the baseline) undoes the wandering: same seed, same replay
  runner.replay();
  CHECK_FALSE(runner.last_move_incremental());
  CHECK(runner.step() == 1);
  CHECK(tl.all_ids() == ids_step1);
  CHECK(tl.settings().sampler.temperature == doctest::Approx(0.5));
  CHECK(session.view.highlight.empty());

  // quiz: the choice is recorded, nothing runs
  CHECK_FALSE(runner.answer(0, 5));
  CHECK_FALSE(runner.answer(1, 0));  // prose is not a question
  CHECK(runner.answer(0, 0));
  CHECK(runner.chosen(1, 0) == 0);

  // predict: the reveal runs only after the guess
  REQUIRE(runner.next());
  CHECK(runner.step() == 2);
  CHECK(tl.settings().sampler.temperature == doctest::Approx(0.5));
  CHECK_FALSE(runner.revealed(2, 0));
  CHECK(runner.answer(0, 1));
  CHECK(runner.revealed(2, 0));
  CHECK(tl.settings().sampler.temperature == doctest::Approx(3));
  CHECK(session.view.highlight == "transformer.probabilities");

  // step 4 replays step 3's reveal; Back returns to exactly step 2's state
  REQUIRE(runner.next());
  CHECK(runner.step() == 3);
  CHECK(runner.action_errors().empty());
  CHECK(tl.settings().sampler.temperature == doctest::Approx(3));
  auto& gan = dynamic_cast<GanLab&>(session.lab("gan"));
  CHECK(gan.toy().g_steps() == 5);
  CHECK_FALSE(runner.next());  // the last step: finished
  CHECK(runner.progress_of("01-example")->finished);
  REQUIRE(runner.back());
  REQUIRE(runner.back());
  CHECK(runner.step() == 1);
  CHECK(tl.settings().sampler.temperature == doctest::Approx(0.5));
  CHECK(tl.all_ids() == ids_step1);
  CHECK(gan.toy().g_steps() == 0);  // the baseline: a fresh 2D GAN
  runner.goto_step(0);
  CHECK_FALSE(runner.back());
  runner.goto_step(99);
  CHECK(runner.step() == 3);

  // progress was saved atomically and is read back by a new runner
  runner.goto_step(2);
  LessonRunner again(session, dir + "/progress.json");
  CHECK(again.progress_problem().empty());
  REQUIRE(again.open(kData + "/good/01-example.md"));
  CHECK(again.step() == 2);
  CHECK(again.revealed(2, 0));  // the guess is remembered, so the reveal is replayed
  CHECK(tl.settings().sampler.temperature == doctest::Approx(3));
  CHECK(again.chosen(1, 0) == 0);
}

namespace {
// What the labs show, as text: enough to tell two states apart (tokens, settings, the 2D GAN's
// points, the diffusion trajectory, what is open and highlighted).
std::string fingerprint(Session& session) {
  std::string f = session.view.workspace + "|" + session.view.highlight + "|";
  for (auto& id : session.view.open_panels) f += id + ",";
  auto& tl = dynamic_cast<TransformerLab&>(session.lab("transformer"));
  f += "|T:";
  for (int32_t id : tl.all_ids()) f += std::to_string(id) + " ";
  f += std::to_string(tl.settings().sampler.temperature);
  auto& gan = dynamic_cast<GanLab&>(session.lab("gan"));
  f += "|G:" + std::to_string(gan.toy().g_steps()) + " " + std::to_string(gan.toy().d_steps()) + " ";
  for (float v : gan.toy().fake_points(8)) f += std::to_string(v) + " ";
  auto& dl = dynamic_cast<DiffusionLab&>(session.lab("diffusion"));
  f += "|D:" + std::to_string(dl.frames().size()) + " ";
  if (!dl.frames().empty())
    for (size_t i = 0; i < dl.frames().back().size(); i += 7) f += std::to_string(dl.frames().back()[i]) + " ";
  for (Lab* lab : session.labs()) {
    f += '|';  // two appends: `"|" + status()` trips GCC 12's -Wrestrict false positive
    f += lab->status();
  }
  return f;
}
}  // namespace

TEST_CASE("runner: Next runs only the new step, and gives the state of a fresh replay, also after Back") {
  Session session;
  LessonRunner runner(session);
  REQUIRE(runner.open(kData + "/good/02-next-back.md", 0));
  const int n = runner.step_count();
  REQUIRE(n == 4);
  // every lab loads its model on first use and keeps it over resets: load them all first, so every
  // state below starts from the same baseline
  CHECK(runner.run_everything().empty());
  // fresh replays of every step (the predict of step 2 not answered: its reveal runs from step 3 on)
  std::vector<std::string> fresh;
  for (int k = 0; k < n; ++k) {
    runner.goto_step(k);
    runner.replay();
    CHECK_FALSE(runner.last_move_incremental());
    CHECK(runner.action_errors().empty());
    fresh.push_back(fingerprint(session));
  }
  CHECK(fresh[1] != fresh[2]);  // the states differ, so equal fingerprints below mean something
  CHECK(fresh[2] != fresh[3]);

  runner.goto_step(0);
  CHECK(fingerprint(session) == fresh[0]);
  for (int k = 1; k < n; ++k) {
    REQUIRE(runner.next());
    CHECK(runner.last_move_incremental());
    CHECK_MESSAGE(fingerprint(session) == fresh[size_t(k)], "Next to step " << k + 1);
  }
  // Back replays exactly; Next after Back is incremental again and equal to the fresh replay
  for (int k = n - 2; k >= 0; --k) {
    REQUIRE(runner.back());
    CHECK_FALSE(runner.last_move_incremental());
    CHECK_MESSAGE(fingerprint(session) == fresh[size_t(k)], "Back to step " << k + 1);
    REQUIRE(runner.next());
    CHECK(runner.last_move_incremental());
    CHECK_MESSAGE(fingerprint(session) == fresh[size_t(k + 1)], "Next after Back to step " << k + 2);
    REQUIRE(runner.back());
  }
  // the guess on step 2 runs its reveal now; Next then does not run it twice
  runner.goto_step(1);
  const std::string before_guess = fingerprint(session);
  CHECK(runner.answer(0, 0));
  CHECK(fingerprint(session) != before_guess);
  REQUIRE(runner.next());
  CHECK(runner.last_move_incremental());
  CHECK(fingerprint(session) == fresh[2]);
  // jumping two steps ahead replays from the baseline
  runner.goto_step(0);
  runner.goto_step(2);
  CHECK_FALSE(runner.last_move_incremental());
  CHECK(fingerprint(session) == fresh[2]);
}

TEST_CASE("runner: command failures are reported with file:line, and check runs everything") {
  Session session;
  LessonRunner runner(session);
  REQUIRE(runner.open(kData + "/bad/01-unknown-command.md"));
  const auto& errs = runner.action_errors();
  REQUIRE(errs.size() == 3);
  CHECK(errs[0].find("01-unknown-command.md:12: ") != std::string::npos);
  CHECK(errs[1].find(":13: ") != std::string::npos);
  CHECK(errs[1].find("transformer.nope") != std::string::npos);
  CHECK(errs[2].find(":14: ") != std::string::npos);
  CHECK(runner.run_everything().size() == 3);

  LessonRunner good(session);
  REQUIRE(good.open(kData + "/good/01-example.md"));
  auto all = good.run_everything();
  CHECK(all.empty());
  CHECK(good.commands_run() == 11);

  // a lesson that does not parse keeps the runner empty, with the errors
  LessonRunner broken(session);
  CHECK_FALSE(broken.open(kData + "/bad/02-parse-errors.md"));
  CHECK_FALSE(broken.has_lesson());
  CHECK(broken.load_errors().size() >= 4);
}

TEST_CASE("runner: hot reload keeps the step; a broken edit keeps the old lesson") {
  Session session;
  std::string dir = temp_dir("reload");
  std::string file = dir + "/03-reload.md";
  std::string two_steps = std::string(kHeader) + "## A\none\n## B\ntwo\n```glassbox\ntransformer set temperature 0.7\n```\n";
  write(file, two_steps);
  LessonRunner runner(session);
  REQUIRE(runner.open(file));
  runner.goto_step(1);
  CHECK_FALSE(runner.check_reload());
  // a newer modification time (set explicitly: file systems may have coarse clocks)
  write(file, two_steps + "## C\nthree\n");
  std::filesystem::last_write_time(file, std::filesystem::last_write_time(file) + std::chrono::seconds(2));
  CHECK(runner.check_reload());
  CHECK(runner.step_count() == 3);
  CHECK(runner.step() == 1);
  write(file, "---\ntitle: broken\n");
  std::filesystem::last_write_time(file, std::filesystem::last_write_time(file) + std::chrono::seconds(4));
  CHECK_FALSE(runner.check_reload());
  CHECK(runner.has_lesson());
  CHECK(runner.step_count() == 3);
  CHECK_FALSE(runner.load_errors().empty());
}

TEST_CASE("runner: `show` lines choose the panels a step is about; a bad panel id is an error with file:line") {
  const std::string dir = temp_dir("show");
  const std::string file = dir + "/01-show.md";
  write(file, std::string(kHeader) +
                  "\n## One\n\n"                                                 // line 9
                  "```glassbox\n"                                                // 11
                  "open transformer.attention\n"                                 // 12
                  "open transformer.tokens\n"                                    // 13
                  "show transformer.probabilities transformer.attention\n"       // 14
                  "highlight transformer.tokens\n"                               // 15
                  "```\n\n"
                  "## Two\n\n"                                                   // 18
                  "```predict\n"                                                 // 20
                  "Q?\n"
                  "- [x] a :: yes\n"
                  "- [ ] b :: no\n"
                  "reveal:\n"
                  "show transformer.beam\n"                                      // 25
                  "```\n\n"
                  "## Three\n\n"                                                 // 28
                  "```glassbox\n"                                                // 30
                  "show transformer.nope\n"                                      // 31
                  "```\n");
  Session session;
  LessonRunner runner(session);
  REQUIRE(runner.open(file, 0));
  CHECK(runner.action_errors().empty());
  CHECK(runner.shown_panels() == std::vector<std::string>{"transformer.probabilities", "transformer.attention"});
  CHECK(session.view.open_panels.count("transformer.probabilities") == 1);  // `show` opens what it shows
  CHECK(runner.named_panels() ==
        std::vector<std::string>{"transformer.attention", "transformer.tokens", "transformer.probabilities"});

  runner.next();  // a new step without a `show` line: nothing chosen until the reveal runs
  CHECK(runner.shown_panels().empty());
  CHECK(runner.named_panels().empty());
  CHECK(session.view.open_panels.count("transformer.beam") == 0);
  REQUIRE(runner.answer(0, 0));
  CHECK(runner.shown_panels() == std::vector<std::string>{"transformer.beam"});
  CHECK(session.view.open_panels.count("transformer.beam") == 1);

  runner.back();  // a fresh replay of step one chooses the same panels again
  CHECK(runner.shown_panels() == std::vector<std::string>{"transformer.probabilities", "transformer.attention"});
  runner.goto_step(1);  // the answer is remembered: the reveal runs on entry
  CHECK(runner.shown_panels() == std::vector<std::string>{"transformer.beam"});
  runner.forget("01-show");  // … until the progress is forgotten (the screenshot review's second walk)
  runner.goto_step(1);
  CHECK(runner.shown_panels().empty());
  CHECK(runner.chosen(1, 0) == -1);

  runner.goto_step(2);
  REQUIRE(runner.action_errors().size() == 1);
  CHECK(runner.action_errors()[0].find("01-show.md:31: show: no panel named `transformer.nope`") != std::string::npos);
  CHECK(runner.run_everything().size() == 1);  // `lessons check` sees it too
}

TEST_CASE("translations: a lesson in another language must act exactly as its original") {
  LessonParse en = load_lesson(kData + "/good/01-example.md");
  LessonParse de = load_lesson(kData + "/good/de/01-example.md");
  REQUIRE(en.ok());
  REQUIRE(de.ok());
  CHECK(compare_translation(en.lesson, de.lesson).empty());
  CHECK(original_lesson_file(kData + "/good/de/01-example.md") == kData + "/good/01-example.md");
  CHECK(translated_lesson_file(kData + "/good/01-example.md", "de") == kData + "/good/de/01-example.md");
  CHECK(translated_lesson_file(kData + "/good/01-example.md", "fr").empty());
  CHECK(translated_lesson_file(kData + "/good/01-example.md", "en").empty());
  CHECK(lesson_languages(kData + "/good") == std::vector<std::string>{"de"});

  LessonParse bad = load_lesson(kData + "/bad_translation/de/01-example.md");
  REQUIRE(bad.ok());
  std::vector<LessonError> e = compare_translation(en.lesson, bad.lesson);
  std::string all;
  for (auto& x : e) all += x.str() + "\n";
  CAPTURE(all);
  REQUIRE(e.size() == 3);  // a changed command, and the quiz's right answer moved (two answers differ)
  CHECK(e[0].line == 24);
  CHECK(e[0].message.find("step 1: commands") == 0);
  CHECK(e[0].message.find("transformer step 4") != std::string::npos);
  CHECK(e[1].message.find("step 2: answer 1 is marked right, in the original it is wrong") == 0);
  CHECK(e[2].message.find("step 2: answer 2 is marked wrong") == 0);

  // a step less, and a quiz turned into prose
  std::string text = read_file(kData + "/good/de/01-example.md");
  std::string fewer = text.substr(0, text.find("## Die anderen Arbeitsbereiche"));
  LessonParse short_one = parse_lesson(fewer, "de/01-example.md");
  REQUIRE(short_one.ok());
  e = compare_translation(en.lesson, short_one.lesson);
  REQUIRE(e.size() == 1);
  CHECK(e[0].message.find("3 steps, the original has 4") == 0);
}

TEST_CASE("translations: the runner shows the lesson in the chosen language, else English with the reason") {
  Session session;
  LessonRunner runner(session);
  set_language("de");
  REQUIRE(runner.open(kData + "/good/01-example.md", 1));
  CHECK(runner.translation() == LessonRunner::Translation::translated);
  CHECK(runner.lesson().title == "Beispiel: die Teile einer Lektion");
  CHECK(runner.path() == kData + "/good/de/01-example.md");
  CHECK(runner.lesson().id == "01-example");  // progress and session files do not depend on the language
  CHECK(runner.step() == 1);
  const int commands = runner.commands_run();
  set_language("fr");  // no French translation of the fixture
  runner.relocalize();
  CHECK(runner.translation() == LessonRunner::Translation::missing);
  CHECK(runner.lesson().title == "Example: the parts of a lesson");
  CHECK(runner.step() == 1);
  CHECK(runner.commands_run() == commands);  // nothing replayed
  set_language("en");
  runner.relocalize();
  CHECK(runner.translation() == LessonRunner::Translation::english);
  // opening the translation's file opens the lesson (in the current language)
  REQUIRE(runner.open(kData + "/good/de/01-example.md", 0));
  CHECK(runner.lesson().title == "Example: the parts of a lesson");
  CHECK(runner.path() == kData + "/good/01-example.md");
}
