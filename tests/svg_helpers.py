"""Reading the SVG files viz writes: nodes, their texts, clusters, edges."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

SVG = "{http://www.w3.org/2000/svg}"


def parse(source: Path | bytes) -> ET.Element:
    """The root element; fails the test if the file is not well-formed XML."""
    data = source.read_bytes() if isinstance(source, Path) else source
    return ET.fromstring(data)


def groups(root: ET.Element, kind: str) -> list[ET.Element]:
    """Every ``<g class="kind">`` (node, edge, cluster), in document order."""
    return [g for g in root.iter(f"{SVG}g") if g.get("class") == kind]


def title(g: ET.Element) -> str:
    t = g.find(f"{SVG}title")
    return "" if t is None or t.text is None else t.text


def texts(g: ET.Element) -> list[str]:
    """The texts of a group in order, dot's no-break spaces read as spaces."""
    return [(t.text or "").replace("\xa0", " ") for t in g.iter(f"{SVG}text")]


def texts_by_font(root: ET.Element) -> list[tuple[str, str]]:
    """(the first family of its font-family, its text) for every text of a picture,
    the family inherited from the nearest element that names one (an attribute, as
    dot writes it, or a style, as viz.svg writes it)."""
    found: list[tuple[str, str]] = []

    def walk(e: ET.Element, family: str) -> None:
        named = e.get("font-family")
        for part in (e.get("style") or "").split(";"):
            key, _, value = part.partition(":")
            if key.strip() == "font-family":
                named = value
        family = named.split(",")[0].strip().strip("'\"") if named else family
        if e.tag == f"{SVG}text":
            found.append((family, "".join(e.itertext()).replace("\xa0", " ")))
        for child in e:
            walk(child, family)

    walk(root, "")
    return found


def node_texts(root: ET.Element) -> dict[str, list[str]]:
    """Node id -> its texts, for every node of a graphviz SVG."""
    return {title(g): texts(g) for g in groups(root, "node")}


def shown(x: float) -> str:
    """How a picture writes ``x``: 4 significant digits, a negative number with the
    minus sign U+2212 (spelled here, not by viz)."""
    text = f"{x:.4g}"
    return "\u2212" + text[1:] if text.startswith("-") else text
