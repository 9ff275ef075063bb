#!/usr/bin/python3
# A plain PyTorch VAE of the same size as Glassbox's (src/models/vae/vae.hpp: same layers, parameter
# names and loss), used two ways:
#   * as the mirror that checks Glassbox's loss terms and gradients on the same weights
#     (tests/vae/vae_vs_torch.py imports VAE and write_safetensors from here);
#   * as the baseline of the quality table: trained with the same steps, batch, learning rate, β and
#     schedule as a shipped Glassbox model (read from its metadata), then both are measured the same
#     way with the independent classifier (fashion_classifier.py).
#
#   vae_torch.py compare GLASSBOX_EXE VAE2D.safetensors CVAE.safetensors [--json]
#       trains (or loads from ~/.cache/glassbox) the PyTorch twins and prints one table:
#       2D VAE  — test-set negative ELBO (rec + KL, nats/image); reconstructions of 2000 test images
#                 (μ decoded) labelled as their true class; FD of prior samples
#       CVAE    — test-set negative ELBO; 1000 prior samples (100 per class) labelled as asked,
#                 min/mean per-class diversity, Fréchet distance on the classifier's 128-d features — from
#                 N(0, I) and, when the Glassbox model has one, from its fitted prior (the twin gets its own,
#                 fitted the same way to its own codes)
#       Glassbox's images come from its own CLI (`sample vae`, `vae encode`, `vae decode`).
#   --min-accuracy A   exit 1 if the Glassbox CVAE's labelled-as-asked accuracy < A
#   vae_torch.py train-twin MODEL.safetensors   only train and cache the twin (MODEL may be OUT.ckpt.safetensors)
# Run with /usr/bin/python3 (torch + numpy).
import argparse
import hashlib
import json
import math
import os
import struct
import subprocess
import sys
import tempfile
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools"))
import fashion_classifier as fc  # noqa: E402
from diffusion_torch import write_safetensors  # noqa: E402,F401  (re-exported for tests/vae/vae_vs_torch.py)

PIXELS = 784
CACHE_VERSION = 1


# [SECTION] the model
class Linear(nn.Linear):
    """nn.Linear (same parameters, names and init) computed as a 1×1 convolution: Debian's torch
    links the reference BLAS, whose matrix products are ~10× slower than the oneDNN convolution."""

    def forward(self, x):  # x (N, in) → (N, out)
        return F.conv2d(x[:, :, None, None], self.weight[:, :, None, None], self.bias).flatten(1)


class MLP3(nn.Module):
    def __init__(self, n_in, h1, h2, n_out):
        super().__init__()
        self.fc1 = Linear(n_in, h1)
        self.fc2 = Linear(h1, h2)
        self.out = Linear(h2, n_out)

    def forward(self, x):
        return self.out(F.relu(self.fc2(F.relu(self.fc1(x)))))


class ConvDecoder(nn.Module):
    """[z ; one-hot] → linear → (K0, 7, 7) → ReLU → 2× nearest → conv 3×3 → (K1, 14, 14) → ReLU → 2× nearest
    → conv 3×3 → (K1, 28, 28) → ReLU → conv 3×3 → (1, 28, 28) logits, flattened to (N, 784)."""

    def __init__(self, n_in, ch0, ch1):
        super().__init__()
        self.ch0 = ch0
        self.fc = Linear(n_in, ch0 * 49)
        self.conv1 = nn.Conv2d(ch0, ch1, 3, padding=1)
        self.conv2 = nn.Conv2d(ch1, ch1, 3, padding=1)
        self.conv3 = nn.Conv2d(ch1, 1, 3, padding=1)

    def forward(self, v):
        h = F.relu(self.fc(v)).view(-1, self.ch0, 7, 7)
        h = F.relu(self.conv1(F.interpolate(h, scale_factor=2, mode="nearest")))
        h = F.relu(self.conv2(F.interpolate(h, scale_factor=2, mode="nearest")))
        return self.conv3(h).flatten(1)


