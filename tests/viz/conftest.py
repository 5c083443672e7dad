"""A headless Chromium for the page's tests: the system's ``chromium`` driven by
Playwright (no browser download), one browser tab per test session (a new tab
costs about a second; a navigation a few tenths).

``open_page(path)`` loads an HTML file into that tab and returns it with the console
errors, page errors, dialogs and requests recorded from then on; every request is
intercepted, and all but the file's own are refused.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest


@dataclass
class OpenedPage:
    """A page opened from a file, with what it logged and requested."""

    page: Any  # playwright.sync_api.Page
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    allowed: str = ""  # the one URL let through: the file itself


@pytest.fixture(scope="session")
def chromium_tab() -> Iterator[OpenedPage]:
    """One tab of a headless Chromium (skips without Playwright or chromium)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    exe = shutil.which("chromium")
    if exe is None:
        pytest.skip("no chromium program (Debian: apt-get install chromium)")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=exe, args=["--no-sandbox"])
        page = browser.new_page()
        tab = OpenedPage(page)
        page.on(
            "console",
            lambda m: tab.errors.append(m.text) if m.type == "error" else None,
        )
        page.on("pageerror", lambda e: tab.errors.append(str(e)))
        page.on("request", lambda r: tab.requests.append(r.url))

        def intercept(route: Any) -> None:  # only the file itself is let through
            if route.request.url == tab.allowed:
                route.continue_()
            else:
                route.abort()

        page.route("**/*", intercept)

        def dialog(d: Any) -> None:
            tab.errors.append(f"dialog: {d.message}")
            d.dismiss()

        page.on("dialog", dialog)
        yield tab
        browser.close()


@pytest.fixture
def open_page(chromium_tab: OpenedPage) -> Callable[[Path], OpenedPage]:
    """Load an HTML file into the tab; what it logs and requests is recorded."""

    def open_(path: Path) -> OpenedPage:
        chromium_tab.errors.clear()
        chromium_tab.requests.clear()
        chromium_tab.allowed = path.resolve().as_uri()
        chromium_tab.page.goto(chromium_tab.allowed)
        return chromium_tab

    return open_
