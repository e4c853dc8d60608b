"""Callbacks: small objects the training loop calls at fixed points.

The protocol (every method optional, :class:`Callback` provides no-ops)::

    on_train_begin(logs)          once, before the first epoch of a fit
    on_epoch_begin(epoch, logs)   epoch is 0-based and counts across fits and resumes
    on_batch_end(batch, logs)     logs: {"loss": batch cost, "size": rows, "iteration": i}
    on_epoch_end(epoch, logs)     logs: {"loss", "lr", and "val_loss", "val_<metric>"
                                  when there is validation data}
    on_train_end(logs)            once, after the last epoch (also after an early stop)

With L-BFGS an epoch is one of SciPy's iterations, which runs inside SciPy: its
``on_epoch_begin`` is called once the iteration is done (the parameters already
moved), just before its ``on_epoch_end``, and its logs hold no ``"lr"`` (the line
search sets each step).

A callback sees the trainer as ``self.trainer`` (set by :meth:`Callback.set_trainer`)
and stops training by setting ``self.trainer.stop_training = True``; the loop
finishes the current epoch and ends.  ``on_batch_end`` is only called for callbacks
that override it, so the others cost nothing per batch; likewise ``on_epoch_begin``
and ``on_epoch_end`` (see :func:`overrides`).  The epoch hooks of a step-wise fit
run inside the loop's ``np.errstate(over/invalid/divide="ignore")``, which the loop
sets once per fit rather than once per epoch.

Provided: :class:`History` (every trainer has one), :class:`EarlyStopping`,
:class:`Checkpoint`, :class:`ProgressBar` (tqdm) and :class:`CostPrinter` (the
reference material's ``print_cost``).  This module does not run training; see
:mod:`lucidnet.training`.
"""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Iterable, Mapping
from typing import IO, Any

import numpy as np

from ._checks import is_real
from .schedules import higher_is_better, improves

__all__ = ["Callback", "History", "EarlyStopping", "Checkpoint", "ProgressBar", "CostPrinter"]


class Callback:
    """Base class of the callback protocol; every hook is a no-op.

    ``changes_parameters`` says whether a hook may change the values of the network's
    parameters or of the optimizer's state arrays while the fit runs (between batches
    or epochs): the fused SGD step (:mod:`lucidnet.fused_sgd`) keeps bounds on their
    norms and takes them again after such a hook.  True unless a class says otherwise
    in its own body (a subclass of a read-only callback is not taken to be read-only
    too), and for any callback with a hook set on the instance.  lucidnet's own
    callbacks only read while the fit runs (``EarlyStopping`` restores the best weights
    after the last epoch).
    """

    trainer: Any = None
    changes_parameters: bool = True

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "changes_parameters" not in vars(cls):
            cls.changes_parameters = True

    def set_trainer(self, trainer: Any) -> None:
        """Called by the trainer before training starts."""
        self.trainer = trainer

    def on_train_begin(self, logs: Mapping[str, Any] | None = None) -> None:
        """Before the first epoch of a fit."""

    def on_train_end(self, logs: Mapping[str, Any] | None = None) -> None:
        """After the last epoch of a fit, or when the fit stops on an error."""

    def on_epoch_begin(self, epoch: int, logs: Mapping[str, Any] | None = None) -> None:
        """Before epoch ``epoch`` (0-based)."""

    def on_epoch_end(self, epoch: int, logs: Mapping[str, Any]) -> None:
        """After epoch ``epoch`` with its logs."""

    def on_batch_end(self, batch: int, logs: Mapping[str, Any]) -> None:
        """After mini-batch ``batch`` (0-based within the epoch)."""


def overrides(callback: Callback, hook: str) -> bool:
    """True when ``callback``'s ``hook`` (e.g. ``"on_epoch_begin"``) is not the base no-op.

    The training loop calls a hook only on the callbacks for which this is true, so a
    callback costs nothing at the points where it does nothing.  A hook set on the
    instance (not a method of the class) counts as overridden.
    """
    method = getattr(callback, hook)
    return getattr(method, "__func__", None) is not getattr(Callback, hook)


