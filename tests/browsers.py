"""Pictures opened in real browsers, headless Chromium and Firefox, and measured
from what they rendered (not from the SVG source).

* :func:`start` starts one browser (``"chromium"``: Debian's ``chromium`` driven by
  Playwright; ``"firefox"``: Debian's ``firefox-esr`` driven through its built-in
  Marionette protocol by Mozilla's ``marionette_driver``; no browser download, no
  geckodriver). A browser that cannot start raises :class:`BrowserStartError`
  with the reason and how to install it.
* :func:`measure` opens an SVG (or HTML) file at its natural size and returns every
  text's rendered box and font size and the picture's rendered size.
* :func:`script_ink` finds where the index glyphs of each label were drawn: in the
  page, each text holding Unicode super- or subscript characters is split into one
  unpositioned ``<tspan>`` per character (which keeps the layout), its first letter
  is painted green, superscripts red, subscripts blue and all else transparent;
  one screenshot later, the rows of each colour's ink inside the label's box say
  where each was drawn, against the label's baseline. A character's own box
  (``getExtentOfChar``) is the font's em box, the same for every glyph, so it
  cannot tell a raised glyph from a plain one: ink can.

The tests that use them (``tests/viz/test_in_browsers.py``) start each browser once
per pytest process through the fixture ``browser`` of ``tests/conftest.py`` (its
session-wide ``browsers``).
"""

from __future__ import annotations

import io
import shutil
import socket
import subprocess
import tempfile
import warnings
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

__all__ = [
    "BROWSERS",
    "Browser",
    "BrowserStartError",
    "Chromium",
    "Ink",
    "LabelInk",
    "PageMeasure",
    "TextBox",
    "measure",
    "script_ink",
    "start",
]

#: The browsers the pictures are checked in, and the Debian package of each.
BROWSERS = {"chromium": "chromium", "firefox": "firefox-esr"}

#: Seconds a browser may take to start and answer (a loaded 2-core machine).
START_TIMEOUT = 120.0

SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
SUBSCRIPTS = "₀₁₂₃₄₅₆₇₈₉"


class BrowserStartError(RuntimeError):
    """A browser could not be started; the message says why and how to fix it."""


class Browser(Protocol):
    """One started browser with one page."""

    name: str

    def open(self, path: Path) -> None:
        """Load the file ``path`` in the page."""

    def run(self, body: str) -> Any:
        """Run the JavaScript function body ``body`` in the page; its JSON result."""

    def screenshot(self) -> bytes:
        """A PNG of the whole page (not only the window), 1 pixel per CSS px."""

    def close(self) -> None:
        """Stop the browser."""


