"""The input plane a 2-D classifier is pictured over: a grid of points covering the
data with a margin, the same for the decision boundary and the network's heatmaps.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = ["PLAYGROUND_EXTENT", "Plane", "plane_of"]

Array = npt.NDArray[np.float64]

#: TensorFlow Playground's plane, [-6, 6]^2, where nn's synthetic data sets lie.
PLAYGROUND_EXTENT = 6.0


@dataclass(frozen=True)
class Plane:
    """The rectangle [lo[0], hi[0]] x [lo[1], hi[1]] sampled at resolution x
    resolution points (both ends included)."""

    lo: tuple[float, float]
    hi: tuple[float, float]
    resolution: int

    def axes(self) -> tuple[Array, Array]:
        """The grid's x_1 values (left to right) and x_2 values (bottom to top)."""
        r = self.resolution
        return (np.linspace(self.lo[0], self.hi[0], r),
                np.linspace(self.lo[1], self.hi[1], r))

    def points(self) -> Array:
        """The grid as rows (x_1, x_2), shape (resolution^2, 2): row i * resolution
        + c is the point of column c (x_1) and grid row i (x_2, bottom row first)."""
        gx, gy = self.axes()
        return np.stack(np.meshgrid(gx, gy), axis=-1).reshape(-1, 2)

    def image(self, values: npt.ArrayLike) -> npt.NDArray[np.generic]:
        """Values at :meth:`points`, shape (resolution^2, ...), as an image: shape
        (resolution, resolution, ...) with row 0 the *top* of the plane."""
        v = np.asarray(values)
        r = self.resolution
        return v.reshape(r, r, *v.shape[1:])[::-1]


def plane_of(x: npt.ArrayLike | None, resolution: int) -> Plane:
    """The plane over the points ``x`` (m, 2) with a margin of 8 % of their span (at
    least 0.5); Playground's [-6, 6]^2 when ``x`` is None.

    Raises ValueError for points that are not (m, 2), or a resolution outside
    2..1000."""
    if isinstance(resolution, bool) or not isinstance(resolution, int) or not (
        2 <= resolution <= 1000
    ):
        raise ValueError(f"resolution must be an int in 2..1000, got {resolution!r}")
    if x is None:
        e = PLAYGROUND_EXTENT
        return Plane((-e, -e), (e, e), resolution)
    pts = np.asarray(x, dtype=np.float64)
    if pts.ndim != 2 or pts.shape[1] != 2 or pts.shape[0] == 0:
        raise ValueError(
            f"a plane needs 2-D inputs, shape (m, 2) with m >= 1; got {pts.shape}"
        )
    if not np.isfinite(pts).all():
        raise ValueError("the points of a plane must be finite")
    lo, hi = pts.min(axis=0), pts.max(axis=0)
    pad = np.maximum(0.08 * (hi - lo), 0.5)
    lo, hi = lo - pad, hi + pad
    return Plane((float(lo[0]), float(lo[1])), (float(hi[0]), float(hi[1])),
                 resolution)
