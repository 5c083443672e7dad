"""Stale inputs: setting ``data`` after a graph used it makes backward() raise, as
PyTorch does for a tensor modified in place; setting it before building does not.

The error names the node written (its label, else its repr) and is raised before any
grad is touched. Writes to an interior node's data, to the output's own, to constants
and inside ``no_grad()`` count too. The engine is stricter than PyTorch in one way,
tested here: any write to an input of a node raises, also where PyTorch's formula
would not need the value (``a + b``).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine import (
    Value,
    half_sum_of_squares,
    maximum,
    no_grad,
    topological_order,
    weighted_input,
)
from engine.value import get_data, set_data
from tests.strategies import moderate

STALE = "has been modified"


def test_the_issues_example_raises_naming_the_label() -> None:
    x = Value(2.0, label="x")
    y = x * x
    x.data = 3.0
    with pytest.raises(RuntimeError, match=STALE) as err:
        y.backward()
    assert "'x'" in str(err.value)
    assert "was set after op 'mul' used it" in str(err.value)
    assert x.grad == 0.0  # nothing was propagated


def test_an_unlabelled_node_is_named_by_its_repr() -> None:
    x = Value(2.0)
    y = (x * x).sigmoid()
    x.data = 3.0
    with pytest.raises(RuntimeError, match=r"an unlabelled Value\(data=3\.0"):
        y.backward()


@given(x0=moderate, x1=moderate)
def test_writes_before_building_are_fine(x0: float, x1: float) -> None:
    x = Value(x0, label="x")
    x.data = x1
    y = (x * x).sigmoid()
    y.backward()
    s = 1.0 / (1.0 + math.exp(-x1 * x1))
    assert x.grad == pytest.approx(2 * x1 * s * (1 - s), rel=1e-12, abs=1e-300)


def test_rebuilding_after_a_write_gives_the_new_points_gradient() -> None:
    x = Value(2.0, label="x")
    y = x * x
    x.data = 3.0
    with pytest.raises(RuntimeError):
        y.backward()
    y = x * x
    y.backward()
    assert x.grad == 6.0


def test_a_write_to_an_interior_node_is_detected() -> None:
    x = Value(2.0, label="x")
    y = x * x
    y.label = "y"
    z = y * 3.0
    y.data = 10.0
    with pytest.raises(RuntimeError, match="'y'"):
        z.backward()
    # and a graph built on top of it afterwards still goes through y, whose data no
    # longer follows from x
    w = y + 1.0
    own = r"'y' \(made by op 'mul'\) was set after it was computed"
    with pytest.raises(RuntimeError, match=own):
        w.backward()


def test_a_write_to_the_output_itself_is_detected() -> None:
    x = Value(0.5)
    y = x.exp()
    y.label = "y"
    y.data = 5.0  # d exp(x)/dx is read from y: it would be 5, not e^0.5
    with pytest.raises(RuntimeError, match=r"'y' \(made by op 'exp'\)"):
        y.backward()


def test_a_write_to_a_constant_input_is_detected() -> None:
    x = Value(3.0, label="x")
    k = Value(2.0, label="k", requires_grad=False)
    y = x * k
    k.data = 5.0  # dy/dx = k
    with pytest.raises(RuntimeError, match="'k'"):
        y.backward()
    two = Value(1.0, requires_grad=False) + 1.0  # a recorded constant op node
    two.label = "two"
    y = x**two
    two.data = 3.0
    with pytest.raises(RuntimeError, match="'two'"):
        y.backward()


def test_writes_inside_no_grad_count_too() -> None:
    x = Value(2.0, label="x")
    y = x * x
    with no_grad():
        x.data -= 0.1
    with pytest.raises(RuntimeError, match="'x'"):
        y.backward()


def test_the_fused_nodes_check_all_their_inputs() -> None:
    w = [Value(1.0, label="w1"), Value(2.0, label="w2")]
    a = [Value(0.5, requires_grad=False, label="a1"), Value(-1.0, label="a2")]
    b = Value(0.0, label="b")
    for written in (*w, *a, b):
        z = weighted_input(w, a, b)
        C = half_sum_of_squares([z])
        written.data = written.data + 1.0
        with pytest.raises(RuntimeError, match=repr(written.label)):
            C.backward()


def test_stricter_than_pytorch_a_write_to_an_input_of_a_sum_raises() -> None:
    # PyTorch's add keeps no input, so it lets this pass; the engine refuses any
    # graph whose data no longer follow from its inputs.
    a, b = Value(1.0, label="a"), Value(2.0, label="b")
    y = a + b
    a.data = 5.0
    with pytest.raises(RuntimeError, match="'a'"):
        y.backward()


def test_an_unrelated_write_slows_nothing_down_but_changes_no_result() -> None:
    # A write anywhere makes every older node be checked input by input; a graph
    # whose own inputs did not change still back-propagates as before.
    x = Value(1.5)
    y = maximum(x.tanh(), x * 0.5)
    Value(0.0).data = 1.0  # some other node
    y.backward()
    assert x.grad == pytest.approx(1.0 - math.tanh(1.5) ** 2)


def test_a_second_backward_after_a_write_raises_and_keeps_the_first_grads() -> None:
    x = Value(2.0, label="x")
    y = x * x
    y.backward()
    x.data = 3.0
    with pytest.raises(RuntimeError):
        y.backward()
    assert (x.grad, y.grad) == (4.0, 1.0)


def test_topological_order_and_zero_grad_of_a_stale_graph_still_work() -> None:
    x = Value(2.0)
    y = x * x
    x.data = 3.0
    assert topological_order(y) == [x, y]
    y.zero_grad()


def test_a_leaf_after_a_write_backward_adds_its_seed() -> None:
    x = Value(1.0)
    x.data = 2.0
    x.backward(3.0)
    assert x.grad == 3.0


@pytest.mark.parametrize("value", [3, np.float64(2.5), np.int64(-1), 0.5])
def test_data_takes_real_numbers_and_stores_floats(value: object) -> None:
    x = Value(0.0)
    x.data = value  # type: ignore[assignment]
    assert type(x.data) is float
    assert x.data == float(value)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "kind"), [("1.0", "str"), (None, "NoneType"), (True, "bool")]
)
def test_data_refuses_what_is_not_a_real_number(value: object, kind: str) -> None:
    x = Value(1.0)
    with pytest.raises(TypeError, match=f"data must be a real number, got {kind}"):
        x.data = value  # type: ignore[assignment]
    assert x.data == 1.0


@given(steps=st.integers(1, 5))
def test_a_plain_gradient_descent_loop_rebuilds_each_step_and_works(steps: int) -> None:
    # micrograd's loop: build, backward, write p.data, build again
    w = Value(0.0, label="w")
    for _ in range(steps):
        loss = (w - 3.0) ** 2
        w.grad = 0.0
        loss.backward()
        w.data -= 0.25 * w.grad
    assert w.data == pytest.approx(3.0 - 3.0 * 0.5**steps)


def test_set_data_writes_many_nodes_as_one_write_that_is_checked_the_same() -> None:
    w = [Value(1.0, label="w1"), Value(2.0, label="w2")]
    y = w[0] * w[1]
    set_data(w, [3.0, np.float64(4.0)])
    assert list(get_data(w)) == [3.0, 4.0] == [v.data for v in w]
    assert all(type(v.data) is float for v in w)
    with pytest.raises(RuntimeError, match="'w1'"):
        y.backward()
    y = w[0] * w[1]
    y.backward()
    assert [v.grad for v in w] == [4.0, 3.0]
    z = w[0] + 1.0
    set_data([z], [0.0])  # an op node written: marked as such
    with pytest.raises(RuntimeError, match=r"made by op 'add'"):
        z.backward()


def test_set_data_refuses_other_counts_and_non_numbers() -> None:
    w = [Value(1.0), Value(2.0)]
    with pytest.raises(ValueError, match="zip"):
        set_data(w, [1.0])
    with pytest.raises(TypeError, match="data must be a real number, got str"):
        set_data(w, [1.0, "2"])  # type: ignore[list-item]
