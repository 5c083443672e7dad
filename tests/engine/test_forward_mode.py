"""Forward mode: ``engine.jvp`` pushes tangents through the rule table as each
node is made, and ``engine.jacobian`` takes either mode.

Forward mode is checked against reverse mode with JAX's identity
<J u, v> = <u, J^T v> (J u by jvp, J^T v by engine.grad with grad_outputs v), and
against PyTorch's ``torch.func.jvp``, on random programs over every row.
"""

from __future__ import annotations

import math
import threading
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import engine
from engine import Value, enable_grad, grad, is_grad_enabled, jacobian, jvp
from nn import MLP
from tests.graphs import ENGINE, live_values, run_every_op_program
from tests.strategies import directions, every_op_programs
from tests.torch_twin import TWIN, Twin

#: torch.func warns about torch.jit.script when it is first imported.
pytestmark = pytest.mark.filterwarnings("ignore:`torch.jit.script` is deprecated")


def _program(steps: Any) -> Any:
    return lambda *xs: run_every_op_program(ENGINE, steps, *xs)[0]


def _dot(a: list[float], b: list[float]) -> float:
    return math.fsum(x * y for x, y in zip(a, b, strict=True))


def _moderate(steps: Any, inputs: list[float]) -> None:
    outs, _ = run_every_op_program(ENGINE, steps, *[Value(x) for x in inputs])
    assume(all(abs(o.data) < 1e3 for o in outs))


@settings(max_examples=40)
@given(every_op_programs(), directions, directions)
def test_forward_and_reverse_mode_agree_on_random_programs_over_every_row(
    program: tuple[list[float], list[Any]], u_draw: list[float], v_draw: list[float]
) -> None:
    """<J u, v> = <u, J^T v> for f: R^n -> R^m, u in R^n, v in R^m (JAX's check)."""
    inputs, steps = program
    _moderate(steps, inputs)
    n, m = len(inputs), len(steps)
    u = (u_draw * n)[:n]
    v = (v_draw * m)[:m]
    values, ju = jvp(_program(steps), inputs, u)
    leaves = [Value(x) for x in inputs]
    outs = _program(steps)(*leaves)
    assert values == [o.data for o in outs]
    live = [(o, vk) for o, vk in zip(outs, v, strict=True) if o.requires_grad]
    jtv = [0.0] * n
    if live:
        row = grad(
            [o for o, _ in live], leaves, [vk for _, vk in live], allow_unused=True
        )
        jtv = [0.0 if g is None else g.data for g in row]
    left, right = _dot(ju, v), _dot(u, jtv)
    scale = math.fsum(abs(a * b) for a, b in zip(ju, v, strict=True)) + 1.0
    assert abs(left - right) <= 1e-12 * scale


@settings(max_examples=30)
@given(every_op_programs(), directions)
def test_jvp_equals_pytorchs_forward_mode_on_random_programs(
    program: tuple[list[float], list[Any]], u_draw: list[float]
) -> None:
    torch = pytest.importorskip("torch")
    inputs, steps = program
    _moderate(steps, inputs)
    u = (u_draw * len(inputs))[: len(inputs)]
    _, ours = jvp(_program(steps), inputs, u)

    def f(*ts: Any) -> Any:
        outs, _ = run_every_op_program(TWIN, steps, *[Twin(t) for t in ts])
        return tuple(o.t for o in outs)

    def tensors(xs: list[float]) -> tuple[Any, ...]:
        return tuple(torch.tensor(x, dtype=torch.float64) for x in xs)

    _, theirs = torch.func.jvp(f, tensors(inputs), tensors(u))
    for a, b in zip(ours, theirs, strict=True):
        assert math.isclose(a, float(b), rel_tol=1e-10, abs_tol=1e-10)


@given(st.lists(st.floats(-2.0, 2.0), min_size=2, max_size=2))
def test_jacobians_by_either_mode_are_equal_and_m_by_n(x: list[float]) -> None:
    """An MLP R^2 -> R^3 (fused z nodes): forward mode's n passes and reverse
    mode's m passes give the same 3 x 2 matrix."""
    net = MLP([2, 4, 3], activation="tanh", seed=1)

    def f(a: Value, b: Value) -> list[Value]:
        return net([a, b])

    forward = jacobian(f, x, mode="forward")
    reverse = jacobian(f, x, mode="reverse")
    assert len(forward) == 3
    assert all(len(row) == 2 for row in forward)
    for fr, rr in zip(forward, reverse, strict=True):
        for a, b in zip(fr, rr, strict=True):
            assert math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-15)


