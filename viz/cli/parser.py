"""The argument parser of ``deltagrad``: one function per command.

Every choice and its help text come from the one list of those names: ``nn.names``
(activations, data sets, engines) and ``viz.render.RANKDIRS``, neither of which loads
numpy or graphviz, so that ``deltagrad --help`` stays quick. Parsing sets
``args.command`` (the command's name) and ``args.command_parser`` (for its usage).
"""

from __future__ import annotations

import argparse
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

from nn.names import (
    ACTIVATIONS,
    DATASETS,
    ENGINES,
    REAL_DATASETS,
    SYNTHETIC_DATASETS,
    SYNTHETIC_SAMPLES,
)
from viz.cli import args as types
from viz.cli.errors import PROG
from viz.names import EXPRESSION_FUNCTIONS, RANKDIRS
from viz.render import DEFAULT_MAX_NODES, DEFAULT_TIMEOUT

__all__ = ["COMMANDS", "PROG", "build_parser"]

#: The commands, in the order ``deltagrad --help`` lists them.
COMMANDS = ("demo", "compare", "graph", "train")

if TYPE_CHECKING:
    _Subparsers: TypeAlias = argparse._SubParsersAction[argparse.ArgumentParser]


def _functions() -> str:
    """The expression functions as the graph command's help lists them: a name, or
    how a call looks when it takes other than one argument."""
    shown = [
        name if call == f"{name}(x)" else call
        for name, call in EXPRESSION_FUNCTIONS.items()
    ]
    return ", ".join(shown[:-1]) + " and " + shown[-1]


def _command(
    sub: _Subparsers, name: str, *, summary: str, description: str, examples: str
) -> argparse.ArgumentParser:
    """Add the command ``name``: its help, description and examples (dedented)."""
    p = sub.add_parser(
        name,
        help=summary,
        description=textwrap.dedent(description).strip(),
        epilog="examples:\n" + textwrap.indent(textwrap.dedent(examples).strip(), "  "),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.set_defaults(command=name, command_parser=p)
    return p


def _seed_option(p: argparse.ArgumentParser, what: str = "") -> None:
    p.add_argument("--seed", type=types.seed, default=0,
                   help=f"random seed{what} (default: 0)")


def _schedule_options(p: argparse.ArgumentParser, epochs: int) -> None:
    """--epochs, --lr and --batch of a training command."""
    p.add_argument("--epochs", type=types.epochs, default=epochs,
                   help=f"training epochs (default: {epochs})")
    p.add_argument("--lr", type=types.learning_rate, default=1.0,
                   help="learning rate (default: 1)")
    p.add_argument("--batch", type=types.batch, default=10, metavar="M",
                   help="mini-batch size (default: 10)")


def _progress_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                   help="progress bar (default: when stderr is a terminal)")


def _timeout_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--timeout", type=types.timeout, default=DEFAULT_TIMEOUT,
                   metavar="SECONDS",
                   help="stop dot if one picture takes longer "
                   f"(default: {DEFAULT_TIMEOUT:g})")


def _add_demo(sub: _Subparsers) -> None:
    p = _command(
        sub,
        "demo",
        summary="train a small net, check it, draw it (the main job)",
        description="""
        Build a sigmoid MLP on a TensorFlow Playground data set (circle unless --data
        says otherwise), print its gradients by autograd next to the four formulas
        BP1-BP4, train it (with a progress bar), print its accuracy, and write four
        SVG pictures: one sample's computation graph, the network diagram, the cost
        curve and the decision boundary. Needs no options; the others make it
        smaller or different.
        """,
        examples="""
        deltagrad demo
        deltagrad demo --out pictures --epochs 50
        """,
    )
    p.add_argument("--out", type=Path, default=Path("deltagrad-demo"), metavar="DIR",
                   help="folder for the pictures (default: ./deltagrad-demo)")
    p.add_argument("--data", choices=SYNTHETIC_DATASETS, default="circle",
                   help="Playground data set (default: circle)")
    p.add_argument("--samples", type=types.samples, default=400, metavar="N",
                   help=f"number of points, 10 to {types.MAX_SAMPLES:,} "
                   "(default: 400)")
    p.add_argument("--noise", type=types.share, default=0.1,
                   help="label noise, 0 to 1 (default: 0.1)")
    p.add_argument("--sizes", type=types.layer_sizes, default=[2, 4, 1],
                   help="layer sizes, input first (default: 2,4,1)")
    _schedule_options(p, epochs=150)
    _seed_option(p)
    _progress_option(p)
    _timeout_option(p)


def _add_compare(sub: _Subparsers) -> None:
    p = _command(
        sub,
        "compare",
        summary="autograd against the four formulas BP1-BP4, as a table",
        description="""
        Compare, layer by layer, the engine's gradients (delta^l = z.grad, dC/db^l,
        dC/dw^l) with the four formulas BP1-BP4 and with central differences, for a
        random net and a random batch. Exit status 1 if any difference exceeds the
        tolerance.
        """,
        examples="""
        deltagrad compare --sizes 2,3,1
        deltagrad compare --sizes 4,8,8,3 --seed 7 --batch 16 --activation tanh
        """,
    )
    p.add_argument("--sizes", type=types.layer_sizes, default=[2, 3, 1],
                   help="layer sizes, input first (default: 2,3,1)")
    _seed_option(p)
    p.add_argument("--batch", type=types.compare_batch, default=1, metavar="M",
                   help="number of samples (default: 1)")
    p.add_argument("--activation", choices=ACTIVATIONS, default="sigmoid",
                   help="activation of every layer (default: sigmoid)")


