"""How ``main`` ends: 0 on success, 1 with one line when the work fails (whatever
ValueError it raises), 2 with the usage only for arguments, 130 on Ctrl-C, and a
traceback for a bug."""

from __future__ import annotations

import builtins
import sys
from typing import Any

import pytest

from nn import Comparison, ComparisonRow
from tests.cli.helpers import Run
from viz.cli import CommandError, main
from viz.errors import DotTimeoutError


def test_help_and_argparse_errors_return_their_status(deltagrad: Run) -> None:
    assert deltagrad("--help").status == 0
    assert deltagrad("train", "--help").out.startswith("usage: deltagrad train")
    assert deltagrad("frobnicate").status == 2


def _boom(*args: object, **kwargs: object) -> None:
    raise ValueError("boom")


@pytest.mark.parametrize(
    ("target", "args"),
    [
        ("viz.cli.commands.train.fit", ["train", "--data", "xor", "--samples", "20"]),
        ("viz.cli.demo.fit", ["demo", "--samples", "20"]),
        ("viz.cli.commands.train.make_dataset", ["train", "--data", "circle"]),
        ("viz.cli.commands.compare.compare", ["compare"]),
    ],
)
def test_a_value_error_raised_by_the_work_exits_1_with_one_line(
    deltagrad: Run, monkeypatch: pytest.MonkeyPatch, target: str, args: list[str]
) -> None:
    """Not 2 with the usage: it is a fault of the work, not of the arguments."""
    monkeypatch.setattr(target, _boom)
    result = deltagrad(*args)
    assert result.status == 1
    assert result.err == "deltagrad: error: boom\n"


@pytest.mark.parametrize("engine", ["autograd", "numpy"])
def test_training_that_diverges_exits_1(deltagrad: Run, engine: str) -> None:
    """A real divergence: linear hidden units and lr 1e300 overflow to inf."""
    result = deltagrad("train", "--data", "xor", "--samples", "20", "--lr", "1e300",
                       "--activation", "linear", "--engine", engine)
    assert result.status == 1
    assert "usage" not in result.err
    assert result.err.startswith("deltagrad: error: training diverged in epoch 1")


def test_a_command_error_exits_1_with_its_message(
    deltagrad: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise CommandError("could not")

    monkeypatch.setattr("viz.cli.commands.compare.compare", fail)
    result = deltagrad("compare")
    assert (result.status, result.out) == (1, "")
    assert result.err == "deltagrad: error: could not\n"


def test_a_dot_timeout_names_the_option_that_allows_more_time(
    deltagrad: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    def slow(*args: object, **kwargs: object) -> None:
        raise DotTimeoutError("dot did not finish within 1 s and was stopped")

    monkeypatch.setattr("viz.cli.commands.graph.render_svg", slow)
    result = deltagrad("graph", "x", "--at", "x=1", "-o", "g.svg")
    assert result.status == 1
    assert result.err == (
        "deltagrad: error: dot did not finish within 1 s and was stopped On the "
        "command line: --timeout SECONDS.\n"
    )


def test_a_bug_shows_its_traceback(
    deltagrad: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    def bug(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("a genuine bug")

    monkeypatch.setattr("viz.cli.commands.compare.compare", bug)
    with pytest.raises(ZeroDivisionError, match="a genuine bug"):
        deltagrad("compare")


def test_compare_exits_1_when_a_difference_exceeds_tolerance(
    deltagrad: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = ComparisonRow(2, "BP4", "dC/dw^2", 1e-3, 1e-2, 1e-3, 0.0, False, False)
    report = Comparison([bad], 1e-10, 1e-9, 1e-5, 1e-3, 1e-6)
    monkeypatch.setattr("viz.cli.commands.compare.compare", lambda net, x, y: report)
    result = deltagrad("compare", "--sizes", "2,1")
    assert result.status == 1
    assert "NO" in result.out
    assert result.err == "deltagrad compare: differences exceed the tolerance\n"


def test_ctrl_c_while_nn_is_imported_ends_with_one_line_and_status_130(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    real = builtins.__import__

    def ctrl_c_on_nn(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "nn" or name.startswith("nn."):
            raise KeyboardInterrupt
        return real(name, *args, **kwargs)

    # the command's module is imported afresh, as in a new process
    monkeypatch.delitem(sys.modules, "viz.cli.commands.compare", raising=False)
    monkeypatch.setattr(builtins, "__import__", ctrl_c_on_nn)
    try:
        status = main(["compare"])
    except KeyboardInterrupt:  # would also stop pytest itself
        pytest.fail("Ctrl-C escaped main() as a traceback")
    assert status == 130
    assert capsys.readouterr().err == "deltagrad: interrupted\n"


def test_memory_exhausted_exits_1_with_one_line(
    deltagrad: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    def exhausted(*args: object) -> None:
        raise MemoryError

    monkeypatch.setattr("viz.cli.commands.compare.compare", exhausted)
    result = deltagrad("compare", "--sizes", "2,1")
    assert result.status == 1
    assert result.err.startswith("deltagrad: error: out of memory")
    assert result.err.count("\n") == 1
