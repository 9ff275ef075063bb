#!/usr/bin/python3
# PyTorch reference for the diffusion U-Net: builds the mirror model (tools/diffusion_torch.py) with
# random weights, computes ε and the gradients of L = Σ w·ε for every parameter, writes them to a
# safetensors file and runs the doctest case that compares (usage: unet_vs_torch.py TEST_DIFFUSION_EXE).
import os
import subprocess
import sys
import tempfile

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools"))
import diffusion_torch as dt  # noqa: E402


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: unet_vs_torch.py TEST_DIFFUSION_EXE")
    torch.manual_seed(0)
    cfg = dict(c0=16, c1=24, emb=32, tdim=16, groups=4, num_classes=10)
    net = dt.UNet.from_config(cfg)
    with torch.no_grad():  # non-trivial GroupNorm affine parameters too
        for name, p in net.named_parameters():
            if ".gn" in name or name.startswith("gn_out"):
                p.add_(0.3 * torch.randn_like(p))
    B = 3
    x = torch.randn(B, 1, 28, 28)
    t = torch.tensor([0, 517, 999])
    label = torch.tensor([3, 10, 7])
    w = torch.randn(B, 1, 28, 28)
    eps = net(x, t, label)
    (eps * w).sum().backward()
    out = {}
    for name, p in net.named_parameters():
        out[name] = p.detach().numpy()
        out["grad." + name] = p.grad.numpy()
    out["input.x"] = x.numpy()
    out["input.t"] = t.numpy().astype(np.int32)
    out["input.label"] = label.numpy().astype(np.int32)
    out["input.w"] = w.numpy()
    out["ref.eps"] = eps.detach().numpy()
    fd, path = tempfile.mkstemp(suffix=".safetensors")
    os.close(fd)
    dt.write_safetensors(path, out, {"config": str(cfg).replace("'", '"')})
    try:
        env = dict(os.environ, GB_UNET_REF=path)
        r = subprocess.run([sys.argv[1], "--test-case=U-Net matches PyTorch", "--no-skip"], env=env, capture_output=True, text=True)
        sys.stdout.write(r.stdout + r.stderr)
        if r.returncode == 0 and "1 passed" not in r.stdout:
            print("the reference test case did not run")
            return 1
        return r.returncode
    finally:
        os.unlink(path)


if __name__ == "__main__":
    sys.exit(main())
