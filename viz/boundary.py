"""A 2-D classifier's decision boundary, shaded as TensorFlow Playground shades it,
with the training points filled and the test points ringed.

The plane (``viz.plane``) is a resolution x resolution grid over the data; the
network's outputs on it are coloured by ``boundary_image`` and embedded as one PNG.
One output a in [0, 1] is shaded on Playground's scale t = 2a - 1 (``palette.
diverging_rgb``: orange at a = 0, grey at 0.5, blue at 1), the same scale the
network diagram's neuron heatmaps use. The picture is SVG built by hand
(``viz.svg``): a point is a few bytes, so the demo's 400 points and the heatmap
make about 15 KB, and the same input gives the same bytes.
"""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt
from matplotlib.ticker import MaxNLocator

from viz.palette import BLUE, GREY, ORANGE, TAB10, diverging_rgb, to_hex
from viz.picture import Picture
from viz.plane import Plane, plane_of
from viz.svg import document, num, png_data_uri, sub, to_text

__all__ = ["CLASS_COLOURS", "boundary_image", "plot_decision_boundary"]

Array = npt.NDArray[np.float64]

#: Class colours: Playground's orange (class 0) and blue (class 1), then tab10's.
CLASS_COLOURS = (to_hex(ORANGE), to_hex(BLUE), *TAB10[2:])

_SIDE = 280.0  # the plot's square, pixels
_LEFT, _TOP, _BOTTOM = 44.0, 30.0, 42.0
_LEGEND = 118.0  # width of the legend column on the right
_DOT = 5.5  # diameter of a point
_EDGE = "#333333"  # the outline of every point


def class_colours(k: int) -> list[str]:
    """The colours of classes 0..k-1."""
    return [CLASS_COLOURS[i % len(CLASS_COLOURS)] for i in range(k)]


def boundary_image(scores: Array) -> npt.NDArray[np.uint8]:
    """The colours of a grid of network outputs, shape (rows, cols, k) -> RGB uint8.

    One output a in [0, 1] (two classes) is shaded as Playground does:
    ``diverging_rgb(2a - 1)``, from orange (a = 0, class 0) through grey (0.5) to
    blue (a = 1, class 1). With k outputs each point takes the colour of its largest
    output, paler the smaller that output is.
    """
    s = np.nan_to_num(np.asarray(scores, dtype=np.float64), nan=0.5)
    if s.ndim != 3 or s.shape[2] < 1:
        raise ValueError(f"scores must have shape (rows, cols, k), got {s.shape}")
    if s.shape[2] == 1:
        return diverging_rgb(2.0 * s[..., 0] - 1.0)
    k = s.shape[2]
    grey = np.array(GREY, dtype=np.float64)
    palette = np.array(
        [[int(c[i : i + 2], 16) for i in (1, 3, 5)] for c in class_colours(k)], float
    )
    best = np.argmax(s, axis=2)
    strength = np.clip(np.max(s, axis=2), 0.0, 1.0)[..., None]
    rgb = grey + (palette[best] - grey) * (0.15 + 0.7 * strength)
    return np.asarray(np.clip(np.round(rgb), 0, 255), dtype=np.uint8)


def _points(x: npt.ArrayLike, labels: npt.ArrayLike, what: str
            ) -> tuple[Array, npt.NDArray[np.int64]]:
    pts = np.asarray(x, dtype=np.float64)
    lab = np.asarray(labels)
    if pts.ndim != 2 or pts.shape[1] != 2:
        raise ValueError(
            f"a decision boundary needs 2-D inputs, shape (m, 2); got {what} of "
            f"shape {pts.shape}"
        )
    if lab.shape != (pts.shape[0],):
        raise ValueError(
            f"{what} labels must have shape ({pts.shape[0]},), got {lab.shape}"
        )
    if lab.size and not np.issubdtype(lab.dtype, np.integer):
        raise TypeError(f"{what} labels must be ints, got dtype {lab.dtype}")
    if lab.size and lab.min() < 0:
        raise ValueError(f"{what} labels must be class indices >= 0")
    return pts, lab.astype(np.int64)


