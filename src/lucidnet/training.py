"""Training loops over :meth:`Network.loss_and_gradient`.

Two doors:

* :func:`gradient_descent`, the reference material's batch gradient descent: one
  forward and backward pass over all examples, then ``params -= alpha * grads``,
  with the cost recorded every N iterations (``Network.fit`` calls it);
* :class:`Trainer` (and :func:`train`, its one-call form), the practitioner's loop:
  mini-batches reshuffled each epoch from a seeded generator, any optimizer of
  :mod:`lucidnet.optimizers`, a per-epoch schedule of :mod:`lucidnet.schedules`,
  L2, dropout, gradient-norm clipping, validation with metrics, early stopping,
  callbacks, and checkpoints from which a killed run resumes bit for bit.

Each mini-batch of a shuffled epoch is gathered with one ``np.take`` per array into
a batch-sized buffer allocated once per fit (so memory stays at the data plus a few
batches, never a permuted copy of the data); unshuffled batches are plain views.
Each batch is then one call of ``loss_and_gradient`` into a reused workspace and one
in-place optimizer step.  Nothing is done per example in Python, and per epoch only
the callbacks that override a hook are called.

Targets arrive encoded as the network expects (one-hot for softmax, 0/1 columns for
sigmoid, values for regression): label encoding, class weights and input scaling
belong to the callers (estimators, command line), as does warning about
non-convergence.
"""

from __future__ import annotations

import inspect
import json
import math
import os
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Protocol

import numpy as np

from . import fused_sgd, optimizers, schedules
from ._checks import is_real
from ._random import check_random_state
from ._sparse import is_sparse
from .callbacks import (
    Callback,
    Checkpoint,
    EarlyStopping,
    History,
    ProgressBar,
    may_change_parameters,
    overrides,
    overrides_batch_end,
)
from .errors import DivergenceError, ModelFileError
from .network import PREDICT_CHUNK, Network, Workspace

__all__ = ["gradient_descent", "Trainer", "train", "METRICS"]



def gradient_descent(
    network: Network,
    X: np.ndarray,
    Y: np.ndarray,
    *,
    learning_rate: float = 0.0075,
    num_iterations: int = 3000,
    print_cost: bool = False,
    cost_every: int = 100,
    sample_weight: np.ndarray | None = None,
    random_state: int | np.random.Generator | None = None,
) -> list[float]:
    """Batch gradient descent: ``W := W - alpha dW`` on all of ``X`` each iteration.

    Parameters
    ----------
    network : Network
    X : ndarray of shape (m, n[0])
    Y : ndarray of shape (m, n[L]), or (m,) for one output
    learning_rate : float
        ``alpha``.
    num_iterations : int
    print_cost : bool
        Print ``Cost after iteration i: J`` whenever a cost is recorded, and at the
        last iteration, as the reference models do.
    cost_every : int
        Record the cost at iterations 0, N, 2N, ... (the reference's rule).
    sample_weight : ndarray of shape (m,), optional
    random_state : int, np.random.Generator or None
        Seed of the dropout masks, drawn anew at every iteration (for a network with
        dropout); None: unseeded.

    Returns
    -------
    list of float
        The recorded costs (each computed before that iteration's update).

    Raises
    ------
    DivergenceError
        When the cost stops being finite; the network keeps its last finite parameters.
    """
    _check_positive(learning_rate, "learning_rate", float)
    _check_positive(num_iterations, "num_iterations", int)
    _check_positive(cost_every, "cost_every", int)
    X, Y, sample_weight = network.check_data(X, Y, sample_weight)
    workspace = network.workspace(len(X))
    dropout = any(layer.dropout for layer in network.layers)
    rng = check_random_state(random_state) if dropout else None
    # The reference's update W := W - alpha dW, on the flat buffer, checked for finiteness.
    sgd = optimizers.SGD(learning_rate)
    costs: list[float] = []
    last = num_iterations - 1
    # Overflow on the way to a non-finite cost is expected; the check below reports it.
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for i in range(num_iterations):
            cost = network.loss_and_gradient(X, Y, sample_weight, workspace=workspace,
                                             rng=rng)
            if not np.isfinite(cost):
                # The parameters that produced this cost are still the last finite ones.
                raise DivergenceError(
                    f"the cost became {cost} at iteration {i} (learning_rate={learning_rate}); "
                    "try a smaller learning rate"
                )
            if i % cost_every == 0:
                costs.append(cost)
            if print_cost and (i % cost_every == 0 or i == last):
                print(f"Cost after iteration {i}: {cost:.6f}")
            if not sgd.step(network.params, network.grads):
                raise DivergenceError(
                    f"the update became non-finite at iteration {i} "
                    f"(learning_rate={learning_rate}); try a smaller learning rate"
                )
    return costs


def _check_positive(value, name: str, kind: type) -> None:
    if not is_real(value) or not value > 0:
        raise ValueError(f"{name} must be a positive {kind.__name__}; got {value!r}")
    # A count is an int (NumPy's too), as range() needs: 10.0 or 1e4 is refused here,
    # not by range() later.
    if kind is int and not isinstance(value, (int, np.integer)):
        raise ValueError(f"{name} must be a positive int; got {value!r}")


# ---------------------------------------------------------------- metrics
def _weighted_mean(values: np.ndarray, sample_weight: np.ndarray | None) -> float:
    if sample_weight is None:
        return float(np.mean(values))
    return float(np.dot(values, sample_weight) / sample_weight.sum())


def accuracy(A: np.ndarray, Y: np.ndarray, sample_weight: np.ndarray | None = None) -> float:
    """Share of rows whose class is right: argmax of the output against argmax of ``Y``.

    For a softmax output; ``A``, ``Y``: ndarray of shape (m, n_classes).
    """
    right = A.argmax(axis=1) == Y.argmax(axis=1)
    return _weighted_mean(right.astype(np.float64), sample_weight)


def subset_accuracy(
    A: np.ndarray, Y: np.ndarray, sample_weight: np.ndarray | None = None
) -> float:
    """Share of rows whose every output, thresholded at 0.5, equals its 0/1 target.

    For sigmoid outputs (binary or multilabel), as scikit-learn's accuracy of a
    multilabel indicator; ``A``, ``Y``: ndarray of shape (m, n_outputs).
    """
    right = ((A > 0.5) == (Y > 0.5)).all(axis=1)
    return _weighted_mean(right.astype(np.float64), sample_weight)


def r2(A: np.ndarray, Y: np.ndarray, sample_weight: np.ndarray | None = None) -> float:
    """Coefficient of determination, averaged over outputs (as scikit-learn's ``r2_score``).

    ``1 - sum w (y - a)^2 / sum w (y - ybar_w)^2`` per column; a constant target
    column scores 1.0 when predicted exactly and 0.0 otherwise.
    """
    # In float64: squares of float32 errors overflow from 1.8e19 on, and the score
    # would be -inf instead of a (very) negative number.
    A = np.asarray(A, dtype=np.float64)
    Y = np.asarray(Y, dtype=np.float64)
    w = np.ones(len(Y)) if sample_weight is None else sample_weight.astype(np.float64)
    mean = (w @ Y) / w.sum()
    residual = w @ (Y - A) ** 2
    total = w @ (Y - mean) ** 2
    scores = np.where(total > 0, 1.0 - residual / np.where(total > 0, total, 1.0),
                      np.where(residual > 0, 0.0, 1.0))
    return float(scores.mean())


