"""Optimizers: update rules applied to a network's flat parameter buffer.

Every rule works on the whole flat buffer (:attr:`Network.params`, gradient
:attr:`Network.grads`) in a few vectorized in-place operations: there is no loop over
layers and, after the first step, no allocation.  The base class :class:`Optimizer`
owns the step counter, the state arrays and the scratch buffer; each rule writes
only its update ``delta`` (so that ``theta := theta + delta``), with the rule
written out in its docstring.  The base checks that ``delta`` is finite *before*
applying it, so a diverging step leaves the parameters at their last finite values.

Rules, in order of increasing complexity (``g`` the gradient, ``alpha`` the
learning rate, ``t`` the step number starting at 1):

=============  ===============================================================
``sgd``/gd     ``theta -= alpha g``
``momentum``   ``v = mu v - alpha g;  theta += v``
``nesterov``   ``v = mu v - alpha g;  theta += mu v - alpha g``
``rmsprop``    ``s = rho s + (1 - rho) g^2;  theta -= alpha g / (sqrt(s) + eps)``
``adam``       Kingma & Ba (2015), Algorithm 1 in its "efficient" form
``adamw``      Adam plus decoupled weight decay (Loshchilov & Hutter, 2019)
``lbfgs``      SciPy's L-BFGS-B on the full batch (not a per-step rule)
=============  ===============================================================

State (:meth:`Optimizer.state_dict`) is plain: JSON-able scalars plus NumPy arrays,
so a checkpoint stores it without pickle.  What this module is not: a training loop
(see :mod:`lucidnet.training`) or a learning-rate schedule (see
:mod:`lucidnet.schedules`); the trainer sets :attr:`Optimizer.learning_rate` each
epoch from the schedule.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from ._checks import is_real
from ._registry import Registry

__all__ = [
    "Optimizer",
    "SGD",
    "Momentum",
    "Nesterov",
    "RMSProp",
    "Adam",
    "AdamW",
    "LBFGS",
    "get",
    "names",
    "register",
]


def _check_rate(value: Any, name: str, *, low: float, high: float | None = None,
                above: bool = False) -> float:
    """``value`` as a float in ``[low, high)`` (``low <= value``; ``low < value`` with
    ``above``), or a ValueError naming it."""
    given = value
    ok = is_real(value)
    if ok:
        value = float(value)
        ok = (math.isfinite(value) and (value > low if above else value >= low)
              and (high is None or value < high))
    if not ok:
        expected = (f"> {low:g}" if above else f">= {low}") if high is None else (
            f"in [{low}, {high})")
        raise ValueError(f"{name} must be a finite number {expected}; got {given!r}")
    return value


class Optimizer:
    """Base class: owns the step counter ``t``, the state arrays and a scratch buffer.

    Subclasses set :attr:`name`, list their hyperparameters in :attr:`defaults`
    and implement :meth:`_delta`, which writes the update into ``out`` (and may
    update the state arrays it declared in :attr:`state_names`).

    Parameters
    ----------
    learning_rate : float, default 0.001
        ``alpha``; the trainer overwrites it each epoch from its schedule.
    **hyperparameters
        The rule's own settings (see each class), e.g. ``momentum=0.9``.

    Attributes
    ----------
    t : int
        Number of steps taken.
    state : dict of str to ndarray of shape (n_params,)
        The rule's running averages, allocated on the first step.
    """

    name: str = ""
    #: Hyperparameter names and default values.
    defaults: dict[str, float] = {}
    #: Names of the per-parameter state arrays the rule keeps.
    state_names: tuple[str, ...] = ()
    #: True for rules that need a second work buffer of shape (n_params,).
    needs_scratch: bool = False
    #: True for optimizers that need the full batch and drive their own iterations.
    full_batch: bool = False

    def __init__(self, learning_rate: float = 0.001, **hyperparameters: Any) -> None:
        unknown = sorted(set(hyperparameters) - set(self.defaults))
        if unknown:
            expected = ", ".join(sorted(self.defaults)) or "none"
            raise ValueError(
                f"unknown optimizer_params for {self.name!r}: {', '.join(unknown)}; "
                f"expected some of: {expected}"
            )
        self.learning_rate = _check_rate(learning_rate, "learning_rate", low=0.0, above=True)
        self.hyperparameters = {**self.defaults, **hyperparameters}
        self._check_hyperparameters()
        self.t = 0
        self.state: dict[str, np.ndarray] = {}
        self._delta_buffer: np.ndarray | None = None
        self._scratch: np.ndarray | None = None

    def _check_hyperparameters(self) -> None:
        """Validate :attr:`hyperparameters`; subclasses add their ranges."""

    # ------------------------------------------------------------ the loop
    def step(self, params: np.ndarray, grads: np.ndarray) -> bool:
        """One update ``params += delta(grads)``, in place.

        Parameters
        ----------
        params : ndarray of shape (n_params,)
            Updated in place (never rebound: the layers' views point into it).
        grads : ndarray of shape (n_params,)
            The gradient at ``params``; left unchanged.

        Returns
        -------
        bool
            False when the update was not finite; ``params`` are then left as they were.
        """
        self.prepare(params)
        self.t += 1
        delta = self._delta(params, grads, self._delta_buffer)
        # One BLAS call, no allocation: NaN or inf anywhere makes the sum non-finite.
        if math.isfinite(float(np.dot(delta, delta))):
            params += delta
            return True
        # The squares overflow from entries of about sqrt(max) on (1.8e19 in float32):
        # such an update may still be finite, and is applied if the new parameters are.
        updated = params + delta
        if not np.isfinite(updated).all():
            return False
        params[...] = updated
        return True

    def reset(self) -> None:
        """Forget the steps taken: every state array zero, as before the first step."""
        for array in self.state.values():
            array.fill(0)
        self.t = 0

    def prepare(self, params: np.ndarray) -> None:
        """Allocate (or cast to ``params``' dtype) the state arrays and buffers for
        ``params`` of shape (n_params,); :meth:`step` calls it, and so does a step that
        updates :attr:`state` itself (:mod:`lucidnet.fused_sgd`)."""
        buffer = self._delta_buffer
        if buffer is None or buffer.shape != params.shape or buffer.dtype != params.dtype:
            self._allocate(params)

    def _allocate(self, params: np.ndarray) -> None:
        self._delta_buffer = np.empty_like(params)
        self._scratch = np.empty_like(params) if self.needs_scratch else None
        for key in self.state_names:
            existing = self.state.get(key)
            if existing is None or existing.shape != params.shape:
                self.state[key] = np.zeros_like(params)
            else:
                self.state[key] = existing.astype(params.dtype, copy=False)

    def _delta(self, params: np.ndarray, grads: np.ndarray, out: np.ndarray) -> np.ndarray:
        """Write the update into ``out`` (shape (n_params,)) and return it."""
        raise NotImplementedError

    # ------------------------------------------------------------ state
    def state_dict(self) -> dict[str, Any]:
        """Everything needed to continue exactly: ``{"name", "learning_rate", "t",
        "hyperparameters", "arrays"}``; all JSON-able except ``arrays`` (dict of ndarray).
        """
        return {
            "name": self.name,
            "learning_rate": self.learning_rate,
            "t": self.t,
            "hyperparameters": dict(self.hyperparameters),
            "arrays": {key: value.copy() for key, value in self.state.items()},
        }

    def load_state_dict(self, state: dict[str, Any]) -> None:
        """Restore what :meth:`state_dict` returned (arrays are copied)."""
        if state.get("name") != self.name:
            raise ValueError(
                f"optimizer state is for {state.get('name')!r}; this optimizer is {self.name!r}"
            )
        arrays = state.get("arrays", {})
        missing = sorted(set(self.state_names) - set(arrays))
        if missing:
            raise ValueError(f"optimizer state lacks the arrays {', '.join(missing)}")
        self.learning_rate = float(state["learning_rate"])
        self.t = int(state["t"])
        self.hyperparameters = {**self.defaults, **state.get("hyperparameters", {})}
        self.state = {key: np.array(arrays[key]) for key in self.state_names}
        self._delta_buffer = None  # re-allocated (and state cast) on the next step

    def __getstate__(self) -> dict[str, Any]:
        """For pickling: the state without the scratch buffers (parameter-sized; the
        next step allocates them again)."""
        return {**self.__dict__, "_delta_buffer": None, "_scratch": None}

    def get_config(self) -> dict[str, Any]:
        """``{"name", "learning_rate", **hyperparameters}``; ``get(config)`` rebuilds it."""
        return {"name": self.name, "learning_rate": self.learning_rate, **self.hyperparameters}

    def __repr__(self) -> str:
        settings = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items() if k != "name")
        return f"{type(self).__name__}({settings})"


class SGD(Optimizer):
    """Gradient descent (mini-batch or full batch)::

        theta := theta - alpha * g

    The reference material's ``W := W - alpha dW``.  No state.
    """

    name = "sgd"

    def _delta(self, params, grads, out):
        return np.multiply(grads, -self.learning_rate, out=out)


class Momentum(SGD):
    """Classical (heavy-ball) momentum, in scikit-learn's velocity form::

        v := mu * v - alpha * g
        theta := theta + v

    ``momentum`` is ``mu`` (default 0.9); ``v`` starts at zero.
    """

    name = "momentum"
    defaults = {"momentum": 0.9}
    state_names = ("velocity",)

    def _check_hyperparameters(self):
        _check_rate(self.hyperparameters["momentum"], "momentum", low=0.0, high=1.0)

    def _delta(self, params, grads, out):
        v = self.state["velocity"]
        v *= self.hyperparameters["momentum"]
        v -= np.multiply(grads, self.learning_rate, out=out)
        np.copyto(out, v)
        return out


class Nesterov(Momentum):
    """Nesterov's accelerated gradient, in the form of Sutskever et al. (2013)
    that scikit-learn uses (the look-ahead folded into the update)::

        v := mu * v - alpha * g
        theta := theta + mu * v - alpha * g
    """

    name = "nesterov"
    needs_scratch = True

    def _delta(self, params, grads, out):
        mu = self.hyperparameters["momentum"]
        v = self.state["velocity"]
        step = np.multiply(grads, self.learning_rate, out=self._scratch)  # alpha g
        v *= mu
        v -= step
        np.multiply(v, mu, out=out)
        out -= step
        return out


class RMSProp(Optimizer):
    """RMSProp (Hinton, Coursera lecture 6e)::

        s := rho * s + (1 - rho) * g^2
        theta := theta - alpha * g / (sqrt(s) + eps)

    ``rho`` defaults to 0.9, ``epsilon`` to 1e-8; ``s`` starts at zero.
    """

    name = "rmsprop"
    defaults = {"rho": 0.9, "epsilon": 1e-8}
    state_names = ("square_avg",)

    def _check_hyperparameters(self):
        _check_rate(self.hyperparameters["rho"], "rho", low=0.0, high=1.0)
        _check_rate(self.hyperparameters["epsilon"], "epsilon", low=0.0)

    def _delta(self, params, grads, out):
        rho, eps = self.hyperparameters["rho"], self.hyperparameters["epsilon"]
        s = self.state["square_avg"]
        s *= rho
        np.square(grads, out=out)
        out *= 1.0 - rho
        s += out
        np.sqrt(s, out=out)
        out += eps
        np.divide(grads, out, out=out)
        out *= -self.learning_rate
        return out


class Adam(Optimizer):
    """Adam (Kingma & Ba, 2015, https://arxiv.org/abs/1412.6980), in the paper's
    "efficient" form that scikit-learn also uses::

        m := beta_1 * m + (1 - beta_1) * g
        v := beta_2 * v + (1 - beta_2) * g^2
        alpha_t = alpha * sqrt(1 - beta_2^t) / (1 - beta_1^t)
        theta := theta - alpha_t * m / (sqrt(v) + eps)

    Defaults: ``beta_1=0.9``, ``beta_2=0.999``, ``epsilon=1e-8``; ``m``, ``v`` start at 0.
    (PyTorch puts ``eps`` after the bias correction; the two differ only through ``eps``.)
    """

    name = "adam"
    defaults = {"beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-8}
    state_names = ("m", "v")

    def _check_hyperparameters(self):
        _check_rate(self.hyperparameters["beta_1"], "beta_1", low=0.0, high=1.0)
        _check_rate(self.hyperparameters["beta_2"], "beta_2", low=0.0, high=1.0)
        _check_rate(self.hyperparameters["epsilon"], "epsilon", low=0.0)

    def _delta(self, params, grads, out):
        h = self.hyperparameters
        b1, b2 = h["beta_1"], h["beta_2"]
        m, v = self.state["m"], self.state["v"]
        m *= b1
        np.multiply(grads, 1.0 - b1, out=out)
        m += out
        v *= b2
        np.square(grads, out=out)
        out *= 1.0 - b2
        v += out
        step = -self.learning_rate * math.sqrt(1.0 - b2**self.t) / (1.0 - b1**self.t)
        np.sqrt(v, out=out)
        out += h["epsilon"]
        np.divide(m, out, out=out)
        out *= step
        return out


class AdamW(Adam):
    """Adam with decoupled weight decay (Loshchilov & Hutter, 2019,
    https://arxiv.org/abs/1711.05101)::

        theta := theta - alpha_t * m / (sqrt(v) + eps) - alpha * lambda * mask * theta

    where the first term is :class:`Adam`'s and ``lambda`` is ``weight_decay``
    (default 0.01).  ``mask`` (set by :meth:`set_decay_mask`; the trainer passes
    the network's weight mask) is 1 for weights and 0 for biases, matching the
    engine's L2, which excludes biases; without it every parameter decays.
    """

    name = "adamw"
    defaults = {**Adam.defaults, "weight_decay": 0.01}
    needs_scratch = True

    def __init__(self, learning_rate: float = 0.001, **hyperparameters: Any) -> None:
        super().__init__(learning_rate, **hyperparameters)
        self._decay_mask: np.ndarray | None = None

    def _check_hyperparameters(self):
        super()._check_hyperparameters()
        _check_rate(self.hyperparameters["weight_decay"], "weight_decay", low=0.0)

    def set_decay_mask(self, mask: np.ndarray | None) -> None:
        """Decay only where ``mask`` (shape (n_params,), bool or 0/1) is true; None: everywhere."""
        self._decay_mask = None if mask is None else np.asarray(mask)

    def _delta(self, params, grads, out):
        super()._delta(params, grads, out)
        decay = self.hyperparameters["weight_decay"]
        if decay:
            scratch = self._scratch
            np.multiply(params, -self.learning_rate * decay, out=scratch)
            if self._decay_mask is not None:
                scratch *= self._decay_mask
            out += scratch
        return out


class LBFGS(Optimizer):
    """L-BFGS through :func:`scipy.optimize.minimize` (``method="L-BFGS-B"``,
    ``jac=True``) on the flat parameters, as scikit-learn's ``solver="lbfgs"``.

    It needs the full batch and runs its own iterations (one per trainer epoch),
    so :meth:`step` is not available; the trainer calls :meth:`minimize`.
    ``max_fun`` bounds the cost evaluations (default 15000); ``gtol`` (default 1e-5)
    and ``ftol`` (default 2.2e-9) are SciPy's gradient and relative-decrease
    tolerances.  Its curvature memory is not saved: a resumed L-BFGS run restarts
    the memory from the saved parameters.
    """

    name = "lbfgs"
    defaults = {"max_fun": 15000, "gtol": 1e-5, "ftol": 2.220446049250313e-09}
    full_batch = True

    def _check_hyperparameters(self):
        _check_rate(self.hyperparameters["max_fun"], "max_fun", low=1.0)
        _check_rate(self.hyperparameters["gtol"], "gtol", low=0.0)
        _check_rate(self.hyperparameters["ftol"], "ftol", low=0.0)

    def step(self, params, grads):
        raise TypeError("the lbfgs optimizer runs full-batch iterations; call minimize()")

    def minimize(
        self,
        fun: Callable[[np.ndarray], tuple[float, np.ndarray]],
        x0: np.ndarray,
        *,
        max_iter: int,
        callback: Callable[[Any], None] | None = None,
    ) -> Any:
        """Run L-BFGS-B from ``x0`` (shape (n_params,)); ``fun(theta) -> (cost, gradient)``.

        ``callback(intermediate_result)`` runs after each iteration and may raise
        ``StopIteration`` to stop.  Returns SciPy's ``OptimizeResult``.
        """
        from scipy.optimize import minimize  # SciPy only when L-BFGS is used

        result = minimize(
            fun,
            np.asarray(x0, dtype=np.float64),
            method="L-BFGS-B",
            jac=True,
            callback=callback,
            options={
                "maxiter": int(max_iter),
                "maxfun": int(self.hyperparameters["max_fun"]),
                "gtol": float(self.hyperparameters["gtol"]),
                "ftol": float(self.hyperparameters["ftol"]),
            },
        )
        self.t += int(result.nit)
        return result


_REGISTRY: Registry[Optimizer] = Registry("optimizer", Optimizer)


def register(name: str, factory: Callable[..., Optimizer], *, replace: bool = False) -> None:
    """Make ``factory(learning_rate, **params)`` available under ``name``.

    A name of lucidnet's own is refused unless ``replace``.
    """
    _REGISTRY.register(name, factory, replace=replace)


for _cls in (SGD, Momentum, Nesterov, RMSProp, Adam, AdamW, LBFGS):
    register(_cls.name, _cls)
register("gd", SGD)
_REGISTRY.seal()


def names() -> tuple[str, ...]:
    """The registered optimizer names, aliases included."""
    return _REGISTRY.names()


def get(
    identifier: str | dict | Optimizer, learning_rate: float = 0.001, **params: Any
) -> Optimizer:
    """Resolve an optimizer from a name, a config dict with a ``name``, or an instance.

    Parameters
    ----------
    identifier : str, dict or Optimizer
        ``"adam"``; ``{"name": "momentum", "momentum": 0.8}``; an instance is returned as is.
    learning_rate : float, default 0.001
        Used unless the config dict gives one.
    **params
        Hyperparameters of the rule (e.g. ``beta_1``, ``momentum``, ``weight_decay``).

    Raises
    ------
    ValueError
        For an unknown name (listing the known ones) or an unknown/bad hyperparameter.
    TypeError
        For anything else.
    """
    return _REGISTRY.resolve(identifier, {"learning_rate": learning_rate}, **params)
