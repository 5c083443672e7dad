"""Whole derivative matrices of a function of numbers, as
``torch.autograd.functional``: ``jacobian`` (by either mode), ``hessian``, ``hvp``.

Each takes ``f``, a function of one Value per input, and the point as numbers or
Values (read as their data), calls f on fresh leaves, and returns floats:

* ``jacobian(f, x, mode)``: J[k][i] = df_k/dx_i, a list of m rows of n floats (one
  row for an f that returns a single Value). ``mode="reverse"`` records f once and
  takes one reverse pass per output (m passes); ``mode="forward"`` takes one
  forward pass (``jvp``) per input (n passes), recording nothing. For a cost
  R^n -> R reverse mode needs one pass where forward mode needs n: that is why
  networks are trained by backpropagation.
* ``hessian(f, x)``: H[i][j] = d^2 f/dx_i dx_j for a scalar f, by reverse mode
  twice: the gradient with ``create_graph=True``, then one pass per entry of it.
* ``hvp(f, x, v)``: (f(x), H v), by reverse mode twice: the gradient g as a graph,
  then the gradient of g . v, one pass whatever n is (Pearlmutter's trick).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Literal

from engine.autograd import grad
from engine.forward import Result, jvp, numbers_of, outputs_of
from engine.grad_mode import enable_grad
from engine.value import Number, Value

__all__ = ["hessian", "hvp", "jacobian"]

Matrix = list[list[float]]


def _leaves(inputs: Sequence[Value | Number], who: str) -> list[Value]:
    """Fresh leaves at the point ``inputs`` (at least one), with their labels."""
    x = numbers_of(inputs, who, "inputs")
    if not x:
        raise ValueError(f"{who}: inputs is empty; give at least one number")
    labels = [v.label if isinstance(v, Value) else "" for v in inputs]
    return [Value(xi, label) for xi, label in zip(x, labels, strict=True)]


def _row(
    output: Value | None, leaves: list[Value], *, create_graph: bool = False
) -> list[Value | None]:
    """d output/d leaf for each leaf; None where it is 0 (output constant, or the
    leaf unused)."""
    if output is None or not output.requires_grad:
        return [None] * len(leaves)
    return list(grad(output, leaves, allow_unused=True, create_graph=create_graph))


def _floats(row: list[Value | None]) -> list[float]:
    return [0.0 if g is None else g.data for g in row]


def jacobian(
    f: Callable[..., Result],
    inputs: Sequence[Value | Number],
    mode: Literal["forward", "reverse"] = "reverse",
) -> Matrix:
    """J[k][i] = df_k/dx_i at ``inputs``: m rows (f's outputs, 1 for a single
    Value) of n floats (its inputs). ``mode`` "reverse" (m reverse passes over one
    recorded graph, the default, as PyTorch's) or "forward" (n forward passes)."""
    if mode not in ("forward", "reverse"):
        raise ValueError(f"jacobian: mode must be 'forward' or 'reverse', got {mode!r}")
    leaves = _leaves(inputs, "jacobian")
    n = len(leaves)
    if mode == "forward":
        columns = []
        for i in range(n):
            direction = [1.0 if j == i else 0.0 for j in range(n)]
            _, column = jvp(f, leaves, direction)
            columns.append(column if isinstance(column, list) else [column])
        return [[columns[i][k] for i in range(n)] for k in range(len(columns[0]))]
    with enable_grad():  # the reverse passes need f's graph, even inside no_grad()
        outs, _ = outputs_of(f(*leaves), "jacobian")
    return [_floats(_row(out, leaves)) for out in outs]


def _scalar(f: Callable[..., Result], leaves: list[Value], who: str) -> Value:
    out = f(*leaves)
    if not isinstance(out, Value):
        raise TypeError(f"{who}: f must return a Value, got {type(out).__name__}")
    return out


def hessian(f: Callable[..., Value], inputs: Sequence[Value | Number]) -> Matrix:
    """H[i][j] = d^2 f/dx_i dx_j at ``inputs`` for f returning one Value: n rows of
    n floats (0.0 where f does not depend on an input)."""
    leaves = _leaves(inputs, "hessian")
    with enable_grad():
        out = _scalar(f, leaves, "hessian")
        gradient = _row(out, leaves, create_graph=True)
        return [_floats(_row(g, leaves)) for g in gradient]


def hvp(
    f: Callable[..., Value],
    inputs: Sequence[Value | Number],
    v: Sequence[Value | Number],
) -> tuple[float, list[float]]:
    """(f(x), H v): f's value and its Hessian at ``inputs`` times the vector ``v``
    (as many entries as inputs), without forming H: the gradient of
    g(x) . v, g = grad f recorded as a graph."""
    leaves = _leaves(inputs, "hvp")
    direction = numbers_of(v, "hvp", "v")
    if len(direction) != len(leaves):
        raise ValueError(
            f"hvp: v has {len(direction)} entries but there are {len(leaves)} "
            "inputs; give one per input"
        )
    with enable_grad():
        out = _scalar(f, leaves, "hvp")
        gradient = _row(out, leaves, create_graph=True)
        terms = [
            g * vi
            for g, vi in zip(gradient, direction, strict=True)
            if g is not None and g.requires_grad
        ]
        if not terms:  # the gradient is constant: H = 0
            return out.data, [0.0] * len(leaves)
        total = terms[0]
        for term in terms[1:]:
            total = total + term
        return out.data, _floats(_row(total, leaves))
