"""Every row of the rule table, checked two independent ways.

1. Central differences (``gradcheck``) at hypothesis-drawn points, kept away from
   kinks (relu at 0, |x| at 0, ties of maximum) and poles (1/x, log x, sqrt x at 0).
2. The closed-form derivative, written here from calculus, not read from the table.

The cases are tables by arity (one, two, two with a number, comparisons, n-ary); a
meta-test checks that the parametrized rule tests run every row of ``OPS`` exactly
once. Then the IEEE semantics: forward values agree with numpy float64 everywhere,
and no finite or infinite input or seed makes an op or its backward raise or warn.
Then the masks: where PyTorch's backward is a mask, an infinite or nan gradient
still gives 0, by hand-written values and against PyTorch (float64), as are the
kinks of the rows (tests/engine/test_pytorch.py compares more). Last, every row made
inside ``no_grad()`` is a constant leaf.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import engine
from engine import (
    OPS,
    Value,
    gradcheck,
    half_sum_of_squares,
    maximum,
    minimum,
    no_grad,
    weighted_input,
)
from engine.fused import (
    class_cross_entropy,
    log_softmax,
    soft_cross_entropy,
    softmax,
    sum_of_shifted_exps,
)
from engine.ops import MASKED, NARY
from tests.strategies import finite, leaky_slopes, moderate, near_logits, positive
from tests.torch_twin import run_in_torch

Unary = Callable[[Value], Value]
Binary = Callable[[Value, Value], Value]
WithConstant = Callable[[Value, float], Value]
Nary = Callable[[Sequence[Value]], Value]

# op name -> (how to apply it, closed-form derivative, points where it is smooth)
UNARY_CASES: dict[
    str, tuple[Unary, Callable[[float], float], st.SearchStrategy[float]]
] = {
    "neg": (lambda v: -v, lambda x: -1.0, moderate),
    "exp": (lambda v: v.exp(), math.exp, moderate),
    "log": (lambda v: v.log(), lambda x: 1.0 / x, positive),
    "tanh": (lambda v: v.tanh(), lambda x: 1.0 / math.cosh(x) ** 2, moderate),
    "sigmoid": (
        lambda v: v.sigmoid(),
        lambda x: math.exp(-x) / (1.0 + math.exp(-x)) ** 2,
        moderate,
    ),
    "relu": (
        lambda v: v.relu(),
        lambda x: 1.0 if x > 0 else 0.0,
        moderate.filter(lambda x: abs(x) > 1e-3),
    ),
    "abs": (
        lambda v: v.abs(),
        lambda x: 1.0 if x > 0 else -1.0,
        moderate.filter(lambda x: abs(x) > 1e-3),
    ),
    "sqrt": (lambda v: v.sqrt(), lambda x: 0.5 / math.sqrt(x), positive),
    "sin": (lambda v: v.sin(), math.cos, moderate),
    "cos": (lambda v: v.cos(), lambda x: -math.sin(x), moderate),
}

# op name -> (how to apply it, (d/da, d/db) in closed form, points for a, points for b)
BINARY_CASES: dict[
    str,
    tuple[
        Binary,
        Callable[[float, float], tuple[float, float]],
        st.SearchStrategy[float],
        st.SearchStrategy[float],
    ],
] = {
    "add": (lambda a, b: a + b, lambda a, b: (1.0, 1.0), moderate, moderate),
    "sub": (lambda a, b: a - b, lambda a, b: (1.0, -1.0), moderate, moderate),
    "mul": (lambda a, b: a * b, lambda a, b: (b, a), moderate, moderate),
    "div": (
        lambda a, b: a / b,
        lambda a, b: (1.0 / b, -a / b**2),
        moderate,
        moderate.filter(lambda b: abs(b) > 0.2),
    ),
    "pow": (
        lambda a, b: a**b,
        lambda a, b: (b * a ** (b - 1), a**b * math.log(a)),
        positive,
        st.floats(-3.0, 3.0),
    ),
    # away from ties (see AWAY_FROM_KINKS): 1 to the larger (smaller), 0 to the other
    "maximum": (
        maximum,
        lambda a, b: (1.0, 0.0) if a > b else (0.0, 1.0),
        moderate,
        moderate,
    ),
    "minimum": (
        minimum,
        lambda a, b: (1.0, 0.0) if a < b else (0.0, 1.0),
        moderate,
        moderate,
    ),
}

#: Binary rows with a kink where a and b meet: drawn points must stay away from it.
AWAY_FROM_KINKS: dict[str, Callable[[float, float], bool]] = {
    "maximum": lambda a, b: abs(a - b) > 1e-3,
    "minimum": lambda a, b: abs(a - b) > 1e-3,
}


# op name -> (how to apply it to x and a plain number k, d/dx in closed form, points
# for x, constants k): binary rows whose second operand is a number, not a Value.
CONSTANT_OPERAND_CASES: dict[
    str,
    tuple[
        WithConstant,
        Callable[[float, float], float],
        st.SearchStrategy[float],
        st.SearchStrategy[float],
    ],
] = {
    "powc": (
        lambda v, k: v**k,
        lambda x, k: 0.0 if k == 0.0 else k * x ** (k - 1),
        moderate.filter(lambda x: abs(x) > 0.1),
        st.sampled_from([-2.0, -1.0, 0.0, 1.0, 2.0, 3.0]),
    ),
    # leaky_relu(x, k): 1 for x > 0, the slope k below (PyTorch takes any real k)
    "leaky_relu": (
        lambda v, k: v.leaky_relu(k),
        lambda x, k: 1.0 if x > 0 else k,
        moderate.filter(lambda x: abs(x) > 1e-3),
        leaky_slopes,
    ),
}

# op name -> (how to apply it, the same comparison on floats): the comparisons,
# whose result is a constant 1.0 or 0.0 that takes no gradient.
COMPARISON_CASES: dict[str, tuple[Binary, Callable[[float, float], bool]]] = {
    "lt": (lambda a, b: a < b, lambda a, b: a < b),
    "le": (lambda a, b: a <= b, lambda a, b: a <= b),
    "gt": (lambda a, b: a > b, lambda a, b: a > b),
    "ge": (lambda a, b: a >= b, lambda a, b: a >= b),
}


def _weighted_input_of(v: Sequence[Value]) -> Value:
    """z = sum_k w_k a_k + b for v = (w_1..w_n, a_1..a_n, b)."""
    n = len(v) // 2
    return weighted_input(v[:n], v[n : 2 * n], v[2 * n])


def _odd_lists(draw_n: st.SearchStrategy[int]) -> st.SearchStrategy[list[float]]:
    """Lists of 2n + 1 moderate floats."""
    return draw_n.flatmap(
        lambda n: st.lists(moderate, min_size=2 * n + 1, max_size=2 * n + 1)
    )


def _softmax_of(x: list[float]) -> list[float]:
    """softmax(x)_k = e^(x_k) / sum_i e^(x_i), written here (x is small)."""
    e = [math.exp(xk) for xk in x]
    return [ek / sum(e) for ek in e]


def _soft_target(n: int) -> list[float]:
    """Class probabilities 0, ..., 0, 2: sum 2, so the factor sum_i y_i shows."""
    return [0.0] * (n - 1) + [2.0]


# op name -> (how to apply it to a sequence of inputs, the gradient in closed form,
# points): the n-ary rows, each made by its own function.
NARY_CASES: dict[
    str,
    tuple[
        Nary,
        Callable[[list[float]], list[float]],
        st.SearchStrategy[list[float]],
    ],
] = {
    # v = (w, a, b): dz/dw_k = a_k, dz/da_k = w_k, dz/db = 1
    "z": (
        _weighted_input_of,
        lambda v: [*v[len(v) // 2 : -1], *v[: len(v) // 2], 1.0],
        _odd_lists(st.integers(0, 6)),
    ),
    # dC/dr_j = r_j
    "half_sum_sq": (
        half_sum_of_squares,
        list,
        st.lists(moderate, min_size=1, max_size=8),
    ),
    # S = sum_k e^(z_k - m) with m = 2 a constant: dS/dz_k = e^(z_k - 2)
    "sum_exp": (
        lambda v: sum_of_shifted_exps(v, 2.0),
        lambda x: [math.exp(xk - 2.0) for xk in x],
        near_logits,
    ),
    # softmax_j for j = n // 2: d s_j / dz_k = s_j ([j = k] - s_k)
    "softmax": (
        lambda v: softmax(v)[len(v) // 2],
        lambda x: [
            _softmax_of(x)[len(x) // 2] * ((k == len(x) // 2) - sk)
            for k, sk in enumerate(_softmax_of(x))
        ],
        near_logits,
    ),
    # log_softmax_j for j = n // 2: [j = k] - s_k
    "log_softmax": (
        lambda v: log_softmax(v)[len(v) // 2],
        lambda x: [(k == len(x) // 2) - sk for k, sk in enumerate(_softmax_of(x))],
        near_logits,
    ),
    # C = logsumexp(z) - z_t for t = n // 2: s_k - [k = t]
    "cross_entropy": (
        lambda v: class_cross_entropy(v, len(v) // 2),
        lambda x: [sk - (k == len(x) // 2) for k, sk in enumerate(_softmax_of(x))],
        near_logits,
    ),
    # C = -sum_k y_k log_softmax_k: s_k sum_i y_i - y_k
    "soft_cross_entropy": (
        lambda v: soft_cross_entropy(v, _soft_target(len(v))),
        lambda x: [
            sk * 2.0 - yk
            for sk, yk in zip(_softmax_of(x), _soft_target(len(x)), strict=True)
        ],
        near_logits,
    ),
}


@pytest.mark.parametrize("name", sorted(UNARY_CASES))
@given(data=st.data())
def test_unary_rule_matches_central_differences_and_closed_form(
    name: str, data: st.DataObject
) -> None:
    apply, derivative, points = UNARY_CASES[name]
    x0 = data.draw(points)
    assert gradcheck(apply, [x0])
    x = Value(x0)
    y = apply(x)
    assert y.op == name
    y.backward()
    assert x.grad == pytest.approx(derivative(x0), rel=1e-12, abs=1e-300)


@pytest.mark.parametrize("name", sorted(BINARY_CASES))
@given(data=st.data())
def test_binary_rule_matches_central_differences_and_closed_form(
    name: str, data: st.DataObject
) -> None:
    apply, derivative, points_a, points_b = BINARY_CASES[name]
    a0, b0 = data.draw(points_a), data.draw(points_b)
    assume(name not in AWAY_FROM_KINKS or AWAY_FROM_KINKS[name](a0, b0))
    assert gradcheck(apply, [a0, b0])
    a, b = Value(a0), Value(b0)
    y = apply(a, b)
    assert y.op == name
    y.backward()
    da, db = derivative(a0, b0)
    assert a.grad == pytest.approx(da, rel=1e-12, abs=1e-300)
    assert b.grad == pytest.approx(db, rel=1e-12, abs=1e-300)


@pytest.mark.parametrize("name", sorted(CONSTANT_OPERAND_CASES))
@given(data=st.data())
def test_constant_operand_rule_matches_central_differences_and_closed_form(
    name: str, data: st.DataObject
) -> None:
    # powc: a ** k with k a plain number is k a^(k-1), 0 for k = 0
    apply, derivative, points, constants = CONSTANT_OPERAND_CASES[name]
    x0, k = data.draw(points), data.draw(constants)
    assert gradcheck(lambda v: apply(v, k), [x0])
    x = Value(x0)
    y = apply(x, k)
    assert y.op == name
    y.backward()
    assert x.grad == pytest.approx(derivative(x0, k), rel=1e-12, abs=1e-300)
    assert not y.inputs[1].requires_grad  # the number k is a constant leaf


@pytest.mark.parametrize("name", sorted(COMPARISON_CASES))
@given(a0=moderate, b0=moderate)
def test_comparison_rule_is_a_constant_of_the_comparison_of_data(
    name: str, a0: float, b0: float
) -> None:
    # y = [a < b] is a step: its derivative is 0 wherever it exists, and the node is
    # a recorded constant, so no gradient flows through it at all.
    apply, compare = COMPARISON_CASES[name]
    assume(abs(a0 - b0) > 1e-3)
    assert gradcheck(apply, [a0, b0])
    a, b = Value(a0), Value(b0)
    y = apply(a, b)
    assert (y.op, y.inputs, y.requires_grad) == (name, (a, b), False)
    assert y.data == (1.0 if compare(a0, b0) else 0.0)
    assert OPS[name].partials(a0, b0, y.data) == (MASKED, MASKED)
    out = a * y + b  # the comparison only selects: d out/da = y, d out/db = 1
    out.backward()
    assert (a.grad, b.grad, y.grad) == (y.data, 1.0, 0.0)


@pytest.mark.parametrize("name", sorted(NARY_CASES))
@given(data=st.data())
def test_n_ary_rule_matches_central_differences_and_closed_form(
    name: str, data: st.DataObject
) -> None:
    apply, gradient, points = NARY_CASES[name]
    x0 = data.draw(points)
    assert gradcheck(lambda *v: apply(v), x0)
    x = [Value(xi) for xi in x0]
    y = apply(x)
    assert y.op == name
    y.backward()
    assert [v.grad for v in x] == pytest.approx(gradient(x0), rel=1e-12, abs=1e-300)


def _rows_run_by(test: Callable[..., None]) -> list[str]:
    """The op names a test is parametrized over: pytest's own record of its runs."""
    marks: list[Any] = getattr(test, "pytestmark", [])
    return [
        name
        for mark in marks
        if mark.name == "parametrize" and mark.args[0] == "name"
        for name in mark.args[1]
    ]


