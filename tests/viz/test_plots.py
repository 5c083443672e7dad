"""The training curves: SVG that parses, the same bytes for the same input, the test
cost drawn next to the training cost, and a Picture that Jupyter shows inline."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from nn import MLP, History, fit, make_dataset
from tests import svg_helpers as svg
from viz import Picture, plot_history, plot_loss
from viz.palette import BLUE, ORANGE, to_hex

TRAIN, TEST = to_hex(BLUE), to_hex(ORANGE)


def line_count(root: ET.Element, colour: str = "") -> int:
    """The number of data curves (1.8 wide, as plots.py draws them, and clipped to
    the axes, unlike the legend's samples) of ``colour``."""
    return sum(
        1 for p in root.iter(f"{svg.SVG}path")
        if "stroke-width: 1.8" in p.get("style", "") and p.get("clip-path")
        and f"stroke: {colour}" in p.get("style", "")
    )


def test_loss_curve_is_valid_svg_and_the_same_bytes_twice(tmp_path: Path) -> None:
    loss = [0.5 / (1 + i) for i in range(30)]
    acc = [min(1.0, 0.5 + i / 40) for i in range(30)]
    a = plot_loss(loss, accuracy=acc, test_accuracy=acc[::-1], test_loss=loss[::-1])
    b = plot_loss(loss, accuracy=acc, test_accuracy=acc[::-1], test_loss=loss[::-1])
    assert isinstance(a, Picture)
    root = svg.parse(a.svg.encode())
    assert root.tag == f"{svg.SVG}svg"
    assert a.svg == b.svg
    assert "<dc:date>" not in a.svg


def test_save_writes_the_bytes_jupyter_shows_and_path_still_writes_the_file(
    tmp_path: Path,
) -> None:
    picture = plot_loss([1.0, 0.5], tmp_path / "given.svg", test_loss=[1.2, 0.7])
    saved = picture.save(tmp_path / "saved.svg")
    assert saved == tmp_path / "saved.svg"
    assert saved.read_bytes() == picture._repr_svg_().encode("utf-8")
    assert (tmp_path / "given.svg").read_bytes() == saved.read_bytes()
    bundle = picture._repr_mimebundle_()
    assert bundle["image/svg+xml"] == picture.svg
    assert "cost and accuracy curves" in bundle["text/plain"]


def test_loss_alone_gives_one_panel_and_accuracy_a_second() -> None:
    one = svg.parse(plot_loss([1.0, 0.5, 0.25]).svg.encode())
    two = svg.parse(plot_loss([1.0, 0.5], accuracy=[0.5, 0.9]).svg.encode())

    def axes(root: ET.Element) -> int:
        return sum(1 for g in root.iter(f"{svg.SVG}g")
                   if re.fullmatch(r"axes_\d+", g.get("id", "")))

    assert axes(one) == 1
    assert axes(two) == 2


def test_the_test_cost_is_a_second_line_on_the_cost_panel() -> None:
    alone = svg.parse(plot_loss([1.0, 0.5, 0.25]).svg.encode())
    with_test = svg.parse(plot_loss([1.0, 0.5, 0.25], test_loss=[1.1, 0.6, 0.4])
                          .svg.encode())
    assert line_count(alone) == 1
    assert line_count(with_test) == 2
    assert line_count(with_test, TRAIN) == 1
    assert line_count(with_test, TEST) == 1  # dashed, in Playground's orange


@pytest.mark.parametrize("engine", ["autograd", "numpy"])
def test_plot_history_draws_fits_train_and_test_cost(engine: str) -> None:
    ds = make_dataset("gauss", n=40, seed=0)
    net = MLP([2, 3, 1], seed=0)
    history = fit(net, ds, epochs=3, lr=1.0, batch_size=8, test=ds, progress=False,
                  engine=engine)
    assert isinstance(history, History)
    root = svg.parse(plot_history(history).svg.encode())
    assert line_count(root, TRAIN) == 2  # train cost, train accuracy
    assert line_count(root, TEST) == 2  # test cost, test accuracy
    assert len(history.test_loss) == len(history.loss) == 3


def test_an_empty_loss_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="empty"):
        plot_loss([], tmp_path / "x.svg")
    assert list(tmp_path.iterdir()) == []
