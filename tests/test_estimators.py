"""NeuralNetClassifier and NeuralNetRegressor: scikit-learn behaviour on real data.

Truth comes from outside the estimators: scikit-learn's own MLP (parameter names,
stopping rule), scikit-learn's metrics and ``log_loss``, hand-computed class weights,
a forward pass recomputed with NumPy from ``coefs_``/``intercepts_``, and the bundled
breast-cancer, iris and diabetes data sets.
"""

from __future__ import annotations

import pickle
import warnings

import numpy as np
import pytest
from scipy.special import expit, softmax
from sklearn.base import clone
from sklearn.compose import TransformedTargetRegressor
from sklearn.datasets import (
    load_breast_cancer,
    load_diabetes,
    load_digits,
    load_iris,
    make_classification,
    make_multilabel_classification,
    make_regression,
)
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import accuracy_score, log_loss
from sklearn.model_selection import GridSearchCV, cross_val_score, train_test_split
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils._param_validation import InvalidParameterError

from lucidnet import training
from lucidnet.estimators import NeuralNetClassifier, NeuralNetRegressor

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


@pytest.fixture(scope="module")
def iris():
    X, y = load_iris(return_X_y=True)
    return StandardScaler().fit_transform(X), y


@pytest.fixture(scope="module")
def cancer():
    return load_breast_cancer(return_X_y=True)


class TrainerSpy(training.Trainer):
    """Records the arguments the estimator hands to the Trainer."""

    calls: list[dict] = []

    def __init__(self, network, **kwargs):
        TrainerSpy.calls.append({"init": kwargs})
        super().__init__(network, **kwargs)

    def fit(self, X, Y, **kwargs):
        TrainerSpy.calls[-1].update(X=X, Y=Y, fit=kwargs, trainer=self)
        return super().fit(X, Y, **kwargs)


@pytest.fixture
def spy(monkeypatch):
    TrainerSpy.calls = []
    monkeypatch.setattr(training, "Trainer", TrainerSpy)
    return TrainerSpy.calls


def _gd(n_samples, **params):
    """Deterministic full-batch gradient descent in float64 on ``n_samples`` rows."""
    base = dict(
        solver="sgd",
        momentum=0.0,
        batch_size=n_samples,
        shuffle=False,
        dtype="float64",
        learning_rate_init=0.1,
        random_state=0,
        tol=0.0,
        max_iter=25,
    )
    return {**base, **params}


