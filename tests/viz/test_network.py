"""The network diagram: a square per neuron and a curve per weight coloured by its
sign and as wide as its size, bias squares, each value on hover (``<title>``), a
legend, and for 2 inputs each neuron's heatmap of a^l_j over the plane, as
TensorFlow Playground draws it; made without ``dot``."""

from __future__ import annotations

import base64
import io
import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import matplotlib.image
import numpy as np
import pytest

from nn import MLP, make_dataset
from tests import svg_helpers as svg
from viz import (
    GraphTooLargeError,
    Picture,
    draw_network,
    draw_network_arrays,
    render_network,
)
from viz.palette import BLUE, GREY, ORANGE, diverging, link_width, to_hex
from viz.plane import plane_of

XLINK = "{http://www.w3.org/1999/xlink}href"


def small_net() -> MLP:
    W = [np.array([[5.0, -5.0], [0.0, 0.5]]), np.array([[-1.0, 20.0]])]
    B = [np.array([1.0, -1.0]), np.array([0.0])]
    return MLP.from_arrays(W, B)


def parse(net: MLP, **kwargs: Any) -> ET.Element:
    return svg.parse(draw_network(net, **kwargs).svg.encode())


def by_id(root: ET.Element, kind: str) -> dict[str, ET.Element]:
    return {g.get("id", ""): g for g in svg.groups(root, kind)}


def test_diagram_has_a_square_per_neuron_and_a_curve_per_weight() -> None:
    root = parse(small_net())
    assert set(by_id(root, "node")) == {"l1n1", "l1n2", "l2n1", "l2n2", "l3n1"}
    assert sorted(by_id(root, "edge")) == [
        "w2_1_1", "w2_1_2", "w2_2_1", "w2_2_2", "w3_1_1", "w3_1_2",
    ]
    assert sorted(by_id(root, "bias")) == ["b2_1", "b2_2", "b3_1"]  # not the inputs


def link_styles(root: ET.Element) -> dict[str, tuple[str, float]]:
    """'w2_1_1' -> (stroke colour, stroke width) of each link."""
    out = {}
    for name, g in by_id(root, "edge").items():
        path = next(g.iter(f"{svg.SVG}path"))
        out[name] = (path.get("stroke", ""), float(path.get("stroke-width", "1")))
    return out


def test_links_are_coloured_by_sign_and_sized_by_magnitude() -> None:
    styles = link_styles(parse(small_net()))
    assert styles["w2_1_1"] == (to_hex(BLUE), 10.0)  # w = 5
    assert styles["w2_1_2"] == (to_hex(ORANGE), 10.0)  # w = -5
    assert styles["w2_2_1"] == (to_hex(GREY), 1.0)  # w = 0
    assert styles["w2_2_2"] == (to_hex(diverging(0.5)), link_width(0.5))
    assert styles["w3_1_2"] == (to_hex(BLUE), 10.0)  # w = 20: clamped
    assert styles["w3_1_1"][0] == to_hex(ORANGE)  # w = -1


def test_bias_squares_are_filled_by_the_bias() -> None:
    fills = {name: next(g.iter(f"{svg.SVG}rect")).get("fill")
             for name, g in by_id(parse(small_net()), "bias").items()}
    assert fills == {"b2_1": to_hex(BLUE), "b2_2": to_hex(ORANGE),
                     "b3_1": to_hex(GREY)}


#: The seed's indices as Unicode scripts, for the few used here (written out by hand).
_SUP = {1: "¹", 2: "²", 3: "³"}
_SUB = {1: "₁", 2: "₂", 3: "₃"}


def test_every_title_carries_the_value_of_the_net() -> None:
    net = MLP([2, 3, 2], seed=4)
    root = parse(net)
    W, B = net.weights(), net.biases()
    for name, g in by_id(root, "edge").items():
        l, j, k = (int(i) for i in name[1:].split("_"))  # noqa: E741
        label, value = svg.title(g).split(" = ")
        assert label == f"w{_SUP[l]}{_SUB[j]}{_SUB[k]}"
        assert float(value) == pytest.approx(W[l - 2][j - 1, k - 1], rel=1e-5)
    for name, g in by_id(root, "bias").items():
        l, j = (int(i) for i in name[1:].split("_"))  # noqa: E741
        label, value = svg.title(g).split(" = ")
        assert label == f"b{_SUP[l]}{_SUB[j]}"
        assert float(value) == pytest.approx(B[l - 2][j - 1], rel=1e-5)
    hidden = svg.title(by_id(root, "node")["l2n3"])
    assert hidden.startswith("a²₃ (hidden, sigmoid): b²₃ = ")


def test_neurons_show_the_seeds_notation() -> None:
    nodes = by_id(parse(small_net()), "node")
    text = next(nodes["l2n1"].iter(f"{svg.SVG}text"))
    assert text.text == "a²₁"  # Unicode scripts: raised and lowered in every renderer
    assert not list(text)


