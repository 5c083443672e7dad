"""Value as a data type: what it accepts, what it refuses, how it is stored."""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine import Value, maximum, minimum


@pytest.mark.parametrize(
    "x", [3, 2.5, -0.0, np.float64(1.25), np.float32(0.5), np.int64(-4), Fraction(1, 4)]
)
def test_real_numbers_are_stored_as_python_floats(x: Any) -> None:
    v = Value(x)
    assert type(v.data) is float
    assert v.data == float(x)
    assert v.grad == 0.0


@pytest.mark.parametrize(
    ("x", "type_name"),
    [
        ("1.0", "str"),
        (None, "NoneType"),
        (True, "bool"),
        (np.bool_(False), "bool"),
        ([1.0], "list"),
        ((1.0,), "tuple"),
        ({"x": 1.0}, "dict"),
        (np.array([1.0]), "ndarray"),
        (Value(1.0), "Value"),
        (1 + 2j, "complex"),
    ],
)
def test_non_numbers_are_refused_with_a_type_error_naming_the_type(
    x: Any, type_name: str
) -> None:
    with pytest.raises(TypeError, match=f"real number, got {type_name}"):
        Value(x)


@pytest.mark.parametrize("bad", ["x", None, True, [1.0]])
def test_operands_that_are_not_numbers_are_refused(bad: Any) -> None:
    with pytest.raises(TypeError, match=r"unsupported operand|real number"):
        Value(1.0) + bad
    with pytest.raises(TypeError, match=r"unsupported operand|real number"):
        bad * Value(1.0)


def test_an_int_beyond_float64_is_refused_with_a_value_error() -> None:
    with pytest.raises(ValueError, match="Value data is too large for a float64"):
        Value(10**400)
    with pytest.raises(ValueError, match="operand is too large for a float64"):
        Value(2.0) ** 10**400


def test_label_must_be_a_string() -> None:
    with pytest.raises(TypeError, match="label must be a str, got int"):
        Value(1.0, label=3)  # type: ignore[arg-type]


def test_backward_gradient_must_be_a_number() -> None:
    with pytest.raises(TypeError, match="gradient must be a real number, got str"):
        Value(1.0).backward("1")  # type: ignore[call-overload]


def test_inputs_are_an_ordered_tuple_and_nodes_have_no_dict() -> None:
    a, b = Value(1.0), Value(2.0)
    d = a - b
    assert d.inputs == (a, b)
    assert type(d.inputs) is tuple
    assert (b - a).inputs == (b, a)
    assert not hasattr(d, "__dict__")
    assert d.op == "sub"
    assert a.op == ""


def test_equality_is_identity_and_values_are_hashable() -> None:
    a, b = Value(1.0), Value(1.0)
    assert a != b
    assert a == a  # noqa: PLR0124 - identity is the point
    assert len({a, b}) == 2


def test_repr_shows_data_grad_label_and_whether_a_constant() -> None:
    assert repr(Value(1.5, label="x")) == "Value(data=1.5, grad=0.0, label='x')"
    assert repr(Value(2.0)) == "Value(data=2.0, grad=0.0)"
    assert (
        repr(Value(2.0, requires_grad=False))
        == "Value(data=2.0, grad=0.0, requires_grad=False)"
    )


# --- comparisons, truth, float --------------------------------------------------------


@given(a=st.floats(allow_nan=True), b=st.floats(allow_nan=True))
def test_comparisons_compare_data_in_both_orders_and_give_constants(
    a: float, b: float
) -> None:
    va, vb = Value(a), Value(b)
    cases = [
        (va < vb, a < b), (va <= vb, a <= b), (va > vb, a > b), (va >= vb, a >= b),
        (va < b, a < b), (a < vb, a < b), (va >= b, a >= b), (a >= vb, a >= b),
        (va > b, a > b), (a > vb, a > b), (va <= b, a <= b), (a <= vb, a <= b),
    ]
    for result, expected in cases:
        assert isinstance(result, Value)
        assert result.data == (1.0 if expected else 0.0)  # nan compares False
        assert not result.requires_grad
        assert bool(result) is expected


def test_a_number_on_the_left_is_the_reflected_comparison() -> None:
    x = Value(1.0, label="x")
    y = 2 < x  # noqa: SIM300 - a number on the left: Python asks x > 2
    assert (y.op, y.inputs[0], y.inputs[1].data) == ("gt", x, 2.0)


