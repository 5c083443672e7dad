"""backward(): the chain rule over whole graphs, reuse, accumulation, modes, scale,
and the cycle collector paused while a graph is walked."""

from __future__ import annotations

import gc
import math
import subprocess
import sys
import textwrap
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given

from engine import OPS, Value, gradcheck, is_grad_enabled, no_grad, topological_order
from tests.graphs import live_values, run_program
from tests.strategies import Step, moderate, programs


@given(program=programs())
def test_backward_equals_central_differences_on_random_graphs(
    program: tuple[list[float], list[Step]],
) -> None:
    inputs, steps = program
    assert gradcheck(lambda *v: run_program(steps, *v), inputs, rtol=1e-4)


@given(program=programs())
def test_topological_order_lists_each_node_once_after_its_inputs(
    program: tuple[list[float], list[Step]],
) -> None:
    inputs, steps = program
    root = run_program(steps, *[Value(x) for x in inputs])
    order = topological_order(root)
    position = {id(v): i for i, v in enumerate(order)}
    assert len(position) == len(order)
    assert order[-1] is root
    for v in order:
        for u in v.inputs:
            assert position[id(u)] < position[id(v)]
    assert [id(v) for v in topological_order(root)] == [id(v) for v in order]


def test_a_node_used_twice_gets_the_sum_of_both_paths() -> None:
    a = Value(3.0)
    (a * a).backward()
    assert a.grad == 6.0  # d(a^2)/da = 2a

    a = Value(3.0)
    b = a + a
    c = b + b
    c.backward()
    assert a.grad == 4.0  # c = 4a
    assert b.grad == 2.0


@given(x0=moderate, y0=moderate)
def test_two_backward_calls_accumulate_twice_one_call(x0: float, y0: float) -> None:
    x, y = Value(x0), Value(y0)
    h = (x * y).tanh()
    out = h * h + x
    out.backward()
    once = (x.grad, y.grad, h.grad)
    out.backward()
    assert h.grad == 2 * once[2]  # an op node: old + this call's part, exactly
    # Leaves add each path's part as it arrives (x has two), so allow rounding.
    assert x.grad == pytest.approx(2 * once[0], rel=1e-15, abs=1e-300)
    assert y.grad == pytest.approx(2 * once[1], rel=1e-15, abs=1e-300)


def test_intermediate_grads_do_not_leak_into_a_second_backward() -> None:
    x = Value(2.0)
    y = x * x
    z = y * 3.0
    z.backward()
    z.backward()
    assert y.grad == 6.0  # 2 * dz/dy
    assert x.grad == 24.0  # 2 * dz/dx = 2 * 3 * 2x, not more


@given(x0=moderate, g=moderate)
def test_backward_gradient_argument_scales_every_grad(x0: float, g: float) -> None:
    x = Value(x0)
    x.sigmoid().backward()
    unit = x.grad
    x = Value(x0)
    x.sigmoid().backward(g)
    assert x.grad == pytest.approx(g * unit, rel=1e-15, abs=1e-300)


def test_zero_grad_clears_every_node_of_the_graph() -> None:
    x = Value(1.5)
    y = (x * 2.0).exp()
    y.backward()
    y.zero_grad()
    assert all(v.grad == 0.0 for v in topological_order(y))


def test_no_grad_records_no_graph_and_restores_the_mode() -> None:
    x = Value(1.0)
    with no_grad():
        assert not is_grad_enabled()
        y = (x * 2.0 + 1.0).tanh()
    assert is_grad_enabled()
    assert y.op == ""
    assert y.inputs == ()
    assert y.data == math.tanh(3.0)
    assert not y.requires_grad  # as PyTorch: a result of no_grad() is a constant
    with pytest.raises(RuntimeError, match="does not require grad"):
        y.backward()
    assert x.grad == 0.0


def test_no_grad_is_restored_after_an_exception_and_when_nested() -> None:
    with pytest.raises(RuntimeError), no_grad():
        raise RuntimeError
    assert is_grad_enabled()
    with no_grad():
        with no_grad():
            pass
        assert not is_grad_enabled()
    assert is_grad_enabled()


