"""An independent reference for the nn tests: central differences.

``central_differences`` evaluates C (the quadratic cost or the softmax
cross-entropy, ``cost_of``) with a forward pass written here, one neuron at a time in
plain Python (no nn code), and differentiates it numerically: the third, independent
side of tests/nn/test_autograd_equals_the_four_formulas.py, which reads autograd's
numbers off the engine's graph itself and the formulas' from ``nn.backprop``.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import numpy.typing as npt

Arrays = list[npt.NDArray[np.float64]]

F: dict[str, Callable[[float], float]] = {
    "sigmoid": lambda z: (
        1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))
    ),
    "tanh": math.tanh,
    "relu": lambda z: max(z, 0.0),
    "leaky_relu": lambda z: z if z > 0 else 0.01 * z,
    "linear": lambda z: z,
}


def cost_of(a: list[float], y: list[float], cost: str) -> float:
    """C of one sample's outputs a: 1/2 sum_j (y_j - a_j)^2 ("mse"), or
    -sum_j y_j ln softmax(a)_j ("cross_entropy", a the logits), in plain Python."""
    if cost == "cross_entropy":
        m = max(a)
        log_sum = math.log(sum(math.exp(aj - m) for aj in a))
        return -sum(yj * ((aj - m) - log_sum) for yj, aj in zip(y, a, strict=True))
    return 0.5 * sum((yj - aj) ** 2 for yj, aj in zip(y, a, strict=True))


def _costs_from(
    W: Arrays,
    B: Arrays,
    start: int,
    a: list[float],
    y: list[float],
    *,
    acts: list[str],
    z_override: list[float] | None,
    cost: str = "mse",
) -> float:
    """C of one sample, running layers start.. from activations a (z of layer start
    replaced by z_override when given)."""
    for i in range(start, len(W)):
        if i == start and z_override is not None:
            z = z_override
        else:
            z = [
                sum(float(W[i][j, k]) * a[k] for k in range(len(a))) + float(B[i][j])
                for j in range(W[i].shape[0])
            ]
        a = [F[acts[i]](zj) for zj in z]
    return cost_of(a, y, cost)


def central_differences(
    W: Arrays,
    B: Arrays,
    x: npt.NDArray[np.float64],
    y: npt.NDArray[np.float64],
    activation: str,
    *,
    output_activation: str,
    cost: str = "mse",
    eps: float = 1e-6,
) -> tuple[Arrays, Arrays, Arrays]:
    """(deltas, dC/dw, dC/db) of the cost (``cost_of``) summed over the rows of x,
    by (C(t + eps) - C(t - eps)) / (2 eps)."""
    acts = [activation] * (len(W) - 1) + [output_activation]
    xs, ys = x.tolist(), y.tolist()

    def total(Wm: Arrays, Bm: Arrays) -> float:
        return sum(
            _costs_from(Wm, Bm, 0, a, t, acts=acts, z_override=None, cost=cost)
            for a, t in zip(xs, ys, strict=True)
        )

    def slope(i: int, idx: tuple[int, ...], of_w: bool) -> float:
        out = []
        for step in (eps, -eps):
            Wm, Bm = [w.copy() for w in W], [b.copy() for b in B]
            (Wm if of_w else Bm)[i][idx] += step
            out.append(total(Wm, Bm))
        return (out[0] - out[1]) / (2.0 * eps)

    dw = [
        np.array(
            [
                [slope(i, (j, k), True) for k in range(w.shape[1])]
                for j in range(w.shape[0])
            ]
        )
        for i, w in enumerate(W)
    ]
    db = [
        np.array([slope(i, (j,), False) for j in range(b.shape[0])])
        for i, b in enumerate(B)
    ]

    deltas: Arrays = []
    for i in range(len(W)):
        rows = []
        for a1, t in zip(xs, ys, strict=True):
            # forward to layer i's input activations
            a = a1
            for h in range(i):
                a = [
                    F[acts[h]](
                        sum(float(W[h][j, k]) * a[k] for k in range(len(a)))
                        + float(B[h][j])
                    )
                    for j in range(W[h].shape[0])
                ]
            z = [
                sum(float(W[i][j, k]) * a[k] for k in range(len(a))) + float(B[i][j])
                for j in range(W[i].shape[0])
            ]
            row = []
            for j in range(len(z)):
                up = [zj + eps * (jj == j) for jj, zj in enumerate(z)]
                down = [zj - eps * (jj == j) for jj, zj in enumerate(z)]
                row.append(
                    (
                        _costs_from(W, B, i, a, t, acts=acts, z_override=up, cost=cost)
                        - _costs_from(
                            W, B, i, a, t, acts=acts, z_override=down, cost=cost
                        )
                    )
                    / (2.0 * eps)
                )
            rows.append(row)
        deltas.append(np.array(rows))
    return deltas, dw, db
