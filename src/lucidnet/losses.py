"""Loss functions J(A, Y), with one signature for all of them.

Every loss is one object with

* ``cost(A, Y, sample_weight=None) -> float``: the cost of output ``A`` against
  targets ``Y``;
* ``gradient(A, Y, sample_weight=None) -> dA``: ``dJ/dA``, the start of
  backpropagation on the generic path ``dZ = dA * g'(Z)``;
* ``cost_from_logits(Z, Y, sample_weight=None)`` and
  ``delta(A, Y, sample_weight=None)`` for its *natural* output activation (below).

``A``, ``Y`` and ``Z`` are ``ndarray of shape (m, n_outputs)``; ``sample_weight`` is
``ndarray of shape (m,)`` or None (every weight 1).

Reduction.  The cost is the mean over the ``m`` examples, ``J = (1/m) sum_i w_i L_i``,
as in the reference material, except for ``sum_squared_error``, the reference's
``J = 0.5 * sum((y - yhat)^2)`` (system 4), which sums.  ``scale(m)`` is that factor
(``1/m`` or 1), and every gradient here already includes it.

Fused output deltas
-------------------
For four pairings of output activation and loss the chain rule collapses:

* sigmoid + binary cross-entropy:   dJ/dA = (A - Y) / (A (1 - A)),   g' = A (1 - A)
* softmax + categorical cross-entropy (with each row of Y summing to 1):
  dJ/dA = -Y / A,  and the softmax Jacobian turns it into A - Y
* identity + squared error:         dJ/dA = A - Y,                   g' = 1
* exp + Poisson deviance:           dJ/dA = 1 - Y / A = (A - Y) / A, g' = A

so in each case ``dZ = scale(m) * w * (A - Y)`` exactly.  The network uses this fused
delta for those pairings: it is cheaper, and it stays exact when ``A`` saturates at 0
or 1, where the generic ``dA * g'(Z)`` would divide 0 by 0.  The costs of those
pairings are computed from the logits ``Z`` (``softplus(z) - y z`` and
``logsumexp(z) - y.z``, which stay finite for any ``z``; the Poisson cost's ``e^z``
overflows with the mean it stands for).  Every other pairing (for
example the sigmoid output with squared error of system 4) goes through ``gradient``
and the activation's ``backward``.  Which pairs are fused is stated once:
:data:`FUSED_PAIRS`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from ._kernels import row_max, row_sum
from ._registry import Registry

__all__ = [
    "Loss",
    "BinaryCrossEntropy",
    "CategoricalCrossEntropy",
    "SquaredError",
    "SumSquaredError",
    "PoissonDeviance",
    "FUSED_PAIRS",
    "is_fused",
    "get",
    "register",
    "names",
]


def _clip_probabilities(A: np.ndarray) -> np.ndarray:
    """``A`` kept inside ``[sqrt(tiny), 1 - eps/2]`` so that ``log`` and the divisions
    by ``A`` and ``1 - A`` stay finite.

    ``tiny`` is the dtype's smallest normal number (``sqrt(tiny)``: 1.1e-19 in float32,
    1.5e-154 in float64) and ``1 - eps/2`` its largest number below one.  An output
    above ``sqrt(tiny)`` keeps its cost and its exact gradient: a float32 sigmoid output
    of 1e-15 costs 34.5, and ``dJ/dA * g'`` is ``-y (1 - a)``.  (Clipping at ``eps``
    flattened the cost, and shrank the gradient towards 0, below 1.2e-7 in float32.)
    The square root leaves room: ``dJ/dA`` reaches ``1/sqrt(tiny)`` at most, which a
    sample weight or the scale can multiply many times over without overflowing
    before ``g'`` brings it back.
    """
    dtype = A.dtype if A.dtype.kind == "f" else np.dtype(np.float64)
    info = np.finfo(dtype)
    return np.clip(A, np.sqrt(info.tiny), 1.0 - info.epsneg)


def _weighted_sum(per_example: np.ndarray, sample_weight: np.ndarray | None) -> float:
    """``sum_i w_i L_i`` for per-example losses ``L`` of shape (m,)."""
    if sample_weight is None:
        return float(np.add.reduce(per_example, dtype=np.float64))
    return float(np.dot(per_example.astype(np.float64), sample_weight))


class Loss:
    """Base class: a cost ``J(A, Y)`` averaged (or summed) over examples."""

    name: str = ""
    #: The output activation whose pairing with this loss gives ``dZ = A - Y``.
    natural_activation: str = ""
    #: True for the reference's summed costs, False for the mean over examples.
    sums: bool = False
    #: ``dL_i/dA`` written out, for :func:`lucidnet.explain` ("" when not given).
    gradient_text: str = ""
    #: Built-in output activations whose values the cost is not defined on (its
    #: logarithms need (0, 1) or (0, inf)), and what it needs; an activation of one's
    #: own (registered) is taken on trust.
    outside_range: tuple[str, ...] = ()
    needs: str = ""
    #: The targets the cost means something for, ``(low, high)``, and in words: a
    #: Network's training refuses others (the loss itself computes on any values, as
    #: the reference's tests feed it).  None: any real number.
    target_range: tuple[float, float] | None = None
    target_text: str = ""

    def scale(self, m: int) -> float:
        """The reduction factor: ``1/m`` for a mean, ``1`` for a sum."""
        return 1.0 if self.sums else 1.0 / m

    def per_example(self, A: np.ndarray, Y: np.ndarray) -> np.ndarray:
        """``L_i``, the loss of each example: ndarray of shape (m,)."""
        raise NotImplementedError

    def per_example_from_logits(self, Z: np.ndarray, Y: np.ndarray) -> np.ndarray:
        """``L_i`` computed stably from the logits of the natural activation."""
        raise NotImplementedError

    def cost(self, A: np.ndarray, Y: np.ndarray, sample_weight: np.ndarray | None = None) -> float:
        """``J = scale(m) * sum_i w_i L_i(A_i, Y_i)``; a Python float."""
        return self.scale(len(A)) * _weighted_sum(self.per_example(A, Y), sample_weight)

    def cost_from_logits(
        self, Z: np.ndarray, Y: np.ndarray, sample_weight: np.ndarray | None = None
    ) -> float:
        """The same cost computed from ``Z`` when ``A = natural_activation(Z)``.

        Finite for any ``Z``.
        """
        return self.scale(len(Z)) * _weighted_sum(
            self.per_example_from_logits(Z, Y), sample_weight
        )

    def gradient(
        self, A: np.ndarray, Y: np.ndarray, sample_weight: np.ndarray | None = None
    ) -> np.ndarray:
        """``dJ/dA``, of shape (m, n_outputs), reduction and weights included."""
        dA = self._unscaled_gradient(A, Y)
        return _apply_weights(dA, self.scale(len(A)), sample_weight)

    def _unscaled_gradient(self, A: np.ndarray, Y: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def delta(
        self,
        A: np.ndarray,
        Y: np.ndarray,
        sample_weight: np.ndarray | None = None,
        out: np.ndarray | None = None,
    ) -> np.ndarray:
        """The fused output delta ``dZ = scale(m) * w * (A - Y)`` (see the module docstring).

        Valid only when ``A`` came from :attr:`natural_activation`.
        """
        out = np.subtract(A, Y, out=out)
        return _apply_weights(out, self.scale(len(A)), sample_weight)

    def get_config(self) -> dict[str, Any]:
        """JSON-ready description; ``get(loss.get_config())`` rebuilds it."""
        return {"name": self.name}

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Loss) and self.get_config() == other.get_config()

    def __hash__(self) -> int:
        return hash(self.name)


def _apply_weights(
    G: np.ndarray, scale: float, sample_weight: np.ndarray | None
) -> np.ndarray:
    """Multiply ``G`` (m, n) in place by ``scale`` and by each row's weight."""
    if sample_weight is None:
        G *= G.dtype.type(scale)
    else:
        G *= (sample_weight * scale).astype(G.dtype, copy=False)[:, None]
    return G