def rmse(A: np.ndarray, Y: np.ndarray, sample_weight: np.ndarray | None = None) -> float:
    """Root of the (weighted) mean squared error over all outputs (in float64, as r2)."""
    errors = np.asarray(A, dtype=np.float64) - Y
    return math.sqrt(_weighted_mean((errors**2).mean(axis=1), sample_weight))


#: Validation metrics by name; each is ``metric(A, Y, sample_weight) -> float``
#: (for sigmoid outputs "accuracy" is computed by subset_accuracy).
_METRIC_FUNCTIONS = {"accuracy": accuracy, "r2": r2, "rmse": rmse}
#: The metric names the Trainer accepts.
METRICS = tuple(_METRIC_FUNCTIONS)


def _infer_metric(network: Network, metric: str | None) -> str | None:
    if metric is not None:
        if metric not in _METRIC_FUNCTIONS:
            raise ValueError(f"metric must be one of {', '.join(METRICS)} or None; got {metric!r}")
        return metric
    if network.classifies:
        return "accuracy"
    return "r2" if network.layers[-1].activation.name in ("identity", "sigmoid") else None


def _metric_function(network: Network, metric: str):
    """The function computing ``metric``; accuracy depends on the output activation."""
    if metric == "accuracy" and network.layers[-1].activation.name != "softmax":
        return subset_accuracy
    return _METRIC_FUNCTIONS[metric]


# ---------------------------------------------------------------- batches
class RowOrder(Protocol):
    """Where a :class:`Trainer` takes each shuffled epoch's row order from."""

    def permutation(self, m: int) -> np.ndarray:
        """A permutation of ``0 .. m-1``, shape (m,)."""

    def state_dict(self) -> dict:
        """JSON-able state, for checkpoints."""

    def load_state_dict(self, state: dict | None) -> None:
        """Restore :meth:`state_dict`'s state (None: a checkpoint without one)."""


def _may_add_logs(callback: Callback) -> bool:
    """Whether ``callback``'s ``on_epoch_end`` is code of the user's own (a method of
    their class, or a function set on the instance), which may add keys to the logs;
    lucidnet's own hooks never do."""
    if not overrides(callback, "on_epoch_end"):
        return False
    hook = callback.on_epoch_end
    module = getattr(getattr(hook, "__func__", hook), "__module__", None)
    return not (isinstance(module, str) and module.startswith("lucidnet."))


class _Batches:
    """The mini-batches of one fit, in a fresh random order each epoch.

    A shuffled epoch draws one permutation of the rows and gathers each batch's rows
    of ``X``, ``Y`` (and weights) with ``np.take(..., out=buffer)`` into buffers of
    one batch, allocated once per fit.  That costs less than gathering a permuted
    copy of the whole data per epoch (fewer bytes written, and the buffers stay in
    cache) and keeps memory bounded.  ``mode="clip"`` because ``mode="raise"`` makes
    NumPy gather into a temporary first; the indices are a permutation, always in
    range.  Unshuffled batches are views, and a single full batch is never shuffled:
    its gradient does not depend on the order.

    A sparse ``X`` (CSR) gives CSR batches (its rows, gathered by SciPy), which the
    first layer multiplies as they are.
    """

    def __init__(self, X, Y, sample_weight, batch_size: int | None, shuffle: bool,
                 permutation: Callable[[int], np.ndarray]) -> None:
        self.m = X.shape[0]
        self.batch_size = self.m if batch_size is None else min(int(batch_size), self.m)
        self.shuffle = shuffle and self.batch_size < self.m
        self.sparse = is_sparse(X)
        self.permutation = permutation  # permutation(m): a shuffled epoch's row order
        self.source = (X, Y, sample_weight)
        self.buffers = tuple(
            None if a is None or not self.shuffle or is_sparse(a)
            else np.empty((self.batch_size, *a.shape[1:]), a.dtype)
            for a in self.source
        )

    def epoch(self):
        """The epoch's batches: an iterable of ``(X_b, Y_b, w_b)`` (``w_b`` may be None).

        The arrays are views (of the data or of the gather buffers) that the next
        batch may overwrite.  The permutation is drawn before the first batch, so the
        random stream (and a resumed run) is the same as with a whole-epoch gather.
        """
        if self.batch_size == self.m:
            return (self.source,)
        if self.sparse:
            return self._sparse_batches(self.permutation(self.m) if self.shuffle else None)
        if not self.shuffle:
            return self._slices()
        return self._gathered(self.permutation(self.m))

    def _ranges(self):
        size = self.batch_size
        return ((start, min(start + size, self.m)) for start in range(0, self.m, size))

    def _slices(self):
        for start, stop in self._ranges():
            yield tuple(None if a is None else a[start:stop] for a in self.source)

    def _gathered(self, perm: np.ndarray):
        for start, stop in self._ranges():
            rows = perm[start:stop]
            yield tuple(
                None if source is None
                else np.take(source, rows, axis=0, out=buffer[: stop - start], mode="clip")
                for source, buffer in zip(self.source, self.buffers, strict=True)
            )

    def _sparse_batches(self, perm: np.ndarray | None):
        """As :meth:`_gathered` (``perm`` given) or :meth:`_slices` (None), with the
        sparse ``X``'s rows taken as a CSR matrix."""
        X, *targets = self.source
        _, *target_buffers = self.buffers
        for start, stop in self._ranges():
            if perm is None:
                rows = slice(start, stop)
                rest = [None if a is None else a[rows] for a in targets]
            else:
                rows = perm[start:stop]
                rest = [
                    None if a is None
                    else np.take(a, rows, axis=0, out=buffer[: stop - start], mode="clip")
                    for a, buffer in zip(targets, target_buffers, strict=True)
                ]
            yield (X[rows], *rest)


# ---------------------------------------------------------------- trainer
def _initial_rate(learning_rate: float | None, optimizer: Any, schedule: Any) -> float:
    """The Trainer's initial rate: ``learning_rate``, or the rate an optimizer or
    schedule carries (an instance's, or a config dict's ``"learning_rate"``), 0.001
    without any; a ValueError when the rates given disagree (the schedule's would
    silently overrule the others at the first epoch)."""
    given = [] if learning_rate is None else [(f"learning_rate={learning_rate!r}",
                                               learning_rate)]
    for what, source in (("optimizer", optimizer), ("schedule", schedule)):
        if isinstance(source, optimizers.Optimizer):
            given.append((f"{what} {source!r}", source.learning_rate))
        elif isinstance(source, schedules.Schedule):
            given.append((f"{what} {source!r}", source.initial_rate))
        elif isinstance(source, Mapping) and "learning_rate" in source:
            given.append((f"{what} {dict(source)!r}", source["learning_rate"]))
    rates = [float(rate) for _, rate in given if is_real(rate)]
    # Within float32's rounding: SGD(np.float32(0.1)) and learning_rate=0.1 agree.
    if rates and any(not math.isclose(rate, rates[0], rel_tol=1e-6) for rate in rates):
        raise ValueError(f"the learning rates disagree: {', '.join(name for name, _ in given)}; "
                         "give the rate once (an instance carries its own rate)")
    return given[0][1] if given else 0.001


