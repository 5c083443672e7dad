"""The checks of what nn is given (``nn.arrays``): ints, reals, real arrays, the W/B
chain, rows, targets and the cross-entropy's [0, 1], each naming what is wrong."""

from __future__ import annotations

import math
import re
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine import Value
from nn import backprop, bce
from nn.arrays import (
    check_arrays,
    check_probabilities,
    check_rows,
    check_target,
    integer,
    real,
    real_array,
)


@pytest.mark.parametrize(
    ("value", "minimum", "error", "message"),
    [
        (True, 1, TypeError, "n must be an int, got bool"),
        (2.0, 1, TypeError, "n must be an int, got float"),
        ("3", 1, TypeError, "n must be an int, got str"),
        (0, 1, ValueError, "n must be >= 1, got 0"),
        (-1, 0, ValueError, "n must be >= 0, got -1"),
    ],
)
def test_integer_refuses_bool_non_ints_and_values_below_its_minimum(
    value: object, minimum: int, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=f"^{re.escape(message)}$"):
        integer(value, "n", minimum)


def test_integer_takes_numpy_ints_as_python_ints() -> None:
    got = integer(np.int64(5), "n")
    assert got == 5
    assert type(got) is int


@pytest.mark.parametrize(
    ("value", "kwargs", "message"),
    [
        (0.0, {"low": 0.0, "open_low": True}, "lr must be finite and > 0, got 0.0"),
        (-1, {"low": 0.0}, "lr must be finite and >= 0, got -1"),
        (1.0, {"low": 0, "high": 1, "open_high": True}, "lr must be in [0, 1), got 1"),
        (math.nan, {"low": 0.0, "high": 1.0}, "lr must be in [0, 1], got nan"),
        (math.inf, {}, "lr must be finite and >= -inf, got inf"),
        (10**400, {}, "lr must be finite and >= -inf, got 1000"),
    ],
)
def test_real_writes_the_interval_it_wants(
    value: object, kwargs: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValueError, match=f"^{re.escape(message)}"):
        real(value, "lr", **kwargs)


@pytest.mark.parametrize("value", [True, "0.5", None, 1j])
def test_real_refuses_what_is_not_a_real_number(value: object) -> None:
    with pytest.raises(TypeError, match=r"^lr must be a real number, got "):
        real(value, "lr")


@given(st.floats(0.0, 1.0))
def test_real_returns_a_value_inside_its_interval_as_a_float(v: float) -> None:
    assert real(v, "p", 0.0, 1.0) == v


@pytest.mark.parametrize(
    ("value", "kind"),
    [([True], "bool"), (["1"], "str"), ([b"1"], "bytes"), ([1j], "complex"),
     ([None], "object"), ([Value(1.0)], "object"), ([2**70], "object")],
)
def test_real_array_refuses_anything_but_real_numbers(value: Any, kind: str) -> None:
    with pytest.raises(TypeError, match=f"^x must hold real numbers .*, got {kind}$"):
        real_array(value, "x")


def test_real_array_gives_float64_refusing_ragged_and_on_request_non_finite() -> None:
    out = real_array([1, 2], "x")
    assert out.dtype == np.float64
    assert out.tolist() == [1.0, 2.0]
    with pytest.raises(ValueError, match="x is not a rectangular array"):
        real_array([[1, 2], [3]], "x")
    assert math.isnan(real_array([math.nan], "x")[0])
    with pytest.raises(ValueError, match="x must be finite, got nan"):
        real_array([1.0, math.nan], "x", finite=True)


def test_check_arrays_names_the_first_layer_that_does_not_chain() -> None:
    W = [np.ones((3, 2)), np.ones((2, 3)), np.ones((1, 4))]
    B = [np.ones(3), np.ones(2), np.ones(1)]
    with pytest.raises(
        ValueError,
        match=re.escape(
            "W of layer 4 has shape (1, 4) but layer 3 has 2 neurons, so it needs 2 "
            "columns"
        ),
    ):
        check_arrays(W, B)
    Ws, Bs = check_arrays(W[:2], B[:2])
    assert [w.shape for w in Ws] == [(3, 2), (2, 3)]
    assert all(a.dtype == np.float64 for a in Ws + Bs)
    with pytest.raises(TypeError, match="must be lists of arrays"):
        check_arrays(np.ones((1, 2, 2)), [np.ones(2)])  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (np.ones(4), r"x must have shape \(3,\) or \(m, 3\) for 3 inputs, got \(4,\)"),
        (np.ones((2, 2, 3)), r"got \(2, 2, 3\)"),
        (np.ones(()), r"got \(\)"),
    ],
)
def test_check_rows_takes_one_sample_or_a_batch_of_rows(
    value: Any, message: str
) -> None:
    assert check_rows(np.ones((5, 3)), "x", 3).shape == (5, 3)
    assert check_rows([1, 2, 3], "x", 3).shape == (3,)
    with pytest.raises(ValueError, match=message):
        check_rows(value, "x", 3, " for 3 inputs")


def test_check_target_wants_the_shape_of_the_outputs() -> None:
    assert check_target([[1, 0]], np.zeros((1, 2))).tolist() == [[1.0, 0.0]]
    with pytest.raises(ValueError, match=r"y has shape \(2,\) but the output a\^L"):
        check_target([1, 0], np.zeros((1, 2)))


@pytest.mark.parametrize("bad", [-0.25, 1.5, math.nan, math.inf, -math.inf])
def test_check_probabilities_names_the_first_entry_outside_0_1(bad: float) -> None:
    """One check for both paths: nn.bce on Values and the formulas' cost="bce"."""
    a = np.array([[0.0, 1.0], [0.5, bad]])
    want = (
        "bce: every output must lie in [0, 1] (a sigmoid output layer), got "
        f"a[1, 1] = {bad!r}"
    )
    with pytest.raises(ValueError, match=f"^{re.escape(want)}$"):
        check_probabilities(a, "a")
    formulas = want.replace("a[1, 1]", "a^L[1, 1]")
    with pytest.raises(ValueError, match=f"^{re.escape(formulas)}$"):
        backprop.cost_per_sample(a, np.zeros((2, 2)), "bce")
    engine = want.replace("a[1, 1]", "outputs[1]")
    with pytest.raises(ValueError, match=f"^{re.escape(engine)}$"):
        bce([Value(0.5), Value(bad)], [1.0, 0.0])
    check_probabilities(np.array([0.0, -0.0, 1.0, 0.5]), "a")  # the closed interval
