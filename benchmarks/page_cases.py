"""Target 8: the step-through page steps smoothly up to its 2,000 picture nodes.

Each case writes the page of a graph near the limit, opens it in headless Chromium
(Playwright driving the system's ``chromium``) and times every step of the forward
and backward pass inside the page: ``performance.now()`` around the button's click
handler (the script's work and its DOM changes), and to the next animation frame
(style, layout and paint of the change as well) for every 25th step and the widest
backward steps. The target bounds the slowest step's handler: under 50 ms. The
frame times and the page's size are reported beside it.
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

#: The target: every step's handler within this many ms.
STEP_MS = 50.0

#: In the page: every step's handler timed, in ms, and every ``every``-th step (and
#: each backward step with the most edges) to the next frame as well, after a frame
#: that shows the steps before it: [handler, to the frame or null] per step.
_TIME_STEPS = """async (every) => {
  const frame = () => new Promise((ok) => requestAnimationFrame(() => ok()));
  const model = JSON.parse(document.getElementById("deltagrad-graph").textContent);
  const widest = Math.max(0, ...model.backward.map((s) => s.edges.length));
  const times = [];
  let n = 0;
  for (const id of ["dg-step-forward", "dg-step-backward"]) {
    const b = document.getElementById(id);
    let k = 0;
    while (!b.disabled) {
      const wide = id === "dg-step-backward"
        && model.backward[k].edges.length === widest;
      const framed = n % every === 0 || wide;
      if (framed) await frame();
      const t0 = performance.now();
      b.click();
      const t1 = performance.now();
      if (framed) await frame();
      times.push([t1 - t0, framed ? performance.now() - t0 : null]);
      n++;
      if (id === "dg-step-backward") k++;
    }
  }
  return times;
}"""

#: Every this many steps one is timed to its frame.
EVERY = 25


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
            times = page.evaluate(_TIME_STEPS, EVERY)
            handler = sorted(t[0] for t in times)
            framed = sorted(t[1] for t in times if t[1] is not None)
            worst = handler[-1]
            size = path.stat().st_size
            rows.append(
                Row(
                    f"page step, {name} ({count_nodes(root):,} nodes, "
                    f"{len(times):,} steps, {size / 1024:,.0f} KiB)",
                    f"handler: slowest {worst:.1f} ms, median "
                    f"{handler[len(handler) // 2]:.1f} ms; to frame: slowest "
                    f"{framed[-1]:.0f} ms, median {framed[len(framed) // 2]:.0f} ms",
                    f"{STEP_MS:g} ms",
                    worst / STEP_MS,
                    "< 1",
                    worst < STEP_MS,
                )
            )
        browser.close()
    return rows
