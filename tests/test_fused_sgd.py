"""SGD (plain, momentum, nesterov) folded into backpropagation (lucidnet.fused_sgd):
the same steps as the general path, against autograd and against the general Trainer
step, and the divergence rule (no update that is not shown finite is applied)."""

from __future__ import annotations

import math

import autograd.numpy as anp
import numpy as np
import pytest
from autograd import grad

from lucidnet import Network, fused_sgd
from lucidnet.callbacks import Callback, History
from lucidnet.errors import DivergenceError
from lucidnet.fused_sgd import FusedSGD
from lucidnet.training import Trainer


@pytest.fixture
def always_fused(monkeypatch):
    """Make every network big enough (and wide enough) for the fused route."""
    monkeypatch.setattr(fused_sgd, "MIN_PARAMS", 0)
    monkeypatch.setattr(fused_sgd, "NARROW_UNITS", 0)  # float32 too


@pytest.fixture
def never_fused(monkeypatch):
    monkeypatch.setattr(fused_sgd, "MIN_PARAMS", 10**12)


def classification(m=150, n=12, k=4, dtype="float64", seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((m, n)).astype(dtype)
    teacher = rng.standard_normal((n, k))
    Y = np.eye(k, dtype=dtype)[(X @ teacher).argmax(axis=1)]
    return X, Y


# ------------------------------------------------------------ steps vs autograd
def autograd_cost(X, Y, shapes, l2):
    """The softmax cross-entropy of a tanh network plus (l2/2m) sum ||W||^2, for autograd."""

    def cost(theta):
        offset, A, squares = 0, X, 0.0
        for l, ((n_out, n_in), _) in enumerate(shapes):
            W = theta[offset : offset + n_out * n_in].reshape(n_out, n_in)
            offset += n_out * n_in
            b = theta[offset : offset + n_out]
            offset += n_out
            squares = squares + anp.sum(W**2)
            Z = anp.dot(A, W.T) + b
            A = anp.tanh(Z) if l < len(shapes) - 1 else Z
        log_softmax = A - anp.log(anp.sum(anp.exp(A), axis=1, keepdims=True))
        m = len(X)
        return -anp.sum(Y * log_softmax) / m + 0.5 * l2 / m * squares

    return cost


@pytest.mark.parametrize("rule", ["sgd", "momentum", "nesterov"])
def test_three_steps_match_the_rules_with_autograd_gradients(rule):
    """theta -= alpha g (sgd); v = mu v - alpha g, theta += v (momentum) or
    theta += mu v - alpha g (nesterov, scikit-learn's form), with g from autograd and
    the L2 penalty included; the velocity ends where the rule puts it."""
    X, Y = classification(m=40, n=6, k=3)
    net = Network([6, 5, 4, 3], "tanh", "softmax", "categorical_cross_entropy")
    net.initialize(1)
    lr, l2, mu = 0.3, 0.05, 0.8
    cost = autograd_cost(X, Y, [(layer.W.shape, layer.b.shape) for layer in net.layers], l2)
    theta, v = net.params.copy(), np.zeros(net.n_params)
    velocity = None if rule == "sgd" else np.zeros(net.n_params)
    step = FusedSGD(net, l2=l2, velocity=velocity, momentum=mu, nesterov=rule == "nesterov")
    for _ in range(3):
        g = grad(cost)(theta)
        expected_cost = cost(theta)
        if rule == "sgd":
            theta = theta - lr * g
        else:
            v = mu * v - lr * g
            theta = theta + (v if rule == "momentum" else mu * v - lr * g)
        step.resync()
        J, updated = step.step(X, Y, None, net.workspace(len(X)), lr)
        assert updated
        assert J == pytest.approx(expected_cost, rel=1e-12)
        np.testing.assert_allclose(net.params, theta, rtol=1e-10, atol=1e-12)
    if velocity is not None:
        np.testing.assert_allclose(velocity, v, rtol=1e-10, atol=1e-12)


# --------------------------------------------------- whole fits vs the general step
CASES = {
    "softmax": dict(sizes=[12, 16, 8, 4], hidden="relu", output="softmax",
                    loss="categorical_cross_entropy"),
    "sigmoid-bce": dict(sizes=[12, 10, 4], hidden="tanh", output="sigmoid",
                        loss="binary_cross_entropy"),
    "regression": dict(sizes=[12, 10, 4], hidden="relu", output="identity",
                       loss="squared_error"),
    # Not a fused pairing: dJ/dA, then the output activation's backward.
    "sigmoid-squared-error": dict(sizes=[12, 10, 4], hidden="sigmoid", output="sigmoid",
                                  loss="squared_error"),
}


def fit_params(monkeypatch, min_params, case, dtype, optimizer="sgd", **trainer_kwargs):
    monkeypatch.setattr(fused_sgd, "MIN_PARAMS", min_params)
    monkeypatch.setattr(fused_sgd, "NARROW_UNITS", 0)  # float32 too
    X, Y = classification(dtype=dtype)
    spec = CASES[case]
    net = Network(spec["sizes"], spec["hidden"], spec["output"], spec["loss"], dtype=dtype)
    net.initialize(0)
    fit_kwargs = trainer_kwargs.pop("fit_kwargs", {})
    trainer = Trainer(net, optimizer=optimizer, learning_rate=0.1, random_state=0,
                      **trainer_kwargs)
    history = trainer.fit(X, Y, epochs=3, **fit_kwargs)
    return net.params.copy(), history.history["loss"], trainer


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "nesterov"])
@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize(
    "settings",
    [
        dict(batch_size=32),  # 150 rows: a last batch of 22
        dict(batch_size=None),
        dict(batch_size=50, shuffle=False, l2=0.01),
        dict(batch_size=40, fit_kwargs=dict(sample_weight=np.linspace(0.5, 2.0, 150))),
    ],
    ids=["batches", "full-batch", "unshuffled-l2", "sample-weight"],
)
def test_fused_fit_equals_general_fit(monkeypatch, case, dtype, settings, optimizer):
    fused, fused_losses, trainer = fit_params(monkeypatch, 0, case, dtype, optimizer,
                                              **dict(settings))
    general, general_losses, reference = fit_params(monkeypatch, 10**12, case, dtype,
                                                    optimizer, **dict(settings))
    tol = 1e-11 if dtype == "float64" else 5e-5
    np.testing.assert_allclose(fused, general, rtol=tol, atol=tol)
    np.testing.assert_allclose(fused_losses, general_losses, rtol=tol)
    assert not np.array_equal(fused, trainer.network.params * 0)  # it trained
    assert trainer.optimizer.t == trainer.iterations
    if optimizer != "sgd":  # the velocity, kept in the optimizer's state, too
        np.testing.assert_allclose(trainer.optimizer.state["velocity"],
                                   reference.optimizer.state["velocity"], rtol=tol, atol=tol)


