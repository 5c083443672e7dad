"""Threads: backward() and zero_grad() from many threads at once on graphs that share
nodes, with the interpreter switching threads every microsecond.

A fault-injection suite: ``sys.setswitchinterval(1e-6)`` makes CPython offer a
thread switch after almost every bytecode, so a read-modify-write of a grad that is
not atomic loses updates within a few calls. The expected numbers are counted by
hand: in ``h = w * 2`` and ``o = (h + 1) * 1`` each ``o.backward()`` adds
do/dh = 1 to ``h.grad`` and do/dw = 2 to ``w.grad``.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator

import pytest

from engine import Value
from engine.walk import GRAD_LOCK
from nn import MLP, SGD

THREADS = 8
CALLS = 150  # backward() calls per thread
ROUNDS = 10  # each race is run this often: a lost update shows in one, near certainly


@pytest.fixture(autouse=True)
def switch_often() -> Iterator[None]:
    """Offer a thread switch every microsecond (CPython's default is 5 ms)."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        yield
    finally:
        sys.setswitchinterval(before)


def _run(work: Callable[[int], None], n: int = THREADS) -> None:
    """``work(k)`` in n threads started together; re-raise the first error."""
    start = threading.Barrier(n, timeout=30)
    errors: list[BaseException] = []

    def body(k: int) -> None:
        try:
            start.wait()
            work(k)
        except BaseException as exc:  # handed to the test
            errors.append(exc)

    threads = [threading.Thread(target=body, args=(k,)) for k in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a thread hung"
    if errors:
        raise errors[0]


def test_backward_in_many_threads_through_a_shared_interior_node_adds_every_call() -> (
    None
):
    """Before the fix w.grad came out 580-5,200 instead of 2,400: one call's
    carried grad of h was written over by another's."""
    for _ in range(ROUNDS):
        w = Value(1.0, "w")
        h = w * 2  # an interior node every thread's outputs use

        def work(k: int, h: Value = h) -> None:
            for _ in range(CALLS):
                ((h + 1.0) * 1.0).backward()

        _run(work)
        assert h.grad == THREADS * CALLS
        assert w.grad == 2 * THREADS * CALLS


def test_backward_of_outputs_built_before_in_many_threads_adds_every_call() -> None:
    """The same with each thread's outputs built first, then walked one by one."""
    for _ in range(ROUNDS):
        w = Value(1.0, "w")
        h = w * 2

        def work(k: int, h: Value = h) -> None:
            outputs = [h * 3.0 - 1.0 for _ in range(CALLS)]
            for o in outputs:
                o.backward()

        _run(work)
        assert h.grad == 3 * THREADS * CALLS
        assert w.grad == 6 * THREADS * CALLS


def test_backward_with_create_graph_in_many_threads_adds_every_call() -> None:
    """backward(create_graph=True) sums in a table of its own, then adds its data to
    the grads under the lock. The threads share a chain c_i = c_{i-1} * 1 of 40
    nodes from c_0 = w, so each call adds 1 to 41 grads. (CPython 3.11 never
    switches threads inside one ``x.grad += d``, so this guards the property, e.g.
    against shared bookkeeping in that path; the lock there is for interpreters
    without that guarantee, such as free-threaded builds.)"""
    calls = CALLS // 5
    for _ in range(ROUNDS):
        chain = [Value(1.0, "w")]
        for _ in range(40):
            chain.append(chain[-1] * 1.0)

        def work(k: int, top: Value = chain[-1]) -> None:
            for _ in range(calls):
                ((top + 1.0) * 1.0).backward(create_graph=True)

        _run(work)
        assert [c.grad for c in chain] == [THREADS * calls] * len(chain)


def _sum_of_uses(w: Value, uses: int) -> Value:
    """w * 1 + w * 1 + ... (``uses`` times): backward adds 1 to w.grad ``uses``
    separate times."""
    total = w * 1.0
    for _ in range(uses - 1):
        total = total + w * 1.0
    return total


USES = 32
ZERO_CALLS = 40  # calls per thread of the zero_grad races (each builds a graph)


@pytest.mark.parametrize("zero", ["value", "module", "optimizer"])
def test_zero_grad_during_backward_in_other_threads_clears_whole_calls(
    zero: str,
) -> None:
    """A zero_grad lands between two backward() calls, never inside one: each call
    adds 1 to w.grad USES times, so w.grad stays a multiple of USES. (Before the fix
    a zero inside a walk left a remainder.)"""
    for _ in range(ROUNDS):
        net = MLP([1, 1], seed=0)
        w = net.parameters()[0]
        root = _sum_of_uses(w, USES)
        opt = SGD([w], lr=0.1)
        zero_grad = {"value": root.zero_grad, "module": net.zero_grad,
                     "optimizer": opt.zero_grad}[zero]

        def work(
            k: int, w: Value = w, zero_grad: Callable[[], None] = zero_grad
        ) -> None:
            for _ in range(ZERO_CALLS):
                if k % 2 == 0:
                    zero_grad()
                else:
                    _sum_of_uses(w, USES).backward()

        _run(work)
        assert w.grad % USES == 0
        assert 0 <= w.grad <= USES * THREADS // 2 * ZERO_CALLS


def test_zero_grad_of_a_shared_graph_during_backward_keeps_its_grads_consistent() -> (
    None
):
    """``root.zero_grad()`` clears h and w together, and each backward() adds 1 to
    h.grad and 2 to w.grad: w.grad == 2 h.grad whenever no call is running."""
    for _ in range(ROUNDS):
        w = Value(1.0, "w")
        h = w * 2
        root = h * 1.0

        def work(k: int, h: Value = h, root: Value = root) -> None:
            for _ in range(CALLS):
                if k % 2 == 0:
                    root.zero_grad()
                else:
                    ((h + 1.0) * 1.0).backward()

        _run(work)
        assert w.grad == 2 * h.grad
        assert h.grad == int(h.grad)


def test_zero_grad_waits_for_a_walk_in_another_thread() -> None:
    """Module.zero_grad and Optimizer.zero_grad take the lock backward() holds."""
    net = MLP([1, 1], seed=0)
    opt = SGD(net.parameters(), lr=0.1)
    for p in net.parameters():
        p.grad = 1.0
    done = threading.Event()

    def clear() -> None:
        net.zero_grad()
        opt.zero_grad()
        done.set()

    with GRAD_LOCK:  # as if a walk were running
        t = threading.Thread(target=clear)
        t.start()
        assert not done.wait(0.05)
        assert [p.grad for p in net.parameters()] == [1.0, 1.0]
    t.join(timeout=10)
    assert done.is_set()
    assert [p.grad for p in net.parameters()] == [0.0, 0.0]
