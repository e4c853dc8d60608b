"""The L-layer network, step by step, in the reference material's own names (systems 1 and 2).

What it is for: running the material's "build a deep network step by step" and
"deep network application" code unchanged, with the material's numbers, on top of
lucidnet's engine.  Every activation and derivative is the engine's
(:mod:`lucidnet.activations`, :mod:`lucidnet.initializers`); this module keeps the
material's function signatures, dictionaries and caches.  Three kinds of expression are
the material's own instead of the engine's, because only the material's own arithmetic
gives its digits: the cost and ``dAL`` (the engine keeps probabilities inside
``[sqrt(tiny), 1 - eps/2]`` and takes ``log1p(-A)``, safer but rounded differently, and the
material's tests pass an ``AL`` outside (0, 1)), and the linear steps ``W A + b``,
``dZ A_prev^T``, ``sum(dZ)`` and ``W^T dZ``.  The engine computes those on rows
(:func:`lucidnet.layers.linear_forward`: ``A^T W^T + b``), the same sums, but BLAS adds
a product's terms in an order that depends on the operands' layout, and NumPy's ``sum``
along rows differs from a sum down columns in the last bit; over a few hundred steps of
training such bits reach the printed costs.  Written as the material writes them, a
training run prints the material's numbers digit for digit.  It is not a training
library: use :class:`lucidnet.Network` for real work.

Layout.  The material's columns: data ``X`` of shape ``(n_x, m)`` (one example per
column), labels ``Y`` of shape ``(1, m)``, weights ``W[l]`` of shape ``(n[l], n[l-1])``
and biases ``b[l]`` of shape ``(n[l], 1)``.  The engine's activations work entry by
entry (softmax: per example), so this module hands them transposed *views* (``Z.T``)
and transposes the results back; nothing is copied on the way in.

Names, mapped to the material's notation::

    parameters["W" + str(l)], ["b" + str(l)]   W^[l], b^[l]
    linear_forward(A, W, b)                   Z^[l] = W^[l] A^[l-1] + b^[l]
    linear_activation_forward(..., "relu")    A^[l] = g^[l](Z^[l])
    compute_cost(AL, Y)                       J = -(1/m) sum(Y log AL + (1-Y) log(1-AL))
    L_model_backward: dAL                     dA^[L] = -(Y/AL - (1-Y)/(1-AL))
    linear_backward(dZ, cache)                dW^[l] = (1/m) dZ^[l] A^[l-1]T,
                                              db^[l] = (1/m) sum_i dZ^[l],  dA^[l-1] = W^[l]T dZ^[l]
    update_parameters                         W^[l] := W^[l] - alpha dW^[l]

Randomness.  The material seeds NumPy's *global* generator inside its functions
(``np.random.seed``) and draws with ``np.random.randn``; its published "expected
output" numbers depend on that.  This module mirrors it on purpose -- the one
place in lucidnet that touches global random state -- by passing the global
``np.random`` module to the engine's initializers (``np.random.standard_normal(shape)``
is the same stream as ``np.random.randn(*shape)``).  The keyword-only ``seed=``
(``None``: do not reseed) and ``initializer=`` arguments change that.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

import numpy as np

from .. import activations, initializers, losses

__all__ = [
    "LinearCache",
    "ActivationCache",
    "sigmoid",
    "relu",
    "sigmoid_backward",
    "relu_backward",
    "initialize_parameters",
    "initialize_parameters_deep",
    "linear_forward",
    "linear_activation_forward",
    "L_model_forward",
    "compute_cost",
    "linear_backward",
    "linear_activation_backward",
    "L_model_backward",
    "update_parameters",
    "two_layer_model",
    "L_layer_model",
    "predict",
]

_SIGMOID = activations.get("sigmoid")
_RELU = activations.get("relu")


class _SummedBinaryCrossEntropy(losses.BinaryCrossEntropy):
    """Binary cross-entropy *summed* over examples: its fused delta is the material's
    ``dZ = A - Y``.

    The material's per-example derivatives carry no ``1/m``; it enters only in
    :func:`linear_backward`.  Summing (scale 1) gives exactly that ``dZ`` from the
    engine's formula (used by the shallow and logistic modules).
    """

    sums = True


_PER_EXAMPLE_BCE = _SummedBinaryCrossEntropy()


class LinearCache(NamedTuple):
    """``(A_prev, W, b)``: what :func:`linear_backward` needs; unpacks like the material's tuple."""

    A_prev: np.ndarray
    W: np.ndarray
    b: np.ndarray


