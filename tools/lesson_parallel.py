#!/usr/bin/env python3
"""Compare translated lessons with their English originals (issue 20 item 4).

A translation lessons/<lang>/NN-topic.md must keep the structure of lessons/NN-topic.md:
- front matter: the same keys in the same order; title and goals translated (same number of goals),
  every other key (workspace, minutes, ...) byte-identical;
- the same number of steps (`## ` headings) in the same order, and an introduction iff the original has one;
- in each step the same sequence of ```glassbox / ```quiz / ```predict blocks;
- ```glassbox blocks byte-identical (the model is English: commands and prompts stay as they are);
- quizzes and predicts: the same number of answers, `[x]` on the same answers, each answer with one
  `answer :: explanation` separator, a question, and a `reveal:` part (the word and the commands after it)
  byte-identical.
Warnings (exit code stays 0): a step title or goal left identical to the English one, and numbers of the
original step that the translation's step does not contain (digits compared without separators, so
12.59 == 12,59 and 1,688 == 1688).

Usage: tools/lesson_parallel.py [--quiet] [FILE ...]
       tools/lesson_parallel.py --selftest   (breaks copies of lessons/06-softmax.md in a temporary folder
                                             and checks that each break is reported)
  Without FILEs every lessons/<lang>/*.md (lang = a folder of two or three lower-case letters) is checked.
  Prints `FILE:LINE: problem` lines; exit code 1 when there is any error, 2 on bad usage.
No dependencies beyond the Python 3 standard library.
"""
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BLOCK_KINDS = ("glassbox", "quiz", "predict")


class Problem:
    def __init__(self, path, line, msg, warning=False):
        self.path, self.line, self.msg, self.warning = path, line, msg, warning

    def __str__(self):
        return "%s:%d: %s%s" % (self.path, self.line, "warning: " if self.warning else "", self.msg)


def strip_bom(text):
    return text[1:] if text.startswith("\ufeff") else text


def fence_open(line):
    """Returns (char, length, info) for an opening fence line (as the C++ parser reads it), else None."""
    m = re.match(r"^( {0,3})(`{3,}|~{3,})(.*)$", line)
    if not m:
        return None
    fence, info = m.group(2), m.group(3).strip()
    if fence[0] == "`" and "`" in info:
        return None
    info = re.split(r"[ \t{]", info, maxsplit=1)[0] if info else ""
    return fence[0], len(fence), info


def fence_close(line, ch, length):
    m = re.match(r"^( {0,3})(" + re.escape(ch) + r"+)\s*$", line)
    return bool(m) and len(m.group(2)) >= length


def step_heading(line):
    m = re.match(r"^ {0,3}##(?:[ \t]+(.*))?$", line)
    if not m:
        return None
    t = (m.group(1) or "").strip()
    t = re.sub(r"(^|[ \t])#+$", "", t).strip()
    return t


def parse(path):
    """A lesson as: front matter [(key, value, line)], goals [(text, line)], intro flag, steps."""
    with open(path, encoding="utf-8") as f:
        text = strip_bom(f.read())
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    lines = [l[:-1] if l.endswith("\r") else l for l in lines]
    lesson = {"path": path, "front": [], "goals": [], "intro": False, "steps": [], "errors": []}
    i = 0
    if not lines or lines[0].strip() != "---":
        lesson["errors"].append(Problem(path, 1, "no front matter (`---` on the first line)"))
    else:
        i = 1
        in_goals = False
        while i < len(lines):
            t = lines[i].strip()
            if t == "---":
                i += 1
                break
            if t and not t.startswith("#"):
                if t.startswith("-"):
                    if in_goals:
                        lesson["goals"].append((t[1:].strip(), i + 1))
                else:
                    in_goals = False
                    key, _, value = t.partition(":")
                    key = key.strip().lower()
                    lesson["front"].append((key, value.strip(), i + 1))
                    if key == "goals" and not value.strip():
                        in_goals = True
            i += 1
    step = None
    while i < len(lines):
        line = lines[i]
        title = step_heading(line)
        if title is not None:
            step = {"title": title, "line": i + 1, "blocks": [], "prose": []}
            lesson["steps"].append(step)
            i += 1
            continue
        fo = fence_open(line)
        if fo:
            ch, length, info = fo
            j = i + 1
            while j < len(lines) and not fence_close(lines[j], ch, length):
                j += 1
            content = lines[i + 1:j]
            kind = info.lower()
            if kind in BLOCK_KINDS and step is not None:
                step["blocks"].append({"kind": kind, "line": i + 1, "content": content})
            elif step is None:
                lesson["intro"] = lesson["intro"] or any(l.strip() for l in lines[i:j + 1])
            else:
                step["prose"].extend((k + 1, l) for k, l in enumerate(lines[i:j + 1], start=i))
            i = j + 1
            continue
        if step is None:
            if line.strip():
                lesson["intro"] = True
        else:
            step["prose"].append((i + 1, line))
        i += 1
    return lesson


ANSWER = re.compile(r"^[-*+] \[( |x|X)\](.*)$")