def test_layers_are_in_order_and_neurons_in_index_order() -> None:
    nodes = by_id(parse(MLP([3, 4, 2], seed=0)), "node")
    where = {}
    for name, g in nodes.items():
        rect = next(g.iter(f"{svg.SVG}rect"))
        where[name] = (float(rect.get("x", 0)), float(rect.get("y", 0)))
    for layer, n in ((1, 3), (2, 4), (3, 2)):
        ys = [where[f"l{layer}n{j}"][1] for j in range(1, n + 1)]
        assert ys == sorted(ys)  # top to bottom
        assert len({where[f"l{layer}n{j}"][0] for j in range(1, n + 1)}) == 1
    assert where["l1n1"][0] < where["l2n1"][0] < where["l3n1"][0]


def decode(image: ET.Element) -> np.ndarray:
    href = image.get(XLINK) or ""
    assert href.startswith("data:image/png;base64,")
    png = base64.b64decode(href.split(",", 1)[1])
    rgb = matplotlib.image.imread(io.BytesIO(png), format="png")[..., :3]
    return np.asarray(np.round(rgb * 255), dtype=int)


@pytest.mark.parametrize(("activation", "scale"), [("sigmoid", lambda a: 2 * a - 1),
                                                   ("tanh", lambda a: a)])
def test_each_neurons_heatmap_is_its_activation_on_the_boundarys_scale(
    activation: str, scale: Any
) -> None:
    """Probed pixels of every neuron's heatmap against diverging(t) of a^l_j from
    the engine's forward pass (``net.trace`` on Values) at that grid point."""
    ds = make_dataset("xor", n=50, seed=0)
    net = MLP([2, 3, 1], activation=activation, seed=5)
    resolution = 12
    nodes = by_id(parse(net, x=ds.x, resolution=resolution), "node")
    plane = plane_of(ds.x, resolution)
    gx, gy = plane.axes()
    reach = np.maximum(np.abs(plane.lo), np.abs(plane.hi))
    for row, col in [(0, 0), (11, 11), (3, 8), (9, 2)]:
        point = [float(gx[col]), float(gy[resolution - 1 - row])]  # row 0: the top
        acts = net.trace(point).activations
        for l, layer in enumerate(acts, start=1):  # noqa: E741
            for j, a in enumerate(layer, start=1):
                t = a.data / reach[j - 1] if l == 1 else scale(a.data)
                (image,) = nodes[f"l{l}n{j}"].iter(f"{svg.SVG}image")
                pixel = decode(image)[row, col]
                assert np.abs(pixel - np.array(diverging(t))).max() <= 2, (l, j)


def test_heatmaps_cover_playgrounds_plane_without_points_and_need_2_inputs() -> None:
    root = parse(MLP([2, 2, 1], seed=0))
    assert len(list(root.iter(f"{svg.SVG}image"))) == 5
    texts = " ".join("".join(t.itertext()) for t in root.iter(f"{svg.SVG}text"))
    assert "x₁ from -6 to 6, x₂ from -6 to 6" in texts
    assert list(parse(MLP([3, 2, 1], seed=0)).iter(f"{svg.SVG}image")) == []
    with pytest.raises(ValueError, match="2 inputs"):
        draw_network(MLP([3, 2, 1], seed=0), x=np.zeros((4, 3)))


def test_the_legend_explains_colours_and_widths() -> None:
    root = parse(small_net())
    stops = [s.get("stop-color") for s in root.iter(f"{svg.SVG}stop")]
    assert stops == [to_hex(ORANGE), to_hex(GREY), to_hex(BLUE)]
    texts = " ".join("".join(t.itertext()) for t in root.iter(f"{svg.SVG}text"))
    for part in ("orange < 0 < blue", "link width", "|w| = 0", "5+"):
        assert part in texts


def test_the_same_net_gives_the_same_bytes_and_save_writes_them(
    tmp_path: Path,
) -> None:
    a = draw_network(MLP([2, 5, 1], seed=3))
    b = draw_network(MLP([2, 5, 1], seed=3))
    assert isinstance(a, Picture)
    assert a.svg == b.svg
    path = render_network(MLP([2, 5, 1], seed=3), tmp_path / "n.svg")
    assert path.read_bytes() == a._repr_svg_().encode("utf-8")


def test_the_diagram_needs_no_dot(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no dot on PATH

    def no_process(*args: object, **kwargs: object) -> None:
        raise AssertionError("the network diagram started a process")

    monkeypatch.setattr(subprocess, "Popen", no_process)
    svg.parse(draw_network(small_net()).save(tmp_path / "n.svg"))


def test_too_many_links_are_refused_before_anything_is_written(
    tmp_path: Path,
) -> None:
    with pytest.raises(GraphTooLargeError) as err:
        render_network(small_net(), tmp_path / "n.svg", max_links=5)
    message = str(err.value)
    for part in ("has 6 links", "more than max_links=5", "raise max_links"):
        assert part in message
    assert "nodes" not in message
    assert "dot" not in message
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


def test_no_title_is_left_empty() -> None:
    root = parse(MLP([2, 2, 1], seed=0))
    titles = [t.text for t in root.iter(f"{svg.SVG}title")]
    assert titles
    assert all(t and re.search(r"\S", t) for t in titles)
