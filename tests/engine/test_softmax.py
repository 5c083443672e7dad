"""The softmax family of ``engine.fused`` against PyTorch (float64), central
differences and its own closed forms; its stability, IEEE results, graph shape and
refusals.

PyTorch is the reference for values and gradients: ``torch.nn.functional.softmax``,
``log_softmax`` and ``cross_entropy`` (a class index, or class probabilities) on the
same logits, including logits spread over +-1000, where e^z overflows unless shifted
by the maximum. The rule-table tests (central differences and closed forms, row by
row) are in tests/engine/test_ops.py.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Sequence
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine import Value, gradcheck, no_grad, topological_order
from engine.fused import (
    class_cross_entropy,
    log_softmax,
    soft_cross_entropy,
    softmax,
    sum_of_shifted_exps,
)
from tests.strategies import any_logits, class_targets, logits, moderate_logits

torch = pytest.importorskip("torch")
F = torch.nn.functional

# Values and gradients agree with PyTorch within this (relative, or absolute where
# a difference of O(1) terms cancels to about 0).
REL, ABS = 1e-12, 1e-14


def _tensor(x: Sequence[float]) -> Any:
    return torch.tensor(list(x), dtype=torch.float64, requires_grad=True)


def _cross_entropy(z: Sequence[Value], target: int | list[float]) -> Value:
    if isinstance(target, int):
        return class_cross_entropy(z, target)
    return soft_cross_entropy(z, target)


def _torch_target(target: int | list[float]) -> Any:
    if isinstance(target, int):
        return torch.tensor(target)
    return torch.tensor(target, dtype=torch.float64)


def _weights(n: int) -> list[float]:
    """Fixed upstream gradients dL/ds_j, so every output's backward is used."""
    return [math.sin(3.0 * j + 1.0) for j in range(n)]


# --- against PyTorch ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [(softmax, F.softmax), (log_softmax, F.log_softmax)],
    ids=["softmax", "log_softmax"],
)
@given(z0=logits)
def test_softmax_and_log_softmax_equal_pytorch_in_value_and_gradient(
    ours: Callable[[Sequence[Value]], list[Value]],
    theirs: Callable[..., Any],
    z0: list[float],
) -> None:
    z = [Value(x) for x in z0]
    out = ours(z)
    t = _tensor(z0)
    t_out = theirs(t, dim=0)
    assert [o.data for o in out] == pytest.approx(t_out.tolist(), rel=REL, abs=ABS)
    # L = sum_j w_j out_j: every output's backward at once
    w = _weights(len(z0))
    L = out[0] * w[0]
    for o, wj in zip(out[1:], w[1:], strict=True):
        L = L + o * wj
    L.backward()
    (t_out * torch.tensor(w, dtype=torch.float64)).sum().backward()
    assert [v.grad for v in z] == pytest.approx(t.grad.tolist(), rel=REL, abs=ABS)


@given(data=st.data(), z0=logits)
def test_cross_entropy_equals_pytorchs_for_every_kind_of_target(
    data: st.DataObject, z0: list[float]
) -> None:
    target = data.draw(class_targets(len(z0)))
    z = [Value(x) for x in z0]
    C = _cross_entropy(z, target)
    t = _tensor(z0)
    want = F.cross_entropy(t, _torch_target(target))
    assert C.data == pytest.approx(want.item(), rel=REL, abs=ABS)
    C.backward()
    want.backward()
    assert [v.grad for v in z] == pytest.approx(t.grad.tolist(), rel=REL, abs=ABS)


@given(z0=logits, data=st.data())
def test_a_one_hot_target_gives_the_class_index_cost_and_gradient(
    z0: list[float], data: st.DataObject
) -> None:
    t = data.draw(st.integers(0, len(z0) - 1))
    z_index, z_hot = [Value(x) for x in z0], [Value(x) for x in z0]
    by_index = class_cross_entropy(z_index, t)
    by_hot = soft_cross_entropy(z_hot, [float(k == t) for k in range(len(z0))])
    assert by_hot.data == pytest.approx(by_index.data, rel=REL, abs=ABS)
    by_index.backward()
    by_hot.backward()
    assert [v.grad for v in z_hot] == [v.grad for v in z_index]


# --- central differences and closed forms ---------------------------------------------


@given(z0=moderate_logits, data=st.data())
def test_every_output_passes_gradcheck(z0: list[float], data: st.DataObject) -> None:
    n = len(z0)
    target = data.draw(class_targets(n))
    for j in range(n):
        assert gradcheck(lambda *v, j=j: softmax(v)[j], z0)
        assert gradcheck(lambda *v, j=j: log_softmax(v)[j], z0)
    assert gradcheck(lambda *v: _cross_entropy(v, target), z0)


@given(z0=moderate_logits)
def test_the_softmax_jacobian_is_s_j_times_delta_jk_minus_s_k(z0: list[float]) -> None:
    n = len(z0)
    e = [math.exp(x) for x in z0]
    s = [ek / sum(e) for ek in e]
    for j in range(n):
        z = [Value(x) for x in z0]
        softmax(z)[j].backward()
        want = [s[j] * ((j == k) - s[k]) for k in range(n)]
        assert [v.grad for v in z] == pytest.approx(want, rel=1e-9, abs=1e-15)


