"""What ``deltagrad`` accepts: the argparse types with their bounds, and the checks
of values and combinations that argparse cannot make, run before any work.

A type raises ``argparse.ArgumentTypeError`` (argparse shows it with the usage); a
check raises :class:`~viz.cli.errors.UsageError` (``main`` does the same). Plain
Python: the parser uses this module, so ``deltagrad --help`` loads it, and
:func:`check` finds these usage errors before a command loads numpy. The checks that
need the library (a refused expression, a graph's exact node count) are the
command modules' own, also made before their work.
"""

from __future__ import annotations

import argparse
import itertools
import math
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from nn.names import DATASET_SHAPES
from viz.cli.errors import UsageError
from viz.errors import GraphTooLargeError
from viz.render import DEFAULT_MAX_LINKS, DEFAULT_MAX_NODES

__all__ = [
    "MAX_BATCH",
    "MAX_COMPARE_BATCH",
    "MAX_COMPARE_PARAMETERS",
    "MAX_EPOCHS",
    "MAX_LAYERS",
    "MAX_NODE_LIMIT",
    "MAX_SAMPLES",
    "MAX_SEED",
    "MAX_TRAIN_PARAMETERS",
    "MAX_WIDTH",
    "batch",
    "check",
    "check_compare_sizes",
    "check_demo_sizes",
    "check_graph_inputs",
    "check_links",
    "check_net_nodes",
    "check_nodes",
    "compare_batch",
    "epochs",
    "graph_file",
    "layer_sizes",
    "learning_rate",
    "links",
    "node_limit",
    "number",
    "output_file",
    "parameters",
    "samples",
    "seed",
    "share",
    "show",
    "svg_file",
    "timeout",
    "train_sizes",
]

# --- bounds -----------------------------------------------------------------------

#: Upper bounds of the sizes the commands accept: beyond them a run would take hours
#: or exhaust memory (the engine keeps one Python object per scalar of the graph).
MAX_SAMPLES = 100_000
MAX_BATCH = 10_000
MAX_COMPARE_BATCH = 1_000
MAX_EPOCHS = 100_000
MAX_WIDTH = 1_000
MAX_LAYERS = 10
MAX_TRAIN_PARAMETERS = 1_000_000

#: ``compare`` checks every parameter by central differences; bigger nets take long.
MAX_COMPARE_PARAMETERS = 5000

#: Seeds are 64-bit, as ``torch.manual_seed`` takes them.
MAX_SEED = 2**64 - 1

#: --max-nodes beyond this is no limit at all (dot would take days).
MAX_NODE_LIMIT = 10**9

# --- argument types ---------------------------------------------------------------

Number = TypeVar("Number", int, float)


def number(
    convert: Callable[[str], Number],
    low: Number,
    high: float = math.inf,
    *,
    above: bool = False,
) -> Callable[[str], Number]:
    """An argparse type: ``convert(text)`` checked to lie in [low, high], or in
    (low, high] when ``above``; the message names the bounds."""

    def shown(bound: float) -> str:
        return f"{bound:,}" if isinstance(bound, int) else f"{bound:g}"

    noun = "an integer" if convert is int else "a number"
    rule = f"greater than {shown(low)}" if above else f"at least {shown(low)}"
    if high < math.inf:
        rule += f" and at most {shown(high)}"

    def parse(text: str) -> Number:
        try:
            value = convert(text)
        except ValueError:  # int() also refuses more than 4,300 digits
            raise argparse.ArgumentTypeError(f"{text!r} is not {noun}") from None
        # An int is exact and finite; math.isfinite would overflow past 1.8e308.
        if not isinstance(value, int) and not math.isfinite(value):
            raise argparse.ArgumentTypeError(f"{text!r} is not a finite number")
        if not (value > low if above else value >= low) or value > high:
            raise argparse.ArgumentTypeError(f"{text!r} must be {rule}")
        return value

    return parse