def question_parts(block):
    """question lines, answers [(correct, text, explanation, line, separators)], reveal lines or None."""
    question, answers, reveal = [], [], None
    for k, raw in enumerate(block["content"]):
        line_no = block["line"] + 1 + k
        t = raw.strip()
        if reveal is not None:
            reveal.append(raw)
            continue
        if t.lower() == "reveal:":
            reveal = [raw]
            continue
        if not t:
            continue
        m = ANSWER.match(t)
        if m:
            body = m.group(2).strip()
            text, sep, expl = body.partition("::")
            answers.append({"correct": m.group(1) != " ", "text": text.strip(), "expl": expl.strip(),
                            "line": line_no, "seps": body.count("::"), "has_sep": bool(sep)})
            continue
        if answers:
            answers[-1]["expl"] += " " + t
            continue
        question.append(t)
    return question, answers, reveal


NUMBER = re.compile(r"\d+(?:[.,\u00a0\u202f ]\d+)*")


def numbers(text):
    """Digit strings of the numbers in `text`, separators removed (12.59 -> 1259, 1,688 -> 1688)."""
    out = set()
    for m in NUMBER.finditer(text):
        out.add(re.sub(r"\D", "", m.group(0)))
    return out


def step_text(step):
    parts = [l for _, l in step["prose"]]
    for b in step["blocks"]:
        if b["kind"] != "glassbox":
            q, answers, _ = question_parts(b)
            parts += q + [a["text"] + " " + a["expl"] for a in answers]
    return "\n".join(parts)


def compare(orig, tran):
    P = []
    tp = tran["path"]

    def err(line, msg):
        P.append(Problem(tp, line, msg))

    def warn(line, msg):
        P.append(Problem(tp, line, msg, warning=True))

    P.extend(tran["errors"])
    # front matter
    okeys = [k for k, _, _ in orig["front"]]
    tkeys = [k for k, _, _ in tran["front"]]
    if okeys != tkeys:
        err(1, "front matter keys %s differ from the original's %s" % (tkeys, okeys))
    tfront = {k: (v, ln) for k, v, ln in tran["front"]}
    for k, v, _ in orig["front"]:
        if k in ("title", "goals") or k not in tfront:
            continue
        if tfront[k][0] != v:
            err(tfront[k][1], "front matter `%s: %s` must stay as in the original (`%s: %s`)" % (k, tfront[k][0], k, v))
    if "title" in tfront:
        ot = dict((k, v) for k, v, _ in orig["front"]).get("title")
        if not tfront["title"][0]:
            err(tfront["title"][1], "the title is empty")
        elif tfront["title"][0] == ot:
            warn(tfront["title"][1], "the title is the English one: not translated?")
    if len(orig["goals"]) != len(tran["goals"]):
        err(1, "%d goals, the original has %d" % (len(tran["goals"]), len(orig["goals"])))
    for (og, _), (tg, ln) in zip(orig["goals"], tran["goals"]):
        if og == tg:
            warn(ln, "this goal is the English one: not translated?")
    if orig["intro"] != tran["intro"]:
        err(1, "the original %s an introduction before the first step; the translation %s" %
            ("has" if orig["intro"] else "has no", "has none" if orig["intro"] else "has one"))
    # steps
    os_, ts = orig["steps"], tran["steps"]
    if len(os_) != len(ts):
        err(ts[-1]["line"] if ts else 1, "%d steps (`## ` headings), the original has %d" % (len(ts), len(os_)))
    for n, (o, t) in enumerate(zip(os_, ts), start=1):
        if o["title"] == t["title"]:
            warn(t["line"], "step %d's title is the English one (`%s`): not translated?" % (n, t["title"]))
        okinds = [b["kind"] for b in o["blocks"]]
        tkinds = [b["kind"] for b in t["blocks"]]
        if okinds != tkinds:
            err(t["line"], "step %d has the blocks %s, the original (line %d) has %s" % (n, tkinds, o["line"], okinds))
            continue
        for ob, tb in zip(o["blocks"], t["blocks"]):
            if ob["kind"] == "glassbox":
                if ob["content"] != tb["content"]:
                    k = next((k for k, (a, b) in enumerate(zip(ob["content"], tb["content"])) if a != b),
                             min(len(ob["content"]), len(tb["content"])))
                    err(tb["line"] + 1 + k, "this ```glassbox block must be byte-identical to the original's at line %d "
                        "(first difference in its line %d)" % (ob["line"], k + 1))
                continue
            oq, oa, orv = question_parts(ob)
            tq, ta, trv = question_parts(tb)
            if not tq:
                err(tb["line"], "the ```%s block has no question" % tb["kind"])
            if len(oa) != len(ta):
                err(tb["line"], "the ```%s block has %d answers, the original's at line %d has %d" %
                    (tb["kind"], len(ta), ob["line"], len(oa)))
            for a_n, (a, b) in enumerate(zip(oa, ta), start=1):
                if a["correct"] != b["correct"]:
                    err(b["line"], "answer %d is marked %s; in the original it is %s" %
                        (a_n, "[x]" if b["correct"] else "[ ]", "[x]" if a["correct"] else "[ ]"))
                if not b["has_sep"] or not b["text"] or not b["expl"]:
                    err(b["line"], "answer %d needs `answer :: explanation` (text and explanation both non-empty)" % a_n)
                elif b["seps"] != a["seps"]:
                    err(b["line"], "answer %d has %d `::`, the original has %d (the first `::` splits answer and explanation)" %
                        (a_n, b["seps"], a["seps"]))
            if orv != trv:
                err(tb["line"], "the `reveal:` part must be byte-identical to the original's (line %d)" % ob["line"])
        missing = sorted(numbers(step_text(o)) - numbers(step_text(t)), key=lambda s: (len(s), s))
        if missing:
            warn(t["line"], "step %d: numbers of the original not found in the translation: %s" % (n, ", ".join(missing)))
    return P


