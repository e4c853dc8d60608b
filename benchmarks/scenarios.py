"""The benchmark's scenarios (issue 5) and the data each one trains on.

A :class:`Scenario` fixes everything the contenders must share: architecture,
activations, loss, optimizer, learning rate, batch size, dtype, data and how much
work one timed repeat does.  The data is generated from a seeded
``np.random.Generator`` (or is a bundled data set), so every contender and every run
sees the same numbers.  Nothing is downloaded.

This module only describes work; :mod:`benchmarks.peers` does it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np

__all__ = ["Scenario", "Data", "scenarios", "make_data", "initial_weights", "matmul_flops"]


@dataclass(frozen=True)
class Scenario:
    """One row of the benchmark: the same work for every contender.

    Attributes
    ----------
    key : str
        Stable identifier used in ``--scenarios`` and the JSON ("1-float32", ...).
    group : int
        The issue's scenario number (1 to 6).
    sizes : tuple of int
        ``n[0], ..., n[L]``.
    hidden, output, loss : str
        lucidnet registry names of the hidden/output activations and the loss.
    optimizer : {"sgd", "adam"}
    batch_size : int or None
        None for full batch.
    units : int
        Epochs (or iterations, or prediction passes) per timed repeat.
    unit : {"epoch", "iteration", "predict"}
        What ``units`` counts; "iteration" is a full-batch epoch.
    data : {"teacher", "hours", "binary_teacher", "digits"}
    m : int
        Examples (for ``digits`` the bundled set's size).
    """

    key: str
    group: int
    title: str
    sizes: tuple[int, ...]
    hidden: str
    output: str
    loss: str
    optimizer: str
    learning_rate: float
    batch_size: int | None
    dtype: str
    units: int
    unit: str
    data: str
    m: int
    shuffle: bool = True

    @property
    def n_classes(self) -> int:
        """Classes of a classifier (2 for one sigmoid output), 0 for regression."""
        if self.output == "softmax":
            return self.sizes[-1]
        return 2 if self.output == "sigmoid" else 0


_MNIST_LIKE = (784, 256, 128, 10)


def scenarios(quick: bool = False) -> list[Scenario]:
    """All scenarios in order; ``quick`` shrinks data and work so CI runs them in seconds."""
    full = [
        *(
            Scenario(
                f"1-{dtype}",
                1,
                f"784-256-128-10 relu/softmax, SGD, batch 128, {dtype}",
                _MNIST_LIKE,
                "relu",
                "softmax",
                "categorical_cross_entropy",
                "sgd",
                0.01,
                128,
                dtype,
                1,
                "epoch",
                "teacher",
                60_000,
            )
            for dtype in ("float32", "float64")
        ),
        *(
            Scenario(
                f"2-b{batch}",
                2,
                f"784-256-128-10 relu/softmax, SGD, batch {batch}, float32",
                _MNIST_LIKE,
                "relu",
                "softmax",
                "categorical_cross_entropy",
                "sgd",
                0.01,
                batch,
                "float32",
                1,
                "epoch",
                "teacher",
                60_000,
            )
            for batch in (32, 512, 2048)
        ),
        # The hours data (system 4) with sigmoid hidden units; the output is identity
        # with squared error because scikit-learn's regressor has no sigmoid output.
        Scenario(
            "3-hours",
            3,
            "2-3-1 sigmoid/identity, full-batch GD, 3 examples, float64",
            (2, 3, 1),
            "sigmoid",
            "identity",
            "squared_error",
            "sgd",
            0.5,
            None,
            "float64",
            10_000,
            "iteration",
            "hours",
            3,
            shuffle=False,
        ),
        *(
            Scenario(
                f"4-{dtype}",
                4,
                f"12288-20-7-5-1 relu/sigmoid BCE, full-batch GD, 209 ex., {dtype}",
                (12288, 20, 7, 5, 1),
                "relu",
                "sigmoid",
                "binary_cross_entropy",
                "sgd",
                0.0075,
                None,
                dtype,
                100,
                "iteration",
                "binary_teacher",
                209,
                shuffle=False,
            )
            for dtype in ("float64", "float32")
        ),
        Scenario(
            "5-digits",
            5,
            "64-128-64-10 relu/softmax, Adam, batch 256, digits, float64",
            (64, 128, 64, 10),
            "relu",
            "softmax",
            "categorical_cross_entropy",
            "adam",
            0.001,
            256,
            "float64",
            20,
            "epoch",
            "digits",
            1797,
        ),
        Scenario(
            "6-predict",
            6,
            "predict_proba on 60,000 x 784 (784-256-128-10), float32",
            _MNIST_LIKE,
            "relu",
            "softmax",
            "categorical_cross_entropy",
            "sgd",
            0.01,
            None,
            "float32",
            3,
            "predict",
            "teacher",
            60_000,
        ),
    ]
    if not quick:
        return full
    # Small enough for CI, yet every code path of the full run is exercised.
    m = {"teacher": 2_000}
    units = {1: 1, 2: 1, 3: 200, 4: 3, 5: 2, 6: 1}
    return [replace(s, m=m.get(s.data, s.m), units=units[s.group]) for s in full]


@dataclass(frozen=True)
class Data:
    """``X`` (m, n[0]); ``Y`` (m, n[L]) as lucidnet trains on it; ``y`` for scikit-learn.

    ``y`` is the class index vector (m,) for classifiers and the target vector (m,)
    for regression.
    """

    X: np.ndarray
    Y: np.ndarray
    y: np.ndarray

    @property
    def nbytes(self) -> int:
        return self.X.nbytes + self.Y.nbytes + self.y.nbytes


def make_data(s: Scenario) -> Data:
    """The scenario's data (cached: contenders share one copy)."""
    return _make_data(s.data, s.m, s.sizes[0], s.sizes[-1], s.dtype)


@lru_cache(maxsize=2)
def _make_data(kind: str, m: int, n_in: int, n_out: int, dtype: str) -> Data:
    rng = np.random.default_rng(20240505)
    if kind == "hours":
        # System 4: hours slept and studied -> test score, each column scaled by its max.
        X = np.array([[3.0, 5.0], [5.0, 1.0], [10.0, 2.0]], dtype)
        X /= X.max(axis=0)
        y = np.array([75.0, 82.0, 93.0], dtype) / 100.0
        return Data(X, y[:, None].copy(), y)
    if kind == "digits":
        from sklearn.datasets import load_digits

        X, labels = load_digits(return_X_y=True)
        X = (X / 16.0).astype(dtype)
        return Data(X, _one_hot(labels, n_out, dtype), labels)
    # Gaussian inputs labelled by a fixed random linear teacher.  Filled in place
    # (no temporaries the size of X), so the memory probe sees the data's own size.
    X = np.empty((m, n_in), dtype)
    rng.standard_normal(out=X, dtype=X.dtype)
    teacher = rng.standard_normal((n_in, max(n_out, 2))).astype(dtype)
    scores = np.concatenate([X[i : i + 4096] @ teacher for i in range(0, m, 4096)])
    if kind == "binary_teacher":
        labels = (scores[:, 0] > np.median(scores[:, 0])).astype(np.int64)
        return Data(X, labels[:, None].astype(dtype), labels)
    labels = scores.argmax(axis=1)
    return Data(X, _one_hot(labels, n_out, dtype), labels)


def _one_hot(labels: np.ndarray, n: int, dtype: str) -> np.ndarray:
    Y = np.zeros((len(labels), n), dtype)
    Y[np.arange(len(labels)), labels] = 1.0
    return Y


def initial_weights(s: Scenario) -> list[tuple[np.ndarray, np.ndarray]]:
    """``(W, b)`` per layer, ``W`` of shape (n[l], n[l-1]), drawn once by lucidnet's initializers.

    Every contender starts from these exact numbers (scikit-learn gets ``W.T``).
    """
    from lucidnet import Network

    net = Network(list(s.sizes), s.hidden, s.output, s.loss, dtype=s.dtype, random_state=0)
    return [(layer.W.copy(), layer.b.copy()) for layer in net.layers]


def matmul_flops(s: Scenario) -> float:
    """Floating-point operations of one unit's matrix products, ``2 m n_in n_out`` each.

    Training: per layer the forward product and two backward products (``dW`` and
    ``dA_prev``), except one backward product for the first layer.  Prediction: the
    forward products only.
    """
    per_example = 0
    for l, (n_in, n_out) in enumerate(zip(s.sizes[:-1], s.sizes[1:], strict=True)):
        products = 1 if s.unit == "predict" else (2 if l == 0 else 3)
        per_example += products * 2 * n_in * n_out
    return float(per_example) * s.m