class Trainer:
    """Owns a network's optimizer, schedule, random generator and history across calls.

    ``fit`` trains for a number of epochs (continuing the epoch count of earlier
    calls), ``partial_fit`` runs one epoch on the data given, and
    ``fit(..., resume=True)`` continues from a checkpoint.

    Parameters
    ----------
    network : Network
        Trained in place.
    optimizer : str or Optimizer, default "adam"
        A name from :func:`lucidnet.optimizers.names`.  ``"sgd"``, ``"momentum"`` and
        ``"nesterov"`` on a network of :data:`lucidnet.fused_sgd.MIN_PARAMS` parameters
        or more, without dropout or ``clip_norm``, in batches of at most
        :data:`lucidnet.fused_sgd.MAX_BATCH` rows (and, in float32, with at most half
        of its weights in layers of fewer than :data:`lucidnet.fused_sgd.NARROW_UNITS`
        units), run as
        :class:`lucidnet.fused_sgd.FusedSGD`: the same steps up to rounding, each
        layer's update accumulated by BLAS straight into ``W`` or into the velocity
        (``network.grads`` is then not filled).  ``"lbfgs"`` runs SciPy's L-BFGS-B on
        the full batch, one of its iterations per epoch: ``batch_size``, ``shuffle``,
        the learning rate and its schedule do not apply.
    learning_rate : float, optional
        The initial rate; the schedule sets the rate of each epoch from it.  Default:
        the rate ``optimizer`` or ``schedule`` carries (an instance's, or a config
        dict's ``"learning_rate"``; the two must then agree), else 0.001.  Given beside
        one of another rate, it is refused rather than silently overruled.
    optimizer_params : dict, optional
        The rule's hyperparameters, e.g. ``{"beta_1": 0.9}``, ``{"momentum": 0.9}``,
        ``{"weight_decay": 0.01}`` (adamw).
    schedule : str or Schedule, default "constant"
        A name from :func:`lucidnet.schedules.names`; applied per epoch.
    schedule_params : dict, optional
        E.g. ``{"gamma": 0.9}``, ``{"step_size": 20}``, ``{"patience": 3}``.
    batch_size : int or None, default 200
        Rows per mini-batch; None, or any value >= m, means full batch.  The last
        batch of an epoch holds the remaining ``m mod batch_size`` rows.
    shuffle : bool, default True
        Reshuffle the rows each epoch.
    l2 : float, default 0.0
        L2 penalty strength (``(l2/2) * scale(m) * sum W^2``; biases excluded).
    clip_norm : float, optional
        Rescale the flat gradient to this Euclidean norm when it is longer.
    random_state : int, np.random.Generator or None
        Seeds shuffling, dropout masks and the validation split.  The same seed
        gives bit-identical weights on the same machine and thread count.
    callbacks : iterable of Callback
        Called after the trainer's own History, before early stopping and checkpoints.
    verbose : bool or "always", default False
        A progress bar when True and stderr is a terminal or a Jupyter notebook, or
        always with "always".
    metric : {"accuracy", "r2", "rmse"} or None
        Validation metric, logged as ``"val_<metric>"``; None infers accuracy for a
        classifier (:attr:`Network.classifies`: softmax, or sigmoid with a
        cross-entropy), R^2 for identity outputs and a sigmoid trained with another
        loss (a regression onto (0, 1)), and none for other outputs (tanh, exp, ...).
    row_order : RowOrder, optional
        Draws each shuffled epoch's order of the rows; by default
        ``rng.permutation(m)``.  (The scikit-learn estimators pass one that draws as
        scikit-learn's MLP does.)  Checkpoints keep its state.
    weight_sums : bool, default False
        With sample weights, divide each batch's cost and L2 penalty by the batch's
        weight sum instead of its number of rows (scikit-learn's MLP convention: an
        integer weight is then that row repeated within its batch).  A batch whose
        weights are all 0 is skipped (no step).

    Attributes
    ----------
    history : History
    optimizer : Optimizer
    schedule : Schedule
    rng : np.random.Generator
    stop_training : bool
        Set by a callback to end the fit after the current epoch.
    iterations : int
        Optimizer steps taken.
    """

    def __init__(
        self,
        network: Network,
        *,
        optimizer: str | optimizers.Optimizer = "adam",
        learning_rate: float | None = None,
        optimizer_params: Mapping[str, Any] | None = None,
        schedule: str | schedules.Schedule = "constant",
        schedule_params: Mapping[str, Any] | None = None,
        batch_size: int | None = 200,
        shuffle: bool = True,
        l2: float = 0.0,
        clip_norm: float | None = None,
        random_state: int | np.random.Generator | None = None,
        callbacks: Iterable[Callback] = (),
        verbose: bool | str = False,
        metric: str | None = None,
        row_order: RowOrder | None = None,
        weight_sums: bool = False,
    ) -> None:
        if not isinstance(network, Network):
            raise TypeError(f"network must be a lucidnet Network; got {type(network).__name__}")
        self.network = network
        if isinstance(optimizer, optimizers.Optimizer) and optimizer_params:
            raise ValueError(
                "optimizer_params must be None when optimizer is an Optimizer instance "
                "(its settings are already chosen)"
            )
        learning_rate = _initial_rate(learning_rate, optimizer, schedule)
        if optimizer_params is not None and not isinstance(optimizer_params, Mapping):
            raise TypeError("optimizer_params must be None or a dict of settings; got "
                            f"{optimizer_params!r}")
        self.optimizer = optimizers.get(optimizer, learning_rate, **dict(optimizer_params or {}))
        if isinstance(self.optimizer, optimizers.AdamW):
            self.optimizer.set_decay_mask(network.weight_mask())  # biases do not decay
        self.schedule = schedules.get(schedule, learning_rate, **dict(schedule_params or {}))
        if batch_size is not None and (
            isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer))
            or batch_size < 1
        ):
            raise ValueError(f"batch_size must be None or an int >= 1; got {batch_size!r}")
        self.batch_size = batch_size
        self.shuffle = bool(shuffle)
        if not is_real(l2) or not l2 >= 0:
            raise ValueError(f"l2 must be a number >= 0; got {l2!r}")
        self.l2 = float(l2)
        if clip_norm is not None and (
            not is_real(clip_norm) or not clip_norm > 0
        ):
            raise ValueError(f"clip_norm must be None or a number > 0; got {clip_norm!r}")
        if clip_norm is not None and self.optimizer.full_batch:
            raise ValueError("clip_norm must be None with optimizer='lbfgs' (it takes no steps)")
        self.clip_norm = None if clip_norm is None else float(clip_norm)
        self.rng = check_random_state(random_state)
        if row_order is not None and not all(
                callable(getattr(row_order, name, None))
                for name in ("permutation", "state_dict", "load_state_dict")):
            raise TypeError("row_order must be None or a RowOrder (with permutation, "
                            f"state_dict and load_state_dict); got {row_order!r}")
        self.row_order = row_order
        self.weight_sums = bool(weight_sums)
        if isinstance(callbacks, Callback) or not isinstance(callbacks, Iterable):
            raise TypeError(f"callbacks must be a list of Callback instances; got {callbacks!r}")
        self.callbacks = list(callbacks)
        for callback in self.callbacks:
            if not isinstance(callback, Callback):
                raise TypeError(
                    f"callbacks must be Callback instances; got {type(callback).__name__}"
                )
        if verbose not in (True, False, "always"):
            raise ValueError(f"verbose must be True, False or 'always'; got {verbose!r}")
        self.verbose = verbose
        self.metric = _infer_metric(network, metric)
        self.history = History()
        self.history.set_trainer(self)
        self.stop_training = False
        self.iterations = 0
        self.target_epochs = 0
        self._run_start = 0  # history.epochs when the current fit began (checkpointed)
        self._fit_rng = _jsonable(self.rng.bit_generator.state)  # ... and the generator then
        self._has_dropout = any(layer.dropout for layer in network.layers)
        self._eval_workspaces: dict[int, Workspace] = {}

    # ------------------------------------------------------------ fitting
    def fit(
        self,
        X: np.ndarray,
        Y: np.ndarray,
        *,
        epochs: int = 200,
        sample_weight: np.ndarray | None = None,
        validation_data: tuple | None = None,
        validation_fraction: float | None = None,
        early_stopping: bool = False,
        patience: int = 10,
        min_delta: float = 1e-4,
        monitor: str = "val_loss",
        restore_best_weights: bool = True,
        checkpoint_dir: str | os.PathLike | None = None,
        checkpoint_every: int = 1,
        resume: bool = False,
    ) -> History:
        """Train for ``epochs`` more epochs (fewer if stopped early).

        Parameters
        ----------
        X : ndarray of shape (m, n[0]), or a SciPy sparse matrix
            A sparse ``X`` stays sparse: its batches are CSR matrices, multiplied as
            such (they take the general step, not the fused SGD one).
        Y : ndarray of shape (m, n[L]), or (m,) for one output
            Encoded as the network expects.
        epochs : int, default 200
            Epochs to run in this call; with ``resume``, counted from the start of
            the interrupted run, so a resumed run ends where the original would have.
        sample_weight : ndarray of shape (m,), optional
        validation_data : (X_val, Y_val) or (X_val, Y_val, w_val), optional
        validation_fraction : float in (0, 1), optional
            Hold out this share of ``X`` (stratified by class for sigmoid with one
            output and for softmax).  With ``early_stopping`` on a "val_" monitor and
            no validation given, 0.1 is held out.
        early_stopping : bool, default False
            Stop when ``monitor`` has not improved by ``min_delta`` for ``patience``
            epochs; with ``restore_best_weights`` end at the best epoch's parameters.
        monitor : str, default "val_loss"
            "loss", "val_loss", "val_accuracy", "val_r2" or "val_rmse".
        checkpoint_dir : path, optional
            Save ``checkpoint.npz`` there every ``checkpoint_every`` epochs; one already
            there is replaced (with a warning when another process wrote it) unless
            ``resume``.
        resume : bool, default False
            Continue from ``checkpoint_dir``'s checkpoint when there is one (a fresh
            start otherwise).

        Returns
        -------
        History
            :attr:`history`, which keeps accumulating across calls.

        Raises
        ------
        DivergenceError
            When the loss or an update stops being finite; the network keeps its last
            finite parameters.
        """
        _check_positive(epochs, "epochs", int)
        X, Y, sample_weight = self.network.check_data(X, Y, sample_weight, keep_sparse=True)
        if sample_weight is not None and not sample_weight.any():
            # Every gradient would be 0: a fit that trains nothing and reports loss 0.
            raise ValueError("sample_weight must have a positive sum; every weight is 0")
        if resume and checkpoint_dir is None:
            raise ValueError("resume=True needs checkpoint_dir (where the checkpoint is)")
        if checkpoint_dir is not None and os.path.exists(checkpoint_dir) and not os.path.isdir(
                checkpoint_dir):
            # Found before training, not when the first epoch's checkpoint is written.
            raise ValueError(f"checkpoint_dir {os.fspath(checkpoint_dir)!r} is a file, not a "
                             "directory")
        saved = None
        if checkpoint_dir is not None:
            from .checkpoints import checkpoint_path, written_here

            path = checkpoint_path(checkpoint_dir)
            if not resume and path.is_file() and not written_here(path):
                # Another run's (the command line refuses it): its epochs would be lost
                # without a word.
                from ._warn import warn_caller

                warn_caller(f"checkpoint_dir {os.fspath(checkpoint_dir)!r} already holds a "
                            "checkpoint of another run, which this fit replaces at its first "
                            "save; resume=True continues it", UserWarning)
        if resume:
            if path.is_file():
                saved = self._read_checkpoint(path)
                if "fit_rng" in saved[0]:
                    # The interrupted fit's validation split again, seeded or not; the
                    # checkpoint's own generator state is restored below.
                    try:
                        self.rng.bit_generator.state = saved[0]["fit_rng"]
                    except (KeyError, TypeError, ValueError) as exc:
                        raise ModelFileError(
                            f"{saved[2]} has an unusable training state: {exc}") from None
        self._fit_rng = _jsonable(self.rng.bit_generator.state)
        if early_stopping and not isinstance(monitor, str):
            raise ValueError(f"monitor must be a log name like 'val_loss'; got {monitor!r}")
        needs_validation = early_stopping and monitor.startswith("val_")
        X, Y, sample_weight, validation = self._validation(
            X, Y, sample_weight, validation_data, validation_fraction, needs_validation
        )
        callbacks = [self.history, *self.callbacks]
        if early_stopping:
            callbacks.append(EarlyStopping(monitor, patience, min_delta, restore_best_weights))
        if checkpoint_dir is not None:
            callbacks.append(Checkpoint(checkpoint_dir, checkpoint_every))
        if self.verbose:
            callbacks.append(ProgressBar(self.verbose))
        for callback in callbacks:
            callback.set_trainer(self)
        # A monitor the logs will not have is named now, not after the first epoch,
        # unless a callback of the user's own may add to the logs at an epoch's end.
        if not any(_may_add_logs(callback) for callback in callbacks):
            log_names = self._epoch_log_names(validation is not None)
            for callback in callbacks:
                if isinstance(callback, EarlyStopping):
                    callback.check_monitor(log_names)
        self._active_callbacks = callbacks
        # A resumed run counts its epochs from where the interrupted fit began, whatever
        # this trainer has run since (it may be the very trainer that was interrupted).
        self._run_start = (self.history.epochs if saved is None
                           else int(saved[0].get("run_start", 0)))
        self.target_epochs = self._run_start + int(epochs)
        self.stop_training = False
        for callback in callbacks:
            callback.on_train_begin()
        if saved is not None:
            self._apply_checkpoint(*saved)
            resumed_rate = self._scheduled_rate()
        # After the checkpoint's schedule state: this fit ends at target_epochs, which
        # may lie past the interrupted fit's end (a cosine horizon).
        self.schedule.begin(self.target_epochs)
        if saved is not None:
            self._warn_of_a_new_curve(resumed_rate, saved[2])
        try:
            if self.stop_training:
                pass  # resumed from the checkpoint of the epoch where the run stopped
            elif self.optimizer.full_batch:
                self._fit_full_batch(X, Y, sample_weight, validation, callbacks)
            else:
                self._fit_batches(X, Y, sample_weight, validation, callbacks)
        finally:
            self.history.stopped_early = self.stop_training
            # Also after an error: a progress bar is closed, a history is complete.
            for callback in callbacks:
                callback.on_train_end()
        return self.history

    def _fit_batches(self, X, Y, sample_weight, validation, callbacks) -> None:
        batches = _Batches(X, Y, sample_weight, self.batch_size, self.shuffle,
                           self._permutation())
        fused = None if batches.sparse else self._fused_sgd(batches.batch_size)
        # Only callbacks that do something per batch or at an epoch's start are called
        # there: on a tiny network an epoch costs a few microseconds, calls included.
        per_batch = [callback for callback in callbacks if overrides_batch_end(callback)]
        at_begin = [callback for callback in callbacks
                    if overrides(callback, "on_epoch_begin")]
        at_end = [callback for callback in callbacks if overrides(callback, "on_epoch_end")]
        resync_each_epoch = fused is not None and may_change_parameters(at_begin + at_end)
        # Overflow on the way to a non-finite loss is expected; the loop checks for it.
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            for epoch in range(self.history.epochs, self.target_epochs):
                for callback in at_begin:
                    callback.on_epoch_begin(epoch)
                if resync_each_epoch:  # a callback may have changed the parameters
                    fused.resync()
                rate = self._set_rate(epoch)
                logs = {"loss": self._run_epoch(batches, epoch, per_batch, fused), "lr": rate}
                self.schedule.samples_seen(batches.m)
                self._end_epoch(epoch, logs, validation, at_end)
                if self.stop_training:
                    break

    def partial_fit(
        self, X: np.ndarray, Y: np.ndarray, *, sample_weight: np.ndarray | None = None
    ) -> float:
        """One epoch over ``X``, ``Y`` (m rows), keeping the optimizer's state.

        Returns the epoch's training loss and records it (and the rate) in
        :attr:`history`.  Only for step-wise optimizers (not "lbfgs").
        """
        if self.optimizer.full_batch:
            raise ValueError(
                f"partial_fit needs a step-wise optimizer; {self.optimizer.name!r} "
                "works on the full batch (use fit)"
            )
        X, Y, sample_weight = self.network.check_data(X, Y, sample_weight, keep_sparse=True)
        epoch = self.history.epochs
        rate = self._set_rate(epoch)
        batches = _Batches(X, Y, sample_weight, self.batch_size, self.shuffle,
                           self._permutation())
        fused = None if batches.sparse else self._fused_sgd(batches.batch_size)
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            logs = {"loss": self._run_epoch(batches, epoch, [], fused), "lr": rate}
        self.schedule.samples_seen(batches.m)
        self.schedule.update(epoch, logs)
        self.history.on_epoch_end(epoch, logs)
        return logs["loss"]

    def _set_rate(self, epoch: int) -> float:
        rate = float(self.schedule.rate(epoch))
        self.optimizer.learning_rate = rate
        return rate

    def _permutation(self) -> Callable[[int], np.ndarray]:
        """Where shuffled epochs take their row order from: ``row_order``, else ``rng``."""
        return (self.rng if self.row_order is None else self.row_order).permutation

    def _fused_sgd(self, batch_rows: int) -> fused_sgd.FusedSGD | None:
        """The step that folds SGD (plain, momentum or nesterov) into backpropagation,
        when it applies (else None)."""
        optimizer = self.optimizer
        kind = type(optimizer)
        if kind not in (optimizers.SGD, optimizers.Momentum, optimizers.Nesterov):
            return None
        if not fused_sgd.applies(self.network, batch_rows=batch_rows,
                                 dropout=self._has_dropout, clip_norm=self.clip_norm):
            return None
        if kind is optimizers.SGD:
            return fused_sgd.FusedSGD(self.network, self.l2)
        # The velocity is the optimizer's own state array, updated in place.
        optimizer.prepare(self.network.params)
        return fused_sgd.FusedSGD(
            self.network,
            self.l2,
            velocity=optimizer.state["velocity"],
            momentum=optimizer.hyperparameters["momentum"],
            nesterov=kind is optimizers.Nesterov,
        )

    def _run_epoch(
        self,
        batches: _Batches,
        epoch: int,
        per_batch: list[Callback],
        fused: fused_sgd.FusedSGD | None,
    ) -> float:
        """One pass over the data, batch by batch; returns its loss (a mean loss's mean
        over the rows, a summed loss's sum).

        With ``fused`` (SGD, momentum or nesterov), each batch is one
        :meth:`FusedSGD.step`; otherwise the network's gradient, then the optimizer's
        step.  The caller runs it under
        ``np.errstate(over/invalid/divide="ignore")``: overflow on the way to a
        non-finite loss is expected, and checked here.
        """
        network, optimizer = self.network, self.optimizer
        resync_each_batch = fused is not None and may_change_parameters(per_batch)
        # The epoch's loss is the data's: batch means weighted by their share of the
        # rows; batch sums (a summed loss such as "sum_squared_error") added up.
        sums = network.loss.sums
        total = 0.0
        for batch, (X, Y, weights) in enumerate(batches.epoch()):
            size = X.shape[0]
            workspace = network.workspace(size)
            l2 = self.l2
            if weights is not None and self.weight_sums:
                weights, l2 = per_weight_sum(weights, self.l2)
                if weights is None:  # every weight 0: the batch holds no rows to learn
                    continue
                if fused is not None:
                    fused.l2 = l2
            if fused is not None:
                cost, updated = fused.step(X, Y, weights, workspace, optimizer.learning_rate)
                optimizer.t += updated
            else:
                cost, updated = self._step(X, Y, weights, workspace, epoch, batch, l2)
            if not math.isfinite(cost):
                raise self._divergence(epoch, batch, f"the loss became {cost}")
            if not updated:
                what = "non-finite" if fused is None else "too large to stay finite"
                raise self._divergence(epoch, batch, f"the update became {what}")
            total += cost if sums else cost * size
            self.iterations += 1
            if per_batch:
                logs = {"loss": cost, "size": size, "iteration": self.iterations - 1}
                for callback in per_batch:
                    callback.on_batch_end(batch, logs)
                if resync_each_batch:  # a callback may have changed the parameters
                    fused.resync()
        return total if sums else total / batches.m

    def _step(self, X, Y, weights, workspace, epoch: int, batch: int,
              l2: float) -> tuple[float, bool]:
        """The general step: gradient, clipping, the optimizer's update.

        Returns the cost and whether the parameters were updated (not when the cost
        or the update is non-finite).
        """
        network = self.network
        cost = network.loss_and_gradient(
            X, Y, weights, l2=l2, training=True, rng=self.rng, workspace=workspace
        )
        if not math.isfinite(cost):
            return cost, False
        if self.clip_norm is not None:
            self._clip(network.grads, epoch, batch)
        return cost, self.optimizer.step(network.params, network.grads)

    def _clip(self, grads: np.ndarray, epoch: int, batch: int) -> None:
        norm = math.sqrt(float(np.dot(grads, grads)))
        if not math.isfinite(norm):
            raise self._divergence(epoch, batch, "the gradient became non-finite")
        if norm > self.clip_norm:
            grads *= self.clip_norm / norm

    def _divergence(self, epoch: int, batch: int, what: str) -> DivergenceError:
        # The optimizer's moments may hold the diverging gradient: a fit that goes on
        # from the last finite parameters (at a smaller rate, say) starts them afresh.
        self.optimizer.reset()
        # Counted from 1, as the summary, the progress bar and the plots count epochs.
        where = f"training diverged: {what} at epoch {epoch + 1}, batch {batch + 1}"
        rate = self.optimizer.learning_rate
        return DivergenceError(
            f"{where} (learning_rate={rate:g}); the network keeps its last finite "
            "parameters; try a smaller learning_rate, clip_norm or scaled inputs",
            where=where,
            learning_rate=rate,
        )

    def _epoch_log_names(self, validation: bool) -> tuple[str, ...]:
        """The keys of this fit's epoch logs (see :meth:`_end_epoch`)."""
        names = ("loss",) if self.optimizer.full_batch else ("loss", "lr")
        if validation:
            names += ("val_loss",) if self.metric is None else ("val_loss", "val_" + self.metric)
        return names

    def _end_epoch(self, epoch, logs, validation, callbacks) -> None:
        if validation is not None:
            # Checked once when the fit began (_validation): no re-check every epoch.
            logs.update(self._evaluate(*validation, prefix="val_"))
        self.schedule.update(epoch, logs)
        for callback in callbacks:
            callback.on_epoch_end(epoch, logs)

    def _fit_full_batch(self, X, Y, sample_weight, validation, callbacks) -> None:
        """L-BFGS: each of its iterations is one epoch for history and callbacks."""
        if self._has_dropout:
            raise ValueError(
                "optimizer='lbfgs' needs a deterministic cost; this network has dropout "
                "(use a step-wise optimizer such as 'adam')"
            )
        start = self.history.epochs
        if start >= self.target_epochs:
            return
        network = self.network
        params, workspace = network.params, network.workspace(X.shape[0])
        l2 = self.l2
        if sample_weight is not None and self.weight_sums:
            sample_weight, l2 = per_weight_sum(sample_weight, self.l2)
            if sample_weight is None:
                raise ValueError("sample_weight must have a positive sum; every weight is 0")

        def cost_and_gradient(theta: np.ndarray) -> tuple[float, np.ndarray]:
            params[...] = theta
            cost = network.loss_and_gradient(
                X, Y, sample_weight, l2=l2, training=False, workspace=workspace
            )
            return cost, network.grads.astype(np.float64)  # SciPy keeps it: a copy

        epoch = start

        def after_iteration(intermediate_result) -> None:
            nonlocal epoch
            for callback in callbacks:
                callback.on_epoch_begin(epoch)
            params[...] = intermediate_result.x
            self.iterations += 1
            logs = {"loss": float(intermediate_result.fun)}
            # The iteration is the epoch's one step on the full batch: per-step
            # callbacks (a CostPrinter counting iterations) see it as its batch.
            step = {**logs, "size": X.shape[0], "iteration": self.iterations - 1}
            for callback in callbacks:
                callback.on_batch_end(0, step)
            self._end_epoch(epoch, logs, validation, callbacks)
            epoch += 1
            if self.stop_training:
                raise StopIteration

        before = params.copy()
        result = self.optimizer.minimize(
            cost_and_gradient, params, max_iter=self.target_epochs - start,
            callback=after_iteration,
        )
        if not (math.isfinite(float(result.fun)) and np.isfinite(result.x).all()):
            params[...] = before
            where = (f"training diverged: L-BFGS reached a non-finite loss at epoch "
                     f"{epoch + 1}")
            raise DivergenceError(
                f"{where}, batch 1 (learning_rate=n/a: the line search sets the step); the "
                "network keeps its initial parameters of this fit", where=where
            )
        params[...] = result.x
        # SciPy's verdict (0: converged; else a limit such as max_iter or max_fun was hit).
        self.lbfgs_status = (int(result.status), str(result.message))

    # ------------------------------------------------------------ validation
    def evaluate(
        self, X: np.ndarray, Y: np.ndarray, sample_weight: np.ndarray | None = None, *,
        prefix: str = "",
    ) -> dict[str, float]:
        """Loss (without the L2 penalty) and metric on ``X`` (m, n[0]) against ``Y``.

        Returns ``{prefix + "loss": ..., prefix + metric: ...}``.
        """
        X, Y, sample_weight = self.network.check_data(X, Y, sample_weight, keep_sparse=True)
        return self._evaluate(X, Y, sample_weight, prefix)

    def _evaluate(self, X, Y, sample_weight, prefix) -> dict[str, float]:
        """Loss and metric of checked ``X`` (m, n[0]) against ``Y`` (m, n[L]).

        Runs in the trainer's own workspaces, so validating never evicts the network's
        cached training workspaces, and in chunks of ``PREDICT_CHUNK`` rows, so memory
        stays bounded for a large validation set.
        """
        network = self.network
        if X.shape[0] <= PREDICT_CHUNK:
            A, caches = network.forward(X, workspace=self._eval_workspace(X.shape[0]))
            # The engine's own cost of a forward pass (fused pairs from the logits).
            cost = network.cost_of_output(caches[-1], Y, sample_weight, 0.0)
        else:
            A, cost = self._evaluate_in_chunks(X, Y, sample_weight)
        out = {prefix + "loss": cost}
        if self.metric is not None:
            out[prefix + self.metric] = _metric_function(self.network, self.metric)(
                A, Y, sample_weight
            )
        return out

    def _evaluate_in_chunks(self, X, Y, sample_weight) -> tuple[np.ndarray, float]:
        """Output ``A`` (m, n[L]) and cost, ``PREDICT_CHUNK`` rows at a time.

        A chunk of ``k`` rows reports ``scale(k) * sum_i w_i L_i`` (a mean for mean
        losses), so each chunk's sum is recovered with ``1 / scale(k)`` and the total
        reduced once over all ``m`` rows.
        """
        network, scale = self.network, self.network.loss.scale
        m = X.shape[0]
        A = np.empty((m, network.layers[-1].n_out), network.dtype)
        total = 0.0
        for start in range(0, m, PREDICT_CHUNK):
            rows = slice(start, start + PREDICT_CHUNK)
            chunk, k = X[rows], min(PREDICT_CHUNK, m - start)
            w = None if sample_weight is None else sample_weight[rows]
            A[rows], caches = network.forward(chunk, workspace=self._eval_workspace(k))
            total += network.cost_of_output(caches[-1], Y[rows], w, 0.0) / scale(k)
        return A, total * scale(m)

    def forget_workspaces(self) -> None:
        """Drop the network's and the trainer's kept buffers (see
        :meth:`Network.forget_workspaces`)."""
        self.network.forget_workspaces()
        self._eval_workspaces.clear()

    def _eval_workspace(self, m: int) -> Workspace:
        """The trainer's own workspace for validation chunks of ``m`` rows.

        A validation set has at most two chunk sizes (full chunks and the rest), so two
        are kept; the network's cache stays for the training batches.
        """
        workspaces = self._eval_workspaces
        if m not in workspaces:
            if len(workspaces) >= 2:
                workspaces.clear()
            workspaces[m] = Workspace(self.network, m)
        return workspaces[m]

    def _validation(self, X, Y, sample_weight, validation_data, fraction, needed):
        """Split or check the validation data; returns (X, Y, w, (Xv, Yv, wv) or None)."""
        if validation_data is not None and fraction is not None:
            raise ValueError(
                "give validation_data or validation_fraction, not both; got both"
            )
        if validation_data is not None:
            if not isinstance(validation_data, (tuple, list)) or len(validation_data) not in (2, 3):
                raise TypeError(
                    "validation_data must be a tuple (X_val, Y_val) or (X_val, Y_val, w_val); "
                    f"got {type(validation_data).__name__}"
                    + (f" of length {len(validation_data)}"
                       if isinstance(validation_data, (tuple, list)) else "")
                )
            try:
                checked = self.network.check_data(*validation_data, keep_sparse=True)
            except (ValueError, TypeError) as exc:
                # Its checks name X and Y: say they are the validation rows'.
                raise type(exc)(f"validation_data: {exc}") from None
            return X, Y, sample_weight, checked
        if fraction is None:
            if not needed:
                return X, Y, sample_weight, None
            fraction = 0.1
        if not is_real(fraction) or not 0.0 < fraction < 1.0:
            raise ValueError(f"validation_fraction must be a float in (0, 1); got {fraction!r}")
        train_rows, val_rows = _split_rows(Y, fraction, self.rng, self._strata(Y))
        validation = tuple(_rows(a, val_rows) for a in (X, Y, sample_weight))
        training = tuple(_rows(a, train_rows) for a in (X, Y, sample_weight))
        return (*training, validation)

    def _strata(self, Y: np.ndarray) -> np.ndarray | None:
        output = self.network.layers[-1].activation.name
        if output == "softmax":
            return Y.argmax(axis=1)
        if output == "sigmoid" and Y.shape[1] == 1:
            return (Y[:, 0] > 0.5).astype(np.int64)
        return None

    # ------------------------------------------------------------ checkpoints
    def save_checkpoint(self, path: str | os.PathLike) -> os.PathLike:
        """Write the full training state to ``path``, atomically (see :mod:`.checkpoints`)."""
        from .checkpoints import save_checkpoint

        network = self.network
        optimizer_state = self.optimizer.state_dict()
        arrays = {"params": network.params}
        arrays.update({f"optimizer.{k}": v for k, v in optimizer_state.pop("arrays").items()})
        callback_states = {}
        for callback in getattr(self, "_active_callbacks", ()):
            key = getattr(callback, "state_key", None)
            if key is not None:
                state = callback.state_dict()
                for name, array in state.pop("arrays", {}).items():
                    arrays[f"callback.{key}.{name}"] = array
                callback_states[key] = state
        header = _jsonable({
            "epoch": self.history.epochs,
            "iterations": self.iterations,
            "n_params": network.n_params,
            "dtype": network.dtype.name,
            "network": network.get_config(),
            "optimizer": optimizer_state,
            "schedule": self.schedule.state_dict(),
            "rng": _jsonable(self.rng.bit_generator.state),
            "row_order": None if self.row_order is None else self.row_order.state_dict(),
            "history": self.history.state_dict(),
            "run_start": self._run_start,
            "fit_rng": self._fit_rng,  # the generator as the fit began (its split)
            "stopped": bool(self.stop_training),  # saved after the stopping rule's verdict
            "callbacks": callback_states,
            "trainer": {"batch_size": self.batch_size, "shuffle": self.shuffle, "l2": self.l2,
                        "clip_norm": self.clip_norm, "metric": self.metric},
        })
        return save_checkpoint(path, header, arrays)

    def load_checkpoint(self, path: str | os.PathLike) -> None:
        """Restore the state :meth:`save_checkpoint` wrote, after validating it.

        Raises
        ------
        ModelFileError
            The file is missing, damaged, or for another network, optimizer or schedule.
        """
        self._apply_checkpoint(*self._read_checkpoint(path))

    def _read_checkpoint(self, path: str | os.PathLike) -> tuple[dict, dict, str]:
        """``(header, arrays, where)`` of a checkpoint file, checked as a file only."""
        from .checkpoints import load_checkpoint

        network = self.network
        header, arrays = load_checkpoint(path, n_params=network.n_params, dtype=network.dtype)
        return header, arrays, f"checkpoint {os.fspath(path)!r}"

    def _scheduled_rate(self) -> float | None:
        """The schedule's rate for the next epoch; None when it has none yet (a cosine
        schedule before :meth:`Schedule.begin` without ``t_max``)."""
        try:
            return self.schedule.rate(self.history.epochs)
        except ValueError:
            return None

    def _warn_of_a_new_curve(self, resumed_rate: float | None, where: str) -> None:
        """Say when a resumed fit's end changed the schedule's curve, so that the rate
        jumps where the run goes on: a cosine schedule anneals to the end of the fit,
        and a resumed fit of more epochs than the interrupted one ends later."""
        rate = self._scheduled_rate()
        if resumed_rate is None or rate is None or math.isclose(rate, resumed_rate):
            return
        import warnings

        warnings.warn(
            f"{where} was written by a fit that ended at another epoch; this one ends at "
            f"epoch {self.target_epochs}, and the {self.schedule.name} schedule is drawn "
            f"to its end, so the rate goes on at {rate:.4g} where that fit's curve gave "
            f"{resumed_rate:.4g}", UserWarning, stacklevel=3)

    def _apply_checkpoint(self, header: dict, arrays: dict, where: str) -> None:
        """Validate a checkpoint's state against this trainer and restore it."""
        network = self.network
        saved_network = json.loads(json.dumps(network.get_config()))
        if header.get("network") != saved_network:
            raise ModelFileError(f"{where} was written for a different network architecture")
        for part, mine in (("optimizer", self.optimizer.name), ("schedule", self.schedule.name)):
            theirs = header[part].get("name") if isinstance(header[part], dict) else None
            if theirs != mine:
                raise ModelFileError(f"{where} used {part} {theirs!r}; this trainer uses {mine!r}")
        saved = header.get("trainer") if isinstance(header.get("trainer"), dict) else {}
        mine = {"batch_size": self.batch_size, "shuffle": self.shuffle, "l2": self.l2,
                "clip_norm": self.clip_norm}
        changed = [f"{key} {saved[key]!r} -> {value!r}" for key, value in mine.items()
                   if key in saved and saved[key] != value]
        rate, saved_rate = self.schedule.initial_rate, header["schedule"].get("learning_rate")
        if not (isinstance(saved_rate, (int, float)) and not isinstance(saved_rate, bool)
                and math.isfinite(saved_rate) and saved_rate > 0):
            raise ModelFileError(f"{where}: its schedule's learning_rate must be a positive "
                                 f"number; got {saved_rate!r}")
        new_rate = saved_rate != rate
        if new_rate:
            changed.append(f"learning_rate {saved_rate!r} -> {rate!r}")
        # The optimizer's own settings (momentum, Adam's betas): this trainer's too.
        own_settings = dict(self.optimizer.hyperparameters)
        saved_settings = header["optimizer"].get("hyperparameters")
        if isinstance(saved_settings, dict):
            changed += [f"{key} {saved_settings[key]!r} -> {value!r}"
                        for key, value in own_settings.items()
                        if key in saved_settings and saved_settings[key] != value]
        if changed:
            import warnings

            # Allowed (a smaller batch after running out of memory, say), but said: the
            # run then differs from the one that was interrupted.
            warnings.warn(f"{where} was written with other settings ({', '.join(changed)}); "
                          "training goes on with this trainer's", UserWarning, stacklevel=3)
        optimizer_arrays = {
            k.removeprefix("optimizer."): v for k, v in arrays.items() if k.startswith("optimizer.")
        }
        try:
            self.optimizer.load_state_dict({**header["optimizer"], "arrays": optimizer_arrays})
            self.optimizer.hyperparameters = own_settings
            self.schedule.load_state_dict(header["schedule"])
            if new_rate:  # a resumed run given another rate goes on with it
                self.schedule.rescale(rate)
            self.rng.bit_generator.state = header["rng"]
            if self.row_order is not None:
                self.row_order.load_state_dict(header.get("row_order"))
            self.history.load_state_dict(header["history"])
            self.stop_training = bool(header.get("stopped", False))
            for callback in getattr(self, "_active_callbacks", ()):
                key = getattr(callback, "state_key", None)
                if key is not None and key in header.get("callbacks", {}):
                    prefix = f"callback.{key}."
                    own = {k.removeprefix(prefix): v for k, v in arrays.items()
                           if k.startswith(prefix)}
                    callback.load_state_dict({**header["callbacks"][key], "arrays": own})
        except (KeyError, TypeError, ValueError) as exc:
            raise ModelFileError(f"{where} has an unusable training state: {exc}") from None
        self.iterations = int(header.get("iterations", 0))
        network.params[...] = arrays["params"]

    def __getstate__(self) -> dict[str, Any]:
        """Everything that a later ``fit`` or ``partial_fit`` continues from (network,
        optimizer state, schedule, random generator, history, callbacks), without the
        evaluation buffers and one fit's own callbacks (a progress bar among them)."""
        state = dict(self.__dict__)
        state["_eval_workspaces"] = {}
        state.pop("_active_callbacks", None)
        return state

    def __repr__(self) -> str:
        return (
            f"Trainer({self.optimizer!r}, schedule={self.schedule.name!r}, "
            f"batch_size={self.batch_size}, epochs done={self.history.epochs})"
        )


