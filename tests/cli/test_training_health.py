"""``deltagrad train`` and ``demo`` when training goes wrong: each of training's
warnings is one line ``deltagrad: warning: ...``; a run that diverged writes no file
and exits 1 unless --save-diverged; one that reached inf exits 1 with one line."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from nn import SaturationWarning
from tests.cli.helpers import Run

SMALL = ["--samples", "40", "--epochs", "3"]


@pytest.mark.parametrize("engine", ["autograd", "numpy"])
def test_train_at_lr_1e6_warns_saves_nothing_and_exits_1(
    deltagrad: Run, cwd: Path, engine: str
) -> None:
    """Before: exit 0, 'saved m.json', weights of 3e4 in it, accuracy at chance."""
    result = deltagrad("train", "--data", "circle", "--lr", "1e6", "--engine", engine,
                       "--save", "m.json", "--out", "pics", *SMALL)
    assert result.status == 1
    lines = result.err.splitlines()
    assert lines[0].startswith(
        "deltagrad: warning: training is diverging in epoch 1 (lr 1e+06): a weight "
        "reached"
    )
    assert lines[-1] == (
        "deltagrad: error: training diverged (see the warning above): m.json and "
        "pics not written; --save-diverged writes the files of a diverged run anyway"
    )
    assert "usage" not in result.err
    assert "saved" not in result.out
    assert not (cwd / "m.json").exists()
    assert not list(cwd.glob("pics/*"))  # the folder is made by the checks before


def test_save_diverged_saves_a_diverged_run_and_exits_0(
    deltagrad: Run, cwd: Path
) -> None:
    result = deltagrad("train", "--data", "circle", "--lr", "1e6", "--engine",
                       "numpy", "--save", "m.json", "--save-diverged", *SMALL)
    assert result.status == 0, result.err
    assert "deltagrad: warning: training is diverging in epoch 1" in result.err
    assert "saved m.json" in result.out
    assert (cwd / "m.json").is_file()


def test_the_help_of_train_describes_save_diverged(deltagrad: Run) -> None:
    out = " ".join(deltagrad("train", "--help").out.split())
    assert "--save-diverged write --save and --out even if training diverged" in out


@pytest.mark.parametrize("engine", ["autograd", "numpy"])
def test_train_reaching_inf_exits_1_with_one_line_naming_epoch_and_lr(
    deltagrad: Run, engine: str
) -> None:
    result = deltagrad("train", "--data", "xor", "--lr", "1e300", "--activation",
                       "linear", "--engine", engine, *SMALL)
    assert result.status == 1
    assert result.err.startswith(
        "deltagrad: error: training diverged in epoch 1 (lr 1e+300): a weight became"
    )
    assert result.err.count("\n") == 1


def test_any_training_warning_is_one_line_and_a_saturated_run_still_saves(
    deltagrad: Run, cwd: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only divergence refuses the files: saturation and dead layers warn."""
    import nn.train  # noqa: PLC0415

    fit = nn.train.fit

    def saturating(*args: object, **kwargs: object) -> object:
        warnings.warn("the sigmoid layer 2 is saturated", SaturationWarning,
                      stacklevel=2)
        return fit(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr("viz.cli.commands.train.fit", saturating)
    result = deltagrad("train", "--data", "xor", "--save", "m.json", *SMALL)
    assert result.status == 0, result.err
    assert result.err == "deltagrad: warning: the sigmoid layer 2 is saturated\n"
    assert (cwd / "m.json").is_file()


def test_demo_at_lr_1e6_warns_and_exits_1(deltagrad: Run, cwd: Path) -> None:
    result = deltagrad("demo", "--lr", "1e6", "--out", "pics", *SMALL)
    assert result.status == 1
    assert result.err.startswith(
        "deltagrad: warning: training is diverging in epoch 1 (lr 1e+06)"
    )
    assert result.err.endswith(
        "deltagrad: error: training diverged (see the warning above): try a smaller "
        "--lr\n"
    )
