"""What reproduces scikit-learn's MLP training rules, for :mod:`lucidnet.estimators`.

scikit-learn's MLPClassifier and MLPRegressor train by rules of their own on top of the
algebra the engine shares with them; the estimators follow them so that, with the same
``random_state``, their fits agree with scikit-learn's to rounding
(``tests/test_sklearn_parity.py``):

- its random draws, all from one RandomState, in its order: the initial weights and
  biases (:func:`_sklearn_initial_parameters`), each epoch's row order
  (:class:`_SklearnRowOrder`, the Trainer's ``row_order``, and :class:`_FullBatchDraws`
  when one batch holds every row); the engine's own generators are seeded from that
  stream's state without drawing from it (:func:`_generator`);
- its losses as it reports them, stops on them and gives them to L-BFGS
  (:class:`_TargetMeanSquaredError`, :class:`_ClippedCategoricalCrossEntropy`,
  :class:`_ClippedBinaryCrossEntropy`), while its steps follow the engine's deltas;
- its stopping rules: the count of epochs without improvement carried across
  warm-start fits (:class:`_CarriedStopping`), and the ``learning_rate="adaptive"``
  rule (:class:`_AdaptiveStopping`);
- its ``verbose`` lines (:class:`_IterationPrinter`).

Nothing here imports scikit-learn: the rules are written out.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .activations import Sigmoid, Softmax
from .callbacks import Callback, EarlyStopping
from .losses import BinaryCrossEntropy, CategoricalCrossEntropy, Loss, SquaredError


# ---------------------------------------------------------------- random draws
def _generator(random: np.random.RandomState, *, purpose: int) -> np.random.Generator:
    """An engine Generator seeded from RandomState ``random``'s current state, without
    drawing from it: scikit-learn's MLP draws its initial weights, validation split and
    row orders from that one stream, in that order, and an extra draw would shift them.
    ``purpose`` tells apart generators seeded from the same state."""
    state = random.get_state(legacy=False)["state"]
    entropy = [*state["key"].tolist(), int(state["pos"])]
    return np.random.default_rng(np.random.SeedSequence(entropy, spawn_key=(purpose,)))


class _SklearnRowOrder:
    """Each shuffled epoch's row order, drawn as scikit-learn's MLP draws it: in each
    call to fit, ``order`` starts as ``0 .. m-1`` and each epoch becomes
    ``sklearn.utils.shuffle(order, random_state=random)``, which is ``order[idx]`` for
    ``idx = 0 .. m-1`` shuffled in place by ``random`` (written out here: the function's
    checks cost more than the shuffle on small data).

    Its checkpoint state is the RandomState's state when the call began and the number
    of orders drawn since; loading replays them (a shuffle of ``m`` indices each).
    """

    def __init__(self, random: np.random.RandomState) -> None:
        self.random = random
        self._start = random.get_state(legacy=False)
        self.drawn = 0
        self._order: np.ndarray | None = None
        self._replay = 0

    def permutation(self, m: int) -> np.ndarray:
        if self._order is None or len(self._order) != m:
            self._order = np.arange(m)
            for _ in range(self._replay):
                self._shuffle()
            self.drawn, self._replay = self._replay, 0
        self._shuffle()
        self.drawn += 1
        return self._order

    def _shuffle(self) -> None:
        idx = np.arange(len(self._order))
        self.random.shuffle(idx)
        self._order = self._order[idx]

    def state_dict(self) -> dict:
        state = self._start["state"]
        return {"start": {**self._start, "state": {"key": state["key"].tolist(),
                                                   "pos": int(state["pos"])}},
                "drawn": self.drawn}

    def load_state_dict(self, state: dict | None) -> None:
        if state is None:  # a checkpoint written without one: keep drawing afresh
            return
        start = state["start"]
        start = {**start, "state": {"key": np.asarray(start["state"]["key"], np.uint32),
                                    "pos": int(start["state"]["pos"])}}
        self.random.set_state(start)
        self._start, self._order, self._replay = start, None, int(state["drawn"])


def _sklearn_initial_parameters(
    sizes: list[int], random: np.random.RandomState, *, logistic: bool, dtype: np.dtype,
    use_bias: bool,
) -> list[tuple[np.ndarray, np.ndarray]]:
    """scikit-learn's MLP initialization, draw for draw: per layer, ``coef`` of shape
    (n_in, n_out), then the intercept of shape (n_out,) (drawn, then dropped, without
    ``use_bias``), both ``U(-l, l)`` with ``l = sqrt(factor / (n_in + n_out))`` and
    ``factor`` 2 for logistic hidden layers, else 6."""
    factor = 2.0 if logistic else 6.0
    parameters = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True):
        bound = np.sqrt(factor / (n_in + n_out))
        coef = random.uniform(-bound, bound, (n_in, n_out)).astype(dtype, copy=False)
        intercept = random.uniform(-bound, bound, n_out).astype(dtype, copy=False)
        parameters.append((coef, intercept if use_bias else None))
    return parameters


class _FullBatchDraws(Callback):
    """scikit-learn shuffles even a batch that holds every row, drawing from its
    RandomState each epoch (the order changes only the rounding of the sums): draw the
    same row orders, so that later draws from that stream (a RandomState instance's,
    a warm-start refit's) stay in step with scikit-learn's."""

    changes_parameters = False

    def __init__(self, m: int) -> None:
        self.m = m

    def on_epoch_begin(self, epoch, logs=None):
        self.trainer.row_order.permutation(self.m)


# ---------------------------------------------------------------- reported losses
class _TargetMeanSquaredError(SquaredError):
    """scikit-learn's squared error for ``k`` targets: the cost is the sum's divided by
    ``k`` (``0.5 mean((A - Y)^2)`` over rows and targets), while the delta (the step)
    stays the sum's, ``A - Y`` over the rows, as its MLPRegressor computes them.  The
    two disagree by the factor ``k`` on purpose; only an estimator's fit uses it, so
    its ``loss_``, ``tol`` rule and L-BFGS objective are scikit-learn's."""

    def __init__(self, n_targets: int) -> None:
        self.n_targets = n_targets

    def cost(self, A, Y, sample_weight=None):
        return super().cost(A, Y, sample_weight) / self.n_targets

    cost_from_logits = cost


def _clipped(A: np.ndarray) -> np.ndarray:
    """Probabilities ``A`` clipped to ``[eps, 1 - eps]`` of their dtype, as scikit-learn's
    log-losses clip them."""
    eps = np.finfo(A.dtype).eps
    return np.clip(A, eps, 1 - eps)


class _ClippedCategoricalCrossEntropy(CategoricalCrossEntropy):
    """Cross-entropy as scikit-learn's MLPClassifier reports it (probabilities clipped;
    see :meth:`~lucidnet.estimators.NeuralNetClassifier._training_loss`); the delta is
    the engine's."""

    def per_example(self, A, Y):
        return -(Y * np.log(_clipped(A))).sum(axis=1)

    def cost(self, A, Y, sample_weight=None):
        return Loss.cost(self, A, Y, sample_weight)

    def cost_from_logits(self, Z, Y, sample_weight=None):
        return self.cost(Softmax().forward(Z), Y, sample_weight)

    def softmax_and_cost(self, Z, Y, sample_weight=None, out=None):
        out = Softmax().forward(Z, out=out)
        return self.cost(out, Y, sample_weight)


class _ClippedBinaryCrossEntropy(BinaryCrossEntropy):
    """Binary cross-entropy as scikit-learn's MLPClassifier reports it (see
    :class:`_ClippedCategoricalCrossEntropy`)."""

    def per_example(self, A, Y):
        A = _clipped(A)
        return -(Y * np.log(A) + (1.0 - Y) * np.log(1.0 - A)).sum(axis=1)

    def cost(self, A, Y, sample_weight=None):
        return Loss.cost(self, A, Y, sample_weight)

    def cost_from_logits(self, Z, Y, sample_weight=None):
        return self.cost(Sigmoid().forward(Z), Y, sample_weight)


# ---------------------------------------------------------------- stopping
#: scikit-learn's "adaptive" rate stops dividing by 5 (and training stops) below this.
_MIN_ADAPTIVE_RATE = 1e-6


class _CarriedStopping(EarlyStopping):
    """:class:`EarlyStopping` starting from an earlier fit's state (``carried``, from
    :meth:`state_dict`): the count of epochs without improvement, the best value and
    the best weights, as scikit-learn's MLP keeps them across warm-start fits."""

    def __init__(self, *args: Any, carried: dict | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.carried = carried

    def on_train_begin(self, logs=None):
        super().on_train_begin(logs)
        if self.carried is not None:
            self.load_state_dict(self.carried)
            self.best_epoch = None  # an epoch of the earlier fit, not of this one


class _AdaptiveStopping(_CarriedStopping):
    """scikit-learn's ``learning_rate="adaptive"`` stopping rule.

    A plateau of the monitored value divides the rate by 5 (the "plateau" schedule
    does that); training stops at a plateau only once the rate is already at most
    1e-6, instead of at the first plateau.
    """

    changes_parameters = False  # it only sets stop_training

    def on_epoch_end(self, epoch, logs):
        super().on_epoch_end(epoch, logs)
        if self.trainer.stop_training and self.trainer.optimizer.learning_rate > _MIN_ADAPTIVE_RATE:
            self.trainer.stop_training = False
            self.wait = 0


# ---------------------------------------------------------------- verbose output
class _IterationPrinter(Callback):
    """Print ``Iteration N, loss = ...`` after every epoch (and the validation score
    with early stopping), and scikit-learn's line when a plateau stops the fit or
    lowers an adaptive rate, as scikit-learn's MLP does with ``verbose``.

    It runs after the stopping rule, which has then decided about this epoch.
    """

    changes_parameters = False

    def __init__(self, score: str | None, plateau: str) -> None:
        self.score = score
        self.plateau = plateau  # scikit-learn's "... did not improve ..." sentence

    def on_epoch_end(self, epoch, logs):
        print(f"Iteration {epoch + 1}, loss = {logs['loss']:.8f}")
        if self.score is not None and self.score in logs:
            print(f"Validation score: {logs[self.score]:f}")
        trainer = self.trainer
        next_rate = trainer.schedule.rate(epoch + 1)
        if trainer.stop_training:
            # An adaptive rate stops only once it is already at its floor.
            small = " Learning rate too small." if trainer.schedule.name == "plateau" else ""
            print(f"{self.plateau}{small} Stopping.")
        elif "lr" in logs and next_rate < logs["lr"] and trainer.schedule.name == "plateau":
            print(f"{self.plateau} Setting learning rate to {next_rate:f}")
