"""``python -m benchmarks``: every speed and memory target, measured in one run.

Options: ``--quick`` (fewer repeats, smaller cases: a smoke run, not the figures),
``--only N [N ...]`` (the target numbers to run). BLAS and PyTorch are pinned to one
thread. The table is printed at the end; nothing here fails on a missed target.
"""

from __future__ import annotations

import os

# Pin BLAS to one thread before numpy (or torch) is imported anywhere.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import platform  # noqa: E402
import sys  # noqa: E402
from collections.abc import Callable  # noqa: E402

from benchmarks import (  # noqa: E402
    engine_cases,
    micrograd_cases,
    numpy_cases,
    render_cases,
    training_cases,
)
from benchmarks.report import Row, Skipped, table  # noqa: E402


def _page_steps() -> list[Row | Skipped]:
    """Target 8, imported only when it runs: the page's modules (graphviz, the page's
    assets) would otherwise enlarge the heap that the garbage collector walks during
    every other case's graph building (measured: the elementary demo step 1.6x
    slower with them loaded)."""
    from benchmarks import page_cases  # noqa: PLC0415 - see the docstring

    return page_cases.page_steps()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a fast smoke run")
    parser.add_argument(
        "--only",
        type=int,
        nargs="+",
        choices=range(1, 9),
        metavar="N",
        help="run only these targets (1-8)",
    )
    args = parser.parse_args(argv)
    quick: bool = args.quick
    chosen = set(args.only or range(1, 9))
    repeats = 3 if quick else 7

    rows: list[Row | Skipped] = []

    def run(
        n: int, label: str, produce: Callable[[], Row | list[Row | Skipped]]
    ) -> None:
        if n not in chosen:
            return
        print(f"running {n}. {label} ...", file=sys.stderr, flush=True)
        result = produce()
        rows.extend(result if isinstance(result, list) else [result])

    run(1, "micrograd demo step", lambda: micrograd_cases.demo_step(repeats))
    run(
        2,
        "forward+backward vs plain floats",
        lambda: engine_cases.forward_backward_vs_plain(repeats * 30),
    )
    run(3, "bytes per node", lambda: engine_cases.bytes_per_node(40 if quick else 150))
    run(4, "linear backward", lambda: engine_cases.backward_is_linear(repeats))
    run(5, "BP1-BP4 vs torch", lambda: numpy_cases.four_formulas_vs_torch(repeats * 10))
    run(
        6,
        "SVG rendering",
        lambda: render_cases.render_large_graph(
            2 if quick else 8, timeout=60.0 if quick else 600.0
        ),
    )
    run(
        7,
        "digits through the engine",
        lambda: training_cases.digits_through_the_engine(50 if quick else 10**6),
    )
    run(8, "page steps in Chromium", _page_steps)

    print(
        f"\n{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, one BLAS thread"
        + (" (--quick: smoke run)" if quick else "")
    )
    print(table(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
