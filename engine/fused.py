"""The seed's fused nodes: a neuron's weighted input and the quadratic cost, one node
each.

* ``weighted_input``: z = sum_k w_k a_k + b, with dz/dw_k = a_k, dz/da_k = w_k and
  dz/db = 1 (row ``"z"`` of ``engine.ops.OPS``);
* ``half_sum_of_squares``: C = 1/2 sum_j r_j^2, with dC/dr_j = r_j (row
  ``"half_sum_sq"``).

Each is one node of arity ``NARY`` in place of the about 2n binary nodes of the same
sum, so a network's graph has fewer nodes and its backward pass less to do; the
chain rule through it gives the same gradients. Their rules are rows of the one rule
table like all the others; this module only checks the inputs and makes the node.
"""

from __future__ import annotations

from collections.abc import Sequence

from engine.ops import OPS
from engine.value import Number, Value, _lift, _node

__all__ = ["half_sum_of_squares", "weighted_input"]


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
