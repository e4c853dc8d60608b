"""scikit-learn estimators: :class:`NeuralNetClassifier` and :class:`NeuralNetRegressor`.

They follow scikit-learn's conventions (``__init__`` only stores its arguments, ``fit``
validates and returns ``self``, learned attributes end in ``_``) and take the
parameter names of :class:`sklearn.neural_network.MLPClassifier` and
:class:`~sklearn.neural_network.MLPRegressor` wherever the concept is the same, so
switching is a one-line change::

    from sklearn.neural_network import MLPClassifier   # before
    from lucidnet import MLPClassifier                 # after

On top of those they expose lucidnet's own options: ``dropout``, ``dtype`` (by default
float64 unless ``X`` is float32, as scikit-learn; float32 trains faster),
``class_weight``, per-layer activations (``activation`` may be a list), the optimizers
``momentum``, ``nesterov``, ``rmsprop`` and ``adamw`` as ``solver`` names, the
schedules ``step``, ``exponential`` and ``cosine`` as ``learning_rate`` names (with
``schedule_params``), ``weight_decay``, ``clip_norm``, ``use_bias`` and
``initializer``.

How the scikit-learn names map onto the engine:

=========================  ==================================================
scikit-learn               lucidnet
=========================  ==================================================
``solver="sgd"``           optimizer ``sgd`` when ``momentum == 0``, else
                           ``nesterov`` (``nesterovs_momentum=True``) or
                           ``momentum``
``alpha``                  the trainer's ``l2``: penalty
                           ``alpha / (2 m) * sum ||W||^2``, as scikit-learn
``learning_rate``          (with ``solver="sgd"`` only, as scikit-learn)
                           schedule ``constant``, ``invscaling`` (with
                           ``power_t``, counting the samples seen, those of
                           earlier ``partial_fit`` calls and warm-start fits
                           included; each fit's first epoch at
                           ``learning_rate_init``, as scikit-learn's) or
                           ``plateau`` for ``"adaptive"``
                           (divide by 5 after ``n_iter_no_change`` epochs
                           without improvement)
``tol``, ``n_iter_no_change``  training stops once the training loss (or, with
                           ``early_stopping``, the validation score) has not
                           improved by ``tol`` on its best so far for more than
                           ``n_iter_no_change`` consecutive epochs (the best
                           follows every gain, however small, as in
                           scikit-learn); otherwise ``max_iter`` epochs run
                           and a ``ConvergenceWarning`` is issued
=========================  ==================================================

Same fits as scikit-learn.  With the same ``random_state``, the estimators draw what
scikit-learn's MLP draws, from one RandomState in the same order: the initial weights
and biases (:func:`~lucidnet._sklearn_rules._sklearn_initial_parameters`), the
validation split, and each epoch's row order
(:class:`~lucidnet._sklearn_rules._SklearnRowOrder`, the Trainer's ``row_order``);
like it they compute in float64 unless ``X`` is float32, and carry the stopping rule's
state across warm-start fits.  The steps are the same algebra, so fitted parameters
agree with scikit-learn's to rounding (``tests/test_sklearn_parity.py``).  The engine's
own generators (dropout masks) are seeded from that stream's state without drawing
from it.

The fit loop itself (mini-batches, optimizers, schedules, validation) is
:class:`lucidnet.training.Trainer`; this module only translates between
scikit-learn's world (labels, parameters, validation, tags) and the engine's
(encoded targets, one flat parameter buffer).  It does not read files or plot.  The
scikit-learn training rules it follows (random draws, reported losses, stopping,
``verbose`` lines) are :mod:`lucidnet._sklearn_rules`; the state it keeps in a model
file is written as :mod:`lucidnet._estimator_state` says and read back by
:mod:`lucidnet._estimator_loading`.
"""

from __future__ import annotations

import inspect
import math
import sys
from numbers import Integral, Real
from typing import Any

import numpy as np
from scipy.sparse import issparse
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin, _fit_context
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import accuracy_score, r2_score
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import LabelBinarizer
from sklearn.utils import check_random_state as sklearn_check_random_state
from sklearn.utils._param_validation import (
    Interval,
    InvalidParameterError,
    Options,
    StrOptions,
)
from sklearn.utils.class_weight import compute_sample_weight
from sklearn.utils.metaestimators import available_if
from sklearn.utils.multiclass import check_classification_targets, type_of_target
from sklearn.utils.validation import (
    _check_sample_weight,
    check_is_fitted,
    column_or_1d,
    validate_data,
)

from . import _class_outputs, activations, losses, optimizers, schedules, training
from ._checks import as_float_dtype
from ._estimator_state import _export_stopping_state, _json_number, _jsonable_param
from ._sklearn_rules import (
    _AdaptiveStopping,
    _CarriedStopping,
    _ClippedBinaryCrossEntropy,
    _ClippedCategoricalCrossEntropy,
    _FullBatchDraws,
    _generator,
    _IterationPrinter,
    _sklearn_initial_parameters,
    _SklearnRowOrder,
    _TargetMeanSquaredError,
)
from ._solver_settings import OPTIMIZER_PARAMS
from ._warn import warn_caller
from .losses import BinaryCrossEntropy, CategoricalCrossEntropy, SquaredError
from .network import Network, _per_hidden_layer
from .schedules import improves

__all__ = ["MLPClassifier", "MLPRegressor", "NeuralNetClassifier", "NeuralNetRegressor"]

#: scikit-learn's ``batch_size="auto"``.
_AUTO_BATCH = 200
#: ``learning_rate`` names are the trainer's schedules (plus scikit-learn's "adaptive");
#: ``solver`` names are the optimizers: both straight from their registries.
_SCHEDULES = set(schedules.names())
#: scikit-learn's learning_rate names, which it applies to solver="sgd" only.
_SKLEARN_SCHEDULES = ("constant", "invscaling", "adaptive")
_SOLVERS = set(optimizers.names())
#: The warning ``fit`` gives when Ctrl-C stops it (scikit-learn's words).
INTERRUPTED_MESSAGE = "Training interrupted by user."


def _is_stepwise(estimator: Any) -> bool:
    """Whether the solver trains in epochs of steps: all but full-batch L-BFGS.

    Only those have ``partial_fit`` and honour ``early_stopping`` (as in scikit-learn).
    """
    return estimator.solver != "lbfgs"


