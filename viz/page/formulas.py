"""The four formulas BP1-BP4 worked in numbers for one sample's cost graph of an MLP,
each beside the autograd value of the same quantity.

A graph is one sample's quadratic cost C = 1/2 sum_j (a^L_j - y_j)^2 of an MLP
(``nn.mse`` of ``MLP(...)(x)``, as ``viz.cli.sample.sample_cost`` makes it) when its
root is the node ``half_sum_sq`` labelled C, each of its inputs is a residual
r_j = a^L_j - y_j with y_j a constant, and the labels of the seed's notation
(``nn.notation``) name every w^l_jk, b^l_j and input a^1_k once. W, B, x and y are
then read from the nodes' data, the activation of each layer from the op of its
a^l_j nodes (none: linear), and ``nn.backprop`` computes the formulas on them:

* BP1  delta^L_j = (a^L_j - y_j) f'(z^L_j)
* BP2  delta^l_j = (sum_k w^{l+1}_kj delta^{l+1}_k) f'(z^l_j)
* BP3  dC/db^l_j = delta^l_j
* BP4  dC/dw^l_jk = a^{l-1}_k delta^l_j

beside z.grad, b.grad and w.grad of the same nodes, and the difference. The seed
writes (y_j - a^L_j) in BP1: that is -delta^L_j (C = 1/2 (y - a)^2 gives
dC/da = -(y - a) = a - y), the negative gradient; one line shows its number.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from engine import Value
from nn import backprop
from nn.activations import activation_derivative
from nn.names import ACTIVATIONS
from nn.notation import COST_LABEL, parse_label
from viz.page.text import format_number, subscript, superscript, unicode_label

__all__ = ["FormulaRow", "NetSample", "formula_rows", "read_net_sample"]

#: How f' is written for each activation.
_PRIME = {
    "sigmoid": "σ′",
    "tanh": "tanh′",
    "relu": "relu′",
    "leaky_relu": "leaky_relu′",
    "linear": "linear′",
}


@dataclass(frozen=True)
class NetSample:
    """One sample's MLP read from its cost graph: W[i], B[i] of layer i + 2, x, y,
    the activation of layers 2..L-1 and of layer L, and each label's position in
    the topological order."""

    W: list[np.ndarray]
    B: list[np.ndarray]
    x: np.ndarray
    y: np.ndarray
    activation: str
    output_activation: str
    positions: dict[str, int]


@dataclass(frozen=True)
class FormulaRow:
    """One formula in numbers, shown once node ``after`` has its gradient: the
    formula's name, its text, its value and autograd's value of the same quantity
    (None for the seed's-sign line, which has nothing to match)."""

    after: int
    name: str
    text: str
    value: float
    autograd: float | None
    layer: int
    quantity: str  # the node whose grad autograd's value is: z^l_j, b^l_j, w^l_jk


def _term(x: float) -> str:
    """A number inside a formula, in parentheses when negative."""
    s = format_number(x)
    return f"({s})" if s.startswith("-") else s


def _labelled(order: Sequence[Value]) -> dict[str, int] | None:
    """Each label of the seed's notation -> its position; None if one repeats (a
    batch's graph, or one labelled by hand)."""
    positions: dict[str, int] = {}
    for i, v in enumerate(order):
        if v.label and parse_label(v.label) is not None:
            if v.label in positions:
                return None
            positions[v.label] = i
    return positions


def _count(nodes: dict[str, Value], prefix: str) -> int:
    return sum(1 for s in nodes if s.startswith(prefix))


def _layer_sizes(nodes: dict[str, Value]) -> list[int]:
    """n_1 (the a^1_k), then n_l for every layer with biases b^l_j."""
    sizes = [_count(nodes, "a[1][")]
    while n := _count(nodes, f"b[{len(sizes) + 1}]["):
        sizes.append(n)
    return sizes


def _activation(nodes: dict[str, Value], l: int) -> str:  # noqa: E741
    """The activation of layer l: the op of its a^l_j nodes (none: linear); "" if
    they differ or are no activation."""
    ops = {nodes[s].op for s in nodes if s.startswith(f"a[{l}][")}
    f = ops.pop() if len(ops) == 1 else "" if ops else "linear"
    return f if f in ACTIVATIONS else ""


def _targets(root: Value, outputs: list[Value]) -> list[float] | None:
    """y_j from the residuals r_j = a^L_j - y_j, the inputs of C; None if C is not
    made of them."""
    residuals = root.inputs
    if len(residuals) != len(outputs):
        return None
    y = []
    for r, out in zip(residuals, outputs, strict=True):
        if r.op != "sub" or r.inputs[0] is not out or r.inputs[1].requires_grad:
            return None
        y.append(r.inputs[1].data)
    return y


def read_net_sample(order: Sequence[Value]) -> NetSample | None:
    """The MLP sample whose cost graph ``order`` is (see the module docstring), or
    None if it is not one."""
    root = order[-1]
    positions = _labelled(order)
    if root.op != "half_sum_sq" or root.label != COST_LABEL or positions is None:
        return None
    nodes = {label: order[i] for label, i in positions.items()}
    sizes = _layer_sizes(nodes)
    L = len(sizes)
    layers = range(2, L + 1)
    wanted = [f"a[1][{k}]" for k in range(1, sizes[0] + 1)] + [
        f"{s}[{l}][{j}]"
        for l in layers  # noqa: E741 - the seed's layer index
        for j in range(1, sizes[l - 1] + 1)
        for s in ("z", "b")
    ]
    wanted += [
        f"w[{l}][{j}][{k}]"
        for l in layers  # noqa: E741
        for j in range(1, sizes[l - 1] + 1)
        for k in range(1, sizes[l - 2] + 1)
    ]
    fs = [_activation(nodes, l) for l in layers]  # noqa: E741
    if L < 2 or not sizes[0] or any(s not in nodes for s in wanted):
        return None
    if "" in fs or len(set(fs[:-1])) > 1:
        return None
    outputs = [
        nodes.get(f"a[{L}][{j}]", nodes[f"z[{L}][{j}]"])
        for j in range(1, sizes[-1] + 1)
    ]
    y = _targets(root, outputs)
    if y is None:
        return None

    def data(label: str) -> float:
        return nodes[label].data

    W = [
        np.array(
            [
                [data(f"w[{l}][{j}][{k}]") for k in range(1, sizes[l - 2] + 1)]
                for j in range(1, sizes[l - 1] + 1)
            ]
        )
        for l in layers  # noqa: E741
    ]
    B = [
        np.array([data(f"b[{l}][{j}]") for j in range(1, sizes[l - 1] + 1)])
        for l in layers  # noqa: E741
    ]
    x = np.array([data(f"a[1][{k}]") for k in range(1, sizes[0] + 1)])
    return NetSample(W, B, x, np.array(y), fs[0], fs[-1], positions)


@dataclass(frozen=True)
class _Pass:
    """What the rows of one layer are computed from: the sample, autograd's grads,
    nn.backprop's forward pass and gradients, and f'(z^l) of the layer."""

    sample: NetSample
    grads: Sequence[float]
    fw: backprop.Forward
    g: backprop.Gradients
    fprime: np.ndarray


def _output_rows(p: _Pass, l: int, j: int) -> list[FormulaRow]:  # noqa: E741
    """BP1 for neuron j of the output layer l, and the seed's sign beside it."""
    s, grads, fw, delta, fprime = p.sample, p.grads, p.fw, p.g.deltas[l - 2], p.fprime
    at = s.positions[f"z[{l}][{j}]"]
    zname, dj = (
        unicode_label(f"z[{l}][{j}]"),
        unicode_label(f"z[{l}][{j}]", as_delta=True),
    )
    f = s.output_activation
    prime = f"{_PRIME[f]}({zname})"
    aname = zname if f == "linear" else unicode_label(f"a[{l}][{j}]")
    yname = unicode_label(f"y[{j}]")
    a, y, d, fp = fw.a(l)[j - 1], s.y[j - 1], delta[j - 1], fprime[j - 1]
    seed = (y - a) * fp
    return [
        FormulaRow(
            at,
            "BP1",
            f"{dj} = ({aname} − {yname})·{prime} = "
            f"({format_number(a)} − {_term(y)})·{_term(fp)} = {format_number(d)}",
            float(d),
            grads[at],
            l,
            zname,
        ),
        FormulaRow(
            at,
            "seed",
            f"the seed's ({yname} − {aname})·{prime} = ({format_number(y)} − "
            f"{_term(a)})·{_term(fp)} = {format_number(seed)} = −{dj}: the negative "
            f"gradient (C = ½({yname} − {aname})² gives ∂C/∂{aname} = "
            f"−({yname} − {aname}) = {aname} − {yname}), so w ← w − η·∂C/∂w with it "
            "would climb the cost",
            float(seed),
            None,
            l,
            zname,
        ),
    ]


def _hidden_row(p: _Pass, l: int, j: int) -> FormulaRow:  # noqa: E741
    """BP2 for neuron j of hidden layer l, the sum over k written out."""
    s, grads, g, fprime = p.sample, p.grads, p.g, p.fprime
    at = s.positions[f"z[{l}][{j}]"]
    zname, dj = (
        unicode_label(f"z[{l}][{j}]"),
        unicode_label(f"z[{l}][{j}]", as_delta=True),
    )
    prime = f"{_PRIME[s.activation]}({zname})"
    nxt, w_next = g.deltas[l - 1], s.W[l - 1]
    ks = range(1, len(nxt) + 1)
    names = " + ".join(
        f"{unicode_label(f'w[{l + 1}][{k}][{j}]')}·"
        f"{unicode_label(f'z[{l + 1}][{k}]', as_delta=True)}"
        for k in ks
    )
    numbers = " + ".join(
        f"{_term(w_next[k - 1, j - 1])}·{_term(nxt[k - 1])}" for k in ks
    )
    d = g.deltas[l - 2][j - 1]
    up = superscript(str(l + 1))
    return FormulaRow(
        at,
        "BP2",
        f"{dj} = (Σₖ w{up}ₖ{subscript(str(j))} δ{up}ₖ)·{prime} = ({names})·{prime} = "
        f"({numbers})·{_term(fprime[j - 1])} = {format_number(d)}",
        float(d),
        grads[at],
        l,
        zname,
    )


def _parameter_rows(p: _Pass, l: int, j: int) -> list[FormulaRow]:  # noqa: E741
    """BP3 for b^l_j and BP4 for every w^l_jk."""
    s, grads, g, fw = p.sample, p.grads, p.g, p.fw
    dj = unicode_label(f"z[{l}][{j}]", as_delta=True)
    d = g.deltas[l - 2][j - 1]
    bname = unicode_label(f"b[{l}][{j}]")
    at = s.positions[f"b[{l}][{j}]"]
    value = float(g.bias_grads[l - 2][j - 1])
    rows = [
        FormulaRow(
            at,
            "BP3",
            f"∂C/∂{bname} = {dj} = {format_number(value)}",
            value,
            grads[at],
            l,
            bname,
        )
    ]
    a_prev = fw.a(l - 1)
    for k in range(1, len(a_prev) + 1):
        wname = unicode_label(f"w[{l}][{j}][{k}]")
        at = s.positions[f"w[{l}][{j}][{k}]"]
        value = float(g.weight_grads[l - 2][j - 1, k - 1])
        rows.append(
            FormulaRow(
                at,
                "BP4",
                f"∂C/∂{wname} = {unicode_label(f'a[{l - 1}][{k}]')}·{dj} = "
                f"{_term(a_prev[k - 1])}·{_term(d)} = {format_number(value)}",
                value,
                grads[at],
                l,
                wname,
            )
        )
    return rows


def formula_rows(sample: NetSample, grads: Sequence[float]) -> list[FormulaRow]:
    """BP1-BP4 in numbers for every neuron and parameter, output layer first (the
    order the backward pass reaches them), with autograd's values from ``grads``."""
    s = sample
    fw = backprop.forward(s.W, s.B, s.x, s.activation, s.output_activation)
    g = backprop.gradients(
        s.W, s.B, s.x, s.y, s.activation, output_activation=s.output_activation
    )
    L = len(s.W) + 1
    rows: list[FormulaRow] = []
    for l in range(L, 1, -1):  # noqa: E741 - the seed's layer index
        f = s.output_activation if l == L else s.activation
        fprime = activation_derivative(f, fw.z(l), fw.a(l))
        p = _Pass(s, grads, fw, g, fprime)
        n = len(fprime)
        for j in range(1, n + 1):
            if l == L:
                rows += _output_rows(p, l, j)
            else:
                rows.append(_hidden_row(p, l, j))
        for j in range(1, n + 1):
            rows += _parameter_rows(p, l, j)
    return rows
