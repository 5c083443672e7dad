"""nn writes parameters' ``data`` (optimizer steps, ``load_arrays``,
``load_state_dict``) and keeps working: it builds each graph after writing. Only a
graph built before a write refuses backward(), as the engine's stale-input check says.
"""

from __future__ import annotations

import numpy as np
import pytest

from nn import MLP, SGD, Adam, Dataset, fit, mse

X = [[0.5, -1.0], [1.0, 0.25], [-0.5, 0.5]]
Y = [[1.0], [0.0], [1.0]]


def _cost(net: MLP) -> float:
    return sum(mse(net(x), y).data for x, y in zip(X, Y, strict=True))


@pytest.mark.parametrize("optimizer", [SGD, Adam])
def test_an_optimizer_loop_builds_backpropagates_and_steps(optimizer: type) -> None:
    net = MLP([2, 3, 1], seed=0)
    opt = optimizer(net.parameters(), lr=0.1)
    before = _cost(net)
    for _ in range(20):
        opt.zero_grad()
        for x, y in zip(X, Y, strict=True):
            mse(net(x), y).backward()
        opt.step()
    assert _cost(net) < before


def test_backward_on_a_graph_from_before_the_step_raises_naming_the_weight() -> None:
    net = MLP([2, 3, 1], seed=0)
    opt = SGD(net.parameters(), lr=0.1)
    loss = mse(net(X[0]), Y[0])
    loss.backward()
    opt.step()
    with pytest.raises(RuntimeError, match=r"the data of '[wb]\[\d\]"):
        loss.backward()  # the old graph, as if the forward pass were forgotten


def test_load_arrays_and_load_state_dict_then_a_new_graph_work() -> None:
    net = MLP([2, 3, 1], seed=0)
    other = MLP([2, 3, 1], seed=1)
    stale = mse(net(X[0]), Y[0])
    net.load_arrays(other.weights(), other.biases())
    with pytest.raises(RuntimeError, match="has been modified"):
        stale.backward()
    mse(net(X[0]), Y[0]).backward()
    grads = [p.grad for p in net.parameters()]
    mse(other(X[0]), Y[0]).backward()
    assert grads == [p.grad for p in other.parameters()]
    net.load_state_dict(MLP([2, 3, 1], seed=2).state_dict())
    net.zero_grad()
    mse(net(X[1]), Y[1]).backward()


def test_fit_trains_on_both_engines_and_agrees() -> None:
    rng = np.random.default_rng(0)
    ds = Dataset(rng.normal(size=(12, 2)), rng.integers(0, 2, 12), 2, "random")
    nets = {}
    for engine in ("autograd", "numpy"):
        nets[engine] = MLP([2, 3, 1], seed=0)
        fit(nets[engine], ds, epochs=3, lr=0.5, batch_size=4, engine=engine,
            progress=False)
    for a, b in zip(nets["autograd"].weights(), nets["numpy"].weights(), strict=True):
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-9)
