"""The seed's notation as labels: one grammar, its writers and its parser.

nn labels the Values of an MLP with the seed's names and 1-based indices; viz reads
the labels back to show them as the seed writes them (w²₁₃). Both go through here:

==============  ==========  =========================================================
label           seed        meaning
==============  ==========  =========================================================
``w[l][j][k]``  w^l_jk      weight from neuron k of layer l-1 to neuron j of layer l
``b[l][j]``     b^l_j       bias of neuron j of layer l
``z[l][j]``     z^l_j       weighted input sum_k w^l_jk a^{l-1}_k + b^l_j;
                            its grad is delta^l_j = dC/dz^l_j
``a[l][j]``     a^l_j       activation f(z^l_j); ``a[1][k]`` is input k (a^1 = x)
``y[j]``        y_j         target of output neuron j
``r[j]``        r_j         residual a^L_j - y_j of the quadratic cost
``C``           C           the cost
==============  ==========  =========================================================

The grammar::

    label   ::= "C" | "w" idx idx idx | ("b" | "z" | "a") idx idx | ("y" | "r") idx
    idx     ::= "[" digits "]"       a decimal number >= 1 of 1 to 6 digits

where the first index of w, b and z, the layer l, is >= 2 (layer 1, the input
layer, has activations only). The writers spell every number without leading zeros
and refuse a number below its minimum (ValueError); they do write numbers of more
than 6 digits, which the parser does not read back (no net that can be drawn has
them). The parser also reads leading zeros (``w[02][1][1]`` is w^2_11). So
``parse_label(n.label) == n`` for every ``Notation`` n whose numbers have at most 6
digits, and a label that parses is written back as itself less any leading zeros.
Standard library only (no numpy), so that ``viz`` can read labels without loading
nn's arrays.

Written for people (:attr:`Notation.text`), a label is the symbol followed by its
layer in Unicode superscript digits and its indices in Unicode subscript digits:
``w[2][1][3]`` is ``w²₁₃``, ``y[1]`` is ``y₁``. These are characters of their own,
raised or lowered by the font, so every renderer (Chromium, Firefox, librsvg, a
terminal) shows them the same; markup such as SVG's ``baseline-shift`` is not
honoured everywhere. When any index has two or more digits the indices are
separated by a comma on the baseline, so that none runs into the next:
``w[2][1][11]`` is ``w²₁,₁₁`` (w^2_{1,11}), never ``w²₁₁₁``.
"""

from __future__ import annotations

import numbers
import re
from dataclasses import dataclass

__all__ = [
    "COST_LABEL",
    "MAX_INDEX_DIGITS",
    "SYMBOLS",
    "Notation",
    "activation_label",
    "bias_label",
    "parse_label",
    "residual_label",
    "subscript",
    "superscript",
    "target_label",
    "weight_label",
    "z_label",
]

#: The label of the cost C.
COST_LABEL = "C"

#: The symbols of the notation, in the order of the table above.
SYMBOLS = ("w", "b", "z", "a", "y", "r", "C")

#: The parser reads numbers of at most this many digits (a longer one is not
#: notation: no net that can be drawn has a millionth neuron).
MAX_INDEX_DIGITS = 6

#: symbol -> (how many numbers follow it, the least first number); all others >= 1.
_RULES = {
    "w": (3, 2), "b": (2, 2), "z": (2, 2), "a": (2, 1), "y": (1, 1), "r": (1, 1)
}

#: The symbols that take no layer: the target y_j, the residual r_j, the cost C.
_NO_LAYER = ("y", "r", COST_LABEL)

_LABEL = re.compile(rf"([wbzayr])((?:\[[0-9]{{1,{MAX_INDEX_DIGITS}}}\])+)")
_INDEX = re.compile(r"\[([0-9]+)\]")


def _fits(symbol: str, numbers_: tuple[int, ...]) -> bool:
    """Whether ``symbol`` followed by ``numbers_`` in brackets is in the grammar
    (the digit limit aside)."""
    if symbol == COST_LABEL:
        return not numbers_
    rule = _RULES.get(symbol)
    if rule is None:
        return False
    count, least = rule
    return len(numbers_) == count and numbers_[0] >= least and min(numbers_) >= 1


def _check(symbol: str, numbers_: tuple[int, ...]) -> None:
    """ValueError unless ``symbol`` with ``numbers_`` (ints, not bool) is notation."""
    if not all(
        isinstance(n, numbers.Integral) and not isinstance(n, bool) for n in numbers_
    ) or not _fits(symbol, numbers_):
        raise ValueError(
            f"not the seed's notation: {symbol!r} with {numbers_!r} (w takes l >= 2, "
            "j, k; b and z take l >= 2, j; a takes l >= 1, j; y and r take j; C takes "
            "nothing; every number >= 1)"
        )


def _write(symbol: str, numbers_: tuple[int, ...]) -> str:
    """``symbol[n1][n2]...``, or ValueError if that is not in the grammar."""
    _check(symbol, numbers_)
    return symbol + "".join(f"[{int(n)}]" for n in numbers_)