def test_fused_route_is_taken_only_for_sgd_rules(always_fused):
    net = Network([12, 8, 4], "relu", "softmax", "categorical_cross_entropy")
    for kwargs, expected in [
        (dict(optimizer="sgd"), True),
        (dict(optimizer="momentum"), True),
        (dict(optimizer="nesterov"), True),
        (dict(optimizer="sgd", clip_norm=1.0), False),
        (dict(optimizer="nesterov", clip_norm=1.0), False),
        (dict(optimizer="adam"), False),
        (dict(optimizer="rmsprop"), False),
    ]:
        trainer = Trainer(net, batch_size=32, **kwargs)
        assert (trainer._fused_sgd(32) is not None) is expected, kwargs
    big_batches = Trainer(net, optimizer="sgd")
    assert big_batches._fused_sgd(fused_sgd.MAX_BATCH + 1) is None
    dropped = Network([12, 8, 4], "relu", "softmax", "categorical_cross_entropy", dropout=0.2)
    assert Trainer(dropped, optimizer="sgd")._fused_sgd(32) is None


def test_small_networks_keep_the_general_step():
    net = Network([2, 3, 1], "sigmoid", "identity", "squared_error")
    assert net.n_params < fused_sgd.MIN_PARAMS
    assert Trainer(net, optimizer="sgd")._fused_sgd(3) is None


def test_fortran_ordered_unshuffled_data(monkeypatch):
    """Non-contiguous batches reach BLAS as copies; the result is the same."""
    X, Y = classification()
    results = []
    for min_params, data in [(0, np.asfortranarray(X)), (10**12, X)]:
        monkeypatch.setattr(fused_sgd, "MIN_PARAMS", min_params)
        net = Network([12, 8, 4], "relu", "softmax", "categorical_cross_entropy")
        net.initialize(0)
        Trainer(net, optimizer="sgd", learning_rate=0.1, batch_size=32, shuffle=False).fit(
            data, Y, epochs=2
        )
        results.append(net.params.copy())
    np.testing.assert_allclose(results[0], results[1], rtol=1e-12, atol=1e-14)


