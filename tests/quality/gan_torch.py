#!/usr/bin/python3
# The PyTorch reference of issue 19 for the GAN row: a plain class-conditional DCGAN on Fashion-MNIST of the same
# architecture and size as Glassbox's image GAN (src/models/gan/image_gan.hpp), trained in PyTorch on the CPU with the
# recipe of the shipped model (assets/models/fashion-gan.safetensors, made by `glassbox train gan --data fashion-mnist
# --loss ns --steps 9000 --seed 1`), sampled like `glassbox sample gan --class all --n 100 --seed 7` and judged by the
# same independent classifier (fashion_classifier.py), so the two sit in one table.
#
# Mirrored from the C++ (src/models/gan/image_gan.cpp, losses.cpp, src/cli/train_gan.cpp, src/lab/command_flags.cpp,
# src/nn/adamw.cpp, src/nn/batchnorm.cpp):
#   G: [z (64) ; class embedding (10×16)] → linear → (64, 7, 7) → BN, ReLU → convT 4/2 pad 1 → (32, 14, 14) → BN, ReLU
#      → convT 4/2 pad 1 → (1, 28, 28) → tanh.  BN: eps 1e-5, momentum 0.1, unbiased running variance (as PyTorch).
#   D: conv 4/2 pad 1 → (32, 14, 14) → LReLU(0.2) → conv 4/2 pad 1 → (64, 7, 7) → LReLU → linear → 128 → LReLU = h;
#      score = w·h + b + ⟨embed_D(class), h⟩ (projection discriminator). No spectral norm, no dropout, no BN in D.
#   Init: every weight N(0, 0.02), BN γ ~ N(1, 0.02), biases 0, G's class embedding N(0, 1), D's N(0, 0.02).
#   Images in [−1, 1] (pixel · 2/255 − 1); real batches drawn uniformly with replacement from the 60,000 training
#   images; fakes with uniform random classes.
#   One step = one D step then one G step (k = 1), batch 64 for both, fresh latents and classes for the G step;
#   "ns" loss: D minimises mean softplus(−s_real) + mean softplus(s_fake), G minimises mean softplus(−s_fake)
#   ("hinge" as in losses.cpp is available with --loss hinge). Adam (Glassbox's AdamW with weight decay 0 is
#   exactly Adam) lr 2e-4 for both, β = (0.5, 0.999), eps 1e-8; no learning-rate schedule, no gradient clipping.
#   The generator's forward in the D step runs in training mode too (batch statistics, running-average update).
#   Generator weight averaging: after every G update, avg = d·avg + (1 − d)·w with d = min(0.999, (t+1)/(t+10)) over
#   all generator parameters (the average starts as the weights after the first update); the saved model is the
#   average with its BN running statistics recalibrated as the exact mean over 20 batches of 256 random latents and
#   classes (PyTorch's BN momentum=None is that cumulative mean).
#   Sampling: latents are drawn exactly as Glassbox draws them (its xoshiro256** stream seeded with --sample-seed,
#   Box–Muller, one normal per call, latent after latent in class order), so both models see the same z; pixels
#   are round((v + 1)·127.5) clamped to 0..255, as model_to_pixel.
# Differences (on purpose or unavoidable): the training random stream (initial weights, batches, latents) is
# PyTorch's / numpy's seeded with --seed, not Glassbox's xoshiro stream, so the two runs are the same recipe, not the
# same trajectory; float sums are ordered differently; the checkpoint is kept in fp32 (Glassbox ships F16 weights).
# For speed on one core (same parameters and maths): linear layers run as 1×1 convolutions (Debian's torch links the
# reference BLAS, whose matrix products are slow) and the transposed convolutions as a 3×3 convolution per output
# phase plus pixel_shuffle (torch's CPU transposed convolution is several times slower); `mirror` checks both.
#
#   gan_torch.py run [--steps 9000] [--batch 64] [--lr 2e-4] [--loss ns] [--seed 1] [--n 100] [--sample-seed 7]
#                    [--threads 1] [--json] [--glassbox-model assets/models/fashion-gan.safetensors]
#       trains (or loads the cached ~/.cache/glassbox/gan_torch_<key>.pt, keyed by the recipe), samples n per class
#       and prints the classifier's verdict: share labelled as asked, Fréchet distance to the 10,000 real test images,
#       lowest per-class diversity; with the parameter counts of G and D beside those of the Glassbox checkpoint.
#   gan_torch.py params [--glassbox-model PATH]
#       the parameter counts of G and D, tensor by tensor against the Glassbox checkpoint's safetensors header;
#       exit 1 if any name or shape differs.
#   gan_torch.py mirror GLASSBOX_EXE [--glassbox-model PATH] [--n 10] [--sample-seed 7]
#       loads the Glassbox checkpoint's weights into this PyTorch generator, samples with the same latents and
#       compares with `GLASSBOX_EXE sample gan` pixel by pixel: exit 1 unless they agree (the generator's architecture
#       check; the discriminator is checked by its tensor names and shapes only, no command prints its scores).
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

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import fashion_classifier as fc  # noqa: E402

