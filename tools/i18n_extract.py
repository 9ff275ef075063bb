#!/usr/bin/env python3
"""Keep a translation catalogue (assets/i18n/<lang>/<area>.po) in step with the tr("...") texts of some source files.

    tools/i18n_extract.py --area transformer src/app/panels/transformer_*.cpp src/app/panels/transformer_*.hpp
        updates assets/i18n/{de,es,fr,uk}/transformer.po: every tr("...") / N_("...") literal of the files (and a
        literal label given to ui::setting_slider, which shows tr(label)) gets an entry, in the order the files use
        them; existing translations are kept; entries no file uses any more are dropped (listed on stderr); a msgid
        that another .po file of the same language already has is left out (one msgid, one place per language).
        New entries get msgstr "" (untranslated: the app shows the English until someone fills it in).
    --langs de,fr        only these languages          --root DIR   the repository (default: this script's parent's parent)
    --elsewhere 'GLOB'   more catalogues whose msgids to leave out, {lang} replaced by the language (e.g. another
                         helper's worktree before its branch is merged: '../i18nshell/assets/i18n/{lang}/*.po'); repeatable
    --list               print the msgids of the files (one per line, C-escaped) and change nothing
    --missing            print the untranslated entries of the area's catalogues and change nothing (exit 1 if any)
    --selftest           run the script on a made-up source file and catalogue in a temporary folder; exit 1 on a failure

Only the plain PO subset that gb::parse_po reads is written: "#" comments, msgid/msgstr, the escapes \\n \\t \\" \\\\.
The msgid is the exact literal: printf specifiers and "##id" suffixes included (the translation keeps them).
Python 3 standard library only. Files are written atomically (temporary file, then rename).
"""
import argparse
import glob
import os
import re
import sys
import tempfile

LANGS = ["de", "es", "fr", "uk"]


# [SECTION] reading C++: comments, literals, calls

def skip_token(s, i):
    """Position after a comment / string / char literal starting at i, or i when none starts there."""
    if s.startswith("//", i):
        e = s.find("\n", i)
        return len(s) if e < 0 else e
    if s.startswith("/*", i):
        e = s.find("*/", i + 2)
        return len(s) if e < 0 else e + 2
    if s[i] == "R" and s.startswith('R"', i) and (i == 0 or not (s[i - 1].isalnum() or s[i - 1] == "_")):
        op = s.find("(", i + 2)
        close = ")" + s[i + 2:op] + '"'
        e = s.find(close, op)
        return len(s) if e < 0 else e + len(close)
    if s[i] in "\"'":
        q, j = s[i], i + 1
        while j < len(s) and s[j] != q:
            j += 2 if s[j] == "\\" else 1
        return min(j + 1, len(s))
    return i


def decode_literal(s, i):
    """The bytes of the C++ string literal at s[i] == '"' decoded as UTF-8, and the position after it."""
    out, j = bytearray(), i + 1
    while j < len(s) and s[j] != '"':
        if s[j] != "\\":
            out += s[j].encode("utf-8")
            j += 1
            continue
        c = s[j + 1]
        j += 2
        if c in "ntr":
            out += {"n": b"\n", "t": b"\t", "r": b"\r"}[c]
        elif c == "x":
            m = re.match(r"[0-9a-fA-F]+", s[j:])
            out.append(int(m.group(0), 16) & 0xFF)
            j += len(m.group(0))
        elif c in "01234567":
            m = re.match(r"[0-7]{0,2}", s[j:])
            out.append(int(c + m.group(0), 8) & 0xFF)
            j += len(m.group(0))
        else:
            out += c.encode("utf-8")
    return out.decode("utf-8"), min(j + 1, len(s))


def skip_space(s, i):
    while True:
        while i < len(s) and s[i].isspace():
            i += 1
        if i < len(s) and (s.startswith("//", i) or s.startswith("/*", i)):
            i = skip_token(s, i)
        else:
            return i


def call_parens(s, name):
    """Positions of '(' of every call of identifier `name` outside comments and literals."""
    out, i, n = [], 0, len(name)
    while i < len(s):
        t = skip_token(s, i)
        if t != i:
            i = t
            continue
        if s.startswith(name, i) and (i == 0 or not (s[i - 1].isalnum() or s[i - 1] in "_.>")) and \
                (i + n >= len(s) or not (s[i + n].isalnum() or s[i + n] == "_")):
            p = skip_space(s, i + n)
            if p < len(s) and s[p] == "(":
                out.append(p)
            i += n
            continue
        i += 1
    return out


