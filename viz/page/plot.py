"""The gradient check's plot: relative error against the step eps, both axes
logarithmic, as a small inline SVG.

Written out here rather than by matplotlib: a matplotlib figure took about 2 s per
page on the development machine (text layout of its ticks), more than the rest of
the page, while this plot is a few lines on fixed decade axes. The text is plain
SVG text, escaped, and the output depends on the numbers alone (same numbers, same
bytes).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

from viz.palette import TAB10

__all__ = ["ERROR_FLOOR", "sweep_plot"]

#: An error of exactly 0 is drawn here, below double precision's 1.1e-16.
ERROR_FLOOR = 1e-17

_W, _H = 460, 300  # the picture
_L, _R, _T, _B = 56, 110, 28, 44  # margins: left, right (legend), top, bottom
_COLOURS = TAB10[:8]


def _decades(values: Sequence[float]) -> tuple[int, int]:
    logs = [math.log10(v) for v in values if v > 0 and math.isfinite(v)]
    return math.floor(min(logs)), math.ceil(max(logs))


def sweep_plot(
    eps: Sequence[float],
    lines: Sequence[tuple[str, Sequence[float]]],
    default_eps: float,
) -> str:
    """An SVG of each line's relative errors (one per eps, ``ERROR_FLOOR`` for 0,
    nan left out) against ``eps`` decreasing to the right, ``default_eps`` marked
    by a dashed line."""
    ys = [max(e, ERROR_FLOOR) for _, errs in lines for e in errs if not math.isnan(e)]
    x0, x1 = _decades(eps)
    y0, y1 = _decades(ys or [ERROR_FLOOR, 1.0])
    y1 = max(y1, y0 + 1)
    pw, ph = _W - _L - _R, _H - _T - _B

    def px(x: float) -> float:  # eps falls from left to right
        return _L + pw * (x1 - math.log10(x)) / (x1 - x0)

    def py(y: float) -> float:
        return _T + ph * (y1 - math.log10(max(y, ERROR_FLOOR))) / (y1 - y0)

    out = [
        f'<svg class="dg-plot" xmlns="http://www.w3.org/2000/svg" width="{_W}" '
        f'height="{_H}" viewBox="0 0 {_W} {_H}" font-family="sans-serif" '
        'font-size="10">',
        f'<rect x="{_L}" y="{_T}" width="{pw}" height="{ph}" fill="none" '
        'stroke="#888"/>',
        f'<text x="{_L + pw / 2:.1f}" y="{_T - 10}" text-anchor="middle">truncation '
        "(large ε) against round-off (small ε)</text>",
    ]
    for k in range(x0, x1 + 1):
        x = px(10.0**k)
        out.append(
            f'<line x1="{x:.1f}" y1="{_T + ph}" x2="{x:.1f}" y2="{_T + ph + 4}" '
            f'stroke="#888"/><text x="{x:.1f}" y="{_T + ph + 15}" '
            f'text-anchor="middle">1e{k}</text>'
        )
    for k in range(y0, y1 + 1, max(1, (y1 - y0 + 5) // 6)):
        y = py(10.0**k)
        out.append(
            f'<line x1="{_L - 4}" y1="{y:.1f}" x2="{_L}" y2="{y:.1f}" stroke="#888"/>'
            f'<text x="{_L - 6}" y="{y + 3:.1f}" text-anchor="end">1e{k}</text>'
        )
    out.append(
        f'<text x="{_L + pw / 2:.1f}" y="{_H - 8}" text-anchor="middle">step ε'
        "</text>"
        f'<text transform="translate(12 {_T + ph / 2:.1f}) rotate(-90)" '
        'text-anchor="middle">relative error</text>'
    )
    xd = px(default_eps)
    out.append(
        f'<line class="dg-default-eps" x1="{xd:.1f}" y1="{_T}" x2="{xd:.1f}" '
        f'y2="{_T + ph}" stroke="#777" stroke-dasharray="4 3"/>'
        f'<text x="{xd + 3:.1f}" y="{_T + 12}">default ε = {default_eps:g}</text>'
    )
    for n, (name, errs) in enumerate(lines):
        colour = _COLOURS[n % len(_COLOURS)]
        points = " ".join(
            f"{px(x):.1f},{py(e):.1f}"
            for x, e in zip(eps, errs, strict=True)
            if not math.isnan(e)
        )
        out.append(
            f'<polyline points="{points}" fill="none" stroke="{colour}" '
            'stroke-width="1.5"/>'
        )
        ly = _T + 12 + 14 * n
        out.append(
            f'<line x1="{_W - _R + 8}" y1="{ly - 3}" x2="{_W - _R + 24}" '
            f'y2="{ly - 3}" stroke="{colour}" stroke-width="2"/>'
            f'<text x="{_W - _R + 28}" y="{ly}">{escape(name)}</text>'
        )
    out.append("</svg>")
    return "\n".join(out)
