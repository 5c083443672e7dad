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


@pytest.fixture(scope="session", params=sorted(BROWSERS))
def browser(request: pytest.FixtureRequest) -> Iterator[Browser]:
    """A headless browser (Chromium, then Firefox), started once per test run.

    One that cannot start fails its tests with the reason when the environment
    variable CI is set (in CI nothing is skipped silently); elsewhere they are
    skipped with the reason.
    """
    name: str = request.param
    try:
        started = start(name)
    except BrowserStartError as err:
        if os.environ.get("CI"):
            pytest.fail(str(err), pytrace=False)
        pytest.skip(str(err))
    yield started
    started.close()
