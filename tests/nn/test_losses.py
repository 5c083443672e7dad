"""The costs: the seed's C = 1/2 sum (y - a)^2 with dC/da = a - y, the clamped
cross-entropy, the softmax cross-entropy of logits, their gradients against central
differences and the formulas, and their errors. (The softmax family against PyTorch is
in tests/engine/test_softmax.py.)"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine import Value, gradcheck, topological_order
from nn import backprop, bce, cross_entropy, log_softmax, mse, softmax
from tests.strategies import class_targets, logits, moderate_logits

unit = st.floats(0.0, 1.0)
inside = st.floats(0.01, 0.99)


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


@given(pairs=st.lists(st.tuples(inside, unit), min_size=1, max_size=5))
def test_bce_equals_the_cross_entropy_formula(pairs: list[tuple[float, float]]) -> None:
    C = bce([Value(p) for p, _ in pairs], [t for _, t in pairs])
    want = -sum(t * math.log(p) + (1 - t) * math.log(1 - p) for p, t in pairs)
    assert C.data == pytest.approx(want, rel=1e-12)
    assert C.label == "C"


@pytest.mark.parametrize(("a", "y"), [(0.0, 1.0), (1.0, 0.0), (1e-300, 1.0)])
def test_bce_forward_clamps_each_log_at_minus_100_like_pytorch(
    a: float, y: float
) -> None:
    C = bce([Value(a)], [y])
    assert C.data == pytest.approx(100.0)  # -y max(ln a, -100): PyTorch's BCELoss
    assert backprop.cost_per_sample(np.array([a]), np.array([y]), "bce") == C.data


@pytest.mark.parametrize(("a", "y"), [(0.0, 1.0), (1.0, 0.0), (1e-300, 1.0)])
def test_bce_gradient_of_a_clamped_log_is_0_on_both_paths_unlike_pytorch(
    a: float, y: float
) -> None:
    """The clamped log is the constant -100, so its term has derivative 0; PyTorch's
    backward would give (a - y) / max(a (1 - a), 1e-12), about ±1e12, here."""
    out = Value(a)
    C = bce([out], [y])
    C.backward()
    assert out.grad == 0.0
    assert backprop.cost_derivative(np.array([a]), np.array([y]), "bce")[0] == 0.0
    clamps = [v for v in topological_order(C) if not v.inputs and v.data == -100.0]
    assert len(clamps) == 1
    assert not clamps[0].requires_grad  # the constant -100 takes no gradient either


edges = st.sampled_from([0.0, 1.0, 5e-324, 1e-300, 1e-44, 1e-12, 1.0 - 2**-53])


@given(
    pairs=st.lists(st.tuples(st.one_of(unit, edges), unit), min_size=1, max_size=5)
)
def test_bce_gradient_of_the_engine_equals_the_numpy_derivative_bit_for_bit(
    pairs: list[tuple[float, float]],
) -> None:
    """The engine path and the four-formula path differentiate the same clamped
    expression, so fit's two paths see the same dC/da, near the clamp too."""
    outs = [Value(a) for a, _ in pairs]
    y = [t for _, t in pairs]
    C = bce(outs, y)
    C.backward()
    a = np.array([a for a, _ in pairs])
    assert backprop.cost_per_sample(a, np.array(y), "bce") == pytest.approx(
        C.data, rel=1e-12, abs=1e-12
    )
    np.testing.assert_array_equal(
        [o.grad for o in outs], backprop.cost_derivative(a, np.array(y), "bce")
    )


@pytest.mark.parametrize("bad", [-0.25, 1.5, math.nan, math.inf, -math.inf])
def test_bce_refuses_outputs_outside_0_1_naming_index_and_value(bad: float) -> None:
    """PyTorch's BCELoss raises here too; before, the cost was silently nan."""
    with pytest.raises(ValueError, match=re.escape(f"outputs[1] = {bad!r}")):
        bce([Value(0.5), Value(bad)], [1.0, 0.0])
    a_L = np.array([[0.5, 0.25], [0.75, bad]])
    for f in (backprop.cost_per_sample, backprop.cost_derivative):
        with pytest.raises(ValueError, match=re.escape(f"a^L[1, 1] = {bad!r}")):
            f(a_L, np.zeros((2, 2)), "bce")


def test_bce_accepts_the_closed_interval_ends() -> None:
    assert bce([Value(0.0), Value(1.0), Value(-0.0)], [0.0, 1.0, 0.0]).data == 0.0


def test_bce_with_matching_saturated_output_costs_nothing() -> None:
    assert bce([Value(1.0), Value(0.0)], [1.0, 0.0]).data == 0.0


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


# --- the softmax cross-entropy ----------------------------------------------------


