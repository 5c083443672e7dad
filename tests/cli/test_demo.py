"""``deltagrad demo`` end to end, with small settings: it prints the comparison table
and the accuracy, and writes its four SVG pictures where it says; and
``run_demo(DemoSettings(...))``, the same from Python."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests import svg_helpers as svg
from tests.cli.helpers import Run
from viz.cli.demo import PICTURES, DemoSettings, run_demo

SMALL = ["--samples", "60", "--epochs", "4", "--batch", "10"]


def test_demo_runs_end_to_end_and_writes_all_its_pictures(
    deltagrad: Run, cwd: Path
) -> None:
    result = deltagrad("demo", "--out", "pics", *SMALL)
    assert result.status == 0, result.err
    out = result.out
    for part in ("BP1", "BP2", "BP3", "BP4", "all within tolerance", "final cost",
                 "train accuracy", "test accuracy", "done in"):
        assert part in out
    folder = cwd / "pics"
    assert sorted(p.name for p in folder.iterdir()) == sorted(PICTURES)
    for name in PICTURES:
        assert f"pics/{name}" in out  # the paths are printed
        svg.parse(folder / name)  # and every file is well-formed SVG
    stated = re.search(r"one sample's cost C \((\d+) nodes\)", out)
    assert stated is not None
    graph = svg.parse(folder / "graph.svg")
    assert len(svg.groups(graph, "node")) == int(stated.group(1))
    assert "C" in [t for ts in svg.node_texts(graph).values() for t in ts]


def test_demo_writes_to_deltagrad_demo_by_default(deltagrad: Run, cwd: Path) -> None:
    result = deltagrad("demo", *SMALL, "--sizes", "2,3,1")
    assert result.status == 0, result.err
    assert sorted(p.name for p in (cwd / "deltagrad-demo").iterdir()) == sorted(
        PICTURES
    )


def test_demo_into_a_file_says_it_is_not_a_folder(deltagrad: Run, cwd: Path) -> None:
    (cwd / "afile").write_text("")
    result = deltagrad("demo", "--out", "afile")
    assert result.status == 1
    assert "afile: is not a folder" in result.err
    assert "training" not in result.out


def test_run_demo_reports_through_echo_and_returns_what_it_wrote(
    tmp_path: Path,
) -> None:
    lines: list[str] = []
    settings = DemoSettings(out=tmp_path / "d", samples=40, epochs=2, progress=False)
    result = run_demo(settings, echo=lines.append)
    assert result.comparison_ok
    assert list(result.files) == ["graph", "network", "loss", "boundary"]
    assert [p.name for p in result.files.values()] == list(PICTURES)
    assert all(path.is_file() for path in result.files.values())
    assert 0.0 <= result.test_accuracy <= 1.0
    assert lines[0].startswith("deltagrad demo: a sigmoid MLP [2, 4, 1]")
    assert lines[-1].startswith("\ndone in")


@pytest.mark.usefixtures("no_dot")
def test_demo_without_dot_says_so_first_draws_the_rest_and_exits_1(
    deltagrad: Run, cwd: Path
) -> None:
    result = deltagrad("demo", "--out", "pics", *SMALL)
    assert result.status == 1
    out = result.out
    note = out.index("'dot' program is not installed")
    assert note < out.index("2. training")  # said before the training starts
    assert "skips the computation graph graph.svg" in out[:note + 200]
    folder = cwd / "pics"
    drawn = sorted(p.name for p in folder.iterdir())
    assert drawn == ["boundary.svg", "loss.svg", "network.svg"]
    for name in drawn:
        assert f"pics/{name}" in out
        svg.parse(folder / name)
    assert "skipped graph.svg" in out
    assert "sudo apt-get install graphviz" in out
    assert "skipped graph.svg" in result.err  # the error line, exit status 1
    assert "Traceback" not in result.err


@pytest.mark.usefixtures("no_dot")
def test_run_demo_without_dot_lists_what_it_skipped(tmp_path: Path) -> None:
    lines: list[str] = []
    settings = DemoSettings(out=tmp_path / "d", samples=40, epochs=2, progress=False)
    result = run_demo(settings, echo=lines.append)
    assert result.skipped == ["graph.svg"]
    assert list(result.files) == ["network", "loss", "boundary"]


@pytest.mark.usefixtures("no_dot")
def test_train_draws_its_pictures_without_dot(deltagrad: Run, cwd: Path) -> None:
    result = deltagrad("train", "--data", "xor", "--epochs", "2", "--samples", "40",
                       "--out", "pics")
    assert result.status == 0, result.err
    assert sorted(p.name for p in (cwd / "pics").iterdir()) == [
        "boundary.svg", "loss.svg", "network.svg"
    ]
