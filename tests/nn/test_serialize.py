"""Saving and loading nets as JSON: exact round trips, every malformed file named, and
no half-written file after a failed save."""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings

from engine import topological_order
from nn import MLP, ModelFileError
from nn.serialize import MAX_MODEL_BYTES, read_model
from tests.strategies import NN_ACTIVATIONS, NetCase, net_cases


@settings(max_examples=25)  # a file written and read back per example
@given(case=net_cases(NN_ACTIVATIONS))
def test_save_then_load_gives_the_same_net_bit_for_bit(
    tmp_path_factory: pytest.TempPathFactory, case: NetCase
) -> None:
    net = MLP.from_arrays(case.W, case.B, case.activation, case.output_activation)
    path = tmp_path_factory.mktemp("m") / "net.json"
    net.save(path)
    back = MLP.load(path)
    assert back.sizes == net.sizes
    assert back.activation == net.activation
    assert back.output_activation == net.output_activation
    assert back.state_dict() == net.state_dict()  # floats compared exactly


def test_saved_file_is_plain_json_with_format_and_version(tmp_path: Path) -> None:
    MLP([2, 3, 1], seed=0).save(tmp_path / "net.json")
    doc = json.loads((tmp_path / "net.json").read_text())
    assert doc["format"] == "deltagrad.mlp"
    assert doc["version"] == 1
    assert doc["sizes"] == [2, 3, 1]
    assert np.array(doc["weights"][0]).shape == (3, 2)


def test_load_can_build_the_elementary_graph(tmp_path: Path) -> None:
    saved = MLP([2, 3, 1], seed=0)
    saved.save(tmp_path / "n.json")
    net = MLP.load(tmp_path / "n.json", elementary=True)
    assert net.elementary
    assert net.state_dict() == saved.state_dict()
    (out,) = net([0.5, -1.0])
    ops = [v.op for v in topological_order(out)]
    assert "z" not in ops  # no fused neuron node, only binary * and +
    assert ops.count("mul") == 2 * 3 + 3  # one w * a per weight
    assert ops.count("add") == 3 * 2 + 3  # n_in - 1 sums and + b per neuron
    assert out.data == saved([0.5, -1.0])[0].data


def _good() -> dict[str, Any]:
    return {
        "format": "deltagrad.mlp",
        "version": 1,
        "sizes": [2, 1],
        "activation": "sigmoid",
        "output_activation": "sigmoid",
        "weights": [[[0.5, -0.5]]],
        "biases": [[0.1]],
    }


