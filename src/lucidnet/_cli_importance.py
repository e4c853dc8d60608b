"""``lucidnet evaluate --importance``: how much each of DATA's columns matters to a
model, by permutation (Breiman, 2001): the score's drop when one column's values are
shuffled among the rows, which breaks its link to the target and keeps everything
else.  scikit-learn's ``permutation_importance`` does the shuffling; the score is the
headline of ``evaluate``'s metrics (accuracy, subset accuracy for multilabel, R^2 for
regression), on the columns as DATA holds them (a text column is shuffled whole, not
one one-hot input at a time).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

__all__ = ["HEADLINE", "permutation_importances"]

#: The metric each task's importance is the drop of.
HEADLINE = {"binary": "accuracy", "multiclass": "accuracy", "multilabel": "subset_accuracy",
            "regression": "r2"}


def permutation_importances(bundle: Any, X: np.ndarray, y: np.ndarray, names: Sequence[str],
                            *, source: str, header: bool | None, repeats: int, seed: int
                            ) -> dict[str, Any]:
    """``{"metric": name, "repeats": n, "columns": {column: {"mean", "std"}}}`` for the
    columns ``names`` of ``X`` (n_samples, len(names)), the largest drop first.

    ``bundle`` scores as ``lucidnet evaluate`` does (``source`` and ``header`` place a
    bad target cell); ``repeats`` shuffles per column, drawn from ``seed``."""
    from sklearn.inspection import permutation_importance

    metric = HEADLINE[bundle.task]

    def score(_: Any, X_part: np.ndarray, y_part: np.ndarray) -> float:
        return float(bundle.evaluate(X_part, y_part, source=source, header=header)[metric])

    found = permutation_importance(_Scored(), X, y, scoring=score, n_repeats=repeats,
                                   random_state=seed)
    order = np.argsort(-found.importances_mean, kind="stable")
    return {"metric": metric, "repeats": repeats,
            "columns": {str(names[j]): {"mean": float(found.importances_mean[j]),
                                        "std": float(found.importances_std[j])}
                        for j in order}}


class _Scored:
    """What ``permutation_importance`` takes for an estimator (an object with ``fit``)
    when the scoring is given: the loaded model is scored, never fitted again."""

    def fit(self, X: Any, y: Any) -> _Scored:
        raise NotImplementedError("a loaded model is scored, not fitted")
