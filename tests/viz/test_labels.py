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
    typeset,
)


def test_labels_are_read_by_nn_notation_the_one_parser() -> None:
    """viz keeps ``parse_label`` and ``Notation`` importable, as re-exports."""
    assert viz_labels.parse_label is notation.parse_label
    assert viz_labels.Notation is notation.Notation
    assert viz.parse_label is notation.parse_label


@given(notation_labels())
def test_every_notation_label_is_typeset_with_its_layer_and_indices(
    case: tuple[str, Notation],
) -> None:
    label, n = case
    out = typeset(label)
    assert out.startswith(f"<I>{n.symbol}</I>")
    scripts = re.findall(r'<FONT POINT-SIZE="9">([0-9,]+)</FONT>', out)
    want = [] if n.layer is None else [str(n.layer)]
    if n.indices:
        sep = "," if any(i >= 10 for i in n.indices) else ""
        want.append(sep.join(map(str, n.indices)))
    assert scripts == want


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("w[2][1][3]", '<I>w</I><SUP><FONT POINT-SIZE="9">2</FONT></SUP>'
                       '<SUB><FONT POINT-SIZE="9">13</FONT></SUB>'),
        ("b[3][2]", '<I>b</I><SUP><FONT POINT-SIZE="9">3</FONT></SUP>'
                    '<SUB><FONT POINT-SIZE="9">2</FONT></SUB>'),
        ("a[1][2]", '<I>a</I><SUP><FONT POINT-SIZE="9">1</FONT></SUP>'
                    '<SUB><FONT POINT-SIZE="9">2</FONT></SUB>'),
        ("y[4]", '<I>y</I><SUB><FONT POINT-SIZE="9">4</FONT></SUB>'),
        ("C", "<I>C</I>"),
        ("w[1][1][1]", "w&#91;1&#93;&#91;1&#93;&#91;1&#93;"),  # not notation: text
    ],
)
def test_notation_is_typeset_with_superscript_layer_and_subscript_indices(
    label: str, expected: str
) -> None:
    assert typeset(label) == expected


def test_two_digit_indices_are_separated_by_a_comma() -> None:
    assert '<FONT POINT-SIZE="9">1,12</FONT>' in typeset("w[2][1][12]")
    assert '<FONT POINT-SIZE="9">112</FONT>' not in typeset("w[2][1][12]")


def test_a_z_label_typeset_as_delta_names_the_same_layer_and_neuron() -> None:
    assert typeset("z[3][2]", as_delta=True) == typeset("z[3][2]").replace("z", "δ")
    assert typeset("a[3][2]", as_delta=True) == typeset("a[3][2]")


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
    [(0.5, "0.5"), (0.123456, "0.1235"), (-2.0, "-2"), (12345.6, "1.235e+04"),
     (float("nan"), "nan"), (float("inf"), "inf"), (float("-inf"), "-inf")],
)
def test_numbers_are_shown_with_four_significant_digits(x: float, text: str) -> None:
    assert format_number(x) == text