@dataclass(frozen=True, slots=True)
class Notation:
    """A label read as the seed's notation.

    Attributes:
        symbol: ``"w"``, ``"b"``, ``"z"``, ``"a"``, ``"y"``, ``"r"`` or ``"C"``.
        layer: l (None for ``y``, ``r`` and ``C``).
        indices: the subscripts: (j, k) for w, (j,) for b, z, a, y and r, () for C.

    Only notation can be made: other fields raise ValueError.
    """

    symbol: str
    layer: int | None
    indices: tuple[int, ...]

    def __post_init__(self) -> None:
        if (self.layer is None) != (self.symbol in _NO_LAYER):
            raise ValueError(
                f"not the seed's notation: {self.symbol!r} with layer {self.layer!r}"
            )
        _check(self.symbol, self._numbers())

    def _numbers(self) -> tuple[int, ...]:
        """Every number of the label in order: (l, j, k), (l, j), (j,) or ()."""
        head = () if self.layer is None else (self.layer,)
        return head + tuple(self.indices)

    @property
    def label(self) -> str:
        """The label, e.g. ``w[2][1][3]`` (numbers without leading zeros)."""
        return self.symbol + "".join(f"[{int(n)}]" for n in self._numbers())

    def text(self, symbol: str | None = None) -> str:
        """The label as a person reads it, in Unicode: ``w²₁₃``, ``y₁``, ``C``; with
        ``symbol`` in place of the notation's own (``δ²₁`` for z^2_1's grad)."""
        out = self.symbol if symbol is None else symbol
        if self.layer is not None:
            out += superscript(str(self.layer))
        if self.indices:
            sep = "," if any(i >= 10 for i in self.indices) else ""
            out += sep.join(subscript(str(i)) for i in self.indices)
        return out

    @property
    def neuron(self) -> tuple[int, int] | None:
        """(l, j) of the neuron this node belongs to; (1, k) for an input a[1][k]."""
        if self.layer is None or not self.indices:
            return None
        return (self.layer, self.indices[0])


# The writers: plain ints (what nn passes) take the fast path of one f-string;
# anything else goes through ``_write``'s full check (numpy ints pass, bool not).


def weight_label(l: int, j: int, k: int) -> str:  # noqa: E741 - the seed's index
    """``w[l][j][k]``: w^l_jk, from neuron k of layer l-1 to neuron j of layer l."""
    if type(l) is type(j) is type(k) is int and l >= 2 and j >= 1 and k >= 1:
        return f"w[{l}][{j}][{k}]"
    return _write("w", (l, j, k))


def bias_label(l: int, j: int) -> str:  # noqa: E741 - the seed's layer index
    """``b[l][j]``: b^l_j, the bias of neuron j of layer l >= 2."""
    if type(l) is type(j) is int and l >= 2 and j >= 1:
        return f"b[{l}][{j}]"
    return _write("b", (l, j))


def z_label(l: int, j: int) -> str:  # noqa: E741 - the seed's layer index
    """``z[l][j]``: z^l_j, the weighted input of neuron j of layer l >= 2."""
    if type(l) is type(j) is int and l >= 2 and j >= 1:
        return f"z[{l}][{j}]"
    return _write("z", (l, j))


def activation_label(l: int, j: int) -> str:  # noqa: E741 - the seed's layer index
    """``a[l][j]``: a^l_j, the activation of neuron j of layer l (l = 1: input j)."""
    if type(l) is type(j) is int and l >= 1 and j >= 1:
        return f"a[{l}][{j}]"
    return _write("a", (l, j))


def target_label(j: int) -> str:
    """``y[j]``: y_j, the target of output neuron j."""
    if type(j) is int and j >= 1:
        return f"y[{j}]"
    return _write("y", (j,))


def residual_label(j: int) -> str:
    """``r[j]``: r_j = a^L_j - y_j, output neuron j's residual in C = 1/2 sum r^2."""
    if type(j) is int and j >= 1:
        return f"r[{j}]"
    return _write("r", (j,))


_SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def superscript(digits: str) -> str:
    """``digits`` (0-9) as Unicode superscript digits: ``"12"`` -> ``"¹²"``; any other
    character is ValueError (Unicode has no superscript form of most letters)."""
    if not digits.isascii() or not digits.isdigit():
        raise ValueError(f"superscript takes the digits 0-9, got {digits!r}")
    return digits.translate(_SUPERSCRIPTS)


def subscript(digits: str) -> str:
    """``digits`` (0-9) as Unicode subscript digits: ``"12"`` -> ``"₁₂"``; any other
    character is ValueError (Unicode has no subscript form of most letters)."""
    if not digits.isascii() or not digits.isdigit():
        raise ValueError(f"subscript takes the digits 0-9, got {digits!r}")
    return digits.translate(_SUBSCRIPTS)


def parse_label(label: str) -> Notation | None:
    """The notation of a label such as ``"w[2][1][3]"`` or ``"C"``; None otherwise.

    Indices are 1-based, as in the seed: a zero index is not notation, nor is a
    layer 1 for w, b or z, nor a number of more than ``MAX_INDEX_DIGITS`` digits.
    """
    if label == COST_LABEL:
        return Notation(COST_LABEL, None, ())
    m = _LABEL.fullmatch(label)
    if m is None:
        return None
    symbol = m.group(1)
    found = tuple(int(i) for i in _INDEX.findall(m.group(2)))
    if not _fits(symbol, found):
        return None
    if symbol in _NO_LAYER:
        return Notation(symbol, None, found)
    return Notation(symbol, found[0], found[1:])
