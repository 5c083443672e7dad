"""The one table of differentiation rules.

Every operation the engine knows is a row of ``OPS``: its forward value and its local
derivatives, written side by side. Nothing else in the code knows a derivative.

For an op with inputs x_1..x_n and output y = f(x_1..x_n) a row holds

* ``forward(v) -> y``
* ``partials(v, y) -> (dy/dx_1, ..., dy/dx_n)``

where ``v`` is the tuple of input nodes and x_i = ``v[i].data``. (The rules read the
nodes' data themselves so that the n-ary neuron node streams its inputs without copying
them.) Reverse mode applies the chain rule at each node: dC/dx_i += dy/dx_i * dC/dy.

Arithmetic follows IEEE 754 as numpy's float64 does: overflow gives inf, log(0) gives
-inf, 0/0 gives nan. Python's own float arithmetic raises instead (OverflowError,
ZeroDivisionError, ValueError); the helpers below catch those and fall back to numpy, so
no finite or infinite input ever raises.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from engine.value import Value

__all__ = ["OPS", "Op", "safe_div", "safe_exp", "safe_log", "safe_pow", "sigmoid"]


def safe_div(a: float, b: float) -> float:
    """a / b with IEEE semantics: x/0 is ±inf, 0/0 is nan."""
    try:
        return a / b
    except ZeroDivisionError:
        with np.errstate(all="ignore"):
            return float(np.float64(a) / np.float64(b))


def safe_pow(a: float, b: float) -> float:
    """a ** b, IEEE: overflow is ±inf, (-8) ** 0.5 is nan, 0 ** -1 is inf."""
    try:
        return math.pow(a, b)
    except (OverflowError, ValueError):
        with np.errstate(all="ignore"):
            return float(np.power(np.float64(a), np.float64(b)))


def safe_exp(x: float) -> float:
    """e ** x; overflow gives inf."""
    try:
        return math.exp(x)
    except OverflowError:
        return math.inf


def safe_log(x: float) -> float:
    """Natural log; log(0) = -inf, log(x < 0) = nan."""
    try:
        return math.log(x)
    except ValueError:
        with np.errstate(all="ignore"):
            return float(np.log(np.float64(x)))


def sigmoid(x: float) -> float:
    """sigma(x) = 1 / (1 + e^-x), evaluated so that e^t never overflows.

    For x >= 0 it uses 1 / (1 + e^-x); for x < 0 the equal form e^x / (1 + e^x).
    sigma(-1000) is exactly 0.0 and sigma(1000) exactly 1.0, with no warning.
    """
    if x >= 0.0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def _relu(x: float) -> float:
    """max(0, x), with nan passed through as numpy.maximum does."""
    return 0.0 if x <= 0.0 else x


def _pow_base_partial(a: float, b: float) -> float:
    """d(a^b)/da = b a^(b-1); 0 when b == 0 (a^0 is constant), as in PyTorch."""
    if b == 0.0:
        return 0.0
    return b * safe_pow(a, b - 1.0)


def _pow_exponent_partial(a: float, b: float, y: float) -> float:
    """d(a^b)/db = a^b ln a; 0 at a == 0 with b >= 0 (where 0^b is flat), as PyTorch."""
    if a == 0.0 and b >= 0.0:
        return 0.0
    return y * safe_log(a)


_DATA = operator.attrgetter("data")

#: The input nodes of an op, in order.
Inputs = tuple["Value", ...]


def _weighted_input(v: Inputs) -> float:
    """z = sum_k w_k a_k + b for v = (w_1..w_n, a_1..a_n, b)."""
    n = len(v) // 2
    products = map(operator.mul, map(_DATA, v[:n]), map(_DATA, v[n:-1]))
    return sum(products, 0.0) + v[-1].data


def _weighted_input_partials(v: Inputs, _z: float) -> list[float]:
    """dz/dw_k = a_k, dz/da_k = w_k, dz/db = 1 (the seed's BP4 and BP3 in one place)."""
    n = len(v) // 2
    return [*map(_DATA, v[n:-1]), *map(_DATA, v[:n]), 1.0]


@dataclass(frozen=True, slots=True)
class Op:
    """One row of the rule table: a name, a symbol for pictures, and the two rules."""

    name: str
    symbol: str
    forward: Callable[[Inputs], float]
    partials: Callable[[Inputs, float], Sequence[float]]


_ROWS = [
    #  name  symbol  forward y = f(x), x_i = v[i].data        partials dy/dx_i
    Op("add", "+", lambda v: v[0].data + v[1].data, lambda v, y: (1.0, 1.0)),
    Op("sub", "-", lambda v: v[0].data - v[1].data, lambda v, y: (1.0, -1.0)),
    Op(
        "mul",
        "*",
        lambda v: v[0].data * v[1].data,
        lambda v, y: (v[1].data, v[0].data),
    ),
    Op(
        "div",
        "/",
        lambda v: safe_div(v[0].data, v[1].data),
        lambda v, y: (safe_div(1.0, v[1].data), safe_div(-y, v[1].data)),
    ),
    Op("neg", "-", lambda v: -v[0].data, lambda v, y: (-1.0,)),
    # a ** b with b a Value: both inputs get a gradient.
    Op(
        "pow",
        "**",
        lambda v: safe_pow(v[0].data, v[1].data),
        lambda v, y: (
            _pow_base_partial(v[0].data, v[1].data),
            _pow_exponent_partial(v[0].data, v[1].data, y),
        ),
    ),
    # a ** k with k a plain number: k is a constant, so no gradient flows to it.
    Op(
        "powc",
        "**",
        lambda v: safe_pow(v[0].data, v[1].data),
        lambda v, y: (_pow_base_partial(v[0].data, v[1].data), 0.0),
    ),
    Op("exp", "exp", lambda v: safe_exp(v[0].data), lambda v, y: (y,)),
    Op(
        "log",
        "log",
        lambda v: safe_log(v[0].data),
        lambda v, y: (safe_div(1.0, v[0].data),),
    ),
    Op("tanh", "tanh", lambda v: math.tanh(v[0].data), lambda v, y: (1.0 - y * y,)),
    Op("sigmoid", "σ", lambda v: sigmoid(v[0].data), lambda v, y: (y * (1.0 - y),)),
    Op(
        "relu",
        "relu",
        lambda v: _relu(v[0].data),
        lambda v, y: (1.0 if v[0].data > 0.0 else 0.0,),
    ),
    # The seed's weighted input z^l_j = sum_k w^l_jk a^(l-1)_k + b^l_j as one node.
    Op("z", "Σ w·a + b", _weighted_input, _weighted_input_partials),
]

OPS: dict[str, Op] = {op.name: op for op in _ROWS}
