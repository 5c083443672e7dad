"""Reverse mode into a table of gradients: floats, or Values that form a new graph.

``gradients(outputs, seeds, create_graph)`` applies the chain rule of
``engine.walk``,

    dC/dx_i += dy/dx_i * dC/dy,

over the op nodes of the outputs' graph, last first, but keeps each dC/dv in a
dict instead of ``v.grad``: the nodes' own grads are never read or written, so it
serves ``engine.grad`` (which must not touch them) and ``backward(create_graph=
True)``. Each output C_k starts from its seed (dC/dC_k = seed_k), and where graphs
share nodes their contributions add, so the table is the gradient of
sum_k seed_k C_k.

The partials are the rule table's (``engine.ops``), evaluated

* on floats (``create_graph`` False): each node's data, exactly as ``backward()``
  does, so the numbers are the same (the walk and its order are the same; only a
  zero's sign may differ, as backward() adds the first contribution to 0.0);
* on Values (``create_graph`` True): the node itself and its inputs, so each
  partial, each product dy/dx_i * dC/dy and each sum is a new recorded node. The
  gradients are then Values of a graph over the original one, and differentiating
  them again gives second derivatives (and so on: a third, ...). The new nodes are
  recorded even inside ``no_grad()`` (as PyTorch's ``create_graph``).

A node that a partial reaches only through masks still gets its entry (0.0), so
"used in the graph" means reached, as in PyTorch. On the Value path an entry may be
a float (0.0 from a mask) until a Value is added to it.

This module reads a node's layout and never imports ``Value`` at run time.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from engine.grad_mode import enable_grad
from engine.ops import Operand
from engine.walk import _gc_paused, _op_nodes

if TYPE_CHECKING:
    from engine.ops import Op
    from engine.value import Value

__all__ = ["gradients"]


def _union_order(outputs: Sequence[Value]) -> list[Value]:
    """The op nodes of every output's graph, each once and after all its inputs.

    Each output's topological order (``engine.walk._op_nodes``, which also refuses
    a graph whose data was set since it was made), concatenated, a node kept at its
    first place: its inputs are placed before it there, so the union is in
    topological order too.
    """
    if len(outputs) == 1:
        return _op_nodes(outputs[0])
    seen: set[Value] = set()
    order: list[Value] = []
    for out in outputs:
        for v in _op_nodes(out):
            if v not in seen:
                seen.add(v)
                order.append(v)
    return order


def gradients(
    outputs: Sequence[Value], seeds: Sequence[Any], *, create_graph: bool
) -> dict[Value, Any]:
    """dC/dv for every node v that requires a gradient in the outputs' graphs, with
    C = sum_k seeds[k] * outputs[k] (floats, or Values with ``create_graph``).

    ``seeds`` are floats, or Values when ``create_graph`` is True. The outputs'
    nodes are not changed (neither ``grad`` nor anything else).
    """
    with _gc_paused():
        order = _union_order(outputs)
        table: dict[Value, Any] = {}
        for out, seed in zip(outputs, seeds, strict=True):
            _add(table, out, seed)
        if create_graph:
            with enable_grad():
                _walk(order, table, on_values=True)
        else:
            _walk(order, table, on_values=False)
    return table


def _add(table: dict[Value, Any], u: Value, contribution: Any) -> None:
    """table[u] += contribution (the first contribution is stored as it is)."""
    old = table.get(u)
    table[u] = contribution if old is None else old + contribution


def _walk(order: list[Value], table: dict[Value, Any], *, on_values: bool) -> None:
    """The chain rule, last node first, into ``table``: table[x_i] += dy/dx_i *
    table[y]. The partials are evaluated on the nodes' data (floats, as
    ``backward()`` evaluates them) or, with ``on_values``, on the nodes themselves,
    so that every partial, product and sum is a new recorded node (recording is on).

    ``backward()``'s own loop (``engine.walk._propagate``) adds into ``.grad``
    instead of a table and is kept apart: it is the hot path."""
    for v in reversed(order):
        g = table.get(v)
        if g is None:  # an op node no output's gradient reaches
            continue
        op: Op = v._op  # type: ignore[assignment] # op nodes only
        arity = op.arity
        if arity == 2:
            a = v._a
            b = v._b
            if on_values:
                da, db = op.partials(a, b, v)
            else:
                da, db = op.partials(a._data, b._data, v._data)
            if a._requires_grad:
                _add(table, a, da * g)
            if b._requires_grad:
                _add(table, b, db * g)
        elif arity == 1:
            a = v._a
            if a._requires_grad:
                p = op.partials(a, v) if on_values else op.partials(a._data, v._data)
                _add(table, a, p * g)
        else:  # NARY: a rule reads each input's _data: a float, or (Operand) a node
            inputs = v._a
            args = tuple(map(Operand, inputs)) if on_values else inputs
            out = v if on_values else v._data
            for u, p in zip(inputs, op.partials(args, out, v._b)):  # noqa: B905
                if u._requires_grad:
                    _add(table, u, p._data * g)
