"""The two errors of the ``deltagrad`` command, by the exit status they end with.

A command raises :class:`UsageError` only while it checks its arguments, before any
work; whatever fails once the work has started is a runtime failure.
"""

from __future__ import annotations

__all__ = ["CommandError", "UsageError"]


class UsageError(Exception):
    """Arguments that parse but do not make sense, found before any work; exit
    status 2, with the command's usage."""


class CommandError(Exception):
    """The command could not do its work; exit status 1, one line."""
