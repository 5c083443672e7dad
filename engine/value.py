"""``Value``: a float64 scalar that remembers how it was computed.

Each operation on Values returns a new Value holding the result (``data``), the row of
the rule table (``engine.ops.OPS``) that made it and its inputs, in order: the
methods below only pick the row. For an output C, ``backward()`` then applies the
chain rule from C back to every input:

    dC/dx = sum over the nodes y that use x of  dy/dx * dC/dy

with dy/dx from y's row, visiting nodes in reverse topological order so that dC/dy is
complete before it is passed on (the walk is ``engine.walk``). Leaves made with
``requires_grad=False`` (constants: the numbers in ``x * 2``, a network's inputs)
receive no gradient, as in PyTorch. A node holds no closure and points only to its
inputs, so a finished graph has no reference cycles and is freed by reference
counting as soon as the last name for its output goes away.
"""

from __future__ import annotations

import numbers
from typing import Any, Union

import numpy as np

from engine.grad_mode import GRAD_ENABLED
from engine.ops import OPS, Op
from engine.walk import _gc_paused, _op_nodes, _propagate, topological_order

__all__ = ["Number", "Value", "as_float"]

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
    if GRAD_ENABLED[0]:
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
    of one input keeps it in ``_a``; of two, in ``_a`` and ``_b``; an n-ary op (arity
    ``NARY``: ``z``, ``half_sum_sq``, made in ``engine.fused``) keeps the tuple of its
    inputs in ``_a`` and in ``_b`` how many of them, from the first, take a gradient
    (counted when the node is made).
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
        arity = op.arity
        if arity == 2:
            return (self._a, self._b)
        if arity == 1:
            return (self._a,)
        inputs: tuple[Value, ...] = self._a  # NARY: _a is the tuple of inputs itself
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
