"""The network diagram of an MLP, drawn as TensorFlow Playground draws one.

One column per layer, one node per neuron (a^l_j, in the seed's notation). A link from
neuron k of layer l-1 to neuron j of layer l is w^l_jk: blue if positive, orange if
negative, paler the nearer it is to 0 (colour scale clamped at |w| = 1), and 1 to 10
wide for |w| from 0 to 5, as in Playground. Each neuron of layers 2..L is filled with
the colour of its bias b^l_j on the same scale and shows its value. Hovering a link in
the SVG shows w^l_jk and its value.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Sequence
from pathlib import Path

import graphviz
import numpy as np
import numpy.typing as npt

from nn import MLP
from nn.activations import resolve_activation
from nn.arrays import check_arrays, layer_sizes
from nn.notation import activation_label, bias_label, weight_label
from viz.errors import GraphTooLargeError
from viz.labels import FONT, format_number, typeset
from viz.palette import diverging, link_width, to_hex
from viz.render import DEFAULT_MAX_LINKS, DEFAULT_TIMEOUT, render_source

__all__ = ["DEFAULT_MAX_LINKS", "draw_network", "draw_network_arrays", "render_network"]

_Arrays = Sequence[npt.ArrayLike]


def _text_colour(fill: tuple[float, float, float]) -> str:
    """Black or white, whichever reads better on ``fill``."""
    r, g, b = fill
    return "white" if 0.299 * r + 0.587 * g + 0.114 * b < 140 else "black"


def _neuron(
    g: graphviz.Digraph,
    l: int,  # noqa: E741 - the seed's layer index
    j: int,
    bias: float | None,
) -> str:
    """Add neuron j of layer l (an input when ``bias`` is None); return its id."""
    node = f"l{l}n{j}"
    name = typeset(activation_label(l, j))
    if bias is None:
        g.node(node, f"<{name}>", fillcolor="#f2f2f2")
        return node
    fill = diverging(bias)
    text = (
        f'<TABLE BORDER="0" CELLPADDING="0" CELLSPACING="2"><TR><TD>{name}'
        f'</TD></TR><TR><TD><FONT POINT-SIZE="9">b {format_number(bias)}'
        "</FONT></TD></TR></TABLE>"
    )
    g.node(
        node,
        f"<{text}>",
        fillcolor=to_hex(fill),
        fontcolor=_text_colour(fill),
        tooltip=f"{bias_label(l, j)} = {bias:.6g}",
    )
    return node


def draw_network_arrays(
    weights: _Arrays,
    biases: _Arrays,
    *,
    activation: str = "sigmoid",
    output_activation: str | None = None,
    max_links: int = DEFAULT_MAX_LINKS,
) -> graphviz.Digraph:
    """The diagram of the net with ``weights[i]`` = W^l, shape (n_l, n_{l-1}), and
    ``biases[i]`` = b^l, shape (n_l,), for l = i + 2 (as ``MLP.weights()`` gives them).

    Raises:
        TypeError: arrays that are not real numbers (``nn.arrays.check_arrays``,
            the check ``MLP.from_arrays`` makes).
        ValueError: shapes that do not chain, or more than ``max_links`` weights
            (``GraphTooLargeError``).
    """
    Ws, Bs = check_arrays(weights, biases)
    resolve_activation(activation)
    if output_activation is not None:
        resolve_activation(output_activation, "output_activation")
    links = sum(w.size for w in Ws)
    if links > max_links:
        raise GraphTooLargeError(
            links,
            max_links,
            "network diagram",
            unit="links",
            parameter="max_links",
            instead="a smaller net",
        )
    sizes = layer_sizes(Ws)
    roles = ["input"] + [f"hidden, {activation}"] * (len(sizes) - 2)
    roles.append(f"output, {output_activation or activation}")

    g = graphviz.Digraph(
        "network",
        graph_attr={
            "rankdir": "LR",
            "ranksep": "1.4",
            "nodesep": "0.12",
            "splines": "line",
            "outputorder": "edgesfirst",
            "fontname": FONT,
        },
    )
    g.attr(
        "node",
        shape="box",
        style="rounded,filled",
        fontsize="12",
        penwidth="0.8",
        fontname=FONT,
    )
    g.attr("edge", arrowhead="none")
    columns = enumerate(zip(sizes, roles, strict=True), start=1)
    for l, (n, role) in columns:  # noqa: E741 - the seed's layer index
        title = f"layer{l}"
        g.node(title, f"layer {l}\\n({role})", shape="plaintext", style="",
               fontsize="11")
        column = [title] + [
            _neuron(g, l, j, None if l == 1 else float(Bs[l - 2][j - 1]))
            for j in range(1, n + 1)
        ]
        # One rank per layer: its title first, then the neurons in index order.
        with g.subgraph() as same:
            same.attr(rank="same")
            for upper, lower in itertools.pairwise(column):
                same.edge(upper, lower, style="invis")
    for i, w in enumerate(Ws):
        l = i + 2  # noqa: E741 - the seed's layer index
        for (j, k), value in np.ndenumerate(w):
            g.edge(
                f"l{l - 1}n{k + 1}",
                f"l{l}n{j + 1}",
                color=to_hex(diverging(float(value))),
                penwidth=f"{link_width(float(value)):.2f}",
                tooltip=f"{weight_label(l, j + 1, k + 1)} = {float(value):.6g}",
            )
    return g


def draw_network(net: MLP, *, max_links: int = DEFAULT_MAX_LINKS) -> graphviz.Digraph:
    """The Playground-style diagram of ``net`` (see the module docstring)."""
    if not isinstance(net, MLP):
        raise TypeError(f"draw_network needs an nn.MLP, got {type(net).__name__}")
    return draw_network_arrays(
        net.weights(),
        net.biases(),
        activation=net.activation,
        output_activation=net.output_activation,
        max_links=max_links,
    )


def render_network(
    net: MLP,
    path: str | os.PathLike[str],
    *,
    max_links: int = DEFAULT_MAX_LINKS,
    timeout: float = DEFAULT_TIMEOUT,
) -> Path:
    """Write :func:`draw_network` of ``net`` to ``path`` as SVG (atomically)."""
    return render_source(draw_network(net, max_links=max_links).source, path,
                         timeout=timeout)
