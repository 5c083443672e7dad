"""Gradients of gradients: ``engine.grad(..., create_graph=True)`` and the helpers
on it (``hessian``, ``hvp``, ``backward(create_graph=True)``).

The second derivatives are checked three independent ways: against closed forms
from calculus written here, against central differences of first derivatives, and
against PyTorch's double backward on the same programs (tests/torch_twin.py), over
random programs that use every row of the rule table.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import engine
from engine import Value, grad, hessian, hvp, no_grad
from engine.fused import class_cross_entropy, log_softmax, softmax
from tests.graphs import ENGINE, live_values, run_every_op_program, run_program
from tests.strategies import (
    EVERY_OP_STEPS,
    every_op_programs,
    moderate,
    positive,
    programs,
)
from tests.torch_twin import TWIN, Twin

# --- closed forms -----------------------------------------------------------------


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


#: name: (f on a Value, f'' from calculus, the points drawn)
SECOND: dict[str, tuple[Callable[[Value], Value], Callable[[float], float], Any]] = {
    "tanh": (
        lambda v: v.tanh(),
        lambda x: -2.0 * math.tanh(x) * (1.0 - math.tanh(x) ** 2),
        moderate,
    ),
    "sigmoid": (
        lambda v: v.sigmoid(),
        lambda x: _sigmoid(x) * (1 - _sigmoid(x)) * (1 - 2 * _sigmoid(x)),
        moderate,
    ),
    "exp": (lambda v: v.exp(), math.exp, moderate),
    "log": (lambda v: v.log(), lambda x: -1.0 / x**2, positive),
    "sqrt": (lambda v: v.sqrt(), lambda x: -0.25 * x**-1.5, positive),
    "sin": (lambda v: v.sin(), lambda x: -math.sin(x), moderate),
    "cos": (lambda v: v.cos(), lambda x: -math.cos(x), moderate),
    "powc": (lambda v: v**3, lambda x: 6.0 * x, moderate),
    "rpow": (lambda v: 2.0**v, lambda x: 2.0**x * math.log(2.0) ** 2, moderate),
    "div": (lambda v: 1.0 / v, lambda x: 2.0 / x**3, positive),
    "neg": (lambda v: -v, lambda x: 0.0, moderate),
    "relu": (lambda v: v.relu(), lambda x: 0.0, moderate),
    "abs": (lambda v: v.abs(), lambda x: 0.0, moderate),
    "leaky_relu": (lambda v: v.leaky_relu(0.2), lambda x: 0.0, moderate),
}


def _second(f: Callable[[Value], Value], x: float) -> float:
    v = Value(x)
    (d1,) = grad(f(v), [v], create_graph=True)
    assert d1 is not None
    if not d1.requires_grad:  # a constant first derivative (neg, relu, ...)
        return 0.0
    (d2,) = grad(d1, [v])
    assert d2 is not None
    return d2.data


@pytest.mark.parametrize("name", sorted(SECOND))
def test_second_derivatives_of_one_input_rows_equal_their_closed_forms(
    name: str,
) -> None:
    f, closed, points = SECOND[name]

    @given(points)
    def check(x: float) -> None:
        assert math.isclose(_second(f, x), closed(x), rel_tol=1e-12, abs_tol=1e-12)

    check()


@given(moderate, positive)
def test_second_partials_of_two_input_rows_equal_their_closed_forms(
    a: float, b: float
) -> None:
    """d^2(a/b)/db^2 = 2a/b^3, d^2(a/b)/da db = -1/b^2, d^2(ab)/da db = 1,
    d^2(b^a)/da^2 = b^a ln^2 b, d^2(b^a)/da db = b^(a-1) (1 + a ln b). (At a = 0
    the partial d(b^a)/db is PyTorch's mask, whose derivative is 0 in both.)"""
    assume(a != 0.0)
    cases = [
        (lambda x, y: x / y, [[0.0, -1 / b**2], [-1 / b**2, 2 * a / b**3]]),
        (lambda x, y: x * y, [[0.0, 1.0], [1.0, 0.0]]),
        (
            lambda x, y: y**x,
            [
                [b**a * math.log(b) ** 2, b ** (a - 1) * (1 + a * math.log(b))],
                [b ** (a - 1) * (1 + a * math.log(b)), a * (a - 1) * b ** (a - 2)],
            ],
        ),
    ]
    for f, expected in cases:
        got = hessian(f, [a, b])
        for row, want in zip(got, expected, strict=True):
            for g, w in zip(row, want, strict=True):
                assert math.isclose(g, w, rel_tol=1e-11, abs_tol=1e-11)


def _sigmoid_squared_third(s: float) -> float:
    return s * s * (1 - s) * (8 - 30 * s + 24 * s * s)


#: name: (f, f''' from calculus, points)
THIRD: dict[str, tuple[Callable[[Value], Value], Callable[[float], float], Any]] = {
    "tanh": (
        lambda v: v.tanh(),
        lambda x: -2.0 * (1 - math.tanh(x) ** 2) * (1 - 3 * math.tanh(x) ** 2),
        moderate,
    ),
    "exp": (lambda v: v.exp(), math.exp, moderate),
    "sin": (lambda v: v.sin(), lambda x: -math.cos(x), moderate),
    "x^4": (lambda v: v**4, lambda x: 24.0 * x, moderate),
    "log": (lambda v: v.log(), lambda x: 2.0 / x**3, positive),
    "sigmoid(x)^2": (
        lambda v: v.sigmoid() * v.sigmoid(),
        # u = s^2, s' = s - s^2: u'' = (4s - 6s^2)(s - s^2) = 4s^2 - 10s^3 + 6s^4,
        # so u''' = (8s - 30s^2 + 24s^3)(s - s^2) = s^2 (1 - s)(8 - 30s + 24s^2)
        lambda x: _sigmoid_squared_third(_sigmoid(x)),
        moderate,
    ),
}


@pytest.mark.parametrize("name", sorted(THIRD))
def test_third_derivatives_equal_their_closed_forms(name: str) -> None:
    f, closed, points = THIRD[name]

    @given(points)
    def check(x: float) -> None:
        v = Value(x)
        (d1,) = grad(f(v), [v], create_graph=True)
        (d2,) = grad(d1, [v], create_graph=True)  # type: ignore[arg-type]
        (d3,) = grad(d2, [v])  # type: ignore[arg-type]
        assert d3 is not None
        assert math.isclose(d3.data, closed(x), rel_tol=1e-10, abs_tol=1e-10)

    check()


@given(st.lists(st.floats(-3.0, 3.0), min_size=1, max_size=6), st.integers(0, 5))
def test_the_hessian_of_cross_entropy_is_diag_s_minus_s_s_transposed(
    zs: list[float], t: int
) -> None:
    """C = logsumexp(z) - z_t: d^2C/dz_j dz_k = s_j [j = k] - s_j s_k (the n-ary
    rows' partials, evaluated on Values); log_softmax_j's Hessian is its negative,
    for every j."""
    assume(t < len(zs))
    m = max(zs)
    total = sum(math.exp(z - m) for z in zs)
    s = [math.exp(z - m) / total for z in zs]
    expected = [
        [(sj if j == k else 0.0) - sj * sk for k, sk in enumerate(s)]
        for j, sj in enumerate(s)
    ]
    h = hessian(lambda *v: class_cross_entropy(list(v), t), zs)
    h_log = hessian(lambda *v: log_softmax(list(v))[t], zs)
    for row, row_log, want in zip(h, h_log, expected, strict=True):
        for g, g_log, w in zip(row, row_log, want, strict=True):
            assert math.isclose(g, w, rel_tol=1e-9, abs_tol=1e-15)
            assert math.isclose(g_log, -w, rel_tol=1e-9, abs_tol=1e-15)


@given(st.lists(moderate, min_size=1, max_size=4))
def test_the_hessian_of_the_fused_nodes_is_their_closed_form(xs: list[float]) -> None:
    """1/2 sum r^2 has Hessian I; z = sum_k w_k a_k + b has d^2z/dw_k da_k = 1 and
    every other second partial 0."""
    n = len(xs)
    h = hessian(lambda *r: engine.half_sum_of_squares(list(r)), xs)
    assert h == [[1.0 if i == j else 0.0 for j in range(n)] for i in range(n)]
    point = [*xs, 0.5, *xs]  # (w_1..w_n, b, a_1..a_n)
    hz = hessian(
        lambda *v: engine.weighted_input(list(v[:n]), list(v[n + 1 :]), v[n]), point
    )
    size = 2 * n + 1
    for i in range(size):
        for j in range(size):
            pair = {i, j}
            mixed = any(pair == {k, n + 1 + k} for k in range(n))
            assert hz[i][j] == (1.0 if mixed else 0.0)


# --- random programs over every row ----------------------------------------------


def _total(outs: list[Value]) -> Value:
    total = outs[0]
    for o in outs[1:]:
        total = total + o
    return total


def _engine_hessian(steps: Any, inputs: list[float]) -> list[list[float]]:
    return hessian(
        lambda *xs: _total(run_every_op_program(ENGINE, steps, *xs)[0]), inputs
    )


def _engine_gradient(steps: Any, point: list[float]) -> list[float]:
    leaves = [Value(x) for x in point]
    total = _total(run_every_op_program(ENGINE, steps, *leaves)[0])
    if not total.requires_grad:
        return [0.0] * len(point)
    row = grad(total, leaves, allow_unused=True)
    return [0.0 if g is None else g.data for g in row]


def _torch_hessian(steps: Any, inputs: list[float]) -> list[list[float]]:
    torch = pytest.importorskip("torch")
    xs = [torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in inputs]
    outs, _ = run_every_op_program(TWIN, steps, *[Twin(x) for x in xs])
    total = outs[0].t
    for o in outs[1:]:
        total = total + o.t
    n = len(xs)
    if not total.requires_grad:
        return [[0.0] * n for _ in range(n)]
    first = torch.autograd.grad(total, xs, create_graph=True, allow_unused=True)
    rows = []
    for g in first:
        if g is None or not g.requires_grad:
            rows.append([0.0] * n)
            continue
        second = torch.autograd.grad(g, xs, retain_graph=True, allow_unused=True)
        rows.append([0.0 if h is None else float(h.item()) for h in second])
    return rows


def _bounded(steps: Any, inputs: list[float]) -> float:
    """The program's kink margin, after assuming its values stay moderate."""
    outs, margin = run_every_op_program(ENGINE, steps, *[Value(x) for x in inputs])
    assume(all(abs(o.data) < 1e3 for o in outs))
    return margin


def test_the_programs_use_every_row_of_the_rule_table() -> None:
    """Every row of OPS but sum_exp (made by softmax and log_softmax) is a step."""
    assert set(engine.OPS) - set(EVERY_OP_STEPS) == {"sum_exp"}


@pytest.mark.slow
@given(every_op_programs())
def test_hessians_of_random_programs_equal_pytorchs_double_backward(
    program: tuple[list[float], list[Any]],
) -> None:
    inputs, steps = program
    _bounded(steps, inputs)
    ours = _engine_hessian(steps, inputs)
    theirs = _torch_hessian(steps, inputs)
    for row, want in zip(ours, theirs, strict=True):
        for g, w in zip(row, want, strict=True):
            assert math.isclose(g, w, rel_tol=1e-9, abs_tol=1e-9), (ours, theirs)


@settings(max_examples=40)
@given(every_op_programs())
def test_hessians_of_random_programs_equal_central_differences_of_grad(
    program: tuple[list[float], list[Any]],
) -> None:
    """Away from kinks (each kinked step's argument 0.01 or more from it), H_ij
    equals (g_i(x + eps e_j) - g_i(x - eps e_j)) / (2 eps), g = engine.grad."""
    inputs, steps = program
    assume(_bounded(steps, inputs) > 1e-2)
    eps = 1e-6
    h = _engine_hessian(steps, inputs)
    for j in range(len(inputs)):
        up = _engine_gradient(
            steps, [x + eps if k == j else x for k, x in enumerate(inputs)]
        )
        down = _engine_gradient(
            steps, [x - eps if k == j else x for k, x in enumerate(inputs)]
        )
        for i in range(len(inputs)):
            numerical = (up[i] - down[i]) / (2 * eps)
            assert abs(h[i][j] - numerical) <= 1e-5 + 1e-4 * abs(numerical)


@given(programs())
def test_grad_without_create_graph_gives_backwards_numbers(
    program: tuple[list[float], list[Any]],
) -> None:
    """engine.grad on the float path is backward()'s walk: the same numbers, and
    with create_graph=True the data of the gradient Values are those numbers too."""
    inputs, steps = program
    leaves = [Value(x) for x in inputs]
    out = run_program(steps, *leaves)
    plain = grad(out, leaves, allow_unused=True)
    graphed = grad(out, leaves, allow_unused=True, create_graph=True)
    out.backward()
    for x, p, g in zip(leaves, plain, graphed, strict=True):
        assert (p is None) == (g is None)
        got = 0.0 if p is None else p.data
        assert got == x.grad
        assert g is None or g.data == x.grad


# --- PyTorch's semantics of grad ----------------------------------------------------


def test_grad_leaves_every_grad_untouched_and_returns_a_tuple() -> None:
    x, w = Value(1.5), Value(-0.5)
    x.grad = 7.0
    y = (x * w).tanh()
    result = grad(y, [x, w])
    assert isinstance(result, tuple)
    assert len(result) == 2
    assert x.grad == 7.0
    assert w.grad == 0.0
    assert y.grad == 0.0


def test_grad_of_several_outputs_is_the_gradient_of_their_weighted_sum() -> None:
    torch = pytest.importorskip("torch")
    x, y = Value(0.3), Value(-1.2)
    outs = [(x * y).sin(), x.exp() + y, (x / (1 + y * y)).tanh()]
    seeds = [2.0, None, -0.5]
    ours = grad(outs, [x, y], grad_outputs=seeds)
    tx = torch.tensor(0.3, dtype=torch.float64, requires_grad=True)
    ty = torch.tensor(-1.2, dtype=torch.float64, requires_grad=True)
    touts = [(tx * ty).sin(), tx.exp() + ty, (tx / (1 + ty * ty)).tanh()]
    tseeds = [
        torch.tensor(s if s is not None else 1.0, dtype=torch.float64) for s in seeds
    ]
    theirs = torch.autograd.grad(touts, [tx, ty], grad_outputs=tseeds)
    for g, t in zip(ours, theirs, strict=True):
        assert g is not None
        assert math.isclose(g.data, float(t), rel_tol=1e-15, abs_tol=1e-15)


def test_grad_with_respect_to_an_intermediate_node_is_pytorchs() -> None:
    """Inputs may be any node that takes a gradient, as PyTorch's non-leaf inputs."""
    x = Value(0.8)
    h = x.sigmoid()
    y = (h * h).log() + h
    (dh,) = grad(y, [h])
    assert dh is not None
    assert math.isclose(dh.data, 2.0 / h.data + 1.0, rel_tol=1e-15)


def test_an_unused_input_raises_unless_allowed() -> None:
    x, unused = Value(1.0), Value(2.0)
    y = x * 3
    with pytest.raises(RuntimeError, match=r"inputs\[1\] does not appear in the graph"):
        grad(y, [x, unused])
    assert grad(y, [x, unused], allow_unused=True)[1] is None
    zero = grad(y, [x, unused], materialize_grads=True)[1]
    assert zero is not None
    assert zero.data == 0.0
    assert not zero.requires_grad


def test_an_input_reached_only_through_a_mask_is_used_and_gets_zero() -> None:
    """As PyTorch: relu at a negative point passes no gradient, but x is used."""
    x = Value(-1.0)
    (g,) = grad(x.relu(), [x])
    assert g is not None
    assert g.data == 0.0


def test_constant_outputs_and_inputs_are_refused_as_in_pytorch() -> None:
    x = Value(1.0)
    c = Value(2.0, requires_grad=False)
    with pytest.raises(
        RuntimeError, match="element 0 of outputs does not require grad"
    ):
        grad(c * 2, [x])
    with pytest.raises(RuntimeError, match=r"inputs\[1\] does not require grad"):
        grad(x * c, [x, c])
    with pytest.raises(
        TypeError, match=r"grad: inputs\[0\] must be a Value, got float"
    ):
        grad(x * 2, [1.0])  # type: ignore[list-item]
    with pytest.raises(ValueError, match="grad_outputs has 2 entries but there are 1"):
        grad(x * 2, [x], grad_outputs=[1.0, 2.0])
    with pytest.raises(ValueError, match="inputs is empty"):
        grad(x * 2, [])
    with pytest.raises(
        ValueError, match="materialize_grads=True with allow_unused=False"
    ):
        grad(x * 2, [x], allow_unused=False, materialize_grads=True)


def test_grad_refuses_a_graph_whose_data_was_set_since() -> None:
    x = Value(1.0, label="x")
    y = x * x
    x.data = 2.0
    with pytest.raises(RuntimeError, match="'x' was set after op 'mul' used it"):
        grad(y, [x])


def test_create_graph_records_even_inside_no_grad() -> None:
    x = Value(0.4)
    y = x.sin() * x
    with no_grad():
        (g,) = grad(y, [x], create_graph=True)
        (plain,) = grad(y, [x])
    assert g is not None
    assert plain is not None
    assert g.requires_grad
    assert g.op != ""
    assert not plain.requires_grad


def test_a_value_in_grad_outputs_is_part_of_the_new_graph() -> None:
    """d/dv of (v dy/dx) is dy/dx: a gradient penalty's seed can be differentiated."""
    x, v = Value(0.7), Value(3.0)
    (g,) = grad(x.tanh(), [x], grad_outputs=[v], create_graph=True)
    assert g is not None
    (dv,) = grad(g, [v])
    assert dv is not None
    assert math.isclose(dv.data, 1.0 - math.tanh(0.7) ** 2, rel_tol=1e-15)


@pytest.mark.filterwarnings(r"ignore:Using backward\(\) with create_graph=True")
def test_backward_with_create_graph_adds_to_grad_and_returns_the_gradient_graph() -> (
    None
):
    """As PyTorch's loss.backward(create_graph=True) followed by a penalty on the
    gradients: .grad gets backward()'s numbers (a float), and the returned Values
    differentiate to PyTorch's second-order result."""
    torch = pytest.importorskip("torch")
    a, b = Value(0.5, label="a"), Value(-1.5, label="b")
    loss = (a * b).tanh() + a.exp() * b
    table = loss.backward(create_graph=True)
    ref_a, ref_b = Value(0.5), Value(-1.5)
    ((ref_a * ref_b).tanh() + ref_a.exp() * ref_b).backward()
    assert (a.grad, b.grad) == (ref_a.grad, ref_b.grad)
    assert table[a].data == a.grad
    penalty = table[a] * table[a] + table[b] * table[b]
    ours = grad(penalty, [a, b])

    ta = torch.tensor(0.5, dtype=torch.float64, requires_grad=True)
    tb = torch.tensor(-1.5, dtype=torch.float64, requires_grad=True)
    tloss = (ta * tb).tanh() + ta.exp() * tb
    tloss.backward(create_graph=True)
    assert ta.grad is not None
    assert tb.grad is not None
    tpenalty = ta.grad * ta.grad + tb.grad * tb.grad
    theirs = torch.autograd.grad(tpenalty, [ta, tb])
    for g, t in zip(ours, theirs, strict=True):
        assert g is not None
        assert math.isclose(g.data, float(t), rel_tol=1e-14)


def test_hvp_is_the_hessian_times_v_in_pytorchs_shape() -> None:
    torch = pytest.importorskip("torch")

    def f(m: Any, x: Any, y: Any) -> Any:
        return (x * y).sin() + m.maximum(x, y) * x * x

    point, v = [0.4, -0.9], [1.5, -2.0]
    value, hv = hvp(lambda x, y: f(engine, x, y), point, v)
    h = hessian(lambda x, y: f(engine, x, y), point)
    expected = [sum(hij * vj for hij, vj in zip(row, v, strict=True)) for row in h]
    t_value, t_hv = torch.autograd.functional.hvp(
        lambda x, y: f(torch, x, y),
        tuple(torch.tensor(p, dtype=torch.float64) for p in point),
        tuple(torch.tensor(p, dtype=torch.float64) for p in v),
    )
    assert math.isclose(value, float(t_value), rel_tol=1e-15)
    for ours, want, theirs in zip(hv, expected, t_hv, strict=True):
        assert math.isclose(ours, want, rel_tol=1e-13)
        assert math.isclose(ours, float(theirs), rel_tol=1e-13)
    with pytest.raises(ValueError, match="v has 1 entries but there are 2 inputs"):
        hvp(lambda x, y: x * y, point, [1.0])


def test_the_hessian_of_a_function_linear_in_an_input_has_zeros_there() -> None:
    assert hessian(lambda x, y: x * 3 + y, [1.0, 2.0]) == [[0.0, 0.0], [0.0, 0.0]]
    assert hessian(lambda x, y: x * x, [1.0, 2.0]) == [[2.0, 0.0], [0.0, 0.0]]


# --- the float path stays as it was ------------------------------------------------


def test_grad_without_create_graph_makes_no_node_but_its_results() -> None:
    """create_graph=False records nothing: the live Values grow by the results
    alone (constant leaves), and backward() makes no Value at all."""
    x, y = Value(0.3), Value(0.6)
    out = ((x * y).tanh() + softmax([x, y])[0]).exp()
    before = live_values()
    results = grad(out, [x, y])
    assert live_values() == before + len(results)
    assert all(r is not None and r.op == "" and not r.requires_grad for r in results)
    del results
    before = live_values()
    out.backward()
    assert live_values() == before


def test_a_node_keeps_its_eight_slots() -> None:
    """No slot was added for gradients of gradients or tangents: a node is as
    small as before (benchmarks case 3 measures its bytes)."""
    assert sorted(Value.__slots__) == sorted(
        ["_a", "_b", "_data", "_epoch", "_op", "_requires_grad", "grad", "label"]
    )


@pytest.mark.slow
def test_a_second_derivative_through_a_100000_node_chain_needs_no_recursion() -> None:
    """y = tanh^n(x), n = 100,000: d^2y/dx^2 by grad twice equals the recurrence
    y_k' = (1 - y_k^2) y_(k-1)', y_k'' = (1 - y_k^2) y_(k-1)'' - 2 y_k (1 - y_k^2)
    y_(k-1)'^2 in plain floats, at the default recursion limit."""
    n, x0 = 100_000, 0.9
    x = Value(x0)
    y = x
    for _ in range(n):
        y = y.tanh()
    (d1,) = grad(y, [x], create_graph=True)
    assert d1 is not None
    (d2,) = grad(d1, [x])
    assert d2 is not None
    v, dv, ddv = x0, 1.0, 0.0
    for _ in range(n):
        v = math.tanh(v)
        s = 1.0 - v * v
        dv, ddv = s * dv, s * ddv - 2.0 * v * s * dv * dv
    assert math.isclose(d1.data, dv, rel_tol=1e-9)
    assert math.isclose(d2.data, ddv, rel_tol=1e-9)
