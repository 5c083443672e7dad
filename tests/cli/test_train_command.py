"""``deltagrad train``: what it prints and writes, and the outputs it checks before
it trains."""

from __future__ import annotations

from pathlib import Path

import pytest

from nn import MLP
from nn.serialize import MAX_MODEL_BYTES
from tests import svg_helpers as svg
from tests.cli.helpers import Run
from viz.cli.args import MAX_TRAIN_PARAMETERS

# --- train ---------------------------------------------------------------------------


def test_train_prints_accuracy_saves_the_net_and_graph_draws_it(
    deltagrad: Run, cwd: Path
) -> None:
    result = deltagrad("train", "--data", "xor", "--sizes", "2,4,1", "--epochs", "3",
                       "--samples", "60", "--lr", "1", "--batch", "10",
                       "--save", "model.json", "--out", "pics")
    assert result.status == 0, result.err
    assert "train accuracy" in result.out
    assert "test accuracy" in result.out
    assert (cwd / "model.json").is_file()
    pictures = ["boundary.svg", "loss.svg", "network.svg"]
    assert sorted(p.name for p in (cwd / "pics").iterdir()) == pictures
    for name in pictures:
        assert f"wrote pics/{name}" in result.out
        svg.parse(cwd / "pics" / name)
    drawn = deltagrad("graph", "--model", "model.json", "-o", "m.svg")
    assert drawn.status == 0, drawn.err
    svg.parse(cwd / "m.svg")


def test_train_with_the_numpy_engine_and_default_sizes(deltagrad: Run) -> None:
    result = deltagrad("train", "--data", "gauss", "--engine", "numpy", "--epochs",
                       "2", "--samples", "40")
    assert result.status == 0, result.err
    assert "MLP [2, 8, 1]" in result.out
    assert "numpy engine" in result.out


@pytest.mark.usefixtures("no_sklearn")
def test_train_on_iris_needs_scikit_learn_and_says_how_to_install_it(
    deltagrad: Run,
) -> None:
    result = deltagrad("train", "--data", "iris", "--epochs", "1")
    assert result.status == 1
    assert "pip install 'deltagrad[data]'" in result.err
    assert result.err.startswith("deltagrad: error: ")


@pytest.mark.slow
def test_train_on_iris_with_scikit_learn(deltagrad: Run) -> None:
    pytest.importorskip("sklearn")
    result = deltagrad("train", "--data", "iris", "--engine", "numpy", "--epochs", "2")
    assert result.status == 0, result.err
    assert "MLP [4, 8, 3]" in result.out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--save", "adir"], "adir: is a folder, not a file"),
        (["--save", "missing/m.json"], "missing/m.json: No such file or directory"),
        (["--out", "afile"], "afile: is not a folder"),
        (["--out", "pics"], "pics/loss.svg: is a folder, not a file"),
    ],
)
def test_train_checks_its_outputs_before_it_trains(
    deltagrad: Run, cwd: Path, args: list[str], message: str
) -> None:
    (cwd / "adir").mkdir()
    (cwd / "afile").write_text("")
    (cwd / "pics" / "loss.svg").mkdir(parents=True)
    result = deltagrad("train", "--data", "xor", "--epochs", "1", *args)
    assert result.status == 1
    assert message in result.err
    assert ".tmp" not in result.err
    assert "training MLP" not in result.out  # refused before any work


def test_a_net_of_the_most_parameters_train_allows_fits_in_a_model_file(
    tmp_path: Path,
) -> None:
    net = MLP([200, 200], seed=0)  # 40,200 parameters
    net.save(tmp_path / "net.json")
    per_parameter = (tmp_path / "net.json").stat().st_size / 40_200
    assert per_parameter * MAX_TRAIN_PARAMETERS < MAX_MODEL_BYTES / 2
