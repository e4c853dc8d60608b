"""One hidden tanh layer, in the planar-data lesson's own names.

What it is for: running the lesson "planar data classification with one hidden
layer" unchanged on lucidnet (``LINEAR -> TANH -> LINEAR -> SIGMOID``, cross-entropy,
batch gradient descent).  Every step is :mod:`lucidnet.course.deep`'s: the engine's
activations and derivatives, the lesson's own linear steps and cost (so that a run
prints the lesson's digits; see that module's text); this module only keeps the
lesson's signatures and its ``cache`` and ``grads`` dictionaries.  It is not a
training library: use :class:`lucidnet.Network`.

One line of the lesson fails with current NumPy: its accuracy print,
``float((np.dot(Y, predictions.T) + ...) / float(Y.size) * 100)``, takes ``float`` of a
(1, 1) array, which NumPy 2.4 refuses (earlier versions warned);
``float(np.mean(predictions == Y) * 100)`` is the same number.

Layout.  The lesson's columns: ``X`` of shape ``(n_x, m)``, ``Y`` of shape
``(n_y, m)`` (``n_y = 1``), ``W1 (n_h, n_x)``, ``b1 (n_h, 1)``, ``W2 (n_y, n_h)``,
``b2 (n_y, 1)``.

Names, mapped to the lesson's notation::

    Z1 = W1 X + b1        A1 = tanh(Z1)        Z2 = W2 A1 + b2        A2 = sigmoid(Z2)
    J  = -(1/m) sum(Y log A2 + (1 - Y) log(1 - A2))
    dZ2 = A2 - Y          dW2 = (1/m) dZ2 A1^T              db2 = (1/m) sum(dZ2)
    dZ1 = W2^T dZ2 * (1 - A1^2)   dW1 = (1/m) dZ1 X^T      db1 = (1/m) sum(dZ1)

Randomness.  The lesson uses NumPy's *global* generator: its
``initialize_parameters`` expected output is drawn after ``np.random.seed(2)`` and
``nn_model`` seeds 3.  This module mirrors that on purpose, as does
:mod:`lucidnet.course.deep`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from .. import activations
from . import deep

__all__ = [
    "layer_sizes",
    "initialize_parameters",
    "forward_propagation",
    "compute_cost",
    "backward_propagation",
    "update_parameters",
    "nn_model",
    "predict",
]

_KEYS = ("W1", "b1", "W2", "b2")
_TANH = activations.get("tanh")


def layer_sizes(X: np.ndarray, Y: np.ndarray) -> tuple[int, int, int]:
    """``(n_x, n_h, n_y)``: rows of ``X``, the lesson's 4 hidden units, rows of ``Y``.

    Parameters
    ----------
    X : ndarray of shape (n_x, m)
    Y : ndarray of shape (n_y, m)
    """
    X = deep.as_columns(X, "X")
    Y = deep.as_columns(Y, "Y")
    return X.shape[0], 4, Y.shape[0]


def initialize_parameters(
    n_x: int, n_h: int, n_y: int, *, seed: int | None = 2, initializer: str = "small"
) -> dict[str, np.ndarray]:
    """``W = 0.01 * randn``, ``b = 0``, after ``np.random.seed(2)`` as the lesson's expected output.

    ``seed=None`` draws from the global generator's current stream (``nn_model`` does,
    after seeding 3).  Returns ``W1 (n_h, n_x)``, ``b1 (n_h, 1)``, ``W2 (n_y, n_h)``,
    ``b2 (n_y, 1)``.
    """
    return deep.initialize_parameters(n_x, n_h, n_y, seed=seed, initializer=initializer)


def _parameters(parameters: Mapping[str, np.ndarray]) -> tuple[np.ndarray, ...]:
    deep.check_parameter_dict(parameters)
    missing = [key for key in _KEYS if key not in parameters]
    if missing:
        raise ValueError(
            f"parameters must hold W1, b1, W2, b2; missing {missing} in {sorted(parameters)}"
        )
    return tuple(parameters[key] for key in _KEYS)


def forward_propagation(
    X: np.ndarray, parameters: Mapping[str, np.ndarray]
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """``A2 = sigmoid(W2 tanh(W1 X + b1) + b2)``.

    Parameters
    ----------
    X : ndarray of shape (n_x, m)
    parameters : dict with W1, b1, W2, b2

    Returns
    -------
    A2 : ndarray of shape (n_y, m)
    cache : dict with Z1, A1 (n_h, m) and Z2, A2 (n_y, m)
    """
    W1, b1, W2, b2 = _parameters(parameters)
    X = deep.check_inputs(X, W1)
    A1, hidden = deep.linear_activation_forward(X, W1, b1, "tanh")
    A2, output = deep.linear_activation_forward(A1, W2, b2, "sigmoid")
    return A2, {"Z1": hidden.Z, "A1": A1, "Z2": output.Z, "A2": A2}


def compute_cost(A2: np.ndarray, Y: np.ndarray, parameters: Any = None) -> float:
    """Cross-entropy ``-(1/m) sum(Y log A2 + (1 - Y) log(1 - A2))``, a Python float.

    Computed with this lesson's own expression, ``logprobs = Y log A2 + (1 - Y)
    log(1 - A2)``, ``cost = -sum(logprobs) / m``, so the value is the lesson's to the
    last bit (the deep lesson's dot-product form rounds differently).

    Parameters
    ----------
    A2 : ndarray of shape (1, m)
    Y : ndarray of shape (1, m)
    parameters : ignored
        The lesson's older versions pass the parameters too; accepted for them.
    """
    A2 = deep.as_columns(A2, "A2")
    Y = deep.check_same_shape(A2, Y, "A2", "Y")
    return float(deep.material_cross_entropy(A2, Y, entrywise=True))


def backward_propagation(
    parameters: Mapping[str, np.ndarray],
    cache: Mapping[str, np.ndarray],
    X: np.ndarray,
    Y: np.ndarray,
) -> dict[str, np.ndarray]:
    """Gradients ``dW1, db1, dW2, db2`` of the mean cross-entropy (the lesson's formulas above).

    Parameters
    ----------
    parameters : dict with W1, b1, W2, b2
    cache : dict from :func:`forward_propagation` (only A1 and A2 are used)
    X : ndarray of shape (n_x, m)
    Y : ndarray of shape (n_y, m)

    Returns
    -------
    dict with dW1 (n_h, n_x), db1 (n_h, 1), dW2 (n_y, n_h), db2 (n_y, 1)
    """
    W1, b1, W2, b2 = _parameters(parameters)
    X = deep.as_columns(X, "X", rows=W1.shape[1])
    A2 = deep.as_columns(cache["A2"], "cache['A2']", rows=W2.shape[0])
    A1 = deep.as_columns(cache["A1"], "cache['A1']", rows=W1.shape[0])
    Y = deep.check_same_shape(A2, Y, "cache['A2']", "Y")
    # Sigmoid output + cross-entropy: dZ2 = A2 - Y, the engine's fused delta (per example).
    dZ2 = deep._PER_EXAMPLE_BCE.delta(A2.T, Y.T).T
    dA1, dW2, db2 = deep.linear_backward(dZ2, deep.LinearCache(A1, W2, b2))
    # dZ1 = W2^T dZ2 * (1 - A1^2): tanh's derivative from the cached A1, as the lesson
    # writes it (the engine's tanh backward reads only A; Z1 is not needed).
    dA1 = deep.check_same_shape(A1, dA1, "cache['A1']", "W2^T dZ2")
    dZ1 = _TANH.backward(dA1.T, None, A1.T).T
    _, dW1, db1 = deep.linear_backward(dZ1, deep.LinearCache(X, W1, b1))
    return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}


def update_parameters(
    parameters: Mapping[str, np.ndarray],
    grads: Mapping[str, np.ndarray],
    learning_rate: float = 1.2,
) -> dict[str, np.ndarray]:
    """``theta := theta - learning_rate * d theta`` for W1, b1, W2, b2, into new arrays."""
    _parameters(parameters)
    return deep.update_parameters(parameters, grads, learning_rate)


def nn_model(
    X: np.ndarray,
    Y: np.ndarray,
    n_h: int,
    num_iterations: int = 10000,
    print_cost: bool = False,
    *,
    learning_rate: float = 1.2,
    init_seed: int | None = None,
) -> dict[str, np.ndarray]:
    """Train the one-hidden-layer tanh network by batch gradient descent.

    Seeds NumPy's global generator with 3, then draws ``W = 0.01 * randn`` from it.
    The lesson's first edition differs: its ``initialize_parameters`` seeded 2 itself,
    overriding that 3, so its published costs ("Cost after iteration 0: 0.693048" on
    the flower data) start from the seed-2 draw; ``init_seed=2`` reproduces it.

    Parameters
    ----------
    X : ndarray of shape (n_x, m)
    Y : ndarray of shape (n_y, m)
    n_h : int
        Hidden units.
    num_iterations : int, default 10000
    print_cost : bool
        Print the cost every 1000 iterations.
    learning_rate : float, default 1.2 (keyword only)
    init_seed : int or None, default None (keyword only)
        Passed to :func:`initialize_parameters` as its ``seed``: None draws after
        nn_model's seed 3 (the current lesson), 2 as the first edition.

    Returns
    -------
    dict with W1, b1, W2, b2
    """
    n_h = deep.check_size(n_h, "n_h")
    num_iterations = deep.check_size(num_iterations, "num_iterations")
    deep.check_learning_rate(learning_rate)
    X = deep.as_columns(X, "X")
    n_x, _, n_y = layer_sizes(X, Y)
    deep.check_examples(X, Y)
    np.random.seed(3)  # noqa: NPY002 - mirrors the lesson (module docstring)
    parameters = initialize_parameters(n_x, n_h, n_y, seed=init_seed)
    for i in range(num_iterations):
        A2, cache = forward_propagation(X, parameters)
        cost = compute_cost(A2, Y)
        grads = backward_propagation(parameters, cache, X, Y)
        parameters = update_parameters(parameters, grads, learning_rate)
        if print_cost and i % 1000 == 0:
            print(f"Cost after iteration {i}: {cost:f}")
    return parameters


def predict(parameters: Mapping[str, np.ndarray], X: Any) -> np.ndarray:
    """Boolean predictions ``A2 > 0.5`` of shape (n_y, m) for ``X`` of shape (n_x, m)."""
    A2, _ = forward_propagation(X, parameters)
    return A2 > 0.5
