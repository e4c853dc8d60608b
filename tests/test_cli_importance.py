"""``lucidnet evaluate --importance``: permutation importance of DATA's columns.

The truth is scikit-learn's ``permutation_importance`` run on the model as
``lucidnet.load`` gives it (a scikit-learn pipeline, the one-hot encoding included),
on the same table as a pandas DataFrame, with the same seed and repeats: every
column's mean and standard deviation must agree, a text column shuffled whole.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from test_cli import assert_usage_error, run


def _table(path: Path, regression: bool = False) -> None:
    """300 rows: two numbers and a city, the label depending most on x1, then the city,
    a little on x2."""
    import pandas as pd

    rng = np.random.default_rng(0)
    n = 300
    city = rng.choice(["Oslo", "Rome", "Lima"], n)
    x1, x2 = rng.normal(size=n), rng.normal(size=n)
    signal = x1 + 1.5 * (city == "Rome") + 0.3 * x2
    label = signal + 0.1 * rng.normal(size=n) if regression else np.where(signal > 0.5,
                                                                         "yes", "no")
    pd.DataFrame({"x1": x1, "city": city, "x2": x2, "label": label}).to_csv(path, index=False)


@pytest.mark.parametrize("regression", [False, True])
def test_importance_is_scikit_learns_permutation_importance(tmp_path: Path,
                                                            regression: bool) -> None:
    import pandas as pd
    from sklearn.inspection import permutation_importance

    import lucidnet

    data, model = tmp_path / "t.csv", tmp_path / "t.npz"
    _table(data, regression)
    run("train", str(data), "--target", "label", "--epochs", "30", "--out", str(model), "-q")
    report = json.loads(run("evaluate", str(model), str(data), "--importance", "--repeats",
                            "3", "--seed", "7", "--json").stdout)["importance"]
    table = pd.read_csv(data)
    X, y = table.drop(columns="label"), table["label"]
    expected = permutation_importance(lucidnet.load(model), X, y, n_repeats=3, random_state=7,
                                      scoring="r2" if regression else "accuracy")
    assert report["metric"] == ("r2" if regression else "accuracy") and report["repeats"] == 3
    columns = report["columns"]
    assert list(columns) == [X.columns[j] for j in np.argsort(-expected.importances_mean,
                                                              kind="stable")]
    for j, name in enumerate(X.columns):
        assert columns[name]["mean"] == pytest.approx(expected.importances_mean[j], abs=1e-12)
        assert columns[name]["std"] == pytest.approx(expected.importances_std[j], abs=1e-12)
    assert list(columns)[0] == "x1" and list(columns)[-1] == "x2"  # as the label was made

    shown = run("evaluate", str(model), str(data), "--importance").stdout
    assert "permutation importance" in shown and "city" in shown.split("permutation")[1]


def test_importance_settings_without_importance_are_refused(tmp_path: Path) -> None:
    data, model = tmp_path / "t.csv", tmp_path / "t.npz"
    _table(data)
    run("train", str(data), "--target", "label", "--epochs", "2", "--out", str(model), "-q")
    assert_usage_error(run("evaluate", str(model), str(data), "--seed", "3", expect=None),
                       "--seed", "--importance")
