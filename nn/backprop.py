"""The four formulas of backpropagation (BP1-BP4) in numpy, vectorized over a batch.

This module is the independent check of the engine: it uses numpy only and imports
neither ``engine`` nor any other ``nn`` module (``compare`` below is only a forwarder
that imports ``nn.comparison`` when it is called).

Notation (the seed's). Layers are l = 1..L, layer 1 being the input layer.

* ``W[l]`` is w^l, shape (n_l, n_{l-1}): w^l_jk joins neuron k of layer l-1 to
  neuron j of layer l. ``B[l]`` is b^l, shape (n_l,). In the lists taken and returned
  here entry 0 is layer 2, entry i is layer i + 2.
* z^l = w^l a^{l-1} + b^l (the weighted input), a^l = f(z^l), a^1 = x.
* delta^l_j = dC/dz^l_j.

The cost of one sample is the seed's quadratic cost C = 1/2 sum_j (y_j - a^L_j)^2
(``cost="mse"``) or the cross-entropy
C = -sum_j [y_j ln a^L_j + (1 - y_j) ln(1 - a^L_j)]
with each logarithm clamped at -100 as PyTorch's ``BCELoss`` does (``cost="bce"``).

The four formulas, with f' the derivative of the layer's activation f:

* BP1  delta^L = dC/da^L ⊙ f'(z^L), and for the quadratic cost dC/da^L = a^L - y.
* BP2  delta^l = ((w^{l+1})^T delta^{l+1}) ⊙ f'(z^l)
* BP3  dC/db^l_j = delta^l_j
* BP4  dC/dw^l_jk = a^{l-1}_k delta^l_j

The sign in BP1. The seed writes dC/da^L_j = (y_j - a^L_j). Differentiating
C = 1/2 (y_j - a_j)^2 by the chain rule gives (y_j - a_j) times the derivative of the
inner term, d(y_j - a_j)/da_j = -1, so dC/da_j = a_j - y_j. The seed dropped that
-1: its y - a is the *negative* gradient, the direction in which C falls fastest.
Used as the gradient in the update w <- w - eta dC/dw it makes every step climb the
cost. The code uses a - y; a test shows the seed's sign disagrees with autograd.

Batches. ``x`` may be one sample, shape (n_1,), or a batch of m samples, shape
(m, n_1), one sample per row; then C is summed over the batch. In matrix form, with
Z^l, A^l and Delta^l of shape (m, n_l) holding one sample per row:

    Z^l = A^{l-1} (W^l)^T + 1 (b^l)^T,   A^l = f(Z^l)
    BP1  Delta^L = (A^L - Y) ⊙ f'(Z^L)
    BP2  Delta^l = (Delta^{l+1} W^{l+1}) ⊙ f'(Z^l)
    BP3  dC/db^l = (Delta^l)^T 1          (the sum of the rows)
    BP4  dC/dW^l = (Delta^l)^T A^{l-1}    (the sum over samples of delta a^T)

so there is no Python loop over samples, only over layers.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:  # only for the annotation of the ``compare`` forwarder
    from nn.comparison import Comparison

__all__ = [
    "ACTIVATIONS",
    "COSTS",
    "Array",
    "Forward",
    "Gradients",
    "activate",
    "activation_derivative",
    "bp1_output_error",
    "bp2_hidden_error",
    "bp3_bias_gradient",
    "bp4_weight_gradient",
    "check_arrays",
    "compare",
    "cost",
    "cost_derivative",
    "cost_per_sample",
    "forward",
    "forward_from",
    "gradients",
    "resolve_activation",
]

Array = npt.NDArray[np.float64]

#: The activations f the formulas know: the seed's sigmoid and TensorFlow Playground's.
ACTIVATIONS = ("sigmoid", "tanh", "relu", "linear")

#: The costs: the seed's quadratic cost and the cross-entropy.
COSTS = ("mse", "bce")

#: PyTorch's BCELoss clamps each logarithm at this value, so C stays finite.
LOG_CLAMP = -100.0


def resolve_activation(name: object, what: str = "activation") -> str:
    """``name`` checked against ``ACTIVATIONS``; TypeError / ValueError naming it."""
    if not isinstance(name, str):
        raise TypeError(f"{what} must be a str, got {type(name).__name__}")
    if name not in ACTIVATIONS:
        raise ValueError(f"unknown {what} {name!r}; expected one of {ACTIVATIONS}")
    return name


def _resolve_cost(name: object) -> str:
    if not isinstance(name, str):
        raise TypeError(f"cost must be a str, got {type(name).__name__}")
    if name not in COSTS:
        raise ValueError(f"unknown cost {name!r}; expected one of {COSTS}")
    return name


def _sigmoid(z: Array) -> Array:
    """sigma(z) = 1 / (1 + e^-z), with e^t evaluated only for t <= 0 (no overflow)."""
    e = np.exp(-np.abs(z))
    return np.where(z >= 0.0, 1.0 / (1.0 + e), e / (1.0 + e))


def activate(name: str, z: Array) -> Array:
    """a = f(z) elementwise for the activation ``name``.

    sigmoid(z) = 1 / (1 + e^-z), tanh(z), relu(z) = max(0, z), linear(z) = z.
    """
    resolve_activation(name)
    if name == "sigmoid":
        return _sigmoid(z)
    if name == "tanh":
        return np.tanh(z)
    if name == "relu":
        return np.where(z > 0.0, z, 0.0)
    return np.array(z, dtype=np.float64, copy=True)


def activation_derivative(name: str, z: Array, a: Array) -> Array:
    """f'(z), written through a = f(z) where that is the usual form.

    sigmoid' = a (1 - a), tanh' = 1 - a^2, relu' = 1 if z > 0 else 0, linear' = 1.
    """
    resolve_activation(name)
    if name == "sigmoid":
        return a * (1.0 - a)
    if name == "tanh":
        return 1.0 - a * a
    if name == "relu":
        return np.where(z > 0.0, 1.0, 0.0)
    return np.ones_like(z)


class Forward(NamedTuple):
    """z^l and a^l of every layer, from ``forward``.

    ``zs[i]`` is z^{i+2} (the input layer has no z) and ``activations[i]`` is a^{i+1}
    (``activations[0]`` is x). ``z(l)`` and ``a(l)`` take the seed's layer number.
    """

    zs: list[Array]
    activations: list[Array]

    def z(self, l: int) -> Array:  # noqa: E741 - the seed's layer index
        """z^l for l = 2..L."""
        if not 2 <= l <= len(self.activations):
            raise IndexError(f"z^l exists for l = 2..{len(self.activations)}, got {l}")
        return self.zs[l - 2]

    def a(self, l: int) -> Array:  # noqa: E741 - the seed's layer index
        """a^l for l = 1..L (a^1 = x)."""
        if not 1 <= l <= len(self.activations):
            raise IndexError(f"a^l exists for l = 1..{len(self.activations)}, got {l}")
        return self.activations[l - 1]

    @property
    def output(self) -> Array:
        """a^L, the network's output."""
        return self.activations[-1]