def test_partial_fit_takes_the_fused_route(always_fused):
    X, Y = classification()
    net = Network([12, 8, 4], "relu", "softmax", "categorical_cross_entropy")
    net.initialize(0)
    trainer = Trainer(net, optimizer="sgd", learning_rate=0.1, batch_size=32)
    first = trainer.partial_fit(X, Y)
    for _ in range(20):
        last = trainer.partial_fit(X, Y)
    assert last < 0.5 * first
    assert not net.grads.any()  # the fused step never writes the gradient


# ------------------------------------------------------- norm bounds kept exact
def grow(trainer):
    """Scale the parameters by 1.5 and the velocity, if any, by 30: changes the fused
    step cannot see, larger than the slack of its bounds."""
    trainer.network.params *= 1.5
    if "velocity" in trainer.optimizer.state:
        trainer.optimizer.state["velocity"] *= 30


class Grow(Callback):
    """Grows the parameters in one hook: ``when`` is "epoch_end", "epoch_begin" or "batch"."""

    def __init__(self, when):
        self.when = when
        self.per_batch = when == "batch"

    def on_epoch_begin(self, epoch, logs=None):
        if self.when == "epoch_begin":
            grow(self.trainer)

    def on_epoch_end(self, epoch, logs):
        if self.when == "epoch_end":
            grow(self.trainer)

    def on_batch_end(self, batch, logs=None):
        if self.when == "batch":
            grow(self.trainer)


class GrowingHistory(History):
    """A subclass of a read-only callback that changes the parameters: it must not be
    taken to be read-only."""

    def on_epoch_end(self, epoch, logs):
        super().on_epoch_end(epoch, logs)
        grow(self.trainer)


class ReadOnly(Callback):
    changes_parameters = False

    def on_epoch_end(self, epoch, logs):
        pass


def true_norms(net, flat=None):
    """``||(W, b)||`` per layer of ``net``, or of ``flat`` laid out like its parameters."""
    views = fused_sgd._layer_views(net, net.params if flat is None else flat)
    return [np.linalg.norm(np.concatenate([W.ravel(), b])) for W, b in views]


@pytest.fixture
def resyncs(monkeypatch):
    """Every (FusedSGD, norm bounds just taken) pair, one per resync; and every step
    checks first that the kept bounds are at least the true norms of the parameters
    and of the velocity."""
    calls = []
    resync, step = FusedSGD.resync, FusedSGD.step

    def recording(self):
        resync(self)
        calls.append((self, list(self.norm_bounds)))

    def checked_step(self, *args, **kwargs):
        net = self.network
        for bound, norm in zip(self.norm_bounds, true_norms(net), strict=True):
            assert bound >= norm * (1 - 1e-12), "weights"
        if self.velocity is not None:
            flat = np.concatenate([part for W, b in self.velocity for part in (W.ravel(), b)])
            for bound, norm in zip(self.velocity_bounds, true_norms(net, flat), strict=True):
                assert bound >= norm * (1 - 1e-12), "velocity"
        return step(self, *args, **kwargs)

    monkeypatch.setattr(FusedSGD, "resync", recording)
    monkeypatch.setattr(FusedSGD, "step", checked_step)
    return calls


def hooked_progress_bar():
    """A read-only library callback given a hook of its own on the instance."""
    from lucidnet.callbacks import ProgressBar

    bar = ProgressBar(enabled=False)
    bar.on_epoch_end = lambda epoch, logs: grow(bar.trainer)
    return bar


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "nesterov"])
@pytest.mark.parametrize("when", ["epoch_end", "epoch_begin", "batch", "subclass", "instance"])
def test_bounds_are_taken_again_after_a_callback_that_may_change_parameters(
    always_fused, resyncs, optimizer, when
):
    """Without it the kept bounds would sit below the grown norms, and could let an
    overflowing update through (checked before every step by the fixture)."""
    X, Y = classification()
    net = Network([12, 8, 4], "relu", "softmax", "categorical_cross_entropy")
    net.initialize(0)
    callback = {"subclass": GrowingHistory, "instance": hooked_progress_bar}.get(
        when, lambda: Grow(when))()
    Trainer(net, optimizer=optimizer, learning_rate=1e-4, batch_size=50,
            callbacks=[callback], random_state=0).fit(X, Y, epochs=3)
    # When the step is made, then at the start of each of the 3 epochs, and after each
    # of the 3 batches of every epoch for a per-batch callback.
    assert len(resyncs) == 1 + 3 + (9 if when == "batch" else 0)


