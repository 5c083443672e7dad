"""Whether operations record the graph: ``no_grad()`` switches recording off.

Inside ``no_grad()`` every operation returns a constant leaf ``Value`` (no op, no
inputs, ``requires_grad`` False, as in PyTorch), so evaluation builds no graph and
frees each intermediate at once (``forward_mode``, the pass of ``engine.jvp``, is
no_grad with tangents). As in PyTorch the mode belongs to a thread:
``no_grad()`` in one thread leaves every other thread recording, and a new thread
starts out recording. Both are context managers and decorators, with or without
parentheses (``@no_grad`` and ``@no_grad()``); a decorated function keeps its name and
docstring, and each call gets a context of its own, so it may run in several threads
at once or recursively.

Cost: a node made asks one flag shared by all threads, ``ALL_THREADS_RECORD[0]``,
True while no thread is inside ``no_grad()``; only while some thread is does it read
its own thread's mode, a ``threading.local`` attribute (about 60 ns in CPython 3.11,
against about 7 ns for the shared flag). The shared flag is off exactly while a count
of threads whose mode is off is above 0; it may stay off for longer (a thread that
ends inside ``no_grad()``), which only costs speed, never a wrong mode.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import Any, ClassVar, Final, TypeVar, cast, overload

__all__ = ["enable_grad", "forward_mode", "is_grad_enabled", "no_grad"]

F = TypeVar("F", bound=Callable[..., Any])
M = TypeVar("M", bound="_GradMode")


class _ThreadMode(threading.local):
    """Each thread's own mode; a thread's first read finds the class default True.

    ``tangents`` is the token of the forward-mode pass (``engine.forward.jvp``) this
    thread is in, None outside one (see ``forward_mode``).
    """

    enabled: bool = True
    tangents: object | None = None


#: This thread's mode: ``THREAD_MODE.enabled`` is True when operations record.
THREAD_MODE: Final = _ThreadMode()

#: True while every thread records (no thread is inside ``no_grad()``), in a list of
#: one so that a module can import it by name and read ``ALL_THREADS_RECORD[0]``
#: (one global lookup per node made). Only ``_set_mode`` writes it.
ALL_THREADS_RECORD: Final = [True]

#: How many threads are in a forward-mode pass, in a list of one (read by a node
#: made while recording is off, before it asks its thread's ``tangents``); guarded
#: by ``_LOCK``, written only by ``forward_mode``.
FORWARD_THREADS: Final = [0]

#: How many threads have their mode off, guarded by ``_LOCK``.
_THREADS_OFF: Final = [0]
_LOCK: Final = threading.Lock()


def is_grad_enabled() -> bool:
    """True when operations record the computation graph in this thread."""
    return THREAD_MODE.enabled


def _set_mode(enabled: bool) -> None:
    """Set this thread's mode, and the shared flag from the count of threads off.

    Each thread's mode goes on and off in turn, so the count never falls below the
    number of threads that are off: the shared flag is never True while one is.
    """
    if THREAD_MODE.enabled is enabled:
        return
    with _LOCK:
        THREAD_MODE.enabled = enabled
        _THREADS_OFF[0] += -1 if enabled else 1
        ALL_THREADS_RECORD[0] = _THREADS_OFF[0] == 0


class _GradMode:
    """Sets whether graphs are recorded inside; restores what it found on the way out.

    Usable as a context manager and as a decorator (``@mode`` or ``@mode()``), nested
    and re-entered.
    """

    _mode: ClassVar[bool] = True

    _saved: list[bool]

    @overload
    def __new__(cls: type[M], func: None = None) -> M: ...

    @overload
    def __new__(cls, func: F) -> F: ...  # type: ignore[misc]

    def __new__(cls, func: Callable[..., Any] | None = None) -> Any:
        self = super().__new__(cls)
        self._saved = []  # the modes found on entry, for nested re-entry
        if func is None:
            return self
        if not callable(func):
            raise TypeError(
                f"{cls.__name__}() takes no argument, or the function it decorates; "
                f"got {type(func).__name__}"
            )
        return self(func)  # @no_grad without parentheses

    def __enter__(self) -> None:
        self._saved.append(THREAD_MODE.enabled)
        _set_mode(self._mode)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        _set_mode(self._saved.pop())

    def __call__(self, func: F) -> F:
        """``func`` run inside this mode, each call in a context of its own."""
        mode = type(self)

        @functools.wraps(func)
        def run_in_mode(*args: Any, **kwargs: Any) -> Any:
            with mode():
                return func(*args, **kwargs)

        return cast(F, run_in_mode)


class no_grad(_GradMode):  # noqa: N801 - PyTorch's name
    """No graph is recorded inside (in this thread).

    >>> with no_grad():
    ...     y = x * 2          # y is a constant leaf: y.backward() raises
    >>> @no_grad               # or @no_grad()
    ... def evaluate(net, xs): ...
    """

    _mode = False


class enable_grad(_GradMode):  # noqa: N801 - PyTorch's name
    """Graphs are recorded inside (in this thread), even within ``no_grad()``."""

    _mode = True


@contextmanager
def forward_mode(token: object) -> Iterator[None]:
    """Forward mode in this thread: no graph is recorded (as in ``no_grad()``), and
    every node made carries a tangent when one of its inputs does (a node carrying
    one is marked with ``token``; see ``engine.tangents``).

    One pass at a time per thread: a forward-mode pass inside another raises
    RuntimeError (tangents of tangents are not supported).
    """
    if THREAD_MODE.tangents is not None:
        raise RuntimeError(
            "jvp: a forward-mode pass inside another (jvp within jvp's function) is "
            "not supported; use engine.grad(..., create_graph=True) for higher "
            "derivatives"
        )
    with _LOCK:
        FORWARD_THREADS[0] += 1
    THREAD_MODE.tangents = token
    try:
        with no_grad():
            yield
    finally:
        THREAD_MODE.tangents = None
        with _LOCK:
            FORWARD_THREADS[0] -= 1
