#!/usr/bin/python3
# PyTorch reference for issue 18: LoRA adapters and the DPO loss on a GPT. An independent GPT-2 with
# torch.nn.functional in float64 on random weights: (1) the loss of a batch with LoRA adapters
# W + (alpha/r)·B·A on every attention and MLP matrix, and its gradients w.r.t. every A and B;
# (2) the DPO loss of preference pairs against a reference model, u per pair, and the gradient w.r.t.
# every weight. Writes them to a safetensors file and runs the doctest case that compares
# (usage: teach_vs_torch.py TEST_TRANSFORMER_EXE).
import json
import math
import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "transformer", "ref_train"))
from train_vs_torch import param_shapes, run_reference_case  # noqa: E402  (same L, H, C, T, V as below)
import train_vs_torch  # noqa: E402

L, H, C, T, V, B = 2, 2, 16, 8, 37, 3  # layers, heads, width, context, vocabulary, batch
R, ALPHA, BETA = 3, 6.0, 0.5             # LoRA rank and alpha, DPO beta
TARGETS = ["attn.c_attn", "attn.c_proj", "mlp.c_fc", "mlp.c_proj"]
assert (train_vs_torch.L, train_vs_torch.H, train_vs_torch.C, train_vs_torch.T, train_vs_torch.V) == (L, H, C, T, V)


def gpt(p, idx, lora=None):
    """idx (B, T) -> logits (B, T, V). Pre-LN GPT-2, tied head, tanh-GELU; lora: name -> (A, B)."""
    def w(name):
        W = p[name + ".weight"]
        if lora is not None and name.split(".", 2)[2] in TARGETS:
            A, Bm = lora[name]
            W = W + (ALPHA / R) * (Bm @ A)
        return W
    b, t = idx.shape
    x = p["wte.weight"][idx] + p["wpe.weight"][:t]
    mask = torch.tril(torch.ones(t, t, dtype=torch.bool))
    for l in range(L):
        h = f"h.{l}."
        a = F.layer_norm(x, (C,), p[h + "ln_1.weight"], p[h + "ln_1.bias"], 1e-5)
        qkv = F.linear(a, w(h + "attn.c_attn"), p[h + "attn.c_attn.bias"])
        q, k, v = qkv.split(C, dim=2)
        q, k, v = (z.view(b, t, H, C // H).transpose(1, 2) for z in (q, k, v))
        att = (q @ k.transpose(-2, -1)) / math.sqrt(C // H)
        att = att.masked_fill(~mask, float("-inf")).softmax(dim=-1)
        y = (att @ v).transpose(1, 2).reshape(b, t, C)
        x = x + F.linear(y, w(h + "attn.c_proj"), p[h + "attn.c_proj.bias"])
        m = F.layer_norm(x, (C,), p[h + "ln_2.weight"], p[h + "ln_2.bias"], 1e-5)
        m = F.gelu(F.linear(m, w(h + "mlp.c_fc"), p[h + "mlp.c_fc.bias"]), approximate="tanh")
        x = x + F.linear(m, w(h + "mlp.c_proj"), p[h + "mlp.c_proj.bias"])
    x = F.layer_norm(x, (C,), p["ln_f.weight"], p["ln_f.bias"], 1e-5)
    return x @ p["wte.weight"].t()


def seq_logprob(p, prompt, cont):
    seq = torch.tensor(prompt + cont)
    logits = gpt(p, seq[:-1].unsqueeze(0))[0]
    lp = F.log_softmax(logits, dim=-1)
    first = len(prompt) - 1
    return sum(lp[first + i, cont[i]] for i in range(len(cont)))


def random_weights(scale):
    p = {}
    for name, shape in param_shapes():
        if name.endswith("ln_1.weight") or name.endswith("ln_2.weight") or name == "ln_f.weight":
            p[name] = 1 + 0.1 * torch.randn(shape, dtype=torch.float64)
        else:
            p[name] = scale * torch.randn(shape, dtype=torch.float64)
    return {k: v.float().double() for k, v in p.items()}  # float32-exact, as the C++ side reads them


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: teach_vs_torch.py TEST_TRANSFORMER_EXE")
    torch.manual_seed(1818)
    out = []
    # (1) LoRA: base weights, adapters with non-zero B, one batch
    base = random_weights(0.2)
    lora = {}
    for l in range(L):
        for t in TARGETS:
            name = f"h.{l}.{t}"
            Wout, Win = base[name + ".weight"].shape
            A = (0.3 * torch.randn(R, Win, dtype=torch.float64)).float().double().requires_grad_(True)
            Bm = (0.3 * torch.randn(Wout, R, dtype=torch.float64)).float().double().requires_grad_(True)
            lora[name] = (A, Bm)
    batch = torch.randint(0, V, (B, T + 1))
    logits = gpt(base, batch[:, :-1], lora)
    loss = F.cross_entropy(logits.reshape(-1, V), batch[:, 1:].reshape(-1))
    loss.backward()
    out += [("base." + k, v) for k, v in base.items()]
    for name, (A, Bm) in lora.items():
        out += [(name + ".lora_A", A.detach()), (name + ".lora_B", Bm.detach()),
                ("grad." + name + ".lora_A", A.grad), ("grad." + name + ".lora_B", Bm.grad)]
    out += [("lora.batch", batch), ("lora.loss", loss.detach().reshape(1))]

    # (2) DPO: a policy near the reference, three pairs of different lengths
    ref = random_weights(0.2)
    pol = {k: (v + 0.05 * torch.randn_like(v)).float().double().requires_grad_(True) for k, v in ref.items()}
    pairs = [([1, 2, 3], [4, 5], [6, 7, 8]), ([9], [10, 11, 12, 13], [14]), ([15, 16, 17, 18], [19, 20, 21], [22, 23])]
    total, us = 0.0, []
    for pr, ch, rj in pairs:
        with torch.no_grad():
            rc, rr = seq_logprob(ref, pr, ch), seq_logprob(ref, pr, rj)
        u = BETA * ((seq_logprob(pol, pr, ch) - rc) - (seq_logprob(pol, pr, rj) - rr))
        us.append(u.item())
        total = total - F.logsigmoid(u) / len(pairs)
    total.backward()
    out += [("ref." + k, v) for k, v in ref.items()]
    out += [("pol." + k, v.detach()) for k, v in pol.items()]
    out += [("dpo.grad." + k, v.grad) for k, v in pol.items()]
    out += [("dpo.loss", total.detach().reshape(1)), ("dpo.u", torch.tensor(us, dtype=torch.float64))]

    meta = {"dims": json.dumps({"n_layer": L, "n_head": H, "n_embd": C, "block_size": T, "vocab_size": V, "batch": B}),
            "lora": json.dumps({"rank": R, "alpha": ALPHA}),
            "dpo": json.dumps({"beta": BETA, "pairs": pairs})}
    return run_reference_case(sys.argv[1], "LoRA and DPO match PyTorch*", "GB_TEACH_REF", out, meta)


if __name__ == "__main__":
    sys.exit(main())