def layer_sizes(text: str) -> list[int]:
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


def graph_file(text: str) -> Path:
    """An output file name that ends in .svg (a picture) or .html (the step-through
    page): the extension picks what is written."""
    if not text.lower().endswith((".svg", ".html")):
        raise argparse.ArgumentTypeError(
            f"{text!r}: the name must end in .svg (the picture) or .html (the "
            "page that steps through the backward pass)"
        )
    return Path(text)


def svg_file(text: str) -> Path:
    """An output file name that ends in .svg (what is written is always SVG)."""
    if not text.lower().endswith(".svg"):
        raise argparse.ArgumentTypeError(
            f"{text!r}: the picture is written as SVG, so the name must end in .svg"
        )
    return Path(text)


def output_file(text: str) -> Path:
    """A file to write. A name that ends in '/' names a folder, and is refused here,
    since ``Path`` would drop the '/' (``--save x/`` would write a file ``x``)."""
    if text.endswith("/"):
        raise argparse.ArgumentTypeError(
            f"{text!r} ends in '/', so it names a folder; give a file name"
        )
    return Path(text)


seed = number(int, 0, MAX_SEED)  # numpy refuses negative seeds
learning_rate = number(float, 0.0, above=True)
share = number(float, 0.0, 1.0)
timeout = number(float, 0.0, 86_400.0, above=True)  # up to a day
samples = number(int, 10, MAX_SAMPLES)
batch = number(int, 1, MAX_BATCH)
compare_batch = number(int, 1, MAX_COMPARE_BATCH)
epochs = number(int, 1, MAX_EPOCHS)
node_limit = number(int, 1, MAX_NODE_LIMIT)

# --- checks before the work -------------------------------------------------------


def parameters(sizes: Sequence[int]) -> int:
    """How many weights and biases an MLP of these sizes has."""
    return sum(n_prev * n + n for n_prev, n in itertools.pairwise(sizes))


def links(sizes: Sequence[int]) -> int:
    """How many weights (the links of its network diagram) an MLP of these sizes has."""
    return sum(n_prev * n for n_prev, n in itertools.pairwise(sizes))


def show(sizes: Sequence[int]) -> str:
    """Sizes as the command line writes them: ``2,3,1``."""
    return ",".join(map(str, sizes))


def check_demo_sizes(data: str, sizes: Sequence[int]) -> None:
    """The demo's net has one output for its data's 2 classes (a Playground set:
    2 inputs, 2 classes), within the bounds of what the demo does: the network
    diagram's links, compare's parameters (it compares by central differences
    first) and, its leaves at least, the cost graph's nodes."""
    shape = DATASET_SHAPES[data]
    if sizes[0] != shape.n_features or sizes[-1] != 1:
        raise UsageError(
            f"--sizes {show(sizes)}: the demo's data has {shape.n_features} inputs "
            f"and {shape.n_classes} classes, so sizes must start with "
            f"{shape.n_features} and end with 1, e.g. {shape.n_features},4,1"
        )
    check_links(sizes, DEFAULT_MAX_LINKS, who="the demo",
                instead="give smaller --sizes")
    count = parameters(sizes)
    if count > MAX_COMPARE_PARAMETERS:
        raise UsageError(
            f"the net {show(sizes)} has {count:,} parameters; the demo checks each "
            "by central differences, so it allows at most "
            f"{MAX_COMPARE_PARAMETERS:,}: give smaller --sizes"
        )
    leaves = count + sizes[0]
    if leaves > DEFAULT_MAX_NODES:
        raise UsageError(
            "the demo draws one sample's cost graph, which allows at most "
            f"{DEFAULT_MAX_NODES:,} nodes; the net {show(sizes)} makes at least "
            f"{leaves:,}: give smaller --sizes"
        )


