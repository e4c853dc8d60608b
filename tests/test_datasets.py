"""Tests for lucidnet.datasets: shapes, tasks, determinism and the course's data."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from lucidnet import datasets
from lucidnet.datasets import (
    NAMES,
    Dataset,
    load,
    load_extra_datasets,
    load_hours_scores,
    load_planar_dataset,
)

EXPECTED = {
    # name: (n_samples, n_features, task, n_classes or None)
    "digits": (1797, 64, "multiclass", 10),
    "breast_cancer": (569, 30, "binary", 2),
    "iris": (150, 4, "multiclass", 3),
    "wine": (178, 13, "multiclass", 3),
    "diabetes": (442, 10, "regression", None),
    "linnerud": (20, 3, "regression", None),
    "moons": (400, 2, "binary", 2),
    "circles": (400, 2, "binary", 2),
    "planar": (400, 2, "binary", 2),
}


def test_names_cover_everything():
    assert set(NAMES) == set(EXPECTED)


@pytest.mark.parametrize("name", list(EXPECTED))
def test_shapes_and_tasks(name):
    m, n, task, n_classes = EXPECTED[name]
    ds = load(name)
    assert isinstance(ds, Dataset)
    assert ds.X.shape == (m, n) and ds.X.dtype == np.float64
    assert ds.y.shape == ((m, 3) if name == "linnerud" else (m,))
    assert ds.task == task
    assert len(ds.feature_names) == n
    assert np.isfinite(ds.X).all()
    assert ds.description and "\n" not in ds.description
    assert repr(ds).startswith("Dataset(")
    if n_classes is None:
        assert ds.target_names is None
        assert ds.y.dtype == np.float64
    else:
        assert ds.y.dtype == np.int64
        np.testing.assert_array_equal(np.unique(ds.y), np.arange(n_classes))
        assert len(ds.target_names) == n_classes


def test_linnerud_has_scikit_learns_three_targets_by_name():
    from sklearn.datasets import load_linnerud

    ds, bunch = load("linnerud"), load_linnerud()
    assert ds.target_columns == ["Weight", "Waist", "Pulse"] == list(bunch.target_names)
    assert ds.feature_names == ["Chins", "Situps", "Jumps"]
    np.testing.assert_array_equal(ds.y, bunch.target)
    assert all(load(name).target_columns is None for name in NAMES if name != "linnerud")


@pytest.mark.parametrize("name", ["moons", "circles", "planar"])
def test_generated_sets_are_deterministic_by_seed(name):
    a, b, c = load(name, random_state=3), load(name, random_state=3), load(name, random_state=4)
    np.testing.assert_array_equal(a.X, b.X)
    np.testing.assert_array_equal(a.y, b.y)
    assert not np.array_equal(a.X, c.X)


def test_planar_class_balance_and_geometry():
    ds = load("planar", random_state=0)
    assert np.bincount(ds.y).tolist() == [200, 200]
    # First half is class 0, second half class 1, as in the lesson.
    assert (ds.y[:200] == 0).all() and (ds.y[200:] == 1).all()
    # Radii come from 4*sin(4t) plus small noise, so no point is far beyond 4.
    assert np.hypot(ds.X[:, 0], ds.X[:, 1]).max() < 5.5


def test_planar_uses_no_global_state():
    np.random.seed(123)
    before = np.random.get_state()[1].copy()
    load("planar", random_state=0)
    np.testing.assert_array_equal(np.random.get_state()[1], before)


def _course_planar():
    """The lesson's load_planar_dataset, transcribed independently."""
    np.random.seed(1)
    m, N, D, a = 400, 200, 2, 4
    X = np.zeros((m, D))
    Y = np.zeros((m, 1), dtype="uint8")
    for j in range(2):
        ix = range(N * j, N * (j + 1))
        t = np.linspace(j * 3.12, (j + 1) * 3.12, N) + np.random.randn(N) * 0.2
        r = a * np.sin(4 * t) + np.random.randn(N) * 0.2
        X[ix] = np.c_[r * np.sin(t), r * np.cos(t)]
        Y[ix] = j
    return X.T, Y.T