@pytest.mark.parametrize(
    ("x", "truth"), [(0.0, False), (-0.0, False), (1e-300, True), (-2.0, True),
                     (math.inf, True), (math.nan, True)]
)
def test_truth_is_data_not_zero_as_for_a_one_element_tensor(
    x: float, truth: bool
) -> None:
    assert bool(Value(x)) is truth
    assert float(Value(x)) == x or math.isnan(x)
    assert type(float(Value(x))) is float


def test_if_max_and_sorted_work_on_values() -> None:
    a, b, c = Value(3.0), Value(-1.0), Value(2.0)
    assert max(a, b, c) is a
    assert min(a, b, c) is b
    assert sorted([a, b, c]) == [b, c, a]  # the same nodes: == is identity
    taken = "positive" if a > 0 else "not"
    assert taken == "positive"
    assert not (b > 0)


def test_equality_stays_identity_beside_the_comparisons() -> None:
    a, b = Value(1.0), Value(1.0)
    assert a <= b  # equal data
    assert a >= b
    assert a != b  # different nodes
    assert {a: 1, b: 2}[b] == 2
    assert a == a  # noqa: PLR0124 - identity is the point
    assert hash(a) != hash(b)


@pytest.mark.parametrize("bad", ["1", None, [1.0], True])
def test_comparisons_with_what_is_not_a_number_are_refused(bad: Any) -> None:
    with pytest.raises(TypeError, match="operand must be a real number"):
        Value(1.0) < bad  # noqa: B015 - the comparison is the point


# --- maximum, minimum, leaky_relu: what they accept -----------------------------------


def test_maximum_and_minimum_take_values_and_numbers_on_either_side() -> None:
    x = Value(2.0, label="x")
    assert maximum(x, 3).data == 3.0
    assert maximum(5, x).data == 5.0
    assert minimum(x, np.float64(1.5)).data == 1.5
    assert minimum(x, Value(7.0)).data == 2.0
    both = maximum(1, 2.5)
    assert (both.data, both.requires_grad, both.op) == (2.5, False, "maximum")
    y = minimum(x, 10)
    y.backward()
    assert x.grad == 1.0


@pytest.mark.parametrize("f", [maximum, minimum])
@pytest.mark.parametrize(
    ("a", "b", "message"),
    [
        ("1", 2.0, "a must be a Value or a real number, got str"),
        (Value(1.0), None, "b must be a Value or a real number, got NoneType"),
        (True, 1.0, "a must be a Value or a real number, got bool"),
        (1.0, [2.0], "b must be a Value or a real number, got list"),
        (1.0, 1 + 2j, "b must be a Value or a real number, got complex"),
    ],
)
def test_maximum_and_minimum_refuse_other_types_naming_the_argument(
    f: Any, a: Any, b: Any, message: str
) -> None:
    with pytest.raises(TypeError, match=f"{f.__name__}: {message}"):
        f(a, b)


def test_leaky_relu_takes_any_finite_real_slope() -> None:
    assert Value(-2.0).leaky_relu().data == pytest.approx(-0.02)  # PyTorch's 0.01
    assert Value(-2.0).leaky_relu(negative_slope=0.5).data == -1.0
    assert Value(-2.0).leaky_relu(-1).data == 2.0  # |x|, as PyTorch allows
    assert Value(-2.0).leaky_relu(np.float32(0.25)).data == -0.5
    y = Value(3.0).leaky_relu(0.2)
    assert (y.op, y.inputs[1].data, y.inputs[1].requires_grad) == (
        "leaky_relu", 0.2, False
    )


@pytest.mark.parametrize(
    ("slope", "error", "message"),
    [
        ("0.1", TypeError, "negative_slope must be a real number, got str"),
        (None, TypeError, "negative_slope must be a real number, got NoneType"),
        (True, TypeError, "negative_slope must be a real number, got bool"),
        (Value(0.1), TypeError, "negative_slope must be a real number, got Value"),
        (math.nan, ValueError, "negative_slope must be finite, got nan"),
        (math.inf, ValueError, "negative_slope must be finite, got inf"),
    ],
)
def test_leaky_relu_refuses_a_slope_that_is_not_a_finite_real(
    slope: Any, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=f"leaky_relu: {message}"):
        Value(1.0).leaky_relu(slope)
