"""``compare``: the per-layer report of autograd vs BP1-BP4 vs central differences
prints as a table, catches a wrong formula, and checks its arguments. That it is ok on
random nets, and that it catches the seed's sign, is in
tests/nn/test_autograd_equals_the_four_formulas.py with the rest of that claim."""

from __future__ import annotations

import numpy as np
import pytest

from nn import MLP, backprop, compare

Array = np.ndarray


def test_compare_accepts_one_sample_and_the_cross_entropy() -> None:
    net = MLP([3, 4, 2], seed=0)
    assert compare(net, [0.1, 0.2, -0.3], [1.0, 0.0]).ok
    assert compare(net, np.ones((3, 3)), np.eye(3)[:, :2], cost="bce").ok


def test_compare_accepts_the_softmax_cross_entropy_of_a_linear_output_layer() -> None:
    """Class probabilities or one-hot rows as y; every row agrees to 1e-12 here."""
    net = MLP([4, 5, 3], activation="tanh", output_activation="linear", seed=0)
    x = np.random.default_rng(0).normal(size=(3, 4))
    for y in (np.eye(3), np.array([[0.2, 0.3, 0.5], [1.0, 0.0, 0.0], [0.0, 0.5, 0.5]])):
        report = compare(net, x, y, cost="cross_entropy")
        assert report.ok, str(report)
        assert report.max_abs_diff <= 1e-12
    with pytest.raises(ValueError, match="output_activation='linear'"):
        compare(MLP([4, 3], seed=0), x, np.eye(3), cost="cross_entropy")


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
