"""The bodies of ``deltagrad``'s commands, one module per command, each with
``run(args) -> int`` (the exit status); ``run(args)`` here runs ``args.command``.

What the user gave is checked before any work, raising
:class:`~viz.cli.errors.UsageError`: first by ``viz.cli.args.check`` (sizes that do
not fit the data, too many samples or parameters...), before the command's module
loads numpy; then by the command itself where the check needs the library (a refused
expression, a graph over --max-nodes). What goes wrong in the work (training that
diverges, a file that cannot be read, no ``dot``) is raised as it is, and ``main``
reports it as a runtime failure.

The command modules load numpy (and graphviz or matplotlib as they need), so only
the one that runs is imported, once the arguments are parsed: never for ``--help``.
"""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Callable

from viz.cli.args import check

__all__ = ["run"]


def run(args: argparse.Namespace) -> int:
    """Check ``args``, then run the command ``args.command``; its exit status."""
    check(args)
    module = importlib.import_module(f"{__name__}.{args.command}")
    command: Callable[[argparse.Namespace], int] = module.run
    return command(args)
