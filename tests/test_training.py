"""The training loop: convergence on real data, batching, regularization, validation,
early stopping, determinism and divergence."""

from __future__ import annotations

import re
import warnings

import numpy as np
import pytest
from threadpoolctl import threadpool_limits

from lucidnet import Network, gradcheck
from lucidnet.callbacks import Callback
from lucidnet.errors import DivergenceError
from lucidnet.training import (
    Trainer,
    accuracy,
    gradient_descent,
    r2,
    rmse,
    subset_accuracy,
    train,
)


@pytest.fixture(autouse=True)
def one_blas_thread():
    # Small matrices: one thread is fastest and keeps results reproducible on a
    # machine shared by several test runs.
    with threadpool_limits(1):
        yield


def split_scaled(loader, stratify=True):
    from sklearn.model_selection import train_test_split
    from sklearn.preprocessing import StandardScaler

    X, y = loader(return_X_y=True)
    Xtr, Xte, ytr, yte = train_test_split(
        X, y, test_size=0.2, stratify=y if stratify else None, random_state=0
    )
    scaler = StandardScaler().fit(Xtr)
    return scaler.transform(Xtr), scaler.transform(Xte), ytr, yte


class Recorder(Callback):
    """Copies of the parameters after every epoch, and batch sizes."""

    def __init__(self):
        self.params, self.sizes, self.batch_losses = [], [], []

    def on_batch_end(self, batch, logs):
        self.sizes.append(logs["size"])
        self.batch_losses.append(logs["loss"])

    def on_epoch_end(self, epoch, logs):
        self.params.append(self.trainer.network.params.copy())


# ------------------------------------------------------------ real data
def test_digits_reaches_97_percent():
    from sklearn.datasets import load_digits

    Xtr, Xte, ytr, yte = split_scaled(load_digits)
    net = Network([64, 128, 64, 10], "relu", "softmax", random_state=0)
    history = train(net, Xtr, np.eye(10)[ytr], optimizer="adam", learning_rate=2e-3,
                    batch_size=64, l2=0.1, epochs=40, random_state=0)
    assert history.epochs == 40
    assert (net.predict(Xte) == yte).mean() >= 0.97


def test_breast_cancer_reaches_96_percent():
    from sklearn.datasets import load_breast_cancer

    Xtr, Xte, ytr, yte = split_scaled(load_breast_cancer)
    net = Network([30, 32, 1], "relu", "sigmoid", random_state=0)
    train(net, Xtr, ytr, optimizer="adam", learning_rate=1e-3, batch_size=32, l2=1.0,
          epochs=50, random_state=0)
    assert (net.predict(Xte)[:, 0] == yte).mean() >= 0.96


def test_diabetes_r2_matches_sklearn_mlpregressor():
    from sklearn.datasets import load_diabetes
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.metrics import r2_score
    from sklearn.neural_network import MLPRegressor

    Xtr, Xte, ytr, yte = split_scaled(load_diabetes, stratify=False)
    mean, std = ytr.mean(), ytr.std()
    # Same architecture, optimizer, step size, batch size, epochs and L2 (sklearn's
    # alpha is the same (alpha/2m)||W||^2 per batch); sklearn's own stopping is off.
    settings = {"learning_rate_init": 1e-3, "batch_size": 32, "max_iter": 200, "alpha": 1.0}
    reference = MLPRegressor(hidden_layer_sizes=(64,), solver="adam", tol=0.0,
                             n_iter_no_change=10**6, random_state=0, **settings)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        reference.fit(Xtr, (ytr - mean) / std)
    expected = r2_score(yte, reference.predict(Xte) * std + mean)

    net = Network([10, 64, 1], "relu", "identity", random_state=0)
    train(net, Xtr, (ytr - mean) / std, optimizer="adam", learning_rate=1e-3, batch_size=32,
          l2=1.0, epochs=200, random_state=0)
    ours = r2_score(yte, net.predict(Xte)[:, 0] * std + mean)
    assert expected > 0.3  # both converged to a useful model
    assert abs(ours - expected) <= 0.03


