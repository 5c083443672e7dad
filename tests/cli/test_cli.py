"""The ``deltagrad`` command, run as a user runs it (a subprocess): every command, its
exit status, bad arguments (usage, status 2, no traceback), refused expressions, and
runtime failures (status 1 with a message)."""

from __future__ import annotations

import builtins
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from nn import MLP, Comparison, ComparisonRow, mse
from nn.serialize import MAX_MODEL_BYTES
from tests import svg_helpers as svg
from viz import count_nodes, evaluate, parse_bindings
from viz.cli import MAX_TRAIN_PARAMETERS, main


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
        (["train", "--data", "circle", "--lr", "-1"], "greater than 0"),
        (["demo", "--epochs", "0"], "at least 1"),
        (["demo", "--sizes", "3,1"], "start with 2"),
        # seeds: numpy refuses negative ones, so argparse does
        (["compare", "--seed", "-5"], "'-5' must be at least 0"),
        (["demo", "--seed", "-1"], "'-1' must be at least 0"),
        (["train", "--data", "xor", "--seed", "-1"], "'-1' must be at least 0"),
        (["graph", "--mlp", "2,3,1", "--seed", "-1"], "'-1' must be at least 0"),
        (["graph", "--mlp", "2,3,1", "--seed", "1e3"], "'1e3' is not an integer"),
        # sizes with upper bounds, named in the message
        (["train", "--data", "circle", "--samples", "2000000000"],
         "at least 10 and at most 100,000"),
        (["demo", "--samples", "9"], "'9' must be at least 10"),
        (["demo", "--samples", "100000000"], "at most 100,000"),
        (["compare", "--batch", "100000000"], "at most 1,000"),
        (["train", "--data", "xor", "--batch", "10001"], "at most 10,000"),
        (["train", "--data", "xor", "--epochs", "100001"], "at most 100,000"),
        (["train", "--data", "xor", "--sizes", "2,1001,1"], "at most 1,000 neurons"),
        (["train", "--data", "xor", "--sizes", "2" + ",3" * 10], "at most 10 are"),
        (["train", "--data", "xor", "--sizes", "2,1000,1000,1"],
         "at most 1,000,000"),
        (["demo", "--timeout", "0"], "greater than 0"),
        (["graph", "x", "--at", "x=1", "--timeout", "nan"], "not a finite number"),
        (["train", "--data", "xor", "--lr", "inf"], "not a finite number"),
        (["graph", "x", "--at", "x=1", "-o", "a.png"], "must end in .svg"),
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


