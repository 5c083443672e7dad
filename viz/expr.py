"""A safe parser for the expressions ``deltagrad graph`` draws, such as
``tanh(x * y + 1) ** 2``.

The text is parsed with Python's ``ast`` and the whole tree is checked *before* anything
is computed. Allowed are only

* numbers (int or float literals),
* names given values with ``--at`` (``x=1.5,y=-2``),
* the engine's operators ``+ - * / **`` and unary ``-`` / ``+``,
* one comparison ``<``, ``<=``, ``>``, ``>=`` (a constant 1 or 0, as the engine's),
* the engine's functions: ``exp(e)``, ``log(e)``, ``tanh(e)``, ``sigmoid(e)``,
  ``relu(e)``, ``abs(e)``, ``sqrt(e)``, ``sin(e)``, ``cos(e)``,
  ``leaky_relu(e, slope)`` (the slope a number, 0.01 when left out),
  ``maximum(e1, e2)`` and ``minimum(e1, e2)``.

Everything else (attributes, subscripts, lambdas, other calls, strings, comprehensions,
``==`` and ``!=`` (identity for Values), chained comparisons, names that start or end
with ``__``, ...) is refused with an :class:`ExpressionError` that names what was
refused. Nothing is ever passed to
``eval``; the checked tree is walked with an explicit stack, so long expressions do not
hit Python's recursion limit.
"""

from __future__ import annotations

import ast
import keyword
import math
import operator
import sys
import unicodedata
from collections.abc import Callable, Mapping

from engine import Value, maximum, minimum
from viz.errors import ExpressionError
from viz.names import EXPRESSION_FUNCTIONS

__all__ = [
    "FUNCTIONS",
    "MAX_EXPRESSION_CHARS",
    "check_expression",
    "evaluate",
    "parse_bindings",
]

#: The functions an expression may call (``viz.names.EXPRESSION_FUNCTIONS``, in that
#: order; a test checks): methods of ``engine.Value``, the engine's ``maximum`` and
#: ``minimum``.
FUNCTIONS: dict[str, Callable[..., Value]] = {
    "exp": Value.exp,
    "log": Value.log,
    "tanh": Value.tanh,
    "sigmoid": Value.sigmoid,
    "relu": Value.relu,
    "abs": Value.abs,
    "sqrt": Value.sqrt,
    "sin": Value.sin,
    "cos": Value.cos,
    "leaky_relu": Value.leaky_relu,
    "maximum": maximum,
    "minimum": minimum,
}

#: The functions that take other than one argument: name -> the least and the most
#: number of arguments (how a call looks: ``viz.names.EXPRESSION_FUNCTIONS``).
_SIGNATURES: dict[str, tuple[int, int]] = {
    "leaky_relu": (1, 2),
    "maximum": (2, 2),
    "minimum": (2, 2),
}

#: Arguments that must be a number (a literal, signed or not): name -> position.
_NUMBER_ARGUMENTS: dict[str, int] = {"leaky_relu": 1}

#: Longer expression texts are refused before they are parsed.
MAX_EXPRESSION_CHARS = 100_000

_BINARY: dict[type[ast.operator], Callable[[object, object], object]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.Pow: operator.pow,
}

_COMPARE: dict[type[ast.cmpop], Callable[[Value, Value | float], Value]] = {
    ast.Lt: lambda a, b: a < b,
    ast.LtE: lambda a, b: a <= b,
    ast.Gt: lambda a, b: a > b,
    ast.GtE: lambda a, b: a >= b,
}

_OPERATOR_TEXT: dict[type[ast.AST], str] = {
    ast.Eq: "==",
    ast.NotEq: "!=",
    ast.Is: "is",
    ast.IsNot: "is not",
    ast.In: "in",
    ast.NotIn: "not in",
    ast.Mod: "%",
    ast.FloorDiv: "//",
    ast.MatMult: "@",
    ast.LShift: "<<",
    ast.RShift: ">>",
    ast.BitOr: "|",
    ast.BitXor: "^",
    ast.BitAnd: "&",
    ast.Not: "not",
    ast.Invert: "~",
}

_REFUSED: dict[type[ast.AST], str] = {
    ast.Attribute: "attribute access (a.b)",
    ast.Subscript: "a subscript (a[i])",
    ast.Lambda: "a lambda",
    ast.ListComp: "a comprehension",
    ast.SetComp: "a comprehension",
    ast.DictComp: "a comprehension",
    ast.GeneratorExp: "a generator expression",
    ast.BoolOp: "and/or",
    ast.IfExp: "a conditional expression (a if c else b)",
    ast.List: "a list",
    ast.Tuple: "a tuple",
    ast.Set: "a set",
    ast.Dict: "a dict",
    ast.JoinedStr: "an f-string",
    ast.NamedExpr: "an assignment expression (:=)",
    ast.Starred: "a starred argument (*a)",  # as a call's argument
    ast.Await: "await",
    ast.Yield: "yield",
    ast.YieldFrom: "yield",
}

_ALLOWED = "numbers, names, + - * / **, unary -, one of < <= > >=, " + ", ".join(
    EXPRESSION_FUNCTIONS[f] if f in _SIGNATURES else f"{f}()" for f in FUNCTIONS
)


