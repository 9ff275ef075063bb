#!/usr/bin/python3
# PyTorch reference for the VAE: the mirror model of tests/quality/vae_torch.py with random weights
# (four configurations: unconditional latent 2 and class-conditional, each with the MLP and the conv
# decoder, at reduced width),
# computes the two loss terms and every parameter's gradient of rec + β·KL, writes them to a
# safetensors file and runs the doctest case that compares (usage: vae_vs_torch.py TEST_VAE_EXE).
import json
import os
import subprocess
import sys
import tempfile

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "quality"))
import vae_torch as vt  # noqa: E402


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: vae_vs_torch.py TEST_VAE_EXE")
    torch.manual_seed(0)
    out, meta = {}, {}
    configs = (("cfg.a", dict(latent=2, n_classes=0, hidden1=64, hidden2=32), 1.0),
               ("cfg.b", dict(latent=16, n_classes=10, hidden1=48, hidden2=40), 0.6),
               ("cfg.c", dict(latent=2, n_classes=0, hidden1=64, hidden2=32, decoder="conv", conv_ch0=6, conv_ch1=5), 1.0),
               ("cfg.d", dict(latent=8, n_classes=10, hidden1=48, hidden2=40, decoder="conv", conv_ch0=8, conv_ch1=4), 3.0))
    meta["configs"] = ",".join(key for key, _, _ in configs)
    for key, cfg, beta in configs:
        net = vt.VAE(**cfg)
        with torch.no_grad():  # log σ² of a few nats either way, not all near 0
            net.enc.out.bias.add_(torch.randn_like(net.enc.out.bias))
        N = 5
        x = torch.rand(N, vt.PIXELS)
        labels = torch.tensor([0, 3, 9, 3, 7])
        eps = torch.randn(N, cfg["latent"])
        rec, kl = net.loss(x, labels if cfg["n_classes"] else None, eps)
        (rec + beta * kl).backward()
        p = key + "."
        for name, prm in net.named_parameters():
            out[p + name] = prm.detach().numpy()
            out[p + "grad." + name] = prm.grad.numpy()
        out[p + "input.x"] = x.numpy()
        out[p + "input.eps"] = eps.numpy()
        out[p + "input.labels"] = labels.float().numpy()
        out[p + "ref.loss"] = torch.tensor([rec.item(), kl.item()]).numpy()
        meta[key] = json.dumps(cfg)
        meta[p + "beta"] = repr(beta)
    fd, path = tempfile.mkstemp(suffix=".safetensors")
    os.close(fd)
    vt.write_safetensors(path, out, meta)
    try:
        env = dict(os.environ, GB_VAE_REF=path)
        r = subprocess.run([sys.argv[1], "--test-case=VAE matches PyTorch*", "--no-skip", "--success=false"], env=env,
                           capture_output=True, text=True)
        sys.stdout.write(r.stdout + r.stderr)
        if r.returncode == 0 and "1 passed" not in r.stdout:
            print("the reference test case did not run")
            return 1
        return r.returncode
    finally:
        os.unlink(path)


if __name__ == "__main__":
    sys.exit(main())
