"""Logistic regression as a one-layer network, in the reference lesson's own names (system 3).

What it is for: running the lesson "logistic regression with a neural-network
mindset" unchanged on lucidnet.  The linear step, the sigmoid, the cross-entropy
and the backward step are :mod:`lucidnet.course.deep`'s (a logistic regression is the
one-layer case of that network, with ``W = w^T``).  It is not a classifier for real
work: use :class:`lucidnet.Network` (``Network([n_x, 1])``) or the estimators.

Layout.  The lesson's columns: ``X`` of shape ``(dim, m)``, ``Y`` of shape ``(1, m)``,
weights ``w`` of shape ``(dim, 1)`` (a column, the transpose of the network's ``W``)
and a scalar bias ``b``.

Names, mapped to the lesson's notation::

    A  = sigmoid(w^T X + b)
    J  = -(1/m) sum(Y log A + (1 - Y) log(1 - A))
    dw = (1/m) X (A - Y)^T        db = (1/m) sum(A - Y)
    w := w - learning_rate dw     b := b - learning_rate db

Randomness.  None: the lesson starts from zeros.  (The other course modules mirror
the material's use of NumPy's global generator on purpose; this one needs none.)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import deep

__all__ = ["sigmoid", "initialize_with_zeros", "propagate", "optimize", "predict", "model"]


def sigmoid(z: Any) -> np.ndarray:
    """``1 / (1 + exp(-z))`` elementwise, for an array or a scalar (then a NumPy float)."""
    z = np.asarray(z, dtype=np.float64)
    # The engine's activations work on arrays of at least one dimension.
    s, _ = deep.sigmoid(np.atleast_1d(z))
    return s.reshape(z.shape)[()]


def initialize_with_zeros(dim: int) -> tuple[np.ndarray, float]:
    """``w`` of zeros, shape ``(dim, 1)``, and ``b = 0.0``."""
    dim = deep.check_size(dim, "dim")
    return np.zeros((dim, 1)), 0.0


def _check_w_b(w: Any, b: Any, X: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``w`` (dim, 1), ``b`` as a (1, 1) column for the network, and ``X`` (dim, m)."""
    w = deep.as_columns(w, "w")
    if w.shape[1] != 1:
        raise ValueError(f"w must be a column of shape (dim, 1); got shape {w.shape}")
    if np.ndim(b) != 0 and np.shape(b) != (1, 1):
        raise ValueError(f"b must be a scalar; got an array of shape {np.shape(b)}")
    X = deep.as_columns(X, "X", rows=w.shape[0])
    return w, np.asarray(b, dtype=np.float64).reshape(1, 1), X


def propagate(
    w: np.ndarray, b: float, X: np.ndarray, Y: np.ndarray
) -> tuple[dict[str, Any], np.ndarray]:
    """Cost and gradient of logistic regression (forward and backward propagation).

    Parameters
    ----------
    w : ndarray of shape (dim, 1)
    b : float
    X : ndarray of shape (dim, m)
    Y : ndarray of shape (1, m)
        Labels (any real values are accepted).

    Returns
    -------
    grads : dict
        ``"dw"``, ndarray of shape (dim, 1), and ``"db"``, a ``np.float64``.
    cost : 0-d ndarray
    """
    w, b_col, X = _check_w_b(w, b, X)
    # A one-layer network with W = w^T: deep's linear step, sigmoid and cost.
    A, cache = deep.linear_activation_forward(X, w.T, b_col, "sigmoid")
    Y = deep.check_same_shape(A, Y, "w.T @ X (1, m)", "Y")
    cost = deep.compute_cost(A, Y)
    # Sigmoid + cross-entropy: dZ = A - Y per example; linear_backward adds the 1/m.
    dZ = deep._PER_EXAMPLE_BCE.delta(A.T, Y.T).T
    _, dW, db = deep.linear_backward(dZ, cache.linear_cache)
    # db as the lesson's np.sum gives it: a NumPy float64 (its tests check the type).
    return {"dw": dW.T, "db": db[0, 0]}, cost


