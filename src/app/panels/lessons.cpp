// The lessons panel: the list of lessons with each one's progress, and the current lesson's step
// drawn from its Markdown tree (wrapped text, bold, italic, code, lists, quotes) beside the live
// workspace, with Back/Next (buttons, ←/→, PageUp/PageDown for presenter remotes), quizzes that show
// the explanation of the chosen answer, predict-first questions whose outcome stays hidden until a
// guess is committed, and every command failure shown with file:line. The runner (src/lessons/)
// resets the session and replays the steps; this file only draws and calls it.
#include "app/panels/lessons.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <imgui.h>

#include "app/panels/registry.hpp"
#include "app/widgets/draw_util.hpp"
#include "core/files.hpp"
#include "core/utf8.hpp"
#include "lessons/lesson.hpp"

namespace gb::app {

// [SECTION] State: one runner per session, a cached list of the lessons folder

namespace {

struct ListEntry {
  std::string file, id, title, workspace;
  int minutes = 0, steps = 0;
  std::vector<std::string> goals;
  std::vector<std::string> errors;  // file:line messages when the lesson does not parse
};

struct LessonsState {
  Session* session = nullptr;
  std::unique_ptr<LessonRunner> runner;
  std::vector<ListEntry> list;
  double list_time = -1e9;      // when the list was read (it is re-read every few seconds)
  double reload_time = 0;       // last hot-reload check
  int shown_step = -1;          // step drawn last frame (scroll to the top when it changes)
  std::string shown_lesson;
  bool resume_tried = false;    // the lesson open when the app last closed is resumed once
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
  if (now - st.list_time < 3.0) return;
  st.list_time = now;
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
    for (auto& err : p.errors) e.errors.push_back(err.str());
    st.list.push_back(std::move(e));
  }
}

// [SECTION] Markdown drawing: runs of styled words laid out by hand (ImGui 1.86 has no rich text)

enum Style : int { kBold = 1, kItalic = 2, kCode = 4, kLink = 8 };

struct Run {
  std::string text;  // "\n" = line break
  int style = 0;
};

void flatten(const MdNode& n, int style, std::vector<Run>& out) {
  using K = MdNode::Kind;
  switch (n.kind) {
    case K::text: out.push_back({n.text, style}); return;
    case K::code: out.push_back({n.text, style | kCode}); return;
    case K::soft_break: out.push_back({" ", style}); return;
    case K::hard_break: out.push_back({"\n", style}); return;
    case K::strong: style |= kBold; break;
    case K::emph: style |= kItalic; break;
    case K::link: style |= kLink; break;
    default: break;
  }
  for (auto& c : n.children) flatten(c, style, out);
}

struct Painter {
  ImDrawList* dl = nullptr;
  ImFont* font = nullptr;
  ImFont* mono = nullptr;
  float size = 13;          // font size in pixels
  float scale = 1;          // ui scale
  float line_h = 16;
  ImU32 text_col = 0, dim_col = 0, accent_col = 0, code_bg = 0, quote_bar = 0;
  bool draw = true;         // false: measure only

  ImFont* font_for(int style) const { return (style & kCode) && mono ? mono : font; }
  float width_of(const std::string& s, int style) const {
    ImFont* f = font_for(style);
    return f->CalcTextSizeA(size, 1e9f, 0, s.data(), s.data() + s.size()).x;
  }
  ImU32 colour_for(int style, ImU32 base) const { return (style & (kItalic | kLink)) ? accent_col : base; }

