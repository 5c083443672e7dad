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

import math
import numbers
from collections.abc import Iterable, Iterator, Sequence
from operator import attrgetter
from typing import TYPE_CHECKING, Any, Literal, Union, overload

import numpy as np

from engine.grad_mode import ALL_THREADS_RECORD, FORWARD_THREADS, THREAD_MODE
from engine.gradients import gradients
from engine.ops import OPS, Op
from engine.tangents import push_tangent
from engine.walk import (
    EPOCH,
    GRAD_LOCK,
    _gc_paused,
    _op_nodes,
    _propagate,
    topological_order,
)

__all__ = ["Number", "Value", "as_float", "get_data", "maximum", "minimum", "set_data"]

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
    leaf._data = as_float(x, "operand")
    leaf.grad = 0.0
    leaf.label = ""
    leaf._requires_grad = False
    leaf._op = leaf._a = leaf._b = None
    leaf._epoch = 0
    return leaf


def _node(op: Op, data: float, a: Any, b: Any, requires_grad: bool) -> Value:
    """A new node y = op(...) holding ``data``, made in the current data epoch; it
    records op and its inputs (a, b) unless this thread is inside ``no_grad()``,
    where it is a constant leaf. As in PyTorch it requires a gradient when one of its
    inputs does; an op of constants is a constant too, though it is still recorded,
    so that pictures show it."""
    out = Value.__new__(Value)
    out._data = data
    out.grad = 0.0
    out.label = ""
    out._epoch = EPOCH[0]
    if ALL_THREADS_RECORD[0] or THREAD_MODE.enabled:
        out._op = op
        out._a = a
        out._b = b
        out._requires_grad = requires_grad
    else:
        out._op = out._a = out._b = None
        out._requires_grad = False
        if requires_grad and FORWARD_THREADS[0] and THREAD_MODE.tangents is not None:
            push_tangent(out, op, a, b)  # forward mode (engine.jvp)
    return out


# _unary and _binary make their node as _node does, written out: one call less per
# node made is about a tenth of the time it takes.


def _unary(op: Op, x: Value) -> Value:
    """y = op(x) (as ``_node(op, op.forward(x.data), x, None, ...)``)."""
    out = Value.__new__(Value)
    out._data = op.forward(x._data)
    out.grad = 0.0
    out.label = ""
    out._epoch = EPOCH[0]
    if ALL_THREADS_RECORD[0] or THREAD_MODE.enabled:
        out._op = op
        out._a = x
        out._b = None
        out._requires_grad = x._requires_grad
    else:
        out._op = out._a = out._b = None
        out._requires_grad = False
        if FORWARD_THREADS[0] and THREAD_MODE.tangents is not None:
            push_tangent(out, op, x, None)  # forward mode (engine.jvp)
    return out


def _binary(op: Op, a: Value, b: Value) -> Value:
    """y = op(a, b) (as ``_node(op, op.forward(a.data, b.data), a, b, ...)``)."""
    out = Value.__new__(Value)
    out._data = op.forward(a._data, b._data)
    out.grad = 0.0
    out.label = ""
    out._epoch = EPOCH[0]
    if ALL_THREADS_RECORD[0] or THREAD_MODE.enabled:
        out._op = op
        out._a = a
        out._b = b
        out._requires_grad = a._requires_grad or b._requires_grad
    else:
        out._op = out._a = out._b = None
        out._requires_grad = False
        if FORWARD_THREADS[0] and THREAD_MODE.tangents is not None:
            push_tangent(out, op, a, b)  # forward mode (engine.jvp)
    return out


def _comparison(op: Op, a: Value, b: Value) -> Value:
    """a < b and the like: a recorded constant 1.0 or 0.0 that takes no gradient."""
    return _node(op, op.forward(a._data, b._data), a, b, False)


def _set_data(v: Value, value: float) -> None:
    """``v.data = value``: a real number, stored as a float, in a new data epoch.

    A leaf's ``_epoch`` becomes the new epoch, so a node made before it (whose own
    ``_epoch`` is older) sees an input changed since; an op node's becomes minus the
    new epoch, the mark of a result whose data no longer follows from its inputs.
    ``engine.walk`` checks both in ``backward()``.
    """
    v._data = value if type(value) is float else as_float(value, "data")
    epoch = EPOCH[0] + 1
    EPOCH[0] = epoch
    v._epoch = epoch if v._op is None else -epoch


#: v._data for a node v: the getter of the ``data`` property, a C function.
_DATA_OF = attrgetter("_data")


def get_data(nodes: Iterable[Value]) -> Iterator[float]:
    """The nodes' data, one after the other, as ``v.data`` for each v gives them but
    without a property call per node (for an optimizer's step, e.g. ``np.fromiter``)."""
    return map(_DATA_OF, nodes)


def set_data(nodes: Sequence[Value], values: Iterable[float]) -> None:
    """``v.data = x`` for each node v and value x in turn (an optimizer's step), as one
    write: the nodes share one new data epoch, and no property is called per node.

    The values must be real numbers (TypeError at the first that is not, the nodes
    before it written) and as many as the nodes (ValueError).
    """
    epoch = EPOCH[0] + 1
    EPOCH[0] = epoch
    for v, x in zip(nodes, values, strict=True):
        v._data = x if type(x) is float else as_float(x, "data")
        v._epoch = epoch if v._op is None else -epoch


