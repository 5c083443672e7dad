"""A headless Chromium tab for the page's tests: a Playwright page of the Chromium
that ``tests/conftest.py``'s ``browsers`` starts once per pytest process (the
system's ``chromium``, no browser download; it fails with the reason in CI, and is
skipped with it elsewhere, when it cannot start). One tab per test session (a new
tab costs about a second; a navigation a few tenths).

``open_page(path)`` loads an HTML file into that tab and returns it with the console
errors, page errors, dialogs and requests recorded from then on; every request is
intercepted, and all but the file's own are refused.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.browsers import Chromium
from tests.conftest import Browsers


@dataclass
class OpenedPage:
    """A page opened from a file, with what it logged and requested."""

    page: Any  # playwright.sync_api.Page
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    allowed: str = ""  # the one URL let through: the file itself


@pytest.fixture(scope="session")
def chromium_tab(browsers: Browsers) -> Iterator[OpenedPage]:
    """One tab of the run's headless Chromium."""
    chromium = browsers.get("chromium")
    assert isinstance(chromium, Chromium)
    page = chromium.new_page()
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
    page.close()


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
