"""The one-line messages of ``deltagrad`` on stderr: ``deltagrad: error: ...`` and
``deltagrad: warning: ...``, and training's warnings shown in that form.

Plain Python (``core`` uses it, so ``--help`` loads it): ``nn.health`` is imported
only when a command trains.
"""

from __future__ import annotations

import sys
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

from viz.cli.parser import PROG

__all__ = ["TrainingWarnings", "line", "say", "training_warnings"]


def line(kind: str, message: str) -> str:
    """``deltagrad: KIND: MESSAGE``, the form of every message (kind "error" or
    "warning")."""
    return f"{PROG}: {kind}: {message}"


def say(kind: str, message: str) -> None:
    """Print ``line(kind, message)`` on stderr, above a progress bar if one runs."""
    from tqdm import tqdm  # noqa: PLC0415 - only a command that trains shows a bar

    tqdm.write(line(kind, message), file=sys.stderr)


class TrainingWarnings:
    """What ``training_warnings()`` caught: ``diverged`` is True once a
    ``DivergenceWarning`` was shown."""

    def __init__(self) -> None:
        self.diverged = False


@contextmanager
def training_warnings() -> Iterator[TrainingWarnings]:
    """Inside, each ``nn.TrainingWarning`` is printed at once as one line
    ``deltagrad: warning: ...`` (no file, line number or source), every time it is
    raised; other warnings are shown as Python shows them."""
    from nn.health import DivergenceWarning, TrainingWarning  # noqa: PLC0415

    caught = TrainingWarnings()
    with warnings.catch_warnings():
        shown = warnings.showwarning
        warnings.simplefilter("always", TrainingWarning)

        def show(  # noqa: PLR0917 - warnings.showwarning's signature
            message: Warning | str,
            category: type[Warning],
            filename: str,
            lineno: int,
            file: TextIO | None = None,
            line: str | None = None,
        ) -> None:
            if not issubclass(category, TrainingWarning):
                shown(message, category, filename, lineno, file, line)
                return
            caught.diverged = caught.diverged or issubclass(
                category, DivergenceWarning
            )
            say("warning", str(message))

        warnings.showwarning = show
        yield caught
