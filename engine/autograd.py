"""``grad``: the gradients of outputs with respect to inputs, as PyTorch's
``torch.autograd.grad``, returned instead of added to ``.grad``.

For outputs C_1..C_m, seeds v_1..v_m (``grad_outputs``, 1.0 each by default: every
Value is a scalar) and inputs x_1..x_n it returns

    d(sum_k v_k C_k)/dx_i    for i = 1..n,

one Value per input, computed by reverse mode over the outputs' graph
(``engine.gradients``). With ``create_graph=True`` each is a Value of a new graph
built from the rule table's partials evaluated on Values, so it can be
differentiated again: ``grad(grad(y, [x], create_graph=True)[0], [x])`` is
d^2y/dx^2. Without it the results are constants (``requires_grad`` False), and no
node is made but them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from engine.gradients import gradients
from engine.value import Number, Value, _lift, as_float

__all__ = ["grad"]


def _values(x: object, who: str, what: str) -> list[Value]:
    """A Value or a sequence of Values as a list; TypeError naming ``what``."""
    if isinstance(x, Value):
        return [x]
    if isinstance(x, str | bytes) or not isinstance(x, Sequence):
        raise TypeError(
            f"{who}: {what} must be a Value or a sequence of Values, got "
            f"{type(x).__name__}"
        )
    items = list(x)
    for i, v in enumerate(items):
        if not isinstance(v, Value):
            raise TypeError(
                f"{who}: {what}[{i}] must be a Value, got {type(v).__name__}"
            )
    return items


def _seeds(
    grad_outputs: Value | Number | Sequence[Value | Number | None] | None,
    count: int,
    create_graph: bool,
) -> list[Any]:
    """One seed per output: 1.0 where none is given; floats, or constant Values
    (and any Value given) with ``create_graph``."""
    given: list[Any]
    if grad_outputs is None:
        given = [None] * count
    elif isinstance(grad_outputs, Value) or not isinstance(grad_outputs, Sequence):
        given = [grad_outputs]
    else:
        given = list(grad_outputs)
    if len(given) != count:
        raise ValueError(
            f"grad: grad_outputs has {len(given)} entries but there are {count} "
            "outputs; give one per output"
        )
    seeds: list[Any] = []
    for i, g in enumerate(given):
        if isinstance(g, Value):
            seeds.append(g if create_graph else g._data)
            continue
        seed = 1.0 if g is None else as_float(g, f"grad: grad_outputs[{i}]")
        seeds.append(_lift(seed) if create_graph else seed)
    return seeds


def _checked(
    outputs: Value | Sequence[Value], inputs: Value | Sequence[Value]
) -> tuple[list[Value], list[Value]]:
    """The outputs and inputs as lists, each non-empty and every node requiring a
    gradient (RuntimeError otherwise, as PyTorch)."""
    outs = _values(outputs, "grad", "outputs")
    ins = _values(inputs, "grad", "inputs")
    if not outs:
        raise ValueError("grad: outputs is empty; give at least one Value")
    if not ins:
        raise ValueError("grad: inputs is empty; give at least one Value")
    for k, out in enumerate(outs):
        if not out._requires_grad:
            raise RuntimeError(
                f"grad: element {k} of outputs does not require grad (a constant, "
                "or made inside no_grad()), so nothing depends on the inputs"
            )
    for i, x in enumerate(ins):
        if not x._requires_grad:
            raise RuntimeError(
                f"grad: inputs[{i}] does not require grad (a constant): it takes no "
                "gradient"
            )
    return outs, ins


def grad(
    outputs: Value | Sequence[Value],
    inputs: Value | Sequence[Value],
    grad_outputs: Value | Number | Sequence[Value | Number | None] | None = None,
    *,
    retain_graph: bool | None = None,
    create_graph: bool = False,
    allow_unused: bool | None = None,
    materialize_grads: bool = False,
) -> tuple[Value | None, ...]:
    """The gradients of the outputs with respect to the inputs, PyTorch's semantics.

    ``outputs`` and ``inputs`` are a Value or a sequence of Values (inputs may be
    any nodes that require a gradient, intermediate ones too); ``grad_outputs`` one
    number or Value per output (default 1.0), the v_k of d(sum_k v_k C_k)/dx_i.
    Returns a tuple with one Value per input. The nodes' ``.grad`` are not touched.

    * ``create_graph``: the results are recorded as a graph (also inside
      ``no_grad()``), so they can be differentiated again; a Value in
      ``grad_outputs`` is then part of it too.
    * ``allow_unused``: an input the outputs do not depend on gives None instead
      of a RuntimeError; ``materialize_grads`` gives a constant 0.0 instead
      (and implies ``allow_unused``, as in PyTorch).
    * ``retain_graph`` is accepted and changes nothing (a graph is never freed by
      a pass here).

    RuntimeError, as PyTorch, when an output or an input does not require a
    gradient, or an input is unused without ``allow_unused``.
    """
    outs, ins = _checked(outputs, inputs)
    if allow_unused is None:
        allow_unused = materialize_grads
    if materialize_grads and not allow_unused:
        raise ValueError(
            "grad: materialize_grads=True with allow_unused=False: "
            "materialize_grads gives unused inputs a 0.0, so they must be allowed"
        )
    seeds = _seeds(grad_outputs, len(outs), create_graph)
    table = gradients(outs, seeds, create_graph=create_graph)
    results: list[Value | None] = []
    for i, x in enumerate(ins):
        g = table.get(x)
        if g is None:
            if not allow_unused:
                raise RuntimeError(
                    f"grad: inputs[{i}] does not appear in the graph of the "
                    "outputs; pass allow_unused=True if that is intended"
                )
            results.append(_lift(0.0) if materialize_grads else None)
        elif isinstance(g, Value):
            results.append(g)
        else:
            results.append(_lift(g))
    return tuple(results)
