"""The MLP of engine scalars: shapes, the seed's labels, both graph modes, the arrays,
initialization, Module's PyTorch-style API, and the errors for bad input. (That its
gradients equal BP1-BP4 is tests/nn/test_autograd_equals_the_four_formulas.py.)"""

from __future__ import annotations

import gc
import itertools
import math
import re
import weakref

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine import Value, topological_order
from nn import MLP, Layer, Module, Neuron, mse
from nn.module import IncompatibleKeys
from tests.graphs import live_values

sizes_strategy = st.lists(st.integers(1, 6), min_size=2, max_size=4)


@given(sizes=sizes_strategy, seed=st.integers(0, 2**32 - 1))
def test_net_returns_one_value_per_output_neuron_for_any_widths(
    sizes: list[int], seed: int
) -> None:
    net = MLP(sizes, seed=seed)
    out = net([0.1] * sizes[0])
    assert len(out) == sizes[-1]
    assert all(isinstance(a, Value) for a in out)
    assert net.sizes == sizes
    assert [w.shape for w in net.weights()] == [
        (n, p) for p, n in itertools.pairwise(sizes)
    ]
    assert [b.shape for b in net.biases()] == [(n,) for n in sizes[1:]]
    assert len(net.parameters()) == sum(
        n * (p + 1) for p, n in itertools.pairwise(sizes)
    )


def test_parameters_carry_the_seeds_labels_in_order() -> None:
    net = MLP([2, 3, 1], seed=0)
    names = [name for name, _ in net.named_parameters()]
    want = []
    for ell, (n_prev, n) in ((2, (2, 3)), (3, (3, 1))):
        for j in range(1, n + 1):
            want += [f"w[{ell}][{j}][{k}]" for k in range(1, n_prev + 1)] + [
                f"b[{ell}][{j}]"
            ]
    assert names == want
    assert [p.label for p in net.parameters()] == want


def test_weight_label_means_from_neuron_k_of_layer_l_minus_1_to_neuron_j() -> None:
    W = [np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]), np.array([[7.0, 8.0, 9.0]])]
    B = [np.zeros(3), np.zeros(1)]
    net = MLP.from_arrays(W, B)
    by_name = dict(net.named_parameters())
    assert by_name["w[2][3][1]"].data == 5.0  # W^2 row j=3, column k=1
    assert by_name["w[2][1][2]"].data == 2.0
    assert by_name["w[3][1][3]"].data == 9.0


@pytest.mark.parametrize("elementary", [False, True])
def test_graph_nodes_carry_z_a_input_and_C_labels(elementary: bool) -> None:
    net = MLP([2, 3, 2], seed=1, elementary=elementary)
    C = mse(net([0.5, -1.0]), [1.0, 0.0])
    labels = [v.label for v in topological_order(C) if v.label]
    for ell, n in ((2, 3), (3, 2)):
        for j in range(1, n + 1):
            assert labels.count(f"z[{ell}][{j}]") == 1
            assert labels.count(f"a[{ell}][{j}]") == 1
    assert labels.count("a[1][1]") == 1
    assert labels.count("a[1][2]") == 1
    assert C.label == "C"
    z = next(v for v in topological_order(C) if v.label == "z[3][1]")
    assert z.op == ("add" if elementary else "z")
    if not elementary:
        assert len(z.inputs) == 2 * 3 + 1  # w^3_1k, b^3_1, a^2_k


def test_fused_graph_has_one_node_per_neuron_and_elementary_has_2n() -> None:
    fused = MLP([4, 3, 1], seed=0)
    micro = MLP.from_arrays(fused.weights(), fused.biases(), elementary=True)
    n_fused = len(topological_order(mse(fused([1.0] * 4), [0.0])))
    n_micro = len(topological_order(mse(micro([1.0] * 4), [0.0])))
    # elementary: each neuron with n inputs has n * and n + nodes instead of one z node
    assert n_micro - n_fused == (3 * (2 * 4 - 1)) + (2 * 3 - 1)


