"""``Value``: a float64 scalar that remembers how it was computed.

Each operation on Values returns a new Value holding the result (``data``), the row of
the rule table that made it and its inputs, in order. ``backward()`` then applies the
chain rule from the output back to every input:

    dC/dx = sum over the nodes y that use x of  dy/dx * dC/dy

visiting nodes in reverse topological order, so that dC/dy is complete before it is
passed on. The walk is a loop over a list, never a recursion, so graphs a million nodes
deep work at the default recursion limit. A node holds no closure and points only to its
inputs, so a finished graph has no reference cycles and is freed by reference counting
as soon as the last name for its output goes away.
"""

from __future__ import annotations

import gc
import numbers
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Union, cast

import numpy as np

from engine import grad_mode
from engine.ops import OPS, Op

__all__ = ["Number", "Value", "as_float", "topological_order", "weighted_input"]

Number = Union[int, float, np.integer, np.floating]  # noqa: UP007 - runtime alias


def as_float(x: object, what: str = "value") -> float:
    """``x`` as a Python float, for real numbers only.

    Ints, floats and numpy real scalars are accepted. bool, str, None, containers and
    anything else raise ``TypeError`` naming the type, so a mistake never becomes a
    silent number.
    """
    if type(x) is float:
        return x
    if isinstance(x, bool | np.bool_) or not isinstance(x, numbers.Real):
        raise TypeError(f"{what} must be a real number, got {type(x).__name__}")
    try:
        return float(x)
    except OverflowError:  # an int (or Fraction) beyond float64's range
        raise ValueError(f"{what} is too large for a float64 (above 1.8e308)") from None


def _lift(x: object) -> Value:
    """An operand as a Value: Values pass through, numbers become constant leaves."""
    if isinstance(x, Value):
        return x
    return Value(as_float(x, "operand"))


def _apply(op: Op, inputs: tuple[Value, ...]) -> Value:
    """A new node y = op(inputs); it records op and inputs unless in ``no_grad()``."""
    out = Value.__new__(Value)
    out.data = op.forward(inputs)
    out.grad = 0.0
    out.label = ""
    if grad_mode._enabled[0]:
        out._op = op
        out._prev = inputs
    else:
        out._op = None
        out._prev = ()
    return out


class Value:
    """A scalar node of the computation graph.

    Attributes:
        data: the float64 value.
        grad: dC/d(this node), summed over every ``backward()`` call since the last
            ``zero_grad()``, as PyTorch accumulates ``.grad``.
        label: a name for pictures, e.g. ``"w[2][1][3]"``; empty for intermediates.
    """

    __slots__ = ("__weakref__", "_op", "_prev", "data", "grad", "label")

    data: float
    grad: float
    label: str
    _op: Op | None
    _prev: tuple[Value, ...]

    def __init__(self, data: Number, label: str = "") -> None:
        if not isinstance(label, str):
            raise TypeError(f"label must be a str, got {type(label).__name__}")
        self.data = as_float(data, "Value data")
        self.grad = 0.0
        self.label = label
        self._op = None
        self._prev = ()

    # --- the graph -----------------------------------------------------------------

    @property
    def op(self) -> str:
        """The name of the op that made this node (a key of ``OPS``); "" for leaves."""
        return "" if self._op is None else self._op.name

    @property
    def inputs(self) -> tuple[Value, ...]:
        """The op's inputs, in order; () for leaves."""
        return self._prev

    def __repr__(self) -> str:
        name = f", label={self.label!r}" if self.label else ""
        return f"Value(data={self.data!r}, grad={self.grad!r}{name})"

    # --- arithmetic: each method only picks the row of the rule table ----------------

    def __add__(self, other: Value | Number) -> Value:
        return _apply(OPS["add"], (self, _lift(other)))

    def __radd__(self, other: Number) -> Value:
        return _apply(OPS["add"], (_lift(other), self))

    def __sub__(self, other: Value | Number) -> Value:
        return _apply(OPS["sub"], (self, _lift(other)))

    def __rsub__(self, other: Number) -> Value:
        return _apply(OPS["sub"], (_lift(other), self))

    def __mul__(self, other: Value | Number) -> Value:
        return _apply(OPS["mul"], (self, _lift(other)))

    def __rmul__(self, other: Number) -> Value:
        return _apply(OPS["mul"], (_lift(other), self))

    def __truediv__(self, other: Value | Number) -> Value:
        return _apply(OPS["div"], (self, _lift(other)))

    def __rtruediv__(self, other: Number) -> Value:
        return _apply(OPS["div"], (_lift(other), self))

    def __neg__(self) -> Value:
        return _apply(OPS["neg"], (self,))

    def __pow__(self, other: Value | Number) -> Value:
        if isinstance(other, Value):
            return _apply(OPS["pow"], (self, other))
        return _apply(OPS["powc"], (self, _lift(other)))

    def __rpow__(self, other: Number) -> Value:
        return _apply(OPS["pow"], (_lift(other), self))

    def exp(self) -> Value:
        """e ** self."""
        return _apply(OPS["exp"], (self,))

    def log(self) -> Value:
        """Natural logarithm."""
        return _apply(OPS["log"], (self,))

    def tanh(self) -> Value:
        """Hyperbolic tangent."""
        return _apply(OPS["tanh"], (self,))

    def sigmoid(self) -> Value:
        """The logistic function sigma(x) = 1 / (1 + e^-x)."""
        return _apply(OPS["sigmoid"], (self,))

    def relu(self) -> Value:
        """max(0, self)."""
        return _apply(OPS["relu"], (self,))

    # --- gradients -----------------------------------------------------------------

    def backward(self, gradient: Number = 1.0) -> None:
        """Add d(self)/dx * gradient to ``x.grad`` for every node x of the graph.

        Like PyTorch, gradients accumulate: a second call adds to what the first left.
        Each call propagates only its own contribution, so intermediate nodes' grads
        (which are kept, e.g. z.grad = delta) never feed a second call twice.
        """
        seed = as_float(gradient, "gradient")
        with _gc_paused():
            self._backward(seed)

    def _backward(self, seed: float) -> None:
        interior = _op_nodes(self)
        if not interior:
            self.grad += seed
            return
        # An op node holding a grad from an earlier call starts again from 0, so that
        # only this call's part flows on; the old value is added back at the end.
        # Leaves pass nothing on: they simply add each contribution as it arrives.
        carried = [v.grad for v in interior]
        has_carried = any(carried)
        if has_carried:
            for v in interior:
                v.grad = 0.0
        self.grad = seed
        for v in reversed(interior):
            g = v.grad
            prev = v._prev
            local = v._op.partials(prev, v.data)  # type: ignore[union-attr]
            for u, d in zip(prev, local, strict=True):
                u.grad += d * g
        if has_carried:
            for v, old in zip(interior, carried, strict=True):
                if old:
                    v.grad = old + v.grad

    def zero_grad(self) -> None:
        """Set ``grad`` to 0 for every node of this graph."""
        for v in topological_order(self):
            v.grad = 0.0

    def detach(self) -> Value:
        """A new leaf with the same data and label: no gradient flows through it."""
        return Value(self.data, self.label)


