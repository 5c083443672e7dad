"""The README's example of a second derivative prints what the README shows."""

from __future__ import annotations

import contextlib
import io
import math
import re
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"
HEADING = "## Gradients of gradients, and forward mode"


def _section() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index(HEADING)
    end = text.find("\n## ", start + len(HEADING))
    return text[start : end if end >= 0 else len(text)]


def test_the_readme_second_derivative_example_prints_its_shown_output() -> None:
    section = _section()
    code = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    shown = re.search(r"```text\n(.*?)```", section, re.DOTALL)
    assert code is not None
    assert shown is not None
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(code.group(1), str(README), "exec"), {})
    assert printed.getvalue() == shown.group(1)


def test_the_readme_example_is_the_calculus_of_tanh() -> None:
    """Its numbers are 1 - tanh^2(0.5) and -2 tanh(0.5) (1 - tanh^2(0.5))."""
    shown = re.search(r"```text\n(.*?)```", _section(), re.DOTALL)
    assert shown is not None
    first, second = (float(w) for w in shown.group(1).split())
    t = math.tanh(0.5)
    assert math.isclose(first, 1 - t * t, rel_tol=1e-15)
    assert math.isclose(second, -2 * t * (1 - t * t), rel_tol=1e-15)
