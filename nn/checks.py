"""The argument checks shared by nn: an int with a lower bound, a real in an interval.

Both refuse bool (an int subclass that is never meant as a count or a rate) and name
the argument in the error: TypeError for the wrong type, ValueError for a value out of
range. The array checks live in ``nn.backprop``, which must import no other nn module.
"""

from __future__ import annotations

import math
import numbers

__all__ = ["integer", "real"]


def integer(value: object, what: str, minimum: int = 1) -> int:
    """``value`` as an int >= ``minimum`` (numpy ints too, bool not)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{what} must be an int, got {type(value).__name__}")
    if int(value) < minimum:
        raise ValueError(f"{what} must be >= {minimum}, got {value}")
    return int(value)


def real(
    value: object,
    what: str,
    low: float = -math.inf,
    high: float = math.inf,
    *,
    open_low: bool = False,
    open_high: bool = False,
) -> float:
    """``value`` as a finite float in the interval from ``low`` to ``high``.

    The ends belong to it unless ``open_low`` / ``open_high``; the error writes the
    interval as "finite and > 0" or "in [0, 1)". nan and ±inf are always refused.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{what} must be a real number, got {type(value).__name__}")
    try:
        v = float(value)
    except OverflowError:  # an int beyond float64's range
        v = math.inf
    above = v > low if open_low else v >= low
    below = v < high if open_high else v <= high
    if not (math.isfinite(v) and above and below):
        if math.isinf(high):
            bound = f"finite and {'>' if open_low else '>='} {low:g}"
        else:
            bound = (
                f"in {'(' if open_low else '['}{low:g}, {high:g}"
                f"{')' if open_high else ']'}"
            )
        raise ValueError(f"{what} must be {bound}, got {value!r}")
    return v
