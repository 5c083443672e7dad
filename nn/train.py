"""Mini-batch training, through the engine or through the four formulas.

``fit`` shuffles the training set each epoch (``numpy.random.default_rng(seed)``),
cuts it into mini-batches of ``batch_size`` (the last one may be smaller) and, for each
batch of m samples, takes one optimizer step on the batch's mean cost

    C_batch = (1/m) sum_x C_x,    so   dC_batch/dtheta = (1/m) sum_x dC_x/dtheta.

* ``engine="autograd"``: each sample's graph is built from the net's Values, its C_x
  labelled ``C``, and ``C_x.backward()`` adds dC_x/dtheta into the parameters' grads
  (PyTorch's accumulation); the optimizer then steps on (1/m) sum_x dC_x/dtheta.
  With ``loss="cross_entropy"`` the target of a sample is its class index, as for
  PyTorch's ``CrossEntropyLoss``.
* ``engine="numpy"``: ``backprop.gradients`` gives sum_x dC_x/dtheta for the whole
  batch at once by BP1-BP4, and the same optimizer's ``update`` is applied to the
  weights as one flat vector. Its targets are the rows y of ``to_targets`` (one-hot
  for several outputs).

Both paths order the parameters as ``net.parameters()`` does and apply the very same
update arithmetic, so with the same seed, data and schedule they end with the same
weights up to rounding.

Predictions (``predict``, ``accuracy``, the history) always go through the vectorized
``backprop.forward``: one output means class 1 where a^L >= 0.5, several outputs mean
the class of the largest a^L_j (for logits, the largest softmax too).
"""

from __future__ import annotations

import itertools
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
from tqdm.auto import tqdm  # a widget in Jupyter, a text bar elsewhere

from nn import backprop
from nn.arrays import Array, check_finite_samples, check_logits_output, integer
from nn.data import Dataset, to_targets
from nn.health import Monitor
from nn.losses import LOSSES
from nn.mlp import MLP
from nn.names import COSTS, ENGINES, OPTIMIZERS, one_of
from nn.optim import SGD, Adam, Optimizer

__all__ = [
    "History",
    "accuracy",
    "fit",
    "make_optimizer",
    "outputs",
    "pack",
    "predict",
    "unpack",
]

@dataclass(repr=False)
class History:
    """Per-epoch records of ``fit``: the train set's mean cost per sample after the
    epoch, train accuracy, the test set's mean cost per sample and accuracy (both
    empty without a test set) and the seconds the epoch's training steps took
    (evaluation excluded)."""

    loss: list[float] = field(default_factory=list)
    accuracy: list[float] = field(default_factory=list)
    test_accuracy: list[float] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)
    engine: str = "autograd"
    test_loss: list[float] = field(default_factory=list)

    def __repr__(self) -> str:
        """One line: the epochs, and the last epoch's figures."""
        n = len(self.loss)
        if n == 0:
            return f"History({self.engine}, 0 epochs)"
        last = f"cost {self.loss[-1]:.4g}, accuracy {self.accuracy[-1]:.3f}"
        if self.test_loss:
            last += f"; test cost {self.test_loss[-1]:.4g}"
        if self.test_accuracy:
            last += f", test accuracy {self.test_accuracy[-1]:.3f}"
        return f"History({self.engine}, {n} epochs; last: {last})"


def pack(W: Sequence[Array], B: Sequence[Array]) -> Array:
    """W and B as one vector, in the order of ``MLP.parameters()``: for each layer and
    each neuron j, its weights w_j1..w_jn and then its bias b_j."""
    return np.concatenate(
        [np.hstack([w, b[:, None]]).ravel() for w, b in zip(W, B, strict=True)]
    )


def unpack(theta: Array, sizes: Sequence[int]) -> tuple[list[Array], list[Array]]:
    """The inverse of ``pack`` for a net of the given sizes."""
    W: list[Array] = []
    B: list[Array] = []
    at = 0
    for n_prev, n in itertools.pairwise(sizes):
        block = theta[at : at + n * (n_prev + 1)].reshape(n, n_prev + 1)
        W.append(block[:, :-1].copy())
        B.append(block[:, -1].copy())
        at += n * (n_prev + 1)
    if at != theta.shape[0]:
        raise ValueError(f"theta has {theta.shape[0]} entries, sizes {sizes} need {at}")
    return W, B


def outputs(net: MLP, x: npt.ArrayLike) -> Array:
    """a^L for x of shape (n_1,) or (m, n_1), by ``backprop.forward`` (no graph)."""
    return backprop.forward(
        net.weights(), net.biases(), x, net.activation, net.output_activation
    ).output


