# Independent PyTorch GPT-2 (written from the paper/HF layout, not from the C++ code) plus a
# hand-written safetensors reader/writer, used to build Hugging Face-format checkpoint folders and
# reference outputs for the C++ engine. Run with /usr/bin/python3 (Debian's python3-torch).
import json
import math
import os
import struct

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

# [SECTION] safetensors by hand: 8-byte little-endian header length, JSON header, raw bytes.
_NP = {"F32": np.float32, "F16": np.float16, "F64": np.float64, "I64": np.int64, "I32": np.int32}


def _to_bytes(t: torch.Tensor, dtype: str) -> bytes:
    t = t.detach().contiguous().cpu()
    if dtype == "F32":
        return t.to(torch.float32).numpy().tobytes()
    if dtype == "F16":
        return t.to(torch.float16).numpy().tobytes()
    if dtype == "BF16":  # numpy has no bfloat16: reinterpret the 16-bit pattern
        return t.to(torch.bfloat16).view(torch.int16).numpy().tobytes()
    if dtype == "I32":
        return t.to(torch.int32).numpy().tobytes()
    raise ValueError(dtype)


def write_safetensors(path, tensors, metadata=None):
    """tensors: list of (name, torch tensor, dtype string). Written back to back in list order."""
    header = {}
    if metadata:
        header["__metadata__"] = metadata
    blobs, off = [], 0
    for name, t, dtype in tensors:
        b = _to_bytes(t, dtype)
        header[name] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [off, off + len(b)]}
        blobs.append(b)
        off += len(b)
    h = json.dumps(header).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)


def read_safetensors(path):
    """Returns (dict name -> float32 torch tensor, metadata dict)."""
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + n])
    meta = header.pop("__metadata__", {})
    base = 8 + n
    out = {}
    for name, e in header.items():
        b, en = e["data_offsets"]
        raw = data[base + b : base + en]
        if e["dtype"] == "BF16":
            a = np.frombuffer(raw, dtype=np.int16).copy()
            t = torch.from_numpy(a).view(torch.bfloat16).to(torch.float32)
        else:
            t = torch.from_numpy(np.frombuffer(raw, dtype=_NP[e["dtype"]]).copy()).to(torch.float32)
        out[name] = t.reshape(e["shape"])
    return out, meta


# [SECTION] the model, in Hugging Face GPT-2 naming with Conv1D (In, Out) weights
class Conv1D(nn.Module):
    """HF GPT-2's linear layer: weight (In, Out), y = x @ W + b."""

    def __init__(self, n_in, n_out):
        super().__init__()
        self.weight = nn.Parameter(torch.empty(n_in, n_out))
        self.bias = nn.Parameter(torch.zeros(n_out))

    def forward(self, x):
        return x @ self.weight + self.bias