class VAE(nn.Module):
    """encoder [x ; one-hot] → μ, log σ² ; z = μ + σ·ε ; decoder [z ; one-hot] → logits (784), an MLP or
    (decoder="conv") upsampling convolutions."""

    def __init__(self, latent=2, n_classes=0, hidden1=512, hidden2=256, decoder="mlp", conv_ch0=64, conv_ch1=32):
        super().__init__()
        self.latent, self.n_classes, self.decoder = latent, n_classes, decoder
        self.enc = MLP3(PIXELS + n_classes, hidden1, hidden2, 2 * latent)
        if decoder == "conv":
            self.dec = ConvDecoder(latent + n_classes, conv_ch0, conv_ch1)
        else:
            self.dec = MLP3(latent + n_classes, hidden2, hidden1, PIXELS)

    def config(self):
        c = {"latent": self.latent, "n_classes": self.n_classes,
             "hidden1": self.enc.fc1.out_features, "hidden2": self.enc.fc2.out_features}
        if self.decoder == "conv":
            c.update(decoder="conv", conv_ch0=self.dec.conv1.in_channels, conv_ch1=self.dec.conv1.out_channels)
        return c

    def _cat(self, v, y):
        if self.n_classes == 0:
            return v
        return torch.cat([v, F.one_hot(y, self.n_classes).to(v.dtype)], 1)

    def encode(self, x, y=None):  # x (N, 784) in [0, 1] → μ (N, Z), log σ² (N, Z)
        s = self.enc(self._cat(x, y))
        return s[:, :self.latent], s[:, self.latent:]

    def decode(self, z, y=None):  # z (N, Z) → logits (N, 784)
        return self.dec(self._cat(z, y))

    def loss(self, x, y, eps):
        """Batch means of the reconstruction (Bernoulli NLL summed over pixels) and KL terms, nats."""
        mu, lv = self.encode(x, y)
        z = mu + torch.exp(0.5 * lv) * eps
        logits = self.decode(z, y)
        rec = F.binary_cross_entropy_with_logits(logits, x, reduction="sum") / len(x)
        kl = 0.5 * (mu * mu + torch.exp(lv) - 1.0 - lv).sum() / len(x)
        return rec, kl


# [SECTION] safetensors reading (numpy only; writing: tools/diffusion_torch.py)
def read_safetensors(path):
    with open(path, "rb") as f:
        raw = f.read()
    n = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8:8 + n])
    meta = header.pop("__metadata__", {})
    out = {}
    for name, t in header.items():
        dt = {"F32": np.float32, "F16": np.float16}[t["dtype"]]
        a, b = t["data_offsets"]
        out[name] = np.frombuffer(raw[8 + n + a:8 + n + b], dtype=dt).reshape(t["shape"]).astype(np.float32)
    return out, meta


def load_glassbox(path):
    """A Glassbox VAE checkpoint as a torch VAE (same weights) plus its metadata."""
    tensors, meta = read_safetensors(path)
    if meta.get("glassbox.model") != "vae":
        raise SystemExit("%s: not a Glassbox VAE checkpoint" % path)
    net = VAE(**json.loads(meta["glassbox.config"]))
    with torch.no_grad():
        for name, p in net.named_parameters():
            p.copy_(torch.from_numpy(tensors[name]))
    net.eval()
    return net, meta


# [SECTION] training, the same recipe as src/models/vae/vae_train.cpp
def train_twin(cfg, train, verbose=True):
    """Trains a PyTorch VAE with Glassbox's recipe: AdamW (β 0.9/0.999, ε 1e-8, no decay), cosine
    decay from lr to lr/10 over `steps`, batches drawn with replacement, optional linear KL warm-up;
    stops after `step` steps (a checkpoint taken part-way is compared with a twin stopped there)."""
    torch.set_num_threads(1)
    steps, batch, lr, beta = int(train["steps"]), int(train["batch"]), float(train["lr"]), float(train["beta"])
    stop = int(train.get("step", steps))
    warm = int(train.get("kl_warmup", 0))
    seed = int(train["seed"])
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    net = VAE(**cfg)
    xtr, ytr = fc.load_split("train")
    x_all = torch.from_numpy(xtr.reshape(len(xtr), -1).astype(np.float32) / 255.0)
    y_all = torch.from_numpy(ytr)
    opt = torch.optim.AdamW(net.parameters(), lr=lr, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0)
    t0 = time.time()
    for step in range(stop):
        for g in opt.param_groups:
            g["lr"] = lr * 0.1 + 0.5 * (lr - lr * 0.1) * (1 + math.cos(math.pi * step / steps))
        b = beta if warm <= 0 or step >= warm else beta * (step + 1) / warm
        idx = torch.from_numpy(rng.integers(0, len(xtr), batch))
        x, y = x_all[idx], y_all[idx]
        rec, kl = net.loss(x, y if net.n_classes else None, torch.randn(batch, net.latent))
        opt.zero_grad()
        (rec + b * kl).backward()
        opt.step()
        if verbose and (step + 1) % 1000 == 0:
            print("  torch twin %s: step %d/%d rec %.1f KL %.2f (%.0f s)" %
                  (json.dumps(cfg), step + 1, stop, rec.item(), kl.item(), time.time() - t0), flush=True)
    net.eval()
    return net, time.time() - t0