CACHE_VERSION = 1
DEFAULT_MODEL = os.path.join(ROOT, "assets", "models", "fashion-gan.safetensors")
Z, CLASSES, EMB, G0, G1, D0, D1, FEAT = 64, 10, 16, 64, 32, 32, 64, 128  # ImageGanConfig's defaults
M64 = (1 << 64) - 1


# [SECTION] Glassbox's random stream (src/core/rng.hpp), for the sampling latents only
class GlassboxRng:
    """xoshiro256** seeded through splitmix64; normal() is Box–Muller with the partner discarded."""

    def __init__(self, seed):
        x, self.s = seed & M64, []
        for _ in range(4):
            x = (x + 0x9E3779B97F4A7C15) & M64
            z = x
            z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
            z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
            self.s.append(z ^ (z >> 31))

    def next_u64(self):
        s = self.s
        rotl = lambda v, k: ((v << k) | (v >> (64 - k))) & M64  # noqa: E731
        result = (rotl((s[1] * 5) & M64, 7) * 9) & M64
        t = (s[1] << 17) & M64
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = rotl(s[3], 45)
        return result

    def uniform(self):
        return (self.next_u64() >> 11) * 2.0 ** -53

    def normal_f(self, n):
        out = np.empty(n, dtype=np.float32)
        for i in range(n):
            u1 = 1.0 - self.uniform()
            u2 = self.uniform()
            out[i] = math.sqrt(-2.0 * math.log(u1)) * math.cos(6.283185307179586 * u2)
        return out


# [SECTION] the model
class Linear(nn.Linear):
    """nn.Linear (same parameters) computed as a 1×1 convolution, which is much faster than this torch's BLAS."""

    def forward(self, x):  # (N, in) → (N, out)
        return F.conv2d(x[:, :, None, None], self.weight[:, :, None, None], self.bias).flatten(1)


class ConvTranspose2x(nn.ConvTranspose2d):
    """nn.ConvTranspose2d(cin, cout, 4, stride 2, padding 1) (same parameters and maths) computed as one 3×3
    convolution into 4·cout channels, one per output phase, then pixel_shuffle: this torch's own transposed
    convolution is several times slower. With xp = x padded by 1, out[2m] = w[3]·xp[m] + w[1]·xp[m+1] and
    out[2m+1] = w[2]·xp[m+1] + w[0]·xp[m+2] along each axis; TAPS names the kernel tap (4 = zero) per phase and
    position. `mirror` checks the result against Glassbox's own transposed convolution."""

    TAPS = torch.tensor([[3, 1, 4], [4, 2, 0]])

    def __init__(self, cin, cout):
        super().__init__(cin, cout, 4, 2, 1)

    def forward(self, x):  # (N, cin, H, W) → (N, cout, 2H, 2W)
        cin, cout = self.weight.shape[:2]
        wp = F.pad(self.weight, (0, 1, 0, 1))  # tap 4 = 0
        k = wp[:, :, self.TAPS[:, None, :, None], self.TAPS[None, :, None, :]]  # (cin, cout, 2, 2, 3, 3)
        k = k.permute(1, 2, 3, 0, 4, 5).reshape(cout * 4, cin, 3, 3)
        return F.pixel_shuffle(F.conv2d(x, k, self.bias.repeat_interleave(4), padding=1), 2)


