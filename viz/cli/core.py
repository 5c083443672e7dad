"""``main()``: parse the command line, run the command, map what it raised to the
exit status.

* 0: success.
* 1: the work failed: a check out of tolerance, no ``dot`` or scikit-learn, a file
  that cannot be read or written, training that diverged (``nn``'s
  ``TrainingDivergedError`` is a ValueError), memory exhausted; any ``ValueError``
  the work raises. One line ``deltagrad: error: ...`` (``viz.cli.messages``), no
  traceback.
* 2: a usage error, and only that: argparse's own, or a
  :class:`~viz.cli.errors.UsageError` from the checks a command makes before any
  work. The command's usage, then the message.
* 130, 143, 129: Ctrl-C (SIGINT), SIGTERM, SIGHUP, at any point: one line, ``dot``
  and temporary files cleaned up (``viz.cli.signals``).

Any other exception is a bug, and shows its traceback.

The parser and the commands are imported inside ``main``'s handling of Ctrl-C, and
this module itself inside that of ``viz.cli.main`` (the console script's entry
point), so a Ctrl-C while ``deltagrad`` starts is one line too.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from viz.cli.errors import stopped
from viz.cli.signals import received, signals_raise, stop_for

if TYPE_CHECKING:
    import argparse

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``deltagrad`` with ``argv`` (default: the command line); the exit status.

    ``--help`` and argparse's errors return 0 and 2 rather than raise SystemExit.
    Ctrl-C, SIGTERM or SIGHUP at any point end with status 128 + the signal's
    number and one line."""
    try:
        with signals_raise():
            return _main(argv)
    except KeyboardInterrupt as stop:  # Terminated included
        return stopped(stop)
    except ImportError:
        signum = received()  # numpy turns a Ctrl-C while it loads into this
        if signum is None:
            raise
        return stopped(stop_for(signum))


def _exit_status(code: object) -> int:
    """The status ``sys.exit(code)`` ends with (argparse gives 0 or 2)."""
    if code is None:
        return 0
    return code if isinstance(code, int) else 1


def _main(argv: Sequence[str] | None) -> int:
    from viz.cli.parser import build_parser  # noqa: PLC0415 - see the docstring

    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as done:  # --help, or a usage error printed with the usage
        return _exit_status(done.code)
    return _run(args)


def _run(args: argparse.Namespace) -> int:
    """Run the parsed command; its status, or what it raised as one error line."""
    from viz.cli.commands import run  # noqa: PLC0415 - see the docstring
    from viz.cli.errors import CommandError, UsageError  # noqa: PLC0415
    from viz.cli.messages import line  # noqa: PLC0415
    from viz.errors import DotTimeoutError, VizError  # noqa: PLC0415

    command = args.command_parser
    try:  # imports the command's module, which loads numpy (never for --help)
        status = run(args)
    except UsageError as err:
        command.print_usage(sys.stderr)
        print(f"{command.prog}: error: {err}", file=sys.stderr)
        return 2
    except DotTimeoutError as err:
        message = f"{err} On the command line: --timeout SECONDS."
    except UnicodeDecodeError as err:
        message = f"cannot read the file: it is not UTF-8 text ({err.reason})"
    except (CommandError, VizError, ValueError) as err:
        message = str(err)
    except OSError as err:
        where = f"{err.filename}: " if err.filename else ""
        message = f"{where}{err.strerror or err}"
    except MemoryError:
        message = (
            "out of memory: give smaller sizes, fewer samples or a smaller batch"
        )
    else:
        return status
    print(line("error", message), file=sys.stderr)
    return 1