# ------------------------------------------------------------ output kinds
def toy(kind, m=120, seed=0):
    data = np.random.default_rng(seed)
    X = data.standard_normal((m, 3))
    if kind == "binary":
        return X, (X[:, 0] + X[:, 1] > 0).astype(float)
    if kind == "multiclass":
        return X, np.eye(3)[np.argmax(X, axis=1)]
    if kind == "multilabel":
        return X, (X[:, :2] > 0).astype(float)
    return X, np.column_stack([X[:, 0] - 2 * X[:, 1], X[:, 2] ** 2])


@pytest.mark.parametrize(
    ("kind", "output", "n_out", "metric", "target"),
    [
        ("binary", "sigmoid", 1, "accuracy", 0.95),
        ("multiclass", "softmax", 3, "accuracy", 0.9),
        ("multilabel", "sigmoid", 2, "accuracy", 0.9),
        ("regression", "identity", 2, "r2", 0.9),
    ],
)
def test_each_output_kind_learns(kind, output, n_out, metric, target):
    X, Y = toy(kind)
    Xv, Yv = toy(kind, m=200, seed=1)
    net = Network([3, 32, n_out], "tanh", output, random_state=0)
    history = Trainer(net, learning_rate=0.01, batch_size=16, random_state=0).fit(
        X, Y, epochs=80, validation_data=(Xv, Yv)
    )
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert history.history[f"val_{metric}"][-1] >= target
    assert set(history.history) == {"loss", "lr", "val_loss", f"val_{metric}"}


def test_metrics_match_sklearn():
    from sklearn.metrics import accuracy_score, mean_squared_error, r2_score

    data = np.random.default_rng(3)
    Y, A = data.standard_normal((30, 2)), data.standard_normal((30, 2))
    w = data.uniform(0.5, 2.0, 30)
    assert r2(A, Y, w) == pytest.approx(r2_score(Y, A, sample_weight=w))
    assert rmse(A, Y) == pytest.approx(np.sqrt(mean_squared_error(Y, A)))
    # float32 outputs whose squared errors overflow float32: still finite, as in float64.
    far = (A * 1e22).astype(np.float32)
    assert r2(far, Y.astype(np.float32), w) == pytest.approx(
        r2_score(Y, far.astype(np.float64), sample_weight=w), rel=1e-6)
    assert rmse(far, Y.astype(np.float32)) == pytest.approx(
        np.sqrt(mean_squared_error(Y, far.astype(np.float64))), rel=1e-6)
    labels = data.integers(0, 2, (30, 3)).astype(float)
    probs = data.uniform(size=(30, 3))
    assert subset_accuracy(probs, labels) == pytest.approx(accuracy_score(labels, probs > 0.5))
    onehot, soft = np.eye(4)[data.integers(0, 4, 30)], data.dirichlet(np.ones(4), 30)
    assert accuracy(soft, onehot, w) == pytest.approx(
        accuracy_score(onehot.argmax(1), soft.argmax(1), sample_weight=w))


# ------------------------------------------------------------ the loop itself
def test_minibatches_with_last_partial_batch_equal_a_hand_loop():
    X, Y = toy("binary", m=10)
    net = Network([3, 4, 1], "tanh", "sigmoid", random_state=0)
    hand = net.copy()
    recorder = Recorder()
    trainer = Trainer(net, optimizer="sgd", learning_rate=0.5, batch_size=4, random_state=7,
                      callbacks=[recorder])
    history = trainer.fit(X, Y, epochs=2)
    assert recorder.sizes == [4, 4, 2, 4, 4, 2]

    order_rng = np.random.default_rng(7)  # the trainer's seeded reshuffle, by hand
    Y2 = Y.reshape(-1, 1)
    losses = []
    for _ in range(2):
        perm = order_rng.permutation(10)
        total = 0.0
        for start in (0, 4, 8):
            rows = perm[start:start + 4]
            total += hand.loss_and_gradient(X[rows], Y2[rows]) * len(rows)
            hand.params -= 0.5 * hand.grads
        losses.append(total / 10)
    np.testing.assert_allclose(net.params, hand.params, rtol=1e-13)
    np.testing.assert_allclose(history.history["loss"], losses, rtol=1e-13)