class _BaseNeuralNet(BaseEstimator):
    """What the classifier and the regressor share: parameters, the network, the fit loop."""

    _parameter_constraints: dict = {
        "hidden_layer_sizes": ["array-like", Interval(Integral, 1, None, closed="left")],
        # Names or per-layer lists are checked by the activation registry in fit.
        "activation": "no_validation",
        "solver": [StrOptions(_SOLVERS)],
        "alpha": [Interval(Real, 0, None, closed="left")],
        "batch_size": [StrOptions({"auto"}), Interval(Integral, 1, None, closed="left")],
        "learning_rate": [StrOptions(_SCHEDULES | {"adaptive"})],
        "learning_rate_init": [Interval(Real, 0, None, closed="neither")],
        "power_t": [Interval(Real, 0, None, closed="left")],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "shuffle": ["boolean"],
        "random_state": ["random_state"],
        "tol": [Interval(Real, 0, None, closed="left")],
        "verbose": ["verbose", StrOptions({"progress"})],
        "warm_start": ["boolean"],
        "momentum": [Interval(Real, 0, 1, closed="both")],
        "nesterovs_momentum": ["boolean"],
        "early_stopping": ["boolean"],
        "validation_fraction": [Interval(Real, 0, 1, closed="left")],
        "beta_1": [Interval(Real, 0, 1, closed="left")],
        "beta_2": [Interval(Real, 0, 1, closed="left")],
        "epsilon": [Interval(Real, 0, None, closed="neither")],
        # np.inf: never stop (nor, with learning_rate="adaptive", divide the rate).
        "n_iter_no_change": [Interval(Integral, 1, None, closed="left"),
                             Options(Real, {np.inf})],
        "max_fun": [Interval(Integral, 1, None, closed="left")],
        "dropout": [Interval(Real, 0, 1, closed="left"), "array-like"],
        "dtype": "no_validation",  # float32/float64 or their names: see _checks
        "weight_decay": [Interval(Real, 0, None, closed="left")],
        "clip_norm": [None, Interval(Real, 0, None, closed="neither")],
        "schedule_params": [None, dict],
        "use_bias": ["boolean"],
        "initializer": [None, str],
        "early_stopping_monitor": [StrOptions({"score", "loss"})],
    }
    #: Whether ``y`` must be numeric (regression) rather than class labels.
    _y_numeric = False

    def __init__(
        self,
        hidden_layer_sizes=(100,),
        activation="relu",
        *,
        solver="adam",
        alpha=0.0001,
        batch_size="auto",
        learning_rate="constant",
        learning_rate_init=0.001,
        power_t=0.5,
        max_iter=200,
        shuffle=True,
        random_state=None,
        tol=1e-4,
        verbose=False,
        warm_start=False,
        momentum=0.9,
        nesterovs_momentum=True,
        early_stopping=False,
        validation_fraction=0.1,
        beta_1=0.9,
        beta_2=0.999,
        epsilon=1e-8,
        n_iter_no_change=10,
        max_fun=15000,
        dropout=0.0,
        dtype=None,
        weight_decay=0.01,
        clip_norm=None,
        schedule_params=None,
        use_bias=True,
        initializer=None,
        early_stopping_monitor="score",
    ):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.solver = solver
        self.alpha = alpha
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.learning_rate_init = learning_rate_init
        self.power_t = power_t
        self.max_iter = max_iter
        self.shuffle = shuffle
        self.random_state = random_state
        self.tol = tol
        self.verbose = verbose
        self.warm_start = warm_start
        self.momentum = momentum
        self.nesterovs_momentum = nesterovs_momentum
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.n_iter_no_change = n_iter_no_change
        self.max_fun = max_fun
        self.dropout = dropout
        self.dtype = dtype
        self.weight_decay = weight_decay
        self.clip_norm = clip_norm
        self.schedule_params = schedule_params
        self.use_bias = use_bias
        self.initializer = initializer
        self.early_stopping_monitor = early_stopping_monitor

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True  # CSR/CSC X, multiplied as sparse by the first layer
        return tags

    # ------------------------------------------------------------ subclass hooks
    def _encode_targets(self, y: np.ndarray, *, first: bool, classes=None) -> np.ndarray:
        """Targets as the network expects them, ndarray of shape (m, n_outputs)."""
        raise NotImplementedError

    def _output_layer(self) -> tuple[Any, Any]:
        """``(output_activation, loss)`` of the network."""
        raise NotImplementedError

    def _check_warm_start_targets(self, y: np.ndarray) -> None:
        """Refuse targets a warm-start refit cannot continue from (nothing to check for
        a regressor)."""

    def _metric(self) -> str:
        raise NotImplementedError

    def _validate_y(self, X: Any, y: Any, *, reset: bool) -> tuple[np.ndarray, np.ndarray]:
        """``X`` as a float ndarray of shape (m, n_features) and ``y`` of shape (m,) or (m, k)."""
        return validate_data(
            self,
            X,
            y,
            reset=reset,
            accept_sparse=("csr", "csc"),
            dtype=(np.float64, np.float32),
            multi_output=True,
            y_numeric=self._y_numeric,
            order="C",
        )

    # ------------------------------------------------------------------ fitting
    def _fit(
        self, X, y, sample_weight, *, incremental: bool, classes=None, checkpoint=(None, False),
        validation_data=None,
    ):
        if incremental and self.early_stopping:
            # As scikit-learn: one epoch per call leaves nothing to stop.
            raise ValueError("partial_fit does not support early_stopping=True")
        first = not (incremental or self.warm_start) or not hasattr(self, "network_")
        X, y = self._validate_y(X, y, reset=first)
        if self.dtype is not None:
            dtype = as_float_dtype(self.dtype)
        elif not first:
            dtype = self.network_.dtype
        else:  # as scikit-learn: float32 data trains in float32 (L-BFGS always in float64,
            # SciPy's), anything else in float64
            dtype = np.dtype(np.float64) if self.solver == "lbfgs" else X.dtype
        # One conversion to the training dtype, C-contiguous (or CSR): the trainer
        # slices rows.
        data_dtype = X.dtype  # scikit-learn rounds its initial draws to it
        X = X.tocsr().astype(dtype, copy=False) if issparse(X) else np.ascontiguousarray(
            X, dtype=dtype)
        if not first:
            self._continue_network(incremental=incremental)
        if not (first or incremental):
            self._check_warm_start_targets(y)
        Y = np.ascontiguousarray(self._encode_targets(y, first=first, classes=classes), dtype)
        weights = self._sample_weights(X, y, sample_weight, dtype)
        if validation_data is not None:
            validation_data = self._validation_arrays(validation_data, dtype, Y.shape[1])
        # One RandomState per call: initial weights, split and shuffling draw from it
        # in turn, so an int random_state makes every fit identical.
        random = sklearn_check_random_state(self.random_state)
        if first:
            self._initialize(X.shape[1], Y.shape[1], dtype, random, data_dtype)
        elif Y.shape[1] != self.n_outputs_:
            raise ValueError(
                f"y must have {self.n_outputs_} output(s) as in the previous call to fit; "
                f"got {Y.shape[1]}"
            )
        network, loss = self.network_, self.network_.loss
        network.loss = self._training_loss(loss)
        try:
            if incremental:
                self._partial_epoch(X, Y, weights, random)
            else:
                self._fit_epochs(X, Y, y, weights, random, checkpoint, validation_data)
        finally:
            network.loss = loss
        return self

    def _continue_network(self, *, incremental: bool) -> None:
        """Before a warm-start refit or a ``partial_fit`` continues :attr:`network_`:
        refuse settings changed since it was built that it cannot follow (see
        :meth:`_unfollowable_changes`), and take a new ``activation`` (or fail on an
        unknown one), as scikit-learn's forward pass reads it at every call."""
        changed = self._unfollowable_changes()
        if changed:
            anew = ("fit with warm_start=False" if incremental else "set warm_start=False")
            raise ValueError(f"changed since the network was built: {'; '.join(changed)}; "
                             f"{'partial_fit' if incremental else 'a warm-start fit'} "
                             f"continues that network ({anew}, or clone the estimator, to "
                             "build a new one)")
        hidden = self.network_.layers[:-1]
        self._check_activation(n_hidden=len(hidden))
        wanted = [activations.get(name) for name in _per_hidden_layer(
            _activation_argument(self.activation), len(hidden), "activation")]
        if any(new.get_config() != layer.activation.get_config()
               for new, layer in zip(wanted, hidden, strict=True)):
            for layer, new in zip(hidden, wanted, strict=True):
                layer.activation = new
            # Buffers laid out for the old activations (an identity layer's A is its Z).
            self.network_.forget_workspaces()
            if self._trainer is not None:
                self._trainer.forget_workspaces()

    def _unfollowable_changes(self) -> list[str]:
        """The settings changed since :attr:`network_` was built that it cannot follow,
        as ``"name old -> new"``: its layer sizes, biases, dropout, dtype or output."""
        network = self.network_
        hidden = network.layers[:-1]
        changed = []
        built_sizes = [layer.n_out for layer in hidden]
        sizes = _hidden_sizes(self.hidden_layer_sizes)
        if sizes != built_sizes:
            changed.append(f"hidden_layer_sizes {tuple(built_sizes)} -> {tuple(sizes)}")
        built_bias = network.layers[0].b is not None
        if bool(self.use_bias) != built_bias:
            changed.append(f"use_bias {built_bias} -> {bool(self.use_bias)}")
        built_dropout = [layer.dropout for layer in hidden]
        try:
            dropout = [float(rate) for rate in _per_hidden_layer(self.dropout, len(hidden),
                                                                  "dropout")]
        except (TypeError, ValueError):
            dropout = None
        if dropout != built_dropout:
            changed.append(f"dropout {built_dropout} -> {self.dropout!r}")
        if self.dtype is not None and as_float_dtype(self.dtype) != network.dtype:
            changed.append(f"dtype {network.dtype} -> {as_float_dtype(self.dtype)}")
        output_activation, loss = self._output_layer()
        built = (network.layers[-1].activation.name, network.loss.name)
        wanted = (activations.get(output_activation).name, losses.get(loss).name)
        if wanted != built:
            changed.append(f"the output ({built[0]} with {built[1]} -> {wanted[0]} with "
                           f"{wanted[1]})")
        return changed

    def _validation_arrays(self, validation_data, dtype, n_outputs: int) -> tuple[Any, np.ndarray]:
        """``(X_val, y_val)`` checked and encoded as the training data (``n_outputs``
        columns): ``(X, Y)``."""
        try:
            X_val, y_val = validation_data
        except (TypeError, ValueError):
            raise ValueError(
                "validation_data must be a pair (X_val, y_val); got "
                f"{type(validation_data).__name__}"
            ) from None
        try:
            X_val, y_val = self._validate_y(X_val, y_val, reset=False)
            Y_val = self._encode_targets(y_val, first=False)
        except ValueError as exc:
            raise ValueError(f"validation_data: {exc}") from None
        if Y_val.shape[1] != n_outputs:
            raise ValueError(
                f"validation_data: y has {Y_val.shape[1]} output(s); the training y has "
                f"{n_outputs}"
            )
        X_val = X_val.tocsr().astype(dtype, copy=False) if issparse(X_val) else (
            np.ascontiguousarray(X_val, dtype=dtype))
        return X_val, np.ascontiguousarray(Y_val, dtype)

    def _check_activation(self, n_hidden: int) -> None:
        """InvalidParameterError (as scikit-learn's parameter checks raise) for an
        ``activation`` that names no activation, or a list of the wrong length."""
        value = self.activation
        several = isinstance(value, (list, tuple))
        problem = None
        if several and len(value) != n_hidden:
            problem = (f"{len(value)} name{'s' * (len(value) != 1)} for {n_hidden} hidden "
                       f"layer{'s' * (n_hidden != 1)}")
        for item in value if several else [value]:
            try:
                activations.get(item)
            except (ValueError, TypeError) as exc:
                problem = str(exc)
                break
        if problem is not None:
            raise InvalidParameterError(
                f"The 'activation' parameter of {type(self).__name__} must be an activation "
                f"name such as 'relu', 'tanh', 'logistic' or 'identity', or a list of them, "
                f"one per hidden layer. Got {value!r} instead ({problem})."
            )

    def _training_loss(self, loss):
        """The loss the network trains with in this estimator (the network's own, but
        see :class:`NeuralNetRegressor`)."""
        return loss

    def _sample_weights(self, X, y, sample_weight, dtype) -> np.ndarray | None:
        """``sample_weight`` times the class weights, or None when every weight is 1."""
        if sample_weight is not None:
            sample_weight = _check_sample_weight(sample_weight, X, dtype=dtype)
        return sample_weight

    def _initialize(self, n_features: int, n_outputs: int, dtype: np.dtype, random,
                    data_dtype: np.dtype) -> None:
        output_activation, loss = self._output_layer()
        sizes = [n_features, *_hidden_sizes(self.hidden_layer_sizes), n_outputs]
        self._check_activation(n_hidden=len(sizes) - 2)
        # Without an initializer: scikit-learn's MLP's own draws, first from the same
        # RandomState, so an int random_state starts both libraries at the same weights.
        initial = None if self.initializer else _sklearn_initial_parameters(
            sizes, random, logistic=self.activation == "logistic", dtype=data_dtype,
            use_bias=self.use_bias)
        try:
            self.network_ = Network(
                sizes,
                activation=_activation_argument(self.activation),
                output_activation=output_activation,
                loss=loss,
                use_bias=self.use_bias,
                dropout=self.dropout,
                initializer=self.initializer or "zeros",
                dtype=dtype,
                random_state=_generator(random, purpose=0),
            )
        except (ValueError, TypeError) as exc:
            raise ValueError(f"invalid network settings: {exc}") from None
        if initial is not None:
            for layer, (W, b) in zip(self.network_.layers, initial, strict=True):
                layer.W[...] = W.T
                if layer.b is not None:
                    layer.b[...] = b
        self.n_outputs_ = n_outputs
        self.out_activation_ = _sklearn_activation_name(self.network_)
        self.n_iter_ = 0
        self.t_ = 0
        self.loss_curve_ = []
        self.best_loss_ = np.inf
        self.validation_scores_ = None
        self.best_validation_score_ = None
        self._trainer = None
        self._stopping_state = None

    def _make_trainer(self, n_samples: int, random, l2: float, callbacks=(),
                      batch_size: int | None = None) -> training.Trainer:
        """A Trainer configured from the estimator's parameters (``batch_size``: the
        rows per batch, when already worked out from ``n_samples``)."""
        optimizer = self._optimizer_name()
        schedule, schedule_params = self._schedule()
        values = {**self.get_params(), "gtol": self.tol}
        return training.Trainer(
            self.network_,
            optimizer=optimizer,
            learning_rate=self.learning_rate_init,
            optimizer_params={name: values[name] for name in OPTIMIZER_PARAMS.get(optimizer, ())},
            schedule=schedule,
            schedule_params=schedule_params,
            batch_size=None if optimizer == "lbfgs" else batch_size or self._batch_size(n_samples),
            shuffle=self.shuffle,
            l2=l2,
            clip_norm=self.clip_norm,
            random_state=_generator(random, purpose=1),
            row_order=_SklearnRowOrder(random),
            weight_sums=True,  # scikit-learn divides each batch by its weights' sum
            callbacks=(*callbacks, *self._verbose_callbacks()),
            verbose=self.verbose == "progress",
            metric=self._metric(),
        )

    def _verbose_callbacks(self) -> tuple:
        """scikit-learn's ``verbose`` output: a line per epoch on stdout (none for
        L-BFGS, as scikit-learn's)."""
        if not self.verbose or self.verbose == "progress" or self.solver == "lbfgs":
            return ()
        what = "Validation score" if self.early_stopping else "Training loss"
        plateau = (f"{what} did not improve more than tol={self.tol:f} for "
                   f"{self.n_iter_no_change} consecutive epochs.")
        return (_IterationPrinter(self._validation_score() if self.early_stopping else None,
                                  plateau),)

    def _patience(self) -> int:
        """Epochs without an improvement of tol that stop training (or, adaptive, divide
        the rate): n_iter_no_change + 1, as scikit-learn counts; never for np.inf."""
        if self.n_iter_no_change == np.inf:
            return sys.maxsize
        return int(self.n_iter_no_change) + 1

    def _optimizer_name(self) -> str:
        if self.solver in ("sgd", "gd"):
            if self.momentum == 0:
                return "sgd"
            return "nesterov" if self.nesterovs_momentum else "momentum"
        return self.solver

    def _learning_rate(self) -> str:
        """The schedule's name: scikit-learn's three names only bear on plain SGD."""
        if self.learning_rate in _SKLEARN_SCHEDULES and self.solver not in ("sgd", "gd"):
            return "constant"
        return self.learning_rate

    def _schedule(self) -> tuple[str, dict[str, Any]]:
        params = dict(self.schedule_params or {})
        learning_rate = self._learning_rate()
        if learning_rate == "adaptive":
            # scikit-learn's rule: divide by 5 after n_iter_no_change epochs without
            # an improvement of tol.
            defaults = {
                "factor": 0.2,
                "patience": self._patience(),
                "min_delta": self.tol,
                "monitor": self._monitor(),
                "best_on_any_gain": True,
            }
            return "plateau", {**defaults, **params}
        if learning_rate == "invscaling":
            # scikit-learn's t counts the samples seen, those of earlier fits included
            # (t_ is kept by warm_start and partial_fit).
            defaults = {"power_t": self.power_t, "per_sample": True,
                        "samples_before": int(getattr(self, "t_", 0))}
            return "invscaling", {**defaults, **params}
        if learning_rate == "plateau" and not self.early_stopping:
            # The schedule would otherwise watch val_loss when validation_data is given,
            # and those rows must never change the steps.
            return learning_rate, {"monitor": "loss", **params}
        return learning_rate, params

    def _batch_size(self, n_samples: int) -> int:
        if self.batch_size == "auto":
            return min(_AUTO_BATCH, n_samples)
        if self.batch_size > n_samples:
            warn_caller(  # scikit-learn's words
                "Got `batch_size` less than 1 or larger than sample size. It is going to "
                "be clipped",
                UserWarning,
            )
            return n_samples
        return self.batch_size

    def _monitor(self) -> str:
        """What the stopping rule watches: the validation score (or loss), or the training loss."""
        if not self.early_stopping:
            return "loss"
        return "val_loss" if self.early_stopping_monitor == "loss" else self._validation_score()

    def _validation_score(self) -> str:
        """The log name of the per-epoch validation score (accuracy, or R^2)."""
        return f"val_{self._metric()}"

    def _fit_epochs(self, X, Y, y, weights, random, checkpoint, validation_data) -> None:
        """Run up to ``max_iter`` epochs with scikit-learn's stopping rule (watching
        ``validation_data``, an encoded ``(X_val, Y_val)``, when given)."""
        stepwise = _is_stepwise(self)
        stopper = None
        # As scikit-learn, a warm-start refit goes on with the earlier fits' count of
        # epochs without improvement, best value and best weights (same monitor only).
        monitor, earlier = self._monitor(), getattr(self, "_stopping_state", None)
        carried = earlier[1] if earlier is not None and earlier[0] == monitor else None
        if stepwise:
            # scikit-learn stops once the count of epochs without an improvement of tol
            # exceeds n_iter_no_change, i.e. after n_iter_no_change + 1 such epochs.
            rule = _AdaptiveStopping if self._learning_rate() == "adaptive" else _CarriedStopping
            stopper = rule(
                monitor,
                patience=self._patience(),
                min_delta=self.tol,
                restore_best_weights=self.early_stopping,
                best_on_any_gain=True,
                carried=carried,
            )
        validation = validation_data
        if validation is None and self.early_stopping and stepwise:
            X, Y, weights, validation = self._split_validation(X, Y, y, weights, random)
        _check_weight_sum(weights)
        l2 = self.alpha  # divided by each batch's weight sum (the trainer's weight_sums)
        callbacks = () if stopper is None else (stopper,)
        batch_size = self._batch_size(X.shape[0]) if stepwise else None
        if stepwise and self.shuffle and batch_size >= X.shape[0]:
            callbacks += (_FullBatchDraws(X.shape[0]),)
        trainer = self._trainer = self._make_trainer(X.shape[0], random, l2, callbacks,
                                                     batch_size=batch_size)
        if carried is not None and trainer.schedule.name == "plateau":
            # scikit-learn's adaptive rate and its stopping share one count, carried
            # with the stopping rule's; the rate itself restarts at learning_rate_init.
            trainer.schedule.best, trainer.schedule.wait = carried["best"], carried["wait"]
        checkpoint_dir, resume = checkpoint
        try:
            history = trainer.fit(
                X,
                Y,
                epochs=self.max_iter,
                sample_weight=weights,
                validation_data=validation,
                checkpoint_dir=checkpoint_dir,
                resume=resume,
            )
        except KeyboardInterrupt:
            # As scikit-learn: keep the model as it is and record the epochs finished.
            warn_caller(INTERRUPTED_MESSAGE, UserWarning)
            history = trainer.history
        logs = history.history
        epochs = logs.get("loss", [])
        self._record(epochs, X.shape[0])
        if not self.loss_curve_:  # L-BFGS found the start converged, or Ctrl-C in epoch 1
            weights, l2 = (training.per_weight_sum(weights, self.alpha) if weights is not None
                           else (None, self.alpha))
            self.loss_ = self.best_loss_ = self.network_.cost(X, Y, weights, l2=l2)
        if stopper is not None:
            self._stopping_state = (monitor, stopper.state_dict())
        if validation is not None:
            # NaN for epochs of a resumed run that had no validation rows (see History).
            scores = [float(v) for v in logs.get(self._validation_score(), ())]
            # Whether the validation rows chose the weights kept (L-BFGS never stops early).
            watched = self.early_stopping and stepwise
            continuing = watched and carried is not None and self.validation_scores_ is not None
            earlier_best = self.best_validation_score_ if continuing else None
            self.validation_scores_ = (self.validation_scores_ if continuing else []) + scores
            # None: no epoch of this call beat the earlier best, or (validation_data
            # without early stopping) no epoch's weights were kept: the best score seen.
            kept = history.best_epoch if watched else None
            # The score of the epoch whose weights were kept: the best score, or, when the
            # validation loss chose the epoch, that epoch's score.
            if kept is not None:
                self.best_validation_score_ = scores[kept]
            elif earlier_best is not None:
                self.best_validation_score_ = earlier_best
            else:
                self.best_validation_score_ = max(
                    (score for score in self.validation_scores_ if not math.isnan(score)),
                    default=None,
                )
            if watched:  # as scikit-learn: the stopping rule watched validation
                self.best_loss_ = None
        status, message = getattr(trainer, "lbfgs_status", (0, ""))
        # scikit-learn's own warning texts, which code filters by message.
        if status != 0:  # lbfgs ran into max_iter or max_fun
            n_iter = min(len(epochs), self.max_iter)
            advice = ("\nIncrease the number of iterations to improve the convergence "
                      f"(max_iter={self.max_iter})." if n_iter == self.max_iter else "")
            warn_caller(
                f"lbfgs failed to converge after {n_iter} iteration(s) (status={status}):\n"
                f"{message}\n{advice}\nYou might also want to scale the data as shown in:\n"
                "    https://scikit-learn.org/stable/modules/preprocessing.html",
                ConvergenceWarning,
            )
        elif stepwise and not history.stopped_early and len(epochs) >= self.max_iter:
            warn_caller(
                f"Stochastic Optimizer: Maximum iterations ({self.max_iter}) reached and the "
                "optimization hasn't converged yet.",
                ConvergenceWarning,
            )

    def _split_validation(self, X, Y, y, weights, random):
        """Hold out ``validation_fraction`` of the rows, stratified as scikit-learn's MLP does."""
        stratify = y if self._stratify() else None
        train_rows, val_rows = train_test_split(
            np.arange(X.shape[0]),
            test_size=self.validation_fraction,
            random_state=random,  # as scikit-learn: the stream that drew the weights
            stratify=stratify,
        )
        if len(val_rows) < 2:  # a score of one row says nothing (scikit-learn's check)
            raise ValueError(
                f"the validation set is too small ({len(val_rows)} row of {X.shape[0]}); raise "
                "validation_fraction or use more data"
            )
        validation = (X[val_rows], Y[val_rows])
        if weights is not None:
            validation += (weights[val_rows],)
            weights = weights[train_rows]
        return X[train_rows], Y[train_rows], weights, validation

    def _stratify(self) -> bool:
        return False

    def _partial_epoch(self, X, Y, weights, random) -> None:
        _check_weight_sum(weights)
        l2 = self.alpha  # divided by each batch's weight sum (the trainer's weight_sums)
        # Each call's batch may differ in size: "auto" means min(200, this call's rows).
        batch_size = self._batch_size(X.shape[0])
        if self._trainer is None or self._trainer.optimizer.name == "lbfgs":
            # (An L-BFGS fit's trainer takes no steps: after set_params(solver=...),
            # partial_fit goes on with the new solver's.)
            self._trainer = self._make_trainer(X.shape[0], random, l2, batch_size=batch_size)
        # scikit-learn shuffles each call's rows afresh from its random_state.
        self._trainer.row_order = _SklearnRowOrder(random)
        self._trainer.l2 = l2
        self._trainer.batch_size = batch_size
        loss = self._trainer.partial_fit(X, Y, sample_weight=weights)
        self._record([loss], X.shape[0])
        self._count_partial_fit_loss(loss)
        if self.verbose and self.verbose != "progress":
            print(f"Iteration {self.n_iter_}, loss = {self.loss_:.8f}")  # scikit-learn's line

    def _count_partial_fit_loss(self, loss: float) -> None:
        """scikit-learn's loss rule after a partial_fit epoch: the count of epochs
        without a gain of ``tol`` and the best loss go on (a later warm-start fit
        starts from them)."""
        earlier = getattr(self, "_stopping_state", None)
        state = (dict(earlier[1]) if earlier is not None and earlier[0] == "loss"
                 else {"best": None, "best_epoch": None, "wait": 0, "arrays": {}})
        best = state["best"]
        if best is None or improves(loss, best, self.tol, at_least=True):
            state["wait"] = 0
        else:
            state["wait"] += 1
        if best is None or loss < best:
            state["best"] = loss
        self._stopping_state = ("loss", state)

    def _record(self, losses: list[float], n_samples: int) -> None:
        """Append one epoch's loss per entry and update the counters scikit-learn keeps:
        ``n_iter_`` counts the epochs of this call (so ``n_iter_ == max_iter`` means the
        call ran out of epochs), ``t_`` the rows seen in every call by a stochastic solver."""
        losses = [float(value) for value in losses]
        if not losses:
            return
        self.loss_curve_.extend(losses)
        self.n_iter_ = len(losses)
        if self.solver != "lbfgs":  # scikit-learn counts the stochastic solvers' rows only
            self.t_ += n_samples * len(losses)
        self.loss_ = self.loss_curve_[-1]
        self.best_loss_ = min(self.loss_curve_)

    # --------------------------------------------------------------- prediction
    def _forward(self, X) -> np.ndarray:
        """The network's output for validated ``X``, float64 ndarray of shape (m, n_outputs)."""
        check_is_fitted(self, "network_")
        X = validate_data(self, X, reset=False, accept_sparse=("csr", "csc"),
                          dtype=self.network_.dtype, order="C")
        # float64 out, whatever the training dtype: what scikit-learn's metrics expect.
        return self.network_.output(X).astype(np.float64, copy=False)

    @property
    def n_layers_(self) -> int:
        """Layers counted as scikit-learn does: the input, the hidden ones and the output."""
        check_is_fitted(self, "network_")
        return len(self.network_.layers) + 1

    @property
    def coefs_(self) -> list[np.ndarray]:
        """Weight matrices as scikit-learn orients them, each of shape (n_in, n_out).

        Transposed views of the network's ``W[l]``: writing to them, assigning an item
        (``coefs_[l] = ...``) or the whole list writes the network, as assigning
        scikit-learn's lists changes its model.
        """
        check_is_fitted(self, "network_")
        return _LayerArrays([layer.W.T for layer in self.network_.layers], "coefs_")

    @coefs_.setter
    def coefs_(self, values) -> None:
        self.coefs_.assign(values)

    @property
    def intercepts_(self) -> list[np.ndarray]:
        """Bias vectors of shape (n_out,): views of the network's ``b[l]``, written
        through as :attr:`coefs_` (read-only zeros when ``use_bias=False``)."""
        check_is_fitted(self, "network_")
        views = []
        for layer in self.network_.layers:
            if layer.b is None:
                zeros = np.zeros(layer.n_out, self.network_.dtype)
                zeros.flags.writeable = False
                views.append(zeros)
            else:
                views.append(layer.b)
        return _LayerArrays(views, "intercepts_")

    @intercepts_.setter
    def intercepts_(self, values) -> None:
        self.intercepts_.assign(values)

    # ------------------------------------------------------------------ pickling
    # ``network_`` pickles itself (``Network.__getstate__`` keeps its views intact), and
    # the trainer with it (``Trainer.__getstate__``): the network is one object in both,
    # and ``partial_fit`` after unpickling continues with the optimizer's moments, step
    # count and learning rate, as scikit-learn's ``_optimizer`` does.

    # --------------------------------------------------------------- model files
    def _lucidnet_export_state(self) -> tuple[Network, str, dict[str, Any], np.ndarray | None]:
        """For :func:`lucidnet.io.save`: network, kind, JSON-able state, classes."""
        check_is_fitted(self, "network_")
        params = {name: _jsonable_param(value) for name, value in self.get_params().items()}
        fitted = {
            "n_features_in_": int(self.n_features_in_),
            "n_outputs_": int(self.n_outputs_),
            "n_iter_": int(self.n_iter_),
            "t_": int(self.t_),
            "loss_": _json_number(self.loss_),
            "loss_curve_": [_json_number(v) for v in self.loss_curve_],
            "best_loss_": _json_number(self.best_loss_),
            # A score may be -inf or NaN (a model far off); strict JSON has neither.
            "validation_scores_": None if self.validation_scores_ is None else [
                _json_number(score) for score in self.validation_scores_],
            "best_validation_score_": _json_number(self.best_validation_score_),
            # Where a warm-start refit's stopping rule goes on from (see _fit_epochs).
            "stopping_state": _export_stopping_state(getattr(self, "_stopping_state", None)),
            "feature_names_in_": (
                self.feature_names_in_.tolist() if hasattr(self, "feature_names_in_") else None
            ),
        }
        fitted.update(self._extra_fitted_state())
        kind = "classifier" if isinstance(self, ClassifierMixin) else "regressor"
        state = {"class": type(self).__name__, "params": params, "fitted": fitted}
        return self.network_, kind, state, getattr(self, "classes_", None)

    def _extra_fitted_state(self) -> dict[str, Any]:
        return {}


