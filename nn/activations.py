"""The activations f of nn in numpy, each with its derivative f', elementwise.

====================  ==============================  ===========================
name                  f(z)                            f'(z), written through a = f(z)
====================  ==============================  ===========================
``sigmoid``           sigma(z) = 1 / (1 + e^-z)       a (1 - a)
``tanh``              tanh z                          1 - a^2
``relu``              max(0, z)                       0 if z <= 0 else 1
``leaky_relu``        z if z > 0 else 0.01 z          1 if z > 0 else 0.01
``linear``            z                               1
====================  ==============================  ===========================

The names are ``nn.names.ACTIVATIONS``; the engine computes the same functions on
``Value``s (``z.sigmoid()``, ``z.tanh()``, ``z.relu()``,
``z.leaky_relu(LEAKY_RELU_SLOPE)``; linear is z itself), and the
formulas of ``nn.backprop`` use these. sigmoid evaluates e^t only for t <= 0, so no
input overflows; relu passes nan through and maps -0.0 to 0.0, exactly as the
engine's relu, and its derivative is 0 at and below 0 and 1 elsewhere, nan included
(PyTorch's mask), as the engine's. numpy and the standard library only.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from nn.arrays import Array
from nn.names import ACTIVATIONS, one_of

__all__ = [
    "LEAKY_RELU_SLOPE",
    "activate",
    "activation_derivative",
    "resolve_activation",
]

#: The slope of leaky_relu below 0: PyTorch's default ``negative_slope``.
LEAKY_RELU_SLOPE = 0.01


def resolve_activation(name: object, what: str = "activation") -> str:
    """``name`` checked against ``ACTIVATIONS``; TypeError / ValueError naming it."""
    return one_of(name, ACTIVATIONS, what)


def _sigmoid(z: Array) -> Array:
    """sigma(z) = 1 / (1 + e^-z), with e^t evaluated only for t <= 0 (no overflow)."""
    e = np.exp(-np.abs(z))
    return np.where(z >= 0.0, 1.0 / (1.0 + e), e / (1.0 + e))


def _tanh(z: Array) -> Array:
    """tanh z."""
    return np.tanh(z)


def _relu(z: Array) -> Array:
    """max(0, z); nan <= 0 is False, so nan stays nan."""
    return np.where(z <= 0.0, 0.0, z)


def _leaky_relu(z: Array) -> Array:
    """z for z > 0, else 0.01 z (nan stays nan), as the engine's leaky_relu."""
    return np.where(z > 0.0, z, LEAKY_RELU_SLOPE * z)


def _linear(z: Array) -> Array:
    """z itself, as a new float64 array."""
    return np.array(z, dtype=np.float64, copy=True)


def _sigmoid_derivative(z: Array, a: Array) -> Array:
    return a * (1.0 - a)


def _tanh_derivative(z: Array, a: Array) -> Array:
    return 1.0 - a * a


def _relu_derivative(z: Array, a: Array) -> Array:
    return np.where(z <= 0.0, 0.0, 1.0)


def _leaky_relu_derivative(z: Array, a: Array) -> Array:
    return np.where(z > 0.0, 1.0, LEAKY_RELU_SLOPE)


def _linear_derivative(z: Array, a: Array) -> Array:
    return np.ones_like(z)


#: name -> (f, f'), f'(z, a) with a = f(z). Its keys are exactly ``ACTIVATIONS``.
_TABLE: dict[str, tuple[Callable[[Array], Array], Callable[[Array, Array], Array]]] = {
    "sigmoid": (_sigmoid, _sigmoid_derivative),
    "tanh": (_tanh, _tanh_derivative),
    "relu": (_relu, _relu_derivative),
    "leaky_relu": (_leaky_relu, _leaky_relu_derivative),
    "linear": (_linear, _linear_derivative),
}


def activate(name: str, z: Array) -> Array:
    """a = f(z) elementwise for the activation ``name`` (see the module table)."""
    return _TABLE[resolve_activation(name)][0](z)


def activation_derivative(name: str, z: Array, a: Array) -> Array:
    """f'(z) elementwise for the activation ``name``, given z and a = f(z)."""
    return _TABLE[resolve_activation(name)][1](z, a)
