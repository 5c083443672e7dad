"""``Value``: a float64 scalar that remembers how it was computed.

Each operation on Values returns a new Value holding the result (``data``), the row of
the rule table that made it and its inputs, in order. ``backward()`` then applies the
chain rule from the output back to every input:

    dC/dx = sum over the nodes y that use x of  dy/dx * dC/dy

visiting nodes in reverse topological order, so that dC/dy is complete before it is
passed on. Leaves made with ``requires_grad=False`` (constants: the numbers in
``x * 2``, a network's inputs) receive no gradient, as in PyTorch. The walk is a loop
over a list, never a recursion, so graphs a million nodes deep work at the default
recursion limit. A node holds no closure and points only to its inputs, so a finished
graph has no reference cycles and is freed by reference counting as soon as the last
name for its output goes away.
"""

from __future__ import annotations

import gc
import numbers
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Union

import numpy as np

from engine import grad_mode
from engine.ops import OPS, Op

__all__ = [
    "Number",
    "Value",
    "as_float",
    "half_sum_of_squares",
    "topological_order",
    "weighted_input",
]

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
    leaf = Value.__new__(Value)
    leaf.data = as_float(x, "operand")
    leaf.grad = 0.0
    leaf.label = ""
    leaf._requires_grad = False
    leaf._op = leaf._a = leaf._b = None
    return leaf


def _node(op: Op, data: float, a: Any, b: Any, requires_grad: bool) -> Value:
    """A new node y = op(...) holding ``data``; it records op and its inputs (a, b)
    unless inside ``no_grad()``, where it is a constant leaf. As in PyTorch it
    requires a gradient when one of its inputs does; an op of constants is a constant
    too, though it is still recorded, so that pictures show it."""
    out = Value.__new__(Value)
    out.data = data
    out.grad = 0.0
    out.label = ""
    if grad_mode._enabled[0]:
        out._op = op
        out._a = a
        out._b = b
        out._requires_grad = requires_grad
    else:
        out._op = out._a = out._b = None
        out._requires_grad = False
    return out


def _unary(op: Op, x: Value) -> Value:
    """y = op(x)."""
    return _node(op, op.forward(x.data), x, None, x._requires_grad)


def _binary(op: Op, a: Value, b: Value) -> Value:
    """y = op(a, b)."""
    requires_grad = a._requires_grad or b._requires_grad
    return _node(op, op.forward(a.data, b.data), a, b, requires_grad)


