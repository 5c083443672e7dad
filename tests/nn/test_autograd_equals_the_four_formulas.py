"""The project's central claim, in one file: autograd equals BP1-BP4 layer by layer.

Because each neuron's weighted input z^l_j is one node of the engine's graph, after
``backward()`` its ``grad`` is delta^l_j = dC/dz^l_j, the quantity the four formulas
compute. Three sides are compared on random nets (``tests.strategies.net_cases``:
2-4 layers, widths 1-6, every activation, batches of 1-4 samples, C summed over the
batch), for both costs of the claim: the seed's quadratic cost, and the softmax
cross-entropy of a linear output layer, whose BP1 is delta^L = softmax(z^L) - y
(``nn.cross_entropy``, one engine node, against ``cost="cross_entropy"``):

* the engine: z.grad and the parameters' grads, read off the graph in this file;
* the formulas: ``nn.backprop.gradients`` (numpy, no engine);
* central differences of C by the plain-Python forward pass of
  ``tests.nn_reference``, which shares no code with either.

Autograd and the formulas must agree entry by entry within 1e-10 absolute or 1e-9
relative (within 1e-12 for the cross-entropy's deltas); both must be within
``engine.gradcheck``'s 1e-5 + 1e-3 |n| of central differences. The seed's sign
dC/da = y - a fails the comparison.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from engine import Value
from nn import MLP, Comparison, backprop, compare
from nn.losses import LOSSES
from tests.nn_reference import central_differences
from tests.strategies import NN_ACTIVATIONS, NetCase, net_cases

#: The costs of the claim: the seed's, and the softmax cross-entropy of logits.
CLAIM_COSTS = ("mse", "cross_entropy")

Array = npt.NDArray[np.float64]

# autograd == formulas: within 1e-10 absolute or 1e-9 relative, entry by entry
ATOL, RTOL = 1e-10, 1e-9
# both == central differences: engine.gradcheck's default tolerance
FD_ATOL, FD_RTOL = 1e-5, 1e-3


def assert_agree(got: Array, want: Array, what: str) -> None:
    """Every entry within ATOL absolute or RTOL relative."""
    assert got.shape == want.shape, f"{what}: shape {got.shape} vs {want.shape}"
    gap = np.abs(got - want)
    scale = np.maximum(np.abs(got), np.abs(want))
    ok = (gap <= ATOL) | (gap <= RTOL * scale)
    assert ok.all(), (
        f"{what}: max gap {gap.max()} at {np.unravel_index(gap.argmax(), gap.shape)}"
    )


def assert_near_cd(got: Array, cd: Array, what: str) -> None:
    """gradcheck's test |g - n| <= atol + rtol |n| for every entry."""
    assert got.shape == cd.shape, f"{what}: shape {got.shape} vs {cd.shape}"
    assert (np.abs(got - cd) <= FD_ATOL + FD_RTOL * np.abs(cd)).all(), (
        f"{what}: {got} vs central differences {cd}"
    )


class EngineSide(NamedTuple):
    """What the engine's graphs hold after one ``backward()`` per sample, per layer
    l = 2..L (entry 0 is layer 2): z^l and a^l (m, n_l) from the nodes' data,
    delta^l (m, n_l) from z.grad, and dC/dw^l, dC/db^l summed over the m samples."""

    zs: list[Array]
    activations: list[Array]
    deltas: list[Array]
    weight_grads: list[Array]
    bias_grads: list[Array]


def engine_side(net: MLP, x: Array, y: Array, cost: str = "mse") -> EngineSide:
    """Run each row of ``x`` through the net's graph, C = the cost's loss of
    ``nn.losses.LOSSES`` (mse, or cross_entropy of the output layer's logits), and
    read the graph."""
    net.zero_grad()
    traces = []
    for xi, yi in zip(x.tolist(), y.tolist(), strict=True):
        trace = net.trace(xi)
        LOSSES[cost](trace.activations[-1], yi).backward()
        traces.append(trace)
    layers = range(len(net.layers))
    return EngineSide(
        zs=[np.array([[z.data for z in t.zs[i]] for t in traces]) for i in layers],
        activations=[
            np.array([[a.data for a in t.activations[i + 1]] for t in traces])
            for i in layers
        ],
        deltas=[np.array([[z.grad for z in t.zs[i]] for t in traces]) for i in layers],
        weight_grads=[
            np.array([[p.grad for p in nr.w] for nr in layer.neurons])
            for layer in net.layers
        ],
        bias_grads=[
            np.array([nr.b.grad for nr in layer.neurons]) for layer in net.layers
        ],
    )


