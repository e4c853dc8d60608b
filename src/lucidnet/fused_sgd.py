"""Plain SGD folded into backpropagation: each layer's update is one BLAS call.

The general training step (:meth:`Network.loss_and_gradient`, then
:meth:`Optimizer.step`) writes every ``dW[l]`` into :attr:`Network.grads` and then
passes over all parameters three more times: the scaled update, its finiteness check
and the addition.  For plain SGD (with an optional L2 penalty) the whole update of a
layer is::

    W := beta W - alpha dZ^T A_prev        b := b - alpha dZ^T 1
    beta = 1 - alpha * l2 * scale(m)

which is exactly what a BLAS ``?gemm`` computes into its output ``C`` when ``C`` is
``W`` (``alpha`` = minus the learning rate, ``beta`` as above, ``overwrite_c``), and a
``?gemv`` for ``b``.  :class:`FusedSGD` runs the forward pass, the backward pass down to
every layer's ``dZ``, then one ``gemm`` and one ``gemv`` per layer: ``dW`` is never
stored, and the update costs one extra read of ``W`` inside a product that runs anyway.
The values are those of the general step up to rounding.

Every product of the step goes through SciPy's BLAS (``scipy.linalg.blas``, the only
public NumPy-stack route to ``gemm``'s ``beta``).  NumPy and SciPy each ship their own
OpenBLAS with its own thread pool, and threads of one pool still spinning after a call
slow the other pool's next call several-fold, so the step keeps all its multithreaded
products on one pool.

Divergence.  The general step checks each update for NaN and infinity before applying
it, so the network keeps its last finite parameters.  Here the update is never
materialized; instead an upper bound proves it finite before it is applied.  By
Cauchy-Schwarz every entry (and every partial sum) of ``dZ^T A_prev`` is at most
``||dZ|| ||A_prev||`` (Frobenius norms) in size, and ``||dZ^T 1|| <= ||dZ|| sqrt(m)``;
so with ``N`` an upper bound of ``||(W, b)||``::

    ||(W, b)||_new <= max(|beta|, 1) N + alpha ||dZ|| (||A_prev|| + sqrt(m))

The step keeps ``N`` per layer (exact at the start of each epoch, then raised by each
step's increment) and applies an update only when every such bound, and the products'
own sums, stay below a quarter of the dtype's largest value (the spare factor of four
also covers the rounding of the norms themselves).  The norms of ``dZ`` and ``A_prev``
cost one dot product each over arrays of a batch's size, the batch's ``X`` included:
about 1% of an epoch, less than one float64 pass over the whole data per fit.  A
non-finite ``dZ`` makes its norm NaN or infinite and so fails the test too.

Use it through :class:`lucidnet.training.Trainer`, which takes this route on its own
for ``optimizer="sgd"`` without dropout or ``clip_norm``, on networks of
:data:`MIN_PARAMS` parameters or more (below that, the per-call cost of SciPy's
wrappers outweighs the passes saved) and batches of at most :data:`MAX_BATCH` rows.
While it runs, :attr:`Network.grads` is not filled.
"""

from __future__ import annotations

import math

import numpy as np

from ._kernels import ones
from .network import Network, Workspace

__all__ = ["FusedSGD", "MAX_BATCH", "MIN_PARAMS", "applies"]

#: Smallest network (in parameters) for which the fused step pays; see the module text.
MIN_PARAMS = 20_000
#: Largest batch (in rows) for which it pays: the passes it saves cost O(n_params) per
#: step, the products O(batch * n_params).  Measured on the 784-256-128-10 network:
#: faster at batch 32 and 128, 5-10% slower at 512 and 2048, where SciPy's OpenBLAS
#: build ran the large-``k`` weight product slower than NumPy's.
MAX_BATCH = 256


def applies(network: Network, *, batch_rows: int, dropout: bool, clip_norm: float | None) -> bool:
    """Whether the Trainer should train ``network`` with plain SGD through :class:`FusedSGD`.

    ``batch_rows`` is the number of rows in a full batch.
    """
    return (
        not dropout
        and clip_norm is None
        and network.n_params >= MIN_PARAMS
        and batch_rows <= MAX_BATCH
    )


