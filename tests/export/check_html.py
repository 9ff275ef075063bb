#!/usr/bin/env python3
"""Checks a worksheet page: it parses, every opened tag is closed in order (void elements aside), images are
data: URIs that decode to PNGs, and it has the parts a worksheet needs. usage: check_html.py FILE.html STEPS QUESTIONS"""
import base64
import sys
from html.parser import HTMLParser

VOID = {"meta", "img", "br", "hr", "link", "input"}


class Checker(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.errors, self.images, self.sections, self.boxes = [], [], [], [], 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "img":
            self.images.append(a.get("src", ""))
        if tag == "section":
            self.sections.append(a.get("class", ""))
        if tag == "span" and a.get("class") == "box":
            self.boxes += 1
        if tag not in VOID:
            self.stack.append((tag, self.getpos()))

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1][0] != tag:
            self.errors.append(f"line {self.getpos()[0]}: </{tag}> closes {self.stack[-1] if self.stack else 'nothing'}")
            return
        self.stack.pop()


def main():
    path, steps, questions = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    text = open(path, encoding="utf-8").read()
    c = Checker()
    c.feed(text)
    c.close()
    problems = list(c.errors)
    if c.stack:
        problems.append(f"never closed: {c.stack}")
    if not text.startswith("<!DOCTYPE html>"):
        problems.append("no doctype")
    if c.sections.count("step") != steps:
        problems.append(f"{c.sections.count('step')} step sections, expected {steps}")
    if c.sections[-1:] != ["teacher"]:
        problems.append("the teacher page is not last")
    found = text.count('class="question"')
    if found != questions:
        problems.append(f"{found} questions, expected {questions}")
    for src in c.images:
        prefix = "data:image/png;base64,"
        if not src.startswith(prefix) or not base64.b64decode(src[len(prefix):]).startswith(b"\x89PNG\r\n\x1a\n"):
            problems.append("an image is not an embedded PNG")
    print(f"{path}: {len(c.sections)} sections, {len(c.images)} pictures, {c.boxes} boxes to tick")
    for p in problems:
        print("check_html:", p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
