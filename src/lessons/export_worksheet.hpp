// A lesson as a printable worksheet: one self-contained HTML page (A4 print CSS, a page per step) with the lesson's
// title, goals, each step's text and picture, its questions with empty boxes to tick, and a last "teacher" page with
// the answers and why. Pure text building (no ImGui): `glassbox export worksheet` renders the pictures and passes
// them in as PNG bytes.
#pragma once
#include <string>
#include <vector>

#include "lessons/lesson.hpp"

namespace gb {

// The page. `step_pngs[k]` is step k's picture as PNG bytes (embedded as a data: URI; "" or a missing entry: no
// picture). `language` is the page's lang attribute.
std::string worksheet_html(const Lesson& lesson, const std::vector<std::string>& step_pngs,
                           const std::string& language = "en");

// Markdown tree → HTML (text escaped; links keep their text only, a worksheet is printed).
std::string markdown_html(const MdNode& node);
// "&<>\"'" escaped for HTML text and attributes.
std::string html_escape(const std::string& text);
// RFC 4648 base64 (with padding).
std::string base64(const std::string& bytes);

}  // namespace gb