  void word(ImVec2 p, const std::string& s, int style, ImU32 base) const {  // one word, styled
    if (!draw || s.empty()) return;
    p = ImVec2(std::floor(p.x + 0.5f), std::floor(p.y + 0.5f));  // whole pixels: even glyphs, even faux bold
    ImFont* f = font_for(style);
    ImU32 col = colour_for(style, base);
    if (style & kCode) {
      float w = width_of(s, style);
      float pad = 2.0f * scale;
      dl->AddRectFilled(ImVec2(p.x - pad * 0.5f, p.y), ImVec2(p.x + w + pad * 0.5f, p.y + size + pad * 0.5f), code_bg,
                        2.0f * scale);
    }
    dl->AddText(f, size, p, col, s.data(), s.data() + s.size());
    if (style & kBold) dl->AddText(f, size, ImVec2(p.x + std::max(1.0f, std::round(0.6f * scale)), p.y), col, s.data(), s.data() + s.size());
    if (style & kLink) {
      float w = width_of(s, style);
      dl->AddLine(ImVec2(p.x, p.y + size), ImVec2(p.x + w, p.y + size), col, std::max(1.0f, scale));
    }
  }

  // Lays out runs in [x, x + width) from y; returns the height used.
  float runs(const std::vector<Run>& rs, ImVec2 origin, float width, ImU32 base) const {
    float x = 0, y = 0;
    bool line_empty = true;
    auto newline = [&] {
      x = 0;
      y += line_h;
      line_empty = true;
    };
    for (auto& r : rs) {
      if (r.text == "\n") {
        newline();
        continue;
      }
      size_t i = 0;
      const std::string& t = r.text;
      while (i < t.size()) {
        // one token: a word and the spaces after it
        size_t j = i;
        while (j < t.size() && t[j] != ' ') ++j;
        size_t k = j;
        while (k < t.size() && t[k] == ' ') ++k;
        std::string w = t.substr(i, j - i), sp = t.substr(j, k - j);
        i = k;
        if (line_empty && w.empty()) continue;  // no leading spaces on a line
        float ww = width_of(w, r.style);
        if (!line_empty && x + ww > width) newline();
        if (ww > width) {  // a word longer than the line: cut it by characters
          size_t a = 0;
          while (a < w.size()) {
            size_t b = a;
            float cw = 0;
            while (b < w.size()) {
              char32_t cp;
              size_t n = utf8_decode(w, b, cp);
              if (n == 0) n = 1;
              float add = width_of(w.substr(b, n), r.style);
              if (cw + add > width - x && b > a) break;
              cw += add;
              b += n;
            }
            word(ImVec2(origin.x + x, origin.y + y), w.substr(a, b - a), r.style, base);
            x += cw;
            line_empty = false;
            a = b;
            if (a < w.size()) newline();
          }
        } else {
          word(ImVec2(origin.x + x, origin.y + y), w, r.style, base);
          x += ww;
          line_empty = false;
        }
        if (!sp.empty() && !line_empty) x += width_of(sp, r.style & ~kCode);
      }
    }
    return line_empty && x == 0 ? y : y + line_h;
  }

  float spans(const MdNode& n, ImVec2 origin, float width, ImU32 base, int style = 0) const {
    std::vector<Run> rs;
    for (auto& c : n.children) flatten(c, style, rs);
    return runs(rs, origin, width, base);
  }

  // Draws the blocks of `n` (document, list item, quote); returns the height used.
  float blocks(const MdNode& n, ImVec2 o, float width, ImU32 base, bool tight = false) const {
    float y = 0;
    const float gap = tight ? 0.15f * size : 0.55f * size;
    for (size_t i = 0; i < n.children.size(); ++i) {
      if (i > 0) y += gap;
      y += block(n.children[i], ImVec2(o.x, o.y + y), width, base);
    }
    return y;
  }

