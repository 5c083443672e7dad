"""Training that goes wrong says so: divergence stops or warns, saturated sigmoid
layers and dead ReLU layers warn, nan in the data is named before training; a
healthy run stays silent. Both training paths."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from nn import (
    MLP,
    DeadReLUWarning,
    DivergenceWarning,
    SaturationWarning,
    TrainingDivergedError,
    TrainingWarning,
    fit,
    make_dataset,
)
from nn.data import Dataset
from nn.health import (
    COST_GROWTH,
    SATURATED_SHARE,
    SATURATION_MARGIN,
    WEIGHT_LIMIT,
    Monitor,
)

ENGINES = pytest.mark.parametrize("engine", ["autograd", "numpy"])


def _fit(net: MLP, train: Dataset, **kwargs: object) -> None:
    args: dict[str, object] = {"epochs": 2, "lr": 0.1, "batch_size": 10}
    args.update(kwargs)
    fit(net, train, progress=False, **args)  # type: ignore[arg-type]


def _caught(
    net: MLP, train: Dataset, **kwargs: object
) -> list[warnings.WarningMessage]:
    """The warnings of one run; numpy's RuntimeWarnings are errors."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        warnings.simplefilter("error", RuntimeWarning)
        _fit(net, train, **kwargs)
    return caught


def _of(kind: type[Warning], caught: list[warnings.WarningMessage]) -> list[str]:
    return [str(w.message) for w in caught if issubclass(w.category, kind)]


# --- divergence ----------------------------------------------------------------------


@ENGINES
def test_lr_1e6_warns_once_that_training_is_diverging(engine: str) -> None:
    """Before: 5 epochs to chance accuracy and weights of 3e4, without a word."""
    caught = _caught(MLP([2, 8, 1], seed=0), make_dataset("circle", n=100),
                     lr=1e6, epochs=5, engine=engine)
    diverging = _of(DivergenceWarning, caught)
    assert len(diverging) == 1
    assert diverging[0].startswith(
        "training is diverging in epoch 1 (lr 1e+06): a weight reached"
    )
    assert f"beyond {WEIGHT_LIMIT:g}" in diverging[0]
    assert all(issubclass(w.category, TrainingWarning) for w in caught)