# ====================================================== scikit-learn tooling
def test_pipeline_grid_search_on_breast_cancer(cancer):
    X, y = cancer
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0, stratify=y)
    pipe = make_pipeline(
        StandardScaler(),
        NeuralNetClassifier(learning_rate_init=0.01, max_iter=60, random_state=0),
    )
    grid = GridSearchCV(
        pipe,
        {
            "neuralnetclassifier__hidden_layer_sizes": [(8,), (16, 8)],
            "neuralnetclassifier__alpha": [1e-4, 1e-2],
        },
        cv=3,
    )
    grid.fit(X_train, y_train)
    # Against scikit-learn's own MLP in the same search (0.97 on this split).
    from sklearn.neural_network import MLPClassifier

    peer = GridSearchCV(
        make_pipeline(StandardScaler(), MLPClassifier(learning_rate_init=0.01, max_iter=60,
                                                      random_state=0)),
        {"mlpclassifier__hidden_layer_sizes": [(8,), (16, 8)],
         "mlpclassifier__alpha": [1e-4, 1e-2]},
        cv=3,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        peer.fit(X_train, y_train)
    assert grid.score(X_test, y_test) > peer.score(X_test, y_test) - 0.04
    assert set(grid.best_params_) == {
        "neuralnetclassifier__hidden_layer_sizes",
        "neuralnetclassifier__alpha",
    }


def test_cross_val_score_on_iris_in_parallel_workers(iris):
    # n_jobs=2 ships the estimator to joblib's worker processes by pickling it.
    X, y = iris
    scores = cross_val_score(
        NeuralNetClassifier((16,), learning_rate_init=0.02, max_iter=150, random_state=0),
        X,
        y,
        cv=3,
        n_jobs=2,
    )
    assert scores.mean() > 0.9


def test_regressor_on_diabetes():
    X, y = load_diabetes(return_X_y=True)
    model = TransformedTargetRegressor(
        make_pipeline(
            StandardScaler(),
            NeuralNetRegressor((16,), solver="lbfgs", alpha=10.0, max_iter=100, random_state=0),
        ),
        transformer=StandardScaler(),
    )
    # Ordinary least squares scores about 0.48 here.
    assert cross_val_score(model, X, y, cv=3, scoring="r2").mean() > 0.45


def test_switching_from_mlp_is_one_line():
    for ours, theirs in ((NeuralNetClassifier, MLPClassifier), (NeuralNetRegressor, MLPRegressor)):
        mlp_params = theirs().get_params()
        estimator = ours(**mlp_params)
        mine = estimator.get_params()
        assert {name: mine[name] for name in mlp_params} == mlp_params


def test_mlp_parameters_are_accepted_by_a_fit(iris):
    X, y = iris
    params = {**MLPClassifier().get_params(), "max_iter": 3, "hidden_layer_sizes": (4,)}
    NeuralNetClassifier(**params).fit(X, y)


def test_clone_and_pickle(iris):
    X, y = iris
    fitted = NeuralNetClassifier((6,), max_iter=20, random_state=0).fit(X, y)
    copy = clone(fitted)
    assert not hasattr(copy, "network_")
    assert copy.get_params() == fitted.get_params()
    back = pickle.loads(pickle.dumps(fitted))
    assert np.array_equal(back.predict_proba(X), fitted.predict_proba(X))
    assert np.array_equal(back.network_.params, fitted.network_.params)
    # The unpickled layers are views into the flat buffer again, not copies.
    views = pickle.loads(pickle.dumps(fitted)).network_
    views.params[0] = 42.0
    assert views.layers[0].W.flat[0] == 42.0
    # partial_fit continues where the pickled estimator stood (Adam's moments, the step
    # count, the random stream): the same step as the original's next one.
    back.partial_fit(X, y)
    fitted.partial_fit(X, y)
    assert np.array_equal(back.network_.params, fitted.network_.params)
    assert back.loss_curve_ == fitted.loss_curve_


# ============================================================= the classifier
def test_predict_proba_is_the_forward_pass_of_coefs_and_intercepts(iris):
    X, y = iris
    clf = NeuralNetClassifier((5, 4), activation="tanh", max_iter=10, random_state=0).fit(X, y)
    assert [c.shape for c in clf.coefs_] == [(4, 5), (5, 4), (4, 3)]
    assert [b.shape for b in clf.intercepts_] == [(5,), (4,), (3,)]
    A = X
    for W, b in zip(clf.coefs_[:-1], clf.intercepts_[:-1], strict=True):
        A = np.tanh(A @ W.astype(np.float64) + b)
    expected = softmax(A @ clf.coefs_[-1].astype(np.float64) + clf.intercepts_[-1], axis=1)
    assert clf.predict_proba(X).dtype == np.float64
    np.testing.assert_allclose(clf.predict_proba(X), expected, rtol=1e-5, atol=1e-6)
    assert np.array_equal(clf.predict(X), clf.classes_[expected.argmax(axis=1)])
    np.testing.assert_allclose(clf.predict_log_proba(X), np.log(expected), rtol=1e-4, atol=1e-5)


def test_binary_string_labels_and_probability_columns(cancer):
    X, y = cancer
    X = StandardScaler().fit_transform(X)
    labels = np.where(y == 1, "benign", "malignant")
    clf = NeuralNetClassifier((8,), learning_rate_init=0.01, max_iter=60, random_state=0)
    clf.fit(X, labels)
    assert clf.classes_.tolist() == ["benign", "malignant"]
    assert clf.n_outputs_ == 1 and clf.out_activation_ == "logistic"
    proba = clf.predict_proba(X)
    assert proba.shape == (len(X), 2)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    # Column j is the probability of classes_[j]: one sigmoid p = P(classes_[1]).
    hidden = np.maximum(X @ clf.coefs_[0].astype(np.float64) + clf.intercepts_[0], 0.0)
    p = expit(hidden @ clf.coefs_[1] + clf.intercepts_[1])[:, 0]
    np.testing.assert_allclose(proba[:, 1], p, rtol=1e-4, atol=1e-6)
    assert set(clf.predict(X)) <= {"benign", "malignant"}
    assert clf.score(X, labels) == accuracy_score(labels, clf.predict(X)) > 0.95


def test_multilabel_indicator_targets():
    X, Y = make_multilabel_classification(n_samples=200, n_features=6, n_classes=3, random_state=0)
    X = StandardScaler().fit_transform(X)
    clf = NeuralNetClassifier((16,), learning_rate_init=0.02, max_iter=150, random_state=0).fit(
        X, Y
    )
    assert clf.classes_.tolist() == [0, 1, 2]
    assert clf.out_activation_ == "logistic" and clf.n_outputs_ == 3
    assert clf.predict_proba(X).shape == (200, 3)
    predicted = clf.predict(X)
    assert predicted.shape == (200, 3) and set(np.unique(predicted)) <= {0, 1}
    # Subset accuracy well above always predicting the most frequent label set.
    assert clf.score(X, Y) == accuracy_score(Y, predicted) > 0.6


def test_class_weight_balanced_is_the_closed_form(spy):
    X, y = make_classification(n_samples=120, n_features=4, weights=[0.75, 0.25], random_state=0)
    NeuralNetClassifier((4,), max_iter=2, class_weight="balanced", random_state=0).fit(X, y)
    counts = np.bincount(y)
    expected = len(y) / (2 * counts[y])  # n_samples / (n_classes * count of the row's class)
    np.testing.assert_allclose(spy[-1]["fit"]["sample_weight"], expected, rtol=1e-6)


def test_class_weight_equals_the_matching_sample_weight(iris):
    X, y = iris
    weights = {0: 1.0, 1: 3.0, 2: 0.5}
    a = NeuralNetClassifier((5,), class_weight=weights, **_gd(150)).fit(X, y)
    b = NeuralNetClassifier((5,), **_gd(150)).fit(X, y, sample_weight=np.vectorize(weights.get)(y))
    c = NeuralNetClassifier((5,), **_gd(150)).fit(X, y)
    np.testing.assert_allclose(a.network_.params, b.network_.params, rtol=1e-12)
    assert not np.allclose(a.network_.params, c.network_.params)


def test_zero_sample_weight_equals_dropping_the_row(iris):
    X, y = iris
    weights = np.ones(len(y))
    weights[[3, 60, 120]] = 0.0
    keep = weights > 0
    weighted = NeuralNetClassifier((5,), alpha=0.01, **_gd(150)).fit(X, y, sample_weight=weights)
    dropped = NeuralNetClassifier((5,), alpha=0.01, **_gd(147)).fit(X[keep], y[keep])
    np.testing.assert_allclose(
        weighted.network_.params, dropped.network_.params, rtol=1e-9, atol=1e-12
    )


def test_integer_sample_weight_equals_repeating_the_row(iris):
    X, y = iris
    weights = np.ones(len(y), dtype=int)
    weights[[0, 70, 140]] = 3
    weighted = NeuralNetClassifier((5,), alpha=0.01, **_gd(150)).fit(X, y, sample_weight=weights)
    repeated = NeuralNetClassifier((5,), alpha=0.01, **_gd(156)).fit(
        np.repeat(X, weights, axis=0), np.repeat(y, weights)
    )
    np.testing.assert_allclose(
        weighted.network_.params, repeated.network_.params, rtol=1e-9, atol=1e-12
    )


def test_loss_is_log_loss_plus_alpha_over_2m_times_the_squared_weights(iris):
    # scikit-learn's objective: mean log-loss + alpha / (2 m) * sum ||W||^2.
    X, y = iris
    clf = NeuralNetClassifier((5,), alpha=0.7, warm_start=True, **_gd(150, max_iter=1)).fit(X, y)
    proba = clf.predict_proba(X)
    squares = sum(float((W.astype(np.float64) ** 2).sum()) for W in clf.coefs_)
    clf.fit(X, y)  # the first (full-batch) cost of this fit is at the parameters above
    expected = log_loss(y, proba) + 0.7 / (2 * len(y)) * squares
    assert clf.loss_curve_[1] == pytest.approx(expected, rel=1e-10)


def test_tol_stopping_matches_scikit_learn(iris):
    X, y = iris
    params = dict(hidden_layer_sizes=(4,), tol=10.0, n_iter_no_change=3, random_state=0)
    ours = NeuralNetClassifier(**params).fit(X, y)
    theirs = MLPClassifier(**params).fit(X, y)
    assert ours.n_iter_ == theirs.n_iter_ == 5  # 1 epoch, then n_iter_no_change + 1 without
    assert ours.t_ == 5 * len(X)
    assert len(ours.loss_curve_) == 5 and ours.best_loss_ == min(ours.loss_curve_)


@pytest.mark.parametrize("n_iter_no_change", [1, 3])
def test_adaptive_learning_rate_matches_scikit_learn(spy, iris, n_iter_no_change):
    # Every epoch after the first fails to improve by tol: the rate is divided by 5 at
    # each plateau, and training stops at the first plateau with a rate <= 1e-6.
    X, y = iris
    params = dict(
        hidden_layer_sizes=(4,),
        solver="sgd",
        learning_rate="adaptive",
        tol=10.0,
        n_iter_no_change=n_iter_no_change,
        max_iter=500,
        random_state=0,
    )
    ours = NeuralNetClassifier(**params).fit(X, y)
    theirs = MLPClassifier(**params).fit(X, y)
    assert ours.n_iter_ == theirs.n_iter_ == 6 * (n_iter_no_change + 1) + 1
    rates = [1e-3 / 5**k for k in range(6)]  # 1e-3 ... 3.2e-7, five divisions
    assert sorted(set(np.round(ours_rates(spy), 12)), reverse=True) == pytest.approx(rates)


def ours_rates(spy) -> list[float]:
    """The learning rate of each epoch of the spied trainer's last fit."""
    return spy[-1]["trainer"].history.history["lr"]


def test_convergence_warning_only_when_max_iter_is_reached(iris):
    X, y = iris
    with pytest.warns(ConvergenceWarning, match=r"Maximum iterations \(3\) reached"):
        NeuralNetClassifier((4,), max_iter=3, random_state=0).fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        NeuralNetClassifier((4,), max_iter=50, tol=10.0, random_state=0).fit(X, y)


def test_early_stopping_records_validation_scores(iris):
    X, y = iris
    clf = NeuralNetClassifier(
        (8,),
        early_stopping=True,
        n_iter_no_change=4,
        max_iter=200,
        learning_rate_init=0.02,
        random_state=0,
    ).fit(X, y)
    assert len(clf.validation_scores_) == clf.n_iter_ < 200
    assert clf.best_validation_score_ == max(clf.validation_scores_)
    assert clf.best_loss_ is None
    assert all(0.0 <= s <= 1.0 for s in clf.validation_scores_)
    assert clf.t_ == clf.n_iter_ * (len(X) - 15)  # 10% held out


def test_partial_fit_needs_classes_first(iris):
    X, y = iris
    clf = NeuralNetClassifier((4,), random_state=0)
    with pytest.raises(ValueError, match="classes must be passed on the first call"):
        clf.partial_fit(X, y)
    clf.partial_fit(X[:50], y[:50], classes=[0, 1, 2])  # only class 0 in this batch
    assert clf.classes_.tolist() == [0, 1, 2] and clf.n_outputs_ == 3
    with pytest.raises(ValueError, match=r"labels not among the classes: \[7\]"):
        clf.partial_fit(X[:2], [0, 7])
    # Labels outside the classes of the first call are refused, as scikit-learn does
    # (they would be encoded as another class, or as no class at all).
    for classes in ([0, 1], [0, 1, 5]):
        with pytest.raises(ValueError, match=r"labels not among the classes: \[2\]"):
            NeuralNetClassifier((4,)).partial_fit(X, y, classes=classes)
    with pytest.raises(ValueError, match="classes must equal the classes of the first call"):
        clf.partial_fit(X, y, classes=[0, 1])


def test_partial_fit_refuses_balanced_class_weight(iris):
    X, y = iris
    with pytest.raises(ValueError, match="class_weight='balanced' is not supported by partial"):
        NeuralNetClassifier(class_weight="balanced").partial_fit(X, y, classes=[0, 1, 2])


def test_partial_fit_continues_the_optimizer(iris):
    # Two partial_fit epochs are exactly a two-epoch fit: same seed, same optimizer state.
    X, y = iris
    params = dict(
        hidden_layer_sizes=(5,),
        shuffle=False,
        batch_size=32,
        random_state=3,
        learning_rate_init=0.01,
        dtype="float64",
    )
    step = NeuralNetClassifier(**params)
    losses = []
    for _ in range(2):
        step.partial_fit(X, y, classes=np.unique(y))
        losses.append(step.loss_)
    whole = NeuralNetClassifier(max_iter=2, **params).fit(X, y)
    assert np.array_equal(step.network_.params, whole.network_.params)
    assert step.loss_curve_ == losses == whole.loss_curve_
    # n_iter_ counts the last call's epochs, t_ every call's rows (scikit-learn's).
    assert step.n_iter_ == 1 and whole.n_iter_ == 2 and step.t_ == 2 * len(X)


def test_checkpointed_fit_resumes_bit_for_bit(tmp_path, iris):
    X, y = iris
    params = dict(
        hidden_layer_sizes=(5,),
        learning_rate_init=0.01,
        batch_size=32,
        early_stopping=True,
        random_state=0,
    )
    whole = NeuralNetClassifier(max_iter=8, **params).fit(X, y, checkpoint_dir=tmp_path / "a")
    # An "interrupted" run: 3 epochs checkpointed, then a new estimator resumes to 8.
    NeuralNetClassifier(max_iter=3, **params).fit(X, y, checkpoint_dir=tmp_path / "b")
    resumed = NeuralNetClassifier(max_iter=8, **params).fit(
        X, y, checkpoint_dir=tmp_path / "b", resume=True
    )
    assert np.array_equal(resumed.network_.params, whole.network_.params)
    assert resumed.loss_curve_ == whole.loss_curve_ and resumed.n_iter_ == 8
    assert resumed.validation_scores_ == whole.validation_scores_


def test_resuming_a_run_that_had_stopped_trains_no_further(tmp_path, iris):
    # The last checkpoint was written after the stopping rule's verdict: resuming from
    # it ends the fit where the original ended, with the same model.
    X, y = iris
    params = dict(hidden_layer_sizes=(5,), learning_rate_init=0.05, max_iter=1000,
                  random_state=0)
    whole = NeuralNetClassifier(**params).fit(X, y, checkpoint_dir=tmp_path)
    assert whole.n_iter_ < 1000  # stopped on tol
    resumed = NeuralNetClassifier(**params).fit(X, y, checkpoint_dir=tmp_path, resume=True)
    assert resumed.loss_curve_ == whole.loss_curve_
    assert np.array_equal(resumed.network_.params, whole.network_.params)


def test_partial_fit_is_not_offered_with_lbfgs():
    assert not hasattr(NeuralNetClassifier(solver="lbfgs"), "partial_fit")
    assert not hasattr(NeuralNetRegressor(solver="lbfgs"), "partial_fit")
    assert hasattr(NeuralNetRegressor(), "partial_fit")


def test_warm_start_continues_and_cold_start_repeats(iris):
    X, y = iris
    clf = NeuralNetClassifier((5,), max_iter=5, warm_start=True, random_state=0).fit(X, y)
    first = list(clf.loss_curve_)
    clf.fit(X, y)
    assert clf.n_iter_ == 5 and len(clf.loss_curve_) == 10 and clf.loss_curve_[:5] == first
    assert clf.loss_curve_[5] < first[0]
    cold = NeuralNetClassifier((5,), max_iter=5, random_state=0)
    assert cold.fit(X, y).loss_curve_ == first
    assert cold.fit(X, y).loss_curve_ == first  # a new fit starts over, identically
    # As scikit-learn: a warm-start refit sees the same classes (partial_fit need not).
    for other in (np.where(y == 2, 3, y), np.where(y == 2, 1, y)):
        with pytest.raises(ValueError, match=r"warm_start can only be used where y has the "
                                             r"same classes .*\[0, 1, 2\]"):
            clf.fit(X, other)


# ============================================================== engine options
@pytest.mark.parametrize(
    ("params", "optimizer", "optimizer_params"),
    [
        ({"solver": "sgd"}, "nesterov", {"momentum": 0.9}),
        (
            {"solver": "sgd", "nesterovs_momentum": False, "momentum": 0.5},
            "momentum",
            {"momentum": 0.5},
        ),
        ({"solver": "sgd", "momentum": 0.0}, "sgd", {}),
        (
            {"solver": "adam", "beta_1": 0.8},
            "adam",
            {"beta_1": 0.8, "beta_2": 0.999, "epsilon": 1e-8},
        ),
        (
            {"solver": "adamw", "weight_decay": 0.1},
            "adamw",
            {"beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-8, "weight_decay": 0.1},
        ),
        ({"solver": "rmsprop"}, "rmsprop", {"epsilon": 1e-8}),
        ({"solver": "lbfgs", "max_fun": 99}, "lbfgs", {"max_fun": 99, "gtol": 1e-4}),
    ],
)
def test_solver_names_map_to_optimizers(spy, iris, params, optimizer, optimizer_params):
    X, y = iris
    NeuralNetClassifier((3,), max_iter=2, random_state=0, **params).fit(X, y)
    init = spy[-1]["init"]
    assert init["optimizer"] == optimizer
    assert init["optimizer_params"] == optimizer_params


@pytest.mark.parametrize(
    ("params", "schedule", "schedule_params"),
    [
        ({}, "constant", {}),
        ({"solver": "sgd", "learning_rate": "invscaling", "power_t": 0.25}, "invscaling",
         {"power_t": 0.25, "per_sample": True, "samples_before": 0}),
        # scikit-learn's names bear on solver="sgd" only; lucidnet's on every solver.
        ({"learning_rate": "invscaling"}, "constant", {}),
        ({"learning_rate": "adaptive"}, "constant", {}),
        (
            {"solver": "sgd", "learning_rate": "adaptive", "n_iter_no_change": 4, "tol": 0.01},
            "plateau",
            {"factor": 0.2, "patience": 5, "min_delta": 0.01, "monitor": "loss",
             "best_on_any_gain": True},
        ),
        ({"learning_rate": "step", "schedule_params": {"step_size": 3}}, "step", {"step_size": 3}),
    ],
)
def test_learning_rate_names_map_to_schedules(spy, iris, params, schedule, schedule_params):
    X, y = iris
    NeuralNetClassifier((3,), max_iter=2, random_state=0, **params).fit(X, y)
    assert spy[-1]["init"]["schedule"] == schedule
    assert spy[-1]["init"]["schedule_params"] == schedule_params


def test_fit_hands_the_trainer_contiguous_arrays_of_the_dtype(spy, iris):
    X, y = iris
    NeuralNetClassifier(
        (3,), max_iter=2, batch_size=16, alpha=0.3, clip_norm=5.0, random_state=0,
        dtype="float32",
    ).fit(np.asfortranarray(X), y)
    call = spy[-1]
    assert call["X"].dtype == np.float32 and call["X"].flags.c_contiguous
    assert call["Y"].dtype == np.float32 and call["Y"].shape == (150, 3)
    np.testing.assert_array_equal(call["Y"], np.eye(3)[y])
    assert call["init"]["batch_size"] == 16 and call["init"]["l2"] == 0.3
    assert call["init"]["clip_norm"] == 5.0


def test_batch_size_auto_and_too_large(spy, iris):
    X, y = iris
    NeuralNetClassifier((3,), max_iter=1, random_state=0).fit(X, y)
    assert spy[-1]["init"]["batch_size"] == 150  # min(200, n_samples)
    with pytest.warns(UserWarning, match="larger than sample size. It is going to be clipped"):
        NeuralNetClassifier((3,), max_iter=1, batch_size=500, random_state=0).fit(X, y)


def test_network_options(iris):
    X, y = iris
    clf = NeuralNetClassifier(
        (4, 3),
        activation=["tanh", {"name": "leaky_relu", "slope": 0.2}],
        dropout=0.1,
        use_bias=False,
        initializer="lecun_normal",
        dtype="float64",
        max_iter=3,
        random_state=0,
    ).fit(X, y)
    layers = clf.network_.layers
    assert [layer.activation.name for layer in layers] == ["tanh", "leaky_relu", "softmax"]
    assert layers[1].activation.slope == 0.2
    assert [layer.dropout for layer in layers] == [0.1, 0.1, 0.0]
    assert all(layer.b is None for layer in layers)
    assert all(not b.any() for b in clf.intercepts_)
    assert clf.network_.dtype == np.float64


@pytest.mark.parametrize("data_dtype", [np.float64, np.float32, np.int64, np.float16])
def test_default_dtype_follows_X_as_scikit_learns(iris, data_dtype):
    from sklearn.neural_network import MLPClassifier

    X, y = iris
    X = (X * 10).astype(data_dtype)
    ours = NeuralNetClassifier((3,), max_iter=1, random_state=0).fit(X, y)
    theirs = MLPClassifier((3,), max_iter=1, random_state=0).fit(X, y)
    assert ours.network_.dtype == theirs.coefs_[0].dtype == ours.coefs_[0].dtype
    # warm_start and partial_fit go on in the first fit's dtype
    ours.set_params(warm_start=True).fit(X.astype(np.float64), y)
    assert ours.network_.dtype == theirs.coefs_[0].dtype


def test_dataframe_feature_names(iris):
    pd = pytest.importorskip("pandas")
    X, y = iris
    frame = pd.DataFrame(X, columns=["sl", "sw", "pl", "pw"])
    clf = NeuralNetClassifier((3,), max_iter=2, random_state=0).fit(frame, y)
    assert clf.feature_names_in_.tolist() == ["sl", "sw", "pl", "pw"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a frame with the same columns: no warning
        from_frame = clf.predict(frame)
    assert np.array_equal(from_frame, clf.network_.predict(X))
    with pytest.raises(ValueError, match="feature names should match"):
        clf.predict(frame.rename(columns={"pw": "petal"}))
    with (
        pytest.warns(UserWarning, match="does not have valid feature names"),
        pytest.raises(ValueError, match="X has 3 features, but NeuralNetClassifier is expecting 4"),
    ):
        clf.predict(X[:, :3])


@pytest.mark.parametrize(
    ("params", "error", "message"),
    [
        ({"activation": "swish"}, InvalidParameterError,
         "The 'activation' parameter.*unknown activation 'swish'"),
        ({"activation": None}, InvalidParameterError, "The 'activation' parameter.*Got None"),
        ({"dtype": "float16"}, ValueError, "dtype must be float32 or float64; got 'float16'"),
        ({"hidden_layer_sizes": (4, 0)}, ValueError, "hidden_layer_sizes must hold positive"),
        ({"solver": "newton"}, ValueError, "The 'solver' parameter"),
        ({"alpha": -1.0}, ValueError, "The 'alpha' parameter"),
        ({"class_weight": "auto"}, ValueError, "The 'class_weight' parameter"),
        ({"class_weight": {5: 2.0}}, ValueError, "class_weight has labels that are not classes"),
        (
            {"activation": ["relu"], "hidden_layer_sizes": (3, 3)},
            InvalidParameterError,
            "one per hidden layer.*1 name for 2 hidden layers",
        ),
        ({"solver": "lbfgs", "dropout": 0.2}, ValueError, "lbfgs.*dropout"),
    ],
)
def test_bad_parameters_name_themselves(iris, params, error, message):
    X, y = iris
    with pytest.raises(error, match=message):
        NeuralNetClassifier(max_iter=1, **params).fit(X, y)


def test_one_class_is_refused(iris):
    X, _ = iris
    with pytest.raises(ValueError, match="at least 2 classes.*got 1 class: 0.0$"):
        NeuralNetClassifier(max_iter=1).fit(X, np.zeros(len(X)))
    with pytest.raises(ValueError, match="got 1 class: 'cat'$"):
        NeuralNetClassifier(max_iter=1).fit(X, np.full(len(X), "cat"))


def test_all_zero_sample_weight_is_refused(iris):
    X, y = iris
    with pytest.raises(ValueError, match="Sample weights must contain at least one non-zero"):
        NeuralNetClassifier(max_iter=1).fit(X, y, sample_weight=np.zeros(len(y)))


# ============================================================== the regressor
def test_regressor_shapes_and_forward_pass():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((80, 3))
    y = X @ [1.0, -2.0, 0.5] + 0.1 * rng.standard_normal(80)
    reg = NeuralNetRegressor((6,), solver="lbfgs", max_iter=200, random_state=0).fit(X, y)
    assert reg.out_activation_ == "identity" and reg.n_outputs_ == 1
    predicted = reg.predict(X)
    assert predicted.shape == (80,) and predicted.dtype == np.float64
    hidden = np.maximum(X @ reg.coefs_[0] + reg.intercepts_[0], 0)
    np.testing.assert_allclose(
        predicted, (hidden @ reg.coefs_[1] + reg.intercepts_[1])[:, 0], rtol=1e-4, atol=1e-4
    )
    assert reg.score(X, y) > 0.95
    two = NeuralNetRegressor((6,), max_iter=5, random_state=0).fit(X, np.c_[y, -y])
    assert two.predict(X).shape == (80, 2) and two.n_outputs_ == 2


def test_regressor_output_activation_and_loss():
    rng = np.random.default_rng(1)
    X = rng.standard_normal((60, 2))
    y = expit(X[:, 0] - X[:, 1])
    reg = NeuralNetRegressor(
        (5,), output_activation="sigmoid", solver="lbfgs", max_iter=100, random_state=0
    ).fit(X, y)
    assert reg.out_activation_ == "logistic"  # scikit-learn's name for the sigmoid
    assert ((reg.predict(X) > 0) & (reg.predict(X) < 1)).all()
    with pytest.raises(ValueError, match="The 'loss' parameter"):
        NeuralNetRegressor(loss="huber").fit(X, y)


def test_regressor_partial_fit_and_pickle():
    rng = np.random.default_rng(2)
    X = rng.standard_normal((50, 2))
    y = X.sum(axis=1)
    reg = NeuralNetRegressor((4,), learning_rate_init=0.05, random_state=0)
    for _ in range(30):
        reg.partial_fit(X, y)
    assert reg.n_iter_ == 1 and len(reg.loss_curve_) == 30  # n_iter_: the last call's
    assert reg.loss_curve_[-1] < reg.loss_curve_[0]
    back = pickle.loads(pickle.dumps(reg))
    assert np.array_equal(back.predict(X), reg.predict(X))
    for schedule in ("invscaling", "adaptive"):  # the rate goes on from where it was
        sgd = NeuralNetRegressor((4,), solver="sgd", learning_rate=schedule,
                                 learning_rate_init=0.05, random_state=0)
        for _ in range(5):
            sgd.partial_fit(X, y)
        back = pickle.loads(pickle.dumps(sgd))
        for estimator in (sgd, back):
            estimator.partial_fit(X, y)
        assert np.array_equal(back.network_.params, sgd.network_.params), schedule


def test_early_stopping_can_watch_the_validation_loss():
    """monitor "loss": stops on the validation loss, still reports validation accuracy."""
    from sklearn.datasets import load_breast_cancer
    from sklearn.preprocessing import StandardScaler

    from lucidnet import NeuralNetClassifier

    X, y = load_breast_cancer(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    model = NeuralNetClassifier(
        hidden_layer_sizes=(32,),
        early_stopping=True,
        early_stopping_monitor="loss",
        n_iter_no_change=5,
        max_iter=300,
        random_state=0,
    ).fit(X, y)
    history = model._trainer.history
    val_loss = history.history["val_loss"]
    # Stopped because n_iter_no_change + 1 epochs each failed to lower the best
    # validation loss before it by tol (scikit-learn's rule, applied to the loss) ...
    assert model.n_iter_ < 300
    n = len(val_loss)
    assert all(val_loss[k] > min(val_loss[:k]) - model.tol for k in range(n - 6, n))
    # ... and the scores it reports are accuracies, one per epoch.
    assert len(model.validation_scores_) == len(val_loss)
    assert all(0.0 <= score <= 1.0 for score in model.validation_scores_)
    # The weights kept are those of the lowest validation loss (up to tol), and the
    # best score reported is that epoch's, not the highest of any epoch.
    kept = history.best_epoch
    assert val_loss[kept] <= min(val_loss) + model.tol
    assert model.best_validation_score_ == model.validation_scores_[kept]
    # A fit where the two differ (the accuracy peaked before the loss bottomed out, on
    # this data and seed).
    wider = NeuralNetClassifier(
        hidden_layer_sizes=(64, 32), early_stopping=True, early_stopping_monitor="loss",
        n_iter_no_change=10, max_iter=300, random_state=0,
    ).fit(X, y)
    kept = wider._trainer.history.best_epoch
    assert wider.best_validation_score_ == wider.validation_scores_[kept]
    assert wider.best_validation_score_ < max(wider.validation_scores_)
    # Watching the score with a large tol: the kept epoch is the last that improved by
    # more than tol, and its score is the one reported.
    coarse = NeuralNetClassifier(hidden_layer_sizes=(8,), early_stopping=True, tol=0.05,
                                 n_iter_no_change=5, max_iter=100, random_state=0).fit(X, y)
    kept = coarse._trainer.history.best_epoch
    assert coarse.best_validation_score_ == coarse.validation_scores_[kept]
    later = coarse.validation_scores_[kept + 1:]
    assert all(score <= coarse.best_validation_score_ + coarse.tol for score in later)


def test_partial_fit_batch_size_follows_each_call():
    from lucidnet import NeuralNetClassifier

    rng = np.random.default_rng(0)
    X = rng.standard_normal((300, 4))
    y = (X[:, 0] > 0).astype(int)
    model = NeuralNetClassifier(hidden_layer_sizes=(4,), random_state=0)
    model.partial_fit(X[:5], y[:5], classes=[0, 1])
    model.partial_fit(X, y)
    assert model._trainer.batch_size == 200  # "auto": min(200, 300), not the first call's 5


def _sklearn_stop(values, tol, n_iter_no_change, scores):
    """The epoch count at which scikit-learn's MLP stops on this curve of training
    losses (or, with ``scores``, validation scores): its own private
    ``_update_no_improvement_count`` run on a stand-in estimator, as its fit loop does."""
    from types import SimpleNamespace

    from sklearn.neural_network._multilayer_perceptron import BaseMultilayerPerceptron

    curve = iter(values)
    state = SimpleNamespace(loss_curve_=[], best_loss_=np.inf, validation_scores_=[],
                            best_validation_score_=-np.inf, tol=tol, _no_improvement_count=0,
                            verbose=False, coefs_=[], intercepts_=[],
                            _score=lambda X, y, sample_weight=None: next(curve))
    for epoch in range(1, len(values) + 1):
        if not scores:
            state.loss_curve_.append(next(curve))
        BaseMultilayerPerceptron._update_no_improvement_count(state, scores, None, None, None)
        if state._no_improvement_count > n_iter_no_change:
            return epoch, state
    return None, state


@pytest.mark.parametrize("early_stopping", [False, True])
def test_small_gains_stop_a_fit_where_scikit_learns_rule_does(early_stopping):
    """scikit-learn keeps every new best but restarts its count only on a gain of tol:
    a run of small gains stops the fit.  Checked against scikit-learn's own rule on
    this fit's curve (training losses of a classifier; validation R^2 of a regressor).
    A rule that moved the best only on a gain of tol trains on for many more epochs
    in both."""
    if early_stopping:
        X, y = make_regression(n_samples=400, n_features=8, noise=20.0, random_state=0)
        y = y / y.std()
        model = NeuralNetRegressor(hidden_layer_sizes=(16,), batch_size=32, max_iter=400,
                                   learning_rate_init=1e-3, early_stopping=True,
                                   random_state=0)
    else:
        X, y = load_digits(return_X_y=True)
        X, y = X[:600], y[:600]
        model = NeuralNetClassifier(hidden_layer_sizes=(32,), batch_size=32, max_iter=400,
                                    random_state=0)
    model.fit(StandardScaler().fit_transform(X), y)
    curve = model.validation_scores_ if early_stopping else model.loss_curve_
    stop, state = _sklearn_stop(curve, model.tol, model.n_iter_no_change, early_stopping)
    assert stop is not None and model.n_iter_ == stop == len(curve) < 400
    if early_stopping:
        assert model.best_validation_score_ == state.best_validation_score_ == max(curve)
    else:
        assert model.best_loss_ == state.best_loss_ == min(curve)


def test_a_diverging_fit_raises_what_scikit_learn_callers_catch():
    """scikit-learn's MLP raises ValueError for weights gone non-finite; lucidnet's
    DivergenceError is one too (and a FloatingPointError), and keeps finite weights."""
    from lucidnet.errors import DivergenceError

    X, y = load_diabetes(return_X_y=True)
    model = NeuralNetRegressor(hidden_layer_sizes=(16,), solver="sgd", learning_rate_init=10.0,
                               batch_size=32, max_iter=20, random_state=0)
    with pytest.raises(ValueError) as raised:
        model.fit(StandardScaler().fit_transform(X), y)
    assert isinstance(raised.value, DivergenceError)
    assert isinstance(raised.value, FloatingPointError)
    assert np.isfinite(model.network_.params).all()


def test_invscaling_rates_are_scikit_learns(spy, iris):
    """scikit-learn divides by (samples seen + 1) ** power_t after each epoch: its
    optimizer's rate after k epochs is the rate of lucidnet's epoch k."""
    X, y = iris
    params = dict(hidden_layer_sizes=(4,), solver="sgd", learning_rate="invscaling",
                  learning_rate_init=0.5, power_t=0.3, batch_size=50, tol=0.0,
                  n_iter_no_change=100, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        NeuralNetClassifier(max_iter=5, **params).fit(X, y)
        ours = ours_rates(spy)
        theirs = [0.5] + [MLPClassifier(max_iter=k, **params).fit(X, y)._optimizer.learning_rate
                          for k in range(1, 5)]
    assert ours == pytest.approx(theirs, rel=1e-12)
    assert ours[1] == pytest.approx(0.5 / 151 ** 0.3, rel=1e-12)


def test_invscaling_counts_the_rows_of_every_partial_fit_and_warm_start(iris):
    """Calls of 10, 40 and 40 rows: scikit-learn's rate after them is lr0 / 91 ** p; a
    warm-start refit goes on counting the rows of the first fit."""
    X, y = iris
    params = dict(hidden_layer_sizes=(4,), solver="sgd", learning_rate="invscaling",
                  learning_rate_init=0.1, power_t=0.5, random_state=0)
    ours, theirs = NeuralNetClassifier(**params), MLPClassifier(**params)
    classes = np.unique(y)
    for start, stop in [(0, 10), (10, 50), (50, 90)]:
        ours.partial_fit(X[start:stop], y[start:stop], classes=classes)
        theirs.partial_fit(X[start:stop], y[start:stop], classes=classes)
    assert ours.t_ == theirs.t_ == 90
    assert ours._trainer.schedule.rate(3) == pytest.approx(
        theirs._optimizer.learning_rate, rel=1e-12)
    # warm_start: as scikit-learn, the refit's first epoch runs at learning_rate_init
    # (its optimizer is new), the next ones divide by the rows of both fits.
    params.update(warm_start=True, max_iter=3, tol=0.0, n_iter_no_change=100)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        ours = NeuralNetClassifier(**params).fit(X, y).fit(X, y)
        rates = ours._trainer.history.history["lr"][-3:]
        # scikit-learn's rate after k epochs of the refit: a refit with max_iter=k.
        expected = [MLPClassifier(**params).fit(X, y).set_params(max_iter=k).fit(X, y)
                    ._optimizer.learning_rate for k in (1, 2)]
    assert ours.t_ == 900
    assert rates[0] == 0.1
    assert rates[1:] == pytest.approx(expected, rel=1e-12)


# ====================================================== as scikit-learn's MLP does
def test_fitted_attributes_and_probabilities_as_scikit_learns(iris):
    """n_layers_ and out_activation_ as MLPClassifier has them; float32 probabilities
    that sum to one in float64 (log_loss checks the sums)."""
    from sklearn.metrics import log_loss
    from sklearn.neural_network import MLPClassifier

    X, y = iris
    ours = NeuralNetClassifier((6, 4), max_iter=5, random_state=0, dtype="float32").fit(X, y)
    theirs = MLPClassifier((6, 4), max_iter=5, random_state=0).fit(X, y)
    assert ours.n_layers_ == theirs.n_layers_ == 4
    assert ours.out_activation_ == theirs.out_activation_ == "softmax"
    binary = NeuralNetClassifier((3,), max_iter=2, random_state=0).fit(X, y == 1)
    assert binary.out_activation_ == MLPClassifier((3,), max_iter=2).fit(X, y == 1).out_activation_
    proba = ours.predict_proba(X)
    assert ours.network_.dtype == np.float32 and proba.dtype == np.float64
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=0, atol=1e-12)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        log_loss(y, proba)


def test_refusals_scikit_learn_makes_too(iris):
    X, y = iris
    with pytest.raises(ValueError, match="partial_fit does not support early_stopping=True"):
        NeuralNetClassifier(early_stopping=True).partial_fit(X, y, classes=[0, 1, 2])
    with pytest.raises(ValueError, match="partial_fit does not support early_stopping=True"):
        NeuralNetRegressor(early_stopping=True).partial_fit(X, y.astype(float))
    with pytest.raises(ValueError, match=r"the validation set is too small \(1 row of 10\)"):
        NeuralNetRegressor(early_stopping=True).fit(X[:10], X[:10, 0])


def test_pickles_leave_out_the_optimizers_scratch_buffers(iris):
    """The scratch buffers are parameter-sized and rebuilt on the next step; the
    moments are kept (partial_fit goes on exactly: test_clone_and_pickle)."""
    X, y = iris
    clf = NeuralNetClassifier((50,), max_iter=2, random_state=0).fit(X, y)
    optimizer = pickle.loads(pickle.dumps(clf))._trainer.optimizer
    assert optimizer._delta_buffer is None and optimizer._scratch is None
    assert set(optimizer.state) == {"m", "v"} and optimizer.state["m"].any()


def test_verbose_prints_scikit_learns_lines(iris, capsys):
    from sklearn.neural_network import MLPClassifier

    X, y = iris
    ours = NeuralNetClassifier((5,), max_iter=3, verbose=True, random_state=0).fit(X, y)
    printed = capsys.readouterr().out.splitlines()
    MLPClassifier((5,), max_iter=3, verbose=True, random_state=0).fit(X, y)
    theirs = capsys.readouterr().out.splitlines()
    assert [line.split(" = ")[0] for line in printed] == \
           [line.split(" = ")[0] for line in theirs] == [f"Iteration {i}, loss" for i in (1, 2, 3)]
    assert [float(line.split(" = ")[1]) for line in printed] == \
           pytest.approx(ours.loss_curve_, rel=1e-7)
    NeuralNetClassifier((5,), max_iter=2, verbose=True, early_stopping=True).fit(X, y)
    assert capsys.readouterr().out.count("Validation score: ") == 2
    NeuralNetClassifier((5,), max_iter=2, verbose="progress").fit(X, y)
    assert capsys.readouterr().out == ""  # a progress bar (on a terminal's stderr) instead


def test_lbfgs_out_of_evaluations_warns(iris):
    """max_fun (or max_iter) reached: a ConvergenceWarning with SciPy's reason."""
    X, y = iris
    with pytest.warns(ConvergenceWarning,
                      match=r"lbfgs failed to converge after \d+ iteration\(s\) \(status=1\)"):
        NeuralNetClassifier((5,), solver="lbfgs", max_fun=5, random_state=0).fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        NeuralNetClassifier((5,), solver="lbfgs", tol=1e-2, random_state=0).fit(X, y)


def test_warnings_point_at_the_callers_line(iris):
    """Not at scikit-learn's fit wrapper or lucidnet's internals; one warning per cause."""
    X, y = iris
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        NeuralNetClassifier((3,), max_iter=2, batch_size=500).fit(X, y)
        NeuralNetClassifier((3,), batch_size=500).partial_fit(X, y, classes=[0, 1, 2])
        NeuralNetClassifier((3,), solver="lbfgs", max_fun=3).fit(X, y)
    assert [type(w.message) for w in caught] == [UserWarning, ConvergenceWarning, UserWarning,
                                                 ConvergenceWarning]
    assert {w.filename for w in caught} == {__file__}


@pytest.mark.parametrize("epochs_done", [3, 0])
def test_an_interrupted_fit_keeps_a_consistent_model(iris, monkeypatch, epochs_done):
    """Ctrl-C during fit: as scikit-learn, a warning and the model of the epochs done
    (none: the starting weights, and their loss)."""
    from lucidnet import training

    X, y = iris
    calls = {"n": 0}
    original = training.Trainer._run_epoch

    def interrupted(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == epochs_done + 1:
            raise KeyboardInterrupt
        return original(self, *args, **kwargs)

    monkeypatch.setattr(training.Trainer, "_run_epoch", interrupted)
    with pytest.warns(UserWarning, match="Training interrupted by user"):
        model = NeuralNetClassifier((5,), max_iter=50, random_state=0).fit(X, y)
    assert model.n_iter_ == epochs_done and len(model.loss_curve_) == epochs_done
    if not epochs_done:
        # The loss of the starting weights: log-loss plus alpha/(2m) times ||W||^2.
        assert model.loss_ == pytest.approx(log_loss(y, model.predict_proba(X))
                                            + 0.5e-4 * sum(np.sum(W**2) for W in model.coefs_)
                                            / len(X), rel=1e-12)
    assert model.predict(X).shape == (150,)


def test_a_batch_of_zero_weights_is_skipped(iris):
    # Its rows are dropped rows: no step (not even the L2 decay) is taken for it.
    X, y = iris
    order = np.random.default_rng(0).permutation(len(X))  # every class in every batch
    X, y = X[order], y[order]
    weights = np.ones(len(X))
    weights[:50] = 0.0
    params = dict(hidden_layer_sizes=(5,), solver="sgd", batch_size=50, shuffle=False,
                  alpha=0.5, max_iter=3, random_state=0)
    skipped = NeuralNetClassifier(**params).fit(X, y, sample_weight=weights)
    without = NeuralNetClassifier(**params).fit(X[50:], y[50:])
    np.testing.assert_allclose(skipped.coefs_[0], without.coefs_[0], rtol=0, atol=1e-12)


@pytest.mark.parametrize("solver, learning_rate", [
    ("adam", "constant"), ("sgd", "adaptive"), ("lbfgs", "constant")])
def test_validation_data_is_scored_every_epoch_and_never_steers(iris, solver, learning_rate):
    X, y = iris
    X_fit, X_val, y_fit, y_val = train_test_split(X, y, test_size=0.3, random_state=0,
                                                  stratify=y)
    params = dict(hidden_layer_sizes=(8,), max_iter=15, random_state=0, solver=solver,
                  learning_rate=learning_rate, learning_rate_init=0.2, tol=1e-2,
                  n_iter_no_change=2)
    plain = NeuralNetClassifier(**params).fit(X_fit, y_fit)
    watched = NeuralNetClassifier(**params).fit(X_fit, y_fit, validation_data=(X_val, y_val))
    np.testing.assert_array_equal(watched.loss_curve_, plain.loss_curve_)
    assert watched.best_loss_ == plain.best_loss_ and plain.validation_scores_ is None
    assert len(watched.validation_scores_) == len(watched.loss_curve_)
    # The last epoch's score is the fitted model's, computed by scikit-learn's metric.
    assert watched.validation_scores_[-1] == pytest.approx(
        accuracy_score(y_val, watched.predict(X_val)))

    # A warm-start refit reports its own epochs' scores, the last one the refit model's.
    watched.set_params(warm_start=True, max_iter=5, tol=1e-6)
    watched.fit(X_fit, y_fit, validation_data=(X_val, y_val))
    assert len(watched.validation_scores_) == len(watched.loss_curve_) - len(plain.loss_curve_)
    assert watched.validation_scores_[-1] == pytest.approx(watched.score(X_val, y_val))
    assert watched.best_validation_score_ >= watched.validation_scores_[-1]


def test_validation_data_does_not_steer_the_plateau_schedule():
    """Noisy labels: the validation loss stalls while the training loss still falls, so a
    plateau schedule watching the validation rows would lower the rate sooner."""
    X, y = make_classification(400, 6, random_state=0, flip_y=0.2)
    params = dict(hidden_layer_sizes=(16,), max_iter=60, random_state=0,
                  learning_rate="plateau", schedule_params={"patience": 2},
                  learning_rate_init=0.05, n_iter_no_change=1000)
    plain = NeuralNetClassifier(**params).fit(X[150:], y[150:])
    watched = NeuralNetClassifier(**params).fit(X[150:], y[150:],
                                                validation_data=(X[:150], y[:150]))
    np.testing.assert_array_equal(watched.loss_curve_, plain.loss_curve_)
    assert watched._trainer.history.history["lr"] == plain._trainer.history.history["lr"]


def test_validation_data_with_early_stopping_is_watched(iris):
    X, y = iris
    X_fit, X_val, y_fit, y_val = train_test_split(X, y, test_size=0.3, random_state=0,
                                                  stratify=y)
    # With early stopping the given rows replace the validation_fraction split: the
    # kept (best) weights score the best validation score on them.
    stopped = NeuralNetClassifier(hidden_layer_sizes=(8,), max_iter=300, random_state=0,
                                  early_stopping=True, n_iter_no_change=5)
    stopped.fit(X_fit, y_fit, validation_data=(X_val, y_val))
    assert stopped.n_iter_ < 300
    assert stopped.best_validation_score_ == pytest.approx(stopped.score(X_val, y_val))
    assert len(stopped.loss_curve_) == len(stopped.validation_scores_)
    # L-BFGS never stops early: it keeps its last weights and its best training loss.
    lbfgs = NeuralNetClassifier(hidden_layer_sizes=(8,), max_iter=30, random_state=0,
                                solver="lbfgs", early_stopping=True)
    lbfgs.fit(X_fit, y_fit, validation_data=(X_val, y_val))
    assert lbfgs.best_loss_ == min(lbfgs.loss_curve_)
    assert lbfgs.validation_scores_[-1] == pytest.approx(lbfgs.score(X_val, y_val))


def test_regressor_validation_data_scores_r2():
    X, y = load_diabetes(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    y = (y - y.mean()) / y.std()
    reg = NeuralNetRegressor(hidden_layer_sizes=(16,), max_iter=10, random_state=0)
    reg.fit(X[:300], y[:300], validation_data=(X[300:], y[300:]))
    assert reg.validation_scores_[-1] == pytest.approx(reg.score(X[300:], y[300:]))


def test_bad_validation_data_is_named():
    X, y = load_iris(return_X_y=True)
    clf = NeuralNetClassifier(max_iter=2)
    with pytest.raises(ValueError, match=r"validation_data must be a pair \(X_val, y_val\)"):
        clf.fit(X, y, validation_data=X)
    with pytest.raises(ValueError, match="validation_data: X has 2 features, but"):
        clf.fit(X, y, validation_data=(X[:, :2], y))
    with pytest.raises(ValueError, match=r"validation_data: y holds labels not among the "
                                         r"classes: \[7\]"):
        clf.fit(X, y, validation_data=(X[:5], np.full(5, 7)))
    reg = NeuralNetRegressor(max_iter=2)
    with pytest.raises(ValueError, match=r"validation_data: y has 1 output\(s\); the "
                                         r"training y has 2"):
        reg.fit(X, np.c_[y, y], validation_data=(X, y))


#: A value unlike the default for every setting a solver may ignore.
_OTHER_VALUES = {
    "batch_size": 7, "learning_rate": "invscaling", "learning_rate_init": 0.05,
    "power_t": 0.9, "shuffle": False, "early_stopping": True, "validation_fraction": 0.3,
    "early_stopping_monitor": "loss", "schedule_params": {}, "momentum": 0.5,
    "nesterovs_momentum": False, "max_fun": 2, "beta_1": 0.5, "beta_2": 0.9,
    "epsilon": 1e-3, "weight_decay": 0.5,
}


@pytest.mark.parametrize("params", [
    {"solver": "adam"}, {"solver": "adamw"}, {"solver": "rmsprop"}, {"solver": "lbfgs"},
    {"solver": "sgd"}, {"solver": "sgd", "momentum": 0.0}, {"solver": "gd"},
    {"solver": "momentum"}, {"solver": "nesterov"},
    {"solver": "sgd", "learning_rate": "invscaling"},
])
def test_settings_info_calls_unused_change_nothing_and_the_others_do(params):
    """``lucidnet info``'s 'not used by solver ...' list, checked by training: changing
    a listed setting leaves the fitted weights as they were, changing an optimizer's
    own setting does not."""
    from lucidnet._solver_settings import OPTIMIZER_PARAMS, unused_settings

    X, y = load_iris(return_X_y=True)
    base = NeuralNetRegressor(hidden_layer_sizes=(4,), max_iter=3, random_state=0,
                              dtype="float64", **params)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        weights = base.fit(X, y).network_.params.copy()
        unused = unused_settings(base.get_params())
        assert "weight_decay" in unused or params["solver"] == "adamw"
        for name, value in _OTHER_VALUES.items():
            if name in params:
                continue
            changed = clone(base).set_params(**{name: value}).fit(X, y)
            same = np.array_equal(changed.network_.params, weights)
            if name in unused:
                assert same, f"{name} is called unused by {params} but changes the fit"
            elif name in OPTIMIZER_PARAMS.get(params["solver"], ()):
                assert not same, f"{name} is {params['solver']}'s own, yet changes nothing"