class _Frame:
    """Data coordinates to the plot's pixels (x_2 upwards)."""

    def __init__(self, plane: Plane) -> None:
        self.plane = plane

    def x(self, v: npt.ArrayLike) -> Array:
        lo, hi = self.plane.lo[0], self.plane.hi[0]
        return np.asarray(_LEFT + (np.asarray(v) - lo) / (hi - lo) * _SIDE)

    def y(self, v: npt.ArrayLike) -> Array:
        lo, hi = self.plane.lo[1], self.plane.hi[1]
        return np.asarray(_TOP + (hi - np.asarray(v)) / (hi - lo) * _SIDE)


def _tick_text(v: float) -> str:
    return f"{v:g}".replace("-", "\u2212")


def _axes(svg: ET.Element, frame: _Frame) -> None:
    """The frame, ticks and their numbers, and the axis names x₁, x₂."""
    plane = frame.plane
    sub(svg, "rect", x=_LEFT, y=_TOP, width=_SIDE, height=_SIDE, fill="none",
        stroke="#333333", stroke_width=0.8)
    ticks = sub(svg, "g", font_size=10, fill="#333333")
    for axis in (0, 1):
        lo, hi = plane.lo[axis], plane.hi[axis]
        values = MaxNLocator(nbins=6, steps=[1, 2, 2.5, 5, 10]).tick_values(lo, hi)
        for v in (float(t) for t in values if lo <= t <= hi):
            if axis == 0:
                px = float(frame.x(v))
                sub(ticks, "path", d=f"M{num(px)} {num(_TOP + _SIDE)}v4",
                    stroke="#333333", stroke_width=0.8)
                sub(ticks, "text", _tick_text(v), x=px, y=_TOP + _SIDE + 15,
                    text_anchor="middle")
            else:
                py = float(frame.y(v))
                sub(ticks, "path", d=f"M{num(_LEFT)} {num(py)}h-4", stroke="#333333",
                    stroke_width=0.8)
                sub(ticks, "text", _tick_text(v), x=_LEFT - 6, y=py + 3.5,
                    text_anchor="end")
    sub(ticks, "text", "x\u2081", x=_LEFT + _SIDE / 2, y=_TOP + _SIDE + 32,
        text_anchor="middle", font_size=11)
    sub(ticks, "text", "x\u2082", x=12.0, y=_TOP + _SIDE / 2, text_anchor="middle",
        font_size=11)


def _twice(parent: ET.Element, d: str, colour: str, width: float, *, name: str,
           cap: str) -> None:
    """The path ``d`` (``id`` ``name``) stroked dark and ``width`` + 1.4 wide, then
    in ``colour`` and ``width`` wide: visible on every shade of the heatmap."""
    sub(sub(parent, "defs"), "path", id=name, d=d)
    g = sub(parent, "g", fill="none", stroke_linecap=cap)
    sub(g, "use", href=f"#{name}", stroke=_EDGE, stroke_width=width + 1.4)
    sub(g, "use", href=f"#{name}", stroke=colour, stroke_width=width)


def _discs(parent: ET.Element, xs: Array, ys: Array, colour: str, name: str) -> None:
    """Filled points: a round-capped line of length 0 per point, one path."""
    d = "".join(f"M{num(a)} {num(b)}h0" for a, b in zip(xs, ys, strict=True))
    _twice(parent, d, colour, _DOT, name=name, cap="round")


def _rings(parent: ET.Element, xs: Array, ys: Array, colour: str, name: str) -> None:
    """Ringed points: a circle outline per point (two arcs), one path."""
    r = _DOT / 2 + 0.3
    d = "".join(
        f"M{num(a - r)} {num(b)}a{r} {r} 0 1 0 {2 * r} 0a{r} {r} 0 1 0 {-2 * r} 0"
        for a, b in zip(xs, ys, strict=True)
    )
    _twice(parent, d, colour, 1.5, name=name, cap="butt")