def per_weight_sum(weights: np.ndarray, l2: float) -> tuple[np.ndarray | None, float]:
    """Weights (m,) and L2 strength rescaled by ``m / sum(weights)``, so that the
    engine's division by the ``m`` rows becomes one by the weights' sum (scikit-learn's
    convention; the Trainer's ``weight_sums``); weights None when they are all 0."""
    total = float(weights.sum(dtype=np.float64))
    if not total > 0:
        return None, l2
    factor = len(weights) / total
    return weights * weights.dtype.type(factor), l2 * factor


def _split_rows(
    Y: np.ndarray, fraction: float, rng: np.random.Generator, strata: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray]:
    """Sorted training and validation row indices; ``fraction`` of each stratum held out."""
    m = len(Y)
    groups = [np.arange(m)] if strata is None else [
        np.flatnonzero(strata == value) for value in np.unique(strata)
    ]
    held = []
    for rows in groups:
        n_val = int(round(fraction * len(rows)))
        held.append(rng.permutation(rows)[:n_val])
    val_rows = np.sort(np.concatenate(held))
    if len(val_rows) == 0 or len(val_rows) == m:
        raise ValueError(
            f"validation_fraction={fraction} of {m} examples leaves an empty "
            "training or validation set"
        )
    train_mask = np.ones(m, dtype=bool)
    train_mask[val_rows] = False
    return np.flatnonzero(train_mask), val_rows


