"""The ``deltagrad`` command: ``demo``, ``compare``, ``graph`` and ``train``.

Exit status: 0 on success; 1 when the work failed (a check out of tolerance, no ``dot``,
no scikit-learn, a file that cannot be read or written); 2 for a usage error (bad
arguments, a refused expression, a graph over the node limit), which also prints the
usage. A user error never shows a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import math
import sys
import textwrap
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from viz.render import DEFAULT_TIMEOUT

if TYPE_CHECKING:
    from engine import Value
    from nn import MLP, Dataset, History

__all__ = ["CommandError", "UsageError", "build_parser", "main"]

PROG = "deltagrad"

_DATASETS = ("circle", "xor", "gauss", "spiral", "iris", "digits")
_ACTIVATIONS = ("sigmoid", "tanh", "relu", "linear")

#: ``compare`` checks every parameter by central differences; bigger nets take long.
MAX_COMPARE_PARAMETERS = 5000


class UsageError(Exception):
    """Arguments that parse but do not make sense together; exit status 2."""


class CommandError(Exception):
    """The command could not do its work; exit status 1."""


# --- argument types ---------------------------------------------------------------

#: Upper bounds of the sizes the commands accept: beyond them a run would take hours
#: or exhaust memory (the engine keeps one Python object per scalar of the graph).
MAX_SAMPLES = 100_000
MAX_BATCH = 10_000
MAX_COMPARE_BATCH = 1_000
MAX_EPOCHS = 100_000
MAX_WIDTH = 1_000
MAX_LAYERS = 10
MAX_TRAIN_PARAMETERS = 1_000_000

Number = TypeVar("Number", int, float)


def _number(
    convert: Callable[[str], Number],
    low: Number,
    high: float = math.inf,
    *,
    above: bool = False,
) -> Callable[[str], Number]:
    """An argparse type: ``convert(text)`` checked to lie in [low, high], or in
    (low, high] when ``above``; the message names the bounds."""

    def show(bound: float) -> str:
        return f"{bound:,}" if isinstance(bound, int) else f"{bound:g}"

    noun = "an integer" if convert is int else "a number"
    rule = f"greater than {show(low)}" if above else f"at least {show(low)}"
    if high < math.inf:
        rule += f" and at most {show(high)}"

    def parse(text: str) -> Number:
        try:
            value = convert(text)
        except ValueError:  # int() also refuses more than 4,300 digits
            raise argparse.ArgumentTypeError(f"{text!r} is not {noun}") from None
        if not math.isfinite(value):
            raise argparse.ArgumentTypeError(f"{text!r} is not a finite number")
        if not (value > low if above else value >= low) or value > high:
            raise argparse.ArgumentTypeError(f"{text!r} must be {rule}")
        return value

    return parse


def _sizes(text: str) -> list[int]:
    """``"2,3,1"`` -> [2, 3, 1]: 2 to MAX_LAYERS layers of 1 to MAX_WIDTH neurons."""
    try:
        sizes = [int(part) for part in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a comma-separated list of layer sizes, e.g. 2,3,1"
        ) from None
    if len(sizes) < 2:
        raise argparse.ArgumentTypeError(
            f"{text!r}: need at least an input and an output layer, e.g. 2,3,1"
        )
    if len(sizes) > MAX_LAYERS:
        raise argparse.ArgumentTypeError(
            f"{text!r} has {len(sizes)} layers; at most {MAX_LAYERS} are allowed"
        )
    if min(sizes) < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: every layer needs >= 1 neuron")
    if max(sizes) > MAX_WIDTH:
        raise argparse.ArgumentTypeError(
            f"{text!r}: a layer may have at most {MAX_WIDTH:,} neurons"
        )
    return sizes


def _svg_file(text: str) -> Path:
    """An output file name that ends in .svg (what is written is always SVG)."""
    if not text.lower().endswith(".svg"):
        raise argparse.ArgumentTypeError(
            f"{text!r}: the picture is written as SVG, so the name must end in .svg"
        )
    return Path(text)


_seed = _number(int, 0)
_lr = _number(float, 0.0, above=True)
_share = _number(float, 0.0, 1.0)
_timeout = _number(float, 0.0, 86_400.0, above=True)  # up to a day
_samples = _number(int, 10, MAX_SAMPLES)
_batch = _number(int, 1, MAX_BATCH)
_epochs = _number(int, 1, MAX_EPOCHS)


# --- the parser -------------------------------------------------------------------


def _command(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
    name: str,
    *,
    summary: str,
    description: str,
    examples: str,
    run: Callable[[argparse.Namespace], int],
) -> argparse.ArgumentParser:
    p = sub.add_parser(
        name,
        help=summary,
        description=textwrap.dedent(description).strip(),
        epilog="examples:\n" + textwrap.indent(textwrap.dedent(examples).strip(), "  "),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.set_defaults(run=run, command_parser=p)
    return p


def _seed_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--seed", type=_seed, default=0, help="random seed (default: 0)")


def _schedule_options(p: argparse.ArgumentParser, epochs: int) -> None:
    """--epochs, --lr and --batch of a training command."""
    p.add_argument("--epochs", type=_epochs, default=epochs,
                   help=f"training epochs (default: {epochs})")
    p.add_argument("--lr", type=_lr, default=1.0, help="learning rate (default: 1)")
    p.add_argument("--batch", type=_batch, default=10, metavar="M",
                   help="mini-batch size (default: 10)")


def _progress_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                   help="progress bar (default: when stderr is a terminal)")


def _timeout_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--timeout", type=_timeout, default=DEFAULT_TIMEOUT,
                   metavar="SECONDS",
                   help="stop dot if one picture takes longer "
                   f"(default: {DEFAULT_TIMEOUT:g})")


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

    p = _command(
        sub,
        "demo",
        summary="train a small net, check it, draw it (the main job)",
        description="""
        Build a sigmoid MLP on TensorFlow Playground's circle data, print its gradients
        by autograd next to the four formulas BP1-BP4, train it (with a progress bar),
        print its accuracy, and write four SVG pictures: one sample's computation
        graph, the network diagram, the cost curve and the decision boundary.
        Needs no options; the others make it smaller or different.
        """,
        examples="""
        deltagrad demo
        deltagrad demo --out pictures --epochs 50
        """,
        run=_run_demo,
    )
    p.add_argument("--out", type=Path, default=Path("deltagrad-demo"), metavar="DIR",
                   help="folder for the pictures (default: ./deltagrad-demo)")
    p.add_argument("--data", choices=_DATASETS[:4], default="circle",
                   help="Playground data set (default: circle)")
    p.add_argument("--samples", type=_samples, default=400, metavar="N",
                   help=f"number of points, 10 to {MAX_SAMPLES:,} (default: 400)")
    p.add_argument("--noise", type=_share, default=0.1,
                   help="label noise, 0 to 1 (default: 0.1)")
    p.add_argument("--sizes", type=_sizes, default=[2, 4, 1],
                   help="layer sizes, input first (default: 2,4,1)")
    _schedule_options(p, epochs=150)
    _seed_option(p)
    _progress_option(p)
    _timeout_option(p)

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
        run=_run_compare,
    )
    p.add_argument("--sizes", type=_sizes, default=[2, 3, 1],
                   help="layer sizes, input first (default: 2,3,1)")
    _seed_option(p)
    p.add_argument("--batch", type=_number(int, 1, MAX_COMPARE_BATCH), default=1,
                   metavar="M", help="number of samples (default: 1)")
    p.add_argument("--activation", choices=_ACTIVATIONS, default="sigmoid",
                   help="activation of every layer (default: sigmoid)")

    p = _command(
        sub,
        "graph",
        summary="draw a computation graph (an expression or a net's cost) as SVG",
        description="""
        Draw the computation graph of an expression, or of one sample's cost C of a
        net, with every node's data and grad (constants show no grad), as an SVG
        file. Expressions may use
        numbers, names given with --at, + - * / ** and unary -, and exp, log, tanh,
        sigmoid, relu; anything else is refused, never evaluated. An expression that
        starts with '-' goes after '--'.
        """,
        examples="""
        deltagrad graph "tanh(x * y + 1) ** 2" --at x=1.5,y=-2 -o out.svg
        deltagrad graph --at x=2 -o neg.svg -- "-x * sigmoid(x)"
        deltagrad graph --mlp 2,3,1 -o net.svg
        deltagrad graph --model model.json -o trained.svg
        """,
        run=_run_graph,
    )
    p.add_argument("expression", nargs="?", metavar="EXPR",
                   help="the expression to draw")
    p.add_argument("--at", default="", metavar="NAME=NUM,...",
                   help="values of the expression's names, e.g. x=1.5,y=-2")
    p.add_argument("--mlp", type=_sizes, metavar="SIZES",
                   help="draw one sample's cost of a random net of these sizes")
    p.add_argument("--model", type=Path, metavar="FILE",
                   help="draw one sample's cost of a net saved by 'train --save'")
    p.add_argument("--seed", type=_seed, default=0,
                   help="random seed of the net and sample (default: 0)")
    p.add_argument("--elementary", action="store_true",
                   help="build z from binary * and + nodes instead of one node")
    p.add_argument("-o", "--out", type=_svg_file, default=Path("graph.svg"),
                   metavar="FILE",
                   help="the SVG file to write; its name must end in .svg "
                   "(default: graph.svg)")
    p.add_argument("--rankdir", choices=("LR", "TB", "RL", "BT"), default="LR",
                   help="layout direction (default: LR, left to right)")
    p.add_argument("--max-nodes", type=_number(int, 1), default=5000, metavar="N",
                   help="refuse graphs with more nodes (default: 5000)")
    p.add_argument("--no-grad", action="store_true",
                   help="show data only, not grads")
    _timeout_option(p)

    p = _command(
        sub,
        "train",
        summary="train a net on a data set",
        description="""
        Train an MLP by mini-batch gradient descent through the engine (autograd) or
        the four formulas in numpy, print its cost and accuracy, and optionally save
        it (JSON) and its pictures. --sizes must start with the data's number of
        inputs and end with its number of classes (or 1 for two classes); by default
        one hidden layer of 8. iris and digits need scikit-learn.
        """,
        examples="""
        deltagrad train --data xor --sizes 2,6,1 --epochs 100 --lr 1 --batch 10
        deltagrad train --data digits --engine numpy --epochs 30 --save digits.json
        deltagrad train --data spiral --sizes 2,16,16,1 --engine numpy --out pics
        """,
        run=_run_train,
    )
    p.add_argument("--data", choices=_DATASETS, required=True, help="the data set")
    p.add_argument("--sizes", type=_sizes, metavar="SIZES",
                   help="layer sizes, input first (default: inputs,8,outputs)")
    _schedule_options(p, epochs=50)
    p.add_argument("--engine", choices=("autograd", "numpy"), default="autograd",
                   help="gradients by the engine or by BP1-BP4 (default: autograd)")
    p.add_argument("--activation", choices=_ACTIVATIONS, default="sigmoid",
                   help="hidden layers' activation (default: sigmoid)")
    p.add_argument("--samples", type=_samples, metavar="N",
                   help=f"number of points, 10 to {MAX_SAMPLES:,} (default: 500, or "
                   "all for iris/digits)")
    p.add_argument("--noise", type=_share, default=0.0,
                   help="label noise of the Playground sets, 0 to 1 (default: 0)")
    _seed_option(p)
    p.add_argument("--save", type=Path, metavar="FILE",
                   help="save the trained net as JSON")
    p.add_argument("--out", type=Path, metavar="DIR",
                   help="also write the cost curve, network and boundary SVGs here")
    _progress_option(p)
    _timeout_option(p)
    return parser


# --- the commands -----------------------------------------------------------------


def _parameters(sizes: Sequence[int]) -> int:
    """How many weights and biases an MLP of these sizes has."""
    return sum(n_prev * n + n for n_prev, n in itertools.pairwise(sizes))


def _show(sizes: Sequence[int]) -> str:
    return ",".join(map(str, sizes))


@contextlib.contextmanager
def _user_options() -> Iterator[None]:
    """Inside, nn's ValueError or TypeError about values the user gave (a sample
    count the data set does not have, say) becomes a usage error."""
    from nn import ModelFileError  # noqa: PLC0415 - fast --help
    from viz.errors import VizError  # noqa: PLC0415

    try:
        yield
    except (ModelFileError, VizError):
        raise
    except (ValueError, TypeError) as err:
        raise UsageError(str(err)) from None


def _run_demo(args: argparse.Namespace) -> int:
    from viz.demo import DemoSettings, run_demo  # noqa: PLC0415 - fast --help

    if args.sizes[0] != 2 or args.sizes[-1] != 1:
        raise UsageError(
            f"--sizes {_show(args.sizes)}: the demo's data has 2 inputs and 2 "
            "classes, so sizes must start with 2 and end with 1, e.g. 2,4,1"
        )
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
    with _user_options():  # run_demo's ValueErrors are settings that do not fit
        result = run_demo(settings)
    return 0 if result.comparison_ok else 1


def _run_compare(args: argparse.Namespace) -> int:
    import numpy as np  # noqa: PLC0415 - fast --help

    from nn import MLP, compare  # noqa: PLC0415

    sizes = args.sizes
    params = _parameters(sizes)
    if params > MAX_COMPARE_PARAMETERS:
        raise UsageError(
            f"the net {_show(sizes)} has {params:,} parameters; compare checks each "
            "by central differences, so it allows at most "
            f"{MAX_COMPARE_PARAMETERS:,}: use a smaller net"
        )
    rng = np.random.default_rng(args.seed)
    with _user_options():
        net = MLP(sizes, activation=args.activation, seed=args.seed)
        x = rng.normal(size=(args.batch, sizes[0]))
        y = rng.uniform(size=(args.batch, sizes[-1]))
        report = compare(net, x, y)
    print(
        f"MLP {sizes} ({args.activation}), seed {args.seed}, a batch of {args.batch} "
        "random sample(s), cost C = 1/2 sum_j (y_j - a^L_j)^2 summed over the batch\n"
    )
    print(report)
    if not report.ok:
        print(f"{PROG} compare: differences exceed the tolerance", file=sys.stderr)
        return 1
    return 0


def _net_cost_graph(args: argparse.Namespace) -> tuple[Value, str]:
    """One sample's cost of the net given by --mlp or --model, after backward()."""
    import numpy as np  # noqa: PLC0415 - fast --help

    from nn import MLP, mse  # noqa: PLC0415

    if args.model is not None:
        net = MLP.load(args.model, elementary=args.elementary)
        what = f"net {args.model}"
    else:
        sizes = args.mlp
        at_least = _parameters(sizes) + sizes[0]
        if at_least > args.max_nodes:
            from viz.errors import GraphTooLargeError  # noqa: PLC0415

            raise GraphTooLargeError(at_least, args.max_nodes, at_least=True)
        with _user_options():
            net = MLP(sizes, seed=args.seed, elementary=args.elementary)
        what = f"MLP {sizes}"
    rng = np.random.default_rng(args.seed)
    x = rng.normal(size=net.sizes[0])
    y = rng.uniform(size=net.sizes[-1])
    cost = mse(net(list(x)), list(y))
    net.zero_grad()
    cost.backward()
    return cost, f"one sample's cost C of the {what}"


