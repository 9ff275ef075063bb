#!/usr/bin/python3
# PyTorch reference for gb::conv2d and gb::groupnorm: writes random cases with torch's outputs and
# gradients to a file, then runs the doctest case that compares them (usage: conv_vs_torch.py TEST_DIFFUSION_EXE).
import os
import struct
import subprocess
import sys
import tempfile

import torch

CASES = [  # N, Cin, H, W, Cout, K, stride, pad
    (2, 3, 28, 28, 8, 3, 1, 1),   # the U-Net's 3×3 shape
    (1, 4, 7, 7, 5, 3, 2, 1),     # strided
    (3, 6, 5, 4, 2, 1, 1, 0),     # pointwise
    (2, 2, 9, 8, 3, 4, 2, 1),     # even kernel, stride 2 (the GAN discriminator's shape)
    (3, 3, 6, 7, 2, 5, 1, 2),     # 5×5 "same" padding, several images per GEMM
]
GN = (2, 16, 49, 8)  # N, C, HW, G


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: conv_vs_torch.py TEST_DIFFUSION_EXE")
    torch.manual_seed(0)
    fd, path = tempfile.mkstemp(suffix=".bin")
    with os.fdopen(fd, "wb") as f:
        f.write(struct.pack("<i", len(CASES)))
        for (n, cin, h, w, cout, k, s, p) in CASES:
            x = torch.randn(n, cin, h, w, dtype=torch.float64, requires_grad=True)
            layer = torch.nn.Conv2d(cin, cout, k, stride=s, padding=p).double()
            out = layer(x)
            dout = torch.randn_like(out)
            out.backward(dout)
            f.write(struct.pack("<8i", n, cin, h, w, cout, k, s, p))
            for t in (x, layer.weight, layer.bias, dout, out, x.grad, layer.weight.grad, layer.bias.grad):
                f.write(t.detach().float().contiguous().numpy().tobytes())
        n, c, hw, g = GN
        x = (2 * torch.randn(n, c, hw, dtype=torch.float64) + 0.5).requires_grad_(True)
        layer = torch.nn.GroupNorm(g, c).double()
        with torch.no_grad():
            layer.weight.copy_(torch.randn(c))
            layer.bias.copy_(torch.randn(c))
        out = layer(x)
        dout = torch.randn_like(out)
        out.backward(dout)
        f.write(struct.pack("<4i", n, c, hw, g))
        for t in (x, layer.weight, layer.bias, dout, out, x.grad, layer.weight.grad, layer.bias.grad):
            f.write(t.detach().float().contiguous().numpy().tobytes())
    try:
        env = dict(os.environ, GB_CONV_REF=path)
        r = subprocess.run([sys.argv[1], "--test-case=conv2d and groupnorm match PyTorch", "--no-skip"], env=env, capture_output=True, text=True)
        sys.stdout.write(r.stdout + r.stderr)
        if r.returncode == 0 and "1 passed" not in r.stdout:
            print("the reference test case did not run")
            return 1
        return r.returncode
    finally:
        os.unlink(path)


if __name__ == "__main__":
    sys.exit(main())