class Gradients(NamedTuple):
    """delta^l, dC/dw^l and dC/db^l for l = 2..L (entry 0 is layer 2).

    For a batch, ``deltas[i]`` has one row per sample while the parameter gradients are
    summed over the batch (C is the sum of the samples' costs).
    """

    deltas: list[Array]
    weight_grads: list[Array]
    bias_grads: list[Array]


def check_arrays(W: Sequence[Any], B: Sequence[Any]) -> tuple[list[Array], list[Array]]:
    """W and B as float64 arrays, checked to chain: W[i] (n_l, n_{l-1}), B[i] (n_l,).

    Raises TypeError / ValueError naming the layer and the shapes that do not fit.
    """
    if isinstance(W, np.ndarray) or isinstance(B, np.ndarray):
        raise TypeError("W and B must be lists of arrays, one per layer 2..L")
    if len(W) != len(B):
        raise ValueError(f"{len(W)} weight matrices but {len(B)} bias vectors")
    if len(W) == 0:
        raise ValueError("a network needs at least one layer after the input layer")
    Ws: list[Array] = []
    Bs: list[Array] = []
    for i, (w, b) in enumerate(zip(W, B, strict=True)):
        l = i + 2  # noqa: E741 - the seed's layer index
        try:
            wa = np.asarray(w, dtype=np.float64)
            ba = np.asarray(b, dtype=np.float64)
        except (TypeError, ValueError) as exc:
            raise TypeError(
                f"layer {l}: weights and biases must be real arrays"
            ) from exc
        if wa.ndim != 2:
            raise ValueError(f"W of layer {l} must be 2-D, got shape {wa.shape}")
        if ba.shape != (wa.shape[0],):
            raise ValueError(
                f"B of layer {l} must have shape ({wa.shape[0]},) to match W of shape "
                f"{wa.shape}, got {ba.shape}"
            )
        if wa.shape[0] < 1 or wa.shape[1] < 1:
            raise ValueError(f"W of layer {l} has an empty shape {wa.shape}")
        if Ws and wa.shape[1] != Ws[-1].shape[0]:
            raise ValueError(
                f"W of layer {l} has shape {wa.shape} but layer {l - 1} has "
                f"{Ws[-1].shape[0]} neurons, so it needs {Ws[-1].shape[0]} columns"
            )
        Ws.append(wa)
        Bs.append(ba)
    return Ws, Bs


