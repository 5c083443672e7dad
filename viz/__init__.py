"""deltagrad's pictures: computation graphs, networks and training, and the CLI.

>>> from viz import draw_graph, render_svg
>>> draw_graph(loss)               # a graphviz.Digraph (shows as SVG in Jupyter)
>>> render_svg(loss, "loss.svg")   # the SVG file, through the `dot` program

The command line is ``deltagrad`` (``viz.cli``): demo, compare, graph, train.

The plotting and network-diagram names load matplotlib and nn on first use (PEP 562
``__getattr__``), so ``import viz`` and ``deltagrad --help`` stay quick.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from viz.errors import (
    DotFailedError,
    DotNotFoundError,
    DotTimeoutError,
    ExpressionError,
    GraphTooLargeError,
    VizError,
)
from viz.expr import evaluate, parse_bindings
from viz.graph import count_nodes, draw_graph, render_svg
from viz.labels import display_text, parse_label, typeset
from viz.render import run_dot

if TYPE_CHECKING:
    from nn.files import write_atomic
    from viz.network import draw_network, draw_network_arrays, render_network
    from viz.plots import plot_decision_boundary, plot_history, plot_loss

__all__ = [
    "DotFailedError",
    "DotNotFoundError",
    "DotTimeoutError",
    "ExpressionError",
    "GraphTooLargeError",
    "VizError",
    "count_nodes",
    "display_text",
    "draw_graph",
    "draw_network",
    "draw_network_arrays",
    "evaluate",
    "parse_bindings",
    "parse_label",
    "plot_decision_boundary",
    "plot_history",
    "plot_loss",
    "render_network",
    "render_svg",
    "run_dot",
    "typeset",
    "write_atomic",
]

_LAZY = {
    "draw_network": "viz.network",
    "draw_network_arrays": "viz.network",
    "render_network": "viz.network",
    "plot_decision_boundary": "viz.plots",
    "plot_history": "viz.plots",
    "plot_loss": "viz.plots",
    "write_atomic": "nn.files",
}


def __getattr__(name: str) -> object:
    """Load the plotting, network and file-writing names on first use."""
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'viz' has no attribute {name!r}")
