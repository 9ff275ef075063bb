#!/bin/sh
# Writes the input files of the VAE CLI tests into DIR: good images, and files that must be refused
# (float images, wrong shape, not a .npy at all, NaN latents, a latent of the wrong width, a
# truncated model). usage: make_bad_inputs.sh DIR
set -e
d=$1
mkdir -p "$d"
/usr/bin/python3 - "$d" <<'PY'
import sys
import numpy as np
d = sys.argv[1]
rng = np.random.default_rng(1)
np.save(d + "/images.npy", rng.integers(0, 256, (3, 28, 28), dtype=np.uint8))
np.save(d + "/images_f32.npy", rng.random((3, 28, 28), dtype=np.float32))
np.save(d + "/images_27.npy", rng.integers(0, 256, (3, 27, 28), dtype=np.uint8))
open(d + "/garbage.npy", "wb").write(b"PK\x03\x04 this is a zip, not a .npy")
np.save(d + "/z_nan.npy", np.array([[0, 0], [np.nan, 1]], dtype=np.float32))
np.save(d + "/z_3.npy", np.zeros((4, 3), dtype=np.float32))
np.save(d + "/z.npy", np.zeros((4, 2), dtype=np.float32))
# a VAE checkpoint cut short: the header promises 1.6 MB of weights, 64 bytes follow
import json, struct
h = json.dumps({"__metadata__": {"glassbox.model": "vae", "glassbox.config": json.dumps(
    {"latent": 2, "n_classes": 0, "hidden1": 512, "hidden2": 256})},
    "enc.fc1.weight": {"dtype": "F32", "shape": [512, 784], "data_offsets": [0, 512 * 784 * 4]}}).encode()
h += b" " * ((8 - len(h) % 8) % 8)
open(d + "/corrupt.safetensors", "wb").write(struct.pack("<Q", len(h)) + h + bytes(64))
PY
