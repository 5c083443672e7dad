"""The one picture type: Jupyter's display protocol, a short repr, and ``.save``
writing exactly what Jupyter shows, through the one atomic writer."""

from __future__ import annotations

from pathlib import Path

import pytest

from viz import Picture
from viz.picture import SVG_MIME

SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="2" height="2"><rect/></svg>'


def test_jupyter_gets_the_svg_and_a_one_line_text() -> None:
    picture = Picture(SVG * 1000, "test picture")
    assert picture._repr_svg_() == SVG * 1000
    bundle = picture._repr_mimebundle_()
    assert bundle == {SVG_MIME: SVG * 1000, "text/plain": repr(picture)}
    assert picture._repr_mimebundle_(include=["text/plain"]) == {
        "text/plain": repr(picture)
    }
    assert SVG_MIME not in picture._repr_mimebundle_(exclude=[SVG_MIME])
    text = repr(picture)
    assert "\n" not in text
    assert len(text) < 80  # never the SVG itself
    assert "test picture" in text
    assert f"{len(SVG) * 1000:,} chars" in text


def test_save_writes_the_shown_bytes_atomically_and_names_a_bad_path(
    tmp_path: Path,
) -> None:
    picture = Picture("<svg>ü</svg>")
    path = picture.save(tmp_path / "p.svg")
    assert path.read_bytes() == picture._repr_svg_().encode("utf-8")
    with pytest.raises(IsADirectoryError, match=str(tmp_path)):
        picture.save(tmp_path)
    with pytest.raises(FileNotFoundError):
        picture.save(tmp_path / "no" / "p.svg")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.svg"]  # no temp file


def test_a_picture_is_made_of_text() -> None:
    with pytest.raises(TypeError, match="str"):
        Picture(b"<svg/>")  # type: ignore[arg-type]
