"""The exceptions viz raises, so callers (and the CLI) can tell user errors apart.

Every error here carries a message meant for a person: what went wrong and what to do.
"""

from __future__ import annotations

__all__ = [
    "DotFailedError",
    "DotNotFoundError",
    "DotTimeoutError",
    "ExpressionError",
    "GraphTooLargeError",
    "VizError",
]

#: The command that installs the ``dot`` program on Debian and Ubuntu.
INSTALL_DOT = "sudo apt-get install graphviz"


class VizError(Exception):
    """Base class of every error viz raises on purpose."""


class GraphTooLargeError(VizError, ValueError):
    """The picture has more nodes (or links) than the limit; raised before ``dot``
    ever runs."""

    def __init__(
        self,
        nodes: int,
        limit: int,
        what: str = "graph",
        *,
        at_least: bool = False,
        unit: str = "nodes",
        parameter: str = "max_nodes",
        instead: str = (
            "one sample's loss rather than a batch's, a smaller net or a shorter "
            "expression"
        ),
        reason: str = (
            "dot's time grows faster than the picture (about as N^2.5 for MLP cost "
            "graphs), so a bigger one could take minutes"
        ),
    ) -> None:
        self.nodes = nodes
        self.limit = limit
        has = "would have at least" if at_least else "has"
        super().__init__(
            f"the {what} {has} {nodes:,} {unit}, more than {parameter}={limit:,}: "
            f"{reason}. Draw a smaller picture instead ({instead}), or raise "
            f"{parameter} if you really want {nodes:,}."
        )


class DotNotFoundError(VizError, RuntimeError):
    """The graphviz ``dot`` program is not installed (or not on PATH)."""

    def __init__(self) -> None:
        super().__init__(
            "the graphviz 'dot' program was not found on PATH; it renders the "
            f"pictures. Install it with:  {INSTALL_DOT}"
        )


class DotFailedError(VizError, RuntimeError):
    """``dot`` ran but exited with an error."""


class DotTimeoutError(VizError, RuntimeError):
    """``dot`` ran longer than the time allowed and was stopped."""


class ExpressionError(VizError, ValueError):
    """An expression for ``deltagrad graph`` was refused; it was never evaluated."""
