"""The four formulas of backpropagation (BP1-BP4) in numpy, vectorized over a batch.

This module is the independent check of the engine, so it never loads ``engine``:
it imports numpy and the numpy-only nn modules ``nn.arrays`` (the checks of its
arguments), ``nn.activations`` (f and f') and ``nn.names`` (a test imports it in a
fresh interpreter and finds no ``engine`` module loaded). ``nn.comparison.compare``
runs one MLP through both.

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
Its outputs must lie in [0, 1] (ValueError otherwise, as in PyTorch; the check is
``nn.arrays.check_probabilities``, shared with ``nn.bce``). Its gradient is
that of the clamped expression, exactly as the engine differentiates ``nn.bce``: a
clamped logarithm is the constant -100 and contributes 0 (see ``cost_derivative``).

For more than two classes, ``cost="cross_entropy"`` is the cross-entropy of the
softmax of a linear output layer's z^L = a^L (the logits; ValueError for another
output activation), as PyTorch's ``CrossEntropyLoss``:

    C = -sum_j y_j ln softmax(z^L)_j,   softmax(z)_j = e^(z_j) / sum_k e^(z_k),

with y a one-hot row (or class probabilities: y_j >= 0), ln softmax computed as
(z_j - m) - ln sum_k e^(z_k - m), m = max_k z_k, so no logit overflows.

The four formulas, with f' the derivative of the layer's activation f:

* BP1  delta^L = dC/da^L ⊙ f'(z^L), and for the quadratic cost dC/da^L = a^L - y.
  For the softmax cross-entropy (f linear, f' = 1), since
  d ln softmax(z)_k / dz_j = [j = k] - softmax(z)_j,
  delta^L_j = -sum_k y_k ([j = k] - softmax(z^L)_j)
            = softmax(z^L)_j sum_k y_k - y_j,
  i.e. delta^L = softmax(z^L) - y for a one-hot y.
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
    BP1  Delta^L = (A^L - Y) ⊙ f'(Z^L)     (softmax(Z^L) - Y: cross-entropy)
    BP2  Delta^l = (Delta^{l+1} W^{l+1}) ⊙ f'(Z^l)
    BP3  dC/db^l = (Delta^l)^T 1          (the sum of the rows)
    BP4  dC/dW^l = (Delta^l)^T A^{l-1}    (the sum over samples of delta a^T)

so there is no Python loop over samples, only over layers.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np

from nn.activations import activate, activation_derivative, resolve_activation
from nn.arrays import (
    LOG_CLAMP,
    Array,
    check_arrays,
    check_class_probabilities,
    check_logits_output,
    check_probabilities,
    check_rows,
    check_target,
)
from nn.names import COSTS, one_of

__all__ = [
    "Array",
    "Forward",
    "Gradients",
    "bp1_output_error",
    "bp2_hidden_error",
    "bp3_bias_gradient",
    "bp4_weight_gradient",
    "cost",
    "cost_derivative",
    "cost_per_sample",
    "forward",
    "forward_from",
    "gradients",
    "log_softmax",
    "softmax",
]


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


# --- the forward pass ------------------------------------------------------------


def _activations_per_layer(
    n_layers: int, activation: str, output_activation: str | None
) -> list[str]:
    """f of layers 2..L: ``activation``, and ``output_activation`` for layer L."""
    hidden = resolve_activation(activation)
    out = (
        hidden
        if output_activation is None
        else resolve_activation(output_activation, "output_activation")
    )
    return [hidden] * (n_layers - 1) + [out]


def _input(x: Any, Ws: list[Array]) -> Array:
    n_in = Ws[0].shape[1]
    return check_rows(x, "x", n_in, f" for a network with {n_in} inputs")


def _forward(Ws: list[Array], Bs: list[Array], x: Array, fs: list[str]) -> Forward:
    """The forward pass on checked arrays (``forward`` without its checks)."""
    a = x
    zs: list[Array] = []
    acts: list[Array] = [a]
    for w, b, f in zip(Ws, Bs, fs, strict=True):
        z = a @ w.T + b
        a = activate(f, z)
        zs.append(z)
        acts.append(a)
    return Forward(zs, acts)


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
    fs = _activations_per_layer(len(Ws), activation, output_activation)
    return _forward(Ws, Bs, _input(x, Ws), fs)


def forward_from(
    W: Sequence[Any],
    B: Sequence[Any],
    l: int,  # noqa: E741 - the seed's layer index
    z: Any,
    activation: str = "sigmoid",
    *,
    output_activation: str | None = None,
) -> Array:
    """a^L computed from a given z^l (l = 2..L): the rest of the forward pass.

    ``z`` has shape (n_l,) or (m, n_l). Central differences of C with respect to
    z^l_j use it. An l outside 2..L raises ValueError naming that range.
    """
    Ws, Bs = check_arrays(W, B)
    L = len(Ws) + 1
    if isinstance(l, bool) or not isinstance(l, numbers.Integral) or not 2 <= l <= L:
        raise ValueError(f"l must be a layer with a z, 2..{L}, got {l!r}")
    za = check_rows(z, f"z^{l}", Ws[l - 2].shape[0])
    fs = _activations_per_layer(len(Ws), activation, output_activation)
    a = activate(fs[l - 2], za)
    for w, b, f in zip(Ws[l - 1 :], Bs[l - 1 :], fs[l - 1 :], strict=True):
        a = activate(f, a @ w.T + b)
    return a


# --- the costs -------------------------------------------------------------------


def _shifted_logits(z: Array) -> tuple[Array, Array]:
    """z_j - m and S = sum_k e^(z_k - m) per sample, m = max_k z_k (every
    e^(z_k - m) <= 1: no overflow; inf - inf is nan, as in PyTorch)."""
    with np.errstate(invalid="ignore"):
        shifted = z - np.max(z, axis=-1, keepdims=True)
    return shifted, np.sum(np.exp(shifted), axis=-1, keepdims=True)


def softmax(z: Array) -> Array:
    """softmax(z)_j = e^(z_j - m) / sum_k e^(z_k - m) over the last axis."""
    shifted, s = _shifted_logits(z)
    return np.asarray(np.exp(shifted) / s)


def log_softmax(z: Array) -> Array:
    """ln softmax(z)_j = (z_j - m) - ln sum_k e^(z_k - m) over the last axis."""
    shifted, s = _shifted_logits(z)
    return np.asarray(shifted - np.log(s))


def cost_per_sample(a_L: Array, y: Any, cost: str = "mse") -> Array:
    """C of each sample: shape () for one sample, (m,) for a batch.

    mse: C = 1/2 sum_j (y_j - a_j)^2.
    bce: C = -sum_j [y_j max(ln a_j, -100) + (1 - y_j) max(ln(1 - a_j), -100)],
    for outputs a_j in [0, 1] only (ValueError naming the first one outside).
    cross_entropy: C = -sum_j y_j ln softmax(a)_j, a = z^L the logits, y_j >= 0.
    """
    ya = check_target(y, a_L)
    name = one_of(cost, COSTS, "cost")
    if name == "mse":
        return np.asarray(0.5 * np.sum((ya - a_L) ** 2, axis=-1), dtype=np.float64)
    if name == "cross_entropy":
        check_class_probabilities(ya, a_L)
        with np.errstate(invalid="ignore"):  # 0 * -inf = nan, as in PyTorch
            return np.asarray(-np.sum(ya * log_softmax(a_L), axis=-1))
    check_probabilities(a_L, "a^L")
    with np.errstate(divide="ignore"):  # ln 0 = -inf, then clamped
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
    Ws, Bs = check_arrays(W, B)
    fs = _activations_per_layer(len(Ws), activation, output_activation)
    check_logits_output(cost, fs[-1])
    a_L = _forward(Ws, Bs, _input(x, Ws), fs).output
    return float(np.sum(cost_per_sample(a_L, y, cost)))


def cost_derivative(a_L: Array, y: Any, cost: str = "mse") -> Array:
    """dC/da^L elementwise.

    mse: a - y (NOT the seed's y - a, which is the negative gradient).
    bce: -y/a + (1 - y)/(1 - a), the derivative of the clamped cost: a logarithm
    clamped at -100 is a constant, so its term is 0 (a = 0 or 1 gives 0, not inf).
    The engine differentiates ``nn.bce`` to the same numbers. PyTorch's backward is
    (a - y) / max(a (1 - a), 1e-12) instead: equal (up to rounding) while
    a (1 - a) >= 1e-12, different closer to 0 or 1. Only the forward clamp follows
    PyTorch. Outputs outside [0, 1] raise ValueError, as in ``cost_per_sample``.
    cross_entropy (a = z^L the logits): softmax(a)_j sum_k y_k - y_j, which is
    softmax(a) - y for a one-hot y.
    """
    ya = check_target(y, a_L)
    name = one_of(cost, COSTS, "cost")
    if name == "mse":
        return a_L - ya
    if name == "cross_entropy":
        check_class_probabilities(ya, a_L)
        return np.asarray(softmax(a_L) * np.sum(ya, axis=-1, keepdims=True) - ya)
    check_probabilities(a_L, "a^L")
    with np.errstate(divide="ignore", over="ignore"):  # 1/a where the log is clamped
        d_log_a = np.where(np.log(a_L) > LOG_CLAMP, 1.0 / a_L, 0.0)
        d_log_1ma = np.where(np.log(1.0 - a_L) > LOG_CLAMP, 1.0 / (1.0 - a_L), 0.0)
    return np.asarray(-ya * d_log_a + (1.0 - ya) * d_log_1ma, dtype=np.float64)


# --- the four formulas -------------------------------------------------------------


def bp1_output_error(
    z_L: Array,
    a_L: Array,
    y: Any,
    activation: str = "sigmoid",
    cost: str = "mse",
) -> Array:
    """BP1: delta^L = dC/da^L ⊙ f'(z^L); for the quadratic cost (a^L - y) ⊙ f'(z^L).

    Not the seed's (y - a^L) ⊙ f'(z^L): that is -delta^L (see the module docstring).
    For the softmax cross-entropy, on a linear output layer only (a^L = z^L,
    f' = 1): delta^L_j = softmax(z^L)_j sum_k y_k - y_j, softmax(z^L) - y for a
    one-hot y.
    """
    check_logits_output(cost, activation)
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
    each layer's parameter gradients from its delta. ``y`` has the shape of a^L. Each
    formula is called once per layer on the whole batch (matrix form).
    """
    Ws, Bs = check_arrays(W, B)
    fs = _activations_per_layer(len(Ws), activation, output_activation)
    check_logits_output(cost, fs[-1])
    fw = _forward(Ws, Bs, _input(x, Ws), fs)
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
