"""The callback protocol and the provided callbacks."""

from __future__ import annotations

import io

import numpy as np
import pytest

from lucidnet import Network
from lucidnet.callbacks import (
    Callback,
    Checkpoint,
    CostPrinter,
    EarlyStopping,
    History,
    ProgressBar,
    overrides,
)
from lucidnet.training import Trainer


def problem(m=24):
    data = np.random.default_rng(0)
    X = data.standard_normal((m, 2))
    return X, (X[:, 0] > X[:, 1]).astype(float)


def trainer(**kwargs):
    net = Network([2, 4, 1], "tanh", "sigmoid", random_state=0)
    return Trainer(net, **{"learning_rate": 0.05, "batch_size": 10, "random_state": 0, **kwargs})


class Log(Callback):
    def __init__(self):
        self.events = []

    def on_train_begin(self, logs=None):
        self.events.append("train_begin")

    def on_epoch_begin(self, epoch, logs=None):
        self.events.append(f"epoch_begin {epoch}")

    def on_batch_end(self, batch, logs):
        self.events.append(f"batch {batch} size {logs['size']}")

    def on_epoch_end(self, epoch, logs):
        self.events.append(f"epoch_end {epoch} {sorted(logs)}")

    def on_train_end(self, logs=None):
        self.events.append("train_end")


def test_hooks_are_called_in_order():
    log = Log()
    X, Y = problem()
    trainer(callbacks=[log]).fit(X, Y, epochs=2)
    batches = ["batch 0 size 10", "batch 1 size 10", "batch 2 size 4"]
    assert log.events == [
        "train_begin",
        "epoch_begin 0", *batches, "epoch_end 0 ['loss', 'lr']",
        "epoch_begin 1", *batches, "epoch_end 1 ['loss', 'lr']",
        "train_end",
    ]


def test_a_user_callback_stops_training():
    class StopAfterTwo(Callback):
        def on_epoch_end(self, epoch, logs):
            if epoch == 1:
                self.trainer.stop_training = True

    X, Y = problem()
    history = trainer(callbacks=[StopAfterTwo()]).fit(X, Y, epochs=10)
    assert history.epochs == 2 and history.stopped_early
    assert len(history.history["loss"]) == 2


def test_history_accumulates_across_fits_and_round_trips():
    X, Y = problem()
    t = trainer()
    t.fit(X, Y, epochs=2)
    history = t.fit(X, Y, epochs=3)
    assert history.epochs == 5 and len(history.history["loss"]) == 5
    again = History()
    again.load_state_dict(history.state_dict())
    assert again.history == history.history and again.epochs == 5


def test_cost_printer_epochs_and_iterations():
    X, Y = problem(m=20)
    out = io.StringIO()
    t = trainer(batch_size=None, callbacks=[CostPrinter(every=2, file=out)])
    history = t.fit(X, Y, epochs=5)
    lines = out.getvalue().splitlines()
    assert lines == [f"Cost after epoch {e}: {history.history['loss'][e]:.6f}" for e in (0, 2, 4)]
    assert lines[0].startswith("Cost after epoch 0: 0.")
    iterations = io.StringIO()
    trainer(batch_size=10, callbacks=[CostPrinter(3, "iteration", iterations)]).fit(
        X, Y, epochs=3)  # 6 iterations: 0 and 3 are printed
    assert [line.split(":")[0] for line in iterations.getvalue().splitlines()] == [
        "Cost after iteration 0", "Cost after iteration 3"]
    # An L-BFGS iteration is its epoch's one full-batch step: printed per iteration too.
    steps = io.StringIO()
    history = trainer(optimizer="lbfgs", callbacks=[CostPrinter(2, "iteration", steps)]).fit(
        X, Y, epochs=5)
    assert steps.getvalue().splitlines() == [
        f"Cost after iteration {i}: {history.history['loss'][i]:.6f}"
        for i in range(0, history.epochs, 2)]
    with pytest.raises(ValueError, match="unit must be 'epoch' or 'iteration'; got 'batch'"):
        CostPrinter(unit="batch")