def _sklearn_activation_name(network: Network) -> str:
    """The output activation as scikit-learn's ``out_activation_`` names it ("logistic"
    for the sigmoid)."""
    name = network.layers[-1].activation.name
    return "logistic" if name == "sigmoid" else name


class _LayerArrays(list):
    """``coefs_`` or ``intercepts_``: a list of views of the network's arrays, where
    assigning an item (or, through the estimator's setter, the whole list) copies the
    values into the network instead of rebinding the list entry."""

    def __init__(self, views: list[np.ndarray], name: str) -> None:
        super().__init__(views)
        self.name = name

    def __setitem__(self, index, value) -> None:
        if not isinstance(index, (int, np.integer)):
            raise TypeError(f"{self.name}[...] = ...: index one layer with an int")
        target = self[index]
        value = np.asarray(value)
        if value.shape != target.shape:
            raise ValueError(
                f"{self.name}[{index}] must have shape {target.shape}; got {value.shape}"
            )
        if not target.flags.writeable:  # a model without biases: only zeros fit it
            if value.any():
                raise ValueError(f"{self.name}[{index}] cannot be set: the model has no "
                                 "biases (use_bias=False)")
            return
        target[...] = value

    def assign(self, values) -> None:
        """Copy one array per layer into the network."""
        values = list(values)
        if len(values) != len(self):
            raise ValueError(
                f"{self.name} must be a list of {len(self)} arrays, one per layer; "
                f"got {len(values)}"
            )
        for index, value in enumerate(values):
            self[index] = value