RECIPE = ("step", "steps", "batch", "lr", "beta", "kl_warmup", "seed", "weight_decay")


def twin_for(glassbox_path, verbose=True, cached_only=False):
    """The PyTorch twin of a Glassbox model (same config and training recipe), cached. The path may
    be the final model or its OUT.ckpt.safetensors (same recipe), so the twin can train alongside."""
    _, meta = load_glassbox(glassbox_path)
    cfg = json.loads(meta["glassbox.config"])
    train = json.loads(meta["glassbox.train"])
    recipe = {k: float("%.6g" % float(train[k])) for k in RECIPE}  # fp32 values as JSON differ in the last digits
    key = hashlib.sha1(json.dumps([CACHE_VERSION, cfg, recipe], sort_keys=True).encode()).hexdigest()[:12]
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    path = os.path.join(base, "glassbox", "vae_torch_%s.pt" % key)
    net = VAE(**cfg)
    if cached_only and not os.path.exists(path):
        return None, float("nan")
    if os.path.exists(path):
        state = torch.load(path)
        net.load_state_dict(state["model"])
        net.eval()
        return net, state["seconds"]
    net, secs = train_twin(cfg, train, verbose)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = path + ".tmp.%d" % os.getpid()
    torch.save({"model": net.state_dict(), "seconds": secs}, tmp)
    os.replace(tmp, path)
    return net, secs


# [SECTION] measures
def neg_elbo(net, seed=7):
    """Test-set (10000 images) mean reconstruction and KL terms, one ε per image."""
    xte, yte = fc.load_split("test")
    g = torch.Generator().manual_seed(seed)
    rec = kl = 0.0
    with torch.no_grad():
        for i in range(0, len(xte), 1000):
            x = torch.from_numpy(xte[i:i + 1000].reshape(-1, PIXELS).astype(np.float32) / 255.0)
            y = torch.from_numpy(yte[i:i + 1000])
            r, k = net.loss(x, y if net.n_classes else None, torch.randn(len(x), net.latent, generator=g))
            rec += r.item() * len(x)
            kl += k.item() * len(x)
    return rec / len(xte), kl / len(xte)


def to_uint8(probs):
    return np.rint(np.clip(probs, 0, 1) * 255).astype(np.uint8).reshape(-1, 28, 28)


def classify(x_uint8):
    net, _ = fc.train_or_load(verbose=False)
    with torch.no_grad():
        t = fc.to_tensor(x_uint8)
        return net(t).argmax(1).numpy(), net.features(t).numpy()


def frechet(f1, f2):
    """Fréchet distance between Gaussians fitted to two feature sets: |μ1−μ2|² + tr(S1 + S2 − 2(S1 S2)^½)."""
    m1, m2 = f1.mean(0), f2.mean(0)
    s1, s2 = np.cov(f1, rowvar=False), np.cov(f2, rowvar=False)
    ev = np.linalg.eigvals(s1 @ s2)  # (S1 S2)^½ has eigenvalues √λ; λ ≥ 0 up to rounding
    tr_sqrt = np.sqrt(np.clip(ev.real, 0, None)).sum()
    return float(((m1 - m2) ** 2).sum() + np.trace(s1) + np.trace(s2) - 2 * tr_sqrt)


def real_reference(per_class=100):
    xte, yte = fc.load_split("test")
    real = np.concatenate([xte[yte == c][-per_class:] for c in range(10)])  # not the first 2000 used below
    return real, classify(real)[1]


def save_npy(arr):
    fd, path = tempfile.mkstemp(suffix=".npy")
    os.close(fd)
    np.save(path, arr)
    return path


def run(cmd):
    r = subprocess.run(cmd, capture_output=True, text=True, env=dict(os.environ, OMP_NUM_THREADS="1"))
    if r.returncode != 0:
        raise SystemExit("command failed (%d): %s\n%s%s" % (r.returncode, " ".join(cmd), r.stdout, r.stderr))


