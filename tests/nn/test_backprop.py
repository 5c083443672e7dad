"""The four formulas in numpy (``nn.backprop``): each against its definition, the
batch form against single samples, the calls it makes, its checks, and that it loads
no engine. That autograd equals them is tests/nn/test_autograd_equals_the_four_formulas.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
import warnings
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given

from engine import Value
from nn import MLP, backprop
from tests.strategies import NetCase, net_cases

Array = npt.NDArray[np.float64]


def test_each_formula_matches_its_definition_on_a_hand_worked_net() -> None:
    """A 1-1-1 sigmoid net worked by hand: every quantity is a scalar."""
    w2, b2, w3, b3, x, y = 0.6, -0.1, -1.5, 0.4, 2.0, 1.0

    def s(t: float) -> float:
        return float(1.0 / (1.0 + np.exp(-t)))

    z2 = w2 * x + b2
    a2 = s(z2)
    z3 = w3 * a2 + b3
    a3 = s(z3)
    d3 = (a3 - y) * a3 * (1 - a3)
    d2 = w3 * d3 * a2 * (1 - a2)
    g = backprop.gradients(
        [np.array([[w2]]), np.array([[w3]])],
        [np.array([b2]), np.array([b3])],
        np.array([x]),
        np.array([y]),
    )
    np.testing.assert_allclose(g.deltas[1], [d3], rtol=1e-14)
    np.testing.assert_allclose(g.deltas[0], [d2], rtol=1e-14)
    np.testing.assert_allclose(g.weight_grads[1], [[d3 * a2]], rtol=1e-14)
    np.testing.assert_allclose(g.weight_grads[0], [[d2 * x]], rtol=1e-14)
    np.testing.assert_allclose(g.bias_grads[1], [d3], rtol=1e-14)
    np.testing.assert_allclose(g.bias_grads[0], [d2], rtol=1e-14)


@given(case=net_cases(("sigmoid", "tanh")))
def test_batched_formulas_equal_the_sum_of_single_sample_formulas(
    case: NetCase,
) -> None:
    """The matrix form: Delta^l stacks the samples' delta^l as rows, and dC/dW^l,
    dC/db^l are the sums of the samples' gradients."""
    fs = {"activation": case.activation, "output_activation": case.output_activation}
    batch = backprop.gradients(case.W, case.B, case.x, case.y, **fs)
    singles = [
        backprop.gradients(case.W, case.B, xi, yi, **fs)
        for xi, yi in zip(case.x, case.y, strict=True)
    ]
    for i in range(len(case.W)):
        for got, each in (
            (batch.deltas[i], np.stack([s.deltas[i] for s in singles])),
            (batch.weight_grads[i], np.sum([s.weight_grads[i] for s in singles], 0)),
            (batch.bias_grads[i], np.sum([s.bias_grads[i] for s in singles], 0)),
        ):
            np.testing.assert_allclose(got, each, rtol=1e-12, atol=1e-14)


def test_bce_cost_derivative_matches_a_central_difference() -> None:
    a = np.array([0.2, 0.7, 0.95])
    y = np.array([1.0, 0.0, 0.3])
    h = 1e-7
    per_entry = []
    for j in range(3):
        e = np.eye(3)[j] * h
        up = backprop.cost_per_sample(a + e, y, "bce")
        down = backprop.cost_per_sample(a - e, y, "bce")
        per_entry.append((up - down) / (2 * h))
    np.testing.assert_allclose(
        backprop.cost_derivative(a, y, "bce"), per_entry, rtol=1e-6
    )


def test_forward_returns_z_and_a_of_every_layer_with_batch_shapes() -> None:
    net = MLP([3, 4, 2], seed=0)
    fw = backprop.forward(net.weights(), net.biases(), np.zeros((5, 3)))
    assert [z.shape for z in fw.zs] == [(5, 4), (5, 2)]
    assert [a.shape for a in fw.activations] == [(5, 3), (5, 4), (5, 2)]
    assert fw.z(2) is fw.zs[0]
    assert fw.a(1) is fw.activations[0]
    one = backprop.forward(net.weights(), net.biases(), np.zeros(3))
    assert one.output.shape == (2,)
    with pytest.raises(IndexError):
        fw.z(1)