def test_progress_bar_is_silent_off_a_terminal_and_shows_when_forced():
    X, Y = problem()
    quiet = io.StringIO()  # not a terminal
    trainer(callbacks=[ProgressBar(True, file=quiet)]).fit(X, Y, epochs=2)
    assert quiet.getvalue() == ""
    shown = io.StringIO()
    trainer(callbacks=[ProgressBar("always", file=shown)]).fit(X, Y, epochs=2,
                                                              validation_data=(X, Y))
    text = shown.getvalue()
    assert "2/2" in text and "loss=" in text and "val_loss=" in text
    with pytest.raises(ValueError, match=r"enabled must be True, False or 'always' \(Trainer"
                                         r".fit's verbose\); got 2"):
        ProgressBar(2)
    with pytest.raises(ValueError, match=r"every must be an int >= 1 \(Trainer.fit's "
                                         r"checkpoint_every\); got 0"):
        Checkpoint("ckpt", every=0)

    # A Jupyter notebook's stream is ipykernel's and says it is no terminal; a bar that
    # stayed silent there would leave verbose=True doing nothing where learners work.
    NotebookStream = type("OutStream", (io.StringIO,), {"__module__": "ipykernel.iostream"})
    notebook = NotebookStream()
    trainer(callbacks=[ProgressBar(True, file=notebook)]).fit(X, Y, epochs=2)
    assert not notebook.isatty() and "2/2" in notebook.getvalue()


def test_progress_bar_ends_full_when_training_stops_early():
    X, Y = problem()
    shown = io.StringIO()
    stopper = EarlyStopping(monitor="loss", patience=1, min_delta=1e9)  # stops at epoch 1
    trainer(callbacks=[stopper, ProgressBar("always", file=shown)]).fit(X, Y, epochs=50)
    last = shown.getvalue().replace("\r", "\n").strip().splitlines()[-1]
    assert last.startswith("stopped early") and "100%" in last and "2/2" in last


def test_early_stopping_on_training_loss_with_patience():
    class Losses(Callback):
        """Feeds a made-up monitored value: improves twice, then stalls."""

        def on_epoch_end(self, epoch, logs):
            logs["made_up"] = [3.0, 2.0, 1.0, 1.5, 1.2, 1.1, 0.5][epoch]

    X, Y = problem()
    stopper = EarlyStopping(monitor="made_up", patience=3, min_delta=0.0)
    t = trainer(callbacks=[Losses(), stopper])
    history = t.fit(X, Y, epochs=7)
    # best 1.0 at epoch 2; epochs 3, 4, 5 do not improve: stop after epoch 5
    assert history.epochs == 6 and history.best_epoch == 2 and history.stopped_early


@pytest.mark.parametrize("any_gain", [False, True])
def test_early_stopping_by_hand_both_rules(any_gain):
    """Gains of 0.05 with min_delta 0.1, then a tie.  Keras: best stays 1.0, so the
    wait grows every epoch.  scikit-learn: best follows 0.95 and 0.9 (the count still
    grows: no gain reaches 0.1); the tie at 0.9 is no better, so the weights kept are
    epoch 2's.  Patience 0 stops only on a stall, never after an improvement."""
    values = [1.0, 0.95, 0.9, 0.9, 0.9]

    class Values(Callback):
        def on_epoch_end(self, epoch, logs):
            logs["made_up"] = values[epoch]

    X, Y = problem()
    stopper = EarlyStopping(monitor="made_up", patience=3, min_delta=0.1,
                            best_on_any_gain=any_gain)
    history = trainer(callbacks=[Values(), stopper]).fit(X, Y, epochs=5)
    assert history.epochs == 4 and history.stopped_early
    assert history.best_epoch == (2 if any_gain else 0)
    assert stopper.best == (0.9 if any_gain else 1.0)
    # A tie with min_delta 0 is no stall under scikit-learn's rule (its tol of 0), and
    # the weights stay those of the first of the tied epochs.
    tie = EarlyStopping(monitor="made_up", patience=1, min_delta=0.0, best_on_any_gain=any_gain)
    values[:] = [1.0, 0.5, 0.5, 0.5, 0.5]
    history = trainer(callbacks=[Values(), tie]).fit(X, Y, epochs=5)
    assert history.epochs == (5 if any_gain else 3) and history.best_epoch == 1
    # Patience 0: every improving epoch runs on.
    values[:] = [1.0, 0.8, 0.6, 0.4, 0.2]
    eager = EarlyStopping(monitor="made_up", patience=0, min_delta=0.0, best_on_any_gain=any_gain)
    history = trainer(callbacks=[Values(), eager]).fit(X, Y, epochs=5)
    assert history.epochs == 5 and not history.stopped_early


