"""The network diagram of an MLP, drawn as TensorFlow Playground draws one.

One column per layer, one square per neuron a^l_j (the seed's notation written under
it). A link from neuron k of layer l-1 to neuron j of layer l is w^l_jk: blue if
positive, orange if negative, paler the nearer it is to 0 (colour scale clamped at
|w| = 1), and 1 to 10 pixels wide for |w| from 0 to 5, as in Playground. The small
square at the lower left of each neuron of layers 2..L is its bias b^l_j on the same
colour scale. Hovering a link, a neuron or a bias square shows its name and value
(SVG ``<title>``). A legend under the diagram explains the colours and widths.

For a net with 2 inputs each neuron shows, as in Playground, a small heatmap of its
activation a^l_j over the input plane (``viz.plane``: the data's plane, or
Playground's [-6, 6]^2), coloured by the boundary's scale ``palette.diverging_rgb``
of t: t = 2a - 1 for sigmoid (a = 0 orange, 1/2 grey, 1 blue: the decision
boundary's own shading of a sigmoid output), t = a for the other activations
(clamped to [-1, 1]), and t = x_k / max|x_k| over the plane for an input. Each
heatmap is one embedded PNG (about 1 KB), not a rectangle per cell.

The SVG is built by hand (``viz.svg``); no ``dot`` is needed.
"""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from nn import MLP, backprop
from nn.activations import resolve_activation
from nn.arrays import Array, check_arrays, layer_sizes
from nn.notation import activation_label, bias_label, weight_label
from viz.errors import GraphTooLargeError
from viz.labels import label_text
from viz.palette import BLUE, GREY, ORANGE, diverging, diverging_rgb, link_width, to_hex
from viz.picture import Picture
from viz.plane import Plane, plane_of
from viz.render import DEFAULT_MAX_LINKS
from viz.svg import document, num, png_data_uri, sub, to_text

__all__ = [
    "DEFAULT_MAX_LINKS",
    "HEATMAP_RESOLUTION",
    "draw_network",
    "draw_network_arrays",
    "heatmap_scale",
    "render_network",
]

_Arrays = Sequence[npt.ArrayLike]

#: Each neuron's heatmap samples the plane at this many points a side.
HEATMAP_RESOLUTION = 32

_BOX = 38.0  # a neuron's square
_PITCH = _BOX + 24.0  # from one neuron to the next in a column
_COLUMN = _BOX + 130.0  # from one layer to the next
_LEFT, _TOP = 34.0, 48.0
_BIAS = 10.0  # the bias square
_LEGEND = 96.0  # height of the legend
_LINE = "#555555"


def heatmap_scale(a: npt.ArrayLike, activation: str) -> Array:
    """The scale value t in [-1, 1] an activation a of ``activation`` is coloured by:
    2a - 1 for sigmoid (whose a lies in [0, 1]), a itself for the others."""
    values = np.asarray(a, dtype=np.float64)
    if resolve_activation(activation) == "sigmoid":
        return np.asarray(2.0 * values - 1.0)
    return values


def _notation(parent: ET.Element, label: str, x: float, y: float) -> None:
    """``label`` (e.g. ``a[2][1]``) as the seed writes it, a²₁ (``labels.label_text``:
    Unicode scripts, which every renderer raises and lowers), centred at x."""
    text = sub(parent, "text", x=x, y=y, text_anchor="middle", font_size=12,
               font_style="italic")
    text.text = label_text(label)


def _centre(l: int, j: int, n: int, tallest: int) -> tuple[float, float]:  # noqa: E741
    """The centre of neuron j of layer l (n neurons), columns centred vertically."""
    x = _LEFT + (l - 1) * _COLUMN + _BOX / 2
    y = _TOP + (tallest - n) * _PITCH / 2 + (j - 1) * _PITCH + _BOX / 2
    return x, y


def _heatmaps(
    Ws: list[Array], Bs: list[Array], plane: Plane, activation: str,
    output_activation: str | None,
) -> list[Array]:
    """For each layer l = 1..L, the scale values t of its neurons over the plane:
    shape (resolution^2, n_l), by ``backprop.forward`` (vectorized, no graph)."""
    points = plane.points()
    fwd = backprop.forward(Ws, Bs, points, activation, output_activation)
    reach = np.maximum(np.abs(plane.lo), np.abs(plane.hi))
    out = [points / reach]
    for i, a in enumerate(fwd.activations[1:]):
        last = i == len(Ws) - 1
        act = (output_activation or activation) if last else activation
        out.append(heatmap_scale(a, act))
    return out


