"""The one table of differentiation rules.

Every operation the engine knows is a row of ``OPS``: its forward value and its local
derivatives, written side by side. Nothing else in the code knows a derivative.

For an op with inputs x_1..x_n and output y = f(x_1..x_n) a row holds

* ``forward(x_1, ..., x_n) -> y``
* ``partials(x_1, ..., x_n, y) -> (dy/dx_1, ..., dy/dx_n)``

on floats for the ops of one and two inputs (one input: a single dy/dx). The n-ary
rows, the neuron's weighted input ``z`` and the quadratic cost ``half_sum_sq``, get
the tuple of input nodes instead and read their data in place, so their many inputs
are never copied; their partials are other nodes whose data are the derivatives
(dz/dw_k is a_k, dC/dr_j is r_j), for the first ``count`` inputs, those that take a
gradient (see ``Op``). Reverse mode applies the chain rule at each node:
dC/dx_i += dy/dx_i * dC/dy.

The softmax family is n-ary too. For logits z_1..z_n, with m = max_k z_k (the shift
that keeps every e^(z_k - m) <= 1, so logits like 1000 never overflow),
S = sum_k e^(z_k - m) and s_k = e^(z_k - m) / S = softmax(z)_k:

* ``sum_exp``: S, from v = (z_1..z_n, m), dS/dz_k = e^(z_k - m). m is a constant
  leaf: softmax does not depend on the shift, so no gradient is lost by fixing it.
* ``softmax``: s_j, from v = (z_j, S, m), ds_j/dz_j = s_j and ds_j/dS = -s_j / S;
  through S that gives ds_j/dz_k = s_j ([j = k] - s_k).
* ``log_softmax``: (z_j - m) - ln S, from (z_j, S, m), partials 1 and -1 / S: in
  all [j = k] - s_k.
* ``cross_entropy``: C = (m - z_t) + ln S = logsumexp(z) - z_t for the class t,
  from v = (z_t, z_1..z_n) (the target's logit, then all, so z_t enters twice),
  dC/dz_k = s_k - [k = t].
* ``soft_cross_entropy``: C = -sum_k y_k ((z_k - m) - ln S) for class
  probabilities y, from v = (z_1..z_n, y_1..y_n) with the y_k constant leaves,
  dC/dz_k = s_k sum_i y_i - y_k.

The n softmax outputs share one S node (n + 1 nodes, O(n) work in all); each
cross-entropy finds m and S inside its one node. These partials are computed, not
values of inputs, so they are handed back in small holders of a float
(``_Partial``).

Where PyTorch's backward is a mask rather than a product (relu at or below 0, a
power's base when the exponent is 0, the losing side of ``maximum``/``minimum``, the
comparisons) the partial is ``MASKED``: a float 0.0 whose product with anything, inf
and nan included, is 0.0, so no contribution flows whatever dC/dy is. Everywhere else
the product is IEEE's, so 0 * inf stays nan, as in PyTorch.

The same partials serve three modes. ``backward()`` evaluates them on floats (the
fast path: a node's data). ``engine.grad(..., create_graph=True)`` evaluates the very
same rules on Values, so that each partial is itself a node of a new graph and can be
differentiated again (second and higher derivatives); forward mode (``engine.jvp``)
evaluates them on floats as each node is made. A rule is therefore written only with
what floats and Values both have: ``+ - * /``, the comparisons ``< <= > >=`` (which
give a Value whose truth is that of its data; ``==`` is identity for Values, so a
rule tests ``not b`` for b == 0) and the functions below that dispatch on the type
(``exp_of``, ``log_of``, ``pow_of``, ``sin_of``, ``cos_of``: math's on a float, the
Value's method on a Value; math's own would silently turn a Value into a float
through ``__float__``). A ``MASKED`` partial is a mask in every mode: its product with
a Value is 0.0 as well. An n-ary rule gets its inputs as objects whose ``_data`` is a
float (the nodes themselves) or a Value (``Operand`` holders, on the Value path).

Arithmetic follows IEEE 754 as numpy's float64 does: overflow gives inf, log(0) gives
-inf, 0/0 gives nan. Python's own float arithmetic raises instead (OverflowError,
ZeroDivisionError, ValueError); the helpers below catch those and fall back to numpy, so
no finite or infinite input ever raises.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final, overload

import numpy as np

if TYPE_CHECKING:
    from engine.value import Value

__all__ = [
    "MASKED",
    "NARY",
    "OPS",
    "Op",
    "Operand",
    "cos_of",
    "exp_of",
    "log_of",
    "pow_of",
    "safe_cos",
    "safe_div",
    "safe_exp",
    "safe_log",
    "safe_pow",
    "safe_sin",
    "safe_sqrt",
    "shift",
    "sigmoid",
    "sin_of",
]

#: The arity of an n-ary op (any number of inputs: ``z``, ``half_sum_sq``), whose
#: rules take the tuple of input nodes instead of floats (see ``Op``).
NARY: Final = 0


class _MaskedZero(float):
    """The zero of a mask: equal to 0.0, and 0.0 times anything, inf and nan included.

    PyTorch computes relu's backward as ``where(y > 0, g, 0)``, a mask, not as the
    product ``0 * g``: an infinite or nan dC/dy still gives dC/dx = 0 there. A rule
    returns ``MASKED`` where PyTorch masks, and the chain rule's product
    ``MASKED * g`` is then 0.0 with no test in the loop that applies it.
    """

    __slots__ = ()

    def __mul__(self, other: object) -> float:
        return 0.0

    def __rmul__(self, other: object) -> float:
        return 0.0

    def __repr__(self) -> str:
        return "MASKED"


#: The partial of a mask (see ``_MaskedZero``): no contribution flows through it.
MASKED: Final = _MaskedZero(0.0)


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


def safe_sqrt(x: float) -> float:
    """The square root; sqrt(x < 0) = nan, sqrt(-0.0) = -0.0, sqrt(inf) = inf."""
    try:
        return math.sqrt(x)
    except ValueError:
        return math.nan


def safe_sin(x: float) -> float:
    """sin x; sin(±inf) = nan."""
    try:
        return math.sin(x)
    except ValueError:
        return math.nan


def safe_cos(x: float) -> float:
    """cos x; cos(±inf) = nan."""
    try:
        return math.cos(x)
    except ValueError:
        return math.nan


# --- the functions a rule calls: a float's or a Value's, by the argument's type ------


@overload
def exp_of(x: float) -> float: ...
@overload
def exp_of(x: Value) -> Value: ...
def exp_of(x: Any) -> Any:
    """e ** x: ``safe_exp`` on a float, ``x.exp()`` on a Value."""
    return safe_exp(x) if type(x) is float else x.exp()


@overload
def log_of(x: float) -> float: ...
@overload
def log_of(x: Value) -> Value: ...
def log_of(x: Any) -> Any:
    """ln x: ``safe_log`` on a float, ``x.log()`` on a Value."""
    return safe_log(x) if type(x) is float else x.log()


@overload
def sin_of(x: float) -> float: ...
@overload
def sin_of(x: Value) -> Value: ...
def sin_of(x: Any) -> Any:
    """sin x: ``safe_sin`` on a float, ``x.sin()`` on a Value."""
    return safe_sin(x) if type(x) is float else x.sin()


@overload
def cos_of(x: float) -> float: ...
@overload
def cos_of(x: Value) -> Value: ...
def cos_of(x: Any) -> Any:
    """cos x: ``safe_cos`` on a float, ``x.cos()`` on a Value."""
    return safe_cos(x) if type(x) is float else x.cos()


@overload
def pow_of(a: float, b: float) -> float: ...
@overload
def pow_of(a: Value, b: Value | float) -> Value: ...
@overload
def pow_of(a: float, b: Value) -> Value: ...
def pow_of(a: Any, b: Any) -> Any:
    """a ** b: ``safe_pow`` on two floats, the Value's ``**`` when either is a Value
    (a constant exponent Value then takes no gradient)."""
    if type(a) is float and type(b) is float:
        return safe_pow(a, b)
    return a**b


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


def _leaky_relu(x: float, slope: float) -> float:
    """x for x > 0, else slope * x (PyTorch's leaky_relu; nan stays nan)."""
    return x if x > 0.0 else slope * x


def _maximum(a: float, b: float) -> float:
    """The larger of a and b; nan if either is nan; a at a tie (so max(-0.0, 0.0) is
    -0.0), as torch.maximum."""
    if a < b:
        return b
    if a >= b:
        return a
    return math.nan


def _minimum(a: float, b: float) -> float:
    """The smaller of a and b; nan if either is nan; a at a tie, as torch.minimum."""
    if a > b:
        return b
    if a <= b:
        return a
    return math.nan


def _maximum_partials(a: float, b: float) -> tuple[float, float]:
    """(dy/da, dy/db) of y = max(a, b) as PyTorch: 1 to the larger input, a mask to
    the smaller, 1/2 each at a tie, 1 each when a nan is involved (y is nan).
    (Neither a > b nor a < b: ``a <= b`` is then the tie, false for a nan.)"""
    if a > b:
        return 1.0, MASKED
    if a < b:
        return MASKED, 1.0
    if a <= b:
        return 0.5, 0.5
    return 1.0, 1.0


def _minimum_partials(a: float, b: float) -> tuple[float, float]:
    """(dy/da, dy/db) of y = min(a, b): 1 to the smaller input, a mask to the larger,
    1/2 each at a tie, 1 each when a nan is involved, as PyTorch."""
    if a < b:
        return 1.0, MASKED
    if a > b:
        return MASKED, 1.0
    if a <= b:
        return 0.5, 0.5
    return 1.0, 1.0


def _pow_base_partial(a: float, b: float) -> float:
    """d(a^b)/da = b a^(b-1); a mask when b == 0 (a^0 is constant), as PyTorch's
    ``where(b == 0, 0, g * b a^(b-1))``. (``not b``: b == 0, for a Value too.)"""
    if not b:
        return MASKED
    return b * pow_of(a, b - 1.0)


def _pow_exponent_partial(a: float, b: float, y: float) -> float:
    """d(a^b)/db = a^b ln a; 0 at a == 0 with b >= 0 (where 0^b is flat), as PyTorch,
    whose ``g * where(a == 0 & b >= 0, 0, y ln a)`` is a product: 0 * inf is nan."""
    if not a and b >= 0.0:
        return 0.0
    return y * log_of(a)


#: The input nodes of an n-ary op, in order.
Inputs = tuple["Value", ...]

#: What an n-ary rule's partials are: for each input, a node holding dy/dx_i.
Partners = tuple["Value | _One | _Partial", ...]


def _weighted_input(v: Inputs) -> float:
    """z = sum_k w_k a_k + b for v = (w_1..w_n, b, a_1..a_n).

    Summed left to right and b added last, as the elementary chain
    ((w_1 a_1 + w_2 a_2) + ...) + b does, so both give the same bits (signed zeros
    included).
    """
    n = len(v) // 2
    if n == 0:
        return v[0]._data
    z = v[0]._data * v[n + 1]._data
    for w, a in zip(v[1:n], v[n + 2 :]):  # noqa: B905 - v holds 2n + 1 nodes
        z += w._data * a._data
    return z + v[n]._data


class _One:
    """The constant 1 as a node-like object: the partial dz/db."""

    __slots__ = ()
    data = _data = 1.0


_ONE = _One()


def _weighted_input_partials(v: Inputs, _z: float, count: int) -> Partners:
    """dz/dw_k = a_k (BP4), dz/db = 1 (BP3), dz/da_k = w_k (carries delta back, BP2).

    Every partial is the value of another input, so the rule hands back those nodes
    instead of copying their data: entry i is the node whose ``data`` is dz/dv_i, for
    the first ``count`` inputs of v = (w_1..w_n, b, a_1..a_n): n + 1 of them when no
    a_k takes a gradient (the inputs of the first layer), else all 2n + 1.
    """
    n = len(v) // 2
    if count > n + 1:
        return (*v[n + 1 :], _ONE, *v[:n])
    return (*v[n + 1 :], _ONE)


class _Partial:
    """A computed partial dy/dx_i as a node-like object (its ``data``), for the n-ary
    rules whose partials are not values of their inputs (read as ``_data``, as the
    walk reads a node's): a float, or a Value on the Value path."""

    __slots__ = ("_data",)

    def __init__(self, data: float) -> None:
        self._data = data


class Operand:
    """An input of an n-ary rule on the Value path: ``_data`` is the input node
    itself, so the rule that reads ``u._data`` computes with Values (and a partial
    that is an input's value, dz/dw_k = a_k, is that node)."""

    __slots__ = ("_data",)

    def __init__(self, node: Value) -> None:
        self._data = node


#: dC/dz_t = -1 for the target's logit z_t of the cross-entropy (shared, never
#: written).
_MINUS_ONE = _Partial(-1.0)


def shift(zs: list[float]) -> float:
    """m = max_k z_k, the shift of the softmax family (nan if z_1 is nan).

    Every z_k - m is then <= 0 or nan (Python's max keeps a leading nan, and
    inf - inf is nan), so e^(z_k - m) never overflows: S = sum_k e^(z_k - m) is in
    [1, n] or nan, and ln S never fails. A nan or an infinite maximum makes S nan,
    as in PyTorch.
    """
    return max(zs)


def _max_and_sum(v: Inputs) -> tuple[float, float]:
    """m = max_k z_k and S = sum_k e^(z_k - m) over the nodes v (summed in order).

    m is a float (the data, on the Value path too): a constant shift, as in
    ``sum_exp``; S is a float, or a Value of the z_k on the Value path.
    """
    m = float(shift([u._data for u in v]))
    exp = math.exp if type(v[0]._data) is float else exp_of
    s = 0.0
    for u in v:
        s += exp(u._data - m)
    return m, s


def _sum_of_shifted_exps(v: Inputs) -> float:
    """S = sum_k e^(z_k - m) for v = (z_1..z_n, m), m = max_k z_k a constant leaf."""
    m = v[-1]._data
    s = 0.0
    for u in v[:-1]:
        s += math.exp(u._data - m)
    return s


def _sum_of_shifted_exps_partials(v: Inputs, y: float, count: int) -> Partners:
    """dS/dz_k = e^(z_k - m) (m is a constant: softmax does not depend on it)."""
    m = v[-1]._data
    exp = math.exp if type(m) is float else exp_of
    return tuple(_Partial(exp(u._data - m)) for u in v[:count])


def _softmax_j(v: Inputs) -> float:
    """s_j = e^(z_j - m) / S for v = (z_j, S, m)."""
    return math.exp(v[0]._data - v[2]._data) / v[1]._data


def _log_softmax_j(v: Inputs) -> float:
    """log_softmax_j = (z_j - m) - ln S for v = (z_j, S, m)."""
    return (v[0]._data - v[2]._data) - math.log(v[1]._data)


def _class_cross_entropy(v: Inputs) -> float:
    """C = logsumexp(z) - z_t = (m - z_t) + ln S for v = (z_t, z_1..z_n), the
    difference m - z_t taken first so that large logits lose no digits."""
    m, s = _max_and_sum(v[1:])
    return (m - v[0]._data) + math.log(s)


def _class_cross_entropy_partials(v: Inputs, y: float, count: int) -> Partners:
    """dC/dz_t = -1 (the picked z_t), dC/dz_k = s_k (the logsumexp): s_k - [k = t]."""
    m, s = _max_and_sum(v[1:])
    exp = math.exp if type(s) is float else exp_of
    return (_MINUS_ONE, *[_Partial(exp(u._data - m) / s) for u in v[1:count]])


def _soft_cross_entropy(v: Inputs) -> float:
    """C = -sum_k y_k ((z_k - m) - ln S) for v = (z_1..z_n, y_1..y_n)."""
    n = len(v) // 2
    m, s = _max_and_sum(v[:n])
    log_s = math.log(s)
    total = 0.0
    for z, p in zip(v[:n], v[n:]):  # noqa: B905 - v holds 2n nodes
        total += p._data * ((z._data - m) - log_s)
    return -total


def _soft_cross_entropy_partials(v: Inputs, y: float, count: int) -> Partners:
    """dC/dz_k = s_k sum_i y_i - y_k (= s_k - y_k for a one-hot or any y summing to
    1), for the n logits (the y_k are constants)."""
    n = len(v) // 2
    m, s = _max_and_sum(v[:n])
    total = 0.0
    for p in v[n:]:
        total += p._data
    exp = math.exp if type(s) is float else exp_of
    return tuple(
        _Partial((exp(z._data - m) / s) * total - p._data)
        for z, p in zip(v[:count], v[n:])  # noqa: B905 - count <= n
    )


def _half_sum_of_squares(v: Inputs) -> float:
    """C = 1/2 sum_j r_j^2, summed left to right."""
    total = 0.0
    for r in v:
        total += r._data * r._data
    return 0.5 * total


@dataclass(frozen=True, slots=True)
class Op:
    """One row of the rule table: a name, a symbol for pictures, the arity, two rules.

    * arity 1: ``forward(x) -> y`` and ``partials(x, y) -> dy/dx`` (floats);
    * arity 2: ``forward(a, b) -> y`` and ``partials(a, b, y) -> (dy/da, dy/db)``;
    * arity ``NARY`` (any number of inputs): ``forward(v) -> y`` and
      ``partials(v, y, count) -> (p_1, ..., p_count)`` with ``v`` the tuple of input
      nodes, ``count`` how many of them, from the first, take a gradient, and p_i a
      node whose ``data`` is dy/dv_i. (The neuron's partials are its own inputs'
      values, so they are handed back as nodes, never copied.) The rules read a
      node's ``_data``, the slot behind the ``data`` property (see
      ``engine.value.Value``), as every hot path does.

    A partial may be ``MASKED`` where PyTorch's backward is a mask (see above).
    """

    name: str
    symbol: str
    arity: int
    forward: Callable[..., float]
    partials: Callable[..., Any]


_ROWS = [
    #  name  symbol arity  forward y = f(x)            partials dy/dx
    Op("add", "+", 2, lambda a, b: a + b, lambda a, b, y: (1.0, 1.0)),
    Op("sub", "-", 2, lambda a, b: a - b, lambda a, b, y: (1.0, -1.0)),
    Op("mul", "*", 2, lambda a, b: a * b, lambda a, b, y: (b, a)),
    Op("div", "/", 2, safe_div, lambda a, b, y: (safe_div(1.0, b), safe_div(-y, b))),
    Op("neg", "-", 1, lambda x: -x, lambda x, y: -1.0),
    # a ** b with b a Value: both inputs may take a gradient.
    Op(
        "pow",
        "**",
        2,
        safe_pow,
        lambda a, b, y: (_pow_base_partial(a, b), _pow_exponent_partial(a, b, y)),
    ),
    # a ** k with k a plain number: k is a constant, so no gradient flows to it.
    Op("powc", "**", 2, safe_pow, lambda a, b, y: (_pow_base_partial(a, b), 0.0)),
    Op("exp", "exp", 1, safe_exp, lambda x, y: y),
    Op("log", "log", 1, safe_log, lambda x, y: safe_div(1.0, x)),
    Op("tanh", "tanh", 1, math.tanh, lambda x, y: 1.0 - y * y),
    Op("sigmoid", "σ", 1, sigmoid, lambda x, y: y * (1.0 - y)),
    # relu's backward is PyTorch's mask where(y <= 0, 0, g): MASKED at and below 0;
    # nan is not <= 0, so it passes the gradient.
    Op("relu", "relu", 1, _relu, lambda x, y: MASKED if x <= 0.0 else 1.0),
    # d|x|/dx = sign(x), 0 at 0 and at nan: PyTorch's g * sgn(x), a product.
    Op("abs", "abs", 1, abs, lambda x, y: 1.0 if x > 0 else -1.0 if x < 0 else 0.0),
    Op("sqrt", "√", 1, safe_sqrt, lambda x, y: safe_div(0.5, y)),
    Op("sin", "sin", 1, safe_sin, lambda x, y: cos_of(x)),
    Op("cos", "cos", 1, safe_cos, lambda x, y: -sin_of(x)),
    # leaky_relu(x, slope) with the slope a plain number, a constant like powc's k.
    Op(
        "leaky_relu",
        "leaky relu",
        2,
        _leaky_relu,
        lambda a, b, y: (1.0 if a > 0.0 else b, 0.0),
    ),
    Op("maximum", "max", 2, _maximum, lambda a, b, y: _maximum_partials(a, b)),
    Op("minimum", "min", 2, _minimum, lambda a, b, y: _minimum_partials(a, b)),
    # Comparisons of data: a constant 1.0 or 0.0 that takes no gradient (a step
    # function's derivative is 0 wherever it exists), as PyTorch's bool result.
    Op("lt", "<", 2, lambda a, b: float(a < b), lambda a, b, y: (MASKED, MASKED)),
    Op("le", "≤", 2, lambda a, b: float(a <= b), lambda a, b, y: (MASKED, MASKED)),
    Op("gt", ">", 2, lambda a, b: float(a > b), lambda a, b, y: (MASKED, MASKED)),
    Op("ge", "≥", 2, lambda a, b: float(a >= b), lambda a, b, y: (MASKED, MASKED)),
    # The seed's weighted input z^l_j = sum_k w^l_jk a^(l-1)_k + b^l_j as one node.
    Op("z", "Σ w·a + b", NARY, _weighted_input, _weighted_input_partials),
    # The seed's quadratic cost of the residuals r_j = a_j - y_j: dC/dr_j = r_j, so
    # each partial is the input itself.
    Op(
        "half_sum_sq",
        "½Σ r²",
        NARY,
        _half_sum_of_squares,
        lambda v, y, count: v[:count],
    ),
    # The softmax family over logits z_1..z_n (see the module docstring).
    # S = sum_k e^(z_k - m), v = (z_1..z_n, m): m = max_k z_k is a constant leaf.
    Op(
        "sum_exp",
        "Σ e^(z−m)",
        NARY,
        _sum_of_shifted_exps,
        _sum_of_shifted_exps_partials,
    ),
    # s_j = e^(z_j - m) / S, v = (z_j, S, m): ds_j/dz_j = s_j, ds_j/dS = -s_j / S.
    Op(
        "softmax",
        "e^(z−m) / S",
        NARY,
        _softmax_j,
        lambda v, y, count: (_Partial(y), _Partial(-y / v[1]._data)),
    ),
    # (z_j - m) - ln S, v = (z_j, S, m): partials 1 and -1 / S.
    Op(
        "log_softmax",
        "z − m − ln S",
        NARY,
        _log_softmax_j,
        lambda v, y, count: (_ONE, _Partial(-1.0 / v[1]._data)),
    ),
    # C = (m - z_t) + ln S, v = (z_t, z_1..z_n): the target's logit, then all.
    Op(
        "cross_entropy",
        "ln Σ e^z − z_t",
        NARY,
        _class_cross_entropy,
        _class_cross_entropy_partials,
    ),
    # v = (z_1..z_n, y_1..y_n): class probabilities y as constants.
    Op(
        "soft_cross_entropy",
        "−Σ y log softmax",
        NARY,
        _soft_cross_entropy,
        _soft_cross_entropy_partials,
    ),
]

OPS: dict[str, Op] = {op.name: op for op in _ROWS}
