"""The central property: autograd's z.grad and parameter grads equal BP1-BP4, layer by
layer, and both equal central differences; the seed's sign y - a does not."""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from engine import Value, gradcheck
from nn import MLP, backprop, mse
from nn.comparison import autograd_gradients
from tests.nn_reference import central_differences
from tests.strategies import NN_ACTIVATIONS, NetCase, net_cases

Array = npt.NDArray[np.float64]

# autograd == formulas: within 1e-10 absolute or 1e-9 relative, entry by entry
ATOL, RTOL = 1e-10, 1e-9
# both == central differences: engine.gradcheck's default tolerance
FD_ATOL, FD_RTOL = 1e-5, 1e-3


def assert_agree(got: Array, want: Array, what: str) -> None:
    """Every entry within ATOL absolute or RTOL relative."""
    assert got.shape == want.shape, what
    gap = np.abs(got - want)
    scale = np.maximum(np.abs(got), np.abs(want))
    ok = (gap <= ATOL) | (gap <= RTOL * scale)
    assert ok.all(), (
        f"{what}: max gap {gap.max()} at {np.unravel_index(gap.argmax(), gap.shape)}"
    )


def assert_near_cd(got: Array, cd: Array, what: str) -> None:
    """gradcheck's test |g - n| <= atol + rtol |n| for every entry."""
    assert (np.abs(got - cd) <= FD_ATOL + FD_RTOL * np.abs(cd)).all(), (
        f"{what}: {got} vs central differences {cd}"
    )


def _net(case: NetCase, elementary: bool = False) -> MLP:
    return MLP.from_arrays(
        case.W, case.B, case.activation, case.output_activation, elementary=elementary
    )


def _formulas(case: NetCase) -> backprop.Gradients:
    return backprop.gradients(
        case.W,
        case.B,
        case.x,
        case.y,
        case.activation,
        output_activation=case.output_activation,
    )


def _away_from_kinks(case: NetCase) -> bool:
    """relu has a kink at 0: central differences need every |z| well above eps."""
    if "relu" not in (case.activation, case.output_activation):
        return True
    fw = backprop.forward(
        case.W, case.B, case.x, case.activation, case.output_activation
    )
    return all(np.abs(z).min() > 1e-3 for z in fw.zs)


@given(case=net_cases(NN_ACTIVATIONS), elementary=st.booleans())
def test_autograd_deltas_equal_bp1_bp2_on_random_nets(
    case: NetCase, elementary: bool
) -> None:
    deltas, _, _ = autograd_gradients(_net(case, elementary), case.x, case.y)
    formulas = _formulas(case)
    for ell, (auto, formula) in enumerate(zip(deltas, formulas.deltas, strict=True), 2):
        name = "BP1" if ell == len(case.sizes) else "BP2"
        assert_agree(auto, formula, f"delta^{ell} ({name})")


@given(case=net_cases(NN_ACTIVATIONS), elementary=st.booleans())
def test_autograd_parameter_grads_equal_bp3_bp4_on_random_nets(
    case: NetCase, elementary: bool
) -> None:
    _, dw, db = autograd_gradients(_net(case, elementary), case.x, case.y)
    formulas = _formulas(case)
    for ell in range(2, len(case.sizes) + 1):
        assert_agree(db[ell - 2], formulas.bias_grads[ell - 2], f"dC/db^{ell} (BP3)")
        assert_agree(dw[ell - 2], formulas.weight_grads[ell - 2], f"dC/dw^{ell} (BP4)")


@settings(max_examples=100)
@given(case=net_cases(NN_ACTIVATIONS, max_batch=2))
def test_autograd_and_formulas_both_match_central_differences(case: NetCase) -> None:
    assume(_away_from_kinks(case))
    auto = autograd_gradients(_net(case), case.x, case.y)
    formulas = _formulas(case)
    cd = central_differences(
        case.W,
        case.B,
        case.x,
        case.y,
        case.activation,
        output_activation=case.output_activation,
    )
    for i in range(len(case.W)):
        ell = i + 2
        assert_near_cd(auto[0][i], cd[0][i], f"autograd delta^{ell}")
        assert_near_cd(formulas.deltas[i], cd[0][i], f"formula delta^{ell}")
        assert_near_cd(auto[1][i], cd[1][i], f"autograd dC/dw^{ell}")
        assert_near_cd(formulas.weight_grads[i], cd[1][i], f"BP4 dC/dw^{ell}")
        assert_near_cd(auto[2][i], cd[2][i], f"autograd dC/db^{ell}")
        assert_near_cd(formulas.bias_grads[i], cd[2][i], f"BP3 dC/db^{ell}")


@settings(max_examples=40)
@given(case=net_cases(("sigmoid", "tanh")))
def test_batched_formulas_equal_the_sum_of_single_sample_formulas(
    case: NetCase,
) -> None:
    batch = _formulas(case)
    singles = [
        backprop.gradients(
            case.W,
            case.B,
            xi,
            yi,
            case.activation,
            output_activation=case.output_activation,
        )
        for xi, yi in zip(case.x, case.y, strict=True)
    ]
    for i in range(len(case.W)):
        assert_agree(batch.deltas[i], np.stack([s.deltas[i] for s in singles]), "delta")
        w_sum = np.sum([s.weight_grads[i] for s in singles], axis=0)
        b_sum = np.sum([s.bias_grads[i] for s in singles], axis=0)
        assert_agree(batch.weight_grads[i], w_sum, "w")
        assert_agree(batch.bias_grads[i], b_sum, "b")


