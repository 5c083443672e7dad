"""dot's SVG of a graph made ready for the page: each node's group named by its
``viz.graph`` id, and its data and grad texts found and marked, shown as "?".

dot writes a node as ``<g id="node7" class="node"><title>n3</title>...`` with one
``<text>`` per run of text of its label, in the order of the label's cells: name,
data, grad. The grad is the number that ends the last text that ends in a number
close to the node's grad, the data the one ending the last such text before it
close to its data ("close": within the rounding of a picture's few digits), so
the marking holds whatever words or symbols a label puts before its numbers. The
page keeps each text's words, puts "?" in place of the number, and keeps the
number dot drew (``data-shown``) to show again once its value is known.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass

from engine import Value

__all__ = ["UNKNOWN", "MarkedSvg", "mark_svg"]

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
_SVG = f"{{{SVG_NS}}}"

#: What a node shows for a value not yet computed.
UNKNOWN = "?"

_NUMBER = re.compile(
    r"[-−+]?(?:inf|nan|[0-9]+(?:\.[0-9]*)?(?:e[-−+]?[0-9]+)?|\.[0-9]+)$", re.IGNORECASE
)
_PICTURE = re.compile(r"n([0-9]+)(?:_([0-9]+)|(op))?")


@dataclass(frozen=True)
class MarkedSvg:
    """The page's SVG text and, for each node of the order, its picture ids (one,
    or one per copy of a leaf drawn at each use)."""

    text: str
    pictures: dict[int, list[str]]


def _number(token: str) -> float:
    return float(token.replace("−", "-"))


def _close(token: str, value: float) -> bool:
    """Whether a number shown as ``token`` can be ``value`` rounded for a picture."""
    shown = _number(token)
    if not math.isfinite(value) or not math.isfinite(shown):
        return str(shown) == str(value)
    return abs(shown - value) <= 0.05 * abs(value)


def _mark(texts: list[ET.Element], value: float, kind: str, before: int) -> int:
    """Mark the last of ``texts[:before]`` ending in a number close to ``value``;
    its position (ValueError if none: the label has no such number)."""
    for i in range(before - 1, -1, -1):
        t = texts[i]
        content = t.text or ""
        m = _NUMBER.search(content)
        if m and _close(m.group(0), value):
            t.set("class", f"dg-{kind}")
            t.set("data-shown", content)
            t.set("data-words", content[: m.start()])
            t.text = content[: m.start()] + UNKNOWN
            return i
    raise ValueError(f"the picture shows no {kind} number near {value!r}")


def mark_svg(svg: bytes, order: Sequence[Value], grads: Sequence[float]) -> MarkedSvg:
    """``svg`` (dot's picture of the graph of ``order``, its grads ``grads``) with
    node groups named and their data and grad texts marked (see the module
    docstring). Raises ValueError if a node's numbers cannot be found."""
    ET.register_namespace("", SVG_NS)
    ET.register_namespace("xlink", XLINK_NS)
    root = ET.fromstring(svg)
    pictures: dict[int, list[str]] = {}
    for g in root.iter(f"{_SVG}g"):
        if g.get("class") != "node":
            continue
        title = g.find(f"{_SVG}title")
        name = "" if title is None or title.text is None else title.text
        m = _PICTURE.fullmatch(name)
        if m is None:
            continue
        g.set("id", name)
        i = int(m.group(1))
        pictures.setdefault(i, [])
        if m.group(3):  # the op of node i
            continue
        pictures[i].append(name)
        texts = list(g.iter(f"{_SVG}text"))
        v = order[i]
        end = len(texts)
        if v.requires_grad:
            end = _mark(texts, grads[i], "grad", end)
        _mark(texts, v.data, "data", end)
    text = ET.tostring(root, encoding="unicode")
    return MarkedSvg(text, pictures)
