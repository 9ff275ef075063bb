#!/usr/bin/env python3
# Measures retrieval on the shipped facts (issue 18, for the note): for every fact "PROMPT ANSWER.",
# the model's probability of the answer's first token after PROMPT, without and with `--facts`
# (the best facts in front of the prompt). usage: retrieval_probs.py GLASSBOX FACTS.txt [MODEL]
import json
import subprocess
import sys


def answer_prob(exe, model, prompt, answer, facts):
    cmd = [exe, "generate", "--prompt", prompt, "--max-new", "1", "--greedy", "--json", "--top", "1000"]
    if model:
        cmd += ["--model", model]
    if facts:
        cmd += ["--facts", facts]
    out = json.loads(subprocess.run(cmd, capture_output=True, text=True, check=True).stdout)
    top = out["steps"][0]["top"]
    best = top[0]
    # the answer's first token: the candidate whose text is the longest prefix of " ANSWER"
    want = " " + answer
    cands = [c for c in top if c["token"] and want.startswith(c["token"])]
    p = max(cands, key=lambda c: len(c["token"]))["model_prob"] if cands else 0.0
    ctx = out.get("retrieval", {}).get("context", prompt)
    return p, best["token"], best["model_prob"], ctx


def main():
    exe, facts = sys.argv[1], sys.argv[2]
    model = sys.argv[3] if len(sys.argv) > 3 else None
    rows = []
    for line in open(facts):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        body = line.rstrip(".")
        prompt, answer = body.rsplit(" ", 1)
        p0, top0, tp0, _ = answer_prob(exe, model, prompt, answer, None)
        p1, top1, tp1, ctx = answer_prob(exe, model, prompt, answer, facts)
        rows.append((prompt, answer, p0, top0, tp0, p1, top1, tp1, ctx))
        print(f"{prompt!r:40} answer {answer!r:9} without: p={p0:.4f} (top {top0!r} {tp0:.2f})   "
              f"with facts: p={p1:.4f} (top {top1!r} {tp1:.2f})")
    print(json.dumps([{"prompt": r[0], "answer": r[1], "p_without": r[2], "p_with": r[5], "context": r[8]} for r in rows]))


if __name__ == "__main__":
    main()
