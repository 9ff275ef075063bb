#!/usr/bin/env bash
# Scores an image-GAN checkpoint with the independent PyTorch classifier: samples N images per class
# with `glassbox sample gan` and prints per-class "labelled as asked" accuracy and diversity ratios.
# usage: tools/gan_quality.sh [MODEL.safetensors] [N per class, default 100] [SEED, default 42]
# Env: GLASSBOX (the binary; default build/glassbox, then glassbox on PATH).
set -euo pipefail
cd "$(dirname "$0")/.."
model=${1:-assets/models/fashion-gan.safetensors}
n=${2:-100}
seed=${3:-42}
bin=${GLASSBOX:-}
if [ -z "$bin" ]; then
  if [ -x build/glassbox ]; then bin=build/glassbox; else bin=$(command -v glassbox || true); fi
fi
[ -n "$bin" ] || { echo "gan_quality: no glassbox binary (build it, or set GLASSBOX=path)" >&2; exit 2; }
out=$(mktemp --suffix=.npy)
trap 'rm -f "$out"' EXIT
OMP_NUM_THREADS=1 "$bin" sample gan --model "$model" --class all --n "$n" --seed "$seed" --out "$out"
/usr/bin/python3 tests/quality/fashion_classifier.py score "$out" --min-accuracy 0.9 --min-diversity 0.3