@pytest.mark.parametrize("callbacks", ["none", "read-only", "library"])
def test_read_only_callbacks_leave_the_bounds_alone(always_fused, resyncs, callbacks, tmp_path):
    import io

    from lucidnet.callbacks import Checkpoint, CostPrinter, EarlyStopping, ProgressBar

    X, Y = classification()
    net = Network([12, 8, 4], "relu", "softmax", "categorical_cross_entropy")
    chosen = {
        "none": [],
        "read-only": [ReadOnly()],
        "library": [CostPrinter(every=1, unit="iteration", file=io.StringIO()),
                    ProgressBar(enabled=False), EarlyStopping(monitor="loss", patience=100),
                    Checkpoint(tmp_path / "ckpt")],
    }[callbacks]
    Trainer(net, optimizer="sgd", learning_rate=0.1, batch_size=50, callbacks=chosen,
            random_state=0).fit(X, Y, epochs=4)
    assert len(resyncs) == 1  # when the step was made


def test_bounds_are_taken_again_every_resync_steps(monkeypatch, resyncs):
    """Raised step by step they only grow; every RESYNC_STEPS steps they are exact again."""
    monkeypatch.setattr(fused_sgd, "RESYNC_STEPS", 3)
    X, Y = classification()
    net = Network([12, 8, 4], "relu", "softmax", "categorical_cross_entropy")
    net.initialize(0)
    step = FusedSGD(net)
    for _ in range(10):
        exact_before = true_norms(net)
        assert step.step(X, Y, None, net.workspace(len(X)), learning_rate=0.5)[1]
        for bound, norm in zip(step.norm_bounds, true_norms(net), strict=True):
            assert bound >= norm * (1 - 1e-12)
    # Taken when made, then before steps 4, 7 and 10, the last time exactly.
    assert len(resyncs) == 4
    np.testing.assert_allclose(resyncs[-1][1], exact_before, rtol=1e-12)


# ------------------------------------------------------------------ divergence
class Snapshots(Callback):
    """Keeps the parameters after every batch."""

    def __init__(self, net):
        self.net = net
        self.last = net.params.copy()

    def on_batch_end(self, batch, logs=None):
        self.last = self.net.params.copy()


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize(
    "rate, message",
    [
        # Parameters grow until the forward pass or the bound gives out, whichever first.
        (1e3, "training diverged"),
        ("huge", "the update became too large"),  # one step would overflow W itself
    ],
)
@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "nesterov"])
def test_divergence_keeps_the_last_finite_parameters(always_fused, dtype, rate, message,
                                                     optimizer):
    X, Y = classification(dtype=dtype)
    X *= 1e3
    if rate == "huge":
        rate = float(np.finfo(dtype).max) / 1e3
    net = Network([12, 16, 4], "relu", "identity", "squared_error", dtype=dtype)
    net.initialize(0)
    snapshots = Snapshots(net)
    trainer = Trainer(net, optimizer=optimizer, learning_rate=rate, batch_size=16,
                      callbacks=[snapshots], random_state=0)
    with pytest.raises(DivergenceError, match=message):
        trainer.fit(X, Y, epochs=50)
    assert np.isfinite(net.params).all()
    np.testing.assert_array_equal(net.params, snapshots.last)
    if optimizer != "sgd":
        assert np.isfinite(trainer.optimizer.state["velocity"]).all()


def test_update_that_could_overflow_is_not_applied(always_fused):
    """Near the dtype's limit, the norm bound refuses the step before touching W."""
    X, Y = classification(dtype="float32")
    net = Network([12, 8, 4], "relu", "softmax", "categorical_cross_entropy", dtype="float32")
    net.initialize(0)
    step = FusedSGD(net)
    step.resync()
    before = net.params.copy()
    step.norm_bounds[1] = 0.3 * float(np.finfo(np.float32).max)  # as if W[2] were huge
    cost, updated = step.step(X, Y, None, net.workspace(len(X)), learning_rate=1e37)
    assert math.isfinite(cost) and not updated
    np.testing.assert_array_equal(net.params, before)
    step.resync()  # exact norms again: an ordinary step goes through
    assert step.step(X, Y, None, net.workspace(len(X)), learning_rate=0.1)[1]
    assert not np.array_equal(net.params, before)


