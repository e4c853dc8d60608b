"""Gradient checking: backpropagation against central differences.

For every parameter ``theta_i`` of the flat buffer::

    g_num[i] = (J(theta + eps e_i) - J(theta - eps e_i)) / (2 eps)

and the check reports ``||g - g_num|| / (||g|| + ||g_num||)`` overall, per
parameter array (W1, b1, ...), and the entries that disagree most.  In float64 with
``eps = 1e-7`` a correct backward pass gives about 1e-9 to 1e-7 overall (on the
command line's random networks: 6e-9 with ReLU, 7e-8 with a softmax hidden layer),
and an array of small gradients (a bias) may reach a few 1e-7 on its own, as rounding
in the differences weighs more there; a wrong gradient gives far larger ratios (an
error of 5% in one array: about 1e-2).  1e-7 is the
overall threshold the tests hold (the course's checks use 2e-7).  The check runs on
a float64 copy of the network, so a float32 network is checked against its own float64
twin.

It costs two full forward passes per parameter: use it on small networks and a few
examples, as a test, never while training.  With dropout, pass the ``masks`` (one
per layer) so that both passes see the same dropped units.

Two things make central differences themselves wrong, and the result says when either
is likely (:attr:`GradCheckResult.kinks`, :attr:`GradCheckResult.rounding_floor`):

* a ReLU (or leaky ReLU) input within a step of 0, where the cost has a kink and no
  derivative (an all-zero example with the zero biases of a fresh network puts every
  first-layer input there): the two evaluations straddle it.  Move off it (other
  examples, nonzero biases) to check the backward pass;
* a large cost: each difference carries the cost's rounding, about
  ``1e-16 |J| / eps``, which at ``J = 5e5`` and ``eps = 1e-7`` is 5e-4 per entry.  A
  larger ``epsilon`` (1e-5) then checks more precisely.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from ._checks import is_real
from .network import Network

__all__ = ["gradcheck", "GradCheckResult", "central_differences", "relative_difference"]


def relative_difference(a: np.ndarray, b: np.ndarray) -> float:
    """``||a - b|| / (||a|| + ||b||)``, and 0.0 when both are zero."""
    denominator = np.linalg.norm(a) + np.linalg.norm(b)
    return 0.0 if denominator == 0 else float(np.linalg.norm(a - b) / denominator)


@dataclass
class GradCheckEntry:
    """One parameter entry: where it is and both gradients."""

    parameter: str
    index: tuple[int, ...]
    analytic: float
    numeric: float

    @property
    def difference(self) -> float:
        return abs(self.analytic - self.numeric)


#: The relative difference below which a check passes by default: central differences
#: with eps = 1e-7 agree with a correct float64 backpropagation to far better.
PASS_THRESHOLD = 1e-7


@dataclass
class GradCheckResult:
    """The outcome of :func:`gradcheck`.

    Attributes
    ----------
    relative_difference : float
        Over all parameters.
    per_parameter : dict of str to float
        The same ratio for each array ("W1", "b1", ...).
    worst : list of GradCheckEntry
        The entries with the largest absolute disagreement, largest first.
    analytic, numeric : ndarray of shape (n_params,)
        Both gradients, flat.
    epsilon : float
        The step of the central differences.
    kinks : int
        How many ReLU or leaky-ReLU inputs (entries of a ``Z``) lie within about one
        step's reach of 0, where the cost has no derivative and central differences
        are no check of backpropagation.
    rounding_floor : float
        The overall relative difference that the cost's own rounding can cause,
        ``sqrt(n_params) 1.1e-16 |J| / eps / (||g|| + ||g_num||)``: a difference near it
        says nothing about the backward pass.
    """

    relative_difference: float
    per_parameter: dict[str, float]
    worst: list[GradCheckEntry]
    analytic: np.ndarray = field(repr=False)
    numeric: np.ndarray = field(repr=False)
    epsilon: float = 1e-7
    kinks: int = 0
    rounding_floor: float = 0.0

    def passed(self, threshold: float = PASS_THRESHOLD) -> bool:
        """True when the overall relative difference is below ``threshold``."""
        return self.relative_difference < threshold

    def __bool__(self) -> bool:
        """:meth:`passed` at the default threshold: ``assert gradcheck(...)`` fails when
        the check does (a result object would otherwise always be true)."""
        return self.passed()

    def __str__(self) -> str:
        verdict = "passed" if self.passed() else "FAILED"
        lines = [f"relative difference {self.relative_difference:.3e}: {verdict} (below "
                 f"{PASS_THRESHOLD:g} passes; central differences with step eps = "
                 f"{self.epsilon:g})"]
        lines += [f"  {name:>4}: {value:.3e}" for name, value in self.per_parameter.items()]
        if self.worst:
            lines.append("  worst entries (parameter[index]: backprop vs numeric):")
            lines += [
                f"    {e.parameter}{list(e.index)}: {e.analytic:+.10e} vs {e.numeric:+.10e}"
                for e in self.worst
            ]
        if self.kinks and not self.passed():
            lines.append(f"  note: {self.kinks} ReLU input(s) lie within a step of the kink at "
                         "0, where the cost has no derivative: central differences are no "
                         "check there (use examples and biases that keep off it)")
        # Only when rounding could explain the difference: far above its floor (a
        # difference of 0.3 against a floor of 1e-8), something else fails.
        if (self.rounding_floor > PASS_THRESHOLD / 10 and not self.passed()
                and self.relative_difference < 100 * self.rounding_floor):
            larger = (f" (such as {self.epsilon * 100:g})" if self.epsilon * 100 <= 1e-4
                      else "")
            lines.append(f"  note: the cost is large next to its gradient: its rounding alone "
                         f"moves the differences by about {self.rounding_floor:.1e} here; a "
                         f"larger epsilon{larger} checks more precisely")
        return "\n".join(lines)


def central_differences(cost: Callable[[], float], theta: np.ndarray,
                        epsilon: float) -> np.ndarray:
    """``(J(theta + eps e_i) - J(theta - eps e_i)) / (2 eps)`` for every entry ``i``.

    Parameters
    ----------
    cost : callable
        ``cost()`` is ``J`` at the current values of ``theta``.
    theta : ndarray of shape (n,)
        Moved in place, one entry at a time, and left as it was.
    epsilon : float

    Returns
    -------
    ndarray of shape (n,), float64
    """
    numeric = np.empty(theta.shape, np.float64)
    for i in range(theta.size):
        saved = theta[i]
        theta[i] = saved + epsilon
        plus = cost()
        theta[i] = saved - epsilon
        minus = cost()
        theta[i] = saved
        numeric[i] = (plus - minus) / (2.0 * epsilon)
    return numeric


def gradcheck(
    network: Network,
    X: np.ndarray,
    Y: np.ndarray,
    epsilon: float = 1e-7,
    *,
    sample_weight: np.ndarray | None = None,
    l2: float = 0.0,
    masks: Sequence[np.ndarray | None] | None = None,
    n_worst: int = 5,
) -> GradCheckResult:
    """Compare backpropagation's gradient with central differences.

    Parameters
    ----------
    network : Network
        Left unchanged (the check runs on a float64 copy).
    X : ndarray of shape (m, n[0])
    Y : ndarray of shape (m, n[L]), or (m,) for one output
    epsilon : float, default 1e-7
    sample_weight : ndarray of shape (m,), optional
    l2 : float, default 0.0
        Check the gradient of the L2-penalized cost.
    masks : sequence of (ndarray of shape (m, n[l]) or None), optional
        Fixed dropout masks; without them the check runs without dropout.
    n_worst : int, default 5

    Returns
    -------
    GradCheckResult
    """
    if not isinstance(network, Network):
        raise TypeError(f"network must be a lucidnet Network; got {type(network).__name__}")
    if not is_real(epsilon) or not (epsilon > 0 and np.isfinite(epsilon)):
        raise ValueError(f"epsilon must be a positive number; got {epsilon!r}")
    if not is_real(l2) or not l2 >= 0:
        raise ValueError(f"l2 must be a number >= 0; got {l2!r}")
    net = network.astype(np.float64)
    X, Y, sample_weight = net.check_data(X, Y, sample_weight)
    _warn_if_slow(net, len(X))
    if masks is not None:
        masks = [None if mask is None else np.asarray(mask, dtype=np.float64) for mask in masks]
    training = masks is not None
    net.loss_and_gradient(X, Y, sample_weight, l2=l2, training=training, masks=masks)
    analytic = net.grads.copy()

    def cost() -> float:
        _, caches = net.forward(X, training=training, masks=masks)
        return net.cost_of_output(caches[-1], Y, sample_weight, l2)

    _, caches = net.forward(X, training=training, masks=masks)
    kinks = _kinks_within_reach(net, caches, epsilon)
    J = abs(net.cost_of_output(caches[-1], Y, sample_weight, l2))
    numeric = central_differences(cost, net.params, epsilon)
    scale = np.linalg.norm(analytic) + np.linalg.norm(numeric)
    floor = (float(np.sqrt(analytic.size) * np.finfo(np.float64).eps / 2 * J / epsilon / scale)
             if scale > 0 and np.isfinite(J) else 0.0)

    per_parameter = {}
    located = []
    for name, part, shape in net.parameter_slices():
        per_parameter[name] = relative_difference(analytic[part], numeric[part])
        for flat_index in range(part.start, part.stop):
            located.append((name, np.unravel_index(flat_index - part.start, shape), flat_index))
    order = np.argsort(-np.abs(analytic - numeric), kind="stable")[:n_worst]
    worst = [
        GradCheckEntry(
            located[i][0],
            tuple(int(k) for k in located[i][1]),
            float(analytic[i]),
            float(numeric[i]),
        )
        for i in order
    ]
    return GradCheckResult(
        relative_difference(analytic, numeric), per_parameter, worst, analytic, numeric, epsilon,
        kinks, floor,
    )


#: Multiply-adds past which :func:`gradcheck` warns that it will take a while
#: (about a minute at a few GFLOP/s: its cost passes are small products).
SLOW_MULTIPLY_ADDS = 1e11


def _warn_if_slow(net: Network, m: int) -> None:
    """Warn when the check's ``2 n_params`` cost passes over ``m`` examples (about
    ``m n_params`` multiply-adds each) add up to more than :data:`SLOW_MULTIPLY_ADDS`:
    it runs silently, for minutes or hours, on a network meant for real data."""
    work = 2.0 * net.n_params * m * net.n_params
    if work > SLOW_MULTIPLY_ADDS:
        from ._warn import warn_caller

        warn_caller(f"gradcheck takes 2 x {net.n_params:,} cost passes over {m:,} examples, "
                    f"about {work:.0e} multiply-adds: minutes or more.  A few examples "
                    "(X[:10]) and a narrower network of the same kind check the same "
                    "backpropagation", RuntimeWarning)


def _kinks_within_reach(net: Network, caches: Sequence, epsilon: float) -> int:
    """How many inputs of ReLU-type layers lie within about one step's reach of 0: a
    step of ``epsilon`` in one parameter moves a ``Z`` entry by up to ``epsilon`` times
    the largest input of its row (or 1, for a bias)."""
    from .activations import LeakyReLU, ReLU

    count = 0
    for layer, cache in zip(net.layers, caches, strict=True):
        if not isinstance(layer.activation, (ReLU, LeakyReLU)):
            continue
        reach = epsilon * np.maximum(1.0, np.abs(cache.A_prev).max(axis=1, initial=0.0))
        count += int(np.count_nonzero(np.abs(cache.Z) <= reach[:, None]))
    return count
