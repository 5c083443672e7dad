"""Target 7: handwritten digits learned through the scalar engine.

64-30-10, sigmoid, the seed's quadratic cost, mini-batch SGD for 30 epochs, every
gradient by ``backward()``. For comparison the same net (same initial weights, the
same sigmoid and cost) runs one epoch in micrograd, with sigmoid written as a
micrograd op in micrograd's own style.
"""

from __future__ import annotations

import math
import time
from typing import Any

import numpy as np

from benchmarks.report import Row, Skipped
from nn import MLP, accuracy, fit, make_dataset, to_targets, train_test_split

__all__ = ["digits_through_the_engine"]

SIZES = [64, 30, 10]
EPOCHS = 30
LR = 3.0
BATCH = 10


def _micrograd_epoch_seconds(
    W: list[np.ndarray], B: list[np.ndarray], x: np.ndarray, y: np.ndarray, limit: int
) -> float:
    """Seconds for one epoch of per-sample SGD steps in micrograd (extrapolated from
    ``limit`` samples when the epoch is longer)."""
    from micrograd.engine import Value as MgValue  # noqa: PLC0415 - optional

    def sigmoid(z: Any) -> Any:
        s = (
            1.0 / (1.0 + math.exp(-z.data))
            if z.data >= 0
            else (math.exp(z.data) / (1.0 + math.exp(z.data)))
        )
        out = MgValue(s, (z,), "sigmoid")

        def _backward() -> None:
            z.grad += s * (1.0 - s) * out.grad

        out._backward = _backward
        return out

    Wm = [[[MgValue(float(v)) for v in row] for row in w] for w in W]
    Bm = [[MgValue(float(v)) for v in b] for b in B]
    params = [p for w in Wm for row in w for p in row] + [p for b in Bm for p in b]
    n = min(limit, len(x))
    start = time.perf_counter()
    for first in range(0, n, BATCH):
        for p in params:
            p.grad = 0.0
        for xi, yi in zip(
            x[first : first + BATCH].tolist(),
            y[first : first + BATCH].tolist(),
            strict=True,
        ):
            a = [MgValue(v) for v in xi]
            for w, b in zip(Wm, Bm, strict=True):
                a = [
                    sigmoid(sum((wk * ak for wk, ak in zip(row, a, strict=True)), bj))
                    for row, bj in zip(w, b, strict=True)
                ]
            cost = (
                sum(
                    ((aj - yj) ** 2 for aj, yj in zip(a, yi, strict=True)), MgValue(0.0)
                )
                * 0.5
            )
            cost.backward()
        for p in params:
            p.data -= LR / BATCH * p.grad
    return (time.perf_counter() - start) * len(x) / n


def digits_through_the_engine(micrograd_samples: int) -> list[Row | Skipped]:
    try:
        data = make_dataset("digits")
    except ImportError as exc:
        return [Skipped("7. digits through the engine", str(exc))]
    train, test = train_test_split(data, train_share=0.75, seed=0)
    net = MLP(SIZES, seed=0)
    W0, B0 = net.weights(), net.biases()
    start = time.perf_counter()
    fit(
        net,
        train,
        epochs=EPOCHS,
        lr=LR,
        batch_size=BATCH,
        engine="autograd",
        seed=0,
        progress=False,
    )
    seconds = time.perf_counter() - start
    acc = accuracy(net, test)
    try:
        mg_epoch = _micrograd_epoch_seconds(
            W0, B0, train.x, to_targets(train.labels, 10), micrograd_samples
        )
        reference = f"micrograd 1 epoch {mg_epoch:.0f} s"
        ratio = mg_epoch * EPOCHS / seconds
    except ImportError:
        reference, ratio = "micrograd not installed", math.nan
    return [
        Row(
            f"7. digits 64-30-10, {EPOCHS} epochs, engine",
            f"{seconds:.1f} s, test acc {acc:.1%}",
            reference,
            ratio,
            ">= 96% in <= 30 s",
            acc >= 0.96 and seconds <= 30.0,
        )
    ]
