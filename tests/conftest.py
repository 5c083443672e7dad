"""Suite-wide settings: the hypothesis profiles, and the browsers' fixture.

* ``dev`` (the default): few examples per property, for a quick run while working.
* ``ci``: many more examples (``.ci/run`` selects it with
  ``--hypothesis-profile=ci``), and the failing example's blob printed for replay.

No profile has a deadline: the time of one example varies with the machine's load,
and speed is measured by the benchmarks, never asserted by a test. A property whose
examples are expensive caps its own count with ``@settings(max_examples=N)``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from hypothesis import settings

from tests.browsers import BROWSERS, Browser, BrowserStartError, start

settings.register_profile("dev", max_examples=25, deadline=None)
settings.register_profile("ci", max_examples=200, deadline=None, print_blob=True)
settings.load_profile("dev")


class Browsers:
    """The browsers of one pytest process, each started on first use and kept open
    until it ends, whatever order the tests run in (a parametrized session fixture
    is torn down and started again each time the order switches browsers).

    One that cannot start fails its tests with the reason when the environment
    variable CI is set (in CI nothing is skipped silently); elsewhere they are
    skipped with the reason. It is tried once.
    """

    def __init__(self) -> None:
        self._open: dict[str, Browser] = {}
        self._refused: dict[str, str] = {}

    def get(self, name: str) -> Browser:
        if name not in self._open and name not in self._refused:
            try:
                self._open[name] = start(name)
            except BrowserStartError as err:
                self._refused[name] = str(err)
        if name in self._refused:
            if os.environ.get("CI"):
                pytest.fail(self._refused[name], pytrace=False)
            pytest.skip(self._refused[name])
        return self._open[name]

    def close(self) -> None:
        for browser in self._open.values():
            browser.close()


@pytest.fixture(scope="session")
def browsers() -> Iterator[Browsers]:
    """Every browser of the run (see :class:`Browsers`), closed at its end."""
    opened = Browsers()
    yield opened
    opened.close()


@pytest.fixture(params=sorted(BROWSERS))
def browser(request: pytest.FixtureRequest, browsers: Browsers) -> Browser:
    """Each headless browser in turn (Chromium, Firefox), started once per pytest
    process."""
    name: str = request.param
    return browsers.get(name)
