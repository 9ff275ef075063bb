#!/usr/bin/python3
# Training throughput of Glassbox's GPT against PyTorch on the CPU, same configuration, batch and
# threads, measured in one run; prints both and the ratio.
# usage: tools/bench_train_vs_torch.py GLASSBOX_EXE [--layers 4 --heads 4 --width 128 --context 128
#        --vocab 2048 --batch 16 --steps 10 --threads 1]
# Both sides are timed by wall clock and by process CPU time (steadier on a busy machine with 1 thread).
import argparse
import math
import re
import subprocess
import sys
import time

import torch
import torch.nn.functional as F


def torch_tokens_per_s(L, H, C, T, V, B, steps, threads):
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    p = {"wte": torch.randn(V, C) * 0.02, "wpe": torch.randn(T, C) * 0.02,
         "lnf_w": torch.ones(C), "lnf_b": torch.zeros(C)}
    for l in range(L):
        p.update({f"{l}.ln1_w": torch.ones(C), f"{l}.ln1_b": torch.zeros(C),
                  f"{l}.attn_w": torch.randn(3 * C, C) * 0.02, f"{l}.attn_b": torch.zeros(3 * C),
                  f"{l}.proj_w": torch.randn(C, C) * 0.02, f"{l}.proj_b": torch.zeros(C),
                  f"{l}.ln2_w": torch.ones(C), f"{l}.ln2_b": torch.zeros(C),
                  f"{l}.fc_w": torch.randn(4 * C, C) * 0.02, f"{l}.fc_b": torch.zeros(4 * C),
                  f"{l}.mp_w": torch.randn(C, 4 * C) * 0.02, f"{l}.mp_b": torch.zeros(C)})
    for v in p.values():
        v.requires_grad_(True)
    mask = torch.tril(torch.ones(T, T, dtype=torch.bool))

    def forward(idx, tgt):
        x = p["wte"][idx] + p["wpe"][:T]
        for l in range(L):
            a = F.layer_norm(x, (C,), p[f"{l}.ln1_w"], p[f"{l}.ln1_b"])
            q, k, v = F.linear(a, p[f"{l}.attn_w"], p[f"{l}.attn_b"]).split(C, dim=2)
            q, k, v = (z.view(B, T, H, C // H).transpose(1, 2) for z in (q, k, v))
            att = ((q @ k.transpose(-2, -1)) / math.sqrt(C // H)).masked_fill(~mask, float("-inf")).softmax(-1)
            y = (att @ v).transpose(1, 2).reshape(B, T, C)
            x = x + F.linear(y, p[f"{l}.proj_w"], p[f"{l}.proj_b"])
            m = F.layer_norm(x, (C,), p[f"{l}.ln2_w"], p[f"{l}.ln2_b"])
            x = x + F.linear(F.gelu(F.linear(m, p[f"{l}.fc_w"], p[f"{l}.fc_b"]), approximate="tanh"), p[f"{l}.mp_w"], p[f"{l}.mp_b"])
        x = F.layer_norm(x, (C,), p["lnf_w"], p["lnf_b"])
        return F.cross_entropy((x @ p["wte"].t()).view(-1, V), tgt.reshape(-1))

    opt = torch.optim.AdamW(list(p.values()), lr=1e-3, weight_decay=0.1)

    def step():
        idx = torch.randint(0, V, (B, T + 1))
        opt.zero_grad(set_to_none=True)
        loss = forward(idx[:, :-1], idx[:, 1:])
        loss.backward()
        torch.nn.utils.clip_grad_norm_(list(p.values()), 1.0)
        opt.step()

    step()  # warm-up
    t0, c0 = time.perf_counter(), time.process_time()
    for _ in range(steps):
        step()
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    return steps * B * T / wall, steps * B * T / cpu


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("glassbox")
    for name, default in (("layers", 4), ("heads", 4), ("width", 128), ("context", 128), ("vocab", 1688),
                          ("batch", 16), ("steps", 10), ("threads", 1)):
        ap.add_argument("--" + name, type=int, default=default)
    a = ap.parse_args()
    cmd = [a.glassbox, "train", "transformer", "--bench", str(a.steps), "--layers", str(a.layers), "--heads", str(a.heads),
           "--width", str(a.width), "--context", str(a.context), "--vocab", str(a.vocab), "--batch", str(a.batch),
           "--threads", str(a.threads)]
    out = subprocess.run(cmd, capture_output=True, text=True)
    m = re.search(r"training tokens/s: ([0-9.]+)  per CPU second: ([0-9.]+)", out.stdout)
    if out.returncode != 0 or not m:
        sys.exit(f"bench_train_vs_torch: {' '.join(cmd)} failed:\n{out.stdout}{out.stderr}")
    ours, ours_cpu = float(m.group(1)), float(m.group(2))
    theirs, theirs_cpu = torch_tokens_per_s(a.layers, a.heads, a.width, a.context, a.vocab, a.batch, a.steps, a.threads)
    print(f"config: {a.layers} layers, {a.heads} heads, width {a.width}, context {a.context}, vocab {a.vocab}, "
          f"batch {a.batch}, {a.threads} thread(s), {a.steps} steps after one warm-up")
    # context: the BLAS torch runs on (Debian's build uses the system libblas; the reference netlib
    # BLAS, when that is the selected alternative, is several times slower than an optimised one)
    blas = re.search(r"BLAS_INFO=([^,]+)", torch.__config__.show())
    x, y = torch.randn(2048, 128), torch.randn(128, 512)
    c0 = time.process_time()
    for _ in range(20):
        x @ y
    gflops = 20 * 2 * 2048 * 128 * 512 / (time.process_time() - c0) / 1e9
    print(f"pytorch BLAS: {blas.group(1) if blas else '?'}, a (2048,128)x(128,512) matmul runs at {gflops:.1f} GFLOP/s per CPU second")
    with open("/proc/loadavg") as f:
        load = " ".join(f.read().split()[:3])
    print(f"load average after: {load} (wall-clock rates need a quiet machine; per-CPU-second rates are steadier)")
    print(f"glassbox training tokens/s: {ours:.0f} wall, {ours_cpu:.0f} per CPU second")
    print(f"pytorch {torch.__version__} training tokens/s: {theirs:.0f} wall, {theirs_cpu:.0f} per CPU second")
    print(f"ratio glassbox/pytorch: {ours / theirs:.2f} wall, {ours_cpu / theirs_cpu:.2f} per CPU second")


if __name__ == "__main__":
    main()
