"""The step-through page of the backward pass: ``render_html(root, "page.html")``.

One self-contained HTML file for any Value graph (no server, no network): the
graph's picture, buttons that step the forward pass and the backward pass node by
node with each edge's local derivative, and for an MLP's cost graph the four
formulas BP1-BP4 worked in numbers beside autograd's values.

Modules: ``model`` (the nodes and steps, from the rule table), ``svg`` (dot's
picture made steppable), ``formulas`` (BP1-BP4 in numbers), ``checks`` (central
differences and the eps sweep), ``text`` (labels in Unicode notation), ``html``
(the page); ``assets/`` holds the page's script, style and template.
"""

from __future__ import annotations

from viz.page.html import PAGE_MAX_NODES, page_html, render_html

__all__ = ["PAGE_MAX_NODES", "page_html", "render_html"]
