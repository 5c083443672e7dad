"""Constants (``requires_grad=False``): they take no gradient, and nothing else changes.

PyTorch's semantics: a leaf made with ``requires_grad=False``, a number lifted into an
operation (the 2 in ``x * 2``), the result of ``detach()`` and anything made inside
``no_grad()`` are constants. backward() leaves their grad at 0.0 and gives every
other node exactly the gradient it would get if the constants took one too.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine import Value, no_grad, topological_order, weighted_input
from tests.graphs import run_program
from tests.strategies import Step, moderate, programs


@given(program=programs(), data=st.data())
def test_constants_take_no_gradient_and_change_no_other_gradient(
    program: tuple[list[float], list[Step]], data: st.DataObject
) -> None:
    inputs, steps = program
    n = len(inputs)
    constant = data.draw(st.lists(st.booleans(), min_size=n, max_size=n))
    every = [Value(x) for x in inputs]
    run_program(steps, *every).backward()
    mixed = [
        Value(x, requires_grad=not c) for x, c in zip(inputs, constant, strict=True)
    ]
    out = run_program(steps, *mixed)
    if out.requires_grad:  # else it uses no input that requires one: all grads 0
        out.backward()
    for v, reference, c in zip(mixed, every, constant, strict=True):
        assert v.grad == (0.0 if c else reference.grad)


@given(data=st.data(), n=st.integers(1, 6))
def test_a_weighted_input_of_constants_passes_gradients_to_w_and_b_only(
    data: st.DataObject, n: int
) -> None:
    w0 = data.draw(st.lists(moderate, min_size=n, max_size=n))
    a0 = data.draw(st.lists(moderate, min_size=n, max_size=n))
    b0 = data.draw(moderate)
    g = data.draw(moderate)
    w, b = [Value(x) for x in w0], Value(b0)
    a = [Value(x, requires_grad=False) for x in a0]
    z = weighted_input(w, a, b)
    assert z.inputs == (*w, b, *a)  # parameters first, then the activations
    z.backward(g)
    assert [v.grad for v in w] == [x * g for x in a0]  # dC/dw_k = a_k delta (BP4)
    assert b.grad == g  # dC/db = delta (BP3)
    assert [v.grad for v in a] == [0.0] * n


@given(data=st.data(), n=st.integers(1, 6))
def test_one_activation_that_requires_grad_gets_its_gradient_among_constants(
    data: st.DataObject, n: int
) -> None:
    w0 = data.draw(st.lists(moderate, min_size=n, max_size=n))
    k = data.draw(st.integers(0, n - 1))
    w, b = [Value(x) for x in w0], Value(0.5)
    a = [Value(1.0, requires_grad=(i == k)) for i in range(n)]
    weighted_input(w, a, b).backward()
    assert [v.grad for v in a] == [w0[k] if i == k else 0.0 for i in range(n)]


def test_numbers_in_a_weighted_input_become_constant_leaves() -> None:
    w = [Value(2.0), Value(3.0)]
    z = weighted_input(w, [0.5, -1.0], Value(1.0))
    z.backward()
    lifted = z.inputs[3:]
    assert [v.data for v in lifted] == [0.5, -1.0]
    assert not any(v.requires_grad for v in lifted)
    assert [v.grad for v in w] == [0.5, -1.0]


def test_numbers_lifted_into_an_operation_are_constants() -> None:
    x = Value(3.0)
    y = x * 2 + 1
    y.backward()
    constants = [v for v in topological_order(y) if v is not x and not v.inputs]
    assert [v.data for v in constants] == [2.0, 1.0]
    assert all(not v.requires_grad and v.grad == 0.0 for v in constants)
    assert x.grad == 2.0


def test_an_op_of_constants_is_a_recorded_constant_as_in_pytorch() -> None:
    two = Value(1.0, requires_grad=False) + 1
    assert (two.op, two.requires_grad) == ("add", False)
    with pytest.raises(RuntimeError, match="does not require grad"):
        two.backward()
    x = Value(-1.5)
    y = x**two  # pow with a Value exponent, whose partial y ln x is nan here
    y.backward()
    assert (x.grad, two.grad) == (2 * -1.5, 0.0)  # no nan leaks into the constant
    b = Value(0.0, requires_grad=False)
    z = weighted_input([Value(1.0, requires_grad=False)], [two], b)
    assert not z.requires_grad


def test_detach_and_no_grad_make_constants_and_op_nodes_require_grad() -> None:
    x = Value(1.5)
    assert x.requires_grad
    assert (x * x).requires_grad
    assert not x.detach().requires_grad
    with no_grad():
        assert not (x * x).requires_grad


def test_backward_from_a_constant_raises_as_in_pytorch() -> None:
    with pytest.raises(RuntimeError, match="does not require grad"):
        Value(1.0, requires_grad=False).backward()


@pytest.mark.parametrize("bad", [1, 0, None, "yes", 1.0])
def test_requires_grad_must_be_a_bool(bad: object) -> None:
    with pytest.raises(TypeError, match="requires_grad must be a bool"):
        Value(1.0, requires_grad=bad)  # type: ignore[arg-type]


def test_requires_grad_is_fixed_when_a_node_is_made() -> None:
    a = Value(2.0, requires_grad=False)
    with pytest.raises(AttributeError):
        a.requires_grad = True  # type: ignore[misc]
    with pytest.raises(AttributeError):
        (a * 2).requires_grad = False  # type: ignore[misc]
    assert not a.requires_grad


@pytest.mark.parametrize("flag", [np.True_, np.False_])
def test_requires_grad_accepts_numpy_bools_as_bools(flag: np.bool_) -> None:
    v = Value(1.0, requires_grad=flag)  # type: ignore[arg-type]
    assert v.requires_grad is bool(flag)