def test_no_grad_works_as_a_decorator() -> None:
    @no_grad()
    def double(v: Value) -> Value:
        return v * 2.0

    assert double(Value(1.0)).inputs == ()
    assert is_grad_enabled()
    assert (Value(1.0) * 2.0).inputs != ()


def test_detach_stops_the_gradient() -> None:
    x = Value(1.5, label="x")
    d = x.detach()
    assert d is not x
    assert (d.data, d.label, d.inputs) == (1.5, "x", ())
    (x * x.detach()).backward()
    assert x.grad == 1.5  # only the recorded factor is differentiated


@pytest.mark.slow
def test_a_chain_one_million_nodes_deep_needs_no_recursion() -> None:
    # CPython's default limit, set here: engine is imported by now, so a limit it
    # raised on import would otherwise pass for the default.
    saved = sys.getrecursionlimit()
    sys.setrecursionlimit(1000)
    try:
        x = Value(0.5)
        y = x
        for _ in range(1_000_000):
            y = -y
        y.backward()
        assert y.data == 0.5  # an even number of negations
        assert x.grad == 1.0
        assert len(topological_order(y)) == 1_000_001
        del x, y  # freeing must not recurse either
        assert sys.getrecursionlimit() == 1000
    finally:
        sys.setrecursionlimit(saved)


@pytest.mark.parametrize("collector_on", [True, False])
def test_the_walks_pause_the_cycle_collector_and_restore_it(
    monkeypatch: pytest.MonkeyPatch, collector_on: bool
) -> None:
    during: list[bool] = []
    tanh = OPS["tanh"]

    def watched(x: float, y: float) -> float:
        during.append(gc.isenabled())
        partial: float = tanh.partials(x, y)
        return partial

    def failing(x: float, y: float) -> float:
        raise ArithmeticError("a rule failed")

    was_on = gc.isenabled()
    (gc.enable if collector_on else gc.disable)()
    try:
        monkeypatch.setitem(OPS, "tanh", replace(tanh, partials=watched))
        y = Value(0.3).tanh()
        y.backward()
        assert during == [False]
        assert gc.isenabled() is collector_on
        assert len(topological_order(y)) == 2
        assert gc.isenabled() is collector_on
        monkeypatch.setitem(OPS, "tanh", replace(tanh, partials=failing))
        with pytest.raises(ArithmeticError, match="a rule failed"):
            Value(0.3).tanh().backward()
        assert gc.isenabled() is collector_on
    finally:
        (gc.enable if was_on else gc.disable)()


def test_a_finished_graph_is_freed_by_reference_counting_alone() -> None:
    gc.collect()
    gc.disable()
    try:
        before = live_values()
        w = [Value(0.1 * k) for k in range(4)]
        x = [Value(1.0), Value(-2.0)]
        loss = ((w[0] * x[0] + w[1] * x[1]).tanh() - w[2]) ** 2 + w[3].exp()
        loss.backward()
        assert live_values() == before + len(topological_order(loss))
        del w, x, loss
        assert live_values() == before
    finally:
        gc.enable()


ROOT = Path(__file__).resolve().parents[2]

_DETERMINISM_SCRIPT = textwrap.dedent(
    """
    import random
    from engine import Value
    from tests.graphs import run_program
    rng = random.Random(7)
    steps = [(rng.choice(["add", "mul", "tanh", "sigmoid", "div_1_plus_square"]),
              rng.random(), rng.random()) for _ in range(400)]
    xs = [Value(rng.uniform(-1, 1)) for _ in range(8)]
    out = run_program(steps, *xs)
    out.backward()
    print(" ".join(v.grad.hex() for v in xs), out.data.hex())
    """
)


def test_gradients_are_bit_identical_in_separate_processes() -> None:
    outputs = []
    for hash_seed in ("1", "2"):
        result = subprocess.run(
            [sys.executable, "-c", _DETERMINISM_SCRIPT],
            capture_output=True,
            text=True,
            check=True,
            env={"PYTHONHASHSEED": hash_seed, "PATH": ""},
            cwd=ROOT,
        )
        outputs.append(result.stdout)
    assert outputs[0] == outputs[1]
    assert len(outputs[0].split()) == 9


def test_backward_of_a_leaf_adds_the_gradient_to_itself() -> None:
    x = Value(1.0)
    x.backward(2.0)
    x.backward(3.0)
    assert x.grad == 5.0
