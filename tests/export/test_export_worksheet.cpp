// The worksheet page: base64 and escaping against known values, and a lesson's page holding its title, goals, steps,
// pictures, questions with boxes and the teacher's answers in order.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "lessons/export_worksheet.hpp"
#include "lessons/lesson.hpp"

using namespace gb;

namespace {
size_t count(const std::string& s, const std::string& what) {
  size_t n = 0;
  for (size_t at = s.find(what); at != std::string::npos; at = s.find(what, at + what.size())) ++n;
  return n;
}
}  // namespace

TEST_CASE("worksheet: base64 matches RFC 4648's test vectors") {
  CHECK(base64("") == "");
  CHECK(base64("f") == "Zg==");
  CHECK(base64("fo") == "Zm8=");
  CHECK(base64("foo") == "Zm9v");
  CHECK(base64("foob") == "Zm9vYg==");
  CHECK(base64("fooba") == "Zm9vYmE=");
  CHECK(base64("foobar") == "Zm9vYmFy");
  CHECK(base64(std::string("\x89PNG\xff\x00", 6)) == "iVBOR/8A");  // python3 base64.b64encode
}

TEST_CASE("worksheet: html_escape") {
  CHECK(html_escape("a<b>&\"c'") == "a&lt;b&gt;&amp;&quot;c&#39;");
  CHECK(html_escape("\xe2\x90\xa3x") == "\xe2\x90\xa3x");  // UTF-8 untouched
}

TEST_CASE("worksheet: a lesson's page") {
  const std::string text = R"(---
title: Tokens <and> pieces
workspace: transformer
minutes: 5
goals:
- See **tokens**
- Count them
---

An intro with `code`.

## First step

Some *prose* & more.

```quiz
Which is a token?
- [ ] A letter :: Not always.
- [x] A piece of text :: Yes, a piece.
```

## Second step

```glassbox
open transformer.tokens
```

Text of step two.

```predict
What happens next?
- [x] It splits :: Right.
- [ ] Nothing :: No.
reveal:
transformer step 1
```
)";
  LessonParse p = parse_lesson(text, "05-tokens.md");
  REQUIRE(p.ok());
  const std::string png1 = "\x89PNG one", png2;  // step 2 without a picture
  const std::string h = worksheet_html(p.lesson, {png1, png2}, "de");
  CHECK(h.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(h.find("<html lang=\"de\">") != std::string::npos);
  CHECK(h.find("<h1>Tokens &lt;and&gt; pieces</h1>") != std::string::npos);
  CHECK(h.find("<li>See <strong>tokens</strong></li>") != std::string::npos);
  CHECK(h.find("An intro with <code>code</code>.") != std::string::npos);
  CHECK(h.find("Step 1 of 2: First step") != std::string::npos);
  CHECK(h.find("Step 2 of 2: Second step") != std::string::npos);
  CHECK(h.find("Some <em>prose</em> &amp; more.") != std::string::npos);
  CHECK(count(h, "<section class=\"step\"") == 2);
  CHECK(count(h, "src=\"data:image/png;base64," + base64(png1) + "\"") == 1);
  CHECK(count(h, "<img") == 1);
  CHECK(count(h, "<span class=\"box\"></span>") == 4);  // every answer a box to tick
  CHECK(h.find("open transformer.tokens") == std::string::npos);  // commands are for the app, not the page
  CHECK(h.find("transformer step 1") == std::string::npos);
  CHECK(h.find("break-before: page") != std::string::npos);
  CHECK(h.find("size: A4") != std::string::npos);
  // The teacher page comes last and marks the right answers, in question order, with their explanations.
  const size_t teacher = h.find("<section class=\"teacher\">");
  REQUIRE(teacher != std::string::npos);
  CHECK(h.find("<section class=\"step\"", teacher) == std::string::npos);
  const size_t q1 = h.find("Question 1 (step 1):</strong>", teacher), q2 = h.find("Question 2 (step 2):</strong>", teacher);
  REQUIRE(q1 != std::string::npos);
  REQUIRE(q2 != std::string::npos);
  CHECK(q1 < q2);
  CHECK(h.find("class=\"right\">\xe2\x9c\x93 A piece of text \xe2\x80\x94 <span>Yes, a piece.</span>", q1) < q2);
  CHECK(h.find("class=\"right\">\xe2\x9c\x93 It splits", q2) != std::string::npos);
  // The explanations are not on the students' pages.
  CHECK(h.find("Yes, a piece.") > teacher);
}
