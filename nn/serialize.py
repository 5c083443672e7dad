"""Saving and loading an MLP as JSON (never pickle: loading a file runs no code).

The file is one JSON object::

    {"format": "deltagrad.mlp", "version": 1,
     "sizes": [2, 3, 1], "activation": "sigmoid", "output_activation": "sigmoid",
     "weights": [W^2, ..., W^L], "biases": [b^2, ..., b^L]}

with W^l a list of n_l rows of n_{l-1} numbers and b^l a list of n_l numbers. Floats are
written with ``repr``, which round-trips every float64 exactly. Reading checks every
field and raises ``ModelFileError`` (a ValueError) naming the file and what is wrong.

Writing goes through ``nn.files.write_atomic``: the target is either the old file or
the complete new one, never half written; a symlink's target is replaced, not the link;
an existing file keeps its mode and a new one follows the umask. Reading refuses, before
reading anything, a file that is not a regular file (``/dev/zero``, a pipe, a folder)
or is larger than ``MAX_MODEL_BYTES``.
"""

from __future__ import annotations

import json
import math
import numbers
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from nn.arrays import Array
from nn.files import write_atomic
from nn.names import ACTIVATIONS

__all__ = [
    "FORMAT",
    "MAX_MODEL_BYTES",
    "VERSION",
    "ModelFile",
    "ModelFileError",
    "read_model",
    "write_model",
]

FORMAT = "deltagrad.mlp"
VERSION = 1
#: Larger model files are refused unread (a net of a million parameters takes ~21 MB).
MAX_MODEL_BYTES = 64 * 2**20
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
    write_atomic(path, (text + "\n").encode("utf-8"))


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


def _read_bytes(name: str) -> bytes:
    """The bytes of the regular file ``name`` of at most MAX_MODEL_BYTES; anything
    else is refused before it is read (O_NONBLOCK: opening a pipe does not wait)."""
    fd = os.open(name, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise _fail(name, "is a folder, not a model file")
        if not stat.S_ISREG(st.st_mode):
            raise _fail(name, "is not a regular file (a device, pipe or socket)")
        if st.st_size > MAX_MODEL_BYTES:
            raise _too_large(name, st.st_size)
        with open(fd, "rb", closefd=False) as f:
            raw = f.read(MAX_MODEL_BYTES + 1)  # the file may grow while it is read
    finally:
        os.close(fd)
    if len(raw) > MAX_MODEL_BYTES:
        raise _too_large(name, len(raw))
    return raw


def _too_large(name: str, size: int) -> ModelFileError:
    return _fail(
        name,
        f"{size:,} bytes, larger than a model file may be "
        f"({MAX_MODEL_BYTES:,} bytes): not a model file",
    )


def _sizes(name: str, sizes: object) -> list[int]:
    """``sizes`` checked to be a list of at least 2 positive ints."""
    if (
        not isinstance(sizes, list)
        or len(sizes) < 2
        or not all(
            isinstance(n, int) and not isinstance(n, bool) and n >= 1 for n in sizes
        )
    ):
        raise _fail(name, f"sizes must be a list of >= 2 positive ints, got {sizes!r}")
    return sizes


def read_model(
    path: str | os.PathLike[str],
    check_sizes: Callable[[list[int]], None] | None = None,
) -> ModelFile:
    """Read and check a model file; ``ModelFileError`` names the problem.

    A missing file raises FileNotFoundError, as ``open`` does; a folder, a device,
    a pipe or a file over ``MAX_MODEL_BYTES`` raises ModelFileError unread.
    ``check_sizes``, if given, is called with the layer sizes as soon as they are
    read, before the weights are checked (what it raises propagates): a caller that
    refuses big nets refuses them without that work.
    """
    name = os.fspath(path)
    raw = _read_bytes(name)
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
    sizes = _sizes(name, doc["sizes"])
    if check_sizes is not None:
        check_sizes(list(sizes))
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
