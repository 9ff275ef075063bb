# Drives `glassbox generate` end to end: JSON shape, determinism for a seed, greedy = beam 1,
# sampler clamping notes, text mode, and usage/load errors with their exit codes.
# usage: /usr/bin/python3 cli_generate_check.py BIN HF_FOLDER [GLASSBOX_CHECKPOINT]
import json
import os
import subprocess
import sys

BIN, HF = sys.argv[1], sys.argv[2]
CKPT = sys.argv[3] if len(sys.argv) > 3 else ""
failures = []


def run(*args):
    r = subprocess.run([BIN, "generate", *args], capture_output=True, text=True)
    return r.returncode, r.stdout, r.stderr


def gen_json(*args):
    code, out, err = run(*args, "--json")
    if code != 0:
        failures.append("exit %d for %s: %s" % (code, args, err.strip()))
        return None
    return json.loads(out)


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


# [SECTION] JSON shape on a Hugging Face folder (no tokenizer: ids in, "<id>" tokens out)
j = gen_json("--model", HF, "--ids", "1,2,3", "--max-new", "5", "--greedy", "--top", "3")
if j:
    check(len(j["ids"]) == 5, "5 generated ids")
    check(len(j["steps"]) == 5 and all(s["id"] == i for s, i in zip(j["steps"], j["ids"])), "one step per id")
    top = j["steps"][0]["top"]
    check(len(top) == 3 and set(top[0]) >= {"id", "token", "logit", "prob"}, "top candidates carry id/token/logit/prob")
    check(top[0]["logit"] >= top[1]["logit"] >= top[2]["logit"], "candidates sorted by logit")
    check(j["steps"][0]["id"] == top[0]["id"] and top[0]["prob"] == 1.0, "greedy takes the top candidate (prob 1 after transforms)")
    check(set(j["timing"]) == {"load_s", "prefill_s", "decode_tokens_per_s"}, "timing keys")
    check(j["steps"][0]["token"] == "<%d>" % j["ids"][0], "tokens shown as <id> without a tokenizer")
    greedy_ids = j["ids"]
    b = gen_json("--model", HF, "--ids", "1,2,3", "--max-new", "5", "--beam", "1")
    check(b is not None and b["ids"] == greedy_ids, "beam width 1 = greedy")
    check(b is not None and len(b["beam"]["beams"]) == 5, "beam tree has one level per token")

# [SECTION] determinism and sampling
a1 = gen_json("--model", HF, "--ids", "4,5", "--max-new", "8", "--temperature", "1.5", "--seed", "9")
a2 = gen_json("--model", HF, "--ids", "4,5", "--max-new", "8", "--temperature", "1.5", "--seed", "9")
a3 = gen_json("--model", HF, "--ids", "4,5", "--max-new", "8", "--temperature", "1.5", "--seed", "10")
check(a1 and a2 and a1["ids"] == a2["ids"], "same seed, same tokens")
check(a1 and a3 and a1["ids"] != a3["ids"], "another seed, other tokens")
k = gen_json("--model", HF, "--ids", "4,5", "--max-new", "6", "--top-k", "2", "--top", "5", "--seed", "3")
check(k and all(sum(1 for c in s["top"] if c["prob"] > 0) <= 2 for s in k["steps"]), "top-k 2 leaves at most 2 candidates with mass")
# The flags are rows of the transformer lab's settings table: out of range is refused with the table's message
# (as `transformer set temperature 500` is), never clamped.
code, _, err = run("--model", HF, "--ids", "4", "--max-new", "2", "--temperature", "500")
check(code == 2 and "temperature 500: out of range 0.05\u20135" in err, "out-of-range temperature: exit 2 with the table's range")
code, _, err = run("--model", HF, "--ids", "4", "--max-new", "2", "--top-p", "3")
check(code == 2 and "top-p 3: out of range" in err, "out-of-range top-p: exit 2")
code, _, err = run("--model", HF, "--ids", "4", "--max-new", "3", "--temperature", "0")
check(code == 2 and "out of range" in err, "temperature 0 is refused (use --greedy)")
t5 = gen_json("--model", HF, "--ids", "4", "--max-new", "3", "--temperature", "5", "--seed", "2")
check(t5 and t5["sampler"]["temperature"] == 5 and not t5["notes"], "temperature 5 (the table's maximum) samples at 5")

# [SECTION] errors
code, _, err = run("--model", HF, "--ids", "1", "--bogus")
check(code == 2, "unknown flag: exit 2")
code, _, err = run("--model", HF, "--ids", "1", "--greedy", "--temperature", "0.5")
check(code == 2, "--greedy with --temperature: exit 2")
code, _, err = run("--model", HF, "--prompt", "hi")
check(code == 1 and "no tokenizer" in err, "prompt text without a tokenizer: exit 1 with a reason")
code, _, err = run("--model", HF + "/nope", "--ids", "1")
check(code == 1 and "nope" in err, "missing model: exit 1 naming the path")
code, _, err = run("--model", HF, "--ids", "1,999999")
check(code == 1 and "vocabulary" in err, "id outside the vocabulary: exit 1")

# [SECTION] a Glassbox checkpoint with its tokenizer (when one is shipped)
if CKPT and os.path.exists(CKPT):
    code, out, err = run("--model", CKPT, "--prompt", "Once upon a time", "--max-new", "12", "--seed", "1")
    check(code == 0 and out.startswith("Once upon a time") and "tokens/s" in out, "text mode prints prompt + continuation + summary")
    t = gen_json("--model", CKPT, "--prompt", "Once upon a time", "--max-new", "6", "--greedy")
    check(t and isinstance(t["text"], str) and len(t["text"]) > 0, "JSON text decoded with the checkpoint's tokenizer")
else:
    print("skip: no Glassbox checkpoint at %r" % CKPT)

if failures:
    print("%d failure(s)" % len(failures))
    sys.exit(1)
print("all generate CLI checks passed")