def optimize(
    w: np.ndarray,
    b: float,
    X: np.ndarray,
    Y: np.ndarray,
    num_iterations: int = 100,
    learning_rate: float = 0.009,
    print_cost: bool = False,
) -> tuple[dict[str, Any], dict[str, Any], list[np.ndarray]]:
    """Gradient descent on ``w`` and ``b``; the cost is recorded every 100 iterations.

    Parameters
    ----------
    w : ndarray of shape (dim, 1)
    b : float
    X : ndarray of shape (dim, m)
    Y : ndarray of shape (1, m)
    num_iterations : int, default 100
    learning_rate : float, default 0.009
    print_cost : bool

    Returns
    -------
    params : dict with "w" (dim, 1) and "b" (np.float64)
    grads : dict with the last "dw" and "db"
    costs : list of 0-d ndarray
        The cost at iterations 0, 100, 200, ... (before each update).
    """
    num_iterations = deep.check_size(num_iterations, "num_iterations")
    deep.check_learning_rate(learning_rate)
    w = np.array(w, dtype=np.float64)  # a copy: the caller's w is left unchanged
    b = float(b)
    costs = []
    grads: dict[str, Any] = {}
    for i in range(num_iterations):
        grads, cost = propagate(w, b, X, Y)
        # The update of lucidnet.course.deep, on the lesson's names (W1 <- w, b1 <- b).
        updated = deep.update_parameters(
            {"W1": w, "b1": np.array([[b]])},
            {"dW1": grads["dw"], "db1": np.array([[grads["db"]]])},
            learning_rate,
        )
        # b becomes a np.float64, as the lesson's ``b = b - learning_rate * db``.
        w, b = updated["W1"], updated["b1"][0, 0]
        if i % 100 == 0:
            costs.append(cost)
            if print_cost:
                print(f"Cost after iteration {i}: {float(cost):f}")
    return {"w": w, "b": b}, grads, costs


def predict(w: np.ndarray, b: float, X: np.ndarray) -> np.ndarray:
    """0/1 predictions (floats) ``sigmoid(w^T X + b) > 0.5`` of shape (1, m).

    ``w`` may also hold its ``dim`` numbers in another shape, (dim,) or (1, dim): the
    lesson's ``predict`` reshapes it to (dim, 1) first.
    """
    w = np.asarray(w)
    if w.ndim == 1 or (w.ndim == 2 and w.shape[0] == 1 and w.size == np.shape(X)[0]):
        w = w.reshape(-1, 1)
    w, b_col, X = _check_w_b(w, b, X)
    A, _ = deep.linear_activation_forward(X, w.T, b_col, "sigmoid")
    return (A > 0.5).astype(np.float64)


def model(
    X_train: np.ndarray,
    Y_train: np.ndarray,
    X_test: np.ndarray,
    Y_test: np.ndarray,
    num_iterations: int = 2000,
    learning_rate: float = 0.5,
    print_cost: bool = False,
) -> dict[str, Any]:
    """Logistic regression from zeros, trained by :func:`optimize`; with ``print_cost``,
    prints the costs and both accuracies.

    Parameters
    ----------
    X_train : ndarray of shape (dim, m_train)
    Y_train : ndarray of shape (1, m_train)
    X_test : ndarray of shape (dim, m_test)
    Y_test : ndarray of shape (1, m_test)

    Returns
    -------
    dict
        ``costs``, ``Y_prediction_test``, ``Y_prediction_train``, ``w``, ``b``,
        ``learning_rate``, ``num_iterations``.
    """
    X_train = deep.as_columns(X_train, "X_train")
    deep.check_examples(X_train, Y_train, "X_train", "Y_train")
    deep.check_examples(deep.as_columns(X_test, "X_test"), Y_test, "X_test", "Y_test")
    w, b = initialize_with_zeros(X_train.shape[0])
    params, _, costs = optimize(
        w, b, X_train, Y_train, num_iterations, learning_rate, print_cost
    )
    w, b = params["w"], params["b"]
    Y_prediction_test = predict(w, b, X_test)
    Y_prediction_train = predict(w, b, X_train)
    for name, prediction, Y in (
        ("train", Y_prediction_train, Y_train),
        ("test", Y_prediction_test, Y_test),
    ):
        Y = deep.check_same_shape(prediction, Y, f"the {name} predictions", f"Y_{name}")
        if print_cost:  # the lesson prints the accuracies with the costs only
            print(f"{name} accuracy: {100 - np.mean(np.abs(prediction - Y)) * 100} %")
    return {
        "costs": costs,
        "Y_prediction_test": Y_prediction_test,
        "Y_prediction_train": Y_prediction_train,
        "w": w,
        "b": b,
        "learning_rate": learning_rate,
        "num_iterations": num_iterations,
    }