  float block(const MdNode& b, ImVec2 o, float width, ImU32 base) const {
    using K = MdNode::Kind;
    switch (b.kind) {
      case K::paragraph: return spans(b, o, width, base);
      case K::heading: return spans(b, ImVec2(o.x, o.y + 0.2f * size), width, accent_col, kBold) + 0.2f * size;
      case K::bullet_list:
      case K::ordered_list: {
        float y = 0, indent = 1.3f * size;
        int number = b.kind == K::ordered_list ? std::max(0, b.level) : 0;
        for (size_t i = 0; i < b.children.size(); ++i) {
          if (i > 0) y += 0.2f * size;
          std::string marker = b.kind == K::ordered_list ? std::to_string(number + int(i)) + "." : "\xE2\x80\xA2";
          float mw = width_of(marker, 0);
          if (b.kind == K::ordered_list) indent = std::max(indent, mw + 0.5f * size);
          word(ImVec2(o.x + indent - mw - 0.35f * size, o.y + y), marker, 0, dim_col);
          y += blocks(b.children[i], ImVec2(o.x + indent, o.y + y), width - indent, base, true);
        }
        return y;
      }
      case K::list_item: return blocks(b, o, width, base, true);
      case K::quote: {
        float pad = 0.8f * size;
        float h = blocks(b, ImVec2(o.x + pad, o.y), width - pad, dim_col);
        if (draw) dl->AddRectFilled(o, ImVec2(o.x + 0.25f * size, o.y + h), quote_bar, 0);
        return h;
      }
      case K::code_block: {
        std::vector<std::string> lines;
        size_t p = 0;
        while (p < b.text.size()) {
          size_t e = b.text.find('\n', p);
          if (e == std::string::npos) e = b.text.size();
          lines.push_back(b.text.substr(p, e - p));
          p = e + 1;
        }
        float pad = 0.4f * size;
        float h = float(lines.size()) * line_h + 2 * pad;
        if (draw) {
          dl->AddRectFilled(o, ImVec2(o.x + width, o.y + h), code_bg, 3.0f * scale);
          dl->PushClipRect(o, ImVec2(o.x + width, o.y + h), true);
          for (size_t i = 0; i < lines.size(); ++i)
            dl->AddText(font_for(kCode), size, ImVec2(o.x + pad, o.y + pad + float(i) * line_h), base, lines[i].c_str());
          dl->PopClipRect();
        }
        return h;
      }
      case K::rule:
        if (draw) dl->AddLine(ImVec2(o.x, o.y + 0.5f * size), ImVec2(o.x + width, o.y + 0.5f * size), dim_col, scale);
        return size;
      default: return spans(b, o, width, base);
    }
  }
};

Painter make_painter(PanelContext& ctx) {
  Painter p;
  p.dl = ImGui::GetWindowDrawList();
  p.font = ImGui::GetFont();
  p.mono = ctx.mono_font;
  p.size = ImGui::GetFontSize();
  p.scale = ctx.ui_scale;
  p.line_h = std::round(p.size * 1.3f);
  p.text_col = ImGui::GetColorU32(ImGuiCol_Text);
  p.dim_col = ImGui::GetColorU32(ImGuiCol_TextDisabled);
  p.accent_col = ImGui::GetColorU32(ImGuiCol_PlotLinesHovered);
  p.code_bg = ImGui::GetColorU32(ImGuiCol_FrameBg);
  p.quote_bar = ImGui::GetColorU32(ImGuiCol_Separator);
  return p;
}

// Draws a Markdown tree at the cursor, wrapped to the available width, and moves the cursor below it.
void markdown(Painter& p, const MdNode& doc, ImU32 col = 0) {
  ImVec2 o = ImGui::GetCursorScreenPos();
  float w = std::max(4.0f * p.size, ImGui::GetContentRegionAvail().x - 0.3f * p.size);
  float h = p.blocks(doc, o, w, col ? col : p.text_col);
  ImGui::Dummy(ImVec2(w, std::max(h, 1.0f)));
}

// Plain wrapped text in a colour (errors, notes).
void wrapped(ImU32 col, const std::string& text) {
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(col));
  ImGui::TextWrapped("%s", text.c_str());
  ImGui::PopStyleColor();
}