class Value:
    """A scalar node of the computation graph.

    Attributes:
        data: the float64 value.
        grad: dC/d(this node), summed over every ``backward()`` call since the last
            ``zero_grad()``, as PyTorch accumulates ``.grad``.
        label: a name for pictures, e.g. ``"w[2][1][3]"``; empty for intermediates.
        requires_grad: whether ``backward()`` gives this node a gradient (read-only:
            fixed when the node is made). True by default for leaves and for op
            nodes with an input that requires one; False for constants, whose grad
            stays 0.0 (PyTorch leaves it None).

    A node is small (about 135 bytes with its data and grad floats): its inputs sit in
    two slots, not in a tuple of their own. A leaf has ``_op = _a = _b = None``; an op
    of one input keeps it in ``_a``; of two, in ``_a`` and ``_b``; an n-ary op (``z``,
    ``half_sum_sq``) keeps the tuple of its inputs in ``_a`` and in ``_b`` how many of
    them, from the first, take a gradient (counted when the node is made).
    """

    __slots__ = ("_a", "_b", "_op", "_requires_grad", "data", "grad", "label")

    data: float
    grad: float
    label: str
    _requires_grad: bool
    _op: Op | None
    _a: Any
    _b: Any

    def __init__(
        self, data: Number, label: str = "", requires_grad: bool = True
    ) -> None:
        if not isinstance(label, str):
            raise TypeError(f"label must be a str, got {type(label).__name__}")
        if type(requires_grad) is not bool:
            if not isinstance(requires_grad, np.bool_):
                raise TypeError(
                    f"requires_grad must be a bool, got {type(requires_grad).__name__}"
                )
            requires_grad = bool(requires_grad)
        self.data = data if type(data) is float else as_float(data, "Value data")
        self.grad = 0.0
        self.label = label
        self._requires_grad = requires_grad
        self._op = self._a = self._b = None

    # --- the graph -----------------------------------------------------------------

    @property
    def requires_grad(self) -> bool:
        """Whether ``backward()`` gives this node a gradient.

        Fixed when the node is made, so every graph that uses it agrees: make a
        constant with ``Value(x, requires_grad=False)`` or ``detach()``. (PyTorch lets
        a leaf change it later; here that would silently differ between the graphs
        already built and the next ones.)
        """
        return self._requires_grad

    @property
    def op(self) -> str:
        """The name of the op that made this node (a key of ``OPS``); "" for leaves."""
        return "" if self._op is None else self._op.name

    @property
    def inputs(self) -> tuple[Value, ...]:
        """The op's inputs, in order; () for leaves."""
        op = self._op
        if op is None:
            return ()
        if op.arity == 1:
            return (self._a,)
        if op.arity == 2:
            return (self._a, self._b)
        inputs: tuple[Value, ...] = self._a
        return inputs

    def __repr__(self) -> str:
        name = f", label={self.label!r}" if self.label else ""
        constant = "" if self._requires_grad else ", requires_grad=False"
        return f"Value(data={self.data!r}, grad={self.grad!r}{name}{constant})"

    # --- arithmetic: each method only picks the row of the rule table ----------------

    def __add__(self, other: Value | Number) -> Value:
        return _binary(OPS["add"], self, _lift(other))

    def __radd__(self, other: Number) -> Value:
        return _binary(OPS["add"], _lift(other), self)

    def __sub__(self, other: Value | Number) -> Value:
        return _binary(OPS["sub"], self, _lift(other))

    def __rsub__(self, other: Number) -> Value:
        return _binary(OPS["sub"], _lift(other), self)

    def __mul__(self, other: Value | Number) -> Value:
        return _binary(OPS["mul"], self, _lift(other))

    def __rmul__(self, other: Number) -> Value:
        return _binary(OPS["mul"], _lift(other), self)

    def __truediv__(self, other: Value | Number) -> Value:
        return _binary(OPS["div"], self, _lift(other))

    def __rtruediv__(self, other: Number) -> Value:
        return _binary(OPS["div"], _lift(other), self)

    def __neg__(self) -> Value:
        return _unary(OPS["neg"], self)

    def __pow__(self, other: Value | Number) -> Value:
        if isinstance(other, Value):
            return _binary(OPS["pow"], self, other)
        return _binary(OPS["powc"], self, _lift(other))

    def __rpow__(self, other: Number) -> Value:
        return _binary(OPS["pow"], _lift(other), self)

    def exp(self) -> Value:
        """e ** self."""
        return _unary(OPS["exp"], self)

    def log(self) -> Value:
        """Natural logarithm."""
        return _unary(OPS["log"], self)

    def tanh(self) -> Value:
        """Hyperbolic tangent."""
        return _unary(OPS["tanh"], self)

    def sigmoid(self) -> Value:
        """The logistic function sigma(x) = 1 / (1 + e^-x)."""
        return _unary(OPS["sigmoid"], self)

    def relu(self) -> Value:
        """max(0, self)."""
        return _unary(OPS["relu"], self)

    # --- gradients -----------------------------------------------------------------

    def backward(self, gradient: Number = 1.0) -> None:
        """Add d(self)/dx * gradient to ``x.grad`` for every node x of the graph
        that requires a gradient.

        Like PyTorch, gradients accumulate: a second call adds to what the first left.
        Each call propagates only its own contribution, so intermediate nodes' grads
        (which are kept, e.g. z.grad = delta) never feed a second call twice.
        """
        seed = as_float(gradient, "gradient")
        if not self._requires_grad:
            raise RuntimeError(
                "backward() on a Value that does not require grad: a constant, or "
                "made inside no_grad()"
            )
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
        _propagate(interior)
        if has_carried:
            for v, old in zip(interior, carried, strict=True):
                if old:
                    v.grad = old + v.grad

    def zero_grad(self) -> None:
        """Set ``grad`` to 0 for every node of this graph."""
        for v in topological_order(self):
            v.grad = 0.0

    def detach(self) -> Value:
        """A new constant leaf with the same data and label: no gradient flows
        through it (``requires_grad`` False, as PyTorch's ``detach``)."""
        return Value(self.data, self.label, requires_grad=False)


def _propagate(interior: list[Value]) -> None:
    """The chain rule, last node first: dC/dx_i += dy/dx_i * dC/dy for every op node
    y and each of its inputs x_i that requires a gradient (constants are skipped)."""
    for v in reversed(interior):
        g = v.grad
        op: Op = v._op  # type: ignore[assignment] # op nodes only
        arity = op.arity
        if arity == 2:
            a = v._a
            b = v._b
            da, db = op.partials(a.data, b.data, v.data)
            if a._requires_grad:
                a.grad += da * g
            if b._requires_grad:
                b.grad += db * g
        elif arity == 1:
            a = v._a
            if a._requires_grad:
                a.grad += op.partials(a.data, v.data) * g
        else:
            inputs = v._a
            for u, p in zip(inputs, op.partials(inputs, v.data, v._b)):  # noqa: B905
                if u._requires_grad:
                    u.grad += p.data * g


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