def test_every_rule_of_the_table_is_tested_here() -> None:
    # Each test below runs once per name it is parametrized over and checks that the
    # node it makes comes from that row: together they must run every row once.
    runs = {
        1: _rows_run_by(test_unary_rule_matches_central_differences_and_closed_form),
        2: _rows_run_by(test_binary_rule_matches_central_differences_and_closed_form)
        + _rows_run_by(
            test_constant_operand_rule_matches_central_differences_and_closed_form
        )
        + _rows_run_by(test_comparison_rule_is_a_constant_of_the_comparison_of_data),
        NARY: _rows_run_by(test_n_ary_rule_matches_central_differences_and_closed_form),
    }
    tested = [name for names in runs.values() for name in names]
    assert sorted(tested) == sorted(OPS)
    for arity, names in runs.items():
        assert [OPS[name].arity for name in names] == [arity] * len(names)


@given(
    data=st.data(),
    n=st.integers(0, 6),
    b0=moderate,
)
def test_weighted_input_node_is_sum_of_w_times_a_plus_b(
    data: st.DataObject, n: int, b0: float
) -> None:
    w0 = data.draw(st.lists(moderate, min_size=n, max_size=n))
    a0 = data.draw(st.lists(moderate, min_size=n, max_size=n))

    def z(*v: Value) -> Value:
        return weighted_input(v[:n], v[n : 2 * n], v[2 * n])

    assert gradcheck(z, [*w0, *a0, b0])
    w, a, b = [Value(x) for x in w0], [Value(x) for x in a0], Value(b0)
    out = weighted_input(w, a, b, label="z[2][1]")
    assert out.op == "z"
    assert out.label == "z[2][1]"
    products = [x * y for x, y in zip(w0, a0, strict=True)]
    assert out.data == pytest.approx(sum(products) + b0)
    out.backward()
    assert [v.grad for v in w] == a0  # dz/dw_k = a_k (BP4 before the delta factor)
    assert [v.grad for v in a] == w0
    assert b.grad == 1.0  # dz/db = 1 (BP3)


