"""What a notebook shows for nn's objects: a Dataset and a Comparison in one short
line (never every row), the comparison as an HTML table, an MLP as its diagram."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import numpy as np

from nn import MLP, compare, make_dataset, to_targets


def test_a_datasets_repr_is_one_line_whatever_its_size() -> None:
    ds = make_dataset("circle", n=2000, seed=0)
    text = repr(ds)
    assert text == "Dataset('circle', 2000 samples, 2 inputs, 2 classes)"
    assert str(ds) == text


class _Cells(HTMLParser):
    """The text of every <th>/<td>, row by row."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.tags: list[str] = []
        self._in = False

    def handle_starttag(self, tag: str, attrs: object) -> None:
        self.tags.append(tag)
        if tag == "tr":
            self.rows.append([])
        self._in = tag in ("td", "th")
        if self._in:
            self.rows[-1].append("")

    def handle_endtag(self, tag: str) -> None:
        self._in = False

    def handle_data(self, data: str) -> None:
        if self._in:
            self.rows[-1][-1] += data


def test_a_comparison_shows_as_an_html_table_of_its_numbers() -> None:
    net = MLP([2, 3, 1], seed=0)
    x = np.array([[0.5, -1.0], [1.0, 2.0]])
    report = compare(net, x, to_targets(np.array([1, 0]), 1))
    cells = _Cells()
    cells.feed(report._repr_html_())
    assert cells.tags[0] == "table"
    head, *body = cells.rows
    assert head[:3] == ["layer", "formula", "quantity"]
    assert len(body) == len(report.rows)
    for row, cells_of_row in zip(report.rows, body, strict=True):
        assert int(cells_of_row[0]) == row.layer
        assert cells_of_row[1] == row.formula
        assert float(cells_of_row[3]) == float(f"{row.max_abs_diff:.3e}")
        assert float(cells_of_row[5]) == float(f"{row.autograd_vs_cd:.3e}")
    text = repr(report)
    assert "\n" not in text
    assert len(text) < 120
    assert f"{len(report.rows)} rows" in text


def test_an_mlp_shows_in_jupyter_as_its_network_diagram() -> None:
    net = MLP([2, 3, 1], seed=0)
    bundle = net._repr_mimebundle_()
    root = ET.fromstring(bundle["image/svg+xml"])
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert bundle["text/plain"] == repr(net)
    links = [g for g in root.iter("{http://www.w3.org/2000/svg}g")
             if g.get("class") == "edge"]
    assert len(links) == 2 * 3 + 3 * 1
