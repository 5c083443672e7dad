"""Value as a data type: what it accepts, what it refuses, how it is stored."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np
import pytest

from engine import Value


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
        Value(1.0).backward("1")  # type: ignore[arg-type]


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
