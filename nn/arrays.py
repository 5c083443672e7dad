"""The checks of what nn is given: numbers, arrays, and the weights of a network.

numpy and the standard library only (never ``engine``), so that ``nn.backprop``, the
independent check of the engine, can use them without loading what it checks. Every
check names the argument in its error: TypeError for the wrong kind of value,
ValueError for a wrong value or shape.

* ``integer`` and ``real``: one argument, an int >= a bound or a finite real in an
  interval (bool is refused by both: it is never meant as a count or a rate).
* ``real_array``: any array of real numbers as float64 (bool, str, complex and
  objects refused), optionally finite.
* ``check_layer`` and ``check_arrays``: the weights of a network in the seed's
  notation, W^l of shape (n_l, n_{l-1}) and b^l of shape (n_l,) for l = 2..L, every
  n_l >= 1, each W^l's columns matching the neurons n_{l-1} of the layer before.
* ``check_rows``: one sample (n,) or a batch (m, n), one sample per row;
  ``check_finite_samples``: no nan or inf in a batch, naming the sample and feature
  (``first_not_finite`` finds the first).
* ``check_target``: the targets y, of the shape of the outputs a^L.
* ``check_probabilities``: the outputs a_j of the cross-entropy lie in [0, 1];
  ``LOG_CLAMP`` is the floor of its logarithms, max(ln a, -100), as in PyTorch's
  ``BCELoss``. Both the engine's ``nn.bce`` and the formulas' ``cost="bce"`` use them.
* ``check_class_probabilities`` and ``check_logits_output``: the softmax
  cross-entropy (``cost="cross_entropy"``) takes at least one logit per sample and
  targets y_j finite and >= 0 (one-hot rows, or class probabilities), and its
  logits are a linear output layer's a^L = z^L.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = [
    "LOG_CLAMP",
    "Array",
    "check_arrays",
    "check_class_probabilities",
    "check_finite_samples",
    "check_layer",
    "check_logits_output",
    "check_probabilities",
    "check_rows",
    "check_target",
    "first_not_finite",
    "integer",
    "layer_sizes",
    "real",
    "real_array",
]

#: A float64 array: every array nn computes with.
Array = npt.NDArray[np.float64]

#: PyTorch's BCELoss clamps each logarithm at this value, so C stays finite.
LOG_CLAMP = -100.0

_KINDS = {"b": "bool", "U": "str", "S": "bytes", "c": "complex", "O": "object"}


def integer(value: object, what: str, minimum: int = 1) -> int:
    """``value`` as an int >= ``minimum`` (numpy ints too, bool not)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{what} must be an int, got {type(value).__name__}")
    if int(value) < minimum:
        raise ValueError(f"{what} must be >= {minimum}, got {value}")
    return int(value)