def call_args(s, open_):
    """[(begin, end)] of the arguments of the call whose '(' is at open_."""
    args, depth, start, i = [], 0, open_ + 1, open_
    while i < len(s):
        t = skip_token(s, i)
        if t != i:
            i = t
            continue
        c = s[i]
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
            if depth == 0:
                if skip_space(s, start) < i:
                    args.append((start, i))
                return args
        elif c == "," and depth == 1:
            args.append((start, i))
            start = i + 1
        i += 1
    return args


SPEC = re.compile(r"%%|%[-+ #0-9.*'hlLqjzt]*[a-zA-Z]")


def has_words(text):
    """True when a text has something to translate: two ASCII letters in a row outside printf specifiers and ##id."""
    text = text.split("##")[0]
    text = SPEC.sub(" ", text)
    return re.search(r"[A-Za-z]{2}", text) is not None


def msgids_of(path, text):
    """[(msgid, 'path:line')] in the order the file uses them."""
    found = []
    line = lambda pos: text.count("\n", 0, pos) + 1
    for fn in ("tr", "N_"):
        for p in call_parens(text, fn):
            i = skip_space(text, p + 1)
            if i >= len(text) or text[i] != '"':
                continue
            mid, end = decode_literal(text, i)
            nxt = skip_space(text, end)
            if nxt < len(text) and text[nxt] == '"':
                sys.stderr.write(f"{path}:{line(i)}: {fn}() is given adjacent literals; write one literal\n")
                continue
            if nxt < len(text) and text[nxt] != ")":
                continue
            if has_words(mid):
                found.append((i, mid))
    for p in call_parens(text, "setting_slider"):
        args = call_args(text, p)
        if len(args) < 3:
            continue
        i = skip_space(text, args[2][0])
        if text[i] != '"':
            continue
        mid, end = decode_literal(text, i)
        if skip_space(text, end) == args[2][1] and has_words(mid):
            found.append((i, mid))
    found.sort()
    return [(m, f"{path}:{line(i)}") for i, m in found]


# [SECTION] PO files

def po_unquote(q):
    assert q.startswith('"') and q.endswith('"'), q
    out, i, body = [], 0, q[1:-1]
    while i < len(body):
        c = body[i]
        if c == "\\":
            out.append({"n": "\n", "t": "\t", '"': '"', "\\": "\\"}[body[i + 1]])
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


