"""``deltagrad`` as a user runs it, in a process of its own: the installed command,
``python -m viz.cli``, help that loads neither numpy, matplotlib nor graphviz, a usage
error without a traceback, and what needs a real process: no ``dot`` on PATH, ``dot``
killed after its timeout, a bad model file."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.helpers import deltagrad_process, no_traceback
from viz.cli.parser import COMMANDS

#: Runs ``main(sys.argv[1:])`` and prints its status, what it printed and the heavy
#: modules it loaded.
LOADED = """
import contextlib, io, json, sys
from viz.cli import main
with contextlib.redirect_stdout(io.StringIO()) as out:
    with contextlib.redirect_stderr(out):
        status = main(sys.argv[1:])
heavy = {"numpy", "matplotlib", "graphviz", "tqdm", "sklearn", "engine"}
loaded = sorted(m for m in sys.modules if m.split(".")[0] in heavy)
print(json.dumps([status, out.getvalue(), loaded]))
"""


def _loaded(argv: list[str], cwd: Path) -> tuple[int, str, list[str]]:
    done = subprocess.run([sys.executable, "-c", LOADED, *argv], cwd=cwd,
                          capture_output=True, text=True, check=True, timeout=60)
    status, out, loaded = json.loads(done.stdout)
    return status, out, loaded


@pytest.mark.parametrize("command", ["", *COMMANDS])
def test_help_loads_neither_numpy_matplotlib_nor_graphviz(
    tmp_path: Path, command: str
) -> None:
    argv = [command] if command else []
    status, out, loaded = _loaded([*argv, "--help"], tmp_path)
    assert status == 0
    assert out.startswith(f"usage: deltagrad {command}".rstrip())
    assert loaded == []


@pytest.mark.parametrize(
    "argv",
    [
        ["frobnicate"],
        ["train", "--data", "circle", "--sizes", "3,4,1"],
        ["train", "--data", "iris", "--samples", "1000"],
        ["compare", "--sizes", "100,100,1"],
        ["graph", "--mlp", "1000,1000,1000"],
        ["demo", "--sizes", "2,1000,1000,1"],
        ["demo", "--sizes", "2,1000,1,1000,1"],
    ],
)
def test_usage_errors_are_found_before_the_library_loads(
    tmp_path: Path, argv: list[str]
) -> None:
    status, out, loaded = _loaded(argv, tmp_path)
    assert status == 2
    assert out.startswith("usage: deltagrad")
    assert loaded == []


def test_the_installed_deltagrad_command_runs(tmp_path: Path) -> None:
    exe = Path(sys.executable).parent / "deltagrad"
    if not exe.exists():
        pytest.skip("the console script is not installed next to this Python")
    result = subprocess.run([str(exe), "--help"], capture_output=True, text=True,
                            cwd=tmp_path, check=False, timeout=60)
    assert result.returncode == 0
    assert result.stdout.startswith("usage: deltagrad")


def test_python_m_viz_cli_runs_a_command(tmp_path: Path) -> None:
    result = deltagrad_process("graph", "x * 2", "--at", "x=1", "-o", "g.svg",
                               cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.endswith("wrote g.svg (4 nodes)\n")
    assert (tmp_path / "g.svg").is_file()


def test_a_usage_error_exits_2_with_the_usage_and_no_traceback(tmp_path: Path) -> None:
    result = deltagrad_process("train", "--data", "circle", "--sizes", "3,4,1",
                               cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("usage: deltagrad train")
    assert "2 inputs and 2 classes" in result.stderr
    no_traceback(result)


def env_without_dot(tmp_path: Path) -> dict[str, str]:
    """The environment with a PATH that holds no ``dot``."""
    empty = tmp_path / "empty-bin"
    empty.mkdir(exist_ok=True)
    return {**os.environ, "PATH": str(empty)}


def test_missing_dot_exits_1_with_the_install_command_and_no_file(
    tmp_path: Path,
) -> None:
    result = deltagrad_process("graph", "x * 2", "--at", "x=1", "-o", "out.svg",
                               cwd=tmp_path, env=env_without_dot(tmp_path))
    assert result.returncode == 1
    assert "sudo apt-get install graphviz" in result.stderr
    no_traceback(result)
    assert not (tmp_path / "out.svg").exists()


def test_dot_over_the_timeout_exits_1_saying_how_to_allow_more_time(
    tmp_path: Path,
) -> None:
    sleep = shutil.which("sleep")
    assert sleep is not None
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "dot").write_text(f"#!/bin/sh\nexec {sleep} 60\n")
    (bin_dir / "dot").chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    result = deltagrad_process("graph", "x", "--at", "x=1", "-o", "g.svg",
                               "--timeout", "0.5", cwd=tmp_path, env=env)
    assert result.returncode == 1
    assert "did not finish within 0.5 s" in result.stderr
    assert "--timeout SECONDS" in result.stderr
    no_traceback(result)
    assert not (tmp_path / "g.svg").exists()


def test_a_bad_model_file_exits_1_naming_the_problem(tmp_path: Path) -> None:
    (tmp_path / "model.json").write_bytes(b"\xff\xfe\x00")
    result = deltagrad_process("graph", "--model", "model.json", "-o", "g.svg",
                               cwd=tmp_path)
    assert result.returncode == 1
    assert "not UTF-8" in result.stderr
    no_traceback(result)
    assert not (tmp_path / "g.svg").exists()


def test_demo_without_dot_on_path_draws_what_it_can_and_exits_1(
    tmp_path: Path,
) -> None:
    """A real process whose PATH has no ``dot``: only the python it runs."""
    result = deltagrad_process("demo", "--out", "pics", "--samples", "40",
                               "--epochs", "2", cwd=tmp_path,
                               env=env_without_dot(tmp_path))
    assert result.returncode == 1
    no_traceback(result)
    assert result.stdout.index("not installed") < result.stdout.index("2. training")
    assert "sudo apt-get install graphviz" in result.stderr
    assert sorted(p.name for p in (tmp_path / "pics").iterdir()) == [
        "boundary.svg", "loss.svg", "network.svg"
    ]


def test_training_that_reaches_inf_prints_one_line_and_no_numpy_warning(
    tmp_path: Path,
) -> None:
    """Before, numpy's 'RuntimeWarning: overflow encountered in matmul' and the
    source line came first."""
    result = deltagrad_process("train", "--data", "xor", "--samples", "20",
                               "--lr", "1e300", "--activation", "linear",
                               "--engine", "numpy", "--epochs", "2", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith("deltagrad: error: training diverged in epoch 1")
    assert result.stderr.count("\n") == 1
    no_traceback(result)
