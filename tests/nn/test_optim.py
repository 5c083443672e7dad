"""SGD (with PyTorch's momentum) and Adam: their updates follow the published rules,
they minimize, and bad arguments are named."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine import Value
from nn import SGD, Adam, Optimizer


def BAD(x: object) -> Any:
    """A deliberately ill-typed argument, passed on for the type check to refuse."""
    return x


grads = st.lists(
    st.lists(st.floats(-10, 10), min_size=3, max_size=3), min_size=1, max_size=6
)


def _run(opt: Optimizer, params: list[Value], steps: list[list[float]]) -> list[float]:
    for g in steps:
        for p, gi in zip(params, g, strict=True):
            p.grad = gi
        opt.step()
    return [p.data for p in params]


@given(steps=grads, lr=st.floats(0.001, 1.0), momentum=st.floats(0.0, 0.99))
def test_sgd_follows_pytorchs_momentum_rule(
    steps: list[list[float]], lr: float, momentum: float
) -> None:
    start = [0.5, -1.0, 2.0]
    params = [Value(v) for v in start]
    got = _run(SGD(params, lr, momentum=momentum), params, steps)
    # PyTorch: buf = g on the first step, then buf = mu buf + g; p -= lr buf
    want = list(start)
    buf: list[float] | None = None
    for g in steps:
        buf = (
            list(g)
            if buf is None
            else [momentum * b + gi for b, gi in zip(buf, g, strict=True)]
        )
        want = [p - lr * b for p, b in zip(want, buf, strict=True)]
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)


@given(steps=grads, lr=st.floats(0.001, 0.5))
def test_adam_follows_the_published_rule(steps: list[list[float]], lr: float) -> None:
    start = [0.5, -1.0, 2.0]
    params = [Value(v) for v in start]
    b1, b2, eps = 0.8, 0.99, 1e-6
    got = _run(Adam(params, lr, betas=(b1, b2), eps=eps), params, steps)
    want = list(start)
    m = [0.0] * 3
    v = [0.0] * 3
    for t, g in enumerate(steps, 1):
        for i in range(3):
            m[i] = b1 * m[i] + (1 - b1) * g[i]
            v[i] = b2 * v[i] + (1 - b2) * g[i] ** 2
            m_hat = m[i] / (1 - b1**t)
            v_hat = v[i] / (1 - b2**t)
            want[i] -= lr * m_hat / (math.sqrt(v_hat) + eps)
    np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize(
    "make",
    [
        lambda p: SGD(p, 0.1),
        lambda p: SGD(p, 0.05, momentum=0.9),
        lambda p: Adam(p, 0.1),
    ],
)
def test_optimizers_minimize_a_quadratic(make: object) -> None:
    x = Value(-4.0, "x")
    opt = make([x])  # type: ignore[operator]
    for _ in range(300):
        opt.zero_grad()
        ((x - 3.0) ** 2).backward()
        opt.step()
    assert x.data == pytest.approx(3.0, abs=1e-2)


def test_zero_grad_clears_the_grads_of_its_parameters() -> None:
    params = [Value(1.0), Value(2.0)]
    for p in params:
        p.grad = 5.0
    SGD(params, 0.1).zero_grad()
    assert [p.grad for p in params] == [0.0, 0.0]


def test_update_works_on_arrays_and_checks_their_shape() -> None:
    opt = SGD([Value(0.0), Value(0.0)], 0.5)
    np.testing.assert_array_equal(
        opt.update(np.array([1.0, 2.0]), np.array([2.0, 2.0])), [0.0, 1.0]
    )
    with pytest.raises(ValueError, match=r"shape \(2,\)"):
        opt.update(np.ones(3), np.ones(3))


@pytest.mark.parametrize(
    ("make", "error", "message"),
    [
        (lambda: SGD([Value(1.0)], 0.0), ValueError, "lr must be finite and > 0"),
        (lambda: SGD([Value(1.0)], -1.0), ValueError, "lr"),
        (lambda: SGD([Value(1.0)], float("nan")), ValueError, "lr"),
        (lambda: SGD([Value(1.0)], BAD("0.1")), TypeError, "lr must be a real number"),
        (
            lambda: SGD([Value(1.0)], 0.1, momentum=1.0),
            ValueError,
            r"momentum must be in \[0, 1\)",
        ),
        (lambda: SGD([], 0.1), ValueError, "empty parameter list"),
        (lambda: SGD(BAD([1.0]), 0.1), TypeError, r"params\[0\] must be a Value"),
        (lambda: SGD(BAD(Value(1.0)), 0.1), TypeError, "single Value"),
        (lambda: Adam([Value(1.0)], betas=(0.9, 1.0)), ValueError, r"betas\[1\]"),
        (
            lambda: Adam([Value(1.0)], betas=BAD((0.9,))),
            TypeError,
            "betas must be a pair",
        ),
        (lambda: Adam([Value(1.0)], eps=0.0), ValueError, "eps"),
    ],
)
def test_bad_optimizer_arguments_raise_errors_naming_them(
    make: object, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        make()  # type: ignore[operator]


@pytest.mark.parametrize("make", [lambda p: SGD(p, 0.1), lambda p: Adam(p, 0.1)])
def test_a_parameter_listed_twice_is_refused_naming_it(make: Any) -> None:
    """Before, the repeat was stepped once, silently; PyTorch warns about it."""
    w, b = Value(1.0, "w[2][1][1]"), Value(0.0, "b[2][1]")
    with pytest.raises(
        ValueError, match=r"params\[2\] is params\[0\] again \('w\[2\]\[1\]\[1\]'\)"
    ):
        make([w, b, w])
    x = Value(2.0)
    with pytest.raises(ValueError, match=r"params\[1\] is params\[0\] again \(unl"):
        make([x, x])
    make([Value(1.0, "w"), Value(1.0, "w")])  # equal values and labels: distinct
