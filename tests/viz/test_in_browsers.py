"""The pictures as headless Chromium and Firefox render them, measured from the page
(tests/browsers.py), not from the SVG source: the index glyphs of w²₁₁, a¹₂, δ²₁
sit above and below their letter (Firefox ignores the ``baseline-shift`` that dot
writes for ``<SUP>``/``<SUB>``), no text overlaps another, and the demo's graph of
one sample of MLP [2, 4, 1] fits a 1,300 px width with labels of at least 12 px.

Each browser starts once per pytest process (the fixture ``browser``, kept open by
the session fixture ``browsers``), and under pytest-xdist every browser test runs in
one worker (``tests/conftest.py``'s scheduler): one start of each per run.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import subprocess
from pathlib import Path

import pytest

from tests import svg_helpers as svg
from tests.browsers import Browser, LabelInk, measure, script_ink
from viz.cli import main
from viz.cli.demo import DemoSettings, run_demo
from viz.labels import FONT
from viz.svg import FONT as SVG_FONT

pytestmark = pytest.mark.slow

#: The widest the demo's graph may be at its natural size, and its smallest text.
MAX_DEMO_WIDTH_PX = 1300.0
MIN_LABEL_PX = 12.0


def _deltagrad(*argv: str) -> None:
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(list(argv)) == 0


@pytest.fixture(scope="module")
def pictures(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The demo's graph and network diagram (a short run), an expression's graph,
    and the graph of a net with two-digit indices (w²₁₁,₁, w³₁,₁₁)."""
    folder = tmp_path_factory.mktemp("pictures")
    demo = folder / "demo"
    run_demo(
        DemoSettings(out=demo, samples=40, epochs=2, progress=False),
        echo=lambda _: None,
    )
    _deltagrad(
        "graph", "tanh(x * y + 1) ** 2", "--at", "x=1.5,y=-2", "-o",
        str(folder / "expression.svg"),
    )
    _deltagrad("graph", "--mlp", "2,11,1", "-o", str(folder / "wide.svg"))
    return {
        "demo graph": demo / "graph.svg",
        "demo network": demo / "network.svg",
        "expression graph": folder / "expression.svg",
        "graph with two-digit indices": folder / "wide.svg",
    }


NOTATION_PICTURES = ["demo graph", "demo network", "graph with two-digit indices"]
ALL_PICTURES = [*NOTATION_PICTURES, "expression graph"]


def _misplaced(ink: LabelInk) -> list[str]:
    """What is wrong with where a label's indices were drawn.

    A superscript sits clear above the baseline (its ink ends more than a fifth
    of the font size above it) and is centred above its letter; a subscript
    reaches below the baseline and is centred below its letter. Digits flattened
    onto the line (w211) fail both: their ink ends on the baseline."""
    if ink.letter is None:
        return ["its letter drew no ink"]
    wrong = []
    sup, sub, letter = ink.superscript, ink.subscript, ink.letter
    if sup is None and sub is None:
        wrong.append("its indices drew no ink")
    if sup is not None and not (
        sup.bottom < ink.baseline - 0.2 * ink.font_px and sup.centre < letter.centre
    ):
        wrong.append(
            f"superscript ink {sup} is not above the baseline {ink.baseline:.1f} "
            f"and its letter {letter}"
        )
    if sub is not None and not (
        sub.bottom > ink.baseline + 0.5 and sub.centre > letter.centre
    ):
        wrong.append(
            f"subscript ink {sub} is not below the baseline {ink.baseline:.1f} "
            f"and its letter {letter}"
        )
    return wrong


@pytest.mark.parametrize("picture", NOTATION_PICTURES)
def test_index_glyphs_sit_above_and_below_their_letter(
    browser: Browser, pictures: dict[str, Path], picture: str
) -> None:
    """Each label's superscript is drawn above the baseline, its subscript below:
    w²₁₁ does not read as w211 in any of the browsers."""
    labels = script_ink(browser, pictures[picture])
    assert len(labels) >= 3, f"{browser.name}: no labels with indices found"
    wrong = [f"{ink.text!r}: {why}" for ink in labels for why in _misplaced(ink)]
    assert not wrong, f"{browser.name}, {picture}:\n" + "\n".join(wrong)


@pytest.mark.parametrize("picture", ALL_PICTURES)
def test_no_text_overlaps_another(
    browser: Browser, pictures: dict[str, Path], picture: str
) -> None:
    page = measure(browser, pictures[picture])
    assert page.texts, f"{browser.name}: {picture} shows no text"
    clashes = [
        f"{a.text!r} and {b.text!r} share {a.overlap(b):.1f} px²"
        for a, b in page.overlapping()
    ]
    assert not clashes, f"{browser.name}, {picture}:\n" + "\n".join(clashes)


def test_the_demo_graph_fits_a_column_with_readable_labels(
    browser: Browser, pictures: dict[str, Path]
) -> None:
    """At its natural size: at most 1,300 px wide, every text at least 12 px."""
    page = measure(browser, pictures["demo graph"])
    smallest = min(t.font_px for t in page.texts if t.text.strip())
    print(
        f"{browser.name}: demo graph {page.width:.0f} x {page.height:.0f} px, "
        f"smallest text {smallest:.1f} px"
    )
    assert page.width <= MAX_DEMO_WIDTH_PX
    assert smallest >= MIN_LABEL_PX


def test_the_demo_graph_shows_its_layers_strictly_left_to_right(
    browser: Browser, pictures: dict[str, Path]
) -> None:
    """The rendered boxes of layer 1, layer 2, layer 3 and the cost follow each
    other from left to right without sharing a column."""
    page = measure(browser, pictures["demo graph"])
    boxes = [page.clusters[f"cluster_l{layer}"] for layer in (1, 2, 3)]
    boxes.append(page.clusters["cluster_cost"])
    for before, after in itertools.pairwise(boxes):
        assert before[2] < after[0], f"{browser.name}: {before} then {after}"


def test_the_font_the_pictures_name_first_has_every_glyph_they_use(
    pictures: dict[str, Path],
) -> None:
    """The first family each text names (viz.labels.FONT in dot's pictures, which
    dot measures with and the browsers draw with; viz.svg.FONT in the network
    diagram) is installed and covers every character of the texts set in it (a
    missing glyph would come from another font, of other widths)."""
    used: dict[str, set[str]] = {}
    for path in pictures.values():
        for family, text in svg.texts_by_font(svg.parse(path)):
            used.setdefault(family, set()).update(ch for ch in text if not ch.isspace())
    assert set(used) == {FONT.split(",")[0], SVG_FONT.split(",")[0]}
    for family, chars in used.items():
        charset = " ".join(f"{ord(ch):x}" for ch in sorted(chars))
        found = subprocess.run(
            ["fc-list", f"{family}:charset={charset}", "family"],
            capture_output=True, text=True, check=True,
        ).stdout
        assert family in found, f"{family} lacks some of {''.join(sorted(chars))}"
