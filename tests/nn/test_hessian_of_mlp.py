"""The Hessian of a tiny network's cost, by gradients of gradients, equals central
differences of its gradient (the fused z nodes and the seed's cost node on the
create_graph path)."""

from __future__ import annotations

import pytest

from engine import Value, grad
from nn import MLP, cross_entropy, mse

CASES = [
    ("sigmoid", "mse", [0.8]),
    ("tanh", "cross_entropy", 1),
]


def _cost(net: MLP, loss: str, target: object) -> Value:
    out = net([0.5, -1.0])
    return mse(out, target) if loss == "mse" else cross_entropy(out, target)  # type: ignore[arg-type]


def _gradient(net: MLP, loss: str, target: object) -> list[float]:
    params = net.parameters()
    return [g.data for g in grad(_cost(net, loss, target), params)]  # type: ignore[union-attr]


@pytest.mark.parametrize(("activation", "loss", "target"), CASES)
def test_the_hessian_of_an_mlps_cost_equals_central_differences_of_its_gradient(
    activation: str, loss: str, target: object
) -> None:
    sizes = [2, 3, 1] if loss == "mse" else [2, 2, 2]
    output = None if loss == "mse" else "linear"
    net = MLP(sizes, activation=activation, output_activation=output, seed=3)
    params = net.parameters()
    first = grad(_cost(net, loss, target), params, create_graph=True)
    hessian = []
    for g in first:
        assert g is not None
        row = grad(g, params, allow_unused=True)
        hessian.append([0.0 if h is None else h.data for h in row])

    eps = 1e-6
    n = len(params)
    for j, p in enumerate(params):
        x = p.data
        p.data = x + eps
        up = _gradient(net, loss, target)
        p.data = x - eps
        down = _gradient(net, loss, target)
        p.data = x
        for i in range(n):
            numerical = (up[i] - down[i]) / (2 * eps)
            assert abs(hessian[i][j] - numerical) <= 1e-7 + 1e-5 * abs(numerical), (
                i,
                j,
            )
    for i in range(n):  # and, as a Hessian of a smooth function, it is symmetric
        for j in range(i):
            assert abs(hessian[i][j] - hessian[j][i]) <= 1e-14
