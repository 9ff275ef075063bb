#!/usr/bin/python3
# PyTorch mirror of Glassbox's diffusion U-Net (src/models/diffusion/unet.hpp), with the same
# parameter names and layouts, plus a tiny safetensors reader/writer (numpy) so weights move both
# ways. Used by tests/diffusion/unet_vs_torch.py and tools/bench_diffusion_vs_torch.py.
import json
import math
import struct

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

_DT = {"F32": np.float32, "F16": np.float16, "I32": np.int32, "I64": np.int64, "U8": np.uint8}


def read_safetensors(path):
    """Returns (tensors: name -> float32 numpy array, metadata dict)."""
    with open(path, "rb") as f:
        raw = f.read()
    n = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8:8 + n])
    meta = header.pop("__metadata__", {})
    base = 8 + n
    out = {}
    for name, info in header.items():
        a, b = info["data_offsets"]
        arr = np.frombuffer(raw[base + a:base + b], dtype=_DT[info["dtype"]]).reshape(info["shape"])
        out[name] = arr.astype(np.float32) if info["dtype"] in ("F16", "F32") else arr.copy()
    return out, meta


def write_safetensors(path, tensors, metadata=None):
    header, blobs, off = {}, [], 0
    for name, arr in tensors.items():
        arr = np.ascontiguousarray(arr)
        dt = {np.dtype(np.float32): "F32", np.dtype(np.float16): "F16", np.dtype(np.int32): "I32"}[arr.dtype]
        b = arr.tobytes()
        header[name] = {"dtype": dt, "shape": list(arr.shape), "data_offsets": [off, off + len(b)]}
        blobs.append(b)
        off += len(b)
    if metadata:
        header["__metadata__"] = metadata
    h = json.dumps(header).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))


def timestep_embedding(t, dim):
    half = dim // 2
    f = torch.exp(-math.log(10000.0) * torch.arange(half, dtype=torch.float64) / half)
    a = t.double()[:, None] * f[None, :]
    return torch.cat([torch.sin(a), torch.cos(a)], 1).float()


class ResBlock(nn.Module):
    def __init__(self, cin, cout, emb, groups):
        super().__init__()
        self.gn1 = nn.GroupNorm(groups, cin)
        self.conv1 = nn.Conv2d(cin, cout, 3, padding=1)
        self.emb = nn.Linear(emb, cout)
        self.gn2 = nn.GroupNorm(groups, cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, padding=1)
        self.skip = nn.Conv2d(cin, cout, 1) if cin != cout else None

    def forward(self, x, semb):
        h = self.conv1(F.silu(self.gn1(x))) + self.emb(semb)[:, :, None, None]
        h = self.conv2(F.silu(self.gn2(h)))
        return h + (self.skip(x) if self.skip is not None else x)


class TimeMLP(nn.Module):
    def __init__(self, tdim, emb):
        super().__init__()
        self.lin1 = nn.Linear(tdim, emb)
        self.lin2 = nn.Linear(emb, emb)


class UNet(nn.Module):
    def __init__(self, c0=32, c1=64, emb=128, tdim=32, groups=8, num_classes=10):
        super().__init__()
        self.tdim, self.num_classes = tdim, num_classes
        self.time = TimeMLP(tdim, emb)
        if num_classes > 0:
            self.class_emb = nn.Embedding(num_classes + 1, emb)
        self.conv_in = nn.Conv2d(4, c0, 3, padding=1)
        self.rb0 = ResBlock(c0, c0, emb, groups)
        self.rb1 = ResBlock(c0, c1, emb, groups)
        self.rb2 = ResBlock(c1, c1, emb, groups)
        self.rb3 = ResBlock(c1 + c0, c0, emb, groups)
        self.gn_out = nn.GroupNorm(groups, c0)
        self.conv_out = nn.Conv2d(c0, 4, 3, padding=1)

    @staticmethod
    def from_config(cfg):
        return UNet(cfg["c0"], cfg["c1"], cfg["emb"], cfg["tdim"], cfg["groups"], cfg["num_classes"])

    def forward(self, x, t, label):
        """x (B,1,28,28), t (B,) int, label (B,) int in 0..num_classes (num_classes = no class)."""
        e = self.time.lin2(F.silu(self.time.lin1(timestep_embedding(t, self.tdim))))
        if self.num_classes > 0:
            e = e + self.class_emb(label)
        semb = F.silu(e)
        h0 = self.conv_in(F.pixel_unshuffle(x, 2))
        s0 = self.rb0(h0, semb)
        h = self.rb2(self.rb1(F.avg_pool2d(s0, 2), semb), semb)
        h = torch.cat([F.interpolate(h, scale_factor=2, mode="nearest"), s0], 1)
        h = self.rb3(h, semb)
        return F.pixel_shuffle(self.conv_out(F.silu(self.gn_out(h))), 2)

    def load_glassbox(self, tensors):
        sd = self.state_dict()
        for k in sd:
            sd[k] = torch.from_numpy(np.asarray(tensors[k], dtype=np.float32).reshape(sd[k].shape))
        self.load_state_dict(sd)
