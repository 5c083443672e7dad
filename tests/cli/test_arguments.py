"""What ``deltagrad`` accepts: bad arguments are usage errors (status 2, the usage,
a message naming the problem), found before any work; every example of the help
parses; every choice is the library's own list of names."""

from __future__ import annotations

import argparse
import shlex
from pathlib import Path

import pytest

import nn.names
import viz.names
import viz.render
from tests.cli.helpers import Run, subcommands
from viz.cli import args as checks
from viz.cli import build_parser
from viz.cli.commands.demo import check_pictures
from viz.cli.parser import COMMANDS, PROG
from viz.names import EXPRESSION_FUNCTIONS

# --- bad arguments -------------------------------------------------------------------

BAD_ARGUMENTS = [
    ([], "required"),
    (["frobnicate"], "invalid choice"),
    (["compare", "--sizes", "2"], "at least an input and an output"),
    (["compare", "--sizes", "a,b"], "comma-separated"),
    (["compare", "--sizes", "2,0,1"], ">= 1 neuron"),
    (["compare", "--batch", "0"], "at least 1"),
    (["compare", "--sizes", "100,100,1"], "parameters"),
    (["graph"], "exactly one of EXPR, --mlp SIZES or --model FILE"),
    (["graph", "x", "--mlp", "2,1"], "exactly one of"),
    (["graph", "x", "--at", "x"], "name=number"),
    (["graph", "--mlp", "2,1", "--at", "x=1"], "no EXPR"),
    (["graph", "y", "--at", "x=1"], "'y' has no value"),
    (["graph", "--mlp", "2,1", "--max-nodes", "0"], "at least 1"),
    (["train"], "--data"),
    (["train", "--data", "moons"], "invalid choice"),
    (["train", "--data", "circle", "--sizes", "3,4,1"], "2 inputs and 2 classes"),
    (["train", "--data", "circle", "--lr", "-1"], "greater than 0"),
    (["demo", "--epochs", "0"], "at least 1"),
    (["demo", "--sizes", "3,1"], "start with 2"),
    # seeds: numpy refuses negative ones, so argparse does
    (["compare", "--seed", "-5"], "'-5' must be at least 0"),
    (["demo", "--seed", "-1"], "'-1' must be at least 0"),
    (["train", "--data", "xor", "--seed", "-1"], "'-1' must be at least 0"),
    (["graph", "--mlp", "2,3,1", "--seed", "-1"], "'-1' must be at least 0"),
    (["graph", "--mlp", "2,3,1", "--seed", "1e3"], "'1e3' is not an integer"),
    # sizes with upper bounds, named in the message
    (["train", "--data", "circle", "--samples", "2000000000"],
     "at least 10 and at most 100,000"),
    (["demo", "--samples", "9"], "'9' must be at least 10"),
    (["demo", "--samples", "100000000"], "at most 100,000"),
    (["compare", "--batch", "100000000"], "at most 1,000"),
    (["train", "--data", "xor", "--batch", "10001"], "at most 10,000"),
    (["train", "--data", "xor", "--epochs", "100001"], "at most 100,000"),
    (["train", "--data", "xor", "--sizes", "2,1001,1"], "at most 1,000 neurons"),
    (["train", "--data", "xor", "--sizes", "2" + ",3" * 10], "at most 10 are"),
    (["train", "--data", "xor", "--sizes", "2,1000,1000,1"], "at most 1,000,000"),
    (["demo", "--timeout", "0"], "greater than 0"),
    (["graph", "x", "--at", "x=1", "--timeout", "nan"], "not a finite number"),
    (["train", "--data", "xor", "--lr", "inf"], "not a finite number"),
    (["graph", "x", "--at", "x=1", "-o", "a.png"], "must end in .svg"),
    # checked against the data set before it is made (and before scikit-learn loads)
    (["train", "--data", "iris", "--samples", "100000"], "iris has 150 samples"),
    (["train", "--data", "digits", "--samples", "2000"], "digits has 1797 samples"),
    (["train", "--data", "iris", "--sizes", "2,3,1"], "4 inputs and 3 classes"),
    # pictures that could not be drawn, refused before any training
    (["train", "--data", "xor", "--sizes", "2,100,100,1", "--out", "pics"],
     "at most 5,000 links"),
    (["demo", "--sizes", "2,100,100,1"], "at most 5,000 links"),
    (["demo", "--sizes", "2,1000,1"], "at most 2,000 nodes"),
    (["graph", "--mlp", "2,3,1", "--max-nodes", "20"], "max_nodes=20"),
    (["graph", "--mlp", "1000,1000,1000"], "would have at least 2,003,000 nodes"),
    # the demo's bounds, before numpy loads: links, compare's parameters, nodes
    (["demo", "--sizes", "2,1000,1000,1"], "at most 5,000 links"),
    (["demo", "--sizes", "2,1000,1,1000,1"],
     "7,002 parameters; the demo checks each"),
    # integers too large for a float: a usage error, not an OverflowError
    (["compare", "--seed", "1" + "0" * 400],
     "at most 18,446,744,073,709,551,615"),
    (["graph", "--mlp", "2,2,1", "--max-nodes", "9" * 400],
     "at most 1,000,000,000"),
    (["train", "--data", "xor", "--epochs", "9" * 309], "at most 100,000"),
    (["demo", "--samples", "9" * 400], "at most 100,000"),
    (["compare", "--seed", "9" * 5000], "is not an integer"),
    # a name ending in '/' is a folder's
    (["train", "--data", "xor", "--save", "x/"], "names a folder"),
]


