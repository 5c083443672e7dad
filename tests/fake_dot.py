"""Fake ``dot`` programs for the fault-injection tests, and what they leave behind.

A fake ``dot`` is a shell script in a folder of its own put first on PATH (``viz``
finds ``dot`` through PATH). One that records its pid and its child's in a file lets
a test check, through ``/proc``, that neither is left running."""

from __future__ import annotations

import os
import re
import shutil
import signal
import stat
import time
from pathlib import Path

__all__ = [
    "FORKS_AND_HANGS",
    "TEMPORARY",
    "alive",
    "fake_dot",
    "kill_all",
    "leftovers",
    "none_alive",
    "path_with",
    "real_dot",
    "recorded_pids",
    "wait_for",
]

#: The temporary file of ``nn.files.write_atomic``: ".dg", 8 hex digits, ".tmp".
TEMPORARY = re.compile(r"\.dg[0-9a-f]{8}\.tmp")

#: A dot that starts a child of its own (which inherits dot's stdout and stderr),
#: records both pids and waits for it.
FORKS_AND_HANGS = """\
cat > /dev/null
sleep 60 &
echo "$$ $!" > $PIDS
wait
"""

#: How long a test waits for a fake dot to start, at most (a guard, not a timing).
PATIENCE = 60.0


def fake_dot(folder: Path, body: str) -> Path:
    """A folder holding an executable ``dot`` shell script with ``body``; $PIDS in
    ``body`` is the file ``folder/pids``."""
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / "dot"
    script.write_text(
        "#!/bin/sh\n" + body.replace("$PIDS", str(folder / "pids")) + "\n"
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return folder


def path_with(folder: Path) -> str:
    """PATH with ``folder`` first."""
    return f"{folder}{os.pathsep}{os.environ.get('PATH', '')}"


def real_dot() -> str:
    """The real ``dot``."""
    exe = shutil.which("dot")
    assert exe is not None, "graphviz's dot is needed"
    return exe


def wait_for(path: Path) -> str:
    """The contents of ``path`` once a line has been written to it."""
    deadline = time.monotonic() + PATIENCE
    while time.monotonic() < deadline:
        if path.exists() and path.read_text().endswith("\n"):
            return path.read_text()
        time.sleep(0.01)
    raise AssertionError(f"{path} was not written within {PATIENCE:g} s")


def recorded_pids(folder: Path) -> list[int]:
    """The pids a fake dot wrote to ``folder/pids`` (none if it never ran)."""
    pids = folder / "pids"
    return [int(p) for p in pids.read_text().split()] if pids.exists() else []


def alive(pid: int) -> bool:
    """Whether ``pid`` runs: it exists and is not a zombie (a zombie has ended and
    waits only for its parent, which may be PID 1, to collect its status)."""
    try:
        status = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return status.rsplit(")", 1)[1].split()[0] != "Z"


def none_alive(pids: list[int]) -> bool:
    """Whether every one of ``pids`` has ended, within a few seconds: a SIGKILL is
    delivered when the process next runs, a moment after ``kill`` returns."""
    deadline = time.monotonic() + 5.0
    while any(alive(pid) for pid in pids):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def kill_all(pids: list[int]) -> None:
    """Kill what a test left running (only when it failed), so it leaves no orphan."""
    for pid in pids:
        if alive(pid):
            os.kill(pid, signal.SIGKILL)


def leftovers(folder: Path) -> list[str]:
    """The temporary files of ``write_atomic`` left in ``folder``."""
    return sorted(p.name for p in folder.iterdir() if TEMPORARY.fullmatch(p.name))