class FusedSGD:
    """One SGD step per call: forward, backward to every ``dZ``, then in-place BLAS updates.

    Parameters
    ----------
    network : Network
        Trained in place; its layers must not drop units.
    l2 : float, default 0.0
        L2 penalty, as in :meth:`Network.loss_and_gradient`.
    """

    def __init__(self, network: Network, l2: float = 0.0) -> None:
        from scipy.linalg import blas  # lazy: keeps ``import lucidnet`` light

        self.network = network
        self.l2 = float(l2)
        self.gemm, self.gemv, self.dot, self.nrm2 = blas.get_blas_funcs(
            ("gemm", "gemv", "dot", "nrm2"), dtype=network.dtype
        )
        self.limit = float(np.finfo(network.dtype).max) / 4
        self.norm_bounds = [0.0] * len(network.layers)

    def start_epoch(self) -> None:
        """Make every layer's norm bound exact again (parameters may have been set)."""
        # SciPy's dot, not NumPy's: with one step per epoch (full batch) NumPy's BLAS
        # threads would still be spinning when the step's products start.
        for l, layer in enumerate(self.network.layers):
            norm = self._norm(layer.W.ravel())
            if layer.b is not None:
                norm = math.hypot(norm, self._norm(layer.b))
            self.norm_bounds[l] = norm

    def step(
        self,
        X: np.ndarray,
        Y: np.ndarray,
        sample_weight: np.ndarray | None,
        workspace: Workspace,
        learning_rate: float,
    ) -> tuple[float, bool]:
        """Forward, backward and update on one batch.

        Parameters
        ----------
        X : ndarray of shape (m, n[0])
        Y : ndarray of shape (m, n[L])
        sample_weight : ndarray of shape (m,) or None
        workspace : Workspace
            The network's buffers for ``m`` examples.
        learning_rate : float

        Returns
        -------
        cost : float
            The cost (penalty included) at the parameters before the update.
        updated : bool
            False when the cost or the update could not be shown finite; the
            parameters are then left as they were.
        """
        network = self.network
        Y = network._as_target(Y, len(X))
        activations = self._forward(X, workspace)
        cost = self._cost(workspace, Y, sample_weight)
        if not math.isfinite(cost):
            return cost, False
        deltas = self._deltas(Y, sample_weight, workspace)
        beta = 1.0 - learning_rate * self.l2 * network.loss.scale(len(X)) if self.l2 else 1.0
        new_bounds = self._bounds(activations, deltas, learning_rate, beta)
        if new_bounds is None:
            return cost, False
        self.norm_bounds = new_bounds
        column_of_ones = ones(len(X), network.dtype)
        for layer, A_prev, dZ in zip(network.layers, activations, deltas, strict=True):
            # W^T (n_in, n_out), Fortran-ordered: W^T := beta W^T - alpha A_prev^T dZ.
            self.gemm(-learning_rate, A_prev.T, dZ.T, beta, layer.W.T, trans_b=1, overwrite_c=1)
            if layer.b is not None:
                # b := b - alpha dZ^T 1 (the bias carries no penalty).
                self.gemv(-learning_rate, dZ.T, column_of_ones, 1.0, layer.b, overwrite_y=1)
        return cost, True

    # ----------------------------------------------------------------- parts
    def _forward(self, X: np.ndarray, workspace: Workspace) -> list[np.ndarray]:
        """``Z[l] = A[l-1] W[l]^T + b[l]``, ``A[l] = g(Z[l])`` into the workspace.

        Returns every layer's input ``A[l-1]`` (``X`` first), each of shape (m, n[l-1]).
        """
        A = X
        inputs = []
        for layer, Z, A_out in zip(
            self.network.layers, workspace.Z, workspace.A, strict=True
        ):
            inputs.append(A)
            # Z^T (n_out, m), Fortran-ordered: Z^T := W A^T (+ b, written first).
            if layer.b is not None:
                Z[...] = layer.b
            self.gemm(1.0, layer.W.T, A.T, 0.0 if layer.b is None else 1.0, Z.T,
                      trans_a=1, overwrite_c=1)
            A = layer.activation.forward(Z, out=A_out)
        return inputs

    def _cost(self, workspace: Workspace, Y: np.ndarray, sample_weight) -> float:
        """:meth:`Network.cost_of_output`, with the penalty's sums on SciPy's BLAS (its
        ``np.vdot`` over every ``W`` would wake NumPy's thread pool each batch)."""
        network = self.network
        if network._fused:
            cost = network.loss.cost_from_logits(workspace.Z[-1], Y, sample_weight)
        else:
            cost = network.loss.cost(workspace.A[-1], Y, sample_weight)
        if self.l2:
            squares = sum(self.dot(layer.W.ravel(), layer.W.ravel()) for layer in network.layers)
            cost += 0.5 * self.l2 * network.loss.scale(len(Y)) * float(squares)
        return cost

    def _deltas(self, Y: np.ndarray, sample_weight, workspace: Workspace) -> list[np.ndarray]:
        """Every layer's ``dZ[l]``, shape (m, n[l]), in ``workspace.delta`` (the output's
        may be a new array when the loss and output activation are not fused)."""
        network, layers = self.network, self.network.layers
        Z, A = workspace.Z, workspace.A
        L = len(layers)
        if network._fused:
            dZ = network.loss.delta(A[-1], Y, sample_weight, out=workspace.delta[-1])
        else:
            dA = network.loss.gradient(A[-1], Y, sample_weight)
            dZ = layers[-1].activation.backward(dA, Z[-1], A[-1], out=dA)
        deltas = [dZ]
        for l in range(L - 1, 0, -1):
            # dA[l-1]^T (n[l-1], m), Fortran-ordered: dA^T := W^T dZ^T.
            dA = workspace.delta[l - 1]
            self.gemm(1.0, layers[l].W.T, dZ.T, 0.0, dA.T, overwrite_c=1)
            dZ = layers[l - 1].activation.backward(dA, Z[l - 1], A[l - 1], out=dA)
            deltas.append(dZ)
        return deltas[::-1]

    def _bounds(self, inputs, deltas, learning_rate: float, beta: float) -> list[float] | None:
        """The layers' norm bounds after the update, or None if one is not below the limit."""
        m = len(deltas[0])
        root_m = math.sqrt(m)
        growth = max(abs(beta), 1.0)
        new_bounds = []
        for l, (A_prev, dZ) in enumerate(zip(inputs, deltas, strict=True)):
            products = self._norm(dZ.ravel()) * (self._norm(A_prev.ravel()) + root_m)
            bound = growth * self.norm_bounds[l] + learning_rate * products
            # "not <" so that NaN fails too.
            if not (products < self.limit and bound < self.limit):
                return None
            new_bounds.append(bound)
        return new_bounds

    def _norm(self, v: np.ndarray) -> float:
        """``||v||`` for a contiguous vector ``v``: NaN if ``v`` holds NaN, inf if inf."""
        squares = float(self.dot(v, v))
        if math.isfinite(squares):
            return math.sqrt(squares)
        # The squares overflowed (float32 entries above ~1e19) or v is not finite:
        # nrm2 scales as it sums, so it is finite exactly when v is.
        return float(self.nrm2(v))