@pytest.mark.parametrize(
    ("W", "B", "x", "message"),
    [
        ([np.ones((2, 3))], [np.ones(3)], np.ones(3), "B of layer 2"),
        (
            [np.ones((2, 3)), np.ones((1, 3))],
            [np.ones(2), np.ones(1)],
            np.ones(3),
            "needs 2 columns",
        ),
        ([np.ones(3)], [np.ones(3)], np.ones(3), "must be 2-D"),
        ([np.ones((2, 3))], [np.ones(2)], np.ones(4), "got (4,)"),
        ([np.ones((2, 3))], [np.ones(2)], np.ones((2, 2, 3)), "(m, 3)"),
        ([], [], np.ones(3), "at least one layer"),
        ([np.ones((2, 3))], [], np.ones(3), "1 weight matrices but 0 bias"),
    ],
)
def test_forward_rejects_shapes_that_do_not_chain(
    W: list[Array], B: list[Array], x: Array, message: str
) -> None:
    with pytest.raises(
        ValueError, match=message.replace("(", r"\(").replace(")", r"\)")
    ):
        backprop.forward(W, B, x)


def test_gradients_reject_targets_of_the_wrong_shape_and_unknown_names() -> None:
    W, B = [np.ones((2, 3))], [np.ones(2)]
    with pytest.raises(ValueError, match=r"y has shape \(3,\)"):
        backprop.gradients(W, B, np.ones(3), np.ones(3))
    with pytest.raises(ValueError, match="unknown activation 'softmax'"):
        backprop.forward(W, B, np.ones(3), "softmax")
    with pytest.raises(ValueError, match="unknown cost 'hinge'"):
        backprop.gradients(W, B, np.ones(3), np.ones(2), cost="hinge")


#: What ``import nn.backprop`` may load of this project: nn's numpy-only modules.
NUMPY_ONLY = ["nn", "nn.activations", "nn.arrays", "nn.backprop", "nn.names"]


