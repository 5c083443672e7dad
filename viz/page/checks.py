"""The page's gradient check: autograd against central differences of the graph
itself, and the error of the difference as the step eps shrinks.

For a parameter x (a leaf that takes a gradient) of the graph of C, the central
difference is

    (C(x + eps) - C(x - eps)) / (2 eps),

with C evaluated again node by node with the rule table's ``forward`` functions
(``replay``), every other leaf held. Its error against the exact derivative has two
parts: truncation, O(eps^2) for smooth C (the next term of Taylor's series), and
round-off, about u |C| / eps with u = 2^-53 the rounding unit of float64 (the two
values of C are each rounded, and the difference is divided by eps). The total is
smallest near eps = u^(1/3), about 1e-5 to 1e-6, and grows on both sides: a U on a
log-log plot. The relative error of an autograd value g against a difference n is

    |g - n| / max(|g|, |n|)    (0 when both are 0).
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Sequence
from dataclasses import dataclass

from engine import Value, gradcheck
from engine.ops import NARY, OPS

__all__ = [
    "DEFAULT_EPS",
    "MAX_CHECKED",
    "MAX_SWEPT",
    "SWEEP",
    "ParameterCheck",
    "central_difference",
    "check_parameters",
    "relative_error",
    "replay",
]

#: The step of ``engine.gradcheck``'s central differences (its own default).
DEFAULT_EPS: float = inspect.signature(gradcheck).parameters["eps"].default

#: The steps of the sweep: 1e-1, 1e-2, ..., 1e-12.
SWEEP: tuple[float, ...] = tuple(10.0**-k for k in range(1, 13))

#: At most this many parameters are checked (the first in topological order): each
#: costs two evaluations of the whole graph.
MAX_CHECKED = 64

#: ... and at most this many are swept over every eps of ``SWEEP``.
MAX_SWEPT = 8


class _Slot:
    """A node-like holder of one float, as the n-ary rules read (``_data``)."""

    __slots__ = ("_data",)

    def __init__(self, data: float) -> None:
        self._data = data


def replay(order: Sequence[Value], changed: dict[int, float] | None = None) -> float:
    """The root's value (last of ``order``, a topological order) computed again
    with the rule table's forward functions, the leaves at positions of ``changed``
    set to the values given there. With nothing changed it is the root's data."""
    changed = changed or {}
    index = {id(v): i for i, v in enumerate(order)}
    slots: list[_Slot] = []
    for i, v in enumerate(order):
        if not v.op:
            slots.append(_Slot(changed.get(i, v.data)))
            continue
        op = OPS[v.op]
        ins = [slots[index[id(u)]] for u in v.inputs]
        if op.arity == NARY:
            y = op.forward(tuple(ins))
        else:
            y = op.forward(*(s._data for s in ins))
        slots.append(_Slot(float(y)))
    return slots[-1]._data


def central_difference(order: Sequence[Value], i: int, eps: float) -> float:
    """(C(x_i + eps) - C(x_i - eps)) / (2 eps) for the leaf at position i."""
    x = order[i].data
    up = replay(order, {i: x + eps})
    down = replay(order, {i: x - eps})
    return (up - down) / (2.0 * eps)


def relative_error(g: float, n: float) -> float:
    """|g - n| / max(|g|, |n|), 0 when both are 0 (nan if either is not finite)."""
    if g == n:
        return 0.0
    if not (math.isfinite(g) and math.isfinite(n)):
        return math.nan
    return abs(g - n) / max(abs(g), abs(n))


@dataclass(frozen=True)
class ParameterCheck:
    """One parameter's check: autograd's dC/dx, the central difference at
    ``DEFAULT_EPS``, their relative error, and (for the first ``MAX_SWEPT``) the
    relative error at every eps of ``SWEEP``."""

    position: int
    autograd: float
    numerical: float
    error: float
    sweep: tuple[float, ...]


def check_parameters(
    order: Sequence[Value], grads: Sequence[float]
) -> tuple[list[ParameterCheck], int]:
    """The checks of the first ``MAX_CHECKED`` parameters of the graph (leaves that
    take a gradient), and how many parameters there are in all."""
    params = [i for i, v in enumerate(order) if not v.op and v.requires_grad]
    checks = []
    for n, i in enumerate(params[:MAX_CHECKED]):
        numerical = central_difference(order, i, DEFAULT_EPS)
        sweep: tuple[float, ...] = ()
        if n < MAX_SWEPT:
            sweep = tuple(
                relative_error(grads[i], central_difference(order, i, eps))
                for eps in SWEEP
            )
        checks.append(
            ParameterCheck(
                i, grads[i], numerical, relative_error(grads[i], numerical), sweep
            )
        )
    return checks, len(params)
