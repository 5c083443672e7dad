"""Fixtures of the ``deltagrad`` command's tests: ``deltagrad(*args)`` runs
``main(args)`` in this process, in an empty working folder, and returns its status
and what it printed; ``no_dot`` takes ``dot`` off PATH; ``no_sklearn`` hides
scikit-learn."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.cli.helpers import Result, Run
from viz.cli import main


@pytest.fixture
def cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty working folder for the command (``tmp_path``)."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def deltagrad(cwd: Path, capsys: pytest.CaptureFixture[str]) -> Run:
    """``deltagrad(*args)``: ``main(args)`` in ``cwd``. A traceback would be an
    exception out of this call."""

    def run(*args: str) -> Result:
        capsys.readouterr()  # what came before is not this run's
        status = main(list(args))
        out, err = capsys.readouterr()
        return Result(status, out, err)

    return run


@pytest.fixture
def no_dot(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A PATH that holds no ``dot`` (an empty folder outside ``cwd``)."""
    monkeypatch.setenv("PATH", str(tmp_path_factory.mktemp("empty-bin")))


@pytest.fixture
def no_sklearn(monkeypatch: pytest.MonkeyPatch) -> None:
    """Importing scikit-learn fails, as when it is not installed."""
    monkeypatch.setitem(sys.modules, "sklearn", None)
