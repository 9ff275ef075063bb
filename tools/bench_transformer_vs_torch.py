#!/usr/bin/python3
# Greedy decoding speed of Glassbox vs PyTorch on the same GPT-2-small-shaped weights and the same
# number of threads, measured in one run; prints both and the ratio.
#
# usage: /usr/bin/python3 tools/bench_transformer_vs_torch.py [--glassbox BIN] [--threads 2] [--tokens 64]
#   BIN: a binary that runs Glassbox subcommands (build/src/app/glassbox or build/tests/gb_cli_headless).
# PyTorch runs the independent reference GPT (tests/transformer/ref/gpt_ref.py) with a KV cache, in
# torch.inference_mode, HF's Conv1D layout (x @ W + b, what Hugging Face's GPT-2 runs); Glassbox runs
# `bench transformer --model FOLDER`. Both start from the same 16-token prompt and decode greedily.
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "transformer", "ref"))
from gpt_ref import GPT, save_hf_folder  # noqa: E402


def load_average():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def find_binary():
    root = os.path.join(HERE, "..")
    for d in sorted(os.listdir(root)):
        for rel in ("src/app/glassbox", "tests/gb_cli_headless"):
            p = os.path.join(root, d, rel)
            if d.startswith("build") and os.access(p, os.X_OK):
                return p
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--glassbox", default=None)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--tokens", type=int, default=64)
    ap.add_argument("--folder", default=None, help="reuse/keep the GPT-2-shaped checkpoint folder here")
    args = ap.parse_args()
    binary = args.glassbox or find_binary()
    if not binary:
        print("no glassbox binary found; pass --glassbox PATH", file=sys.stderr)
        return 2

    cfg = dict(n_layer=12, n_head=12, n_embd=768, n_positions=1024, vocab_size=50257, layer_norm_epsilon=1e-5)
    folder = args.folder or tempfile.mkdtemp(prefix="gb_gpt2_bench_")
    model = GPT(cfg)
    if os.path.exists(os.path.join(folder, "model.safetensors")):
        model = GPT.load(folder)
    else:
        model.init_random(7, std=0.02)
        save_hf_folder(model, folder, extra=False)
    model.eval()

    # [SECTION] PyTorch
    torch.set_num_threads(args.threads)
    V = cfg["vocab_size"]
    prompt = torch.tensor([(i * 7 + 3) % V for i in range(16)])
    torch_ids = []
    with torch.inference_mode():
        caches = [dict() for _ in range(cfg["n_layer"])]
        logits, _ = model(prompt, caches=caches)
        pos = len(prompt)
        for _ in range(4):  # warm-up, as the Glassbox bench
            nxt = logits[-1].argmax().view(1)
            logits, _ = model(nxt, caches=caches, pos0=pos)
            pos += 1
        t0 = time.perf_counter()
        for _ in range(args.tokens):
            nxt = logits[-1].argmax().view(1)
            torch_ids.append(int(nxt))
            logits, _ = model(nxt, caches=caches, pos0=pos)
            pos += 1
        torch_tps = args.tokens / (time.perf_counter() - t0)
    load_torch = load_average()

    # [SECTION] Glassbox
    r = subprocess.run([binary, "bench", "transformer", "--model", folder, "--tokens", str(args.tokens),
                        "--threads", str(args.threads), "--json"], capture_output=True, text=True)
    if r.returncode != 0:
        print(r.stdout, r.stderr, file=sys.stderr)
        return 1
    gb = json.loads(r.stdout)["results"][0]
    gb_tps = gb["decode_tokens_per_s"]

    print("GPT-2 small shape (124M params, fp32, random weights), greedy, KV cache, %d threads, %d tokens"
          % (args.threads, args.tokens))
    print("  PyTorch %s: %6.1f tokens/s   (load average %s)" % (torch.__version__, torch_tps, load_torch))
    print("  Glassbox:      %6.1f tokens/s   (load average %s)" % (gb_tps, load_average()))
    print("  ratio Glassbox / PyTorch: %.2fx" % (gb_tps / torch_tps))
    if not args.folder:
        for f in os.listdir(folder):
            os.remove(os.path.join(folder, f))
        os.rmdir(folder)
    return 0


if __name__ == "__main__":
    sys.exit(main())