def test_early_stopping_needs_its_monitor():
    X, Y = problem()
    with pytest.raises(ValueError, match="monitors 'val_accuracy', which the epoch logs do not"):
        trainer(callbacks=[EarlyStopping("val_accuracy")]).fit(X, Y, epochs=2)
    with pytest.raises(ValueError, match="patience must be an int >= 0; got -1"):
        EarlyStopping(patience=-1)
    with pytest.raises(TypeError, match="callbacks must be Callback instances; got function"):
        trainer(callbacks=[lambda: None])


@pytest.mark.parametrize("optimizer", ["sgd", "lbfgs"])
def test_a_monitor_the_logs_will_not_have_is_named_before_the_first_epoch(optimizer):
    X, Y = problem()
    fitting = trainer(optimizer=optimizer, callbacks=[EarlyStopping("val_acc")])
    before = fitting.network.params.copy()
    with pytest.raises(ValueError, match=r"monitors 'val_acc', which the epoch logs do not "
                       r"have \(they have loss(, lr)?, val_accuracy, val_loss\)"):
        fitting.fit(X, Y, epochs=3, validation_fraction=0.25)
    # Nothing was trained (the error used to come after the first epoch).
    assert fitting.history.epochs == 0
    np.testing.assert_array_equal(fitting.network.params, before)
    # The Trainer's own early stopping too, with a metric the task does not log.
    with pytest.raises(ValueError, match="monitors 'val_r2'"):
        trainer(optimizer=optimizer).fit(X, Y, epochs=3, early_stopping=True, monitor="val_r2")
    # A callback of the user's own may add the monitored value at each epoch's end.
    class F1(Callback):
        def on_epoch_end(self, epoch, logs):
            logs["val_acc"] = 0.5

    history = trainer(optimizer=optimizer,
                      callbacks=[F1(), EarlyStopping("val_acc", patience=1)]).fit(X, Y, epochs=3)
    assert history.stopped_early
    # ... and so may a hook set on an instance of lucidnet's own Callback.
    adds = Callback()
    adds.on_epoch_end = lambda epoch, logs: logs.__setitem__("val_acc", 0.5)
    history = trainer(optimizer=optimizer,
                      callbacks=[adds, EarlyStopping("val_acc", patience=1)]).fit(X, Y, epochs=3)
    assert history.stopped_early


def test_only_overridden_hooks_are_called():
    class EndOnly(Callback):
        def on_epoch_end(self, epoch, logs):
            self.trainer.ends = getattr(self.trainer, "ends", 0) + 1

    end_only = EndOnly()
    assert overrides(end_only, "on_epoch_end")
    assert not overrides(end_only, "on_epoch_begin")
    assert not overrides(end_only, "on_batch_end")
    # A hook set on the instance counts, so it is still called.
    begins = []
    end_only.on_epoch_begin = lambda epoch, logs=None: begins.append(epoch)
    assert overrides(end_only, "on_epoch_begin")
    X, Y = problem()
    fitted = trainer(callbacks=[end_only])
    fitted.fit(X, Y, epochs=3)
    assert begins == [0, 1, 2]
    assert fitted.ends == 3
