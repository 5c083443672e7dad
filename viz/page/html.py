"""The step-through page: one self-contained HTML file for any Value graph.

The page holds the graph's SVG (laid out by dot here, as ``viz.graph`` draws it),
its data as JSON in ``<script type="application/json" id="deltagrad-graph">``
(nodes: id, label, op, data, grad, input ids in order, requires_grad; the backward
steps with each edge's local derivative), the page's script and style, the four
formulas in numbers for an MLP's cost graph (``viz.page.formulas``) and the
gradient check (``viz.page.checks``). It loads nothing: a Content-Security-Policy
of ``default-src 'none'`` lets only the inline script and styles run, so it works
from file:// with no network. Every label is escaped: in the SVG by
``viz.labels``, in the HTML by ``html.escape``, in the JSON by writing ``<``, ``>``
and ``&`` as ``\\u003c``, ``\\u003e`` and ``\\u0026``. The same graph gives the same
bytes.
"""

from __future__ import annotations

import html
import json
import os
import string
from importlib import resources
from pathlib import Path
from typing import Any

from engine import OPS, Value
from nn.files import write_atomic
from viz.errors import PageTooLargeError
from viz.graph import count_nodes, draw_graph
from viz.page.checks import DEFAULT_EPS, SWEEP, ParameterCheck, check_parameters
from viz.page.formulas import FormulaRow, formula_rows, read_net_sample
from viz.page.model import GraphModel, build_model, json_number, node_id
from viz.page.plot import sweep_plot
from viz.page.svg import mark_svg
from viz.page.text import format_number, node_name, unicode_label
from viz.render import DEFAULT_TIMEOUT, RANKDIRS, run_dot

__all__ = ["PAGE_MAX_NODES", "page_html", "render_html", "script_json"]

#: The most picture nodes a page takes: up to this size each step stays under 50 ms
#: in Chromium (``python -m benchmarks --only 8``; figures in docs/architecture.md).
PAGE_MAX_NODES = 2000


def _asset(name: str) -> str:
    return (resources.files("viz.page") / "assets" / name).read_text("utf-8")


