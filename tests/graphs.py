"""Builds the random programs of ``tests.strategies.programs`` into engine graphs."""

from __future__ import annotations

import gc
import math
from collections.abc import Callable, Sequence
from types import SimpleNamespace
from typing import Any

from engine import Value, half_sum_of_squares, maximum, minimum, weighted_input
from engine.fused import class_cross_entropy, log_softmax, soft_cross_entropy, softmax
from tests.strategies import OpStep, Step

UNARY: dict[str, Callable[[Value], Value]] = {
    "neg": lambda v: -v,
    "tanh": lambda v: v.tanh(),
    "sigmoid": lambda v: v.sigmoid(),
    "exp_tanh": lambda v: v.tanh().exp(),
    "square": lambda v: v**2,
    "log_1_plus_square": lambda v: (1 + v * v).log(),
}

BINARY: dict[str, Callable[[Value, Value], Value]] = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div_1_plus_square": lambda a, b: a / (1 + b * b),
}


def run_program(steps: Sequence[Step], *inputs: Value) -> Value:
    """Evaluate the program on ``inputs``; the result is the sum of every node made."""
    pool = list(inputs)
    for name, i, j in steps:
        a = pool[int(i * len(pool))]
        b = pool[int(j * len(pool))]
        pool.append(UNARY[name](a) if name in UNARY else BINARY[name](a, b))
    out = pool[len(inputs)]
    for v in pool[len(inputs) + 1 :]:
        out = out + v
    return out


#: The rows of the rule table with a kink or a jump (their second derivative is 0
#: on either side, but central differences across the kink are not).
KINKED = frozenset(
    {"relu", "abs", "leaky_relu", "maximum", "minimum", "lt", "le", "gt", "ge"}
)


#: Step ``name`` of ``tests.strategies.EVERY_OP_STEPS`` as f(m, a, b, c) on pool
#: nodes a, b, c, through the namespace m of free functions (``ENGINE`` or
#: ``torch_twin.TWIN``).
EVERY_OP: dict[str, Callable[[Any, Any, Any, Any], Any]] = {
    "add": lambda m, a, b, c: a + b,
    "sub": lambda m, a, b, c: a - b,
    "mul": lambda m, a, b, c: a * b,
    "div": lambda m, a, b, c: a / (1 + b * b),
    "neg": lambda m, a, b, c: -a,
    "pow": lambda m, a, b, c: (1 + a * a) ** b.tanh(),
    "powc": lambda m, a, b, c: a**3,
    "exp": lambda m, a, b, c: a.tanh().exp(),
    "log": lambda m, a, b, c: (1 + a * a).log(),
    "tanh": lambda m, a, b, c: a.tanh(),
    "sigmoid": lambda m, a, b, c: a.sigmoid(),
    "relu": lambda m, a, b, c: a.relu(),
    "abs": lambda m, a, b, c: a.abs(),
    "sqrt": lambda m, a, b, c: (1 + a * a).sqrt(),
    "sin": lambda m, a, b, c: a.sin(),
    "cos": lambda m, a, b, c: a.cos(),
    "leaky_relu": lambda m, a, b, c: a.leaky_relu(0.1),
    "maximum": lambda m, a, b, c: m.maximum(a, b),
    "minimum": lambda m, a, b, c: m.minimum(a, b),
    "lt": lambda m, a, b, c: (a < b) * c,
    "le": lambda m, a, b, c: (a <= b) * c,
    "gt": lambda m, a, b, c: (a > b) * c,
    "ge": lambda m, a, b, c: (a >= b) * c,
    "z": lambda m, a, b, c: m.weighted_input([a, b], [c, a], b),
    "half_sum_sq": lambda m, a, b, c: m.half_sum_of_squares([a, b, c]),
    "softmax": lambda m, a, b, c: m.softmax([a, b, c])[0],
    "log_softmax": lambda m, a, b, c: m.log_softmax([a, b, c])[1],
    "cross_entropy": lambda m, a, b, c: m.class_cross_entropy([a, b, c], 2),
    "soft_cross_entropy": lambda m, a, b, c: m.soft_cross_entropy(
        [a, b, c], [0.2, 0.5, 0.3]
    ),
}


def _kink_distance(name: str, a: Any, b: Any) -> float:
    """How far step ``name``'s argument is from its kink (inf for a smooth row)."""
    if name in ("relu", "abs", "leaky_relu"):
        return abs(float(a.data))
    if name in KINKED:
        return abs(float(a.data) - float(b.data))
    return math.inf


def run_every_op_program(
    m: Any, steps: Sequence[OpStep], *inputs: Any
) -> tuple[list[Any], float]:
    """Evaluate the program (``m`` as in ``EVERY_OP``): every step's result,
    and the smallest distance of a kinked step's argument from its kink."""
    pool = list(inputs)
    margin = math.inf
    for name, i, j, k in steps:
        a, b, c = (pool[int(f * len(pool))] for f in (i, j, k))
        margin = min(margin, _kink_distance(name, a, b))
        pool.append(EVERY_OP[name](m, a, b, c))
    return pool[len(inputs) :], margin


#: The engine's free functions for ``run_every_op_program``.
ENGINE = SimpleNamespace(
    maximum=maximum,
    minimum=minimum,
    weighted_input=weighted_input,
    half_sum_of_squares=half_sum_of_squares,
    softmax=softmax,
    log_softmax=log_softmax,
    class_cross_entropy=class_cross_entropy,
    soft_cross_entropy=soft_cross_entropy,
)


def live_values() -> int:
    """How many Value objects exist now (the cycle collector tracks every one, so
    this counts them even while it is disabled)."""
    return sum(1 for o in gc.get_objects() if type(o) is Value)
