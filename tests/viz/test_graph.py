"""Computation graphs to SVG: one node per Value and per op, the seed's notation, boxes
per neuron and layer, identical bytes for the same graph, any label safe, and clean
failures (too big, no dot, dot too slow or failing) that leave no file behind."""

from __future__ import annotations

import itertools
import os
import re
import shutil
import stat
import subprocess
import textwrap
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import graphviz
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine import Value, topological_order
from nn import MLP, mse
from tests import svg_helpers as svg
from tests.strategies import label_texts
from viz import (
    DotFailedError,
    DotNotFoundError,
    DotPicture,
    DotTimeoutError,
    GraphTooLargeError,
    count_nodes,
    display_text,
    draw_graph,
    evaluate,
    parse_label,
    render_svg,
    run_dot,
)
from viz.graph import layout_attrs
from viz.picture import SVG_MIME


def net_cost(sizes: list[int], *, elementary: bool = False, seed: int = 0) -> Value:
    """One sample's cost C of a seeded net, after backward()."""
    net = MLP(sizes, seed=seed, elementary=elementary)
    x = [0.5, -1.0][: sizes[0]] + [0.25] * (sizes[0] - 2)
    cost = mse(net(x), [1.0] * sizes[-1])
    net.zero_grad()
    cost.backward()
    return cost


def chain(n: int) -> Value:
    """x -> tanh(x * 0.9) + 0.1, repeated until the picture has >= n nodes."""
    y = Value(0.5, label="x")
    while count_nodes(y) < n:
        y = (y * 0.9).tanh() + 0.1
    y.backward()
    return y


def files_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


Communicate = Callable[
    [subprocess.Popen[bytes], "bytes | None", "float | None"], tuple[bytes, bytes]
]


Before = Callable[[subprocess.Popen[bytes], "bytes | None", Communicate], None]


@dataclass
class DotCalls:
    """What ``communicate`` saw: each dot child and the timeout it was given. Set
    ``before`` to run first, with the child, the input and the real communicate."""

    children: list[subprocess.Popen[bytes]] = field(default_factory=list)
    timeouts: list[float | None] = field(default_factory=list)
    before: Before | None = None


@pytest.fixture
def dot_calls(monkeypatch: pytest.MonkeyPatch) -> DotCalls:
    """Spy on ``subprocess.Popen.communicate``, by which the renderer talks to dot."""
    calls = DotCalls()
    real: Communicate = subprocess.Popen.communicate

    def spy(
        self: subprocess.Popen[bytes],
        input: bytes | None = None,
        timeout: float | None = None,
    ) -> tuple[bytes, bytes]:
        calls.children.append(self)
        calls.timeouts.append(timeout)
        if calls.before is not None:
            calls.before(self, input, real)
        return real(self, input, timeout)

    monkeypatch.setattr(subprocess.Popen, "communicate", spy)
    return calls


def fake_dot(folder: Path, body: str) -> Path:
    """A folder holding an executable ``dot`` shell script with ``body``."""
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / "dot"
    script.write_text("#!/bin/sh\n" + textwrap.dedent(body))
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return folder


# --- what the picture holds ---------------------------------------------------------


@pytest.mark.parametrize("elementary", [False, True])
def test_svg_holds_one_node_per_value_and_one_per_op(
    tmp_path: Path, elementary: bool
) -> None:
    cost = net_cost([2, 3, 1], elementary=elementary)
    order = topological_order(cost)
    ops = [v for v in order if v.op]
    root = svg.parse(render_svg(cost, tmp_path / "g.svg"))
    nodes = svg.node_texts(root)
    assert len(svg.groups(root, "node")) == len(order) + len(ops) == count_nodes(cost)
    assert set(nodes) == {f"n{i}" for i in range(len(order))} | {
        f"n{i}op" for i, v in enumerate(order) if v.op
    }


def test_value_nodes_show_label_data_and_grad_and_op_nodes_the_op(
    tmp_path: Path,
) -> None:
    x = Value(1.5, label="x")
    y = (x * 2).tanh()
    y.backward()
    nodes = svg.node_texts(svg.parse(render_svg(y, tmp_path / "g.svg")))
    # topological order: x, 2, x*2, tanh
    assert nodes["n0"] == ["x", "data 1.5", f"grad {2 * (1 - y.data**2):.4g}"]
    assert nodes["n1"] == ["data 2"]  # a constant: it takes no gradient
    assert nodes["n2op"] == ["*"]
    assert nodes["n3op"] == ["tanh"]
    assert nodes["n3"] == ["data 0.9951", "grad 1"]


