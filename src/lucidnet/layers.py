"""The dense layer: ``Z = A_prev W^T + b``, ``A = g(Z)``, and its backward step.

A pure functional core (:func:`linear_forward`, :func:`linear_backward`) sits under a
thin :class:`Dense` that holds a layer's sizes, activation and views of its
parameters.  The network owns the memory: ``W`` and ``b`` are views into its one flat
parameter buffer, ``dW`` and ``db`` views into its flat gradient buffer.

Shapes (rows are examples; ``m`` examples, ``n[l-1]`` inputs, ``n[l]`` units)::

    A_prev  (m, n[l-1])     W  (n[l], n[l-1])     b  (n[l],)
    Z, A    (m, n[l])       dW (n[l], n[l-1])     db (n[l],)

Index map to the reference's column notation, where ``Z = W A_prev + b`` with
``A_prev`` of shape ``(n[l-1], m)``: our ``Z`` is the transpose of theirs, ``W`` is
the same matrix, and ``b`` is their column ``b`` flattened.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from . import activations
from ._kernels import ones
from ._sparse import is_sparse, sparse_product
from .activations import Activation

__all__ = ["Dense", "LayerCache", "linear_forward", "linear_backward"]


class LayerCache(NamedTuple):
    """What one layer's forward pass keeps for its backward pass.

    Attributes
    ----------
    A_prev : ndarray of shape (m, n[l-1])
        The layer's input (after the previous layer's dropout, if any).
    Z : ndarray of shape (m, n[l])
        The pre-activation ``A_prev W^T + b``.
    A : ndarray of shape (m, n[l])
        ``g(Z)``, before this layer's dropout.
    mask : ndarray of shape (m, n[l]) or None
        The inverted-dropout mask (0 or ``1/keep_prob``) applied to ``A``; None
        when the layer did not drop anything.
    """

    A_prev: np.ndarray
    Z: np.ndarray
    A: np.ndarray
    mask: np.ndarray | None = None


def _product(a: np.ndarray, b: np.ndarray, out: np.ndarray | None) -> np.ndarray:
    """``a @ b`` for 1-D or 2-D ``a`` and ``b``, written into ``out`` when given.

    Through ``np.dot`` rather than ``np.matmul``: on contiguous (or transposed) 2-D
    arrays the same BLAS call and the same bits, but less dispatch, which is most of a
    tiny network's product (``python -m benchmarks.kernels``: 0.4-0.5 us against
    0.8 us on the 2-3-1 network's first layer).
    ``np.dot`` writes only into a C-contiguous ``out`` of exactly the result's dtype;
    any other ``out`` (a float32 buffer for a float64 gradient from a loss of one's
    own, a Fortran-ordered one) goes to ``np.matmul``, which casts into it.
    """
    try:
        return np.dot(a, b, out=out)
    except ValueError:  # an ``out`` np.dot refuses, or shapes that do not fit
        pass
    return np.matmul(a, b, out=out)


def linear_forward(
    A_prev: np.ndarray, W: np.ndarray, b: np.ndarray | None, out: np.ndarray | None = None
) -> np.ndarray:
    """``Z = A_prev @ W.T + b``.

    Parameters
    ----------
    A_prev : ndarray of shape (m, n_in), or a SciPy CSR matrix (sparse input)
    W : ndarray of shape (n_out, n_in)
    b : ndarray of shape (n_out,) or None
    out : ndarray of shape (m, n_out), optional
        Where to write ``Z`` (the training loop reuses buffers).

    Returns
    -------
    Z : ndarray of shape (m, n_out)
    """
    if type(A_prev) is not np.ndarray and is_sparse(A_prev):
        Z = sparse_product(A_prev, W.T, out=out)  # over the stored entries only
    else:
        Z = _product(A_prev, W.T, out)
    if b is not None:
        Z += b
    return Z


def linear_backward(
    dZ: np.ndarray,
    A_prev: np.ndarray,
    W: np.ndarray,
    *,
    dW_out: np.ndarray | None = None,
    db_out: np.ndarray | None = None,
    with_bias: bool = True,
    with_dA_prev: bool = True,
    dA_prev_out: np.ndarray | None = None,
) -> tuple[np.ndarray | None, np.ndarray, np.ndarray | None]:
    """Backward step through ``Z = A_prev W^T + b``.

    ``dZ`` already carries the cost's reduction (the ``1/m`` of a mean), so::

        dW = dZ^T A_prev        db = sum over examples of dZ        dA_prev = dZ W

    Parameters
    ----------
    dZ : ndarray of shape (m, n_out)
    A_prev : ndarray of shape (m, n_in), or a SciPy CSR matrix (sparse input)
    W : ndarray of shape (n_out, n_in)
    dW_out, db_out, dA_prev_out : optional buffers for the results.
    with_bias : bool
        False for a layer without bias: ``db`` is then None.
    with_dA_prev : bool
        False for the first layer, whose input is the data: nobody needs ``dX``,
        and skipping it saves one matrix product.

    Returns
    -------
    dA_prev : ndarray of shape (m, n_in) or None
    dW : ndarray of shape (n_out, n_in)
    db : ndarray of shape (n_out,) or None
    """
    if type(A_prev) is not np.ndarray and is_sparse(A_prev):
        # dW^T = A_prev^T dZ, over the stored entries only
        dW = sparse_product(A_prev.T, dZ, out=None if dW_out is None else dW_out.T).T
    else:
        dW = _product(dZ.T, A_prev, dW_out)
    # db = 1^T dZ as a matrix-vector product: BLAS does it about 3x faster than a
    # column sum (and on every core), and it runs once per layer and batch.
    db = _product(ones(len(dZ), dZ.dtype), dZ, db_out) if with_bias else None
    dA_prev = _product(dZ, W, dA_prev_out) if with_dA_prev else None
    return dA_prev, dW, db


#: A Dense layer's arrays that are views of its network's buffers.
_BUFFER_VIEWS = frozenset({"W", "b", "dW", "db"})


class Dense:
    """A fully connected layer ``A = g(A_prev W^T + b)``.

    Parameters
    ----------
    n_in : int
        Inputs per example, ``n[l-1]``.
    n_out : int
        Units, ``n[l]``.
    activation : str, dict or Activation, default "relu"
        Resolved through :func:`lucidnet.activations.get`.
    use_bias : bool, default True
        The reference's system 4 has no biases.
    initializer : str or callable, optional
        Name from :mod:`lucidnet.initializers`; by default He for the ReLU family and
        Glorot-uniform otherwise.
    dropout : float, default 0.0
        Probability of dropping each unit of this layer's output during training
        (inverted dropout: kept units are scaled by ``1 / (1 - dropout)``, so nothing
        changes at prediction time).

    Attributes
    ----------
    W : ndarray of shape (n_out, n_in)
    b : ndarray of shape (n_out,) or None
    dW, db : gradients of the same shapes, filled by the network's backward pass.

    In a network these are views of its flat ``params`` and ``grads`` buffers, which
    training, saving and copying use: assigning to one (``layer.W = W - alpha *
    layer.dW``, as the course's loops do) copies the values into the buffer, so the
    layer and its network never part.
    """

    def __setattr__(self, name: str, value: Any) -> None:
        if name not in _BUFFER_VIEWS or not self._bound():
            object.__setattr__(self, name, value)
            return
        current = self.__dict__.get(name)
        if current is None:
            if value is not None:
                raise ValueError(f"this layer has no biases (use_bias=False): Dense.{name} "
                                 "stays None")
            return
        values = np.asarray(value)
        if value is None or values.shape != current.shape:
            got = "None" if value is None else f"an array of shape {values.shape}"
            raise ValueError(f"Dense.{name} has shape {current.shape} (a view of its "
                             f"network's {'grads' if name.startswith('d') else 'params'}); "
                             f"got {got}")
        if values is not current:
            current[...] = values  # into the network's buffer, in its dtype

    def _bound(self) -> bool:
        """Whether a live network holds this layer (its W, b, dW, db are views)."""
        owner = self.__dict__.get("_owner")
        return owner is not None and owner() is not None

    def _bind(self, W: np.ndarray, dW: np.ndarray, b: np.ndarray | None,
              db: np.ndarray | None) -> None:
        """Make ``W``, ``dW``, ``b``, ``db`` these views (the network's buffers)."""
        self.__dict__.update(W=W, dW=dW, b=b, db=db)

    def __getstate__(self) -> dict:
        # A copy (pickled, or sent to a worker) belongs to no network: the weak
        # reference to the owning one stays behind (and could not be pickled).
        state = dict(self.__dict__)
        state.pop("_owner", None)
        return state

    def __init__(
        self,
        n_in: int,
        n_out: int,
        activation: str | dict | Activation = "relu",
        *,
        use_bias: bool = True,
        initializer: str | None = None,
        dropout: float = 0.0,
    ) -> None:
        for arg, value in (("n_in", n_in), ("n_out", n_out)):
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
                raise ValueError(f"Dense {arg} must be a positive int; got {value!r}")
        if not 0.0 <= float(dropout) < 1.0:
            raise ValueError(f"Dense dropout must be in [0, 1); got {dropout!r}")
        self.n_in = int(n_in)
        self.n_out = int(n_out)
        self.activation = activations.get(activation)
        self.use_bias = bool(use_bias)
        self.initializer = initializer
        self.dropout = float(dropout)
        self.W: np.ndarray = np.empty((0, 0))
        self.b: np.ndarray | None = None
        self.dW: np.ndarray = np.empty((0, 0))
        self.db: np.ndarray | None = None

    @property
    def n_params(self) -> int:
        """``n_out * n_in`` weights plus ``n_out`` biases when the layer has them."""
        return self.n_out * self.n_in + (self.n_out if self.use_bias else 0)

    def forward(
        self,
        A_prev: np.ndarray,
        *,
        Z_out: np.ndarray | None = None,
        A_out: np.ndarray | None = None,
    ) -> LayerCache:
        """``Z = A_prev W^T + b``, ``A = g(Z)``; returns the layer's cache (no dropout here)."""
        Z = linear_forward(A_prev, self.W, self.b, out=Z_out)
        A = self.activation.forward(Z, out=A_out)
        return LayerCache(A_prev, Z, A)

    def get_config(self) -> dict:
        """JSON-ready description of the layer (not its weights)."""
        config = {
            "n_in": self.n_in,
            "n_out": self.n_out,
            "activation": self.activation.get_config(),
            "use_bias": self.use_bias,
            "dropout": self.dropout,
        }
        if isinstance(self.initializer, str):
            config["initializer"] = self.initializer
        return config

    @classmethod
    def from_config(cls, config: dict) -> Dense:
        """Rebuild a layer from :meth:`get_config`'s output."""
        return cls(**config)

    def __repr__(self) -> str:
        extras = "" if self.use_bias else ", use_bias=False"
        if self.dropout:
            extras += f", dropout={self.dropout}"
        return f"Dense({self.n_in}, {self.n_out}, {self.activation.name!r}{extras})"