@ENGINES
def test_a_weight_that_becomes_inf_stops_training_naming_epoch_and_lr(
    engine: str,
) -> None:
    """A TrainingDivergedError (a ValueError), and no numpy RuntimeWarning spills
    (before: 'overflow encountered in matmul' from inside the formulas)."""
    net = MLP([2, 1], activation="linear", seed=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        with pytest.raises(TrainingDivergedError) as info:
            _fit(net, make_dataset("xor", n=8), lr=1e300, batch_size=1, epochs=5,
                 engine=engine)
    assert isinstance(info.value, ValueError)
    assert str(info.value).startswith("training diverged in epoch 1 (lr 1e+300): ")
    assert "a weight became" in str(info.value)


def test_the_monitor_warns_for_a_weight_just_beyond_the_limit_only() -> None:
    x = np.array([[1.0]])
    y = np.array([[0.0]])
    monitor = Monitor([np.array([[0.0]])], [np.array([0.0])], x, y, loss="mse",
                      lr=1.0, activation="linear", output_activation="linear")
    with warnings.catch_warnings():
        warnings.simplefilter("error", TrainingWarning)
        monitor.check(1, [np.array([[-WEIGHT_LIMIT]])], [np.array([0.0])])
    with pytest.warns(DivergenceWarning, match=r"epoch 2 .*reached -1001, beyond 1000"):
        monitor.check(2, [np.array([[-WEIGHT_LIMIT * 1.001]])], [np.array([0.0])])


def test_the_monitor_warns_when_the_cost_grows_by_cost_growth() -> None:
    """A linear unit a = w x on x = 1, y = 0: C = w^2 / 2, from 5e-7 at w = 1e-3
    to 0.125 at w = 0.5 (250,000 times, with every weight small)."""
    x = np.array([[1.0]])
    y = np.array([[0.0]])
    monitor = Monitor([np.array([[1e-3]])], [np.array([0.0])], x, y, loss="mse",
                      lr=0.5, activation="linear", output_activation="linear")
    assert monitor.initial_cost == pytest.approx(5e-7)
    with warnings.catch_warnings():
        warnings.simplefilter("error", TrainingWarning)  # 1e3 times exactly: no
        monitor.check(1, [np.array([[1e-3 * np.sqrt(COST_GROWTH)]])],
                      [np.array([0.0])])
    with pytest.warns(DivergenceWarning, match="the cost rose from 5e-07 to 0.125"):
        monitor.check(2, [np.array([[0.5]])], [np.array([0.0])])


def test_an_inf_cost_with_finite_weights_stops_training() -> None:
    x = np.array([[1e300]])
    y = np.array([[0.0]])
    monitor = Monitor([np.array([[1.0]])], [np.array([0.0])], x, y, loss="mse",
                      lr=0.5, activation="linear", output_activation="linear")
    with pytest.raises(TrainingDivergedError, match=r"epoch 3 .*the cost became inf"):
        monitor.check(3, [np.array([[10.0]])], [np.array([0.0])])


# --- saturation and dead units -------------------------------------------------------


@ENGINES
def test_a_saturated_bce_net_warns_naming_its_layer(engine: str) -> None:
    """Output weights of 200 put every output within 1e-6 of 0 or 1 (|z| > 14);
    before, such a net trained its epochs without a word."""
    net = MLP.from_arrays([np.eye(2), np.array([[200.0, -200.0]])],
                          [np.zeros(2), np.zeros(1)], output_activation="sigmoid")
    caught = _caught(net, make_dataset("gauss", n=100), loss="bce", engine=engine)
    (saturated,) = _of(SaturationWarning, caught)
    assert saturated.startswith("the sigmoid layer 3 is saturated in epoch 1: ")
    assert f"within {SATURATION_MARGIN:g} of 0 or 1" in saturated


def test_saturation_needs_the_share_of_saturated_outputs() -> None:
    """One sigmoid unit a = sigma(x): x = 20 gives 1 - a = 2e-9 (saturated),
    x = 0 gives 0.5; 99 of 100 saturated warns, 98 does not."""
    for saturated, warns in ((98, False), (99, True)):
        x = np.array([[20.0]] * saturated + [[0.0]] * (100 - saturated))
        y = np.ones((100, 1))
        monitor = Monitor([np.array([[1.0]])], [np.array([0.0])], x, y, loss="mse",
                          lr=0.5, activation="sigmoid", output_activation="sigmoid")
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            monitor.check(1, [np.array([[1.0]])], [np.array([0.0])])
        assert bool(_of(SaturationWarning, caught)) is warns
    assert SATURATED_SHARE == 0.99


@ENGINES
def test_a_dead_relu_layer_warns_naming_its_layer(engine: str) -> None:
    """Biases of -100 keep every z of layer 2 below 0 on the gauss data (|x| < 10)."""
    net = MLP.from_arrays([np.eye(2), np.ones((1, 2))],
                          [np.full(2, -100.0), np.zeros(1)],
                          activation="relu", output_activation="sigmoid")
    caught = _caught(net, make_dataset("gauss", n=100), engine=engine)
    (dead,) = _of(DeadReLUWarning, caught)
    assert dead.startswith(
        "the ReLU layer 2 is dead in epoch 1: none of its 2 units is active (z > 0) "
        "on any training sample"
    )


def test_one_active_unit_on_one_sample_keeps_a_relu_layer_alive() -> None:
    x = np.array([[-1.0], [2.0]])
    y = np.zeros((2, 1))
    monitor = Monitor([np.array([[1.0], [-1.0]]), np.ones((1, 2))],
                      [np.array([-1.5, -5.0]), np.zeros(1)], x, y, loss="mse",
                      lr=0.5, activation="relu", output_activation="sigmoid")
    with warnings.catch_warnings():
        warnings.simplefilter("error", TrainingWarning)
        monitor.check(1, [np.array([[1.0], [-1.0]]), np.ones((1, 2))],
                      [np.array([-1.5, -5.0]), np.zeros(1)])  # z = 0.5 once


@ENGINES
def test_a_healthy_run_gives_no_warning_at_all(engine: str) -> None:
    net = MLP([2, 4, 1], seed=0)
    assert _caught(net, make_dataset("circle", n=100), lr=1.0, epochs=5,
                   engine=engine) == []


# --- the data ------------------------------------------------------------------------


@ENGINES
@pytest.mark.parametrize(("value", "shown"), [(np.nan, "nan (a missing value?)"),
                                              (np.inf, "inf"), (-np.inf, "-inf")])
@pytest.mark.parametrize("which", ["train", "test"])
def test_a_non_finite_input_is_named_before_training(
    engine: str, value: float, shown: str, which: str
) -> None:
    """Before, nan inputs trained to nan weights, blamed on the learning rate."""
    good = make_dataset("xor", n=10)
    x = good.x.copy()
    x[3, 1] = value
    bad = Dataset(x, good.labels, 2, "holes")
    net = MLP([2, 3, 1], seed=0)
    before = net.state_dict()
    train, test = (bad, good) if which == "train" else (good, bad)
    with pytest.raises(ValueError, match="sample 3, feature 1") as info:
        _fit(net, train, test=test, engine=engine)
    assert str(info.value) == (
        f"the {which} set 'holes' has x[3, 1] = {shown}, sample 3, feature 1: every "
        "input must be finite; drop or fill such samples before training"
    )
    assert net.state_dict() == before
