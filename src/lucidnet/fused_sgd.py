"""SGD, with or without momentum, folded into backpropagation: each layer's update
is one BLAS call.

The general training step (:meth:`Network.loss_and_gradient`, then
:meth:`Optimizer.step`) writes every ``dW[l]`` into :attr:`Network.grads` and then
passes over all parameters several more times (for plain SGD three: the scaled update,
its finiteness check and the addition; with momentum six or more).  For plain SGD (with an
optional L2 penalty, ``c = l2 * scale(m)``) the whole update of a layer is::

    W := beta W - alpha dZ^T A_prev        b := b - alpha dZ^T 1
    beta = 1 - alpha c

which is exactly what a BLAS ``?gemm`` computes into its output ``C`` when ``C`` is
``W`` (``alpha`` = minus the learning rate, ``beta`` as above, ``overwrite_c``), and a
``?gemv`` for ``b``.  With momentum ``mu`` the ``gemm`` accumulates into the velocity
instead, and ``?axpy`` adds it to ``W`` (``g = dW + c W`` is the penalized gradient)::

    momentum:  V := mu V - alpha dW - alpha c W;   W := W + V
    nesterov:  W' = W - mu V;   V := mu (1 - alpha c) V - alpha dW - alpha c W';
               W := W' + (1 + mu) V

(the nesterov lines are the optimizer's ``W += mu V_new - alpha g`` rearranged so that
no old velocity needs keeping).  The biases take the same steps without the penalty.

:class:`FusedSGD` runs the forward pass, the backward pass down to every layer's
``dZ``, then those calls per layer: ``dW`` is never stored.  The values are those of
the general step up to rounding; the velocity is the optimizer's own state array, so
checkpoints and a later general step see it as usual.

Every product of the step goes through SciPy's BLAS (``scipy.linalg.blas``, the only
public NumPy-stack route to ``gemm``'s ``beta``).  NumPy and SciPy each ship their own
OpenBLAS with its own thread pool, and threads of one pool still spinning after a call
slow the other pool's next call several-fold, so the step keeps all its multithreaded
products on one pool.

Divergence.  The general step checks each update for NaN and infinity before applying
it, so the network keeps its last finite parameters.  Here the update is never
materialized; instead an upper bound proves it finite before it is applied.  By
Cauchy-Schwarz every entry (and every partial sum) of ``dZ^T A_prev`` is at most
``||dZ|| ||A_prev||`` (Frobenius norms) in size, and ``||dZ^T 1|| <= ||dZ|| sqrt(m)``,
so ``P = ||dZ|| (||A_prev|| + sqrt(m))`` bounds the gradient's norm; with ``N`` and
``M`` upper bounds of ``||(W, b)||`` and of the velocity's norm::

    plain SGD:  N_new <= max(|beta|, 1) N + alpha P
    momentum:   M_new <= mu M + alpha c N + alpha P;   N_new <= N + M_new
    nesterov:   M_new <= mu max(|1 - alpha c|, 1) M + alpha c (N + mu M) + alpha P
                N_new <= N + mu M + (1 + mu) M_new

The step keeps ``N`` and ``M`` per layer (exact when the step is made, after
:meth:`FusedSGD.resync` and every :data:`RESYNC_STEPS` steps, raised by each step's
increments in between) and applies an update only when every such bound, and the
products' own sums, stay below a quarter of the dtype's largest value (every
intermediate value is a sum of at most three such terms; the spare factor also covers
the rounding of the norms themselves).  The norms of ``dZ`` and ``A_prev`` cost one dot
product each over arrays of a batch's size, the batch's ``X`` included: 3-4% of an
epoch.  A non-finite ``dZ`` makes its norm NaN or infinite and so fails the test too.

Use it through :class:`lucidnet.training.Trainer`, which takes this route on its own
for the optimizers ``"sgd"``, ``"momentum"`` and ``"nesterov"`` without dropout or
``clip_norm``, on networks of :data:`MIN_PARAMS` parameters or more (below that, the
per-call cost of SciPy's wrappers outweighs the passes saved) and batches of at most
:data:`MAX_BATCH` rows, except float32 networks whose weights lie mostly in narrow
layers (:data:`NARROW_UNITS`).  While it runs, :attr:`Network.grads` is not filled.
"""

from __future__ import annotations

import math

import numpy as np

from ._kernels import ones
from .activations import ReLU, Softmax
from .losses import CategoricalCrossEntropy
from .network import Network, Workspace

__all__ = ["FusedSGD", "MAX_BATCH", "MIN_PARAMS", "NARROW_UNITS", "RESYNC_STEPS", "applies"]

