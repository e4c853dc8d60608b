"""Training loops over :meth:`Network.loss_and_gradient`.

:func:`gradient_descent` is the reference material's batch gradient descent: one
forward and backward pass over all examples, then ``params -= alpha * grads``, with
the cost recorded every N iterations.
"""

from __future__ import annotations

import numpy as np

from .errors import DivergenceError
from .network import Network

__all__ = ["gradient_descent"]


def gradient_descent(
    network: Network,
    X: np.ndarray,
    Y: np.ndarray,
    *,
    learning_rate: float = 0.0075,
    num_iterations: int = 3000,
    print_cost: bool = False,
    cost_every: int = 100,
    sample_weight: np.ndarray | None = None,
) -> list[float]:
    """Batch gradient descent: ``W := W - alpha dW`` on all of ``X`` each iteration.

    Parameters
    ----------
    network : Network
    X : ndarray of shape (m, n[0])
    Y : ndarray of shape (m, n[L]), or (m,) for one output
    learning_rate : float
        ``alpha``.
    num_iterations : int
    print_cost : bool
        Print ``Cost after iteration i: J`` whenever a cost is recorded.
    cost_every : int
        Record the cost at iterations 0, N, 2N, ... and at the last one.
    sample_weight : ndarray of shape (m,), optional

    Returns
    -------
    list of float
        The recorded costs (each computed before that iteration's update).

    Raises
    ------
    DivergenceError
        When the cost stops being finite; the network keeps its last finite parameters.
    """
    _check_positive(learning_rate, "learning_rate", float)
    _check_positive(num_iterations, "num_iterations", int)
    _check_positive(cost_every, "cost_every", int)
    X, Y, sample_weight = network.check_data(X, Y, sample_weight)
    workspace = network.workspace(len(X))
    step = network.dtype.type(learning_rate)
    costs: list[float] = []
    for i in range(num_iterations):
        cost = network.loss_and_gradient(X, Y, sample_weight, workspace=workspace)
        if not np.isfinite(cost):
            # The parameters that produced this cost are still the last finite ones.
            raise DivergenceError(
                f"the cost became {cost} at iteration {i} (learning_rate={learning_rate}); "
                "try a smaller learning rate"
            )
        if i % cost_every == 0 or i == num_iterations - 1:
            costs.append(cost)
            if print_cost:
                print(f"Cost after iteration {i}: {cost:.6f}")
        network.params -= step * network.grads
    return costs


def _check_positive(value, name: str, kind: type) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.number)) or not value > 0:
        raise ValueError(f"{name} must be a positive {kind.__name__}; got {value!r}")
    if kind is int and int(value) != value:
        raise ValueError(f"{name} must be a positive int; got {value!r}")
