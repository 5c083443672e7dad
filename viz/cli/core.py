"""``main()``: parse the command line, run the command, map what it raised to the
exit status.

* 0: success.
* 1: the work failed: a check out of tolerance, no ``dot`` or scikit-learn, a file
  that cannot be read or written, training that diverged (``nn``'s
  ``TrainingDivergedError`` is a ValueError); any ``ValueError`` the work raises.
  One line ``deltagrad: error: ...`` (``viz.cli.messages``), no traceback.
* 2: a usage error, and only that: argparse's own, or a
  :class:`~viz.cli.errors.UsageError` from the checks a command makes before any
  work. The command's usage, then the message.
* 130: Ctrl-C, at any point.

Any other exception is a bug, and shows its traceback.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from viz.cli.commands import run
from viz.cli.errors import CommandError, UsageError
from viz.cli.messages import line
from viz.cli.parser import PROG, build_parser
from viz.errors import DotTimeoutError, VizError

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``deltagrad`` with ``argv`` (default: the command line); the exit status.

    ``--help`` and argparse's errors return 0 and 2 rather than raise SystemExit.
    Ctrl-C at any point, importing included, ends with status 130 and one line."""
    try:
        return _main(argv)
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130


def _exit_status(code: object) -> int:
    """The status ``sys.exit(code)`` ends with (argparse gives 0 or 2)."""
    if code is None:
        return 0
    return code if isinstance(code, int) else 1


def _main(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as done:  # --help, or a usage error printed with the usage
        return _exit_status(done.code)
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
    else:
        return status
    print(line("error", message), file=sys.stderr)
    return 1
