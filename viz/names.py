"""viz's name lists, once: what the library accepts and the command line offers and
shows in its help. Plain Python (no graphviz, no numpy), so ``--help`` stays quick.
"""

from __future__ import annotations

__all__ = ["EXPRESSION_FUNCTIONS", "RANKDIRS"]

#: dot's layout directions (``rankdir``): left to right, right to left, top to bottom,
#: bottom to top.
RANKDIRS = ("LR", "RL", "TB", "BT")

#: The functions an expression of ``deltagrad graph`` may call (``viz.expr``), each
#: with how a call looks: the engine's Value methods, ``maximum`` and ``minimum``.
EXPRESSION_FUNCTIONS = {
    "exp": "exp(x)",
    "log": "log(x)",
    "tanh": "tanh(x)",
    "sigmoid": "sigmoid(x)",
    "relu": "relu(x)",
    "abs": "abs(x)",
    "sqrt": "sqrt(x)",
    "sin": "sin(x)",
    "cos": "cos(x)",
    "leaky_relu": "leaky_relu(x, 0.01)",
    "maximum": "maximum(x, y)",
    "minimum": "minimum(x, y)",
}
