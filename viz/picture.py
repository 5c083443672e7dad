"""The one picture type every drawing function of viz returns.

A :class:`Picture` is SVG text that Jupyter shows inline (``_repr_svg_`` and
``_repr_mimebundle_``, IPython's display protocol) and that ``.save(path)`` writes
through the project's one atomic writer (``nn.files.write_atomic``): the file holds
exactly the bytes ``_repr_svg_`` shows. :class:`DotPicture` is the same for a
graphviz graph: it keeps the DOT ``source`` and runs ``dot`` (bounded in time, see
``viz.render``) only when its SVG is first asked for.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from viz.errors import VizError

if TYPE_CHECKING:
    import graphviz

__all__ = ["SVG_MIME", "DotPicture", "Picture"]

#: The MIME type Jupyter shows SVG by.
SVG_MIME = "image/svg+xml"


class Picture:
    """An SVG picture: ``.svg`` (text), ``.save(path)``, shown inline by Jupyter.

    ``what`` names the picture in its ``repr`` (e.g. "decision boundary").
    """

    def __init__(self, svg: str, what: str = "picture") -> None:
        if not isinstance(svg, str):
            raise TypeError(f"svg must be a str, got {type(svg).__name__}")
        self._svg: str | None = svg
        self.what = what

    @property
    def svg(self) -> str:
        """The SVG document, as text."""
        assert self._svg is not None
        return self._svg

    def _repr_svg_(self) -> str:
        """What Jupyter shows: the SVG text."""
        return self.svg

    def _repr_mimebundle_(
        self,
        include: Iterable[str] | None = None,
        exclude: Iterable[str] | None = None,
    ) -> dict[str, str]:
        """The SVG and a one-line text for Jupyter (IPython's display protocol)."""
        bundle = {SVG_MIME: self.svg, "text/plain": repr(self)}
        if include is not None:
            bundle = {k: v for k, v in bundle.items() if k in set(include)}
        if exclude is not None:
            bundle = {k: v for k, v in bundle.items() if k not in set(exclude)}
        return bundle

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the SVG (UTF-8) to ``path``, whole or not at all; returns ``path``.

        Raises OSError naming ``path`` (see ``nn.files.write_atomic``)."""
        from nn.files import write_atomic  # noqa: PLC0415 - keeps import viz light

        return write_atomic(path, self.svg.encode("utf-8"))

    def __repr__(self) -> str:
        size = "not rendered yet" if self._svg is None else f"{len(self._svg):,} chars"
        return f"<{type(self).__name__} of the {self.what}: SVG, {size}>"


class DotPicture(Picture):
    """A graphviz graph as a :class:`Picture`: ``dot`` runs on first use of the SVG.

    ``.source`` is the DOT text and ``.digraph`` the ``graphviz.Digraph`` (as
    ``draw_graph`` returned before it returned pictures). In Jupyter, a missing or
    failing ``dot`` shows its message as text instead of a traceback.
    """

    def __init__(
        self, digraph: graphviz.Digraph, what: str = "graph", *, timeout: float
    ) -> None:
        self.digraph = digraph
        self.what = what
        self.timeout = timeout
        self._svg = None

    @property
    def source(self) -> str:
        """The DOT text of the graph (needs no ``dot`` program)."""
        return str(self.digraph.source)

    @property
    def svg(self) -> str:
        """The SVG ``dot`` lays out (run once, then kept).

        Raises DotNotFoundError, DotTimeoutError, DotFailedError (``viz.render``)."""
        if self._svg is None:
            from viz.render import run_dot  # noqa: PLC0415

            self._svg = run_dot(self.source, timeout=self.timeout).decode("utf-8")
        return self._svg

    def _repr_svg_(self) -> str | None:  # type: ignore[override]
        try:
            return self.svg
        except VizError:
            return None

    def _repr_mimebundle_(
        self,
        include: Iterable[str] | None = None,
        exclude: Iterable[str] | None = None,
    ) -> dict[str, str]:
        try:
            return super()._repr_mimebundle_(include, exclude)
        except VizError as err:
            return {"text/plain": f"{self!r}\n{err}"}
