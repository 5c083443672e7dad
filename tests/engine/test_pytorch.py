"""Every row of the rule table against PyTorch (float64): value and gradient at the
special points (0, ±0, ±1, ±inf, nan, kinks, ties) with special seeds (inf, nan,
0), and at random moderate points (not subnormal ones, where the engine's product by
1/x overflows and PyTorch's grad / x does not: a rounding order, not a meaning).

The programs run in both libraries through tests/torch_twin.py; the tests are
skipped when torch is not installed. Finite numbers must agree to 1e-12 relative
(the two may round a product in another order), inf and nan exactly, as must which
inputs get a gradient at all.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import engine
from engine import OPS, Value
from tests.strategies import moderate, not_tiny
from tests.torch_twin import run_in_torch

inf, nan = math.inf, math.nan

#: op name -> a program f(m, *xs) that makes one node of that row (the n-ary rows and
#: the comparisons, whose result takes no gradient, are compared elsewhere).
PROGRAMS: dict[str, tuple[int, Callable[..., Any]]] = {
    "add": (2, lambda m, a, b: a + b),
    "sub": (2, lambda m, a, b: a - b),
    "mul": (2, lambda m, a, b: a * b),
    "div": (2, lambda m, a, b: a / b),
    "pow": (2, lambda m, a, b: a**b),
    "maximum": (2, lambda m, a, b: m.maximum(a, b)),
    "minimum": (2, lambda m, a, b: m.minimum(a, b)),
    "neg": (1, lambda m, x: -x),
    "exp": (1, lambda m, x: x.exp()),
    "log": (1, lambda m, x: x.log()),
    "tanh": (1, lambda m, x: x.tanh()),
    "sigmoid": (1, lambda m, x: x.sigmoid()),
    "relu": (1, lambda m, x: x.relu()),
    "abs": (1, lambda m, x: x.abs()),
    "sqrt": (1, lambda m, x: x.sqrt()),
    "sin": (1, lambda m, x: x.sin()),
    "cos": (1, lambda m, x: x.cos()),
}

#: Rows that take a plain number, with the numbers tried.
WITH_A_NUMBER: dict[str, tuple[Callable[..., Any], list[float]]] = {
    "powc": (lambda m, x, k: x**k, [-1.0, 0.0, 0.5, 1.0, 2.0, 3.0]),
    "leaky_relu": (lambda m, x, k: x.leaky_relu(k), [0.0, 0.01, 0.5, -0.5, 2.0]),
}

SPECIAL = [-inf, -2.0, -1.0, -0.5, -0.0, 0.0, 0.5, 1.0, 2.0, inf, nan]
SEEDS = [1.0, -2.0, 0.0, inf, nan]

#: (row, number, x) where the two differ on purpose. PyTorch computes x ** 0.5 with a
#: number exponent as sqrt(x), so (-inf) ** 0.5 is nan and (-0.0) ** 0.5 is -0.0 (with
#: gradient -inf) there; the engine's power is C's pow, as numpy's (inf and 0.0, tested
#: against numpy in test_ops.py), for every exponent alike.
KNOWN_DIFFERENCES = {("powc", 0.5, -inf), ("powc", 0.5, -0.0)}


def _agree(got: float, want: float) -> bool:
    if math.isnan(want) or math.isinf(want) or want == 0.0:
        return got == want or (math.isnan(got) and math.isnan(want))
    return math.isclose(got, want, rel_tol=1e-12)


def _compare(f: Callable[..., Any], inputs: list[float], seed: float) -> None:
    xs = [Value(v) for v in inputs]
    out = f(engine, *xs)
    out.backward(seed)
    value, grads = run_in_torch(f, inputs, seed)
    assert _agree(out.data, value), ("value", inputs, seed, out.data, value)
    got = [x.grad for x in xs]
    assert all(_agree(g, w) for g, w in zip(got, grads, strict=True)), (
        "grads", inputs, seed, got, grads
    )


def test_the_programs_cover_every_row_of_one_or_two_inputs() -> None:
    covered = set(PROGRAMS) | set(WITH_A_NUMBER) | {"lt", "le", "gt", "ge"}
    assert covered == {name for name, op in OPS.items() if op.arity in (1, 2)}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_rows_agree_with_pytorch_at_special_points_and_seeds(name: str) -> None:
    arity, f = PROGRAMS[name]
    for point in itertools.product(SPECIAL, repeat=arity):
        for seed in SEEDS:
            _compare(f, list(point), seed)


@pytest.mark.parametrize("name", sorted(WITH_A_NUMBER))
def test_rows_with_a_number_agree_with_pytorch_at_special_points(name: str) -> None:
    f, numbers = WITH_A_NUMBER[name]
    for k, x, seed in itertools.product(numbers, SPECIAL, SEEDS):
        if (name, k, x) in KNOWN_DIFFERENCES and math.copysign(1, x) < 0:
            continue
        _compare(lambda m, v: f(m, v, k), [x], seed)  # noqa: B023 - called at once


def test_the_known_differences_are_still_differences() -> None:
    for name, k, x in KNOWN_DIFFERENCES:
        f = WITH_A_NUMBER[name][0]
        value, _ = run_in_torch(lambda m, v: f(m, v, k), [x])  # noqa: B023
        mine = f(engine, Value(x), k).data
        assert math.copysign(1.0, mine) != math.copysign(1.0, value) or (
            math.isnan(value) and not math.isnan(mine)
        )


@settings(max_examples=50)
@pytest.mark.parametrize("name", sorted(PROGRAMS))
@given(data=st.data(), seed=moderate)
def test_rows_agree_with_pytorch_at_random_points(
    name: str, data: st.DataObject, seed: float
) -> None:
    arity, f = PROGRAMS[name]
    point = data.draw(st.lists(not_tiny, min_size=arity, max_size=arity))
    _compare(f, point, seed)


@pytest.mark.parametrize("name", ["lt", "le", "gt", "ge"])
def test_comparisons_agree_with_pytorch_and_take_no_gradient(name: str) -> None:
    compare: Callable[[Any, Any], Any] = {
        "lt": lambda a, b: a < b,
        "le": lambda a, b: a <= b,
        "gt": lambda a, b: a > b,
        "ge": lambda a, b: a >= b,
    }[name]
    for a, b in itertools.product(SPECIAL, repeat=2):
        mine = compare(Value(a), Value(b))
        assert mine.op == name
        assert not mine.requires_grad
        value, grads = run_in_torch(lambda m, x, y: compare(x, y), [a, b])
        assert (mine.data, grads) == (value, [0.0, 0.0])
        # through a product that uses it, the inputs get what PyTorch gives them
        _compare(lambda m, x, y: compare(x, y) * x + y, [a, b], 1.0)
