"""``python -m benchmarks.softmax_nodes``: the softmax family's nodes against the same
functions composed from the engine's exp, log, +, - and /.

For n logits, each case builds its graph from fresh leaves and runs ``backward()``
(build + backward is what a training step pays), timed as the best of interleaved
rounds (the machine is shared: the minimum is the least disturbed figure). softmax
and log_softmax are followed by L = sum_j w_j out_j so that every output's backward
runs; the time of that sum alone is printed too, to subtract. The composed forms are
what a learner would write, stabilized by the same shift m = max_k z_k (a constant):

* cross-entropy: ln(sum_k e^(z_k - m)) + m - z_t (3n + 1 nodes; here one node);
* class probabilities: -sum_k y_k (z_k - lse) on that lse (one node here);
* softmax: e_k = e^(z_k - m), S = e_1 + ... + e_n, e_j / S (about 4n nodes; here
  n + 1: one shared S node and one node per output);
* log_softmax: z_j - lse (about 4n nodes; here n + 1).
"""

from __future__ import annotations

import argparse
import gc
import math
import random
import timeit
from collections.abc import Callable, Sequence

from engine import Value
from engine.fused import class_cross_entropy, log_softmax, soft_cross_entropy, softmax

Build = Callable[[list[Value], list[float]], Value]


def _composed_lse(zs: Sequence[Value]) -> Value:
    m = max(z.data for z in zs)
    s = (zs[0] - m).exp()
    for z in zs[1:]:
        s = s + (z - m).exp()
    return s.log() + m


def _composed_softmax(zs: Sequence[Value]) -> list[Value]:
    m = max(z.data for z in zs)
    e = [(z - m).exp() for z in zs]
    s = e[0]
    for ek in e[1:]:
        s = s + ek
    return [ek / s for ek in e]


def _composed_log_softmax(zs: Sequence[Value]) -> list[Value]:
    lse = _composed_lse(zs)
    return [z - lse for z in zs]


def _composed_soft_cross_entropy(zs: Sequence[Value], y: Sequence[float]) -> Value:
    lse = _composed_lse(zs)
    c = (zs[0] - lse) * y[0]
    for z, yk in zip(zs[1:], y[1:], strict=True):
        c = c + (z - lse) * yk
    return -c


def _weighted(outs: Sequence[Value], w: Sequence[float]) -> Value:
    c = outs[0] * w[0]
    for o, wj in zip(outs[1:], w[1:], strict=True):
        c = c + o * wj
    return c


def _one_hot(n: int) -> list[float]:
    return [0.0] * (n - 1) + [1.0]


CASES: dict[str, tuple[Build, Build]] = {
    "cross_entropy (class index)": (
        lambda zs, w: class_cross_entropy(zs, len(zs) - 1),
        lambda zs, w: _composed_lse(zs) - zs[-1],
    ),
    "cross_entropy (probabilities)": (
        lambda zs, w: soft_cross_entropy(zs, _one_hot(len(zs))),
        lambda zs, w: _composed_soft_cross_entropy(zs, _one_hot(len(zs))),
    ),
    "softmax + sum_j w_j s_j": (
        lambda zs, w: _weighted(softmax(zs), w),
        lambda zs, w: _weighted(_composed_softmax(zs), w),
    ),
    "log_softmax + sum_j w_j ls_j": (
        lambda zs, w: _weighted(log_softmax(zs), w),
        lambda zs, w: _weighted(_composed_log_softmax(zs), w),
    ),
    "(sum_j w_j z_j alone)": (_weighted, _weighted),
}


def _step(build: Build, n: int) -> Callable[[], None]:
    rng = random.Random(0)
    data = [rng.uniform(-3.0, 3.0) for _ in range(n)]
    w = [rng.uniform(-1.0, 1.0) for _ in range(n)]

    def once() -> None:
        build([Value(d) for d in data], w).backward()

    return once


def measure(sizes: Sequence[int], rounds: int) -> list[str]:
    """One line per size and case: microseconds, nodes vs composed, and the ratio."""
    lines = [f"{'n':>4}  {'case':30}  {'nodes':>9}  {'composed':>9}  speed-up"]
    gc.disable()
    try:
        for n in sizes:
            reps = max(10, 4000 // n)
            steps = {
                (name, k): _step(pair[k], n)
                for name, pair in CASES.items()
                for k in (0, 1)
            }
            best = dict.fromkeys(steps, math.inf)
            for _ in range(rounds):
                for key, step in steps.items():
                    t = timeit.timeit(step, number=reps) / reps
                    best[key] = min(best[key], t)
            for name in CASES:
                node, composed = best[(name, 0)] * 1e6, best[(name, 1)] * 1e6
                lines.append(
                    f"{n:>4}  {name:30}  {node:7.1f}us  {composed:7.1f}us  "
                    f"{composed / node:5.2f}x"
                )
    finally:
        gc.enable()
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.softmax_nodes", description=__doc__
    )
    parser.add_argument("--quick", action="store_true", help="a fast smoke run")
    args = parser.parse_args(argv)
    sizes = (3, 10) if args.quick else (3, 10, 30, 100)
    print("\n".join(measure(sizes, 3 if args.quick else 25)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