@pytest.mark.parametrize("shuffle", [True, False])
def test_weighted_minibatches_equal_a_hand_loop(shuffle):
    # Batches gathered row by row (shuffled) or sliced (unshuffled) must carry each
    # row's target and weight with it: the same steps as indexing the data by hand.
    X, Y = toy("regression", m=11)
    w = np.random.default_rng(5).uniform(0.5, 2.0, 11)
    net = Network([3, 5, 2], "tanh", "identity", random_state=1)
    hand = net.copy()
    Trainer(net, optimizer="sgd", learning_rate=0.1, batch_size=3, shuffle=shuffle,
            random_state=4).fit(X, Y, epochs=3, sample_weight=w)

    order_rng = np.random.default_rng(4)
    for _ in range(3):
        order = order_rng.permutation(11) if shuffle else np.arange(11)
        for start in range(0, 11, 3):
            rows = order[start:start + 3]
            hand.loss_and_gradient(X[rows], Y[rows], w[rows])
            hand.params -= 0.1 * hand.grads
    np.testing.assert_allclose(net.params, hand.params, rtol=1e-12)


def test_shuffled_fit_never_copies_the_data():
    # Batches are gathered into batch-sized buffers: a fit's Python-visible peak
    # allocation stays far below one copy of X (8 MB here).
    import tracemalloc

    data = np.random.default_rng(0)
    X = data.standard_normal((20_000, 50))
    Y = (X[:, :1] > 0).astype(float)
    net = Network([50, 8, 1], "relu", "sigmoid", random_state=0)
    trainer = Trainer(net, optimizer="sgd", learning_rate=0.01, batch_size=256, random_state=0)
    tracemalloc.start()
    try:
        trainer.fit(X, Y, epochs=1)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < X.nbytes / 4


@pytest.mark.parametrize(
    ("output", "loss", "metric"),
    [("softmax", "categorical_cross_entropy", "accuracy"),
     ("identity", "sum_squared_error", "r2")],
)
def test_validation_in_chunks_equals_one_pass(output, loss, metric):
    # 5000 validation rows span three PREDICT_CHUNKs; the chunked loss must equal the
    # engine's cost over all rows at once (mean and sum reductions), and the metric
    # scikit-learn's on the network's own predictions.
    from sklearn.metrics import accuracy_score, r2_score

    from lucidnet.network import PREDICT_CHUNK

    data = np.random.default_rng(2)
    m = 5000
    assert m > 2 * PREDICT_CHUNK
    X = data.standard_normal((m, 3))
    Y = np.eye(3)[data.integers(0, 3, m)] if output == "softmax" else data.standard_normal((m, 3))
    w = data.uniform(0.5, 2.0, m)
    net = Network([3, 6, 3], "tanh", output, loss, random_state=0)
    trainer = Trainer(net, metric=metric, batch_size=32)
    trainer.fit(X[:100], Y[:100], epochs=1)  # fills the training workspaces
    cached = set(net._workspaces)
    assert cached
    logs = trainer.evaluate(X, Y, w, prefix="val_")
    assert set(net._workspaces) == cached  # the training workspaces were not evicted
    assert logs["val_loss"] == pytest.approx(net.cost(X, Y, w), rel=1e-12)
    A = net.output(X)
    if metric == "accuracy":
        expected = accuracy_score(Y.argmax(1), A.argmax(1), sample_weight=w)
    else:
        expected = r2_score(Y, A, sample_weight=w)
    assert logs[f"val_{metric}"] == pytest.approx(expected, rel=1e-12)

def test_full_batch_is_plain_gradient_descent():
    X, Y = toy("binary", m=20)
    net = Network([3, 4, 1], "relu", "sigmoid", random_state=0)
    reference = net.copy()
    Trainer(net, optimizer="gd", learning_rate=0.1, batch_size=None).fit(X, Y, epochs=5)
    costs = gradient_descent(reference, X, Y, learning_rate=0.1, num_iterations=5)
    np.testing.assert_allclose(net.params, reference.params, rtol=1e-13)
    assert len(costs) == 1  # iteration 0 only: the cost is recorded every 100


def test_sample_weights_equal_duplicated_rows():
    # Weight 3 on row 0 of m rows == row 0 three times among m + 2 rows, once the
    # 1/m of the mean is matched by the step: alpha_dup = alpha * (m + 2) / m.
    X, Y = toy("multiclass", m=12)
    w = np.ones(12)
    w[0] = 3.0
    weighted = Network([3, 5, 3], "tanh", "softmax", random_state=0)
    duplicated = weighted.copy()
    Trainer(weighted, optimizer="sgd", learning_rate=0.3, batch_size=None).fit(
        X, Y, sample_weight=w, epochs=4)
    Xd, Yd = np.vstack([X, X[:1], X[:1]]), np.vstack([Y, Y[:1], Y[:1]])
    Trainer(duplicated, optimizer="sgd", learning_rate=0.3 * 14 / 12, batch_size=None).fit(
        Xd, Yd, epochs=4)
    np.testing.assert_allclose(weighted.params, duplicated.params, rtol=1e-10)


