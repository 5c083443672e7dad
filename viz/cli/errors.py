"""The two errors of the ``deltagrad`` command, by the exit status they end with.

A command raises :class:`UsageError` only while it checks its arguments, before any
work; whatever fails once the work has started is a runtime failure. A signal that
stops it is :class:`Terminated` (or Ctrl-C's KeyboardInterrupt), which
:func:`stopped` reports. Standard library only, and light: ``viz.cli.main`` imports
this before anything else.
"""

from __future__ import annotations

import contextlib
import sys

__all__ = ["PROG", "CommandError", "Terminated", "UsageError", "stopped"]

#: The command's name, which its messages start with.
PROG = "deltagrad"

_SIGINT = 2  # signal.SIGINT everywhere; the signal module is not imported yet


class UsageError(Exception):
    """Arguments that parse but do not make sense, found before any work; exit
    status 2, with the command's usage."""


class CommandError(Exception):
    """The command could not do its work; exit status 1, one line."""


class Terminated(KeyboardInterrupt):
    """The process was sent the signal ``signum`` (SIGTERM or SIGHUP), raised as
    Ctrl-C is so that the same clean-up runs (see ``viz.cli.signals``)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def stopped(stop: KeyboardInterrupt) -> int:
    """Say in one line that ``stop`` (Ctrl-C, or a :class:`Terminated`) ended the
    command; the exit status, 128 + the signal's number as a shell reports it:
    130 for Ctrl-C, 143 for SIGTERM, 129 for SIGHUP."""
    signum = stop.signum if isinstance(stop, Terminated) else _SIGINT
    with contextlib.suppress(OSError):  # after SIGHUP the terminal may be gone
        print(f"{PROG}: {'interrupted' if signum == _SIGINT else 'terminated'}",
              file=sys.stderr)
    return 128 + signum
