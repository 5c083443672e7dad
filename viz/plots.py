"""Pictures of training with matplotlib, written as SVG: the loss (and accuracy) curves
and a 2-D classifier's decision boundary as TensorFlow Playground shades it.

The figures are made with matplotlib's object API and its SVG canvas (no pyplot, no GUI
backend, no global figure state). The output is deterministic: ids are salted with a
fixed ``svg.hashsalt`` and no date is written, so the same input gives the same bytes.
Files are written atomically (see ``nn.files.write_atomic``).
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol

import matplotlib as mpl
import numpy as np
import numpy.typing as npt
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure

from nn.files import write_atomic
from viz.palette import BLUE, GREY, ORANGE, to_hex

__all__ = [
    "CLASS_COLOURS",
    "HistoryLike",
    "boundary_image",
    "plot_decision_boundary",
    "plot_history",
    "plot_loss",
]

Array = npt.NDArray[np.float64]

#: Class colours: Playground's orange (class 0) and blue (class 1), then tab10's.
CLASS_COLOURS = (
    to_hex(ORANGE),
    to_hex(BLUE),
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
)

_RC: dict[Any, Any] = {
    "svg.hashsalt": "deltagrad",  # fixed ids: the same figure gives the same bytes
    "svg.fonttype": "path",  # text as outlines: looks the same without the fonts
    "font.size": 10.0,
}


class HistoryLike(Protocol):
    """What ``plot_history`` reads: ``nn.History`` or anything with these lists."""

    @property
    def loss(self) -> Sequence[float]: ...

    @property
    def accuracy(self) -> Sequence[float]: ...

    @property
    def test_accuracy(self) -> Sequence[float]: ...


def _save(fig: Figure, path: str | os.PathLike[str]) -> Path:
    """Write ``fig`` as SVG to ``path``, deterministically and atomically."""
    buf = io.BytesIO()
    FigureCanvasSVG(fig)  # the figure's canvas: SVG, no GUI backend
    with mpl.rc_context(_RC):
        fig.savefig(buf, format="svg", metadata={"Date": None})
    return write_atomic(path, buf.getvalue())


def _floats(values: Sequence[float] | None, what: str) -> Array:
    arr = np.asarray([] if values is None else values, dtype=np.float64)
    if arr.ndim != 1:
        raise ValueError(f"{what} must be a list of numbers, got shape {arr.shape}")
    return arr


def plot_loss(
    loss: Sequence[float],
    path: str | os.PathLike[str],
    *,
    accuracy: Sequence[float] | None = None,
    test_accuracy: Sequence[float] | None = None,
    title: str = "training",
) -> Path:
    """Plot the per-epoch cost (left) and, if given, accuracy (right) to an SVG file.

    The cost axis is logarithmic when the cost spans more than two decades.
    """
    y = _floats(loss, "loss")
    acc = _floats(accuracy, "accuracy")
    test = _floats(test_accuracy, "test_accuracy")
    if y.size == 0:
        raise ValueError("loss is empty: nothing to plot")
    with mpl.rc_context(_RC):
        panels = 2 if acc.size or test.size else 1
        fig = Figure(figsize=(4.0 * panels + 0.5, 3.2), layout="constrained")
        axes = fig.subplots(1, panels, squeeze=False)[0]
        epochs = np.arange(1, y.size + 1)
        ax = axes[0]
        ax.plot(epochs, y, color=CLASS_COLOURS[1], lw=1.8)
        positive = y[np.isfinite(y) & (y > 0)]
        if positive.size and positive.max() > 100 * positive.min():
            ax.set_yscale("log")
        ax.set(xlabel="epoch", ylabel="cost C (mean per sample)", title="cost")
        ax.grid(alpha=0.3)
        if panels == 2:
            ax2 = axes[1]
            if acc.size:
                ax2.plot(np.arange(1, acc.size + 1), acc, color=CLASS_COLOURS[1],
                         lw=1.8, label="train")
            if test.size:
                ax2.plot(np.arange(1, test.size + 1), test, color=CLASS_COLOURS[0],
                         lw=1.8, ls="--", label="test")
            ax2.set(xlabel="epoch", ylabel="accuracy", title="accuracy",
                    ylim=(-0.02, 1.02))
            ax2.grid(alpha=0.3)
            ax2.legend(loc="lower right")
        fig.suptitle(title)
    return _save(fig, path)


def plot_history(
    history: HistoryLike, path: str | os.PathLike[str], *, title: str = "training"
) -> Path:
    """``plot_loss`` of the lists in ``fit``'s ``History``."""
    return plot_loss(
        history.loss,
        path,
        accuracy=history.accuracy,
        test_accuracy=history.test_accuracy,
        title=title,
    )


