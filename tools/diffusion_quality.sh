#!/bin/bash
# Quality of the diffusion image model with the default sampler settings: N samples per class,
# scored by the independent PyTorch classifier (tests/quality/fashion_classifier.py): how many are
# labelled as the class asked for, and how varied they are against real test images of the class.
#   tools/diffusion_quality.sh GLASSBOX [MODEL] [N] [extra score options, e.g. --min-accuracy 0.97]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
exe=$1
model=${2:-$here/../assets/models/fashion-diffusion.safetensors}
n=${3:-100}
shift $(( $# < 3 ? $# : 3 ))
out=$(mktemp --suffix=.npy)
trap 'rm -f "$out"' EXIT
"$exe" sample diffusion --model "$model" --class all --n "$n" --out "$out"
/usr/bin/python3 "$here/../tests/quality/fashion_classifier.py" score "$out" --classes all "$@"
