"""deltagrad's speed and memory figures, as ratios measured in one run.

Run ``python -m benchmarks`` (see ``benchmarks/__main__.py``). Benchmarks are not tests:
nothing here asserts a time; the runner prints each case with its target and whether
this run met it.
"""

__all__: list[str] = []