def _classes(a_L: Array) -> npt.NDArray[np.int64]:
    if a_L.shape[-1] == 1:
        return np.asarray(a_L[..., 0] >= 0.5, dtype=np.int64)
    return np.asarray(np.argmax(a_L, axis=-1), dtype=np.int64)


def predict(net: MLP, x: npt.ArrayLike) -> npt.NDArray[np.int64]:
    """Class indices for x of shape (m, n_1) -> (m,), or (n_1,) -> shape ()."""
    return _classes(outputs(net, x))


def accuracy(net: MLP, ds: Dataset) -> float:
    """Share of ``ds`` whose predicted class equals its label."""
    if len(ds) == 0:
        raise ValueError("accuracy of an empty data set")
    return float(np.mean(predict(net, ds.x) == ds.labels))


def make_optimizer(name: str, net: MLP, lr: float, momentum: float = 0.0) -> Optimizer:
    """``SGD(net.parameters(), lr, momentum)`` or ``Adam(net.parameters(), lr)``
    for ``name`` "sgd" or "adam" (``nn.names.OPTIMIZERS``)."""
    if one_of(name, OPTIMIZERS, "optimizer") == "sgd":
        return SGD(net.parameters(), lr, momentum=momentum)
    if momentum:
        raise ValueError("momentum applies to optimizer='sgd' only")
    return Adam(net.parameters(), lr)


def _check_data(net: MLP, ds: object, what: str) -> None:
    """``ds`` (the ``what`` set) is a non-empty Dataset that fits the net: its number
    of inputs, finite inputs, and its classes for the net's outputs (k outputs, or 1
    for 2 classes)."""
    if not isinstance(ds, Dataset):
        raise TypeError(f"{what} must be a Dataset, got {type(ds).__name__}")
    if len(ds) == 0:
        raise ValueError(f"the {what} set is empty")
    if ds.n_features != net.sizes[0]:
        raise ValueError(
            f"the {what} set {ds.name!r} has {ds.n_features} inputs but the net "
            f"has {net.sizes[0]}"
        )
    check_finite_samples(ds.x, f"the {what} set {ds.name!r}")
    n_out = net.sizes[-1]
    if not (n_out == ds.n_classes or (n_out == 1 and ds.n_classes == 2)):
        raise ValueError(
            f"the {what} set {ds.name!r} has {ds.n_classes} classes but the net has "
            f"{n_out} outputs (use {ds.n_classes} outputs, or 1 for 2 classes)"
        )


def _check_fit(
    net: MLP,
    train: Dataset,
    test: Dataset | None,
    epochs: int,
    batch_size: int,
    *,
    engine: str,
    loss: str,
) -> None:
    """Every argument of ``fit`` but the optimizer's, before any training."""
    if not isinstance(net, MLP):
        raise TypeError(f"net must be an MLP, got {type(net).__name__}")
    _check_data(net, train, "train")
    if test is not None:
        _check_data(net, test, "test")
    integer(epochs, "epochs")
    integer(batch_size, "batch_size")
    one_of(engine, ENGINES, "engine")
    if one_of(loss, COSTS, "loss") == "bce" and net.output_activation != "sigmoid":
        raise ValueError(
            f"loss='bce' needs outputs in [0, 1], i.e. output_activation='sigmoid'; "
            f"the net's output activation is {net.output_activation!r}"
        )
    check_logits_output(loss, net.output_activation, "loss")
    if loss == "cross_entropy" and net.sizes[-1] < 2:
        raise ValueError(
            "loss='cross_entropy' needs one output per class (the softmax of a single "
            "logit is always 1): use 2 outputs for 2 classes"
        )


def _monitor(
    net: MLP, train: Dataset, y: Array, *, loss: str, lr: float
) -> Monitor:
    """The watch over a run of ``fit`` (``nn.health``), from the weights before it."""
    return Monitor(
        net.weights(),
        net.biases(),
        train.x,
        y,
        loss=loss,
        lr=lr,
        activation=net.activation,
        output_activation=net.output_activation,
    )


def _engine_step(
    net: MLP, opt: Optimizer, x: Array, y: npt.NDArray[np.generic], loss: str
) -> None:
    """One step on (1/m) sum_x dC_x/dtheta, the gradients found by autograd; ``y``
    holds a target row per sample, or a class index for the cross-entropy."""
    cost = LOSSES[loss]
    opt.zero_grad()
    for xi, yi in zip(x.tolist(), y.tolist(), strict=True):
        cost(net(xi), yi).backward()
    m = x.shape[0]
    for p in opt.params:
        p.grad /= m
    opt.step()


