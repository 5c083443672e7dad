"""The fused nodes: the seed's weighted input and quadratic cost, and the softmax
family, one node each.

* ``weighted_input``: z = sum_k w_k a_k + b, with dz/dw_k = a_k, dz/da_k = w_k and
  dz/db = 1 (row ``"z"`` of ``engine.ops.OPS``);
* ``half_sum_of_squares``: C = 1/2 sum_j r_j^2, with dC/dr_j = r_j (row
  ``"half_sum_sq"``).

Each is one node of arity ``NARY`` in place of the about 2n binary nodes of the same
sum, so a network's graph has fewer nodes and its backward pass less to do; the
chain rule through it gives the same gradients. Their rules are rows of the one rule
table like all the others; this module only checks the inputs and makes the node.

The softmax family over logits z_1..z_n, each output one node (rows ``"sum_exp"``,
``"softmax"``, ``"log_softmax"``, ``"cross_entropy"``, ``"soft_cross_entropy"``; the
math is in ``engine.ops``), all shifted by m = max_k z_k so that no logit overflows:

* ``softmax(zs)``: s_j = e^(z_j) / sum_k e^(z_k), one node per j, all sharing one
  node S = sum_k e^(z_k - m) (``sum_of_shifted_exps``);
* ``log_softmax(zs)``: z_j - logsumexp(z), one node per j, sharing S too;
* ``class_cross_entropy(logits, t)``: C = logsumexp(z) - z_t (PyTorch's
  ``cross_entropy`` with a class index), dC/dz_k = s_k - [k = t];
* ``soft_cross_entropy(logits, y)``: C = -sum_k y_k log_softmax_k(z) (PyTorch's
  with class probabilities), dC/dz_k = s_k sum_i y_i - y_k.

Logits must be Values (TypeError otherwise, naming the argument and the index), at
least one (ValueError); any float, inf and nan included, gives IEEE results as in
PyTorch, never an exception or a warning.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence

import numpy as np

from engine.ops import OPS, shift
from engine.value import Number, Value, _lift, _node, as_float

__all__ = [
    "class_cross_entropy",
    "half_sum_of_squares",
    "log_softmax",
    "soft_cross_entropy",
    "softmax",
    "sum_of_shifted_exps",
    "weighted_input",
]


def weighted_input(
    w: Sequence[Value], a: Sequence[Value | Number], b: Value, label: str = ""
) -> Value:
    """The seed's weighted input z = sum_k w_k a_k + b as a single node.

    One node with one rule (dz/dw_k = a_k, dz/da_k = w_k, dz/db = 1) instead of 2n
    binary nodes: this is z^l_j, and after ``backward()`` its grad is delta^l_j.
    Its inputs are recorded as (w_1..w_n, b, a_1..a_n): the neuron's parameters,
    then the activations they weigh. Numbers in ``a`` become constant leaves, and when
    every a_k is a constant (a network's first layer) backward() stops at b.
    """
    n = len(w)
    if n != len(a):
        raise ValueError(f"weighted_input: {n} weights but {len(a)} inputs")
    if not isinstance(label, str):
        raise TypeError(f"label must be a str, got {type(label).__name__}")
    # Fast path: all inputs are Values (what a network passes). Otherwise reading
    # ._data fails, and the slow path converts numbers or names the wrong type.
    inputs: tuple[Value, ...] = (*w, b, *a)  # type: ignore[arg-type]
    op = OPS["z"]
    try:
        count = _gradient_count(inputs, n)
        z = op.forward(inputs)
        if type(z) is not float:  # a float subclass, or an object with a _data
            raise TypeError
    except (AttributeError, TypeError):  # an input is not a Value: check them all
        inputs = _checked_weighted_inputs(w, a, b)
        count = _gradient_count(inputs, n)
        z = op.forward(inputs)
    out = _node(op, z, inputs, count, count > 0)
    out.label = label
    return out


def _gradient_count(inputs: tuple[Value, ...], n: int) -> int:
    """How many of z's inputs (w_1..w_n, b, a_1..a_n), from the first, take a
    gradient: all 2n + 1; n + 1 when no a_k requires one (a network's inputs), so
    that backward() stops at b; 0 when no input does (z is a constant)."""
    for ak in inputs[n + 1 :]:
        if ak._requires_grad:
            return 2 * n + 1
    for p in inputs[: n + 1]:
        if p._requires_grad:
            return n + 1
    return 0


def _checked_weighted_inputs(
    w: Sequence[Value], a: Sequence[Value | Number], b: Value
) -> tuple[Value, ...]:
    """(w, b, a) as one tuple of Values: numbers in ``a`` become constant leaves,
    anything else that is not a Value fails."""
    if not isinstance(b, Value):
        raise TypeError(f"weighted_input: b must be a Value, got {type(b).__name__}")
    for wk in w:
        if not isinstance(wk, Value):
            raise TypeError(
                f"weighted_input: weights must be Values, got {type(wk).__name__}"
            )
    return (*w, b, *[_lift(ak) for ak in a])


def half_sum_of_squares(r: Sequence[Value], label: str = "") -> Value:
    """C = 1/2 sum_j r_j^2 as a single node (dC/dr_j = r_j).

    With residuals r_j = a_j - y_j this is the seed's quadratic cost, and the chain
    rule through r_j gives dC/da_j = a_j - y_j.
    """
    if isinstance(r, Value) or not isinstance(r, Sequence):
        raise TypeError(
            f"half_sum_of_squares: r must be a sequence of Values, got "
            f"{type(r).__name__}"
        )
    if not isinstance(label, str):
        raise TypeError(f"label must be a str, got {type(label).__name__}")
    inputs = tuple(r)
    if not inputs:
        raise ValueError("half_sum_of_squares: no inputs")
    for rj in inputs:
        if not isinstance(rj, Value):
            raise TypeError(
                f"half_sum_of_squares: inputs must be Values, got {type(rj).__name__}"
            )
    op = OPS["half_sum_sq"]
    requires_grad = any(rj._requires_grad for rj in inputs)
    count = len(inputs) if requires_grad else 0
    out = _node(op, op.forward(inputs), inputs, count, requires_grad)
    out.label = label
    return out


def _logits(zs: Sequence[Value], who: str, what: str) -> tuple[Value, ...]:
    """``zs`` as a non-empty tuple of Values; errors name ``who`` and ``what``."""
    if isinstance(zs, Value | str | bytes) or not isinstance(zs, Sequence):
        raise TypeError(
            f"{who}: {what} must be a list of Values, got {type(zs).__name__}"
        )
    logits = tuple(zs)
    if not logits:
        raise ValueError(f"{who}: {what} is empty; it needs at least one logit")
    for i, z in enumerate(logits):
        if not isinstance(z, Value):
            raise TypeError(
                f"{who}: {what}[{i}] must be a Value, got {type(z).__name__}"
            )
    return logits


def sum_of_shifted_exps(zs: Sequence[Value], m: Number) -> Value:
    """S = sum_k e^(z_k - m) as one node, m a constant: softmax's shared denominator.

    dS/dz_k = e^(z_k - m); no gradient flows to m (a constant leaf, the last
    input). ``softmax`` and ``log_softmax`` use m = max_k z_k, which keeps every
    term <= 1, and since softmax does not depend on the shift, fixing m loses no
    gradient there.
    """
    logits = _logits(zs, "sum_of_shifted_exps", "zs")
    return _sum_node(logits, _lift(as_float(m, "sum_of_shifted_exps: m")))


def _sum_node(logits: tuple[Value, ...], m: Value) -> Value:
    """The node S of ``sum_of_shifted_exps`` for checked logits and the leaf m."""
    op = OPS["sum_exp"]
    inputs = (*logits, m)
    requires_grad = any(z._requires_grad for z in logits)
    count = len(logits) if requires_grad else 0
    return _node(op, op.forward(inputs), inputs, count, requires_grad)


def _one_per_output(name: str, logits: tuple[Value, ...]) -> list[Value]:
    """One node of row ``name`` per logit j, with inputs (z_j, S, m)."""
    op = OPS[name]
    m = _lift(shift([z.data for z in logits]))
    s = _sum_node(logits, m)
    requires_grad = s._requires_grad
    count = 2 if requires_grad else 0
    out = []
    for zj in logits:
        inputs = (zj, s, m)
        out.append(_node(op, op.forward(inputs), inputs, count, requires_grad))
    return out


def softmax(zs: Sequence[Value]) -> list[Value]:
    """softmax(z)_j = e^(z_j) / sum_k e^(z_k) for j = 1..n, one node each.

    Computed as e^(z_j - m) / S with m = max_k z_k and S = sum_k e^(z_k - m), one
    node shared by all j, so logits like 1000 give [1.0, 0.0, ...] instead of
    inf / inf. Node j has the inputs (z_j, S, m); the chain rule through S gives
    ds_j/dz_k = s_j ([j = k] - s_k).
    """
    return _one_per_output("softmax", _logits(zs, "softmax", "zs"))


def log_softmax(zs: Sequence[Value]) -> list[Value]:
    """log_softmax(z)_j = z_j - ln sum_k e^(z_k) for j = 1..n, one node each.

    Computed as (z_j - m) - ln S (m and S as in ``softmax``): finite for any finite
    logits (log softmax of a logit 2000 below the largest is -2000, not -inf).
    Through S, d/dz_k = [j = k] - s_k.
    """
    return _one_per_output("log_softmax", _logits(zs, "log_softmax", "zs"))


def _check_label(label: object) -> None:
    if not isinstance(label, str):
        raise TypeError(f"label must be a str, got {type(label).__name__}")


def class_cross_entropy(logits: Sequence[Value], target: int, label: str = "") -> Value:
    """C = -log_softmax(z)_t = logsumexp(z) - z_t for the class index t, one node.

    As PyTorch's ``cross_entropy(logits, t)`` for one sample. t is an int (numpy
    ints too) in 0..n-1: a bool or float is a TypeError, another int a ValueError,
    both naming ``target``. The node's inputs are (z_t, z_1..z_n); its partials
    dC/dz_k = softmax(z)_k - [k = t].
    """
    who = "cross_entropy"
    zs = _logits(logits, who, "logits")
    _check_label(label)
    if isinstance(target, bool | np.bool_) or not isinstance(target, numbers.Integral):
        raise TypeError(
            f"{who}: target must be a class index (an int) or a list of class "
            f"probabilities, got {type(target).__name__}"
        )
    n = len(zs)
    if not 0 <= target < n:
        raise ValueError(
            f"{who}: target class index {int(target)} is out of range for {n} "
            f"logits (0..{n - 1})"
        )
    op = OPS["cross_entropy"]
    inputs = (zs[int(target)], *zs)
    requires_grad = any(z._requires_grad for z in zs)
    count = n + 1 if requires_grad else 0
    out = _node(op, op.forward(inputs), inputs, count, requires_grad)
    out.label = label
    return out


def soft_cross_entropy(
    logits: Sequence[Value], target: Sequence[Number], label: str = ""
) -> Value:
    """C = -sum_k y_k log_softmax(z)_k for class probabilities y, one node.

    As PyTorch's ``cross_entropy`` with probabilities as the target (a one-hot y
    gives the class-index cost). y has one finite entry >= 0 per logit (any sum, as
    PyTorch; TypeError / ValueError naming ``target`` otherwise) and becomes
    constant leaves: the node's inputs are (z_1..z_n, y_1..y_n), its partials
    dC/dz_k = softmax(z)_k sum_i y_i - y_k.
    """
    who = "cross_entropy"
    zs = _logits(logits, who, "logits")
    _check_label(label)
    if isinstance(target, str | bytes) or not isinstance(target, Sequence):
        raise TypeError(
            f"{who}: target must be a class index (an int) or a list of class "
            f"probabilities, got {type(target).__name__}"
        )
    n = len(zs)
    if len(target) != n:
        raise ValueError(
            f"{who}: {n} logits but {len(target)} target probabilities; they must match"
        )
    ys = []
    for i, yi in enumerate(target):
        p = as_float(yi, f"{who}: target[{i}]")
        if not (math.isfinite(p) and p >= 0.0):
            raise ValueError(
                f"{who}: target[{i}] = {p!r}: class probabilities must be finite "
                "and >= 0"
            )
        ys.append(_lift(p))
    op = OPS["soft_cross_entropy"]
    inputs = (*zs, *ys)
    requires_grad = any(z._requires_grad for z in zs)
    count = n if requires_grad else 0
    out = _node(op, op.forward(inputs), inputs, count, requires_grad)
    out.label = label
    return out
