"""Every name list of nn, once: what the library accepts, the CLI offers and the help
text shows. Plain Python (no numpy), so that ``deltagrad --help`` stays quick.

``one_of(name, choices, what)`` is the one check of such a name.
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = [
    "ACTIVATIONS",
    "COSTS",
    "DATASETS",
    "DATASET_SHAPES",
    "ENGINES",
    "OPTIMIZERS",
    "REAL_DATASETS",
    "REDUCTIONS",
    "SYNTHETIC_DATASETS",
    "SYNTHETIC_SAMPLES",
    "Shape",
    "one_of",
]

#: The activations f: the seed's sigmoid, TensorFlow Playground's others and
#: PyTorch's leaky_relu (slope ``nn.activations.LEAKY_RELU_SLOPE``).
ACTIVATIONS = ("sigmoid", "tanh", "relu", "leaky_relu", "linear")

#: The costs: the seed's quadratic cost, the (binary) cross-entropy of sigmoid
#: outputs, and the cross-entropy of the softmax of logits (more than two classes).
COSTS = ("mse", "bce", "cross_entropy")

#: How a cost combines its outputs' terms.
REDUCTIONS = ("sum", "mean")

#: TensorFlow Playground's data sets (2 inputs, 2 classes).
SYNTHETIC_DATASETS = ("circle", "xor", "gauss", "spiral")

#: scikit-learn's bundled real data sets.
REAL_DATASETS = ("iris", "digits")

DATASETS = SYNTHETIC_DATASETS + REAL_DATASETS

#: How many points a synthetic set has unless asked for another number.
SYNTHETIC_SAMPLES = 500


class Shape(NamedTuple):
    """What a data set is: inputs d, classes k, and its samples (None: as many as
    asked for, the synthetic sets)."""

    n_features: int
    n_classes: int
    samples: int | None


#: The shape of every data set, known before it is made (``nn.data`` builds them to
#: it), so the command line checks --sizes and --samples before loading anything.
DATASET_SHAPES: dict[str, Shape] = {
    **dict.fromkeys(SYNTHETIC_DATASETS, Shape(2, 2, None)),
    "iris": Shape(4, 3, 150),
    "digits": Shape(64, 10, 1797),
}

#: How ``fit`` finds gradients: the engine's autograd, or BP1-BP4 in numpy.
ENGINES = ("autograd", "numpy")

#: The optimizers ``fit`` can use (PyTorch's SGD with momentum, and Adam).
OPTIMIZERS = ("sgd", "adam")


def one_of(
    name: object, choices: tuple[str, ...], what: str, *, argument: str | None = None
) -> str:
    """``name`` if it is one of ``choices``.

    A non-str raises TypeError "<argument> must be a str, got <type>" (``argument``
    defaults to ``what``); another str raises ValueError
    "unknown <what> <name>; expected one of <choices>".
    """
    if not isinstance(name, str):
        subject = what if argument is None else argument
        raise TypeError(f"{subject} must be a str, got {type(name).__name__}")
    if name not in choices:
        raise ValueError(f"unknown {what} {name!r}; expected one of {choices}")
    return name
