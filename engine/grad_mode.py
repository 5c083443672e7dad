"""Whether operations record the graph: ``no_grad()`` switches recording off.

Inside ``no_grad()`` every operation returns a constant leaf ``Value`` (no op, no
inputs, ``requires_grad`` False, as in PyTorch), so evaluation builds no graph and
frees each intermediate at once. This flag is the engine's only global state. Unlike
PyTorch's it is one flag for the process, not one per thread.
"""

from __future__ import annotations

from contextlib import ContextDecorator
from types import TracebackType
from typing import Final

__all__ = ["enable_grad", "is_grad_enabled", "no_grad"]

#: The flag itself, in a list of one so that a module can import it by name and read
#: ``GRAD_ENABLED[0]`` (one global lookup per node made) while ``no_grad`` switches
#: it: True when operations record the graph. Only the classes below write it.
GRAD_ENABLED: Final = [True]


def is_grad_enabled() -> bool:
    """True when operations record the computation graph."""
    return GRAD_ENABLED[0]


class _GradMode(ContextDecorator):
    """Sets whether graphs are recorded inside; restores what it found on the way out.

    Usable as a context manager and as a decorator, nested and re-entered.
    """

    _mode = True

    def __init__(self) -> None:
        self._saved: list[bool] = []

    def __enter__(self) -> None:
        self._saved.append(GRAD_ENABLED[0])
        GRAD_ENABLED[0] = self._mode

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        GRAD_ENABLED[0] = self._saved.pop()


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