ImU32 error_colour() {
  ImVec4 bg = ImGui::GetStyleColorVec4(ImGuiCol_WindowBg);
  bool light = bg.x + bg.y + bg.z > 1.5f;
  return light ? IM_COL32(175, 0, 0, 255) : IM_COL32(255, 110, 100, 255);
}
ImU32 good_colour() {
  ImVec4 bg = ImGui::GetStyleColorVec4(ImGuiCol_WindowBg);
  bool light = bg.x + bg.y + bg.z > 1.5f;
  return light ? IM_COL32(0, 110, 40, 255) : IM_COL32(110, 220, 130, 255);
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
bool answer_box(Painter& p, const LessonAnswer& a, int index, bool chosen, bool show_result, ImU32 frame) {
  const float pad = 0.45f * p.size;
  ImVec2 o = ImGui::GetCursorScreenPos();
  float w = std::max(4.0f * p.size, ImGui::GetContentRegionAvail().x - 0.3f * p.size);
  std::string letter = std::string(1, char('A' + index % 26)) + ".";
  float lw = p.width_of("M.", 0) + 0.5f * p.size;
  Painter measure = p;
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
    ImGui::TextUnformatted(show_result ? "Your choice is recorded; click another answer to read its explanation."
                                       : "Click to choose this answer.");
    ImGui::EndTooltip();
  }
  return clicked;
}