def _legend(svg: ET.Element, y: float, plane: Plane | None) -> None:
    """The colour scale, the link widths and, with heatmaps, what they show."""
    g = sub(svg, "g", font_size=10, fill="#333333")
    defs = sub(g, "defs")
    gradient = sub(defs, "linearGradient", id="diverging")
    for offset, colour in (("0", ORANGE), ("0.5", GREY), ("1", BLUE)):
        sub(gradient, "stop", offset=offset, stop_color=to_hex(colour))
    x = _LEFT
    sub(g, "rect", x=x, y=y, width=120.0, height=10.0, fill="url(#diverging)",
        stroke=_LINE, stroke_width=0.5)
    for dx, text in ((0.0, "\u22121"), (60.0, "0"), (120.0, "+1")):
        sub(g, "text", text, x=x + dx, y=y + 22, text_anchor="middle")
    coloured = "w, b and the heatmaps' t" if plane is not None else "w and b"
    sub(g, "text", f"orange < 0 < blue: {coloured} (full from |value| = 1 on)",
        x=x + 134, y=y + 9)
    y += 34
    for x0, (w, text) in zip((0.0, 96.0, 170.0),
                             ((0.0, "|w| = 0"), (2.5, "2.5"), (5.0, "5+")),
                             strict=True):
        sub(g, "path", d=f"M{num(_LEFT + x0)} {num(y)}h26",
            stroke=to_hex(diverging(1.0)), stroke_width=link_width(w))
        sub(g, "text", text, x=_LEFT + x0 + 31, y=y + 3.5)
    sub(g, "text", "link width: 1 to 10 px for |w| from 0 to 5", x=_LEFT + 240,
        y=y + 3.5)
    if plane is not None:
        lo, hi = plane.lo, plane.hi
        sub(g, "text",
            "in each neuron: its a over the input plane, x\u2081 from "
            f"{lo[0]:.3g} to {hi[0]:.3g}, x\u2082 from {lo[1]:.3g} to {hi[1]:.3g}",
            x=_LEFT, y=y + 24)
        sub(g, "text",
            "t = 2a \u2212 1 for sigmoid (a = \u00bd grey), a for other activations,"
            " x / max|x| for an input", x=_LEFT, y=y + 38)


def _links(svg: ET.Element, Ws: list[Array], sizes: list[int]) -> None:
    """A curve per weight w^l_jk, coloured by sign and as wide as |w|."""
    tallest = max(sizes)
    edges = sub(svg, "g", id="links", fill="none")
    for i, w in enumerate(Ws):
        l = i + 2  # noqa: E741 - the seed's layer index
        for (j, k), value in np.ndenumerate(w):
            x0, y0 = _centre(l - 1, k + 1, sizes[l - 2], tallest)
            x1, y1 = _centre(l, j + 1, sizes[l - 1], tallest)
            x0, x1 = x0 + _BOX / 2, x1 - _BOX / 2
            mid = (x0 + x1) / 2
            g = sub(edges, "g", class_="edge", id=f"w{l}_{j + 1}_{k + 1}")
            name = label_text(weight_label(l, j + 1, k + 1))
            sub(g, "title", f"{name} = {float(value):.6g}")
            sub(g, "path",
                d=f"M{num(x0)} {num(y0)}C{num(mid)} {num(y0)} {num(mid)} {num(y1)} "
                f"{num(x1)} {num(y1)}",
                stroke=to_hex(diverging(float(value))),
                stroke_width=link_width(float(value)))



def _neurons(
    svg: ET.Element,
    Bs: list[Array],
    sizes: list[int],
    roles: list[str],
    *,
    heat: list[Array] | None,
    plane: Plane | None,
) -> None:
    """A square per neuron (its heatmap with one), its name, its bias square."""
    tallest = max(sizes)
    nodes = sub(svg, "g", id="neurons")
    for l, n in enumerate(sizes, start=1):  # noqa: E741 - the seed's layer index
        for j in range(1, n + 1):
            cx, cy = _centre(l, j, n, tallest)
            x0, y0 = cx - _BOX / 2, cy - _BOX / 2
            g = sub(nodes, "g", class_="node", id=f"l{l}n{j}")
            name = activation_label(l, j)
            if l == 1:
                sub(g, "title", f"{label_text(name)}: input x{j}")
            else:
                b = float(Bs[l - 2][j - 1])
                sub(g, "title",
                    f"{label_text(name)} ({roles[l - 1]}): "
                    f"{label_text(bias_label(l, j))} = {b:.6g}")
            if heat is not None and plane is not None:
                pixels = diverging_rgb(plane.image(heat[l - 1][:, j - 1]))
                sub(g, "image", x=x0, y=y0, width=_BOX, height=_BOX,
                    preserveAspectRatio="none", href=png_data_uri(pixels))
            sub(g, "rect", x=x0, y=y0, width=_BOX, height=_BOX, rx=3.0,
                fill="none" if heat is not None else "#ffffff", stroke=_LINE,
                stroke_width=0.8)
            _notation(g, name, cx, y0 + _BOX + 15)
            if l > 1:
                b = float(Bs[l - 2][j - 1])
                bias = sub(nodes, "g", class_="bias", id=f"b{l}_{j}")
                sub(bias, "title", f"{label_text(bias_label(l, j))} = {b:.6g}")
                sub(bias, "rect", x=x0 - _BIAS / 2, y=y0 + _BOX - _BIAS / 2,
                    width=_BIAS, height=_BIAS, fill=to_hex(diverging(b)), stroke=_LINE,
                    stroke_width=0.8)


