"""gradcheck: passes on correct gradients and catches wrong ones, naming the input."""

from __future__ import annotations

import math

import pytest
from hypothesis import given

from engine import OPS, GradcheckError, Op, Value, gradcheck
from tests.strategies import moderate


@given(a=moderate, b=moderate)
def test_gradcheck_passes_a_correct_gradient(a: float, b: float) -> None:
    assert gradcheck(lambda x, y: (x * y).tanh() + x.sigmoid() * y, [a, b])


def test_gradcheck_catches_a_missing_path_and_names_the_input() -> None:
    # x * detach(x) = x^2 numerically, but backward sees only one factor: x, not 2x.
    x = Value(1.5, label="x")
    with pytest.raises(
        GradcheckError, match=r"input 1 \(x\) at x = 1.5: backward\(\) gives 1.5"
    ):
        gradcheck(lambda c, v: c + v * v.detach(), [Value(0.0), x])
    assert not gradcheck(lambda v: v * v.detach(), [1.5], raise_exception=False)


def test_gradcheck_catches_a_wrong_rule_in_the_table(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    wrong = Op(
        "tanh", "tanh", lambda v: math.tanh(v[0].data), lambda v, y: (1 + y * y,)
    )
    monkeypatch.setitem(OPS, "tanh", wrong)
    with pytest.raises(GradcheckError, match="gradient mismatch for input 0"):
        gradcheck(lambda v: v.tanh(), [0.7])


def test_gradcheck_leaves_the_inputs_grads_alone() -> None:
    x = Value(0.3)
    gradcheck(lambda v: v.exp(), [x])
    assert x.grad == 0.0


def test_gradcheck_refuses_a_function_that_returns_no_value() -> None:
    with pytest.raises(TypeError, match="f must return a Value, got float"):
        gradcheck(lambda v: 1.0, [0.5])  # type: ignore[arg-type, return-value]


def test_gradcheck_refuses_inputs_that_are_not_numbers() -> None:
    with pytest.raises(
        TypeError, match="gradcheck input must be a real number, got str"
    ):
        gradcheck(lambda v: v, ["0.5"])  # type: ignore[list-item]
