#!/usr/bin/env python3
"""Rebuilds the lesson gallery: one 1600x900 screenshot per lesson (docs/lessons/NN-topic.png) and
docs/lessons/README.md. Each picture shows the lesson's first predict-first step with the correct
guess committed, so the reveal has run (or its first step when it has no predict block).

usage: xvfb-run -a -s "-screen 0 1920x1080x24" python3 docs/lessons/make_gallery.py build/src/app/glassbox
"""
import json
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "docs", "lessons")


def scan(path):
    """(steps, first predict step (1-based) or None, correct answer (1-based), the step's title)."""
    steps, in_fence, fence = [], False, ""
    predict = None
    block, answers = None, 0
    for line in open(path, encoding="utf-8"):
        s = line.rstrip("\n")
        m = re.match(r"^ {0,3}(`{3,}|~{3,})\s*(\w*)", s)
        if in_fence:
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence) and not m.group(2):
                in_fence, block = False, None
            elif block == "predict" and re.match(r"^\s*[-*+] \[[ xX]\]", s):
                answers += 1
                if predict and predict[1] is None and re.match(r"^\s*[-*+] \[[xX]\]", s):
                    predict[1] = answers
            continue
        if m:
            in_fence, fence, block, answers = True, m.group(1), m.group(2), 0
            if block == "predict" and predict is None and steps:
                predict = [len(steps), None]
            continue
        h = re.match(r"^ {0,3}## +(.*?)\s*#*\s*$", s)
        if h:
            steps.append(h.group(1))
    return steps, predict


def main():
    glassbox = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build", "src", "app", "glassbox")
    listing = json.loads(subprocess.run([glassbox, "lessons", "list", "--json"], check=True, capture_output=True,
                                        text=True).stdout)
    rows = []
    for lesson in listing:
        steps, predict = scan(lesson["file"])
        step, answer = (predict[0], predict[1] or 1) if predict else (1, None)
        png = lesson["id"] + ".png"
        cmd = [glassbox, "screenshot", "--lesson", lesson["id"], "--step", str(step), "--out", os.path.join(OUT, png),
               "--size", "1600x900"]
        if answer:
            cmd += ["--answer", str(answer)]
        subprocess.run(cmd, check=True)
        rows.append((lesson, step, steps[step - 1], answer is not None, png))
    with open(os.path.join(OUT, "README.md"), "w", encoding="utf-8") as f:
        f.write("# Lesson gallery\n\n")
        f.write("One picture per lesson in [`lessons/`](../../lessons/): the lessons panel beside the live workspace, "
                "at the lesson's first *predict first* step after the correct guess (so the model has already run "
                "to reveal the answer). Rebuild with\n`xvfb-run -a -s \"-screen 0 1920x1080x24\" python3 "
                "docs/lessons/make_gallery.py build/src/app/glassbox`; any step can be rendered with "
                "`glassbox screenshot --lesson ID --step K [--answer N] --out FILE.png`.\n\n")
        f.write("| # | lesson | workspace | minutes | steps |\n| --- | --- | --- | --- | --- |\n")
        for lesson, step, title, answered, png in rows:
            f.write(f"| {lesson['id'][:2]} | [{lesson['title']}](#{lesson['id']}) | {lesson['workspace']} | "
                    f"{lesson['minutes']} | {lesson['steps']} |\n")
        for lesson, step, title, answered, png in rows:
            f.write(f"\n<a id=\"{lesson['id']}\"></a>\n## {lesson['id'][:2]}. {lesson['title']}\n\n")
            f.write(f"[`lessons/{lesson['id']}.md`](../../lessons/{lesson['id']}.md) · {lesson['workspace']} · "
                    f"{lesson['minutes']} min · {lesson['steps']} steps. Shown: step {step}, *{title}*"
                    f"{' (guess committed, reveal shown)' if answered else ''}.\n\n")
            f.write(f"![{lesson['title']}, step {step}]({png})\n")
    print(f"wrote {len(rows)} screenshots and {os.path.join(OUT, 'README.md')}")


if __name__ == "__main__":
    main()