def measure_2d(exe, path, twin, real_feat, n_rec=2000):
    """Reconstruction class kept (μ decoded), prior-sample FD, negative ELBO; Glassbox via its CLI."""
    gb_net, _ = load_glassbox(path)
    xte, yte = fc.load_split("test")
    x, y = xte[:n_rec], yte[:n_rec]
    rows = {}
    tmp = tempfile.mkdtemp()
    src = save_npy(x)
    run([exe, "vae", "encode", "--model", path, "--in", src, "--out", tmp + "/z.npy"])
    run([exe, "vae", "decode", "--model", path, "--in", tmp + "/z.npy", "--out", tmp + "/rec.npy"])
    run([exe, "sample", "vae", "--model", path, "--n", "1000", "--seed", "42", "--out", tmp + "/prior.npy"])
    gb_rec, gb_prior = np.load(tmp + "/rec.npy"), np.load(tmp + "/prior.npy")
    tw_rec = tw_prior = None
    if twin is not None:
        with torch.no_grad():
            xt = torch.from_numpy(x.reshape(-1, PIXELS).astype(np.float32) / 255.0)
            tw_rec = to_uint8(torch.sigmoid(twin.decode(twin.encode(xt)[0])).numpy())
            z = torch.randn(1000, twin.latent, generator=torch.Generator().manual_seed(42))
            tw_prior = to_uint8(torch.sigmoid(twin.decode(z)).numpy())
    for name, net, rec, prior in (("glassbox", gb_net, gb_rec, gb_prior), ("pytorch", twin, tw_rec, tw_prior)):
        if net is None:
            continue
        r, k = neg_elbo(net)
        pred = classify(rec)[0]
        rows[name] = {"test_rec": r, "test_kl": k, "neg_elbo": r + k,
                      "recon_class_kept": float((pred == y).mean()),
                      "prior_fd": frechet(classify(prior)[1], real_feat)}
    rows["originals_classified_correctly"] = float((classify(x)[0] == y).mean())
    os.unlink(src)
    return rows


# [SECTION] the fitted prior, as src/models/vae/vae_prior.cpp does it (k-means++ start, Lloyd's iterations,
# one Gaussian per cluster + 1e-4·I), written independently in numpy for the twin
def fit_prior(mu, labels, n_classes, k, seed):
    rng = np.random.default_rng(seed)
    z = mu.shape[1]
    weights, means, chols = np.zeros((n_classes, k)), np.zeros((n_classes, k, z)), np.zeros((n_classes, k, z, z))
    for c in range(n_classes):
        pts = mu[labels == c].astype(np.float64)
        centres = [pts[rng.integers(len(pts))]]
        d2 = ((pts - centres[0]) ** 2).sum(1)
        for _ in range(1, k):
            centres.append(pts[rng.choice(len(pts), p=d2 / d2.sum())])
            d2 = np.minimum(d2, ((pts - centres[-1]) ** 2).sum(1))
        centres = np.array(centres)
        assign = None
        for _ in range(100):
            new = ((pts[:, None, :] - centres[None]) ** 2).sum(-1).argmin(1)
            if assign is not None and (new == assign).all():
                break
            assign = new
            for j in range(k):
                if (assign == j).any():
                    centres[j] = pts[assign == j].mean(0)
        for j in range(k):
            sel = pts[assign == j]
            m = sel.mean(0) if len(sel) else centres[j]
            cov = ((sel - m).T @ (sel - m)) / max(len(sel), 1) + 1e-4 * np.eye(z)
            weights[c, j], means[c, j], chols[c, j] = len(sel) / len(pts), m, np.linalg.cholesky(cov)
    return weights, means, chols


def sample_fitted(prior, labels, seed):
    weights, means, chols = prior
    rng = np.random.default_rng(seed)
    out = np.zeros((len(labels), means.shape[2]), dtype=np.float32)
    for i, c in enumerate(labels):
        j = rng.choice(weights.shape[1], p=weights[c] / weights[c].sum())
        out[i] = means[c, j] + chols[c, j] @ rng.standard_normal(means.shape[2])
    return out


def training_codes(net):
    xtr, ytr = fc.load_split("train")
    mus = []
    with torch.no_grad():
        for i in range(0, len(xtr), 1000):
            x = torch.from_numpy(xtr[i:i + 1000].reshape(-1, PIXELS).astype(np.float32) / 255.0)
            mus.append(net.encode(x, torch.from_numpy(ytr[i:i + 1000]))[0].numpy())
    return np.concatenate(mus), ytr


