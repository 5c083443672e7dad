"""deltagrad's neural networks: the seed's MLP of engine scalars and the four formulas.

>>> from nn import MLP, mse
>>> net = MLP([2, 3, 1], seed=0)       # sizes input layer first; sigmoid everywhere
>>> C = mse(net([0.5, -1.0]), [1.0])   # C = 1/2 (y - a)^2, a node labelled "C"
>>> net.zero_grad(); C.backward()       # every z[l][j].grad is now delta^l_j

``nn.backprop`` holds the four formulas BP1-BP4 in numpy; ``compare(net, x, y)``
(``nn.comparison``) checks autograd against them and central differences, layer by
layer.
"""

from nn import backprop, data
from nn.comparison import Comparison, ComparisonRow, compare
from nn.data import Dataset, make_dataset, to_targets, train_test_split
from nn.losses import bce, mse
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
    "History",
    "Layer",
    "ModelFileError",
    "Module",
    "Neuron",
    "Optimizer",
    "Trace",
    "accuracy",
    "backprop",
    "bce",
    "compare",
    "data",
    "fit",
    "make_dataset",
    "mse",
    "outputs",
    "predict",
    "to_targets",
    "train_test_split",
]
