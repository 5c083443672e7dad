"""Training pictures: SVG that parses, the same bytes for the same input, the loss and
accuracy curves, and Playground's decision-boundary heatmap as one small image."""

from __future__ import annotations

import base64
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest

from nn import MLP, History, fit, make_dataset, outputs
from tests import svg_helpers as svg
from viz import plot_decision_boundary, plot_history, plot_loss
from viz.palette import BLUE, GREY, ORANGE
from viz.plots import boundary_image


def images(root: ET.Element) -> list[ET.Element]:
    return list(root.iter(f"{svg.SVG}image"))


def test_loss_curve_is_valid_svg_and_the_same_bytes_twice(tmp_path: Path) -> None:
    loss = [0.5 / (1 + i) for i in range(30)]
    acc = [min(1.0, 0.5 + i / 40) for i in range(30)]
    a = plot_loss(loss, tmp_path / "a.svg", accuracy=acc, test_accuracy=acc[::-1])
    b = plot_loss(loss, tmp_path / "b.svg", accuracy=acc, test_accuracy=acc[::-1])
    root = svg.parse(a)
    assert root.tag == f"{svg.SVG}svg"
    assert a.read_bytes() == b.read_bytes()
    assert b"<dc:date>" not in a.read_bytes()


def test_loss_alone_gives_one_panel_and_accuracy_a_second(tmp_path: Path) -> None:
    one = svg.parse(plot_loss([1.0, 0.5, 0.25], tmp_path / "one.svg"))
    two = svg.parse(plot_loss([1.0, 0.5], tmp_path / "two.svg", accuracy=[0.5, 0.9]))

    def axes(root: ET.Element) -> int:
        return sum(1 for g in root.iter(f"{svg.SVG}g")
                   if re.fullmatch(r"axes_\d+", g.get("id", "")))

    assert axes(one) == 1
    assert axes(two) == 2


def test_plot_history_reads_fits_history(tmp_path: Path) -> None:
    ds = make_dataset("gauss", n=40, seed=0)
    net = MLP([2, 3, 1], seed=0)
    history = fit(net, ds, epochs=3, lr=1.0, batch_size=8, test=ds, progress=False)
    assert isinstance(history, History)
    svg.parse(plot_history(history, tmp_path / "h.svg"))


def test_an_empty_loss_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="empty"):
        plot_loss([], tmp_path / "x.svg")
    assert list(tmp_path.iterdir()) == []


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

    path = plot_decision_boundary(scores, ds.x, ds.labels, tmp_path / "b.svg")
    root = svg.parse(path)
    assert calls == [100 * 100]
    (image,) = images(root)
    href = image.get("{http://www.w3.org/1999/xlink}href") or image.get("href") or ""
    assert href.startswith("data:image/png;base64,")
    png = base64.b64decode(href.split(",", 1)[1])
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(png) < 20_000  # one image, not a rectangle per cell
    again = plot_decision_boundary(scores, ds.x, ds.labels, tmp_path / "c.svg")
    assert again.read_bytes() == path.read_bytes()


def test_decision_boundary_needs_two_inputs(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="2-D inputs"):
        plot_decision_boundary(lambda p: p[:, :1], np.zeros((5, 3)), np.zeros(5, int),
                               tmp_path / "b.svg")
    with pytest.raises(ValueError, match="labels"):
        plot_decision_boundary(lambda p: p[:, :1], np.zeros((5, 2)), np.zeros(4, int),
                               tmp_path / "b.svg")
    assert list(tmp_path.iterdir()) == []
