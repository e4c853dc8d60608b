"""Activation functions g(z), each with its derivative written right beside it.

Every activation is one object that knows

* ``forward(Z)``: ``A = g(Z)``;
* ``derivative(Z, A)``: the elementwise ``g'(Z)``, written in terms of the forward
  output ``A`` wherever that is cheaper (``sigmoid' = A (1 - A)``, ``tanh' = 1 - A^2``);
* ``backward(dA, Z, A)``: ``dZ = dA * g'(Z)`` -- the step of backpropagation through
  the activation.  Softmax is not elementwise, so it overrides ``backward`` with the
  Jacobian-vector product ``dZ = A * (dA - sum(dA * A))`` instead.

All of them but ``exp`` (the Poisson output) are numerically stable for ``|z|`` up to
1e4 in float32 and float64 (no overflow warnings); all keep the dtype of their input
and accept ``out=`` so the training loop can reuse buffers.  Arrays have examples as
rows: ``Z`` and ``A`` are ``ndarray of shape (m, n)``.

Activations are resolved by name through one registry (:func:`get`); the estimator's
allowed values, the command line's choices and the model file's names all come from
it.  Register your own with :func:`register`.

This module is pure functions of arrays: no layers, no parameters, no state.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ._kernels import row_max, row_sum, zeros_row
from ._registry import Registry

__all__ = [
    "Activation",
    "Sigmoid",
    "ReLU",
    "LeakyReLU",
    "Tanh",
    "Softmax",
    "Identity",
    "get",
    "register",
    "names",
    "sigmoid",
    "relu",
    "tanh",
    "softmax",
]


class Activation:
    """Base class: an activation ``A = g(Z)`` and its derivative.

    Subclasses set ``name`` and write ``forward`` and ``derivative``; elementwise
    activations inherit ``backward``.
    """

    name: str = ""
    #: True when ``g`` acts on each entry alone, so ``g'(Z)`` is a matrix of the
    #: same shape as ``Z`` (softmax is the exception).
    elementwise: bool = True

    def forward(self, Z: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
        """``A = g(Z)``.  ``Z``: ndarray of shape (m, n); returns the same shape."""
        raise NotImplementedError

    def derivative(self, Z: np.ndarray, A: np.ndarray) -> np.ndarray:
        """Elementwise ``g'(Z)``, given ``Z`` and ``A = g(Z)``, both of shape (m, n)."""
        raise NotImplementedError

    def backward(
        self, dA: np.ndarray, Z: np.ndarray, A: np.ndarray, out: np.ndarray | None = None
    ) -> np.ndarray:
        """``dZ = dA * g'(Z)`` (Hadamard product); all arrays of shape (m, n).

        ``out`` may be ``dA`` itself (the network updates the delta in place), so an
        override must read all of ``dA`` it needs before writing to ``out``.
        """
        return np.multiply(dA, self.derivative(Z, A), out=out)

    def get_config(self) -> dict[str, Any]:
        """JSON-ready description; ``get(activation.get_config())`` rebuilds it."""
        return {"name": self.name}

    def __call__(self, Z: np.ndarray) -> np.ndarray:
        return self.forward(np.asarray(Z))

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items() if k != "name")
        return f"{type(self).__name__}({args})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Activation) and self.get_config() == other.get_config()

    def __hash__(self) -> int:
        return hash(tuple(sorted(self.get_config().items())))


class Sigmoid(Activation):
    """``g(z) = 1 / (1 + exp(-z))``, ``g'(z) = g(z) (1 - g(z))``.

    Computed as written, operation for operation, so that it gives the reference
    material's own digits.  For large negative ``z`` (below about -709.8 in float64,
    -88.7 in float32) ``exp(-z)`` overflows to infinity and ``1 / inf`` is 0, the
    right limit; that overflow is expected, so it raises no warning.  (``0.5 + 0.5
    tanh(z / 2)`` avoids the overflow but loses every digit of small values: it is
    exactly 0 from ``z = -38`` on, where this is still 3e-17.)
    """

    name = "sigmoid"

    def forward(self, Z, out=None):
        if out is None and Z.dtype.kind != "f":
            Z = Z.astype(np.float64)  # integer input: NumPy's true division gives float64
        out = np.negative(Z, out=out)
        with np.errstate(over="ignore"):
            np.exp(out, out=out)
        out += 1.0
        return np.reciprocal(out, out=out)

    def derivative(self, Z, A):
        return A * (1.0 - A)

    def backward(self, dA, Z, A, out=None):
        # dZ = (dA * A) * (1 - A), in the reference material's order (the same digits);
        # `out` may be dA itself: each entry of dA is read before it is written.
        slope = np.subtract(1.0, A)
        out = np.multiply(dA, A, out=out)
        out *= slope
        return out


