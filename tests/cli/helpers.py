"""What the ``deltagrad`` tests share: the result of one in-process run, the type of
the ``deltagrad`` fixture, and running the command as a user does (a subprocess)."""

from __future__ import annotations

import argparse
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

__all__ = ["Result", "Run", "deltagrad_process", "no_traceback", "subcommands"]


@dataclass(frozen=True)
class Result:
    """What one run of ``main`` returned and printed."""

    status: int
    out: str
    err: str


class Run(Protocol):
    """The ``deltagrad`` fixture: ``main(args)`` in this process."""

    def __call__(self, *args: str) -> Result: ...


def deltagrad_process(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m viz.cli ARGS`` in ``cwd``; never raises on a bad status."""
    return subprocess.run(
        [sys.executable, "-m", "viz.cli", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    """Nothing a subprocess printed is a traceback."""
    assert "Traceback" not in result.stderr
    assert "Traceback" not in result.stdout


def subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    """The parsers of ``parser``'s commands, by name."""
    (action,) = (
        a for a in parser._actions if isinstance(a, argparse._SubParsersAction)
    )
    return dict(action.choices)
