"""``gradgradcheck``: second derivatives against central differences of the first,
with PyTorch's tolerances; it catches a rule whose first derivative is right but
whose second is not."""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import given

from engine import OPS, GradcheckError, Op, Value, gradcheck, gradgradcheck
from engine.fused import soft_cross_entropy, softmax
from tests.graphs import run_program
from tests.strategies import programs


@given(programs())
def test_gradgradcheck_passes_on_random_smooth_programs(
    program: tuple[list[float], list[Any]],
) -> None:
    inputs, steps = program
    assert gradgradcheck(lambda *xs: run_program(steps, *xs), inputs)


def test_gradgradcheck_passes_through_the_fused_and_softmax_nodes() -> None:
    def f(a: Value, b: Value, c: Value) -> Value:
        s = softmax([a, b, c])
        return soft_cross_entropy([a * b, c, s[0]], [0.2, 0.3, 0.5]) + s[2] * a

    assert gradgradcheck(f, [0.3, -0.8, 1.1])


def test_gradgradcheck_catches_a_rule_right_to_first_order_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A tanh whose partial is computed from data (float(y)) is right on floats,
    so gradcheck passes, but a constant on the Value path: d^2/dx^2 comes out 0."""
    detached = Op("tanh", "tanh", 1, math.tanh, lambda x, y: 1.0 - float(y) ** 2)
    monkeypatch.setitem(OPS, "tanh", detached)
    assert gradcheck(lambda v: v.tanh(), [0.7])
    with pytest.raises(
        GradcheckError,
        match=r"second derivative mismatch for entry \(0, 0\), d/dx_0 of df/dx_0 "
        r"\(x\), at x = \[0.7\]: engine.grad gives 0.0, central differences",
    ):
        gradgradcheck(lambda v: v.tanh(), [Value(0.7, label="x")])
    assert not gradgradcheck(lambda v: v.tanh(), [0.7], raise_exception=False)


def test_gradgradcheck_names_the_worst_entry_of_several(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With tanh's second derivative lost, f = a * b + tanh(b) is wrong only at
    entry (1, 1)."""
    detached = Op("tanh", "tanh", 1, math.tanh, lambda x, y: 1.0 - float(y) ** 2)
    monkeypatch.setitem(OPS, "tanh", detached)
    with pytest.raises(GradcheckError, match=r"entry \(1, 1\)"):
        gradgradcheck(lambda a, b: a * b + b.tanh(), [0.4, 0.9])


def test_gradgradcheck_takes_pytorchs_tolerances_and_checks_them() -> None:
    assert gradgradcheck(lambda v: v.sin(), [1.0], eps=1e-4, atol=1e-6, rtol=1e-4)
    with pytest.raises(ValueError, match="eps must be finite and > 0"):
        gradgradcheck(lambda v: v.sin(), [1.0], eps=0.0)
    with pytest.raises(TypeError, match="gradgradcheck: f must return a Value"):
        gradgradcheck(lambda v: 1.0, [0.5])  # type: ignore[arg-type, return-value]


def test_gradgradcheck_passes_where_the_first_derivative_is_constant() -> None:
    assert gradgradcheck(lambda a, b: a * 3 + b, [1.0, 2.0])
    assert gradgradcheck(lambda a: Value(2.0, requires_grad=False) + 0 * a, [1.0])
