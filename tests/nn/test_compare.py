"""``compare``: the per-layer report of autograd vs BP1-BP4 vs central differences
is ok on correct code, prints as a table, and catches a wrong formula or the seed's
sign."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings

from nn import MLP, Comparison, backprop, compare
from tests.strategies import NN_ACTIVATIONS, NetCase, net_cases

Array = np.ndarray


@settings(max_examples=40)
@given(case=net_cases(NN_ACTIVATIONS))
def test_compare_is_ok_on_random_nets_with_one_row_per_layer_and_formula(
    case: NetCase,
) -> None:
    if "relu" in (case.activation, case.output_activation):
        fw = backprop.forward(
            case.W, case.B, case.x, case.activation, case.output_activation
        )
        assume(all(np.abs(z).min() > 1e-3 for z in fw.zs))
    net = MLP.from_arrays(case.W, case.B, case.activation, case.output_activation)
    report = compare(net, case.x, case.y)
    assert isinstance(report, Comparison)
    assert report.ok, str(report)
    assert report.max_abs_diff <= 1e-10 or all(
        r.max_rel_diff <= 1e-9 for r in report.rows
    )
    L = len(case.sizes)
    want = []
    for ell in range(L, 1, -1):
        want += [(ell, "BP1" if ell == L else "BP2"), (ell, "BP3"), (ell, "BP4")]
    assert [(r.layer, r.formula) for r in report.rows] == want


def test_compare_accepts_one_sample_and_the_cross_entropy() -> None:
    net = MLP([3, 4, 2], seed=0)
    assert compare(net, [0.1, 0.2, -0.3], [1.0, 0.0]).ok
    assert compare(net, np.ones((3, 3)), np.eye(3)[:, :2], cost="bce").ok


def test_compare_prints_a_table_with_every_row() -> None:
    text = str(compare(MLP([2, 3, 1], seed=0), [0.5, -1.0], [1.0]))
    lines = text.splitlines()
    assert "max|autograd-formula|" in lines[0]
    assert "max|autograd-c.d.|" in lines[0]
    body = [line.split() for line in lines[2:-1]]
    assert [(row[0], row[1], row[2]) for row in body] == [
        ("3", "BP1", "delta^3"),
        ("3", "BP3", "dC/db^3"),
        ("3", "BP4", "dC/dw^3"),
        ("2", "BP2", "delta^2"),
        ("2", "BP3", "dC/db^2"),
        ("2", "BP4", "dC/dw^2"),
    ]
    assert all(row[-1] == "yes" for row in body)
    assert lines[-1].startswith("all within tolerance")


def test_compare_catches_a_wrong_bp2(monkeypatch: pytest.MonkeyPatch) -> None:
    right = backprop.bp2_hidden_error

    def wrong(
        W_next: Array,
        delta_next: Array,
        z: Array,
        a: Array,
        activation: str = "sigmoid",
    ) -> Array:
        return 1.01 * right(W_next, delta_next, z, a, activation)

    monkeypatch.setattr(backprop, "bp2_hidden_error", wrong)
    report = compare(MLP([2, 3, 2, 1], seed=0), [0.5, -1.0], [1.0])
    assert not report.ok
    bad = {(r.layer, r.formula) for r in report.rows if not r.agree}
    assert (3, "BP2") in bad
    assert (2, "BP2") in bad
    assert (4, "BP1") not in bad
    assert "NO" in str(report)
    assert "OUT OF TOLERANCE" in str(report)


def test_compare_rejects_the_seeds_sign_y_minus_a(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def seeds_sign(a_L: Array, y: object, cost: str = "mse") -> Array:
        return np.asarray(np.asarray(y, dtype=np.float64) - a_L, dtype=np.float64)

    monkeypatch.setattr(backprop, "cost_derivative", seeds_sign)
    report = compare(MLP([2, 3, 1], seed=0), [0.5, -1.0], [1.0])
    assert not report.ok
    assert not report.rows[0].agree
    assert report.rows[0].formula == "BP1"
    assert not report.rows[0].cd_ok  # the formula disagrees with central differences


def test_backprop_compare_forwards_to_the_same_report() -> None:
    net = MLP([2, 2, 1], seed=0)
    a = backprop.compare(net, [0.5, -1.0], [1.0])
    b = compare(net, [0.5, -1.0], [1.0])
    assert [r.formula for r in a.rows] == [r.formula for r in b.rows]
    assert a.ok
    assert b.ok


def test_compare_leaves_the_batch_gradient_in_the_parameters() -> None:
    net = MLP([2, 2, 1], seed=0)
    x, y = np.array([[0.5, -1.0], [1.0, 2.0]]), np.array([[1.0], [0.0]])
    compare(net, x, y)
    g = backprop.gradients(net.weights(), net.biases(), x, y)
    np.testing.assert_allclose(
        [p.grad for p in net.layers[0].neurons[0].w], g.weight_grads[0][0]
    )


def test_compare_rejects_what_is_not_an_mlp_and_bad_shapes() -> None:
    with pytest.raises(TypeError, match="compare needs an MLP"):
        compare("net", [1.0], [1.0])  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="y has shape"):
        compare(MLP([2, 1], seed=0), [1.0, 2.0], [1.0, 0.0])
