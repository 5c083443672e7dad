"""Running ``dot`` bounded in time and size, and writing its output whole or not at
all.

``graphviz.Digraph.pipe``/``render`` take no timeout and, on Ctrl-C, leave the ``dot``
child running. Here ``dot`` is a child process fed the graph's ``.source`` on stdin:

* it runs in a session (and process group) of its own, so the terminal's Ctrl-C
  reaches only Python: dot's own SIGINT handler would write the layout so far and
  exit 0;
* on a timeout, Ctrl-C, SIGTERM/SIGHUP (which ``deltagrad`` turns into exceptions) or
  any other exception, and also when it has finished, its whole process group is
  killed, so no child that dot started is left behind, and dot is reaped; those
  signals are held back while dot starts, so none comes between its start and the
  moment it can be killed;
* its output and its messages go to anonymous temporary files (nothing is left on
  disk, whatever happens), each limited to :data:`MAX_DOT_OUTPUT` bytes by dot's
  ``RLIMIT_FSIZE``: a dot that floods is stopped by the kernel and takes no memory;
* of its messages, at most :data:`_MESSAGE_LINES` lines of at most
  :data:`_MESSAGE_WIDTH` characters are shown;
* what :func:`render_source` writes (by ``nn.files.write_atomic``, whole or not at
  all) must look like an SVG document: an empty or garbage output is an error.
"""

from __future__ import annotations

import contextlib
import functools
import os
import resource
import shutil
import signal
import subprocess
import tempfile
import threading
from pathlib import Path
from subprocess import Popen
from typing import IO

from viz.errors import DotFailedError, DotNotFoundError, DotTimeoutError
from viz.names import RANKDIRS

__all__ = [
    "DEFAULT_MAX_LINKS",
    "DEFAULT_MAX_NODES",
    "DEFAULT_TIMEOUT",
    "MAX_DOT_OUTPUT",
    "RANKDIRS",
    "check_svg", "find_dot", "render_source", "run_dot"]

#: Seconds ``dot`` may run by default (5,000-node MLP cost graphs take it 1-12 s).
DEFAULT_TIMEOUT = 120.0

#: The default limit on picture nodes (Values, ops and leaf copies). MLP cost graphs
#: of 5,000 nodes take dot 1-12 s (dot 2.43, 2 cores); other shapes may take longer,
#: which the timeout bounds. Here too so that the command line needs no graphviz.
DEFAULT_MAX_NODES = 5000

#: The most links (weights) a network diagram may have; dot slows down beyond it.
DEFAULT_MAX_LINKS = 5000

#: The most bytes dot may write to its output, and to its messages: more is an
#: error (dot is stopped by the kernel). The largest pictures deltagrad allows, 5,000
#: nodes or links, take dot a few MB.
MAX_DOT_OUTPUT = 64 * 2**20

#: The signals that stop a program, held back while dot starts (see _Held).
_STOPPING = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)

_MESSAGE_LINES = 8  # of dot's messages shown, at most
_MESSAGE_WIDTH = 300  # characters of each line shown, at most
_MESSAGE_BYTES = 64 * 2**10  # of dot's messages read, at most


def find_dot() -> str:
    """The path of the ``dot`` program; :class:`DotNotFoundError` if it is missing."""
    exe = shutil.which("dot")
    if exe is None:
        raise DotNotFoundError
    return exe


def _output_limit() -> tuple[int, int]:
    """dot's RLIMIT_FSIZE: MAX_DOT_OUTPUT bytes (or this process's own lower hard
    limit), the hard limit unchanged."""
    _, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    soft = MAX_DOT_OUTPUT if hard == resource.RLIM_INFINITY else min(
        MAX_DOT_OUTPUT, hard
    )
    return soft, hard


def _spawn_limited(
    args: list[str], out: IO[bytes], err: IO[bytes]
) -> Popen[bytes]:
    """Start dot in a session of its own, writing to ``out`` and ``err``, the files
    it writes limited to :func:`_output_limit`.

    On Linux the limit is set by ``prlimit`` just after the start: dot writes
    nothing before it has read its input, which is sent after that, and the child is
    started without a ``preexec_fn`` (a fork of the whole process costs some 10 ms
    more). Elsewhere ``preexec_fn`` runs setrlimit itself, between fork and exec:
    no Python code that could need a lock another thread holds."""
    limit = _output_limit()
    prlimit = getattr(resource, "prlimit", None)
    setup = (
        None if prlimit is not None
        else functools.partial(resource.setrlimit, resource.RLIMIT_FSIZE, limit)
    )
    proc = subprocess.Popen(
        args,
        stdin=subprocess.PIPE,
        stdout=out,
        stderr=err,
        start_new_session=True,  # Ctrl-C goes to Python, which stops dot
        preexec_fn=setup,  # noqa: PLW1509 - see the docstring
    )
    if prlimit is not None:
        try:
            prlimit(proc.pid, resource.RLIMIT_FSIZE, limit)
        except ProcessLookupError:  # it has ended already: nothing to limit
            pass
        except BaseException:
            _kill_group(proc)
            raise
    return proc