class NeuralNetClassifier(ClassifierMixin, _BaseNeuralNet):
    """A feed-forward network classifier with scikit-learn's API.

    Binary targets get one sigmoid output, multiclass targets a softmax output, and
    multilabel targets (a 2-D indicator ``y``) one independent sigmoid per label; the
    loss is the matching cross-entropy.  Labels may be any values scikit-learn accepts
    (ints, strings, ...); they are encoded in the order of :attr:`classes_`.

    Parameters
    ----------
    hidden_layer_sizes : array-like of int, default (100,)
        Units of each hidden layer.
    activation : str, dict or list of them, default "relu"
        Hidden layers' activation from :mod:`lucidnet.activations` ("relu", "tanh",
        "logistic"/"sigmoid", "identity", "leaky_relu", ...), or one per hidden layer.
    solver : {"adam", "sgd", "lbfgs", "momentum", "nesterov", "rmsprop", "adamw", "gd"}
        The optimizer (``"sgd"`` uses ``momentum`` and ``nesterovs_momentum`` as
        scikit-learn does).
    alpha : float, default 1e-4
        L2 penalty ``alpha / (2 m) * sum ||W||^2`` on the weights (not the biases).
    batch_size : int or "auto", default "auto"
        ``min(200, n_samples)`` for "auto"; ignored by lbfgs (full batch).
    learning_rate : {"constant", "invscaling", "adaptive", "step", "exponential", \
"cosine", "plateau"}, default "constant"
        The learning-rate schedule (see :mod:`lucidnet.schedules`).  scikit-learn's
        three ("constant", "invscaling", "adaptive") apply only with ``solver="sgd"``
        (or "gd"), as in scikit-learn, and mean "constant" for the other solvers;
        lucidnet's own ("step", "exponential", "cosine", "plateau") apply to every
        solver.
    learning_rate_init : float, default 1e-3
    power_t : float, default 0.5
        Exponent of "invscaling".
    max_iter : int, default 200
        Epochs (or lbfgs iterations).
    shuffle : bool, default True
        Reshuffle the examples every epoch.
    random_state : int, RandomState or None
        Seeds the initial weights, the shuffling, dropout and the validation split.
    tol : float, default 1e-4
    verbose : bool or "progress", default False
        True prints ``Iteration N, loss = ...`` after every epoch (and the validation
        score with ``early_stopping``), as scikit-learn does; "progress" shows a
        progress bar instead (the command line's).
    warm_start : bool, default False
        Continue from the previous fit's weights.
    momentum : float, default 0.9
    nesterovs_momentum : bool, default True
    early_stopping : bool, default False
        Hold out ``validation_fraction`` of the data (stratified), stop when the
        validation accuracy stops improving, and keep the best weights.  Ignored by
        lbfgs, as in scikit-learn.
    validation_fraction : float, default 0.1
    beta_1, beta_2, epsilon : float
        Adam's (and AdamW's) parameters.
    n_iter_no_change : int, default 10
    max_fun : int, default 15000
        Most loss evaluations of lbfgs (whose iterations ``max_iter`` also bounds;
        its gradient tolerance is ``tol``).
    dropout : float or list of float, default 0.0
        Dropout rate of each hidden layer during training.
    dtype : {"float32", "float64"} or None, default None
        Precision of the weights and of the training arithmetic.  None: as
        scikit-learn's MLP, float32 for float32 ``X`` and float64 for anything else,
        which gives scikit-learn's results to rounding (see ``initializer``).
        "float32" trains faster, with probabilities good to about 1e-7.
    weight_decay : float, default 0.01
        Decoupled weight decay of ``solver="adamw"``.
    clip_norm : float, optional
        Clip the gradient's global norm to this value.
    schedule_params : dict, optional
        Extra parameters of the ``learning_rate`` schedule.
    use_bias : bool, default True
    initializer : str, optional
        Weight initializer from :mod:`lucidnet.initializers` (biases then start at
        zero).  By default, scikit-learn's MLP's own: weights and biases drawn from
        ``U(-l, l)``, ``l = sqrt(6 / (n_in + n_out))`` (``sqrt(2 / ...)`` with
        ``activation="logistic"``), from the same random stream, so the same int
        ``random_state`` gives both libraries the same initial parameters.
    early_stopping_monitor : {"score", "loss"}, default "score"
        What ``early_stopping`` watches on the validation set: the score (accuracy,
        scikit-learn's rule) or the loss, which is smoother on a small validation
        set, where accuracy moves in coarse steps and peaks early.  Either way the
        best epoch's weights are restored.
    class_weight : dict, "balanced" or None
        Weights per class, multiplied into ``sample_weight``; "balanced" uses
        ``n_samples / (n_classes * count(class))``.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
    network_ : lucidnet.Network
    n_features_in_ : int
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Only when ``X`` had string column names.
    n_outputs_ : int
        Units of the output layer (1 for binary targets).
    out_activation_ : str
    loss_ : float
    loss_curve_ : list of float
        Training loss (penalty included) of each epoch.
    best_loss_ : float or None
    validation_scores_ : list of float or None
        Validation accuracy of each epoch with ``early_stopping`` or ``validation_data``.
    best_validation_score_ : float or None
        The validation score of the epoch whose weights were kept: the best one
        (scikit-learn's rule), or with ``early_stopping_monitor="loss"`` the score at the
        lowest validation loss; with ``validation_data`` and no early stopping (the
        last epoch's weights kept; L-BFGS included), the best score of any epoch.
    n_iter_ : int
    t_ : int
        Training examples seen.
    coefs_ : list of ndarray of shape (n_in, n_out)
    intercepts_ : list of ndarray of shape (n_out,)
    """

    _parameter_constraints: dict = {
        **_BaseNeuralNet._parameter_constraints,
        "class_weight": [None, dict, StrOptions({"balanced"})],
    }

    # Written out in full, as scikit-learn estimators do: IDEs, type checkers and
    # get_params all read this signature.
    def __init__(
        self,
        hidden_layer_sizes=(100,),
        activation="relu",
        *,
        solver="adam",
        alpha=0.0001,
        batch_size="auto",
        learning_rate="constant",
        learning_rate_init=0.001,
        power_t=0.5,
        max_iter=200,
        shuffle=True,
        random_state=None,
        tol=1e-4,
        verbose=False,
        warm_start=False,
        momentum=0.9,
        nesterovs_momentum=True,
        early_stopping=False,
        validation_fraction=0.1,
        beta_1=0.9,
        beta_2=0.999,
        epsilon=1e-8,
        n_iter_no_change=10,
        max_fun=15000,
        dropout=0.0,
        dtype=None,
        weight_decay=0.01,
        clip_norm=None,
        schedule_params=None,
        use_bias=True,
        initializer=None,
        early_stopping_monitor="score",
        class_weight=None,
    ):
        super().__init__(
            hidden_layer_sizes,
            activation,
            solver=solver,
            alpha=alpha,
            batch_size=batch_size,
            learning_rate=learning_rate,
            learning_rate_init=learning_rate_init,
            power_t=power_t,
            max_iter=max_iter,
            shuffle=shuffle,
            random_state=random_state,
            tol=tol,
            verbose=verbose,
            warm_start=warm_start,
            momentum=momentum,
            nesterovs_momentum=nesterovs_momentum,
            early_stopping=early_stopping,
            validation_fraction=validation_fraction,
            beta_1=beta_1,
            beta_2=beta_2,
            epsilon=epsilon,
            n_iter_no_change=n_iter_no_change,
            max_fun=max_fun,
            dropout=dropout,
            dtype=dtype,
            weight_decay=weight_decay,
            clip_norm=clip_norm,
            schedule_params=schedule_params,
            use_bias=use_bias,
            initializer=initializer,
            early_stopping_monitor=early_stopping_monitor,
        )
        self.class_weight = class_weight

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None, *, checkpoint_dir=None, resume=False,
            validation_data=None):
        """Train on ``X`` of shape (n_samples, n_features) and labels ``y``.

        Parameters
        ----------
        X : array-like or SciPy sparse matrix of shape (n_samples, n_features)
        y : array-like of shape (n_samples,) or (n_samples, n_labels)
            Class labels, or a 0/1 indicator matrix for multilabel classification.
        sample_weight : array-like of shape (n_samples,), optional
        checkpoint_dir : path, optional
            Save the full training state there after every epoch (see
            :class:`lucidnet.training.Trainer`).
        resume : bool, default False
            Continue from ``checkpoint_dir``'s checkpoint (same data and parameters):
            the run ends exactly where the uninterrupted one would have.  With
            ``early_stopping``, give a ``random_state``: without one the validation
            rows are drawn afresh when the run resumes.
        validation_data : (X_val, y_val), optional
            Rows scored after every epoch (or L-BFGS iteration) into
            ``validation_scores_`` and the training history's ``val_loss``; with
            ``early_stopping`` (stochastic solvers), watched instead of a
            ``validation_fraction`` split.  Otherwise they never change the steps taken.

        Returns
        -------
        self
        """
        return self._fit(
            X, y, sample_weight, incremental=False, checkpoint=(checkpoint_dir, resume),
            validation_data=validation_data,
        )

    @available_if(_is_stepwise)
    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit(self, X, y, sample_weight=None, classes=None):
        """One epoch over ``X``, ``y``, keeping the optimizer's state between calls.

        Parameters
        ----------
        X : array-like or SciPy sparse matrix of shape (n_samples, n_features)
        y : array-like of shape (n_samples,) or (n_samples, n_labels)
        sample_weight : array-like of shape (n_samples,), optional
        classes : array-like of shape (n_classes,)
            Every class that will ever appear; required on the first call.  (After
            ``sample_weight``, in scikit-learn's order.)

        Returns
        -------
        self
        """
        if self.class_weight == "balanced":
            raise ValueError(
                "class_weight='balanced' is not supported by partial_fit (one batch does not "
                "show the class frequencies); compute the weights on all the data with "
                "sklearn.utils.class_weight.compute_class_weight and pass them as a dict"
            )
        if not hasattr(self, "network_"):
            if classes is None:
                raise ValueError("classes must be passed on the first call to partial_fit")
        elif classes is not None and not np.array_equal(np.unique(classes), self.classes_):
            raise ValueError(
                f"classes must equal the classes of the first call to partial_fit "
                f"({self.classes_.tolist()}); got {np.unique(classes).tolist()}"
            )
        return self._fit(X, y, sample_weight, incremental=True, classes=classes)

    def _validate_y(self, X, y, *, reset):
        X, y = super()._validate_y(X, y, reset=reset)
        if y.ndim == 2 and y.shape[1] == 1:
            y = column_or_1d(y, warn=True)
        check_classification_targets(y)
        return X, y

    def _encode_targets(self, y, *, first, classes=None):
        target_type = type_of_target(y)
        if first:
            binarizer = LabelBinarizer()
            if target_type.startswith("multilabel"):
                binarizer.fit(y)
            elif target_type in ("binary", "multiclass"):
                binarizer.fit(y if classes is None else classes)
            else:
                raise ValueError(
                    f"y must hold class labels (binary, multiclass or a multilabel indicator "
                    f"matrix); got {target_type} targets"
                )
            if len(binarizer.classes_) < 2:
                raise ValueError(
                    "y must contain at least 2 classes to train a classifier; got 1 class: "
                    f"{_plain_repr(binarizer.classes_[0])}"
                )
            self._label_binarizer = binarizer
            self.classes_ = binarizer.classes_
            if classes is not None and not target_type.startswith("multilabel"):
                self._check_known_labels(y, target_type)  # y within the classes given
        else:
            self._check_known_labels(y, target_type)
        return self._label_binarizer.transform(y)

    def _check_warm_start_targets(self, y) -> None:
        # As scikit-learn: a refit sees every class again (partial_fit need not).
        if (not self._label_binarizer.y_type_.startswith("multilabel")
                and not np.array_equal(np.unique(y), self.classes_)):
            raise ValueError(
                "warm_start can only be used where y has the same classes as in the "
                f"previous call to fit ({self.classes_.tolist()}); got "
                f"{np.unique(y).tolist()}"
            )

    def _check_known_labels(self, y, target_type) -> None:
        multilabel = self._label_binarizer.y_type_.startswith("multilabel")
        if multilabel != target_type.startswith("multilabel"):
            raise ValueError(
                "y must be of the same kind as in the first fit "
                f"({self._label_binarizer.y_type_}); got {target_type}"
            )
        if not multilabel:
            unknown = np.setdiff1d(np.unique(y), self.classes_)
            if unknown.size:
                raise ValueError(
                    f"y holds labels not among the classes: {unknown.tolist()}; "
                    f"expected a subset of {self.classes_.tolist()} (the first fit's, or "
                    "the classes passed to partial_fit; warm_start and partial_fit keep "
                    "them)"
                )

    def _sample_weights(self, X, y, sample_weight, dtype):
        weights = super()._sample_weights(X, y, sample_weight, dtype)
        if self.class_weight is None:
            return weights
        if self._label_binarizer.y_type_.startswith("multilabel"):
            raise ValueError(
                "class_weight is not supported for multilabel y; got "
                f"class_weight={self.class_weight!r}"
            )
        per_class = compute_sample_weight(self._class_weight_for(y), y).astype(dtype)
        return per_class if weights is None else weights * per_class

    def _class_weight_for(self, y):
        """``class_weight`` with every class present (dict entries may be partial)."""
        if isinstance(self.class_weight, dict):
            unknown = set(self.class_weight) - set(self.classes_.tolist())
            if unknown:
                raise ValueError(
                    f"class_weight has labels that are not classes: {sorted(map(str, unknown))}; "
                    f"classes are {self.classes_.tolist()}"
                )
        return self.class_weight

    def _output_layer(self):
        if self._label_binarizer.y_type_ == "multiclass":
            return "softmax", "categorical_cross_entropy"
        return "sigmoid", "binary_cross_entropy"

    def _training_loss(self, loss):
        # scikit-learn's log-loss clips probabilities to [eps, 1 - eps] (so an example
        # costs at most about 36 in float64); its steps use the unclipped A - Y.
        if type(loss) is CategoricalCrossEntropy:
            return _ClippedCategoricalCrossEntropy()
        if type(loss) is BinaryCrossEntropy:
            return _ClippedBinaryCrossEntropy()
        return loss

    def _metric(self) -> str:
        return "accuracy"

    def _stratify(self) -> bool:
        # As scikit-learn's MLP: stratified when the network has one output column (two
        # classes), not for several classes or labels.
        return self.n_outputs_ == 1

    # --------------------------------------------------------------- prediction
    def predict_proba(self, X) -> np.ndarray:
        """Class probabilities, ndarray of shape (n_samples, n_classes), columns as ``classes_``.

        Binary problems give ``[1 - p, p]``; multilabel problems give each label's
        independent probability.
        """
        return _class_outputs.probabilities(self._forward(X), self._label_binarizer.y_type_)

    def predict_log_proba(self, X) -> np.ndarray:
        """``log(predict_proba(X))``, ndarray of shape (n_samples, n_classes)."""
        with np.errstate(divide="ignore"):
            return np.log(self.predict_proba(X))

    def predict(self, X) -> np.ndarray:
        """Labels of shape (n_samples,), or a 0/1 matrix (n_samples, n_labels) for multilabel."""
        return _class_outputs.labels(self._forward(X), self._label_binarizer.y_type_,
                                     self._label_binarizer.classes_)

    def score(self, X, y, sample_weight=None) -> float:
        """Mean accuracy (subset accuracy for multilabel) of ``predict(X)`` against ``y``."""
        return accuracy_score(y, self.predict(X), sample_weight=sample_weight)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_label = True
        return tags

    def _extra_fitted_state(self):
        return {"y_type_": self._label_binarizer.y_type_}


