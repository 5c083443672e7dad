"""Data sets: the Playground generators follow their rules and their seeds, the real
sets are scaled, the split and the targets are right, and bad input is named."""

from __future__ import annotations

import math
import sys

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nn import data
from nn.data import Dataset, make_dataset, to_targets, train_test_split
from nn.names import DATASET_SHAPES, DATASETS, REAL_DATASETS, SYNTHETIC_DATASETS


@given(
    name=st.sampled_from(SYNTHETIC_DATASETS),
    n=st.integers(2, 300),
    noise=st.floats(0.0, 0.5),
    seed=st.integers(0, 2**32 - 1),
)
def test_synthetic_sets_have_n_points_two_classes_and_follow_their_seed(
    name: str, n: int, noise: float, seed: int
) -> None:
    ds = make_dataset(name, n=n, noise=noise, seed=seed)
    assert isinstance(ds, Dataset)
    assert ds.name == name
    assert ds.x.shape == (n, 2)
    assert ds.x.dtype == np.float64
    assert ds.labels.shape == (n,)
    assert set(ds.labels.tolist()) <= {0, 1}
    assert ds.n_classes == 2
    again = make_dataset(name, n=n, noise=noise, seed=seed)
    np.testing.assert_array_equal(ds.x, again.x)
    np.testing.assert_array_equal(ds.labels, again.labels)
    if name != "gauss":  # the blobs' tails are unbounded
        assert np.abs(ds.x).max() <= 6.0  # the Playground's [-6, 6] picture


@pytest.mark.parametrize("name", ["circle", "gauss", "spiral"])
def test_circle_gauss_and_spiral_have_half_the_points_in_each_class(name: str) -> None:
    assert np.bincount(make_dataset(name, n=101, seed=3).labels).tolist() == [51, 50]


def test_without_noise_circle_labels_points_inside_radius_2_5() -> None:
    ds = make_dataset("circle", n=400, noise=0.0, seed=0)
    r = np.hypot(ds.x[:, 0], ds.x[:, 1])
    np.testing.assert_array_equal(ds.labels, (r < 2.5).astype(int))
    assert (r[ds.labels == 0] >= 3.5).all()


def test_without_noise_xor_labels_the_sign_of_x_times_y() -> None:
    ds = make_dataset("xor", n=400, noise=0.0, seed=0)
    np.testing.assert_array_equal(ds.labels, (ds.x[:, 0] * ds.x[:, 1] >= 0).astype(int))
    assert np.abs(ds.x).min() >= 0.3


def test_gauss_blobs_centre_on_plus_and_minus_two() -> None:
    ds = make_dataset("gauss", n=2000, noise=0.0, seed=0)
    np.testing.assert_allclose(ds.x[ds.labels == 1].mean(axis=0), [2, 2], atol=0.1)
    np.testing.assert_allclose(ds.x[ds.labels == 0].mean(axis=0), [-2, -2], atol=0.1)


def test_spiral_classes_are_point_reflections_of_each_other_without_noise() -> None:
    ds = make_dataset("spiral", n=200, noise=0.0, seed=0)
    a = ds.x[ds.labels == 1]
    b = ds.x[ds.labels == 0]
    key = np.lexsort
    np.testing.assert_allclose(a[key(a.T)], (-b)[key((-b).T)], atol=1e-12)


@pytest.mark.parametrize("name", ["circle", "xor"])
def test_noise_flips_labels_near_the_boundary(name: str) -> None:
    clean = make_dataset(name, n=500, noise=0.0, seed=1)
    noisy = make_dataset(name, n=500, noise=0.5, seed=1)
    rule = (
        np.hypot(*noisy.x.T) < 2.5
        if name == "circle"
        else noisy.x[:, 0] * noisy.x[:, 1] >= 0
    )
    assert (noisy.labels != rule).sum() > 10
    assert (
        clean.labels
        == (
            np.hypot(*clean.x.T) < 2.5
            if name == "circle"
            else clean.x[:, 0] * clean.x[:, 1] >= 0
        )
    ).all()


def test_different_seeds_give_different_points() -> None:
    assert not np.array_equal(
        make_dataset("gauss", n=50, seed=1).x, make_dataset("gauss", n=50, seed=2).x
    )


