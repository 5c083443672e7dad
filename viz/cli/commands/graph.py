"""``deltagrad graph``: the computation graph of an expression, or of one sample's
cost of a net, as SVG, or as the step-through page when the output ends in .html."""

from __future__ import annotations

import argparse
import sys

import numpy as np

from engine import Value, topological_order
from nn import MLP
from nn.files import check_output_file
from nn.serialize import read_model
from viz.cli import args as checks
from viz.cli.errors import UsageError
from viz.cli.parser import PROG
from viz.cli.sample import sample_cost
from viz.errors import ExpressionError
from viz.expr import evaluate, parse_bindings
from viz.graph import count_nodes, render_svg

__all__ = ["run"]


def _expression_graph(expression: str, at: str) -> tuple[Value, str]:
    """The graph of ``expression`` at the values ``at``, after backward(), and what
    to print about it. A refused expression or binding is a usage error."""
    try:
        bindings = parse_bindings(at)
        root = evaluate(expression, bindings)
    except ExpressionError as err:
        raise UsageError(str(err)) from None
    if root.requires_grad:  # an expression of numbers alone is a constant
        root.backward()
    leaves = [v for v in topological_order(root) if v.label and not v.op]
    unused = [name for name in bindings if name not in {v.label for v in leaves}]
    if unused:
        print(
            f"{PROG} graph: warning: --at gives {', '.join(unused)}, which the "
            "expression does not use",
            file=sys.stderr,
        )
    grads = [f"d/d{v.label} = {v.grad:.6g}" for v in leaves]
    what = f"{expression} = {root.data:.6g}" + (
        f"  ({', '.join(grads)})" if grads else ""
    )
    return root, what


def _net_cost_graph(args: argparse.Namespace) -> tuple[Value, str]:
    """One sample's cost of the net given by --mlp or --model, after backward()."""
    if args.model is not None:
        model = read_model(  # refused on its sizes, before more work
            args.model, lambda sizes: checks.check_net_nodes(sizes, args.max_nodes)
        )
        net = MLP.from_arrays(model.weights, model.biases, model.activation,
                              model.output_activation, args.elementary)
        what = f"net {args.model}"
    else:
        net = MLP(args.mlp, seed=args.seed, elementary=args.elementary)
        what = f"MLP {args.mlp}"
    rng = np.random.default_rng(args.seed)
    x = rng.normal(size=net.sizes[0])
    y = rng.uniform(size=net.sizes[-1])
    return sample_cost(net, x, y), f"one sample's cost C of the {what}"


def run(args: argparse.Namespace) -> int:
    """Draw the graph given by EXPR, --mlp or --model into --out: SVG, or the
    step-through page for a name ending in .html (a graph too big for a page is
    refused with exit status 1)."""
    page = args.out.suffix.lower() == ".html"
    if page and args.no_grad:
        raise UsageError("--no-grad draws a picture without grads; a page (.html) "
                         "is there to show them: write an .svg instead")
    if args.expression is not None:
        root, what = _expression_graph(args.expression, args.at)
    else:
        root, what = _net_cost_graph(args)
    nodes = count_nodes(root)
    checks.check_nodes(nodes, args.max_nodes)
    check_output_file(args.out)  # before dot runs
    if page:
        from viz.page import render_html  # noqa: PLC0415 - only pages load it

        path = render_html(
            root, args.out, rankdir=args.rankdir, timeout=args.timeout
        )
        print(what)
        print(f"wrote {path} ({nodes} nodes): open it in a browser")
        return 0
    path = render_svg(
        root,
        args.out,
        show_grad=not args.no_grad,
        rankdir=args.rankdir,
        max_nodes=args.max_nodes,
        timeout=args.timeout,
    )
    print(what)
    print(f"wrote {path} ({nodes} nodes)")
    return 0
