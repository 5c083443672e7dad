"""Target 8: the step-through page steps smoothly up to its 2,000 picture nodes.

Each case writes the page of a graph near the limit, opens it in headless Chromium
(Playwright driving the system's ``chromium``) and times every step of the forward
and backward pass inside the page: ``performance.now()`` around the button's click
handler (the script's work and its DOM changes), and to the next animation frame
(style, layout and paint of the change as well). The target bounds the slowest
step to the frame: under 50 ms. The page's size is reported beside it.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from benchmarks.report import Row, Skipped
from engine import Value
from nn import MLP
from viz.cli.sample import sample_cost
from viz.graph import count_nodes
from viz.page import render_html

__all__ = ["page_steps"]

#: The target: every step, to the frame that shows it, within this many ms.
STEP_MS = 50.0

#: In the page: every step timed, in ms: [handler, to the next frame] per step.
_TIME_STEPS = """async () => {
  const frame = () => new Promise((ok) => requestAnimationFrame(() => ok()));
  const times = [];
  for (const id of ["dg-step-forward", "dg-step-backward"]) {
    const b = document.getElementById(id);
    while (!b.disabled) {
      await frame();
      const t0 = performance.now();
      b.click();
      const t1 = performance.now();
      await frame();
      times.push([t1 - t0, performance.now() - t0]);
    }
  }
  return times;
}"""


def _chain(nodes: int) -> Value:
    """x -> tanh(x * 0.9) + 0.1 repeated, at most ``nodes`` picture nodes: a long
    chain of small steps."""
    y = Value(0.5, label="x")
    while True:
        longer = (y * 0.9).tanh() + 0.1
        if count_nodes(longer) > nodes:
            return y
        y = longer


def _cases() -> list[tuple[str, Value]]:
    demo = MLP([2, 4, 1], seed=0)
    wide = MLP([2, 38, 39, 1], seed=0)
    return [
        ("demo graph, MLP [2, 4, 1]", sample_cost(demo, [0.5, -1.0], [1.0])),
        ("MLP [2, 38, 39, 1]", sample_cost(wide, [0.5, -1.0], [1.0])),
        ("tanh chain", _chain(2000)),
    ]


def page_steps() -> list[Row | Skipped]:
    """One row per graph: the slowest step (handler, to the frame), the median, the
    page's size."""
    exe = shutil.which("chromium")
    try:
        from playwright.sync_api import sync_playwright  # noqa: PLC0415
    except ImportError:
        return [Skipped("page steps", "playwright is not installed")]
    if exe is None:
        return [Skipped("page steps", "no chromium program")]
    rows: list[Row | Skipped] = []
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=exe, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1600, "height": 1000})
        for name, root in _cases():
            path = render_html(root, Path(folder) / "page.html")
            page.goto(path.as_uri())
            times = page.evaluate(_TIME_STEPS)
            handler = sorted(t[0] for t in times)
            framed = sorted(t[1] for t in times)
            worst = framed[-1]
            size = path.stat().st_size
            rows.append(
                Row(
                    f"page step, {name} ({count_nodes(root):,} nodes, "
                    f"{len(times):,} steps, {size / 1024:,.0f} KiB)",
                    f"slowest {handler[-1]:.1f} ms handler, {worst:.1f} ms to frame; "
                    f"median {framed[len(framed) // 2]:.1f} ms",
                    f"{STEP_MS:g} ms",
                    worst / STEP_MS,
                    "< 1",
                    worst < STEP_MS,
                )
            )
        browser.close()
    return rows