def translations():
    base = os.path.join(ROOT, "lessons")
    out = []
    for d in sorted(os.listdir(base)):
        full = os.path.join(base, d)
        if os.path.isdir(full) and re.fullmatch(r"[a-z]{2,3}", d):
            out += [os.path.join(full, f) for f in sorted(os.listdir(full))
                    if f.endswith(".md") and f.lower() != "readme.md"]
    return out


def selftest():
    """Each mutation of an English lesson, posing as its own translation, must give an error; the copy none."""
    import shutil
    import tempfile
    src = os.path.join(ROOT, "lessons", "06-softmax.md")
    with open(src, encoding="utf-8") as f:
        text = f.read()
    cases = [
        ("unchanged copy", lambda t: t, 0),
        ("minutes changed", lambda t: t.replace("minutes: 10", "minutes: 11", 1), 1),
        ("a goal dropped", lambda t: t.replace("- Know what a logit is: the model's raw score for one token\n", "", 1), 1),
        ("[x] moved", lambda t: t.replace("- [x] It gets taller", "- [ ] It gets taller", 1).replace(
            "- [ ] It gets shorter", "- [x] It gets shorter", 1), 2),
        ("an answer dropped", lambda t: t.replace("- [ ] It stays the same ::", "It stays the same ::", 1), 1),
        ("an action changed", lambda t: t.replace("transformer set temperature 2", "transformer set temperature 3", 1), 1),
        ("a reveal changed", lambda t: t.replace("transformer set temperature 0.5", "transformer set temperature 0,5", 1), 1),
        ("a step merged", lambda t: t.replace("## Hot\n", "Hot\n", 1), 3),  # then steps 4 and 5 differ too
        ("a quiz turned into prose", lambda t: t.replace("```quiz\nIf we added", "```\nIf we added", 1), 1),
        ("a second :: in an answer", lambda t: t.replace("- [x] Nothing ::", "- [x] Nothing :: yes ::", 1), 1),
        ("a ```glassbox block's line translated", lambda t: t.replace("highlight transformer.probabilities\n```\n\n## Softmax",
                                                                   "highlight transformer.probabilités\n```\n\n## Softmax", 1), 1),
    ]
    tmp = tempfile.mkdtemp(prefix="lesson_parallel_")
    failed = 0
    try:
        os.makedirs(os.path.join(tmp, "xx"))
        shutil.copy(src, os.path.join(tmp, "06-softmax.md"))
        for name, mutate, want in cases:
            changed = mutate(text)
            if want and changed == text:
                print("selftest: the mutation `%s` did not apply" % name)
                failed += 1
                continue
            path = os.path.join(tmp, "xx", "06-softmax.md")
            with open(path, "w", encoding="utf-8") as f:
                f.write(changed)
            got = [p for p in compare(parse(os.path.join(tmp, "06-softmax.md")), parse(path)) if not p.warning]
            ok = len(got) == want
            failed += not ok
            print("selftest: %-40s %d error(s), expected %d%s" % (name, len(got), want, "" if ok else "  FAILED"))
            for p in got if not ok else []:
                print("    " + str(p))
    finally:
        shutil.rmtree(tmp)
    print("selftest: %s" % ("FAILED" if failed else "passed"))
    return 1 if failed else 0


def main(argv):
    if argv == ["--selftest"]:
        return selftest()
    quiet = "--quiet" in argv
    files = [a for a in argv if a != "--quiet"]
    if any(a.startswith("-") for a in files):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    if not files:
        files = translations()
    errors = warnings = 0
    for path in files:
        orig_path = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(path))), os.path.basename(path))
        if not os.path.isfile(orig_path):
            print("%s:1: no English original %s" % (path, orig_path))
            errors += 1
            continue
        try:
            problems = compare(parse(orig_path), parse(path))
        except (OSError, UnicodeDecodeError) as e:
            print("%s:1: cannot read: %s" % (path, e))
            errors += 1
            continue
        for p in problems:
            if p.warning:
                warnings += 1
                if quiet:
                    continue
            else:
                errors += 1
            print(p)
    print("%d file(s), %d error(s), %d warning(s)" % (len(files), errors, warnings))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
