"""The page's text for labels: the seed's notation in Unicode super- and subscripts
(w²₁₁, δ³₁, y₁), which every browser shows alike, and plain text for any other label.

The Unicode form itself lives in ``nn.notation`` (``viz.labels.label_text``); this
module hands it on to the page's modules.
"""

from __future__ import annotations

from nn.notation import subscript, superscript
from viz.labels import format_number, label_text

__all__ = ["format_number", "node_name", "subscript", "superscript", "unicode_label"]

def unicode_label(label: str, *, as_delta: bool = False) -> str:
    """``w[2][1][1]`` as w²₁₁ (``viz.labels.label_text``, the one Unicode form of the
    notation); with ``as_delta`` z^l_j is written δ^l_j. A label that is not notation
    is shown as written (``viz.labels.display_text``)."""
    return label_text(label, as_delta=as_delta)


def node_name(label: str, node: str) -> str:
    """What the page calls a node: its label, or its picture id when it has none."""
    return unicode_label(label) if label else node