def script_json(data: object) -> str:
    """``data`` as JSON safe inside ``<script>``: no ``<``, ``>`` or ``&`` at all,
    so no text in it can end the script element or start markup."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _graph_data(model: GraphModel, pictures: dict[int, list[str]]) -> dict[str, Any]:
    order = model.order
    index = {id(v): i for i, v in enumerate(order)}
    nodes = [
        {
            "id": node_id(i),
            "label": v.label,
            "name": node_name(v.label, node_id(i)),
            "op": v.op,
            "symbol": OPS[v.op].symbol if v.op in OPS else v.op,
            "data": json_number(v.data),
            "grad": json_number(model.grads[i]),
            "inputs": [node_id(index[id(u)]) for u in v.inputs],
            "requires_grad": v.requires_grad,
            "pictures": pictures.get(i, []),
        }
        for i, v in enumerate(order)
    ]
    steps = [
        {
            "node": node_id(s.node),
            "edges": [
                {
                    "input": node_id(c.source),
                    "partial": json_number(c.partial),
                    "masked": c.masked,
                }
                for c in s.contributions
            ],
            "completes": [node_id(k) for k in s.completes],
        }
        for s in model.steps
    ]
    return {"format": "deltagrad-graph/1", "nodes": nodes, "backward": steps}


def _difference(value: float, autograd: float) -> str:
    return f"{value - autograd:.2g}"


def _formulas_html(rows: list[FormulaRow]) -> str:
    """The four formulas' panel: one line per formula, hidden until its node's
    gradient is complete (``data-after``)."""
    out = [
        '<section id="dg-formulas"><h2>The four formulas in numbers</h2>',
        '<p class="dg-note">For this sample, by nn.backprop (numpy), beside '
        "autograd's value of the same quantity. Each line appears when the backward "
        "pass reaches its node.</p>",
    ]
    layer = None
    for r in rows:
        if r.layer != layer:
            layer = r.layer
            out.append(f"<h3>layer {layer}</h3>")
        cls = "dg-bp dg-seed" if r.autograd is None else "dg-bp"
        line = (
            f'<div class="{cls}" data-after="{node_id(r.after)}" hidden>'
            f'<span class="dg-name">{html.escape(r.name)}</span>{html.escape(r.text)}'
        )
        if r.autograd is not None:
            line += (
                f'<span class="dg-check">autograd: {html.escape(r.quantity)}.grad = '
                f"{html.escape(format_number(r.autograd))}; difference "
                f"{html.escape(_difference(r.value, r.autograd))}</span>"
            )
        out.append(line + "</div>")
    out.append("</section>")
    return "\n".join(out)


def _sweep_svg(checks: list[ParameterCheck], names: list[str]) -> str:
    """The relative error of the central difference against eps (see
    ``viz.page.plot``), one line per swept parameter."""
    return sweep_plot(
        SWEEP,
        [(name, c.sweep) for c, name in zip(checks, names, strict=True) if c.sweep],
        DEFAULT_EPS,
    )


def _checks_html(model: GraphModel) -> str:
    checks, total = check_parameters(model.order, model.grads)
    if not checks:
        return ""
    names = [
        node_name(model.order[c.position].label, node_id(c.position)) for c in checks
    ]
    rows = "\n".join(
        f"<tr><td>{html.escape(name)}</td><td>{format_number(c.autograd)}</td>"
        f"<td>{format_number(c.numerical)}</td><td>{c.error:.2g}</td></tr>"
        for c, name in zip(checks, names, strict=True)
    )
    shown = f"the first {len(checks)} of {total}" if total > len(checks) else "every"
    return (
        '<details id="dg-checks"><summary>Gradient check: autograd against central '
        "differences</summary>"
        f'<p class="dg-note">For {shown} parameter: (C(x + ε) − C(x − ε)) / 2ε with '
        f"ε = {DEFAULT_EPS:g}, C computed again node by node; relative error "
        "|g − n| / max(|g|, |n|).</p>"
        "<table><thead><tr><th>parameter</th><th>autograd</th>"
        "<th>central difference</th><th>relative error</th></tr></thead>"
        f"<tbody>\n{rows}\n</tbody></table>"
        '<p class="dg-note">The error against ε: truncation falls as ε², round-off '
        "grows as 1/ε (each C is rounded to 2⁻⁵³ of itself), so the error is "
        "smallest in between.</p>"
        f"{_sweep_svg(checks, names)}</details>"
    )


def _title(root: Value) -> str:
    what = unicode_label(root.label) if root.label else "the output"
    return f"deltagrad: the backward pass of {what}, step by step"


def page_html(
    root: Value,
    *,
    rankdir: str = "LR",
    group: bool = True,
    timeout: float = DEFAULT_TIMEOUT,
) -> str:
    """The page of ``root``'s graph (see the module docstring) as text.

    Raises:
        PageTooLargeError: the picture has more than ``PAGE_MAX_NODES`` nodes (a
            ``GraphTooLargeError``); raised before ``dot`` runs.
        DotNotFoundError, DotTimeoutError, DotFailedError: as ``viz.render_svg``.
    """
    if not isinstance(root, Value):
        raise TypeError(f"root must be an engine Value, got {type(root).__name__}")
    if rankdir not in RANKDIRS:
        raise ValueError(
            f"rankdir must be one of {', '.join(RANKDIRS)}, got {rankdir!r}"
        )
    size = count_nodes(root)
    if size > PAGE_MAX_NODES:
        raise PageTooLargeError(size, PAGE_MAX_NODES)
    model = build_model(root)
    order = model.order
    saved = [v.grad for v in order]
    try:  # the picture shows the grads of this root, whatever the nodes held
        for v, g in zip(order, model.grads, strict=True):
            v.grad = g
        source = draw_graph(
            root, rankdir=rankdir, group=group, max_nodes=PAGE_MAX_NODES
        ).source
    finally:
        for v, g in zip(order, saved, strict=True):
            v.grad = g
    marked = mark_svg(run_dot(source, timeout=timeout), order, model.grads)
    sample = read_net_sample(order)
    formulas = _formulas_html(formula_rows(sample, model.grads)) if sample else ""
    return string.Template(_asset("page.html")).substitute(
        title=html.escape(_title(root)),
        css=_asset("stepper.css"),
        js=_asset("stepper.js"),
        svg=marked.text,
        data=script_json(_graph_data(model, marked.pictures)),
        formulas=formulas,
        checks=_checks_html(model),
    )


def render_html(
    root: Value,
    path: str | os.PathLike[str],
    *,
    rankdir: str = "LR",
    group: bool = True,
    timeout: float = DEFAULT_TIMEOUT,
) -> Path:
    """Write the step-through page of ``root``'s graph to ``path`` (atomically);
    see :func:`page_html`."""
    text = page_html(root, rankdir=rankdir, group=group, timeout=timeout)
    return write_atomic(path, text.encode("utf-8"))
