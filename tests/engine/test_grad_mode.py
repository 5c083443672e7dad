"""Grad mode: per thread, as in PyTorch, and both decorator spellings."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from engine import Value, enable_grad, is_grad_enabled, no_grad
from engine.grad_mode import ALL_THREADS_RECORD


def _records() -> bool:
    """Whether a node made now, in this thread, records its op."""
    return (Value(1.0) * 2.0).op == "mul"


def test_two_threads_at_once_each_record_in_their_own_mode() -> None:
    # The threads overlap for certain: each takes its mode, then both meet at the
    # barrier, make a node, meet again, and only then leave their modes.
    barrier = threading.Barrier(2, timeout=10)
    seen: dict[str, tuple[bool, bool]] = {}

    def off() -> None:
        with no_grad():
            barrier.wait()
            seen["off"] = (is_grad_enabled(), _records())
            barrier.wait()

    def on() -> None:
        with enable_grad():
            barrier.wait()
            seen["on"] = (is_grad_enabled(), _records())
            barrier.wait()

    threads = [threading.Thread(target=off), threading.Thread(target=on)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=20)
    assert seen == {"off": (False, False), "on": (True, True)}
    assert is_grad_enabled()
    assert ALL_THREADS_RECORD[0]  # every thread has left no_grad again


def test_a_new_thread_records_even_while_this_one_is_inside_no_grad() -> None:
    seen: list[bool] = []
    with no_grad():
        t = threading.Thread(target=lambda: seen.append(_records()))
        t.start()
        t.join(timeout=20)
        assert not _records()
    assert seen == [True]
    assert _records()


def test_many_threads_switching_modes_leave_every_thread_recording() -> None:
    errors: list[str] = []

    def work(k: int) -> None:
        for i in range(200):
            mode = no_grad() if (i + k) % 2 else enable_grad()
            with mode:
                expected = isinstance(mode, enable_grad)
                if _records() is not expected:
                    errors.append(f"thread {k}, step {i}")

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    assert ALL_THREADS_RECORD[0]
    assert _records()


def test_both_decorator_spellings_work_and_keep_name_and_docstring() -> None:
    @no_grad
    def bare(v: Value) -> Value:
        """Double v."""
        return v * 2.0

    @no_grad()
    def called(v: Value) -> Value:
        """Triple v."""
        return v * 3.0

    for f, name, doc in ((bare, "bare", "Double v."), (called, "called", "Triple v.")):
        assert (f.__name__, f.__doc__) == (name, doc)
        assert f(Value(1.0)).op == ""
        assert is_grad_enabled()

    @enable_grad
    def recorded() -> Value:
        """Recorded."""
        return Value(1.0) * 2.0

    with no_grad():
        assert recorded().op == "mul"
        assert not is_grad_enabled()
    assert recorded.__name__ == "recorded"


def test_a_decorated_function_may_recurse_and_run_in_two_threads_at_once() -> None:
    @no_grad
    def depth(n: int) -> int:
        assert not is_grad_enabled()
        return 0 if n == 0 else 1 + depth(n - 1)

    barrier = threading.Barrier(2, timeout=10)
    results: list[int] = []

    def run() -> None:
        barrier.wait()
        results.append(depth(50))

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=20)
    assert results == [50, 50]
    assert is_grad_enabled()


def test_a_mode_is_restored_after_an_exception_in_a_decorated_function() -> None:
    @no_grad
    def fails() -> None:
        raise ValueError("inside")

    with pytest.raises(ValueError, match="inside"):
        fails()
    assert is_grad_enabled()


@pytest.mark.parametrize(("bad", "kind"), [(1, "int"), ("f", "str"), (True, "bool")])
def test_decorating_something_not_callable_is_refused(bad: Any, kind: str) -> None:
    with pytest.raises(TypeError, match=f"function it decorates; got {kind}"):
        no_grad(bad)
    with pytest.raises(TypeError, match=r"enable_grad\(\) takes no argument"):
        enable_grad(bad)