def test_all_zero_sample_weights_are_refused_not_a_fit_of_nothing():
    X, Y = toy("multiclass", m=12)
    net = Network([3, 5, 3], "tanh", "softmax", random_state=0)
    before = net.params.copy()
    for optimizer in ("sgd", "lbfgs"):
        with pytest.raises(ValueError, match="sample_weight must have a positive sum"):
            Trainer(net, optimizer=optimizer).fit(X, Y, sample_weight=np.zeros(12), epochs=2)
    np.testing.assert_array_equal(net.params, before)


def test_clip_norm_rescales_the_flat_gradient():
    X, Y = toy("regression", m=16)
    net = Network([3, 4, 2], "tanh", "identity", random_state=0)
    before = net.copy()
    net.loss_and_gradient(X, Y)
    g = net.grads.copy()
    clip = 0.1 * np.linalg.norm(g)
    Trainer(net, optimizer="sgd", learning_rate=0.2, batch_size=None, clip_norm=clip).fit(
        X, Y, epochs=1)
    np.testing.assert_allclose(net.params, before.params - 0.2 * g * clip / np.linalg.norm(g),
                               rtol=1e-12)


def test_gradients_with_l2_and_a_fixed_dropout_mask():
    data = np.random.default_rng(4)
    X, Y = data.standard_normal((6, 4)), np.eye(3)[data.integers(0, 3, 6)]
    net = Network([4, 5, 5, 3], "tanh", "softmax", dropout=0.4, random_state=0)
    keep = 1 / 0.6
    masks = [(data.random((6, 5)) >= 0.4) * keep, (data.random((6, 5)) >= 0.4) * keep, None]
    assert gradcheck(net, X, Y, l2=0.7, masks=masks).relative_difference < 1e-7
    assert gradcheck(net, X, Y, l2=0.7, sample_weight=data.uniform(0, 2, 6)).passed()


def test_same_seed_gives_bit_identical_weights():
    X, Y = toy("multiclass")

    def run(seed):
        net = Network([3, 16, 3], "relu", "softmax", dropout=0.3, random_state=0)
        Trainer(net, batch_size=16, random_state=seed).fit(X, Y, epochs=5,
                                                          validation_fraction=0.25)
        return net.params

    np.testing.assert_array_equal(run(1), run(1))
    assert not np.array_equal(run(1), run(2))


def test_partial_fit_continues_the_optimizer_and_history():
    X, Y = toy("binary")
    net = Network([3, 8, 1], "tanh", "sigmoid", random_state=0)
    trainer = Trainer(net, batch_size=30, random_state=0)
    losses = [trainer.partial_fit(X[:60], Y[:60]), trainer.partial_fit(X[60:], Y[60:])]
    assert trainer.history.history["loss"] == losses
    assert trainer.optimizer.t == 4 and trainer.history.epochs == 2
    trainer.fit(X, Y, epochs=1)
    assert trainer.history.epochs == 3


def test_lbfgs_matches_sklearn_logistic_regression():
    # One sigmoid unit with J = mean log-loss + (l2 / 2m) ||w||^2 is L2 logistic
    # regression with C = 1 / l2.
    from sklearn.datasets import load_breast_cancer
    from sklearn.linear_model import LogisticRegression

    Xtr, _, ytr, _ = split_scaled(load_breast_cancer)
    net = Network([30, 1], output_activation="sigmoid", random_state=0)
    tolerances = {"gtol": 1e-10, "ftol": 1e-15}
    history = Trainer(net, optimizer="lbfgs", l2=1.0, optimizer_params=tolerances).fit(
        Xtr, ytr, epochs=500)
    reference = LogisticRegression(C=1.0, tol=1e-10, max_iter=5000).fit(Xtr, ytr)
    np.testing.assert_allclose(net.layers[0].W[0], reference.coef_[0], atol=1e-4)
    np.testing.assert_allclose(net.layers[0].b, reference.intercept_, atol=1e-4)
    assert 0 < history.epochs <= 500
    with pytest.raises(ValueError, match="partial_fit needs a step-wise optimizer"):
        Trainer(net, optimizer="lbfgs").partial_fit(Xtr, ytr)