def overrides_batch_end(callback: Callback) -> bool:
    """True when ``callback`` does something per batch (so the loop must call it).

    A callback can say so itself with a ``per_batch`` attribute.
    """
    return bool(getattr(callback, "per_batch", overrides(callback, "on_batch_end")))


# The hooks that run while a fit's steps do (on_train_begin runs before the first).
_MID_FIT_HOOKS = ("on_epoch_begin", "on_epoch_end", "on_batch_end")


def may_change_parameters(callbacks: Iterable[Callback]) -> bool:
    """True when a callback among ``callbacks`` may change the parameters mid-fit (see
    :class:`Callback`)."""
    return any(
        getattr(callback, "changes_parameters", True)
        or any(hook in getattr(callback, "__dict__", {}) for hook in _MID_FIT_HOOKS)
        for callback in callbacks
    )


class History(Callback):
    """Per-epoch logs of a trainer, across fits, partial fits and resumes.

    Attributes
    ----------
    history : dict of str to list of float
        ``"loss"`` (training loss, L2 penalty included), ``"lr"`` (not with L-BFGS,
        whose line search sets each step), and with validation data ``"val_loss"``
        (no penalty) and ``"val_<metric>"``.
    epochs : int
        Epochs done.
    stopped_early : bool
        True when the last fit ended because a callback stopped it.
    best_epoch : int or None
        The 0-based epoch whose weights early stopping kept, when it ran.
    """

    changes_parameters = False

    def __init__(self) -> None:
        self.history: dict[str, list[float]] = {}
        self.epochs = 0
        self.stopped_early = False
        self.best_epoch: int | None = None

    def on_train_begin(self, logs=None):
        self.stopped_early = False
        self.best_epoch = None

    def on_epoch_end(self, epoch, logs):
        for key, value in logs.items():
            values = self.history.setdefault(key, [])
            if len(values) < epoch:
                # A log that starts late (validation data given only from a resumed run
                # or a later fit on) is padded with NaN: entry i is always epoch i's.
                values.extend([math.nan] * (epoch - len(values)))
            values.append(float(value))
        self.epochs = epoch + 1

    def state_dict(self) -> dict[str, Any]:
        """JSON-able copy of the attributes."""
        return {
            "history": {key: list(values) for key, values in self.history.items()},
            "epochs": self.epochs,
            "stopped_early": self.stopped_early,
            "best_epoch": self.best_epoch,
        }

    def load_state_dict(self, state: Mapping[str, Any]) -> None:
        """Restore what :meth:`state_dict` returned."""
        self.history = {key: [float(v) for v in values] for key, values in state["history"].items()}
        self.epochs = int(state["epochs"])
        self.stopped_early = bool(state["stopped_early"])
        self.best_epoch = state["best_epoch"]

    def __repr__(self) -> str:
        return f"History(epochs={self.epochs}, keys={sorted(self.history)})"