@given(r0=st.lists(moderate, min_size=1, max_size=8))
def test_half_sum_of_squares_is_its_formula_with_gradient_r(r0: list[float]) -> None:
    assert gradcheck(lambda *v: half_sum_of_squares(v), r0)
    r = [Value(x) for x in r0]
    C = half_sum_of_squares(r, label="C")
    assert (C.op, C.label, C.inputs) == ("half_sum_sq", "C", tuple(r))
    assert C.data == pytest.approx(0.5 * sum(x * x for x in r0), rel=1e-12)
    C.backward()
    assert [v.grad for v in r] == r0  # dC/dr_j = r_j


def test_half_sum_of_squares_refuses_no_inputs_and_non_values() -> None:
    with pytest.raises(ValueError, match="no inputs"):
        half_sum_of_squares([])
    with pytest.raises(TypeError, match="inputs must be Values, got float"):
        half_sum_of_squares([Value(1.0), 2.0])  # type: ignore[list-item]


@given(x0=moderate, c=st.floats(0.5, 3.0))
def test_reflected_forms_equal_the_forward_forms(x0: float, c: float) -> None:
    pairs: list[tuple[Unary, Callable[[float], float]]] = [
        (lambda v: c + v, lambda x: 1.0),
        (lambda v: c - v, lambda x: -1.0),
        (lambda v: c * v, lambda x: c),
        (lambda v: c / (v * v + 1), lambda x: -2 * c * x / (x * x + 1) ** 2),
        (lambda v: c**v, lambda x: c**x * math.log(c)),
    ]
    for apply, derivative in pairs:
        x = Value(x0)
        apply(x).backward()
        assert x.grad == pytest.approx(derivative(x0), rel=1e-12, abs=1e-300)