def _add_graph(sub: _Subparsers) -> None:
    p = _command(
        sub,
        "graph",
        summary="draw a computation graph (an expression or a net's cost) as SVG "
        "or as a page that steps through it",
        description=textwrap.fill(
            "Draw the computation graph of an expression, or of one sample's cost C "
            "of a net, with every node's data and grad (constants show no grad), as "
            "an SVG file, or (-o FILE.html) as an offline page that steps through "
            "the forward and backward pass. Expressions may use numbers, names "
            "given with --at, + - * / ** and unary -, one comparison < <= > >= "
            "(a constant 1 or 0), "
            f"and {_functions()} (leaky_relu's slope a number, 0.01 if left out); "
            "anything else is refused, never evaluated. An expression that starts "
            "with '-' goes after '--'.",
            79,
        ),
        examples="""
        deltagrad graph "tanh(x * y + 1) ** 2" --at x=1.5,y=-2 -o out.svg
        deltagrad graph "maximum(sin(x), leaky_relu(y, 0.1))" --at x=1,y=-2 -o max.svg
        deltagrad graph --at x=2 -o neg.svg -- "-x * sigmoid(x)"
        deltagrad graph --mlp 2,3,1 -o net.svg
        deltagrad graph --mlp 2,3,1 -o net.html
        deltagrad graph --model model.json -o trained.svg
        """,
    )
    p.add_argument("expression", nargs="?", metavar="EXPR",
                   help="the expression to draw")
    p.add_argument("--at", default="", metavar="NAME=NUM,...",
                   help="values of the expression's names, e.g. x=1.5,y=-2")
    p.add_argument("--mlp", type=types.layer_sizes, metavar="SIZES",
                   help="draw one sample's cost of a random net of these sizes")
    p.add_argument("--model", type=Path, metavar="FILE",
                   help="draw one sample's cost of a net saved by 'train --save'")
    _seed_option(p, " of the net and sample")
    p.add_argument("--elementary", action="store_true",
                   help="build z from binary * and + nodes instead of one node")
    p.add_argument("-o", "--out", type=types.graph_file, default=Path("graph.svg"),
                   metavar="FILE",
                   help="the file to write: FILE.svg the picture, FILE.html the "
                   "step-through page (default: graph.svg)")
    p.add_argument("--rankdir", choices=RANKDIRS, default="LR",
                   help="layout direction (default: LR, left to right)")
    p.add_argument("--max-nodes", type=types.node_limit, default=DEFAULT_MAX_NODES,
                   metavar="N",
                   help=f"refuse graphs with more nodes (default: {DEFAULT_MAX_NODES})")
    p.add_argument("--no-grad", action="store_true",
                   help="show data only, not grads")
    _timeout_option(p)


def _add_train(sub: _Subparsers) -> None:
    p = _command(
        sub,
        "train",
        summary="train a net on a data set",
        description=f"""
        Train an MLP by mini-batch gradient descent through the engine (autograd) or
        the four formulas in numpy, print its cost and accuracy, and optionally save
        it (JSON) and its pictures. --sizes must start with the data's number of
        inputs and end with its number of classes (or 1 for two classes); by default
        one hidden layer of 8. {" and ".join(REAL_DATASETS)} need scikit-learn.
        """,
        examples="""
        deltagrad train --data xor --sizes 2,6,1 --epochs 100 --lr 1 --batch 10
        deltagrad train --data digits --engine numpy --epochs 30 --save digits.json
        deltagrad train --data spiral --sizes 2,16,16,1 --engine numpy --out pics
        """,
    )
    p.add_argument("--data", choices=DATASETS, required=True, help="the data set")
    p.add_argument("--sizes", type=types.layer_sizes, metavar="SIZES",
                   help="layer sizes, input first (default: inputs,8,outputs)")
    _schedule_options(p, epochs=50)
    p.add_argument("--engine", choices=ENGINES, default="autograd",
                   help="gradients by the engine or by BP1-BP4 (default: autograd)")
    p.add_argument("--activation", choices=ACTIVATIONS, default="sigmoid",
                   help="hidden layers' activation (default: sigmoid)")
    p.add_argument("--samples", type=types.samples, metavar="N",
                   help=f"number of points, 10 to {types.MAX_SAMPLES:,} (default: "
                   f"{SYNTHETIC_SAMPLES}, or all for {'/'.join(REAL_DATASETS)})")
    p.add_argument("--noise", type=types.share, default=0.0,
                   help="label noise of the Playground sets, 0 to 1 (default: 0)")
    _seed_option(p)
    p.add_argument("--save", type=types.output_file, metavar="FILE",
                   help="save the trained net as JSON")
    p.add_argument("--out", type=Path, metavar="DIR",
                   help="also write the cost curve, network and boundary SVGs here")
    p.add_argument("--save-diverged", action="store_true",
                   help="write --save and --out even if training diverged "
                   "(its weights or cost exploded); without it such a run writes "
                   "no file and exits 1")
    _progress_option(p)
    _timeout_option(p)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``deltagrad`` and its four commands."""
    parser = argparse.ArgumentParser(
        prog=PROG,
        description=(
            "deltagrad: a scalar reverse-mode autodiff engine, a sigmoid MLP built\n"
            "from it, and the four formulas of backpropagation (BP1-BP4) to check it\n"
            "against."
        ),
        epilog=(
            "Start with:  deltagrad demo\n"
            "Each command explains itself:  deltagrad COMMAND --help"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")
    sub.required = True
    adders = {"demo": _add_demo, "compare": _add_compare, "graph": _add_graph,
              "train": _add_train}
    for name in COMMANDS:
        adders[name](sub)
    return parser