class EarlyStopping(Callback):
    """Stop when ``monitor`` has not improved for ``patience`` epochs.

    An improvement is ``value < best - min_delta`` for losses and RMSE, and
    ``value > best + min_delta`` for accuracy and R^2.  With
    ``restore_best_weights`` the network ends the fit with the parameters of its
    best epoch (recorded in ``trainer.history.best_epoch``).

    Parameters
    ----------
    monitor : str, default "val_loss"
        A key of the epoch logs: "loss", "val_loss", "val_accuracy", "val_r2", ...
    patience : int, default 10
    min_delta : float, default 1e-4
    restore_best_weights : bool, default True
    best_on_any_gain : bool, default False
        False (Keras's rule): ``best`` (and the epoch whose weights are kept) moves
        only on an improvement.  True (scikit-learn's MLP rule): it follows every new
        best value, however small the gain, while the count of epochs without an
        improvement restarts only on a gain of at least ``min_delta`` over the best
        before it.  Small gains then stop a fit sooner, and the weights kept are those
        of the best epoch of all.
    """

    changes_parameters = False

    state_key = "early_stopping"

    def __init__(
        self,
        monitor: str = "val_loss",
        patience: int = 10,
        min_delta: float = 1e-4,
        restore_best_weights: bool = True,
        best_on_any_gain: bool = False,
    ) -> None:
        if not isinstance(monitor, str) or not monitor:
            raise ValueError(f"monitor must be a log name like 'val_loss'; got {monitor!r}")
        if isinstance(patience, bool) or not isinstance(patience, (int, np.integer)) or (
            patience < 0
        ):
            raise ValueError(f"patience must be an int >= 0; got {patience!r}")
        if not is_real(min_delta) or not min_delta >= 0:
            raise ValueError(f"min_delta must be a number >= 0; got {min_delta!r}")
        self.monitor = monitor
        self.patience = int(patience)
        self.min_delta = float(min_delta)
        self.restore_best_weights = bool(restore_best_weights)
        self.best_on_any_gain = bool(best_on_any_gain)
        self._sign = -1.0 if higher_is_better(monitor) else 1.0
        self.reset()

    def reset(self) -> None:
        """Forget the best value (a new fit starts counting afresh)."""
        self.best: float | None = None
        self.best_epoch: int | None = None
        self.wait = 0
        self.best_params: np.ndarray | None = None

    def on_train_begin(self, logs=None):
        self.reset()

    def check_monitor(self, log_names: Iterable[str]) -> None:
        """Raise ValueError unless ``monitor`` is one of ``log_names`` (the keys the
        epoch logs will have); the Trainer asks before a fit's first epoch."""
        names = set(log_names)
        if self.monitor not in names:
            raise ValueError(
                f"EarlyStopping monitors {self.monitor!r}, which the epoch logs do not have "
                f"(they have {', '.join(sorted(names))}); give validation data or monitor 'loss'"
            )

    def on_epoch_end(self, epoch, logs):
        if self.monitor not in logs:
            self.check_monitor(logs)
        value = float(logs[self.monitor])
        signed, best = self._sign * value, None if self.best is None else self._sign * self.best
        improved = best is None or improves(signed, best, self.min_delta, self.best_on_any_gain)
        # scikit-learn's rule counts a gain of exactly min_delta (so a tie when it is 0)
        # as no stall, but keeps the weights only of a strictly better epoch (the first
        # of tied ones); Keras's improvements are always strictly better.
        if best is None or (signed < best if self.best_on_any_gain else improved):
            self._keep(value, epoch)
        if improved:
            self.wait = 0
            return
        self.wait += 1
        if self.wait >= self.patience:
            self.trainer.stop_training = True

    def _keep(self, value: float, epoch: int) -> None:
        """Make ``value`` of ``epoch`` the best, and its weights the ones to restore."""
        self.best, self.best_epoch = value, epoch
        if self.restore_best_weights:
            params = self.trainer.network.params
            if self.best_params is None or self.best_params.shape != params.shape:
                self.best_params = params.copy()
            else:
                np.copyto(self.best_params, params)

    def on_train_end(self, logs=None):
        self.trainer.history.best_epoch = self.best_epoch
        if self.restore_best_weights and self.best_params is not None:
            self.trainer.network.params[...] = self.best_params

    def state_dict(self) -> dict[str, Any]:
        """JSON-able values plus the best parameters (under ``"arrays"``)."""
        arrays = {} if self.best_params is None else {"best_params": self.best_params.copy()}
        return {"best": self.best, "best_epoch": self.best_epoch, "wait": self.wait,
                "monitor": self.monitor, "arrays": arrays}

    def load_state_dict(self, state: Mapping[str, Any]) -> None:
        """Restore what :meth:`state_dict` returned; a state of another ``monitor`` is
        left out (its best is of another quantity: a training loss is no validation
        loss), and counting starts afresh."""
        if state.get("monitor", self.monitor) != self.monitor:
            self.reset()
            return
        self.best = None if state["best"] is None else float(state["best"])
        self.best_epoch = state["best_epoch"]
        self.wait = int(state["wait"])
        best = state.get("arrays", {}).get("best_params")
        self.best_params = None if best is None else np.array(best)