def test_engine_gradcheck_agrees_with_bp4_on_a_small_net() -> None:
    """The lead's gradcheck, on C as a function of every parameter of a 2-3-2 net."""
    net = MLP([2, 3, 2], seed=3)
    x, y = [0.4, -1.3], [0.2, 0.9]
    names = [name for name, _ in net.named_parameters()]

    def cost(*params: Value) -> Value:
        n = MLP.from_arrays(net.weights(), net.biases())
        for neuron in (nr for layer in n.layers for nr in layer.neurons):
            k = len(neuron.w)
            at = names.index(neuron.w[0].label)
            neuron.w = list(params[at : at + k])
            neuron.b = params[at + k]
        return mse(n(x), y)

    assert gradcheck(cost, net.parameters())
    formulas = backprop.gradients(net.weights(), net.biases(), np.array(x), np.array(y))
    mse(net(x), y).backward()
    for layer, g in zip(net.layers, formulas.weight_grads, strict=True):
        assert_agree(np.array([[p.grad for p in n.w] for n in layer.neurons]), g, "w")


def _seed_delta_L(case: NetCase) -> Array:
    """The seed's BP1: delta^L = (y - a^L) ⊙ sigma'(z^L)."""
    fw = backprop.forward(case.W, case.B, case.x)
    a_L = fw.output
    return (case.y - a_L) * a_L * (1.0 - a_L)


@settings(max_examples=30)
@given(case=net_cases(("sigmoid",)))
def test_seeds_sign_y_minus_a_fails_the_comparison_with_autograd(case: NetCase) -> None:
    deltas, _, _ = autograd_gradients(_net(case), case.x, case.y)
    seed = _seed_delta_L(case)
    assume(np.abs(deltas[-1]).max() > 1e-6)  # a^L == y makes both signs 0
    with pytest.raises(AssertionError):
        assert_agree(deltas[-1], seed, "seed's delta^L")
    assert_agree(deltas[-1], -seed, "the seed's delta^L is the negative gradient")


def test_a_step_along_the_seeds_sign_raises_the_cost() -> None:
    W = [np.array([[0.5, -0.4], [1.2, 0.3]]), np.array([[0.7, -1.1]])]
    B = [np.array([0.1, -0.2]), np.array([0.3])]
    x, y = np.array([1.0, 0.5]), np.array([0.9])
    c0 = backprop.cost(W, B, x, y)
    fw = backprop.forward(W, B, x)
    a_L, z_L = fw.output, fw.zs[-1]
    seed_delta = (y - a_L) * a_L * (1.0 - a_L)
    right_delta = backprop.bp1_output_error(z_L, a_L, y)
    for delta, goes in ((seed_delta, "up"), (right_delta, "down")):
        W2 = [W[0], W[1] - 0.5 * backprop.bp4_weight_gradient(delta, fw.a(2))]
        B2 = [B[0], B[1] - 0.5 * backprop.bp3_bias_gradient(delta)]
        c1 = backprop.cost(W2, B2, x, y)
        assert (c1 > c0) if goes == "up" else (c1 < c0)


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
    np.testing.assert_allclose(g.bias_grads[0], [d2], rtol=1e-14)


@pytest.mark.parametrize("name", ["tanh", "relu", "linear", "sigmoid"])
def test_activation_derivative_matches_a_central_difference(name: str) -> None:
    z = np.array([-2.3, -0.7, 0.4, 1.9])
    a = backprop.activate(name, z)
    h = 1e-6
    cd = (backprop.activate(name, z + h) - backprop.activate(name, z - h)) / (2 * h)
    np.testing.assert_allclose(
        backprop.activation_derivative(name, z, a), cd, atol=1e-8
    )


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


def test_sigmoid_of_large_inputs_is_finite_and_silent() -> None:
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        a = backprop.activate("sigmoid", np.array([-1000.0, 0.0, 1000.0]))
    assert a.tolist() == [0.0, 0.5, 1.0]


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


def test_backprop_module_imports_neither_engine_nor_other_nn_modules() -> None:
    path = Path(backprop.__file__).resolve()
    code = (
        "import importlib.util, sys\n"
        f"spec = importlib.util.spec_from_file_location('bp', {str(path)!r})\n"
        "m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)\n"
        "bad = [k for k in sys.modules\n"
        "       if k == 'engine' or k.startswith(('engine.', 'nn'))]\n"
        "assert not bad, bad\n"
        "import numpy as np\n"
        "g = m.gradients([np.ones((1, 2))], [np.zeros(1)], np.ones(2), np.ones(1))\n"
        "print(len(g.deltas))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "1"


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


SPECIAL = [math.nan, -0.0, 0.0, -1.5, 2.5, math.inf, -math.inf, 5e-324, -5e-324]


def test_relu_of_both_paths_agrees_on_nan_signed_zeros_and_infinities() -> None:
    """The engine's relu passes nan through; so must numpy's (np.where(z > 0, z, 0)
    made it 0)."""
    engine = np.array([Value(z).relu().data for z in SPECIAL])
    numpy = backprop.activate("relu", np.array(SPECIAL))
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
    a = backprop.activate("relu", zs)
    np.testing.assert_array_equal(backprop.activation_derivative("relu", zs, a), grads)


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
