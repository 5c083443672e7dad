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

* ``cross_entropy``: for more than two classes, the cross-entropy of the softmax of
  logits z (a linear output layer, ``output_activation="linear"``), as PyTorch's
  ``CrossEntropyLoss``: C = -ln softmax(z)_t = logsumexp(z) - z_t for a class index
  t, or C = -sum_k y_k ln softmax(z)_k for class probabilities y (a one-hot row of
  ``nn.data.to_targets`` gives the same C). dC/dz_k = softmax(z)_k - [k = t], and
  softmax(z)_k sum_i y_i - y_k for probabilities. One engine node
  (``engine.fused.class_cross_entropy`` / ``soft_cross_entropy``).
* ``softmax`` and ``log_softmax`` (from ``engine.fused``): softmax(z)_j and
  ln softmax(z)_j of a list of logits, one node per j sharing one node
  S = sum_k e^(z_k - m), m = max_k z_k.

mse and bce are written as the seed writes them, from the engine's ops, so
``backward()`` differentiates them (mse's sum of squares is one node,
``half_sum_of_squares``). Targets are constants of the graph (a Value target is read
as its ``data``; no gradient flows to it). ``LOSSES`` maps each name of
``nn.names.COSTS`` to its function.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Sequence
from typing import Union

import numpy as np
import numpy.typing as npt

from engine import Value, half_sum_of_squares
from engine.fused import (
    class_cross_entropy,
    log_softmax,
    soft_cross_entropy,
    softmax,
)
from engine.value import Number, as_float
from nn.arrays import LOG_CLAMP, check_probabilities
from nn.names import REDUCTIONS
from nn.notation import COST_LABEL, residual_label, target_label

__all__ = ["LOSSES", "bce", "cross_entropy", "log_softmax", "mse", "softmax"]

#: What ``nn.cross_entropy`` takes as the target of one sample.
Target = Union[  # noqa: UP007 - runtime alias
    int, np.integer, Sequence[Number | Value], npt.NDArray[np.generic]
]


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

    The graph: one constant target node y_j and one residual node r_j = a_j - y_j
    per output (labelled ``y[j]`` and ``r[j]``), then one node C = 1/2 sum_j r_j^2,
    whose partials dC/dr_j = r_j give dC/da_j = a_j - y_j.
    """
    ys = _check(outputs, targets, reduction, "mse")
    r = []
    for j, (a, y) in enumerate(zip(outputs, ys, strict=True), 1):
        r_j = a - Value(y, target_label(j), requires_grad=False)
        r_j.label = residual_label(j)
        r.append(r_j)
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


def cross_entropy(
    logits: Sequence[Value], target: Target, reduction: str = "sum"
) -> Value:
    """The cross-entropy of softmax(logits) against ``target``, one node labelled C.

    * ``target`` a class index t (an int, numpy ints too): C = logsumexp(z) - z_t,
      dC/dz_k = softmax(z)_k - [k = t];
    * ``target`` a list or 1-D array of class probabilities y, one per logit, each
      finite and >= 0 (a one-hot row; any sum, as PyTorch): C = -sum_k y_k
      ln softmax(z)_k, dC/dz_k = softmax(z)_k sum_i y_i - y_k.

    As PyTorch's ``cross_entropy(logits, target)`` on one sample, stable for any
    logits (shifted by their maximum; inf and nan give IEEE results). ``reduction``
    is "sum" or "mean", which are equal here: C is one number per sample, and
    PyTorch's "mean" averages over the samples of a batch. A bool, a float or a
    Value as the class index, an index outside 0..n-1, an empty or non-Value list
    of logits and a negative probability raise TypeError / ValueError naming them.
    """
    if reduction not in REDUCTIONS:
        raise ValueError(
            f"cross_entropy: reduction must be one of {REDUCTIONS}, got {reduction!r}"
        )
    if isinstance(target, np.ndarray):
        if target.ndim == 0:
            target = target[()]
        elif target.ndim == 1:
            target = list(target)
        else:
            raise ValueError(
                "cross_entropy: target must be a class index or a 1-D vector of "
                f"class probabilities, got shape {target.shape}"
            )
    if isinstance(
        target, numbers.Number | Value | np.generic | str | bytes
    ) or not isinstance(target, Sequence):
        return class_cross_entropy(logits, target, COST_LABEL)  # type: ignore[arg-type]
    probabilities = [y.data if isinstance(y, Value) else y for y in target]
    return soft_cross_entropy(logits, probabilities, COST_LABEL)


#: Each cost of ``nn.names.COSTS`` as an engine graph of one sample's outputs and
#: targets.
LOSSES: dict[str, Callable[..., Value]] = {
    "mse": mse,
    "bce": bce,
    "cross_entropy": cross_entropy,
}
