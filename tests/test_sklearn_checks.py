"""scikit-learn's own estimator checks, run on both estimators.

``parametrize_with_checks`` is scikit-learn's compatibility suite (cloning, pickling,
input validation, fitted attributes, sample weights, dtypes, error messages, ...):
the truth here is scikit-learn's, not ours.  The networks are kept small and
``max_iter`` low so the whole suite runs in well under two minutes on two cores.
"""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils.estimator_checks import (
    check_sample_weight_equivalence_on_dense_data,
    check_sample_weight_equivalence_on_sparse_data,
    parametrize_with_checks,
)

from lucidnet.estimators import NeuralNetClassifier, NeuralNetRegressor

# Mini-batch Adam: the defaults as they are, and with a small network and few epochs
# in each dtype.
_SMALL = dict(hidden_layer_sizes=(8,), max_iter=60, learning_rate_init=0.05, random_state=0)
ESTIMATORS = [
    NeuralNetClassifier(),
    NeuralNetRegressor(),
    NeuralNetClassifier(**_SMALL),
    NeuralNetRegressor(**_SMALL),
    NeuralNetClassifier(**_SMALL, dtype="float32"),
    NeuralNetRegressor(**_SMALL, dtype="float32"),
]

_FLOAT32_WEIGHTS = (
    "float32: the repeated rows' and the weighted rows' sums round differently, by more "
    "than the check's float64 tolerance (in float64 both checks pass)"
)


_FLOAT32_ROWS = (
    "float32: on some machines BLAS rounds a row's products differently in a matrix of "
    "another number of rows, by up to float32's precision, over the check's 1e-7 "
    "(test_float32_outputs_of_a_row_do_not_depend_on_the_others checks the outputs at "
    "float32's precision)"
)


def _expected_failed_checks(estimator) -> dict[str, str]:
    if estimator.dtype != "float32":
        return {}
    return {"check_sample_weight_equivalence_on_dense_data": _FLOAT32_WEIGHTS,
            "check_sample_weight_equivalence_on_sparse_data": _FLOAT32_WEIGHTS,
            "check_methods_subset_invariance": _FLOAT32_ROWS,
            "check_methods_sample_order_invariance": _FLOAT32_ROWS}


# Short training runs stop at max_iter on purpose; that warning is not a failure here.
@pytest.mark.filterwarnings("ignore", category=ConvergenceWarning)
@parametrize_with_checks(ESTIMATORS, expected_failed_checks=_expected_failed_checks)
def test_sklearn_compatible(estimator, check):
    check(estimator)


_LBFGS = dict(hidden_layer_sizes=(8,), solver="lbfgs", dtype="float64", max_iter=300,
              tol=1e-10, random_state=0)


@pytest.mark.filterwarnings("ignore", category=ConvergenceWarning)
@pytest.mark.parametrize(
    "estimator",
    [
        pytest.param(
            NeuralNetClassifier(**_LBFGS),
            # 30 features for 15 rows: the classes separate, the loss has a flat valley
            # towards 0, and the two fits (rows repeated, or weighted) stop on SciPy's
            # relative-decrease test at points whose probabilities differ by 1e-6, over
            # the check's 1e-7.  scikit-learn's own MLPClassifier fails it here too
            # (solver="lbfgs", tol=1e-10, random_state 0 to 7); it passed with He weights.
            marks=pytest.mark.xfail(reason="L-BFGS stops 1e-6 apart, as scikit-learn's"),
        ),
        NeuralNetRegressor(**_LBFGS),
    ],
    ids=lambda est: type(est).__name__,
)
@pytest.mark.parametrize(
    "check",
    [check_sample_weight_equivalence_on_dense_data,
     check_sample_weight_equivalence_on_sparse_data],
    ids=["dense", "sparse"],
)
def test_sample_weight_equivalence_with_lbfgs(estimator, check):
    # Full-batch L-BFGS in float64, converged: an integer weight is the row repeated,
    # a zero weight the row dropped, to scikit-learn's tolerance.
    check(type(estimator).__name__, estimator)


@pytest.mark.filterwarnings("ignore", category=ConvergenceWarning)
@pytest.mark.parametrize("estimator", [NeuralNetClassifier(**_SMALL, dtype="float32"),
                                       NeuralNetRegressor(**_SMALL, dtype="float32")],
                         ids=lambda est: type(est).__name__)
def test_float32_outputs_of_a_row_do_not_depend_on_the_others(estimator):
    """scikit-learn's subset and row-order invariance checks, at float32's precision:
    each method gives a row the same output in a batch of 1, in a subset, reversed."""
    rng = np.random.default_rng(0)
    X = 3 * rng.uniform(size=(200, 5))
    y = (X[:, 0] > 1.5).astype(int) if isinstance(estimator, NeuralNetClassifier) else X[:, 0]
    estimator.fit(X, y)
    methods = ["predict", "predict_proba"] if hasattr(estimator, "predict_proba") else [
        "predict"]
    for name in methods:
        method = getattr(estimator, name)
        whole = method(X)
        np.testing.assert_allclose(method(X[::-1])[::-1], whole, rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(np.concatenate([method(X[i:i + 1]) for i in range(0, 200, 9)]),
                                   whole[::9], rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(method(X[50:110]), whole[50:110], rtol=1e-5, atol=1e-6)
