"""Learning-rate schedules, applied once per epoch.

A schedule turns the initial learning rate ``alpha_0`` into the rate used during
epoch ``e`` (``e = 0, 1, 2, ...``): the trainer asks :meth:`Schedule.rate` at the
start of every epoch and hands the answer to the optimizer, and calls
:meth:`Schedule.update` at the end of every epoch with that epoch's logs (only
reduce-on-plateau uses them).  Nothing changes inside an epoch.

=================  ===========================================================
``constant``       ``alpha_0``
``step``           ``alpha_0 * gamma ** floor(e / step_size)``
``exponential``    ``alpha_0 * gamma ** e``
``invscaling``     ``alpha_0 / (e + 1) ** power_t``; with ``per_sample``
                   scikit-learn's rule, ``t`` = rows seen + 1 instead of ``e + 1``
``cosine``         ``alpha_min + (alpha_0 - alpha_min) (1 + cos(pi e / t_max)) / 2``
                   for ``e < t_max``, then ``alpha_min``
``plateau``        multiply by ``factor`` when ``monitor`` has not improved by
                   ``min_delta`` for ``patience`` epochs (never below ``min_lr``)
=================  ===========================================================

State (:meth:`Schedule.state_dict`) is JSON-able, for checkpoints.  This module
holds no optimizer logic (see :mod:`lucidnet.optimizers`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

from ._checks import is_real
from ._registry import Registry

__all__ = [
    "Schedule",
    "Constant",
    "StepDecay",
    "ExponentialDecay",
    "InverseScaling",
    "Cosine",
    "ReduceOnPlateau",
    "get",
    "names",
    "register",
]


def _number(
    value: Any,
    name: str,
    *,
    low: float,
    high: float | None = None,
    integer: bool = False,
    open_low: bool = False,
) -> float:
    """``value`` checked to lie in its range, or a ValueError naming ``name``."""
    ok = is_real(value) and math.isfinite(value)
    if ok and integer:
        ok = float(value).is_integer()
    if ok:
        ok = (value > low if open_low else value >= low) and (high is None or value <= high)
    if not ok:
        bound = f"> {low}" if open_low else f">= {low}"
        if high is not None:
            bound += f" and <= {high}"
        kind = "an int" if integer else "a number"
        raise ValueError(f"{name} must be {kind} {bound}; got {value!r}")
    return int(value) if integer else float(value)


class Schedule:
    """Base class: the learning rate of each epoch from the initial one.

    Parameters
    ----------
    learning_rate : float
        ``alpha_0``, the rate of epoch 0.
    **params
        The schedule's settings (see each class).
    """

    name: str = ""
    defaults: dict[str, Any] = {}

    def __init__(self, learning_rate: float, **params: Any) -> None:
        unknown = sorted(set(params) - set(self.defaults))
        if unknown:
            expected = ", ".join(sorted(self.defaults)) or "none"
            raise ValueError(
                f"unknown schedule_params for {self.name!r}: {', '.join(unknown)}; "
                f"expected some of: {expected}"
            )
        self.initial_rate = _number(learning_rate, "learning_rate", low=0.0, open_low=True)
        self.params = {**self.defaults, **params}
        self._check()

    def _check(self) -> None:
        """Validate :attr:`params`; subclasses add their ranges."""

    def begin(self, epochs: int) -> None:
        """Called when a fit of ``epochs`` total epochs starts (cosine uses it)."""

    def rate(self, epoch: int) -> float:
        """The learning rate for ``epoch`` (0-based)."""
        raise NotImplementedError

    def update(self, epoch: int, logs: Mapping[str, float]) -> None:
        """Called after ``epoch`` with its logs (``"loss"``, ``"val_loss"``, ...)."""

    def samples_seen(self, n_samples: int) -> None:
        """Called after each epoch with the rows it trained on (before :meth:`update`)."""

    def rescale(self, learning_rate: float) -> None:
        """Go on from the current state with ``learning_rate`` as the initial rate (a
        resumed run given another rate): every rate to come scales with it."""
        self.initial_rate = float(learning_rate)

    def state_dict(self) -> dict[str, Any]:
        """JSON-able state: name, initial rate, settings and running values."""
        return {"name": self.name, "learning_rate": self.initial_rate, "params": dict(self.params)}

    def load_state_dict(self, state: Mapping[str, Any]) -> None:
        """Restore what :meth:`state_dict` returned."""
        if state.get("name") != self.name:
            raise ValueError(
                f"schedule state is for {state.get('name')!r}; this schedule is {self.name!r}"
            )
        self.initial_rate = float(state["learning_rate"])
        self.params = {**self.defaults, **state.get("params", {})}

    def __repr__(self) -> str:
        settings = ", ".join(f"{k}={v!r}" for k, v in self.params.items())
        return f"{type(self).__name__}(learning_rate={self.initial_rate!r}, {settings})"


class Constant(Schedule):
    """``alpha_e = alpha_0``."""

    name = "constant"

    def rate(self, epoch):
        return self.initial_rate


class StepDecay(Schedule):
    """``alpha_e = alpha_0 * gamma ** floor(e / step_size)`` (defaults: 10 epochs, 0.5)."""

    name = "step"
    defaults = {"step_size": 10, "gamma": 0.5}

    def _check(self):
        _number(self.params["step_size"], "step_size", low=1, integer=True)
        _number(self.params["gamma"], "gamma", low=0.0, high=1.0, open_low=True)

    def rate(self, epoch):
        return self.initial_rate * self.params["gamma"] ** (epoch // self.params["step_size"])


class ExponentialDecay(Schedule):
    """``alpha_e = alpha_0 * gamma ** e`` (default gamma 0.95)."""

    name = "exponential"
    defaults = {"gamma": 0.95}

    def _check(self):
        _number(self.params["gamma"], "gamma", low=0.0, high=1.0, open_low=True)

    def rate(self, epoch):
        return self.initial_rate * self.params["gamma"] ** epoch


class InverseScaling(Schedule):
    """``alpha_e = alpha_0 / t ** power_t`` (default ``power_t=0.5``).

    ``t = e + 1`` counts epochs.  With ``per_sample=True`` it is scikit-learn's
    ``learning_rate="invscaling"``: ``t`` is one more than the rows trained on before
    the epoch (``samples_before`` plus those the Trainer reports through
    :meth:`samples_seen`), so epochs of different sizes (``partial_fit``) count as
    what they are, except that the schedule's first epoch runs at ``alpha_0``, as
    scikit-learn's optimizer does when a (warm-start) fit creates it afresh and rescales
    only after an epoch.  The scikit-learn estimators use it that way.
    """

    name = "invscaling"
    defaults = {"power_t": 0.5, "per_sample": False, "samples_before": 0}

    def __init__(self, learning_rate: float, **params: Any) -> None:
        super().__init__(learning_rate, **params)
        self.seen = 0

    def _check(self):
        _number(self.params["power_t"], "power_t", low=0.0)
        if not isinstance(self.params["per_sample"], bool):
            raise ValueError(f"per_sample must be True or False; got {self.params['per_sample']!r}")
        _number(self.params["samples_before"], "samples_before", low=0, integer=True)

    def rate(self, epoch):
        if self.params["per_sample"]:
            t = self.params["samples_before"] + self.seen + 1 if self.seen else 1
        else:
            t = epoch + 1
        return self.initial_rate / t ** self.params["power_t"]

    def samples_seen(self, n_samples):
        self.seen += int(n_samples)

    def state_dict(self):
        return {**super().state_dict(), "seen": self.seen}

    def load_state_dict(self, state):
        super().load_state_dict(state)
        self.seen = int(state.get("seen", 0))


class Cosine(Schedule):
    """Cosine annealing (Loshchilov & Hutter, 2017, without restarts)::

        alpha_e = alpha_min + (alpha_0 - alpha_min) * (1 + cos(pi * e / t_max)) / 2

    for ``e < t_max`` and ``alpha_min`` afterwards.  ``min_lr`` (``alpha_min``)
    defaults to 0.  Without ``t_max``, each fit anneals to the epoch it ends at (a
    later fit of more epochs stretches the curve to its own end, rather than running
    at ``alpha_min``); epochs run one at a time (``partial_fit``) need ``t_max``.
    """

    name = "cosine"
    defaults = {"t_max": None, "min_lr": 0.0}

    def __init__(self, learning_rate: float, **params: Any) -> None:
        super().__init__(learning_rate, **params)
        self.horizon: int | None = self.params["t_max"]  # set by begin() without t_max

    def _check(self):
        if self.params["t_max"] is not None:
            _number(self.params["t_max"], "t_max", low=1, integer=True)
        _number(self.params["min_lr"], "min_lr", low=0.0)

    def begin(self, epochs):
        self.horizon = self.params["t_max"] or max(int(epochs), 1)

    def rate(self, epoch):
        t_max = self.horizon
        if t_max is None:
            raise ValueError(
                "the cosine schedule anneals over t_max epochs: give schedule_params "
                "{'t_max': N} to run epochs one at a time (partial_fit)"
            )
        low = self.params["min_lr"]
        if epoch >= t_max:
            return low
        return low + (self.initial_rate - low) * 0.5 * (1.0 + math.cos(math.pi * epoch / t_max))

    def state_dict(self):
        return {**super().state_dict(), "horizon": self.horizon}

    def load_state_dict(self, state):
        super().load_state_dict(state)
        # A checkpoint of an earlier version kept the horizon as params["t_max"].
        self.horizon = state.get("horizon") or self.params["t_max"]


class ReduceOnPlateau(Schedule):
    """Multiply the rate by ``factor`` when ``monitor`` stalls.

    After each epoch, an improvement means ``value < best - min_delta`` (or
    ``value > best + min_delta`` for accuracy and R^2).  After ``patience`` epochs
    without one the rate becomes ``max(rate * factor, min_lr)`` (a rate already below
    ``min_lr`` stays as it is) and the count
    restarts.  Defaults: ``monitor=None`` ("val_loss" when the logs have it, else
    "loss"), ``factor=0.5``, ``patience=5``, ``min_delta=1e-4``, ``min_lr=0``.
    ``best_on_any_gain=True`` takes scikit-learn's rule instead of Keras's, as
    :class:`lucidnet.callbacks.EarlyStopping` does: ``best`` follows every new best
    value, while the count restarts only on a gain of at least ``min_delta``.
    """

    name = "plateau"
    defaults = {"monitor": None, "factor": 0.5, "patience": 5, "min_delta": 1e-4, "min_lr": 0.0,
                "best_on_any_gain": False}

    def __init__(self, learning_rate: float, **params: Any) -> None:
        super().__init__(learning_rate, **params)
        self.current = self.initial_rate
        self.best: float | None = None
        self.wait = 0

    def _check(self):
        monitor = self.params["monitor"]
        if monitor is not None and not isinstance(monitor, str):
            raise ValueError(f"monitor must be a log name like 'val_loss'; got {monitor!r}")
        _number(self.params["factor"], "factor", low=0.0, high=1.0, open_low=True)
        _number(self.params["patience"], "patience", low=0, integer=True)
        _number(self.params["min_delta"], "min_delta", low=0.0)
        _number(self.params["min_lr"], "min_lr", low=0.0)
        if not isinstance(self.params["best_on_any_gain"], bool):
            raise ValueError(
                f"best_on_any_gain must be True or False; got {self.params['best_on_any_gain']!r}"
            )

    def rate(self, epoch):
        return self.current

    def update(self, epoch, logs):
        monitor = self.params["monitor"] or ("val_loss" if "val_loss" in logs else "loss")
        if monitor not in logs:
            raise ValueError(
                f"schedule 'plateau' monitors {monitor!r}, which the logs do not have; "
                f"they have {', '.join(sorted(logs))}"
            )
        value = float(logs[monitor])
        sign = -1.0 if higher_is_better(monitor) else 1.0
        signed, best = sign * value, None if self.best is None else sign * self.best
        any_gain = self.params["best_on_any_gain"]
        if best is None or improves(signed, best, self.params["min_delta"], any_gain):
            self.best, self.wait = value, 0
            return
        if any_gain and signed < best:
            self.best = value
        self.wait += 1
        if self.wait >= self.params["patience"]:
            # Down to min_lr, never up to it (a rate that starts below stays there).
            self.current = max(self.current * self.params["factor"],
                               min(self.params["min_lr"], self.current))
            self.wait = 0

    def state_dict(self):
        return {
            **super().state_dict(),
            "current": self.current,
            "best": self.best,
            "wait": self.wait,
        }

    def load_state_dict(self, state):
        super().load_state_dict(state)
        self.current = float(state["current"])
        self.best = None if state["best"] is None else float(state["best"])
        self.wait = int(state["wait"])

    def rescale(self, learning_rate):
        # A rate already lowered on plateaus keeps its ratio to the initial one, not
        # below min_lr (as lowering it never goes) unless the new rate itself is.
        floor = min(self.params["min_lr"], float(learning_rate))
        self.current = max(self.current * float(learning_rate) / self.initial_rate, floor)
        super().rescale(learning_rate)


def improves(value: float, best: float, min_delta: float, at_least: bool = False) -> bool:
    """Whether ``value`` improves on ``best`` (both lower-is-better, i.e. negated for
    accuracy and R^2) by more than ``min_delta`` (Keras's rule), or by at least
    ``min_delta`` with ``at_least`` (scikit-learn's: with a tol of 0, an equal value is
    no stall)."""
    return value <= best - min_delta if at_least else value < best - min_delta


def higher_is_better(monitor: str) -> bool:
    """True for logs where larger is better (accuracy, R^2); False for losses and RMSE."""
    return monitor.removeprefix("val_") in ("accuracy", "r2")


_REGISTRY: Registry[Schedule] = Registry("schedule", Schedule)


def register(name: str, factory: Callable[..., Schedule], *, replace: bool = False) -> None:
    """Make ``factory(learning_rate, **params)`` available under ``name``.

    A name of lucidnet's own is refused unless ``replace``.
    """
    _REGISTRY.register(name, factory, replace=replace)


for _cls in (Constant, StepDecay, ExponentialDecay, InverseScaling, Cosine, ReduceOnPlateau):
    register(_cls.name, _cls)
_REGISTRY.seal()


def names() -> tuple[str, ...]:
    """The registered schedule names."""
    return _REGISTRY.names()


def get(identifier: str | dict | Schedule, learning_rate: float = 0.001, **params: Any) -> Schedule:
    """Resolve a schedule from a name, a config dict with a ``name``, or an instance.

    ``learning_rate`` applies unless the config dict gives one.  Raises
    ``ValueError`` for an unknown name (listing the known ones) or a bad setting,
    ``TypeError`` for anything else.
    """
    return _REGISTRY.resolve(identifier, {"learning_rate": learning_rate}, **params)
