"""``deltagrad demo``: check the settings, then run :func:`viz.cli.demo.run_demo`."""

from __future__ import annotations

import argparse

from nn import MLP
from viz.cli import args as checks
from viz.cli.demo import DemoSettings, run_demo
from viz.cli.errors import CommandError, UsageError
from viz.cli.messages import say, training_warnings
from viz.cli.sample import sample_cost
from viz.errors import INSTALL_DOT
from viz.graph import count_nodes
from viz.page import PAGE_MAX_NODES
from viz.render import DEFAULT_MAX_LINKS, DEFAULT_MAX_NODES

__all__ = ["check_pictures", "run"]


def check_pictures(sizes: list[int]) -> None:
    """The demo's pictures of a net of ``sizes`` can be drawn: refused before any
    training otherwise (``viz.cli.args.check`` has checked the sizes fit its data)."""
    checks.check_links(sizes, DEFAULT_MAX_LINKS, who="the demo",
                       instead="give smaller --sizes")
    # One sample's cost graph has the same nodes before training as after.
    untrained = MLP(sizes, seed=0)
    nodes = count_nodes(sample_cost(untrained, [0.0] * sizes[0], [0.0] * sizes[-1]))
    limit = min(DEFAULT_MAX_NODES, PAGE_MAX_NODES)  # the graph, and its page
    if nodes > limit:
        raise UsageError(
            "the demo draws one sample's cost graph and its step-through page, "
            f"which allow at most {limit:,} nodes; the net {checks.show(sizes)} makes "
            f"{nodes:,}: give smaller --sizes"
        )


def run(args: argparse.Namespace) -> int:
    """``deltagrad demo``: 0, or 1 if autograd and the formulas disagree, a picture
    was skipped (no ``dot``) or training diverged (its pictures are drawn all the
    same: they show how). Training's warnings are printed as one line each."""
    check_pictures(args.sizes)
    settings = DemoSettings(
        out=args.out,
        data=args.data,
        samples=args.samples,
        noise=args.noise,
        sizes=tuple(args.sizes),
        epochs=args.epochs,
        lr=args.lr,
        batch=args.batch,
        seed=args.seed,
        progress=args.progress,
        timeout=args.timeout,
    )
    with training_warnings() as caught:
        result = run_demo(settings)
    if caught.diverged:
        say("error", "training diverged (see the warning above): try a smaller --lr")
        return 1
    if result.skipped:
        raise CommandError(
            f"skipped {', '.join(result.skipped)}: the graphviz 'dot' program is not "
            f"installed (install it with:  {INSTALL_DOT})"
        )
    return 0 if result.comparison_ok else 1