def test_sum_of_shifted_exps_is_its_formula_with_m_a_constant() -> None:
    z = [Value(1.0), Value(-2.0)]
    S = sum_of_shifted_exps(z, 1.0)
    assert S.op == "sum_exp"
    assert S.data == pytest.approx(1.0 + math.exp(-3.0), rel=1e-15)
    S.backward()
    assert [v.grad for v in z] == pytest.approx([1.0, math.exp(-3.0)], rel=1e-15)
    m = S.inputs[-1]
    assert (m.data, m.requires_grad, m.grad) == (1.0, False, 0.0)


# --- stability and IEEE results -------------------------------------------------------


def test_large_logits_do_not_overflow() -> None:
    """e^1000 is inf; shifted by the maximum every exponent is <= 0."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        z = [Value(1000.0), Value(0.0)]
        assert [s.data for s in softmax(z)] == [1.0, 0.0]
        assert [s.data for s in log_softmax(z)] == [0.0, -1000.0]
        assert class_cross_entropy(z, 0).data == 0.0
        C = class_cross_entropy(z, 1)
        assert C.data == 1000.0
        C.backward()
        assert [v.grad for v in z] == [1.0, -1.0]
        wide = [Value(1e308), Value(-1e308)]
        assert [s.data for s in softmax(wide)] == [1.0, 0.0]
        assert log_softmax(wide)[1].data == -math.inf
        assert class_cross_entropy(wide, 1).data == math.inf


def test_a_large_shift_loses_no_digits_of_the_cost() -> None:
    """C = (m - z_t) + ln S: with logits near 1e10, m + ln S would round ln S away."""
    z = [Value(1e10), Value(1e10 - 1.0)]
    want = math.log(1.0 + math.exp(-1.0)) + 1.0
    assert class_cross_entropy(z, 1).data == pytest.approx(want, rel=1e-15)


def _same_float(got: float, want: float) -> bool:
    if math.isnan(want):
        return math.isnan(got)
    if math.isinf(want):
        return got == want
    return got == pytest.approx(want, rel=REL, abs=ABS)


@given(z0=any_logits, data=st.data())
def test_any_float_gives_pytorchs_ieee_result_without_raising_or_warning(
    z0: list[float], data: st.DataObject
) -> None:
    """inf and nan logits: the same inf / nan / number as PyTorch, forward and
    backward of the cross-entropy; softmax and log_softmax values likewise, and
    their backward runs (never an exception or a numpy warning)."""
    target = data.draw(class_targets(len(z0)))
    t = torch.tensor(z0, dtype=torch.float64)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        z = [Value(x) for x in z0]
        s, ls = softmax(z), log_softmax(z)
        C = _cross_entropy(z, target)
        for got, want in (
            ([v.data for v in s], F.softmax(t, dim=0).tolist()),
            ([v.data for v in ls], F.log_softmax(t, dim=0).tolist()),
        ):
            assert all(map(_same_float, got, want)), (got, want)
        s[0].backward()
        ls[-1].backward()
        assert all(isinstance(v.grad, float) for v in z)
        for v in z:
            v.grad = 0.0
        C.backward()
    tt = _tensor(z0)
    want_C = F.cross_entropy(tt, _torch_target(target))
    want_C.backward()
    assert _same_float(C.data, want_C.item())
    assert all(map(_same_float, [v.grad for v in z], tt.grad.tolist()))


# --- the graph ------------------------------------------------------------------------


def test_softmax_outputs_share_one_sum_node_and_a_constant_shift() -> None:
    z = [Value(0.5, label="z1"), Value(-1.0), Value(2.0)]
    out = softmax(z)
    S = out[0].inputs[1]
    assert S.op == "sum_exp"
    for j, s in enumerate(out):
        assert s.op == "softmax"
        assert s.inputs[0] is z[j]
        assert s.inputs[1] is S
        assert s.inputs[2] is S.inputs[-1]
    m = S.inputs[-1]
    assert (m.data, m.requires_grad) == (2.0, False)
    assert S.inputs[:-1] == tuple(z)
    # n outputs: n + 1 op nodes, the logits and m as leaves
    L = out[0] + out[1] + out[2]
    ops = [v for v in topological_order(L) if v.op]
    assert sorted(v.op for v in ops) == ["add"] * 2 + ["softmax"] * 3 + ["sum_exp"]


def test_the_cross_entropy_is_one_node_whose_inputs_are_z_t_then_every_logit() -> None:
    z = [Value(0.5), Value(-1.0), Value(2.0)]
    C = class_cross_entropy(z, 2, label="C")
    assert (C.op, C.label) == ("cross_entropy", "C")
    assert C.inputs == (z[2], *z)
    assert [v.op for v in topological_order(C)].count("") == 3  # z only
    P = soft_cross_entropy(z, [0.25, 0.25, 0.5])
    assert P.op == "soft_cross_entropy"
    assert P.inputs[:3] == tuple(z)
    assert [(y.data, y.requires_grad) for y in P.inputs[3:]] == [
        (0.25, False),
        (0.25, False),
        (0.5, False),
    ]


def test_constant_logits_and_no_grad_give_constants() -> None:
    z = [Value(1.0, requires_grad=False), Value(2.0, requires_grad=False)]
    made = [*softmax(z), *log_softmax(z), class_cross_entropy(z, 0)]
    made.append(soft_cross_entropy(z, [1.0, 0.0]))
    assert not any(v.requires_grad for v in made)
    live = [Value(1.0), Value(2.0)]
    with no_grad():
        made = [*softmax(live), *log_softmax(live), class_cross_entropy(live, 0)]
        made.append(soft_cross_entropy(live, [1.0, 0.0]))
    assert all((v.op, v.requires_grad) == ("", False) for v in made)


def test_only_the_logits_that_require_grad_receive_one() -> None:
    z = [Value(1.0), Value(2.0, requires_grad=False), Value(0.0)]
    C = class_cross_entropy(z, 1)
    C.backward()
    e = [math.exp(1.0), math.exp(2.0), 1.0]
    assert z[0].grad == pytest.approx(e[0] / sum(e), rel=1e-15)
    assert z[1].grad == 0.0
    assert z[2].grad == pytest.approx(e[2] / sum(e), rel=1e-15)


# --- bad input ------------------------------------------------------------------------

ALL: list[Callable[[Any], object]] = [
    softmax,
    log_softmax,
    lambda z: class_cross_entropy(z, 0),
    lambda z: soft_cross_entropy(z, [1.0]),
    lambda z: sum_of_shifted_exps(z, 0.0),
]


@pytest.mark.parametrize("make", ALL)
@pytest.mark.parametrize(
    ("zs", "error", "message"),
    [
        ([], ValueError, r"(zs|logits) is empty"),
        ([1.0], TypeError, r"(zs|logits)\[0\] must be a Value, got float"),
        ((Value(1.0), "x"), TypeError, r"(zs|logits)\[1\] must be a Value, got str"),
        (Value(1.0), TypeError, r"(zs|logits) must be a list of Values, got Value"),
        ("ab", TypeError, r"(zs|logits) must be a list of Values, got str"),
        (None, TypeError, r"(zs|logits) must be a list of Values, got NoneType"),
    ],
)
def test_bad_logits_are_refused_naming_the_argument(
    make: Callable[[Any], object], zs: object, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        make(zs)


@pytest.mark.parametrize(
    ("target", "error", "message"),
    [
        (3, ValueError, r"target class index 3 is out of range for 3 logits \(0..2\)"),
        (-1, ValueError, "target class index -1 is out of range"),
        (True, TypeError, "target must be a class index .* got bool"),
        (1.0, TypeError, "target must be a class index .* got float"),
        (Value(1.0), TypeError, "target must be a class index .* got Value"),
        (None, TypeError, "target must be a class index .* got NoneType"),
    ],
)
def test_a_bad_class_index_is_refused_naming_target(
    target: object, error: type[Exception], message: str
) -> None:
    z = [Value(0.0), Value(1.0), Value(2.0)]
    with pytest.raises(error, match=message):
        class_cross_entropy(z, target)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("target", "error", "message"),
    [
        ([1.0, 0.0], ValueError, "3 logits but 2 target probabilities"),
        ([0.5, -0.5, 1.0], ValueError, r"target\[1\] = -0.5: class probabilities"),
        ([0.5, math.nan, 0.5], ValueError, r"target\[1\] = nan"),
        ([0.5, math.inf, 0.5], ValueError, r"target\[1\] = inf"),
        ([0.5, "0.5", 0.0], TypeError, r"target\[1\] must be a real number"),
        ([0.5, True, 0.0], TypeError, r"target\[1\] must be a real number"),
        ("abc", TypeError, "target must be a class index .* got str"),
        (0.5, TypeError, "target must be a class index .* got float"),
    ],
)
def test_bad_class_probabilities_are_refused_naming_target(
    target: object, error: type[Exception], message: str
) -> None:
    z = [Value(0.0), Value(1.0), Value(2.0)]
    with pytest.raises(error, match=message):
        soft_cross_entropy(z, target)  # type: ignore[arg-type]


def test_a_bad_label_is_refused() -> None:
    z = [Value(0.0)]
    with pytest.raises(TypeError, match="label must be a str, got int"):
        class_cross_entropy(z, 0, label=1)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="label must be a str, got NoneType"):
        soft_cross_entropy(z, [1.0], label=None)  # type: ignore[arg-type]


def test_sum_of_shifted_exps_refuses_a_shift_that_is_not_a_number() -> None:
    with pytest.raises(TypeError, match="sum_of_shifted_exps: m must be a real number"):
        sum_of_shifted_exps([Value(0.0)], "0")  # type: ignore[arg-type]
