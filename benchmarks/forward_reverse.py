"""``python -m benchmarks.forward_reverse``: the whole Jacobian by forward mode and by
reverse mode, on a function R^n -> R and on one R -> R^m, for n, m = 1 ... 1000.

* R^n -> R, a cost of n inputs: h_1 = tanh x_1, h_k = tanh(h_(k-1) + x_k), f = h_n.
  Reverse mode needs 1 pass (one row), forward mode n passes (one column each).
* R -> R^m, m outputs of one input: h_0 = x, h_k = tanh(h_(k-1) + x), f = (h_1..h_m).
  Forward mode needs 1 pass, reverse mode m passes.

Both functions cost O(n) (or O(m)) to evaluate, so a mode that needs one pass is
flat in units of one evaluation of f, and the other grows linearly: the reason
networks, functions R^n -> R with n in the millions, are trained by reverse mode
(backpropagation). Each time is the least CPU time of a few runs of
``engine.jacobian``, printed as a table and divided by the time of one evaluation
of f (recorded, as reverse mode needs it) for the picture,
``docs/img/forward-reverse.svg`` (matplotlib, deterministic for the same numbers).
"""

from __future__ import annotations

import argparse
import gc
import math
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from matplotlib.figure import Figure

from engine import Value, jacobian
from viz.palette import BLUE, ORANGE, to_hex
from viz.plots import figure_picture

SIZES = (1, 10, 100, 1000)
PICTURE = (
    Path(__file__).resolve().parent.parent / "docs" / "img" / "forward-reverse.svg"
)


def many_to_one(*xs: Value) -> Value:
    """R^n -> R: h_1 = tanh x_1, h_k = tanh(h_(k-1) + x_k); f = h_n."""
    h = xs[0].tanh()
    for x in xs[1:]:
        h = (h + x).tanh()
    return h


def one_to_many(m: int) -> Callable[[Value], list[Value]]:
    """R -> R^m: h_0 = x, h_k = tanh(h_(k-1) + x); f = (h_1, ..., h_m)."""

    def f(x: Value) -> list[Value]:
        h, out = x, []
        for _ in range(m):
            h = (h + x).tanh()
            out.append(h)
        return out

    return f


def _best(work: Callable[[], object], repeats: int) -> float:
    """The least CPU time of this process over ``repeats`` calls of ``work``: on a
    shared machine the other processes' load does not count."""
    times = []
    for _ in range(repeats):
        start = time.process_time()
        work()
        times.append(time.process_time() - start)
    return min(times)


#: One measurement: (size, seconds of one evaluation, forward, reverse).
Line = tuple[int, float, float, float]


def measure(quick: bool) -> dict[str, list[Line]]:
    """For each size, the best time of f alone and of both modes' Jacobians."""
    sizes = SIZES[:3] if quick else SIZES
    results: dict[str, list[Line]] = {"R^n -> R": [], "R -> R^m": []}
    gc.disable()
    try:
        for size in sizes:
            repeats = 3 if size >= 1000 else 7
            point = [math.sin(k) for k in range(size)]
            leaves = [Value(x) for x in point]
            results["R^n -> R"].append(
                (
                    size,
                    _best(lambda: many_to_one(*leaves), repeats),  # noqa: B023
                    _best(lambda: jacobian(many_to_one, point, "forward"), repeats),  # noqa: B023
                    _best(lambda: jacobian(many_to_one, point, "reverse"), repeats),  # noqa: B023
                )
            )
            f = one_to_many(size)
            x = Value(0.5)
            results["R -> R^m"].append(
                (
                    size,
                    _best(lambda: f(x), repeats),  # noqa: B023
                    _best(lambda: jacobian(f, [0.5], "forward"), repeats),  # noqa: B023
                    _best(lambda: jacobian(f, [0.5], "reverse"), repeats),  # noqa: B023
                )
            )
            gc.collect()
    finally:
        gc.enable()
    return results


def table(results: dict[str, list[Line]]) -> str:
    """The passes each mode takes and the measured times (and in evaluations of
    f), one line per case, as a Markdown table."""
    lines = [
        "| f | size | passes forward / reverse | f once | forward | reverse |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, rows in results.items():
        many = name == "R^n -> R"
        for size, once, forward, reverse in rows:
            passes = f"{size:,} / 1" if many else f"1 / {size:,}"
            modes = " | ".join(
                f"{_time(t)} ({t / once:,.0f} f)" for t in (forward, reverse)
            )
            lines.append(
                f"| {'ℝⁿ → ℝ' if many else 'ℝ → ℝᵐ'} | {'n' if many else 'm'} = "
                f"{size:,} | {passes} | {_time(once)} | {modes} |"
            )
    return "\n".join(lines)


def _time(seconds: float) -> str:
    """Three significant digits in µs, ms or s."""
    for unit, scale in (("µs", 1e-6), ("ms", 1e-3)):
        if seconds < 1000 * scale:
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds:.3g} s"


def picture(results: dict[str, list[Line]], path: Path) -> Path:
    """Both cases side by side: each mode's time in evaluations of f, log-log."""
    fig = Figure(figsize=(8.0, 3.4), layout="constrained")
    axes = fig.subplots(1, 2, sharey=True)
    titles = {"R^n -> R": "f: ℝⁿ → ℝ (a cost)", "R -> R^m": "f: ℝ → ℝᵐ"}
    for ax, (name, rows) in zip(axes, results.items(), strict=True):
        sizes = [r[0] for r in rows]
        for k, (mode, colour) in enumerate(
            (("forward", to_hex(ORANGE)), ("reverse", to_hex(BLUE)))
        ):
            ratios = [r[2 + k] / r[1] for r in rows]
            ax.plot(sizes, ratios, "o-", color=colour, label=f"{mode} mode")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_title(titles[name])
        ax.set_xlabel("n inputs" if name == "R^n -> R" else "m outputs")
        ax.grid(True, which="major", alpha=0.3)
    axes[0].set_ylabel("time of the Jacobian\n/ time of one evaluation of f")
    axes[0].legend()
    figure_picture(fig, "forward and reverse mode", path)
    return path


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.forward_reverse", description=__doc__
    )
    parser.add_argument("--quick", action="store_true", help="sizes 1-100 only")
    parser.add_argument(
        "--svg", type=Path, default=PICTURE, help=f"the picture (default {PICTURE})"
    )
    args = parser.parse_args(argv)
    results = measure(args.quick)
    print(table(results))
    print(f"wrote {picture(results, args.svg)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
