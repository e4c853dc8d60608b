"""SciPy sparse inputs: the same training and predictions as the dense matrix they hold.

The truth is the dense route (checked elsewhere against central differences and
autodiff): a sparse ``X`` is multiplied as it is (SciPy's sparse products) in the first
layer only, so every fit and prediction must match the dense one on the same seed, up
to the rounding of sums taken in another order.
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.datasets import load_digits, load_linnerud
from sklearn.exceptions import ConvergenceWarning
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder

from lucidnet.estimators import NeuralNetClassifier, NeuralNetRegressor
from lucidnet.network import PREDICT_CHUNK, Network
from lucidnet.training import Trainer

pytestmark = pytest.mark.filterwarnings("ignore", category=ConvergenceWarning)

FORMATS = [sp.csr_matrix, sp.csc_matrix, sp.csr_array, sp.coo_matrix]


def _digits():
    X, y = load_digits(return_X_y=True)
    return X / 16.0, y


def _sparse_data(m: int, n: int, seed: int = 0) -> sp.csr_matrix:
    return sp.random(m, n, density=0.15, format="csr", random_state=seed, dtype=np.float64)


@pytest.mark.parametrize("to_sparse", FORMATS, ids=lambda f: f.__name__)
@pytest.mark.parametrize(
    "settings",
    [
        dict(solver="adam"),
        dict(solver="sgd", momentum=0.9, nesterovs_momentum=True),
        dict(solver="sgd", momentum=0.0, shuffle=False),
        dict(solver="lbfgs"),
        dict(solver="adam", early_stopping=True),
        dict(solver="adam", batch_size=5000),  # one full batch
    ],
    ids=["adam", "nesterov", "sgd-unshuffled", "lbfgs", "early-stopping", "full-batch"],
)
def test_classifier_on_sparse_X_equals_dense(to_sparse, settings):
    X, y = _digits()
    kwargs = dict(hidden_layer_sizes=(32,), max_iter=8, random_state=0, **settings)
    dense = NeuralNetClassifier(**kwargs).fit(X, y)
    sparse = NeuralNetClassifier(**kwargs).fit(to_sparse(X), y)
    np.testing.assert_allclose(sparse.loss_curve_, dense.loss_curve_, rtol=1e-10)
    np.testing.assert_allclose(sparse.predict_proba(to_sparse(X)), dense.predict_proba(X),
                               rtol=0, atol=1e-10)
    np.testing.assert_array_equal(sparse.predict(X), dense.predict(X))
    if settings.get("early_stopping"):
        assert sparse.validation_scores_ == dense.validation_scores_


def test_regressor_partial_fit_and_sample_weight_on_sparse_X():
    X, Y = load_linnerud(return_X_y=True)
    X, Y = np.vstack([X] * 20) / 100.0, np.vstack([Y] * 20) / 100.0
    weights = np.linspace(0.5, 2.0, len(X))
    dense, sparse = (NeuralNetRegressor(hidden_layer_sizes=(16,), random_state=0)
                     for _ in range(2))
    for _ in range(3):
        dense.partial_fit(X, Y)
        sparse.partial_fit(sp.csr_matrix(X), Y)
    np.testing.assert_allclose(sparse.predict(sp.csr_matrix(X)), dense.predict(X), rtol=1e-10)
    dense.fit(X, Y, sample_weight=weights)
    sparse.fit(sp.csc_matrix(X), Y, sample_weight=weights)
    np.testing.assert_allclose(sparse.predict(X), dense.predict(X), rtol=1e-10)
    assert sparse.score(sp.csr_matrix(X), Y) == pytest.approx(dense.score(X, Y), rel=1e-10)


def test_one_hot_pipeline_matches_its_dense_twin():
    # The everyday case: categorical columns one-hot encoded (sparse by default).
    rng = np.random.default_rng(0)
    cats = rng.integers(0, 12, size=(3000, 5))
    y = cats[:, 0] % 3  # a function of one category: learnable from its one-hot columns
    kwargs = dict(hidden_layer_sizes=(24,), max_iter=15, random_state=0)
    sparse = make_pipeline(OneHotEncoder(), NeuralNetClassifier(**kwargs)).fit(cats, y)
    dense = make_pipeline(OneHotEncoder(sparse_output=False),
                          NeuralNetClassifier(**kwargs)).fit(cats, y)
    np.testing.assert_allclose(sparse.predict_proba(cats), dense.predict_proba(cats),
                               rtol=0, atol=1e-10)
    assert sparse.score(cats, y) > 0.9


@pytest.mark.parametrize("batch_size", [64, None], ids=["mini-batch", "full-batch"])
@pytest.mark.parametrize("optimizer", ["adam", "sgd", "lbfgs"])
def test_trainer_fit_evaluate_output_on_sparse_X(optimizer, batch_size):
    # More rows than one prediction chunk, so validation and output run chunked.
    m = PREDICT_CHUNK + 700
    X = _sparse_data(m, 40)
    y = (X[:, 0].toarray().ravel() + X[:, 1].toarray().ravel() > 0.1).astype(float)
    results = []
    for data in (X, X.toarray()):
        network = Network([40, 64, 1], output_activation="sigmoid",
                          loss="binary_cross_entropy", random_state=0)
        trainer = Trainer(network, optimizer=optimizer, batch_size=batch_size,
                          learning_rate=0.05, random_state=0)
        history = trainer.fit(data, y, epochs=3, validation_data=(data, y))
        results.append((history.history, trainer.evaluate(data, y), network.output(data),
                        network.predict(data)))
    (h_s, e_s, out_s, pred_s), (h_d, e_d, out_d, pred_d) = results
    for key in h_d:
        np.testing.assert_allclose(h_s[key], h_d[key], rtol=1e-9)
    assert e_s == pytest.approx(e_d, rel=1e-9)
    np.testing.assert_allclose(out_s, out_d, rtol=0, atol=1e-10)
    np.testing.assert_array_equal(pred_s, pred_d)


def test_duplicate_entries_are_added_and_the_callers_matrix_is_left_alone():
    # COO with repeated (row, column) pairs means their sum, as .toarray() says.
    rows, cols = np.array([0, 0, 1, 2, 2]), np.array([1, 1, 0, 2, 2])
    values = np.array([1.0, 2.0, 3.0, -1.0, 0.5])
    X = sp.coo_matrix((values, (rows, cols)), shape=(3, 3))
    before = (X.row.copy(), X.col.copy(), X.data.copy())
    network = Network([3, 4, 2], output_activation="softmax",
                      loss="categorical_cross_entropy", random_state=0)
    np.testing.assert_allclose(network.output(X), network.output(X.toarray()), rtol=1e-14)
    for kept, now in zip(before, (X.row, X.col, X.data), strict=True):
        np.testing.assert_array_equal(kept, now)


def test_bad_sparse_input_is_named():
    network = Network([3, 4, 1], random_state=0)
    X = sp.csr_matrix(np.array([[0.0, 1.0, 0.0], [2.0, 0.0, 0.0], [0.0, 0.0, 3.0]]))
    X.data[2] = np.nan  # the entry at row 2, column 2
    with pytest.raises(ValueError, match=r"X must be finite; X\[2, 2\] is nan"):
        network.output(X)
    with pytest.raises(ValueError, match=r"X must have 3 columns .* got shape \(2, 5\)"):
        network.output(sp.csr_matrix((2, 5)))
    with pytest.raises(ValueError, match="X must be a 2-D array"):
        network.output(sp.coo_array(np.ones(3)))
    with pytest.raises(ValueError, match=r"X must be finite; X\[2, 2\]"):
        Trainer(network, random_state=0).fit(X, np.ones(3), epochs=1)


def test_wide_sparse_X_is_never_made_dense(monkeypatch):
    # 20,000 columns of word-count-like data: a dense batch of it would be 32 MB, the
    # whole matrix 320 MB.  Making it dense is refused here, so every product must run
    # on the stored entries.
    m, n = 2000, 20_000
    X = sp.random(m, n, density=20 / n, format="csr", random_state=1, dtype=np.float64)
    counts = np.asarray(X[:, : n // 2].sum(axis=1)).ravel()
    y = (counts > np.median(counts)).astype(int)
    for cls in (sp.csr_matrix, sp.csc_matrix):
        for method in ("toarray", "todense"):
            original = getattr(cls, method)

            def guarded(self, *args, _original=original, **kwargs):
                # (other sparse matrices, such as scikit-learn's label encodings, may)
                if n in self.shape:
                    raise AssertionError("a sparse X was made dense")
                return _original(self, *args, **kwargs)

            monkeypatch.setattr(cls, method, guarded)
    for solver in ("adam", "lbfgs"):
        model = NeuralNetClassifier(hidden_layer_sizes=(16,), solver=solver, max_iter=3,
                                    early_stopping=solver == "adam", random_state=0)
        model.fit(X, y)
        assert model.predict_proba(X).shape == (m, 2)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_sparse_gradients_equal_the_dense_ones(dtype, rng):
    # The dense gradients are checked against central differences elsewhere.
    X = _sparse_data(30, 12).astype(dtype)
    Y = np.eye(3, dtype=dtype)[rng.integers(0, 3, 30)]
    network = Network([12, 7, 3], output_activation="softmax",
                      loss="categorical_cross_entropy", dtype=dtype, random_state=0)
    for layer in network.layers:
        layer.b[...] = rng.normal(scale=0.3, size=layer.b.shape)
    costs, grads = [], []
    for data in (X, X.toarray()):
        costs.append(network.loss_and_gradient(data, Y, l2=0.3))
        grads.append(network.grads.copy())
    assert costs[0] == pytest.approx(costs[1], rel=1e-6)
    np.testing.assert_allclose(grads[0], grads[1], rtol=1e-5 if dtype == np.float32 else 1e-12,
                               atol=1e-7 if dtype == np.float32 else 1e-15)
