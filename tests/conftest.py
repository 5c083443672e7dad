"""Suite-wide settings: the hypothesis profiles.

* ``dev`` (the default): few examples per property, for a quick run while working.
* ``ci``: many more examples (``.ci/run`` selects it with
  ``--hypothesis-profile=ci``), and the failing example's blob printed for replay.

No profile has a deadline: the time of one example varies with the machine's load,
and speed is measured by the benchmarks, never asserted by a test. A property whose
examples are expensive caps its own count with ``@settings(max_examples=N)``.
"""

from __future__ import annotations

from hypothesis import settings

settings.register_profile("dev", max_examples=25, deadline=None)
settings.register_profile("ci", max_examples=200, deadline=None, print_blob=True)
settings.load_profile("dev")
