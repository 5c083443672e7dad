"""The step-through page without a browser: the steps are backward()'s, their
partials the rule table's true derivatives, replaying them gives the engine's grads
to the bit; the four formulas match autograd; the gradient check's numbers; same
graph, same bytes; any label stays text; a graph too big is refused."""

from __future__ import annotations

import html
import itertools
import json
import math
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine import Value, topological_order
from engine.ops import OPS
from engine.walk import _op_nodes
from nn import MLP, backprop, mse
from tests import svg_helpers as svg
from tests.graphs import run_program
from tests.strategies import label_texts, programs
from viz import GraphTooLargeError, PageTooLargeError, count_nodes, render_html
from viz.cli.sample import sample_cost
from viz.page import PAGE_MAX_NODES, page_html
from viz.page.checks import (
    DEFAULT_EPS,
    SWEEP,
    central_difference,
    check_parameters,
    relative_error,
    replay,
)
from viz.page.formulas import formula_rows, read_net_sample
from viz.page.model import build_model

_DATA = re.compile(
    r'<script type="application/json" id="deltagrad-graph">(.*?)</script>', re.S
)


def _graph_json(page: str) -> dict[str, Any]:
    m = _DATA.search(page)
    assert m is not None
    data: dict[str, Any] = json.loads(m.group(1))
    return data


def _num(x: float | str) -> float:
    return float(x)


def _program(program: tuple[list[float], list[Any]]) -> Value:
    inputs, steps = program
    return run_program(steps, *[Value(x, label=f"x{i}") for i, x in enumerate(inputs)])


def _fresh_grads(root: Value) -> list[float]:
    root.zero_grad()
    root.backward()
    return [v.grad for v in topological_order(root)]


def _replay_steps(data: dict[str, Any]) -> dict[str, float]:
    """What the page's script does with the JSON: multiply and add, in order."""
    sums = {n["id"]: 0.0 for n in data["nodes"]}
    for s, step in enumerate(data["backward"]):
        if s == 0:
            sums[step["node"]] = 1.0
        g = sums[step["node"]]
        for e in step["edges"]:
            sums[e["input"]] += 0.0 if e["masked"] else _num(e["partial"]) * g
    return sums


@given(programs())
def test_the_steps_visit_the_op_nodes_in_backwards_own_order(program: Any) -> None:
    root = _program(program)
    model = build_model(root)
    order = topological_order(root)
    index = {id(v): i for i, v in enumerate(order)}
    assert [s.node for s in model.steps] == [
        index[id(v)] for v in reversed(_op_nodes(root))
    ]


@settings(max_examples=10)
@given(programs())
def test_replaying_the_embedded_steps_gives_the_engines_grads_to_the_bit(
    program: Any,
) -> None:
    root = _program(program)
    data = _graph_json(page_html(root))
    sums = _replay_steps(data)
    grads = _fresh_grads(root)
    for node, g in zip(data["nodes"], grads, strict=True):
        if node["requires_grad"]:
            assert sums[node["id"]] == g
            assert _num(node["grad"]) == g


@given(programs())
def test_each_partial_is_the_derivative_of_its_nodes_forward_rule(
    program: Any,
) -> None:
    root = _program(program)
    model = build_model(root)
    for step in model.steps:
        y = model.order[step.node]
        forward = OPS[y.op].forward
        ins = [u.data for u in y.inputs]
        for c in step.contributions:
            h = 1e-6 * max(1.0, abs(ins[c.slot]))
            up, down = list(ins), list(ins)
            up[c.slot] += h
            down[c.slot] -= h
            numerical = (forward(*up) - forward(*down)) / (2 * h)
            assert y.inputs[c.slot] is model.order[c.source]
            assert math.isclose(c.partial, numerical, rel_tol=1e-4, abs_tol=1e-6)


def test_a_node_used_twice_gets_two_contributions_and_completes_after_both() -> None:
    a = Value(3.0, label="a")
    b = a + a
    c = b + b
    model = build_model(c)
    order = model.order
    pos = {v.label or str(i): i for i, v in enumerate(order)}
    first, second = model.steps
    assert [x.source for x in first.contributions] == [order.index(b)] * 2
    assert [x.source for x in second.contributions] == [pos["a"]] * 2
    assert pos["a"] in second.completes
    assert order.index(b) in first.completes
    assert model.grads[pos["a"]] == 4.0


def test_the_page_leaves_the_nodes_grads_as_they_were() -> None:
    x = Value(2.0, label="x")
    y = (x * x).tanh()
    x.grad = 123.0  # whatever the nodes held
    page = page_html(y)
    assert x.grad == 123.0
    assert y.grad == 0.0
    assert _num(_graph_json(page)["nodes"][0]["grad"]) == pytest.approx(
        2 * 2.0 * (1 - math.tanh(4.0) ** 2)
    )


