"""gradcheck: passes on correct gradients and catches wrong ones, naming the input."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import given

from engine import (
    OPS,
    GradcheckError,
    Op,
    Value,
    enable_grad,
    gradcheck,
    gradgradcheck,
    is_grad_enabled,
    no_grad,
)
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
    wrong = Op("tanh", "tanh", 1, math.tanh, lambda x, y: 1 + y * y)
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


def test_gradcheck_names_the_worst_of_several_wrong_inputs() -> None:
    # backward sees one factor of each square: 1 vs 2 for a, 3 vs 6 for b.
    def f(a: Value, b: Value) -> Value:
        return a * a.detach() + 3.0 * b * b.detach()

    with pytest.raises(
        GradcheckError,
        match=r"input 1 at x = 1.0: backward\(\) gives 3.0, central difference "
        r"gives (5\.99999|6\.0000)",
    ):
        gradcheck(f, [1.0, 1.0])


def test_an_infinite_central_difference_never_passes_a_finite_gradient() -> None:
    edge = 709.782712893384  # exp overflows just above this
    with pytest.raises(GradcheckError, match="central difference gives inf"):
        gradcheck(lambda v: v.exp().detach() + 0.0 * v, [edge - 5e-7])


@pytest.mark.parametrize(
    ("options", "error", "message"),
    [
        ({"eps": 0.0}, ValueError, "eps must be finite and > 0, got 0.0"),
        ({"eps": -1e-6}, ValueError, "eps must be finite and > 0"),
        ({"atol": math.nan}, ValueError, "atol must be finite and >= 0, got nan"),
        ({"rtol": -1.0}, ValueError, "rtol must be finite and >= 0"),
        ({"atol": "1e-5"}, TypeError, "atol must be a float, got str"),
    ],
)
def test_gradcheck_refuses_bad_tolerances(
    options: dict[str, object], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        gradcheck(lambda v: v * v, [1.0], **options)  # type: ignore[arg-type]


def test_gradcheck_records_its_graph_even_inside_no_grad() -> None:
    with no_grad():
        assert gradcheck(lambda v: v.tanh() * v, [0.4])
        with enable_grad():
            assert is_grad_enabled()
            assert (Value(1.0) * 2.0).inputs != ()
        assert not is_grad_enabled()


def test_gradcheck_treats_a_constant_result_as_a_zero_gradient() -> None:
    # detach() makes the result a constant: backward() gives 0, the function has slope 1
    assert not gradcheck(lambda v: v.detach(), [1.0], raise_exception=False)
    assert gradcheck(lambda v: Value(3.0, requires_grad=False) * 2, [1.0])


@pytest.mark.parametrize(
    ("inputs", "given"),
    [
        ((x for x in [0.5, 1.5]), "a generator"),
        ({0.5, 1.5}, "a set"),
        ({0.5: "x", 1.5: "y"}, "a dict"),
        (iter([0.5, 1.5]), "a list_iterator"),
        (Value(0.5), "a single Value"),
        (0.5, "a single number (float)"),
        ("0.5", "a str"),
        (None, "NoneType"),
    ],
)
@pytest.mark.parametrize("check", [gradcheck, gradgradcheck])
def test_gradcheck_names_inputs_that_are_not_a_sequence(
    check: Callable[..., bool], inputs: object, given: str
) -> None:
    """Before, a generator failed inside zip() ('argument 2 is shorter than
    argument 1') and a set was checked in whatever order it iterates."""
    with pytest.raises(TypeError) as info:
        check(lambda *v: v[0] * v[-1], inputs)
    message = str(info.value)
    assert message.startswith(
        f"{check.__name__}: inputs must be a sequence (a list or tuple) of Values or "
        "numbers"
    )
    assert given in message


@pytest.mark.parametrize("check", [gradcheck, gradgradcheck])
@pytest.mark.parametrize("inputs", [(0.5, 1.5), [Value(0.5), 1.5], range(1, 3)])
def test_gradcheck_takes_any_sequence_of_inputs(
    check: Callable[..., bool], inputs: object
) -> None:
    assert check(lambda x, y: x * y.exp(), inputs)


@pytest.mark.parametrize("check", [gradcheck, gradgradcheck])
def test_gradcheck_takes_a_one_dimensional_numpy_array(
    check: Callable[..., bool],
) -> None:
    assert check(lambda x, y: x * y.exp(), np.array([0.5, 1.5]))
    with pytest.raises(TypeError, match="a 2-D numpy array"):
        check(lambda x: x, np.array([[0.5]]))
