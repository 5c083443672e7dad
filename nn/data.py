"""Data sets: TensorFlow Playground's four toy sets and two small real ones.

``make_dataset(name, n=..., noise=..., seed=...)`` returns a ``Dataset``: inputs ``x``
(m, d) float64 and integer class labels 0..k-1.

Synthetic, 2 inputs, 2 classes, points in about [-6, 6]^2 (the Playground's picture);
``noise`` in [0, 1] (the Playground offers 0-50 %, i.e. 0-0.5); half the points per
class:

* ``circle``: class 1 inside radius 2.5, class 0 on a ring of radius 3.5-5. A point's
  label is taken at the point moved by uniform noise in [-5, 5] noise per coordinate,
  so noise blurs the labels near the boundary while the points stay where they are.
* ``xor``: x, y uniform in [-5, 5] (pushed 0.3 away from the axes); class 1 where
  x y >= 0, the label again read at a noisy copy of the point.
* ``gauss``: two Gaussian blobs centred at (2, 2) (class 1) and (-2, -2) (class 0),
  standard deviation sqrt(0.5 + 7 noise).
* ``spiral``: two interleaved spirals, r from 0 to 5 over 1.75 turns; class 0 is class
  1 turned by pi; each coordinate gets uniform noise in [-noise, noise].

Real, from scikit-learn's bundled copies (no download; the optional extra
``pip install 'deltagrad[data]'``), ``noise`` is ignored and ``n`` (if given) draws a
random subset:

* ``iris``: 150 flowers, 4 measurements standardized to mean 0 and variance 1,
  3 classes.
* ``digits``: 1797 handwritten digits, 8x8 pixels 0..16 scaled to [0, 1], 10 classes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import numpy.typing as npt

from nn.arrays import Array, integer, real, real_array
from nn.names import (
    DATASET_SHAPES,
    DATASETS,
    REAL_DATASETS,
    SYNTHETIC_SAMPLES,
    one_of,
)

__all__ = [
    "Dataset",
    "MissingDependencyError",
    "make_dataset",
    "to_targets",
    "train_test_split",
]

Labels = npt.NDArray[np.int64]


class MissingDependencyError(ImportError):
    """An optional package (scikit-learn for the real data sets) is not installed."""


@dataclass(frozen=True, eq=False, repr=False)
class Dataset:
    """Inputs ``x`` (m, d) float64, ``labels`` (m,) ints in 0..n_classes-1, a name.

    Checked on creation: ``n_classes`` an int >= 1, the shapes, the labels' range.
    """

    x: Array
    labels: Labels
    n_classes: int
    name: str

    def __post_init__(self) -> None:
        n_classes = integer(self.n_classes, "Dataset n_classes")
        x = real_array(self.x, "Dataset x")
        labels = np.asarray(self.labels)
        if x.ndim != 2:
            raise ValueError(f"Dataset x must have shape (m, d), got {x.shape}")
        if labels.shape != (x.shape[0],):
            raise ValueError(
                f"Dataset labels must have shape ({x.shape[0]},), got {labels.shape}"
            )
        if labels.size and not np.issubdtype(labels.dtype, np.integer):
            raise TypeError(f"Dataset labels must be ints, got dtype {labels.dtype}")
        if labels.size and (labels.min() < 0 or labels.max() >= n_classes):
            raise ValueError(
                f"Dataset labels must lie in 0..{n_classes - 1}, got "
                f"{labels.min()}..{labels.max()}"
            )
        object.__setattr__(self, "n_classes", n_classes)
        object.__setattr__(self, "x", x)
        object.__setattr__(self, "labels", labels.astype(np.int64))

    def __len__(self) -> int:
        return int(self.x.shape[0])

    def __repr__(self) -> str:
        """One line: the name and the shapes, never the rows."""
        return (
            f"Dataset({self.name!r}, {len(self)} samples, {self.n_features} inputs, "
            f"{self.n_classes} classes)"
        )

    @property
    def n_features(self) -> int:
        """d, the number of inputs."""
        return int(self.x.shape[1])


def _shuffled(x: Array, labels: Labels, name: str, rng: np.random.Generator) -> Dataset:
    order = rng.permutation(len(labels))
    return Dataset(x[order], labels[order], DATASET_SHAPES[name].n_classes, name)


def _circle(n: int, noise: float, rng: np.random.Generator) -> Dataset:
    radius = 5.0
    n1 = n // 2
    r = np.concatenate(
        [rng.uniform(0.0, 0.5 * radius, n1), rng.uniform(0.7 * radius, radius, n - n1)]
    )
    angle = rng.uniform(0.0, 2.0 * math.pi, n)
    x = np.column_stack([r * np.sin(angle), r * np.cos(angle)])
    jitter = rng.uniform(-radius, radius, (n, 2)) * noise
    labels = (np.hypot(*(x + jitter).T) < 0.5 * radius).astype(np.int64)
    return _shuffled(x, labels, "circle", rng)


def _xor(n: int, noise: float, rng: np.random.Generator) -> Dataset:
    padding = 0.3
    x = rng.uniform(-5.0, 5.0, (n, 2))
    x += np.where(x > 0.0, padding, -padding)
    jitter = rng.uniform(-5.0, 5.0, (n, 2)) * noise
    noisy = x + jitter
    labels = (noisy[:, 0] * noisy[:, 1] >= 0.0).astype(np.int64)
    return _shuffled(x, labels, "xor", rng)


def _gauss(n: int, noise: float, rng: np.random.Generator) -> Dataset:
    n1 = n // 2
    sd = math.sqrt(0.5 + 7.0 * noise)
    centres = np.concatenate([np.full((n1, 2), 2.0), np.full((n - n1, 2), -2.0)])
    x = centres + rng.normal(0.0, sd, (n, 2))
    labels = np.concatenate([np.ones(n1, np.int64), np.zeros(n - n1, np.int64)])
    return _shuffled(x, labels, "gauss", rng)


def _spiral(n: int, noise: float, rng: np.random.Generator) -> Dataset:
    parts = []
    for label, count, turn in ((1, n // 2, 0.0), (0, n - n // 2, math.pi)):
        t = np.arange(count) / count
        r = 5.0 * t
        angle = 1.75 * 2.0 * math.pi * t + turn
        pts = np.column_stack([r * np.sin(angle), r * np.cos(angle)])
        pts += rng.uniform(-1.0, 1.0, (count, 2)) * noise
        parts.append((pts, np.full(count, label, np.int64)))
    x = np.concatenate([p for p, _ in parts])
    labels = np.concatenate([lab for _, lab in parts])
    return _shuffled(x, labels, "spiral", rng)


def _sklearn_datasets() -> Any:
    try:
        from sklearn import datasets  # noqa: PLC0415 - optional dependency
    except ImportError as exc:
        raise MissingDependencyError(
            "the iris and digits data sets need scikit-learn, which is not installed; "
            "install it with:  pip install 'deltagrad[data]'"
        ) from exc
    return datasets


def _real(name: str, n: int | None, rng: np.random.Generator) -> Dataset:
    datasets = _sklearn_datasets()
    if name == "iris":
        bunch = datasets.load_iris()
        raw = np.asarray(bunch.data, dtype=np.float64)
        x = (raw - raw.mean(axis=0)) / raw.std(axis=0)
    else:
        bunch = datasets.load_digits()
        x = np.asarray(bunch.data, dtype=np.float64) / 16.0
    labels = np.asarray(bunch.target, dtype=np.int64)
    if n is not None:
        if n > len(labels):
            raise ValueError(f"{name} has {len(labels)} samples, cannot draw n={n}")
        pick = np.sort(rng.choice(len(labels), size=n, replace=False))
        x, labels = x[pick], labels[pick]
    return Dataset(x, labels, DATASET_SHAPES[name].n_classes, name)


_SYNTHETIC = {"circle": _circle, "xor": _xor, "gauss": _gauss, "spiral": _spiral}


def make_dataset(
    name: str, n: int | None = None, noise: float = 0.0, seed: int | None = 0
) -> Dataset:
    """The data set ``name`` (one of ``nn.names.DATASETS``); see the module docstring.

    ``n``: number of samples (synthetic default ``SYNTHETIC_SAMPLES``, 500; real
    default all). ``noise`` in [0, 1], synthetic sets only. ``seed`` makes it
    reproducible (None: fresh entropy).
    """
    one_of(name, DATASETS, "data set", argument="data set name")
    noise_f = real(noise, "noise", 0.0, 1.0)
    rng = np.random.default_rng(seed)
    if name in REAL_DATASETS:
        return _real(name, None if n is None else integer(n, "n"), rng)
    count = SYNTHETIC_SAMPLES if n is None else integer(n, "n", 2)
    return _SYNTHETIC[name](count, noise_f, rng)


def train_test_split(
    ds: Dataset, train_share: float = 0.8, seed: int | None = 0
) -> tuple[Dataset, Dataset]:
    """A random split of ``ds`` into (train, test), ``train_share`` of it for training.

    Both parts keep at least one sample; the same seed gives the same split.
    """
    if not isinstance(ds, Dataset):
        raise TypeError(f"ds must be a Dataset, got {type(ds).__name__}")
    share = real(train_share, "train_share", 0.0, 1.0, open_low=True, open_high=True)
    m = len(ds)
    if m < 2:
        raise ValueError(f"cannot split a data set of {m} sample(s)")
    n_train = min(max(round(m * share), 1), m - 1)
    order = np.random.default_rng(seed).permutation(m)
    tr, te = order[:n_train], order[n_train:]
    return (
        replace(ds, x=ds.x[tr], labels=ds.labels[tr]),
        replace(ds, x=ds.x[te], labels=ds.labels[te]),
    )


def to_targets(labels: npt.ArrayLike, n_outputs: int) -> Array:
    """Targets y for a net with ``n_outputs`` outputs, shape (m, n_outputs).

    One output: y = label, which must be 0 or 1 (two classes). k outputs: one-hot,
    y_j = 1 for j = label and 0 otherwise (labels must be < k).
    """
    lab = np.asarray(labels)
    if lab.ndim != 1 or (lab.size and not np.issubdtype(lab.dtype, np.integer)):
        raise ValueError(f"labels must be a 1-D int array, got {lab.dtype} {lab.shape}")
    n_outputs = integer(n_outputs, "n_outputs")
    if lab.size and lab.min() < 0:
        raise ValueError(f"labels must be >= 0, got {lab.min()}")
    if n_outputs == 1:
        if lab.size and lab.max() > 1:
            raise ValueError(
                f"a net with 1 output fits 2 classes (labels 0/1), got {lab.max()}"
            )
        return lab.astype(np.float64).reshape(-1, 1)
    if lab.size and lab.max() >= n_outputs:
        raise ValueError(
            f"label {lab.max()} needs more than the net's {n_outputs} outputs"
        )
    one_hot: Array = np.eye(n_outputs, dtype=np.float64)[lab]
    return one_hot