# ------------------------------------------------------------ validation & stopping
def test_validation_fraction_is_stratified():
    X, Y = toy("multiclass", m=300)
    net = Network([3, 4, 3], "tanh", "softmax", random_state=0)
    trainer = Trainer(net, random_state=0)
    X_train, _, _, (Xv, Yv, _) = trainer._validation(X, Y, None, None, 0.2, False)
    # Each class keeps its share: round(0.2 * class count) rows held out.
    np.testing.assert_allclose(Yv.sum(axis=0), np.round(0.2 * Y.sum(axis=0)))
    assert len(Xv) + len(X_train) == 300
    with pytest.raises(ValueError, match=r"validation_fraction must be a float in \(0, 1\)"):
        trainer.fit(X, Y, epochs=1, validation_fraction=1.5)
    with pytest.raises(ValueError, match="give validation_data or validation_fraction, not both"):
        trainer.fit(X, Y, epochs=1, validation_fraction=0.2, validation_data=(X, Y))


def test_early_stopping_restores_the_best_weights():
    # A big network on a tiny noisy training set overfits: validation loss turns up.
    data = np.random.default_rng(0)
    X = data.standard_normal((20, 5))
    Y = (X[:, 0] + data.normal(0, 1.5, 20) > 0).astype(float)
    Xv = data.standard_normal((200, 5))
    Yv = (Xv[:, 0] > 0).astype(float)
    net = Network([5, 128, 128, 1], "relu", "sigmoid", random_state=0)
    recorder = Recorder()
    history = Trainer(net, learning_rate=0.01, batch_size=None, random_state=0,
                      callbacks=[recorder]).fit(
        X, Y, epochs=300, validation_data=(Xv, Yv), early_stopping=True, patience=5,
        min_delta=0.0)
    assert history.stopped_early and history.epochs < 300
    best = history.best_epoch
    assert best == int(np.argmin(history.history["val_loss"]))
    assert best < history.epochs - 1
    np.testing.assert_array_equal(net.params, recorder.params[best])