class ActivationCache(NamedTuple):
    """``(linear_cache, Z)``: the material's ``(linear_cache, activation_cache)``."""

    linear_cache: LinearCache
    Z: np.ndarray


# ------------------------------------------------------------------ checks
def as_columns(value: Any, name: str, *, rows: int | None = None) -> np.ndarray:
    """``value`` as a float 2-D array (columns are examples), or a ValueError naming ``name``."""
    try:
        array = np.asarray(value)
    except (TypeError, ValueError) as exc:  # ragged nested lists
        raise TypeError(
            f"{name} must be an array of real numbers; got {type(value).__name__}"
        ) from exc
    if array.dtype.kind not in "biuf":
        raise TypeError(f"{name} must hold real numbers; got an array of dtype {array.dtype}")
    if array.ndim != 2:
        raise ValueError(
            f"{name} must be a 2-D array with one example per column; got shape {array.shape}"
        )
    if rows is not None and array.shape[0] != rows:
        raise ValueError(f"{name} must have {rows} rows; got shape {array.shape}")
    return array if array.dtype.kind == "f" else array.astype(np.float64)


def check_inputs(X: Any, W1: Any) -> np.ndarray:
    """``X`` as a 2-D float array of one example per column, with one row per input of
    ``W1`` (a ValueError naming X, not the first layer's A, otherwise)."""
    n_x = np.shape(W1)[1] if np.ndim(W1) == 2 else None
    X = as_columns(X, "X")
    if n_x is not None and X.shape[0] != n_x:
        transposed = " (transposed? examples are columns)" if X.shape[1] == n_x else ""
        raise ValueError(f"X must have {n_x} rows, one per input of W1; got shape "
                         f"{X.shape}{transposed}")
    return X


def check_same_shape(A: np.ndarray, Y: Any, a_name: str, y_name: str) -> np.ndarray:
    """``Y`` as a float array of ``A``'s shape (a ``(m,)`` vector is read as ``(1, m)``)."""
    Y = np.asarray(Y)
    if Y.ndim == 1 and A.shape[0] == 1:
        Y = Y.reshape(1, -1)
    if Y.shape != A.shape:
        raise ValueError(
            f"{y_name} must have the shape of {a_name}, {A.shape}; got shape {Y.shape}"
        )
    return as_columns(Y, y_name)


def _resolve_activation(activation: Any) -> activations.Activation:
    """The engine's activation for ``activation`` ("relu", "sigmoid", "tanh", ...)."""
    try:
        return activations.get(activation)
    except (TypeError, ValueError):
        raise ValueError(
            f"activation must be one of {', '.join(sorted(activations.names()))}; "
            f"got {activation!r}"
        ) from None


def check_parameter_dict(parameters: Any) -> None:
    """TypeError unless ``parameters`` is a dict (a mapping) of arrays: a list of
    arrays, or X passed in its place, would fail deep inside NumPy."""
    if not isinstance(parameters, Mapping):
        raise TypeError(f"parameters must be a dict of arrays such as "
                        f"{{'W1': ..., 'b1': ...}}; got {type(parameters).__name__} (the "
                        "arguments in another order?)")


def _n_layers(parameters: Mapping[str, np.ndarray]) -> int:
    """``L`` from a dict holding W1, b1, ..., WL, bL (and nothing else), or a ValueError."""
    check_parameter_dict(parameters)
    L = len(parameters) // 2
    expected = {f"{p}{l}" for l in range(1, L + 1) for p in ("W", "b")}
    if L < 1 or set(parameters) != expected:
        raise ValueError(
            "parameters must hold W1, b1, ..., WL, bL; "
            f"got keys {sorted(parameters)}"
        )
    return L


