"""The costs: the seed's C = 1/2 sum (y - a)^2 with dC/da = a - y, the clamped
cross-entropy, their gradients against central differences, and their errors."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine import Value, gradcheck
from nn import bce, mse

unit = st.floats(0.0, 1.0)
inside = st.floats(0.01, 0.99)


@settings(max_examples=100, deadline=None)
@given(pairs=st.lists(st.tuples(st.floats(-3, 3), unit), min_size=1, max_size=6))
def test_mse_is_half_the_sum_of_squares_and_its_gradient_is_a_minus_y(
    pairs: list[tuple[float, float]],
) -> None:
    a = [Value(p) for p, _ in pairs]
    y = [t for _, t in pairs]
    C = mse(a, y)
    assert C.label == "C"
    assert C.data == pytest.approx(0.5 * sum((t - p) ** 2 for p, t in pairs), rel=1e-12)
    C.backward()
    for ai, (p, t) in zip(a, pairs, strict=True):
        assert ai.grad == pytest.approx(
            p - t, rel=1e-12, abs=1e-15
        )  # not the seed's y - a


def test_mse_mean_divides_the_sum_by_the_number_of_outputs() -> None:
    a = [Value(0.2), Value(0.9), Value(0.4)]
    y = [1.0, 0.0, 0.5]
    total = 0.5 * (0.8**2 + 0.9**2 + 0.1**2)
    assert mse(a, y, reduction="mean").data == pytest.approx(total / 3)
    assert mse(a, y, reduction="mean").label == "C"


@settings(max_examples=100, deadline=None)
@given(pairs=st.lists(st.tuples(inside, unit), min_size=1, max_size=5))
def test_bce_equals_the_cross_entropy_formula(pairs: list[tuple[float, float]]) -> None:
    C = bce([Value(p) for p, _ in pairs], [t for _, t in pairs])
    want = -sum(t * math.log(p) + (1 - t) * math.log(1 - p) for p, t in pairs)
    assert C.data == pytest.approx(want, rel=1e-12)
    assert C.label == "C"


@pytest.mark.parametrize(("a", "y"), [(0.0, 1.0), (1.0, 0.0), (1e-300, 1.0)])
def test_bce_clamps_each_log_at_minus_100_like_pytorch(a: float, y: float) -> None:
    out = Value(a)
    C = bce([out], [y])
    assert C.data == pytest.approx(100.0)
    C.backward()
    assert out.grad == 0.0  # the clamped log is a constant


def test_bce_with_matching_saturated_output_costs_nothing() -> None:
    assert bce([Value(1.0), Value(0.0)], [1.0, 0.0]).data == 0.0


@settings(max_examples=50, deadline=None)
@given(
    a=st.lists(inside, min_size=1, max_size=4),
    y=st.lists(unit, min_size=4, max_size=4),
    reduction=st.sampled_from(["sum", "mean"]),
)
def test_loss_gradients_match_central_differences(
    a: list[float], y: list[float], reduction: str
) -> None:
    targets = y[: len(a)]
    assert gradcheck(lambda *v: mse(list(v), targets, reduction), a)
    assert gradcheck(lambda *v: bce(list(v), targets, reduction), a)


@pytest.mark.parametrize("loss", [mse, bce])
def test_length_mismatch_raises_value_error_naming_both_lengths(loss: object) -> None:
    with pytest.raises(ValueError, match="2 outputs but 3 targets"):
        loss([Value(0.5), Value(0.5)], [1.0, 0.0, 1.0])  # type: ignore[operator]


@pytest.mark.parametrize(
    ("outputs", "targets", "kwargs", "error", "message"),
    [
        ([0.5], [1.0], {}, TypeError, r"outputs\[0\] must be a Value"),
        (Value(0.5), [1.0], {}, TypeError, "outputs must be a list of Values"),
        ([Value(0.5)], "1", {}, TypeError, "targets must be a sequence"),
        ([Value(0.5)], ["1"], {}, TypeError, r"targets\[0\] must be a real number"),
        ([Value(0.5)], [1.0], {"reduction": "none"}, ValueError, "reduction"),
        ([], [], {}, ValueError, "no outputs"),
        ([Value(0.5)], np.ones((1, 1)), {}, ValueError, "targets must be 1-D"),
    ],
)
def test_bad_loss_arguments_raise_errors_naming_them(
    outputs: object,
    targets: object,
    kwargs: dict[str, str],
    error: type[Exception],
    message: str,
) -> None:
    with pytest.raises(error, match=message):
        mse(outputs, targets, **kwargs)  # type: ignore[arg-type]


def test_targets_may_be_a_numpy_vector() -> None:
    assert mse([Value(0.0), Value(1.0)], np.array([1.0, 1.0])).data == 0.5