def test_the_json_lists_every_node_with_its_inputs_in_order() -> None:
    x, k = Value(2.0, label="x"), Value(5.0, requires_grad=False)
    y = x / k - x
    data = _graph_json(page_html(y))
    nodes = {n["id"]: n for n in data["nodes"]}
    order = topological_order(y)
    assert list(nodes) == [f"n{i}" for i in range(len(order))]
    for i, v in enumerate(order):
        n = nodes[f"n{i}"]
        assert n["label"] == v.label
        assert n["op"] == v.op
        assert n["data"] == v.data
        assert n["requires_grad"] == v.requires_grad
        assert n["inputs"] == [f"n{order.index(u)}" for u in v.inputs]
    assert nodes["n1"]["requires_grad"] is False


def test_non_finite_numbers_are_spelled_as_strings_in_the_json() -> None:
    x = Value(0.0, label="x")
    y = x.log() * 2.0  # log 0 = -inf, d/dx = 1/0 = inf
    data = _graph_json(page_html(y))
    assert data["nodes"][2]["data"] == "-inf"
    assert data["nodes"][0]["grad"] == "inf"


def test_the_same_graph_gives_the_same_bytes(tmp_path: Path) -> None:
    def build() -> Value:
        net = MLP([2, 3, 1], seed=4)
        return sample_cost(net, [0.1, 0.7], [1.0])

    one = render_html(build(), tmp_path / "one.html").read_bytes()
    two = render_html(build(), tmp_path / "two.html").read_bytes()
    assert one == two


def test_the_page_requests_nothing_it_does_not_hold() -> None:
    page = page_html(Value(1.0, label="x").exp())
    assert "default-src 'none'" in page
    for attribute in ("src=", "href=", "@import", "url("):
        assert attribute not in page.replace('xmlns:xlink="', "")
    assert not re.search(r"https?://(?!www\.w3\.org/)", page)


@settings(max_examples=15)
@given(label_texts)
def test_any_label_stays_text_in_the_html_and_comes_back_in_the_json(
    label: str,
) -> None:
    x = Value(1.5, label=label)
    page = page_html(x * x)
    assert _graph_json(page)["nodes"][0]["label"] == label
    data = _DATA.search(page)
    assert data is not None
    assert "<" not in data.group(1)
    assert "&" not in data.group(1)
    body = page[: data.start()]
    assert body.count("<script") == 0  # only the two scripts of the page
    assert page.count("<script") == 2


def test_a_hostile_label_is_escaped_in_the_picture_and_the_json() -> None:
    label = "</script><img src=x onerror=alert(1)>\"'&"
    page = page_html(Value(2.0, label=label) * 3.0)
    assert "<img" not in page
    assert "</script><img" not in page
    assert html.escape("<img src=x onerror=alert(1)>", quote=False) in page


def test_a_graph_over_the_page_limit_is_refused_with_the_size_error() -> None:
    y = Value(0.5, label="x")
    while count_nodes(y) <= PAGE_MAX_NODES:
        y = (y * 0.9).tanh() + 0.1
    with pytest.raises(GraphTooLargeError, match="smaller batch") as err:
        page_html(y)
    assert isinstance(err.value, PageTooLargeError)
    assert err.value.nodes == count_nodes(y)
    assert err.value.limit == PAGE_MAX_NODES


def test_a_page_marks_every_data_and_grad_number_of_the_picture() -> None:
    net = MLP([2, 2, 1], seed=0)
    cost = sample_cost(net, [0.5, -1.0], [0.0])
    page = page_html(cost)
    picture = svg.parse(page[page.index("<svg") : page.index("</svg>") + 6].encode())
    order = topological_order(cost)
    for g in svg.groups(picture, "node"):
        name = svg.title(g)
        if name.endswith("op"):
            continue
        v = order[int(name[1:].split("_")[0])]
        marked = {t.get("class"): t for t in g.iter(f"{svg.SVG}text") if t.get("class")}
        assert set(marked) == (
            {"dg-data", "dg-grad"} if v.requires_grad else {"dg-data"}
        )
        for t in marked.values():
            assert (t.text or "").endswith("?")
            assert t.get("data-shown", "").startswith(t.get("data-words", "-"))
        assert g.get("id") == name


# --- the four formulas -----------------------------------------------------------


@settings(max_examples=10)
@given(
    sizes=st.lists(st.integers(1, 3), min_size=2, max_size=4),
    activation=st.sampled_from(["sigmoid", "tanh", "relu", "leaky_relu"]),
    output=st.sampled_from(["sigmoid", "linear", "tanh"]),
    elementary=st.booleans(),
    seed=st.integers(0, 100),
)
def test_the_net_read_from_its_cost_graph_is_the_net_and_its_sample(
    sizes: list[int], activation: str, output: str, elementary: bool, seed: int
) -> None:
    net = MLP(
        sizes,
        activation=activation,
        output_activation=output,
        seed=seed,
        elementary=elementary,
    )
    rng = np.random.default_rng(seed)
    x, y = rng.normal(size=sizes[0]), rng.uniform(size=sizes[-1])
    cost = sample_cost(net, x, y)
    sample = read_net_sample(topological_order(cost))
    assert sample is not None
    for got, want in zip(sample.W, net.weights(), strict=True):
        np.testing.assert_array_equal(got, want)
    for got, want in zip(sample.B, net.biases(), strict=True):
        np.testing.assert_array_equal(got, want)
    np.testing.assert_array_equal(sample.x, x)
    np.testing.assert_array_equal(sample.y, y)
    assert sample.output_activation == output
    if len(sizes) > 2:
        assert sample.activation == activation


