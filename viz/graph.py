"""Computation graphs of engine Values as graphviz digraphs, and as SVG files.

Each Value is a box with its label (in the seed's notation: w^l_jk, b^l_j, z^l_j,
a^l_j, C), its data and its grad (constants take no gradient and show none); each op
that made a Value is an oval with the op's symbol, between its inputs and its output,
as in micrograd's pictures. A box's cells are stacked (name, ``data``, ``grad``) so
that it stays narrow; for a z^l_j node the grad is the equation ``δ²₁ = −0.03``,
since that is what it is. Nodes of an MLP are grouped in a box per neuron, inside a
box per layer, and the target y_j, residual r_j and cost C in a box of the cost, so
the picture reads like the seed's figure: layer 1 on the left, then each layer in
three columns (the weights and bias above their sum, z^l_j above sigma above
a^l_j, see ``_beside``), then the cost. The demo's MLP [2, 4, 1] is about 700 pt
(940 px) wide and 1,115 pt tall at its natural size, its text 12 pt (16 px).

A leaf used by ops far apart (``x`` in ``x + x + ... + x`` or ``tanh(x) + tanh(x) +
...``) is drawn next to each use, each copy with the same label, data and grad: one
node with edges across hundreds of columns makes dot lay out a dummy node for every
column each edge crosses, and its time grows with their square (250 terms: 21-45 s
drawn once, 0.1-0.2 s drawn at each use).

Node ids are the nodes' positions in ``engine.topological_order`` (``n0``, ``n1``, ...,
``n3op`` for the op that made ``n3``, ``n0_2`` for the second copy of leaf ``n0``),
never memory addresses: the same graph gives the same DOT source and the same SVG
bytes every time.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import graphviz

from engine import OPS, Value, topological_order
from viz.errors import GraphTooLargeError
from viz.labels import (
    DELTA,
    FONT,
    Notation,
    escape,
    format_number,
    parse_label,
    typeset,
)
from viz.picture import DotPicture
from viz.render import DEFAULT_MAX_NODES, DEFAULT_TIMEOUT, RANKDIRS, render_source

__all__ = [
    "DEFAULT_MAX_NODES",
    "LAYOUT_TIERS",
    "MAX_LEAF_SPAN",
    "RANKDIRS",
    "count_nodes",
    "draw_graph",
    "layout_attrs",
    "render_svg",
]

#: A leaf whose uses lie more than this many columns apart is drawn at each use.
MAX_LEAF_SPAN = 20

#: dot's iteration limits by graph size: (from this many picture nodes on, attributes).
#: nslimit/nslimit1 bound the network-simplex passes (ranking and positions), mclimit
#: the crossing minimisation. Measured with dot 2.43 on MLP batch cost graphs: 5,228
#: nodes take 4.6 s with the first tier and still ran after 900 s without; 10,650
#: nodes take 17 s with the first tier, 7 s with the second. Pictures of a few
#: hundred nodes look the same with either tier.
LAYOUT_TIERS: tuple[tuple[int, dict[str, str]], ...] = (
    (200, {"nslimit": "0.2", "nslimit1": "0.2", "mclimit": "0.2"}),
    (5000, {"nslimit": "0.05", "nslimit1": "0.05", "mclimit": "0.2"}),
)


def layout_attrs(size: int) -> dict[str, str]:
    """The dot attributes for a picture of ``size`` nodes: the last tier it reaches."""
    chosen: dict[str, str] = {}
    for start, attrs in LAYOUT_TIERS:
        if size >= start:
            chosen = attrs
    return dict(chosen)


_FILL = {"w": "#fff2cc", "b": "#fff2cc", "z": "#dae8fc", "a": "#d5e8d4", "C": "#f8cecc"}
_INPUT_FILL = "#eeeeee"

# A cluster key: (layer, neuron) for a neuron's box, (layer, 0) for a layer's own
# nodes outside any neuron (the inputs a^1_k), _COST for the cost's box.
_Key = tuple[int, int]
_COST: _Key = (0, 0)


def _copied_leaves(order: Sequence[Value]) -> dict[int, int]:
    """The leaves drawn once per use: {position in ``order``: number of uses}.

    A node's depth is its longest path to the root in picture columns (an op one
    column before the Value it makes), the column dot puts it in when its inputs can
    move; a leaf is copied when the ops using it lie more than MAX_LEAF_SPAN columns
    apart. Leaves in the seed's notation (w, b, a^1 of a net) are never copied: they
    stay in their neuron's box, shared by every sample of a batch.
    """
    index = {id(v): i for i, v in enumerate(order)}
    depth = [0] * len(order)
    uses: dict[int, list[int]] = {}  # leaf -> the depths of the ops using it
    for i in range(len(order) - 1, -1, -1):  # users before what they use
        v = order[i]
        for u in v.inputs:
            k = index[id(u)]
            depth[k] = max(depth[k], depth[i] + 2)
            if not u.op:
                uses.setdefault(k, []).append(depth[i] + 1)
    return {
        k: len(depths)
        for k, depths in uses.items()
        if max(depths) - min(depths) > MAX_LEAF_SPAN
        and not (order[k].label and parse_label(order[k].label))
    }


def _picture_nodes(order: Sequence[Value], copied: dict[int, int]) -> int:
    """Values, the op nodes of those made by an op, and the extra leaf copies."""
    ops = sum(1 for v in order if v.op)
    return len(order) + ops + sum(n - 1 for n in copied.values())


def count_nodes(root: Value) -> int:
    """How many nodes the picture of ``root``'s graph has: one per Value, plus one per
    op (every Value that is not a leaf), plus the extra copies of leaves drawn at
    each use (see the module docstring)."""
    order = topological_order(root)
    return _picture_nodes(order, _copied_leaves(order))


def _check_args(root: object, rankdir: str, max_nodes: int) -> None:
    if not isinstance(root, Value):
        raise TypeError(f"root must be an engine Value, got {type(root).__name__}")
    if rankdir not in RANKDIRS:
        raise ValueError(
            f"rankdir must be one of {', '.join(RANKDIRS)}, got {rankdir!r}"
        )
    if isinstance(max_nodes, bool) or not isinstance(max_nodes, int) or max_nodes < 1:
        raise ValueError(f"max_nodes must be a positive int, got {max_nodes!r}")


def _fill(n: Notation | None) -> str:
    if n is None:
        return "white"
    if n.symbol == "a" and n.layer == 1:
        return _INPUT_FILL
    return _FILL.get(n.symbol, "white")


def _value_label(v: Value, n: Notation | None, *, show_grad: bool, delta: bool) -> str:
    """The HTML-like label of a Value: its cells stacked, so the box stays narrow:
    name, ``data x``, ``grad g`` (a z^l_j node's as the equation ``δˡⱼ = g``);
    constants (which take no gradient) show no grad. ``n`` is the label read as
    notation (parsed once per node); numbers need no escaping (digits, ``.e+-−``,
    ``nan``, ``inf``)."""
    cells = []
    if v.label:
        cells.append(typeset(v.label) if n is None else n.text())
    cells.append(f"data {format_number(v.data)}")
    if show_grad and v.requires_grad:
        grad = format_number(v.grad)
        if delta and n is not None and n.symbol == "z":
            cells.append(f"{n.text(DELTA)} = {grad}")
        else:
            cells.append(f"grad {grad}")
    rows = "".join(f"<TR><TD>{c}</TD></TR>" for c in cells)
    return (
        f'<<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="2" '
        f'BGCOLOR="{_fill(n)}">{rows}</TABLE>>'
    )


def _op_label(v: Value) -> str:
    symbol = OPS[v.op].symbol if v.op in OPS else v.op
    return f"<{escape(symbol)}>"


def _users(order: Sequence[Value]) -> list[list[int]]:
    """For each node of ``order``, the positions of the nodes made from it."""
    index = {id(v): i for i, v in enumerate(order)}
    users: list[list[int]] = [[] for _ in order]
    for i, v in enumerate(order):
        for u in v.inputs:
            users[index[id(u)]].append(i)
    return users


def _clusters(
    order: Sequence[Value],
    notes: Sequence[Notation | None],
    users: Sequence[Sequence[int]],
) -> list[_Key | None]:
    """The box each node goes in: its neuron's for labelled nodes, the cost's for
    y_j, r_j and C; for unlabelled ones (products and sums in elementary mode,
    constants) the box of the nodes that use them, when all of those are in one
    box."""
    keys: list[_Key | None] = [None] * len(order)
    for i in range(len(order) - 1, -1, -1):
        n = notes[i]
        if n is not None:
            neuron = n.neuron
            if neuron is not None:
                keys[i] = (1, 0) if n.symbol == "a" and n.layer == 1 else neuron
            else:
                keys[i] = _COST
        elif not order[i].label and users[i]:
            first = keys[users[i][0]]
            if first is not None and all(keys[j] == first for j in users[i]):
                keys[i] = first
    return keys


def _beside(
    order: Sequence[Value],
    notes: Sequence[Notation | None],
    users: Sequence[Sequence[int]],
    keys: Sequence[_Key | None],
) -> dict[int, list[int]]:
    """The nodes drawn in the column of an op rather than a column before it:
    {node whose op it is: [positions of the Values beside that op]}.

    * A leaf in the seed's notation other than an input (w^l_jk, b^l_j, y_j) that
      one op alone uses: the weights and the bias stand beside their neuron's sum.
    * The operand of a one-input op (z^l_j of sigma, r_j of 1/2 r^2) when it is
      notation made by an op and that op alone uses it.

    Both only within one box. So a layer takes three columns (its parameters with
    the sum, z with sigma, a) instead of five, and each layer's box starts right of
    the previous one's (inputs a^1_k stay in layer 1's column). A weight shared by
    the samples of a batch has many users and keeps its own column.
    """
    beside: dict[int, list[int]] = {}
    for k, v in enumerate(order):
        n = notes[k]
        if n is None or n.symbol in ("a", "C") or len(users[k]) != 1:
            continue
        user = users[k][0]
        if keys[user] != keys[k]:
            continue
        if not v.op or len(order[user].inputs) == 1:
            beside.setdefault(user, []).append(k)
    return beside


def _column_statement(
    i: int, beside: dict[int, list[int]], order: Sequence[Value], *, flip: bool
) -> str:
    """The DOT statement that puts node ``i``'s op in one column with the nodes
    beside it, in reading order: the operands in their order, the op, and (for a
    one-input op: a^l_j below sigma below z^l_j) its Value. dot puts the tail of an
    edge within a rank before its head: left of it with rankdir TB, but below it
    with LR; so with ``flip`` (LR, RL) the edges within a column run from the later
    node to the earlier (drawn with ``dir=back``), as do the invisible ones that
    keep the operands in order. Written as one line (not through graphviz's
    quoting: the names are plain ids), as it is made for every neuron of every
    sample."""
    operands = [f"n{k}" for k in beside[i]]
    names = [*operands, f"n{i}op"]
    if len(order[i].inputs) == 1:
        names.append(f"n{i}")
    order_edges = "".join(
        f" {later} -> {earlier} [style=invis]" if flip
        else f" {earlier} -> {later} [style=invis]"
        for earlier, later in itertools.pairwise(operands)
    )
    return f"\t{{rank=same; {'; '.join(names)};{order_edges}}}\n"


@dataclass(frozen=True)
class _Picture:
    """What the node and edge statements of one picture are made from."""

    order: Sequence[Value]
    notes: Sequence[Notation | None]
    copied: dict[int, int]
    beside: dict[int, list[int]]
    show_grad: bool
    delta: bool
    flip: bool  # rankdir LR or RL: edges within a column run backwards

    def add_nodes(self, target: graphviz.Digraph, indices: list[int]) -> None:
        """The statements of the nodes ``indices`` (Values and their ops) in
        ``target``, and of the columns of their ops."""
        for i in indices:
            v = self.order[i]
            label = _value_label(
                v, self.notes[i], show_grad=self.show_grad, delta=self.delta
            )
            copies = self.copied.get(i, 0)
            for name in [f"n{i}_{c}" for c in range(1, copies + 1)] or [f"n{i}"]:
                target.node(name, label, shape="plain")
            if v.op:
                target.node(f"n{i}op", _op_label(v), shape="ellipse", margin="0.05")
            if i in self.beside:
                target.body.append(
                    _column_statement(i, self.beside, self.order, flip=self.flip)
                )

    def add_edges(self, g: graphviz.Digraph) -> None:
        """An edge from each input of an op to the op, and from the op to its Value;
        within a column, with ``flip``, written from head to tail and drawn back
        (``dir=back``), so that the column reads top to bottom."""
        index = {id(v): i for i, v in enumerate(self.order)}
        drawn = dict.fromkeys(self.copied, 0)  # copies of each copied leaf used
        for i, v in enumerate(self.order):
            if not v.op:
                continue
            above = self.beside.get(i, ())
            for u in v.inputs:
                k = index[id(u)]
                if k in drawn:
                    drawn[k] += 1
                    g.edge(f"n{k}_{drawn[k]}", f"n{i}op")
                elif k in above and self.flip:
                    g.edge(f"n{i}op", f"n{k}", dir="back")
                else:
                    g.edge(f"n{k}", f"n{i}op")
            if above and len(v.inputs) == 1 and self.flip:
                g.edge(f"n{i}", f"n{i}op", dir="back")
            else:
                g.edge(f"n{i}op", f"n{i}")


def draw_graph(
    root: Value,
    *,
    show_grad: bool = True,
    rankdir: str = "LR",
    max_nodes: int = DEFAULT_MAX_NODES,
    group: bool = True,
    delta: bool = True,
) -> DotPicture:
    """The computation graph that produced ``root``, as a :class:`DotPicture`.

    Args:
        root: the output Value, e.g. a loss.
        show_grad: show each node's grad next to its data.
        rankdir: direction of the layout: "LR" (default), "RL", "TB" or "BT".
        max_nodes: the most picture nodes (Values plus ops) allowed.
        group: box the nodes of an MLP per neuron and per layer (from nn's labels).
        delta: write a z^l_j node's grad as delta^l_j.

    Returns:
        A DotPicture: ``.source`` is the DOT text, ``.digraph`` the graphviz Digraph;
        in Jupyter it shows as SVG, ``.svg`` and ``.save(path)`` run ``dot``.

    Raises:
        GraphTooLargeError: the picture would have more than ``max_nodes`` nodes.
    """
    _check_args(root, rankdir, max_nodes)
    order = topological_order(root)
    copied = _copied_leaves(order)
    size = _picture_nodes(order, copied)
    if size > max_nodes:
        raise GraphTooLargeError(size, max_nodes)
    notes = [parse_label(v.label) if v.label else None for v in order]
    users = _users(order)
    keys = _clusters(order, notes, users) if group else [None] * len(order)
    beside = _beside(order, notes, users, keys)

    graph_attr = {"rankdir": rankdir, "nodesep": "0.15", "ranksep": "0.2"}
    graph_attr.update(layout_attrs(size))
    graph_attr["fontname"] = FONT
    g = graphviz.Digraph("deltagrad", graph_attr=graph_attr)
    g.attr("node", fontsize="12", fontname=FONT)
    g.attr("edge", arrowsize="0.6")

    # Node statements, each in its box: unboxed ones first, then the cost's, then
    # layer by layer.
    flip = rankdir in ("LR", "RL")
    picture = _Picture(order, notes, copied, beside, show_grad, delta, flip)
    loose: list[int] = []
    boxed: dict[_Key, list[int]] = {}
    for i, key in enumerate(keys):
        if key is None:
            loose.append(i)
        else:
            boxed.setdefault(key, []).append(i)
    picture.add_nodes(g, loose)
    if _COST in boxed:
        with g.subgraph(name="cluster_cost") as box:
            box.attr(label="cost", style="rounded", color="#999999")
            picture.add_nodes(box, boxed.pop(_COST))
    for layer in sorted({layer for layer, _ in boxed}):
        with g.subgraph(name=f"cluster_l{layer}") as box:
            box.attr(label=f"layer {layer}", style="rounded", color="#999999")
            for j in sorted(j for (l_, j) in boxed if l_ == layer):
                if j == 0:  # the inputs a^1_k: in the layer's box, no neuron's
                    picture.add_nodes(box, boxed[(layer, 0)])
                    continue
                with box.subgraph(name=f"cluster_l{layer}_n{j}") as cell:
                    cell.attr(
                        label="",
                        style="rounded,filled",
                        color="#cccccc",
                        fillcolor="#fafafa",
                    )
                    picture.add_nodes(cell, boxed[(layer, j)])
    picture.add_edges(g)
    return DotPicture(g, "computation graph", timeout=DEFAULT_TIMEOUT)


def render_svg(
    root: Value,
    path: str | os.PathLike[str],
    *,
    show_grad: bool = True,
    rankdir: str = "LR",
    max_nodes: int = DEFAULT_MAX_NODES,
    group: bool = True,
    timeout: float = DEFAULT_TIMEOUT,
) -> Path:
    """Write the SVG picture of ``root``'s graph (see :func:`draw_graph`) to ``path``.

    ``dot`` runs as a child process stopped after ``timeout`` seconds; the file is
    written whole or not at all.

    Raises:
        GraphTooLargeError: too many nodes (raised before ``dot`` runs).
        DotNotFoundError: ``dot`` is not installed; the message says how to install it.
        DotTimeoutError, DotFailedError: ``dot`` ran too long, or failed.
    """
    g = draw_graph(
        root, show_grad=show_grad, rankdir=rankdir, max_nodes=max_nodes, group=group
    )
    return render_source(g.source, path, timeout=timeout)
