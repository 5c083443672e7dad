"""The four formulas of backpropagation (BP1-BP4) in numpy, vectorized over a batch.

This module is the independent check of the engine. The file imports numpy and the
standard library only: neither ``engine`` nor any other ``nn`` module (``compare``
below is only a forwarder that imports ``nn.comparison`` when it is called). Note that
``import nn.backprop`` first runs ``nn/__init__.py``, which loads the engine; the
file itself runs without it (a test loads it alone and checks ``sys.modules``).

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
Its outputs must lie in [0, 1] (ValueError otherwise, as in PyTorch). Its gradient is
that of the clamped expression, exactly as the engine differentiates ``nn.bce``: a
clamped logarithm is the constant -100 and contributes 0 (see ``cost_derivative``).

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

import numbers
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:  # only for the annotation of the ``compare`` forwarder
    from nn.comparison import Comparison

__all__ = [
    "ACTIVATIONS",
    "COSTS",
    "LOG_CLAMP",
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
    "check_layer",
    "compare",
    "cost",
    "cost_derivative",
    "cost_per_sample",
    "forward",
    "forward_from",
    "gradients",
    "real_array",
    "resolve_activation",
    "resolve_cost",
]

Array = npt.NDArray[np.float64]

#: The activations f the formulas know: the seed's sigmoid and TensorFlow Playground's.
ACTIVATIONS = ("sigmoid", "tanh", "relu", "linear")

#: The costs: the seed's quadratic cost and the cross-entropy.
COSTS = ("mse", "bce")

#: PyTorch's BCELoss clamps each logarithm at this value, so C stays finite.
LOG_CLAMP = -100.0


def _one_of(name: object, choices: tuple[str, ...], what: str) -> str:
    if not isinstance(name, str):
        raise TypeError(f"{what} must be a str, got {type(name).__name__}")
    if name not in choices:
        raise ValueError(f"unknown {what} {name!r}; expected one of {choices}")
    return name


def resolve_activation(name: object, what: str = "activation") -> str:
    """``name`` checked against ``ACTIVATIONS``; TypeError / ValueError naming it."""
    return _one_of(name, ACTIVATIONS, what)


def resolve_cost(name: object, what: str = "cost") -> str:
    """``name`` checked against ``COSTS``; TypeError / ValueError naming it."""
    return _one_of(name, COSTS, what)


def _sigmoid(z: Array) -> Array:
    """sigma(z) = 1 / (1 + e^-z), with e^t evaluated only for t <= 0 (no overflow)."""
    e = np.exp(-np.abs(z))
    return np.where(z >= 0.0, 1.0 / (1.0 + e), e / (1.0 + e))


def activate(name: str, z: Array) -> Array:
    """a = f(z) elementwise for the activation ``name``.

    sigmoid(z) = 1 / (1 + e^-z), tanh(z), relu(z) = max(0, z), linear(z) = z.
    relu passes nan through and maps -0.0 to 0.0, exactly as the engine's relu.
    """
    resolve_activation(name)
    if name == "sigmoid":
        return _sigmoid(z)
    if name == "tanh":
        return np.tanh(z)
    if name == "relu":
        return np.where(z <= 0.0, 0.0, z)  # nan <= 0 is False: nan stays nan
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


_KINDS = {"b": "bool", "U": "str", "S": "bytes", "c": "complex", "O": "object"}


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
    if finite and not np.isfinite(out).all():
        raise ValueError(f"{what} must be finite, got {out[~np.isfinite(out)][0]}")
    return out


def check_layer(
    w: Any,
    b: Any,
    l: int,  # noqa: E741 - the seed's layer index
    shape: tuple[int, int] | None = None,
    *,
    finite: bool = False,
) -> tuple[Array, Array]:
    """W^l and b^l as float64 arrays: W 2-D and non-empty (of ``shape`` if given),
    b of shape (n_l,). Errors name layer ``l`` and, for shapes, W before b."""
    wa = real_array(w, f"W of layer {l}", finite=finite)
    ba = real_array(b, f"B of layer {l}", finite=finite)
    if wa.ndim != 2:
        raise ValueError(f"W of layer {l} must be 2-D, got shape {wa.shape}")
    if shape is not None and wa.shape != shape:
        raise ValueError(f"W of layer {l} must have shape {shape}, got {wa.shape}")
    if wa.shape[0] < 1 or wa.shape[1] < 1:
        raise ValueError(f"W of layer {l} has an empty shape {wa.shape}")
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


def _as_input(x: Any, n_in: int) -> Array:
    xa = real_array(x, "x")
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
    return _forward(Ws, Bs, _as_input(x, Ws[0].shape[1]), fs)


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
    za = real_array(z, f"z^{l}")
    n_l = Ws[l - 2].shape[0]
    if za.ndim not in (1, 2) or za.shape[-1] != n_l:
        raise ValueError(
            f"z^{l} must have shape ({n_l},) or (m, {n_l}), got {za.shape}"
        )
    fs = _activations_per_layer(len(Ws), activation, output_activation)
    a = activate(fs[l - 2], za)
    for w, b, f in zip(Ws[l - 1 :], Bs[l - 1 :], fs[l - 1 :], strict=True):
        a = activate(f, a @ w.T + b)
    return a


def _check_target(a_L: Array, y: Any) -> Array:
    ya = real_array(y, "y")
    if ya.shape != a_L.shape:
        raise ValueError(f"y has shape {ya.shape} but the output a^L has {a_L.shape}")
    return ya


def _check_probabilities(a_L: Array) -> None:
    """bce's outputs must lie in [0, 1], as PyTorch's BCELoss demands (nan does not)."""
    outside = ~((a_L >= 0.0) & (a_L <= 1.0))
    if outside.any():
        at = tuple(int(i) for i in np.argwhere(outside)[0])
        raise ValueError(
            "bce: every output must lie in [0, 1] (a sigmoid output layer), got "
            f"a^L[{', '.join(map(str, at))}] = {float(a_L[at])!r}"
        )


def cost_per_sample(a_L: Array, y: Any, cost: str = "mse") -> Array:
    """C of each sample: shape () for one sample, (m,) for a batch.

    mse: C = 1/2 sum_j (y_j - a_j)^2.
    bce: C = -sum_j [y_j max(ln a_j, -100) + (1 - y_j) max(ln(1 - a_j), -100)],
    for outputs a_j in [0, 1] only (ValueError naming the first one outside).
    """
    ya = _check_target(a_L, y)
    if resolve_cost(cost) == "mse":
        return np.asarray(0.5 * np.sum((ya - a_L) ** 2, axis=-1), dtype=np.float64)
    _check_probabilities(a_L)
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
    a_L = forward(W, B, x, activation, output_activation).output
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
    """
    ya = _check_target(a_L, y)
    if resolve_cost(cost) == "mse":
        return a_L - ya
    _check_probabilities(a_L)
    with np.errstate(divide="ignore", over="ignore"):  # 1/a where the log is clamped
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
    each layer's parameter gradients from its delta. ``y`` has the shape of a^L. Each
    formula is called once per layer on the whole batch (matrix form).
    """
    Ws, Bs = check_arrays(W, B)
    fs = _activations_per_layer(len(Ws), activation, output_activation)
    fw = _forward(Ws, Bs, _as_input(x, Ws[0].shape[1]), fs)
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
