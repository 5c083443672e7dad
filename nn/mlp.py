"""The seed's multilayer perceptron, built from engine scalars.

Sizes are Nielsen-style, input layer first: ``MLP([2, 3, 1])`` has 2 inputs, a hidden
layer of 3 neurons and 1 output. Layers are numbered l = 1..L (1 = input layer), and
neuron j of layer l computes

    z^l_j = sum_k w^l_jk a^{l-1}_k + b^l_j,     a^l_j = f(z^l_j)

with f the layer's activation (sigmoid, tanh, relu or linear; the output layer may have
its own). Every Value carries the seed's label (written by ``nn.notation``), all
indices 1-based: parameters ``w[l][j][k]`` and ``b[l][j]``; graph nodes ``z[l][j]``
and ``a[l][j]``; the inputs ``a[1][k]`` (= x_k). With ``linear`` the activation is
the identity, so a^l_j *is* the node z^l_j and keeps the label ``z[l][j]``.

Two ways to build z^l_j, with identical values and gradients:

* fused (default): one engine node ``weighted_input(w, a, b)`` per neuron, so a graph
  has one node per neuron and ``z.grad`` is delta^l_j;
* ``elementary=True``: the micrograd-style chain of binary * and +,
  ((w_1 a_1 + w_2 a_2) + ...) + b, whose last + node carries the label ``z[l][j]``.

Initialization (``MLP(sizes, seed=...)``): w^l_jk ~ N(0, 1/n_{l-1}) (standard deviation
1/sqrt(n_{l-1}), Nielsen's "improved" initialization: z starts with variance about 1 so
sigmoid neurons do not start saturated) and b^l_j ~ N(0, 1), drawn layer by layer (all
of W^l, then b^l) from ``numpy.random.default_rng(seed)``; the same seed gives the same
net.
"""

from __future__ import annotations

import functools
import importlib
import itertools
import os
from collections.abc import Callable, Iterable, Sequence
from typing import Any, NamedTuple

import numpy as np

from engine import Value, weighted_input
from nn.activations import LEAKY_RELU_SLOPE, resolve_activation
from nn.arrays import (
    Array,
    check_arrays,
    check_layer,
    integer,
    layer_sizes,
    real_array,
)
from nn.module import Module
from nn.notation import activation_label, bias_label, weight_label, z_label
from nn.serialize import ModelFile, read_model, write_model

__all__ = ["ENGINE_ACTIVATIONS", "MLP", "Layer", "Neuron", "Trace", "initial_arrays"]


def _check_sizes(sizes: object) -> list[int]:
    if isinstance(sizes, str | bytes) or not isinstance(sizes, Sequence | np.ndarray):
        raise TypeError(f"sizes must be a list of ints, got {type(sizes).__name__}")
    out = [integer(n, f"sizes[{i}]") for i, n in enumerate(sizes)]
    if len(out) < 2:
        raise ValueError(
            f"sizes needs at least 2 layers (input and output), got {len(out)}: {out}"
        )
    return out


def initial_arrays(
    sizes: Sequence[int], seed: int | np.random.Generator | None = None
) -> tuple[list[Array], list[Array]]:
    """Random W^l ~ N(0, 1/n_{l-1}) and b^l ~ N(0, 1) for l = 2..L (see module doc)."""
    ns = _check_sizes(sizes)
    rng = np.random.default_rng(seed)
    W: list[Array] = []
    B: list[Array] = []
    for n_prev, n in itertools.pairwise(ns):
        W.append(rng.normal(0.0, 1.0 / np.sqrt(n_prev), size=(n, n_prev)))
        B.append(rng.normal(0.0, 1.0, size=n))
    return W, B


def _leaky_relu(z: Value) -> Value:
    return z.leaky_relu(LEAKY_RELU_SLOPE)


#: The engine's op of each activation but linear (the identity: a^l_j is z^l_j).
#: With "linear" its keys are exactly ``nn.names.ACTIVATIONS`` (a test checks).
ENGINE_ACTIVATIONS: dict[str, Callable[[Value], Value]] = {
    "sigmoid": Value.sigmoid,
    "tanh": Value.tanh,
    "relu": Value.relu,
    "leaky_relu": _leaky_relu,
}


def _apply_activation(z: Value, activation: str, label: str) -> Value:
    if activation == "linear":
        return z
    a = ENGINE_ACTIVATIONS[activation](z)
    a.label = label
    return a