def test_weighted_input_rejects_mismatched_lengths_and_non_values() -> None:
    w = [Value(1.0), Value(2.0)]
    with pytest.raises(ValueError, match="2 weights but 1 inputs"):
        weighted_input(w, [1.0], Value(0.0))
    with pytest.raises(TypeError, match="b must be a Value, got float"):
        weighted_input(w, [1.0, 2.0], 0.0)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="weights must be Values, got float"):
        weighted_input([1.0], [1.0], Value(0.0))  # type: ignore[list-item]
    with pytest.raises(TypeError, match="weights must be Values, got float64"):
        weighted_input([np.float64(1.0)], [1.0], Value(0.0))
    with pytest.raises(TypeError, match="label must be a str, got int"):
        weighted_input(w, [1.0, 2.0], Value(0.0), label=3)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="b must be a Value, got float64"):
        weighted_input([], [], np.float64(1.0))


def test_half_sum_of_squares_refuses_a_single_value_and_a_bad_label() -> None:
    with pytest.raises(TypeError, match="r must be a sequence of Values, got Value"):
        half_sum_of_squares(Value(1.0))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="label must be a str, got NoneType"):
        half_sum_of_squares([Value(1.0)], label=None)  # type: ignore[arg-type]


@pytest.mark.parametrize(("w0", "a0", "b0"), [(-0.0, 1.0, -0.0), (0.0, -1.0, -0.0)])
def test_weighted_input_keeps_the_sign_of_a_zero_as_the_binary_chain_does(
    w0: float, a0: float, b0: float
) -> None:
    fused = weighted_input([Value(w0)], [Value(a0)], Value(b0)).data
    chain = (Value(w0) * Value(a0) + Value(b0)).data
    assert math.copysign(1.0, fused) == math.copysign(1.0, chain) == -1.0


