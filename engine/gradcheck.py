"""``gradcheck`` and ``gradgradcheck``: derivatives against central differences,
with PyTorch's semantics and tolerances.

For each input x_i the numerical derivative is the central difference

    (f(x + eps e_i) - f(x - eps e_i)) / (2 eps),

whose error is O(eps^2) for smooth f. ``gradcheck`` compares backward()'s gradient
with it; ``gradgradcheck`` the second derivatives d^2 f/dx_j dx_i (the gradient of
each first derivative, by ``engine.grad`` with ``create_graph=True``) with the
central differences of the first derivatives,

    (df/dx_i (x + eps e_j) - df/dx_i (x - eps e_j)) / (2 eps).

An entry passes when

    |analytic - numerical| <= atol + rtol * |numerical|.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from engine.autograd import grad
from engine.grad_mode import enable_grad, no_grad
from engine.value import Number, Value, as_float

__all__ = ["GradcheckError", "gradcheck", "gradgradcheck"]


class GradcheckError(RuntimeError):
    """backward() and central differences disagree beyond the tolerance."""


def _call(
    f: Callable[..., Value], leaves: list[Value], who: str = "gradcheck"
) -> Value:
    out = f(*leaves)
    if not isinstance(out, Value):
        raise TypeError(f"{who}: f must return a Value, got {type(out).__name__}")
    return out


def gradcheck(
    f: Callable[..., Value],
    inputs: Sequence[Value | Number] | npt.NDArray[Any],
    *,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    raise_exception: bool = True,
) -> bool:
    """Check f's gradient at ``inputs`` by central differences.

    ``inputs`` is a sequence (list, tuple, 1-D array) of Values or numbers, one per
    argument of ``f``; anything else (a generator, a set, a dict, a lone Value)
    raises TypeError naming it. ``f`` takes one Value per input and returns a Value.
    It is called on fresh leaf copies, so the inputs' own ``grad`` is not touched.
    Returns True when every input passes; otherwise raises ``GradcheckError`` naming
    the worst input and both numbers (or returns False with
    ``raise_exception=False``).
    """
    _check_tolerances(eps=eps, atol=atol, rtol=rtol)
    given = _sequence(inputs, "gradcheck")
    x = [
        as_float(v.data if isinstance(v, Value) else v, "gradcheck input")
        for v in given
    ]
    labels = [v.label if isinstance(v, Value) else "" for v in given]
    leaves = [Value(xi, label) for xi, label in zip(x, labels, strict=True)]
    with enable_grad():  # the analytic side needs its graph, even inside no_grad()
        out = _call(f, leaves)
        if out.requires_grad:  # else f's result is a constant: its gradient is 0
            out.backward()
    analytic = [v.grad for v in leaves]

    numerical = []
    with no_grad():
        for i in range(len(x)):
            up = [Value(xj + eps) if j == i else Value(xj) for j, xj in enumerate(x)]
            down = [Value(xj - eps) if j == i else Value(xj) for j, xj in enumerate(x)]
            numerical.append((_call(f, up).data - _call(f, down).data) / (2.0 * eps))

    excess = [
        _excess(a, n, atol, rtol) for a, n in zip(analytic, numerical, strict=True)
    ]
    worst = max(range(len(x)), key=excess.__getitem__, default=-1)
    if worst < 0 or excess[worst] <= 1.0:
        return True
    if not raise_exception:
        return False
    name = f" ({labels[worst]})" if labels[worst] else ""
    raise GradcheckError(
        f"gradient mismatch for input {worst}{name} at x = {x[worst]!r}: "
        f"backward() gives {analytic[worst]!r}, central difference gives "
        f"{numerical[worst]!r} (atol={atol}, rtol={rtol})"
    )


def _first_derivatives(
    f: Callable[..., Value], leaves: list[Value], *, create_graph: bool
) -> list[Value | None]:
    """df/dx_i for each leaf by ``engine.grad`` (None where f does not depend on
    x_i, or f is a constant), recorded as a graph with ``create_graph``."""
    with enable_grad():
        out = _call(f, leaves, "gradgradcheck")
        if not out.requires_grad:
            return [None] * len(leaves)
        return list(
            grad(out, leaves, allow_unused=True, create_graph=create_graph)
        )


def gradgradcheck(
    f: Callable[..., Value],
    inputs: Sequence[Value | Number] | npt.NDArray[Any],
    *,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    raise_exception: bool = True,
) -> bool:
    """Check f's second derivatives at ``inputs`` by central differences of its
    first derivatives (PyTorch's ``gradgradcheck``, its default tolerances).

    ``inputs`` is a sequence, as for ``gradcheck`` (TypeError naming anything
    else). ``f`` takes one Value per input and returns a Value; it is called on fresh
    leaves. The analytic entry (i, j) is d/dx_j of df/dx_i, both by reverse mode
    (``engine.grad``, the first with ``create_graph=True``); the numerical one the
    central difference of df/dx_i along x_j. Returns True when every entry passes;
    otherwise raises ``GradcheckError`` naming the worst entry (i, j) and both
    numbers (or returns False with ``raise_exception=False``).
    """
    _check_tolerances(eps=eps, atol=atol, rtol=rtol)
    given = _sequence(inputs, "gradgradcheck")
    x = [
        as_float(v.data if isinstance(v, Value) else v, "gradgradcheck input")
        for v in given
    ]
    labels = [v.label if isinstance(v, Value) else "" for v in given]
    leaves = [Value(xi, label) for xi, label in zip(x, labels, strict=True)]
    n = len(x)
    analytic: list[list[float]] = []
    for g in _first_derivatives(f, leaves, create_graph=True):
        if g is None or not g.requires_grad:  # a constant first derivative
            analytic.append([0.0] * n)
            continue
        with enable_grad():
            row = grad(g, leaves, allow_unused=True)
        analytic.append([0.0 if h is None else h.data for h in row])

    def first(point: list[float]) -> list[float]:
        row = _first_derivatives(f, [Value(p) for p in point], create_graph=False)
        return [0.0 if g is None else g.data for g in row]

    numerical: list[list[float]] = [[0.0] * n for _ in range(n)]
    for j in range(n):
        up = first([xk + eps if k == j else xk for k, xk in enumerate(x)])
        down = first([xk - eps if k == j else xk for k, xk in enumerate(x)])
        for i in range(n):
            numerical[i][j] = (up[i] - down[i]) / (2.0 * eps)

    entries = [(i, j) for i in range(n) for j in range(n)]
    excess = {
        (i, j): _excess(analytic[i][j], numerical[i][j], atol, rtol)
        for i, j in entries
    }
    worst = max(entries, key=excess.__getitem__, default=None)
    if worst is None or excess[worst] <= 1.0:
        return True
    if not raise_exception:
        return False
    i, j = worst
    names = "".join(
        f" ({labels[k]})" if labels[k] else "" for k in ((i, j) if i != j else (i,))
    )
    raise GradcheckError(
        f"second derivative mismatch for entry ({i}, {j}), d/dx_{j} of df/dx_{i}"
        f"{names}, at x = {x!r}: engine.grad gives {analytic[i][j]!r}, central "
        f"differences of the first derivatives give {numerical[i][j]!r} "
        f"(atol={atol}, rtol={rtol})"
    )


def _sequence(inputs: object, who: str) -> list[Value | Number]:
    """``inputs`` as a list, if it is a sequence (a list, a tuple, a range, a 1-D
    numpy array): TypeError naming what was given otherwise (``who`` is the check).

    An iterator or generator would be used up by the first pass over it, and a set
    or dict has no order that matches f's arguments, so they are refused; so are str
    and bytes, and a lone Value or number (``[x]`` is one input).
    """
    if isinstance(inputs, np.ndarray) and inputs.ndim == 1:
        return list(inputs)
    if isinstance(inputs, Sequence) and not isinstance(inputs, str | bytes):
        return list(inputs)
    if isinstance(inputs, np.ndarray):
        given = f"a {inputs.ndim}-D numpy array"
    elif isinstance(inputs, Value):
        given = "a single Value: one input is [x]"
    elif isinstance(inputs, numbers.Number):
        given = f"a single number ({type(inputs).__name__}): one input is [x]"
    else:
        given = f"a {type(inputs).__name__}"
    raise TypeError(
        f"{who}: inputs must be a sequence (a list or tuple) of Values or numbers, "
        f"one per argument of f, in order; got {given}"
    )


def _check_tolerances(**values: float) -> None:
    """eps > 0, atol >= 0 and rtol >= 0, all finite real numbers."""
    for name, v in values.items():
        if not isinstance(v, int | float) or isinstance(v, bool):
            kind = type(v).__name__
            raise TypeError(f"gradcheck: {name} must be a float, got {kind}")
        if not (math.isfinite(v) and v >= 0.0) or (name == "eps" and v == 0.0):
            bound = "> 0" if name == "eps" else ">= 0"
            raise ValueError(f"gradcheck: {name} must be finite and {bound}, got {v}")


def _excess(analytic: float, numerical: float, atol: float, rtol: float) -> float:
    """|analytic - numerical| / (atol + rtol |numerical|): a pass is <= 1.

    Two equal infinities pass; a nan, or an infinity against anything else, fails
    (gives inf), as PyTorch's ``allclose`` with ``equal_nan=False`` does.
    """
    if analytic == numerical:
        return 0.0
    if not (math.isfinite(analytic) and math.isfinite(numerical)):
        return math.inf
    tolerance = atol + rtol * abs(numerical)
    gap = abs(analytic - numerical)
    return gap / tolerance if tolerance > 0.0 else math.inf
