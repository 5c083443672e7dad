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
``C``                 C                   the cost
====================  ==================  =====================================

The grammar, its writers and its parser live in ``nn.notation`` (``parse_label``
and ``Notation`` are re-exported here); this module typesets: :func:`typeset` turns
a label into an HTML-like fragment with ``<SUP>``/``<SUB>``, and :func:`escape`
makes *any* other text safe.

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
    "MAX_LABEL_CHARS",
    "SCRIPT_POINT_SIZE",
    "Notation",
    "display_text",
    "escape",
    "format_number",
    "parse_label",
    "typeset",
]

#: Font size of super- and subscripts (labels are set in 12 pt).
SCRIPT_POINT_SIZE = 9

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


def _subscript(indices: tuple[int, ...]) -> str:
    """Indices written together (jk), or with commas if any has two or more digits."""
    sep = "," if any(i >= 10 for i in indices) else ""
    return sep.join(str(i) for i in indices)


def _small(text: str) -> str:
    """Text in the smaller size scripts are set in."""
    return f'<FONT POINT-SIZE="{SCRIPT_POINT_SIZE}">{text}</FONT>'


def typeset(label: str, *, as_delta: bool = False) -> str:
    """An HTML-like fragment for ``label``: the seed's notation with sub- and
    superscripts (w<SUP>l</SUP><SUB>jk</SUB>) when it is one, else escaped text.

    With ``as_delta`` a ``z[l][j]`` label is written delta^l_j instead (for its grad).
    """
    n = parse_label(label)
    if n is None:
        return escape(label)
    symbol = n.symbol
    if as_delta and symbol == "z":
        symbol = "δ"
    out = f"<I>{symbol}</I>"
    if n.layer is not None:
        out += f"<SUP>{_small(str(n.layer))}</SUP>"
    if n.indices:
        out += f"<SUB>{_small(_subscript(n.indices))}</SUB>"
    return out


def format_number(x: float) -> str:
    """A float in 4 significant digits, as pictures show data and grads."""
    if math.isnan(x) or math.isinf(x):
        return str(x)
    return f"{x:.4g}"