# --- IEEE semantics -------------------------------------------------------------------

any_float = st.floats(allow_nan=True, allow_infinity=True)


# op name -> the same operation on numpy float64 (a unary op ignores y); sigmoid has
# no numpy form and is checked against tanh below.
NUMPY_FORMS: dict[str, Callable[[np.float64, np.float64], Any]] = {
    "add": lambda x, y: x + y,
    "sub": lambda x, y: x - y,
    "mul": lambda x, y: x * y,
    "div": lambda x, y: x / y,
    "pow": np.power,
    "powc": np.power,
    "neg": lambda x, y: -x,
    "exp": lambda x, y: np.exp(x),
    "log": lambda x, y: np.log(x),
    "tanh": lambda x, y: np.tanh(x),
    "relu": lambda x, y: np.maximum(x, 0.0),
    "abs": lambda x, y: np.abs(x),
    "sqrt": lambda x, y: np.sqrt(x),
    "sin": lambda x, y: np.sin(x),
    "cos": lambda x, y: np.cos(x),
    "leaky_relu": lambda x, k: np.where(x > 0, x, k * x),
    "maximum": np.maximum,
    "minimum": np.minimum,
    "lt": np.less,
    "le": np.less_equal,
    "gt": np.greater,
    "ge": np.greater_equal,
}

#: The second operands a row accepts, where not every float: leaky_relu refuses a
#: slope that is not finite (a ValueError, tested with the other bad input).
SECOND_OPERANDS: dict[str, st.SearchStrategy[float]] = {"leaky_relu": finite}


def _numpy_reference(name: str, a: float, b: float) -> float:
    with np.errstate(all="ignore"):
        return float(NUMPY_FORMS[name](np.float64(a), np.float64(b)))


def _apply(name: str, a: Value, b: Value) -> Value:
    """Row ``name`` (of one or two inputs) applied to a, and b if it takes two; a row
    that takes a number gets b's data."""
    if name in BINARY_CASES:
        return BINARY_CASES[name][0](a, b)
    if name in COMPARISON_CASES:
        return COMPARISON_CASES[name][0](a, b)
    if name in CONSTANT_OPERAND_CASES:
        return CONSTANT_OPERAND_CASES[name][0](a, b.data)
    return UNARY_CASES[name][0](a)


