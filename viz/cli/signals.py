"""Ctrl-C, SIGTERM and SIGHUP, each as an exception raised where the program is, so
that the same clean-up runs for all three (``dot``'s process group killed and
reaped, a half-written temporary file removed).

SIGINT raises Python's ``KeyboardInterrupt``, SIGTERM and SIGHUP
:class:`~viz.cli.errors.Terminated`, a ``KeyboardInterrupt`` too, so the ``finally``
blocks and the ``except BaseException`` clean-ups of ``viz.render`` and ``nn.files``
treat them alike; ``main`` ends with ``128 + signum``, as a shell reports a process
a signal ended: 130 for SIGINT, 143 for SIGTERM, 129 for SIGHUP. The first signal is
remembered (:func:`received`): a C extension being imported may turn the exception
into an ImportError (numpy does), which is then the signal's doing, not a bug.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from types import FrameType

from viz.cli.errors import Terminated

__all__ = ["AGAIN_AFTER", "HANDLED", "received", "signals_raise", "stop_for"]

#: The signals raised as exceptions within :func:`signals_raise`.
HANDLED = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)

#: Seconds after which the first signal is raised again if the block has not been
#: left by then (its clean-up takes milliseconds).
AGAIN_AFTER = 1.0

_WATCHDOG = signal.SIGALRM  # what ITIMER_REAL sends
_received: list[int] = []


def received() -> int | None:
    """The first of HANDLED that came within the last :func:`signals_raise` block."""
    return _received[0] if _received else None


def stop_for(signum: int) -> KeyboardInterrupt:
    """The exception that stands for ``signum``: KeyboardInterrupt for SIGINT,
    Terminated for the others."""
    return KeyboardInterrupt() if signum == signal.SIGINT else Terminated(signum)


def _raise(signum: int, frame: FrameType | None) -> None:
    """The first signal raises; later ones are ignored, so that they cannot
    interrupt the clean-up the first one started. A watchdog raises it again each
    :data:`AGAIN_AFTER` seconds until the block is left: CPython swallows an
    exception raised inside a weakref callback ("Exception ignored in ..."), as one
    of the import system's can be, and a SIGTERM must not be lost."""
    for other in HANDLED:
        signal.signal(other, signal.SIG_IGN)
    _received.append(signum)
    signal.setitimer(signal.ITIMER_REAL, AGAIN_AFTER)
    raise stop_for(signum)


def _again(signum: int, frame: FrameType | None) -> None:
    """The watchdog: the first signal, raised again (and the watchdog re-armed)."""
    signal.setitimer(signal.ITIMER_REAL, AGAIN_AFTER)
    raise stop_for(_received[0])


@contextlib.contextmanager
def signals_raise() -> Iterator[None]:
    """Within the block, SIGINT raises KeyboardInterrupt and SIGTERM and SIGHUP
    :class:`~viz.cli.errors.Terminated`; the earlier handlers are restored after
    it. Outside the main thread (where Python allows no handler) the block runs
    unchanged. A signal that was ignored when the block began (``nohup`` ignores
    SIGHUP) stays ignored. The block also owns SIGALRM, the watchdog's."""
    _received.clear()
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {signum: signal.getsignal(signum) for signum in (*HANDLED, _WATCHDOG)}
    try:
        signal.signal(_WATCHDOG, _again)
        for signum in HANDLED:
            if previous[signum] != signal.SIG_IGN:
                signal.signal(signum, _raise)
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)  # the watchdog off
        for signum, handler in previous.items():
            if handler is not None:  # None: a handler not set from Python
                signal.signal(signum, handler)