def test_load_planar_dataset_matches_the_course():
    X, Y = load_planar_dataset()
    assert X.shape == (2, 400) and X.dtype == np.float64
    assert Y.shape == (1, 400) and Y.dtype == np.uint8
    assert int(Y.sum()) == 200
    X_ref, Y_ref = _course_planar()
    np.testing.assert_array_equal(X, X_ref)
    np.testing.assert_array_equal(Y, Y_ref)
    # Calling it again gives the same data: it reseeds the global generator.
    np.testing.assert_array_equal(load_planar_dataset()[0], X)


def _course_extra_datasets():
    """The lesson's load_extra_datasets, transcribed independently."""
    import sklearn.datasets

    N = 200
    noisy_circles = sklearn.datasets.make_circles(n_samples=N, factor=.5, noise=.3)
    noisy_moons = sklearn.datasets.make_moons(n_samples=N, noise=.2)
    blobs = sklearn.datasets.make_blobs(n_samples=N, random_state=5, n_features=2, centers=6)
    gaussian_quantiles = sklearn.datasets.make_gaussian_quantiles(
        mean=None, cov=0.5, n_samples=N, n_features=2, n_classes=2, shuffle=True,
        random_state=None)
    no_structure = np.random.rand(N, 2), np.random.rand(N, 2)
    return noisy_circles, noisy_moons, blobs, gaussian_quantiles, no_structure


def test_load_extra_datasets_matches_the_course_and_continues_the_global_stream():
    np.random.seed(3)
    sets = load_extra_datasets()
    np.random.seed(3)
    expected = _course_extra_datasets()
    assert len(sets) == 5
    for (X, y), (X_ref, y_ref) in zip(sets, expected, strict=True):
        assert X.shape == (200, 2) and y.shape[0] == 200
        np.testing.assert_array_equal(X, X_ref)
        np.testing.assert_array_equal(y, y_ref)
    assert sorted(set(sets[2][1].tolist())) == [0, 1, 2, 3, 4, 5]  # blobs: six centres
    # The next call continues the stream, as the lesson's does: other circles.
    assert not np.array_equal(load_extra_datasets()[0][0], sets[0][0])


def test_the_lesson_network_learns_the_extra_moons():
    """The lesson's optional exercise: the same one-hidden-layer tanh network on
    another set, transposed as the notebook does."""
    from sklearn.linear_model import LogisticRegression

    from lucidnet.course import shallow

    np.random.seed(1)
    X, y = load_extra_datasets()[1]  # noisy_moons
    straight_cut = LogisticRegression().fit(X, y).score(X, y)  # the best line, for scale
    X, Y = X.T, y.reshape(1, y.shape[0])
    parameters = shallow.nn_model(X, Y, n_h=4, num_iterations=10000)
    accuracy = float(np.mean(shallow.predict(parameters, X) == Y))
    assert accuracy > straight_cut + 0.05


def test_load_hours_scores():
    X, y = load_hours_scores()
    np.testing.assert_array_equal(X, [[3, 5], [5, 1], [10, 2]])
    np.testing.assert_array_equal(y, [[75], [82], [93]])
    assert X.dtype == y.dtype == np.float64
    assert X.shape == (3, 2) and y.shape == (3, 1)


def test_unknown_name_lists_names():
    expected = "name must be one of digits, breast_cancer, .*, planar; got 'mnist'"
    with pytest.raises(ValueError, match=expected):
        load("mnist")


def test_import_is_light():
    # scikit-learn is imported inside the loaders, never at module level.
    source = Path(datasets.__file__).read_text().split('"""', 2)[2]
    top_level = [line for line in source.splitlines() if line.startswith(("import", "from"))]
    assert not any("sklearn" in line for line in top_level)
