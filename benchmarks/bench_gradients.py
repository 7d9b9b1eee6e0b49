"""Reverse mode against finite differences: the time of one full gradient as the network grows.

For networks (4, w, w, 1) of growing width w, one gradient by
backpropagation (MLP.gradients) and one by central finite differences
(numerical_gradients, 2 loss evaluations per parameter) are timed
alternately in this one process; the ratio of their medians is printed.

    python benchmarks/bench_gradients.py [--repeats 7]

No number here is a pass/fail test: only ratios measured in the same process
are reported.
"""

from __future__ import annotations

import argparse

import numpy as np

import bpcourse
from bpcourse.gradcheck import gradient_timings


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(64, 4)), rng.normal(size=(64, 1))
    print(f"{'width':>5} {'parameters':>10} {'finite differences / backprop':>30}")
    for width in (2, 4, 8, 16, 32, 64):
        net = bpcourse.MLP((4, width, width, 1), "tanh", seed=0)
        backprop, numeric = gradient_timings(net, X, y, "mse", repeats=args.repeats)
        print(f"{width:5d} {net.n_parameters:10d} {numeric / backprop:29.0f}x")


if __name__ == "__main__":
    main()