void question(Painter& p, const Session& session, LessonRunner& r, int block_index, const LessonBlock& b) {
  const bool predict = b.kind == LessonBlock::Kind::predict;
  const int chosen = r.chosen(r.step(), block_index);
  ImGui::PushID(block_index);
  ImGui::Spacing();
  ImVec2 top = ImGui::GetCursorScreenPos();
  p.dl->AddText(p.font, p.size, top, p.accent_col, predict ? "PREDICT FIRST" : "QUIZ");
  p.dl->AddText(p.font, p.size, ImVec2(top.x + std::max(1.0f, 0.6f * p.scale), top.y), p.accent_col,
                predict ? "PREDICT FIRST" : "QUIZ");
  ImGui::Dummy(ImVec2(1, p.line_h));
  markdown(p, b.question_md);
  if (predict && chosen < 0)
    wrapped(p.dim_col, "Make your guess first: choose an answer. Then the app shows what really happens.");
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
    std::string verdict = a.correct ? "Right." : "Not quite.";
    if (predict) verdict = a.correct ? "Your prediction was right." : "Your prediction was not what happened.";
    wrapped(a.correct ? good_colour() : error_colour(), verdict);
    markdown(p, a.explanation_md);
    if (predict)
      wrapped(p.dim_col, session.view.highlight.empty() ? "The app now shows what really happens."
                                                        : "The app now shows what really happens: look at the highlighted panel.");
    if (!a.correct) {
      for (auto& other : b.answers)
        if (other.correct) {
          std::vector<Run> rs = {{"The right answer: ", kBold}};
          for (auto& c : other.text_md.children)
            for (auto& cc : c.children) flatten(cc, 0, rs);
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
void actions_note(Painter& p, const Lesson& L, const LessonBlock& b) {
  if (b.actions.empty()) return;
  char buf[96];
  std::snprintf(buf, sizeof buf, "\xE2\x96\xB8 %d command%s set up the app for this step (hover to see them)", int(b.actions.size()),
                b.actions.size() == 1 ? "" : "s");
  wrapped(p.dim_col, buf);
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
  Painter p = make_painter(ctx);
  LessonRunner& r = *st.runner;
  refresh_list(st, ImGui::GetTime());
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_PlotLinesHovered));
  ImGui::TextWrapped("Guided lessons");
  ImGui::PopStyleColor();
  wrapped(p.dim_col, "Each lesson is a few short steps. It drives the live app beside it: it opens panels, sets values "
                     "and points at what to look at. Click a lesson to start or carry on.");
  ImGui::Spacing();
  error_list("That lesson could not be opened:", [&] {
    std::vector<std::string> v;
    for (auto& e : r.load_errors()) v.push_back(e.str());
    return v;
  }());
  if (!r.progress_problem().empty()) error_list("Your saved lesson progress had a problem:", {r.progress_problem()});
  if (st.list.empty()) {
    wrapped(p.dim_col, "No lessons found in " + lessons_dir() + " (lessons are Markdown files named NN-topic.md).");
    return;
  }
  ImGui::BeginChild("lesson_list", ImVec2(0, 0), false);
  const float pad = 0.4f * p.size;
  for (size_t i = 0; i < st.list.size(); ++i) {
    const ListEntry& e = st.list[i];
    const LessonProgress* lp = r.progress_of(e.id);
    std::string status;
    if (!e.errors.empty()) status = "has errors (hover)";
    else if (lp && lp->finished) status = "finished \xE2\x9C\x93";
    else if (lp) status = "step " + std::to_string(std::min(lp->step + 1, std::max(1, e.steps))) + " of " + std::to_string(e.steps);
    else status = "not started";
    std::string sub = e.workspace + " \xC2\xB7 " + std::to_string(e.minutes) + " min \xC2\xB7 " + std::to_string(e.steps) +
                      " steps \xC2\xB7 " + status;
    ImVec2 o = ImGui::GetCursorScreenPos();
    float w = std::max(4.0f * p.size, ImGui::GetContentRegionAvail().x - 0.3f * p.size);
    float number_w = p.width_of("00 ", kBold) + 0.3f * p.size;
    std::vector<Run> title = {{e.title, kBold}};
    Painter m = p;
    m.draw = false;
    float th = m.runs(title, ImVec2(0, 0), w - number_w - 2 * pad, p.text_col);
    float h = th + p.line_h + 2 * pad;
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
    std::vector<Run> subr = {{sub, 0}};
    p.runs(subr, ImVec2(o.x + pad + number_w, o.y + pad + th), w - number_w - 2 * pad,
           e.errors.empty() ? p.dim_col : error_colour());
    if (hovered) {
      ImGui::BeginTooltip();
      ImGui::PushTextWrapPos(ImGui::GetFontSize() * 30);
      if (!e.errors.empty()) {
        for (auto& err : e.errors) wrapped(error_colour(), err);
      } else {
        ImGui::TextUnformatted("In this lesson you will:");
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
  Painter p = make_painter(ctx);
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

  // keys: presenter remotes send PageUp/PageDown; arrows when nothing is being typed
  ImGuiIO& io = ImGui::GetIO();
  if (!io.WantTextInput && !io.KeyCtrl && !io.KeyAlt && !ImGui::IsAnyItemActive()) {
    auto pressed = [](ImGuiKey key) { return ImGui::IsKeyPressed(ImGui::GetKeyIndex(key), false); };
    if (pressed(ImGuiKey_RightArrow) || pressed(ImGuiKey_PageDown)) request(k + 1);
    else if (pressed(ImGuiKey_LeftArrow) || pressed(ImGuiKey_PageUp)) request(k - 1);
  }

  if (ImGui::SmallButton("< All lessons")) {
    r.close();
    return;
  }
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Back to the list (your place in this lesson is kept)");
  ImGui::SameLine();
  ImGui::TextDisabled("%s \xC2\xB7 %d min", L.workspace.c_str(), L.minutes);
  {
    const char* restart = "Restart step";
    ui::same_line_if_fits(ImGui::CalcTextSize(restart).x + 2 * ImGui::GetStyle().FramePadding.x);
    if (ImGui::SmallButton(restart) && st.pending_step < 0) {
      st.pending_step = k;  // goto_step(k) of the current step replays it from the lesson's beginning
      st.pending_frames = 0;
    }
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip("Put this step back as the lesson set it up (undoes what you changed since)");
  }
  {
    std::vector<Run> title = {{L.title, kBold}};
    ImVec2 o = ImGui::GetCursorScreenPos();
    float w = ImGui::GetContentRegionAvail().x;
    float h = p.runs(title, o, w, p.accent_col);
    ImGui::Dummy(ImVec2(w, h));
  }
  char overlay[64];
  std::snprintf(overlay, sizeof overlay, "step %d of %d", k + 1, n);
  ImGui::ProgressBar(n > 0 ? float(k + 1) / float(n) : 0.0f, ImVec2(-1, 0), overlay);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Step %d of %d: %s", k + 1, n, L.steps[size_t(k)].title.c_str());
  if (st.pending_step == k + 1)  // Next runs only the new step's commands
    wrapped(p.accent_col, "Setting up step " + std::to_string(st.pending_step + 1) + "\xE2\x80\xA6");
  else if (st.pending_step >= 0)
    wrapped(p.accent_col, "Setting up step " + std::to_string(st.pending_step + 1) +
                              ": the app starts from the lesson's beginning and replays its commands\xE2\x80\xA6");

  std::vector<std::string> load;
  for (auto& e : r.load_errors()) load.push_back(e.str());
  error_list("A lesson file has errors (a lesson that changed on disk stays at its last good version):", load);
  error_list("Some of this lesson's commands failed:", r.action_errors());

  // footer height: one row of buttons and a hint line
  const ImGuiStyle& style = ImGui::GetStyle();
  float footer = ImGui::GetFrameHeightWithSpacing() + ImGui::GetTextLineHeightWithSpacing() + style.ItemSpacing.y;
  ImGui::BeginChild("lesson_step", ImVec2(0, -footer), false);
  if (st.shown_step != k || st.shown_lesson != L.id) {
    ImGui::SetScrollY(0);
    st.shown_step = k;
    st.shown_lesson = L.id;
  }
  Painter q = make_painter(ctx);  // the child window's draw list
  if (k == 0) {
    if (!L.intro.children.empty()) {
      markdown(q, L.intro);
      ImGui::Spacing();
    }
    wrapped(q.dim_col, "In this lesson you will:");
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
    std::vector<Run> title = {{std::to_string(k + 1) + ". " + s.title, kBold}};
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
    wrapped(q.dim_col, lp && lp->finished ? "You have finished this lesson. Well done!"
                                          : "This is the last step. Press Finish when you are done.");
  }
  ImGui::EndChild();

  // footer: Back / Next
  float bw = std::max(ImGui::CalcTextSize("< Back").x, ImGui::CalcTextSize("Finish").x) + 2 * style.FramePadding.x + ctx.ui_scale * 16;
  ImGui::BeginDisabled(k == 0);
  if (ImGui::Button("< Back", ImVec2(bw, 0))) request(k - 1);
  ImGui::EndDisabled();
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) ImGui::SetTooltip("Previous step (Left arrow or PageUp)");
  ImGui::SameLine(std::max(ImGui::GetContentRegionMax().x - bw, bw + style.ItemSpacing.x * 2));
  if (k + 1 < n) {
    if (ImGui::Button("Next >", ImVec2(bw, 0))) request(k + 1);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Next step (Right arrow or PageDown)");
  } else {
    if (ImGui::Button("Finish", ImVec2(bw, 0))) {
      r.next();  // marks the lesson finished
      r.close();
    }
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Mark the lesson finished and go back to the list");
  }
  ImGui::TextDisabled("Keys: \xE2\x86\x90 / \xE2\x86\x92 or PageUp / PageDown");
}

}  // namespace

// [SECTION] Entry points

LessonRunner& lesson_runner(Session& session, bool persist) {
  LessonsState& st = state();
  if (!st.runner || st.session != &session) {
    st.session = &session;
    st.resume_tried = false;
    st.runner = std::make_unique<LessonRunner>(session, persist ? progress_path() : std::string());
  }
  return *st.runner;
}

void draw_lessons(PanelContext& ctx) {
  LessonsState& st = state();
  LessonRunner& r = lesson_runner(ctx.session);
  if (!st.resume_tried) {
    st.resume_tried = true;
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

}  // namespace gb::app
