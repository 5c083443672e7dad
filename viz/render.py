"""Running ``dot`` under a time limit, and writing its output whole or not at all.

``graphviz.Digraph.pipe``/``render`` take no timeout and, on Ctrl-C, leave the ``dot``
child running. Here ``dot`` is a child process fed the graph's ``.source`` on stdin;
on a timeout, Ctrl-C or any other exception it is killed and reaped before the error
propagates. It runs in a session of its own, so the terminal's Ctrl-C reaches only
Python: dot's own SIGINT handler would write the layout so far and exit 0. The output
is written by ``nn.files.write_atomic`` (whole or not at all).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from pathlib import Path

from viz.errors import DotFailedError, DotNotFoundError, DotTimeoutError
from viz.names import RANKDIRS

__all__ = [
    "DEFAULT_MAX_LINKS",
    "DEFAULT_MAX_NODES",
    "DEFAULT_TIMEOUT",
    "RANKDIRS",
    "find_dot", "render_source", "run_dot"]

#: Seconds ``dot`` may run by default (5,000-node MLP cost graphs take it 1-12 s).
DEFAULT_TIMEOUT = 120.0

#: The default limit on picture nodes (Values, ops and leaf copies). MLP cost graphs
#: of 5,000 nodes take dot 1-12 s (dot 2.43, 2 cores); other shapes may take longer,
#: which the timeout bounds. Here too so that the command line needs no graphviz.
DEFAULT_MAX_NODES = 5000

#: The most links (weights) a network diagram may have; dot slows down beyond it.
DEFAULT_MAX_LINKS = 5000

_STDERR_LINES = 8


def find_dot() -> str:
    """The path of the ``dot`` program; :class:`DotNotFoundError` if it is missing."""
    exe = shutil.which("dot")
    if exe is None:
        raise DotNotFoundError
    return exe


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """Kill ``proc`` if it still runs and reap it, so no ``dot`` is left behind."""
    if proc.poll() is None:
        proc.kill()
    with contextlib.suppress(Exception):
        proc.communicate(timeout=10)


def run_dot(
    source: str, *, fmt: str = "svg", timeout: float = DEFAULT_TIMEOUT
) -> bytes:
    """Lay out the DOT ``source`` with ``dot -T<fmt>`` and return its output.

    Raises:
        DotNotFoundError: ``dot`` is not installed (the message says how to install).
        DotTimeoutError: ``dot`` ran more than ``timeout`` seconds; it was killed.
        DotFailedError: ``dot`` exited with an error; its message is included.
    """
    exe = find_dot()
    try:
        proc = subprocess.Popen(
            [exe, f"-T{fmt}"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,  # Ctrl-C goes to Python, which stops dot
        )
    except FileNotFoundError as missing:  # removed between which() and exec
        raise DotNotFoundError from missing
    try:
        out, messages = proc.communicate(source.encode("utf-8"), timeout=timeout)
    except subprocess.TimeoutExpired:
        _stop(proc)
        raise DotTimeoutError(
            f"dot did not finish within {timeout:g} s and was stopped; draw a smaller "
            "graph, or allow more time (timeout=SECONDS)"
        ) from None
    except BaseException:  # Ctrl-C included: never leave dot running
        _stop(proc)
        raise
    if proc.returncode != 0:
        lines = messages.decode("utf-8", "replace").strip().splitlines()[:_STDERR_LINES]
        detail = "\n".join(lines) or "no message"
        raise DotFailedError(f"dot failed (exit status {proc.returncode}):\n{detail}")
    return out


def render_source(
    source: str,
    path: str | os.PathLike[str],
    *,
    fmt: str = "svg",
    timeout: float = DEFAULT_TIMEOUT,
) -> Path:
    """Render DOT ``source`` with :func:`run_dot`; write it to ``path`` atomically."""
    from nn.files import write_atomic  # noqa: PLC0415 - keeps ``import viz`` light

    return write_atomic(path, run_dot(source, fmt=fmt, timeout=timeout))
