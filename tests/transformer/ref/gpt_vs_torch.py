# Builds Hugging Face GPT-2-format folders with the PyTorch reference GPT (gpt_ref.py), records its
# logits and internals, then runs the C++ doctest case that loads each folder and compares.
# usage: /usr/bin/python3 gpt_vs_torch.py PATH/TO/test_transformer [WORKDIR]
import os
import subprocess
import sys
import tempfile

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gpt_ref import GPT, save_hf_folder, write_safetensors  # noqa: E402

torch.manual_seed(0)


def build(folder, cfg, seed, prefix, dtype_of):
    model = GPT(cfg)
    model.init_random(seed, std=0.15)  # larger than GPT-2's 0.02 so every layer shapes the output
    save_hf_folder(model, folder, prefix=prefix, dtype_of=dtype_of)
    model.eval()
    g = torch.Generator().manual_seed(seed + 1)
    T = cfg["n_positions"] - 3
    ids = torch.randint(0, cfg["vocab_size"], (T,), generator=g)
    records = [dict() for _ in range(cfg["n_layer"])]
    with torch.no_grad():
        logits, resid = model(ids, records=records)
        # cached decoding: prefill 5, then one token at a time
        caches = [dict() for _ in range(cfg["n_layer"])]
        cached = [model(ids[:5], caches=caches)[0][-1]]
        for t in range(5, T):
            cached.append(model(ids[t : t + 1], caches=caches, pos0=t)[0][-1])
    tensors = [("ids", ids.to(torch.int32), "I32"), ("logits", logits, "F32"), ("cached_last_logits", torch.stack(cached), "F32")]
    for i, r in enumerate(resid):
        tensors.append(("resid_post.%d" % i, r, "F32"))
    for i, rec in enumerate(records):
        tensors.append(("attn_weights.%d" % i, rec["weights"], "F32"))  # (H, T, T)
    write_safetensors(os.path.join(folder, "expected.safetensors"), tensors)
    return folder


def main():
    if len(sys.argv) < 2:
        print(__doc__ or "usage: gpt_vs_torch.py TEST_BINARY [WORKDIR]")
        return 2
    binary = sys.argv[1]
    work = sys.argv[2] if len(sys.argv) > 2 else tempfile.mkdtemp(prefix="gb_gpt_ref_")
    folders = []
    # 1: HF naming with `transformer.` prefix; mixed storage (wpe F16, every c_fc BF16, ln_f F16).
    cfg1 = dict(n_layer=3, n_head=4, n_embd=32, n_positions=24, vocab_size=61, layer_norm_epsilon=1e-5)

    def mixed(name):
        if name == "wpe.weight" or name.startswith("ln_f"):
            return "F16"
        if "mlp.c_fc" in name:
            return "BF16"
        return "F32"

    folders.append(build(os.path.join(work, "mixed"), cfg1, 11, "transformer.", mixed))
    # 2: no prefix, all F32, a different shape (one head, odd vocabulary, 1 layer).
    cfg2 = dict(n_layer=1, n_head=1, n_embd=24, n_positions=16, vocab_size=97, layer_norm_epsilon=1e-5)
    folders.append(build(os.path.join(work, "plain"), cfg2, 12, "", lambda n: "F32"))
    # 3: all BF16, 6 heads of 8.
    cfg3 = dict(n_layer=2, n_head=6, n_embd=48, n_positions=20, vocab_size=50, layer_norm_epsilon=1e-5)
    folders.append(build(os.path.join(work, "bf16"), cfg3, 13, "transformer.", lambda n: "BF16"))

    env = dict(os.environ, GB_TORCH_REF=":".join(folders))
    r = subprocess.run([binary, "-tc=GPT matches the PyTorch reference*"], env=env)
    return r.returncode


if __name__ == "__main__":
    sys.exit(main())