class ReLU(Activation):
    """``g(z) = max(z, 0)``; ``g'(z) = 1`` where ``z > 0`` else 0 (0 at z = 0, by convention)."""

    name = "relu"

    def forward(self, Z, out=None):
        # Against a row of zeros rather than the scalar 0: the same values, and NumPy's
        # loop for two arrays is about twice as fast (see lucidnet._kernels).
        zero = zeros_row(Z.shape[-1], Z.dtype) if Z.ndim == 2 else 0
        return np.maximum(Z, zero, out=out)

    def derivative(self, Z, A):
        return (Z > 0).astype(Z.dtype)

    def backward(self, dA, Z, A, out=None):
        # Multiplying by a boolean mask avoids building a float g'(Z).
        return np.multiply(dA, Z > 0, out=out)


class LeakyReLU(Activation):
    """``g(z) = z`` for ``z > 0`` else ``slope * z``; ``g'(z) = 1`` or ``slope``.

    Parameters
    ----------
    slope : float, default 0.01
        The slope for negative inputs; must satisfy ``0 <= slope < 1``.
    """

    name = "leaky_relu"

    def __init__(self, slope: float = 0.01) -> None:
        slope = float(slope)
        if not 0.0 <= slope < 1.0:
            raise ValueError(f"leaky_relu slope must be in [0, 1); got {slope!r}")
        self.slope = slope

    def forward(self, Z, out=None):
        # With 0 <= slope < 1, max(z, slope * z) is z for z > 0 and slope * z otherwise.
        out = np.multiply(Z, self.slope, out=out)
        return np.maximum(out, Z, out=out)

    def derivative(self, Z, A):
        return np.where(Z > 0, Z.dtype.type(1.0), Z.dtype.type(self.slope))

    def get_config(self):
        return {"name": self.name, "slope": self.slope}


class Tanh(Activation):
    """``g(z) = tanh(z)``; ``g'(z) = 1 - g(z)^2``."""

    name = "tanh"

    def forward(self, Z, out=None):
        return np.tanh(Z, out=out)

    def derivative(self, Z, A):
        return 1.0 - A * A

    def backward(self, dA, Z, A, out=None):
        # dZ = dA * (1 - A^2); `out` may be dA itself, so dA is read before it is written.
        slope = np.multiply(A, A)
        np.subtract(1.0, slope, out=slope)
        return np.multiply(dA, slope, out=out)


class Softmax(Activation):
    """``g(z)_k = exp(z_k) / sum_j exp(z_j)`` over each row.

    Shifted by the row maximum first, which leaves the result unchanged and keeps
    ``exp`` from overflowing.  Not elementwise: the backward pass is the
    Jacobian-vector product ``dZ = A * (dA - sum_k(dA_k A_k))`` row by row.
    """

    name = "softmax"
    elementwise = False

    def forward(self, Z, out=None):
        # row_max and row_sum are Z.max(axis=1) and Z.sum(axis=1), faster on rows of
        # a few classes (see lucidnet._kernels).
        out = np.subtract(Z, row_max(Z)[:, None], out=out)
        np.exp(out, out=out)
        out /= row_sum(out)[:, None]
        return out

    def derivative(self, Z, A):
        raise TypeError(
            "softmax has no elementwise derivative (its Jacobian is A_i (delta_ij - A_j)); "
            "use backward(dA, Z, A) instead"
        )

    def backward(self, dA, Z, A, out=None):
        inner = np.einsum("ij,ij->i", dA, A)[:, None]
        out = np.subtract(dA, inner, out=out)
        out *= A
        return out