class BinaryCrossEntropy(Loss):
    """``L = -sum_k [y_k log a_k + (1 - y_k) log(1 - a_k)]`` (one term per sigmoid output).

    Computes on any real ``y`` (the reference's tests pass such); a
    :class:`~lucidnet.Network` trains only on ``y`` in [0, 1].  From the logits,
    ``L = sum_k softplus(z_k) - y_k z_k``.
    """

    name = "binary_cross_entropy"
    natural_activation = "sigmoid"
    outside_range = ("identity", "relu", "leaky_relu", "tanh", "exp")
    needs = "values in (0, 1): a sigmoid or softmax output"
    target_range = (0.0, 1.0)
    target_text = "0/1 labels (or probabilities in [0, 1])"
    gradient_text = "-(Y / A[L] - (1 - Y) / (1 - A[L]))"

    def per_example(self, A, Y):
        A = _clip_probabilities(A)
        return -(Y * np.log(A) + (1.0 - Y) * np.log1p(-A)).sum(axis=1)

    def per_example_from_logits(self, Z, Y):
        return (np.logaddexp(0.0, Z) - Y * Z).sum(axis=1)

    def _unscaled_gradient(self, A, Y):
        # -(Y/A - (1-Y)/(1-A)) = (A - Y) / (A (1 - A)), the reference's dAL.
        A = _clip_probabilities(A)
        return (A - Y) / (A * (1.0 - A))


