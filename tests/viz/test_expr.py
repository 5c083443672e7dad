"""The expression parser: allowed expressions compute what Python computes, on engine
Values; everything else is refused with a message naming it, and never runs."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine import Value, topological_order
from tests.strategies import REFUSED_SNIPPETS, expressions, refused_expressions
from viz import ExpressionError, evaluate, parse_bindings
from viz.expr import FUNCTIONS, check_expression
from viz.names import EXPRESSION_FUNCTIONS

SENTINEL = Path(__file__).resolve().parent / "SENTINEL-must-not-exist"


@given(
    expression=expressions,
    x=st.floats(-2.0, 2.0),
    y=st.floats(-2.0, 2.0),
)
def test_parsed_expressions_compute_what_python_computes(
    expression: tuple[str, Callable[[float, float], float]], x: float, y: float
) -> None:
    text, f = expression
    value = evaluate(text, {"x": x, "y": y})
    assert isinstance(value, Value)
    assert value.data == pytest.approx(f(x, y), rel=1e-12, abs=1e-12)


@settings(max_examples=100)
@given(expression=expressions, x=st.floats(-2.0, 2.0), y=st.floats(-2.0, 2.0))
def test_each_name_is_one_leaf_labelled_with_it(
    expression: tuple[str, Callable[[float, float], float]], x: float, y: float
) -> None:
    text, _ = expression
    root = evaluate(text, {"x": x, "y": y})
    named = [v for v in topological_order(root) if v.label]
    assert sorted(v.label for v in named) == sorted(check_expression(text))
    assert all(not v.op for v in named)


def test_a_name_used_twice_gets_the_sum_of_both_uses_in_its_grad() -> None:
    root = evaluate("x * x + 3 * x", {"x": 2.0})
    root.backward()
    (x,) = [v for v in topological_order(root) if v.label == "x"]
    assert x.grad == 2 * 2.0 + 3


def test_a_number_exponent_is_the_engines_constant_power() -> None:
    assert evaluate("x ** 2", {"x": 3.0}).op == "powc"
    assert evaluate("x ** -1", {"x": 4.0}).data == 0.25
    assert evaluate("2 ** x", {"x": 3.0}).op == "pow"
    assert evaluate("x ** y", {"x": 2.0, "y": 3.0}).data == 8.0


def test_numbers_alone_make_a_graph_of_constants() -> None:
    assert evaluate("2 * 3", {}).data == 6.0
    assert evaluate("-2", {}).data == -2.0
    assert evaluate("+x", {"x": 1.0}).data == 1.0


@pytest.mark.parametrize(("snippet", "word"), REFUSED_SNIPPETS)
def test_forbidden_constructs_are_refused_with_a_message_naming_them(
    snippet: str, word: str
) -> None:
    with pytest.raises(ExpressionError, match="refused") as err:
        evaluate(snippet.replace("SENTINEL", str(SENTINEL)), {"x": 1.0, "y": 2.0})
    assert word in str(err.value)


@settings(max_examples=150)
@given(refused_expressions())
def test_refused_expressions_are_never_evaluated(case: tuple[str, str]) -> None:
    text, word = case
    with pytest.raises(ExpressionError) as err:
        evaluate(text.replace("SENTINEL", str(SENTINEL)), {"x": 1.0, "y": 2.0})
    assert word in str(err.value)
    assert not SENTINEL.exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("x +", "not a valid expression"),
        ("import os", "not a valid expression"),
        ("x; y", "not a valid expression"),
        ("z", "'z' has no value: give it with --at z=NUMBER"),
        ("exp", "'exp' is a function"),
        ("exp(x, y)", "exactly one argument"),
        ("exp()", "exactly one argument"),
        ("exp(x=1)", "no keyword arguments"),
        ("maximum(x)", "maximum() takes 2 arguments, got 1, as in maximum(x, y)"),
        ("minimum(x, y, 1)", "minimum() takes 2 arguments, got 3"),
        ("leaky_relu()", "leaky_relu() takes 1 or 2 arguments, got 0"),
        ("leaky_relu(x, y)", "leaky_relu()'s slope must be a number"),
        ("leaky_relu(x, 0.1 * 2)", "leaky_relu()'s slope must be a number"),
        ("leaky_relu(x, 1e999)", "leaky_relu()'s slope must be finite"),
        ("leaky_relu(x, slope=0.1)", "no keyword arguments"),
        ("maximum", "'maximum' is a function: call it, as in maximum(x, y)"),
        ("x.exp()", "a method (.exp())"),
        ("9" * 400, "too large"),
        ("1" + "0" * 5000, "an integer in it has more than 4,300 digits"),
        ("x__", "names may not start or end with __"),
        ("exp(*x)", "a starred argument (*a)"),
        ("(yield x)", "yield"),
        ("await x", "await"),
        ("(" * 300 + "x" + ")" * 300, "not a valid expression"),
        ("+".join(["x"] * 40_000), "not a valid expression"),
        ("x" * 100_001, "characters"),
    ],
)
def test_bad_expressions_get_a_clear_message(text: str, message: str) -> None:
    with pytest.raises(ExpressionError) as err:
        evaluate(text, {"x": 1.0, "y": 2.0})
    assert message in str(err.value)


def test_long_sums_evaluate_without_recursion() -> None:
    # The evaluator walks an explicit stack; Python's parser itself limits nesting.
    root = evaluate("+".join(["x"] * 2_000), {"x": 0.5})
    assert root.data == 1_000.0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("x=1.5,y=-2", {"x": 1.5, "y": -2.0}),
        (" x = 1 , y=2e3 ", {"x": 1.0, "y": 2000.0}),
        ("", {}),
        ("big=inf", {"big": math.inf}),
    ],
)
def test_bindings_are_read_as_name_equals_number(
    text: str, expected: dict[str, float]
) -> None:
    assert parse_bindings(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("x", "name=number"),
        ("x=", "name=number"),
        ("=1", "name=number"),
        ("x=1,,y=2", "name=number"),
        ("x=1,x=2", "given twice"),
        ("x=one", "not a number"),
        ("1x=2", "not a valid name"),
        ("if=2", "not a valid name"),
        ("exp=1", "is a function"),
        ("__class__=1", "dunder"),
        ("x__=1", "names may not start or end with __"),
        ("ｘ=1,x=2", "'x' is given twice"),  # the same name once normalised
    ],
)
def test_bad_bindings_are_refused(text: str, message: str) -> None:
    with pytest.raises(ExpressionError) as err:
        parse_bindings(text)
    assert message in str(err.value)


def test_messages_never_point_at_pythons_own_knobs() -> None:
    with pytest.raises(ExpressionError) as err:
        evaluate("1" + "0" * 5000, {})
    assert "sys." not in str(err.value)
    assert "set_int_max_str_digits" not in str(err.value)


@pytest.mark.parametrize(
    ("text", "bindings", "value"),
    [
        ("ｘ*2", "ｘ=1", 2.0),  # full-width x, as Python's parser reads it: x
        ("x*2", "ｘ=1", 2.0),
        ("fi + 1", "\ufb01=2", 3.0),  # the ligature fi is the two letters f, i
        ("\u00c5", "A\u030a=4", 4.0),  # A with a combining ring is one letter
        ("\u00c5", "\u212b=4", 4.0),  # so is the angstrom sign
    ],
)
def test_binding_names_are_nfkc_normalised_as_pythons_identifiers(
    text: str, bindings: str, value: float
) -> None:
    assert evaluate(text, parse_bindings(bindings)).data == value


def test_numbers_in_an_expression_are_constants_that_take_no_gradient() -> None:
    root = evaluate("exp(2) * x + 3", {"x": 1.5})
    root.backward()
    leaves = [v for v in topological_order(root) if not v.inputs]
    assert [(v.label, v.requires_grad) for v in leaves] == [
        ("", False),
        ("x", True),
        ("", False),
    ]
    assert [v.grad for v in leaves] == [0.0, math.exp(2), 0.0]


def test_the_engines_new_functions_are_the_engines_rows() -> None:
    ops = {
        "abs(x)": "abs",
        "sqrt(x)": "sqrt",
        "sin(x)": "sin",
        "cos(x)": "cos",
        "leaky_relu(x)": "leaky_relu",
        "leaky_relu(x, -0.25)": "leaky_relu",
        "maximum(x, y)": "maximum",
        "minimum(x, 1)": "minimum",
        "x < y": "lt",
        "x <= 1": "le",
        "2 > x": "gt",
        "x >= y": "ge",
    }
    for text, op in ops.items():
        assert evaluate(text, {"x": 4.0, "y": -2.0}).op == op
    assert evaluate("leaky_relu(x, -0.25)", {"x": -4.0}).data == 1.0
    assert evaluate("leaky_relu(x, +0.5)", {"x": -4.0}).data == -2.0
    assert evaluate("leaky_relu(x)", {"x": -4.0}).data == pytest.approx(-0.04)
    assert evaluate("sqrt(x)", {"x": 4.0}).data == 2.0
    assert evaluate("maximum(2, 3)", {}).data == 3.0


def test_a_comparison_selects_and_passes_no_gradient() -> None:
    root = evaluate("x * (x > 0) + maximum(x, y)", {"x": 2.0, "y": 1.0})
    root.backward()
    (x,) = [v for v in topological_order(root) if v.label == "x"]
    (y,) = [v for v in topological_order(root) if v.label == "y"]
    assert (x.grad, y.grad) == (2.0, 0.0)  # 1 from x * 1, 1 from the maximum


def test_the_functions_are_the_name_list_the_command_line_shows() -> None:
    """viz.names.EXPRESSION_FUNCTIONS is what `deltagrad graph --help` lists; every
    call form it shows parses and evaluates."""
    assert tuple(FUNCTIONS) == tuple(EXPRESSION_FUNCTIONS)
    for call in EXPRESSION_FUNCTIONS.values():
        assert isinstance(evaluate(call, {"x": 0.5, "y": -1.5}), Value)
