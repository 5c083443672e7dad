"""deltagrad's pictures: computation graphs, networks and training, and the CLI.

>>> from viz import draw_graph, render_svg
>>> draw_graph(loss)               # a DotPicture: shows as SVG in Jupyter
>>> draw_graph(loss).save("loss.svg")  # the SVG file, through the `dot` program

Every drawing function returns a ``viz.Picture`` (``.svg``, ``.save(path)``, shown
inline by Jupyter): ``draw_graph``, ``draw_network``, ``plot_history``, ``plot_loss``
and ``plot_decision_boundary``.

The command line is ``deltagrad`` (``viz.cli``): demo, compare, graph, train.

Every name below loads its module on first use (PEP 562 ``__getattr__``), so
``import viz`` and ``deltagrad --help`` load neither numpy, graphviz nor matplotlib.
"""

from __future__ import annotations

import importlib
import runpy
from pathlib import Path
from typing import TYPE_CHECKING

# Stop at once if another project's engine or nn (a learner's nn.py) comes first.
_SHADOWING = Path(__file__).resolve().parent.parent / "engine" / "shadowing.py"
runpy.run_path(str(_SHADOWING), run_name="engine.shadowing")["check_packages"](
    "engine", "nn"
)

if TYPE_CHECKING:
    from nn.files import write_atomic
    from viz.boundary import plot_decision_boundary
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
    from viz.network import draw_network, draw_network_arrays, render_network
    from viz.picture import DotPicture, Picture
    from viz.plots import plot_history, plot_loss
    from viz.render import run_dot

__all__ = [
    "DotFailedError",
    "DotNotFoundError",
    "DotPicture",
    "DotTimeoutError",
    "ExpressionError",
    "GraphTooLargeError",
    "Picture",
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

#: Where each name of ``__all__`` lives.
_HOMES = {
    "DotFailedError": "viz.errors",
    "DotNotFoundError": "viz.errors",
    "DotTimeoutError": "viz.errors",
    "ExpressionError": "viz.errors",
    "GraphTooLargeError": "viz.errors",
    "VizError": "viz.errors",
    "evaluate": "viz.expr",
    "parse_bindings": "viz.expr",
    "count_nodes": "viz.graph",
    "draw_graph": "viz.graph",
    "render_svg": "viz.graph",
    "display_text": "viz.labels",
    "parse_label": "viz.labels",
    "typeset": "viz.labels",
    "draw_network": "viz.network",
    "draw_network_arrays": "viz.network",
    "render_network": "viz.network",
    "plot_decision_boundary": "viz.boundary",
    "DotPicture": "viz.picture",
    "Picture": "viz.picture",
    "plot_history": "viz.plots",
    "plot_loss": "viz.plots",
    "run_dot": "viz.render",
    "write_atomic": "nn.files",
}


def __getattr__(name: str) -> object:
    """Load a name of ``__all__`` from its module on first use."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'viz' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
