"""``deltagrad demo`` end to end, with small settings: it prints the comparison table
and the accuracy, and writes its four SVG pictures where it says."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from tests import svg_helpers as svg

SMALL = ["--samples", "60", "--epochs", "4", "--batch", "10"]
PICTURES = ["boundary.svg", "graph.svg", "loss.svg", "network.svg"]


def demo(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "viz.cli", "demo", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_demo_runs_end_to_end_and_writes_all_its_pictures(tmp_path: Path) -> None:
    result = demo("--out", "pics", *SMALL, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for part in ("BP1", "BP2", "BP3", "BP4", "all within tolerance", "final cost",
                 "train accuracy", "test accuracy", "done in"):
        assert part in out
    folder = tmp_path / "pics"
    assert sorted(p.name for p in folder.iterdir()) == PICTURES
    for name in PICTURES:
        assert f"pics/{name}" in out  # the paths are printed
        svg.parse(folder / name)  # and every file is well-formed SVG
    stated = re.search(r"one sample's cost C \((\d+) nodes\)", out)
    assert stated is not None
    graph = svg.parse(folder / "graph.svg")
    assert len(svg.groups(graph, "node")) == int(stated.group(1))
    assert "C" in [t for ts in svg.node_texts(graph).values() for t in ts]


def test_demo_writes_to_deltagrad_demo_by_default(tmp_path: Path) -> None:
    result = demo(*SMALL, "--sizes", "2,3,1", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "deltagrad-demo").iterdir()) == PICTURES