def test_show_grad_false_shows_data_only(tmp_path: Path) -> None:
    x = Value(1.5, label="x")
    nodes = svg.node_texts(
        svg.parse(render_svg(x * 2, tmp_path / "g.svg", show_grad=False))
    )
    assert nodes["n0"] == ["x", "data 1.5"]


def test_mlp_labels_are_typeset_in_the_seeds_notation(tmp_path: Path) -> None:
    """Each cell one text in Unicode scripts (w³₁₂), so no renderer can flatten the
    indices; the target and the residual of the cost are named y₁ and r₁."""
    cost = net_cost([2, 3, 1])
    order = topological_order(cost)
    nodes = svg.node_texts(svg.parse(render_svg(cost, tmp_path / "g.svg")))
    by_label = {v.label: nodes[f"n{i}"] for i, v in enumerate(order) if v.label}
    value = {v.label: v for v in order if v.label}
    w = value["w[3][1][2]"]
    assert by_label["w[3][1][2]"] == [
        "w³₁₂",
        f"data {svg.shown(w.data)}",
        f"grad {svg.shown(w.grad)}",
    ]
    assert by_label["b[2][3]"][0] == "b²₃"
    assert by_label["a[1][2]"][0] == "a¹₂"
    assert by_label["y[1]"] == ["y₁", "data 1"]  # a constant: no grad
    r = value["r[1]"]
    assert by_label["r[1]"] == [
        "r₁", f"data {svg.shown(r.data)}", f"grad {svg.shown(r.grad)}"
    ]
    assert by_label["C"] == ["C", f"data {svg.shown(cost.data)}", "grad 1"]


def test_every_value_of_a_one_sample_graph_carries_a_seed_symbol() -> None:
    for elementary in (False, True):
        cost = net_cost([2, 3, 1], elementary=elementary)
        fused = [v for v in topological_order(cost) if not elementary or v.label]
        assert all(parse_label(v.label) is not None for v in fused)


def test_a_z_node_shows_its_grad_as_an_equation_in_delta(tmp_path: Path) -> None:
    cost = net_cost([2, 3, 1])
    order = topological_order(cost)
    nodes = svg.node_texts(svg.parse(render_svg(cost, tmp_path / "g.svg")))
    i, z = next((i, v) for i, v in enumerate(order) if v.label == "z[2][3]")
    assert z.grad < 0  # so the minus sign is seen
    assert nodes[f"n{i}"] == [
        "z²₃",
        f"data {svg.shown(z.data)}",
        f"δ²₃ = {svg.shown(z.grad)}",
    ]
    assert nodes[f"n{i}"][2].startswith("δ²₃ = \u2212")


def dot_boxes(source: str) -> dict[str, list[str]]:
    """cluster name -> ids of the nodes declared directly or nested inside it (the
    anonymous subgraphs that put nodes in one column are no boxes)."""
    boxes: dict[str, list[str]] = {}
    open_boxes: list[str | None] = []
    for raw in source.splitlines():
        line = raw.strip()
        m = re.fullmatch(r"(?:subgraph (\w*) ?)?\{", line)
        if m:
            name = m.group(1) if (m.group(1) or "").startswith("cluster") else None
            open_boxes.append(name)
            if name is not None:
                boxes[name] = []
        elif line == "}" and open_boxes:
            open_boxes.pop()
        else:
            m = re.match(r"(n\d+(?:op)?) \[", line)
            if m:
                for box in open_boxes:
                    if box is not None:
                        boxes[box].append(m.group(1))
    return boxes