@pytest.mark.usefixtures("no_dot", "no_sklearn")
@pytest.mark.parametrize(("args", "message"), BAD_ARGUMENTS)
def test_bad_arguments_print_the_usage_and_exit_2_before_any_work(
    deltagrad: Run, cwd: Path, args: list[str], message: str
) -> None:
    result = deltagrad(*args)
    assert result.status == 2
    assert result.err.startswith("usage: deltagrad")
    assert message in result.err
    assert result.err.endswith("\n")
    assert result.out == ""  # no work started: nothing to report
    assert list(cwd.iterdir()) == []  # nothing written


def test_a_graph_over_max_nodes_names_the_option_to_raise(deltagrad: Run) -> None:
    result = deltagrad("graph", "--mlp", "2,3,1", "--max-nodes", "20")
    assert result.status == 2
    assert result.err.rstrip().endswith("On the command line: --max-nodes N.")


@pytest.mark.parametrize(
    ("expression", "word"),
    [
        ("__import__('os').system('touch SENTINEL')", "method (.system())"),
        ("open('SENTINEL', 'w')", "'open'"),
        ("(lambda: open('SENTINEL', 'w'))()", "lambda"),
        ("[open('SENTINEL', 'w') for _ in 'a']", "comprehension"),
        ("x.__class__", "attribute"),
        ("'SENTINEL'", "string"),
    ],
)
def test_refused_expressions_exit_2_naming_what_was_refused_and_never_run(
    deltagrad: Run, cwd: Path, expression: str, word: str
) -> None:
    result = deltagrad("graph", expression, "--at", "x=1", "-o", "out.svg")
    assert result.status == 2
    assert "usage: deltagrad graph" in result.err
    assert "refused" in result.err
    assert word in result.err
    assert list(cwd.iterdir()) == []  # no SENTINEL, no out.svg


def test_a_5000_digit_literal_is_refused_in_our_words(deltagrad: Run) -> None:
    result = deltagrad("graph", "1" + "0" * 5000, "-o", "g.svg")
    assert result.status == 2
    assert "more than 4,300 digits" in result.err
    assert "sys." not in result.err


# --- the help ------------------------------------------------------------------------

def _examples(parser: argparse.ArgumentParser) -> list[list[str]]:
    assert parser.epilog is not None
    body = parser.epilog.partition("examples:\n")[2]
    assert body, "no examples"
    return [shlex.split(line) for line in body.splitlines()]


@pytest.mark.parametrize("name", COMMANDS)
def test_every_example_in_a_commands_help_is_a_valid_command_line(name: str) -> None:
    """Each example names its command and only the command's own options (exactly,
    not abbreviated), parses, and passes the checks made before the work."""
    parser = build_parser()
    command = subcommands(parser)[name]
    options = {o for action in command._actions for o in action.option_strings}
    for words in _examples(command):
        assert words[:2] == [PROG, name]
        flags = words[2 : words.index("--")] if "--" in words else words[2:]
        for word in flags:
            if word.startswith("-"):
                assert word in options, f"{shlex.join(words)}: no option {word}"
        args = parser.parse_args(words[1:])  # SystemExit fails the test
        assert args.command == name
        checks.check(args)  # a UsageError fails the test
        if name == "demo":
            check_pictures(args.sizes)


def test_the_main_help_lists_every_command_and_its_first_step_runs() -> None:
    parser = build_parser()
    assert list(subcommands(parser)) == list(COMMANDS)
    assert parser.epilog is not None
    start = parser.epilog.splitlines()[0].split(":", 1)[1].split()
    assert start[0] == PROG
    assert parser.parse_args(start[1:]).command == "demo"
    assert "deltagrad COMMAND --help" in parser.epilog


@pytest.mark.parametrize("name", ["demo", "graph", "train"])
def test_commands_that_draw_take_a_timeout(name: str) -> None:
    command = subcommands(build_parser())[name]
    (timeout,) = (a for a in command._actions if "--timeout" in a.option_strings)
    assert timeout.default == viz.render.DEFAULT_TIMEOUT
    needed = ["x", "--at", "x=1"] if name == "graph" else []
    needed += ["--data", "xor"] if name == "train" else []
    args = build_parser().parse_args([name, *needed, "--timeout", "2.5"])
    assert args.timeout == 2.5


# --- every name list once ------------------------------------------------------------


def _choices(name: str, option: str) -> tuple[str, ...]:
    command = subcommands(build_parser())[name]
    (action,) = (a for a in command._actions if option in a.option_strings)
    assert action.choices is not None
    return tuple(action.choices)


@pytest.mark.parametrize(
    ("name", "option", "names"),
    [
        ("demo", "--data", nn.names.SYNTHETIC_DATASETS),
        ("train", "--data", nn.names.DATASETS),
        ("train", "--engine", nn.names.ENGINES),
        ("train", "--activation", nn.names.ACTIVATIONS),
        ("compare", "--activation", nn.names.ACTIVATIONS),
        ("graph", "--rankdir", viz.names.RANKDIRS),
    ],
)
def test_the_choices_are_the_librarys_lists(
    name: str, option: str, names: tuple[str, ...]
) -> None:
    assert _choices(name, option) == names


def test_every_default_is_one_of_its_choices() -> None:
    """argparse does not check defaults against choices."""
    for command in subcommands(build_parser()).values():
        for action in command._actions:
            if action.choices is not None and action.default is not None:
                assert action.default in action.choices, action.dest


def test_the_graph_help_lists_every_expression_function(deltagrad: Run) -> None:
    help_text = " ".join(deltagrad("graph", "--help").out.split())
    for name, call in EXPRESSION_FUNCTIONS.items():
        assert (name if call == f"{name}(x)" else call) in help_text