@given(z0=logits, data=st.data())
def test_cross_entropy_on_the_engine_equals_the_formulas_cost_and_bp1(
    z0: list[float], data: st.DataObject
) -> None:
    """nn.cross_entropy (one engine node) and backprop's cost="cross_entropy" give
    the same C and dC/dz (= BP1's delta^L on a linear output layer), so fit's two
    paths see the same numbers; class indices are their one-hot rows there."""
    target = data.draw(class_targets(len(z0)))
    z = [Value(x) for x in z0]
    C = cross_entropy(z, target)
    assert C.label == "C"
    C.backward()
    y = np.eye(len(z0))[target] if isinstance(target, int) else np.array(target)
    a = np.array(z0)
    want_C = backprop.cost_per_sample(a, y, "cross_entropy")
    assert C.data == pytest.approx(float(want_C), rel=1e-12, abs=1e-14)
    np.testing.assert_allclose(
        [v.grad for v in z],
        backprop.cost_derivative(a, y, "cross_entropy"),
        rtol=1e-12,
        atol=1e-14,
    )


@pytest.mark.parametrize(
    "target",
    [1, np.int64(1), np.array(1), [0.0, 1.0, 0.0], [0, 1, 0], np.array([0.0, 1, 0])],
    ids=["int", "numpy int", "0-d array", "one-hot", "int one-hot", "array one-hot"],
)
def test_cross_entropy_takes_a_class_index_or_a_one_hot_row_alike(
    target: Any,
) -> None:
    z = [Value(1.0), Value(2.0), Value(3.0)]
    C = cross_entropy(z, target)
    want = math.log(math.exp(1) + math.exp(2) + math.exp(3)) - 2.0
    assert C.data == pytest.approx(want, rel=1e-15)
    assert C.op == ("cross_entropy" if np.ndim(target) == 0 else "soft_cross_entropy")


def test_cross_entropy_reads_value_probabilities_as_constants() -> None:
    z = [Value(0.0), Value(0.0)]
    y = [Value(0.25), Value(0.75)]
    C = cross_entropy(z, y)
    assert C.data == pytest.approx(math.log(2.0), rel=1e-15)
    C.backward()
    assert [v.grad for v in z] == pytest.approx([0.25, -0.25], rel=1e-15)
    assert [v.grad for v in y] == [0.0, 0.0]


def test_cross_entropy_mean_equals_sum_for_one_sample_as_in_pytorch() -> None:
    z = [Value(0.3), Value(-1.2)]
    assert cross_entropy(z, 0, "mean").data == cross_entropy(z, 0, "sum").data
    with pytest.raises(ValueError, match="reduction must be one of"):
        cross_entropy(z, 0, "none")


@given(z0=moderate_logits, data=st.data())
def test_cross_entropy_softmax_and_log_softmax_pass_gradcheck(
    z0: list[float], data: st.DataObject
) -> None:
    target = data.draw(class_targets(len(z0)))
    assert gradcheck(lambda *v: cross_entropy(list(v), target), z0)
    j = data.draw(st.integers(0, len(z0) - 1))
    assert gradcheck(lambda *v: softmax(list(v))[j], z0)
    assert gradcheck(lambda *v: log_softmax(list(v))[j], z0)


def test_softmax_of_large_logits_sums_to_1_and_log_softmax_is_finite() -> None:
    out = softmax([Value(1000.0), Value(999.0), Value(-1000.0)])
    assert sum(s.data for s in out) == pytest.approx(1.0, rel=1e-15)
    logs = log_softmax([Value(1000.0), Value(-1000.0)])
    assert [v.data for v in logs] == [0.0, -2000.0]


@pytest.mark.parametrize(
    ("logits_", "target", "error", "message"),
    [
        ([], 0, ValueError, "logits is empty"),
        ([0.5, 1.0], 0, TypeError, r"logits\[0\] must be a Value, got float"),
        ("ab", 0, TypeError, "logits must be a list of Values, got str"),
        ([Value(0.5)], 1, ValueError, "target class index 1 is out of range"),
        ([Value(0.5)], -1, ValueError, "target class index -1 is out of range"),
        ([Value(0.5)], False, TypeError, "target must be a class index .* bool"),
        ([Value(0.5)], 0.0, TypeError, "target must be a class index .* float"),
        ([Value(0.5)], np.float64(0), TypeError, "target .* got float64"),
        ([Value(0.5)], np.array(0.0), TypeError, "target .* got float64"),
        ([Value(0.5)], "0", TypeError, "target must be a class index .* str"),
        ([Value(0.5)], None, TypeError, "target .* got NoneType"),
        ([Value(0.5)], [1.0, 0.0], ValueError, "1 logits but 2 target probabilities"),
        ([Value(0.5)], np.ones((1, 1)), ValueError, r"1-D .* shape \(1, 1\)"),
        ([Value(0.5)], [-1.0], ValueError, r"target\[0\] = -1.0: class probab"),
        ([Value(0.5)], ["1"], TypeError, r"target\[0\] must be a real number"),
    ],
)
def test_bad_cross_entropy_arguments_raise_errors_naming_them(
    logits_: object, target: object, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        cross_entropy(logits_, target)  # type: ignore[arg-type]


@pytest.mark.parametrize("function", [softmax, log_softmax])
def test_softmax_and_log_softmax_refuse_bad_lists_naming_zs(
    function: Callable[..., object],
) -> None:
    with pytest.raises(ValueError, match="zs is empty"):
        function([])
    with pytest.raises(TypeError, match=r"zs\[1\] must be a Value, got int"):
        function([Value(1.0), 2])