def _as_input(x: Any, n_in: int) -> Array:
    try:
        xa = np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"x must be a real array, got {type(x).__name__}") from exc
    if xa.ndim not in (1, 2) or xa.shape[-1] != n_in:
        raise ValueError(
            f"x must have shape ({n_in},) or (m, {n_in}) for a network with {n_in} "
            f"inputs, got {xa.shape}"
        )
    return xa


def _activations_per_layer(
    n_layers: int, activation: str, output_activation: str | None
) -> list[str]:
    hidden = resolve_activation(activation)
    out = (
        hidden
        if output_activation is None
        else resolve_activation(output_activation, "output_activation")
    )
    return [hidden] * (n_layers - 1) + [out]


def forward(
    W: Sequence[Any],
    B: Sequence[Any],
    x: Any,
    activation: str = "sigmoid",
    output_activation: str | None = None,
) -> Forward:
    """The forward pass: z^l = w^l a^{l-1} + b^l and a^l = f(z^l) for l = 2..L.

    ``x`` is one sample (n_1,) or a batch (m, n_1); every z^l and a^l then has shape
    (n_l,) or (m, n_l). ``output_activation=None`` uses ``activation`` for layer L too.
    """
    Ws, Bs = check_arrays(W, B)
    a = _as_input(x, Ws[0].shape[1])
    fs = _activations_per_layer(len(Ws), activation, output_activation)
    zs: list[Array] = []
    acts: list[Array] = [a]
    for w, b, f in zip(Ws, Bs, fs, strict=True):
        z = a @ w.T + b
        a = activate(f, z)
        zs.append(z)
        acts.append(a)
    return Forward(zs, acts)


def forward_from(
    W: Sequence[Array],
    B: Sequence[Array],
    l: int,  # noqa: E741 - the seed's layer index
    z: Array,
    activation: str = "sigmoid",
    *,
    output_activation: str | None = None,
) -> Array:
    """a^L computed from a given z^l (l = 2..L): the rest of the forward pass.

    Central differences of C with respect to z^l_j use it.
    """
    Ws, Bs = check_arrays(W, B)
    fs = _activations_per_layer(len(Ws), activation, output_activation)
    a = activate(fs[l - 2], z)
    for w, b, f in zip(Ws[l - 1 :], Bs[l - 1 :], fs[l - 1 :], strict=True):
        a = activate(f, a @ w.T + b)
    return a


def _check_target(a_L: Array, y: Any) -> Array:
    try:
        ya = np.asarray(y, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"y must be a real array, got {type(y).__name__}") from exc
    if ya.shape != a_L.shape:
        raise ValueError(f"y has shape {ya.shape} but the output a^L has {a_L.shape}")
    return ya


