#!/usr/bin/python3
# One table for every image family Glassbox ships, judged by the independent classifier
# (fashion_classifier.py): class accuracy ("labelled as the class asked for"), the Fréchet distance of the
# classifier's features to the 10,000 real test images, and the lowest per-class diversity ratio. Real
# training images (100 per class) give the floor a perfect generator would reach with 1000 images.
#
#   quality_table.py GLASSBOX [--n PER_CLASS] [--seed S] [--json] [--families F,F] [--write FILE]
#
# --write FILE (assets/models/quality.json is the one the app reads: the vae.compare panel shows each family's
# verdict from it) writes the rows as JSON, atomically; with --families only those families' rows (and the
# real-image floor) are replaced, the others kept from the existing file.
#
# Each family samples PER_CLASS images of every class in class order with `glassbox sample FAMILY --class all`
# (its default settings, the shipped checkpoint). A family whose checkpoint is not in assets/models is skipped.
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fashion_classifier as fc  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FAMILIES = [  # (family, checkpoint the sample command uses by default)
    ("diffusion", "assets/models/fashion-diffusion.safetensors"),
    ("gan", "assets/models/fashion-gan.safetensors"),
    ("vae", "assets/models/fashion-cvae.safetensors"),
]


def write_verdicts(path, rows, args):
    """The app's copy of this table (src/lab/quality_verdicts.hpp reads it): one entry per family, each
    measured on `date` with `per_class` images of each class from seed `seed`. Families not measured this
    run keep their entry from the existing file."""
    keep = []
    if os.path.exists(path):
        with open(path) as f:
            old = json.load(f)
        measured = {r["family"] for r in rows}
        keep = [e for e in old.get("families", []) if e.get("family") not in measured]
    today = time.strftime("%Y-%m-%d", time.gmtime())
    new = [{"family": r["family"], "file": r["file"], "file_bytes": r.get("file_bytes", 0), "accuracy": round(r["accuracy"], 4),
            "fd": round(r["fd"], 2), "min_diversity": round(r["min_diversity"], 3),
            "seconds_for_1000": None if r["seconds"] is None else round(r["seconds"] * 1000.0 / (10 * args.n), 2),
            "per_class": args.n, "seed": args.seed, "date": today} for r in rows]
    order = {"real": 0, "gan": 1, "vae": 2, "diffusion": 3}
    doc = {"format": "glassbox-quality-verdicts/1",
           "about": "Written by tests/quality/quality_table.py --write: the independent Fashion-MNIST classifier's "
                    "verdict on each shipped image model (share labelled as the class asked, Frechet distance of its "
                    "features to the real test images, lowest per-class diversity ratio).",
           "families": sorted(keep + new, key=lambda e: order.get(e["family"], 9))}
    tmp = "%s.tmp.%d" % (path, os.getpid())
    with open(tmp, "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    os.replace(tmp, path)


def main():
    p = argparse.ArgumentParser(description="One quality table for every shipped image family, beside real images")
    p.add_argument("glassbox")
    p.add_argument("--n", type=int, default=100, help="images per class (default 100)")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--json", action="store_true")
    p.add_argument("--families", default="diffusion,gan,vae", help="which families to measure (default all)")
    p.add_argument("--write", help="also write the verdicts as JSON to this file (atomically)")
    args = p.parse_args()
    wanted = args.families.split(",")
    for f in wanted:
        if f not in [fam for fam, _ in FAMILIES]:
            raise SystemExit("quality table: --families: unknown family `%s` (expected %s)" %
                             (f, ", ".join(fam for fam, _ in FAMILIES)))
    fc.train_or_load(verbose=not args.json)
    rows = []
    xtr, ytr = fc.load_split("train")
    real = np.concatenate([xtr[ytr == c][:args.n] for c in range(10)])
    r = fc.score_array(real)
    rows.append({"model": "real training images (the floor)", "family": "real", "file": "", "accuracy": r["overall_accuracy"],
                 "fd": r["frechet_distance"], "min_diversity": r["min_diversity_feature"], "seconds": None})
    for family, ckpt in FAMILIES:
        if family not in wanted:
            continue
        if not os.path.exists(os.path.join(ROOT, ckpt)):
            print("quality table: %s skipped (no %s)" % (family, ckpt), file=sys.stderr)
            continue
        fd, out = tempfile.mkstemp(suffix=".npy")
        os.close(fd)
        try:
            t0 = time.time()
            cmd = [args.glassbox, "sample", family, "--class", "all", "--n", str(args.n), "--seed", str(args.seed),
                   "--out", out]
            res = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
            secs = time.time() - t0
            if res.returncode != 0:
                raise SystemExit("quality table: `%s` failed (%d): %s" % (" ".join(cmd), res.returncode, res.stderr))
            r = fc.score_file(out, "all")
        finally:
            os.unlink(out)
        rows.append({"model": "%s (%s)" % (family, ckpt.split("/")[-1]), "family": family, "file": ckpt.split("/")[-1],
                     "file_bytes": os.path.getsize(os.path.join(ROOT, ckpt)), "accuracy": r["overall_accuracy"],
                     "fd": r["frechet_distance"], "min_diversity": r["min_diversity_feature"], "seconds": secs})
    if args.write:
        write_verdicts(args.write, rows, args)
    if args.json:
        print(json.dumps(rows))
        return 0
    print("| model | labelled as asked | Fréchet distance | lowest class diversity | time for %d images |" % (10 * args.n))
    print("|---|---|---|---|---|")
    for r in rows:
        t = "-" if r["seconds"] is None else "%.1f s" % r["seconds"]
        print("| %s | %.1f%% | %.1f | %.2f | %s |" % (r["model"], 100 * r["accuracy"], r["fd"], r["min_diversity"], t))
    return 0


if __name__ == "__main__":
    sys.exit(main())
