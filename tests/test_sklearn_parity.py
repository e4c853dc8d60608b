"""The estimators against scikit-learn's own MLPClassifier / MLPRegressor, fit for fit.

With the same int ``random_state`` and settings, lucidnet draws the same initial
weights, the same validation split and the same row order each epoch as scikit-learn
(in float64, its default), and its steps are the same algebra: so the fitted
parameters, loss curves, validation scores and stopping epochs must agree with
scikit-learn's to rounding.  The truth is scikit-learn's code, run here side by side.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from sklearn.datasets import (
    load_breast_cancer,
    load_diabetes,
    load_digits,
    load_iris,
    load_linnerud,
    load_wine,
)
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier as SklearnClassifier
from sklearn.neural_network import MLPRegressor as SklearnRegressor
from sklearn.preprocessing import StandardScaler

from lucidnet import MLPClassifier, MLPRegressor

pytestmark = pytest.mark.filterwarnings("ignore", category=ConvergenceWarning)


def _scaled(loader):
    X, y = loader(return_X_y=True)
    return StandardScaler().fit_transform(X), y


def _assert_same_fit(ours, theirs, *, atol=1e-12):
    assert ours.n_iter_ == theirs.n_iter_
    for mine, reference in zip(ours.coefs_ + ours.intercepts_,
                               theirs.coefs_ + theirs.intercepts_, strict=True):
        assert mine.dtype == reference.dtype
        np.testing.assert_allclose(mine, reference, rtol=0, atol=atol)
    if hasattr(theirs, "loss_curve_"):
        np.testing.assert_allclose(ours.loss_curve_, theirs.loss_curve_, rtol=1e-12)
    if getattr(theirs, "validation_scores_", None) is not None:
        np.testing.assert_allclose(ours.validation_scores_, theirs.validation_scores_)
        assert ours.best_validation_score_ == pytest.approx(theirs.best_validation_score_)


SETTINGS = {
    "defaults": {},
    "sgd-nesterov": dict(solver="sgd", learning_rate_init=0.01),
    "sgd-momentum": dict(solver="sgd", nesterovs_momentum=False),
    "sgd-plain-invscaling": dict(solver="sgd", momentum=0.0, learning_rate="invscaling",
                                 learning_rate_init=0.05),
    "sgd-adaptive": dict(solver="sgd", learning_rate="adaptive", max_iter=150),
    "early-stopping": dict(early_stopping=True, max_iter=200),
    "logistic-small-batches": dict(activation="logistic", batch_size=32, alpha=1e-2),
    "tanh-unshuffled": dict(activation="tanh", shuffle=False),
    # A tol no epoch improves by: without n_iter_no_change=inf it would stop at once.
    "never-stops": dict(solver="sgd", learning_rate="adaptive", tol=0.5,
                        n_iter_no_change=np.inf),
}


@pytest.mark.parametrize("settings", SETTINGS.values(), ids=SETTINGS)
@pytest.mark.parametrize("loader", [load_iris, load_breast_cancer],
                         ids=["iris-3-classes", "cancer-2-classes"])
def test_classifier_fits_as_scikit_learns(loader, settings):
    X, y = _scaled(loader)
    params = dict(hidden_layer_sizes=(16, 8), max_iter=40, random_state=1) | settings
    ours = MLPClassifier(**params).fit(X, y)
    theirs = SklearnClassifier(**params).fit(X, y)
    _assert_same_fit(ours, theirs)
    np.testing.assert_allclose(ours.predict_proba(X), theirs.predict_proba(X),
                               rtol=0, atol=1e-12)


@pytest.mark.parametrize("settings", SETTINGS.values(), ids=SETTINGS)
def test_regressor_fits_as_scikit_learns(settings):
    X, y = _scaled(load_diabetes)
    y = (y - y.mean()) / y.std()
    params = dict(hidden_layer_sizes=(16, 8), max_iter=40, random_state=2) | settings
    ours = MLPRegressor(**params).fit(X, y)
    theirs = SklearnRegressor(**params).fit(X, y)
    _assert_same_fit(ours, theirs)
    np.testing.assert_allclose(ours.predict(X), theirs.predict(X), rtol=0, atol=1e-12)


def test_lbfgs_fits_as_scikit_learns():
    # Full batch through SciPy's L-BFGS-B in both: the same iterates to rounding.
    X, y = _scaled(load_iris)
    params = dict(hidden_layer_sizes=(10,), solver="lbfgs", max_iter=60, random_state=0)
    ours = MLPClassifier(**params).fit(X, y)
    theirs = SklearnClassifier(**params).fit(X, y)
    assert ours.n_iter_ == theirs.n_iter_
    # 60 quasi-Newton iterations amplify last-digit differences of the gradients.
    for mine, reference in zip(ours.coefs_, theirs.coefs_, strict=True):
        np.testing.assert_allclose(mine, reference, rtol=0, atol=1e-6)


@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
def test_lbfgs_that_starts_converged_reports_as_scikit_learns(weighted):
    """A tol the start already meets: no iteration, the starting loss, no rows seen."""
    X, y = _scaled(load_iris)
    weights = np.linspace(0.5, 2.0, len(y)) if weighted else None
    params = dict(hidden_layer_sizes=(10,), solver="lbfgs", tol=1e9, random_state=0)
    ours = MLPClassifier(**params).fit(X, y, sample_weight=weights)
    theirs = SklearnClassifier(**params).fit(X, y, sample_weight=weights)
    assert ours.n_iter_ == theirs.n_iter_ == 0 and ours.t_ == theirs.t_ == 0
    assert ours.loss_ == pytest.approx(theirs.loss_, rel=1e-12)
    _assert_same_fit(ours, theirs)


def test_lbfgs_after_sgd_counts_rows_as_scikit_learns():
    X, y = _scaled(load_iris)
    params = dict(hidden_layer_sizes=(10,), solver="sgd", max_iter=3, warm_start=True,
                  random_state=0)
    ours, theirs = MLPClassifier(**params).fit(X, y), SklearnClassifier(**params).fit(X, y)
    for model in (ours, theirs):
        model.set_params(solver="lbfgs", max_iter=5).fit(X, y)
    assert ours.t_ == theirs.t_ == 3 * len(X)
    assert ours.n_iter_ == theirs.n_iter_


@pytest.mark.parametrize("loader", [load_iris, load_wine, load_breast_cancer],
                         ids=["iris", "wine", "cancer"])
def test_default_fit_stops_on_tol_where_scikit_learns_does(loader):
    # scikit-learn's defaults everything (adam, 100 ReLU units, batch 200, tol 1e-4,
    # n_iter_no_change 10), run to convergence: the same stopping epoch, the same model.
    X, y = _scaled(loader)
    ours = MLPClassifier(random_state=0, max_iter=1000).fit(X, y)
    theirs = SklearnClassifier(random_state=0, max_iter=1000).fit(X, y)
    assert ours.n_iter_ == theirs.n_iter_ < 1000
    _assert_same_fit(ours, theirs, atol=1e-11)


def test_partial_fit_and_warm_start_as_scikit_learns():
    X, y = _scaled(load_iris)
    ours, theirs = MLPClassifier(random_state=3), SklearnClassifier(random_state=3)
    for start in (0, 50, 100, 0):
        rows = slice(start, start + 75)
        ours.partial_fit(X[rows], y[rows], classes=[0, 1, 2])
        theirs.partial_fit(X[rows], y[rows], classes=[0, 1, 2])
    _assert_same_fit(ours, theirs)
    params = dict(max_iter=10, warm_start=True, random_state=4)
    ours, theirs = MLPClassifier(**params), SklearnClassifier(**params)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        for _ in range(3):
            ours.fit(X, y)
            theirs.fit(X, y)
    np.testing.assert_allclose(ours.loss_curve_, theirs.loss_curve_, rtol=1e-12)
    for mine, reference in zip(ours.coefs_, theirs.coefs_, strict=True):
        np.testing.assert_allclose(mine, reference, rtol=0, atol=1e-12)


def test_a_warm_refit_takes_a_new_activation_as_scikit_learns(tmp_path):
    # scikit-learn's forward pass reads `activation` at every call: a warm refit after
    # set_params(activation=...) trains the same weights through the new activation.
    X, y = _scaled(load_iris)
    ours = MLPClassifier(hidden_layer_sizes=(6,), max_iter=30, random_state=0, warm_start=True)
    theirs = SklearnClassifier(hidden_layer_sizes=(6,), max_iter=30, random_state=0,
                               warm_start=True)
    for model in (ours, theirs):
        model.fit(X, y)
        model.set_params(activation="logistic", max_iter=60).fit(X, y)
    _assert_same_fit(ours, theirs, atol=1e-10)
    # The same from a model file, whose network was built before this process.
    import lucidnet

    again = MLPClassifier(hidden_layer_sizes=(6,), max_iter=30, random_state=0,
                          warm_start=True).fit(X, y)
    lucidnet.save(again, tmp_path / "m.npz")
    loaded = lucidnet.load(tmp_path / "m.npz")
    loaded.set_params(activation="logistic", max_iter=60).fit(X, y)
    _assert_same_fit(loaded, theirs, atol=1e-10)
    # Sizes it cannot continue are refused by name (scikit-learn fails on an attribute).
    with pytest.raises(ValueError, match=r"hidden_layer_sizes \(6,\) -> \(4, 3\); a "
                                         r"warm-start fit continues that network"):
        ours.set_params(hidden_layer_sizes=(4, 3)).fit(X, y)
    with pytest.raises(ValueError, match=r"dropout \[0.0\] -> 0.5; partial_fit continues"):
        ours.set_params(hidden_layer_sizes=(6,), dropout=0.5).partial_fit(X, y)
    ours.set_params(dropout=0.0)
    with pytest.raises(ValueError, match="'activation' parameter"):
        ours.set_params(hidden_layer_sizes=(6,), activation="foo").fit(X, y)


def test_partial_fit_after_an_lbfgs_fit_takes_the_new_solvers_steps():
    # scikit-learn fails here (no loss_curve_); lucidnet goes on from the L-BFGS weights
    # with the solver now set (it used to say partial_fit needs a step-wise optimizer).
    X, y = _scaled(load_iris)
    model = MLPClassifier(hidden_layer_sizes=(6,), solver="lbfgs", random_state=0).fit(X, y)
    before = [W.copy() for W in model.coefs_]
    model.set_params(solver="adam", batch_size=50).partial_fit(X, y)
    assert model._trainer.optimizer.name == "adam"
    assert model._trainer.optimizer.t == 3  # 150 rows in batches of 50
    assert all(not np.array_equal(W, old) for W, old in zip(model.coefs_, before, strict=True))


def test_warm_start_refits_carry_the_stopping_state_as_scikit_learns():
    # scikit-learn keeps the count of epochs without improvement, the best loss or score
    # and the validation scores across warm-start fits: a refit of a converged model
    # stops after one epoch, and early stopping's scores accumulate.
    X, y = _scaled(load_breast_cancer)
    for params in (dict(max_iter=1000), dict(early_stopping=True, max_iter=100),
                   dict(solver="sgd", learning_rate="adaptive", learning_rate_init=0.1,
                        n_iter_no_change=3, max_iter=400)):
        ours = MLPClassifier(random_state=0, warm_start=True, **params)
        theirs = SklearnClassifier(random_state=0, warm_start=True, **params)
        for _ in range(3):
            ours.fit(X, y)
            theirs.fit(X, y)
            assert ours.n_iter_ == theirs.n_iter_
            assert len(ours.loss_curve_) == len(theirs.loss_curve_)
            if theirs.validation_scores_ is not None:
                np.testing.assert_allclose(ours.validation_scores_, theirs.validation_scores_)
                assert ours.best_validation_score_ == pytest.approx(
                    theirs.best_validation_score_)
        if params.get("early_stopping"):
            # Not the weights: scikit-learn's restored best weights are the very arrays
            # its next fit trains on, so after a refit without a better score it keeps
            # that refit's last weights, where lucidnet keeps the best ones it reports.
            continue
        for mine, reference in zip(ours.coefs_, theirs.coefs_, strict=True):
            np.testing.assert_allclose(mine, reference, rtol=0, atol=1e-12)
    converged = MLPClassifier(random_state=0, warm_start=True, max_iter=1000).fit(X, y)
    assert converged.fit(X, y).n_iter_ == 1  # a refit of a converged model stops at once


def test_assigning_coefs_and_intercepts_changes_the_model_as_scikit_learns():
    X, y = _scaled(load_iris)
    ours = MLPClassifier(hidden_layer_sizes=(5,), max_iter=3, random_state=0).fit(X, y)
    theirs = SklearnClassifier(hidden_layer_sizes=(5,), max_iter=3, random_state=0).fit(X, y)
    rng = np.random.default_rng(0)
    new_output_weights = rng.standard_normal((5, 3))
    ours.coefs_[1] = new_output_weights  # an item
    theirs.coefs_[1] = new_output_weights
    new_biases = [rng.standard_normal(5), rng.standard_normal(3)]
    ours.intercepts_ = new_biases  # the whole list
    theirs.intercepts_ = new_biases
    np.testing.assert_allclose(ours.predict_proba(X), theirs.predict_proba(X),
                               rtol=0, atol=1e-12)
    with pytest.raises(ValueError, match=r"coefs_\[0\] must have shape \(4, 5\)"):
        ours.coefs_[0] = np.zeros((5, 4))
    with pytest.raises(ValueError, match="a list of 2 arrays"):
        ours.coefs_ = [np.zeros((4, 5))]


@pytest.mark.filterwarnings("always", category=ConvergenceWarning)
@pytest.mark.parametrize("params", [dict(max_iter=3), dict(solver="lbfgs", max_iter=3),
                                    dict(solver="lbfgs", max_fun=4)],
                         ids=["stochastic", "lbfgs-max_iter", "lbfgs-max_fun"])
def test_convergence_warnings_read_as_scikit_learns(params):
    # Code written for scikit-learn filters these by their text.
    X, y = _scaled(load_iris)
    texts = []
    for estimator in (MLPClassifier(random_state=0, **params),
                      SklearnClassifier(random_state=0, **params)):
        with pytest.warns(ConvergenceWarning) as caught:
            estimator.fit(X, y)
        texts.append(str(caught[0].message))
    ours, theirs = texts
    assert ours == theirs


@pytest.mark.parametrize("params", [
    dict(max_iter=300),
    dict(early_stopping=True),
    dict(solver="sgd", learning_rate="adaptive", learning_rate_init=0.1, max_iter=400),
], ids=["tol-stop", "early-stopping", "adaptive-rate"])
def test_verbose_output_is_scikit_learns_line_for_line(params, capsys):
    X, y = _scaled(load_breast_cancer)
    SklearnClassifier(random_state=0, verbose=True, **params).fit(X, y)
    theirs = capsys.readouterr().out
    MLPClassifier(random_state=0, verbose=True, **params).fit(X, y)
    ours = capsys.readouterr().out
    assert "consecutive epochs" in theirs  # each stops (or lowers the rate) on a plateau
    assert ours == theirs


@pytest.mark.parametrize("calls", [
    lambda model, X, y: model.partial_fit(X, y, classes=[0, 1]).partial_fit(X, y),
    lambda model, X, y: model.set_params(solver="lbfgs", max_iter=5).fit(X, y),
], ids=["partial_fit", "lbfgs"])
def test_verbose_output_of_partial_fit_and_lbfgs_is_scikit_learns(calls, capsys):
    X, y = _scaled(load_breast_cancer)
    calls(SklearnClassifier(random_state=0, verbose=True), X, y)
    theirs = capsys.readouterr().out
    calls(MLPClassifier(random_state=0, verbose=True), X, y)
    assert capsys.readouterr().out == theirs


@pytest.mark.parametrize("n_targets", [1, 2])
@pytest.mark.parametrize("solver", ["adam", "lbfgs"])
def test_poisson_regression_fits_as_scikit_learns(solver, n_targets):
    # Counts with a log-linear mean; half the Poisson deviance through an exp output.
    rng = np.random.default_rng(0)
    X = rng.standard_normal((400, 5))
    offsets = np.array([0.0, 0.7])[:n_targets]  # one column of means per target
    mean = np.exp(0.5 * X[:, :1] - 0.3 * X[:, 1:2] + offsets)
    y = rng.poisson(mean).astype(float)
    y = y.ravel() if n_targets == 1 else y
    params = dict(loss="poisson", hidden_layer_sizes=(12,), solver=solver, max_iter=30,
                  random_state=0)
    ours = MLPRegressor(**params).fit(X, y)
    theirs = SklearnRegressor(**params).fit(X, y)
    assert ours.out_activation_ == theirs.out_activation_ == "exp"
    atol = 1e-12 if solver == "adam" else 1e-8  # L-BFGS amplifies the last digits
    for mine, reference in zip(ours.coefs_, theirs.coefs_, strict=True):
        np.testing.assert_allclose(mine, reference, rtol=0, atol=atol)
    assert ours.loss_ == pytest.approx(theirs.loss_, rel=1e-9)
    np.testing.assert_allclose(ours.predict(X), theirs.predict(X), rtol=1e-8)
    with pytest.raises(ValueError, match=r"needs targets y >= 0 .* y\[0\]"):
        MLPRegressor(loss="poisson").fit(X, -np.ones(len(X)))


def test_a_random_state_instance_is_drawn_from_as_scikit_learn_draws_from_it():
    # iris fits in one batch of 200: scikit-learn still shuffles it each epoch, so a
    # shared RandomState instance must advance the same way for the second fit.
    X, y = _scaled(load_iris)
    ours = MLPClassifier(random_state=np.random.RandomState(0), max_iter=30,
                         early_stopping=True)
    theirs = SklearnClassifier(random_state=np.random.RandomState(0), max_iter=30,
                               early_stopping=True)
    for _ in range(2):
        ours.fit(X, y)
        theirs.fit(X, y)
        _assert_same_fit(ours, theirs)


def test_partial_fit_then_warm_start_and_a_model_file_keep_the_stopping_state(tmp_path):
    import lucidnet

    X, y = _scaled(load_breast_cancer)
    params = dict(random_state=0, warm_start=True, max_iter=1000)
    ours, theirs = MLPClassifier(**params).fit(X, y), SklearnClassifier(**params).fit(X, y)
    for _ in range(15):
        ours.partial_fit(X, y)
        theirs.partial_fit(X, y)
    ours.fit(X, y)
    theirs.fit(X, y)
    assert ours.n_iter_ == theirs.n_iter_
    # Through a model file, a warm-start refit goes on as the model in memory does.
    for extra in (dict(), dict(early_stopping=True, max_iter=100)):
        model = MLPClassifier(**(params | extra)).fit(X, y)
        lucidnet.save(model, tmp_path / "model.npz")
        loaded = lucidnet.load(tmp_path / "model.npz")
        model.fit(X, y)
        loaded.fit(X, y)
        assert loaded.n_iter_ == model.n_iter_
        np.testing.assert_array_equal(loaded.coefs_[0], model.coefs_[0])
        assert loaded.validation_scores_ == model.validation_scores_


@pytest.mark.parametrize("params", [dict(), dict(solver="sgd", batch_size=64, alpha=1.0),
                                    dict(solver="lbfgs"), dict(early_stopping=True)],
                         ids=["adam", "sgd-small-batches", "lbfgs", "early-stopping"])
def test_sample_weights_weigh_as_scikit_learns(params):
    # scikit-learn divides each batch's weighted loss and penalty by the batch's weight
    # sum; so does the trainer with weight_sums.
    X, y = _scaled(load_breast_cancer)
    weights = np.linspace(0.5, 2.0, len(X))
    ours = MLPClassifier(random_state=0, max_iter=30, **params).fit(X, y,
                                                                    sample_weight=weights)
    theirs = SklearnClassifier(random_state=0, max_iter=30, **params).fit(
        X, y, sample_weight=weights)
    atol = 1e-9 if params.get("solver") == "lbfgs" else 1e-12
    for mine, reference in zip(ours.coefs_, theirs.coefs_, strict=True):
        np.testing.assert_allclose(mine, reference, rtol=0, atol=atol)
    if hasattr(theirs, "loss_curve_"):
        np.testing.assert_allclose(ours.loss_curve_, theirs.loss_curve_, rtol=1e-12)


@pytest.mark.parametrize("params", [dict(max_iter=2000), dict(solver="lbfgs", max_iter=20),
                                    dict(solver="sgd", alpha=0.1, max_iter=300)],
                         ids=["adam-to-tol", "lbfgs", "sgd"])
def test_several_targets_report_and_stop_as_scikit_learns(params):
    # scikit-learn's loss_ for k targets is the squared error averaged over them (its
    # steps follow their sum): the same loss_curve_, the same stopping epoch, and the
    # same L-BFGS objective.
    X, Y = load_linnerud(return_X_y=True)
    X, Y = StandardScaler().fit_transform(X), StandardScaler().fit_transform(Y)
    ours = MLPRegressor(random_state=0, **params).fit(X, Y)
    theirs = SklearnRegressor(random_state=0, **params).fit(X, Y)
    _assert_same_fit(ours, theirs, atol=1e-10)
    assert ours.loss_ == pytest.approx(theirs.loss_, rel=1e-10)
    assert type(ours.network_.loss).__name__ == "SquaredError"  # the network's own again


def test_invscaling_restarts_each_fit_at_the_initial_rate_as_scikit_learns():
    # scikit-learn's optimizer is made afresh by each (warm-start) fit: its first epoch
    # runs at learning_rate_init, later ones at init / (t_ + 1) ** power_t.
    X, y = _scaled(load_iris)
    params = dict(hidden_layer_sizes=(8,), random_state=0, max_iter=3, solver="sgd",
                  learning_rate="invscaling", learning_rate_init=0.1, momentum=0.0,
                  warm_start=True)
    ours, theirs = MLPClassifier(**params), SklearnClassifier(**params)
    for model in (ours, theirs):
        model.partial_fit(X, y, classes=[0, 1, 2])
        model.fit(X, y)
        model.fit(X, y)
        model.partial_fit(X, y)
    _assert_same_fit(ours, theirs)


@pytest.mark.parametrize("n_class", [2, 10])
def test_saturated_probabilities_cost_as_scikit_learns(n_class):
    # Unscaled pixels and a large rate: probabilities reach 0 and 1, where scikit-learn's
    # log-loss clips them to [eps, 1 - eps]; the reported losses must be its own.
    X, y = load_digits(n_class=n_class, return_X_y=True)
    params = dict(hidden_layer_sizes=(10,), random_state=4, solver="sgd",
                  learning_rate_init=0.1, max_iter=3)
    ours = MLPClassifier(**params).fit(X, y)
    theirs = SklearnClassifier(**params).fit(X, y)
    np.testing.assert_allclose(ours.loss_curve_, theirs.loss_curve_, rtol=1e-9)