def test_iris_is_standardized_with_three_classes() -> None:
    ds = make_dataset("iris")
    assert ds.x.shape == (150, 4)
    assert ds.n_classes == 3
    np.testing.assert_allclose(ds.x.mean(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(ds.x.std(axis=0), 1.0, atol=1e-12)
    assert np.bincount(ds.labels).tolist() == [50, 50, 50]


def test_digits_are_8x8_pixels_scaled_to_the_unit_interval() -> None:
    ds = make_dataset("digits")
    assert ds.x.shape == (1797, 64)
    assert ds.n_classes == 10
    assert ds.x.min() == 0.0
    assert ds.x.max() == 1.0
    small = make_dataset("digits", n=100, seed=0)
    assert small.x.shape == (100, 64)
    with pytest.raises(ValueError, match="cannot draw n=2000"):
        make_dataset("digits", n=2000)


def test_missing_scikit_learn_gives_the_install_command(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "sklearn", None)
    monkeypatch.setitem(sys.modules, "sklearn.datasets", None)
    with pytest.raises(
        data.MissingDependencyError, match=r"pip install 'deltagrad\[data\]'"
    ):
        make_dataset("iris")
    assert len(make_dataset("xor", n=10)) == 10  # the synthetic sets need no sklearn


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"name": "moons"}, ValueError, "unknown data set 'moons'"),
        ({"name": 3}, TypeError, "name must be a str"),
        ({"name": "xor", "n": 1}, ValueError, "n must be >= 2"),
        ({"name": "xor", "n": 2.5}, TypeError, "n must be an int"),
        ({"name": "xor", "noise": 1.5}, ValueError, r"noise must be in \[0, 1\]"),
        ({"name": "xor", "noise": math.nan}, ValueError, r"noise must be in \[0, 1\]"),
        ({"name": "iris", "n": 0}, ValueError, "n must be >= 1"),
        ({"name": "xor", "noise": "a"}, TypeError, "noise must be a real number"),
    ],
)
def test_bad_dataset_arguments_raise_errors_naming_them(
    kwargs: dict[str, object], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        make_dataset(**kwargs)  # type: ignore[arg-type]


def test_split_partitions_the_data_reproducibly() -> None:
    ds = make_dataset("circle", n=101, seed=0)
    train, test = train_test_split(ds, 0.8, seed=5)
    assert (len(train), len(test)) == (81, 20)
    both = np.concatenate([train.x, test.x])
    assert sorted(map(tuple, both.tolist())) == sorted(map(tuple, ds.x.tolist()))
    again = train_test_split(ds, 0.8, seed=5)[0]
    np.testing.assert_array_equal(train.x, again.x)
    assert train.n_classes == ds.n_classes
    assert train.name == ds.name


@pytest.mark.parametrize("share", [0.0, 1.0, -0.2, math.nan])
def test_split_rejects_shares_outside_the_open_unit_interval(share: float) -> None:
    with pytest.raises(ValueError, match=r"train_share must be in \(0, 1\)"):
        train_test_split(make_dataset("xor", n=10), share)


def test_targets_are_a_column_for_one_output_and_one_hot_for_several() -> None:
    labels = np.array([0, 2, 1])
    np.testing.assert_array_equal(to_targets(np.array([1, 0]), 1), [[1.0], [0.0]])
    np.testing.assert_array_equal(
        to_targets(labels, 3), [[1, 0, 0], [0, 0, 1], [0, 1, 0]]
    )
    with pytest.raises(ValueError, match="1 output fits 2 classes"):
        to_targets(labels, 1)
    with pytest.raises(ValueError, match="label 2 needs more than the net's 2 outputs"):
        to_targets(labels, 2)
    with pytest.raises(ValueError, match="1-D int array"):
        to_targets(np.array([0.5]), 2)


@pytest.mark.parametrize(
    ("x", "labels", "message"),
    [
        (np.ones(3), np.zeros(3, int), r"shape \(m, d\)"),
        (np.ones((3, 2)), np.zeros(2, int), r"labels must have shape \(3,\)"),
        (np.ones((2, 2)), np.array([0, 5]), r"labels must lie in 0..1"),
        (np.ones((2, 2)), np.array([0.0, 1.0]), "labels must be ints"),
    ],
)
def test_dataset_rejects_inconsistent_arrays(
    x: np.ndarray, labels: np.ndarray, message: str
) -> None:
    with pytest.raises((ValueError, TypeError), match=message):
        Dataset(x, labels, 2, "bad")


@pytest.mark.parametrize(
    ("n_classes", "error", "message"),
    [
        (0, ValueError, "n_classes must be >= 1, got 0"),
        (-2, ValueError, "n_classes must be >= 1"),
        ("a", TypeError, "n_classes must be an int, got str"),
        (2.0, TypeError, "n_classes must be an int, got float"),
        (True, TypeError, "n_classes must be an int, got bool"),
        (None, TypeError, "n_classes must be an int, got NoneType"),
    ],
)
def test_dataset_refuses_a_class_count_that_is_not_a_positive_int(
    n_classes: object, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        Dataset(
            np.ones((2, 2)),
            np.array([0, 0]),
            n_classes,  # type: ignore[arg-type]
            "bad",
        )


def test_dataset_class_count_may_be_a_numpy_int_and_bounds_the_labels() -> None:
    ds = Dataset(np.ones((2, 2)), np.array([0, 2]), np.int64(3), "ok")
    assert type(ds.n_classes) is int
    assert ds.n_classes == 3
    with pytest.raises(ValueError, match=r"labels must lie in 0..1, got 0..2"):
        Dataset(np.ones((2, 2)), np.array([0, 2]), 2, "bad")


def test_dataset_refuses_inputs_that_are_not_real_numbers() -> None:
    with pytest.raises(TypeError, match="Dataset x must hold real numbers"):
        Dataset(np.array([["1", "2"]]), np.array([0]), 2, "bad")


@pytest.mark.parametrize("name", DATASETS)
def test_every_data_set_has_the_shape_the_name_list_promises(name: str) -> None:
    """nn.names.DATASET_SHAPES is what the command line checks --sizes and
    --samples against before any data is loaded."""
    shape = DATASET_SHAPES[name]
    if name in REAL_DATASETS:
        pytest.importorskip("sklearn")
    ds = make_dataset(name, n=None if shape.samples else 20)
    assert (ds.n_features, ds.n_classes) == (shape.n_features, shape.n_classes)
    assert len(ds) == (shape.samples or 20)
