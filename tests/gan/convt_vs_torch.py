#!/usr/bin/python3
# PyTorch reference for gb::conv_transpose2d: writes random cases with torch's forward output and
# gradients to a file, then runs the doctest case that compares them (usage: convt_vs_torch.py TEST_GAN_EXE).
import os
import struct
import subprocess
import sys
import tempfile

import torch

CASES = [  # N, Cin, H, W, Cout, K, stride, pad
    (2, 3, 4, 5, 2, 4, 2, 1),   # the generator's upsampling shape
    (1, 2, 3, 3, 3, 3, 1, 1),
    (2, 4, 2, 3, 1, 5, 3, 2),
    (3, 8, 7, 7, 4, 4, 2, 1),
]


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: convt_vs_torch.py TEST_GAN_EXE")
    torch.manual_seed(0)
    fd, path = tempfile.mkstemp(suffix=".bin")
    with os.fdopen(fd, "wb") as f:
        f.write(struct.pack("<i", len(CASES)))
        for (n, cin, h, w, cout, k, s, p) in CASES:
            x = torch.randn(n, cin, h, w, dtype=torch.float64, requires_grad=True)
            layer = torch.nn.ConvTranspose2d(cin, cout, k, stride=s, padding=p).double()
            out = layer(x)
            dout = torch.randn_like(out)
            out.backward(dout)
            f.write(struct.pack("<8i", n, cin, h, w, cout, k, s, p))
            for t in (x, layer.weight, layer.bias, dout, out, x.grad, layer.weight.grad, layer.bias.grad):
                f.write(t.detach().float().contiguous().numpy().tobytes())
    try:
        env = dict(os.environ, GB_CONVT_REF=path)
        r = subprocess.run([sys.argv[1], "--test-case=*PyTorch*", "--no-skip"], env=env)
        return r.returncode
    finally:
        os.unlink(path)


if __name__ == "__main__":
    sys.exit(main())
