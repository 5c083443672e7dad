"""The network diagram: a node per neuron, a link per weight coloured by its sign and
as wide as its size, neurons filled by their bias, as TensorFlow Playground draws."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from nn import MLP
from tests import svg_helpers as svg
from viz import GraphTooLargeError, draw_network, draw_network_arrays, render_network
from viz.palette import BLUE, GREY, ORANGE, diverging, link_width, to_hex


def small_net() -> MLP:
    W = [np.array([[5.0, -5.0], [0.0, 0.5]]), np.array([[-1.0, 20.0]])]
    B = [np.array([1.0, -1.0]), np.array([0.0])]
    return MLP.from_arrays(W, B)


def test_diagram_has_a_node_per_neuron_and_a_link_per_weight(tmp_path: Path) -> None:
    root = svg.parse(render_network(small_net(), tmp_path / "n.svg"))
    nodes = {svg.title(g) for g in svg.groups(root, "node")}
    neurons = {n for n in nodes if re.fullmatch(r"l\d+n\d+", n)}
    assert neurons == {"l1n1", "l1n2", "l2n1", "l2n2", "l3n1"}
    assert nodes - neurons == {"layer1", "layer2", "layer3"}  # the column titles
    links = sorted(html.unescape(svg.title(g)) for g in svg.groups(root, "edge"))
    assert links == [  # the edges that keep a column in order are not drawn
        "l1n1->l2n1", "l1n1->l2n2", "l1n2->l2n1", "l1n2->l2n2",
        "l2n1->l3n1", "l2n2->l3n1",
    ]


def link_styles(root_path: Path) -> dict[str, tuple[str, float]]:
    """'l1n1->l2n1' -> (stroke colour, stroke width) of each drawn link."""
    root = svg.parse(root_path)
    out = {}
    for g in svg.groups(root, "edge"):
        name = html.unescape(svg.title(g))
        path = next(g.iter(f"{svg.SVG}path"))
        out[name] = (path.get("stroke", ""), float(path.get("stroke-width", "1")))
    return out


def test_links_are_coloured_by_sign_and_sized_by_magnitude(tmp_path: Path) -> None:
    styles = link_styles(render_network(small_net(), tmp_path / "n.svg"))
    assert styles["l1n1->l2n1"] == (to_hex(BLUE), 10.0)  # w = 5
    assert styles["l1n2->l2n1"] == (to_hex(ORANGE), 10.0)  # w = -5
    assert styles["l1n1->l2n2"] == (to_hex(GREY), 1.0)  # w = 0
    assert styles["l1n2->l2n2"] == (to_hex(diverging(0.5)), link_width(0.5))
    assert styles["l2n2->l3n1"] == (to_hex(BLUE), 10.0)  # w = 20: clamped
    assert styles["l2n1->l3n1"][0] == to_hex(ORANGE)  # w = -1


def test_neurons_are_filled_by_their_bias(tmp_path: Path) -> None:
    root = svg.parse(render_network(small_net(), tmp_path / "n.svg"))
    fills = {}
    for g in svg.groups(root, "node"):
        shape = next(g.iter(f"{svg.SVG}path"), None)
        if shape is not None:  # the column titles are plain text
            fills[svg.title(g)] = shape.get("fill")
    assert fills["l2n1"] == to_hex(BLUE)  # b = 1
    assert fills["l2n2"] == to_hex(ORANGE)  # b = -1
    assert fills["l3n1"] == to_hex(GREY)  # b = 0


def test_neurons_show_the_seeds_notation_and_their_bias(tmp_path: Path) -> None:
    nodes = svg.node_texts(svg.parse(render_network(small_net(), tmp_path / "n.svg")))
    assert nodes["l1n2"] == ["a¹₂"]
    assert nodes["l2n2"] == ["a²₂", "b \u22121"]


def test_layers_are_in_order_and_neurons_in_index_order(tmp_path: Path) -> None:
    root = svg.parse(render_network(MLP([3, 4, 2], seed=0), tmp_path / "n.svg"))
    where: dict[str, tuple[float, float]] = {}
    for g in svg.groups(root, "node"):
        text = next(g.iter(f"{svg.SVG}text"))
        where[svg.title(g)] = (float(text.get("x", 0)), float(text.get("y", 0)))
    for layer, n in ((1, 3), (2, 4), (3, 2)):
        ys = [where[f"l{layer}n{j}"][1] for j in range(1, n + 1)]
        assert ys == sorted(ys)  # top to bottom
    assert where["l1n1"][0] < where["l2n1"][0] < where["l3n1"][0]


def test_the_same_net_gives_the_same_bytes(tmp_path: Path) -> None:
    a = render_network(MLP([2, 5, 1], seed=3), tmp_path / "a.svg").read_bytes()
    b = render_network(MLP([2, 5, 1], seed=3), tmp_path / "b.svg").read_bytes()
    assert a == b


def test_too_many_links_are_refused_before_dot_runs(tmp_path: Path) -> None:
    with pytest.raises(GraphTooLargeError) as err:
        render_network(small_net(), tmp_path / "n.svg", max_links=5)
    message = str(err.value)
    for part in ("has 6 links", "more than max_links=5", "raise max_links"):
        assert part in message
    assert "nodes" not in message
    assert "max_nodes" not in message
    assert list(tmp_path.iterdir()) == []


BAD_ARRAYS = [
    ([np.zeros((2, 3))], [np.zeros(3)], ValueError, r"B of layer 2 must have shape \("),
    (
        [np.zeros((2, 3)), np.zeros((1, 3))],
        [np.zeros(2), np.zeros(1)],
        ValueError,
        "layer 2 has 2 neurons, so it needs 2 columns",
    ),
    ([np.zeros(3)], [np.zeros(3)], ValueError, "W of layer 2 must be 2-D"),
    ([np.zeros((1, 2))], [], ValueError, "1 weight matrices but 0 bias vectors"),
    ([[["1", "2"]]], [[0.0]], TypeError, "W of layer 2 must hold real numbers"),
]


@pytest.mark.parametrize(("weights", "biases", "error", "message"), BAD_ARRAYS)
def test_mismatched_arrays_are_refused_by_the_check_mlp_makes(
    weights: list[Any], biases: list[Any], error: type[Exception], message: str
) -> None:
    """The diagram and ``MLP.from_arrays`` share one check of the W/B chain
    (``nn.arrays.check_arrays``): the same error for the same arrays."""
    with pytest.raises(error, match=message) as diagram:
        draw_network_arrays(weights, biases)
    with pytest.raises(error) as model:
        MLP.from_arrays(weights, biases)
    assert str(diagram.value) == str(model.value)


def test_draw_network_refuses_what_is_not_an_mlp() -> None:
    with pytest.raises(TypeError, match="MLP"):
        draw_network("net")  # type: ignore[arg-type]


def test_link_and_bias_tooltips_name_the_seeds_notation() -> None:
    source = draw_network(small_net()).source
    tips = set(re.findall(r'tooltip="([^"]*)"', source))
    assert {"w[2][1][1] = 5", "w[2][1][2] = -5", "w[3][1][2] = 20"} <= tips
    assert {"b[2][1] = 1", "b[2][2] = -1", "b[3][1] = 0"} <= tips


@pytest.mark.parametrize(
    ("t", "colour"), [(-1.0, ORANGE), (-7.0, ORANGE), (0.0, GREY), (1.0, BLUE),
                      (3.0, BLUE), (float("nan"), GREY)]
)
def test_playground_colour_scale_runs_orange_grey_blue_and_clamps(
    t: float, colour: tuple[int, int, int]
) -> None:
    assert to_hex(diverging(t)) == to_hex(colour)


@pytest.mark.parametrize(
    ("w", "width"), [(0.0, 1.0), (2.5, 5.5), (-5.0, 10.0), (50.0, 10.0),
                     (float("nan"), 1.0)]
)
def test_playground_link_width_is_1_to_10_for_size_0_to_5(
    w: float, width: float
) -> None:
    assert link_width(w) == width


@pytest.mark.parametrize(
    ("weights", "biases", "layer"),
    [
        ([np.zeros((0, 2))], [np.zeros(0)], 2),  # an output layer of 0 neurons
        ([np.zeros((3, 0))], [np.zeros(3)], 1),  # an input layer of 0 neurons
        ([np.zeros((0, 2)), np.zeros((1, 0))], [np.zeros(0), np.zeros(1)], 2),
    ],
)
def test_a_layer_of_0_neurons_is_refused(
    weights: list[np.ndarray], biases: list[np.ndarray], layer: int
) -> None:
    with pytest.raises(ValueError, match=f"layer {layer} has 0 neurons") as diagram:
        draw_network_arrays(weights, biases)
    with pytest.raises(ValueError, match="0 neurons") as model:
        MLP.from_arrays(weights, biases)
    assert str(diagram.value) == str(model.value)
