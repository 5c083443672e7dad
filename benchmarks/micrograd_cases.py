"""Target 1: the micrograd demo's training step, in micrograd and in deltagrad.

The step is micrograd's own demo: MLP(2, [16, 16, 1]) (ReLU, linear output), all 100
points of make_moons(noise=0.1) in one loss (the max-margin loss plus 1e-4 L2), then
zero_grad, backward and an SGD update. deltagrad runs the same net, with micrograd's
initial weights copied over, in its default (fused z-node) and elementary modes. The
garbage collector keeps its default settings on both sides.
"""

from __future__ import annotations

import gc
import random
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from benchmarks.report import Row, Skipped, median_seconds
from engine import Value
from nn import MLP

__all__ = ["demo_step"]


def _moons() -> tuple[list[list[float]], list[float]]:
    from sklearn.datasets import make_moons  # noqa: PLC0415 - optional dependency

    X, y = make_moons(n_samples=100, noise=0.1, random_state=1)
    return X.tolist(), (y * 2 - 1).astype(float).tolist()


def _step(
    model: Callable[[list[Any]], Any],
    params: Sequence[Any],
    lift: Callable[[float], Any],
    X: list[list[float]],
    y: list[float],
) -> float:
    """One step of micrograd's demo; ``lift`` makes an input scalar of the library."""
    inputs = [[lift(v) for v in row] for row in X]
    scores = [model(row) for row in inputs]
    losses = [(1 + -yi * si).relu() for yi, si in zip(y, scores, strict=True)]
    data_loss = sum(losses) * (1.0 / len(losses))
    reg_loss = 1e-4 * sum(p * p for p in params)
    total = data_loss + reg_loss
    for p in params:
        p.grad = 0.0
    total.backward()
    for p in params:
        p.data -= 0.1 * p.grad
    return float(total.data)


def demo_step(repeats: int) -> list[Row | Skipped]:
    try:
        from micrograd import nn as mg_nn  # noqa: PLC0415 - optional dependency
        from micrograd.engine import Value as MgValue  # noqa: PLC0415
    except ImportError:
        return [
            Skipped(
                "1. micrograd demo step",
                "micrograd not installed (pip install -e '.[bench]')",
            )
        ]
    X, y = _moons()
    random.seed(1337)
    mg = mg_nn.MLP(2, [16, 16, 1])
    W = [
        np.array([[w.data for w in n.w] for n in layer.neurons]) for layer in mg.layers
    ]
    B = [np.array([float(n.b.data) for n in layer.neurons]) for layer in mg.layers]

    def mg_step() -> float:
        return _step(mg, mg.parameters(), MgValue, X, y)

    rows: list[Row | Skipped] = []
    mg_seconds = median_seconds(mg_step, repeats)
    # micrograd's graphs are reference cycles (a closure per node): what the collector
    # has not freed yet is its cost, not the next case's (a collection of the
    # generation that holds it took 0.6-1.2 s and landed in deltagrad's timings).
    gc.collect()
    for elementary, target in ((False, 10.0), (True, 3.0)):
        net = MLP.from_arrays(
            W, B, activation="relu", output_activation="linear", elementary=elementary
        )
        params = net.parameters()

        def dg_step(net: MLP = net, params: list[Value] = params) -> float:
            return _step(lambda row: net(row)[0], params, Value, X, y)

        seconds = median_seconds(dg_step, repeats)
        gc.collect()
        ratio = mg_seconds / seconds
        mode = "elementary" if elementary else "fused z"
        rows.append(
            Row(
                f"1. micrograd demo step ({mode})",
                f"{seconds:.3f} s",
                f"micrograd {mg_seconds:.2f} s",
                ratio,
                f">= {target:g}x faster",
                ratio >= target,
            )
        )
    return rows
