"""The decision boundary: Playground's shading as one small embedded PNG, the training
points filled and the test points ringed with a legend, under 25 KB for the demo's
data, and the same bytes for the same input."""

from __future__ import annotations

import base64
import functools
import io
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import matplotlib.image
import numpy as np
import pytest

from nn import MLP, Dataset, fit, make_dataset, outputs
from nn.data import train_test_split
from tests import svg_helpers as svg
from viz import Picture, plot_decision_boundary
from viz.boundary import boundary_image
from viz.palette import BLUE, GREY, ORANGE, diverging
from viz.plane import plane_of

XLINK = "{http://www.w3.org/1999/xlink}href"


def images(root: ET.Element) -> list[ET.Element]:
    return list(root.iter(f"{svg.SVG}image"))


def decode_png(image: ET.Element) -> np.ndarray:
    """The pixels of an embedded PNG, RGB 0..255, row 0 the top."""
    href = image.get(XLINK) or ""
    assert href.startswith("data:image/png;base64,")
    png = base64.b64decode(href.split(",", 1)[1])
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    rgb = matplotlib.image.imread(io.BytesIO(png), format="png")[..., :3]
    return np.asarray(np.round(rgb * 255), dtype=int)


@functools.cache
def demo_net() -> tuple[MLP, Dataset, Dataset]:
    """The demo's data, split and net, trained as the demo trains it (the numpy
    engine: the same weights up to rounding, in a fraction of the time); trained
    once for the tests that read it, none of which changes it."""
    ds = make_dataset("circle", n=400, noise=0.1, seed=0)
    train, test = train_test_split(ds, 0.8, seed=0)
    net = MLP([2, 4, 1], seed=0)
    fit(net, train, epochs=150, lr=1.0, batch_size=10, engine="numpy", seed=0,
        progress=False)
    return net, train, test


@pytest.mark.parametrize(
    ("output", "colour"), [(0.0, ORANGE), (0.5, GREY), (1.0, BLUE)]
)
def test_one_output_is_shaded_orange_grey_blue_as_in_playground(
    output: float, colour: tuple[int, int, int]
) -> None:
    image = boundary_image(np.full((2, 3, 1), output))
    assert image.shape == (2, 3, 3)
    assert (image == np.array(colour, dtype=np.uint8)).all()


def test_several_outputs_take_the_colour_of_the_largest() -> None:
    scores = np.zeros((1, 2, 3))
    scores[0, 0] = [0.9, 0.1, 0.0]  # class 0: orange
    scores[0, 1] = [0.0, 0.1, 0.95]  # class 2: green
    image = boundary_image(scores).astype(int)
    assert image[0, 0, 0] > image[0, 0, 2]  # orange: more red than blue
    assert image[0, 1, 1] > image[0, 1, 0]  # green: more green than red


def test_decision_boundary_embeds_one_small_image_from_one_vectorized_call(
    tmp_path: Path,
) -> None:
    ds = make_dataset("circle", n=60, seed=0)
    net = MLP([2, 4, 1], seed=0)
    calls: list[int] = []

    def scores(points: np.ndarray) -> np.ndarray:
        calls.append(len(points))
        return outputs(net, points)

    picture = plot_decision_boundary(scores, ds.x, ds.labels, tmp_path / "b.svg")
    assert isinstance(picture, Picture)
    root = svg.parse(picture.svg.encode())
    assert calls == [100 * 100]
    (image,) = images(root)
    assert decode_png(image).shape == (100, 100, 3)
    assert len(image.get(XLINK) or "") < 20_000  # one image, not a rect per cell
    again = plot_decision_boundary(scores, ds.x, ds.labels)
    assert again.svg == picture.svg
    assert (tmp_path / "b.svg").read_bytes() == picture.svg.encode("utf-8")


def test_the_shading_is_the_palettes_scale_of_the_nets_output_at_each_point() -> None:
    """Probed pixels against diverging(2a - 1), a from the engine's own forward pass
    (net(x) on Values), not from the vectorized code that drew the picture."""
    ds = make_dataset("gauss", n=40, seed=1)
    net = MLP([2, 3, 1], seed=2)
    picture = plot_decision_boundary(lambda p: outputs(net, p), ds.x, ds.labels,
                                     resolution=20)
    (image,) = images(svg.parse(picture.svg.encode()))
    pixels = decode_png(image)
    plane = plane_of(ds.x, 20)
    gx, gy = plane.axes()
    for row, col in [(0, 0), (19, 19), (5, 13), (12, 3)]:
        x = [float(gx[col]), float(gy[19 - row])]  # row 0 is the top of the plane
        a = net(x)[0].data
        expected = np.array(diverging(2 * a - 1))
        assert np.abs(pixels[row, col] - expected).max() <= 2  # 1/100 steps


def test_training_points_are_filled_and_test_points_ringed_with_a_legend() -> None:
    net, train, test = demo_net()
    picture = plot_decision_boundary(
        lambda p: outputs(net, p), train.x, train.labels,
        test_x=test.x, test_labels=test.labels,
    )
    root = svg.parse(picture.svg.encode())
    paths = {p.get("id"): p.get("d", "") for p in root.iter(f"{svg.SVG}path")
             if p.get("id")}
    for c in (0, 1):
        # a filled point is a round-capped line of length 0, a ring two arcs
        n_train = int(np.sum(train.labels == c))
        n_test = int(np.sum(test.labels == c))
        assert paths[f"train-{c}"].count("h0") == n_train
        arcs = re.findall(r"a[\d.]+ [\d.]+ 0 1 0", paths[f"test-{c}"])
        assert len(arcs) == 2 * n_test
    texts = [t.text for t in root.iter(f"{svg.SVG}text")]
    for entry in ("class 0, train", "class 0, test", "class 1, train",
                  "class 1, test"):
        assert entry in texts


def test_the_demos_boundary_with_train_and_test_points_is_under_25_kb() -> None:
    net, train, test = demo_net()
    picture = plot_decision_boundary(
        lambda p: outputs(net, p), train.x, train.labels,
        test_x=test.x, test_labels=test.labels,
        title="circle: test accuracy 97.5 %",
    )
    assert len(picture.svg.encode("utf-8")) < 25_000


def test_decision_boundary_needs_two_inputs(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="2-D inputs"):
        plot_decision_boundary(lambda p: p[:, :1], np.zeros((5, 3)), np.zeros(5, int),
                               tmp_path / "b.svg")
    with pytest.raises(ValueError, match="labels"):
        plot_decision_boundary(lambda p: p[:, :1], np.zeros((5, 2)), np.zeros(4, int),
                               tmp_path / "b.svg")
    with pytest.raises(ValueError, match="test_x and test_labels together"):
        plot_decision_boundary(lambda p: p[:, :1], np.zeros((5, 2)), np.zeros(5, int),
                               test_x=np.zeros((2, 2)))
    assert list(tmp_path.iterdir()) == []
