// The lessons panel: the list of lessons with each one's progress, and the current lesson's step
// drawn from its Markdown tree (wrapped text, bold, italic, code, lists, quotes) beside the live
// workspace, with Back/Next (buttons, ←/→, PageUp/PageDown for presenter remotes), quizzes that show
// the explanation of the chosen answer, predict-first questions whose outcome stays hidden until a
// guess is committed, and every command failure shown with file:line. The runner (src/lessons/)
// resets the session and replays the steps; this file only draws and calls it.

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <imgui.h>

#include "app/keys.hpp"
#include "app/panels/registry.hpp"
#include "app/widgets/draw_util.hpp"
#include "app/widgets/markdown.hpp"
#include "core/files.hpp"
#include "core/i18n.hpp"
#include "lessons/lesson.hpp"
#include "lessons/runner.hpp"

namespace gb::app {

// [SECTION] State: the view's choices and a cached list of the lessons folder (the runner is the shell's)

namespace {

struct ListEntry {
  std::string file, id, title, workspace;
  int minutes = 0, steps = 0;
  std::vector<std::string> goals;
  std::vector<std::string> errors;  // file:line messages when the lesson does not parse
  bool translated = false;          // title and goals are the translation's
};

struct LessonsState {
  LessonRunner* runner = nullptr;  // the shell's (PanelContext::lessons), for this frame
  std::vector<ListEntry> list;
  double list_time = -1e9;      // when the list was read (it is re-read every few seconds)
  std::string list_language;    // the language it was read in (titles and goals come from the translations)
  double reload_time = 0;       // last hot-reload check
  int shown_step = -1;          // step drawn last frame (scroll to the top when it changes)
  std::string shown_lesson;
  const LessonRunner* resumed = nullptr;  // the lesson open when the app last closed is resumed once per runner
  int pending_step = -1;        // Next/Back asked for this step: replayed after one frame that says so
  int pending_frames = 0;
  int scrolled_answers = 0;     // runner.answer_count() whose explanation was last scrolled into view
  int scroll_frames = 0;        // frames left that keep that explanation's bottom in view
};

LessonsState& state() {
  static LessonsState s;
  return s;
}

void refresh_list(LessonsState& st, double now) {
  if (now - st.list_time < 3.0 && st.list_language == language()) return;
  st.list_time = now;
  st.list_language = language();
  st.list.clear();
  for (auto& f : lesson_files(lessons_dir())) {
    LessonParse p = load_lesson(f);
    ListEntry e;
    e.file = f;
    e.id = p.lesson.id;
    e.title = p.lesson.title.empty() ? p.lesson.id : p.lesson.title;
    e.workspace = p.lesson.workspace;
    e.minutes = p.lesson.minutes;
    e.steps = int(p.lesson.steps.size());
    e.goals = p.lesson.goals;
    // The title and goals in the chosen language when the lesson has a translation that parses (the runner also
    // checks that it acts as the original before showing it).
    const std::string t = translated_lesson_file(f, language());
    if (p.ok() && !t.empty()) {
      LessonParse tp = load_lesson(t);
      if (tp.ok()) {
        if (!tp.lesson.title.empty()) e.title = tp.lesson.title;
        e.goals = tp.lesson.goals;
        e.translated = true;
      }
    }
    for (auto& err : p.errors) e.errors.push_back(err.str());
    st.list.push_back(std::move(e));
  }
}

// [SECTION] Lesson look: the Markdown widget (src/app/widgets/markdown.hpp) with the panel's fonts

using ui::error_colour;
using ui::good_colour;
using ui::kBold;
using ui::markdown;
using ui::MdPainter;
using ui::MdRun;
using ui::wrapped;

MdPainter make_painter(PanelContext& ctx) { return ui::md_painter(ctx.mono_font, ctx.ui_scale); }

// A workspace's title in the current language ("transformer" → "Transformer (GPT)" → its translation).
std::string workspace_title(Session& session, const std::string& workspace) {
  for (const Lab* lab : session.labs())
    if (lab->name() == workspace) return tr(lab->title().c_str());
  return workspace;
}

void error_list(const char* title, const std::vector<std::string>& errors) {
  if (errors.empty()) return;
  wrapped(error_colour(), title);
  ImGui::Indent();
  for (auto& e : errors) wrapped(error_colour(), e);
  ImGui::Unindent();
  ImGui::Spacing();
}

// [SECTION] Questions: quiz and predict blocks

// A wrapped, clickable answer box; returns true when clicked.
bool answer_box(MdPainter& p, const LessonAnswer& a, int index, bool chosen, bool show_result, ImU32 frame) {
  const float pad = 0.45f * p.size;
  ImVec2 o = ImGui::GetCursorScreenPos();
  float w = std::max(4.0f * p.size, ImGui::GetContentRegionAvail().x - 0.3f * p.size);
  std::string letter = std::string(1, char('A' + index % 26)) + ".";
  float lw = p.width_of("M.", 0) + 0.5f * p.size;
  MdPainter measure = p;
  measure.draw = false;
  float th = measure.blocks(a.text_md, ImVec2(0, 0), w - 2 * pad - lw, p.text_col);
  float h = std::max(th, p.line_h) + 2 * pad;
  ImGui::PushID(index);
  bool clicked = ImGui::InvisibleButton("answer", ImVec2(w, h));
  bool hovered = ImGui::IsItemHovered();
  ImGui::PopID();
  ImU32 bg = ImGui::GetColorU32(chosen ? ImGuiCol_ButtonActive : hovered ? ImGuiCol_ButtonHovered : ImGuiCol_Button);
  p.dl->AddRectFilled(o, ImVec2(o.x + w, o.y + h), bg, 4.0f * p.scale);
  if (show_result) p.dl->AddRect(o, ImVec2(o.x + w, o.y + h), frame, 4.0f * p.scale, 0, 2.0f * p.scale);
  p.word(ImVec2(o.x + pad, o.y + pad), letter, kBold, p.text_col);
  p.blocks(a.text_md, ImVec2(o.x + pad + lw, o.y + pad), w - 2 * pad - lw, p.text_col);
  if (hovered) {
    ImGui::BeginTooltip();
    ImGui::TextUnformatted(show_result ? tr("Your choice is recorded; click another answer to read its explanation.")
                                       : tr("Click to choose this answer."));
    ImGui::EndTooltip();
  }
  return clicked;
}

void question(MdPainter& p, const Session& session, LessonRunner& r, int block_index, const LessonBlock& b) {
  const bool predict = b.kind == LessonBlock::Kind::predict;
  const int chosen = r.chosen(r.step(), block_index);
  ImGui::PushID(block_index);
  ImGui::Spacing();
  ImVec2 top = ImGui::GetCursorScreenPos();
  const char* kind = predict ? tr("PREDICT FIRST") : tr("QUIZ");
  p.dl->AddText(p.font, p.size, top, p.accent_col, kind);
  p.dl->AddText(p.font, p.size, ImVec2(top.x + std::max(1.0f, 0.6f * p.scale), top.y), p.accent_col, kind);
  ImGui::Dummy(ImVec2(1, p.line_h));
  markdown(p, b.question_md);
  if (predict && chosen < 0)
    wrapped(p.dim_col, tr("Make your guess first: choose an answer. Then the app shows what really happens."));
  ImGui::Spacing();
  for (int i = 0; i < int(b.answers.size()); ++i) {
    const LessonAnswer& a = b.answers[size_t(i)];
    bool is_chosen = i == chosen;
    if (answer_box(p, a, i, is_chosen, is_chosen, a.correct ? good_colour() : error_colour())) r.answer(block_index, i);
    ImGui::Dummy(ImVec2(1, 0.2f * p.size));
  }
  if (chosen >= 0 && chosen < int(b.answers.size())) {
    const LessonAnswer& a = b.answers[size_t(chosen)];
    ImGui::Spacing();
    std::string verdict = a.correct ? tr("Right.") : tr("Not quite.");
    if (predict) verdict = a.correct ? tr("Your prediction was right.") : tr("Your prediction was not what happened.");
    wrapped(a.correct ? good_colour() : error_colour(), verdict);
    markdown(p, a.explanation_md);
    if (predict)
      wrapped(p.dim_col, session.view.highlight.empty() ? tr("The app now shows what really happens.")
                                                        : tr("The app now shows what really happens: look at the highlighted panel."));
    if (!a.correct) {
      for (auto& other : b.answers)
        if (other.correct) {
          std::vector<MdRun> rs = {{std::string(tr("The right answer:")) + " ", kBold}};
          for (auto& c : other.text_md.children)
            for (auto& cc : c.children) ui::md_flatten(cc, 0, rs);
          ImVec2 o = ImGui::GetCursorScreenPos();
          float w = std::max(4.0f * p.size, ImGui::GetContentRegionAvail().x - 0.3f * p.size);
          float h = p.runs(rs, o, w, p.text_col);
          ImGui::Dummy(ImVec2(w, h));
          break;
        }
    }
    // a new answer: bring its verdict and explanation into view (they may be below the fold)
    // (again for a few frames: a scroll bar that appears re-wraps the text and moves the bottom)
    LessonsState& st = state();
    if (r.last_answered_block() == block_index && r.answer_count() != st.scrolled_answers) {
      st.scrolled_answers = r.answer_count();
      st.scroll_frames = 3;
    }
    if (r.last_answered_block() == block_index && st.scroll_frames > 0) {
      --st.scroll_frames;
      ImGui::SetScrollHereY(1.0f);
    }
  }
  ImGui::PopID();
}

// A dim line saying which commands set up the step (hover: the commands with their lines).
void actions_note(MdPainter& p, const Lesson& L, const LessonBlock& b) {
  if (b.actions.empty()) return;
  const std::string note = b.actions.size() == 1
                               ? std::string(tr("▸ 1 command set up the app for this step (hover to see them)"))
                               : format_text(tr("▸ %d commands set up the app for this step (hover to see them)"),
                                             int(b.actions.size()));
  wrapped(p.dim_col, note);
  if (ImGui::IsItemHovered()) {
    ImGui::BeginTooltip();
    for (auto& a : b.actions) {
      std::string file = L.file.substr(L.file.find_last_of('/') + 1);
      ImGui::TextDisabled("%s:%d", file.c_str(), a.line);
      ImGui::SameLine();
      if (p.mono) ImGui::PushFont(p.mono);
      ImGui::TextUnformatted(a.command.c_str());
      if (p.mono) ImGui::PopFont();
    }
    ImGui::EndTooltip();
  }
}

// [SECTION] The list of lessons

void draw_list(PanelContext& ctx, LessonsState& st) {
  MdPainter p = make_painter(ctx);
  LessonRunner& r = *st.runner;
  refresh_list(st, ImGui::GetTime());
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_PlotLinesHovered));
  ImGui::TextWrapped("%s", tr("Guided lessons"));
  ImGui::PopStyleColor();
  wrapped(p.dim_col, tr("Each lesson is a few short steps. It drives the live app beside it: it opens panels, sets values and points at what to look at. Click a lesson to start or carry on."));
  if (language() != "en")  // the models and the commands stay English; the lessons come in the language when translated
    wrapped(p.dim_col, tr("Lessons marked (English) are not translated yet."));
  ImGui::Spacing();
  error_list(tr("That lesson could not be opened:"), [&] {
    std::vector<std::string> v;
    for (auto& e : r.load_errors()) v.push_back(e.str());
    return v;
  }());
  if (!r.progress_problem().empty()) error_list(tr("Your saved lesson progress had a problem:"), {r.progress_problem()});
  if (st.list.empty()) {
    wrapped(p.dim_col, format_text(tr("No lessons found in %s (lessons are Markdown files named NN-topic.md)."), lessons_dir().c_str()));
    return;
  }
  ImGui::BeginChild("lesson_list", ImVec2(0, 0), false);
  const float pad = 0.4f * p.size;
  for (size_t i = 0; i < st.list.size(); ++i) {
    const ListEntry& e = st.list[i];
    const LessonProgress* lp = r.progress_of(e.id);
    std::string status;
    if (!e.errors.empty()) status = tr("has errors (hover)");
    else if (lp && lp->finished) status = tr("finished ✓");
    else if (lp) status = format_text(tr("step %d of %d"), std::min(lp->step + 1, std::max(1, e.steps)), e.steps);
    else status = tr("not started");
    std::string sub = format_text(tr("%s · %d min · %d steps · %s"), workspace_title(ctx.session, e.workspace).c_str(),
                                  e.minutes, e.steps, status.c_str());
    if (!e.translated && language() != "en") sub += std::string(" · ") + tr("(English)");
    ImVec2 o = ImGui::GetCursorScreenPos();
    float w = std::max(4.0f * p.size, ImGui::GetContentRegionAvail().x - 0.3f * p.size);
    float number_w = p.width_of("00 ", kBold) + 0.3f * p.size;
    std::vector<MdRun> title = {{e.title, kBold}};
    MdPainter m = p;
    m.draw = false;
    float th = m.runs(title, ImVec2(0, 0), w - number_w - 2 * pad, p.text_col);
    std::vector<MdRun> subr = {{sub, 0}};
    // the second line wraps too (longer in some languages, and at large scales): measured, not assumed one line
    float sh = m.runs(subr, ImVec2(0, 0), w - number_w - 2 * pad, p.dim_col);
    float h = th + std::max(sh, p.line_h) + 2 * pad;
    ImGui::PushID(int(i));
    bool clicked = ImGui::InvisibleButton("lesson", ImVec2(w, h));
    bool hovered = ImGui::IsItemHovered();
    ImGui::PopID();
    p.dl->AddRectFilled(o, ImVec2(o.x + w, o.y + h), ImGui::GetColorU32(hovered ? ImGuiCol_HeaderHovered : ImGuiCol_Header),
                        3.0f * p.scale);
    // progress along the bottom edge
    if (lp && e.steps > 0) {
      float f = lp->finished ? 1.0f : float(lp->visited + 1) / float(e.steps);
      p.dl->AddRectFilled(ImVec2(o.x, o.y + h - 3.0f * p.scale), ImVec2(o.x + w * std::min(f, 1.0f), o.y + h),
                          ImGui::GetColorU32(ImGuiCol_PlotHistogram));
    }
    std::string num = e.id.substr(0, 2);
    p.word(ImVec2(o.x + pad, o.y + pad), num, kBold, p.accent_col);
    p.runs(title, ImVec2(o.x + pad + number_w, o.y + pad), w - number_w - 2 * pad, p.text_col);
    p.runs(subr, ImVec2(o.x + pad + number_w, o.y + pad + th), w - number_w - 2 * pad,
           e.errors.empty() ? p.dim_col : error_colour());
    if (hovered) {
      ImGui::BeginTooltip();
      ImGui::PushTextWrapPos(ImGui::GetFontSize() * 30);
      if (!e.errors.empty()) {
        for (auto& err : e.errors) wrapped(error_colour(), err);
      } else {
        ImGui::TextUnformatted(tr("In this lesson you will:"));
        for (auto& g : e.goals) ImGui::BulletText("%s", g.c_str());
      }
      ImGui::TextDisabled("%s", e.file.c_str());
      ImGui::PopTextWrapPos();
      ImGui::EndTooltip();
    }
    if (clicked) r.open(e.file);
    ImGui::Dummy(ImVec2(1, 0.25f * p.size));
  }
  ImGui::EndChild();
}