def check_compare_sizes(sizes: Sequence[int]) -> None:
    """``compare`` checks each parameter by central differences: not too many."""
    count = parameters(sizes)
    if count > MAX_COMPARE_PARAMETERS:
        raise UsageError(
            f"the net {show(sizes)} has {count:,} parameters; compare checks each "
            "by central differences, so it allows at most "
            f"{MAX_COMPARE_PARAMETERS:,}: use a smaller net"
        )


def check_graph_inputs(
    expression: str | None, mlp: Sequence[int] | None, model: Path | None, at: str
) -> None:
    """``graph`` draws exactly one of EXPR, --mlp and --model; --at needs EXPR."""
    given = [
        name
        for name, value in (("EXPR", expression), ("--mlp", mlp), ("--model", model))
        if value is not None
    ]
    if len(given) != 1:
        raise UsageError(
            "give exactly one of EXPR, --mlp SIZES or --model FILE"
            + (f" (got {', '.join(given)})" if given else "")
        )
    if expression is None and at:
        raise UsageError("--at gives values to an expression's names; there is no EXPR")


def check_nodes(nodes: int, limit: int, *, at_least: bool = False) -> None:
    """A graph of ``nodes`` picture nodes is drawn only within --max-nodes."""
    if nodes > limit:
        error = GraphTooLargeError(nodes, limit, at_least=at_least)
        raise UsageError(f"{error} On the command line: --max-nodes N.")


def check_net_nodes(sizes: Sequence[int], limit: int) -> None:
    """One sample's cost graph of a net of ``sizes`` has at least a node per
    parameter and per input (its leaves): refused within --max-nodes before the
    net is built (``graph --mlp`` and ``--model``)."""
    check_nodes(parameters(sizes) + sizes[0], limit, at_least=True)


def check_links(sizes: Sequence[int], limit: int, *, who: str, instead: str) -> None:
    """The network diagram of a net of ``sizes`` has at most ``limit`` links."""
    count = links(sizes)
    if count > limit:
        raise UsageError(
            f"{who} draws the network diagram, which allows at most {limit:,} links; "
            f"the net {show(sizes)} has {count:,}: {instead}"
        )


def train_sizes(
    data: str, sizes: Sequence[int] | None, samples: int | None
) -> list[int]:
    """The sizes ``train`` uses on ``data`` (default: inputs,8,outputs), after checking
    them and ``samples`` against the data set and the parameter limit."""
    n_features, n_classes, available = DATASET_SHAPES[data]
    if samples is not None and available is not None and samples > available:
        raise UsageError(
            f"--samples {samples}: {data} has {available} samples, cannot draw "
            f"n={samples} (leave out --samples for all of them)"
        )
    n_out = 1 if n_classes == 2 else n_classes
    chosen = list(sizes) if sizes else [n_features, 8, n_out]
    if chosen[0] != n_features or chosen[-1] not in (n_classes, n_out):
        raise UsageError(
            f"--sizes {show(chosen)} does not fit {data}: it has {n_features} inputs "
            f"and {n_classes} classes, so sizes must be {n_features},...,{n_out}"
        )
    count = parameters(chosen)
    if count > MAX_TRAIN_PARAMETERS:
        raise UsageError(
            f"the net {show(chosen)} has {count:,} parameters; train allows at most "
            f"{MAX_TRAIN_PARAMETERS:,}: use a smaller net"
        )
    return chosen


def check(args: argparse.Namespace) -> None:
    """The checks above that apply to the parsed command ``args.command``."""
    if args.command == "demo":
        check_demo_sizes(args.data, args.sizes)
    elif args.command == "compare":
        check_compare_sizes(args.sizes)
    elif args.command == "graph":
        check_graph_inputs(args.expression, args.mlp, args.model, args.at)
        if args.mlp is not None:  # before a huge net is built
            check_net_nodes(args.mlp, args.max_nodes)
    elif args.command == "train":
        train_sizes(args.data, args.sizes, args.samples)