@pytest.mark.parametrize("name", sorted(NUMPY_FORMS))
@given(data=st.data(), a=any_float)
def test_forward_agrees_with_numpy_float64_on_every_float(
    name: str, data: st.DataObject, a: float
) -> None:
    b = data.draw(SECOND_OPERANDS.get(name, any_float), label="b")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        y = _apply(name, Value(a), Value(b))
    assert y.op == name
    got = y.data
    want = _numpy_reference(name, a, b)
    if math.isnan(want):
        assert math.isnan(got)
    elif math.isinf(want):
        assert got == want
    else:
        # numpy's exp/log/tanh may use other kernels than libm: allow a few ulps.
        assert got == pytest.approx(want, rel=1e-14, abs=1e-300)


@pytest.mark.parametrize(
    "name", sorted(name for name, op in OPS.items() if op.arity != NARY)
)
@given(data=st.data(), a=any_float, seed=any_float)
def test_no_float_input_or_seed_makes_forward_or_backward_raise_or_warn(
    name: str, data: st.DataObject, a: float, seed: float
) -> None:
    b = data.draw(SECOND_OPERANDS.get(name, any_float), label="b")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        va, vb = Value(a), Value(b)
        y = _apply(name, va, vb)
        if y.requires_grad:  # else a comparison: a constant, which backward() refuses
            y.backward(seed)
        assert y.op == name
        assert type(y.data) is float
        assert type(va.grad) is float
        assert type(vb.grad) is float


@given(xs=st.lists(any_float, min_size=3, max_size=7))
def test_no_float_input_makes_the_n_ary_nodes_raise_or_warn(xs: list[float]) -> None:
    n = (len(xs) - 1) // 2
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        v = [Value(x) for x in xs]
        z = weighted_input(v[:n], v[n : 2 * n], v[-1])
        C = half_sum_of_squares(v)
        z.backward()
        C.backward()
    assert isinstance(z.data, float)
    assert isinstance(C.data, float)
    assert all(isinstance(x.grad, float) for x in v)


@given(x=finite)
def test_sigmoid_is_stable_and_in_the_closed_unit_interval(x: float) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        y = Value(x).sigmoid()
        t = Value(x).tanh()
    assert 0.0 <= y.data <= 1.0
    assert -1.0 <= t.data <= 1.0
    # sigma(x) = (1 + tanh(x/2)) / 2, an identity independent of the implementation
    assert y.data == pytest.approx((1.0 + math.tanh(x / 2.0)) / 2.0, abs=1e-15)


def test_sigmoid_saturates_exactly_at_large_magnitudes() -> None:
    assert Value(-1000.0).sigmoid().data == 0.0
    assert Value(1000.0).sigmoid().data == 1.0
    assert Value(-1e308).sigmoid().data == 0.0
    assert Value(1e308).sigmoid().data == 1.0


def test_power_exponent_gradient_at_a_zero_base_follows_pytorch() -> None:
    # 0^b is flat in b for b > 0 (always 0), so d/db = 0 there; for b < 0 it is
    # a^b ln a = inf * -inf = -inf.
    for b0, expected in ((2.0, 0.0), (0.0, 0.0), (-1.0, -math.inf)):
        a, b = Value(0.0), Value(b0)
        (a**b).backward()
        assert b.grad == expected


def test_ieee_special_results_instead_of_exceptions() -> None:
    assert Value(1000.0).exp().data == math.inf
    assert Value(0.0).log().data == -math.inf
    assert math.isnan(Value(-1.0).log().data)
    assert math.isnan((Value(0.0) / 0.0).data)
    assert (Value(1.0) / 0.0).data == math.inf
    assert (Value(-1.0) / 0.0).data == -math.inf
    assert (Value(0.0) ** -1).data == math.inf
    assert (Value(10.0) ** 400).data == math.inf
    assert (Value(-10.0) ** 401).data == -math.inf
    assert math.isnan((Value(-8.0) ** (1 / 3)).data)
    assert (Value(1e308) * 10.0).data == math.inf


