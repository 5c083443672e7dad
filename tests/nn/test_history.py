"""``fit``'s History: the test set's cost per epoch on both engines, its short repr,
and the progress bar that Jupyter shows as one widget (``tqdm.auto``)."""

from __future__ import annotations

import numpy as np
import pytest
import tqdm.auto

from nn import MLP, fit, make_dataset, to_targets
from nn import train as train_module
from nn.data import train_test_split
from nn.losses import LOSSES


def engine_mean_cost(net: MLP, x: np.ndarray, labels: np.ndarray, loss: str) -> float:
    """The mean cost per sample, each sample's C built as an engine graph."""
    targets = labels if loss == "cross_entropy" else to_targets(labels, net.sizes[-1])
    cost = LOSSES[loss]
    pairs = zip(x.tolist(), targets.tolist(), strict=True)
    return float(np.mean([cost(net(xi), yi).data for xi, yi in pairs]))


@pytest.mark.parametrize("engine", ["autograd", "numpy"])
@pytest.mark.parametrize(("loss", "sizes", "output"), [
    ("mse", [2, 3, 1], None), ("bce", [2, 3, 1], "sigmoid"),
    ("cross_entropy", [2, 3, 2], "linear"),
])
def test_fit_records_the_test_sets_mean_cost_after_every_epoch(
    engine: str, loss: str, sizes: list[int], output: str | None
) -> None:
    ds = make_dataset("gauss", n=50, seed=3)
    train, test = train_test_split(ds, 0.7, seed=0)
    net = MLP(sizes, seed=1, output_activation=output)
    history = fit(net, train, epochs=3, lr=0.5, batch_size=8, engine=engine,
                  loss=loss, test=test, progress=False)
    assert len(history.test_loss) == 3
    # after the last epoch the net holds the weights the last entry was taken with
    assert history.test_loss[-1] == pytest.approx(
        engine_mean_cost(net, test.x, test.labels, loss), rel=1e-12
    )
    assert history.loss[-1] == pytest.approx(
        engine_mean_cost(net, train.x, train.labels, loss), rel=1e-12
    )


def test_without_a_test_set_there_is_no_test_cost() -> None:
    ds = make_dataset("gauss", n=20, seed=0)
    history = fit(MLP([2, 2, 1], seed=0), ds, epochs=2, lr=1.0, batch_size=5,
                  progress=False)
    assert history.test_loss == []
    assert history.test_accuracy == []


def test_the_repr_of_a_history_is_one_short_line() -> None:
    ds = make_dataset("gauss", n=40, seed=0)
    history = fit(MLP([2, 2, 1], seed=0), ds, epochs=83, lr=1.0, batch_size=5,
                  test=ds, progress=False, engine="numpy")
    text = repr(history)
    assert "\n" not in text
    assert len(text) < 150
    assert text.startswith("History(numpy, 83 epochs; last: cost ")
    assert f"test cost {history.test_loss[-1]:.4g}" in text
    assert repr(type(history)()) == "History(autograd, 0 epochs)"


def test_the_progress_bar_is_tqdm_auto_a_widget_in_jupyter() -> None:
    assert vars(train_module)["tqdm"] is tqdm.auto.tqdm
