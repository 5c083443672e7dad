"""``deltagrad graph -o FILE.html``: the extension picks the step-through page; a
graph too big for a page is refused with status 1 and a message naming the fix."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from tests.cli.helpers import Run
from viz.page import PAGE_MAX_NODES


def _graph_json(path: Path) -> dict[str, Any]:
    m = re.search(
        r'id="deltagrad-graph">(.*?)</script>', path.read_text("utf-8"), re.S
    )
    assert m is not None
    data: dict[str, Any] = json.loads(m.group(1))
    return data


def test_an_html_output_writes_the_page_of_the_expression(
    deltagrad: Run, cwd: Path
) -> None:
    result = deltagrad("graph", "x * x + x", "--at", "x=3", "-o", "page.html")
    assert result.status == 0, result.err
    data = _graph_json(cwd / "page.html")
    assert [n["label"] for n in data["nodes"]] == ["x", "", ""]
    assert "wrote page.html (5 nodes): open it in a browser" in result.out
    assert "d/dx = 7" in result.out


def test_an_html_output_of_a_net_has_the_four_formulas(
    deltagrad: Run, cwd: Path
) -> None:
    result = deltagrad("graph", "--mlp", "2,3,1", "-o", "net.HTML")
    assert result.status == 0, result.err
    page = (cwd / "net.HTML").read_text("utf-8")
    assert 'id="dg-formulas"' in page
    assert "<svg" in page


def test_no_grad_with_a_page_is_a_usage_error(deltagrad: Run, cwd: Path) -> None:
    result = deltagrad("graph", "x", "--at", "x=1", "--no-grad", "-o", "p.html")
    assert result.status == 2
    assert "--no-grad" in result.err
    assert not (cwd / "p.html").exists()


def test_another_extension_is_a_usage_error(deltagrad: Run, cwd: Path) -> None:
    result = deltagrad("graph", "x", "--at", "x=1", "-o", "page.png")
    assert result.status == 2
    assert "must end in .svg (the picture) or .html" in result.err
    assert not (cwd / "page.png").exists()


def test_a_graph_too_big_for_a_page_exits_1_and_suggests_a_smaller_one(
    deltagrad: Run, cwd: Path
) -> None:
    result = deltagrad("graph", "--mlp", "2,40,40,1", "-o", "big.html")
    assert result.status == 1
    assert f"more than the {PAGE_MAX_NODES:,} a page" in result.err
    assert "smaller batch" in result.err
    assert "Traceback" not in result.err
    assert not (cwd / "big.html").exists()
    assert deltagrad("graph", "--mlp", "2,40,40,1", "-o", "big.svg").status == 0