def test_new_rows_give_ieee_values_at_their_edges() -> None:
    assert Value(0.0).sqrt().data == 0.0
    assert math.copysign(1.0, Value(-0.0).sqrt().data) == -1.0  # as IEEE and PyTorch
    assert math.isnan(Value(-1.0).sqrt().data)
    assert Value(math.inf).sqrt().data == math.inf
    assert math.isnan(Value(math.inf).sin().data)
    assert math.isnan(Value(-math.inf).cos().data)
    assert Value(-math.inf).abs().data == math.inf
    assert math.isnan(maximum(math.nan, 1.0).data)
    assert math.isnan(minimum(1.0, math.nan).data)
    assert maximum(-math.inf, math.inf).data == math.inf
    assert Value(-math.inf).leaky_relu(0.5).data == -math.inf
    assert math.isnan(Value(math.nan).leaky_relu(0.5).data)
    for compare in (Value.__lt__, Value.__le__, Value.__gt__, Value.__ge__):
        assert compare(Value(math.nan), 1.0).data == 0.0  # nan compares False
        assert compare(Value(1.0), math.nan).data == 0.0


def test_sqrt_has_an_infinite_derivative_at_zero() -> None:
    x = Value(0.0)
    x.sqrt().backward()
    assert x.grad == math.inf
    x = Value(-0.0)
    x.sqrt().backward()
    assert x.grad == -math.inf  # 1 / (2 * -0.0), as PyTorch


# --- masks: a zero local derivative times inf or nan ----------------------------------

inf, nan = math.inf, math.nan

# (case, f, the inputs, the seed, the gradients as PyTorch gives them): f(m, *xs)
# takes the library's namespace m (``engine``, or the twin of tests/torch_twin.py)
# for maximum/minimum. Where PyTorch's backward is a mask, no inf or nan gets through;
# where it is a product, 0 * inf stays nan. Each case is also run in PyTorch below.
MaskCase = tuple[str, Callable[..., Any], list[float], float, list[float]]
MASK_CASES: list[MaskCase] = [
    ("relu(x).log() at -1", lambda m, x: x.relu().log(), [-1.0], 1.0, [0.0]),
    ("relu(x) * inf at -1", lambda m, x: x.relu() * inf, [-1.0], 1.0, [0.0]),
    ("relu(x) * inf at 0", lambda m, x: x.relu() * inf, [0.0], 1.0, [0.0]),
    ("relu(x) ** 0.5 at -1", lambda m, x: x.relu() ** 0.5, [-1.0], 1.0, [0.0]),
    ("1 / relu(x) at -2", lambda m, x: 1 / x.relu(), [-2.0], 1.0, [0.0]),
    ("relu(x) seeded nan at -1", lambda m, x: x.relu(), [-1.0], nan, [0.0]),
    ("relu(x) at nan passes the gradient", lambda m, x: x.relu(), [nan], 1.0, [1.0]),
    ("(x ** 0) * inf at 2", lambda m, x: (x**0) * inf, [2.0], 1.0, [0.0]),
    ("(x ** 0) * inf at 0", lambda m, x: (x**0) * inf, [0.0], 1.0, [0.0]),
    ("(a ** b) * inf at b = 0", lambda m, a, b: (a**b) * inf, [2.0, 0.0], 1.0,
     [0.0, inf]),
    # products: IEEE's 0 * inf = nan, in PyTorch too
    ("(x ** 2) * inf at 0", lambda m, x: (x**2) * inf, [0.0], 1.0, [nan]),
    ("(a ** b) * inf at a = 0", lambda m, a, b: (a**b) * inf, [0.0, 2.0], 1.0,
     [nan, nan]),
    ("(a * b) * inf at a = 0", lambda m, a, b: (a * b) * inf, [0.0, 1.0], 1.0,
     [inf, nan]),
    ("tanh(x) * inf at 30", lambda m, x: x.tanh() * inf, [30.0], 1.0, [nan]),
    ("abs(x) * inf at 0", lambda m, x: x.abs() * inf, [0.0], 1.0, [nan]),
    ("abs(x) at 0", lambda m, x: x.abs(), [0.0], 1.0, [0.0]),
    ("abs(x) at nan", lambda m, x: x.abs(), [nan], 1.0, [0.0]),
    ("sqrt(x) at 0 seeded 0", lambda m, x: x.sqrt(), [0.0], 0.0, [nan]),
    ("leaky_relu(x, 0) * inf at -1", lambda m, x: x.leaky_relu(0.0) * inf, [-1.0],
     1.0, [nan]),
    ("leaky_relu(x, 0.1) at 0", lambda m, x: x.leaky_relu(0.1), [0.0], 1.0, [0.1]),
    ("leaky_relu(x, -0.5) at nan", lambda m, x: x.leaky_relu(-0.5), [nan], 1.0,
     [-0.5]),
    # maximum/minimum: the losing side is masked, a tie splits, a nan passes both
    ("maximum(a, b) * inf, a < b", lambda m, a, b: m.maximum(a, b) * inf, [1.0, 2.0],
     1.0, [0.0, inf]),
    ("minimum(a, b) * inf, a < b", lambda m, a, b: m.minimum(a, b) * inf, [1.0, 2.0],
     1.0, [inf, 0.0]),
    ("maximum(a, b) at a tie", lambda m, a, b: m.maximum(a, b), [1.0, 1.0], 1.0,
     [0.5, 0.5]),
    ("minimum(a, b) at a tie of zeros", lambda m, a, b: m.minimum(a, b), [-0.0, 0.0],
     1.0, [0.5, 0.5]),
    ("maximum(a, b) * inf at a tie", lambda m, a, b: m.maximum(a, b) * inf,
     [1.0, 1.0], 1.0, [inf, inf]),
    ("maximum(a, b) at a nan", lambda m, a, b: m.maximum(a, b), [nan, 1.0], 1.0,
     [1.0, 1.0]),
    ("minimum(a, b) at a nan", lambda m, a, b: m.minimum(a, b), [1.0, nan], 1.0,
     [1.0, 1.0]),
    # a comparison is a constant that passes nothing itself; the product by it is
    # IEEE's, so its 0 times inf is nan, and relu(x) is the way to a mask
    ("x * (x > 0) * inf at -1", lambda m, x: x * (x > 0) * inf, [-1.0], 1.0, [nan]),
]