def boundary_image(scores: Array) -> npt.NDArray[np.uint8]:
    """The colours of a grid of network outputs, shape (rows, cols, k) -> RGB uint8.

    One output a in [0, 1] (two classes) is shaded as Playground does, from orange
    (a = 0, class 0) through grey (0.5) to blue (a = 1, class 1). With k outputs each
    point takes the colour of its largest output, paler the smaller that output is.
    """
    s = np.nan_to_num(np.asarray(scores, dtype=np.float64), nan=0.5)
    if s.ndim != 3 or s.shape[2] < 1:
        raise ValueError(f"scores must have shape (rows, cols, k), got {s.shape}")
    grey = np.array(GREY, dtype=np.float64)
    if s.shape[2] == 1:
        t = np.clip(2.0 * s[..., 0] - 1.0, -1.0, 1.0)[..., None]
        ends = np.where(t >= 0, np.array(BLUE, float), np.array(ORANGE, float))
        rgb = grey + (ends - grey) * np.abs(t)
    else:
        k = s.shape[2]
        palette = np.array(
            [[int(c[i : i + 2], 16) for i in (1, 3, 5)] for c in _colours(k)], float
        )
        best = np.argmax(s, axis=2)
        strength = np.clip(np.max(s, axis=2), 0.0, 1.0)[..., None]
        rgb = grey + (palette[best] - grey) * (0.15 + 0.7 * strength)
    return np.asarray(np.clip(np.round(rgb), 0, 255), dtype=np.uint8)


def _colours(k: int) -> list[str]:
    return [CLASS_COLOURS[i % len(CLASS_COLOURS)] for i in range(k)]


def plot_decision_boundary(
    scores: Callable[[Array], Any],
    x: npt.ArrayLike,
    labels: npt.ArrayLike,
    path: str | os.PathLike[str],
    *,
    resolution: int = 100,
    title: str = "decision boundary",
    n_classes: int | None = None,
) -> Path:
    """Shade the plane by a 2-D classifier's output and draw the data on top (SVG).

    Args:
        scores: maps points (m, 2) to the network's outputs (m, k) or (m,), e.g.
            ``lambda p: nn.outputs(net, p)`` (vectorized: one call for the whole grid).
        x: the data's inputs, shape (m, 2); the grid covers them with a margin.
        labels: their classes 0..k-1, shape (m,).
        resolution: the grid is resolution x resolution points (Playground: 100).
        n_classes: number of classes (default: from the scores, at least 2).

    The heatmap is embedded as one image, not a rectangle per cell, so the file stays
    small (a few KiB).
    """
    pts = np.asarray(x, dtype=np.float64)
    lab = np.asarray(labels)
    if pts.ndim != 2 or pts.shape[1] != 2:
        raise ValueError(
            f"a decision boundary needs 2-D inputs, shape (m, 2); got {pts.shape}"
        )
    if lab.shape != (pts.shape[0],):
        raise ValueError(f"labels must have shape ({pts.shape[0]},), got {lab.shape}")
    if isinstance(resolution, bool) or not isinstance(resolution, int) or not (
        2 <= resolution <= 1000
    ):
        raise ValueError(f"resolution must be an int in 2..1000, got {resolution!r}")
    lo, hi = pts.min(axis=0), pts.max(axis=0)
    pad = np.maximum(0.08 * (hi - lo), 0.5)
    lo, hi = lo - pad, hi + pad
    gx = np.linspace(lo[0], hi[0], resolution)
    gy = np.linspace(lo[1], hi[1], resolution)
    grid = np.stack(np.meshgrid(gx, gy), axis=-1).reshape(-1, 2)
    out = np.asarray(scores(grid), dtype=np.float64)
    out = out.reshape(resolution, resolution, -1)
    image = boundary_image(out)
    k = n_classes if n_classes is not None else max(2, out.shape[2])
    colours = _colours(max(k, int(lab.max(initial=0)) + 1))

    with mpl.rc_context(_RC):
        fig = Figure(figsize=(4.6, 4.4), layout="constrained")
        ax = fig.subplots()
        ax.imshow(
            image,
            origin="lower",
            extent=(lo[0], hi[0], lo[1], hi[1]),
            interpolation="none",
            aspect="auto",
        )
        for c in range(len(colours)):
            mask = lab == c
            if mask.any():
                ax.scatter(
                    pts[mask, 0], pts[mask, 1], s=16, c=colours[c],
                    edgecolors="#222222", linewidths=0.5, label=f"class {c}",
                )
        ax.set(xlim=(lo[0], hi[0]), ylim=(lo[1], hi[1]), title=title,
               xlabel="$x_1$", ylabel="$x_2$")
        ax.legend(loc="upper right", fontsize=8, framealpha=0.8)
    return _save(fig, path)