def po_quote(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t") + '"'


def read_po(path):
    """{msgid: msgstr} of a PO file (empty when it does not exist)."""
    entries = {}
    if not os.path.exists(path):
        return entries
    key, cur, field = None, None, None
    def flush():
        if key is not None:
            entries[key] = cur
    with open(path, encoding="utf-8") as f:
        for n, raw in enumerate(f, 1):
            ln = raw.strip()
            if not ln or ln.startswith("#"):
                continue
            if ln.startswith("msgid "):
                flush()
                key, cur, field = po_unquote(ln[6:].strip()), None, "id"
            elif ln.startswith("msgstr "):
                cur, field = po_unquote(ln[7:].strip()), "str"
            elif ln.startswith('"'):
                if field == "id":
                    key += po_unquote(ln)
                elif field == "str":
                    cur += po_unquote(ln)
            else:
                raise SystemExit(f"{path}:{n}: not a PO line: {ln[:60]}")
    flush()
    return entries


def write_atomic(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".tmp-")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


def selftest():
    """Extraction, keeping, dropping and leaving out, checked on a made-up area in a temporary folder."""
    import shutil
    root = tempfile.mkdtemp(prefix="i18n_extract_")
    src = os.path.join(root, "src", "x.cpp")
    os.makedirs(os.path.dirname(src))
    with open(src, "w", encoding="utf-8") as f:
        f.write('ImGui::Text(tr("Step %d of %d"), a, b);  // tr("in a comment")\n'
                'ImGui::Button(gb::tr("Save##file"));\n'
                'x = str("not a msgid"); y = tr(name); z = tr("%s");\n'
                'ImGui::TextUnformatted(tr("say \\"hi\\"\\n\\xce\\xb2 = %.2f"));\n'
                'ui::setting_slider("lab", "steps", "steps per run", v, "%d");\n'
                'ImGui::Text(tr("Kept"));  ImGui::Text(tr("Elsewhere"));\n')
    de = os.path.join(root, "assets", "i18n", "de")
    os.makedirs(de)
    with open(os.path.join(de, "area.po"), "w", encoding="utf-8") as f:
        f.write('msgid "Kept"\nmsgstr "Behalten"\n\nmsgid "Old"\nmsgstr "Alt"\n')
    with open(os.path.join(de, "other.po"), "w", encoding="utf-8") as f:
        f.write('# another area\nmsgid "Elsewhere"\nmsgstr "Anderswo"\n')
    failed = []
    def check(what, ok):
        if not ok:
            failed.append(what)
    with open(src, encoding="utf-8") as f:
        ids = [m for m, _ in msgids_of("src/x.cpp", f.read())]
    check("the msgids in order", ids == ["Step %d of %d", "Save##file", 'say "hi"\n\u03b2 = %.2f', "steps per run", "Kept", "Elsewhere"])
    check("quoting round trip", po_unquote(po_quote('a "b"\\\n\tc')) == 'a "b"\\\n\tc')
    check("has_words", has_words("Save##x") and not has_words("%.0f%%") and not has_words("##id") and not has_words("x: %s"))
    import subprocess
    r = subprocess.run([sys.executable, os.path.abspath(__file__), "--root", root, "--area", "area", "--langs", "de", src],
                       capture_output=True, text=True)
    check("a run succeeds", r.returncode == 0)
    check("the stale msgid is reported", 'dropped "Old"' in r.stderr)
    check("the msgid of another catalogue is reported", '"Elsewhere" is already in another catalogue' in r.stderr)
    po = read_po(os.path.join(de, "area.po"))
    check("the catalogue's entries", list(po) == ["Step %d of %d", "Save##file", 'say "hi"\n\u03b2 = %.2f', "steps per run", "Kept"])
    check("a translation is kept", po.get("Kept") == "Behalten")
    check("new entries are untranslated", po.get("Save##file") == "")
    r = subprocess.run([sys.executable, os.path.abspath(__file__), "--root", root, "--area", "area", "--langs", "de", "--missing"],
                       capture_output=True, text=True)
    check("--missing lists the untranslated and fails", r.returncode == 1 and '"Save##file"' in r.stdout and "Kept" not in r.stdout)
    shutil.rmtree(root)
    for f in failed:
        print("selftest FAILED: " + f)
    print("selftest: %d checks failed" % len(failed) if failed else "selftest: ok")
    return 1 if failed else 0


def main():
    if "--selftest" in sys.argv[1:]:
        return selftest()
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--area", help="catalogue name: assets/i18n/<lang>/<area>.po")
    ap.add_argument("--langs", default=",".join(LANGS))
    ap.add_argument("--root", default=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    ap.add_argument("--elsewhere", action="append", default=[])
    ap.add_argument("--list", action="store_true")
    ap.add_argument("--missing", action="store_true")
    ap.add_argument("files", nargs="*")
    a = ap.parse_args()

    used = {}  # msgid -> first place
    for path in a.files:
        with open(path, encoding="utf-8") as f:
            for mid, where in msgids_of(os.path.relpath(path, a.root), f.read()):
                used.setdefault(mid, where)
    if a.list:
        for mid in used:
            print(po_quote(mid))
        return 0
    if not a.area:
        ap.error("--area is needed (or --list)")
    status = 0
    for lang in a.langs.split(","):
        folder = os.path.join(a.root, "assets", "i18n", lang)
        path = os.path.join(folder, a.area + ".po")
        old = read_po(path)
        if a.missing:
            for mid, s in old.items():
                if not s:
                    print(f"{lang}: {po_quote(mid)}")
                    status = 1
            continue
        elsewhere = set()
        if os.path.isdir(folder):
            for name in sorted(os.listdir(folder)):
                if name.endswith(".po") and name != a.area + ".po":
                    elsewhere |= set(read_po(os.path.join(folder, name)))
        for pattern in a.elsewhere:
            for other in sorted(glob.glob(pattern.replace("{lang}", lang))):
                if os.path.abspath(other) != os.path.abspath(path):
                    elsewhere |= set(read_po(other))
        out = [f"# Glassbox: the {a.area} texts in '{lang}'. Plain PO (msgid = the exact English tr() literal).\n"
               f"# Update the msgids with tools/i18n_extract.py --area {a.area} FILES...; translations are kept.\n"]
        kept = 0
        for mid, where in used.items():
            if mid in elsewhere:
                sys.stderr.write(f"{lang}: {po_quote(mid)} is already in another catalogue of this language: left out\n")
                continue
            out.append(f"\n#: {where}\nmsgid {po_quote(mid)}\nmsgstr {po_quote(old.get(mid, ''))}\n")
            kept += 1
        for mid in old:
            if mid not in used:
                sys.stderr.write(f"{lang}: dropped {po_quote(mid)} (no file uses it any more)\n")
        write_atomic(path, "".join(out))
        untranslated = sum(1 for m in used if m not in elsewhere and not old.get(m))
        print(f"{os.path.relpath(path, a.root)}: {kept} entries, {untranslated} untranslated")
    return status


if __name__ == "__main__":
    sys.exit(main())
