"""Suite-wide settings: the hypothesis profiles, the browsers' fixture, and the
pytest-xdist scheduling that runs every browser test in one worker.

* ``dev`` (the default): few examples per property, for a quick run while working.
* ``ci``: many more examples (``.ci/run`` selects it with
  ``--hypothesis-profile=ci``), and the failing example's blob printed for replay.

Under pytest-xdist (``./run test`` runs ``-n auto``) the tests of the modules in
``BROWSER_MODULES`` form one work unit, so one worker runs them all and each browser
starts once per run; every other test is a unit of its own, dealt out as
``--dist load`` deals them (:class:`OneBrowserWorker`).

No profile has a deadline: the time of one example varies with the machine's load,
and speed is measured by the benchmarks, never asserted by a test. A property whose
examples are expensive caps its own count with ``@settings(max_examples=N)``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import settings

from tests.browsers import BROWSERS, Browser, BrowserStartError, start

#: The test modules that open a browser: run in one pytest-xdist worker.
BROWSER_MODULES = ("tests/viz/test_in_browsers.py", "tests/viz/test_page_browser.py")


@pytest.hookimpl(tryfirst=True, optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """The scheduler of ``-n N`` runs: :class:`OneBrowserWorker`."""
    from xdist.scheduler import LoadScopeScheduling  # noqa: PLC0415 - xdist runs only

    class OneBrowserWorker(LoadScopeScheduling):  # type: ignore[misc]
        """One work unit for all browser tests, one per test otherwise."""

        def _split_scope(self, nodeid: str) -> str:
            if nodeid.startswith(BROWSER_MODULES):
                return "browsers"
            return nodeid

    return OneBrowserWorker(config, log)


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
