"""One sample's cost C of a net, its gradients filled in: the computation graph that
``deltagrad demo`` and ``deltagrad graph`` draw. Apart from ``viz.cli.pictures`` so
that ``graph`` does not load matplotlib."""

from __future__ import annotations

from collections.abc import Iterable

from engine import Value
from nn import MLP, mse

__all__ = ["sample_cost"]


def sample_cost(net: MLP, x: Iterable[float], y: Iterable[float]) -> Value:
    """The cost C of ``net`` on one sample (x, y), after ``backward()``."""
    cost = mse(net(list(x)), list(y))
    net.zero_grad()
    cost.backward()
    return cost