def net_of(case: NetCase, elementary: bool = False) -> MLP:
    return MLP.from_arrays(
        case.W, case.B, case.activation, case.output_activation, elementary=elementary
    )


def formulas(case: NetCase) -> backprop.Gradients:
    return backprop.gradients(
        case.W,
        case.B,
        case.x,
        case.y,
        case.activation,
        output_activation=case.output_activation,
        cost=case.cost,
    )


def away_from_kinks(case: NetCase) -> bool:
    """relu and leaky_relu have a kink at 0: central differences need every |z| well
    above eps."""
    kinked = {"relu", "leaky_relu"}
    if not kinked & {case.activation, case.output_activation}:
        return True
    fw = backprop.forward(
        case.W, case.B, case.x, case.activation, case.output_activation
    )
    return all(np.abs(z).min() > 1e-3 for z in fw.zs)


def formula_name(ell: int, L: int) -> str:
    """The formula that gives delta^l: BP1 at the output layer, BP2 below it."""
    return "BP1" if ell == L else "BP2"


# --- the forward pass: the same z^l and a^l -------------------------------------------


@given(
    case=net_cases(NN_ACTIVATIONS, costs=CLAIM_COSTS), elementary=st.booleans()
)
def test_the_graph_holds_the_formulas_z_and_a_of_every_layer(
    case: NetCase, elementary: bool
) -> None:
    """The node labelled z[l][j] holds z^l_j = sum_k w^l_jk a^{l-1}_k + b^l_j and
    a[l][j] holds f(z^l_j), for every layer, sample and neuron: the two sides
    differentiate the same function."""
    got = engine_side(net_of(case, elementary), case.x, case.y, case.cost)
    fw = backprop.forward(
        case.W, case.B, case.x, case.activation, case.output_activation
    )
    for ell in range(2, len(case.sizes) + 1):
        assert_agree(got.zs[ell - 2], fw.z(ell), f"z^{ell}")
        assert_agree(got.activations[ell - 2], fw.a(ell), f"a^{ell}")


# --- BP1 and BP2: z.grad is delta -----------------------------------------------------


@given(
    case=net_cases(NN_ACTIVATIONS, costs=CLAIM_COSTS), elementary=st.booleans()
)
def test_z_grad_equals_the_bp1_and_bp2_delta_of_every_layer(
    case: NetCase, elementary: bool
) -> None:
    got = engine_side(net_of(case, elementary), case.x, case.y, case.cost)
    want = formulas(case)
    L = len(case.sizes)
    for ell in range(2, L + 1):
        assert_agree(
            got.deltas[ell - 2],
            want.deltas[ell - 2],
            f"delta^{ell} ({formula_name(ell, L)})",
        )


@given(
    case=net_cases(NN_ACTIVATIONS, costs=("cross_entropy",)), elementary=st.booleans()
)
def test_the_cross_entropys_delta_L_is_softmax_of_z_minus_y_to_1e_12(
    case: NetCase, elementary: bool
) -> None:
    """BP1 for the softmax cross-entropy: the output layer's z.grad, read off the
    engine's one cross-entropy node, is softmax(z^L) sum_k y_k - y (softmax(z^L) - y
    for a one-hot y), computed here from the graph's own z^L; it and every BP2 delta
    equal the formulas' within 1e-12 absolute or relative."""
    got = engine_side(net_of(case, elementary), case.x, case.y, case.cost)
    z_L = got.zs[-1]
    e = np.exp(z_L - z_L.max(axis=1, keepdims=True))
    closed = e / e.sum(axis=1, keepdims=True) * case.y.sum(axis=1, keepdims=True)
    want = formulas(case)
    pairs = [(got.deltas[-1], closed - case.y)]
    pairs += zip(got.deltas, want.deltas, strict=True)
    for got_delta, want_delta in pairs:
        gap = np.abs(got_delta - want_delta)
        scale = np.maximum(np.abs(got_delta), np.abs(want_delta))
        assert ((gap <= 1e-12) | (gap <= 1e-12 * scale)).all(), gap.max()


