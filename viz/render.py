"""Running ``dot`` under a time limit, and writing files so no partial one is left.

``graphviz.Digraph.pipe``/``render`` take no timeout and, on Ctrl-C, leave the ``dot``
child running. Here ``dot`` is a child process fed the graph's ``.source`` on stdin;
on a timeout, Ctrl-C or any other exception it is killed and reaped before the error
propagates. Output goes to a temporary file in the target folder that is moved over the
target with ``os.replace`` (atomic on POSIX), and removed on any error.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import shutil
import subprocess
from pathlib import Path

from viz.errors import DotFailedError, DotNotFoundError, DotTimeoutError

__all__ = ["DEFAULT_TIMEOUT", "find_dot", "render_source", "run_dot", "write_atomic"]

#: Seconds ``dot`` may run by default (a 5,000-node graph takes a few).
DEFAULT_TIMEOUT = 120.0

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
        )
    except FileNotFoundError as missing:  # removed between which() and exec
        raise DotNotFoundError from missing
    try:
        out, messages = proc.communicate(source.encode("utf-8"), timeout=timeout)
    except subprocess.TimeoutExpired:
        _stop(proc)
        raise DotTimeoutError(
            f"dot did not finish within {timeout:g} s and was stopped; draw a smaller "
            "graph or allow more time"
        ) from None
    except BaseException:  # Ctrl-C included: never leave dot running
        _stop(proc)
        raise
    if proc.returncode != 0:
        lines = messages.decode("utf-8", "replace").strip().splitlines()[:_STDERR_LINES]
        detail = "\n".join(lines) or "no message"
        raise DotFailedError(f"dot failed (exit status {proc.returncode}):\n{detail}")
    return out


def write_atomic(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``path`` all at once: a temporary file in the same folder is
    moved over ``path``, so readers see the old file or the new one, never a part.

    The temporary file is removed on any error (including Ctrl-C). The folder must
    exist. Returns ``path`` as a ``Path``.
    """
    target = Path(path)
    if target.is_dir():
        raise IsADirectoryError(errno.EISDIR, "is a folder, not a file", str(target))
    while True:
        tmp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue
        except OSError as err:  # name the file asked for, not the temporary one
            raise type(err)(err.errno, err.strerror, os.fspath(target)) from None
        break
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, target)
    except BaseException as err:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(err, OSError) and err.filename == os.fspath(tmp):
            raise type(err)(err.errno, err.strerror, os.fspath(target)) from None
        raise
    return target


def render_source(
    source: str,
    path: str | os.PathLike[str],
    *,
    fmt: str = "svg",
    timeout: float = DEFAULT_TIMEOUT,
) -> Path:
    """Render DOT ``source`` with :func:`run_dot`; write it to ``path`` atomically."""
    return write_atomic(path, run_dot(source, fmt=fmt, timeout=timeout))
