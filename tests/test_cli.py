"""The ``deltagrad`` command, run as a user runs it (a subprocess): every command, its
exit status, bad arguments (usage, status 2, no traceback), refused expressions, and
runtime failures (status 1 with a message)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from nn import MLP, Comparison, ComparisonRow, mse
from tests import svg_helpers as svg
from viz import count_nodes, evaluate, parse_bindings
from viz.cli import main


def deltagrad(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m viz.cli ARGS`` in ``cwd``; never raises on a bad status."""
    return subprocess.run(
        [sys.executable, "-m", "viz.cli", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stderr
    assert "Traceback" not in result.stdout


def env_without_dot(tmp_path: Path) -> dict[str, str]:
    """The environment with a PATH that holds no ``dot``."""
    empty = tmp_path / "empty-bin"
    empty.mkdir(exist_ok=True)
    return {**os.environ, "PATH": str(empty)}


# --- help ----------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["", "demo", "compare", "graph", "train"])
def test_help_of_every_command_explains_it_with_an_example(
    tmp_path: Path, command: str
) -> None:
    result = deltagrad(*([command] if command else []), "--help", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.startswith("usage: deltagrad")
    if command:
        assert "examples:" in result.stdout
        assert f"  deltagrad {command}" in result.stdout
    else:
        assert "deltagrad demo" in result.stdout
        for name in ("demo", "compare", "graph", "train"):
            assert name in result.stdout


def test_the_installed_deltagrad_command_runs(tmp_path: Path) -> None:
    exe = Path(sys.executable).parent / "deltagrad"
    if not exe.exists():
        pytest.skip("the console script is not installed next to this Python")
    result = subprocess.run([str(exe), "--help"], capture_output=True, text=True,
                            cwd=tmp_path, check=False, timeout=60)
    assert result.returncode == 0
    assert "usage: deltagrad" in result.stdout


# --- bad arguments -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "required"),
        (["frobnicate"], "invalid choice"),
        (["compare", "--sizes", "2"], "at least an input and an output"),
        (["compare", "--sizes", "a,b"], "comma-separated"),
        (["compare", "--sizes", "2,0,1"], ">= 1 neuron"),
        (["compare", "--batch", "0"], "at least 1"),
        (["compare", "--sizes", "100,100,1"], "parameters"),
        (["graph"], "exactly one of EXPR, --mlp SIZES or --model FILE"),
        (["graph", "x", "--mlp", "2,1"], "exactly one of"),
        (["graph", "x", "--at", "x"], "name=number"),
        (["graph", "--mlp", "2,1", "--at", "x=1"], "no EXPR"),
        (["graph", "y", "--at", "x=1"], "'y' has no value"),
        (["graph", "--mlp", "2,1", "--max-nodes", "0"], "at least 1"),
        (["train"], "--data"),
        (["train", "--data", "moons"], "invalid choice"),
        (["train", "--data", "circle", "--sizes", "3,4,1"], "2 inputs and 2 classes"),
        (["train", "--data", "circle", "--lr", "-1"], "positive"),
        (["demo", "--epochs", "0"], "at least 1"),
        (["demo", "--sizes", "3,1"], "start with 2"),
    ],
)
def test_bad_arguments_print_the_usage_and_exit_2_without_a_traceback(
    tmp_path: Path, args: list[str], message: str
) -> None:
    result = deltagrad(*args, cwd=tmp_path, env=env_without_dot(tmp_path))
    assert result.returncode == 2
    assert "usage: deltagrad" in result.stderr
    assert message in result.stderr
    no_traceback(result)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty-bin"]


@pytest.mark.parametrize(
    ("expression", "word"),
    [
        ("__import__('os').system('touch SENTINEL')", "method (.system())"),
        ("open('SENTINEL', 'w')", "'open'"),
        ("(lambda: open('SENTINEL', 'w'))()", "lambda"),
        ("[open('SENTINEL', 'w') for _ in 'a']", "comprehension"),
        ("x.__class__", "attribute"),
        ("'SENTINEL'", "string"),
    ],
)
def test_refused_expressions_exit_2_naming_what_was_refused_and_never_run(
    tmp_path: Path, expression: str, word: str
) -> None:
    result = deltagrad("graph", expression, "--at", "x=1", "-o", "out.svg",
                       cwd=tmp_path)
    assert result.returncode == 2
    assert "refused" in result.stderr
    assert word in result.stderr
    no_traceback(result)
    assert list(tmp_path.iterdir()) == []  # no SENTINEL, no out.svg


# --- compare -------------------------------------------------------------------------


def test_compare_prints_the_table_and_exits_0(tmp_path: Path) -> None:
    result = deltagrad("compare", "--sizes", "2,3,1", "--seed", "3", "--batch", "4",
                       cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    for row in ("BP1", "BP2", "BP3", "BP4", "delta^3", "dC/dw^2"):
        assert row in result.stdout
    assert "all within tolerance" in result.stdout


def test_compare_with_other_activations_and_defaults(tmp_path: Path) -> None:
    result = deltagrad("compare", "--activation", "tanh", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "MLP [2, 3, 1] (tanh)" in result.stdout


def test_compare_exits_1_when_a_difference_exceeds_tolerance(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = ComparisonRow(2, "BP4", "dC/dw^2", 1e-3, 1e-2, 1e-3, 0.0, False, False)
    report = Comparison([bad], 1e-10, 1e-9, 1e-5, 1e-3, 1e-6)
    monkeypatch.setattr("nn.compare", lambda net, x, y: report)
    assert main(["compare", "--sizes", "2,1"]) == 1
    out, err = capsys.readouterr()
    assert "NO" in out
    assert "exceed the tolerance" in err


# --- graph ---------------------------------------------------------------------------


def test_graph_of_an_expression_writes_its_svg_and_gradients(tmp_path: Path) -> None:
    expression = "tanh(x * y + 1) ** 2"
    result = deltagrad("graph", expression, "--at", "x=1.5,y=-2", "-o", "out.svg",
                       cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    root = svg.parse(tmp_path / "out.svg")
    expected = count_nodes(evaluate(expression, parse_bindings("x=1.5,y=-2")))
    assert len(svg.groups(root, "node")) == expected
    texts = [t for ts in svg.node_texts(root).values() for t in ts]
    assert "x" in texts
    assert "y" in texts
    assert "d/dx = " in result.stdout
    assert f"wrote out.svg ({expected} nodes)" in result.stdout


def test_an_expression_starting_with_minus_goes_after_double_dash(
    tmp_path: Path,
) -> None:
    result = deltagrad("graph", "--at", "x=2", "-o", "neg.svg", "--", "-x * sigmoid(x)",
                       cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    svg.parse(tmp_path / "neg.svg")


def test_graph_of_a_net_has_one_svg_node_per_graph_node(tmp_path: Path) -> None:
    result = deltagrad("graph", "--mlp", "2,3,1", "-o", "net.svg", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    root = svg.parse(tmp_path / "net.svg")
    expected = count_nodes(mse(MLP([2, 3, 1], seed=0)([0.1, 0.2]), [0.5]))
    assert len(svg.groups(root, "node")) == expected
    assert f"({expected} nodes)" in result.stdout
    texts = [t for ts in svg.node_texts(root).values() for t in ts]
    for symbol in ("w", "b", "z", "a", "C", "δ"):
        assert symbol in texts


def test_a_graph_over_max_nodes_exits_2_before_dot_runs(tmp_path: Path) -> None:
    # Without dot on PATH, running it would fail with status 1; the limit comes first.
    result = deltagrad("graph", "--mlp", "2,3,1", "--max-nodes", "20", "-o", "g.svg",
                       cwd=tmp_path, env=env_without_dot(tmp_path))
    assert result.returncode == 2
    assert "max_nodes=20" in result.stderr
    assert "--max-nodes" in result.stderr
    no_traceback(result)
    assert not (tmp_path / "g.svg").exists()


def test_a_huge_net_is_refused_before_it_is_built(tmp_path: Path) -> None:
    result = deltagrad("graph", "--mlp", "1000,1000,1000", "-o", "g.svg", cwd=tmp_path)
    assert result.returncode == 2
    assert "would have at least 2,003,000 nodes" in result.stderr


def test_missing_dot_exits_1_with_the_install_command_and_no_file(
    tmp_path: Path,
) -> None:
    result = deltagrad("graph", "x * 2", "--at", "x=1", "-o", "out.svg", cwd=tmp_path,
                       env=env_without_dot(tmp_path))
    assert result.returncode == 1
    assert "sudo apt-get install graphviz" in result.stderr
    no_traceback(result)
    assert not (tmp_path / "out.svg").exists()


def test_an_unwritable_output_exits_1_with_the_path(tmp_path: Path) -> None:
    result = deltagrad("graph", "x", "--at", "x=1", "-o", "no/such/dir/out.svg",
                       cwd=tmp_path)
    assert result.returncode == 1
    assert "no/such/dir" in result.stderr
    no_traceback(result)


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"not json", "not valid JSON"), (b"\xff\xfe\x00", "not UTF-8"),
     (b'{"format": "x"}', "missing keys"), (None, "No such file")],
)
def test_a_bad_model_file_exits_1_naming_the_problem(
    tmp_path: Path, content: bytes | None, message: str
) -> None:
    if content is not None:
        (tmp_path / "model.json").write_bytes(content)
    result = deltagrad("graph", "--model", "model.json", "-o", "g.svg", cwd=tmp_path)
    assert result.returncode == 1
    assert message in result.stderr
    no_traceback(result)
    assert not (tmp_path / "g.svg").exists()


# --- train ---------------------------------------------------------------------------


def test_train_prints_accuracy_saves_the_net_and_graph_draws_it(tmp_path: Path) -> None:
    result = deltagrad("train", "--data", "xor", "--sizes", "2,4,1", "--epochs", "3",
                       "--samples", "60", "--lr", "1", "--batch", "10",
                       "--save", "model.json", "--out", "pics", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "train accuracy" in result.stdout
    assert "test accuracy" in result.stdout
    assert (tmp_path / "model.json").is_file()
    assert sorted(p.name for p in (tmp_path / "pics").iterdir()) == [
        "boundary.svg", "loss.svg", "network.svg"]
    for picture in (tmp_path / "pics").iterdir():
        svg.parse(picture)
    drawn = deltagrad("graph", "--model", "model.json", "-o", "m.svg", cwd=tmp_path)
    assert drawn.returncode == 0, drawn.stderr
    svg.parse(tmp_path / "m.svg")


def test_train_with_the_numpy_engine_and_default_sizes(tmp_path: Path) -> None:
    result = deltagrad("train", "--data", "gauss", "--engine", "numpy", "--epochs", "2",
                       "--samples", "40", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "MLP [2, 8, 1]" in result.stdout
    assert "numpy engine" in result.stdout


def test_train_on_iris_needs_scikit_learn_and_says_how_to_install_it(
    tmp_path: Path,
) -> None:
    fake = tmp_path / "fake-site" / "sklearn"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text("raise ImportError('no scikit-learn here')\n")
    env = {**os.environ, "PYTHONPATH": str(fake.parent)}
    result = deltagrad("train", "--data", "iris", "--epochs", "1", cwd=tmp_path,
                       env=env)
    assert result.returncode == 1
    assert "pip install 'deltagrad[data]'" in result.stderr
    no_traceback(result)


def test_train_on_iris_with_scikit_learn(tmp_path: Path) -> None:
    pytest.importorskip("sklearn")
    result = deltagrad("train", "--data", "iris", "--engine", "numpy", "--epochs", "2",
                       cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "MLP [4, 8, 3]" in result.stdout


def test_the_dot_program_is_needed_only_for_pictures(tmp_path: Path) -> None:
    if shutil.which("dot") is None:
        pytest.skip("dot is not installed")
    result = deltagrad("compare", cwd=tmp_path, env=env_without_dot(tmp_path))
    assert result.returncode == 0, result.stderr