def _numpy_gradient(net: MLP, theta: Array, x: Array, y: Array, loss: str) -> Array:
    """(1/m) sum_x dC_x/dtheta by BP1-BP4, packed as ``net.parameters()``."""
    W, B = unpack(theta, net.sizes)
    g = backprop.gradients(
        W, B, x, y, net.activation, output_activation=net.output_activation, cost=loss
    )
    return np.asarray(pack(g.weight_grads, g.bias_grads) / x.shape[0])


def fit(
    net: MLP,
    train: Dataset,
    *,
    epochs: int,
    lr: float,
    batch_size: int,
    engine: str = "autograd",
    optimizer: str = "sgd",
    momentum: float = 0.0,
    loss: str = "mse",
    seed: int | None = 0,
    test: Dataset | None = None,
    progress: bool | None = None,
) -> History:
    """Train ``net`` in place by mini-batch gradient descent; see the module docstring.

    ``loss`` is ``"mse"`` (the seed's quadratic cost), ``"bce"`` (only for a
    sigmoid output layer) or ``"cross_entropy"`` (softmax cross-entropy of logits:
    only for a linear output layer with one output per class; predictions are the
    largest logit); ``optimizer`` is ``"sgd"`` (with ``momentum``) or
    ``"adam"``. ``progress``: a tqdm bar on stderr; None shows it only when stderr is
    a terminal. Every argument, ``test`` included, is checked before training starts,
    and the data too: an input that is nan or inf raises ValueError naming its
    sample and feature.

    After every epoch the run is checked (``nn.health``, on both paths): a weight or
    cost that becomes inf or nan stops training with ``nn.TrainingDivergedError`` (a
    ValueError) naming the epoch and lr; exploding weights or cost, saturated sigmoid
    layers and dead ReLU layers warn, once each, with an ``nn.TrainingWarning``.
    numpy's overflow warnings inside training are silenced: the checks report.
    """
    _check_fit(net, train, test, epochs, batch_size, engine=engine, loss=loss)
    opt = make_optimizer(optimizer, net, lr, momentum)
    y_train = to_targets(train.labels, net.sizes[-1])
    y_test = None if test is None else to_targets(test.labels, net.sizes[-1])
    # The engine's cross-entropy takes class indices, as PyTorch's does.
    y_engine = train.labels if loss == "cross_entropy" else y_train
    rng = np.random.default_rng(seed)
    m = len(train)
    n_batches = -(-m // batch_size)
    show = sys.stderr.isatty() if progress is None else bool(progress)
    history = History(engine=engine)
    theta = pack(net.weights(), net.biases())
    monitor = _monitor(net, train, y_train, loss=loss, lr=lr)
    with tqdm(
        total=epochs * n_batches, disable=not show, unit="batch", leave=False
    ) as bar, np.errstate(over="ignore", invalid="ignore"):  # the monitor reports
        for epoch in range(epochs):
            order = rng.permutation(m)
            start = time.perf_counter()
            for i in range(n_batches):
                idx = order[i * batch_size : (i + 1) * batch_size]
                xb, yb = train.x[idx], y_train[idx]
                if engine == "autograd":
                    _engine_step(net, opt, xb, y_engine[idx], loss)
                else:
                    theta = opt.update(theta, _numpy_gradient(net, theta, xb, yb, loss))
                bar.update(1)
            history.seconds.append(time.perf_counter() - start)
            if engine == "autograd":
                theta = pack(net.weights(), net.biases())
            monitor.check(epoch + 1, *unpack(theta, net.sizes))  # raises if inf/nan
            if engine == "numpy":
                net.load_arrays(*unpack(theta, net.sizes))
            a_L = outputs(net, train.x)
            history.loss.append(
                float(np.mean(backprop.cost_per_sample(a_L, y_train, loss)))
            )
            history.accuracy.append(float(np.mean(_classes(a_L) == train.labels)))
            if test is not None and y_test is not None:
                a_test = outputs(net, test.x)
                history.test_loss.append(
                    float(np.mean(backprop.cost_per_sample(a_test, y_test, loss)))
                )
                history.test_accuracy.append(
                    float(np.mean(_classes(a_test) == test.labels))
                )
            bar.set_postfix(
                epoch=epoch + 1,
                loss=f"{history.loss[-1]:.4g}",
                acc=f"{history.accuracy[-1]:.3f}",
            )
    return history