class CategoricalCrossEntropy(Loss):
    """``L = -sum_k y_k log a_k`` over the classes; from logits, ``logsumexp(z) - y.z``
    when each row of ``Y`` sums to one (``sum_k y_k (logsumexp(z) - z_k)`` in general).
    """

    name = "categorical_cross_entropy"
    natural_activation = "softmax"
    outside_range = ("identity", "relu", "leaky_relu", "tanh", "exp")
    needs = "probabilities: a softmax (or sigmoid) output"
    target_range = (0.0, 1.0)
    target_text = "one-hot labels (or class probabilities in [0, 1])"
    gradient_text = "-Y / A[L]"

    def per_example(self, A, Y):
        return -(Y * np.log(_clip_probabilities(A))).sum(axis=1)

    def per_example_from_logits(self, Z, Y):
        # row_max and row_sum are Z.max(axis=1) and Z.sum(axis=1), faster on rows of
        # a few classes (see lucidnet._kernels).
        shift = row_max(Z)[:, None]
        exp_shifted = np.subtract(Z, shift)
        np.exp(exp_shifted, out=exp_shifted)
        log_norm = np.log(row_sum(exp_shifted))[:, None] + shift
        return row_sum(Y * (log_norm - Z))

    def _unscaled_gradient(self, A, Y):
        return -Y / _clip_probabilities(A)

    def softmax_and_cost(
        self,
        Z: np.ndarray,
        Y: np.ndarray,
        sample_weight: np.ndarray | None = None,
        out: np.ndarray | None = None,
    ) -> float:
        """``softmax(Z)`` into ``out`` (shape (m, k)) and :meth:`cost_from_logits`,
        sharing one exponential: the same values as ``Softmax.forward(Z, out)`` and
        ``cost_from_logits(Z, Y, sample_weight)`` computed one after the other."""
        shift = row_max(Z)[:, None]
        out = np.subtract(Z, shift, out=out)
        np.exp(out, out=out)
        sums = row_sum(out)
        log_norm = np.log(sums)[:, None] + shift
        out /= sums[:, None]
        return self.scale(len(Z)) * _weighted_sum(row_sum(Y * (log_norm - Z)), sample_weight)


class SquaredError(Loss):
    """``L = 0.5 * sum_k (a_k - y_k)^2``, averaged over examples: ``J = (1/2m) sum (A - Y)^2``.

    The 1/2 makes ``dJ/dA = (A - Y)/m``.
    """

    name = "squared_error"
    natural_activation = "identity"
    gradient_text = "A[L] - Y"

    def per_example(self, A, Y):
        # Squared in place and reduced by the ufunc: np.einsum's Python-level dispatch
        # costs more than the arithmetic on the small networks this often runs on.
        diff = np.subtract(A, Y)
        np.multiply(diff, diff, out=diff)
        return 0.5 * np.add.reduce(diff, axis=1)

    per_example_from_logits = per_example  # identity: the logits are the outputs

    def cost(self, A, Y, sample_weight=None):
        if sample_weight is not None:
            return super().cost(A, Y, sample_weight)
        # Unweighted, J = scale/2 ||A - Y||^2 is one dot product: on a tiny network
        # each NumPy call costs more than its arithmetic, and this saves three.
        diff = np.subtract(A, Y)
        if diff.dtype != np.float64:  # float32 sums are accumulated in float64
            diff = diff.astype(np.float64)
        return 0.5 * self.scale(len(A)) * float(np.vdot(diff, diff))

    cost_from_logits = cost

    def _unscaled_gradient(self, A, Y):
        return A - Y