class Value:
    """A scalar node of the computation graph.

    Attributes:
        data: the float64 value. Setting it (an optimizer step, ``load_arrays``)
            is fine before a graph is built from the node; ``backward()`` on a
            graph built before raises a RuntimeError naming the node, as PyTorch
            does for a tensor modified in place (see ``engine.walk``).
        grad: dC/d(this node), summed over every ``backward()`` call since the last
            ``zero_grad()``, as PyTorch accumulates ``.grad``.
        label: a name for pictures, e.g. ``"w[2][1][3]"``; empty for intermediates.
        requires_grad: whether ``backward()`` gives this node a gradient (read-only:
            fixed when the node is made). True by default for leaves and for op
            nodes with an input that requires one; False for constants, whose grad
            stays 0.0 (PyTorch leaves it None).

    Comparisons ``<``, ``<=``, ``>``, ``>=`` (with Values or numbers, either side)
    compare ``data`` and give a constant Value 1.0 or 0.0 (nan compares False), and
    ``bool(v)`` is ``v.data != 0``, as for a one-element tensor: so ``if x > 0:``,
    ``max(a, b)`` and ``sorted(values)`` work. ``==`` and ``!=`` are identity and
    ``hash`` is ``id``-based: a Value is a graph node, held in sets and dicts by who
    it is, not by its number (PyTorch's ``==`` is elementwise instead). ``float(v)``
    is ``v.data``.

    A node is small (about 143 bytes with its data and grad floats, by tracemalloc):
    its inputs sit in two slots, not in a tuple of their own. A leaf has
    ``_op = _a = _b = None``; an op of one input keeps it in ``_a``; of two, in ``_a``
    and ``_b``; an n-ary op (arity ``NARY``: ``z``, ``half_sum_sq``, made in
    ``engine.fused``) keeps the tuple of its inputs in ``_a`` and in ``_b`` how many
    of them, from the first, take a gradient (counted when the node is made). The
    float lives in the slot ``_data``, which the engine's hot paths read directly;
    ``data`` is a property over it whose setter marks the change. ``_epoch`` is the
    data epoch an op node was made in (one int object shared by every node of an
    epoch, so the slot is the only cost), or, once ``data`` is set, when that was
    (see ``_set_data``).
    """

    __slots__ = (
        "_a", "_b", "_data", "_epoch", "_op", "_requires_grad", "grad", "label"
    )

    grad: float
    label: str
    _data: float
    _epoch: int
    _requires_grad: bool
    _op: Op | None
    _a: Any
    _b: Any

    if TYPE_CHECKING:

        @property
        def data(self) -> float:
            """The float64 value."""

        @data.setter
        def data(self, value: float) -> None: ...

    else:
        # A C-level getter: reading v.data costs about 40 ns instead of the 60 ns of
        # a getter written in Python (a slot read is about 10 ns).
        data = property(
            _DATA_OF,
            _set_data,
            doc="The float64 value; setting it marks the node changed (see "
            "``Value``).",
        )

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
        self._data = data if type(data) is float else as_float(data, "Value data")
        self.grad = 0.0
        self.label = label
        self._requires_grad = requires_grad
        self._op = self._a = self._b = None
        self._epoch = 0

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
        return f"Value(data={self._data!r}, grad={self.grad!r}{name}{constant})"

    # --- comparisons and truth: of data, as a one-element tensor --------------------

    def __lt__(self, other: Value | Number) -> Value:
        return _comparison(OPS["lt"], self, _lift(other))

    def __le__(self, other: Value | Number) -> Value:
        return _comparison(OPS["le"], self, _lift(other))

    def __gt__(self, other: Value | Number) -> Value:
        return _comparison(OPS["gt"], self, _lift(other))

    def __ge__(self, other: Value | Number) -> Value:
        return _comparison(OPS["ge"], self, _lift(other))

    def __bool__(self) -> bool:
        """``data != 0`` (nan is true), as ``bool`` of a one-element tensor."""
        return self._data != 0.0

    def __float__(self) -> float:
        return self._data

    # ``==``, ``!=`` and ``hash`` stay object's: identity (see the class docstring).

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

    def abs(self) -> Value:
        """|self|; its derivative sign(x) is 0 at 0, as PyTorch's."""
        return _unary(OPS["abs"], self)

    def sqrt(self) -> Value:
        """The square root; d sqrt(x)/dx = 1 / (2 sqrt(x)), inf at 0."""
        return _unary(OPS["sqrt"], self)

    def sin(self) -> Value:
        """sin(self); d sin(x)/dx = cos x."""
        return _unary(OPS["sin"], self)

    def cos(self) -> Value:
        """cos(self); d cos(x)/dx = -sin x."""
        return _unary(OPS["cos"], self)

    def leaky_relu(self, negative_slope: Number = 0.01) -> Value:
        """x for x > 0, else negative_slope * x (PyTorch's default slope 0.01).

        d/dx is 1 for x > 0 and negative_slope at and below 0, as in PyTorch. Any
        finite real slope is taken (PyTorch takes negative ones too); the slope is a
        constant input of the node, like the k of ``x ** k``.
        """
        slope = as_float(negative_slope, "leaky_relu: negative_slope")
        if not math.isfinite(slope):
            raise ValueError(
                f"leaky_relu: negative_slope must be finite, got {slope!r}"
            )
        return _binary(OPS["leaky_relu"], self, _lift(slope))

    # --- gradients -----------------------------------------------------------------

    @overload
    def backward(
        self,
        gradient: Number = 1.0,
        *,
        retain_graph: bool | None = None,
        create_graph: Literal[False] = False,
    ) -> None: ...

    @overload
    def backward(
        self,
        gradient: Value | Number = 1.0,
        *,
        retain_graph: bool | None = None,
        create_graph: Literal[True],
    ) -> dict[Value, Value]: ...

    def backward(
        self,
        gradient: Value | Number = 1.0,
        *,
        retain_graph: bool | None = None,
        create_graph: bool = False,
    ) -> dict[Value, Value] | None:
        """Add d(self)/dx * gradient to ``x.grad`` for every node x of the graph
        that requires a gradient.

        Like PyTorch, gradients accumulate: a second call adds to what the first left.
        Each call propagates only its own contribution, so intermediate nodes' grads
        (which are kept, e.g. z.grad = delta) never feed a second call twice. Calls
        from several threads at once, on graphs that share nodes, add up as the same
        calls one after the other would: each walk holds ``engine.walk.GRAD_LOCK``.
        ``retain_graph`` is accepted for PyTorch's sake and changes nothing (a graph
        here is never freed by a backward pass).

        With ``create_graph=True`` the gradients are computed as Values recorded in
        a new graph (``engine.grad``'s), so that they can be differentiated again:
        their data is added to ``.grad`` as above (which stays a float, what the
        optimizers, pictures and ``zero_grad`` read), and the Values themselves are
        returned, one per node that took a gradient: ``{x: dC/dx}``. (PyTorch makes
        ``x.grad`` the graph-valued tensor itself; a float ``grad`` keeps every node
        small and the fast path unchanged, and a graph held only by the returned
        dict cannot form the reference cycle PyTorch warns about.) ``gradient`` may
        then be a Value.
        """
        if create_graph:
            return self._backward_graph(gradient)
        seed = as_float(gradient, "gradient")
        if not self._requires_grad:
            raise RuntimeError(
                "backward() on a Value that does not require grad: a constant, or "
                "made inside no_grad()"
            )
        with GRAD_LOCK, _gc_paused():
            self._backward(seed)
        return None

    def _backward_graph(self, gradient: Value | Number) -> dict[Value, Value]:
        """backward(create_graph=True): the gradients as Values, added to .grad."""
        seed = gradient if isinstance(gradient, Value) else _lift(
            as_float(gradient, "gradient")
        )
        if not self._requires_grad:
            raise RuntimeError(
                "backward() on a Value that does not require grad: a constant, or "
                "made inside no_grad()"
            )
        table = gradients([self], [seed], create_graph=True)
        out: dict[Value, Value] = {}
        with GRAD_LOCK:  # the sums are this call's own; only adding them is shared
            for v, g in table.items():
                gv = g if isinstance(g, Value) else _lift(g)
                v.grad += gv._data
                out[v] = gv
        return out

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
        """Set ``grad`` to 0 for every node of this graph, between two walks of
        other threads, never inside one (it holds ``engine.walk.GRAD_LOCK``)."""
        with GRAD_LOCK:
            for v in topological_order(self):
                v.grad = 0.0

    def detach(self) -> Value:
        """A new constant leaf with the same data and label: no gradient flows
        through it (``requires_grad`` False, as PyTorch's ``detach``)."""
        return Value(self._data, self.label, requires_grad=False)


def _operand(x: object, who: str, name: str) -> Value:
    """A Value or a real number (made a constant leaf); TypeError naming ``name``."""
    if isinstance(x, Value):
        return x
    if isinstance(x, bool | np.bool_) or not isinstance(x, numbers.Real):
        raise TypeError(
            f"{who}: {name} must be a Value or a real number, got {type(x).__name__}"
        )
    return _lift(x)


def maximum(a: Value | Number, b: Value | Number) -> Value:
    """The larger of a and b (Values or numbers), as ``torch.maximum``.

    nan if either is nan. The gradient goes to the larger input (1) and none to the
    smaller (a mask, so not even an infinite one); at a tie each gets half of it;
    when a nan is involved each gets all of it, as in PyTorch.
    """
    return _binary(
        OPS["maximum"], _operand(a, "maximum", "a"), _operand(b, "maximum", "b")
    )


def minimum(a: Value | Number, b: Value | Number) -> Value:
    """The smaller of a and b (Values or numbers), as ``torch.minimum``; its
    gradient is ``maximum``'s with the roles of larger and smaller swapped."""
    return _binary(
        OPS["minimum"], _operand(a, "minimum", "a"), _operand(b, "minimum", "b")
    )