// [SECTION] The current lesson

void draw_lesson(PanelContext& ctx, LessonsState& st) {
  LessonRunner& r = *st.runner;
  const Lesson& L = r.lesson();
  MdPainter p = make_painter(ctx);
  const int n = r.step_count();
  // Entering a step replays the lesson's commands up to it, which can take a moment (a diffusion run,
  // a thousand GAN steps): the frame after Next/Back says so, the one after that does it.
  if (st.pending_step >= 0 && st.pending_frames++ > 0) {
    r.goto_step(st.pending_step);
    st.pending_step = -1;
  }
  const int k = r.step();
  auto request = [&](int target) {
    if (target < 0 || target >= n || st.pending_step >= 0) return;
    st.pending_step = target;
    st.pending_frames = 0;
  };

  // keys from the shortcut table (app/keys.cpp): Page Down / Page Up (presenter remotes), Ctrl+. / Ctrl+,
  // (the arrows belong to keyboard navigation)
  if (!ImGui::IsAnyItemActive()) {
    if (shortcut_pressed("lesson next")) request(k + 1);
    else if (shortcut_pressed("lesson back")) request(k - 1);
  }

  if (ImGui::SmallButton(tr("< All lessons"))) {
    r.close();
    return;
  }
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr("Back to the list (your place in this lesson is kept)"));
  {
    // on the button's line when it fits, else below it (long workspace names, scale 2)
    const std::string where = format_text(tr("%s · %d min"), workspace_title(ctx.session, L.workspace).c_str(), L.minutes);
    ui::same_line_if_fits(ImGui::CalcTextSize(where.c_str()).x);
    wrapped(p.dim_col, where);  // and wrapped there: "After pretraining (fine-tune, votes, facts…)" is long
  }
  {
    const char* restart = tr("Restart step");
    ui::same_line_if_fits(ImGui::CalcTextSize(restart).x + 2 * ImGui::GetStyle().FramePadding.x);
    if (ImGui::SmallButton(restart) && st.pending_step < 0) {
      st.pending_step = k;  // goto_step(k) of the current step replays it from the lesson's beginning
      st.pending_frames = 0;
    }
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip("%s", tr("Put this step back as the lesson set it up (undoes what you changed since)"));
  }
  {
    std::vector<MdRun> title = {{L.title, kBold}};
    ImVec2 o = ImGui::GetCursorScreenPos();
    float w = ImGui::GetContentRegionAvail().x;
    float h = p.runs(title, o, w, p.accent_col);
    ImGui::Dummy(ImVec2(w, h));
  }
  const std::string overlay = format_text(tr("step %d of %d"), k + 1, n);
  ImGui::ProgressBar(n > 0 ? float(k + 1) / float(n) : 0.0f, ImVec2(-1, 0), overlay.c_str());
  if (ImGui::IsItemHovered()) ImGui::SetTooltip(tr("Step %d of %d: %s"), k + 1, n, L.steps[size_t(k)].title.c_str());
  if (st.pending_step == k + 1)  // Next runs only the new step's commands
    wrapped(p.accent_col, format_text(tr("Setting up step %d…"), st.pending_step + 1));
  else if (st.pending_step >= 0)
    wrapped(p.accent_col, format_text(tr("Setting up step %d: the app starts from the lesson's beginning and replays its commands…"),
                                      st.pending_step + 1));
  // In another language: a lesson not translated yet is shown in English, and says so (a broken translation too).
  if (r.translation() == LessonRunner::Translation::missing)
    wrapped(p.dim_col, tr("This lesson is not translated yet: it is shown in English."));
  else if (r.translation() == LessonRunner::Translation::broken)
    wrapped(error_colour(), format_text(tr("The translation of this lesson has a problem, so it is shown in English: %s"),
                                        r.translation_problem().c_str()));

  std::vector<std::string> load;
  for (auto& e : r.load_errors()) load.push_back(e.str());
  error_list(tr("A lesson file has errors (a lesson that changed on disk stays at its last good version):"), load);
  error_list(tr("Some of this lesson's commands failed:"), r.action_errors());

  // footer height: one row of buttons and a hint line
  const ImGuiStyle& style = ImGui::GetStyle();
  float footer = ImGui::GetFrameHeightWithSpacing() + ImGui::GetTextLineHeightWithSpacing() + style.ItemSpacing.y;
  ImGui::BeginChild("lesson_step", ImVec2(0, -footer), false);
  if (st.shown_step != k || st.shown_lesson != L.id) {
    ImGui::SetScrollY(0);
    st.shown_step = k;
    st.shown_lesson = L.id;
  }
  MdPainter q = make_painter(ctx);  // the child window's draw list
  if (k == 0) {
    if (!L.intro.children.empty()) {
      markdown(q, L.intro);
      ImGui::Spacing();
    }
    wrapped(q.dim_col, tr("In this lesson you will:"));
    MdNode goals;
    goals.kind = MdNode::Kind::bullet_list;
    for (auto& g : L.goals) {
      MdNode item;
      item.kind = MdNode::Kind::list_item;
      item.children.push_back(parse_markdown(g).children.empty() ? MdNode{} : parse_markdown(g).children[0]);
      goals.children.push_back(std::move(item));
    }
    MdNode doc;
    doc.children.push_back(std::move(goals));
    markdown(q, doc);
    ImGui::Separator();
    ImGui::Spacing();
  }
  const LessonStep& s = L.steps[size_t(k)];
  {
    std::vector<MdRun> title = {{std::to_string(k + 1) + ". " + s.title, kBold}};
    ImVec2 o = ImGui::GetCursorScreenPos();
    float w = ImGui::GetContentRegionAvail().x - 0.3f * q.size;
    float h = q.runs(title, o, w, q.accent_col);
    ImGui::Dummy(ImVec2(w, h + 0.3f * q.size));
  }
  for (int i = 0; i < int(s.blocks.size()); ++i) {
    const LessonBlock& b = s.blocks[size_t(i)];
    switch (b.kind) {
      case LessonBlock::Kind::prose: markdown(q, b.prose); break;
      case LessonBlock::Kind::actions: actions_note(q, L, b); break;
      case LessonBlock::Kind::quiz:
      case LessonBlock::Kind::predict: question(q, ctx.session, r, i, b); break;
    }
    ImGui::Spacing();
  }
  if (k + 1 == n) {
    ImGui::Separator();
    const LessonProgress* lp = r.progress_of(L.id);
    wrapped(q.dim_col, lp && lp->finished ? tr("You have finished this lesson. Well done!")
                                          : tr("This is the last step. Press Finish when you are done."));
  }
  ImGui::EndChild();

  // footer: Back / Next
  const char* back = tr("< Back");
  const char* next = tr("Next >");
  const char* finish = tr("Finish");
  float bw = std::max({ImGui::CalcTextSize(back).x, ImGui::CalcTextSize(next).x, ImGui::CalcTextSize(finish).x}) +
             2 * style.FramePadding.x + ctx.ui_scale * 16;
  ImGui::BeginDisabled(k == 0);
  if (ImGui::Button(back, ImVec2(bw, 0))) request(k - 1);
  ImGui::EndDisabled();
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) ImGui::SetTooltip("%s", tr("Previous step (Page Up or Ctrl+,)"));
  ImGui::SameLine(std::max(ImGui::GetContentRegionMax().x - bw, bw + style.ItemSpacing.x * 2));
  if (k + 1 < n) {
    if (ImGui::Button(next, ImVec2(bw, 0))) request(k + 1);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr("Next step (Page Down or Ctrl+.)"));
  } else {
    if (ImGui::Button(finish, ImVec2(bw, 0))) {
      r.next();  // marks the lesson finished
      r.close();
    }
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr("Mark the lesson finished and go back to the list"));
  }
  ImGui::TextDisabled("%s", tr("Keys: PageUp / PageDown or Ctrl+, / Ctrl+."));
}

}  // namespace

// [SECTION] Entry points

void draw_lessons(PanelContext& ctx) {
  LessonsState& st = state();
  if (!ctx.lessons) return;
  LessonRunner& r = *ctx.lessons;
  st.runner = &r;
  if (st.resumed != &r) {
    st.resumed = &r;
    const std::string& current = r.progress().current;
    if (!r.has_lesson() && !current.empty()) {
      std::string file = find_lesson_file(lessons_dir(), current);
      if (!file.empty()) r.open(file);
    }
  }
  double now = ImGui::GetTime();
  if (now - st.reload_time > 0.5) {  // authors: the lesson reloads when its file changes
    st.reload_time = now;
    r.check_reload();
  }
  if (r.has_lesson() && r.lesson().id != st.shown_lesson) st.pending_step = -1;  // another lesson was opened
  if (r.has_lesson()) {
    draw_lesson(ctx, st);
  } else {
    st.pending_step = -1;
    draw_list(ctx, st);
  }
}

GB_PANEL("lessons", draw_lessons);

}  // namespace gb::app
