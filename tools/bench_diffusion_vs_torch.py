#!/usr/bin/python3
# Speed of Glassbox's diffusion U-Net against PyTorch (CPU, same weights, same threads) in one run.
#   tools/bench_diffusion_vs_torch.py GLASSBOX [MODEL.safetensors] [--threads N]
# Runs `GLASSBOX bench diffusion --json`, then times the PyTorch mirror (tools/diffusion_torch.py):
# one forward pass at batch 1 and 2, 50 DDIM steps and 1000 DDPM steps, each with guidance 5 (the
# conditional and unconditional passes as one batch of 2 per step) and without, and prints both (CPU
# and wall time) with the ratio torch / glassbox. With --threads 2 the guided rows compare Glassbox's
# two-thread sampler (one pass per thread) with PyTorch on two threads; other rows use 1 thread.
import json
import os
import subprocess
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import diffusion_torch as dt  # noqa: E402


def best_of(f, reps, runs=3):
    """(wall ms, CPU ms) per repetition, from the run with the best wall time."""
    f()
    best = (1e30, 0)
    for _ in range(runs):
        t0, c0 = time.perf_counter(), time.process_time()
        for _ in range(reps):
            f()
        w, c = (time.perf_counter() - t0) / reps * 1e3, (time.process_time() - c0) / reps * 1e3
        if w < best[0]:
            best = (w, c)
    return best


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    threads = 1
    if "--threads" in sys.argv:
        threads = int(sys.argv[sys.argv.index("--threads") + 1])
        args = [a for a in args if a != str(threads)]
    if not args:
        sys.exit("usage: bench_diffusion_vs_torch.py GLASSBOX [MODEL.safetensors] [--threads N]")
    exe = args[0]
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    model = args[1] if len(args) > 1 else os.path.join(root, "assets/models/fashion-diffusion.safetensors")
    gb = json.loads(subprocess.run([exe, "bench", "diffusion", "--json", "--model", model], check=True,
                                   capture_output=True, text=True).stdout)
    torch.set_num_threads(threads)
    tensors, meta = dt.read_safetensors(model)
    net = dt.UNet.from_config(json.loads(meta["glassbox.config"]))
    net.load_glassbox(tensors)
    net.eval()
    T = json.loads(meta["glassbox.schedule"])["T"]
    betas = torch.linspace(1e-4 * 1000 / T, 0.02 * 1000 / T, T, dtype=torch.float64)
    abar = torch.cumprod(1 - betas, 0).float()
    x1 = torch.randn(1, 1, 28, 28)
    x2 = torch.randn(2, 1, 28, 28)
    t1, t2 = torch.tensor([500]), torch.tensor([500, 500])
    l1, l2 = torch.tensor([7]), torch.tensor([7, 10])

    def eps(x, t, guided):
        if guided:
            e = net(x.repeat(2, 1, 1, 1), torch.tensor([t, t]), l2)
            return e[1:2] + 5.0 * (e[0:1] - e[1:2])
        return net(x, torch.tensor([t]), l1)

    def ddpm(guided):
        # ancestral DDPM over all T steps (posterior mean from the clipped x0, variance beta-tilde)
        x = torch.randn(1, 1, 28, 28)
        for t in range(T - 1, -1, -1):
            e = eps(x, t, guided)
            a, ap = abar[t], (abar[t - 1] if t > 0 else torch.tensor(1.0))
            x0 = ((x - (1 - a).sqrt() * e) / a.sqrt()).clamp(-1, 1)
            b = 1 - a / ap
            x = ap.sqrt() * b / (1 - a) * x0 + (a / ap).sqrt() * (1 - ap) / (1 - a) * x
            if t > 0:
                x = x + (b * (1 - ap) / (1 - a)).sqrt() * torch.randn_like(x)
        return x

    def ddim(steps, guided):
        ts = [int(round(T - k * T / steps)) - 1 for k in range(steps)]
        x = torch.randn(1, 1, 28, 28)
        for k, t in enumerate(ts):
            tp = ts[k + 1] if k + 1 < len(ts) else -1
            if guided:
                e = net(x.repeat(2, 1, 1, 1), torch.tensor([t, t]), l2)
                e = e[1:2] + 5.0 * (e[0:1] - e[1:2])
            else:
                e = net(x, torch.tensor([t]), l1)
            a, ap = abar[t], (abar[tp] if tp >= 0 else torch.tensor(1.0))
            x0 = ((x - (1 - a).sqrt() * e) / a.sqrt()).clamp(-1, 1)
            e = (x - a.sqrt() * x0) / (1 - a).sqrt()
            x = ap.sqrt() * x0 + (1 - ap).sqrt() * e
        return x

    guided = "ddim50_guided_%s_ms" % ("2threads" if threads >= 2 else "1thread")
    with torch.inference_mode():
        th = {
            "unet_forward_batch1_ms": best_of(lambda: net(x1, t1, l1), 100),
            "unet_forward_batch2_ms": best_of(lambda: net(x2, t2, l2), 100),
            guided: best_of(lambda: ddim(50, True), 1),
            guided.replace("ddim50", "ddpm1000"): best_of(lambda: ddpm(True), 1, 2),
            "ddim50_unguided_ms": best_of(lambda: ddim(50, False), 1),
            "ddpm1000_unguided_ms": best_of(lambda: ddpm(False), 1, 2),
        }
    load = os.getloadavg()
    print("torch %s, %d thread(s); model %s; load average %.2f %.2f %.2f on %d cores" %
          (torch.__version__, threads, model, load[0], load[1], load[2], os.cpu_count()))
    print("CPU time is the fair figure on a busy machine; ratio = torch / glassbox (>1: Glassbox faster)")
    print("  %-28s %11s %11s %7s   %11s %11s %7s" % ("", "gb cpu ms", "torch cpu", "ratio", "gb wall ms", "torch wall", "ratio"))
    for k, (w, c) in th.items():
        print("  %-28s %11.3f %11.3f %7.2f   %11.3f %11.3f %7.2f" % (k, gb[k + "_cpu"], c, c / gb[k + "_cpu"], gb[k], w, w / gb[k]))
    r1 = th["unet_forward_batch1_ms"][1] / gb["unet_forward_batch1_ms_cpu"]
    r2 = th["unet_forward_batch2_ms"][1] / gb["unet_forward_batch2_ms_cpu"]
    if r1 > 3 * r2:
        # seen with torch 1.13 on 2 cores: at batch 1 aten::convolution takes the slow THNN im2col path
        # (aten::_slow_conv2d_forward, ~90% of the time) instead of oneDNN, so batch-1 rows flatter Glassbox
        print("note: torch is %.1fx slower per image at batch 1 than at batch 2 (its batch-1 convolutions take the slow\n"
              "      THNN path); the batch-2 and guided rows are the like-for-like comparison" %
              (th["unet_forward_batch1_ms"][1] / (th["unet_forward_batch2_ms"][1] / 2)))


if __name__ == "__main__":
    main()
