"""The rows the runner prints: case, deltagrad, reference, ratio, target, verdict."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["Row", "Skipped", "median_seconds", "table"]


@dataclass(frozen=True)
class Row:
    """One measured case: ``ratio`` is what ``target`` bounds; ``met``, if it held."""

    case: str
    deltagrad: str
    reference: str
    ratio: float
    target: str
    met: bool


@dataclass(frozen=True)
class Skipped:
    """A case that could not run here, and why (e.g. an optional package is missing)."""

    case: str
    why: str


def median_seconds(work: Callable[[], object], repeats: int) -> float:
    """The median wall time of ``repeats`` calls of ``work``."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def table(rows: list[Row | Skipped]) -> str:
    """A plain-text table, one line per row, widths fitted to the content."""
    header = ("case", "deltagrad", "reference", "ratio", "target", "")
    lines: list[tuple[str, ...]] = [header]
    for r in rows:
        if isinstance(r, Skipped):
            lines.append((r.case, "skipped", r.why, "", "", ""))
        else:
            verdict = "met" if r.met else "MISSED"
            lines.append(
                (r.case, r.deltagrad, r.reference, f"{r.ratio:.2f}", r.target, verdict)
            )
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    out = []
    for k, line in enumerate(lines):
        cells = [c.ljust(w) for c, w in zip(line, widths, strict=True)]
        out.append("  ".join(cells).rstrip())
        if k == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)