def real(
    value: object,
    what: str,
    low: float = -math.inf,
    high: float = math.inf,
    *,
    open_low: bool = False,
    open_high: bool = False,
) -> float:
    """``value`` as a finite float in the interval from ``low`` to ``high``.

    The ends belong to it unless ``open_low`` / ``open_high``; the error writes the
    interval as "finite and > 0" or "in [0, 1)". nan and ±inf are always refused.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{what} must be a real number, got {type(value).__name__}")
    try:
        v = float(value)
    except OverflowError:  # an int beyond float64's range
        v = math.inf
    above = v > low if open_low else v >= low
    below = v < high if open_high else v <= high
    if not (math.isfinite(v) and above and below):
        if math.isinf(high):
            bound = f"finite and {'>' if open_low else '>='} {low:g}"
        else:
            bound = (
                f"in {'(' if open_low else '['}{low:g}, {high:g}"
                f"{')' if open_high else ']'}"
            )
        raise ValueError(f"{what} must be {bound}, got {value!r}")
    return v


def real_array(value: Any, what: str, *, finite: bool = False) -> Array:
    """``value`` as a float64 array, refusing anything not made of real numbers.

    Ints and floats of any width pass; bool, str, bytes, complex and object arrays
    (None, Values, mixed types, ints beyond int64) raise TypeError naming ``what``, so
    a mistake never becomes a silent number. ``finite=True`` also refuses nan and ±inf
    (ValueError). nn's one dtype check: weights and biases everywhere, and the x, y
    and z the formulas take, go through it.
    """
    try:
        arr = np.asarray(value)
    except ValueError as exc:  # ragged nesting such as [[1, 2], [3]]
        raise ValueError(f"{what} is not a rectangular array of numbers") from exc
    if arr.dtype.kind not in "iuf":
        kind = _KINDS.get(arr.dtype.kind, str(arr.dtype))
        raise TypeError(f"{what} must hold real numbers (ints or floats), got {kind}")
    out = np.asarray(arr, dtype=np.float64)
    if finite:
        at = first_not_finite(out)
        if at is not None:
            where = f" at [{', '.join(map(str, at))}]" if at else ""
            raise ValueError(f"{what} must be finite, got {out[at]}{where}")
    return out


def first_not_finite(arr: Array) -> tuple[int, ...] | None:
    """The index of the first entry of ``arr`` (in C order) that is nan or ±inf, or
    None when every entry is finite."""
    bad = ~np.isfinite(arr)
    if not bad.any():
        return None
    return tuple(int(i) for i in np.unravel_index(int(np.argmax(bad)), arr.shape))


def check_finite_samples(x: Array, what: str) -> None:
    """Every entry of the batch ``x`` (m, n), one sample per row, is finite:
    ValueError naming the first one that is not by its sample (row) and feature
    (column), and saying so when it is nan (a missing value)."""
    at = first_not_finite(x)
    if at is None:
        return
    i, j = at
    value = float(x[i, j])
    kind = "nan (a missing value?)" if math.isnan(value) else repr(value)
    raise ValueError(
        f"{what} has x[{i}, {j}] = {kind}, sample {i}, feature {j}: every input must "
        "be finite; drop or fill such samples before training"
    )


def check_layer(
    w: Any,
    b: Any,
    l: int,  # noqa: E741 - the seed's layer index
    shape: tuple[int, int] | None = None,
    *,
    finite: bool = False,
) -> tuple[Array, Array]:
    """W^l and b^l as float64 arrays: W 2-D (of ``shape`` if given) with n_l >= 1
    rows and n_{l-1} >= 1 columns, b of shape (n_l,).

    Errors name layer ``l`` and, for shapes, W before b; a W with no rows or no
    columns names the layer (l or l - 1) that would have 0 neurons.
    """
    wa = real_array(w, f"W of layer {l}", finite=finite)
    ba = real_array(b, f"B of layer {l}", finite=finite)
    if wa.ndim != 2:
        raise ValueError(f"W of layer {l} must be 2-D, got shape {wa.shape}")
    if shape is not None and wa.shape != shape:
        raise ValueError(f"W of layer {l} must have shape {shape}, got {wa.shape}")
    if wa.shape[0] < 1 or wa.shape[1] < 1:
        empty = l if wa.shape[0] < 1 else l - 1
        raise ValueError(
            f"W of layer {l} has shape {wa.shape}: layer {empty} has 0 neurons; "
            "every layer needs >= 1"
        )
    if ba.shape != (wa.shape[0],):
        raise ValueError(
            f"B of layer {l} must have shape ({wa.shape[0]},) to match W of shape "
            f"{wa.shape}, got {ba.shape}"
        )
    return wa, ba


def check_arrays(
    W: Sequence[Any], B: Sequence[Any], *, finite: bool = False
) -> tuple[list[Array], list[Array]]:
    """W and B as float64 arrays, checked to chain: W[i] (n_l, n_{l-1}), B[i] (n_l,)
    for l = i + 2 (see ``check_layer``; ``finite=True`` refuses nan and ±inf).

    The one check of a network's arrays: the formulas, ``MLP.from_arrays`` and the
    network diagram all use it. Raises TypeError / ValueError naming the layer and the
    shapes that do not fit.
    """
    if isinstance(W, np.ndarray) or isinstance(B, np.ndarray):
        raise TypeError("W and B must be lists of arrays, one per layer 2..L")
    if len(W) != len(B):
        raise ValueError(f"{len(W)} weight matrices but {len(B)} bias vectors")
    if len(W) == 0:
        raise ValueError("a network needs at least one layer after the input layer")
    Ws: list[Array] = []
    Bs: list[Array] = []
    for l, (w, b) in enumerate(zip(W, B, strict=True), 2):  # noqa: E741
        wa, ba = check_layer(w, b, l, finite=finite)
        if Ws and wa.shape[1] != Ws[-1].shape[0]:
            raise ValueError(
                f"W of layer {l} has shape {wa.shape} but layer {l - 1} has "
                f"{Ws[-1].shape[0]} neurons, so it needs {Ws[-1].shape[0]} columns"
            )
        Ws.append(wa)
        Bs.append(ba)
    return Ws, Bs


def layer_sizes(Ws: Sequence[Array]) -> list[int]:
    """[n_1, ..., n_L] of a chain of weight matrices checked by ``check_arrays``:
    W^l has shape (n_l, n_{l-1})."""
    return [int(Ws[0].shape[1]), *(int(w.shape[0]) for w in Ws)]


def check_rows(value: Any, what: str, n: int, why: str = "") -> Array:
    """``value`` as a float64 array of shape (n,) (one sample) or (m, n) (a batch of
    m samples, one per row); ``why`` ends the ValueError's first clause."""
    arr = real_array(value, what)
    if arr.ndim not in (1, 2) or arr.shape[-1] != n:
        raise ValueError(
            f"{what} must have shape ({n},) or (m, {n}){why}, got {arr.shape}"
        )
    return arr


