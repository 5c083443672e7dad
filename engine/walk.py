"""Walking a graph of Values: the topological order, and the chain rule along it.

For an output C and its op nodes y_1..y_m in topological order (each after all of
its inputs), reverse mode visits them last first and, at each y with inputs x_i,
applies the chain rule

    dC/dx_i += dy/dx_i * dC/dy

with dy/dx_i from y's row of the rule table (``engine.ops``). Since every node that
uses x comes after x in the order, dC/dy is complete when y is visited. The walks are
loops over lists, never recursions, so graphs a million nodes deep work at the
default recursion limit; the cyclic garbage collector is paused while they run.

A node's layout (see ``engine.value.Value``): a leaf has ``_op = None``; an op of one
input keeps it in ``_a``, of two in ``_a`` and ``_b``; an n-ary op (arity ``NARY``)
keeps the tuple of its inputs in ``_a`` and in ``_b`` how many of them, from the
first, take a gradient. This module reads that layout and never imports ``Value``
at run time, so ``engine.value`` can import it.

Stale inputs. Setting a node's ``data`` after a graph used it would make backward()
mix the new value with results computed from the old one (for sigmoid(x * x) a
gradient at neither point). PyTorch refuses ("one of the variables needed for
gradient computation has been modified by an inplace operation"), and so does this
engine, with a data epoch: ``EPOCH[0]`` counts the writes of ``data``. An op node
records the epoch it is made in; a write gives the written node the new epoch (minus
it, for an op node). A graph walked with no write since its nodes were made finds
every node's epoch to be the very int object ``EPOCH[0]`` holds, so the check costs
one identity test per op node; only a node from an older epoch has its inputs
looked at, and a write after the node was made raises RuntimeError naming the node
written. The check runs before any grad is touched. It is stricter than PyTorch,
which raises only when a value its formula saved was modified (not for ``a + b``):
here any write to a node's inputs, or to the node itself, after it was made raises.

Threads. A walk keeps its running sums dC/dy in the nodes' own ``grad`` (an op node's
earlier grad is set aside and added back at the end), and ``x.grad += ...`` is a
read, an add and a write that another thread may interleave with. So two threads
walking graphs that share a node, or one clearing grads while another walks, would
lose or mix updates. ``GRAD_LOCK`` is held for the whole of every walk that writes
grads (``Value.backward``) and by every ``zero_grad``: concurrent calls give what the
same calls one after the other give, in some order. (PyTorch takes a lock per tensor
as it adds into ``.grad``. One lock per walk costs one acquire and release per
``backward()`` call, about 1 us measured, under 1 % of the walk of one sample's cost
of an MLP [2, 8, 1], and keeps the walk's inner loop as it is; keeping each call's
running sums in a dict of its own instead, merged into the grads at the end, made
those walks 1.03-1.46 times slower, one dict lookup and store per edge.) Grad mode
is per thread already (``engine.grad_mode``).
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Final, cast

if TYPE_CHECKING:
    from engine.ops import Op
    from engine.value import Value

__all__ = ["EPOCH", "GRAD_LOCK", "topological_order"]

#: The data epoch: how many times a Value's ``data`` has been set, in a list of one
#: so that ``engine.value`` can import it by name and read ``EPOCH[0]`` (one global
#: lookup per node made). Only ``engine.value._set_data`` writes it.
EPOCH: Final = [0]

#: Held while grads are written: by ``Value.backward()`` for its whole walk and by
#: every ``zero_grad()`` (a Value's, a Module's, an optimizer's). Reentrant, so a walk
#: may be started by code that holds it. See "Threads" in the module docstring.
GRAD_LOCK: Final = threading.RLock()


def topological_order(root: Value) -> list[Value]:
    """Every node of ``root``'s graph once, each after all of its inputs; root last.

    The leaves come first, in the order the op nodes first use them, then the op
    nodes. The same graph always gives the same list.
    """
    with _gc_paused():
        interior = _op_nodes(root, every=True)
        return _leaves(interior) + interior if interior else [root]


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a graph is walked.

    A walk allocates a few short-lived objects per node, and each allocation burst
    would start a collection that traverses the whole graph again: with it on, a
    walk costs 3-5 times more and grows faster than the graph. Engine graphs hold
    no cycles (reference counting frees them), so nothing is lost by waiting.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


#: The marker on the stack of ``_op_nodes``: "place the node below me". Any object
#: will do, as it is only ever compared by identity and never read; it is typed as a
#: Value so that the stack is a list of Values, and it is never part of a graph.
_PLACE: Final = cast("Value", object())


def _op_nodes(root: Value, *, every: bool = False) -> list[Value]:
    """The op nodes of ``root``'s graph (all but the leaves) in topological order.

    A depth-first search without recursion, placing each node after all of its
    inputs, first input first. The stack holds only nodes and a marker: popping a
    node expands it (pushes it back under the marker, then its inputs); popping the
    marker places the node under it, whose inputs are all placed by then. The order
    depends on the graph alone (the set of expanded nodes is only asked, never
    iterated). Leaves are skipped at once, since most edges of a network end at a
    parameter, and so, unless ``every``, are constants and the inputs an n-ary node
    gives no gradient (the constant inputs of a network's first layer).

    In backward()'s walk (``every`` False) each node is also checked for data set
    after it was made (see the module docstring): RuntimeError if so.
    """
    if root._op is None:
        return []
    epoch = EPOCH[0]
    order: list[Value] = []
    expanded: set[Value] = set()
    stack = [root]
    # the methods called once per node, looked up once per walk
    place, expand, push, pop = order.append, expanded.add, stack.append, stack.pop
    while stack:
        v = pop()
        if v is _PLACE:
            place(pop())
            continue
        if v in expanded:
            continue
        expand(v)
        if v._epoch is not epoch and not every:  # made before the last data write
            _check_unchanged(v)
        push(v)
        push(_PLACE)
        arity = v._op.arity  # type: ignore[union-attr] # leaves are never pushed
        inputs: tuple[Value, ...]
        if arity == 2:
            inputs = (v._b, v._a)
        elif arity == 1:
            inputs = (v._a,)
        elif every:  # NARY: all the inputs
            inputs = v._a[::-1]
        else:  # NARY: the first _b inputs, those that take a gradient
            inputs = v._a[v._b - 1 :: -1]
        for u in inputs:  # reversed, so that the first input is expanded first
            if u._op is not None and (every or u._requires_grad) and u not in expanded:
                push(u)
    return order


def _check_unchanged(v: Value) -> None:
    """RuntimeError if the data of op node v, or of one of its inputs, was set after
    v was made (a leaf's epoch is when it was set; an op node's is minus that)."""
    made = v._epoch
    if made < 0:
        raise _stale(v, f"(made by op {v.op!r}) was set after it was computed")
    for u in v.inputs:
        written = u._epoch
        if (written < 0 and -written > made) or (written > made and u._op is None):
            raise _stale(u, f"was set after op {v.op!r} used it")


def _stale(u: Value, what: str) -> RuntimeError:
    """The error for node u, whose data changed as ``what`` says."""
    name = repr(u.label) if u.label else f"an unlabelled {u!r}"
    return RuntimeError(
        f"one of the values needed for gradient computation has been modified: the "
        f"data of {name} {what}, so backward() would mix its new value with results "
        "computed from the old one (PyTorch: 'modified by an inplace operation'). "
        "Compute the output again after changing data."
    )


def _leaves(interior: list[Value]) -> list[Value]:
    """The leaf inputs of the op nodes ``interior``, once each, in order of use."""
    seen: set[Value] = set()
    leaves = []
    for v in interior:
        for u in v.inputs:
            if u._op is None and u not in seen:
                seen.add(u)
                leaves.append(u)
    return leaves


def _propagate(interior: list[Value]) -> None:
    """The chain rule, last node first: dC/dx_i += dy/dx_i * dC/dy for every op node
    y and each of its inputs x_i that requires a gradient (constants are skipped).

    ``interior`` is ``_op_nodes(C)`` for an output C whose grad holds the seed dC/dC;
    an n-ary rule's partials are nodes whose data are dy/dx_i (see ``engine.ops``).
    A partial ``MASKED`` gives 0.0 whatever dC/dy is, inf and nan included.
    """
    for v in reversed(interior):
        g = v.grad
        op: Op = v._op  # type: ignore[assignment] # op nodes only
        arity = op.arity
        if arity == 2:
            a = v._a
            b = v._b
            da, db = op.partials(a._data, b._data, v._data)
            if a._requires_grad:
                a.grad += da * g
            if b._requires_grad:
                b.grad += db * g
        elif arity == 1:
            a = v._a
            if a._requires_grad:
                a.grad += op.partials(a._data, v._data) * g
        else:  # NARY: the partials of the first v._b inputs
            inputs = v._a
            for u, p in zip(inputs, op.partials(inputs, v._data, v._b)):  # noqa: B905
                if u._requires_grad:
                    u.grad += p._data * g
