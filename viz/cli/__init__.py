"""The ``deltagrad`` command: ``demo``, ``compare``, ``graph`` and ``train``.

Exit status: 0 on success; 1 when the work failed (a check out of tolerance, no
``dot``, no scikit-learn, a file that cannot be read or written, training that
diverged, memory exhausted); 2 for a usage error (bad arguments, a refused
expression, a graph over the node limit, sizes that do not fit the data), found
before any work, which also prints the usage; 130, 143 and 129 for Ctrl-C, SIGTERM
and SIGHUP. A user error never shows a traceback.

The package, by job; ``deltagrad --help`` loads the first six (not the modules of
``commands``), so no numpy, matplotlib or graphviz:

* ``core``: ``main()``, which maps what a command raised to the exit status;
* ``signals``: SIGTERM and SIGHUP raised as Ctrl-C is, for the same clean-up;
* ``errors``: ``UsageError`` (exit 2) and ``CommandError`` (exit 1);
* ``messages``: the one-line ``deltagrad: error: ...`` and ``deltagrad: warning:
  ...``, and training's warnings shown so;
* ``parser``: ``build_parser()``, one function per command;
* ``args``: the argument types, their bounds, the checks made before any work;
* ``commands``: ``run(args)``; the commands' bodies are its modules, one per
  command, of which only the one that runs is imported;
* ``demo``: ``run_demo(DemoSettings(...))``, the demo;
* ``pictures``: the pictures of a training run, for ``demo`` and ``train``;
* ``sample``: one sample's cost C of a net, whose graph ``demo`` and ``graph`` draw.

``main`` (the console script's entry point) is defined here and imports ``core``
inside its handling of Ctrl-C; the other names load their modules on first use
(PEP 562): a Ctrl-C while ``deltagrad`` starts is handled as any other.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

    from viz.cli.errors import CommandError, UsageError
    from viz.cli.parser import build_parser

__all__ = ["CommandError", "UsageError", "build_parser", "main"]

_HOMES = {
    "CommandError": "viz.cli.errors",
    "UsageError": "viz.cli.errors",
    "build_parser": "viz.cli.parser",
}


def main(argv: Sequence[str] | None = None) -> int:
    """``deltagrad``'s entry point: :func:`viz.cli.core.main`, imported here, inside
    the handling of Ctrl-C, so that a Ctrl-C while it loads ends as one at any other
    moment does: one line and status 130."""
    try:
        from viz.cli import core  # noqa: PLC0415 - see the docstring

        return core.main(argv)
    except KeyboardInterrupt as stop:  # before core.main's own handling of it
        from viz.cli.errors import stopped  # noqa: PLC0415 - as little as can be

        return stopped(stop)


def __getattr__(name: str) -> object:
    """The names above, each imported from its module on first use."""
    import importlib  # noqa: PLC0415 - only for these names

    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(_HOMES[name]), name)