def test_linear_activation_keeps_z_as_the_activation_node() -> None:
    net = MLP([2, 2, 1], activation="tanh", output_activation="linear", seed=0)
    trace = net.trace([1.0, 2.0])
    assert trace.activations[-1][0] is trace.zs[-1][0]
    assert trace.activations[1][0].label == "a[2][1]"
    assert net.output_activation == "linear"
    assert net.activation == "tanh"


def test_output_activation_none_means_the_hidden_activation() -> None:
    net = MLP([2, 2, 1], activation="relu")
    assert net.output_activation == "relu"
    assert [layer.activation for layer in net.layers] == ["relu", "relu"]


def test_same_seed_same_net_and_different_seed_different_net() -> None:
    a, b, c = MLP([3, 4, 2], seed=7), MLP([3, 4, 2], seed=7), MLP([3, 4, 2], seed=8)
    assert a.state_dict() == b.state_dict()
    assert a.state_dict() != c.state_dict()


def test_initial_weights_are_normal_with_variance_one_over_fan_in() -> None:
    net = MLP([400, 300], seed=0)
    w, b = net.weights()[0], net.biases()[0]
    assert abs(w.mean()) < 0.01
    assert w.std() == pytest.approx(1 / np.sqrt(400), rel=0.02)
    assert b.std() == pytest.approx(1.0, rel=0.15)
    assert abs(b.mean()) < 0.2


def test_from_arrays_rebuilds_the_same_net() -> None:
    net = MLP([3, 5, 2], activation="tanh", output_activation="sigmoid", seed=2)
    copy = MLP.from_arrays(
        net.weights(), net.biases(), net.activation, net.output_activation
    )
    assert copy.state_dict() == net.state_dict()
    assert copy.sizes == net.sizes
    assert [a.data for a in copy([1.0, 2.0, 3.0])] == [
        a.data for a in net([1.0, 2.0, 3.0])
    ]
    assert all(w.dtype == np.float64 for w in net.weights() + net.biases())


def test_weights_are_copies_and_load_arrays_writes_in_place() -> None:
    net = MLP([2, 2], seed=0)
    w = net.weights()
    w[0][0, 0] = 99.0
    assert net.weights()[0][0, 0] != 99.0
    params = net.parameters()
    net.load_arrays(w, net.biases())
    assert net.weights()[0][0, 0] == 99.0
    assert net.parameters()[0] is params[0]
    with pytest.raises(ValueError, match="do not match"):
        net.load_arrays([np.ones((3, 2))], [np.ones(3)])


def test_width_one_everywhere_works() -> None:
    net = MLP([1, 1, 1, 1], seed=0)
    C = mse(net([0.3]), [1.0])
    C.backward()
    assert all(p.grad != 0.0 for p in net.parameters())