def test_non_finite_cost_leaves_parameters(always_fused):
    X, Y = classification()
    net = Network([12, 8, 4], "relu", "identity", "squared_error")
    net.initialize(0)
    net.layers[0].W[0, 0] = np.inf
    before = net.params.copy()
    step = FusedSGD(net)
    cost, updated = step.step(X, Y, None, net.workspace(len(X)), 0.1)
    assert not math.isfinite(cost) and not updated
    np.testing.assert_array_equal(net.params, before)


def test_inputs_whose_squares_overflow_float32_still_train(monkeypatch):
    """Entries near 1e20: the batch's sum of squares overflows float32 (3.4e38), so the
    bound takes the norm from nrm2; no false divergence, same steps as the general route."""
    X, Y = classification(dtype="float32")
    X *= np.float32(1e20)
    results = []
    for min_params in (0, 10**12):
        monkeypatch.setattr(fused_sgd, "MIN_PARAMS", min_params)
        monkeypatch.setattr(fused_sgd, "NARROW_UNITS", 0)  # float32 too
        net = Network([12, 8, 4], "relu", "softmax", "categorical_cross_entropy",
                      dtype="float32")
        net.initialize(0)
        net.params *= np.float32(1e-20)  # keeps Z of order one
        trainer = Trainer(net, optimizer="sgd", learning_rate=1e-40, batch_size=32,
                          random_state=0)
        trainer.fit(X, Y, epochs=2)
        results.append(net.params.copy())
    fused, general = results
    np.testing.assert_allclose(fused, general, rtol=2e-5, atol=1e-30)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_norm_against_float64_and_non_finite(dtype):
    net = Network([3, 2], "relu", "identity", "squared_error", dtype=dtype)
    step = FusedSGD(net)
    rng = np.random.default_rng(0)
    ordinary = rng.standard_normal(1000).astype(dtype)
    huge = (ordinary * 1e20).astype(dtype)  # squares overflow float32 only
    for v in (ordinary, huge):
        expected = np.linalg.norm(v.astype(np.float64))
        assert step._norm(v) == pytest.approx(expected, rel=1e-5)
    assert math.isnan(step._norm(np.array([1.0, np.nan], dtype)))
    assert step._norm(np.array([1.0, np.inf], dtype)) == math.inf


def test_resume_with_momentum_on_the_fused_route_is_identical(always_fused, tmp_path):
    """The velocity lives in the optimizer's state, so a checkpoint carries it."""
    X, Y = classification()

    def make_trainer():
        net = Network([12, 8, 4], "relu", "softmax", "categorical_cross_entropy",
                      random_state=1)
        return Trainer(net, optimizer="nesterov", learning_rate=0.05, batch_size=32,
                       l2=0.01, random_state=5)

    straight = make_trainer()
    straight.fit(X, Y, epochs=6)
    first = make_trainer()
    first.fit(X, Y, epochs=4, checkpoint_dir=tmp_path, checkpoint_every=2)
    assert first.optimizer.state["velocity"].any()
    resumed = make_trainer()
    resumed.fit(X, Y, epochs=6, checkpoint_dir=tmp_path, resume=True)
    np.testing.assert_array_equal(resumed.network.params, straight.network.params)
    np.testing.assert_array_equal(resumed.optimizer.state["velocity"],
                                  straight.optimizer.state["velocity"])


@pytest.mark.parametrize(
    "velocity",
    [np.zeros(5), np.zeros(131, np.float32), np.zeros(262)[::2]],
    ids=["shape", "dtype", "strided"],
)
def test_a_velocity_blas_could_not_update_in_place_is_refused(velocity):
    net = Network([12, 8, 3], "relu", "softmax", "categorical_cross_entropy")
    assert net.n_params == 131
    with pytest.raises(ValueError, match="velocity must be a contiguous float64 array"):
        FusedSGD(net, velocity=velocity, momentum=0.9)


# ------------------------------------------------------- the velocity's bounds
def momentum_step(rule, l2=0.1, seed=0):
    """A FusedSGD with a random non-zero velocity; targets near the outputs (small dZ)."""
    X, _ = classification(m=40, n=6, k=3, seed=seed)
    net = Network([6, 5, 3], "tanh", "identity", "squared_error")
    net.initialize(seed)
    Y = net.output(X) + 1e-3
    velocity = np.random.default_rng(seed + 1).standard_normal(net.n_params) * 3.0
    step = FusedSGD(net, l2=l2, velocity=velocity, momentum=0.9, nesterov=rule == "nesterov")
    step.resync()
    return step, net, velocity, X, Y


