"""``train --target A,B,C`` on 0/1 label columns: one multilabel classifier.

Truths not written here: scikit-learn's ``MLPClassifier`` fitted on the same indicator
matrix (the same seed and settings give the same network), and scikit-learn's
multilabel metrics (``accuracy_score``, ``hamming_loss``, ``f1_score``, ...) on the
``predict`` output.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import pytest
from sklearn.datasets import make_multilabel_classification
from test_cli import assert_usage_error, read_csv, run

LABELS = ["sports", "politics", "tech"]


def _labelled_file(path: Path, n: int = 300, header: bool = True
                   ) -> tuple[np.ndarray, np.ndarray]:
    """A CSV of six count features and three 0/1 label columns; returns (X, Y)."""
    X, Y = make_multilabel_classification(n_samples=n, n_features=6, n_classes=3,
                                          random_state=1)
    lines = [",".join([*(f"f{j}" for j in range(6)), *LABELS])] if header else []
    lines += [",".join(map(str, [*x, *y])) for x, y in zip(X.astype(int).tolist(),
                                                            Y.tolist(), strict=True)]
    path.write_text("\n".join(lines) + "\n")
    return X, Y


def test_the_same_fit_as_scikit_learns_mlp_classifier(tmp_path: Path) -> None:
    from sklearn.neural_network import MLPClassifier

    data, model = tmp_path / "ml.csv", tmp_path / "m.npz"
    X, Y = _labelled_file(data)
    summary = json.loads(run(
        "train", str(data), "--target", ",".join(LABELS), "--hidden", "8", "--lr", "0.01",
        "--epochs", "20", "--batch-size", "32", "--no-early-stopping", "--validation", "0",
        "--alpha", "0", "--no-standardize", "--dtype", "float64", "--seed", "3",
        "--out", str(model), "--json").stdout)
    assert summary["task"] == "multilabel" and summary["targets"] == LABELS
    assert summary["network"] == "6-8-3 (relu, sigmoid)"
    peer = MLPClassifier(hidden_layer_sizes=(8,), learning_rate_init=0.01, max_iter=20,
                         batch_size=32, alpha=0, random_state=3, n_iter_no_change=20)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # ConvergenceWarning: max_iter reached
        peer.fit(X, Y)
    header, rows = read_csv(run("predict", str(model), str(data), "--proba").stdout)
    assert header == [f"proba_{label}" for label in LABELS]
    np.testing.assert_allclose(np.array(rows, dtype=float), peer.predict_proba(X),
                               rtol=1e-9, atol=1e-12)
    header, rows = read_csv(run("predict", str(model), str(data)).stdout)
    assert header == LABELS
    np.testing.assert_array_equal(np.array(rows, dtype=int), peer.predict(X))


def test_metrics_are_scikit_learns_multilabel_metrics(tmp_path: Path) -> None:
    from sklearn import metrics

    data, model = tmp_path / "ml.csv", tmp_path / "m.npz"
    _, Y = _labelled_file(data)
    run("train", str(data), "--target", ",".join(LABELS), "--epochs", "15",
        "--out", str(model), "-q")
    predicted = np.array(read_csv(run("predict", str(model), str(data)).stdout)[1], dtype=int)
    scored = json.loads(run("evaluate", str(model), str(data), "--json").stdout)
    assert scored["task"] == "multilabel" and 0 < predicted.sum() < predicted.size
    assert scored["subset_accuracy"] == pytest.approx(metrics.accuracy_score(Y, predicted))
    assert scored["hamming_loss"] == pytest.approx(metrics.hamming_loss(Y, predicted))
    for average in ("micro", "macro"):
        suffix = "_micro" if average == "micro" else ""
        for name, score in (("precision", metrics.precision_score),
                            ("recall", metrics.recall_score), ("f1", metrics.f1_score)):
            expected = score(Y, predicted, average=average, zero_division=0)
            assert scored[name + suffix] == pytest.approx(expected), (name, average)
    for j, label in enumerate(LABELS):
        own = scored["by_label"][label]
        assert own["f1"] == pytest.approx(metrics.f1_score(Y[:, j], predicted[:, j]))
        assert own["support"] == int(Y[:, j].sum())
    table = run("evaluate", str(model), str(data)).stdout
    assert "subset accuracy" in table and "f1 (micro)" in table and "f1 [tech]" in table


def test_a_constant_label_counts_in_the_macro_average_as_in_scikit_learn(
        tmp_path: Path) -> None:
    """'arts' is 0 in every row: its precision and recall have nothing to divide by
    and count 0 (scikit-learn's default), in the macro average too."""
    from sklearn import metrics

    data, model = tmp_path / "ml.csv", tmp_path / "m.npz"
    X, Y = make_multilabel_classification(n_samples=150, n_features=4, n_classes=2,
                                          random_state=4)
    data.write_text("a,b,c,d,x,y,arts\n" + "".join(
        f"{','.join(map(str, row))},{p},{q},0\n"
        for row, (p, q) in zip(X.astype(int).tolist(), Y.tolist(), strict=True)))
    done = run("train", str(data), "--target", "x,y,arts", "--epochs", "10",
               "--out", str(model), "-q")
    assert "the label 'arts' is 0 in every row" in done.stderr
    predicted = np.array(read_csv(run("predict", str(model), str(data)).stdout)[1], dtype=int)
    truth = np.column_stack([Y, np.zeros(len(Y), dtype=int)])
    scored = json.loads(run("evaluate", str(model), str(data), "--json").stdout)
    assert scored["f1"] == pytest.approx(
        metrics.f1_score(truth, predicted, average="macro", zero_division=0))
    assert scored["by_label"]["arts"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0,
                                          "support": 0}


def test_many_labels_leave_their_own_rows_to_json(tmp_path: Path) -> None:
    data, model = tmp_path / "many.csv", tmp_path / "m.npz"
    X, Y = make_multilabel_classification(n_samples=200, n_features=5, n_classes=12,
                                          random_state=0)
    names = [f"l{j}" for j in range(12)]
    data.write_text(",".join([*"abcde", *names]) + "\n" + "".join(
        ",".join(map(str, [*x, *y])) + "\n"
        for x, y in zip(X.astype(int).tolist(), Y.tolist(), strict=True)))
    table = run("train", str(data), "--target", ",".join(names), "--epochs", "2",
                "--out", str(model)).stdout
    assert "each label's" in table and "12 labels: see --json" in table
    assert "[l0]" not in table
    scored = json.loads(run("evaluate", str(model), str(data), "--json").stdout)
    assert list(scored["by_label"]) == names


def test_a_model_saved_from_python_predicts_from_the_command_line(tmp_path: Path) -> None:
    import lucidnet
    from lucidnet import NeuralNetClassifier

    X, Y = make_multilabel_classification(n_samples=80, n_features=4, random_state=0)
    fitted = NeuralNetClassifier(hidden_layer_sizes=(6,), max_iter=30, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fitted.fit(X, Y)
    model, data = tmp_path / "py.npz", tmp_path / "x.npy"
    lucidnet.save(fitted, model)
    np.save(data, X)
    header, rows = read_csv(run("predict", str(model), str(data), "--proba").stdout)
    assert header == [f"proba_{j}" for j in range(Y.shape[1])]
    np.testing.assert_allclose(np.array(rows, dtype=float), fitted.predict_proba(X),
                               rtol=1e-12)
    predicted = np.array(read_csv(run("predict", str(model), str(data)).stdout)[1], dtype=int)
    np.testing.assert_array_equal(predicted, fitted.predict(X))
    assert json.loads(run("info", str(model), "--json").stdout)["task"] == "multilabel"
    assert_usage_error(run("evaluate", str(model), str(data), expect=None),
                       "--target COL,COL,...", f"the {Y.shape[1]} labels")
    # The file names no outputs; the columns --target names give them their names.
    labelled = tmp_path / "labelled.csv"
    labels = [f"L{j}" for j in range(Y.shape[1])]
    lines = [",".join([*(f"f{j}" for j in range(4)), *labels])]
    lines += [",".join(map(repr, [*x, *y])) for x, y in zip(X.tolist(), Y.tolist(), strict=True)]
    labelled.write_text("\n".join(lines) + "\n")
    scored = json.loads(run("evaluate", str(model), str(labelled), "--target", ",".join(labels),
                            "--json").stdout)
    from sklearn.metrics import f1_score

    expected = f1_score(Y, fitted.predict(X), average=None, zero_division=0)
    assert [scored["by_label"][label]["f1"] for label in labels] == pytest.approx(expected)
    assert read_csv(run("predict", str(model), str(labelled), "--target", ",".join(labels),
                        "--proba").stdout)[0] == [f"proba_{label}" for label in labels]


def test_arrays_and_headerless_files(tmp_path: Path) -> None:
    arrays, model = tmp_path / "ml.npz", tmp_path / "m.npz"
    X, Y = make_multilabel_classification(n_samples=120, n_features=5, random_state=2)
    np.savez(arrays, X=X, y=Y.astype(float))
    summary = json.loads(run("train", str(arrays), "--epochs", "3", "--out", str(model),
                             "--json").stdout)
    assert summary["task"] == "multilabel" and summary["classes"] is None
    assert read_csv(run("predict", str(model), str(arrays)).stdout)[0] == [
        f"y_{j}" for j in range(Y.shape[1])]
    plain = tmp_path / "plain.csv"
    _labelled_file(plain, header=False)
    run("train", str(plain), "--target", "6,7,8", "--epochs", "3", "--out", str(model), "-q")
    assert read_csv(run("predict", str(model), str(plain), "--proba").stdout)[0] == [
        "proba_6", "proba_7", "proba_8"]
    assert read_csv(run("predict", str(model), str(plain)).stdout)[0] == [
        "prediction_6", "prediction_7", "prediction_8"]


def test_what_is_inferred_and_what_is_refused(tmp_path: Path) -> None:
    data = tmp_path / "ml.csv"
    _labelled_file(data, n=120)
    labels = ",".join(LABELS)
    # A column of counts among the targets: numbers, predicted as such.
    mixed = json.loads(run("train", str(data), "--target", "sports,f0", "--epochs", "1",
                           "--json").stdout)
    assert mixed["task"] == "regression"
    assert_usage_error(run("train", str(data), "--target", "sports,f0", "--output",
                           "multilabel", expect=None),
                       "line 2, column 'f0'", "--output multilabel takes 0/1 labels")
    assert_usage_error(run("train", str(data), "--target", "sports", "--output", "multilabel",
                           expect=None), "--output multilabel", "--target A,B,C")
    assert_usage_error(run("train", str(data), "--target", labels, "--class-weight",
                           "balanced", expect=None), "--class-weight", "multilabel")
    assert_usage_error(run("train", str(data), "--target", labels, "--output", "binary",
                           expect=None), "--output binary", "--output multilabel")
    model = tmp_path / "m.npz"
    checkpoints = tmp_path / "ck"
    run("train", str(data), "--target", labels, "--epochs", "2", "--out", str(model),
        "--checkpoint-dir", str(checkpoints), "-q")
    resumed = run("train", str(data), "--target", labels, "--epochs", "4",
                  "--resume", str(checkpoints), "--json")
    assert json.loads(resumed.stdout)["epochs"] == 4
    assert_usage_error(run("train", str(data), "--target", labels, "--epochs", "6",
                           "--output", "regression", "--resume", str(checkpoints),
                           expect=None), "trained with --output multilabel")
    assert_usage_error(run("demo", "--output", "multilabel", expect=None),
                       "no built-in data set")
    assert_usage_error(run("evaluate", str(model), str(data), "--target", "sports",
                           expect=None), "predicts 3 labels per row", f"--target {labels}")
    two = tmp_path / "two.csv"
    two.write_text(data.read_text().replace(",1\n", ",2\n", 1))
    assert_usage_error(run("evaluate", str(model), str(two), expect=None),
                       "column 'tech'", "0/1 labels (1: the row has the label); got 2")


def test_one_stray_value_among_labels_is_named_with_its_line(tmp_path: Path) -> None:
    """A 2 typed for a 1 at line 58 made three label columns a regression with notes
    about the clean columns only; the note now names the cell, and the advice it gives
    (--output multilabel) places it as an error."""
    data = tmp_path / "ml.csv"
    _labelled_file(data)
    lines = data.read_text().splitlines()
    cells = lines[57].split(",")
    cells[-1] = "2"  # line 58, column 'tech'
    lines[57] = ",".join(cells)
    data.write_text("\n".join(lines) + "\n")
    done = run("train", str(data), "--target", ",".join(LABELS), "--epochs", "2", "--json")
    assert json.loads(done.stdout)["task"] == "regression"
    assert ("the targets hold 0/1 labels but for 1 cell, the first 2 at line 58, column "
            "'tech', so they are predicted as numbers") in done.stderr
    done = run("train", str(data), "--target", ",".join(LABELS), "--output", "multilabel",
               expect=None)
    assert_usage_error(done, "line 58", "tech", "got 2")
    # Counts that are mostly 0 or 1 (a few cells of 2 and 3, more than one in a hundred)
    # are numbers: no such note.
    rng = np.random.default_rng(0)
    counts = tmp_path / "counts.csv"
    rows = rng.choice([0, 1, 2, 3], p=[0.5, 0.4, 0.07, 0.03], size=(200, 2))
    x = rng.standard_normal(200)
    counts.write_text("x,a,b\n" + "".join(f"{v:.3f},{p},{q}\n" for v, (p, q)
                                         in zip(x.tolist(), rows.tolist(), strict=True)))
    done = run("train", str(counts), "--target", "a,b", "--epochs", "2", "-q")
    assert "0/1 labels but for" not in done.stderr
