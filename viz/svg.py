"""Building SVG documents by hand, for the pictures whose size matters.

The network diagram and the decision boundary are drawn as SVG elements here, not by
matplotlib: matplotlib writes every scatter point as a ``<use>`` with its own style
(about 120 bytes a point, 52 KB for the demo's 400 points) and every text as glyph
outlines. The elements are ``xml.etree.ElementTree`` ones (which escape every text
and attribute); numbers are written with one decimal (a tenth of a pixel), so the
same picture gives the same bytes. Heatmaps are embedded as one PNG each
(``data:`` URI, encoded by Pillow), not as a rectangle per cell.
"""

from __future__ import annotations

import base64
import io
import xml.etree.ElementTree as ET

import numpy as np
import numpy.typing as npt
from PIL import Image

__all__ = ["FONT", "document", "num", "png_data_uri", "sub", "to_text"]

#: The font of every text. Liberation Sans (Debian's fonts-liberation2, which
#: ``./run`` installs with Liberation Serif, ``viz.labels.FONT``) draws the subscript
#: digits of a²₁ below the baseline; DejaVu Sans draws them on it.
FONT = "Liberation Sans, Arial, Helvetica, sans-serif"

_SVG_NS = "http://www.w3.org/2000/svg"
_XLINK_NS = "http://www.w3.org/1999/xlink"


def num(x: float) -> str:
    """``x`` with one decimal at most: 12.0 -> ``"12"``, 3.14159 -> ``"3.1"``."""
    text = f"{x:.1f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _attrs(attrs: dict[str, object]) -> dict[str, str]:
    """Keyword names as SVG attribute names (``stroke_width`` -> ``stroke-width``,
    ``href`` -> ``xlink:href``); floats through :func:`num`."""
    out = {}
    for key, value in attrs.items():
        name = "xlink:href" if key == "href" else key.rstrip("_").replace("_", "-")
        out[name] = num(value) if isinstance(value, float) else str(value)
    return out


def document(width: float, height: float, **attrs: object) -> ET.Element:
    """An empty ``<svg>`` of ``width`` x ``height`` pixels."""
    return ET.Element(
        "svg",
        _attrs(
            {
                "xmlns": _SVG_NS,
                "xmlns:xlink": _XLINK_NS,
                "width": float(width),
                "height": float(height),
                "viewBox": f"0 0 {num(width)} {num(height)}",
                "font-family": FONT,
                **attrs,
            }
        ),
    )


def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: object
        ) -> ET.Element:
    """A new ``<tag>`` child of ``parent`` with ``attrs`` (see :func:`_attrs`)."""
    element = ET.SubElement(parent, tag, _attrs(attrs))
    if text is not None:
        element.text = text
    return element


def to_text(root: ET.Element) -> str:
    """The SVG document as text, one element per line."""
    ET.indent(root, space="")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(
        root, encoding="unicode"
    ) + "\n"


def png_data_uri(rgb: npt.ArrayLike) -> str:
    """An RGB image, shape (rows, cols, 3) of 0..255, as a ``data:image/png`` URI;
    row 0 is the top row. The same pixels give the same text."""
    pixels = np.ascontiguousarray(np.asarray(rgb, dtype=np.uint8))
    if pixels.ndim != 3 or pixels.shape[2] != 3:
        raise ValueError(f"an RGB image has shape (rows, cols, 3), got {pixels.shape}")
    colours, index = np.unique(pixels.reshape(-1, 3), axis=0, return_inverse=True)
    if len(colours) <= 256:  # a palette image: the same pixels, a third the size
        image = Image.fromarray(
            np.asarray(index, dtype=np.uint8).reshape(pixels.shape[:2]), "P"
        )
        image.putpalette(colours.astype(np.uint8).ravel().tolist())
    else:
        image = Image.fromarray(pixels, "RGB")
    buf = io.BytesIO()
    image.save(buf, format="PNG", optimize=True)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")