class Chromium:
    """Debian's chromium through Playwright; :meth:`new_page` gives the page's tests
    (tests/viz) a Playwright page of their own in the same browser."""

    name = "chromium"

    def __init__(self) -> None:
        from playwright.sync_api import sync_playwright  # noqa: PLC0415 - dev extra

        exe = shutil.which("chromium")
        if exe is None:
            raise BrowserStartError(_missing("chromium"))
        self._driver = sync_playwright().start()
        try:
            self._browser = self._driver.chromium.launch(
                executable_path=exe,
                args=["--no-sandbox", "--font-render-hinting=none"],
                timeout=START_TIMEOUT * 1000,
            )
            self._page = self._browser.new_page(
                viewport={"width": 1600, "height": 1000}, device_scale_factor=1
            )
        except Exception:
            self._driver.stop()
            raise

    def open(self, path: Path) -> None:
        self._page.goto(path.resolve().as_uri())

    def run(self, body: str) -> Any:
        return self._page.evaluate(f"() => {{ {body} }}")

    def screenshot(self) -> bytes:
        # full_page=True waits forever on an SVG document: grow the window instead
        width, height = self._page.evaluate(
            "() => [document.documentElement.scrollWidth,"
            " document.documentElement.scrollHeight]"
        )
        self._page.set_viewport_size({"width": max(width, 1600), "height": height})
        try:
            return self._page.screenshot()
        finally:
            self._page.set_viewport_size({"width": 1600, "height": 1000})

    def new_page(self) -> Any:
        """A new Playwright page (``playwright.sync_api.Page``) of this browser."""
        return self._browser.new_page()

    def close(self) -> None:
        with suppress(Exception):
            self._browser.close()
        self._driver.stop()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class _Firefox:
    name = "firefox"

    def __init__(self) -> None:
        with warnings.catch_warnings():  # mozinfo's and mozrunner's own deprecations
            warnings.simplefilter("ignore", DeprecationWarning)
            from marionette_driver.marionette import Marionette  # noqa: PLC0415

        exe = shutil.which("firefox-esr") or shutil.which("firefox")
        if exe is None:
            raise BrowserStartError(_missing("firefox"))
        self._profile = tempfile.TemporaryDirectory(prefix="deltagrad-firefox-")
        port = _free_port()
        prefs = {
            "marionette.port": port,
            "browser.shell.checkDefaultBrowser": False,
            "datareporting.policy.dataSubmissionEnabled": False,
            "toolkit.telemetry.reportingpolicy.firstRun": False,
            "layout.css.devPixelsPerPx": '"1.0"',
        }
        Path(self._profile.name, "user.js").write_text(
            "".join(
                f'user_pref("{k}", {str(v).lower() if isinstance(v, bool) else v});\n'
                for k, v in prefs.items()
            )
        )
        self._proc = subprocess.Popen(
            [exe, "--headless", "--marionette", "--no-remote", "--profile",
             self._profile.name, "--window-size=1600,1000"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            self._client = Marionette(
                host="127.0.0.1", port=port, startup_timeout=int(START_TIMEOUT)
            )
            self._client.start_session()
        except Exception as err:
            self._stop()
            raise BrowserStartError(
                f"firefox-esr started but did not answer on Marionette: {err}"
            ) from err

    def open(self, path: Path) -> None:
        self._client.navigate(path.resolve().as_uri())

    def run(self, body: str) -> Any:
        return self._client.execute_script(body)

    def screenshot(self) -> bytes:
        png: bytes = self._client.screenshot(format="binary", full=True)
        return png

    def _stop(self) -> None:
        if self._proc.poll() is None:
            self._proc.terminate()
            try:
                self._proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait(timeout=20)
        self._profile.cleanup()

    def close(self) -> None:
        with suppress(Exception):
            self._client.delete_session()
        self._stop()


def _missing(name: str) -> str:
    package = BROWSERS[name]
    return (
        f"{name} is not installed: the picture checks need the Debian package "
        f"{package} (./run test installs it; by hand: apt-get install -y {package})"
    )


def start(name: str) -> Browser:
    """Start the browser ``name`` (a key of BROWSERS), headless, with one page.

    Raises:
        BrowserStartError: it is not installed, its Python driver is missing, or it
            did not start; the message says which and how to install it.
    """
    try:
        return Chromium() if name == "chromium" else _Firefox()
    except BrowserStartError:
        raise
    except ImportError as err:
        raise BrowserStartError(
            f"{name}: its driver is missing ({err}); install the dev extra: "
            "pip install -e '.[dev]'"
        ) from err
    except Exception as err:
        raise BrowserStartError(f"{name} did not start: {err}") from err


@contextmanager
def started(name: str) -> Iterator[Browser]:
    """:func:`start`, and close the browser afterwards."""
    browser = start(name)
    try:
        yield browser
    finally:
        browser.close()


@dataclass(frozen=True)
class TextBox:
    """One rendered ``<text>``: its content, its box in CSS px and its font size in
    CSS px as drawn (the font size times the picture's scale)."""

    text: str
    left: float
    top: float
    right: float
    bottom: float
    font_px: float

    def overlap(self, other: TextBox) -> float:
        """The area in px^2 that this box and ``other`` share."""
        w = min(self.right, other.right) - max(self.left, other.left)
        h = min(self.bottom, other.bottom) - max(self.top, other.top)
        return max(w, 0.0) * max(h, 0.0)


@dataclass(frozen=True)
class PageMeasure:
    """A picture as a browser rendered it at its natural size."""

    width: float
    height: float
    texts: list[TextBox]
    clusters: dict[str, tuple[float, float, float, float]]
    """Each ``<g class="cluster">``'s rendered box (left, top, right, bottom) by its
    title (dot's cluster name)."""

    def overlapping(self, slack: float = 0.15) -> list[tuple[TextBox, TextBox]]:
        """The pairs of non-empty texts whose boxes share more than 1 px across and
        more than ``slack`` times the smaller font size down.

        A box reaches from the font's ascent to its descent (getBBox): 1.1 em in
        Chromium, up to 1.35 em in Firefox, more than the 1.2 em dot puts between
        the lines of one label; the ascent lies about 0.2 em above the tallest
        glyphs (digits, capitals, parentheses: 0.66-0.69 em in Liberation Serif),
        so boxes sharing less than 0.15 em down cannot share ink."""
        shown = sorted((t for t in self.texts if t.text.strip()), key=lambda t: t.left)
        pairs = []
        for i, a in enumerate(shown):
            for b in shown[i + 1 :]:
                if b.left >= a.right - 1.0:
                    break
                across = min(a.right, b.right) - max(a.left, b.left)
                down = min(a.bottom, b.bottom) - max(a.top, b.top)
                if across > 1.0 and down > slack * min(a.font_px, b.font_px):
                    pairs.append((a, b))
        return pairs


_MEASURE = """
const svg = document.querySelector("svg");
const box = svg.getBoundingClientRect();
const texts = [];
for (const t of document.querySelectorAll("text")) {
  // getBBox: the advance widths across, the font's ascent to descent down (the
  // client rect of Firefox adds line spacing above and below)
  const b = t.getBBox(), m = t.getScreenCTM();
  const size = parseFloat(getComputedStyle(t).fontSize);
  const x = (u) => m.a * u + m.e + scrollX, y = (v) => m.d * v + m.f + scrollY;
  texts.push([t.textContent, x(b.x), y(b.y), x(b.x + b.width), y(b.y + b.height),
              size * m.a]);
}
const clusters = {};
for (const g of document.querySelectorAll("g.cluster")) {
  const r = g.getBoundingClientRect();
  const title = g.querySelector("title");
  clusters[title ? title.textContent : ""] = [r.left, r.top, r.right, r.bottom];
}
return [box.width, box.height, texts, clusters];
"""


def measure(browser: Browser, path: Path) -> PageMeasure:
    """Open ``path`` in ``browser`` and measure its first ``<svg>`` and every text."""
    browser.open(path)
    width, height, texts, clusters = browser.run(_MEASURE)
    return PageMeasure(
        float(width),
        float(height),
        [TextBox(str(t[0]), *map(float, t[1:])) for t in texts],
        {k: (float(v[0]), float(v[1]), float(v[2]), float(v[3]))
         for k, v in clusters.items()},
    )


@dataclass(frozen=True)
class Ink:
    """The rows (CSS px, downwards) a colour's ink spans in one label."""

    top: float
    bottom: float

    @property
    def centre(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass(frozen=True)
class LabelInk:
    """Where a label was drawn: its baseline row and font size (CSS px), and the
    ink of its letter and of its super- and subscript glyphs (None: no ink)."""

    text: str
    baseline: float
    font_px: float
    letter: Ink | None
    superscript: Ink | None
    subscript: Ink | None


_PAINT = f"""
const SUP = "{SUPERSCRIPTS}", SUB = "{SUBSCRIPTS}";
const NS = "http://www.w3.org/2000/svg";
const style = document.createElementNS(NS, "style");
style.textContent = "* {{ stroke: none !important; }} "
  + "polygon, path, ellipse, polyline, rect {{ fill: none !important; }}";
document.querySelector("svg").prepend(style);
const found = [];
for (const t of document.querySelectorAll("text")) {{
  const text = t.textContent;
  const scripted = [...text].some(c => SUP.includes(c) || SUB.includes(c));
  if (!scripted || !/^\\p{{L}}/u.test(text)) {{  // a letter with its indices
    t.setAttribute("fill-opacity", "0");
    continue;
  }}
  const r = t.getBoundingClientRect();
  const m = t.getScreenCTM();
  const baseline = m.d * parseFloat(t.getAttribute("y") || "0") + m.f + scrollY;
  const size = parseFloat(getComputedStyle(t).fontSize) * m.a;
  t.textContent = "";
  [...text].forEach((c, i) => {{
    const span = document.createElementNS(NS, "tspan");
    span.textContent = c;
    let fill = "none";
    if (i === 0) fill = "rgb(0,255,0)";
    else if (SUP.includes(c)) fill = "rgb(255,0,0)";
    else if (SUB.includes(c)) fill = "rgb(0,0,255)";
    span.setAttribute("fill", fill);
    t.appendChild(span);
  }});
  found.push([text, r.left + scrollX, r.top + scrollY, r.right + scrollX,
              r.bottom + scrollY, baseline, size]);
}}
return found;
"""


def _ink(mask: npt.NDArray[np.bool_], offset: int) -> Ink | None:
    """The first and last row holding a True pixel of ``mask``, plus ``offset``."""
    rows = np.nonzero(mask.any(axis=1))[0]
    if not rows.size:
        return None
    return Ink(float(rows[0] + offset), float(rows[-1] + 1 + offset))


def script_ink(browser: Browser, path: Path) -> list[LabelInk]:
    """Open ``path``, paint each label that has index glyphs (see the module
    docstring), take one screenshot and locate each colour's ink per label."""
    from PIL import Image  # noqa: PLC0415 - matplotlib's dependency

    browser.open(path)
    labels = browser.run(_PAINT)
    image = Image.open(io.BytesIO(browser.screenshot())).convert("RGB")
    px = np.asarray(image).astype(np.int16)
    r, g, b = px[..., 0], px[..., 1], px[..., 2]
    strong = 80  # how far a colour channel must stand above the other two
    colour = {
        "letter": (g - np.maximum(r, b)) > strong,
        "superscript": (r - np.maximum(g, b)) > strong,
        "subscript": (b - np.maximum(r, g)) > strong,
    }
    out = []
    for text, left, top, right, bottom, baseline, font_px in labels:
        y0, y1 = max(int(top), 0), int(np.ceil(bottom))
        x0, x1 = max(int(left), 0), int(np.ceil(right))
        ink = {k: _ink(m[y0:y1, x0:x1], y0) for k, m in colour.items()}
        out.append(
            LabelInk(
                text,
                float(baseline),
                float(font_px),
                ink["letter"],
                ink["superscript"],
                ink["subscript"],
            )
        )
    return out
