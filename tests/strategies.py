"""Hypothesis strategies shared by the whole suite (one place, as in minitorch).

Sections: engine (scalars and random graphs), nn (shapes, nets, batches), viz (labels).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from hypothesis import strategies as st

from nn.names import ACTIVATIONS
from nn.notation import Notation

# --- engine ---------------------------------------------------------------------------

#: Finite floats of moderate size: central differences are meaningful there.
moderate = st.floats(
    min_value=-5.0, max_value=5.0, allow_nan=False, allow_infinity=False
)

#: Any finite float64, for "never raises" properties.
finite = st.floats(allow_nan=False, allow_infinity=False)

#: Floats away from 0, for poles such as 1/x and log x.
positive = st.floats(min_value=0.05, max_value=5.0)

#: Logits for the softmax family: 1-10 of them, moderate or spread up to +-1000, so
#: that the shift by the maximum matters (e^1000 overflows).
logits = st.lists(
    st.one_of(moderate, st.floats(-1000.0, 1000.0)), min_size=1, max_size=10
)

#: Logits where central differences are meaningful.
moderate_logits = st.lists(moderate, min_size=1, max_size=8)

#: Logits in [-2, 2], 1-6 of them: no softmax_j of two or more exceeds 0.982, so
#: 1 - s_j keeps its digits and a closed form matches to 1e-12 relative.
near_logits = st.lists(st.floats(-2.0, 2.0), min_size=1, max_size=6)

#: Any float64 logits, nan and +-inf included, for the IEEE properties.
any_logits = st.lists(
    st.floats(allow_nan=True, allow_infinity=True), min_size=1, max_size=6
)


@st.composite
def class_targets(draw: st.DrawFn, n: int) -> int | list[float]:
    """A cross-entropy target for n logits, of every kind PyTorch takes: a class
    index 0..n-1, a one-hot row, class probabilities summing to 1, or any entries
    >= 0 (PyTorch does not ask for a sum of 1)."""
    kind = draw(st.sampled_from(["index", "one-hot", "probabilities", "any"]))
    if kind == "index":
        return draw(st.integers(0, n - 1))
    if kind == "one-hot":
        t = draw(st.integers(0, n - 1))
        return [1.0 if k == t else 0.0 for k in range(n)]
    y = draw(st.lists(st.floats(0.0, 2.0), min_size=n, max_size=n))
    total = sum(y)
    if kind == "probabilities" and total > 0.0:
        return [p / total for p in y]
    return y

#: Moderate floats that are 0 or not tiny: a partial such as 1/x overflows at a
#: subnormal x, where PyTorch's grad / x does not (the engine multiplies by the partial;
#: the order of rounding is the only difference there).
not_tiny = moderate.filter(lambda x: x == 0.0 or abs(x) > 1e-100)

#: Slopes of leaky_relu: the usual small ones, 0, and any moderate real (PyTorch
#: takes negative and large slopes too).
leaky_slopes = st.one_of(st.sampled_from([0.0, 0.01, 0.2]), st.floats(-3.0, 3.0))

#: Smooth unary steps for random graphs (no kinks or poles anywhere on the reals).
UNARY_STEPS = ("neg", "tanh", "sigmoid", "exp_tanh", "square", "log_1_plus_square")

#: Smooth binary steps for random graphs.
BINARY_STEPS = ("add", "sub", "mul", "div_1_plus_square")

#: One step of a random program: (step name, operand positions as pool fractions).
Step = tuple[str, float, float]


@st.composite
def programs(draw: st.DrawFn) -> tuple[list[float], list[Step]]:
    """A random computation: 1-4 input values and 1-14 steps over a growing pool.

    Each step reads earlier nodes of the pool (inputs or results, reused freely) and
    appends its result, so the graphs have shared subexpressions and fan-out.
    """
    inputs = draw(st.lists(st.floats(-2.0, 2.0), min_size=1, max_size=4))
    steps = draw(
        st.lists(
            st.tuples(
                st.sampled_from(UNARY_STEPS + BINARY_STEPS),
                st.floats(0.0, 1.0, exclude_max=True),
                st.floats(0.0, 1.0, exclude_max=True),
            ),
            min_size=1,
            max_size=14,
        )
    )
    return inputs, steps


#: One step per row of the rule table, for the higher-order and forward-mode
#: properties: each reads up to three pool nodes and keeps to the row's domain
#: (log and sqrt of 1 + x^2, a positive base for a Value exponent); built by
#: ``tests.graphs.run_every_op_program``, in the engine or in PyTorch.
EVERY_OP_STEPS = (
    "add", "sub", "mul", "div", "neg", "pow", "powc", "exp", "log", "tanh",
    "sigmoid", "relu", "abs", "sqrt", "sin", "cos", "leaky_relu", "maximum",
    "minimum", "lt", "le", "gt", "ge", "z", "half_sum_sq", "softmax", "log_softmax",
    "cross_entropy", "soft_cross_entropy",
)

#: A step of such a program: its name and three operand positions (pool fractions).
OpStep = tuple[str, float, float, float]


@st.composite
def every_op_programs(
    draw: st.DrawFn, max_steps: int = 8
) -> tuple[list[float], list[OpStep]]:
    """1-3 inputs in [-2, 2] and 1..max_steps steps drawn from ``EVERY_OP_STEPS``,
    each reading earlier nodes of a growing pool (shared subexpressions, fan-out)."""
    inputs = draw(st.lists(st.floats(-2.0, 2.0), min_size=1, max_size=3))
    position = st.floats(0.0, 1.0, exclude_max=True)
    steps = draw(
        st.lists(
            st.tuples(st.sampled_from(EVERY_OP_STEPS), position, position, position),
            min_size=1,
            max_size=max_steps,
        )
    )
    return inputs, steps


#: Directions (tangents, cotangents) for forward against reverse mode.
directions = st.lists(st.floats(-2.0, 2.0), min_size=1, max_size=12)


# --- nn -------------------------------------------------------------------------------

#: The activations every nn formula supports (nn's one list of them).
NN_ACTIVATIONS = ACTIVATIONS


@dataclass(frozen=True)
class NetCase:
    """A random MLP as arrays, with a batch of inputs and targets, and its cost.

    ``W[i]`` (n_l, n_{l-1}) and ``B[i]`` (n_l,) are layer l = i + 2; ``x`` (m, n_1);
    ``y`` (m, n_L) in [0, 1] for "mse"; for "cross_entropy" rows of class
    probabilities (one-hot, summing to 1, or any entries >= 0).
    """

    sizes: list[int]
    W: list[npt.NDArray[np.float64]]
    B: list[npt.NDArray[np.float64]]
    activation: str
    output_activation: str
    x: npt.NDArray[np.float64]
    y: npt.NDArray[np.float64]
    cost: str = "mse"


def _matrix(draw: st.DrawFn, shape: tuple[int, ...], lo: float, hi: float) -> Any:
    n = int(np.prod(shape))
    flat = draw(st.lists(st.floats(lo, hi), min_size=n, max_size=n))
    return np.array(flat, dtype=np.float64).reshape(shape)


@st.composite
def net_cases(
    draw: st.DrawFn,
    activations: tuple[str, ...] = ("sigmoid",),
    output_activations: tuple[str, ...] | None = None,
    max_batch: int = 4,
    costs: tuple[str, ...] = ("mse",),
) -> NetCase:
    """Nets of 2-4 layers (input layer included), widths 1-6, weights and biases in
    [-2, 2], inputs in [-2, 2], a batch of 1..max_batch samples, targets in [0, 1],
    and a cost drawn from ``costs``: for "cross_entropy" the output layer is linear
    (a^L = z^L are the logits) and each row of y is a target of ``class_targets``
    (an index drawn becomes its one-hot row)."""
    cost = draw(st.sampled_from(costs))
    sizes = draw(st.lists(st.integers(1, 6), min_size=2, max_size=4))
    act = draw(st.sampled_from(activations))
    if cost == "cross_entropy":
        out = "linear"
    else:
        out = draw(st.sampled_from(output_activations or activations))
    W = [_matrix(draw, (n, p), -2.0, 2.0) for p, n in itertools.pairwise(sizes)]
    B = [_matrix(draw, (n,), -2.0, 2.0) for n in sizes[1:]]
    m = draw(st.integers(1, max_batch))
    x = _matrix(draw, (m, sizes[0]), -2.0, 2.0)
    if cost == "cross_entropy":
        n_out = sizes[-1]
        rows = [draw(class_targets(n_out)) for _ in range(m)]
        y = np.array(
            [np.eye(n_out)[r] if isinstance(r, int) else r for r in rows],
            dtype=np.float64,
        )
    else:
        y = _matrix(draw, (m, sizes[-1]), 0.0, 1.0)
    return NetCase(sizes, W, B, act, out, x, y, cost)


# --- viz ------------------------------------------------------------------------------

#: Pieces of text that break naive DOT or HTML-like labels, or that dot expands.
NASTY_LABEL_PARTS = (
    '"', "'", "<", ">", "|", "{", "}", "[", "]", "\\", "&", "&amp;", "&#92;", ";",
    "\\N", "\\G", "\\E", "\\L", "\\n", "\\\\", "\n", "\t", "\r", "\x00", "\x1b",
    "\x7f", "\u2028", "\ufeff", "\ufffe", "\ud800", "\u202e", "]]>", "<BR/>",
    "<b>", "  ", " ", "δ", "σ", "漢字", "😀", "e\u0301", "w[2][1][1]", "C",
)

#: Any label text: arbitrary code points (control characters, surrogates, unassigned
#: ones included) or a mix of the nasty pieces above.
label_texts = st.one_of(
    st.text(st.characters(codec=None, exclude_categories=()), max_size=30),
    st.lists(st.sampled_from(NASTY_LABEL_PARTS), max_size=10).map("".join),
)


#: The numbers the notation's parser reads: 1 to 6 digits, no zero.
notation_numbers = st.integers(1, 999_999)


@st.composite
def notation_labels(draw: st.DrawFn) -> tuple[str, Notation]:
    """A label in the seed's notation, spelled here from the grammar's words (not by
    nn.notation's writers), with what it means: e.g. ("w[2][1][3]",
    Notation("w", 2, (1, 3))). Every symbol w, b, z, a, y, r, C."""
    symbol = draw(st.sampled_from(["w", "b", "z", "a", "y", "r", "C"]))
    if symbol == "C":
        return "C", Notation("C", None, ())
    if symbol in ("y", "r"):
        j = draw(notation_numbers)
        return f"{symbol}[{j}]", Notation(symbol, None, (j,))
    layer = draw(st.integers(1 if symbol == "a" else 2, 999_999))
    count = 2 if symbol == "w" else 1
    indices = tuple(draw(st.lists(notation_numbers, min_size=count, max_size=count)))
    label = f"{symbol}[{layer}]" + "".join(f"[{i}]" for i in indices)
    return label, Notation(symbol, layer, indices)


#: Texts near the notation: a symbol (or none, or a wrong one) and 0-4 brackets of
#: 0-8 digits, so zero indices, leading zeros, too many digits, a layer 1 and every
#: wrong count of indices all occur; most are not notation.
near_notation_texts = st.from_regex(
    r"[wbzayrCcq]?(\[[0-9]{0,8}\]){0,4}", fullmatch=True
)


#: An expression over x and y with its value computed by plain Python: (text, f(x, y)).
Expression = tuple[str, Callable[[float, float], float]]


def _sigmoid(v: float) -> float:
    return 1.0 / (1.0 + math.exp(-v)) if v >= 0 else math.exp(v) / (1.0 + math.exp(v))


def _unary(child: Expression, kind: str) -> Expression:
    text, f = child
    forms: dict[str, Expression] = {
        "neg": (f"-({text})", lambda x, y: -f(x, y)),
        "tanh": (f"tanh({text})", lambda x, y: math.tanh(f(x, y))),
        "sigmoid": (f"sigmoid({text})", lambda x, y: _sigmoid(f(x, y))),
        "relu": (f"relu({text})", lambda x, y: max(0.0, f(x, y))),
        "exp_tanh": (f"exp(tanh({text}))", lambda x, y: math.exp(math.tanh(f(x, y)))),
        "log": (f"log(1 + ({text}) ** 2)", lambda x, y: math.log(1 + f(x, y) ** 2)),
        "square": (f"({text}) ** 2", lambda x, y: math.pow(f(x, y), 2.0)),
        "abs": (f"abs({text})", lambda x, y: abs(f(x, y))),
        "sqrt_abs": (f"sqrt(abs({text}))", lambda x, y: math.sqrt(abs(f(x, y)))),
        "sin": (f"sin({text})", lambda x, y: math.sin(f(x, y))),
        "cos": (f"cos({text})", lambda x, y: math.cos(f(x, y))),
        "leaky_relu": (
            f"leaky_relu({text}, -0.5)",
            lambda x, y: f(x, y) if f(x, y) > 0 else -0.5 * f(x, y),
        ),
        "leaky_relu_default": (
            f"leaky_relu({text})",
            lambda x, y: f(x, y) if f(x, y) > 0 else 0.01 * f(x, y),
        ),
    }
    return forms[kind]


def _binary(left: Expression, right: Expression, kind: str) -> Expression:
    (a, f), (b, g) = left, right
    forms: dict[str, Expression] = {
        "+": (f"({a}) + ({b})", lambda x, y: f(x, y) + g(x, y)),
        "-": (f"({a}) - ({b})", lambda x, y: f(x, y) - g(x, y)),
        "*": (f"({a}) * ({b})", lambda x, y: f(x, y) * g(x, y)),
        "/": (
            f"({a}) / (1 + ({b}) ** 2)",
            lambda x, y: f(x, y) / (1 + math.pow(g(x, y), 2.0)),
        ),
        "maximum": (f"maximum({a}, {b})", lambda x, y: max(f(x, y), g(x, y))),
        "minimum": (f"minimum({a}, {b})", lambda x, y: min(f(x, y), g(x, y))),
        "<": (f"({a}) < ({b})", lambda x, y: float(f(x, y) < g(x, y))),
        ">=": (f"({a}) >= ({b})", lambda x, y: float(f(x, y) >= g(x, y))),
    }
    return forms[kind]


_leaves: st.SearchStrategy[Expression] = st.one_of(
    st.sampled_from(["x", "y"]).map(
        lambda n: (n, (lambda x, y: x) if n == "x" else (lambda x, y: y))
    ),
    st.floats(0.1, 3.0).map(lambda c: (repr(c), lambda x, y: c)),
)

#: Random expressions built from every allowed construct, with their Python value.
expressions: st.SearchStrategy[Expression] = st.recursive(
    _leaves,
    lambda children: st.one_of(
        st.builds(
            _unary,
            children,
            st.sampled_from(
                ["neg", "tanh", "sigmoid", "relu", "exp_tanh", "log", "square", "abs",
                 "sqrt_abs", "sin", "cos", "leaky_relu", "leaky_relu_default"]
            ),
        ),
        st.builds(
            _binary,
            children,
            children,
            st.sampled_from(["+", "-", "*", "/", "maximum", "minimum", "<", ">="]),
        ),
    ),
    max_leaves=12,
)

#: Forbidden code (with SENTINEL for a file it would create if it ever ran) and a
#: word the refusal message must contain.
REFUSED_SNIPPETS = (
    ("__import__('os').system('touch SENTINEL')", "method (.system())"),
    ("__import__('os')", "'__import__'"),
    ("open('SENTINEL', 'w')", "'open'"),
    ("exec(\"open('SENTINEL', 'w')\")", "'exec'"),
    ("eval(\"open('SENTINEL', 'w')\")", "'eval'"),
    ("(lambda: open('SENTINEL', 'w'))()", "lambda"),
    ("[open('SENTINEL', 'w') for _ in 'a']", "comprehension"),
    ("(z := open('SENTINEL', 'w'))", ":="),
    ("x.__class__.__bases__", "attribute"),
    ("x[0]", "subscript"),
    ("'SENTINEL'", "string"),
    ("b'SENTINEL'", "bytes"),
    ("f'{x}'", "f-string"),
    ("x if y else 1", "conditional"),
    ("x == y", "the comparison =="),
    ("x != y", "the comparison !="),
    ("x < y < 1", "chained comparison"),
    ("x in y", "the comparison in"),
    ("x is y", "the comparison is"),
    ("x and y", "and/or"),
    ("x % 2", "%"),
    ("x // 2", "//"),
    ("~x", "~"),
    ("[x, y]", "list"),
    ("(x, y)", "tuple"),
    ("{'a': x}", "dict"),
    ("__builtins__", "dunder"),
    ("print(x)", "'print'"),
    ("1j", "complex"),
    ("None", "None"),
    ("True", "boolean"),
)

#: Places to put a forbidden snippet (at @) inside an otherwise allowed expression.
REFUSED_CONTEXTS = ("@", "x + (@)", "tanh(@)", "(@) ** 2", "-(@)", "exp(y) * (@)")


@st.composite
def refused_expressions(draw: st.DrawFn) -> tuple[str, str]:
    """(expression text with SENTINEL, word its refusal must name)."""
    snippet, word = draw(st.sampled_from(REFUSED_SNIPPETS))
    context = draw(st.sampled_from(REFUSED_CONTEXTS))
    return context.replace("@", snippet), word
