#!/usr/bin/python3
"""Plot the block propagation CDF of a cbsim run.

Usage: plot_propagation.py RESULTS_DIR

Reads RESULTS_DIR/propagation.csv (block_id, fraction, delay_s) and writes
RESULTS_DIR/propagation.png and .pdf: for every block, the share of nodes
holding it against the time since it was mined (thin lines), and the median
over blocks (thick line).
"""
import csv
import os
import statistics
import sys
from collections import defaultdict

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def main(results_dir: str) -> int:
    path = os.path.join(results_dir, "propagation.csv")
    if not os.path.exists(path):
        print(f"error: {path}: no such file (run the scenario first)", file=sys.stderr)
        return 2
    curves = defaultdict(list)
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            curves[int(row["block_id"])].append((float(row["delay_s"]), float(row["fraction"])))
    if not curves:
        print(f"error: {path}: no block reached any node", file=sys.stderr)
        return 2

    fig, ax = plt.subplots(figsize=(6, 4), dpi=150)
    by_fraction = defaultdict(list)
    for points in curves.values():
        points.sort()
        ax.plot([d for d, _ in points], [f for _, f in points], color="tab:blue", alpha=0.15, linewidth=0.8)
        for d, fr in points:
            by_fraction[fr].append(d)
    fractions = sorted(by_fraction)
    medians = [statistics.median(by_fraction[fr]) for fr in fractions]
    ax.plot(medians, fractions, color="tab:red", linewidth=2.0, label="median over blocks")
    ax.set_xlabel("time since the block was mined (s)")
    ax.set_ylabel("share of nodes holding the block")
    ax.set_ylim(0, 1.02)
    ax.set_xlim(left=0)
    ax.grid(True, alpha=0.3)
    ax.set_title(f"Block propagation ({len(curves)} blocks)")
    ax.legend(loc="lower right")
    fig.tight_layout()
    for ext in ("png", "pdf"):
        out = os.path.join(results_dir, f"propagation.{ext}")
        fig.savefig(out)
        print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1]))
