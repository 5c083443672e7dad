"""The activations f and f' in numpy (``nn.activations``): one entry per name of
``nn.names.ACTIVATIONS``, f' against central differences and the closed forms, and
the same numbers as the engine's Value ops on special floats."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine import Value
from nn import MLP, backprop
from nn.activations import activate, activation_derivative, resolve_activation
from nn.mlp import ENGINE_ACTIVATIONS
from nn.names import ACTIVATIONS

#: The functions as calculus writes them, independently of nn.activations.
CLOSED_FORMS: dict[str, tuple[Callable[[float], float], Callable[[float], float]]] = {
    "sigmoid": (
        lambda z: 1 / (1 + math.exp(-z)),
        lambda z: math.exp(-z) / (1 + math.exp(-z)) ** 2,
    ),
    "tanh": (math.tanh, lambda z: 1 / math.cosh(z) ** 2),
    "relu": (lambda z: max(z, 0.0), lambda z: 1.0 if z > 0 else 0.0),
    "leaky_relu": (
        lambda z: z if z > 0 else 0.01 * z,
        lambda z: 1.0 if z > 0 else 0.01,
    ),
    "linear": (lambda z: z, lambda z: 1.0),
}

#: The engine's op for each activation (linear: the node itself).
ENGINE: dict[str, Callable[[Value], Value]] = {
    "sigmoid": Value.sigmoid,
    "tanh": Value.tanh,
    "relu": Value.relu,
    "leaky_relu": lambda v: v.leaky_relu(0.01),
    "linear": lambda v: v * 1.0,
}


def test_every_activation_name_has_an_f_and_f_prime() -> None:
    assert tuple(CLOSED_FORMS) == ACTIVATIONS
    for name in ACTIVATIONS:
        z = np.array([-0.5, 0.5])
        assert activate(name, z).shape == (2,)
        assert activation_derivative(name, z, activate(name, z)).shape == (2,)


@pytest.mark.parametrize("name", ACTIVATIONS)
@given(z=st.lists(st.floats(-20.0, 20.0), min_size=1, max_size=8))
def test_f_and_f_prime_equal_their_closed_forms(name: str, z: list[float]) -> None:
    f, df = CLOSED_FORMS[name]
    za = np.array(z)
    a = activate(name, za)
    np.testing.assert_allclose(a, [f(t) for t in z], rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(
        activation_derivative(name, za, a), [df(t) for t in z], rtol=1e-9, atol=1e-12
    )


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_f_prime_matches_a_central_difference(name: str) -> None:
    z = np.array([-2.3, -0.7, 0.4, 1.9])
    h = 1e-6
    cd = (activate(name, z + h) - activate(name, z - h)) / (2 * h)
    df = activation_derivative(name, z, activate(name, z))
    np.testing.assert_allclose(df, cd, atol=1e-8)


@pytest.mark.parametrize("name", ACTIVATIONS)
@given(z=st.floats(-30.0, 30.0))
def test_numpy_and_the_engine_compute_the_same_f_and_f_prime(
    name: str, z: float
) -> None:
    v = Value(z)
    out = ENGINE[name](v)
    out.backward()
    za = np.array([z])
    a = activate(name, za)
    assert a[0] == pytest.approx(out.data, rel=1e-15, abs=1e-300)
    # 1 - a^2 and a (1 - a) near saturation magnify an ulp of a: compare absolutely
    assert activation_derivative(name, za, a)[0] == pytest.approx(
        v.grad, rel=1e-12, abs=1e-15
    )


def test_sigmoid_of_large_inputs_is_finite_and_silent() -> None:
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        a = activate("sigmoid", np.array([-1000.0, 0.0, 1000.0]))
    assert a.tolist() == [0.0, 0.5, 1.0]


SPECIAL = [math.nan, -0.0, 0.0, -1.5, 2.5, math.inf, -math.inf, 5e-324, -5e-324]


def test_relu_of_both_paths_agrees_on_nan_signed_zeros_and_infinities() -> None:
    """The engine's relu passes nan through; so must numpy's (np.where(z > 0, z, 0)
    made it 0)."""
    engine = np.array([Value(z).relu().data for z in SPECIAL])
    numpy = activate("relu", np.array(SPECIAL))
    np.testing.assert_array_equal(numpy, engine)  # nan == nan here
    np.testing.assert_array_equal(np.signbit(numpy), np.signbit(engine))
    assert math.isnan(numpy[0])
    net = MLP.from_arrays([np.ones((1, 1))], [np.zeros(1)], activation="relu")
    (a,) = net([math.nan])
    assert math.isnan(a.data)
    assert math.isnan(backprop.forward(net.weights(), net.biases(), [math.nan]).a(2)[0])


def test_relu_derivative_of_both_paths_agrees_on_nan_and_signed_zeros() -> None:
    grads = []
    for z in SPECIAL:
        v = Value(z)
        v.relu().backward()
        grads.append(v.grad)
    zs = np.array(SPECIAL)
    np.testing.assert_array_equal(
        activation_derivative("relu", zs, activate("relu", zs)), grads
    )


@pytest.mark.parametrize(
    ("name", "what", "error", "message"),
    [
        ("softmax", "activation", ValueError, "unknown activation 'softmax'; expected"),
        (3, "activation", TypeError, "activation must be a str, got int"),
        ("x", "output_activation", ValueError, "unknown output_activation 'x'"),
    ],
)
def test_unknown_activations_are_refused_naming_the_argument(
    name: object, what: str, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        resolve_activation(name, what)
    with pytest.raises(error):
        activate(name, np.zeros(1))  # type: ignore[arg-type]
    with pytest.raises(error):
        activation_derivative(name, np.zeros(1), np.zeros(1))  # type: ignore[arg-type]


def test_the_networks_engine_ops_are_one_per_activation_but_linear() -> None:
    """MLP builds a^l_j from this table; linear is z itself."""
    assert (*ENGINE_ACTIVATIONS, "linear") == ACTIVATIONS


@given(z=st.floats(-20.0, 20.0))
def test_a_leaky_relu_net_node_is_the_engine_leaky_relu_at_pytorchs_slope(
    z: float,
) -> None:
    net = MLP.from_arrays([np.ones((1, 1))], [np.array([z])], activation="leaky_relu")
    (a,) = net([0.0])
    assert a.data == (z if z > 0 else 0.01 * z)
    a.backward()
    assert net.layers[0].neurons[0].b.grad == (1.0 if z > 0 else 0.01)