def topological_order(root: Value) -> list[Value]:
    """Every node of ``root``'s graph once, each after all of its inputs; root last.

    The leaves come first, in the order the op nodes first use them, then the op
    nodes. The same graph always gives the same list.
    """
    with _gc_paused():
        interior = _op_nodes(root)
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


def _op_nodes(root: Value) -> list[Value]:
    """The op nodes of ``root``'s graph (all but the leaves) in topological order.

    An iterative depth-first search: a node is placed once its last input has been
    placed. Inputs are visited in their recorded order, so the result depends on the
    graph alone (the set of seen nodes is only asked, never iterated). Leaves are
    skipped at once: most edges of a network end at a parameter.
    """
    if not root._prev:
        return []
    order: list[Value] = []
    seen = {root}
    stack = [(root, iter(root._prev))]
    while stack:
        node, pending = stack[-1]
        for child in pending:
            if child._prev and child not in seen:
                seen.add(child)
                stack.append((child, iter(child._prev)))
                break
        else:
            stack.pop()
            order.append(node)
    return order


def _leaves(interior: list[Value]) -> list[Value]:
    """The leaf inputs of the op nodes ``interior``, once each, in order of use."""
    seen: set[Value] = set()
    leaves = []
    for v in interior:
        for u in v._prev:
            if not u._prev and u not in seen:
                seen.add(u)
                leaves.append(u)
    return leaves


def weighted_input(
    w: Sequence[Value], a: Sequence[Value | Number], b: Value, label: str = ""
) -> Value:
    """The seed's weighted input z = sum_k w_k a_k + b as a single node.

    One node with one rule (dz/dw_k = a_k, dz/da_k = w_k, dz/db = 1) instead of 2n
    binary nodes: this is z^l_j, and after ``backward()`` its grad is delta^l_j.
    """
    if len(w) != len(a):
        raise ValueError(f"weighted_input: {len(w)} weights but {len(a)} inputs")
    # Fast path: all inputs are Values (what a network passes). Otherwise reading
    # .data fails, and the slow path converts numbers or names the wrong type.
    inputs = cast("tuple[Value, ...]", (*w, *a, b))
    try:
        out = _apply(OPS["z"], inputs)
    except (AttributeError, TypeError):  # an input is not a Value: check them all
        out = _apply(OPS["z"], _checked_weighted_inputs(w, a, b))
    out.label = label
    return out


def _checked_weighted_inputs(
    w: Sequence[Value], a: Sequence[Value | Number], b: Value
) -> tuple[Value, ...]:
    """(w, a, b) as one tuple of Values: numbers in ``a`` become leaves, others fail."""
    if not isinstance(b, Value):
        raise TypeError(f"weighted_input: b must be a Value, got {type(b).__name__}")
    for wk in w:
        if not isinstance(wk, Value):
            raise TypeError(
                f"weighted_input: weights must be Values, got {type(wk).__name__}"
            )
    return (*w, *[_lift(ak) for ak in a], b)