class Neuron(Module):
    """Neuron j of layer l: z^l_j = sum_k w^l_jk a^{l-1}_k + b^l_j, a^l_j = f(z^l_j).

    ``Neuron(n_in)`` draws w_k ~ N(0, 1/n_in), b ~ N(0, 1) from ``rng`` (a fresh
    unseeded generator when None); ``weights=`` / ``bias=`` give the values instead:
    finite real numbers (TypeError for str, bool and other non-numbers, ValueError
    for nan and ±inf, as for ``Layer`` and ``MLP.from_arrays``).
    ``layer`` (l >= 2) and ``index`` (j >= 1) only set the labels.
    """

    def __init__(
        self,
        n_in: int,
        activation: str = "sigmoid",
        *,
        layer: int = 2,
        index: int = 1,
        elementary: bool = False,
        rng: np.random.Generator | None = None,
        weights: Sequence[float] | Array | None = None,
        bias: float | None = None,
    ) -> None:
        self.n_in = integer(n_in, "n_in")
        self.activation = resolve_activation(activation)
        self.layer = integer(layer, "layer", 2)
        self.index = integer(index, "index")
        self.elementary = bool(elementary)
        l, j = self.layer, self.index  # noqa: E741 - the seed's layer index
        if weights is None or bias is None:
            gen = rng if rng is not None else np.random.default_rng()
        if weights is None:
            w0 = gen.normal(0.0, 1.0 / np.sqrt(self.n_in), size=self.n_in)
        else:
            w0 = real_array(weights, f"weights of neuron {j} of layer {l}", finite=True)
            if w0.shape != (self.n_in,):
                raise ValueError(
                    f"neuron {j} of layer {l}: {self.n_in} inputs need "
                    f"{self.n_in} weights, got shape {w0.shape}"
                )
        if bias is None:
            b0 = float(gen.normal(0.0, 1.0))
        else:
            b = real_array(bias, f"bias of neuron {j} of layer {l}", finite=True)
            if b.shape != ():
                raise ValueError(
                    f"bias of neuron {j} of layer {l} must be one number, got shape "
                    f"{b.shape}"
                )
            b0 = float(b)
        self.w = [
            Value(float(wk), weight_label(l, j, k)) for k, wk in enumerate(w0, 1)
        ]
        self.b = Value(b0, bias_label(l, j))
        self._labels = (z_label(l, j), activation_label(l, j))

    def own_parameters(self) -> list[tuple[str, Value]]:
        return [(p.label, p) for p in [*self.w, self.b]]

    def weighted_input(self, a_prev: Sequence[Value]) -> Value:
        """The node z^l_j (labelled ``z[l][j]``): fused, or a chain of + and *."""
        if len(a_prev) != self.n_in:
            raise ValueError(
                f"neuron {self.index} of layer {self.layer} has {self.n_in} inputs, "
                f"got {len(a_prev)}"
            )
        label = self._labels[0]
        if not self.elementary:
            return weighted_input(self.w, a_prev, self.b, label=label)
        s = self.w[0] * a_prev[0]
        for wk, ak in zip(self.w[1:], a_prev[1:], strict=True):
            s = s + wk * ak
        z = s + self.b
        z.label = label
        return z

    def forward(self, a_prev: Sequence[Value]) -> tuple[Value, Value]:
        """(z^l_j, a^l_j); they are the same node for the linear activation."""
        z = self.weighted_input(a_prev)
        a = _apply_activation(z, self.activation, self._labels[1])
        return z, a

    def __call__(self, a_prev: Sequence[Value]) -> Value:
        """a^l_j."""
        return self.forward(a_prev)[1]

    def __repr__(self) -> str:
        kind = ", elementary" if self.elementary else ""
        return (
            f"Neuron(layer={self.layer}, index={self.index}, n_in={self.n_in}, "
            f"{self.activation}{kind})"
        )