def _run_graph(args: argparse.Namespace) -> int:
    from nn.files import check_output_file  # noqa: PLC0415 - fast --help
    from viz.expr import evaluate, parse_bindings  # noqa: PLC0415
    from viz.graph import count_nodes, render_svg  # noqa: PLC0415

    given = [
        name
        for name, value in (
            ("EXPR", args.expression),
            ("--mlp", args.mlp),
            ("--model", args.model),
        )
        if value is not None
    ]
    if len(given) != 1:
        raise UsageError(
            "give exactly one of EXPR, --mlp SIZES or --model FILE"
            + (f" (got {', '.join(given)})" if given else "")
        )
    if args.expression is None and args.at:
        raise UsageError("--at gives values to an expression's names; there is no EXPR")
    if args.expression is not None:
        bindings = parse_bindings(args.at)
        root = evaluate(args.expression, bindings)
        if root.requires_grad:  # an expression of numbers alone is a constant
            root.backward()
        leaves = _named_leaves(root)
        unused = [name for name in bindings if name not in {v.label for v in leaves}]
        if unused:
            print(
                f"{PROG} graph: warning: --at gives {', '.join(unused)}, which the "
                "expression does not use",
                file=sys.stderr,
            )
        grads = [f"d/d{v.label} = {v.grad:.6g}" for v in leaves]
        what = f"{args.expression} = {root.data:.6g}" + (
            f"  ({', '.join(grads)})" if grads else ""
        )
    else:
        root, what = _net_cost_graph(args)
    check_output_file(args.out)  # before dot runs
    path = render_svg(
        root,
        args.out,
        show_grad=not args.no_grad,
        rankdir=args.rankdir,
        max_nodes=args.max_nodes,
        timeout=args.timeout,
    )
    print(what)
    print(f"wrote {path} ({count_nodes(root)} nodes)")
    return 0