def _refuse(what: str) -> ExpressionError:
    """The error for a refused part of an expression, ``what`` naming it."""
    return ExpressionError(
        f"refused: {what} is not allowed in an expression (allowed: {_ALLOWED})"
    )


def _check_name(name: str) -> None:
    """A name usable as a variable: an identifier, not a keyword or function, and not
    starting or ending with ``__`` (as dunder names such as ``__import__`` do)."""
    if name.startswith("__") or name.endswith("__"):
        raise _refuse(f"the name {name!r} (names may not start or end with __, as "
                      "dunder names do)")
    if name in FUNCTIONS:
        usage = EXPRESSION_FUNCTIONS[name]
        raise ExpressionError(f"{name!r} is a function: call it, as in {usage}")
    if not name.isidentifier() or keyword.iskeyword(name):
        raise ExpressionError(f"{name!r} is not a valid name")


def _check_number(value: object) -> float:
    """A literal's value as a float; anything but an int or float is refused."""
    if isinstance(value, bool):
        raise _refuse(f"the boolean {value}")
    if isinstance(value, str):
        raise _refuse("a string")
    if isinstance(value, bytes):
        raise _refuse("a bytes literal")
    if isinstance(value, complex):
        raise _refuse("a complex number")
    if not isinstance(value, int | float):
        raise _refuse(f"the constant {value!r}")
    try:
        return float(value)
    except OverflowError:
        raise ExpressionError("an integer in the expression is too large") from None


def check_expression(text: str) -> list[str]:
    """Parse ``text`` and check every node of it; return the variable names it uses,
    each once, in order of appearance.

    Raises:
        ExpressionError: a syntax error, or anything outside the allowed set, named.
    """
    return _checked(text)[1]


def _parse(text: str) -> ast.expr:
    """The syntax tree of ``text`` as one expression, nothing checked yet."""
    if not isinstance(text, str):
        raise TypeError(f"expression must be a str, got {type(text).__name__}")
    if not text.strip():
        raise ExpressionError("the expression is empty")
    if len(text) > MAX_EXPRESSION_CHARS:
        raise ExpressionError(
            f"the expression has {len(text):,} characters, more than "
            f"{MAX_EXPRESSION_CHARS:,}"
        )
    try:
        return ast.parse(text.strip(), mode="eval").body
    except (SyntaxError, ValueError) as err:
        reason = err.msg if isinstance(err, SyntaxError) else str(err)
        if "max_str_digits" in reason:  # Python's own message would point at sys
            reason = (
                "an integer in it has more than "
                f"{sys.get_int_max_str_digits():,} digits"
            )
        raise ExpressionError(f"not a valid expression: {reason}") from None
    except (RecursionError, MemoryError):
        raise ExpressionError(
            "not a valid expression: it is nested too deeply"
        ) from None


def _operands(node: ast.AST) -> list[ast.expr]:
    """Check one node on its own; return the operands still to be checked."""
    if isinstance(node, ast.Constant):
        _check_number(node.value)
        return []
    if isinstance(node, ast.Name):
        _check_name(node.id)
        return []
    if isinstance(node, ast.BinOp):
        if type(node.op) not in _BINARY:
            raise _refuse(f"the operator {_OPERATOR_TEXT[type(node.op)]}")
        return [node.left, node.right]
    if isinstance(node, ast.UnaryOp):
        if not isinstance(node.op, ast.USub | ast.UAdd):
            raise _refuse(f"the operator {_OPERATOR_TEXT[type(node.op)]}")
        return [node.operand]
    if isinstance(node, ast.Compare):
        if len(node.ops) != 1:
            raise _refuse("a chained comparison (a < b < c)")
        if type(node.ops[0]) not in _COMPARE:
            text = _OPERATOR_TEXT[type(node.ops[0])]
            raise _refuse(f"the comparison {text}")
        return [node.left, node.comparators[0]]
    if isinstance(node, ast.Call):
        return _check_call(node)
    raise _refuse(_REFUSED.get(type(node), f"a {type(node).__name__} node"))


def _checked(text: str) -> tuple[ast.expr, list[str]]:
    """The checked tree of ``text`` and its variable names (see check_expression)."""
    body = _parse(text)
    names: dict[str, tuple[int, int]] = {}
    stack: list[ast.AST] = [body]
    while stack:
        node = stack.pop()
        stack += reversed(_operands(node))
        if isinstance(node, ast.Name):
            where = (node.lineno, node.col_offset)
            names[node.id] = min(names.get(node.id, where), where)
    return body, sorted(names, key=names.__getitem__)