def measure_cvae(exe, path, twin, real_feat, per_class=100):
    """Prior samples of both models scored the same way: from N(0, I), and, when the Glassbox model carries a fitted
    prior (its default), from that; the twin then gets its own prior fitted the same way to its own codes."""
    gb_net, _ = load_glassbox(path)
    tensors, _ = read_safetensors(path)
    k = tensors["prior.weights"].shape[1] if "prior.weights" in tensors else 0
    tmp = tempfile.mkdtemp()
    files = {("glassbox", "standard"): tmp + "/gb_standard.npy", ("pytorch", "standard"): tmp + "/tw_standard.npy"}
    run([exe, "sample", "vae", "--model", path, "--class", "all", "--n", str(per_class), "--seed", "42",
         "--prior", "standard", "--out", files[("glassbox", "standard")]])
    if k:
        files[("glassbox", "fitted")] = tmp + "/gb_fitted.npy"
        run([exe, "sample", "vae", "--model", path, "--class", "all", "--n", str(per_class), "--seed", "42",
             "--prior", "fitted", "--out", files[("glassbox", "fitted")]])
    labels = torch.arange(10).repeat_interleave(per_class)
    with torch.no_grad():
        if twin is not None:
            z = torch.randn(len(labels), twin.latent, generator=torch.Generator().manual_seed(42))
            np.save(files[("pytorch", "standard")], to_uint8(torch.sigmoid(twin.decode(z, labels)).numpy()))
            if k:
                mu, ytr = training_codes(twin)
                zf = torch.from_numpy(sample_fitted(fit_prior(mu, ytr, 10, k, 1), labels.numpy(), 42))
                files[("pytorch", "fitted")] = tmp + "/tw_fitted.npy"
                np.save(files[("pytorch", "fitted")], to_uint8(torch.sigmoid(twin.decode(zf, labels)).numpy()))
    rows = {}
    for name, net in (("glassbox", gb_net), ("pytorch", twin)):
        if net is None:
            continue
        r, kl = neg_elbo(net)
        rows[name] = {"test_rec": r, "test_kl": kl, "neg_elbo": r + kl, "prior_components": int(k)}
        for prior in ("standard", "fitted"):
            f = files.get((name, prior))
            if f is None:
                continue
            s = fc.score_file(f, "all")
            divs = [c["diversity_feature"] for c in s["classes"]]
            m = {"accuracy": s["overall_accuracy"], "per_class_accuracy": [c["accuracy"] for c in s["classes"]],
                 "per_class_diversity": divs, "min_diversity": min(divs), "mean_diversity": float(np.mean(divs)),
                 "fd": frechet(classify(np.load(f))[1], real_feat)}
            # the model's default prior (fitted when it has one) fills the top-level fields
            if prior == "fitted" or not k:
                rows[name].update(m)
            rows[name][prior] = m
    return rows


def nan_like(x):
    if isinstance(x, dict):
        return {k: nan_like(v) for k, v in x.items()}
    return [float("nan")] * len(x) if isinstance(x, list) else float("nan")