class Layer(Module):
    """Layer l: n_out neurons, each fed by all n_in activations of layer l-1.

    ``weights`` (n_out, n_in) and ``biases`` (n_out,) give the values (finite real
    numbers; errors name this layer, W's shape before b's); otherwise they are drawn
    as in ``Neuron``.
    """

    def __init__(
        self,
        n_in: int,
        n_out: int,
        activation: str = "sigmoid",
        *,
        layer: int = 2,
        elementary: bool = False,
        rng: np.random.Generator | None = None,
        weights: Array | None = None,
        biases: Array | None = None,
    ) -> None:
        self.n_in = integer(n_in, "n_in")
        self.n_out = integer(n_out, "n_out")
        self.activation = resolve_activation(activation)
        self.layer = integer(layer, "layer", 2)
        if weights is None or biases is None:
            gen = rng if rng is not None else np.random.default_rng()
            W0, B0 = initial_arrays([self.n_in, self.n_out], gen)
            weights = W0[0] if weights is None else weights
            biases = B0[0] if biases is None else biases
        w, b = check_layer(
            weights, biases, self.layer, (self.n_out, self.n_in), finite=True
        )
        self.neurons = [
            Neuron(
                self.n_in,
                self.activation,
                layer=self.layer,
                index=j,
                elementary=elementary,
                weights=w[j - 1],
                bias=float(b[j - 1]),
            )
            for j in range(1, self.n_out + 1)
        ]

    def children(self) -> list[Module]:
        return list(self.neurons)

    def forward(self, a_prev: Sequence[Value]) -> tuple[list[Value], list[Value]]:
        """([z^l_j], [a^l_j]) for j = 1..n_out."""
        pairs = [n.forward(a_prev) for n in self.neurons]
        return [z for z, _ in pairs], [a for _, a in pairs]

    def __call__(self, a_prev: Sequence[Value]) -> list[Value]:
        """[a^l_1, ..., a^l_n]."""
        return self.forward(a_prev)[1]

    def weights(self) -> Array:
        """w^l as a float64 array of shape (n_out, n_in)."""
        return np.array([[p.data for p in n.w] for n in self.neurons], dtype=np.float64)

    def biases(self) -> Array:
        """b^l as a float64 array of shape (n_out,)."""
        return np.array([n.b.data for n in self.neurons], dtype=np.float64)

    def __repr__(self) -> str:
        return (
            f"Layer(layer={self.layer}, {self.n_in} -> {self.n_out}, {self.activation})"
        )


class Trace(NamedTuple):
    """The graph nodes of one forward pass: ``zs[i]`` are the z^{i+2}_j nodes and
    ``activations[i]`` the a^{i+1}_j nodes (``activations[0]`` are the inputs)."""

    zs: list[list[Value]]
    activations: list[list[Value]]


def _as_input_values(x: object, n_in: int) -> list[Value]:
    if isinstance(x, Value):
        raise TypeError("x must be a sequence of inputs, got a single Value")
    if isinstance(x, np.ndarray):
        if x.ndim != 1:
            raise ValueError(f"x must be one sample of shape ({n_in},), got {x.shape}")
        items: list[object] = list(x)
    elif isinstance(x, Sequence) and not isinstance(x, str | bytes):
        items = list(x)
    else:
        raise TypeError(
            f"x must be a sequence of {n_in} numbers, got {type(x).__name__}"
        )
    if len(items) != n_in:
        raise ValueError(f"the network has {n_in} inputs but x has length {len(items)}")
    out: list[Value] = []
    for k, (xk, label) in enumerate(zip(items, _input_labels(n_in), strict=True)):
        if isinstance(xk, Value):
            out.append(xk)
            continue
        try:  # Value() refuses bool, str, None, containers: rename the culprit
            out.append(Value(xk, label, requires_grad=False))  # type: ignore[arg-type]
        except TypeError:
            raise TypeError(
                f"x[{k}] must be a real number, got {type(xk).__name__}"
            ) from None
    return out


@functools.cache
def _input_labels(n_in: int) -> tuple[str, ...]:
    """The labels a[1][1] .. a[1][n_in] of the input layer (made once per width)."""
    return tuple(activation_label(1, k) for k in range(1, n_in + 1))