class Checkpoint(Callback):
    """Save the trainer's full state to ``directory`` every ``every`` epochs, atomically.

    The file is ``directory/checkpoint.npz`` (see :mod:`lucidnet.checkpoints`);
    ``Trainer.fit(..., resume=True)`` continues from it.  Put it after the other
    callbacks so that their state at the end of the epoch is included.
    """

    changes_parameters = False

    def __init__(self, directory: str | os.PathLike, every: int = 1) -> None:
        if isinstance(every, bool) or not isinstance(every, (int, np.integer)) or every < 1:
            raise ValueError(f"every must be an int >= 1 (Trainer.fit's checkpoint_every); "
                             f"got {every!r}")
        self.directory = os.fspath(directory)
        self.every = int(every)

    def on_epoch_end(self, epoch, logs):
        if (epoch + 1) % self.every == 0:
            from .checkpoints import checkpoint_path

            self.trainer.save_checkpoint(checkpoint_path(self.directory))


class ProgressBar(Callback):
    """A tqdm bar over epochs showing the loss and validation loss.

    Silent unless ``enabled`` and standard error is a terminal or a Jupyter kernel's
    output (where ``tqdm.auto`` draws its notebook bar, or text without ipywidgets), or
    ``enabled="always"``: a script's log file or pipe gets no bar.
    """

    changes_parameters = False

    def __init__(self, enabled: bool | str = True, file: IO[str] | None = None) -> None:
        if enabled not in (True, False, "always"):
            raise ValueError(f"enabled must be True, False or 'always' (Trainer.fit's "
                             f"verbose); got {enabled!r}")
        self.enabled = enabled
        self.file = file
        self._bar = None

    def _active(self) -> bool:
        stream = self.file or sys.stderr
        if self.enabled == "always":
            return True
        if not self.enabled:
            return False
        # A notebook's streams are ipykernel's, which say they are not terminals.
        in_notebook = type(stream).__module__.startswith("ipykernel")
        return in_notebook or (hasattr(stream, "isatty") and stream.isatty())

    def on_train_begin(self, logs=None):
        if not self._active():
            return
        from tqdm.auto import tqdm

        self._bar = tqdm(
            total=self.trainer.target_epochs,
            initial=self.trainer.history.epochs,
            unit="epoch",
            file=self.file or sys.stderr,
            leave=True,
        )

    def on_epoch_end(self, epoch, logs):
        if self._bar is None:
            return
        shown = {key: f"{logs[key]:.4g}" for key in ("loss", "val_loss") if key in logs}
        self._bar.set_postfix(shown, refresh=False)
        self._bar.update(1)

    def on_train_end(self, logs=None):
        if self._bar is not None:
            if self.trainer.stop_training:
                # Stopped early: a full bar saying so, not one left at 12%.
                self._bar.total = self._bar.n
                self._bar.set_description_str("stopped early", refresh=False)
                self._bar.refresh()
            self._bar.close()
            self._bar = None


class CostPrinter(Callback):
    """Print the cost every ``every`` epochs or iterations, as the reference material does.

    ``unit="epoch"`` prints ``Cost after epoch 100: 0.693147`` from the epoch loss;
    ``unit="iteration"`` prints ``Cost after iteration 100: 0.693147`` from each
    mini-batch's cost (an iteration is one update; with full batches they coincide).
    """

    changes_parameters = False

    def __init__(self, every: int = 100, unit: str = "epoch", file: IO[str] | None = None) -> None:
        if isinstance(every, bool) or not isinstance(every, (int, np.integer)) or every < 1:
            raise ValueError(f"every must be an int >= 1; got {every!r}")
        if unit not in ("epoch", "iteration"):
            raise ValueError(f"unit must be 'epoch' or 'iteration'; got {unit!r}")
        self.every = int(every)
        self.unit = unit
        self.file = file
        self.per_batch = unit == "iteration"

    def _print(self, index: int, cost: float) -> None:
        print(f"Cost after {self.unit} {index}: {cost:.6f}", file=self.file or sys.stdout)

    def on_epoch_end(self, epoch, logs):
        if self.unit == "epoch" and epoch % self.every == 0:
            self._print(epoch, logs["loss"])

    def on_batch_end(self, batch, logs):
        if self.unit == "iteration" and logs["iteration"] % self.every == 0:
            self._print(logs["iteration"], logs["loss"])