def test_importing_backprop_loads_no_engine_module() -> None:
    """The independent check does not stand on what it checks: in a fresh
    interpreter, importing nn.backprop and running the formulas loads no module
    ``engine`` or ``engine.*``, and of nn only its numpy-only modules."""
    code = (
        "import json, sys\n"
        "import numpy as np\n"
        "from nn import backprop\n"
        "g = backprop.gradients([np.ones((1, 2))], [np.zeros(1)], np.ones(2), [1.0])\n"
        "print(json.dumps([len(g.deltas), sorted(\n"
        "    k for k in sys.modules if k.split('.')[0] in ('engine', 'nn', 'viz'))]))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert out.returncode == 0, out.stderr
    n_deltas, loaded = json.loads(out.stdout)
    assert n_deltas == 1
    assert loaded == NUMPY_ONLY


@pytest.mark.parametrize("ell", [0, 1, 5, 6, -1, True])
def test_forward_from_refuses_a_layer_outside_2_to_L_naming_the_range(
    ell: int,
) -> None:
    """Before, l = 1 silently ran every layer and l > L raised a bare IndexError."""
    W = [np.ones((2, 3)), np.ones((2, 2)), np.ones((1, 2))]
    B = [np.zeros(2), np.zeros(2), np.zeros(1)]
    with pytest.raises(ValueError, match=r"l must be a layer with a z, 2\.\.4"):
        backprop.forward_from(W, B, ell, np.zeros(2))


def test_forward_from_continues_the_forward_pass_from_z_l() -> None:
    net = MLP([3, 2, 2, 1], activation="tanh", seed=0)
    W, B, x = net.weights(), net.biases(), np.array([[0.5, -1.0, 2.0], [1, 1, 1]])
    fw = backprop.forward(W, B, x, "tanh")
    for ell in (2, 3, 4):
        got = backprop.forward_from(W, B, ell, fw.z(ell), "tanh")
        np.testing.assert_array_equal(got, fw.output)
    with pytest.raises(ValueError, match=r"z\^3 must have shape \(2,\)"):
        backprop.forward_from(W, B, 3, np.zeros(3), "tanh")


FORMULAS = (
    # name, the positions of its arguments that carry one row per sample
    ("bp1_output_error", (0, 1, 2)),
    ("bp2_hidden_error", (1, 2, 3)),
    ("bp3_bias_gradient", (0,)),
    ("bp4_weight_gradient", (0, 1)),
    ("activate", (1,)),
)


def _spy(
    calls: list[tuple[str, list[tuple[int, ...]]]], name: str, at: tuple[int, ...]
) -> Any:
    """``backprop.<name>``, recording the shapes of the arguments at positions at."""
    f = getattr(backprop, name)

    def spy(*args: Any) -> Any:
        calls.append((name, [np.shape(args[i]) for i in at]))
        return f(*args)

    return spy


@pytest.mark.parametrize("m", [1, 7])
def test_gradients_call_each_formula_once_per_layer_on_the_whole_batch(
    monkeypatch: pytest.MonkeyPatch, m: int
) -> None:
    """Vectorized, no Python loop over samples: a batch of m samples makes the same
    calls as one sample (BP1 once, BP2 for layers L-1..2, BP3, BP4 and f once per
    layer), and every call gets the whole batch as a 2-D array of m rows."""
    sizes = [3, 4, 5, 2]
    net = MLP(sizes, seed=0)
    rng = np.random.default_rng(1)
    x, y = rng.normal(size=(m, 3)), rng.uniform(size=(m, 2))
    want = backprop.gradients(net.weights(), net.biases(), x, y)
    calls: list[tuple[str, list[tuple[int, ...]]]] = []
    for name, batch_args in FORMULAS:
        monkeypatch.setattr(backprop, name, _spy(calls, name, batch_args))
    got = backprop.gradients(net.weights(), net.biases(), x, y)
    n_layers = len(sizes) - 1
    counts = {name: sum(c[0] == name for c in calls) for name, _ in FORMULAS}
    assert counts == {
        "bp1_output_error": 1,
        "bp2_hidden_error": n_layers - 1,
        "bp3_bias_gradient": n_layers,
        "bp4_weight_gradient": n_layers,
        "activate": n_layers,
    }
    assert all(len(s) == 2 and s[0] == m for _, shapes in calls for s in shapes)
    for a, b in zip(
        got.weight_grads + got.bias_grads,
        want.weight_grads + want.bias_grads,
        strict=True,
    ):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize(
    ("W", "B", "x", "error", "message"),
    [
        ([[["1", "2"]]], [[0.0]], [1, 2], TypeError, "W of layer 2 .* got str"),
        (
            [np.ones((2, 2)), [[True, False]]],
            [np.ones(2), [0.0]],
            [1, 2],
            TypeError,
            "W of layer 3 .* got bool",
        ),
        (
            [np.ones((2, 2)), np.ones((1, 2))],
            [np.ones(2), [1j]],
            [1, 2],
            TypeError,
            "B of layer 3 .* got complex",
        ),
        (
            [np.ones((2, 2)), np.ones((1, 2))],
            [np.ones(2), [None]],
            [1, 2],
            TypeError,
            "B of layer 3 .* got object",
        ),
        ([np.ones((1, 2))], [np.ones(1)], ["1", "2"], TypeError, "x must hold real"),
        (
            [[[1.0, 2.0], [3.0]]],
            [[0.0, 0.0]],
            [1, 2],
            ValueError,
            "W of layer 2 is not a rectangular",
        ),
    ],
)
def test_formulas_refuse_arrays_that_are_not_real_numbers_naming_the_layer(
    W: Any, B: Any, x: Any, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        backprop.forward(W, B, x)
    with pytest.raises(error, match=message):
        backprop.gradients(W, B, x, [0.0])


def test_formulas_follow_ieee_on_non_finite_weights_as_the_engine_does() -> None:
    """The choice: the model's doors (MLP, Layer, Neuron, load_arrays) refuse nan and
    inf; the formulas, the engine's check, compute with them as the engine does."""
    W, B = [np.array([[math.inf, 1.0]])], [np.zeros(1)]
    with np.errstate(invalid="ignore"):  # inf * 0
        out = backprop.forward(W, B, [0.0, 1.0], "linear").output
    engine = Value(math.inf) * 0.0 + Value(1.0) * 1.0
    assert math.isnan(out[0])
    assert math.isnan(engine.data)


@pytest.mark.parametrize(
    ("output_activation", "b"), [("linear", -5), ("relu", 5), ("tanh", -5)]
)
def test_gradients_with_bce_refuse_outputs_outside_0_1(
    output_activation: str, b: float
) -> None:
    W, B = [np.array([[2.0, 1.0]])], [np.array([b])]
    with pytest.raises(ValueError, match=r"bce: every output must lie in \[0, 1\]"):
        backprop.gradients(
            W,
            B,
            [[1.0, 1.0]],
            [[1.0]],
            output_activation=output_activation,
            cost="bce",
        )


# --- the softmax cross-entropy ----------------------------------------------------


@given(case=net_cases(("sigmoid", "tanh"), costs=("cross_entropy",)))
def test_cross_entropy_cost_and_its_bp1_equal_pytorchs_on_a_batch(
    case: NetCase,
) -> None:
    """C = -sum_j y_j ln softmax(z^L)_j per sample and BP1's delta^L =
    softmax(z^L) sum_k y_k - y equal PyTorch's cross_entropy with class
    probabilities (reduction "none") and its gradient by z^L, to 1e-12."""
    torch = pytest.importorskip("torch")
    fw = backprop.forward(case.W, case.B, case.x, case.activation, "linear")
    z_L = fw.output
    got = backprop.cost_per_sample(z_L, case.y, "cross_entropy")
    delta = backprop.bp1_output_error(fw.zs[-1], z_L, case.y, "linear", "cross_entropy")
    t = torch.tensor(z_L, dtype=torch.float64, requires_grad=True)
    want = torch.nn.functional.cross_entropy(
        t, torch.tensor(case.y, dtype=torch.float64), reduction="none"
    )
    want.sum().backward()
    np.testing.assert_allclose(got, want.detach().numpy(), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(delta, t.grad.numpy(), rtol=1e-12, atol=1e-14)


def test_cross_entropy_bp1_is_softmax_of_z_minus_a_one_hot_y() -> None:
    z = np.array([[1.0, 2.0, 3.0], [1000.0, 0.0, -1000.0]])
    y = np.array([[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
    e = np.exp(z[0] - 3.0)
    s = np.array([e / e.sum(), [1.0, 0.0, 0.0]])
    delta = backprop.bp1_output_error(z, z, y, "linear", "cross_entropy")
    np.testing.assert_allclose(delta, s - y, rtol=1e-15)
    np.testing.assert_allclose(backprop.softmax(z), s, rtol=1e-15)
    C = backprop.cost_per_sample(z, y, "cross_entropy")
    np.testing.assert_allclose(C, [-np.log(s[0, 1]), 2000.0], rtol=1e-15)
    np.testing.assert_array_equal(backprop.log_softmax(z)[1], [0.0, -1000.0, -2000.0])


@pytest.mark.parametrize("output_activation", ["sigmoid", "tanh", "relu"])
def test_cross_entropy_refuses_an_output_layer_that_is_not_linear(
    output_activation: str,
) -> None:
    """The cost takes the logits z^L = a^L: softmax is part of the cost."""
    W, B = [np.ones((2, 3))], [np.zeros(2)]
    x, y = np.ones(3), np.array([1.0, 0.0])
    message = (
        "cost='cross_entropy' takes logits, i.e. output_activation='linear' .* the "
        f"output activation is '{output_activation}'"
    )
    for call in (
        lambda: backprop.gradients(
            W, B, x, y, output_activation=output_activation, cost="cross_entropy"
        ),
        lambda: backprop.cost(
            W, B, x, y, output_activation=output_activation, cost="cross_entropy"
        ),
        lambda: backprop.bp1_output_error(
            np.zeros(2), np.zeros(2), y, output_activation, "cross_entropy"
        ),
    ):
        with pytest.raises(ValueError, match=message):
            call()
    g = backprop.gradients(
        W, B, x, y, output_activation="linear", cost="cross_entropy"
    )
    assert g.deltas[0].shape == (2,)


@pytest.mark.parametrize(
    ("y", "message"),
    [
        ([[1.0, 0.0], [0.5, -0.5]], r"y\[1, 1\] = -0.5"),
        ([[1.0, np.nan], [0.5, 0.5]], r"y\[0, 1\] = nan"),
        ([[1.0, 0.0], [np.inf, 0.0]], r"y\[1, 0\] = inf"),
    ],
)
def test_cross_entropy_refuses_targets_that_are_not_class_probabilities(
    y: list[list[float]], message: str
) -> None:
    z = np.zeros((2, 2))
    for f in (backprop.cost_per_sample, backprop.cost_derivative):
        with pytest.raises(ValueError, match="must be a class probability") as err:
            f(z, np.array(y), "cross_entropy")
        assert err.match(message)


def test_cross_entropy_refuses_no_logits_and_a_target_of_another_length() -> None:
    with pytest.raises(ValueError, match="at least one logit per sample"):
        backprop.cost_per_sample(np.zeros((2, 0)), np.zeros((2, 0)), "cross_entropy")
    with pytest.raises(ValueError, match=r"y has shape \(3,\) but the output a\^L"):
        backprop.cost_derivative(np.zeros(2), np.array([1.0, 0, 0]), "cross_entropy")


def test_cross_entropy_of_inf_logits_is_ieee_without_warnings() -> None:
    z = np.array([[np.inf, 0.0], [-np.inf, 0.0], [np.nan, 1.0]])
    y = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 0.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        C = backprop.cost_per_sample(z, y, "cross_entropy")
        d = backprop.cost_derivative(z, y, "cross_entropy")
    # PyTorch: nan (inf - inf), nan (0 * -inf with probabilities), nan
    assert np.isnan(C).all()
    np.testing.assert_array_equal(d[1], [0.0, 0.0])
    assert np.isnan(d[0]).all()
    assert np.isnan(d[2]).all()
