#!/usr/bin/python3
# PyTorch reference for GPT training (issue 4): an independent GPT-2 written with torch.nn.functional,
# run in float64 on random weights and batches. Writes weights, batch, logits, loss, every gradient and
# the losses of several AdamW steps (warm-up + cosine, clipping, decoupled decay) to a safetensors
# file, then runs the doctest case that compares them (usage: train_vs_torch.py TEST_TRANSFORMER_EXE).
import json
import math
import os
import re
import struct
import subprocess
import sys
import tempfile

import torch
import torch.nn.functional as F

L, H, C, T, V, B = 2, 2, 16, 8, 37, 3  # layers, heads, width, context, vocabulary, batch
STEPS, LR, LR_MIN, WARMUP, WD, BETA2, CLIP = 6, 3e-2, 3e-3, 2, 0.1, 0.99, 0.5


def param_shapes():
    s = [("wte.weight", (V, C)), ("wpe.weight", (T, C))]
    for l in range(L):
        h = f"h.{l}."
        s += [(h + "ln_1.weight", (C,)), (h + "ln_1.bias", (C,)),
              (h + "attn.c_attn.weight", (3 * C, C)), (h + "attn.c_attn.bias", (3 * C,)),
              (h + "attn.c_proj.weight", (C, C)), (h + "attn.c_proj.bias", (C,)),
              (h + "ln_2.weight", (C,)), (h + "ln_2.bias", (C,)),
              (h + "mlp.c_fc.weight", (4 * C, C)), (h + "mlp.c_fc.bias", (4 * C,)),
              (h + "mlp.c_proj.weight", (C, 4 * C)), (h + "mlp.c_proj.bias", (C,))]
    return s + [("ln_f.weight", (C,)), ("ln_f.bias", (C,))]


def decays(name, shape):
    # Matrices and the token embedding decay; biases, LayerNorms and the position table do not.
    return len(shape) == 2 and name != "wpe.weight"


