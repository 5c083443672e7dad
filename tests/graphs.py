"""Builds the random programs of ``tests.strategies.programs`` into engine graphs."""

from __future__ import annotations

import gc
from collections.abc import Callable, Sequence

from engine import Value
from tests.strategies import Step

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


def live_values() -> int:
    """How many Value objects exist now (the cycle collector tracks every one, so
    this counts them even while it is disabled)."""
    return sum(1 for o in gc.get_objects() if type(o) is Value)