def _legend(svg: ET.Element, entries: list[tuple[str, str, bool]]) -> None:
    """One row per (text, colour, filled) at the right of the plot."""
    x0 = _LEFT + _SIDE + 14
    g = sub(svg, "g", font_size=10, fill="#333333")
    for i, (text, colour, filled) in enumerate(entries):
        y = _TOP + 8 + 16 * i
        if filled:
            _discs(g, np.array([x0 + 4]), np.array([y]), colour, f"legend-{i}")
        else:
            _rings(g, np.array([x0 + 4]), np.array([y]), colour, f"legend-{i}")
        sub(g, "text", text, x=x0 + 14, y=y + 3.5)


def plot_decision_boundary(
    scores: Callable[[Array], Any],
    x: npt.ArrayLike,
    labels: npt.ArrayLike,
    path: str | os.PathLike[str] | None = None,
    *,
    test_x: npt.ArrayLike | None = None,
    test_labels: npt.ArrayLike | None = None,
    resolution: int = 100,
    title: str = "decision boundary",
    n_classes: int | None = None,
) -> Picture:
    """Shade the plane by a 2-D classifier's output and draw the data on top.

    Args:
        scores: maps points (m, 2) to the network's outputs (m, k) or (m,), e.g.
            ``lambda p: nn.outputs(net, p)`` (vectorized: one call for the whole grid).
        x, labels: the training points (m, 2) and their classes 0..k-1, drawn filled.
        path: if given, the picture is also written there (as ``.save(path)``).
        test_x, test_labels: the test points and classes, drawn as rings.
        resolution: the grid is resolution x resolution points (Playground: 100).
        n_classes: number of classes (default: from the scores, at least 2).

    Returns the :class:`~viz.picture.Picture`; the plane covers every point with a
    margin (``viz.plane.plane_of``).
    """
    pts, lab = _points(x, labels, "x")
    if (test_x is None) != (test_labels is None):
        raise ValueError("give test_x and test_labels together, or neither")
    t_pts, t_lab = (
        _points(test_x, test_labels, "test_x")
        if test_x is not None and test_labels is not None
        else (np.zeros((0, 2)), np.zeros(0, np.int64))
    )
    plane = plane_of(np.vstack([pts, t_pts]), resolution)
    out = np.asarray(scores(plane.points()), dtype=np.float64)
    if out.size % (resolution * resolution) != 0:
        raise ValueError(
            f"scores gave {out.size} numbers for {resolution * resolution} points"
        )
    grid = np.asarray(plane.image(out.reshape(resolution**2, -1)), dtype=np.float64)
    image = boundary_image(grid)
    k = n_classes if n_classes is not None else max(2, out.size // resolution**2)
    top = int(max(lab.max(initial=0), t_lab.max(initial=0)))
    colours = class_colours(max(k, top + 1))

    svg = document(_LEFT + _SIDE + _LEGEND, _TOP + _SIDE + _BOTTOM)
    sub(svg, "text", title, x=_LEFT + _SIDE / 2, y=18.0, text_anchor="middle",
        font_size=12)
    sub(svg, "image", x=_LEFT, y=_TOP, width=_SIDE, height=_SIDE,
        preserveAspectRatio="none", href=png_data_uri(image))
    frame = _Frame(plane)
    points = sub(svg, "g")
    entries: list[tuple[str, str, bool]] = []
    for c, colour in enumerate(colours):
        train, test = lab == c, t_lab == c
        if train.any():
            _discs(points, frame.x(pts[train, 0]), frame.y(pts[train, 1]), colour,
                   f"train-{c}")
            entries.append((f"class {c}, train", colour, True))
        if test.any():
            _rings(points, frame.x(t_pts[test, 0]), frame.y(t_pts[test, 1]), colour,
                   f"test-{c}")
            entries.append((f"class {c}, test", colour, False))
    _axes(svg, frame)
    _legend(svg, entries)
    picture = Picture(to_text(svg), "decision boundary")
    if path is not None:
        picture.save(path)
    return picture