class MLP(Module):
    """The multilayer perceptron ``MLP(sizes, activation, output_activation, seed,
    elementary)``; see the module docstring for the math, labels and initialization.

    Attributes: ``sizes`` (list of n_l, input layer first), ``activation`` (hidden
    layers), ``output_activation`` (layer L, resolved: never None), ``elementary``,
    ``layers`` (``layers[i]`` is layer i + 2).
    """

    sizes: list[int]
    activation: str
    output_activation: str
    elementary: bool
    layers: list[Layer]

    def __init__(
        self,
        sizes: Sequence[int],
        activation: str = "sigmoid",
        output_activation: str | None = None,
        seed: int | None = None,
        elementary: bool = False,
    ) -> None:
        W, B = initial_arrays(
            _check_sizes(sizes), None if seed is None else integer(seed, "seed", 0)
        )
        self._build(W, B, activation, output_activation, elementary)

    def _build(
        self,
        W: Sequence[Any],
        B: Sequence[Any],
        activation: str,
        output_activation: str | None,
        elementary: bool,
    ) -> None:
        Ws, Bs = check_arrays(W, B, finite=True)
        if not isinstance(elementary, bool):
            raise TypeError(
                f"elementary must be a bool, got {type(elementary).__name__}"
            )
        self.activation = resolve_activation(activation)
        self.output_activation = (
            self.activation
            if output_activation is None
            else resolve_activation(output_activation, "output_activation")
        )
        self.elementary = elementary
        self.sizes = layer_sizes(Ws)
        n = len(Ws)
        self.layers = [
            Layer(
                w.shape[1],
                w.shape[0],
                self.output_activation if i == n - 1 else self.activation,
                layer=i + 2,
                elementary=elementary,
                weights=w,
                biases=b,
            )
            for i, (w, b) in enumerate(zip(Ws, Bs, strict=True))
        ]

    @classmethod
    def from_arrays(
        cls,
        W: Sequence[Any],
        B: Sequence[Any],
        activation: str = "sigmoid",
        output_activation: str | None = None,
        elementary: bool = False,
    ) -> MLP:
        """The net with weights ``W[i]`` (n_l, n_{l-1}) and biases ``B[i]`` (n_l,) of
        layer l = i + 2, as returned by ``weights()`` / ``biases()``: finite real
        numbers (TypeError naming the layer for str, bool, complex or objects;
        ValueError for nan and ±inf)."""
        net = cls.__new__(cls)
        net._build(W, B, activation, output_activation, elementary)
        return net

    def children(self) -> list[Module]:
        return list(self.layers)

    def trace(self, x: object) -> Trace:
        """Forward pass keeping every z^l_j and a^l_j node (see ``Trace``)."""
        a = _as_input_values(x, self.sizes[0])
        zs: list[list[Value]] = []
        acts: list[list[Value]] = [a]
        for layer in self.layers:
            z, a = layer.forward(a)
            zs.append(z)
            acts.append(a)
        return Trace(zs, acts)

    def __call__(self, x: object) -> list[Value]:
        """a^L for one sample x (a sequence of n_1 numbers or Values): one Value per
        output neuron. Numbers become leaves labelled ``a[1][k]``."""
        return self.trace(x).activations[-1]

    def weights(self) -> list[Array]:
        """[W^2, ..., W^L], W^l of shape (n_l, n_{l-1}), float64 copies."""
        return [layer.weights() for layer in self.layers]

    def biases(self) -> list[Array]:
        """[b^2, ..., b^L], b^l of shape (n_l,), float64 copies."""
        return [layer.biases() for layer in self.layers]

    def load_arrays(self, W: Sequence[Any], B: Sequence[Any]) -> None:
        """Write W and B (the shapes of ``weights()`` / ``biases()``, finite real
        numbers) into the parameters in place; the Value objects stay the same."""
        Ws, Bs = check_arrays(W, B, finite=True)
        have = [w.shape for w in self.weights()]
        got = [w.shape for w in Ws]
        if got != have:
            raise ValueError(f"weight shapes {got} do not match the net's {have}")
        for layer, w, b in zip(self.layers, Ws, Bs, strict=True):
            for neuron, w_row, b_j in zip(layer.neurons, w, b, strict=True):
                for p, v in zip(neuron.w, w_row, strict=True):
                    p.data = float(v)
                neuron.b.data = float(b_j)

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the net to ``path`` as JSON (see ``nn.serialize``), atomically."""
        model = ModelFile(
            self.sizes,
            self.activation,
            self.output_activation,
            self.weights(),
            self.biases(),
        )
        write_model(path, model)

    @classmethod
    def load(cls, path: str | os.PathLike[str], elementary: bool = False) -> MLP:
        """The net saved at ``path``; ``ModelFileError`` names what is wrong."""
        m = read_model(path)
        return cls.from_arrays(
            m.weights, m.biases, m.activation, m.output_activation, elementary
        )

    def __repr__(self) -> str:
        out = ""
        if self.output_activation != self.activation:
            out = f", output_activation={self.output_activation!r}"
        kind = ", elementary=True" if self.elementary else ""
        return f"MLP({self.sizes}, activation={self.activation!r}{out}{kind})"

    def _repr_mimebundle_(
        self,
        include: Iterable[str] | None = None,
        exclude: Iterable[str] | None = None,
    ) -> dict[str, str]:
        """Jupyter shows a net as its network diagram (``viz.draw_network``).

        nn never imports viz: this display hook loads it when a notebook asks, and
        shows only the repr if viz cannot draw the net (too many links)."""
        network = importlib.import_module("viz.network")
        try:
            picture = network.draw_network(self)
        except ValueError:
            return {"text/plain": repr(self)}
        bundle: dict[str, str] = picture._repr_mimebundle_(include, exclude)
        if "text/plain" in bundle:
            bundle["text/plain"] = repr(self)
        return bundle