def cost_per_sample(a_L: Array, y: Any, cost: str = "mse") -> Array:
    """C of each sample: shape () for one sample, (m,) for a batch.

    mse: C = 1/2 sum_j (y_j - a_j)^2.
    bce: C = -sum_j [y_j max(ln a_j, -100) + (1 - y_j) max(ln(1 - a_j), -100)].
    """
    ya = _check_target(a_L, y)
    if _resolve_cost(cost) == "mse":
        return np.asarray(0.5 * np.sum((ya - a_L) ** 2, axis=-1), dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        log_a = np.maximum(np.log(a_L), LOG_CLAMP)
        log_1ma = np.maximum(np.log(1.0 - a_L), LOG_CLAMP)
    return np.asarray(-np.sum(ya * log_a + (1.0 - ya) * log_1ma, axis=-1))


def cost(
    W: Sequence[Any],
    B: Sequence[Any],
    x: Any,
    y: Any,
    activation: str = "sigmoid",
    *,
    output_activation: str | None = None,
    cost: str = "mse",
) -> float:
    """C of the network at x, summed over the batch."""
    a_L = forward(W, B, x, activation, output_activation).output
    return float(np.sum(cost_per_sample(a_L, y, cost)))


def cost_derivative(a_L: Array, y: Any, cost: str = "mse") -> Array:
    """dC/da^L elementwise.

    mse: a - y (NOT the seed's y - a, which is the negative gradient).
    bce: -y/a + (1 - y)/(1 - a), each term 0 where its logarithm is clamped at -100
    (the derivative of the clamp), as the engine differentiates the same expression.
    """
    ya = _check_target(a_L, y)
    if _resolve_cost(cost) == "mse":
        return a_L - ya
    with np.errstate(divide="ignore", invalid="ignore"):
        d_log_a = np.where(np.log(a_L) > LOG_CLAMP, 1.0 / a_L, 0.0)
        d_log_1ma = np.where(np.log(1.0 - a_L) > LOG_CLAMP, 1.0 / (1.0 - a_L), 0.0)
    return np.asarray(-ya * d_log_a + (1.0 - ya) * d_log_1ma, dtype=np.float64)


def bp1_output_error(
    z_L: Array,
    a_L: Array,
    y: Any,
    activation: str = "sigmoid",
    cost: str = "mse",
) -> Array:
    """BP1: delta^L = dC/da^L ⊙ f'(z^L); for the quadratic cost (a^L - y) ⊙ f'(z^L).

    Not the seed's (y - a^L) ⊙ f'(z^L): that is -delta^L (see the module docstring).
    """
    return cost_derivative(a_L, y, cost) * activation_derivative(activation, z_L, a_L)


def bp2_hidden_error(
    W_next: Array,
    delta_next: Array,
    z: Array,
    a: Array,
    activation: str = "sigmoid",
) -> Array:
    """BP2: delta^l = ((w^{l+1})^T delta^{l+1}) ⊙ f'(z^l).

    ``W_next`` is w^{l+1}; for a batch (rows are samples) (w^T delta)^T = Delta W.
    """
    return (delta_next @ W_next) * activation_derivative(activation, z, a)


def bp3_bias_gradient(delta: Array) -> Array:
    """BP3: dC/db^l_j = delta^l_j, summed over the samples of a batch."""
    return np.array(delta.sum(axis=0) if delta.ndim == 2 else delta, copy=True)


def bp4_weight_gradient(delta: Array, a_prev: Array) -> Array:
    """BP4: dC/dw^l_jk = a^{l-1}_k delta^l_j, i.e. delta a^T, summed over the batch."""
    if delta.ndim == 2:
        return np.asarray(delta.T @ a_prev, dtype=np.float64)
    return np.outer(delta, a_prev)


def gradients(
    W: Sequence[Any],
    B: Sequence[Any],
    x: Any,
    y: Any,
    activation: str = "sigmoid",
    *,
    output_activation: str | None = None,
    cost: str = "mse",
) -> Gradients:
    """Backpropagation by the four formulas: deltas, dC/dw and dC/db of every layer.

    Forward pass, BP1 at layer L, then BP2 from layer L-1 down to 2; BP3 and BP4 give
    each layer's parameter gradients from its delta. ``y`` has the shape of a^L.
    """
    Ws, Bs = check_arrays(W, B)
    fw = forward(Ws, Bs, x, activation, output_activation)
    fs = _activations_per_layer(len(Ws), activation, output_activation)
    n = len(Ws)
    deltas: list[Array] = [np.empty(0)] * n
    deltas[-1] = bp1_output_error(fw.zs[-1], fw.output, y, fs[-1], cost)
    for i in range(n - 2, -1, -1):
        deltas[i] = bp2_hidden_error(
            Ws[i + 1], deltas[i + 1], fw.zs[i], fw.activations[i + 1], fs[i]
        )
    weight_grads = [
        bp4_weight_gradient(d, fw.activations[i]) for i, d in enumerate(deltas)
    ]
    bias_grads = [bp3_bias_gradient(d) for d in deltas]
    return Gradients(deltas, weight_grads, bias_grads)


def compare(net: Any, x: Any, y: Any, **options: Any) -> Comparison:
    """Autograd against BP1-BP4 and central differences; see ``nn.comparison.compare``.

    A forwarder, so that ``backprop.compare`` exists: the import happens only when it
    is called, and this module itself never loads the engine.
    """
    from nn.comparison import compare as _compare  # noqa: PLC0415 - see docstring

    return _compare(net, x, y, **options)