#: Smallest network (in parameters) for which the fused step pays; see the module text.
MIN_PARAMS = 20_000
#: Largest batch (in rows) that takes the fused step: the passes it saves cost
#: O(n_params) per step, the products O(batch * n_params), so its gain shrinks as
#: batches grow.  Measured on the 784-256-128-10 network (``python -m
#: benchmarks.routes``, three rules, two dtypes): the fused step takes 0.54-0.62x the
#: general step's time at batch 32, 0.74-0.83x at 128, 0.89-0.96x at 512, 0.92-1.02x at
#: 2048 (level in float32, faster in float64) and 0.96-1.03x at 4096; float32 gains
#: least because SciPy's OpenBLAS build runs the large-``k`` weight product more slowly
#: than NumPy's.
MAX_BATCH = 2048
#: In float32, a network whose weights lie mostly in layers of fewer units than this
#: takes the general step.  The fused step must run its products on SciPy's BLAS (see
#: the module text), and the OpenBLAS build SciPy ships runs the products of narrow
#: float32 layers more slowly than NumPy's build.  Measured with ``python -m
#: benchmarks.routes`` (fused time over general): the 12288-20-7-5-1 network on its
#: full batch of 209 rows (``--scenario 4``; sgd, momentum and nesterov) 1.18-1.30x in
#: float32 and 0.95-1.03x in float64; 784-h-10 networks (``--hidden h``, plain SGD) at
#: batch 128 and 512, in float32 1.03x and 1.08x for h = 32, 1.03x and 1.13x for 64,
#: 0.98x and 1.21x for 128, and in float64 0.71-0.94x for all three.  128 units keep
#: the fused step: at the benchmark's batch of 128 it was the faster one.
NARROW_UNITS = 128
#: Steps after which the norm bounds are taken exactly again.  Raised step by step they
#: only grow (they stay valid, just looser); one pass over the parameters per this
#: many steps keeps them close.  (Taking them every epoch cost a pass over the
#: parameters per step in full-batch training.)
RESYNC_STEPS = 1000


def applies(network: Network, *, batch_rows: int, dropout: bool, clip_norm: float | None) -> bool:
    """Whether the Trainer should train ``network`` through :class:`FusedSGD`.

    ``batch_rows`` is the number of rows in a full batch.
    """
    return (
        not dropout
        and clip_norm is None
        and network.n_params >= MIN_PARAMS
        and batch_rows <= MAX_BATCH
        and not _mostly_narrow_float32(network)
    )


def _mostly_narrow_float32(network: Network) -> bool:
    """Whether ``network`` is float32 with over half of its weights in layers of fewer
    than :data:`NARROW_UNITS` units."""
    if network.dtype != np.float32:
        return False
    weights = [(layer.n_out, layer.n_out * layer.n_in) for layer in network.layers]
    narrow = sum(size for units, size in weights if units < NARROW_UNITS)
    return 2 * narrow > sum(size for _, size in weights)


