"""Saving and loading an MLP as JSON (never pickle: loading a file runs no code).

The file is one JSON object::

    {"format": "deltagrad.mlp", "version": 1,
     "sizes": [2, 3, 1], "activation": "sigmoid", "output_activation": "sigmoid",
     "weights": [W^2, ..., W^L], "biases": [b^2, ..., b^L]}

with W^l a list of n_l rows of n_{l-1} numbers and b^l a list of n_l numbers. Floats are
written with ``repr``, which round-trips every float64 exactly. Reading checks every
field and raises ``ModelFileError`` (a ValueError) naming the file and what is wrong.

Writing goes to a temporary file in the same folder, flushed and fsynced, and then
``os.replace``d over the target: the target is either the old file or the complete new
one, never half written, and a failure removes the temporary file. The new file's
mode follows the umask (0o666 & ~umask, as for ``open(path, "w")``), not mkstemp's
private 0o600.
"""

from __future__ import annotations

import json
import math
import numbers
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from nn.backprop import ACTIVATIONS, Array

__all__ = [
    "FORMAT",
    "VERSION",
    "ModelFile",
    "ModelFileError",
    "read_model",
    "write_model",
]

FORMAT = "deltagrad.mlp"
VERSION = 1
_KEYS = (
    "format",
    "version",
    "sizes",
    "activation",
    "output_activation",
    "weights",
    "biases",
)


class ModelFileError(ValueError):
    """A model file that is not valid JSON or does not describe an MLP."""


@dataclass(frozen=True)
class ModelFile:
    """The checked contents of a model file."""

    sizes: list[int]
    activation: str
    output_activation: str
    weights: list[Array]
    biases: list[Array]


def write_model(path: str | os.PathLike[str], model: ModelFile) -> None:
    """Write ``model`` to ``path`` atomically (see the module docstring).

    Non-finite weights raise ValueError before anything is written (JSON has no NaN).
    """
    doc = {
        "format": FORMAT,
        "version": VERSION,
        "sizes": [int(n) for n in model.sizes],
        "activation": model.activation,
        "output_activation": model.output_activation,
        "weights": [np.asarray(w, dtype=np.float64).tolist() for w in model.weights],
        "biases": [np.asarray(b, dtype=np.float64).tolist() for b in model.biases],
    }
    try:
        text = json.dumps(doc, allow_nan=False)
    except ValueError as exc:
        raise ValueError(f"cannot save {os.fspath(path)}: weights not finite") from exc
    target = Path(path)
    tmp = target.with_name(f".{target.name}.{secrets.token_hex(8)}.tmp")
    # O_EXCL: a new file of our own; mode 0o666 lets the kernel apply the umask
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.write("\n")
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _fail(path: str, message: str) -> ModelFileError:
    return ModelFileError(f"{path}: {message}")


def _number(v: object) -> bool:
    return isinstance(v, numbers.Real) and not isinstance(v, bool)


def _matrix(path: str, what: str, v: object, shape: tuple[int, ...]) -> Array:
    """``v`` as a finite float array of exactly ``shape`` (1-D or 2-D), checked."""
    rows: list[object]
    if len(shape) == 1:
        rows = [v]
    else:
        if not isinstance(v, list) or len(v) != shape[0]:
            got = f"{len(v)} rows" if isinstance(v, list) else type(v).__name__
            raise _fail(path, f"{what} must be a list of {shape[0]} rows, got {got}")
        rows = list(v)
    n = shape[-1]
    for i, row in enumerate(rows):
        where = what if len(shape) == 1 else f"{what} row {i + 1}"
        if not isinstance(row, list) or len(row) != n:
            got = f"{len(row)} numbers" if isinstance(row, list) else type(row).__name__
            raise _fail(path, f"{where} must be a list of {n} numbers, got {got}")
        for x in row:
            if not _number(x):
                raise _fail(path, f"{where} holds {x!r}, not a number")
            try:
                finite = math.isfinite(float(x))
            except OverflowError:  # an int such as 10**400
                raise _fail(
                    path, f"{where} holds an int too large for a float64"
                ) from None
            if not finite:
                raise _fail(path, f"{where} holds a non-finite number {x!r}")
    return np.asarray(v, dtype=np.float64)


def read_model(path: str | os.PathLike[str]) -> ModelFile:
    """Read and check a model file; ``ModelFileError`` names the problem.

    A missing file raises FileNotFoundError, as ``open`` does.
    """
    name = os.fspath(path)
    with open(name, "rb") as f:
        raw = f.read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _fail(name, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    try:
        doc = json.loads(text)
    except RecursionError:
        raise _fail(name, "not a model: JSON nested too deeply to read") from None
    except ValueError as exc:  # JSONDecodeError, or an int of over 4300 digits
        raise _fail(name, f"not valid JSON ({exc})") from exc
    if not isinstance(doc, dict):
        raise _fail(name, f"expected a JSON object, got {type(doc).__name__}")
    missing = [k for k in _KEYS if k not in doc]
    if missing:
        raise _fail(name, f"missing keys {missing}")
    if doc["format"] != FORMAT:
        raise _fail(name, f"format is {doc['format']!r}, expected {FORMAT!r}")
    if type(doc["version"]) is not int or doc["version"] != VERSION:  # not 1.0
        raise _fail(
            name, f"version {doc['version']!r} is not supported (only {VERSION})"
        )
    sizes = doc["sizes"]
    if (
        not isinstance(sizes, list)
        or len(sizes) < 2
        or not all(
            isinstance(n, int) and not isinstance(n, bool) and n >= 1 for n in sizes
        )
    ):
        raise _fail(name, f"sizes must be a list of >= 2 positive ints, got {sizes!r}")
    for key in ("activation", "output_activation"):
        if doc[key] not in ACTIVATIONS:
            raise _fail(name, f"{key} {doc[key]!r} is not one of {ACTIVATIONS}")
    n_layers = len(sizes) - 1
    for key in ("weights", "biases"):
        if not isinstance(doc[key], list) or len(doc[key]) != n_layers:
            got = (
                len(doc[key]) if isinstance(doc[key], list) else type(doc[key]).__name__
            )
            raise _fail(
                name, f"{key} must list {n_layers} layers for sizes {sizes}, got {got}"
            )
    W = [
        _matrix(name, f"weights of layer {i + 2}", w, (sizes[i + 1], sizes[i]))
        for i, w in enumerate(doc["weights"])
    ]
    B = [
        _matrix(name, f"biases of layer {i + 2}", b, (sizes[i + 1],))
        for i, b in enumerate(doc["biases"])
    ]
    return ModelFile(list(sizes), doc["activation"], doc["output_activation"], W, B)