def _same(got: float, want: float) -> bool:
    """Equal, nan equal to nan (the gradients here are exact in both libraries)."""
    return got == want or (math.isnan(got) and math.isnan(want))


@pytest.mark.parametrize(
    ("case", "f", "inputs", "seed", "grads"), MASK_CASES, ids=[c[0] for c in MASK_CASES]
)
def test_masks_stop_inf_and_nan_and_products_keep_ieee(
    case: str, f: Callable[..., Value], inputs: list[float], seed: float,
    grads: list[float],
) -> None:
    x = [Value(v) for v in inputs]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        f(engine, *x).backward(seed)
    got = [v.grad for v in x]
    assert all(_same(g, w) for g, w in zip(got, grads, strict=True)), (case, got)


@pytest.mark.parametrize(
    ("case", "f", "inputs", "seed", "grads"), MASK_CASES, ids=[c[0] for c in MASK_CASES]
)
def test_the_mask_cases_give_what_pytorch_gives(
    case: str, f: Callable[..., Value], inputs: list[float], seed: float,
    grads: list[float],
) -> None:
    value, torch_grads = run_in_torch(f, inputs, seed)
    assert _same(f(engine, *[Value(v) for v in inputs]).data, value), case
    assert all(_same(g, w) for g, w in zip(torch_grads, grads, strict=True)), (
        case, torch_grads
    )


def test_masked_is_a_zero_whose_products_are_zero() -> None:
    assert MASKED == 0.0
    assert isinstance(MASKED, float)
    for g in (1.0, -2.5, inf, -inf, nan):
        assert MASKED * g == 0.0
        assert g * MASKED == 0.0
    assert repr(MASKED) == "MASKED"


# --- grad mode ------------------------------------------------------------------------


def _example(name: str, x: Sequence[Value]) -> Value:
    """A node of row ``name`` made by its case in the tables above, from x."""
    if name in NARY_CASES:
        return NARY_CASES[name][0](x)
    return _apply(name, x[0], x[1])


@pytest.mark.parametrize("name", sorted(OPS))
def test_every_row_inside_no_grad_makes_a_constant_leaf(name: str) -> None:
    # x[1] is also a number for the rows that take one (powc's k, leaky_relu's slope)
    x = [Value(0.5), Value(1.5), Value(2.0)]
    assert _example(name, x).op == name
    with no_grad():
        y = _example(name, x)
    assert (y.op, y.inputs, y.requires_grad) == ("", (), False)
    assert y.data == _example(name, x).data