def test_graph_of_numbers_alone_is_drawn_without_gradients(tmp_path: Path) -> None:
    result = deltagrad("graph", "exp(2) * 3", "-o", "c.svg", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    texts = [t for ts in svg.node_texts(svg.parse(tmp_path / "c.svg")).values()
             for t in ts]
    assert "data 22.17" in texts
    assert not [t for t in texts if t.startswith("grad")]  # constants take none


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


def test_an_output_in_a_missing_folder_exits_1_naming_the_path(
    tmp_path: Path,
) -> None:
    result = deltagrad("graph", "x", "--at", "x=1", "-o", "no/such/dir/out.svg",
                       cwd=tmp_path)
    assert result.returncode == 1
    assert "no/such/dir/out.svg: No such file or directory" in result.stderr
    assert ".tmp" not in result.stderr
    no_traceback(result)


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write to any folder")
def test_an_output_in_an_unwritable_folder_exits_1_naming_the_path(
    tmp_path: Path,
) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        result = deltagrad("graph", "x", "--at", "x=1", "-o", "locked/out.svg",
                           cwd=tmp_path)
    finally:
        locked.chmod(0o755)
    assert result.returncode == 1
    assert "locked/out.svg: Permission denied" in result.stderr
    assert ".tmp" not in result.stderr
    no_traceback(result)
    assert list(locked.iterdir()) == []


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


# --- user errors found by nn, Ctrl-C, timeouts, outputs checked before the work ------


def test_too_many_samples_for_iris_is_a_usage_error(tmp_path: Path) -> None:
    pytest.importorskip("sklearn")
    result = deltagrad("train", "--data", "iris", "--samples", "100000", "--epochs",
                       "1", cwd=tmp_path)
    assert result.returncode == 2
    assert "usage: deltagrad train" in result.stderr
    assert "iris has 150 samples" in result.stderr
    no_traceback(result)


def test_a_value_error_of_nn_about_an_option_is_a_usage_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise ValueError("n=12 does not suit this data set")

    monkeypatch.setattr("nn.make_dataset", refuse)
    assert main(["train", "--data", "circle", "--samples", "12"]) == 2
    err = capsys.readouterr().err
    assert "usage: deltagrad train" in err
    assert "error: n=12 does not suit this data set" in err


def test_ctrl_c_while_nn_is_imported_ends_with_one_line_and_status_130(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    real = builtins.__import__

    def ctrl_c_on_nn(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "nn":
            raise KeyboardInterrupt
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", ctrl_c_on_nn)
    try:
        status = main(["compare"])
    except KeyboardInterrupt:  # would also stop pytest itself
        pytest.fail("Ctrl-C escaped main() as a traceback")
    assert status == 130
    assert capsys.readouterr().err == "deltagrad: interrupted\n"


@pytest.mark.parametrize("command", ["demo", "graph", "train"])
def test_commands_that_draw_take_a_timeout(tmp_path: Path, command: str) -> None:
    result = deltagrad(command, "--help", cwd=tmp_path)
    assert "--timeout SECONDS" in result.stdout


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
    result = deltagrad("graph", "x", "--at", "x=1", "-o", "g.svg", "--timeout", "0.5",
                       cwd=tmp_path, env=env)
    assert result.returncode == 1
    assert "did not finish within 0.5 s" in result.stderr
    assert "--timeout SECONDS" in result.stderr
    no_traceback(result)
    assert not (tmp_path / "g.svg").exists()


def test_names_given_with_at_but_unused_are_warned_about(tmp_path: Path) -> None:
    result = deltagrad("graph", "x * 2", "--at", "x=1,y=2,z=3", "-o", "g.svg",
                       cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "warning: --at gives y, z, which the expression does not use" in (
        result.stderr
    )
    assert (tmp_path / "g.svg").is_file()


def test_full_width_names_work_on_the_command_line(tmp_path: Path) -> None:
    result = deltagrad("graph", "ｘ*2", "--at", "ｘ=1", "-o", "g.svg", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "d/dx = 2" in result.stdout
    assert "warning" not in result.stderr


def test_a_5000_digit_literal_is_refused_in_our_words(tmp_path: Path) -> None:
    result = deltagrad("graph", "1" + "0" * 5000, "-o", "g.svg", cwd=tmp_path)
    assert result.returncode == 2
    assert "more than 4,300 digits" in result.stderr
    assert "sys." not in result.stderr


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
    tmp_path: Path, args: list[str], message: str
) -> None:
    (tmp_path / "adir").mkdir()
    (tmp_path / "afile").write_text("")
    (tmp_path / "pics" / "loss.svg").mkdir(parents=True)
    result = deltagrad("train", "--data", "xor", "--epochs", "1", *args,
                       cwd=tmp_path)
    assert result.returncode == 1
    assert message in result.stderr
    assert ".tmp" not in result.stderr
    assert "training MLP" not in result.stdout  # refused before any work
    no_traceback(result)


def test_train_out_refuses_a_net_too_big_to_draw_before_it_trains(
    tmp_path: Path,
) -> None:
    result = deltagrad("train", "--data", "xor", "--sizes", "2,100,100,1", "--out",
                       "pics", cwd=tmp_path)
    assert result.returncode == 2
    assert "at most 5,000 links" in result.stderr
    assert not (tmp_path / "pics").exists()


def test_demo_into_a_file_says_it_is_not_a_folder(tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("")
    result = deltagrad("demo", "--out", "afile", cwd=tmp_path)
    assert result.returncode == 1
    assert "afile: is not a folder" in result.stderr
    assert "training" not in result.stdout
    no_traceback(result)


def test_a_pipe_as_model_file_is_refused_without_waiting(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "model.json")
    result = deltagrad("graph", "--model", "model.json", "-o", "g.svg", cwd=tmp_path)
    assert result.returncode == 1
    assert "model.json: is not a regular file" in result.stderr
    no_traceback(result)


def test_a_huge_model_file_is_refused_unread(tmp_path: Path) -> None:
    with (tmp_path / "model.json").open("wb") as f:  # sparse: no disk, no time
        f.truncate(MAX_MODEL_BYTES + 1)
    result = deltagrad("graph", "--model", "model.json", "-o", "g.svg", cwd=tmp_path)
    assert result.returncode == 1
    assert "larger than a model file may be" in result.stderr
    no_traceback(result)


def test_a_net_of_the_most_parameters_train_allows_fits_in_a_model_file(
    tmp_path: Path,
) -> None:
    net = MLP([200, 200], seed=0)  # 40,200 parameters
    net.save(tmp_path / "net.json")
    per_parameter = (tmp_path / "net.json").stat().st_size / 40_200
    assert per_parameter * MAX_TRAIN_PARAMETERS < MAX_MODEL_BYTES / 2