# -------------------------------------------------------------- activations
def sigmoid(Z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``A = 1 / (1 + exp(-Z))``; returns ``(A, cache)`` with ``cache = Z``, as the material.

    Parameters
    ----------
    Z : ndarray of any shape
    """
    Z = np.asarray(Z, dtype=np.float64)
    return _SIGMOID.forward(Z), Z


def relu(Z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``A = max(0, Z)``; returns ``(A, cache)`` with ``cache = Z``."""
    Z = np.asarray(Z, dtype=np.float64)
    return _RELU.forward(Z), Z


def sigmoid_backward(dA: np.ndarray, cache: np.ndarray) -> np.ndarray:
    """``dZ = dA * s (1 - s)`` with ``s = sigmoid(Z)``, ``Z = cache``; same shape as ``dA``."""
    Z = np.asarray(cache, dtype=np.float64)
    dA = check_same_shape(Z, dA, "cache (Z)", "dA")
    return _SIGMOID.backward(dA, Z, _SIGMOID.forward(Z))


def relu_backward(dA: np.ndarray, cache: np.ndarray) -> np.ndarray:
    """``dZ = dA`` where ``Z > 0``, else 0; ``Z = cache``."""
    Z = np.asarray(cache, dtype=np.float64)
    dA = check_same_shape(Z, dA, "cache (Z)", "dA")
    # The material zeroes entries (dZ[Z <= 0] = 0, so a NaN in Z keeps its dA); the
    # engine's dA * (Z > 0) would print a negative dA there as -0.
    return np.where(Z <= 0, 0.0, dA)


# ------------------------------------------------------------ initialization
def check_size(value: Any, name: str) -> int:
    """``value`` as a positive int, or a ValueError naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be a positive int; got {value!r}")
    return int(value)


def _draw_layer(n_out: int, n_in: int, init: Any) -> tuple[np.ndarray, np.ndarray]:
    """``W`` of shape (n_out, n_in) from ``init`` on the global stream, and ``b = 0`` (n_out, 1)."""
    # The global np.random module, on purpose: see the module docstring.
    return init((n_out, n_in), np.random, np.float64), np.zeros((n_out, 1))


def _seed(seed: int | None) -> None:
    if seed is not None:
        np.random.seed(seed)  # noqa: NPY002 - mirrors the material (module docstring)


def initialize_parameters(
    n_x: int, n_h: int, n_y: int, *, seed: int | None = 1, initializer: str = "small"
) -> dict[str, np.ndarray]:
    """Two-layer parameters: ``W1 (n_h, n_x)``, ``b1 (n_h, 1)``, ``W2 (n_y, n_h)``, ``b2 (n_y, 1)``.

    As the material: ``np.random.seed(1)``, then ``W = 0.01 * randn`` layer by layer,
    biases zero.

    Parameters
    ----------
    n_x, n_h, n_y : int
        Sizes of the input, hidden and output layers.
    seed : int or None, default 1
        Seeds NumPy's global generator first; None continues its current stream.
    initializer : str, default "small"
        Any name of :mod:`lucidnet.initializers` ("small" is ``0.01 * randn``).
    """
    n_x, n_h, n_y = (check_size(n, name) for n, name in ((n_x, "n_x"), (n_h, "n_h"), (n_y, "n_y")))
    init = initializers.get(initializer)
    _seed(seed)
    W1, b1 = _draw_layer(n_h, n_x, init)
    W2, b2 = _draw_layer(n_y, n_h, init)
    return {"W1": W1, "b1": b1, "W2": W2, "b2": b2}


def initialize_parameters_deep(
    layer_dims: Sequence[int], *, seed: int | None = 3, initializer: str = "small"
) -> dict[str, np.ndarray]:
    """Parameters ``W1, b1, ..., WL, bL`` for ``layer_dims = [n[0], n[1], ..., n[L]]``.

    Defaults reproduce the step-by-step lesson (``np.random.seed(3)``, ``0.01 * randn``);
    the application models use ``seed=1, initializer="lecun_normal"``
    (``randn / sqrt(n[l-1])``).

    Returns
    -------
    dict
        ``"W" + str(l)`` of shape ``(n[l], n[l-1])`` and ``"b" + str(l)`` of shape ``(n[l], 1)``.
    """
    iterable = not isinstance(layer_dims, (str, bytes)) and np.ndim(layer_dims) == 1
    dims = list(layer_dims) if iterable else []
    if len(dims) < 2:
        raise ValueError(
            "layer_dims must list at least two layer sizes [n_x, ..., n_y]; "
            f"got {layer_dims!r}"
        )
    dims = [check_size(n, f"layer_dims[{i}]") for i, n in enumerate(dims)]
    init = initializers.get(initializer)
    _seed(seed)
    parameters: dict[str, np.ndarray] = {}
    for l in range(1, len(dims)):
        parameters[f"W{l}"], parameters[f"b{l}"] = _draw_layer(dims[l], dims[l - 1], init)
    return parameters


# ------------------------------------------------------------ forward pass
def linear_forward(A: np.ndarray, W: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, LinearCache]:
    """``Z = W A + b``.

    Parameters
    ----------
    A : ndarray of shape (n[l-1], m)
    W : ndarray of shape (n[l], n[l-1])
    b : ndarray of shape (n[l], 1)

    Returns
    -------
    Z : ndarray of shape (n[l], m)
    cache : LinearCache
        ``(A, W, b)``.
    """
    W = as_columns(W, "W")
    A = as_columns(A, "A", rows=W.shape[1])
    if np.shape(b) != (W.shape[0], 1):  # a column, not "one example per column"
        raise ValueError(f"b must have shape ({W.shape[0]}, 1) to match W; got shape "
                         f"{np.shape(b)}")
    b = as_columns(b, "b")
    # The material's own product (see the module text): the same digits as its code.
    Z = W.dot(A) + b
    return Z, LinearCache(A, W, b)


def linear_activation_forward(
    A_prev: np.ndarray, W: np.ndarray, b: np.ndarray, activation: str
) -> tuple[np.ndarray, ActivationCache]:
    """``A = g(W A_prev + b)``, ``g`` one of the engine's activations ("relu", "sigmoid", ...).

    Parameters
    ----------
    A_prev : ndarray of shape (n[l-1], m)
    W : ndarray of shape (n[l], n[l-1])
    b : ndarray of shape (n[l], 1)
    activation : str

    Returns
    -------
    A : ndarray of shape (n[l], m)
    cache : ActivationCache
        ``((A_prev, W, b), Z)``.
    """
    g = _resolve_activation(activation)
    Z, linear_cache = linear_forward(A_prev, W, b)
    A = g.forward(Z.T).T  # rows for the engine (softmax normalizes each example)
    return A, ActivationCache(linear_cache, Z)


def L_model_forward(
    X: np.ndarray, parameters: Mapping[str, np.ndarray]
) -> tuple[np.ndarray, list[ActivationCache]]:
    """``[LINEAR -> RELU] * (L-1) -> LINEAR -> SIGMOID``.

    Parameters
    ----------
    X : ndarray of shape (n_x, m)
    parameters : dict with W1, b1, ..., WL, bL

    Returns
    -------
    AL : ndarray of shape (n[L], m)
    caches : list of L ActivationCache
    """
    L = _n_layers(parameters)
    A = check_inputs(X, parameters["W1"])
    caches = []
    for l in range(1, L + 1):
        A, cache = linear_activation_forward(
            A, parameters[f"W{l}"], parameters[f"b{l}"], "relu" if l < L else "sigmoid"
        )
        caches.append(cache)
    return A, caches


def compute_cost(AL: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """Cross-entropy ``J = -(1/m) sum(Y log AL + (1-Y) log(1-AL))`` as a 0-d ndarray.

    Parameters
    ----------
    AL : ndarray of shape (1, m)
        Probabilities.
    Y : ndarray of shape (1, m)
        Labels; any real values are accepted (the formula does not need 0/1).
    """
    AL = as_columns(AL, "AL")
    Y = check_same_shape(AL, Y, "AL", "Y")
    return material_cross_entropy(AL, Y)


def material_cross_entropy(A: np.ndarray, Y: np.ndarray, *, entrywise: bool = False
                           ) -> np.ndarray:
    """The material's own expression of the mean cross-entropy, as a 0-d ndarray.

    ``(1/m) (-Y . log(A)^T - (1 - Y) . log(1 - A)^T)`` (the deep lesson's) for ``A``,
    ``Y`` of shape (1, m); with ``entrywise``, or for several rows (n, m), the shallow
    lesson's ``-sum(Y * log(A) + (1 - Y) * log(1 - A)) / m`` over every entry.  The two
    round differently (they differ in the last bit for about 40% of inputs), so each
    lesson gets its own.

    See the module text for why not the engine's loss, and :func:`_unsaturated` for
    the one change to ``A``.
    """
    m = Y.shape[1]
    A = _unsaturated(A)
    if entrywise or Y.shape[0] != 1:
        logprobs = np.multiply(np.log(A), Y) + np.multiply(np.log(1 - A), 1 - Y)
        return np.squeeze(np.asarray(-np.sum(logprobs) / m))
    return np.squeeze((1.0 / m) * (-np.dot(Y, np.log(A).T) - np.dot(1 - Y, np.log(1 - A).T)))


def _unsaturated(A: np.ndarray) -> np.ndarray:
    """``A`` with entries of exactly 0 or 1 moved to ``eps`` and ``1 - eps``.

    A sigmoid output rounds to exactly 1 once ``Z`` passes about 37 (and to exactly 0
    only below about -745), and the material's ``log(1 - A)`` and ``(1 - Y)/(1 - A)``
    (or ``log(A)``) are then infinite or NaN, which
    would stop training on data that separates well.  Every other value is left as it
    is, one outside [0, 1] too (the material's tests pass such values), so the
    material's numbers are unchanged wherever they are finite.
    """
    saturated = (A == 0.0) | (A == 1.0)
    if not saturated.any():
        return A
    eps = np.finfo(np.float64).eps
    return np.where(saturated, np.where(A == 0.0, eps, 1.0 - eps), A)


# ----------------------------------------------------------- backward pass
def linear_backward(
    dZ: np.ndarray, cache: tuple[np.ndarray, np.ndarray, np.ndarray]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Backward step of ``Z = W A_prev + b`` for the material's *unscaled* ``dZ``.

    The material's ``dZ`` is the derivative of each example's own loss (no ``1/m``);
    the ``1/m`` of the mean cost enters only here, in ``dW`` and ``db``, while
    ``dA_prev = W^T dZ`` passes to the layer below unscaled.  (The engine's
    :func:`~lucidnet.layers.linear_backward` takes a ``dZ`` that already carries the
    ``1/m``: the same values, rounded once less.)

    Parameters
    ----------
    dZ : ndarray of shape (n[l], m)
    cache : (A_prev, W, b) from :func:`linear_forward`

    Returns
    -------
    dA_prev : ndarray of shape (n[l-1], m)
    dW : ndarray of shape (n[l], n[l-1])
    db : ndarray of shape (n[l], 1)
    """
    A_prev, W, b = cache
    dZ = as_columns(dZ, "dZ", rows=W.shape[0])
    if dZ.shape[1] != A_prev.shape[1]:
        raise ValueError(
            f"dZ must have one column per example of the cached A_prev ({A_prev.shape[1]}); "
            f"got shape {dZ.shape}"
        )
    m = A_prev.shape[1]
    # The material's own expressions, in its order (see the module text).
    dW = 1.0 / m * np.dot(dZ, A_prev.T)
    db = 1.0 / m * np.sum(dZ, axis=1, keepdims=True)
    dA_prev = np.dot(W.T, dZ)
    return dA_prev, dW, db


def linear_activation_backward(
    dA: np.ndarray, cache: tuple[Any, np.ndarray], activation: str
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``dZ = dA * g'(Z)`` (the engine's ``backward``), then :func:`linear_backward`.

    Parameters
    ----------
    dA : ndarray of shape (n[l], m)
    cache : ((A_prev, W, b), Z) from :func:`linear_activation_forward`
    activation : str

    Returns
    -------
    dA_prev, dW, db
        As :func:`linear_backward`.
    """
    g = _resolve_activation(activation)
    linear_cache, Z = cache
    dA = check_same_shape(Z, dA, "cache's Z", "dA")
    if type(g) is activations.ReLU:
        dZ = relu_backward(dA, Z)  # the material's zeros (see relu_backward)
    else:
        Zr = Z.T  # rows for the engine
        dZ = g.backward(dA.T, Zr, g.forward(Zr)).T
    return linear_backward(dZ, linear_cache)


def L_model_backward(
    AL: np.ndarray, Y: np.ndarray, caches: Sequence[ActivationCache]
) -> dict[str, np.ndarray]:
    """Gradients of ``[LINEAR -> RELU] * (L-1) -> LINEAR -> SIGMOID``.

    Starts from the material's ``dAL = -(Y/AL - (1-Y)/(1-AL))``, computed as the
    material writes it, for any ``AL`` (its tests pass one outside (0, 1)); only an
    ``AL`` of exactly 0 or 1 is moved off the bound first (:func:`_unsaturated`).

    Parameters
    ----------
    AL : ndarray of shape (1, m)
    Y : ndarray of shape (1, m)
    caches : list of L ActivationCache from :func:`L_model_forward`

    Returns
    -------
    dict
        ``dW1..dWL`` and ``db1..dbL`` (gradients of the mean cost ``J``) and
        ``dA0..dA{L-1}``: ``dA{l}`` is the derivative of each example's own loss with
        respect to ``A[l]`` (so ``dA0 / m`` is ``dJ/dX``).
    """
    AL = as_columns(AL, "AL")
    Y = check_same_shape(AL, Y, "AL", "Y")
    if not isinstance(caches, (list, tuple)) or not all(
            isinstance(cache, (list, tuple)) and len(cache) == 2 for cache in caches):
        # (AL, caches) itself, as L_model_forward returns them, is the usual slip.
        got = ("the pair (AL, caches) that L_model_forward returns; pass its second item"
               if isinstance(caches, tuple) and len(caches) == 2
               and isinstance(caches[0], np.ndarray) else type(caches).__name__)
        raise TypeError(f"caches must be the list of (linear_cache, activation_cache) that "
                        f"L_model_forward returned; got {got}")
    L = len(caches)
    if L < 1:
        raise ValueError("caches must hold one cache per layer; got an empty sequence")
    grads: dict[str, np.ndarray] = {}
    unsaturated = _unsaturated(AL)
    dA = -(np.divide(Y, unsaturated) - np.divide(1 - Y, 1 - unsaturated))
    for l in range(L, 0, -1):
        dA, grads[f"dW{l}"], grads[f"db{l}"] = linear_activation_backward(
            dA, caches[l - 1], "sigmoid" if l == L else "relu"
        )
        grads[f"dA{l - 1}"] = dA
    return grads


def update_parameters(
    parameters: Mapping[str, np.ndarray], grads: Mapping[str, np.ndarray], learning_rate: float
) -> dict[str, np.ndarray]:
    """``W[l] := W[l] - alpha dW[l]``, ``b[l] := b[l] - alpha db[l]``, into new arrays.

    The input dictionary and its arrays are left unchanged.
    """
    check_learning_rate(learning_rate)
    L = _n_layers(parameters)
    updated = {}
    for l in range(1, L + 1):
        for p in ("W", "b"):
            key = f"{p}{l}"
            if f"d{key}" not in grads:
                raise ValueError(f"grads must hold d{key}; got keys {sorted(grads)}")
            if np.shape(grads[f"d{key}"]) != np.shape(parameters[key]):
                raise ValueError(
                    f"grads['d{key}'] must have the shape of parameters['{key}'], "
                    f"{np.shape(parameters[key])}; got {np.shape(grads[f'd{key}'])}"
                )
            updated[key] = parameters[key] - learning_rate * grads[f"d{key}"]
    return updated


# ------------------------------------------------------------------ models
def _train(
    X: np.ndarray,
    Y: np.ndarray,
    parameters: dict[str, np.ndarray],
    learning_rate: float,
    num_iterations: int,
    print_cost: bool,
) -> tuple[dict[str, np.ndarray], list[np.ndarray]]:
    """The material's loop: forward, cost, backward, update; the cost (a 0-d ndarray,
    as the material's tests expect) is recorded when ``i % 100 == 0``."""
    costs = []
    for i in range(num_iterations):
        AL, caches = L_model_forward(X, parameters)
        cost = compute_cost(AL, Y)
        grads = L_model_backward(AL, Y, caches)
        parameters = update_parameters(parameters, grads, learning_rate)
        # The material's condition, precedence included:
        # ``print_cost and i % 100 == 0 or i == num_iterations - 1`` prints the last
        # iteration even when print_cost is False, and its notebooks show that line.
        if (print_cost and i % 100 == 0) or i == num_iterations - 1:
            print(f"Cost after iteration {i}: {float(cost)}")
        if i % 100 == 0:
            costs.append(cost)
    return parameters, costs


def check_examples(X: np.ndarray, Y: Any, x_name: str = "X", y_name: str = "Y") -> None:
    """ValueError, naming both, unless ``Y`` has one column (or, 1-D, one entry) per
    example of ``X`` (n_x, m); it says when ``X`` looks transposed."""
    shape = np.shape(Y)
    count = shape[-1] if shape else 1
    if count != X.shape[1]:
        hint = (f"; is {x_name} transposed? its rows are {X.shape[0]}, and examples are "
                "columns here" if X.shape[0] == count else "")
        raise ValueError(f"{y_name} must have one column per example of {x_name} "
                         f"({X.shape[1]}); got shape {shape}{hint}")


def check_learning_rate(learning_rate: Any) -> None:
    """ValueError unless ``learning_rate`` is a finite number > 0 (a string, 0 or a
    negative rate would fail deep inside NumPy, or train nothing, or climb).  The value
    is left as it is: the material's numbers depend on its exact type."""
    from ..optimizers import _check_rate

    _check_rate(learning_rate, "learning_rate", low=0.0, above=True)


def _check_model_args(X: Any, Y: Any, learning_rate: Any, num_iterations: Any) -> tuple:
    X = as_columns(X, "X")
    Y = as_columns(Y, "Y", rows=1)
    check_examples(X, Y)
    check_learning_rate(learning_rate)
    if isinstance(num_iterations, bool) or not isinstance(num_iterations, (int, np.integer)) or (
        num_iterations < 1
    ):
        raise ValueError(f"num_iterations must be a positive int; got {num_iterations!r}")
    return X, Y


def two_layer_model(
    X: np.ndarray,
    Y: np.ndarray,
    layers_dims: Sequence[int],
    learning_rate: float = 0.0075,
    num_iterations: int = 3000,
    print_cost: bool = False,
) -> tuple[dict[str, np.ndarray], list[np.ndarray]]:
    """``LINEAR -> RELU -> LINEAR -> SIGMOID`` trained by batch gradient descent.

    Initialized as the material: ``initialize_parameters(n_x, n_h, n_y)`` (seed 1,
    ``0.01 * randn``).

    Parameters
    ----------
    X : ndarray of shape (n_x, m)
    Y : ndarray of shape (1, m)
    layers_dims : (n_x, n_h, n_y)

    Returns
    -------
    parameters : dict with W1, b1, W2, b2
    costs : list of 0-d ndarray
        The cost at iterations 0, 100, 200, ... (before each update).  The cost of
        the last iteration is printed even with ``print_cost=False``, as the
        material's condition does.
    """
    X, Y = _check_model_args(X, Y, learning_rate, num_iterations)
    if len(layers_dims) != 3 or layers_dims[0] != X.shape[0]:
        raise ValueError(
            f"layers_dims must be (n_x, n_h, n_y) with n_x = {X.shape[0]} rows of X; "
            f"got {tuple(layers_dims)}"
        )
    n_x, n_h, n_y = layers_dims
    parameters = initialize_parameters(n_x, n_h, n_y)
    return _train(X, Y, parameters, learning_rate, num_iterations, print_cost)


def L_layer_model(
    X: np.ndarray,
    Y: np.ndarray,
    layers_dims: Sequence[int],
    learning_rate: float = 0.0075,
    num_iterations: int = 3000,
    print_cost: bool = False,
) -> tuple[dict[str, np.ndarray], list[np.ndarray]]:
    """``[LINEAR -> RELU] * (L-1) -> LINEAR -> SIGMOID`` trained by batch gradient descent.

    Initialized as the material's application: seed 1, ``W[l] = randn / sqrt(n[l-1])``.

    Parameters
    ----------
    X : ndarray of shape (n_x, m)
    Y : ndarray of shape (1, m)
    layers_dims : list of int
        ``[n_x, n[1], ..., n[L]]``.

    Returns
    -------
    parameters, costs
        As :func:`two_layer_model`.
    """
    X, Y = _check_model_args(X, Y, learning_rate, num_iterations)
    dims = list(layers_dims)
    if len(dims) < 2 or dims[0] != X.shape[0]:
        raise ValueError(
            f"layers_dims must start with n_x = {X.shape[0]} rows of X; got {dims}"
        )
    parameters = initialize_parameters_deep(dims, seed=1, initializer="lecun_normal")
    return _train(X, Y, parameters, learning_rate, num_iterations, print_cost)


def predict(X: np.ndarray, y: np.ndarray, parameters: Mapping[str, np.ndarray]) -> np.ndarray:
    """0/1 predictions ``AL > 0.5``, shape (1, m); prints the accuracy against ``y``.

    Parameters
    ----------
    X : ndarray of shape (n_x, m)
    y : ndarray of shape (1, m)
    parameters : dict with W1, b1, ..., WL, bL
    """
    probas, _ = L_model_forward(X, parameters)
    y = check_same_shape(probas, y, "the predictions (1, m)", "y")
    p = (probas > 0.5).astype(np.float64)
    print("Accuracy: " + str(np.sum((p == y) / p.shape[1])))
    return p