def _named_leaves(root: Value) -> list[Value]:
    from engine import topological_order  # noqa: PLC0415

    return [v for v in topological_order(root) if v.label and not v.op]


_TRAIN_PICTURES = ("loss.svg", "network.svg", "boundary.svg")


def _check_train_outputs(args: argparse.Namespace, sizes: Sequence[int]) -> None:
    """Refuse, before training, outputs that could not be written afterwards."""
    from nn.files import check_output_file, make_output_folder  # noqa: PLC0415
    from viz.network import DEFAULT_MAX_LINKS  # noqa: PLC0415

    if args.out is not None:
        links = _parameters(sizes) - sum(sizes[1:])
        if links > DEFAULT_MAX_LINKS:
            raise UsageError(
                f"--out draws the network diagram, which allows at most "
                f"{DEFAULT_MAX_LINKS:,} links; the net {_show(sizes)} has {links:,}: "
                "leave out --out or train a smaller net"
            )
    if args.save is not None:
        check_output_file(args.save)
    if args.out is not None:
        make_output_folder(args.out)
        for name in _TRAIN_PICTURES:
            check_output_file(args.out / name)


def _run_train(args: argparse.Namespace) -> int:
    import time  # noqa: PLC0415

    from nn import MLP, accuracy, fit, make_dataset  # noqa: PLC0415
    from nn.data import train_test_split  # noqa: PLC0415

    with _user_options():
        ds = make_dataset(args.data, n=args.samples, noise=args.noise, seed=args.seed)
    n_out = 1 if ds.n_classes == 2 else ds.n_classes
    sizes = args.sizes or [ds.n_features, 8, n_out]
    if sizes[0] != ds.n_features or sizes[-1] not in (ds.n_classes, n_out):
        expected = f"{ds.n_features},...,{n_out}"
        raise UsageError(
            f"--sizes {_show(sizes)} does not fit {args.data}: it has "
            f"{ds.n_features} inputs and {ds.n_classes} classes, so sizes must be "
            f"{expected}"
        )
    params = _parameters(sizes)
    if params > MAX_TRAIN_PARAMETERS:
        raise UsageError(
            f"the net {_show(sizes)} has {params:,} parameters; train allows at most "
            f"{MAX_TRAIN_PARAMETERS:,}: use a smaller net"
        )
    _check_train_outputs(args, sizes)
    with _user_options():
        train, test = train_test_split(ds, 0.8, seed=args.seed)
        net = MLP(sizes, activation=args.activation, output_activation="sigmoid",
                  seed=args.seed)
    print(
        f"training MLP {sizes} ({args.activation}) on {args.data}: {len(train)} "
        f"samples to train, {len(test)} to test; {args.epochs} epochs, lr "
        f"{args.lr:g}, batches of {args.batch}, {args.engine} engine"
    )
    start = time.perf_counter()
    with _user_options():
        history = fit(net, train, epochs=args.epochs, lr=args.lr,
                      batch_size=args.batch, engine=args.engine, seed=args.seed,
                      test=test, progress=args.progress)
    print(
        f"final cost {history.loss[-1]:.4g}, train accuracy "
        f"{100 * history.accuracy[-1]:.1f} %, test accuracy "
        f"{100 * accuracy(net, test):.1f} % ({time.perf_counter() - start:.1f} s)"
    )
    if args.save is not None:
        try:
            net.save(args.save)
        except ValueError as err:  # e.g. weights that diverged to inf
            raise CommandError(str(err)) from None
        print(f"saved {args.save}")
    if args.out is not None:
        _train_pictures(args, net, history, ds, sizes)
    return 0


