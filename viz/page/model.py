"""What the step-through page shows, computed in Python: the nodes, the forward
steps and the backward steps with their local derivatives.

For an output C with op nodes in ``engine.topological_order``, ``backward()`` visits
the op nodes that take a gradient last first and, at each node y with inputs x_i,
adds

    dC/dx_i += dy/dx_i * dC/dy

(``engine.walk``). This module evaluates every dy/dx_i with y's own row of the rule
table (``engine.ops.OPS``: the table's ``partials`` on the nodes' data), in the
order backward() uses, and records after which step each grad is complete (its last
contribution has arrived). The page's script then only multiplies and adds the
embedded numbers, in the same order, so its sums are the engine's to the last bit.

Node ids are those of ``viz.graph``: ``n<i>`` for position i of the topological
order.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from engine import Value, topological_order
from engine.ops import MASKED, NARY, OPS

__all__ = [
    "BackwardStep",
    "Contribution",
    "GraphModel",
    "build_model",
    "engine_grads",
    "json_number",
    "local_partials",
    "node_id",
]


def node_id(i: int) -> str:
    """The id ``viz.graph`` gives the Value at position i of the topological order."""
    return f"n{i}"


@dataclass(frozen=True)
class Contribution:
    """One term dy/dx_i * dC/dy of the chain rule, sent along an edge to input x_i
    (input ``slot`` i of y, the node at position ``source`` of the order);
    ``masked`` when the partial is the table's mask (the product is 0 whatever
    dC/dy is)."""

    source: int
    partial: float
    masked: bool
    slot: int


@dataclass(frozen=True)
class BackwardStep:
    """The visit of op node ``node`` (position in the order): its contributions in
    the order backward() adds them, and the nodes whose grad is complete after it."""

    node: int
    contributions: tuple[Contribution, ...]
    completes: tuple[int, ...]


@dataclass(frozen=True)
class GraphModel:
    """A graph as the page steps through it: ``order`` is the topological order
    (the forward steps), ``steps`` the backward steps, ``grads`` dC/dv of every
    node for C = the root (0.0 for the nodes that take no gradient)."""

    order: list[Value]
    steps: list[BackwardStep]
    grads: list[float]


def local_partials(v: Value) -> list[tuple[int, Value, float, bool]]:
    """(i, x_i, dy/dx_i, masked) for each input x_i of op node v = y that takes a
    gradient, in the order backward() visits them, from y's row of the rule table.

    The table's rules take floats for one and two inputs; an n-ary rule takes the
    input nodes and how many of them, from the first, take a gradient (the node
    keeps that count, see ``engine.walk``) and gives nodes whose data are the
    partials.
    """
    op = OPS[v.op]
    inputs = v.inputs
    raw: Sequence[object]
    if op.arity == 1:
        raw = (op.partials(inputs[0].data, v.data),)
    elif op.arity == 2:
        raw = op.partials(inputs[0].data, inputs[1].data, v.data)
    else:
        assert op.arity == NARY
        count: int = v._b  # the n-ary layout: how many inputs take a gradient
        raw = [p._data for p in op.partials(inputs, v.data, count)]
        inputs = inputs[:count]
    return [
        (i, u, float(p), p is MASKED)  # type: ignore[arg-type]
        for i, (u, p) in enumerate(zip(inputs, raw, strict=True))
        if u.requires_grad
    ]


def engine_grads(root: Value, order: Sequence[Value]) -> list[float]:
    """dC/dv for every node v of ``order``, C = ``root``, by ``root.backward()``;
    the nodes' own ``grad`` are left as they were (saved, then put back)."""
    saved = [v.grad for v in order]
    try:
        for v in order:
            v.grad = 0.0
        if root.requires_grad:
            root.backward()
        return [v.grad if v.requires_grad else 0.0 for v in order]
    finally:
        for v, g in zip(order, saved, strict=True):
            v.grad = g


def build_model(root: Value) -> GraphModel:
    """The nodes and steps of ``root``'s graph (see the module docstring).

    The backward steps visit, last first, the op nodes that take a gradient; the
    first step also seeds dC/dC = 1 at the root (a root that is a leaf makes one
    step with no contributions; a root that takes no gradient makes none).
    """
    order = topological_order(root)
    index = {id(v): i for i, v in enumerate(order)}
    steps: list[BackwardStep] = []
    if root.requires_grad:
        visits = [i for i in range(len(order) - 1, -1, -1) if _visited(order[i])]
        if not visits or visits[0] != len(order) - 1:
            visits.insert(0, len(order) - 1)  # the root is a leaf
        raw = [
            (
                i,
                tuple(
                    Contribution(index[id(u)], p, masked, slot)
                    for slot, u, p, masked in (
                        local_partials(order[i]) if order[i].op else []
                    )
                ),
            )
            for i in visits
        ]
        last = {len(order) - 1: 0}  # node -> the step after which it is complete
        for s, (_, contributions) in enumerate(raw):
            for c in contributions:
                last[c.source] = s
        done: dict[int, list[int]] = {}
        for k, s in last.items():
            done.setdefault(s, []).append(k)
        steps = [
            BackwardStep(i, contributions, tuple(sorted(done.get(s, []))))
            for s, (i, contributions) in enumerate(raw)
        ]
    return GraphModel(order, steps, engine_grads(root, order))


def _visited(v: Value) -> bool:
    """Whether backward() applies the chain rule at v: an op node taking a grad."""
    return bool(v.op) and v.requires_grad


def json_number(x: float) -> float | str:
    """x for JSON: a float, or "inf", "-inf", "nan" (which JSON cannot spell)."""
    if math.isfinite(x):
        return x
    return "nan" if math.isnan(x) else ("inf" if x > 0 else "-inf")