def test_wrong_input_length_raises_value_error_naming_both_lengths() -> None:
    net = MLP([2, 3, 1], seed=0)
    with pytest.raises(ValueError, match=r"2 inputs but x has length 3"):
        net([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match=r"2 inputs but x has length 1"):
        net(np.array([1.0]))


@pytest.mark.parametrize(
    ("x", "error", "message"),
    [
        ("ab", TypeError, "sequence"),
        (None, TypeError, "sequence"),
        (3.0, TypeError, "sequence"),
        ([1.0, "b"], TypeError, r"x\[1\] must be a real number, got str"),
        ([True, 1.0], TypeError, r"x\[0\] must be a real number, got bool"),
        (np.ones((1, 2)), ValueError, r"one sample of shape \(2,\)"),
        (Value(1.0), TypeError, "single Value"),
    ],
)
def test_bad_inputs_raise_errors_naming_the_problem(
    x: object, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        MLP([2, 1], seed=0)(x)


def test_inputs_may_be_values_keep_their_labels_and_receive_gradients() -> None:
    """(Their grads are BP2 carried to layer 1: see the four-formula tests.)"""
    net = MLP([2, 3, 1], seed=0)
    x = [Value(0.5, "x1"), Value(-0.5, "x2")]
    trace = net.trace(x)
    mse(trace.activations[-1], [1.0]).backward()
    assert trace.activations[0] == x  # the very Values, not copies
    assert [v.label for v in x] == ["x1", "x2"]
    assert all(v.grad != 0.0 for v in x)


def test_number_inputs_are_constants_and_the_first_layer_stops_at_b() -> None:
    net = MLP([3, 2, 1], seed=0)
    trace = net.trace([1.0, 2.0, 3.0])
    mse(trace.activations[-1], [1.0]).backward()
    inputs = trace.activations[0]
    assert [v.label for v in inputs] == ["a[1][1]", "a[1][2]", "a[1][3]"]
    assert all(not v.requires_grad and v.grad == 0.0 for v in inputs)
    for z in trace.zs[0]:
        assert z.inputs[4:] == tuple(inputs)  # (w_1..w_3, b, a_1..a_3)
    assert all(p.grad != 0.0 for p in net.parameters())


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"sizes": [2]}, ValueError, "at least 2 layers"),
        ({"sizes": [2, 0]}, ValueError, r"sizes\[1\] must be >= 1"),
        ({"sizes": [2.0, 1]}, TypeError, r"sizes\[0\] must be an int"),
        ({"sizes": [True, 1]}, TypeError, r"sizes\[0\] must be an int, got bool"),
        ({"sizes": "21"}, TypeError, "sizes must be a list"),
        ({"sizes": [2, 1], "activation": "softmax"}, ValueError, "unknown activation"),
        ({"sizes": [2, 1], "output_activation": "x"}, ValueError, "output_activation"),
        ({"sizes": [2, 1], "activation": 3}, TypeError, "activation must be a str"),
        ({"sizes": [2, 1], "seed": 1.5}, TypeError, "seed must be an int"),
        (
            {"sizes": [2, 1], "elementary": "yes"},
            TypeError,
            "elementary must be a bool",
        ),
    ],
)
def test_bad_constructor_arguments_raise_errors_naming_them(
    kwargs: dict[str, object], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        MLP(**kwargs)  # type: ignore[arg-type]


def test_from_arrays_rejects_arrays_that_do_not_chain() -> None:
    with pytest.raises(ValueError, match=re.escape("W of layer 3 has shape (1, 4)")):
        MLP.from_arrays([np.ones((3, 2)), np.ones((1, 4))], [np.ones(3), np.ones(1)])


def test_a_finished_graph_has_no_reference_cycles() -> None:
    """With the cycle collector off, dropping the last names frees every node."""
    gc.collect()
    gc.disable()
    try:
        for elementary in (False, True):
            before = live_values()
            net = MLP([3, 4, 2], seed=0, elementary=elementary)
            trace = net.trace([1.0, 2.0, 3.0])
            C = mse(trace.activations[-1], [0.0, 1.0])
            C.backward()
            assert live_values() == before + len(topological_order(C))
            net_ref = weakref.ref(net)
            del net, trace, C
            assert net_ref() is None
            assert live_values() == before
    finally:
        gc.enable()


def test_graph_order_is_the_same_on_every_build() -> None:
    def labels() -> list[str]:
        net = MLP([3, 3, 2], seed=4)
        return [v.label for v in topological_order(mse(net([1.0, 2.0, 3.0]), [0, 1]))]

    assert labels() == labels()


# --- Module: PyTorch's names and meaning -------------------------------------------


def test_zero_grad_clears_every_parameter_grad() -> None:
    net = MLP([2, 2, 1], seed=0)
    mse(net([1.0, 1.0]), [0.0]).backward()
    assert any(p.grad != 0.0 for p in net.parameters())
    net.zero_grad()
    assert all(p.grad == 0.0 for p in net.parameters())


def test_gradients_accumulate_across_backward_calls_until_zero_grad() -> None:
    net = MLP([2, 1], seed=0)
    mse(net([1.0, 2.0]), [0.0]).backward()
    once = [p.grad for p in net.parameters()]
    mse(net([1.0, 2.0]), [0.0]).backward()
    np.testing.assert_allclose([p.grad for p in net.parameters()], np.multiply(once, 2))


def test_state_dict_round_trips_through_load_state_dict() -> None:
    a, b = MLP([3, 2, 2], seed=0), MLP([3, 2, 2], seed=1)
    state = a.state_dict()
    assert list(state) == [name for name, _ in a.named_parameters()]
    assert all(isinstance(v, float) for v in state.values())
    result = b.load_state_dict(state)
    assert result == IncompatibleKeys([], [])
    assert b.state_dict() == state
    state["w[2][1][1]"] = 123.0  # a copy: changing it does not touch the net
    assert a.state_dict()["w[2][1][1]"] != 123.0


def test_load_state_dict_strict_rejects_missing_and_unexpected_keys() -> None:
    net = MLP([2, 1], seed=0)
    before = net.state_dict()
    state = dict(before)
    del state["b[2][1]"]
    state["w[9][9][9]"] = 1.0
    with pytest.raises(RuntimeError) as info:  # PyTorch's error and wording
        net.load_state_dict(state)
    assert str(info.value).splitlines() == [
        "Error(s) in loading state_dict for MLP:",
        '\tMissing key(s) in state_dict: "b[2][1]".',
        '\tUnexpected key(s) in state_dict: "w[9][9][9]".',
    ]
    assert net.state_dict() == before
    state["w[2][1][1]"] = 5.0
    result = net.load_state_dict(state, strict=False)
    assert result.missing_keys == ["b[2][1]"]
    assert result.unexpected_keys == ["w[9][9][9]"]
    assert net.state_dict()["w[2][1][1]"] == 5.0


@pytest.mark.parametrize(
    ("value", "error"),
    [("1.0", TypeError), (None, TypeError), (float("nan"), ValueError)],
)
def test_load_state_dict_rejects_values_that_are_not_finite_numbers(
    value: object, error: type[Exception]
) -> None:
    net = MLP([2, 1], seed=0)
    state: dict[str, object] = dict(net.state_dict())
    state["b[2][1]"] = value
    with pytest.raises(error, match=re.escape("state_dict['b[2][1]']")):
        net.load_state_dict(state)


def test_neuron_and_layer_are_modules_usable_alone() -> None:
    neuron = Neuron(3, "tanh", layer=4, index=2, weights=[1.0, 2.0, 3.0], bias=0.5)
    assert isinstance(neuron, Module)
    assert [name for name, _ in neuron.named_parameters()] == [
        "w[4][2][1]",
        "w[4][2][2]",
        "w[4][2][3]",
        "b[4][2]",
    ]
    a = neuron([Value(1.0), Value(0.0), Value(-1.0)])
    assert a.label == "a[4][2]"
    assert a.data == pytest.approx(np.tanh(1.0 - 3.0 + 0.5))
    layer = Layer(3, 2, layer=2, rng=np.random.default_rng(0))
    assert layer.weights().shape == (2, 3)
    assert len(layer([Value(1.0)] * 3)) == 2
    with pytest.raises(ValueError, match="has 3 inputs, got 2"):
        neuron([Value(1.0)] * 2)
    with pytest.raises(ValueError, match="3 weights"):
        Neuron(3, weights=[1.0, 2.0])


def test_load_state_dict_names_the_first_five_keys_and_counts_the_rest() -> None:
    net = MLP([2, 3, 1], seed=0)  # 13 parameters
    with pytest.raises(RuntimeError, match="Missing key") as info:
        net.load_state_dict({})
    message = str(info.value)
    assert (
        '"w[2][1][1]", "w[2][1][2]", "b[2][1]", "w[2][2][1]", "w[2][2][2]"' in message
    )
    assert "and 8 more." in message
    assert "Unexpected" not in message


NOT_REAL = [["1", "2"], [True, False], [1 + 0j, 2.0], [None, 1.0], [Value(1.0), 2.0]]


@pytest.mark.parametrize("bad", NOT_REAL)
def test_arrays_of_non_real_numbers_are_refused_naming_the_layer(
    bad: list[object],
) -> None:
    """np.asarray(..., float64) turned "1" into 1.0 and True into 1.0: no more."""
    with pytest.raises(TypeError, match="W of layer 2 must hold real numbers"):
        MLP.from_arrays([[bad]], [[0.0]])
    with pytest.raises(TypeError, match="W of layer 3 must hold real numbers"):
        MLP.from_arrays([np.ones((2, 2)), [bad]], [np.zeros(2), [0.0]])
    with pytest.raises(TypeError, match="B of layer 3 must hold real numbers"):
        MLP.from_arrays([np.ones((2, 2)), np.ones((2, 2))], [np.zeros(2), bad])
    with pytest.raises(TypeError, match="W of layer 4 must hold real numbers"):
        Layer(
            2, 1, layer=4, weights=[bad], biases=np.zeros(1)  # type: ignore[arg-type]
        )
    with pytest.raises(
        TypeError, match="weights of neuron 3 of layer 5 must hold real"
    ):
        Neuron(2, layer=5, index=3, weights=bad, bias=0.0)  # type: ignore[arg-type]
    net = MLP([2, 1], seed=0)
    with pytest.raises(TypeError, match="W of layer 2 must hold real numbers"):
        net.load_arrays([[bad]], [[0.0]])


@pytest.mark.parametrize("bias", ["1.5", True, [1.0], 1j, Value(1.0)])
def test_neuron_refuses_a_bias_that_is_not_one_real_number(bias: object) -> None:
    error = ValueError if isinstance(bias, list) else TypeError
    with pytest.raises(error, match="bias of neuron 1 of layer 2"):
        Neuron(2, weights=[1.0, 2.0], bias=bias)  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_non_finite_weights_are_refused_where_a_model_is_built(bad: float) -> None:
    """The choice: nan and ±inf never enter a model (as for load_state_dict, save and
    load); ``backprop``'s formulas still compute with them, as the engine does."""
    W, B = [np.array([[1.0, bad]])], [np.zeros(1)]
    with pytest.raises(ValueError, match="W of layer 2 must be finite"):
        MLP.from_arrays(W, B)
    with pytest.raises(ValueError, match="B of layer 2 must be finite"):
        MLP.from_arrays([np.ones((1, 2))], [np.array([bad])])
    with pytest.raises(ValueError, match="W of layer 3 must be finite"):
        Layer(2, 1, layer=3, weights=W[0], biases=B[0])
    with pytest.raises(ValueError, match="bias of neuron 1 of layer 2 must be finite"):
        Neuron(2, weights=[1.0, 2.0], bias=bad)
    net = MLP([2, 1], seed=0)
    before = net.state_dict()
    with pytest.raises(ValueError, match="W of layer 2 must be finite"):
        net.load_arrays(W, B)
    assert net.state_dict() == before


def test_layer_errors_name_its_own_layer_and_check_the_weights_shape_first() -> None:
    with pytest.raises(
        ValueError, match=re.escape("W of layer 3 must have shape (2, 2), got (3, 2)")
    ):
        Layer(2, 2, layer=3, weights=np.ones((3, 2)), biases=np.ones(2))
    with pytest.raises(
        ValueError, match=re.escape("B of layer 4 must have shape (2,)")
    ):
        Layer(2, 2, layer=4, weights=np.ones((2, 2)), biases=np.ones(3))
    with pytest.raises(ValueError, match="W of layer 5 must be 2-D"):
        Layer(2, 2, layer=5, weights=np.ones(4), biases=np.ones(2))