class Attention(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.n_head = cfg["n_head"]
        self.c_attn = Conv1D(cfg["n_embd"], 3 * cfg["n_embd"])
        self.c_proj = Conv1D(cfg["n_embd"], cfg["n_embd"])

    def forward(self, x, cache=None, record=None):
        T, C = x.shape  # one sequence: (T, C)
        H, hs = self.n_head, C // self.n_head
        q, k, v = self.c_attn(x).split(C, dim=1)  # each (T, C)
        q = q.view(T, H, hs).transpose(0, 1)  # (H, T, hs)
        k = k.view(T, H, hs).transpose(0, 1)
        v = v.view(T, H, hs).transpose(0, 1)
        if cache is not None:  # cache: dict with "k", "v" (H, Tp, hs) or empty
            if "k" in cache:
                k = torch.cat([cache["k"], k], dim=1)
                v = torch.cat([cache["v"], v], dim=1)
            cache["k"], cache["v"] = k, v
        Tk = k.shape[1]
        scores = (q @ k.transpose(1, 2)) / math.sqrt(hs)  # (H, T, Tk)
        # query i sits at absolute position Tk − T + i and may see keys 0..that position
        qpos = torch.arange(Tk - T, Tk).view(T, 1)
        kpos = torch.arange(Tk).view(1, Tk)
        scores = scores.masked_fill(kpos > qpos, float("-inf"))
        w = F.softmax(scores, dim=-1)
        if record is not None:
            record["scores"], record["weights"] = scores, w
        y = (w @ v).transpose(0, 1).reshape(T, C)  # (T, C)
        return self.c_proj(y)


class MLP(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.c_fc = Conv1D(cfg["n_embd"], 4 * cfg["n_embd"])
        self.c_proj = Conv1D(4 * cfg["n_embd"], cfg["n_embd"])

    def forward(self, x):
        return self.c_proj(F.gelu(self.c_fc(x), approximate="tanh"))


class Block(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        eps = cfg.get("layer_norm_epsilon", 1e-5)
        self.ln_1 = nn.LayerNorm(cfg["n_embd"], eps=eps)
        self.attn = Attention(cfg)
        self.ln_2 = nn.LayerNorm(cfg["n_embd"], eps=eps)
        self.mlp = MLP(cfg)

    def forward(self, x, cache=None, record=None):
        x = x + self.attn(self.ln_1(x), cache, record)
        return x + self.mlp(self.ln_2(x))


class GPT(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.cfg = cfg
        self.wte = nn.Embedding(cfg["vocab_size"], cfg["n_embd"])
        self.wpe = nn.Embedding(cfg["n_positions"], cfg["n_embd"])
        self.h = nn.ModuleList([Block(cfg) for _ in range(cfg["n_layer"])])
        self.ln_f = nn.LayerNorm(cfg["n_embd"], eps=cfg.get("layer_norm_epsilon", 1e-5))

    def init_random(self, seed, std=0.02):
        g = torch.Generator().manual_seed(seed)
        for name, p in self.named_parameters():
            with torch.no_grad():
                if name.endswith("ln_1.weight") or name.endswith("ln_2.weight") or name.endswith("ln_f.weight"):
                    p.copy_(1.0 + 0.1 * torch.randn(p.shape, generator=g))
                elif name.endswith("bias"):
                    p.copy_(0.05 * torch.randn(p.shape, generator=g))
                else:
                    p.copy_(std * torch.randn(p.shape, generator=g))

    def forward(self, ids, caches=None, records=None, pos0=0):
        """ids: (T,) long; returns logits (T, V) and the residual stream after each block."""
        T = ids.shape[0]
        x = self.wte(ids) + self.wpe(torch.arange(pos0, pos0 + T))
        resid = []
        for i, blk in enumerate(self.h):
            x = blk(x, None if caches is None else caches[i], None if records is None else records[i])
            resid.append(x)
        logits = self.ln_f(x) @ self.wte.weight.t()  # tied head
        return logits, resid

    @staticmethod
    def load(folder):
        """Loads a Hugging Face GPT-2 folder (config.json + model.safetensors)."""
        with open(os.path.join(folder, "config.json")) as f:
            hf = json.load(f)
        cfg = {
            "n_layer": hf["n_layer"],
            "n_head": hf["n_head"],
            "n_embd": hf["n_embd"],
            "n_positions": hf["n_positions"],
            "vocab_size": hf["vocab_size"],
            "layer_norm_epsilon": hf.get("layer_norm_epsilon", 1e-5),
        }
        model = GPT(cfg)
        sd, _ = read_safetensors(os.path.join(folder, "model.safetensors"))
        sd = {k[len("transformer.") :] if k.startswith("transformer.") else k: v for k, v in sd.items()}
        own = dict(model.named_parameters())
        with torch.no_grad():
            for name, p in own.items():
                p.copy_(sd[name])
        return model


def hf_config(cfg):
    return {
        "architectures": ["GPT2LMHeadModel"],
        "model_type": "gpt2",
        "activation_function": "gelu_new",
        "n_layer": cfg["n_layer"],
        "n_head": cfg["n_head"],
        "n_embd": cfg["n_embd"],
        "n_positions": cfg["n_positions"],
        "n_ctx": cfg["n_positions"],
        "vocab_size": cfg["vocab_size"],
        "layer_norm_epsilon": cfg.get("layer_norm_epsilon", 1e-5),
        "bos_token_id": cfg["vocab_size"] - 1,
        "eos_token_id": cfg["vocab_size"] - 1,
        "torch_dtype": "float32",
    }


def save_hf_folder(model, folder, prefix="transformer.", dtype_of=lambda name: "F32", extra=True):
    """Writes config.json + model.safetensors as Hugging Face distributes GPT-2: Conv1D (In, Out)
    weights, names with `prefix`, the causal-mask buffers `h.N.attn.bias` as extra tensors (HF's
    older exports carry them), no separate lm_head (tied). The model's weights are rounded in place
    to the stored dtype so PyTorch computes with exactly the weights the file holds."""
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "config.json"), "w") as f:
        json.dump(hf_config(model.cfg), f, indent=2)
    tensors = []
    for name, p in model.named_parameters():
        dt = dtype_of(name)
        with torch.no_grad():
            if dt == "F16":
                p.copy_(p.to(torch.float16).to(torch.float32))
            elif dt == "BF16":
                p.copy_(p.to(torch.bfloat16).to(torch.float32))
        tensors.append((prefix + name, p, dt))
    if extra:
        n = model.cfg["n_positions"]
        mask = torch.tril(torch.ones(n, n)).view(1, 1, n, n)
        for i in range(model.cfg["n_layer"]):
            tensors.append((prefix + "h.%d.attn.bias" % i, mask, "F32"))
    write_safetensors(os.path.join(folder, "model.safetensors"), tensors, {"format": "pt"})
