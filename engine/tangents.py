"""Forward mode's chain rule, applied to each node as it is made.

In a forward-mode pass (``engine.forward.jvp``) every input x_i carries a tangent
dx_i (how fast it moves along the chosen direction), and a node y = f(x_1..x_n)
made from them carries

    dy = sum_i dy/dx_i * dx_i,

with dy/dx_i from y's row of the rule table (``engine.ops``), evaluated on floats as
``backward()`` evaluates them. Nothing is recorded: a node of the pass is a leaf
(``_op`` None, so no reverse graph is built and every intermediate is freed at
once) that keeps its tangent in the slot ``_a`` and, in ``_b``, the token of the
pass, so that a node with a tangent is told from any other leaf (a network's
parameters, a constant: their tangent is 0) without a slot of its own. An input
without a tangent contributes nothing (a structural zero, as a constant in reverse
mode); a ``MASKED`` partial gives 0 whatever the tangent is, as in PyTorch.

This module reads a node's layout and never imports ``Value`` at run time, so that
``engine.value`` can call it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from engine.grad_mode import THREAD_MODE

if TYPE_CHECKING:
    from engine.ops import Op
    from engine.value import Value

__all__ = ["push_tangent", "tangent_of"]


def tangent_of(u: Value, token: object) -> float | None:
    """The tangent node u carries in the pass ``token``, None if it carries none
    (only a node of the pass has the token in ``_b``: a recorded node's ``_b`` is an
    input or a count)."""
    if u._b is token:
        t: float = u._a
        return t
    return None


def push_tangent(out: Value, op: Op, a: Any, b: Any) -> None:
    """Give ``out`` = op(inputs), just made without recording, the tangent
    sum_i dy/dx_i dx_i of this thread's pass, if one of its inputs carries one.

    ``a`` and ``b`` are the inputs as a recorded node would keep them: one input in
    ``a`` (arity 1), two in ``a`` and ``b`` (arity 2), or the tuple of inputs in
    ``a`` and how many of them, from the first, take a gradient in ``b`` (``NARY``).
    """
    token = THREAD_MODE.tangents
    arity = op.arity
    t: Any
    if arity == 1:
        if a._b is not token:
            return
        t = op.partials(a._data, out._data) * a._a
    elif arity == 2:  # tangent_of, written out
        ta = a._a if a._b is token else None
        tb = b._a if b._b is token else None
        if ta is None and tb is None:
            return
        da, db = op.partials(a._data, b._data, out._data)
        if tb is None:
            t = da * ta
        elif ta is None:
            t = db * tb
        else:
            t = da * ta + db * tb
    else:  # NARY: the partials of the first b inputs, read as their _data
        t = None
        for u, p in zip(a, op.partials(a, out._data, b)):  # noqa: B905 - b <= len(a)
            if u._b is token:
                term = p._data * u._a
                t = term if t is None else t + term
        if t is None:
            return
    out._a = t
    out._b = token
    out._requires_grad = True