class FusedSGD:
    """One SGD step per call: forward, backward to every ``dZ``, then in-place BLAS updates.

    Parameters
    ----------
    network : Network
        Trained in place; its layers must not drop units.
    l2 : float, default 0.0
        L2 penalty, as in :meth:`Network.loss_and_gradient`.
    velocity : ndarray of shape (n_params,), optional
        The momentum optimizer's velocity (``Momentum.state["velocity"]``), laid out
        like :attr:`Network.params` and updated in place.  None for plain SGD.
    momentum : float, default 0.0
        ``mu``; used with ``velocity``.
    nesterov : bool, default False
        Nesterov's update instead of heavy-ball momentum; used with ``velocity``.
    """

    def __init__(
        self,
        network: Network,
        l2: float = 0.0,
        *,
        velocity: np.ndarray | None = None,
        momentum: float = 0.0,
        nesterov: bool = False,
    ) -> None:
        from scipy.linalg import blas  # lazy: keeps ``import lucidnet`` light

        self.network = network
        self.l2 = float(l2)
        self.momentum = float(momentum)
        self.nesterov = bool(nesterov)
        self.gemm, self.gemv, self.axpy, self.dot, self.nrm2 = blas.get_blas_funcs(
            ("gemm", "gemv", "axpy", "dot", "nrm2"), dtype=network.dtype
        )
        self.limit = float(np.finfo(network.dtype).max) / 4
        # Softmax output with cross-entropy: the output and the cost share one exp.
        self._softmax_cost = (
            network._fused
            and isinstance(network.loss, CategoricalCrossEntropy)
            and type(network.layers[-1].activation) is Softmax
        )
        n_layers = len(network.layers)
        self.norm_bounds = [0.0] * n_layers
        if velocity is not None and not (
            velocity.shape == network.params.shape
            and velocity.dtype == network.dtype
            and velocity.flags.c_contiguous
        ):
            # BLAS would update a converted copy, and the velocity would never change.
            raise ValueError(
                f"velocity must be a contiguous {network.dtype} array of shape "
                f"{network.params.shape}; got {velocity.dtype} {velocity.shape}"
            )
        # Per layer (V_W, V_b or None): views of the velocity shaped like (W, b).
        self.velocity = None if velocity is None else _layer_views(network, velocity)
        self.velocity_bounds = [0.0] * n_layers
        # (X, ||X||) of the last batch: a full batch is the same array every step, and
        # its norm (a pass over all the data) is then taken once.
        self._input_norm: tuple[np.ndarray | None, float] = (None, 0.0)
        self._steps_since_resync = 0
        self.resync()

    def resync(self) -> None:
        """Make every layer's norm bounds exact again.

        Call it whenever something other than :meth:`step` may have changed the
        parameters or the velocity (the Trainer: after a callback that may change
        them has run)."""
        self._steps_since_resync = 0
        # SciPy's dot, not NumPy's: in full-batch training NumPy's BLAS threads would
        # still be spinning when the step's products start.
        for l, layer in enumerate(self.network.layers):
            self.norm_bounds[l] = self._pair_norm(layer.W, layer.b)
            if self.velocity is not None:
                self.velocity_bounds[l] = self._pair_norm(*self.velocity[l])

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
            The same array object as in the previous call is taken to hold the same
            values (a full batch: its norm is not taken again); pass new batches as
            new arrays or views.
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
            parameters (and the velocity) are then left as they were.
        """
        network = self.network
        Y = network._as_target(Y, len(X))
        if self._steps_since_resync >= RESYNC_STEPS:
            self.resync()
        self._steps_since_resync += 1
        activations = self._forward(X, workspace)
        cost = self._cost(workspace, Y, sample_weight)
        if not math.isfinite(cost):
            return cost, False
        deltas = self._deltas(Y, sample_weight, workspace)
        penalty = learning_rate * self.l2 * network.loss.scale(len(X))  # alpha c
        if not self._raise_bounds(activations, deltas, learning_rate, penalty):
            return cost, False
        column_of_ones = ones(len(X), network.dtype)
        for l, (layer, A_prev, dZ) in enumerate(zip(network.layers, activations, deltas,
                                                    strict=True)):
            if self.velocity is None:
                # W^T (n_in, n_out), Fortran-ordered: W^T := beta W^T - alpha A_prev^T dZ.
                self.gemm(-learning_rate, A_prev.T, dZ.T, 1.0 - penalty, layer.W.T,
                          trans_b=1, overwrite_c=1)
                if layer.b is not None:
                    # b := b - alpha dZ^T 1 (the bias carries no penalty).
                    self.gemv(-learning_rate, dZ.T, column_of_ones, 1.0, layer.b,
                              overwrite_y=1)
            else:
                self._momentum_update(layer, self.velocity[l], A_prev, dZ, column_of_ones,
                                      learning_rate, penalty)
        return cost, True

    def _momentum_update(self, layer, velocity, A_prev, dZ, column_of_ones,
                         learning_rate: float, penalty: float) -> None:
        """The module text's momentum or nesterov lines for one layer, in place."""
        mu, axpy = self.momentum, self.axpy
        V_W, V_b = velocity
        W, b = layer.W.ravel(), layer.b
        if self.nesterov:
            axpy(V_W.ravel(), W, a=-mu)  # W' = W - mu V
            if b is not None:
                axpy(V_b, b, a=-mu)
            beta, step = mu * (1.0 - penalty), 1.0 + mu
        else:
            beta, step = mu, 1.0
        # V^T (n_in, n_out), Fortran-ordered: V^T := beta V^T - alpha A_prev^T dZ.
        self.gemm(-learning_rate, A_prev.T, dZ.T, beta, V_W.T, trans_b=1, overwrite_c=1)
        if penalty:
            axpy(W, V_W.ravel(), a=-penalty)
        axpy(V_W.ravel(), W, a=step)
        if b is not None:
            self.gemv(-learning_rate, dZ.T, column_of_ones, mu, V_b, overwrite_y=1)
            axpy(V_b, b, a=step)

    # ----------------------------------------------------------------- parts
    def _forward(self, X: np.ndarray, workspace: Workspace) -> list[np.ndarray]:
        """``Z[l] = A[l-1] W[l]^T + b[l]``, ``A[l] = g(Z[l])`` into the workspace (a
        softmax output's ``A[L]`` is left to :meth:`_cost`).

        Returns every layer's input ``A[l-1]`` (``X`` first), each of shape (m, n[l-1]).
        """
        A = X
        inputs = []
        hidden = len(self.network.layers) - 1
        for l, (layer, Z, A_out) in enumerate(
            zip(self.network.layers, workspace.Z, workspace.A, strict=True)
        ):
            inputs.append(A)
            # Z^T (n_out, m), Fortran-ordered: Z^T := W A^T (+ b, written first).
            if layer.b is not None:
                Z[...] = layer.b
            self.gemm(1.0, layer.W.T, A.T, 0.0 if layer.b is None else 1.0, Z.T,
                      trans_a=1, overwrite_c=1)
            if l < hidden and type(layer.activation) is ReLU:
                # In place: ReLU's backward needs only where Z > 0, and relu(Z) > 0
                # exactly there; one buffer less to write and to keep in cache.
                A = layer.activation.forward(Z, out=Z)
            elif l < hidden or not self._softmax_cost:  # else: in _cost, with the cost
                A = layer.activation.forward(Z, out=A_out)
        return inputs

    def _cost(self, workspace: Workspace, Y: np.ndarray, sample_weight) -> float:
        """:meth:`Network.cost_of_output`, with the penalty's sums on SciPy's BLAS (its
        ``np.vdot`` over every ``W`` would wake NumPy's thread pool each batch); for a
        softmax output, also the output ``A[L]`` (see :meth:`_forward`)."""
        network = self.network
        if self._softmax_cost:
            cost = network.loss.softmax_and_cost(workspace.Z[-1], Y, sample_weight,
                                                 out=workspace.A[-1])
        elif network._fused:
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

    def _raise_bounds(self, inputs, deltas, learning_rate: float, penalty: float) -> bool:
        """Raise the layers' norm bounds to what they are after the update; False (and
        the bounds left as they were) if one would not stay below the limit."""
        # The coefficients reach BLAS in the network's dtype: alpha = 1e39 is finite here
        # but infinite in float32.
        if not (learning_rate < self.limit and penalty < self.limit):
            return False
        root_m = math.sqrt(len(deltas[0]))
        mu = self.momentum
        new_norms, new_velocities = [], []
        for l, (A_prev, dZ) in enumerate(zip(inputs, deltas, strict=True)):
            A_norm = self._batch_input_norm(A_prev) if l == 0 else self._norm(A_prev.ravel())
            # Bounds ||(dW, db)|| and every partial sum of the products.
            products = self._norm(dZ.ravel()) * (A_norm + root_m)
            N, M = self.norm_bounds[l], self.velocity_bounds[l]
            gradient = learning_rate * products
            if self.velocity is None:
                M_new = 0.0
                N_new = max(abs(1.0 - penalty), 1.0) * N + gradient
            elif self.nesterov:
                shifted = N + mu * M  # ||(W', b')||
                M_new = mu * max(abs(1.0 - penalty), 1.0) * M + penalty * shifted + gradient
                N_new = shifted + (1.0 + mu) * M_new
            else:
                M_new = mu * M + penalty * N + gradient
                N_new = N + M_new
            # "not <" so that NaN fails too.
            if not (products < self.limit and N_new < self.limit and M_new < self.limit):
                return False
            new_norms.append(N_new)
            new_velocities.append(M_new)
        self.norm_bounds, self.velocity_bounds = new_norms, new_velocities
        return True

    def _batch_input_norm(self, X: np.ndarray) -> float:
        """``||X||`` of the batch's inputs, reused while the same array comes back."""
        last, norm = self._input_norm
        if X is not last:
            norm = self._norm(X.ravel())
            self._input_norm = (X, norm)
        return norm

    def _pair_norm(self, W: np.ndarray, b: np.ndarray | None) -> float:
        """``||(W, b)||`` (``||W||`` without a bias)."""
        norm = self._norm(W.ravel())
        return norm if b is None else math.hypot(norm, self._norm(b))

    def _norm(self, v: np.ndarray) -> float:
        """``||v||`` for a contiguous vector ``v``: NaN if ``v`` holds NaN, inf if inf."""
        squares = float(self.dot(v, v))
        if math.isfinite(squares):
            return math.sqrt(squares)
        # The squares overflowed (float32 entries above ~1e19) or v is not finite:
        # nrm2 scales as it sums, so it is finite exactly when v is.
        return float(self.nrm2(v))


def _layer_views(network: Network, flat: np.ndarray) -> list[tuple[np.ndarray, np.ndarray | None]]:
    """``(W-shaped view, b-shaped view or None)`` of ``flat`` for every layer, in the
    layout of :attr:`Network.params`."""
    views: list[tuple[np.ndarray, np.ndarray | None]] = []
    for name, part, shape in network.parameter_slices():
        if name.startswith("W"):
            views.append((flat[part].reshape(shape), None))
        else:
            views[-1] = (views[-1][0], flat[part])
    return views