# --- BP3 and BP4: the parameters' grads -----------------------------------------------


@given(
    case=net_cases(NN_ACTIVATIONS, costs=CLAIM_COSTS), elementary=st.booleans()
)
def test_parameter_grads_equal_bp3_and_bp4_at_every_layer(
    case: NetCase, elementary: bool
) -> None:
    got = engine_side(net_of(case, elementary), case.x, case.y, case.cost)
    want = formulas(case)
    for ell in range(2, len(case.sizes) + 1):
        assert_agree(got.bias_grads[ell - 2], want.bias_grads[ell - 2], f"BP3 {ell}")
        assert_agree(
            got.weight_grads[ell - 2], want.weight_grads[ell - 2], f"BP4 {ell}"
        )


@given(
    case=net_cases(NN_ACTIVATIONS, costs=CLAIM_COSTS), elementary=st.booleans()
)
def test_an_input_values_grad_is_bp2_carried_to_layer_1(
    case: NetCase, elementary: bool
) -> None:
    """With Values as inputs, a^1 is a node too, and its grad is one more step of
    BP2's recursion without f' (layer 1 has no z): dC/da^1 = (w^2)^T delta^2."""
    net = net_of(case, elementary)
    deltas_2 = formulas(case).deltas[0]
    for i, (xi, yi) in enumerate(zip(case.x.tolist(), case.y.tolist(), strict=True)):
        x = [Value(v) for v in xi]
        LOSSES[case.cost](net(x), yi).backward()
        want = case.W[0].T @ deltas_2[i]
        assert_agree(np.array([v.grad for v in x]), want, f"dC/da^1 of sample {i}")


# --- both against central differences -------------------------------------------------


@given(case=net_cases(NN_ACTIVATIONS, max_batch=2, costs=CLAIM_COSTS))
def test_autograd_and_the_formulas_both_equal_central_differences(
    case: NetCase,
) -> None:
    assume(away_from_kinks(case))
    got = engine_side(net_of(case), case.x, case.y, case.cost)
    want = formulas(case)
    cd_deltas, cd_w, cd_b = central_differences(
        case.W,
        case.B,
        case.x,
        case.y,
        case.activation,
        output_activation=case.output_activation,
        cost=case.cost,
    )
    for i in range(len(case.W)):
        ell = i + 2
        assert_near_cd(got.deltas[i], cd_deltas[i], f"z.grad of layer {ell}")
        assert_near_cd(want.deltas[i], cd_deltas[i], f"delta^{ell}")
        assert_near_cd(got.weight_grads[i], cd_w[i], f"w.grad of layer {ell}")
        assert_near_cd(want.weight_grads[i], cd_w[i], f"BP4 dC/dw^{ell}")
        assert_near_cd(got.bias_grads[i], cd_b[i], f"b.grad of layer {ell}")
        assert_near_cd(want.bias_grads[i], cd_b[i], f"BP3 dC/db^{ell}")


# --- fused and elementary graphs ------------------------------------------------------


@given(case=net_cases(NN_ACTIVATIONS, costs=CLAIM_COSTS))
def test_fused_and_elementary_graphs_give_identical_gradients(case: NetCase) -> None:
    """One fused z node per neuron, or micrograd's chain of * and +: the same products
    summed in the same order, so every z.grad and parameter grad is equal to the last
    bit, not only within tolerance."""
    fused = engine_side(net_of(case, elementary=False), case.x, case.y, case.cost)
    micro = engine_side(net_of(case, elementary=True), case.x, case.y, case.cost)
    for name in EngineSide._fields:
        for a, b in zip(getattr(fused, name), getattr(micro, name), strict=True):
            np.testing.assert_array_equal(a, b, err_msg=name)