def draw_network_arrays(
    weights: _Arrays,
    biases: _Arrays,
    *,
    activation: str = "sigmoid",
    output_activation: str | None = None,
    max_links: int = DEFAULT_MAX_LINKS,
    x: npt.ArrayLike | None = None,
    resolution: int = HEATMAP_RESOLUTION,
) -> Picture:
    """The diagram of the net with ``weights[i]`` = W^l, shape (n_l, n_{l-1}), and
    ``biases[i]`` = b^l, shape (n_l,), for l = i + 2 (as ``MLP.weights()`` gives them).

    With 2 inputs, every neuron shows its heatmap over the plane of the points ``x``
    (m, 2), or Playground's [-6, 6]^2 without them (see the module docstring).

    Raises:
        TypeError: arrays that are not real numbers (``nn.arrays.check_arrays``,
            the check ``MLP.from_arrays`` makes).
        ValueError: shapes that do not chain, or more than ``max_links`` weights
            (``GraphTooLargeError``); ``x`` that is not (m, 2) points of a 2-input net.
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
            reason="every link is an element of the SVG, so the file grows with them",
        )
    sizes = layer_sizes(Ws)
    if x is not None and sizes[0] != 2:
        raise ValueError(
            f"heatmaps over the plane need a net with 2 inputs; this one has "
            f"{sizes[0]} (leave out x)"
        )
    plane = plane_of(x, resolution) if sizes[0] == 2 else None
    heat = _heatmaps(Ws, Bs, plane, activation, output_activation) if plane else None
    roles = ["input"] + [f"hidden, {activation}"] * (len(sizes) - 2)
    roles.append(f"output, {output_activation or activation}")
    tallest = max(sizes)
    width = max(_LEFT * 2 + (len(sizes) - 1) * _COLUMN + _BOX + 40, 560.0)
    height = _TOP + tallest * _PITCH + _LEGEND - (0.0 if plane else 30.0)
    svg = document(width, height)
    sub(svg, "title", f"network diagram of an MLP {list(sizes)}")

    for l, (n, role) in enumerate(zip(sizes, roles, strict=True), start=1):  # noqa: E741
        cx, _ = _centre(l, 1, n, tallest)
        sub(svg, "text", f"layer {l}", x=cx, y=16.0, text_anchor="middle",
            font_size=12)
        sub(svg, "text", f"({role})", x=cx, y=30.0, text_anchor="middle",
            font_size=10, fill="#555555")

    _links(svg, Ws, sizes)
    _neurons(svg, Bs, sizes, roles, heat=heat, plane=plane)
    _legend(svg, _TOP + tallest * _PITCH + 4, plane)
    return Picture(to_text(svg), "network diagram")


def draw_network(
    net: MLP,
    *,
    x: npt.ArrayLike | None = None,
    max_links: int = DEFAULT_MAX_LINKS,
    resolution: int = HEATMAP_RESOLUTION,
) -> Picture:
    """The Playground-style diagram of ``net`` (see the module docstring); ``x``:
    the points whose plane the heatmaps of a 2-input net cover."""
    if not isinstance(net, MLP):
        raise TypeError(f"draw_network needs an nn.MLP, got {type(net).__name__}")
    return draw_network_arrays(
        net.weights(),
        net.biases(),
        activation=net.activation,
        output_activation=net.output_activation,
        max_links=max_links,
        x=x,
        resolution=resolution,
    )


def render_network(
    net: MLP,
    path: str | os.PathLike[str],
    *,
    x: npt.ArrayLike | None = None,
    max_links: int = DEFAULT_MAX_LINKS,
) -> Path:
    """Write :func:`draw_network` of ``net`` to ``path`` (atomically): the same as
    ``draw_network(net, x=x).save(path)``."""
    return draw_network(net, x=x, max_links=max_links).save(path)
