"""deltagrad's engine: scalar reverse-mode automatic differentiation.

>>> from engine import Value
>>> x = Value(2.0, label="x")
>>> y = (x * 3 + 1).sigmoid()
>>> y.backward()          # x.grad is now dy/dx = 3 sigma'(7)

Modules: ``ops`` (the rule table), ``value`` (``Value``, ``maximum``, ``minimum``),
``walk`` (topological order, the chain rule along it, the check for stale data),
``fused`` (the seed's one-node z and cost), ``grad_mode`` (``no_grad``, per thread),
``gradcheck``.
"""

from engine.fused import half_sum_of_squares, weighted_input
from engine.grad_mode import enable_grad, is_grad_enabled, no_grad
from engine.gradcheck import GradcheckError, gradcheck
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
    "gradcheck",
    "half_sum_of_squares",
    "is_grad_enabled",
    "maximum",
    "minimum",
    "no_grad",
    "topological_order",
    "weighted_input",
]