class Identity(Activation):
    """``g(z) = z``; ``g'(z) = 1``.  The output activation for regression."""

    name = "identity"

    def forward(self, Z, out=None):
        if out is None:
            return Z.copy()
        if out is not Z:
            np.copyto(out, Z)
        return out

    def derivative(self, Z, A):
        return np.ones_like(Z)

    def backward(self, dA, Z, A, out=None):
        if out is None:
            return dA.copy()
        if out is not dA:
            np.copyto(out, dA)
        return out


class Exp(Activation):
    """``g(z) = exp(z)``; ``g'(z) = exp(z) = A``.  The output of Poisson regression
    (a log link: the network's last linear output is the log of the predicted mean).

    Unlike the others, it overflows: ``exp(z)`` is infinite above about 709.8 in
    float64 (88.7 in float32), as the mean it stands for would be.
    """

    name = "exp"

    def forward(self, Z, out=None):
        if out is None and Z.dtype.kind != "f":
            Z = Z.astype(np.float64)
        return np.exp(Z, out=out)

    def derivative(self, Z, A):
        return A.copy()

    def backward(self, dA, Z, A, out=None):
        return np.multiply(dA, A, out=out)


_REGISTRY: Registry[Activation] = Registry("activation", Activation)


def register(name: str, factory: Callable[..., Activation], *, replace: bool = False) -> None:
    """Make ``factory(**params)`` available under ``name`` everywhere names are accepted.

    A name of lucidnet's own is refused unless ``replace``.
    """
    _REGISTRY.register(name, factory, replace=replace)


for _cls in (Sigmoid, ReLU, LeakyReLU, Tanh, Softmax, Identity, Exp):
    register(_cls.name, _cls)
# Common aliases: scikit-learn calls the sigmoid "logistic".
register("logistic", Sigmoid)
register("linear", Identity)
_REGISTRY.seal()


def names() -> tuple[str, ...]:
    """The registered activation names, aliases included."""
    return _REGISTRY.names()


def get(identifier: str | dict | Activation) -> Activation:
    """Resolve an activation from a name, a config dict, or an instance.

    Parameters
    ----------
    identifier : str, dict or Activation
        ``"relu"``; ``{"name": "leaky_relu", "slope": 0.1}``; or an ``Activation``,
        returned as is.

    Raises
    ------
    ValueError
        For an unknown name (the message lists the known ones) or bad parameters.
    TypeError
        For anything else.
    """
    return _REGISTRY.resolve(identifier)


# Plain functions for readers who want ``sigmoid(z)`` as in the reference material.
def sigmoid(Z: np.ndarray) -> np.ndarray:
    """``1 / (1 + exp(-Z))`` elementwise, stable for any real ``Z``."""
    return _elementwise_of_any_shape(Sigmoid(), Z)


def relu(Z: np.ndarray) -> np.ndarray:
    """``max(Z, 0)`` elementwise."""
    return np.maximum(Z, 0)


def tanh(Z: np.ndarray) -> np.ndarray:
    """``tanh(Z)`` elementwise."""
    return np.tanh(Z)


def softmax(Z: np.ndarray) -> np.ndarray:
    """Row-wise softmax of ``Z`` of shape (m, n)."""
    return Softmax().forward(np.atleast_2d(_as_float(Z)))


def _elementwise_of_any_shape(activation: Activation, Z: Any) -> np.ndarray:
    """``activation`` applied to a scalar or an array of any shape (the layers use 2-D)."""
    Z = _as_float(Z)
    # ufuncs return a scalar, not a 0-d array, for 0-d input; work on a 1-D view instead.
    return activation.forward(Z.reshape(-1)).reshape(Z.shape)


def _as_float(Z: Any) -> np.ndarray:
    """``Z`` as an array, keeping float32/float64 and turning anything else into float64."""
    Z = np.asarray(Z)
    return Z if Z.dtype in (np.float32, np.float64) else Z.astype(np.float64)
