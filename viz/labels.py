"""The seed's notation for labels, and text made safe for graphviz's HTML-like labels.

nn names the nodes of an MLP with 1-based indices, as the seed does:

====================  ==================  =====================================
label                 typeset             meaning
====================  ==================  =====================================
``w[l][j][k]``        w^l_jk              weight from neuron k of layer l-1 to j
``b[l][j]``           b^l_j               bias of neuron j of layer l
``z[l][j]``           z^l_j               weighted input; its grad is delta^l_j
``a[l][j]``           a^l_j               activation (``a[1][k]`` is input k)
``y[j]``              y_j                 target
``r[j]``              r_j                 residual a^L_j - y_j
``C``                 C                   the cost
====================  ==================  =====================================

The grammar, its writers and its parser live in ``nn.notation`` (``parse_label``
and ``Notation`` are re-exported here, and ``Notation.text`` writes ``w²₁₃`` in
Unicode super- and subscript digits); this module typesets: :func:`label_text` is
what a picture shows for a label, :func:`typeset` the same as an HTML-like fragment,
and :func:`escape` makes *any* other text safe. The scripts are Unicode characters,
not ``<SUP>``/``<SUB>``: dot writes those as SVG ``baseline-shift``, which Firefox
ignores (``w²₁₁`` showed as ``w211``). Negative numbers take the minus sign U+2212
(``−0.5``), which a leading hyphen beside a name (``δ²₁-0.5``) is not.

Why escaping needs care (measured with dot 2.43): inside an HTML-like label
``& < > "`` must be entities, a raw ``]`` breaks the label's parse, characters XML
forbids (most control characters) make dot fail, and dot still expands ``\\N``,
``\\G``, ``\\E``... even there, so every backslash is doubled. Non-printable
characters are shown as Python escapes (``\\n``, ``\\x00``) so that what a
person sees is exactly :func:`display_text` of the label.
"""

from __future__ import annotations

import html
import math

from nn.notation import Notation, parse_label

__all__ = [
    "DELTA",
    "FONT",
    "MAX_LABEL_CHARS",
    "MINUS",
    "Notation",
    "display_text",
    "escape",
    "format_number",
    "label_text",
    "parse_label",
    "typeset",
]

#: The fonts of every text dot sets, first choice first (dot's ``fontname``; the
#: SVG's ``font-family``). dot measures each text with the first it finds through
#: fontconfig, and a browser draws it with the first it has: naming Liberation
#: Serif (Debian's fonts-liberation2, which ``./run`` installs; metric-compatible
#: with Times New Roman) makes them the same font here. With dot's default "Times"
#: Firefox, which does not follow fontconfig's alias Times -> Liberation Serif,
#: drew DejaVu Serif: wider than dot measured (texts overlapped) and with subscript
#: digits on the baseline. Liberation Serif has every glyph the labels use
#: (⁰-⁹, ₀-₉, δ, σ, Σ, ½, ·, −).
FONT = "Liberation Serif,Times New Roman,Times,serif"

#: The minus sign of negative numbers in pictures (not the hyphen-minus "-").
MINUS = "\u2212"

#: The symbol of a z^l_j node's grad, delta^l_j = dC/dz^l_j.
DELTA = "δ"

#: Longer labels are cut to this many characters (plus an ellipsis) in pictures.
MAX_LABEL_CHARS = 60


def _visible(ch: str) -> str:
    """A printable stand-in for one character: itself, or its Python escape."""
    return ch if ch.isprintable() else repr(ch)[1:-1]


def display_text(text: str, limit: int = MAX_LABEL_CHARS) -> str:
    """What a picture shows for ``text``: non-printable characters as Python escapes
    (a newline as ``\\n``, NUL as ``\\x00``), cut to ``limit`` characters plus "…"."""
    shown = "".join(_visible(ch) for ch in text)
    if len(shown) > limit:
        shown = shown[:limit] + "…"
    return shown


def escape(text: str, limit: int = MAX_LABEL_CHARS) -> str:
    """``text`` as a fragment for an HTML-like label that dot shows as
    :func:`display_text` of it, whatever characters it holds."""
    shown = html.escape(display_text(text, limit), quote=True)
    # dot 2.43 misparses a raw "]" in HTML-like text (the rest of the label is lost)
    shown = shown.replace("[", "&#91;").replace("]", "&#93;")
    return shown.replace("\\", "\\\\")


def label_text(label: str, *, as_delta: bool = False) -> str:
    """What a picture shows for ``label``: the seed's notation in Unicode scripts
    (``w[2][1][3]`` -> ``w²₁₃``, ``w[2][1][11]`` -> ``w²₁,₁₁``) when it is notation,
    else :func:`display_text` of it. With ``as_delta`` a ``z[l][j]`` label is
    written delta^l_j (``δ²₁``), for its grad.

    Other names (an expression's ``x``, ``x_1``, ``w_jk``) are shown as written:
    Unicode has sub- and superscript forms of the digits but of a few letters only
    (no subscript b, c, d, f, g, q, w, y, z), so no name outside the notation is
    turned into scripts, rather than some of it."""
    n = parse_label(label)
    if n is None:
        return display_text(label)
    return n.text(DELTA if as_delta and n.symbol == "z" else None)


def typeset(label: str, *, as_delta: bool = False) -> str:
    """:func:`label_text` of ``label`` as a fragment of an HTML-like label (escaped;
    notation needs no escaping: letters, digits and commas)."""
    n = parse_label(label)
    if n is None:
        return escape(label)
    return n.text(DELTA if as_delta and n.symbol == "z" else None)


def format_number(x: float) -> str:
    """A float in 4 significant digits, as pictures show data and grads, a negative
    one with the minus sign U+2212: ``-0.123456`` -> ``−0.1235``, ``-1e-7`` ->
    ``−1e-07`` (the exponent keeps its hyphen, as Python writes it)."""
    text = str(x) if math.isnan(x) or math.isinf(x) else f"{x:.4g}"
    return MINUS + text[1:] if text.startswith("-") else text