@pytest.mark.parametrize("elementary", [False, True])
def test_mlp_nodes_are_boxed_per_neuron_inside_boxes_per_layer(
    elementary: bool,
) -> None:
    cost = net_cost([2, 3, 1], elementary=elementary)
    order = topological_order(cost)
    ids = {v.label: f"n{i}" for i, v in enumerate(order) if v.label}
    boxes = dot_boxes(draw_graph(cost).source)
    assert set(boxes) == {
        "cluster_l1",
        "cluster_l2",
        "cluster_l3",
        "cluster_l2_n1",
        "cluster_l2_n2",
        "cluster_l2_n3",
        "cluster_l3_n1",
        "cluster_cost",
    }
    for j in (1, 2, 3):
        neuron = set(boxes[f"cluster_l2_n{j}"])
        for label in (
            f"w[2][{j}][1]",
            f"w[2][{j}][2]",
            f"b[2][{j}]",
            f"z[2][{j}]",
            f"a[2][{j}]",
        ):
            assert ids[label] in neuron
        assert ids[f"z[2][{j}]"] + "op" in neuron  # the op that made z is with it
        assert neuron <= set(boxes["cluster_l2"])
    assert {ids["a[1][1]"], ids["a[1][2]"]} == set(boxes["cluster_l1"])
    assert {ids["y[1]"], ids["r[1]"], ids["C"]} <= set(boxes["cluster_cost"])
    if elementary:  # the products w*a and partial sums sit in their neuron's box
        inside = {n for members in boxes.values() for n in members}
        for i, v in enumerate(order):
            if v.op == "mul" and any(u.label.startswith("w[") for u in v.inputs):
                assert f"n{i}" in inside


def test_group_false_draws_no_boxes() -> None:
    assert "cluster" not in draw_graph(net_cost([2, 3, 1]), group=False).source


def test_draw_graph_returns_a_picture_that_jupyter_shows_as_svg(
    tmp_path: Path,
) -> None:
    g = draw_graph(net_cost([2, 2, 1]))
    assert isinstance(g, DotPicture)
    assert isinstance(g.digraph, graphviz.Digraph)
    assert "not rendered yet" in repr(g)  # dot has not run
    bundle = g._repr_mimebundle_()  # what Jupyter calls to show it (runs dot)
    assert "<svg" in bundle[SVG_MIME]
    svg.parse(bundle[SVG_MIME].encode())
    assert g._repr_svg_() == bundle[SVG_MIME]
    assert g.save(tmp_path / "g.svg").read_bytes() == bundle[SVG_MIME].encode()
    assert g.digraph.graph_attr["rankdir"] == "LR"
    tb = draw_graph(net_cost([2, 2, 1]), rankdir="TB")
    assert tb.digraph.graph_attr["rankdir"] == "TB"