class NeuralNetRegressor(RegressorMixin, _BaseNeuralNet):
    """A feed-forward network regressor with scikit-learn's API.

    The output layer has one unit per target with ``output_activation`` (identity by
    default) and the loss is the squared error ``(1/2m) sum ||a - y||^2``, or with
    ``loss="poisson"`` half the Poisson deviance through an exp output (a log link).
    With several targets, ``loss_`` (and what ``tol`` and L-BFGS see) is the squared
    error averaged over them while the steps follow their sum, as in scikit-learn.

    Parameters
    ----------
    All of :class:`NeuralNetClassifier`'s except ``class_weight``, plus:

    loss : {"squared_error", "poisson"}, default "squared_error"
        As :class:`~sklearn.neural_network.MLPRegressor`: "poisson" is half the Poisson
        deviance, for counts or rates ``y >= 0``, with an exp output unless
        ``output_activation`` names another.
    output_activation : str or dict, default "identity"
        From :mod:`lucidnet.activations`; e.g. "sigmoid" for targets in (0, 1).

    Attributes
    ----------
    network_, n_features_in_, feature_names_in_, n_outputs_, out_activation_, loss_,
    loss_curve_, best_loss_, validation_scores_ (R^2 per epoch with early_stopping or
    validation_data),
    best_validation_score_, n_iter_, t_, coefs_, intercepts_
        As in :class:`NeuralNetClassifier`.
    """

    _y_numeric = True

    _parameter_constraints: dict = {
        **_BaseNeuralNet._parameter_constraints,
        "loss": [StrOptions({"squared_error", "poisson"})],
        "output_activation": [str, dict],
    }

    # Written out in full, as scikit-learn estimators do (see NeuralNetClassifier).
    def __init__(
        self,
        hidden_layer_sizes=(100,),
        activation="relu",
        *,
        solver="adam",
        alpha=0.0001,
        batch_size="auto",
        learning_rate="constant",
        learning_rate_init=0.001,
        power_t=0.5,
        max_iter=200,
        shuffle=True,
        random_state=None,
        tol=1e-4,
        verbose=False,
        warm_start=False,
        momentum=0.9,
        nesterovs_momentum=True,
        early_stopping=False,
        validation_fraction=0.1,
        beta_1=0.9,
        beta_2=0.999,
        epsilon=1e-8,
        n_iter_no_change=10,
        max_fun=15000,
        loss="squared_error",
        dropout=0.0,
        dtype=None,
        weight_decay=0.01,
        clip_norm=None,
        schedule_params=None,
        use_bias=True,
        initializer=None,
        early_stopping_monitor="score",
        output_activation="identity",
    ):
        super().__init__(
            hidden_layer_sizes,
            activation,
            solver=solver,
            alpha=alpha,
            batch_size=batch_size,
            learning_rate=learning_rate,
            learning_rate_init=learning_rate_init,
            power_t=power_t,
            max_iter=max_iter,
            shuffle=shuffle,
            random_state=random_state,
            tol=tol,
            verbose=verbose,
            warm_start=warm_start,
            momentum=momentum,
            nesterovs_momentum=nesterovs_momentum,
            early_stopping=early_stopping,
            validation_fraction=validation_fraction,
            beta_1=beta_1,
            beta_2=beta_2,
            epsilon=epsilon,
            n_iter_no_change=n_iter_no_change,
            max_fun=max_fun,
            dropout=dropout,
            dtype=dtype,
            weight_decay=weight_decay,
            clip_norm=clip_norm,
            schedule_params=schedule_params,
            use_bias=use_bias,
            initializer=initializer,
            early_stopping_monitor=early_stopping_monitor,
        )
        self.loss = loss
        self.output_activation = output_activation

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None, *, checkpoint_dir=None, resume=False,
            validation_data=None):
        """Train on ``X`` of shape (n_samples, n_features) and targets ``y``.

        Parameters
        ----------
        X : array-like or SciPy sparse matrix of shape (n_samples, n_features)
        y : array-like of shape (n_samples,) or (n_samples, n_targets)
        sample_weight : array-like of shape (n_samples,), optional
        checkpoint_dir, resume, validation_data
            As in :meth:`NeuralNetClassifier.fit`.

        Returns
        -------
        self
        """
        return self._fit(
            X, y, sample_weight, incremental=False, checkpoint=(checkpoint_dir, resume),
            validation_data=validation_data,
        )

    @available_if(_is_stepwise)
    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit(self, X, y, sample_weight=None):
        """One epoch over ``X``, ``y``, keeping the optimizer's state between calls.

        Returns
        -------
        self
        """
        return self._fit(X, y, sample_weight, incremental=True)

    def _validate_y(self, X, y, *, reset):
        X, y = super()._validate_y(X, y, reset=reset)
        if y.ndim == 2 and y.shape[1] == 1:  # scikit-learn's DataConversionWarning
            y = column_or_1d(y, warn=True)
        return X, y

    def _training_loss(self, loss):
        # Several targets with the squared error: scikit-learn reports (and stops on,
        # and gives L-BFGS as the objective) the loss averaged over the targets, while
        # its steps follow the gradient of their sum.
        if type(loss) is SquaredError and self.n_outputs_ > 1:
            return _TargetMeanSquaredError(self.n_outputs_)
        return loss

    def _encode_targets(self, y, *, first, classes=None):
        if self.loss == "poisson" and (y < 0).any():
            row = int(np.flatnonzero((y < 0).reshape(len(y), -1).any(axis=1))[0])
            raise ValueError(
                f"loss='poisson' needs targets y >= 0 (counts or rates); y[{row}] is "
                f"{y[row].tolist()!r}"
            )
        return y.reshape(len(y), -1)

    def _output_layer(self):
        if self.loss == "poisson" and self.output_activation == "identity":
            return "exp", self.loss  # scikit-learn's log link
        return self.output_activation, self.loss

    def _metric(self) -> str:
        return "r2"

    def predict(self, X) -> np.ndarray:
        """Predictions of shape (n_samples,) for one target, else (n_samples, n_targets)."""
        A = self._forward(X)
        return A.ravel() if A.shape[1] == 1 else A

    def score(self, X, y, sample_weight=None) -> float:
        """Coefficient of determination R^2 of ``predict(X)`` (uniform average over targets)."""
        return r2_score(y, self.predict(X), sample_weight=sample_weight)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags


class MLPClassifier(NeuralNetClassifier):
    """:class:`NeuralNetClassifier` under scikit-learn's name.

    The same estimator; the name is what ``make_pipeline`` names a step after (so
    grid-search keys such as ``"mlpclassifier__alpha"`` carry over), and what
    messages and reprs show.
    """


class MLPRegressor(NeuralNetRegressor):
    """:class:`NeuralNetRegressor` under scikit-learn's name (see :class:`MLPClassifier`),
    with scikit-learn's order of the leading arguments: ``MLPRegressor(loss,
    hidden_layer_sizes, activation, *, ...)``."""

    def __init__(self, loss="squared_error", hidden_layer_sizes=(100,), activation="relu",
                 **settings):
        super().__init__(hidden_layer_sizes, activation, loss=loss, **settings)


def _loss_first(signature: inspect.Signature) -> inspect.Signature:
    """NeuralNetRegressor's signature with ``loss`` moved before ``hidden_layer_sizes``
    (scikit-learn's order): what ``get_params``, ``clone`` and ``help`` read."""
    parameters = dict(signature.parameters)
    loss = parameters.pop("loss").replace(kind=inspect.Parameter.POSITIONAL_OR_KEYWORD)
    self_, *rest = parameters.values()
    return signature.replace(parameters=[self_, loss, *rest])


MLPRegressor.__init__.__signature__ = _loss_first(inspect.signature(NeuralNetRegressor.__init__))


# ---------------------------------------------------------------- helpers
def _check_weight_sum(weights: np.ndarray | None) -> None:
    if weights is not None:
        total = float(weights.sum(dtype=np.float64))
        if not total > 0:
            raise ValueError(f"sample_weight must have a positive sum; got sum {total}")


def _hidden_sizes(value: Any) -> list[int]:
    sizes = [value] if isinstance(value, (Integral, np.integer)) else list(value)
    if not all(
        isinstance(n, (Integral, np.integer)) and not isinstance(n, bool) and n >= 1 for n in sizes
    ):
        raise ValueError(f"hidden_layer_sizes must hold positive ints; got {value!r}")
    return [int(n) for n in sizes]


def _activation_argument(value: Any) -> Any:
    """A tuple (one per hidden layer) stays a list; names and dicts pass through."""
    return list(value) if isinstance(value, tuple) else value


def _plain_repr(value: Any) -> str:
    """``repr`` of a NumPy scalar as of the Python value (``0``, not ``np.int64(0)``)."""
    return repr(value.item() if isinstance(value, np.generic) else value)
