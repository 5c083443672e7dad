"""The one table of differentiation rules.

Every operation the engine knows is a row of ``OPS``: its forward value and its local
derivatives, written side by side. Nothing else in the code knows a derivative.

For an op with inputs x_1..x_n and output y = f(x_1..x_n) a row holds

* ``forward(x_1, ..., x_n) -> y``
* ``partials((x_1, ..., x_n), y) -> (dy/dx_1, ..., dy/dx_n)``

and reverse mode applies the chain rule at each node: dC/dx_i += dy/dx_i * dC/dy.

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

import numpy as np

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


def _pow_exponent_partial(a: float, y: float) -> float:
    """d(a^b)/db = a^b ln a; 0 at a == 0 (a^b is 0 there for b > 0), as in PyTorch."""
    if a == 0.0:
        return 0.0
    return y * safe_log(a)


def _weighted_input(*x: float) -> float:
    """z = sum_k w_k a_k + b for x = (w_1..w_n, a_1..a_n, b)."""
    n = len(x) // 2
    return sum(map(operator.mul, x[:n], x[n : 2 * n]), 0.0) + x[-1]


def _weighted_input_partials(x: Sequence[float], _z: float) -> list[float]:
    """dz/dw_k = a_k, dz/da_k = w_k, dz/db = 1 (the seed's BP4 and BP3 in one place)."""
    n = len(x) // 2
    return [*x[n : 2 * n], *x[:n], 1.0]


@dataclass(frozen=True, slots=True)
class Op:
    """One row of the rule table: a name, a symbol for pictures, and the two rules."""

    name: str
    symbol: str
    forward: Callable[..., float]
    partials: Callable[[Sequence[float], float], Sequence[float]]


_ROWS = [
    #  name       symbol  forward y = f(x)              partials dy/dx_i
    Op("add", "+", lambda a, b: a + b, lambda x, y: (1.0, 1.0)),
    Op("sub", "-", lambda a, b: a - b, lambda x, y: (1.0, -1.0)),
    Op("mul", "*", lambda a, b: a * b, lambda x, y: (x[1], x[0])),
    Op("div", "/", safe_div, lambda x, y: (safe_div(1.0, x[1]), safe_div(-y, x[1]))),
    Op("neg", "-", lambda a: -a, lambda x, y: (-1.0,)),
    # a ** b with b a Value: both inputs get a gradient.
    Op(
        "pow",
        "**",
        safe_pow,
        lambda x, y: (_pow_base_partial(x[0], x[1]), _pow_exponent_partial(x[0], y)),
    ),
    # a ** k with k a plain number: k is a constant, so no gradient flows to it.
    Op("powc", "**", safe_pow, lambda x, y: (_pow_base_partial(x[0], x[1]), 0.0)),
    Op("exp", "exp", safe_exp, lambda x, y: (y,)),
    Op("log", "log", safe_log, lambda x, y: (safe_div(1.0, x[0]),)),
    Op("tanh", "tanh", math.tanh, lambda x, y: (1.0 - y * y,)),
    Op("sigmoid", "σ", sigmoid, lambda x, y: (y * (1.0 - y),)),
    Op("relu", "relu", _relu, lambda x, y: (1.0 if x[0] > 0.0 else 0.0,)),
    # The seed's weighted input z^l_j = sum_k w^l_jk a^(l-1)_k + b^l_j as one node.
    Op("z", "Σ w·a + b", _weighted_input, _weighted_input_partials),
]

OPS: dict[str, Op] = {op.name: op for op in _ROWS}