#: The marker on the stack of ``_op_nodes``: "place the node below me". A Value, so
#: the stack is a list of Values; it is never part of a graph.
_PLACE = Value(0.0, label="place marker")


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
    """
    if root._op is None:
        return []
    order: list[Value] = []
    expanded: set[Value] = set()
    stack = [root]
    while stack:
        v = stack.pop()
        if v is _PLACE:
            order.append(stack.pop())
            continue
        if v in expanded:
            continue
        expanded.add(v)
        stack.append(v)
        stack.append(_PLACE)
        arity = v._op.arity  # type: ignore[union-attr] # leaves are never pushed
        inputs: tuple[Value, ...]
        if arity == 2:
            inputs = (v._b, v._a)
        elif arity == 1:
            inputs = (v._a,)
        elif every:
            inputs = v._a[::-1]
        else:
            inputs = v._a[v._b - 1 :: -1]
        for u in inputs:  # reversed, so that the first input is expanded first
            if u._op is not None and (every or u._requires_grad) and u not in expanded:
                stack.append(u)
    return order


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


def weighted_input(
    w: Sequence[Value], a: Sequence[Value | Number], b: Value, label: str = ""
) -> Value:
    """The seed's weighted input z = sum_k w_k a_k + b as a single node.

    One node with one rule (dz/dw_k = a_k, dz/da_k = w_k, dz/db = 1) instead of 2n
    binary nodes: this is z^l_j, and after ``backward()`` its grad is delta^l_j.
    Its inputs are recorded as (w_1..w_n, b, a_1..a_n): the neuron's parameters,
    then the activations they weigh. Numbers in ``a`` become constant leaves, and when
    every a_k is a constant (a network's first layer) backward() stops at b.
    """
    n = len(w)
    if n != len(a):
        raise ValueError(f"weighted_input: {n} weights but {len(a)} inputs")
    if not isinstance(label, str):
        raise TypeError(f"label must be a str, got {type(label).__name__}")
    # Fast path: all inputs are Values (what a network passes). Otherwise reading
    # .data fails, and the slow path converts numbers or names the wrong type.
    inputs: tuple[Value, ...] = (*w, b, *a)  # type: ignore[arg-type]
    op = OPS["z"]
    try:
        count = _gradient_count(inputs, n)
        z = op.forward(inputs)
        if type(z) is not float:  # e.g. numpy scalars, which have a .data too
            raise TypeError
    except (AttributeError, TypeError):  # an input is not a Value: check them all
        inputs = _checked_weighted_inputs(w, a, b)
        count = _gradient_count(inputs, n)
        z = op.forward(inputs)
    out = _node(op, z, inputs, count, count > 0)
    out.label = label
    return out


def _gradient_count(inputs: tuple[Value, ...], n: int) -> int:
    """How many of z's inputs (w_1..w_n, b, a_1..a_n), from the first, take a
    gradient: all 2n + 1; n + 1 when no a_k requires one (a network's inputs), so
    that backward() stops at b; 0 when no input does (z is a constant)."""
    for ak in inputs[n + 1 :]:
        if ak._requires_grad:
            return 2 * n + 1
    for p in inputs[: n + 1]:
        if p._requires_grad:
            return n + 1
    return 0


def _checked_weighted_inputs(
    w: Sequence[Value], a: Sequence[Value | Number], b: Value
) -> tuple[Value, ...]:
    """(w, b, a) as one tuple of Values: numbers in ``a`` become constant leaves,
    anything else that is not a Value fails."""
    if not isinstance(b, Value):
        raise TypeError(f"weighted_input: b must be a Value, got {type(b).__name__}")
    for wk in w:
        if not isinstance(wk, Value):
            raise TypeError(
                f"weighted_input: weights must be Values, got {type(wk).__name__}"
            )
    return (*w, b, *[_lift(ak) for ak in a])


def half_sum_of_squares(r: Sequence[Value], label: str = "") -> Value:
    """C = 1/2 sum_j r_j^2 as a single node (dC/dr_j = r_j).

    With residuals r_j = a_j - y_j this is the seed's quadratic cost, and the chain
    rule through r_j gives dC/da_j = a_j - y_j.
    """
    if isinstance(r, Value) or not isinstance(r, Sequence):
        raise TypeError(
            f"half_sum_of_squares: r must be a sequence of Values, got "
            f"{type(r).__name__}"
        )
    if not isinstance(label, str):
        raise TypeError(f"label must be a str, got {type(label).__name__}")
    inputs = tuple(r)
    if not inputs:
        raise ValueError("half_sum_of_squares: no inputs")
    for rj in inputs:
        if not isinstance(rj, Value):
            raise TypeError(
                f"half_sum_of_squares: inputs must be Values, got {type(rj).__name__}"
            )
    op = OPS["half_sum_sq"]
    requires_grad = any(rj._requires_grad for rj in inputs)
    count = len(inputs) if requires_grad else 0
    out = _node(op, op.forward(inputs), inputs, count, requires_grad)
    out.label = label
    return out