@pytest.mark.parametrize("rule", ["momentum", "nesterov"])
def test_bounds_stay_above_the_true_norms(rule):
    """After every accepted step the kept bounds must still bound ||(W, b)|| and the
    velocity's norm (here the velocity, not the gradient, moves the parameters)."""
    step, net, velocity, X, Y = momentum_step(rule)
    views = fused_sgd._layer_views(net, velocity)
    for _ in range(4):
        assert step.step(X, Y, None, net.workspace(len(X)), learning_rate=1e-3)[1]
        for l, layer in enumerate(net.layers):
            W_norm = np.linalg.norm(np.concatenate([layer.W.ravel(), layer.b]))
            V_norm = np.linalg.norm(np.concatenate([views[l][0].ravel(), views[l][1]]))
            assert step.norm_bounds[l] >= W_norm * (1 - 1e-12), (l, "W")
            assert step.velocity_bounds[l] >= V_norm * (1 - 1e-12), (l, "V")


@pytest.mark.parametrize("rule", ["momentum", "nesterov"])
def test_a_velocity_that_could_overflow_the_weights_is_not_applied(rule):
    step, net, velocity, X, Y = momentum_step(rule)
    limit = step.limit
    step.norm_bounds[0], step.velocity_bounds[0] = 0.5 * limit, 0.6 * limit
    before, velocity_before = net.params.copy(), velocity.copy()
    cost, updated = step.step(X, Y, None, net.workspace(len(X)), learning_rate=1e-3)
    assert math.isfinite(cost) and not updated
    np.testing.assert_array_equal(net.params, before)
    np.testing.assert_array_equal(velocity, velocity_before)
    step.resync()  # exact norms again: the same step goes through
    assert step.step(X, Y, None, net.workspace(len(X)), learning_rate=1e-3)[1]


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "nesterov"])
def test_a_learning_rate_beyond_float32_is_refused(always_fused, optimizer):
    """1e39 is a finite Python float but infinite as BLAS's float32 alpha."""
    X, _ = classification(dtype="float32")
    net = Network([12, 8, 4], "relu", "identity", "squared_error", dtype="float32")
    net.initialize(0)
    Y = net.output(X)
    Y[0, 0] += np.float32(1e-3)  # most batches have dZ = 0: only alpha could overflow
    before = net.params.copy()
    trainer = Trainer(net, optimizer=optimizer, learning_rate=1e39, batch_size=32)
    with pytest.raises(DivergenceError):
        trainer.fit(X, Y, epochs=1)
    np.testing.assert_array_equal(net.params, before)


def test_optimizer_state_follows_a_change_of_dtype(always_fused):
    """An optimizer reused on the float32 copy of its network casts its velocity."""
    X, Y = classification()
    net = Network([12, 8, 4], "relu", "softmax", "categorical_cross_entropy", random_state=0)
    trainer = Trainer(net, optimizer="momentum", learning_rate=0.1, batch_size=32)
    trainer.fit(X, Y, epochs=1)
    small = net.astype("float32")
    again = Trainer(small, optimizer=trainer.optimizer, learning_rate=0.1, batch_size=32)
    again.fit(X.astype(np.float32), Y.astype(np.float32), epochs=1)
    assert again.optimizer.state["velocity"].dtype == np.float32
    assert np.isfinite(small.params).all()


@pytest.mark.parametrize("sizes, fused_in_float32", [
    ([1200, 20, 10], False),  # all 24,200 weights in 20- and 10-unit layers
    ([200, 128, 10], True),  # 25,600 of 26,880 in a 128-unit layer
    ([400, 64, 10], False),  # 25,600 of 26,240 in a 64-unit layer
])
def test_narrow_float32_networks_take_the_general_step(sizes, fused_in_float32):
    """In float32 a network whose weights lie mostly in layers of fewer than NARROW_UNITS
    units trains through the general step (SciPy's BLAS updates them slowly); float64
    and wider networks keep the fused one."""
    for dtype, expected in (("float32", fused_in_float32), ("float64", True)):
        net = Network(sizes, "relu", "softmax", "categorical_cross_entropy", dtype=dtype)
        assert net.n_params >= fused_sgd.MIN_PARAMS
        fused = Trainer(net, optimizer="sgd")._fused_sgd(128)
        assert (fused is not None) is expected, (sizes, dtype)