class _Held:
    """The signals of _STOPPING whose Python handler raises (Ctrl-C's, and
    SIGTERM's and SIGHUP's under ``deltagrad``), held back from now until
    :meth:`release`: recorded, then sent again once the handlers are back.

    Python runs those handlers in the main thread only, so elsewhere there is
    nothing to hold back (and no handler may be set)."""

    def __init__(self) -> None:
        self.pending: list[int] = []
        self.previous: dict[int, object] = {}
        if threading.current_thread() is not threading.main_thread():
            return
        for signum in _STOPPING:
            handler = signal.getsignal(signum)
            if callable(handler):
                self.previous[signum] = handler
                signal.signal(signum, self._hold)

    def _hold(self, signum: int, frame: object) -> None:
        self.pending.append(signum)

    def release(self) -> None:
        """The handlers back; each signal held back sent again, to be raised now."""
        for signum, handler in self.previous.items():
            signal.signal(signum, handler)  # type: ignore[arg-type]
        self.previous.clear()
        for signum in dict.fromkeys(self.pending):
            signal.raise_signal(signum)


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    """Kill dot's whole process group (dot and any child it started) and reap dot.

    dot leads its group (``start_new_session``), so the group's id is its pid; once
    dot is reaped the id stays taken while any member of the group lives."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=10)  # SIGKILL'd: only a process stuck in the kernel waits


def _messages(err: IO[bytes]) -> str:
    """The first lines of what dot wrote to stderr, each cut to a readable width."""
    err.seek(0)
    text = err.read(_MESSAGE_BYTES).decode("utf-8", "replace").strip()
    lines = text.splitlines()
    shown = [
        line if len(line) <= _MESSAGE_WIDTH else line[:_MESSAGE_WIDTH] + " [...]"
        for line in lines[:_MESSAGE_LINES]
    ]
    if len(lines) > _MESSAGE_LINES:
        shown.append(f"[... {len(lines) - _MESSAGE_LINES} more lines]")
    return "\n".join(shown) or "no message"


def _size(f: IO[bytes]) -> int:
    return os.fstat(f.fileno()).st_size


def run_dot(
    source: str, *, fmt: str = "svg", timeout: float = DEFAULT_TIMEOUT
) -> bytes:
    """Lay out the DOT ``source`` with ``dot -T<fmt>`` and return its output.

    Raises:
        DotNotFoundError: ``dot`` is not installed (the message says how to install).
        DotTimeoutError: ``dot`` ran more than ``timeout`` seconds; it was killed.
        DotFailedError: ``dot`` exited with an error (its first message lines are
            included), or wrote ``MAX_DOT_OUTPUT`` bytes or more.
    """
    exe = find_dot()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        # Held back while dot starts: one raised inside Popen, once dot runs but
        # before ``proc`` is ours to kill, would leave dot running.
        held = _Held()
        try:
            proc = _spawn_limited([exe, f"-T{fmt}"], out, err)
        except FileNotFoundError as missing:  # removed between which() and exec
            held.release()
            raise DotNotFoundError from missing
        except BaseException:
            held.release()
            raise
        try:
            held.release()  # one held back is raised here
            proc.communicate(source.encode("utf-8"), timeout=timeout)
        except subprocess.TimeoutExpired:
            raise DotTimeoutError(
                f"dot did not finish within {timeout:g} s and was stopped; draw a "
                "smaller graph, or allow more time (timeout=SECONDS)"
            ) from None
        finally:  # done, timed out or interrupted: no dot nor child of it is left
            _kill_group(proc)
        for f in (out, err):
            if _size(f) >= MAX_DOT_OUTPUT:
                what = "output" if f is out else "messages"
                raise DotFailedError(
                    f"dot's {what} reached {MAX_DOT_OUTPUT // 2**20} MiB, the most "
                    "allowed, and dot was stopped"
                )
        if proc.returncode != 0:
            raise DotFailedError(
                f"dot failed (exit status {proc.returncode}):\n{_messages(err)}"
            )
        out.seek(0)
        return out.read()


def check_svg(data: bytes) -> None:
    """``data`` looks like an SVG document: it starts with ``<?xml``, a
    ``<!DOCTYPE svg`` or ``<svg`` (after white space) and ends with ``</svg>``.

    Raises:
        DotFailedError: it does not (an empty or garbage output of dot)."""
    head = data[:256].lstrip(b"\xef\xbb\xbf \t\r\n")
    starts = head.startswith((b"<?xml", b"<!DOCTYPE svg", b"<svg"))
    if not (starts and data.rstrip().endswith(b"</svg>")):
        shown = repr(data[:40]) + ("..." if len(data) > 40 else "")
        raise DotFailedError(
            f"dot exited without error but its output is not an SVG document "
            f"({len(data):,} bytes: {shown}); nothing was written"
        )


def render_source(
    source: str,
    path: str | os.PathLike[str],
    *,
    fmt: str = "svg",
    timeout: float = DEFAULT_TIMEOUT,
) -> Path:
    """Render DOT ``source`` with :func:`run_dot`; write it to ``path`` atomically,
    an SVG output only if :func:`check_svg` accepts it."""
    from nn.files import write_atomic  # noqa: PLC0415 - keeps ``import viz`` light

    data = run_dot(source, fmt=fmt, timeout=timeout)
    if fmt == "svg":
        check_svg(data)
    return write_atomic(path, data)
