"""Target 6: rendering a 10,000-node computation graph to SVG.

The same ``draw_graph`` picture is laid out twice by ``dot``: with the layout
attributes deltagrad sets for large graphs, and with dot's defaults.
"""

from __future__ import annotations

import math
import time

from benchmarks.engine_cases import training_graph
from benchmarks.report import Row
from viz.errors import DotTimeoutError
from viz.graph import LAYOUT_TIERS, count_nodes, draw_graph
from viz.render import run_dot

__all__ = ["render_large_graph"]


def _seconds(source: str, timeout: float) -> float:
    """Seconds dot takes for ``source``; inf when it is stopped at ``timeout``."""
    start = time.perf_counter()
    try:
        run_dot(source, timeout=timeout)
    except DotTimeoutError:
        return math.inf
    return time.perf_counter() - start


def render_large_graph(samples: int, timeout: float) -> Row:
    """Render the cost graph of ``samples`` samples (about 1,330 picture nodes each):
    8 samples make 10,650 nodes, Values and ops together, as ``draw_graph`` counts."""
    root = training_graph(samples)
    nodes = count_nodes(root)
    ours = draw_graph(root, max_nodes=nodes).digraph
    default = ours.copy()
    for _, attrs in LAYOUT_TIERS:
        for key in attrs:
            default.graph_attr.pop(key, None)
    t_ours = _seconds(ours.source, timeout)
    t_default = _seconds(default.source, timeout)
    if math.isinf(t_default):
        reference = f"default dot > {timeout:.0f} s (stopped)"
        ratio = timeout / t_ours
    else:
        reference = f"default dot {t_default:.1f} s"
        ratio = t_default / t_ours
    return Row(
        f"6. SVG of a {nodes:,}-node graph",
        f"{t_ours:.1f} s",
        reference,
        ratio,
        "< 15 s",
        t_ours < 15.0,
    )