def _with(**changes: Any) -> str:
    doc = _good()
    for key, value in changes.items():
        if value is ...:
            del doc[key]
        else:
            doc[key] = value
    return json.dumps(doc)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "expected a JSON object, got list"),
        (_with(weights=...), r"missing keys \['weights'\]"),
        (_with(format="pickle"), "format is 'pickle'"),
        (_with(version=2), "version 2 is not supported"),
        (_with(sizes=[2]), "sizes must be a list of >= 2 positive ints"),
        (_with(sizes=[2, 0]), "sizes must be"),
        (_with(sizes="2,1"), "sizes must be"),
        (_with(activation="softmax"), "activation 'softmax' is not one of"),
        (_with(output_activation=None), "output_activation None"),
        (_with(weights=[]), "weights must list 1 layers"),
        (_with(biases={"a": 1}), "biases must list 1 layers"),
        (
            _with(weights=[[[0.5, -0.5], [1.0, 1.0]]]),
            "weights of layer 2 must be a list of 1 rows, got 2",
        ),
        (
            _with(weights=[[[0.5]]]),
            "weights of layer 2 row 1 must be a list of 2 numbers, got 1",
        ),
        (
            _with(weights=[[[0.5, "x"]]]),
            "weights of layer 2 row 1 holds 'x', not a number",
        ),
        (_with(weights=[[[0.5, True]]]), "holds True, not a number"),
        (
            _with(biases=[[0.1, 0.2]]),
            "biases of layer 2 must be a list of 1 numbers, got 2",
        ),
        (
            _with(biases=[0.1]),
            "biases of layer 2 must be a list of 1 numbers, got float",
        ),
        (json.dumps(_good()).replace("0.1", "NaN"), "non-finite"),
        (json.dumps(_good()).replace("0.1", "Infinity"), "non-finite"),
        (_with(version=1.0), "version 1.0 is not supported"),
        (_with(version="1"), "version '1' is not supported"),
        (_with(biases=[[10**400]]), "holds an int too large for a float64"),
        (json.dumps(_good()).replace("0.1", "1" + "0" * 5000), "not valid JSON"),
        ("[" * 200_000, "nested too deeply"),
        ('{"activation": "sigmoïd"}'.encode("latin-1"), "not UTF-8 text"),
        (b"\xff\xfe{\x00}\x00", "not UTF-8 text"),
    ],
)
def test_malformed_or_mismatched_files_raise_errors_naming_the_problem(
    tmp_path: Path, text: str | bytes, message: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    with pytest.raises(ModelFileError, match=message) as info:
        MLP.load(path)
    assert str(path) in str(info.value)
    assert isinstance(info.value, ValueError)


def test_the_well_formed_reference_file_loads(tmp_path: Path) -> None:
    """The baseline of the malformed cases above is itself valid."""
    (tmp_path / "ok.json").write_text(_with())
    net = MLP.load(tmp_path / "ok.json")
    assert net.weights()[0].tolist() == [[0.5, -0.5]]


def test_missing_file_raises_file_not_found(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        MLP.load(tmp_path / "nope.json")


def test_save_of_non_finite_weights_fails_and_writes_nothing(tmp_path: Path) -> None:
    net = MLP([2, 1], seed=0)
    net.parameters()[0].data = float("nan")
    with pytest.raises(ValueError, match="not finite"):
        net.save(tmp_path / "net.json")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("failing", ["replace", "fsync"])
def test_a_failed_save_leaves_the_old_file_and_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    """save writes through nn.files.write_atomic; tests/nn/test_files.py proves the
    writer's other promises (symlinks, modes, non-regular targets, names)."""
    path = tmp_path / "net.json"
    old = MLP([2, 1], seed=0)
    old.save(path)
    before = path.read_bytes()

    def boom(*args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, failing, boom)
    with pytest.raises(OSError, match="disk full"):
        MLP([2, 1], seed=1).save(path)
    monkeypatch.undo()
    assert [p.name for p in tmp_path.iterdir()] == ["net.json"]
    assert path.read_bytes() == before
    assert MLP.load(path).state_dict() == old.state_dict()


# --- reading refuses what is not a model file, before reading it -------------------


def test_a_folder_is_refused_as_a_model_file(tmp_path: Path) -> None:
    with pytest.raises(ModelFileError, match="is a folder") as info:
        MLP.load(tmp_path)
    assert str(tmp_path) in str(info.value)


def test_a_pipe_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "model.json"
    os.mkfifo(fifo)

    def stuck(signum: int, frame: object) -> None:
        raise TimeoutError("load() waited for a writer to open the pipe")

    old = signal.signal(signal.SIGALRM, stuck)  # a guard against hanging, no timing
    signal.alarm(30)
    try:
        with pytest.raises(ModelFileError, match="not a regular file") as info:
            MLP.load(fifo)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    assert str(fifo) in str(info.value)


def test_a_file_over_the_size_limit_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "huge.json"
    with path.open("wb") as f:  # sparse: no disk space, no time
        f.truncate(MAX_MODEL_BYTES + 1)
    with pytest.raises(ModelFileError, match="larger than a model file may be") as info:
        MLP.load(path)
    assert str(path) in str(info.value)
    assert f"{MAX_MODEL_BYTES:,} bytes" in str(info.value)


def test_check_sizes_sees_the_sizes_before_any_weight_is_checked(
    tmp_path: Path,
) -> None:
    """A caller that refuses big nets (``graph --model``) does so before the work of
    checking every weight: here the weights are not even valid."""
    path = tmp_path / "m.json"
    path.write_text(json.dumps({
        "format": "deltagrad.mlp", "version": 1, "sizes": [2, 3, 1],
        "activation": "sigmoid", "output_activation": "sigmoid",
        "weights": [["not numbers"], []], "biases": [[], []],
    }))
    seen: list[list[int]] = []

    class RefusedError(Exception):
        pass

    def refuse(sizes: list[int]) -> None:
        seen.append(sizes)
        raise RefusedError

    with pytest.raises(RefusedError):
        read_model(path, refuse)
    assert seen == [[2, 3, 1]]
    with pytest.raises(ModelFileError, match="weights of layer 2"):
        read_model(path)
