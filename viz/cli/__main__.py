"""``python -m viz.cli``: the ``deltagrad`` command."""

from __future__ import annotations

import sys

from viz.cli import main

__all__: list[str] = []

if __name__ == "__main__":
    sys.exit(main())
