"""The engine's public names: ``from engine import ...`` offers exactly these.

Where a name is defined inside the package may change; what ``engine`` exports may
not, so that nn, viz and learners' code keep working.
"""

from __future__ import annotations

import engine

PUBLIC = [
    "GradcheckError",
    "Number",
    "OPS",
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


def test_the_engine_exports_exactly_its_public_names() -> None:
    assert sorted(engine.__all__) == sorted(PUBLIC)
    missing = [name for name in PUBLIC if not hasattr(engine, name)]
    assert missing == []
