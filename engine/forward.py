"""``jvp``: forward mode, the Jacobian-vector product J u in one pass.

For f: R^n -> R^m at the point x and a direction u (the tangents),

    J u = (sum_i df_k/dx_i u_i)  for k = 1..m,

computed by evaluating f once with every value carrying its tangent: a node
y = g(x_1..x_p) gets dy = sum_i dy/dx_i dx_i from the rule table as it is made
(``engine.tangents``), and no graph is recorded. One pass gives one column's worth
of the Jacobian for each direction; reverse mode (``engine.grad``) gives a row per
pass instead, which is why it wins for a cost C: R^n -> R (one pass against n).
The shape is ``torch.func.jvp``'s: ``(f(x), J u)``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from engine.grad_mode import forward_mode
from engine.tangents import tangent_of
from engine.value import Number, Value, as_float
from engine.walk import topological_order

__all__ = ["jvp", "numbers_of"]

#: What f may return: one Value, or a sequence of them (f: R^n -> R^m).
Result = Value | Sequence[Value]


def numbers_of(xs: object, who: str, what: str) -> list[float]:
    """A sequence of numbers or Values (read as their data) as floats; TypeError
    or ValueError naming ``what``."""
    if isinstance(xs, Value | str | bytes) or not isinstance(xs, Sequence):
        raise TypeError(
            f"{who}: {what} must be a sequence of numbers or Values, got "
            f"{type(xs).__name__}"
        )
    return [
        as_float(x._data if isinstance(x, Value) else x, f"{who}: {what}[{i}]")
        for i, x in enumerate(xs)
    ]


def outputs_of(result: object, who: str) -> tuple[list[Value], bool]:
    """f's result as a list of Values, and whether it was a single Value."""
    if isinstance(result, Value):
        return [result], True
    if isinstance(result, Sequence) and not isinstance(result, str | bytes):
        outs = list(result)
        if outs and all(isinstance(o, Value) for o in outs):
            return outs, False
    raise TypeError(
        f"{who}: f must return a Value or a non-empty sequence of Values, got "
        f"{type(result).__name__}"
    )


def jvp(
    f: Callable[..., Result],
    primals: Sequence[Value | Number],
    tangents: Sequence[Value | Number],
) -> tuple[Any, Any]:
    """(f(x), J u): f's value at ``primals`` and its directional derivative along
    ``tangents``, by forward mode.

    ``f`` takes one Value per primal and returns a Value (then both results are
    floats) or a sequence of Values (then both are lists of floats, one per
    output). Primals and tangents are numbers or Values, read as their data (a
    Value's graph is not followed), and must be as many. f is run once, on fresh
    leaves, recording nothing; it must not switch recording on itself
    (``enable_grad()`` inside f): RuntimeError when its result was recorded from
    the leaves.
    """
    x = numbers_of(primals, "jvp", "primals")
    u = numbers_of(tangents, "jvp", "tangents")
    if len(x) != len(u):
        raise ValueError(
            f"jvp: {len(x)} primals but {len(u)} tangents; give one tangent per primal"
        )
    labels = [p.label if isinstance(p, Value) else "" for p in primals]
    token = object()
    leaves = [Value(xi, label) for xi, label in zip(x, labels, strict=True)]
    for leaf, ui in zip(leaves, u, strict=True):
        leaf._a = ui
        leaf._b = token
    with forward_mode(token):
        result = f(*leaves)
    outs, single = outputs_of(result, "jvp")
    values: list[float] = []
    derivatives: list[float] = []
    for k, out in enumerate(outs):
        if out._op is not None and _reaches(out, token):
            raise RuntimeError(
                f"jvp: output {k} of f was recorded as a graph (enable_grad() inside "
                "f?), so its tangent was not carried forward"
            )
        t = tangent_of(out, token)
        values.append(out._data)
        derivatives.append(0.0 if t is None else t)
    if single:
        return values[0], derivatives[0]
    return values, derivatives


def _reaches(out: Value, token: object) -> bool:
    """Whether the recorded graph of ``out`` has a leaf of the pass ``token``."""
    return any(tangent_of(v, token) is not None for v in topological_order(out))
