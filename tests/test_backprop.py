"""The central property: autograd's z.grad and parameter grads equal BP1-BP4, layer by
layer, and both equal central differences; the seed's sign y - a does not."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from engine import Value, gradcheck
from nn import MLP, backprop, mse
from tests.nn_reference import autograd_gradients, central_differences
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


@settings(max_examples=200, deadline=None)
@given(case=net_cases(NN_ACTIVATIONS), elementary=st.booleans())
def test_autograd_deltas_equal_bp1_bp2_on_random_nets(
    case: NetCase, elementary: bool
) -> None:
    deltas, _, _ = autograd_gradients(_net(case, elementary), case.x, case.y)
    formulas = _formulas(case)
    for ell, (auto, formula) in enumerate(zip(deltas, formulas.deltas, strict=True), 2):
        name = "BP1" if ell == len(case.sizes) else "BP2"
        assert_agree(auto, formula, f"delta^{ell} ({name})")


@settings(max_examples=200, deadline=None)
@given(case=net_cases(NN_ACTIVATIONS), elementary=st.booleans())
def test_autograd_parameter_grads_equal_bp3_bp4_on_random_nets(
    case: NetCase, elementary: bool
) -> None:
    _, dw, db = autograd_gradients(_net(case, elementary), case.x, case.y)
    formulas = _formulas(case)
    for ell in range(2, len(case.sizes) + 1):
        assert_agree(db[ell - 2], formulas.bias_grads[ell - 2], f"dC/db^{ell} (BP3)")
        assert_agree(dw[ell - 2], formulas.weight_grads[ell - 2], f"dC/dw^{ell} (BP4)")


@settings(max_examples=100, deadline=None)
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


@settings(max_examples=40, deadline=None)
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


@settings(max_examples=30, deadline=None)
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