def compare(args):
    t0 = time.time()
    fc.train_or_load(verbose=not args.json)
    _, real_feat = real_reference()
    out = {}
    for key, path in (("vae2d", args.vae2d), ("cvae", args.cvae)):
        _, meta = load_glassbox(path)
        twin, secs = twin_for(path, verbose=not args.json, cached_only=args.no_twin_training)
        m = measure_2d if key == "vae2d" else measure_cvae
        out[key] = m(args.exe, path, twin, real_feat)
        out[key]["train"] = json.loads(meta["glassbox.train"])
        out[key]["config"] = json.loads(meta["glassbox.config"])
        out[key]["glassbox_train_seconds"] = float(meta.get("glassbox.train_seconds", "nan"))
        out[key]["pytorch_train_seconds"] = secs
    if args.json:
        print(json.dumps(out))
    else:
        v, c = out["vae2d"], out["cvae"]
        for m in (v, c):  # a twin that was not measured prints as nan
            m.setdefault("pytorch", nan_like(m["glassbox"]))
        print("\n| measure | Glassbox | PyTorch twin |\n| --- | --- | --- |")
        row = lambda name, a, b, f: print("| %s | %s | %s |" % (name, f % a, f % b))  # noqa: E731
        g, p = v["glassbox"], v["pytorch"]
        sched = lambda m: "%s steps × batch %s%s" % (  # noqa: E731
            m["train"]["step"], m["train"]["batch"],
            "" if str(m["train"]["step"]) == str(m["train"]["steps"]) else " of a %s-step schedule" % m["train"]["steps"])
        print("| **2D VAE** (latent 2; %s) | | |" % sched(v))
        row("test negative ELBO, nats/image (rec + KL)", "%.1f (%.1f + %.2f)" % (g["neg_elbo"], g["test_rec"], g["test_kl"]),
            "%.1f (%.1f + %.2f)" % (p["neg_elbo"], p["test_rec"], p["test_kl"]), "%s")
        row("2000 test reconstructions (μ decoded) keeping their class", g["recon_class_kept"], p["recon_class_kept"], "%.3f")
        row("FD of 1000 prior samples vs real (classifier features)", g["prior_fd"], p["prior_fd"], "%.1f")
        g, p = c["glassbox"], c["pytorch"]
        print("| **conditional VAE** (latent %d; %s) | | |" % (c["config"]["latent"], sched(c)))
        row("test negative ELBO, nats/image (rec + KL)", "%.1f (%.1f + %.2f)" % (g["neg_elbo"], g["test_rec"], g["test_kl"]),
            "%.1f (%.1f + %.2f)" % (p["neg_elbo"], p["test_rec"], p["test_kl"]), "%s")
        for prior in ("fitted", "standard"):
            if prior not in g:
                continue
            gp, pp = g[prior], p.get(prior, {kk: float("nan") for kk in g[prior]})
            what = ("fitted prior (%d Gaussians per class, the default)" % g["prior_components"] if prior == "fitted"
                    else "N(0, I)")
            row("samples from the %s labelled as the class asked (100/class)" % what, gp["accuracy"], pp["accuracy"], "%.3f")
            row("  per-class diversity vs real, min / mean (features)",
                "%.2f / %.2f" % (gp["min_diversity"], gp["mean_diversity"]),
                "%.2f / %.2f" % (pp["min_diversity"], pp["mean_diversity"]), "%s")
            row("  FD of 1000 samples vs real (classifier features)", gp["fd"], pp["fd"], "%.1f")
        print("\nper class (Glassbox CVAE): " + ", ".join(
            "%s %.2f/%.2f" % (fc.CLASS_NAMES[i], a, d) for i, (a, d) in
            enumerate(zip(g["per_class_accuracy"], g["per_class_diversity"]))) + "  (accuracy/diversity)")
        print("per class (PyTorch CVAE):  " + ", ".join(
            "%s %.2f/%.2f" % (fc.CLASS_NAMES[i], a, d) for i, (a, d) in
            enumerate(zip(p["per_class_accuracy"], p["per_class_diversity"]))))
        print("originals classified correctly (ceiling for 'class kept'): %.3f" % v["originals_classified_correctly"])
        print("training time: 2D Glassbox %.0f s, PyTorch %.0f s; CVAE Glassbox %.0f s, PyTorch %.0f s; this run %.0f s" %
              (v["glassbox_train_seconds"], v["pytorch_train_seconds"], c["glassbox_train_seconds"],
               c["pytorch_train_seconds"], time.time() - t0))
    if args.min_accuracy is not None and out["cvae"]["glassbox"]["accuracy"] < args.min_accuracy:
        print("FAIL: CVAE accuracy %.3f < %.3f" % (out["cvae"]["glassbox"]["accuracy"], args.min_accuracy), file=sys.stderr)
        return 1
    return 0


def main():
    p = argparse.ArgumentParser(description="PyTorch twin of Glassbox's VAE and the quality comparison")
    sub = p.add_subparsers(dest="cmd", required=True)
    t = sub.add_parser("train-twin", help="train (and cache) the PyTorch twin of a Glassbox model or checkpoint")
    t.add_argument("model")
    c = sub.add_parser("compare")
    c.add_argument("exe")
    c.add_argument("vae2d")
    c.add_argument("cvae")
    c.add_argument("--json", action="store_true")
    c.add_argument("--min-accuracy", type=float)
    c.add_argument("--no-twin-training", action="store_true",
                   help="measure the PyTorch twin only if it is cached (else that column shows -)")
    args = p.parse_args()
    if args.cmd == "train-twin":
        _, secs = twin_for(args.model)
        print("twin of %s ready (%.0f s of training)" % (args.model, secs))
        return 0
    return compare(args)


if __name__ == "__main__":
    sys.exit(main())
