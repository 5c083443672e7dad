"""Whether operations record the graph: ``no_grad()`` switches recording off.

Inside ``no_grad()`` every operation returns a constant leaf ``Value`` (no op, no
inputs, ``requires_grad`` False, as in PyTorch), so evaluation builds no graph and
frees each intermediate at once. This flag is the engine's only global state. Unlike
PyTorch's it is one flag for the process, not one per thread.
"""

from __future__ import annotations

from contextlib import ContextDecorator
from types import TracebackType

__all__ = ["enable_grad", "is_grad_enabled", "no_grad"]

_enabled = [True]


def is_grad_enabled() -> bool:
    """True when operations record the computation graph."""
    return _enabled[0]


class _GradMode(ContextDecorator):
    """Sets whether graphs are recorded inside; restores what it found on the way out.

    Usable as a context manager and as a decorator, nested and re-entered.
    """

    _mode = True

    def __init__(self) -> None:
        self._saved: list[bool] = []

    def __enter__(self) -> None:
        self._saved.append(_enabled[0])
        _enabled[0] = self._mode

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        _enabled[0] = self._saved.pop()


class no_grad(_GradMode):  # noqa: N801 - PyTorch's name
    """No graph is recorded inside.

    >>> with no_grad():
    ...     y = x * 2          # y is a constant leaf: y.backward() raises
    >>> @no_grad()
    ... def evaluate(net, xs): ...
    """

    _mode = False


class enable_grad(_GradMode):  # noqa: N801 - PyTorch's name
    """Graphs are recorded inside, even within ``no_grad()``."""

    _mode = True
