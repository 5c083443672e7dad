"""Hypothesis strategies shared by the whole suite (one place, as in minitorch).

Sections: engine (scalars and random graphs), nn (shapes, nets, batches), viz (labels).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
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


# --- nn -------------------------------------------------------------------------------

#: The activations every nn formula supports.
NN_ACTIVATIONS = ("sigmoid", "tanh", "relu", "linear")


@dataclass(frozen=True)
class NetCase:
    """A random MLP as arrays, with a batch of inputs and targets.

    ``W[i]`` (n_l, n_{l-1}) and ``B[i]`` (n_l,) are layer l = i + 2; ``x`` (m, n_1);
    ``y`` (m, n_L) in [0, 1].
    """

    sizes: list[int]
    W: list[npt.NDArray[np.float64]]
    B: list[npt.NDArray[np.float64]]
    activation: str
    output_activation: str
    x: npt.NDArray[np.float64]
    y: npt.NDArray[np.float64]


def _matrix(draw: st.DrawFn, shape: tuple[int, ...], lo: float, hi: float) -> Any:
    n = int(np.prod(shape))
    flat = draw(st.lists(st.floats(lo, hi), min_size=n, max_size=n))
    return np.array(flat, dtype=np.float64).reshape(shape)


@st.composite
def net_cases(
    draw: st.DrawFn,
    activations: tuple[str, ...] = ("sigmoid",),
    output_activations: tuple[str, ...] | None = None,
    max_batch: int = 4,
) -> NetCase:
    """Nets of 2-4 layers (input layer included), widths 1-6, weights and biases in
    [-2, 2], inputs in [-2, 2], a batch of 1..max_batch samples, targets in [0, 1]."""
    sizes = draw(st.lists(st.integers(1, 6), min_size=2, max_size=4))
    act = draw(st.sampled_from(activations))
    out = draw(st.sampled_from(output_activations or activations))
    W = [_matrix(draw, (n, p), -2.0, 2.0) for p, n in itertools.pairwise(sizes)]
    B = [_matrix(draw, (n,), -2.0, 2.0) for n in sizes[1:]]
    m = draw(st.integers(1, max_batch))
    x = _matrix(draw, (m, sizes[0]), -2.0, 2.0)
    y = _matrix(draw, (m, sizes[-1]), 0.0, 1.0)
    return NetCase(sizes, W, B, act, out, x, y)
