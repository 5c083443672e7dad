"""Hypothesis strategies shared by the whole suite (one place, as in minitorch).

Sections: engine (scalars and random graphs), nn (shapes, nets, batches), viz (labels).
"""

from __future__ import annotations

from hypothesis import strategies as st

# --- engine ---------------------------------------------------------------------------

#: Finite floats of moderate size: central differences are meaningful there.
moderate = st.floats(
    min_value=-5.0, max_value=5.0, allow_nan=False, allow_infinity=False
)

#: Any finite float64, for "never raises" properties.
finite = st.floats(allow_nan=False, allow_infinity=False)

#: Floats away from 0, for poles such as 1/x and log x.
positive = st.floats(min_value=0.05, max_value=5.0)

#: Smooth unary steps for random graphs (no kinks or poles anywhere on the reals).
UNARY_STEPS = ("neg", "tanh", "sigmoid", "exp_tanh", "square", "log_1_plus_square")

#: Smooth binary steps for random graphs.
BINARY_STEPS = ("add", "sub", "mul", "div_1_plus_square")

#: One step of a random program: (step name, operand positions as pool fractions).
Step = tuple[str, float, float]


@st.composite
def programs(draw: st.DrawFn) -> tuple[list[float], list[Step]]:
    """A random computation: 1-4 input values and 1-14 steps over a growing pool.

    Each step reads earlier nodes of the pool (inputs or results, reused freely) and
    appends its result, so the graphs have shared subexpressions and fan-out.
    """
    inputs = draw(st.lists(st.floats(-2.0, 2.0), min_size=1, max_size=4))
    steps = draw(
        st.lists(
            st.tuples(
                st.sampled_from(UNARY_STEPS + BINARY_STEPS),
                st.floats(0.0, 1.0, exclude_max=True),
                st.floats(0.0, 1.0, exclude_max=True),
            ),
            min_size=1,
            max_size=14,
        )
    )
    return inputs, steps
