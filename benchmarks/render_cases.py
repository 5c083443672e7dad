"""Target 6: rendering a 10,000-node computation graph to SVG.

The same ``draw_graph`` picture is laid out twice by ``dot``: with the layout
attributes deltagrad sets for large graphs, and with dot's defaults.
"""

from __future__ import annotations

import time

from benchmarks.engine_cases import training_graph
from benchmarks.report import Row
from engine import topological_order
from viz.graph import FAST_LAYOUT_ATTRS, draw_graph
from viz.render import run_dot

__all__ = ["render_large_graph"]


def _seconds(source: str, timeout: float) -> float:
    start = time.perf_counter()
    run_dot(source, timeout=timeout)
    return time.perf_counter() - start


def render_large_graph(samples: int, timeout: float) -> Row:
    """Render the loss graph of ``samples`` samples (about 250 nodes per sample)."""
    root = training_graph(samples)
    nodes = len(topological_order(root))
    ours = draw_graph(root, max_nodes=10 * nodes)
    default = ours.copy()
    for key in FAST_LAYOUT_ATTRS:
        default.graph_attr.pop(key, None)
    t_ours = _seconds(ours.source, timeout)
    t_default = _seconds(default.source, timeout)
    return Row(
        f"6. SVG of a {nodes:,}-node graph",
        f"{t_ours:.1f} s",
        f"default dot {t_default:.1f} s",
        t_default / t_ours,
        "< 15 s",
        t_ours < 15.0,
    )
