"""``deltagrad compare``: autograd against BP1-BP4 and central differences."""

from __future__ import annotations

import argparse
import sys

import numpy as np

from nn import MLP, compare
from viz.cli.parser import PROG

__all__ = ["run"]


def run(args: argparse.Namespace) -> int:
    """Print the comparison table of a random net and batch; 1 if out of tolerance."""
    sizes = args.sizes
    rng = np.random.default_rng(args.seed)
    net = MLP(sizes, activation=args.activation, seed=args.seed)
    x = rng.normal(size=(args.batch, sizes[0]))
    y = rng.uniform(size=(args.batch, sizes[-1]))
    report = compare(net, x, y)
    print(
        f"MLP {sizes} ({args.activation}), seed {args.seed}, a batch of {args.batch} "
        "random sample(s), cost C = 1/2 sum_j (y_j - a^L_j)^2 summed over the batch\n"
    )
    print(report)
    if not report.ok:
        print(f"{PROG} compare: differences exceed the tolerance", file=sys.stderr)
        return 1
    return 0