def test_the_jacobian_of_one_value_is_one_row_and_matches_pytorch() -> None:
    torch = pytest.importorskip("torch")

    def f(m: Any, x: Any, y: Any, z: Any) -> Any:
        return (x * y).sin() / (1 + z * z) + m.maximum(x, z)

    point = [0.3, -1.1, 0.7]
    theirs = torch.autograd.functional.jacobian(
        lambda *t: f(torch, *t),
        tuple(torch.tensor(p, dtype=torch.float64) for p in point),
    )
    for mode in ("forward", "reverse"):
        (row,) = jacobian(lambda *v: f(engine, *v), point, mode=mode)
        for a, b in zip(row, theirs, strict=True):
            assert math.isclose(a, float(b), rel_tol=1e-15, abs_tol=1e-15)


def test_jvp_records_no_graph_and_keeps_nothing_alive() -> None:
    """Inside the pass every node is a leaf (no op, no inputs): no reverse graph
    is built, and afterwards no Value of the pass is alive."""
    seen: list[tuple[str, tuple[Value, ...], bool]] = []

    def f(x: Value, y: Value) -> Value:
        h = (x * y).tanh()
        seen.append((h.op, h.inputs, is_grad_enabled()))
        return h + x.exp()

    before = live_values()
    value, tangent = jvp(f, [0.5, 2.0], [1.0, 0.0])
    seen_nodes = len(seen)
    assert live_values() == before
    assert seen_nodes == 1
    assert seen[0] == ("", (), False)
    t = math.tanh(1.0)
    assert value == t + math.exp(0.5)
    assert math.isclose(tangent, (1 - t * t) * 2.0 + math.exp(0.5), rel_tol=1e-15)


def test_jvp_through_a_mask_gives_zero_whatever_the_tangent_as_pytorch() -> None:
    torch = pytest.importorskip("torch")
    _, ours = jvp(lambda x: x.relu(), [-1.0], [math.inf])
    _, theirs = torch.func.jvp(
        torch.relu,
        (torch.tensor(-1.0, dtype=torch.float64),),
        (torch.tensor(math.inf, dtype=torch.float64),),
    )
    assert ours == float(theirs) == 0.0


def test_inputs_of_f_without_a_tangent_are_constants_of_the_pass() -> None:
    """A Value from outside the pass (a parameter, a constant) has tangent 0, and
    a node of constants carries none: d/dx (w x + c) along 1 is w."""
    w = Value(3.0)
    c = Value(5.0, requires_grad=False)
    value, tangent = jvp(lambda x: w * x + c * c, [2.0], [1.0])
    assert (value, tangent) == (31.0, 3.0)
    assert jvp(lambda x: w * c, [2.0], [1.0]) == (15.0, 0.0)


def test_primals_and_tangents_may_be_values_read_as_their_data() -> None:
    x = Value(1.5, label="x")
    assert jvp(lambda v: v * v, [x], [Value(2.0)]) == (2.25, 6.0)
    assert x.grad == 0.0


def test_jvp_refuses_bad_input_naming_it() -> None:
    with pytest.raises(ValueError, match="2 primals but 1 tangents"):
        jvp(lambda a, b: a * b, [1.0, 2.0], [1.0])
    with pytest.raises(TypeError, match=r"jvp: tangents\[0\] must be a real number"):
        jvp(lambda a: a, [1.0], ["1"])  # type: ignore[list-item]
    with pytest.raises(TypeError, match="primals must be a sequence"):
        jvp(lambda a: a, 1.0, [1.0])  # type: ignore[arg-type]
    with pytest.raises(
        TypeError, match="f must return a Value or a non-empty sequence"
    ):
        jvp(lambda a: 3.0, [1.0], [1.0])  # type: ignore[arg-type,return-value]
    with pytest.raises(ValueError, match="mode must be 'forward' or 'reverse'"):
        jacobian(lambda a: a, [1.0], mode="sideways")  # type: ignore[arg-type]


def test_a_pass_inside_a_pass_is_refused() -> None:
    with pytest.raises(RuntimeError, match="a forward-mode pass inside another"):
        jvp(lambda a: a * jvp(lambda b: b * a, [1.0], [1.0])[1], [1.0], [1.0])
    assert jvp(lambda a: a * a, [3.0], [1.0]) == (9.0, 6.0)  # the mode was restored


def test_recording_switched_on_inside_f_is_refused_not_a_silent_zero() -> None:
    def f(x: Value) -> Value:
        with enable_grad():
            return x * 2

    with pytest.raises(RuntimeError, match="recorded as a graph"):
        jvp(f, [1.0], [1.0])


def test_forward_mode_belongs_to_the_thread_that_runs_it() -> None:
    """While one thread is in a pass, another records graphs as usual."""
    other: list[tuple[str, bool, float]] = []

    def record() -> None:
        x = Value(2.0)
        y = x * x
        (g,) = grad(y, [x])
        assert g is not None
        other.append((y.op, is_grad_enabled(), g.data))

    def f(x: Value) -> Value:
        worker = threading.Thread(target=record)
        worker.start()
        worker.join()
        return x * x

    assert jvp(f, [3.0], [1.0]) == (9.0, 6.0)
    assert other == [("mul", True, 4.0)]