def gpt(p, idx):
    """idx (B, T) -> logits (B, T, V). Pre-LN GPT-2 with a tied head and tanh-GELU."""
    b, t = idx.shape
    x = p["wte.weight"][idx] + p["wpe.weight"][:t]
    mask = torch.tril(torch.ones(t, t, dtype=torch.bool))
    for l in range(L):
        h = f"h.{l}."
        a = F.layer_norm(x, (C,), p[h + "ln_1.weight"], p[h + "ln_1.bias"], 1e-5)
        qkv = F.linear(a, p[h + "attn.c_attn.weight"], p[h + "attn.c_attn.bias"])
        q, k, v = qkv.split(C, dim=2)
        q, k, v = (z.view(b, t, H, C // H).transpose(1, 2) for z in (q, k, v))  # (B, H, T, hs)
        att = (q @ k.transpose(-2, -1)) / math.sqrt(C // H)
        att = att.masked_fill(~mask, float("-inf")).softmax(dim=-1)
        y = (att @ v).transpose(1, 2).reshape(b, t, C)
        x = x + F.linear(y, p[h + "attn.c_proj.weight"], p[h + "attn.c_proj.bias"])
        m = F.layer_norm(x, (C,), p[h + "ln_2.weight"], p[h + "ln_2.bias"], 1e-5)
        m = F.gelu(F.linear(m, p[h + "mlp.c_fc.weight"], p[h + "mlp.c_fc.bias"]), approximate="tanh")
        x = x + F.linear(m, p[h + "mlp.c_proj.weight"], p[h + "mlp.c_proj.bias"])
    x = F.layer_norm(x, (C,), p["ln_f.weight"], p["ln_f.bias"], 1e-5)
    return x @ p["wte.weight"].t()


def lr_at(step):
    if step < WARMUP:
        return LR * (step + 1) / WARMUP
    progress = (step - WARMUP) / max(1, STEPS - WARMUP)
    return LR_MIN + 0.5 * (LR - LR_MIN) * (1 + math.cos(math.pi * progress))


def write_safetensors(path, tensors, metadata):
    header, blobs, off = {"__metadata__": metadata}, [], 0
    for name, t in tensors:
        if t.dtype in (torch.int64, torch.int32):
            b, dt = t.to(torch.int32).contiguous().numpy().tobytes(), "I32"
        else:
            b, dt = t.detach().to(torch.float32).contiguous().numpy().tobytes(), "F32"
        header[name] = {"dtype": dt, "shape": list(t.shape), "data_offsets": [off, off + len(b)]}
        blobs.append(b)
        off += len(b)
    h = json.dumps(header).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))


def run_reference_case(test_binary, case, env_var, tensors, metadata):
    """Writes the PyTorch results to a temporary .safetensors, runs the one doctest case that reads it (its path
    in env_var) and returns its exit code; exits with a message when the case did not run (a skip is a failure).
    Shared with tests/teach/teach_vs_torch.py."""
    fd, path = tempfile.mkstemp(suffix=".safetensors")
    os.close(fd)
    try:
        write_safetensors(path, tensors, metadata)
        env = dict(os.environ, **{env_var: path})
        r = subprocess.run([test_binary, "--test-case=" + case, "--no-skip", "--success=false"],
                           env=env, capture_output=True, text=True)
        sys.stdout.write(r.stdout + r.stderr)
        if r.returncode == 0 and not re.search(r"test cases:\s*1\s*\|\s*1 passed", r.stdout):
            sys.exit(os.path.basename(sys.argv[0]) + ": the PyTorch comparison case `" + case + "` did not run")
        return r.returncode
    finally:
        os.unlink(path)


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: train_vs_torch.py TEST_TRANSFORMER_EXE")
    torch.manual_seed(1234)
    p = {}
    for name, shape in param_shapes():
        if name.endswith("ln_1.weight") or name.endswith("ln_2.weight") or name == "ln_f.weight":
            p[name] = 1 + 0.1 * torch.randn(shape, dtype=torch.float64)
        else:
            p[name] = 0.2 * torch.randn(shape, dtype=torch.float64)
    # round the weights to float32 first, so both sides start from exactly the same numbers
    p = {k: v.float().double().requires_grad_(True) for k, v in p.items()}
    batches = [torch.randint(0, V, (B, T + 1)) for _ in range(STEPS)]
    out = [(k, v.detach().clone()) for k, v in p.items()]  # clones: the optimiser changes p in place
    out += [(f"batch.{i}", bt) for i, bt in enumerate(batches)]

    # step 0 in detail: logits, loss, gradients of the initial weights
    logits = gpt(p, batches[0][:, :-1])
    loss = F.cross_entropy(logits.reshape(-1, V), batches[0][:, 1:].reshape(-1))
    loss.backward()
    out += [("ref.logits", logits.reshape(B * T, V)), ("ref.loss", loss.reshape(1))]
    out += [("grad." + k, v.grad.detach().clone()) for k, v in p.items()]

    # several AdamW steps (torch.optim.AdamW, decoupled decay, clip_grad_norm_) from the same start
    groups = [{"params": [p[k] for k, s in param_shapes() if decays(k, s)], "weight_decay": WD},
              {"params": [p[k] for k, s in param_shapes() if not decays(k, s)], "weight_decay": 0.0}]
    opt = torch.optim.AdamW(groups, lr=LR, betas=(0.9, BETA2), eps=1e-8)
    losses = []
    for step in range(STEPS):
        opt.zero_grad()
        bt = batches[step]
        loss = F.cross_entropy(gpt(p, bt[:, :-1]).reshape(-1, V), bt[:, 1:].reshape(-1))
        loss.backward()
        torch.nn.utils.clip_grad_norm_(list(p.values()), CLIP)
        for g in opt.param_groups:
            g["lr"] = lr_at(step)
        opt.step()
        losses.append(loss.item())
    out += [("ref.step_losses", torch.tensor(losses, dtype=torch.float64))]
    out += [("final." + k, v.detach().clone()) for k, v in p.items()]

    meta = {"dims": json.dumps({"n_layer": L, "n_head": H, "n_embd": C, "block_size": T, "vocab_size": V, "batch": B}),
            "train": json.dumps({"steps": STEPS, "lr": LR, "lr_min": LR_MIN, "warmup": WARMUP, "weight_decay": WD,
                                 "beta2": BETA2, "grad_clip": CLIP})}
    return run_reference_case(sys.argv[1], "GPT training matches PyTorch*", "GB_TRAIN_REF", out, meta)


if __name__ == "__main__":
    sys.exit(main())
