// The worksheet page (see export_worksheet.hpp).
#include "lessons/export_worksheet.hpp"

#include <cstdint>
#include <cstdio>

#include "core/i18n.hpp"

namespace gb {

std::string html_escape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string base64(const std::string& bytes) {
  static const char* k = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const uint32_t v = uint32_t(uint8_t(bytes[i])) << 16 | uint32_t(uint8_t(bytes[i + 1])) << 8 | uint8_t(bytes[i + 2]);
    out += k[v >> 18], out += k[(v >> 12) & 63], out += k[(v >> 6) & 63], out += k[v & 63];
  }
  if (i + 1 == bytes.size()) {
    const uint32_t v = uint32_t(uint8_t(bytes[i])) << 16;
    out += k[v >> 18], out += k[(v >> 12) & 63], out += "==";
  } else if (i + 2 == bytes.size()) {
    const uint32_t v = uint32_t(uint8_t(bytes[i])) << 16 | uint32_t(uint8_t(bytes[i + 1])) << 8;
    out += k[v >> 18], out += k[(v >> 12) & 63], out += k[(v >> 6) & 63], out += '=';
  }
  return out;
}

namespace {

void children_html(const MdNode& n, std::string& out);

void node_html(const MdNode& n, std::string& out) {
  using K = MdNode::Kind;
  auto wrap = [&](const char* tag) {
    out += std::string("<") + tag + ">";
    children_html(n, out);
    out += std::string("</") + tag + ">";
  };
  switch (n.kind) {
    case K::document: children_html(n, out); break;
    case K::paragraph: wrap("p"), out += "\n"; break;
    case K::heading: {
      const int level = n.level < 3 ? 3 : n.level > 6 ? 6 : n.level;  // the page's h1/h2 are the lesson's and steps'
      const char* tags[] = {"h3", "h4", "h5", "h6"};
      wrap(tags[level - 3]);
      out += "\n";
      break;
    }
    case K::bullet_list: wrap("ul"), out += "\n"; break;
    case K::ordered_list:
      out += n.level > 1 ? "<ol start=\"" + std::to_string(n.level) + "\">" : "<ol>";
      children_html(n, out);
      out += "</ol>\n";
      break;
    case K::list_item: wrap("li"); break;
    case K::quote: wrap("blockquote"), out += "\n"; break;
    case K::code_block: out += "<pre>" + html_escape(n.text) + "</pre>\n"; break;
    case K::rule: out += "<hr>\n"; break;
    case K::text: out += html_escape(n.text); break;
    case K::strong: wrap("strong"); break;
    case K::emph: wrap("em"); break;
    case K::code: out += "<code>" + html_escape(n.text) + "</code>"; break;
    case K::link: children_html(n, out); break;
    case K::soft_break: out += " "; break;
    case K::hard_break: out += "<br>"; break;
  }
}

void children_html(const MdNode& n, std::string& out) {
  for (auto& c : n.children) node_html(c, out);
}

// Inline Markdown (a question or an answer) without the paragraph around it.
std::string inline_html(const MdNode& n) {
  if (n.children.size() == 1 && n.children[0].kind == MdNode::Kind::paragraph) {
    std::string out;
    children_html(n.children[0], out);
    return out;
  }
  return markdown_html(n);
}

// printf into a string (the page's words come from tr(), numbers filled in here).
template <class... A>
std::string fmt(const char* format, A... a) {
  char buf[512];
  std::snprintf(buf, sizeof buf, format, a...);
  return buf;
}

const char* kStyle = R"(<style>
  @page { size: A4; margin: 15mm; }
  body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 11pt; line-height: 1.4; color: #111;
         max-width: 180mm; margin: 0 auto; }
  h1 { font-size: 20pt; margin: 0 0 4pt; }
  h2 { font-size: 15pt; margin: 0 0 6pt; border-bottom: 1px solid #999; }
  .meta { color: #555; }
  .name { margin: 10pt 0; }
  .name span { display: inline-block; min-width: 70mm; border-bottom: 1px solid #333; }
  section.step, section.teacher { break-before: page; page-break-before: always; }
  figure { margin: 8pt 0; text-align: center; }
  figure img { max-width: 100%; max-height: 120mm; border: 1px solid #999; }
  figcaption { font-size: 9pt; color: #555; }
  .question { border: 1px solid #999; border-radius: 4pt; padding: 6pt 10pt; margin: 8pt 0;
              break-inside: avoid; page-break-inside: avoid; }
  .question ul { list-style: none; padding-left: 0; }
  .question li { margin: 4pt 0; }
  .box { display: inline-block; width: 10pt; height: 10pt; border: 1.2pt solid #222; margin-right: 6pt;
         vertical-align: -1pt; }
  .why { border: 1px dashed #999; min-height: 14mm; margin-top: 4pt; padding: 2pt 6pt; color: #777; font-size: 9pt; }
  .answer { margin: 6pt 0 10pt; }
  .right { font-weight: bold; }
  code, pre { font-family: "DejaVu Sans Mono", monospace; font-size: 9.5pt; }
  pre { background: #f3f3f3; padding: 4pt; white-space: pre-wrap; }
</style>
)";

}  // namespace

std::string markdown_html(const MdNode& node) {
  std::string out;
  node_html(node, out);
  return out;
}

std::string worksheet_html(const Lesson& lesson, const std::vector<std::string>& step_pngs, const std::string& language) {
  std::string h;
  h += "<!DOCTYPE html>\n<html lang=\"" + html_escape(language) + "\">\n<head>\n<meta charset=\"utf-8\">\n";
  h += "<title>" + html_escape(lesson.title) + " \xe2\x80\x94 " + html_escape(tr("Glassbox worksheet")) + "</title>\n";
  h += kStyle;
  h += "</head>\n<body>\n<header>\n<h1>" + html_escape(lesson.title) + "</h1>\n";
  h += "<p class=\"meta\">" + html_escape(fmt(tr("Glassbox lesson %s"), lesson.id.c_str()));
  if (lesson.minutes > 0) h += " \xc2\xb7 " + html_escape(fmt(tr("about %d minutes"), lesson.minutes));
  if (!lesson.workspace.empty()) h += " \xc2\xb7 " + html_escape(fmt(tr("workspace: %s"), lesson.workspace.c_str()));
  h += "</p>\n<p class=\"name\">" + html_escape(tr("Name:")) + " <span>&nbsp;</span> " + html_escape(tr("Date:")) +
       " <span>&nbsp;</span></p>\n";
  if (!lesson.goals.empty()) {
    h += "<h2>" + html_escape(tr("Goals")) + "</h2>\n<ul class=\"goals\">\n";
    for (auto& g : lesson.goals) h += "<li>" + inline_html(parse_markdown(g)) + "</li>\n";
    h += "</ul>\n";
  }
  h += markdown_html(lesson.intro);
  h += "</header>\n";
  struct Key {
    int step = 0, number = 0;
    const LessonBlock* block = nullptr;
  };
  std::vector<Key> keys;
  int question_number = 0;
  const int steps = int(lesson.steps.size());
  for (int s = 0; s < steps; ++s) {
    const LessonStep& step = lesson.steps[size_t(s)];
    h += "<section class=\"step\" id=\"step-" + std::to_string(s + 1) + "\">\n";
    h += "<h2>" + html_escape(fmt(tr("Step %d of %d: %s"), s + 1, steps, step.title.c_str())) + "</h2>\n";
    if (size_t(s) < step_pngs.size() && !step_pngs[size_t(s)].empty())
      h += "<figure><img alt=\"" + html_escape(fmt(tr("The app at step %d"), s + 1)) + "\" src=\"data:image/png;base64," +
           base64(step_pngs[size_t(s)]) + "\"><figcaption>" + html_escape(tr("The app at this step")) +
           "</figcaption></figure>\n";
    for (auto& b : step.blocks) {
      if (b.kind == LessonBlock::Kind::prose) {
        h += markdown_html(b.prose);
      } else if (b.is_question()) {
        ++question_number;
        keys.push_back({s, question_number, &b});
        const std::string label = b.kind == LessonBlock::Kind::predict ? fmt(tr("Question %d (predict first)."), question_number)
                                                                        : fmt(tr("Question %d."), question_number);
        h += "<div class=\"question\">\n<p><strong>" + html_escape(label) + "</strong> " + inline_html(b.question_md) +
             "</p>\n<ul>\n";
        for (auto& a : b.answers) h += "<li><span class=\"box\"></span>" + inline_html(a.text_md) + "</li>\n";
        h += "</ul>\n<div class=\"why\">" + html_escape(tr("Why?")) + "</div>\n</div>\n";
      }
    }
    h += "</section>\n";
  }
  h += "<section class=\"teacher\">\n<h2>" + html_escape(tr("For the teacher: answers")) + "</h2>\n";
  if (keys.empty()) h += "<p>" + html_escape(tr("This lesson has no questions.")) + "</p>\n";
  for (auto& k : keys) {
    h += "<div class=\"answer\">\n<p><strong>" + html_escape(fmt(tr("Question %d (step %d):"), k.number, k.step + 1)) +
         "</strong> " + inline_html(k.block->question_md) + "</p>\n<ul>\n";
    for (auto& a : k.block->answers) {
      h += std::string("<li") + (a.correct ? " class=\"right\">\xe2\x9c\x93 " : ">\xe2\x9c\x97 ") + inline_html(a.text_md);
      if (!a.explanation.empty()) h += " \xe2\x80\x94 <span>" + inline_html(a.explanation_md) + "</span>";
      h += "</li>\n";
    }
    h += "</ul>\n</div>\n";
  }
  h += "</section>\n</body>\n</html>\n";
  return h;
}

}  // namespace gb