class Generator(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(CLASSES, EMB)
        self.fc = Linear(Z + EMB, G0 * 49)
        self.bn0 = nn.BatchNorm2d(G0, eps=1e-5, momentum=0.1)
        self.up1 = ConvTranspose2x(G0, G1)
        self.bn1 = nn.BatchNorm2d(G1, eps=1e-5, momentum=0.1)
        self.up2 = ConvTranspose2x(G1, 1)

    def forward(self, z, y):  # z (N, Z), y (N) → images (N, 1, 28, 28) in [−1, 1]
        h = self.fc(torch.cat([z, self.emb(y)], 1)).view(-1, G0, 7, 7)
        h = F.relu(self.bn0(h))
        h = F.relu(self.bn1(self.up1(h)))
        return torch.tanh(self.up2(h))


class Discriminator(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv0 = nn.Conv2d(1, D0, 4, 2, 1)
        self.conv1 = nn.Conv2d(D0, D1, 4, 2, 1)
        self.fc = Linear(D1 * 49, FEAT)
        self.out = Linear(FEAT, 1)
        self.emb = nn.Embedding(CLASSES, FEAT)

    def forward(self, x, y):  # x (N, 1, 28, 28), y (N) → scores (N)
        h = F.leaky_relu(self.conv0(x), 0.2)
        h = F.leaky_relu(self.conv1(h), 0.2)
        h = F.leaky_relu(self.fc(h.flatten(1)), 0.2)
        return self.out(h).squeeze(1) + (self.emb(y) * h).sum(1)


def init_weights(g, d, seed):
    """ImageGan::init's distributions (drawn from torch's stream, not Glassbox's)."""
    torch.manual_seed(seed)
    with torch.no_grad():
        for m in list(g.modules()) + list(d.modules()):
            if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d, nn.Linear)):
                m.weight.normal_(0, 0.02)
                m.bias.zero_()
            elif isinstance(m, nn.BatchNorm2d):
                m.weight.normal_(1, 0.02)
                m.bias.zero_()
                m.reset_running_stats()
        g.emb.weight.normal_(0, 1)
        d.emb.weight.normal_(0, 0.02)


def glassbox_names(prefix, module):
    """state_dict key → Glassbox tensor name ('g.fc.weight', 'g.emb', 'g.bn0.running_mean', …); BN's step counter
    (num_batches_tracked) has no counterpart."""
    out = {}
    for k in module.state_dict():
        if k.endswith("num_batches_tracked"):
            continue
        out[k] = prefix + "." + ("emb" if k == "emb.weight" else k)
    return out


def count(module):
    return sum(p.numel() for p in module.parameters())