@settings(max_examples=10)
@given(
    sizes=st.lists(st.integers(1, 3), min_size=2, max_size=4),
    activation=st.sampled_from(["sigmoid", "tanh"]),
    seed=st.integers(0, 100),
)
def test_each_formula_in_numbers_equals_autograds_value(
    sizes: list[int], activation: str, seed: int
) -> None:
    net = MLP(sizes, activation=activation, seed=seed)
    rng = np.random.default_rng(seed)
    cost = sample_cost(net, rng.normal(size=sizes[0]), rng.uniform(size=sizes[-1]))
    model = build_model(cost)
    sample = read_net_sample(model.order)
    assert sample is not None
    rows = formula_rows(sample, model.grads)
    names = [r.name for r in rows]
    L = len(sizes)
    assert names.count("BP1") == names.count("seed") == sizes[-1]
    assert names.count("BP2") == sum(sizes[1:-1])
    assert names.count("BP3") == sum(sizes[1:])
    assert names.count("BP4") == sum(a * b for a, b in itertools.pairwise(sizes))
    for r in rows:
        if r.autograd is None:  # the seed's sign: minus delta
            bp1 = next(b for b in rows if b.name == "BP1" and b.after == r.after)
            assert r.value == pytest.approx(-bp1.value, rel=1e-12, abs=1e-300)
            continue
        assert r.autograd == model.grads[r.after]
        assert r.value == pytest.approx(r.autograd, rel=1e-9, abs=1e-15)
    assert rows[0].name == "BP1"
    assert rows[0].layer == L  # the output layer first, as the pass reaches it


def test_bp1_is_written_in_the_seeds_notation_with_its_numbers() -> None:
    net = MLP([2, 4, 1], seed=0)
    cost = sample_cost(net, [0.5, -1.0], [0.0])
    model = build_model(cost)
    sample = read_net_sample(model.order)
    assert sample is not None
    bp1 = formula_rows(sample, model.grads)[0]
    fw = backprop.forward(sample.W, sample.B, sample.x)
    a = fw.a(3)[0]
    assert bp1.text == (
        f"δ³₁ = (a³₁ − y₁)·σ′(z³₁) = ({a:.4g} − 0)·{a * (1 - a):.4g} = "
        f"{a * a * (1 - a):.4g}"
    )


def test_only_one_samples_quadratic_cost_of_an_mlp_gets_the_formulas() -> None:
    net = MLP([2, 2, 1], seed=0)
    batch = mse(net([0.1, 0.2]), [1.0]) + mse(net([0.3, 0.4]), [0.0])
    assert read_net_sample(topological_order(batch)) is None
    x = Value(1.0, label="x")
    assert read_net_sample(topological_order(x * x)) is None
    assert "dg-formulas" not in page_html(x * x)
    assert 'id="dg-formulas"' in page_html(sample_cost(net, [0.1, 0.2], [1.0]))


# --- the gradient check ------------------------------------------------------------


@given(programs())
def test_replaying_the_graph_gives_the_roots_data_exactly(program: Any) -> None:
    root = _program(program)
    assert replay(topological_order(root)) == root.data


@settings(max_examples=10)
@given(programs())
def test_central_differences_agree_with_autograd(program: Any) -> None:
    root = _program(program)
    model = build_model(root)
    checks, total = check_parameters(model.order, model.grads)
    assert (
        total
        == len(checks)
        == sum(1 for v in model.order if not v.op and v.requires_grad)
    )
    for c in checks:
        assert c.autograd == model.grads[c.position]
        assert c.numerical == central_difference(model.order, c.position, DEFAULT_EPS)
        assert c.error <= 1e-5 or abs(c.autograd - c.numerical) <= 1e-7


def test_the_error_against_eps_is_u_shaped_with_its_low_in_between() -> None:
    x = Value(0.7, label="x")
    root = (x * x).sin().exp()
    model = build_model(root)
    (check,), _ = check_parameters(model.order, model.grads)
    sweep = check.sweep
    assert len(sweep) == len(SWEEP) == 12
    assert SWEEP[0] == 1e-1
    assert SWEEP[-1] == 1e-12
    low = min(range(12), key=sweep.__getitem__)
    assert 2 <= low <= 8  # the smallest error lies between the ends
    assert sweep[0] > 100 * sweep[low]  # truncation
    assert sweep[-1] > 100 * sweep[low]  # round-off
    assert relative_error(0.0, 0.0) == 0.0
    assert relative_error(1.0, 0.5) == 0.5


def test_the_plot_marks_the_default_eps() -> None:
    x = Value(0.7, label="x")
    page = page_html((x * x).sin())
    assert 'class="dg-default-eps"' in page
    assert f"default ε = {DEFAULT_EPS:g}" in page
