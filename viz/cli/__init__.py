"""The ``deltagrad`` command: ``demo``, ``compare``, ``graph`` and ``train``.

Exit status: 0 on success; 1 when the work failed (a check out of tolerance, no
``dot``, no scikit-learn, a file that cannot be read or written, training that
diverged); 2 for a usage error (bad arguments, a refused expression, a graph over
the node limit, sizes that do not fit the data), found before any work, which also
prints the usage. A user error never shows a traceback.

The package, by job; ``deltagrad --help`` loads the first six (not the modules of
``commands``), so no numpy, matplotlib or graphviz:

* ``core``: ``main()``, which maps what a command raised to the exit status;
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
"""

from __future__ import annotations

from viz.cli.core import main
from viz.cli.errors import CommandError, UsageError
from viz.cli.parser import build_parser

__all__ = ["CommandError", "UsageError", "build_parser", "main"]
