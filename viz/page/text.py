"""The page's text for labels: the seed's notation in Unicode super- and subscripts
(w²₁₁, δ³₁, y₁), which every browser shows alike, and plain text for any other label.

This is the one place the page spells a label; a Unicode form of ``viz.labels``
can replace ``unicode_label`` here without any other change.
"""

from __future__ import annotations

from viz.labels import display_text, format_number, parse_label

__all__ = ["format_number", "node_name", "subscript", "superscript", "unicode_label"]

_SUP = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def superscript(text: object) -> str:
    """The digits of ``text`` as superscripts (3 -> ³)."""
    return str(text).translate(_SUP)


def subscript(text: object) -> str:
    """The digits of ``text`` as subscripts (12 -> ₁₂)."""
    return str(text).translate(_SUB)


def unicode_label(label: str, *, as_delta: bool = False) -> str:
    """``w[2][1][1]`` as w²₁₁ (indices of two or more digits apart with commas, as
    ``viz.labels.typeset`` does); with ``as_delta`` z^l_j is written δ^l_j. A label
    that is not notation is :func:`viz.labels.display_text` of it."""
    n = parse_label(label)
    if n is None:
        return display_text(label)
    symbol = "δ" if as_delta and n.symbol == "z" else n.symbol
    out = symbol
    if n.layer is not None:
        out += superscript(n.layer)
    if n.indices:
        sep = "," if any(i >= 10 for i in n.indices) else ""
        out += subscript(sep.join(str(i) for i in n.indices))
    return out


def node_name(label: str, node: str) -> str:
    """What the page calls a node: its label, or its picture id when it has none."""
    return unicode_label(label) if label else node