class PoissonDeviance(Loss):
    """Half the Poisson deviance, ``L = sum_k (y_k log(y_k / a_k) - y_k + a_k)``,
    averaged over examples: the loss of a count (or rate) ``y >= 0`` predicted as the
    mean ``a > 0`` of a Poisson variable.  scikit-learn's MLPRegressor(loss="poisson").

    ``dL/da = 1 - y/a``; with the exp output (``a = exp(z)``, ``g' = a``) the fused
    delta is again ``a - y``, and from the logits ``L = sum_k (y log y - y z - y + e^z)``
    (``y log y`` is 0 at ``y = 0``).
    """

    name = "poisson"
    natural_activation = "exp"
    outside_range = ("identity", "relu", "leaky_relu", "tanh")
    needs = "positive values: an exp (or sigmoid, softmax) output"
    target_range = (0.0, math.inf)
    target_text = "counts or rates >= 0"
    gradient_text = "1 - Y / A[L]"

    # Written as y log y - y log a - y + a: the first term is a constant (taken as 0
    # unless y > 0, its limit at 0), so that cost and gradient agree for any target.
    def per_example(self, A, Y):
        log_A = np.log(A, out=np.zeros(np.shape(A), dtype=A.dtype), where=Y != 0)
        return np.add.reduce(_y_log_y(Y) - Y * log_A - Y + A, axis=1)

    def per_example_from_logits(self, Z, Y):
        return np.add.reduce(_y_log_y(Y) - Y * Z - Y + np.exp(Z), axis=1)

    def _unscaled_gradient(self, A, Y):
        # y / a taken as 0 where y = 0, as y log a is in the cost: an output that has
        # underflowed to 0 (a sigmoid at z < -745) would otherwise make it 0/0.
        ratio = np.zeros(np.broadcast_shapes(np.shape(Y), np.shape(A)),
                         dtype=np.result_type(Y, A, np.float32))
        return 1.0 - np.divide(Y, A, out=ratio, where=Y != 0)


def _y_log_y(Y: np.ndarray) -> np.ndarray:
    """``y log y`` entrywise where ``y > 0``, else 0 (its limit at 0); shape of ``Y``."""
    log_Y = np.log(Y, out=np.zeros(np.shape(Y), dtype=Y.dtype), where=Y > 0)
    return Y * log_Y


class SumSquaredError(SquaredError):
    """The reference's ``J = 0.5 * sum((y - yhat)^2)`` over all examples (system 4).

    Summed, not averaged.
    """

    name = "sum_squared_error"
    sums = True


#: (output activation, loss) pairs for which ``dZ = scale * w * (A - Y)`` is exact.
#: See the module docstring for the algebra.
FUSED_PAIRS: frozenset[tuple[str, str]] = frozenset(
    {
        ("sigmoid", "binary_cross_entropy"),
        ("softmax", "categorical_cross_entropy"),
        ("identity", "squared_error"),
        ("identity", "sum_squared_error"),
        ("exp", "poisson"),
    }
)


def is_fused(activation_name: str, loss: Loss) -> bool:
    """True when the pairing of this output activation with ``loss`` has the fused delta."""
    return (activation_name, loss.name) in FUSED_PAIRS


_REGISTRY: Registry[Loss] = Registry("loss", Loss)


def register(name: str, factory: Callable[..., Loss], *, replace: bool = False) -> None:
    """Make ``factory()`` available under ``name`` everywhere loss names are accepted.

    A name of lucidnet's own is refused unless ``replace``.
    """
    _REGISTRY.register(name, factory, replace=replace)


for _cls in (BinaryCrossEntropy, CategoricalCrossEntropy, SquaredError, SumSquaredError,
             PoissonDeviance):
    register(_cls.name, _cls)
register("log_loss", BinaryCrossEntropy)
register("mse", SquaredError)
_REGISTRY.seal()


def names() -> tuple[str, ...]:
    """The registered loss names, aliases included."""
    return _REGISTRY.names()


def natural_loss(activation_name: str) -> str | None:
    """The first registered loss whose fused pairing is with this output activation.

    ``sigmoid`` -> binary cross-entropy, ``softmax`` -> categorical cross-entropy,
    ``identity`` -> squared error; None for any other activation.
    """
    for name in names():
        if get(name).natural_activation == activation_name:
            return name
    return None


def get(identifier: str | dict | Loss) -> Loss:
    """Resolve a loss from a name, a config dict with a ``name``, or an instance.

    Raises ``ValueError`` for an unknown name (listing the known ones) and
    ``TypeError`` for anything else.
    """
    return _REGISTRY.resolve(identifier)