def test_divergence_names_epoch_batch_and_rate_and_keeps_finite_params():
    X, Y = toy("regression")
    net = Network([3, 8, 2], "relu", "identity", random_state=0)
    recorder = Recorder()
    snapshots = []

    class Snapshot(Callback):
        def on_batch_end(self, batch, logs):
            snapshots.append(self.trainer.network.params.copy())

    trainer = Trainer(net, optimizer="sgd", learning_rate=1e6, batch_size=40,
                      callbacks=[recorder, Snapshot()], random_state=0)
    with pytest.raises(DivergenceError, match=r"at epoch \d+, batch \d+ \(learning_rate=1e\+06\)"
                       ) as caught:
        trainer.fit(X, Y, epochs=50)
    assert np.isfinite(net.params).all()
    np.testing.assert_array_equal(net.params, snapshots[-1])
    # Counted from 1, as the summary and the plots count: the epoch after the last one
    # the history completed, the batch after the last one that ended.
    epoch, batch = map(int, re.search(r"at epoch (\d+), batch (\d+)",
                                      str(caught.value)).groups())
    assert epoch == len(trainer.history.history["loss"]) + 1
    per_epoch = -(-len(X) // 40)
    assert batch == len(snapshots) - per_epoch * (epoch - 1) + 1


# ------------------------------------------------------------ arguments
def test_argument_errors_name_the_argument():
    net = Network([3, 2, 1], random_state=0)
    X, Y = toy("binary", m=10)
    with pytest.raises(ValueError, match="batch_size must be None or an int >= 1; got 0"):
        Trainer(net, batch_size=0)
    with pytest.raises(ValueError, match="l2 must be a number >= 0; got -1"):
        Trainer(net, l2=-1)
    with pytest.raises(ValueError, match="clip_norm must be None or a number > 0; got 0"):
        Trainer(net, clip_norm=0)
    with pytest.raises(ValueError, match="metric must be one of accuracy, r2, rmse or None"):
        Trainer(net, metric="f1")
    with pytest.raises(TypeError, match="network must be a lucidnet Network; got str"):
        Trainer("net")
    with pytest.raises(ValueError, match="epochs must be a positive int; got 0"):
        Trainer(net).fit(X, Y, epochs=0)
    with pytest.raises(TypeError, match="validation_data must be a tuple"):
        Trainer(net).fit(X, Y, epochs=1, validation_data=X)
    with pytest.raises(ValueError, match=r"validation_data: X must have \d+ columns"):
        Trainer(net).fit(X, Y, epochs=1, validation_data=(X.T, Y))
    with pytest.raises(TypeError, match="unexpected keyword arguments epoch;"):
        train(net, X, Y, epoch=3)
    with pytest.raises(ValueError, match="Y must have 1 column "):
        Trainer(net).fit(X, np.ones((10, 2)), epochs=1)


@pytest.mark.parametrize("batch_size", [None, 7, 1])
def test_a_summed_loss_is_logged_as_the_datas_sum_whatever_the_batches(batch_size):
    """sum_squared_error (system 4's J): an epoch's loss is the sum over all rows, not
    a mean of batch sums that shrinks with the batch size."""
    X, Y = toy("regression", m=21)
    net = Network([3, 2, 2], "sigmoid", "identity", loss="sum_squared_error", random_state=0)
    expected = net.cost(X, Y)
    # A step too small to move the cost: the epoch's loss is the cost at the start.
    history = Trainer(net, optimizer="sgd", learning_rate=1e-12, batch_size=batch_size,
                      shuffle=False).fit(X, Y, epochs=1)
    assert history.history["loss"][0] == pytest.approx(expected, rel=1e-9)


def test_numpy_scalars_are_numbers_and_a_missing_monitor_is_named():
    """np.float32(0.25) is what indexing a float32 array gives: a number like 0.25."""
    X, Y = toy("binary", m=20)
    quarter, two = np.float32(0.25), np.int64(2)
    net = Network([3, 2, 1], dropout=quarter, random_state=0)
    assert net.layers[0].dropout == 0.25
    trainer = Trainer(net, learning_rate=quarter, l2=quarter, clip_norm=quarter,
                      batch_size=two, random_state=0)
    history = trainer.fit(X, Y, epochs=two, validation_fraction=quarter, early_stopping=True,
                          min_delta=quarter, monitor="val_loss")
    assert history.epochs == 2 and history.history["lr"] == [0.25, 0.25]
    with pytest.raises(ValueError, match="monitor must be a log name like 'val_loss'; got None"):
        Trainer(net).fit(X, Y, epochs=1, early_stopping=True, monitor=None)
    with pytest.raises(ValueError, match=r"learning_rate must be a finite number"):
        Trainer(net, learning_rate=np.bool_(True))


def test_multilabel_accuracy_is_subset_accuracy_even_when_rows_sum_to_one():
    """Two sigmoid labels whose rows happen to sum to 1 are not a softmax."""
    net = Network([2, 2], "relu", "sigmoid", random_state=0)
    X = np.array([[1.0, 0.0], [0.0, 1.0]])
    Y = np.array([[1.0, 0.0], [0.0, 1.0]])
    net.set_params([0.0, 0.0, 0.0, 0.0, 0.5, -0.5])  # every row's output: (0.62, 0.38)
    logs = Trainer(net).evaluate(X, Y)
    assert logs["accuracy"] == 0.5  # row 0 right on both labels, row 1 wrong on both


def test_an_optimizer_instance_keeps_its_learning_rate():
    from lucidnet.optimizers import SGD

    net = Network([3, 2, 1], random_state=0)
    X, Y = toy("binary", m=8)
    history = Trainer(net, optimizer=SGD(0.5), batch_size=None).fit(X, Y, epochs=2)
    assert history.history["lr"] == [0.5, 0.5]
    with pytest.raises(ValueError, match="optimizer_params must be None"):
        Trainer(net, optimizer=SGD(0.5), optimizer_params={"momentum": 0.9})


def test_history_best_epoch_is_reset_by_the_next_fit():
    X, Y = toy("binary", m=40)
    trainer = Trainer(Network([3, 8, 1], random_state=0), batch_size=None, random_state=0)
    trainer.fit(X, Y, epochs=30, early_stopping=True, patience=2, monitor="loss")
    trainer.fit(X, Y, epochs=2)
    assert trainer.history.best_epoch is None


def test_validation_logs_that_start_late_stay_aligned_with_epochs():
    """Validation data given only from the second fit on (as when resuming a run that
    had none): the history pads the earlier epochs with NaN, entry i is epoch i's."""
    rng = np.random.default_rng(3)
    X = rng.standard_normal((60, 3))
    Y = (X.sum(axis=1, keepdims=True) > 0).astype(float)
    net = Network([3, 4, 1], "tanh", "sigmoid", random_state=0)
    trainer = Trainer(net, learning_rate=0.1, batch_size=20, random_state=0)
    trainer.fit(X, Y, epochs=3)
    trainer.fit(X, Y, epochs=2, validation_data=(X[:20], Y[:20]))
    logs = trainer.history.history
    assert len(logs["loss"]) == len(logs["val_loss"]) == 5
    assert np.isnan(logs["val_loss"][:3]).all() and not np.isnan(logs["val_loss"][3:]).any()
    # The last entry is the cost of the fitted network on those rows (penalty-free).
    assert logs["val_loss"][-1] == pytest.approx(net.cost(X[:20], Y[:20]), rel=1e-12)


def test_wrong_arguments_name_themselves(tmp_path):
    """Each a TypeError or ValueError naming the argument, not an AttributeError or
    KeyError from deep inside."""
    import lucidnet

    X, Y = toy("multiclass", m=12)
    net = Network([3, 5, 3], "tanh", "softmax", random_state=0)
    (tmp_path / "afile").write_text("")
    calls = [
        (lambda: Trainer(net, row_order="x"), TypeError, "row_order must be"),
        (lambda: Trainer(net, callbacks=5), TypeError, "callbacks must be a list"),
        (lambda: Trainer(net, optimizer_params="x"), TypeError, "optimizer_params must be"),
        (lambda: Trainer(net).fit(X, Y, epochs=1, checkpoint_dir=tmp_path / "afile"),
         ValueError, "checkpoint_dir .* is a file"),
        (lambda: lucidnet.gradcheck(5, X, Y), TypeError, "network must be"),
        (lambda: lucidnet.gradcheck(net, X, Y, epsilon="x"), ValueError, "epsilon must be"),
        (lambda: lucidnet.gradcheck(net, X, Y, l2=-1), ValueError, "l2 must be"),
        (lambda: Network.from_config({}), ValueError, "config must be a dict"),
    ]
    for call, kind, words in calls:
        with pytest.raises(kind, match=words):
            call()


def test_a_rate_given_twice_must_agree():
    """Trainer(learning_rate=0.5, schedule=StepDecay(0.01)) used to run at 0.01 without
    a word: one of two rates the user wrote was ignored."""
    from lucidnet import optimizers, schedules

    net = Network([3, 4, 1], random_state=0)
    with pytest.raises(ValueError, match=r"the learning rates disagree: learning_rate=0.5, "
                                         r"schedule StepDecay\(learning_rate=0.01"):
        Trainer(net, learning_rate=0.5, schedule=schedules.get("step", 0.01))
    with pytest.raises(ValueError, match=r"learning rates disagree: optimizer SGD"):
        Trainer(net, optimizer=optimizers.get("sgd", 0.1), schedule=schedules.get("step", 0.01))
    # One rate, wherever it is given, is the rate.
    assert Trainer(net, schedule=schedules.get("step", 0.01)).optimizer.learning_rate == 0.01
    assert Trainer(net, optimizer=optimizers.get("sgd", 0.1)).schedule.initial_rate == 0.1
    assert Trainer(net, learning_rate=0.01,
                   schedule=schedules.get("step", 0.01)).optimizer.learning_rate == 0.01
    assert Trainer(net).optimizer.learning_rate == 0.001
    # A config dict's rate is a rate given too (the schedule used to start at 0.001).
    trainer = Trainer(net, optimizer={"name": "adam", "learning_rate": 0.05})
    assert trainer.schedule.initial_rate == 0.05
    with pytest.raises(ValueError, match="learning rates disagree"):
        Trainer(net, learning_rate=0.2, optimizer={"name": "adam", "learning_rate": 0.05})
    # Equal within float32's rounding is equal.
    Trainer(net, learning_rate=0.1, optimizer=optimizers.get("sgd", np.float32(0.1)))