def _check_call(node: ast.Call) -> list[ast.expr]:
    """The arguments of an allowed call; refuse any other call."""
    func = node.func
    if not isinstance(func, ast.Name):
        if isinstance(func, ast.Attribute):
            raise _refuse(f"calling a method (.{func.attr}())")
        raise _refuse(f"calling {_REFUSED.get(type(func), 'a result')}")
    name = func.id
    if name not in FUNCTIONS:
        raise _refuse(f"calling {name!r}")
    if node.keywords:
        raise ExpressionError(f"{name}() takes no keyword arguments")
    least, most = _SIGNATURES.get(name, (1, 1))
    usage = EXPRESSION_FUNCTIONS[name]
    got = len(node.args)
    if not least <= got <= most:
        count = (
            "exactly one argument" if most == 1
            else f"{least} arguments" if least == most
            else f"{least} or {most} arguments"
        )
        raise ExpressionError(f"{name}() takes {count}, got {got}, as in {usage}")
    at = _NUMBER_ARGUMENTS.get(name)
    if at is not None and at < got:
        _check_number_argument(node.args[at], name, usage)
    return list(node.args)  # a starred one (*a) is refused when it is checked


def _check_number_argument(arg: ast.expr, name: str, usage: str) -> None:
    """A finite number literal, optionally signed (leaky_relu's slope)."""
    value = arg
    if isinstance(arg, ast.UnaryOp) and isinstance(arg.op, ast.USub | ast.UAdd):
        value = arg.operand
    if not isinstance(value, ast.Constant):
        raise ExpressionError(f"{name}()'s slope must be a number, as in {usage}")
    if not math.isfinite(_check_number(value.value)):
        raise ExpressionError(f"{name}()'s slope must be finite, as in {usage}")


def parse_bindings(text: str) -> dict[str, float]:
    """``"x=1.5,y=-2"`` as ``{"x": 1.5, "y": -2.0}``; "" gives ``{}``.

    Names are NFKC-normalised, as Python's parser normalises the expression's own
    identifiers: ``ｘ=1`` gives the value of ``ｘ`` (full-width) and of ``x``.

    Raises:
        ExpressionError: a part is not ``name=number``, a name is not allowed or given
            twice.
    """
    out: dict[str, float] = {}
    if not text.strip():
        return out
    for part in text.split(","):
        name, sep, number = part.partition("=")
        name = unicodedata.normalize("NFKC", name.strip())
        number = number.strip()
        if not sep or not name or not number:
            raise ExpressionError(f"{part.strip()!r} is not of the form name=number")
        _check_name(name)
        if name in out:
            raise ExpressionError(f"{name!r} is given twice")
        try:
            value = float(number)
        except ValueError:
            raise ExpressionError(f"{number!r} (for {name}) is not a number") from None
        out[name] = value
    return out


def evaluate(text: str, bindings: Mapping[str, float]) -> Value:
    """Build the engine graph of the expression ``text`` at the given values.

    Each name becomes one leaf Value labelled with the name (used twice, it is the
    same leaf, so its grad sums both uses); numbers become constant leaves
    (``requires_grad`` False: they take no gradient), except an exponent, which stays
    a plain number (``x ** 2`` is the engine's constant power). An expression of
    numbers alone is a constant.

    Raises:
        ExpressionError: the text is refused (see :func:`check_expression`) or uses a
            name with no value.
    """
    body, names = _checked(text)
    variables: dict[str, Value] = {}
    for name in names:
        if name not in bindings:
            raise ExpressionError(
                f"the name {name!r} has no value: give it with --at {name}=NUMBER"
            )
        variables[name] = Value(bindings[name], label=name)

    # Post-order walk with an explicit stack: (node, operands done?).
    results: list[Value | float] = []
    todo: list[tuple[ast.expr, bool]] = [(body, False)]
    while todo:
        node, done = todo.pop()
        if isinstance(node, ast.Constant):
            results.append(_check_number(node.value))
        elif isinstance(node, ast.Name):
            results.append(variables[node.id])
        elif done:
            _combine(node, results)
        else:
            todo.append((node, True))
            todo += [(x, False) for x in reversed(_operands(node))]
    (result,) = results
    return result if isinstance(result, Value) else Value(result, requires_grad=False)


def _combine(node: ast.expr, results: list[Value | float]) -> None:
    """Replace the operands of ``node`` on top of ``results`` by its value."""
    if isinstance(node, ast.BinOp):
        right = results.pop()
        left = results.pop()
        if not isinstance(left, Value):
            left = Value(left, requires_grad=False)
        if not isinstance(right, Value) and not isinstance(node.op, ast.Pow):
            right = Value(right, requires_grad=False)
        out = _BINARY[type(node.op)](left, right)
        assert isinstance(out, Value)
        results.append(out)
    elif isinstance(node, ast.Compare):
        right = results.pop()
        left = results.pop()
        if not isinstance(left, Value):
            left = Value(left, requires_grad=False)
        results.append(_COMPARE[type(node.ops[0])](left, right))
    elif isinstance(node, ast.UnaryOp):
        x = results.pop()
        results.append(-x if isinstance(node.op, ast.USub) else x)
    elif isinstance(node, ast.Call):
        assert isinstance(node.func, ast.Name)
        name = node.func.id
        args = results[len(results) - len(node.args) :]
        del results[len(results) - len(node.args) :]
        number_at = _NUMBER_ARGUMENTS.get(name)
        lifted = [
            x if isinstance(x, Value) or i == number_at
            else Value(x, requires_grad=False)
            for i, x in enumerate(args)
        ]
        results.append(FUNCTIONS[name](*lifted))
