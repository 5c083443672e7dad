"""TensorFlow Playground's colours: orange for negative, grey for 0, blue for positive.

Playground maps a number t in [-1, 1] linearly from orange #f59322 through grey #e8eaeb
to blue #0877bd (clamped outside), and a weight's size |w| in [0, 5] to a link 1 to 10
pixels wide. The same scales colour weights, biases and the decision boundary here.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

__all__ = [
    "BLUE",
    "GREY",
    "ORANGE",
    "STEPS",
    "TAB10",
    "diverging",
    "diverging_rgb",
    "link_width",
    "to_hex",
]

#: Heatmaps use the scale in steps of 1/STEPS (see :func:`diverging_rgb`).
STEPS = 100

ORANGE = (0xF5, 0x93, 0x22)
GREY = (0xE8, 0xEA, 0xEB)
BLUE = (0x08, 0x77, 0xBD)

#: matplotlib's ten categorical colours ("tab10"), for lines and classes.
TAB10 = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
)


def to_hex(rgb: tuple[float, float, float]) -> str:
    """An (r, g, b) triple of 0..255 numbers as ``#rrggbb``."""
    r, g, b = (min(255, max(0, round(c))) for c in rgb)
    return f"#{r:02x}{g:02x}{b:02x}"


def diverging(t: float, scale: float = 1.0) -> tuple[float, float, float]:
    """Playground's colour of ``t / scale``: orange at -1, grey at 0, blue at +1.

    Values beyond ±1 are clamped; nan is grey.
    """
    u = t / scale if scale > 0 else 0.0
    if math.isnan(u):
        u = 0.0
    u = max(-1.0, min(1.0, u))
    end = BLUE if u >= 0 else ORANGE
    s = abs(u)
    return (
        GREY[0] + (end[0] - GREY[0]) * s,
        GREY[1] + (end[1] - GREY[1]) * s,
        GREY[2] + (end[2] - GREY[2]) * s,
    )


def diverging_rgb(t: npt.ArrayLike) -> npt.NDArray[np.uint8]:
    """:func:`diverging` of every entry of ``t`` (scale 1), as 0..255 RGB bytes:
    shape (..., 3). The heatmaps of the decision boundary and of the network
    diagram's neurons are coloured by this one function."""
    u = np.nan_to_num(np.asarray(t, dtype=np.float64), nan=0.0)
    u = np.clip(u, -1.0, 1.0)[..., None]
    grey = np.array(GREY, dtype=np.float64)
    end = np.where(u >= 0, np.array(BLUE, dtype=np.float64), np.array(ORANGE, float))
    rgb = grey + (end - grey) * np.abs(u)
    return np.asarray(np.clip(np.round(rgb), 0, 255), dtype=np.uint8)


def link_width(w: float, max_weight: float = 5.0) -> float:
    """Playground's link width in pixels: 1 at w = 0 up to 10 at |w| >= max_weight."""
    size = abs(w)
    if math.isnan(size):
        size = 0.0
    return 1.0 + 9.0 * min(size, max_weight) / max_weight
