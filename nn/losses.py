"""Costs of one sample as engine graphs; the result node is labelled ``C``.

* ``mse``: the seed's quadratic cost C = 1/2 sum_j (y_j - a_j)^2 (``reduction="sum"``),
  or that divided by the number of outputs n (``"mean"``:
  C = 1/(2n) sum_j (y_j - a_j)^2, which keeps the seed's 1/2, unlike PyTorch's
  ``MSELoss``). dC/da_j = a_j - y_j.
* ``bce``: the cross-entropy C = -sum_j [y_j ln a_j + (1 - y_j) ln(1 - a_j)], each
  logarithm clamped at -100 as PyTorch's ``BCELoss`` does, so a saturated output gives a
  large finite cost instead of inf. Outputs must lie in [0, 1] (ValueError naming the
  first one outside, nan included, as PyTorch raises). ``"mean"`` divides by n.
  Only the forward clamp follows PyTorch: where a logarithm is clamped it is the
  constant -100, whose derivative is 0, so backward() gives that term 0, while
  PyTorch's backward uses (a - y) / max(a (1 - a), 1e-12) everywhere. The two agree
  while a (1 - a) >= 1e-12. ``backprop.cost_derivative`` gives the same numbers as
  this engine graph, so both training paths stay in step.

Both are written as the seed writes them, from the engine's ops, so ``backward()``
differentiates them (mse's sum of squares is one node, ``half_sum_of_squares``).
Targets are constants of the graph (a Value target is read as its ``data``; no gradient
flows to it).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from engine import Value, half_sum_of_squares
from engine.value import Number, as_float
from nn.arrays import LOG_CLAMP, check_probabilities
from nn.names import REDUCTIONS
from nn.notation import COST_LABEL

__all__ = ["bce", "mse"]


def _check(
    outputs: Sequence[Value],
    targets: Sequence[Number | Value] | npt.NDArray[np.float64],
    reduction: str,
    who: str,
) -> list[float]:
    if isinstance(outputs, Value) or not isinstance(outputs, Sequence):
        raise TypeError(f"{who}: outputs must be a list of Values")
    if isinstance(targets, np.ndarray):
        if targets.ndim != 1:
            raise ValueError(f"{who}: targets must be 1-D, got shape {targets.shape}")
        targets = list(targets)
    if isinstance(targets, str) or not isinstance(targets, Sequence):
        raise TypeError(
            f"{who}: targets must be a sequence of numbers, "
            f"got {type(targets).__name__}"
        )
    if len(outputs) != len(targets):
        raise ValueError(
            f"{who}: {len(outputs)} outputs but {len(targets)} targets; they must match"
        )
    if len(outputs) == 0:
        raise ValueError(f"{who}: no outputs")
    for i, a in enumerate(outputs):
        if not isinstance(a, Value):
            raise TypeError(
                f"{who}: outputs[{i}] must be a Value, got {type(a).__name__}"
            )
    if reduction not in REDUCTIONS:
        raise ValueError(
            f"{who}: reduction must be one of {REDUCTIONS}, got {reduction!r}"
        )
    return [
        y.data if isinstance(y, Value) else as_float(y, f"{who}: targets[{i}]")
        for i, y in enumerate(targets)
    ]


def _total(terms: list[Value], reduction: str) -> Value:
    c = terms[0]
    for t in terms[1:]:
        c = c + t
    if reduction == "mean" and len(terms) > 1:
        c = c / len(terms)
    c.label = COST_LABEL  # every term is a new node: this names no one else's node
    return c


def mse(
    outputs: Sequence[Value],
    targets: Sequence[Number | Value] | npt.NDArray[np.float64],
    reduction: str = "sum",
) -> Value:
    """C = 1/2 sum_j (y_j - a_j)^2 (or its mean over the outputs), labelled ``C``.

    The graph: one residual node r_j = a_j - y_j per output, then one node
    C = 1/2 sum_j r_j^2, whose partials dC/dr_j = r_j give dC/da_j = a_j - y_j.
    """
    ys = _check(outputs, targets, reduction, "mse")
    r = [a - y for a, y in zip(outputs, ys, strict=True)]
    c = half_sum_of_squares(r)
    if reduction == "mean" and len(r) > 1:
        c = c / len(r)
    c.label = COST_LABEL
    return c


def _clamped_log(v: Value) -> Value:
    """max(ln v, -100): the log node, or the constant -100 where that is larger."""
    log_v = v.log()
    if log_v.data > LOG_CLAMP:
        return log_v
    return Value(LOG_CLAMP, requires_grad=False)  # ln 0 = -inf is clamped too


def bce(
    outputs: Sequence[Value],
    targets: Sequence[Number | Value] | npt.NDArray[np.float64],
    reduction: str = "sum",
) -> Value:
    """C = -sum_j [y_j ln a_j + (1 - y_j) ln(1 - a_j)] with clamped logs, labelled C.

    Outputs must lie in [0, 1] (a sigmoid output layer): ValueError naming the first
    one outside. Targets should lie in [0, 1] too.
    """
    ys = _check(outputs, targets, reduction, "bce")
    check_probabilities(
        np.fromiter((a.data for a in outputs), np.float64, len(outputs)), "outputs"
    )
    terms = [
        -(y * _clamped_log(a) + (1.0 - y) * _clamped_log(1.0 - a))
        for a, y in zip(outputs, ys, strict=True)
    ]
    return _total(terms, reduction)
