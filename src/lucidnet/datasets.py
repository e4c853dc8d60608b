"""Small built-in data sets for examples, tests and teaching; nothing is downloaded.

:func:`load` returns a :class:`Dataset` with rows as examples. Six sets are the
tables that ship inside scikit-learn (``digits``, ``breast_cancer``, ``iris``,
``wine``, ``diabetes``, and ``linnerud``, whose three targets make a regression of
several outputs); three are generated: ``moons``, ``circles`` and ``planar`` (the
two-class "flower" of the classic shallow-network lesson).

Three functions mirror the course notebooks exactly and are the exceptions to the
rows-are-examples rule and to the no-global-seeding rule, on purpose, so course
results can be reproduced number for number:

* :func:`load_planar_dataset` seeds NumPy's *global* generator with
  ``np.random.seed(1)`` and returns the course's column layout, ``X`` of shape
  (2, 400) and ``Y`` of shape (1, 400).
* :func:`load_extra_datasets` draws the lesson's five other 2-D sets (circles,
  moons, blobs, Gaussian quantiles, no structure) from the global generator.
* :func:`load_hours_scores` returns the tiny "hours slept, hours studied -> test
  score" set, unscaled.

This module is not a data-loading framework: no caching, no downloading, no
pandas frames, no train/test splitting. scikit-learn is imported only when one of
its sets is asked for, so ``import lucidnet`` stays light.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np

__all__ = ["NAMES", "Dataset", "load", "load_extra_datasets", "load_hours_scores",
           "load_planar_dataset"]

Task = Literal["binary", "multiclass", "regression"]


@dataclass(repr=False)
class Dataset:
    """A built-in data set, rows are examples.

    Attributes
    ----------
    X : ndarray of shape (n_samples, n_features), float64
        Features, unscaled.
    y : ndarray of shape (n_samples,), or (n_samples, n_targets) for several targets
        int64 class indices for ``"binary"`` and ``"multiclass"`` tasks, float64
        values for ``"regression"``.
    feature_names : list of str
        One name per column of ``X``.
    target_names : list of str or None
        ``target_names[k]`` names class ``k``; None for regression.
    task : {"binary", "multiclass", "regression"}
        What ``y`` asks for.
    description : str
        One line saying where the data come from.
    target_columns : list of str or None
        The names of ``y``'s columns when it has several (``linnerud``); None for one.
    """

    X: np.ndarray
    y: np.ndarray
    feature_names: list[str]
    target_names: list[str] | None
    task: Task
    description: str
    target_columns: list[str] | None = None

    def __repr__(self) -> str:
        return (
            f"Dataset(task={self.task!r}, X=shape {self.X.shape}, y=shape {self.y.shape}, "
            f"description={self.description!r})"
        )


def _from_sklearn(loader_name: str, task: Task, description: str) -> Dataset:
    from sklearn import datasets as skd  # lazy: scikit-learn is heavy to import

    bunch = getattr(skd, f"load_{loader_name}")()
    y_dtype = np.float64 if task == "regression" else np.int64
    target_names = None if task == "regression" else [str(n) for n in bunch.target_names]
    several = np.ndim(bunch.target) == 2
    return Dataset(
        X=np.ascontiguousarray(bunch.data, dtype=np.float64),
        y=np.ascontiguousarray(bunch.target, dtype=y_dtype),
        feature_names=[str(n) for n in bunch.feature_names],
        target_names=target_names,
        task=task,
        description=description,
        target_columns=[str(n) for n in bunch.target_names] if several else None,
    )


# The tables scikit-learn ships: (task, one-line description) by loader name.
_BUNDLED: dict[str, tuple[Task, str]] = {
    "digits": (
        "multiclass",
        "UCI handwritten digits: 1797 8x8 images, pixel values 0-16, classes 0-9 "
        "(scikit-learn copy).",
    ),
    "breast_cancer": (
        "binary",
        "Wisconsin diagnostic breast cancer: 569 tumours, 30 cell-nucleus measurements, "
        "malignant (0) or benign (1).",
    ),
    "iris": (
        "multiclass",
        "Fisher's iris: 150 flowers, 4 sepal/petal measurements in cm, 3 species.",
    ),
    "wine": (
        "multiclass",
        "UCI wine recognition: 178 wines, 13 chemical measurements, 3 cultivars.",
    ),
    "diabetes": (
        "regression",
        "Efron et al. diabetes: 442 patients, 10 baseline variables (mean-centred and "
        "scaled by scikit-learn), disease progression after one year.",
    ),
    "linnerud": (
        "regression",
        "Linnerud fitness club: 20 men, 3 exercises (chins, situps, jumps), 3 "
        "physiological targets (weight, waist, pulse) predicted together.",
    ),
}


def _moons(random_state: int) -> Dataset:
    from sklearn.datasets import make_moons

    X, y = make_moons(n_samples=400, noise=0.2, random_state=random_state)
    return Dataset(
        X=np.ascontiguousarray(X, dtype=np.float64),
        y=y.astype(np.int64),
        feature_names=["x1", "x2"],
        target_names=["0", "1"],
        task="binary",
        description="Two interleaving half circles: 400 points in 2-D, Gaussian noise 0.2.",
    )


def _circles(random_state: int) -> Dataset:
    from sklearn.datasets import make_circles

    X, y = make_circles(n_samples=400, noise=0.1, factor=0.5, random_state=random_state)
    return Dataset(
        X=np.ascontiguousarray(X, dtype=np.float64),
        y=y.astype(np.int64),
        feature_names=["x1", "x2"],
        target_names=["outer", "inner"],
        task="binary",
        description="Two concentric circles (radius ratio 0.5): 400 points in 2-D, noise 0.1.",
    )


def _flower(standard_normal: Callable[[int], np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """The lesson's planar "flower", rows as examples, drawing noise from ``standard_normal``.

    Returns ``X`` of shape (400, 2) and ``y`` of shape (400,) uint8. The draws are
    made in the lesson's order (theta noise, then radius noise, class 0 then class 1)
    so that the global-generator version reproduces the course's numbers.
    """
    m = 400  # number of examples
    N = m // 2  # points per class
    a = 4  # maximum radius ("ray") of the flower; sin(4 t) shapes the petals
    X = np.zeros((m, 2))
    y = np.zeros(m, dtype=np.uint8)
    for j in range(2):
        ix = slice(N * j, N * (j + 1))
        t = np.linspace(j * 3.12, (j + 1) * 3.12, N) + standard_normal(N) * 0.2  # theta
        r = a * np.sin(4 * t) + standard_normal(N) * 0.2  # radius
        X[ix] = np.c_[r * np.sin(t), r * np.cos(t)]
        y[ix] = j
    return X, y


def _planar(random_state: int) -> Dataset:
    rng = np.random.default_rng(random_state)
    X, y = _flower(rng.standard_normal)
    return Dataset(
        X=X,
        y=y.astype(np.int64),
        feature_names=["x1", "x2"],
        target_names=["red", "blue"],
        task="binary",
        description="Planar 'flower' of the shallow-network lesson: 400 points in 2-D, "
        "2 classes of 200 points, not linearly separable.",
    )


# The generated sets: a function of the seed each.
_GENERATED: dict[str, Callable[[int], Dataset]] = {
    "moons": _moons,
    "circles": _circles,
    "planar": _planar,
}

#: Every name :func:`load` accepts.
NAMES: tuple[str, ...] = (*_BUNDLED, *_GENERATED)


def load(name: str, *, random_state: int = 0) -> Dataset:
    """Load a built-in data set by name.

    Parameters
    ----------
    name : str
        One of :data:`NAMES`: ``"digits"``, ``"breast_cancer"``, ``"iris"``,
        ``"wine"``, ``"diabetes"``, ``"linnerud"``, ``"moons"``, ``"circles"``,
        ``"planar"``.
    random_state : int, default 0
        Seed for the generated sets (``moons``, ``circles``, ``planar``); the same
        seed gives the same data. Ignored by the fixed tables.

    Returns
    -------
    Dataset
        ``X`` of shape (n_samples, n_features) float64 and ``y`` of shape
        (n_samples,) (``linnerud``: (20, 3)).

    Raises
    ------
    ValueError
        If ``name`` is not one of :data:`NAMES`.
    """
    if not isinstance(name, str) or name not in NAMES:
        raise ValueError(f"name must be one of {', '.join(NAMES)}; got {name!r}")
    if name in _BUNDLED:
        return _from_sklearn(name, *_BUNDLED[name])
    return _GENERATED[name](random_state)


def load_planar_dataset() -> tuple[np.ndarray, np.ndarray]:
    """The course's ``load_planar_dataset()``, number for number.

    Mirrors the lesson on purpose: it calls ``np.random.seed(1)`` (resetting
    NumPy's *global* generator, a side effect the rest of lucidnet avoids) and
    draws with ``np.random.randn``, and it returns the course's column layout.
    Use ``load("planar", random_state=...)`` for rows-as-examples data without
    touching global state.

    Returns
    -------
    X : ndarray of shape (2, 400), float64
        One example per column.
    Y : ndarray of shape (1, 400), uint8
        Labels 0 (red) and 1 (blue), 200 of each.
    """
    np.random.seed(1)  # noqa: NPY002 - the course seeds the global generator
    X, y = _flower(np.random.randn)
    return X.T, y.reshape(1, -1)


def load_extra_datasets() -> tuple[tuple[np.ndarray, np.ndarray], ...]:
    """The course's ``load_extra_datasets()``: the planar lesson's five other 2-D sets.

    Like the lesson's, every set but ``blobs`` (seeded 5) is drawn from NumPy's
    *global* generator, so ``np.random.seed(s)`` before the call makes them
    reproducible, and each call continues the global stream.  Rows are examples, as
    scikit-learn's generators give them; the lesson then transposes them
    (``X, Y = X.T, Y.reshape(1, -1)``) and makes ``blobs``' six centres two classes
    with ``Y % 2``.

    Returns
    -------
    noisy_circles, noisy_moons, blobs, gaussian_quantiles, no_structure : tuple
        ``(X, y)`` each, ``X`` of shape (200, 2) float64 and ``y`` of shape (200,):
        two circles (radius ratio 0.5, noise 0.3), two moons (noise 0.2), six
        Gaussian blobs (labels 0-5), two Gaussian quantile classes (covariance 0.5),
        and for ``no_structure`` uniform points with uniform noise in ``[0, 1)`` as
        its ``y``, as the lesson has it (no labels: a set with nothing to learn).
    """
    from sklearn import datasets

    n = 200
    # random_state=None: scikit-learn then draws from np.random's global generator.
    noisy_circles = datasets.make_circles(n_samples=n, factor=0.5, noise=0.3)
    noisy_moons = datasets.make_moons(n_samples=n, noise=0.2)
    blobs = datasets.make_blobs(n_samples=n, random_state=5, n_features=2, centers=6)
    gaussian_quantiles = datasets.make_gaussian_quantiles(
        mean=None, cov=0.5, n_samples=n, n_features=2, n_classes=2, shuffle=True,
        random_state=None)
    no_structure = np.random.rand(n, 2), np.random.rand(n, 2)  # noqa: NPY002 - as the course
    return noisy_circles, noisy_moons, blobs, gaussian_quantiles, no_structure


def load_hours_scores() -> tuple[np.ndarray, np.ndarray]:
    """The tiny "hours slept, hours studied -> test score" set, unscaled.

    Callers usually scale each by its maximum (``X / X.max(axis=0)``,
    ``y / 100``) as the lesson does.

    Returns
    -------
    X : ndarray of shape (3, 2), float64
        Rows are examples: (hours slept, hours studied).
    y : ndarray of shape (3, 1), float64
        Test scores.
    """
    X = np.array([[3, 5], [5, 1], [10, 2]], dtype=np.float64)
    y = np.array([[75], [82], [93]], dtype=np.float64)
    return X, y