# [SECTION] Glassbox checkpoint (safetensors) reading
def read_safetensors_header(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
    return header, 8 + n


def load_glassbox_weights(path, g, d):
    """Copies the checkpoint's tensors (F16 or F32) into g and d; every name and shape must match."""
    header, base = read_safetensors_header(path)
    with open(path, "rb") as f:
        raw = f.read()
    for prefix, m in (("g", g), ("d", d)):
        state = m.state_dict()
        for key, name in glassbox_names(prefix, m).items():
            if name not in header:
                raise SystemExit("%s: no tensor %s" % (path, name))
            e = header[name]
            dt = {"F16": np.float16, "F32": np.float32}.get(e["dtype"])
            if dt is None or list(e["shape"]) != list(state[key].shape):
                raise SystemExit("%s: %s is %s %s, expected F16/F32 %s" % (path, name, e["dtype"], e["shape"],
                                                                          list(state[key].shape)))
            a, b = e["data_offsets"]
            arr = np.frombuffer(raw[base + a: base + b], dtype=dt).astype(np.float32).reshape(e["shape"])
            state[key] = torch.from_numpy(arr.copy())
        m.load_state_dict(state)


def compare_params(g, d, path):
    """Rows (name, torch shape, Glassbox shape) and whether every tensor matches; counts per network."""
    header, _ = read_safetensors_header(path)
    ok, rows, gb_counts = True, [], {"g": 0, "d": 0, "g_buffers": 0}
    torch_names = set()
    for prefix, m in (("g", g), ("d", d)):
        state = m.state_dict()
        for key, name in glassbox_names(prefix, m).items():
            torch_names.add(name)
            mine = list(state[key].shape)
            theirs = header.get(name, {}).get("shape")
            rows.append((name, mine, theirs))
            ok &= mine == theirs
    for name, e in header.items():
        if name == "__metadata__":
            continue
        if name not in torch_names:
            rows.append((name, None, e["shape"]))
            ok = False
        bucket = "g_buffers" if "running" in name else name.split(".")[0]
        gb_counts[bucket] = gb_counts.get(bucket, 0) + math.prod(e["shape"])
    return ok, rows, gb_counts


# [SECTION] training
def d_loss_fn(loss, real, fake):
    if loss == "ns":
        return F.softplus(-real).mean() + F.softplus(fake).mean()  # −log σ(r) − log(1 − σ(f))
    return F.relu(1 - real).mean() + F.relu(1 + fake).mean()  # hinge


def g_loss_fn(loss, fake):
    return F.softplus(-fake).mean() if loss == "ns" else -fake.mean()


@torch.no_grad()
def recalibrate_bn(g, seed, n_batches=20, batch=256):
    """ImageGan::recalibrate_bn: running statistics = exact mean of n_batches batch statistics (training-mode
    forwards over random latents and uniformly drawn classes)."""
    gen = torch.Generator().manual_seed(seed)
    bns = [m for m in g.modules() if isinstance(m, nn.BatchNorm2d)]
    for m in bns:
        m.reset_running_stats()
        m.momentum = None  # cumulative average
    g.train()
    for _ in range(n_batches):
        g(torch.randn(batch, Z, generator=gen), torch.randint(0, CLASSES, (batch,), generator=gen))
    for m in bns:
        m.momentum = 0.1
    g.eval()


def train(a):
    torch.set_num_threads(a.threads)
    g, d = Generator(), Discriminator()
    init_weights(g, d, a.seed)
    xtr, ytr = fc.load_split("train")
    x_all = torch.from_numpy(xtr.astype(np.float32) * np.float32(2.0 / 255.0) - 1).unsqueeze(1)  # (N,1,28,28)
    y_all = torch.from_numpy(ytr)
    opt_g = torch.optim.Adam(g.parameters(), lr=a.lr, betas=(a.beta1, a.beta2), eps=1e-8)
    opt_d = torch.optim.Adam(d.parameters(), lr=a.lr, betas=(a.beta1, a.beta2), eps=1e-8)
    rng = np.random.default_rng(a.seed ^ 0xA5A5A5A5)  # a stream apart from the initialisation's
    gen = torch.Generator().manual_seed(a.seed ^ 0xA5A5A5A5)
    g_avg = None
    d_losses, g_losses = [], []
    B = a.batch
    g.train()
    t0 = time.time()
    for step in range(a.steps):
        idx = torch.from_numpy(rng.integers(0, len(x_all), B))
        real, real_y = x_all[idx], y_all[idx]
        # D step: real batch up, generated batch down (G in training mode, no gradient into it).
        z = torch.randn(B, Z, generator=gen)
        fake_y = torch.randint(0, CLASSES, (B,), generator=gen)
        with torch.no_grad():
            fake = g(z, fake_y)
        for p in d.parameters():
            p.requires_grad_(True)
        dl = d_loss_fn(a.loss, d(real, real_y), d(fake, fake_y))
        opt_d.zero_grad(set_to_none=True)
        dl.backward()
        opt_d.step()
        # G step: fresh latents and classes; the gradient flows through D (left unchanged) into G.
        for p in d.parameters():
            p.requires_grad_(False)
        z = torch.randn(B, Z, generator=gen)
        fake_y = torch.randint(0, CLASSES, (B,), generator=gen)
        gl = g_loss_fn(a.loss, d(g(z, fake_y), fake_y))
        opt_g.zero_grad(set_to_none=True)
        gl.backward()
        opt_g.step()
        # Weight averaging, decay ramped up so early averages are not dominated by the initial weights.
        with torch.no_grad():
            if g_avg is None:
                g_avg = [p.detach().clone() for p in g.parameters()]
            decay = min(a.ema, (step + 1) / (step + 10))
            for pa, p in zip(g_avg, g.parameters()):
                pa.mul_(decay).add_(p, alpha=1 - decay)
        d_losses.append(dl.item())
        g_losses.append(gl.item())
        if (step + 1) % 500 == 0:  # progress on stderr, so stdout stays the one result line (or JSON object)
            print("  torch GAN: step %d/%d  D loss %.3f  G loss %.3f  (%.0f s)" %
                  (step + 1, a.steps, np.mean(d_losses[-500:]), np.mean(g_losses[-500:]), time.time() - t0),
                  file=sys.stderr, flush=True)
    secs = time.time() - t0
    for p in d.parameters():
        p.requires_grad_(True)
    avg = Generator()
    avg.load_state_dict(g.state_dict())
    with torch.no_grad():
        for pa, p in zip(g_avg, avg.parameters()):
            p.copy_(pa)
    recalibrate_bn(avg, a.seed ^ 0xBA7C4)
    tail = min(500, len(d_losses))
    return avg, d, secs, {"d_loss_last500": float(np.mean(d_losses[-tail:])),
                          "g_loss_last500": float(np.mean(g_losses[-tail:]))}


def recipe(a):
    return {"version": CACHE_VERSION, "steps": a.steps, "batch": a.batch, "lr": a.lr, "beta1": a.beta1,
            "beta2": a.beta2, "ema": a.ema, "loss": a.loss, "seed": a.seed}


def cached_model(a):
    cfg = recipe(a)
    key = hashlib.sha1(json.dumps(cfg, sort_keys=True).encode()).hexdigest()[:12]
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    path = os.path.join(base, "glassbox", "gan_torch_%s.pt" % key)
    g, d = Generator(), Discriminator()
    if os.path.exists(path):
        state = torch.load(path)
        g.load_state_dict(state["generator"])
        d.load_state_dict(state["discriminator"])
        g.eval()
        return g, d, state["seconds"], state["losses"], cfg, path
    g, d, secs, losses = train(a)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = path + ".tmp.%d" % os.getpid()
    torch.save({"generator": g.state_dict(), "discriminator": d.state_dict(), "seconds": secs, "losses": losses,
                "config": cfg}, tmp)
    os.replace(tmp, path)
    return g, d, secs, losses, cfg, path


# [SECTION] sampling
def class_order_latents(n, seed):
    """`glassbox sample gan --class all --n n --seed seed`: n per class in class order, latents drawn one after the
    other from Glassbox's stream."""
    labels = np.repeat(np.arange(CLASSES), n)
    z = GlassboxRng(seed).normal_f(len(labels) * Z).reshape(len(labels), Z)
    return torch.from_numpy(z), torch.from_numpy(labels)


@torch.no_grad()
def sample(g, z, labels):
    g.eval()
    out = []
    for i in range(0, len(labels), 256):
        v = g(z[i:i + 256], labels[i:i + 256]).squeeze(1).numpy().astype(np.float32)
        p = (v + np.float32(1)) * np.float32(127.5)  # model_to_pixel, in float as the C++
        p = np.where(np.isnan(p), 0, p).astype(np.float64)
        out.append(np.clip(np.floor(p + 0.5), 0, 255).astype(np.uint8))
    return np.concatenate(out)


# [SECTION] commands
def cmd_params(a):
    g, d = Generator(), Discriminator()
    print("PyTorch G: %d parameters (+ %d BN running statistics), D: %d parameters" %
          (count(g), sum(b.numel() for n, b in g.named_buffers() if "running" in n), count(d)))
    if not os.path.exists(a.glassbox_model):
        print("no Glassbox checkpoint at %s to compare with" % a.glassbox_model)
        return 1
    ok, rows, gbc = compare_params(g, d, a.glassbox_model)
    for name, mine, theirs in rows:
        print("  %-22s torch %-16s glassbox %-16s %s" % (name, mine, theirs, "" if mine == theirs else "DIFFERS"))
    print("Glassbox %s: G %d parameters (+ %d BN running statistics), D %d parameters: %s" %
          (os.path.relpath(a.glassbox_model), gbc["g"], gbc["g_buffers"], gbc["d"],
           "same tensors and shapes" if ok else "MISMATCH"))
    return 0 if ok else 1


def cmd_mirror(a):
    """The Glassbox checkpoint's weights in this PyTorch generator must give the images Glassbox gives."""
    g, d = Generator(), Discriminator()
    load_glassbox_weights(a.glassbox_model, g, d)
    z, labels = class_order_latents(a.n, a.sample_seed)
    mine = sample(g, z, labels)
    fd, out = tempfile.mkstemp(suffix=".npy")
    os.close(fd)
    try:
        cmd = [a.glassbox, "sample", "gan", "--model", a.glassbox_model, "--class", "all", "--n", str(a.n),
               "--seed", str(a.sample_seed), "--out", out]
        res = subprocess.run(cmd, capture_output=True, text=True)
        if res.returncode != 0:
            raise SystemExit("`%s` failed (%d): %s" % (" ".join(cmd), res.returncode, res.stderr))
        theirs = np.load(out)
    finally:
        os.unlink(out)
    if theirs.shape != mine.shape:
        print("MISMATCH: Glassbox gave %s images, PyTorch %s" % (theirs.shape, mine.shape))
        return 1
    diff = np.abs(mine.astype(np.int16) - theirs.astype(np.int16))
    share = float((diff > 1).mean())
    ok = int(diff.max()) <= 3 and share < 0.001  # float sums in another order move a pixel by a level, rarely more
    print("mirror: %d images: max |Δ| %d grey levels, %.4f%% of pixels off by more than 1, mean |Δ| %.4f: %s" %
          (len(mine), int(diff.max()), 100 * share, float(diff.mean()), "same generator" if ok else "MISMATCH"))
    return 0 if ok else 1


def cmd_run(a):
    g, d, secs, losses, cfg, path = cached_model(a)
    torch.set_num_threads(a.threads)
    z, labels = class_order_latents(a.n, a.sample_seed)
    t0 = time.time()
    imgs = sample(g, z, labels)
    sample_secs = time.time() - t0
    s = fc.score_array(imgs)
    out = {"config": cfg, "cache": path, "g_parameters": count(g), "d_parameters": count(d), "train_seconds": secs,
           "sample_seconds": sample_secs, "sample_seed": a.sample_seed, "per_class": a.n, "losses": losses,
           "accuracy": s["overall_accuracy"], "fd": s["frechet_distance"], "min_diversity": s["min_diversity_feature"],
           "per_class_accuracy": [r["accuracy"] for r in s["classes"]],
           "per_class_diversity": [r["diversity_feature"] for r in s["classes"]]}
    if os.path.exists(a.glassbox_model):
        ok, _, gbc = compare_params(g, d, a.glassbox_model)
        out.update({"glassbox_model": os.path.relpath(a.glassbox_model), "glassbox_g_parameters": gbc["g"],
                    "glassbox_d_parameters": gbc["d"], "same_shapes_as_glassbox": ok})
    if a.json:
        print(json.dumps(out))
    else:
        same = ""
        if "glassbox_g_parameters" in out:
            same = "; Glassbox's G %d, D %d%s" % (out["glassbox_g_parameters"], out["glassbox_d_parameters"],
                                                  ", same shapes" if out["same_shapes_as_glassbox"] else ", DIFFERENT")
        print("PyTorch GAN (G %d + D %d parameters%s; %d steps × batch %d, %s loss, %.0f s): labelled as asked %.3f, "
              "FD %.1f, lowest class diversity %.2f (%.1f s for %d images)" %
              (out["g_parameters"], out["d_parameters"], same, a.steps, a.batch, a.loss, secs, out["accuracy"],
               out["fd"], out["min_diversity"], sample_secs, len(imgs)))
    return 0


def main():
    p = argparse.ArgumentParser(description="PyTorch conditional DCGAN reference for Glassbox's GAN quality row")
    sub = p.add_subparsers(dest="cmd", required=True)
    for name in ("run", "params", "mirror"):
        s = sub.add_parser(name)
        if name == "mirror":
            s.add_argument("glassbox", help="the glassbox executable")
        s.add_argument("--glassbox-model", default=DEFAULT_MODEL, help="Glassbox image-GAN checkpoint to compare with")
        s.add_argument("--steps", type=int, default=9000)
        s.add_argument("--batch", type=int, default=64)
        s.add_argument("--lr", type=float, default=2e-4)
        s.add_argument("--beta1", type=float, default=0.5)
        s.add_argument("--beta2", type=float, default=0.999)
        s.add_argument("--ema", type=float, default=0.999)
        s.add_argument("--loss", choices=["ns", "hinge"], default="ns")
        s.add_argument("--seed", type=int, default=1)
        s.add_argument("--sample-seed", type=int, default=7)
        s.add_argument("--n", type=int, default=100 if name != "mirror" else 10, help="images per class")
        s.add_argument("--threads", type=int, default=1)
        s.add_argument("--json", action="store_true")
    a = p.parse_args()
    if a.steps < 1 or a.batch < 2 or a.n < 2:
        raise SystemExit("gan_torch: --steps ≥ 1, --batch ≥ 2 and --n ≥ 2")
    torch.set_num_threads(a.threads)
    return {"run": cmd_run, "params": cmd_params, "mirror": cmd_mirror}[a.cmd](a)


if __name__ == "__main__":
    sys.exit(main())