def _train_pictures(
    args: argparse.Namespace, net: MLP, history: History, ds: Dataset,
    sizes: Sequence[int],
) -> None:
    from nn import outputs  # noqa: PLC0415
    from viz.network import render_network  # noqa: PLC0415
    from viz.plots import plot_decision_boundary, plot_history  # noqa: PLC0415

    loss, network, boundary = (args.out / name for name in _TRAIN_PICTURES)
    paths = [
        plot_history(history, loss, title=f"{args.data}: {list(sizes)}"),
        render_network(net, network, timeout=args.timeout),
    ]
    if ds.n_features == 2:
        paths.append(
            plot_decision_boundary(
                lambda p: outputs(net, p), ds.x, ds.labels, boundary,
                n_classes=ds.n_classes, title=f"{args.data}: decision boundary",
            )
        )
    for path in paths:
        print(f"wrote {path}")


# --- main -------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``deltagrad`` with ``argv`` (default: the command line); the exit status.

    Ctrl-C at any point, importing included, ends with status 130 and one line."""
    try:
        return _main(argv)
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130


def _main(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)  # exits 2 with the usage on bad arguments
    command: argparse.ArgumentParser = args.command_parser

    from nn import ModelFileError  # noqa: PLC0415 - fast --help
    from nn.data import MissingDependencyError  # noqa: PLC0415
    from viz.errors import (  # noqa: PLC0415
        DotTimeoutError,
        ExpressionError,
        GraphTooLargeError,
        VizError,
    )

    try:
        status: int = args.run(args)
    except (UsageError, ExpressionError, GraphTooLargeError) as err:
        big = isinstance(err, GraphTooLargeError)
        hint = " On the command line: --max-nodes N." if big else ""
        command.print_usage(sys.stderr)
        print(f"{command.prog}: error: {err}{hint}", file=sys.stderr)
        return 2
    except DotTimeoutError as err:
        message = f"{err} On the command line: --timeout SECONDS."
    except (CommandError, VizError, MissingDependencyError, ModelFileError) as err:
        message = str(err)
    except UnicodeDecodeError as err:
        message = f"cannot read the file: it is not UTF-8 text ({err.reason})"
    except OSError as err:
        where = f"{err.filename}: " if err.filename else ""
        message = f"{where}{err.strerror or err}"
    else:
        return status
    print(f"{PROG}: error: {message}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
