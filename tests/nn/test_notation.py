"""The seed's notation (``nn.notation``): the writers spell the grammar, every label
parses back to what it means and is written back as itself, other text is not
notation, and nn's graphs are labelled in it."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import given

from engine import topological_order
from nn import MLP, bce, mse
from nn.notation import (
    COST_LABEL,
    SYMBOLS,
    Notation,
    activation_label,
    bias_label,
    parse_label,
    residual_label,
    subscript,
    superscript,
    target_label,
    weight_label,
    z_label,
)
from tests.strategies import label_texts, near_notation_texts, notation_labels

WRITERS: dict[str, Callable[..., str]] = {
    "w": weight_label,
    "b": bias_label,
    "z": z_label,
    "a": activation_label,
    "y": target_label,
    "r": residual_label,
}


def numbers_of(n: Notation) -> tuple[int, ...]:
    return ((n.layer,) if n.layer is not None else ()) + n.indices


@given(notation_labels())
def test_the_writers_spell_the_seeds_grammar(case: tuple[str, Notation]) -> None:
    text, n = case
    assert n.label == text
    if n.symbol == COST_LABEL:
        assert text == COST_LABEL
    else:
        assert WRITERS[n.symbol](*numbers_of(n)) == text


@given(notation_labels())
def test_every_label_parses_back_to_what_it_means(case: tuple[str, Notation]) -> None:
    """The round trip label -> Notation -> label, from both ends."""
    text, n = case
    assert parse_label(text) == n
    assert parse_label(n.label) == n
    parsed = parse_label(text)
    assert parsed is not None
    assert parsed.label == text


def _without_leading_zeros(text: str) -> str:
    return re.sub(r"\[0+(?=[0-9])", "[", text)


@given(near_notation_texts)
def test_a_text_that_parses_is_written_back_as_itself_less_leading_zeros(
    text: str,
) -> None:
    """The grammar is one-to-one up to leading zeros, which the parser also reads
    (as it always has) and the writers never write."""
    n = parse_label(text)
    if n is not None:
        assert n.label == _without_leading_zeros(text)
        assert parse_label(n.label) == n


@given(label_texts)
def test_any_text_parses_to_notation_or_none_without_raising(text: str) -> None:
    n = parse_label(text)
    assert n is None or parse_label(n.label) == n


@pytest.mark.parametrize(
    "label",
    ["", "x", "w[2][1]", "w[1][1][1]", "b[1][1]", "z[1][2]", "b[2][1][1]", "z[0][1]",
     "a[2][0]", "w[2][1][3] ", "c", "Cost", "w[-1][1][1]", "w(2)(1)(1)", "z[2][1]x",
     "q[2][1]", "y[0]", "y[1][1]", "y", "C[1]", "a[1][1234567]", "a[1]"],
)
def test_other_labels_are_not_notation(label: str) -> None:
    assert parse_label(label) is None


@pytest.mark.parametrize(
    ("label", "symbol", "layer", "indices", "neuron"),
    [
        ("w[2][1][3]", "w", 2, (1, 3), (2, 1)),
        ("b[3][2]", "b", 3, (2,), (3, 2)),
        ("z[4][1]", "z", 4, (1,), (4, 1)),
        ("a[1][5]", "a", 1, (5,), (1, 5)),
        ("y[2]", "y", None, (2,), None),
        ("C", "C", None, (), None),
        ("a[02][007]", "a", 2, (7,), (2, 7)),  # leading zeros are read
    ],
)
def test_labels_name_symbol_layer_indices_and_neuron(
    label: str,
    symbol: str,
    layer: int | None,
    indices: tuple[int, ...],
    neuron: tuple[int, int] | None,
) -> None:
    n = parse_label(label)
    assert n == Notation(symbol, layer, indices)
    assert n is not None
    assert n.neuron == neuron


@pytest.mark.parametrize(
    ("write", "numbers"),
    [
        (weight_label, (1, 1, 1)),  # layer 1 has no weights
        (weight_label, (2, 0, 1)),
        (bias_label, (1, 1)),
        (z_label, (2, -1)),
        (activation_label, (0, 1)),
        (target_label, (0,)),
        (bias_label, (True, 1)),
        (z_label, (1, 1)),
        (weight_label, (2, 1, 1.0)),
    ],
)
def test_the_writers_refuse_what_is_not_notation(
    write: Callable[..., str], numbers: tuple[int, ...]
) -> None:
    with pytest.raises(ValueError, match="not the seed's notation"):
        write(*numbers)


@pytest.mark.parametrize(
    ("symbol", "layer", "indices"),
    [("q", 2, (1,)), ("y", 2, (1,)), ("w", None, (2, 1, 1)), ("C", None, (1,)),
     ("z", 2, (1, 1)), ("a", 1, ())],
)
def test_a_notation_that_is_not_in_the_grammar_cannot_be_made(
    symbol: str, layer: int | None, indices: tuple[int, ...]
) -> None:
    with pytest.raises(ValueError, match="not the seed's notation"):
        Notation(symbol, layer, indices)


def test_the_writers_take_numpy_ints_as_their_numbers() -> None:
    assert weight_label(np.int64(2), np.int32(1), 3) == "w[2][1][3]"
    assert target_label(np.uint8(4)) == "y[4]"


def test_the_symbols_are_the_grammars() -> None:
    assert (*WRITERS, COST_LABEL) == SYMBOLS


@pytest.mark.parametrize("elementary", [False, True])
def test_every_label_of_a_nets_graph_is_notation_in_its_place(
    elementary: bool,
) -> None:
    """nn writes through the grammar: each parameter, z, a and input node and the cost
    parse, and their numbers are where the node sits in the net."""
    net = MLP([2, 3, 2], seed=0, elementary=elementary)
    for loss in (mse, bce):
        C = loss(net([0.5, -1.0]), [1.0, 0.0])
        labelled = [v for v in topological_order(C) if v.label]
        notes = [parse_label(v.label) for v in labelled]
        assert None not in notes
        symbols = {n.symbol for n in notes if n is not None}
        # mse names its targets y_j and residuals r_j too
        named = {"y", "r"} if loss is mse else set()
        assert symbols == {"w", "b", "z", "a", "C"} | named
        assert notes[-1] == Notation("C", None, ())
    for layer in net.layers:
        for j, neuron in enumerate(layer.neurons, 1):
            assert parse_label(neuron.b.label) == Notation("b", layer.layer, (j,))
            for k, w in enumerate(neuron.w, 1):
                assert parse_label(w.label) == Notation("w", layer.layer, (j, k))


def test_the_notation_module_loads_neither_numpy_nor_engine() -> None:
    """Standard library only: viz reads labels through it without loading arrays."""
    code = (
        "import sys, nn.notation\n"
        "print(sorted(k for k in sys.modules\n"
        "             if k.split('.')[0] in ('numpy', 'engine', 'nn')))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "['nn', 'nn.notation']"


_UP = dict(zip("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789", strict=True))
_DOWN = dict(zip("₀₁₂₃₄₅₆₇₈₉", "0123456789", strict=True))


def read_text(text: str) -> tuple[str, int | None, tuple[int, ...]]:
    """A person's reading of ``w²₁₃``: the symbol, the superscript number, and the
    subscripts: w's two comma-separated, or one digit each when there is no comma;
    the one subscript of b, z, a, y and r whole."""
    symbol, rest = text[0], text[1:]
    ups = "".join(_UP[ch] for ch in rest if ch in _UP)
    downs = "".join(_DOWN.get(ch, ch) for ch in rest if ch not in _UP)
    assert set(downs) <= set("0123456789,"), text
    if symbol != "w":
        parts = [downs] if downs else []
    else:
        parts = downs.split(",") if "," in downs else list(downs)
    return symbol, int(ups) if ups else None, tuple(int(p) for p in parts)


@pytest.mark.parametrize(
    ("label", "text"),
    [("w[2][1][3]", "w²₁₃"), ("b[3][2]", "b³₂"), ("z[2][1]", "z²₁"),
     ("a[1][2]", "a¹₂"), ("y[1]", "y₁"), ("r[1]", "r₁"), ("C", "C"),
     ("w[2][1][11]", "w²₁,₁₁"), ("w[12][10][3]", "w¹²₁₀,₃"), ("a[10][5]", "a¹⁰₅")],
)
def test_labels_are_written_for_people_in_unicode_scripts(
    label: str, text: str
) -> None:
    n = parse_label(label)
    assert n is not None
    assert n.text() == text


def test_a_symbol_given_to_text_replaces_the_notations_own() -> None:
    assert Notation("z", 2, (1,)).text("δ") == "δ²₁"


@given(notation_labels())
def test_the_unicode_text_reads_back_as_the_same_numbers(
    case: tuple[str, Notation],
) -> None:
    """No index runs into the next: w²₁,₁₁ (w^2_{1,11}) is not w²₁₁₁."""
    _, n = case
    assert read_text(n.text()) == (n.symbol, n.layer, n.indices)


def test_the_residual_writer_spells_r_of_j() -> None:
    assert residual_label(3) == "r[3]"
    with pytest.raises(ValueError, match="not the seed's notation"):
        residual_label(0)


@pytest.mark.parametrize("write", [superscript, subscript])
def test_scripts_take_digits_only(write: Callable[[str], str]) -> None:
    for bad in ("", "j", "1a", "²", "-1"):
        with pytest.raises(ValueError, match="digits 0-9"):
            write(bad)