def _rows(array: np.ndarray | None, rows: np.ndarray) -> np.ndarray | None:
    if array is None:
        return None
    return array[rows] if is_sparse(array) else np.ascontiguousarray(array[rows])


def _jsonable(value: Any) -> Any:
    """``value`` with NumPy arrays and scalars (MT19937's key; a setting given as
    np.float32(0.5)) turned into lists and Python numbers, for a JSON header."""
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    return value


_TRAINER_ARGS = frozenset(inspect.signature(Trainer.__init__).parameters) - {"self", "network"}
_FIT_ARGS = frozenset(inspect.signature(Trainer.fit).parameters) - {"self", "X", "Y"}


def train(network: Network, X: np.ndarray, Y: np.ndarray, **kwargs: Any) -> History:
    """``Trainer(network, **trainer_kwargs).fit(X, Y, **fit_kwargs)`` in one call.

    Keyword arguments are split between :class:`Trainer` (optimizer, learning_rate,
    batch_size, ...) and :meth:`Trainer.fit` (epochs, validation_data, ...).

    Returns
    -------
    History
    """
    unknown = sorted(set(kwargs) - _TRAINER_ARGS - _FIT_ARGS)
    if unknown:
        raise TypeError(
            f"train() got unexpected keyword arguments {', '.join(unknown)}; expected "
            f"Trainer arguments ({', '.join(sorted(_TRAINER_ARGS))}) or fit arguments "
            f"({', '.join(sorted(_FIT_ARGS))})"
        )
    trainer = Trainer(network, **{k: v for k, v in kwargs.items() if k in _TRAINER_ARGS})
    return trainer.fit(X, Y, **{k: v for k, v in kwargs.items() if k in _FIT_ARGS})