def check_target(y: Any, a_L: Array) -> Array:
    """The targets ``y`` as a float64 array of the shape of the outputs ``a_L``."""
    ya = real_array(y, "y")
    if ya.shape != a_L.shape:
        raise ValueError(f"y has shape {ya.shape} but the output a^L has {a_L.shape}")
    return ya


def check_probabilities(a: Array, what: str) -> None:
    """The cross-entropy's domain: every a_j in [0, 1], as PyTorch's BCELoss demands
    (nan is outside). ValueError naming the first entry outside as ``what[i, ...]``
    and its value."""
    outside = ~((a >= 0.0) & (a <= 1.0))
    if outside.any():
        at = tuple(int(i) for i in np.argwhere(outside)[0])
        raise ValueError(
            "bce: every output must lie in [0, 1] (a sigmoid output layer), got "
            f"{what}[{', '.join(map(str, at))}] = {float(a[at])!r}"
        )


def check_class_probabilities(y: Array, logits: Array) -> None:
    """The softmax cross-entropy's arrays: at least one logit per sample, and every
    target y_j finite and >= 0 (one-hot rows and class probabilities; any sum, as
    PyTorch). ValueError naming the first bad entry as ``y[i, ...]`` and its value."""
    if logits.ndim == 0 or logits.shape[-1] == 0:
        raise ValueError(
            "cross_entropy needs at least one logit per sample, got a^L of shape "
            f"{logits.shape}"
        )
    bad = ~(np.isfinite(y) & (y >= 0.0))
    if bad.any():
        at = tuple(int(i) for i in np.argwhere(bad)[0])
        raise ValueError(
            "cross_entropy: every target y_j must be a class probability, finite and "
            f">= 0 (a one-hot row of to_targets), got y[{', '.join(map(str, at))}] = "
            f"{float(y[at])!r}"
        )


def check_logits_output(cost: str, output_activation: str, what: str = "cost") -> None:
    """``cost="cross_entropy"`` takes the logits a^L = z^L of a linear output layer:
    ValueError naming ``what`` and the output activation otherwise (as ``loss="bce"``
    needs a sigmoid one)."""
    if cost == "cross_entropy" and output_activation != "linear":
        raise ValueError(
            f"{what}='cross_entropy' takes logits, i.e. output_activation='linear' "
            f"(softmax is part of the cost); the output activation is "
            f"{output_activation!r}"
        )
