"""The curves of training with matplotlib, as SVG: the cost of the training and test
sets per epoch, and the accuracies on a second panel.

The figures are made with matplotlib's object API and its SVG canvas (no pyplot, no GUI
backend, no global figure state). The output is deterministic: ids are salted with a
fixed ``svg.hashsalt`` and no date is written, so the same input gives the same bytes.
The functions return a :class:`~viz.picture.Picture` (inline in Jupyter,
``.save(path)``); the decision boundary is ``viz.boundary``'s.
"""

from __future__ import annotations

import io
import os
from collections.abc import Sequence
from typing import Any, Protocol

import matplotlib as mpl
import numpy as np
import numpy.typing as npt
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure

from viz.palette import BLUE, ORANGE, to_hex
from viz.picture import Picture

__all__ = ["HistoryLike", "figure_picture", "plot_history", "plot_loss"]

Array = npt.NDArray[np.float64]

_TRAIN, _TEST = to_hex(BLUE), to_hex(ORANGE)

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

    @property
    def test_loss(self) -> Sequence[float]: ...


def figure_picture(
    fig: Figure, what: str, path: str | os.PathLike[str] | None = None
) -> Picture:
    """A matplotlib ``fig`` as a deterministic SVG Picture (``what`` names it in its
    repr), also written to ``path`` if given."""
    buf = io.BytesIO()
    FigureCanvasSVG(fig)  # the figure's canvas: SVG, no GUI backend
    with mpl.rc_context(_RC):
        fig.savefig(buf, format="svg", metadata={"Date": None})
    picture = Picture(buf.getvalue().decode("utf-8"), what)
    if path is not None:
        picture.save(path)
    return picture


def _floats(values: Sequence[float] | None, what: str) -> Array:
    arr = np.asarray([] if values is None else values, dtype=np.float64)
    if arr.ndim != 1:
        raise ValueError(f"{what} must be a list of numbers, got shape {arr.shape}")
    return arr


def plot_loss(
    loss: Sequence[float],
    path: str | os.PathLike[str] | None = None,
    *,
    test_loss: Sequence[float] | None = None,
    accuracy: Sequence[float] | None = None,
    test_accuracy: Sequence[float] | None = None,
    title: str = "training",
) -> Picture:
    """The per-epoch cost of the training set (solid) and, if given, of the test set
    (dashed) on the left; the accuracies, if given, on a second panel.

    The cost axis is logarithmic when the costs span more than two decades. With
    ``path`` the picture is also written there (``.save(path)``); returns the
    :class:`~viz.picture.Picture` either way.
    """
    y = _floats(loss, "loss")
    y_test = _floats(test_loss, "test_loss")
    acc = _floats(accuracy, "accuracy")
    test = _floats(test_accuracy, "test_accuracy")
    if y.size == 0:
        raise ValueError("loss is empty: nothing to plot")
    with mpl.rc_context(_RC):
        panels = 2 if acc.size or test.size else 1
        fig = Figure(figsize=(4.0 * panels + 0.5, 3.2), layout="constrained")
        axes = fig.subplots(1, panels, squeeze=False)[0]
        ax = axes[0]
        ax.plot(np.arange(1, y.size + 1), y, color=_TRAIN, lw=1.8, label="train")
        if y_test.size:
            ax.plot(np.arange(1, y_test.size + 1), y_test, color=_TEST, lw=1.8,
                    ls="--", label="test")
            ax.legend(loc="upper right")
        both = np.concatenate([y, y_test])
        positive = both[np.isfinite(both) & (both > 0)]
        if positive.size and positive.max() > 100 * positive.min():
            ax.set_yscale("log")
        ax.set(xlabel="epoch", ylabel="cost C (mean per sample)", title="cost")
        ax.grid(alpha=0.3)
        if panels == 2:
            ax2 = axes[1]
            if acc.size:
                ax2.plot(np.arange(1, acc.size + 1), acc, color=_TRAIN, lw=1.8,
                         label="train")
            if test.size:
                ax2.plot(np.arange(1, test.size + 1), test, color=_TEST, lw=1.8,
                         ls="--", label="test")
            ax2.set(xlabel="epoch", ylabel="accuracy", title="accuracy",
                    ylim=(-0.02, 1.02))
            ax2.grid(alpha=0.3)
            ax2.legend(loc="lower right")
        fig.suptitle(title)
    return figure_picture(fig, "cost and accuracy curves", path)


def plot_history(
    history: HistoryLike,
    path: str | os.PathLike[str] | None = None,
    *,
    title: str = "training",
) -> Picture:
    """``plot_loss`` of the lists in ``fit``'s ``History`` (the test cost and
    accuracy when ``fit`` had a test set)."""
    return plot_loss(
        history.loss,
        path,
        test_loss=history.test_loss,
        accuracy=history.accuracy,
        test_accuracy=history.test_accuracy,
        title=title,
    )
