"""Labels: the seed's notation (read by ``nn.notation``) is typeset; any other text
is made safe."""

from __future__ import annotations

import re

import pytest
from hypothesis import given

import viz
from nn import notation
from nn.notation import Notation
from tests.strategies import label_texts, notation_labels
from viz import labels as viz_labels
from viz.labels import (
    MAX_LABEL_CHARS,
    display_text,
    escape,
    format_number,
    label_text,
    typeset,
)


def test_labels_are_read_by_nn_notation_the_one_parser() -> None:
    """viz keeps ``parse_label`` and ``Notation`` importable, as re-exports."""
    assert viz_labels.parse_label is notation.parse_label
    assert viz_labels.Notation is notation.Notation
    assert viz.parse_label is notation.parse_label


@given(notation_labels())
def test_every_notation_label_is_shown_as_its_unicode_text(
    case: tuple[str, Notation],
) -> None:
    """One home for the scripts: viz shows what ``Notation.text`` writes, with no
    markup (dot writes <SUP>/<SUB> as baseline-shift, which Firefox ignores)."""
    label, n = case
    assert label_text(label) == n.text()
    assert typeset(label) == n.text()
    assert "<" not in typeset(label)


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("w[2][1][3]", "w²₁₃"),
        ("b[3][2]", "b³₂"),
        ("a[1][2]", "a¹₂"),
        ("y[4]", "y₄"),
        ("r[1]", "r₁"),
        ("C", "C"),
        ("w[2][1][12]", "w²₁,₁₂"),
        ("w[1][1][1]", "w&#91;1&#93;&#91;1&#93;&#91;1&#93;"),  # not notation: text
    ],
)
def test_notation_is_typeset_with_superscript_layer_and_subscript_indices(
    label: str, expected: str
) -> None:
    assert typeset(label) == expected


def test_a_z_label_typeset_as_delta_names_the_same_layer_and_neuron() -> None:
    assert typeset("z[3][2]", as_delta=True) == "δ³₂"
    assert typeset("a[3][2]", as_delta=True) == typeset("a[3][2]") == "a³₂"


def test_other_labels_are_shown_as_written() -> None:
    assert label_text("x_1") == "x_1"
    assert label_text("w[0][1][1]") == "w[0][1][1]"
    assert label_text("a\nb") == display_text("a\nb")


@given(label_texts)
def test_escaped_text_holds_no_markup_and_only_doubled_backslashes(text: str) -> None:
    out = escape(text)
    for markup in '<>"':
        assert markup not in out
    # every & starts an entity
    assert "&" not in re.sub(r"&(?:[a-z]+|#x?[0-9a-f]+);", "", out)
    # backslashes come in pairs: dot turns each pair back into one
    assert re.fullmatch(r"(?:[^\\]|\\\\)*", out)


@given(label_texts)
def test_display_text_is_printable_and_at_most_the_limit(text: str) -> None:
    shown = display_text(text)
    assert shown.isprintable()
    assert len(shown) <= MAX_LABEL_CHARS + 1
    if text.isprintable() and len(text) <= MAX_LABEL_CHARS:
        assert shown == text


@pytest.mark.parametrize(
    ("text", "shown"),
    [("a\nb", "a\\nb"), ("\x00", "\\x00"), ("tab\t", "tab\\t"), ("\u2028", "\\u2028"),
     ("x" * (MAX_LABEL_CHARS + 5), "x" * MAX_LABEL_CHARS + "…")],
)
def test_invisible_characters_are_shown_as_python_escapes(
    text: str, shown: str
) -> None:
    assert display_text(text) == shown


@pytest.mark.parametrize(
    ("x", "text"),
    [(0.5, "0.5"), (0.123456, "0.1235"), (-2.0, "\u22122"), (12345.6, "1.235e+04"),
     (-7.7334e-07, "\u22127.733e-07"), (float("nan"), "nan"), (float("inf"), "inf"),
     (float("-inf"), "\u2212inf"), (-0.0, "\u22120")],
)
def test_numbers_are_shown_with_four_significant_digits_and_a_true_minus(
    x: float, text: str
) -> None:
    assert format_number(x) == text
