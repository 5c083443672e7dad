"""deltagrad's engine: scalar reverse-mode automatic differentiation.

>>> from engine import Value, grad
>>> x = Value(2.0, label="x")
>>> y = (x * 3 + 1).sigmoid()
>>> y.backward()          # x.grad is now dy/dx = 3 sigma'(7)

>>> (dy,) = grad(y, [x], create_graph=True)   # dy/dx as a Value of a new graph
>>> (d2y,) = grad(dy, [x])                     # d^2y/dx^2

Modules: ``ops`` (the rule table), ``value`` (``Value``, ``maximum``, ``minimum``),
``walk`` (topological order, the chain rule along it, the check for stale data),
``fused`` (the seed's one-node z and cost), ``grad_mode`` (``no_grad``, per thread),
``gradients`` and ``autograd`` (``grad``: reverse mode into Values, create_graph),
``tangents`` and ``forward`` (``jvp``: forward mode), ``functional`` (``jacobian``,
``hessian``, ``hvp``), ``gradcheck`` (and ``gradgradcheck``).
"""

from engine.autograd import grad
from engine.forward import jvp
from engine.functional import hessian, hvp, jacobian
from engine.fused import half_sum_of_squares, weighted_input
from engine.grad_mode import enable_grad, is_grad_enabled, no_grad
from engine.gradcheck import GradcheckError, gradcheck, gradgradcheck
from engine.ops import OPS, Op
from engine.value import Number, Value, maximum, minimum
from engine.walk import topological_order

__all__ = [
    "OPS",
    "GradcheckError",
    "Number",
    "Op",
    "Value",
    "enable_grad",
    "grad",
    "gradcheck",
    "gradgradcheck",
    "half_sum_of_squares",
    "hessian",
    "hvp",
    "is_grad_enabled",
    "jacobian",
    "jvp",
    "maximum",
    "minimum",
    "no_grad",
    "topological_order",
    "weighted_input",
]
