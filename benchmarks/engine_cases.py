"""Engine figures: one sample's forward+backward, bytes per node, linear backward."""

from __future__ import annotations

import gc
import math
import tracemalloc
from collections.abc import Callable
from typing import Any

import numpy as np

from benchmarks.report import Row, median_seconds
from engine import Value, topological_order
from nn import MLP, mse

__all__ = [
    "backward_is_linear",
    "bytes_per_node",
    "forward_backward_vs_plain",
    "training_graph",
]


Matrix = list[list[float]]


def _plain_forward(
    W: list[Matrix], B: list[list[float]], x: list[float]
) -> list[float]:
    """The sigmoid MLP's forward pass in Python floats: the cost without a graph."""
    a = x
    for Wl, Bl in zip(W, B, strict=True):
        a = [
            1.0 / (1.0 + math.exp(-(sum(w * ak for w, ak in zip(row, a)) + b)))  # noqa: B905
            for row, b in zip(Wl, Bl, strict=True)
        ]
    return a


def forward_backward_vs_plain(repeats: int) -> Row:
    """Target 2: MLP(64, [32, 10]) forward+backward, one sample, <= 5x plain forward."""
    net = MLP([64, 32, 10], seed=0)
    rng = np.random.default_rng(0)
    x = rng.random(64).tolist()
    y = [0.0] * 10
    y[3] = 1.0
    W = [w.tolist() for w in net.weights()]
    B = [b.tolist() for b in net.biases()]

    def engine_step() -> None:
        mse(net(x), y).backward()

    engine = median_seconds(engine_step, repeats)
    plain = median_seconds(lambda: _plain_forward(W, B, x), repeats)
    ratio = engine / plain
    return Row(
        "2. MLP(64,[32,10]) fwd+bwd, 1 sample",
        f"{engine * 1e6:.0f} us",
        f"plain-float forward {plain * 1e6:.0f} us",
        ratio,
        "<= 5x plain",
        ratio <= 5.0,
    )


def training_graph(n_samples: int) -> Value:
    """The loss graph of a batch through MLP([2, 16, 16, 1]) built of binary ops."""
    net = MLP(
        [2, 16, 16, 1],
        activation="relu",
        output_activation="linear",
        seed=0,
        elementary=True,
    )
    rng = np.random.default_rng(1)
    total = Value(0.0)
    for x in rng.normal(size=(n_samples, 2)).tolist():
        (score,) = net(x)
        total = total + (1.0 - score).relu()
    return total


def _micrograd_graph(n_samples: int) -> Any:
    """The same cost graph in micrograd (its MLP(2, [16, 16, 1]) is the same net)."""
    from micrograd import nn as mg_nn  # noqa: PLC0415 - optional dependency
    from micrograd.engine import Value as MgValue  # noqa: PLC0415

    net = mg_nn.MLP(2, [16, 16, 1])
    rng = np.random.default_rng(1)
    total = MgValue(0.0)
    for x in rng.normal(size=(n_samples, 2)).tolist():
        total = total + (1.0 - net([MgValue(v) for v in x])).relu()
    return total


def _count_micrograd_nodes(root: Any) -> int:
    seen = {id(root)}
    stack = [root]
    while stack:
        for child in stack.pop()._prev:
            if id(child) not in seen:
                seen.add(id(child))
                stack.append(child)
    return len(seen)


def _bytes_per_node(build: Callable[[], Any], count: Callable[[Any], int]) -> float:
    """tracemalloc's growth while ``build()``'s graph is made and back-propagated,
    per node of it."""
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    root = build()
    root.backward()
    used = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    return used / count(root)


def bytes_per_node(n_samples: int) -> Row:
    """Target 3: at most 150 bytes per node of a ~100,000-node graph (tracemalloc).

    The graph is a training cost (binary ops: the micrograd demo's net, elementary
    mode), measured after backward(), so every node that takes a gradient holds its
    grad (constants keep the shared 0.0).
    """
    nodes = len(topological_order(training_graph(n_samples)))
    ours = _bytes_per_node(
        lambda: training_graph(n_samples), lambda r: len(topological_order(r))
    )
    try:
        theirs = _bytes_per_node(
            lambda: _micrograd_graph(n_samples), _count_micrograd_nodes
        )
        reference = f"micrograd {theirs:.0f} B/node"
    except ImportError:
        reference = "micrograd not installed"
    return Row(
        f"3. memory, {nodes:,}-node graph",
        f"{ours:.0f} B/node",
        reference,
        ours,
        "<= 150 B/node",
        ours <= 150.0,
    )


def _chain(n: int) -> Value:
    y = Value(0.5)
    for _ in range(n):
        y = y.tanh()
    return y


def _chain_backward_seconds(n: int, repeats: int) -> float:
    """Median time of the first backward() of fresh chains of n tanh nodes."""
    times = []
    for _ in range(repeats):
        y = _chain(n)
        times.append(median_seconds(y.backward, 1))
        del y
    return sorted(times)[len(times) // 2]


def backward_is_linear(repeats: int) -> Row:
    """Target 4: backward time per node at 1e6 nodes within 1.3x of that at 1e4."""
    per_node = {
        n: _chain_backward_seconds(n, repeats) / n for n in (10**4, 10**5, 10**6)
    }
    worst = max(per_node.values()) / per_node[10**4]
    return Row(
        "4. backward, chains 1e4/1e5/1e6",
        " / ".join(f"{t * 1e9:.0f}" for t in per_node.values()) + " ns/node",
        "",
        worst,
        "<= 1.3x of linear",
        worst <= 1.3,
    )
