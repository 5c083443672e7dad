"""``deltagrad graph``: the SVG of an expression's or a net's graph, and the files it
cannot read or write (status 1, naming the path)."""

from __future__ import annotations

import itertools
import os
from pathlib import Path

import numpy as np
import pytest

from nn import MLP, mse
from nn.serialize import MAX_MODEL_BYTES, ModelFile, write_model
from tests import svg_helpers as svg
from tests.cli.helpers import Run
from viz import count_nodes, evaluate, parse_bindings


def _texts(path: Path) -> list[str]:
    return [t for ts in svg.node_texts(svg.parse(path)).values() for t in ts]


def test_graph_of_an_expression_writes_its_svg_and_gradients(
    deltagrad: Run, cwd: Path
) -> None:
    expression = "tanh(x * y + 1) ** 2"
    result = deltagrad("graph", expression, "--at", "x=1.5,y=-2", "-o", "out.svg")
    assert result.status == 0, result.err
    root = svg.parse(cwd / "out.svg")
    expected = count_nodes(evaluate(expression, parse_bindings("x=1.5,y=-2")))
    assert len(svg.groups(root, "node")) == expected
    texts = _texts(cwd / "out.svg")
    assert "x" in texts
    assert "y" in texts
    assert "d/dx = " in result.out
    assert f"wrote out.svg ({expected} nodes)" in result.out


def test_an_expression_starting_with_minus_goes_after_double_dash(
    deltagrad: Run, cwd: Path
) -> None:
    result = deltagrad("graph", "--at", "x=2", "-o", "neg.svg", "--", "-x * sigmoid(x)")
    assert result.status == 0, result.err
    svg.parse(cwd / "neg.svg")


def test_graph_of_numbers_alone_is_drawn_without_gradients(
    deltagrad: Run, cwd: Path
) -> None:
    result = deltagrad("graph", "exp(2) * 3", "-o", "c.svg")
    assert result.status == 0, result.err
    texts = _texts(cwd / "c.svg")
    assert "data 22.17" in texts
    assert not [t for t in texts if t.startswith("grad")]  # constants take none


def test_graph_of_a_net_has_one_svg_node_per_graph_node(
    deltagrad: Run, cwd: Path
) -> None:
    result = deltagrad("graph", "--mlp", "2,3,1", "-o", "net.svg")
    assert result.status == 0, result.err
    root = svg.parse(cwd / "net.svg")
    expected = count_nodes(mse(MLP([2, 3, 1], seed=0)([0.1, 0.2]), [0.5]))
    assert len(svg.groups(root, "node")) == expected
    assert f"({expected} nodes)" in result.out
    texts = _texts(cwd / "net.svg")
    for name in ("w²₁₁", "b²₁", "z²₁", "a¹₁", "a³₁", "y₁", "r₁", "C"):
        assert name in texts
    assert any(t.startswith("δ²₁ = ") for t in texts)


def test_names_given_with_at_but_unused_are_warned_about(
    deltagrad: Run, cwd: Path
) -> None:
    result = deltagrad("graph", "x * 2", "--at", "x=1,y=2,z=3", "-o", "g.svg")
    assert result.status == 0, result.err
    assert result.err == (
        "deltagrad graph: warning: --at gives y, z, which the expression does not "
        "use\n"
    )
    assert (cwd / "g.svg").is_file()


def test_full_width_names_work_on_the_command_line(deltagrad: Run) -> None:
    result = deltagrad("graph", "ｘ*2", "--at", "ｘ=1", "-o", "g.svg")
    assert result.status == 0, result.err
    assert "d/dx = 2" in result.out
    assert result.err == ""


@pytest.mark.usefixtures("no_dot")
def test_missing_dot_exits_1_with_the_install_command_and_no_file(
    deltagrad: Run, cwd: Path
) -> None:
    result = deltagrad("graph", "x * 2", "--at", "x=1", "-o", "out.svg")
    assert result.status == 1
    assert "sudo apt-get install graphviz" in result.err
    assert result.err.count("\n") == 1
    assert list(cwd.iterdir()) == []


def test_an_output_in_a_missing_folder_exits_1_naming_the_path(deltagrad: Run) -> None:
    result = deltagrad("graph", "x", "--at", "x=1", "-o", "no/such/dir/out.svg")
    assert result.status == 1
    assert "no/such/dir/out.svg: No such file or directory" in result.err
    assert ".tmp" not in result.err


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write to any folder")
def test_an_output_in_an_unwritable_folder_exits_1_naming_the_path(
    deltagrad: Run, cwd: Path
) -> None:
    locked = cwd / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        result = deltagrad("graph", "x", "--at", "x=1", "-o", "locked/out.svg")
    finally:
        locked.chmod(0o755)
    assert result.status == 1
    assert "locked/out.svg: Permission denied" in result.err
    assert ".tmp" not in result.err
    assert list(locked.iterdir()) == []


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"not json", "not valid JSON"), (b"\xff\xfe\x00", "not UTF-8"),
     (b'{"format": "x"}', "missing keys"), (None, "No such file")],
)
def test_a_bad_model_file_exits_1_naming_the_problem(
    deltagrad: Run, cwd: Path, content: bytes | None, message: str
) -> None:
    if content is not None:
        (cwd / "model.json").write_bytes(content)
    result = deltagrad("graph", "--model", "model.json", "-o", "g.svg")
    assert result.status == 1
    assert result.err.startswith("deltagrad: error: ")
    assert message in result.err
    assert not (cwd / "g.svg").exists()


def test_a_pipe_as_model_file_is_refused_without_waiting(
    deltagrad: Run, cwd: Path
) -> None:
    os.mkfifo(cwd / "model.json")
    result = deltagrad("graph", "--model", "model.json", "-o", "g.svg")
    assert result.status == 1
    assert "model.json: is not a regular file" in result.err


def test_a_huge_model_file_is_refused_unread(deltagrad: Run, cwd: Path) -> None:
    with (cwd / "model.json").open("wb") as f:  # sparse: no disk, no time
        f.truncate(MAX_MODEL_BYTES + 1)
    result = deltagrad("graph", "--model", "model.json", "-o", "g.svg")
    assert result.status == 1
    assert "larger than a model file may be" in result.err


def test_a_saved_net_over_max_nodes_is_a_usage_error(
    deltagrad: Run, cwd: Path
) -> None:
    MLP([2, 3, 1], seed=0).save(cwd / "model.json")
    result = deltagrad("graph", "--model", "model.json", "--max-nodes", "10")
    assert result.status == 2
    assert "max_nodes=10" in result.err
    assert not (cwd / "graph.svg").exists()


def test_a_saved_net_over_max_nodes_is_refused_before_it_is_built(
    deltagrad: Run, cwd: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Counted from the file's layer sizes, as --mlp is: a 61 MB model took 235 s
    and 6.8 GB to build before it was refused."""
    sizes = [2, 100, 50, 1]  # 5,401 parameters and 2 inputs: over 5,000 nodes
    W = [np.zeros((n, m)) for m, n in itertools.pairwise(sizes)]
    B = [np.zeros(n) for n in sizes[1:]]
    write_model(cwd / "model.json", ModelFile(sizes, "sigmoid", "sigmoid", W, B))

    def built(*args: object, **kwargs: object) -> None:
        raise AssertionError("the net was built")

    monkeypatch.setattr(MLP, "from_arrays", built)
    result = deltagrad("graph", "--model", "model.json", "-o", "g.svg")
    assert result.status == 2
    assert "would have at least 5,403 nodes" in result.err
    assert not (cwd / "g.svg").exists()
