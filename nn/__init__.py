"""deltagrad's neural networks: the seed's MLP of engine scalars and the four formulas.

>>> from nn import MLP, mse
>>> net = MLP([2, 3, 1], seed=0)       # sizes input layer first; sigmoid everywhere
>>> C = mse(net([0.5, -1.0]), [1.0])   # C = 1/2 (y - a)^2, a node labelled "C"
>>> net.zero_grad(); C.backward()       # every z[l][j].grad is now delta^l_j

``nn.backprop`` holds the four formulas BP1-BP4 in numpy; ``compare(net, x, y)``
(``nn.comparison``) checks autograd against them and central differences, layer by
layer. The formulas and the engine's MLP stand on the same numpy-only modules, none
of which loads the engine: ``nn.arrays`` (the checks of numbers and arrays),
``nn.activations`` (f and f'), ``nn.names`` (every name list) and ``nn.notation``
(the labels ``w[l][j][k]``, ``b[l][j]``, ``z[l][j]``, ``a[l][j]``, ``y[j]``, ``C``).

The names below load their modules on first use (PEP 562 ``__getattr__``), so that
``import nn.names`` (the name lists the command line offers) loads no numpy.
"""

from __future__ import annotations

import importlib
import runpy
from pathlib import Path
from typing import TYPE_CHECKING

# Stop at once if another project's engine (a learner's engine.py) comes first.
_SHADOWING = Path(__file__).resolve().parent.parent / "engine" / "shadowing.py"
runpy.run_path(str(_SHADOWING), run_name="engine.shadowing")["check_packages"](
    "engine"
)

if TYPE_CHECKING:
    from nn import backprop, data
    from nn.comparison import Comparison, ComparisonRow, compare
    from nn.data import Dataset, make_dataset, to_targets, train_test_split
    from nn.health import (
        DeadReLUWarning,
        DivergenceWarning,
        SaturationWarning,
        TrainingDivergedError,
        TrainingWarning,
    )
    from nn.losses import bce, cross_entropy, log_softmax, mse, softmax
    from nn.mlp import MLP, Layer, Neuron, Trace
    from nn.module import Module
    from nn.optim import SGD, Adam, Optimizer
    from nn.serialize import ModelFileError
    from nn.train import History, accuracy, fit, outputs, predict

__all__ = [
    "MLP",
    "SGD",
    "Adam",
    "Comparison",
    "ComparisonRow",
    "Dataset",
    "DeadReLUWarning",
    "DivergenceWarning",
    "History",
    "Layer",
    "ModelFileError",
    "Module",
    "Neuron",
    "Optimizer",
    "SaturationWarning",
    "Trace",
    "TrainingDivergedError",
    "TrainingWarning",
    "accuracy",
    "backprop",
    "bce",
    "compare",
    "cross_entropy",
    "data",
    "fit",
    "log_softmax",
    "make_dataset",
    "mse",
    "outputs",
    "predict",
    "softmax",
    "to_targets",
    "train_test_split",
]

#: Where each name of ``__all__`` lives ("" for a submodule of that name).
_HOMES = {
    "backprop": "",
    "data": "",
    "Comparison": "nn.comparison",
    "ComparisonRow": "nn.comparison",
    "compare": "nn.comparison",
    "Dataset": "nn.data",
    "make_dataset": "nn.data",
    "to_targets": "nn.data",
    "train_test_split": "nn.data",
    "DeadReLUWarning": "nn.health",
    "DivergenceWarning": "nn.health",
    "SaturationWarning": "nn.health",
    "TrainingDivergedError": "nn.health",
    "TrainingWarning": "nn.health",
    "bce": "nn.losses",
    "cross_entropy": "nn.losses",
    "log_softmax": "nn.losses",
    "mse": "nn.losses",
    "softmax": "nn.losses",
    "MLP": "nn.mlp",
    "Layer": "nn.mlp",
    "Neuron": "nn.mlp",
    "Trace": "nn.mlp",
    "Module": "nn.module",
    "SGD": "nn.optim",
    "Adam": "nn.optim",
    "Optimizer": "nn.optim",
    "ModelFileError": "nn.serialize",
    "History": "nn.train",
    "accuracy": "nn.train",
    "fit": "nn.train",
    "outputs": "nn.train",
    "predict": "nn.train",
}


def __getattr__(name: str) -> object:
    """Load a name of ``__all__`` from its module on first use."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'nn' has no attribute {name!r}")
    module = importlib.import_module(home or f"nn.{name}")
    value = module if not home else getattr(module, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