# --- compare: the report of the same claim --------------------------------------------


@given(case=net_cases(NN_ACTIVATIONS, costs=CLAIM_COSTS))
def test_compare_reports_every_layer_and_formula_ok_on_random_nets(
    case: NetCase,
) -> None:
    """``deltagrad compare``'s report: one row per layer and formula, from layer L
    down (BP1, BP3, BP4 at L; BP2, BP3, BP4 below), every row within tolerance."""
    assume(away_from_kinks(case))
    report = compare(net_of(case), case.x, case.y, cost=case.cost)
    assert isinstance(report, Comparison)
    assert report.ok, str(report)
    L = len(case.sizes)
    want = []
    for ell in range(L, 1, -1):
        want += [(ell, formula_name(ell, L)), (ell, "BP3"), (ell, "BP4")]
    assert [(r.layer, r.formula) for r in report.rows] == want


# --- the seed's sign y - a fails ------------------------------------------------------


def seeds_delta_L(case: NetCase) -> Array:
    """The seed's BP1 for the sigmoid: delta^L = (y - a^L) ⊙ a^L (1 - a^L)."""
    a_L = backprop.forward(case.W, case.B, case.x).output
    return np.asarray((case.y - a_L) * a_L * (1.0 - a_L))


@given(case=net_cases(("sigmoid",)))
def test_the_seeds_sign_y_minus_a_fails_the_comparison_with_z_grad(
    case: NetCase,
) -> None:
    """The seed's delta^L is -z.grad: the negative gradient, not the gradient."""
    got = engine_side(net_of(case), case.x, case.y).deltas[-1]
    seed = seeds_delta_L(case)
    assume(np.abs(got).max() > 1e-6)  # a^L == y makes both signs 0
    with pytest.raises(AssertionError):
        assert_agree(got, seed, "the seed's delta^L")
    assert_agree(got, -seed, "the seed's delta^L is the negative gradient")


def test_a_step_along_the_seeds_sign_raises_the_cost() -> None:
    """w <- w - eta dC/dw with the seed's delta climbs C; with a - y it descends."""
    W = [np.array([[0.5, -0.4], [1.2, 0.3]]), np.array([[0.7, -1.1]])]
    B = [np.array([0.1, -0.2]), np.array([0.3])]
    x, y = np.array([1.0, 0.5]), np.array([0.9])
    c0 = backprop.cost(W, B, x, y)
    fw = backprop.forward(W, B, x)
    a_L, z_L = fw.output, fw.zs[-1]
    seed_delta = (y - a_L) * a_L * (1.0 - a_L)
    right_delta = backprop.bp1_output_error(z_L, a_L, y)
    after = {}
    for name, delta in (("seed", seed_delta), ("right", right_delta)):
        W2 = [W[0], W[1] - 0.5 * backprop.bp4_weight_gradient(delta, fw.a(2))]
        B2 = [B[0], B[1] - 0.5 * backprop.bp3_bias_gradient(delta)]
        after[name] = backprop.cost(W2, B2, x, y)
    assert after["seed"] > c0
    assert after["right"] < c0


def test_compare_rejects_the_seeds_sign(monkeypatch: pytest.MonkeyPatch) -> None:
    """With dC/da = y - a in BP1, compare flags BP1 at layer L: it disagrees with
    autograd and with central differences."""

    def seeds_sign(a_L: Array, y: object, cost: str = "mse") -> Array:
        return np.asarray(np.asarray(y, dtype=np.float64) - a_L, dtype=np.float64)

    monkeypatch.setattr(backprop, "cost_derivative", seeds_sign)
    report = compare(MLP([2, 3, 1], seed=0), [0.5, -1.0], [1.0])
    assert not report.ok
    first = report.rows[0]
    assert (first.layer, first.formula) == (3, "BP1")
    assert not first.agree
    assert not first.cd_ok
