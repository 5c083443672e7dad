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

__all__ = ["HANDLED", "received", "signals_raise", "stop_for"]

#: The signals raised as exceptions within :func:`signals_raise`.
HANDLED = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)

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
    interrupt the clean-up the first one started."""
    for other in HANDLED:
        signal.signal(other, signal.SIG_IGN)
    _received.append(signum)
    raise stop_for(signum)


@contextlib.contextmanager
def signals_raise() -> Iterator[None]:
    """Within the block, SIGINT raises KeyboardInterrupt and SIGTERM and SIGHUP
    :class:`~viz.cli.errors.Terminated`; the earlier handlers are restored after
    it. Outside the main thread (where Python allows no handler) the block runs
    unchanged. A signal that was ignored when the block began (``nohup`` ignores
    SIGHUP) stays ignored."""
    _received.clear()
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {signum: signal.getsignal(signum) for signum in HANDLED}
    try:
        for signum, handler in previous.items():
            if handler != signal.SIG_IGN:
                signal.signal(signum, _raise)
        yield
    finally:
        for signum, handler in previous.items():
            if handler is not None:  # None: a handler not set from Python
                signal.signal(signum, handler)
