"""Every name list once (``nn.names``): ``one_of`` is the check, and each nn function
that takes such a name refuses another one by that check, listing that very list."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from engine import Value
from nn import MLP, backprop, bce, cross_entropy, fit, make_dataset, mse
from nn.losses import LOSSES
from nn.names import (
    ACTIVATIONS,
    COSTS,
    DATASETS,
    ENGINES,
    OPTIMIZERS,
    REDUCTIONS,
    one_of,
)
from nn.serialize import ModelFileError, read_model
from nn.train import make_optimizer


def test_one_of_returns_the_name_or_names_what_is_wrong() -> None:
    assert one_of("tanh", ACTIVATIONS, "activation") == "tanh"
    with pytest.raises(
        ValueError,
        match=re.escape(f"unknown activation 'x'; expected one of {ACTIVATIONS}"),
    ):
        one_of("x", ACTIVATIONS, "activation")
    with pytest.raises(TypeError, match=r"^activation must be a str, got int$"):
        one_of(3, ACTIVATIONS, "activation")
    with pytest.raises(TypeError, match=r"^data set name must be a str, got bytes$"):
        one_of(b"xor", DATASETS, "data set", argument="data set name")


def test_the_lists_are_what_the_library_offers() -> None:
    assert len(set(DATASETS)) == len(DATASETS)
    for names in (ACTIVATIONS, COSTS, REDUCTIONS, ENGINES, OPTIMIZERS, DATASETS):
        assert all(isinstance(n, str) and n for n in names)


def test_every_cost_has_its_engine_loss() -> None:
    """The costs fit, compare and backprop take by name are those nn.losses builds
    on the engine: the same list, nothing more."""
    assert tuple(LOSSES) == COSTS


def _fit(**kwargs: object) -> None:
    args: dict[str, object] = {"epochs": 1, "lr": 0.1, "batch_size": 4}
    args.update(kwargs)
    net, data = MLP([2, 1], seed=0), make_dataset("xor", n=8)
    fit(net, data, progress=False, **args)  # type: ignore[arg-type]


def _model_file(tmp_path: Path, activation: str) -> Callable[[], object]:
    path = tmp_path / "m.json"
    path.write_text(
        '{"format": "deltagrad.mlp", "version": 1, "sizes": [1, 1], '
        f'"activation": "{activation}", "output_activation": "sigmoid", '
        '"weights": [[[0.5]]], "biases": [[0.0]]}'
    )
    return lambda: read_model(path)


CALLS: list[tuple[str, Callable[[], object], tuple[str, ...]]] = [
    ("activation", lambda: MLP([2, 1], activation="softmax"), ACTIVATIONS),
    (
        "output_activation",
        lambda: MLP([2, 1], output_activation="softmax"),
        ACTIVATIONS,
    ),
    (
        "activation",
        lambda: backprop.forward([np.ones((1, 2))], [np.ones(1)], [1, 2], "softmax"),
        ACTIVATIONS,
    ),
    (
        "cost",
        lambda: backprop.gradients(
            [np.ones((1, 2))], [np.ones(1)], [1, 2], [1], cost="hinge"
        ),
        COSTS,
    ),
    ("loss", lambda: _fit(loss="hinge"), COSTS),
    ("engine", lambda: _fit(engine="torch"), ENGINES),
    ("optimizer", lambda: _fit(optimizer="lbfgs"), OPTIMIZERS),
    ("optimizer", lambda: make_optimizer("lbfgs", MLP([1, 1]), 0.1), OPTIMIZERS),
    ("data set", lambda: make_dataset("moons"), DATASETS),
]


@pytest.mark.parametrize(("what", "call", "names"), CALLS)
def test_an_unknown_name_is_refused_listing_the_one_list(
    what: str, call: Callable[[], object], names: tuple[str, ...]
) -> None:
    start = rf"^unknown {what} '\w+'; expected one of "
    with pytest.raises(ValueError, match=start) as err:
        call()
    assert str(err.value).endswith(str(names))


@pytest.mark.parametrize(
    ("what", "call"),
    [
        ("engine", lambda: _fit(engine=None)),
        ("optimizer", lambda: _fit(optimizer=1)),
        ("loss", lambda: _fit(loss=3)),
        ("activation", lambda: MLP([2, 1], activation=3)),  # type: ignore[arg-type]
        ("data set name", lambda: make_dataset(3)),  # type: ignore[arg-type]
    ],
)
def test_a_name_that_is_not_a_str_is_a_type_error(
    what: str, call: Callable[[], object]
) -> None:
    """One rule for every name argument (before, fit's engine and optimizer took a
    non-str for an unknown name, while its loss gave this TypeError)."""
    with pytest.raises(TypeError, match=f"^{what} must be a str, got "):
        call()


@pytest.mark.parametrize("loss", [mse, bce, cross_entropy])
def test_an_unknown_reduction_is_refused_listing_the_one_list(
    loss: Callable[..., Value],
) -> None:
    with pytest.raises(ValueError, match="reduction must be one of") as err:
        loss([Value(0.5)], [1.0], reduction="none")
    assert str(REDUCTIONS) in str(err.value)


def test_a_model_files_activation_is_checked_against_the_one_list(
    tmp_path: Path,
) -> None:
    with pytest.raises(ModelFileError, match="activation 'softmax' is not one of") as e:
        _model_file(tmp_path, "softmax")()
    assert str(e.value).endswith(str(ACTIVATIONS))


def test_the_name_lists_load_no_numpy() -> None:
    """``deltagrad --help`` shows these lists: importing them must stay quick."""
    code = (
        "import sys, nn.names; "
        "print('numpy' in sys.modules, 'engine' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["False", "False"]