def test_without_dot_jupyter_shows_the_install_command_not_a_traceback(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty folder: no dot
    g = draw_graph(net_cost([2, 2, 1]))
    assert "digraph" in g.source  # the DOT text needs no dot
    bundle = g._repr_mimebundle_()
    assert SVG_MIME not in bundle
    assert "sudo apt-get install graphviz" in bundle["text/plain"]
    assert g._repr_svg_() is None
    with pytest.raises(DotNotFoundError):
        g.save(tmp_path / "g.svg")
    assert not (tmp_path / "g.svg").exists()


# --- determinism ----------------------------------------------------------------------


def test_the_same_graph_gives_the_same_svg_bytes_twice(tmp_path: Path) -> None:
    first = render_svg(net_cost([2, 3, 1]), tmp_path / "a.svg").read_bytes()
    # A new graph of new objects (other memory addresses), the same computation:
    second = render_svg(net_cost([2, 3, 1]), tmp_path / "b.svg").read_bytes()
    assert first == second
    cost = net_cost([2, 3, 1])
    assert render_svg(cost, tmp_path / "c.svg").read_bytes() == first
    assert render_svg(cost, tmp_path / "c.svg").read_bytes() == first


def test_node_ids_are_positions_not_memory_addresses() -> None:
    source = draw_graph(net_cost([2, 3, 1])).source
    assert not re.search(r"\d{8,}", source)  # no id() values
    assert source == draw_graph(net_cost([2, 3, 1])).source


def test_big_graphs_get_tighter_dot_layout_limits() -> None:
    assert "nslimit" not in draw_graph(net_cost([2, 3, 1])).source
    big = draw_graph(chain(300)).source
    assert "nslimit=0.2" in big
    assert "mclimit=0.2" in big
    assert layout_attrs(4999)["nslimit"] == "0.2"
    assert layout_attrs(5000)["nslimit"] == "0.05"
    assert layout_attrs(5000)["nslimit1"] == "0.05"
    assert layout_attrs(199) == {}


def out_edges(source: str) -> dict[str, int]:
    """Node id -> how many edges leave it in the DOT source."""
    tails = re.findall(r"^\s*(n\w+) -> ", source, flags=re.MULTILINE)
    return {t: tails.count(t) for t in set(tails)}


@pytest.mark.parametrize(
    "text", ["+".join(["x"] * 250), "+".join(["tanh(x)"] * 250), "x + " * 30 + "y"]
)
def test_a_leaf_used_far_apart_is_drawn_at_each_use_so_no_edge_is_long(
    text: str,
) -> None:
    """One x with edges to 250 columns made dot lay out ~60,000 dummy nodes (21-45 s);
    drawn at each use, every copy has one short edge."""
    root = evaluate(text, {"x": 1.0, "y": 2.0})
    order = topological_order(root)
    x = next(i for i, v in enumerate(order) if v.label == "x")
    uses = sum(u is order[x] for v in order for u in v.inputs)
    source = draw_graph(root).source
    edges = out_edges(source)
    copies = [f"n{x}_{c}" for c in range(1, uses + 1)]
    assert all(edges[c] == 1 for c in copies)
    assert f"n{x} " not in source  # only the copies are drawn
    assert count_nodes(root) == len(order) + sum(1 for v in order if v.op) + uses - 1


def test_leaf_copies_show_the_leafs_label_data_and_total_grad(tmp_path: Path) -> None:
    root = evaluate("+".join(["x"] * 30), {"x": 1.5})
    root.backward()
    nodes = svg.node_texts(svg.parse(render_svg(root, tmp_path / "g.svg")))
    xs = [texts for name, texts in nodes.items() if texts[0] == "x"]
    assert len(xs) == 30
    assert all(texts == ["x", "data 1.5", "grad 30"] for texts in xs)
    assert len(nodes) == count_nodes(root)


def test_near_uses_and_a_nets_leaves_are_drawn_once() -> None:
    small = evaluate("x*x + x", {"x": 1.0})
    assert count_nodes(small) == 5
    # A batch's cost: every weight is used once per sample, far apart in the sum.
    net = MLP([2, 2, 1], seed=0)
    total = Value(0.0)
    for k in range(30):
        total = total + mse(net([0.1 * k, -0.2]), [1.0])
    order = topological_order(total)
    assert count_nodes(total) == len(order) + sum(1 for v in order if v.op)
    assert "_1 " not in draw_graph(total).source


# --- any label renders safely ---------------------------------------------------------


@pytest.mark.slow
@settings(
    max_examples=60,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(labels=st.lists(label_texts, min_size=1, max_size=4))
def test_any_label_renders_to_valid_svg_showing_exactly_its_display_text(
    tmp_path: Path, labels: list[str]
) -> None:
    leaves = [Value(float(i), label=text) for i, text in enumerate(labels)]
    root = leaves[0]
    for leaf in leaves[1:]:
        root = root + leaf
    root.backward()
    order = topological_order(root)
    nodes = svg.node_texts(svg.parse(render_svg(root, tmp_path / "any.svg")))
    for i, v in enumerate(order):
        if v in leaves:
            texts = nodes[f"n{i}"]
            assert texts[-2:] == [f"data {v.data:.4g}", "grad 1"]
            if parse_label(v.label) is None:  # notation is typeset: tested above
                assert texts[:-2] == ([display_text(v.label)] if v.label else [])


# --- failures leave no file -----------------------------------------------------------


def test_a_graph_over_max_nodes_is_refused_before_dot_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_dot(*args: object, **kwargs: object) -> None:
        raise AssertionError("dot must not run")

    monkeypatch.setattr(subprocess, "Popen", no_dot)
    root = chain(120)
    size = count_nodes(root)
    with pytest.raises(GraphTooLargeError) as err:
        render_svg(root, tmp_path / "big.svg", max_nodes=100)
    message = str(err.value)
    for part in (f"{size:,} nodes", "max_nodes=100", "smaller", "raise max_nodes"):
        assert part in message
    assert (err.value.nodes, err.value.limit) == (size, 100)
    assert files_in(tmp_path) == []
    with pytest.raises(GraphTooLargeError):
        draw_graph(root, max_nodes=100)


def test_missing_dot_raises_with_the_install_command_and_leaves_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    with pytest.raises(DotNotFoundError, match="sudo apt-get install graphviz"):
        render_svg(net_cost([2, 2, 1]), out / "g.svg")
    assert files_in(out) == []


def sleeping_dot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Put a ``dot`` on PATH that never finishes."""
    sleep = shutil.which("sleep")
    assert sleep is not None
    monkeypatch.setenv("PATH", str(fake_dot(tmp_path / "bin", f"exec {sleep} 60\n")))


def assert_gone(proc: subprocess.Popen[bytes]) -> None:
    """The child was killed and reaped: it has a status and its pid is free."""
    assert proc.returncode is not None
    with pytest.raises(ProcessLookupError):
        os.kill(proc.pid, 0)


def test_dot_over_its_time_is_killed_and_leaves_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, dot_calls: DotCalls
) -> None:
    sleeping_dot(tmp_path, monkeypatch)
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(DotTimeoutError, match="did not finish"):
        render_svg(net_cost([2, 2, 1]), out / "g.svg", timeout=1.0)
    assert files_in(out) == []
    assert_gone(dot_calls.children[0])


def test_a_failing_dot_keeps_the_old_file_and_reports_its_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cat = shutil.which("cat")
    assert cat is not None
    bin_dir = fake_dot(
        tmp_path / "bin",
        f"{cat} > /dev/null\necho 'syntax error' >&2\nprintf 'partial'\nexit 3\n",
    )
    monkeypatch.setenv("PATH", str(bin_dir))
    out = tmp_path / "out"
    out.mkdir()
    (out / "g.svg").write_text("old")
    with pytest.raises(DotFailedError, match=r"exit status 3[\s\S]*syntax error"):
        render_svg(net_cost([2, 2, 1]), out / "g.svg")
    assert files_in(out) == ["g.svg"]
    assert (out / "g.svg").read_text() == "old"


def test_an_interrupted_write_leaves_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(src: object, dst: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        render_svg(net_cost([2, 2, 1]), tmp_path / "g.svg")
    assert files_in(tmp_path) == []


def test_a_missing_folder_is_an_os_error_and_creates_nothing(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        render_svg(net_cost([2, 2, 1]), tmp_path / "no" / "g.svg")
    assert files_in(tmp_path) == []


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"rankdir": "XY"}, ValueError),
        ({"max_nodes": 0}, ValueError),
        ({"max_nodes": True}, ValueError),
    ],
)
def test_bad_arguments_are_refused(kwargs: dict[str, object], error: type) -> None:
    with pytest.raises(error):
        draw_graph(Value(1.0), **kwargs)  # type: ignore[arg-type]


def test_a_root_that_is_not_a_value_is_refused() -> None:
    with pytest.raises(TypeError, match="engine Value"):
        draw_graph(1.0)  # type: ignore[arg-type]


def test_dot_is_run_as_a_bounded_child_process(
    tmp_path: Path, dot_calls: DotCalls
) -> None:
    render_svg(Value(1.0, label="x") * 2, tmp_path / "g.svg", timeout=7.0)
    assert dot_calls.timeouts[0] == 7.0


def test_ctrl_c_while_dot_runs_stops_dot_and_leaves_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, dot_calls: DotCalls
) -> None:
    sleeping_dot(tmp_path, monkeypatch)

    def ctrl_c_once(
        child: subprocess.Popen[bytes], input: bytes | None, real: Communicate
    ) -> None:
        if len(dot_calls.children) == 1:  # dot is running: the user presses Ctrl-C
            with pytest.raises(subprocess.TimeoutExpired):
                real(child, input, 0.5)
            raise KeyboardInterrupt

    dot_calls.before = ctrl_c_once
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(KeyboardInterrupt):
        render_svg(net_cost([2, 2, 1]), out / "g.svg")
    assert files_in(out) == []
    assert_gone(dot_calls.children[0])


def test_dot_runs_in_a_session_of_its_own_so_ctrl_c_reaches_only_python(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, dot_calls: DotCalls
) -> None:
    """dot's own SIGINT handler writes the layout so far and exits 0; in a session
    of its own the terminal's Ctrl-C goes to Python alone, which then stops dot."""
    cat = shutil.which("cat")
    assert cat is not None
    # This dot answers with its session id (field 6 of /proc/PID/stat).
    body = f"{cat} > {tmp_path}/in.dot\nset -- $({cat} /proc/$$/stat)\necho $6\n"
    monkeypatch.setenv("PATH", str(fake_dot(tmp_path / "bin", body)))
    session = int(run_dot("digraph { a }"))
    assert session == dot_calls.children[0].pid  # dot leads a session of its own
    assert session != os.getsid(0)


def test_a_folder_as_target_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    (tmp_path / "pictures").mkdir()
    with pytest.raises(IsADirectoryError, match="folder"):
        render_svg(net_cost([2, 2, 1]), tmp_path / "pictures")
    assert files_in(tmp_path) == ["pictures"]
    assert files_in(tmp_path / "pictures") == []


def test_render_svg_writes_a_symlinks_target_and_keeps_the_files_mode(
    tmp_path: Path,
) -> None:
    real = tmp_path / "pictures" / "g.svg"
    real.parent.mkdir()
    real.write_text("old")
    real.chmod(0o640)
    link = tmp_path / "latest.svg"
    link.symlink_to(real)
    render_svg(Value(1.0, label="x") * 2, link)
    assert link.is_symlink()
    svg.parse(real)
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    assert files_in(real.parent) == ["g.svg"]


def test_an_svg_name_of_255_bytes_can_be_written(tmp_path: Path) -> None:
    path = tmp_path / ("g" * 251 + ".svg")
    svg.parse(render_svg(Value(1.0, label="x") * 2, path))
    assert files_in(tmp_path) == [path.name]


def _x_range(g: ET.Element) -> tuple[float, float]:
    """The x extent of a cluster's or node's first polygon (or ellipse) in the SVG."""
    kinds = (f"{svg.SVG}polygon", f"{svg.SVG}path", f"{svg.SVG}ellipse")
    shape = next(e for e in g.iter() if e.tag in kinds)
    if shape.tag == f"{svg.SVG}ellipse":
        cx, rx = float(shape.get("cx", 0)), float(shape.get("rx", 0))
        return cx - rx, cx + rx
    points = shape.get("points") or shape.get("d") or ""
    numbers = [float(n) for n in re.findall(r"-?[0-9.]+", points)]
    xs = numbers[0::2]
    return min(xs), max(xs)


@pytest.mark.parametrize("elementary", [False, True])
def test_layers_are_drawn_strictly_left_to_right_then_the_cost(
    tmp_path: Path, elementary: bool
) -> None:
    """Layer 1's box lies wholly left of layer 2's, and so on, the cost's last: no
    layer sits under another (dot put the inputs' rank with the first weights)."""
    root = svg.parse(
        render_svg(net_cost([2, 4, 3, 1], elementary=elementary), tmp_path / "g.svg")
    )
    boxes = {svg.title(g): _x_range(g) for g in svg.groups(root, "cluster")}
    chain = [boxes[f"cluster_l{layer}"] for layer in (1, 2, 3, 4)]
    chain.append(boxes["cluster_cost"])
    for before, after in itertools.pairwise(chain):
        assert before[1] < after[0]


def test_a_neurons_parameters_stand_in_the_column_of_its_sum(tmp_path: Path) -> None:
    cost = net_cost([2, 3, 1])
    order = topological_order(cost)
    root = svg.parse(render_svg(cost, tmp_path / "g.svg"))
    centre = {svg.title(g): sum(_x_range(g)) / 2 for g in svg.groups(root, "node")}
    position = {id(v): i for i, v in enumerate(order)}
    checked = 0
    for i, v in enumerate(order):
        if v.label.startswith("z["):  # its op: sum_k w a + b
            for u in v.inputs:
                n = parse_label(u.label)
                if n is not None and n.symbol in ("w", "b"):
                    k = position[id(u)]
                    assert centre[f"n{k}"] == pytest.approx(centre[f"n{i}op"], abs=1)
                    checked += 1
    assert checked == 3 * 3 + 4  # layer 2: 3 neurons of 2 w and 1 b; layer 3: 3 w, 1 b
