"""``train --target Y1,Y2``: one regression model predicting several target columns.

Truths not written here: least squares (``np.linalg.lstsq``) for a linear network on
exactly linear targets, scikit-learn's ``r2_score`` / ``mean_squared_error`` for the
metrics, and scikit-learn's bundled linnerud data (three targets) as a real file.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from sklearn.metrics import mean_absolute_error, mean_squared_error, r2_score
from test_cli import assert_usage_error, read_csv, run


def _linear_file(path: Path, n: int = 200) -> tuple[np.ndarray, np.ndarray]:
    """A CSV of features x0..x2, a text column and two targets exactly linear in them
    (columns in the order x0, Y2, x1, color, x2, Y1: targets not last, not in order)."""
    rng = np.random.default_rng(3)
    X = rng.normal(size=(n, 3)) * [1.0, 10.0, 0.1] + [0.0, 50.0, -2.0]
    color = rng.choice(["red", "blue"], size=n)
    red = (color == "red").astype(float)
    Y1 = 2.0 * X[:, 0] - 0.1 * X[:, 1] + 30.0 * X[:, 2] + 4.0 * red + 7.0
    Y2 = -X[:, 0] + 0.5 * X[:, 1] + 1000.0
    lines = ["x0,Y2,x1,color,x2,Y1"]
    lines += [f"{a!r},{y2!r},{b!r},{c},{d!r},{y1!r}"
              for (a, b, d), c, y1, y2 in zip(X.tolist(), color, Y1.tolist(), Y2.tolist(),
                                                  strict=True)]
    path.write_text("\n".join(lines) + "\n")
    inputs = np.column_stack([X, red, np.ones(n)])
    return inputs, np.column_stack([Y1, Y2])


def test_a_linear_network_recovers_least_squares_for_each_target(tmp_path: Path) -> None:
    data, model = tmp_path / "lin.csv", tmp_path / "m.npz"
    inputs, Y = _linear_file(data)
    run("train", str(data), "--target", "Y1,Y2", "--hidden", "", "--optimizer", "lbfgs",
        "--alpha", "0", "--validation", "0", "--epochs", "500", "--dtype", "float64",
        "--out", str(model), "-q")
    header, rows = read_csv(run("predict", str(model), str(data)).stdout)
    assert header == ["Y1", "Y2"]  # the --target order, not the file's
    predicted = np.array(rows, dtype=float)
    coef, *_ = np.linalg.lstsq(inputs, Y, rcond=None)
    np.testing.assert_allclose(predicted, inputs @ coef, atol=1e-3 * Y.std(axis=0).min())


def test_metrics_are_scikit_learns_per_target_and_overall(tmp_path: Path) -> None:
    data, model = tmp_path / "lin.csv", tmp_path / "m.npz"
    _, Y = _linear_file(data, n=120)
    summary = json.loads(run("train", str(data), "--target", "Y1,Y2", "--epochs", "5",
                             "--test-size", "0.25", "--out", str(model), "--json").stdout)
    assert summary["target"] == "Y1,Y2" and summary["task"] == "regression"
    assert summary["network"].startswith("5-64-32-2 ")  # x0, x1, x2, color=blue, color=red
    assert set(summary["metrics"]["test"]["by_target"]) == {"Y1", "Y2"}
    predicted = np.array(read_csv(run("predict", str(model), str(data)).stdout)[1], dtype=float)
    scored = json.loads(run("evaluate", str(model), str(data), "--json").stdout)
    assert scored["n_samples"] == 120
    for j, name in enumerate(["Y1", "Y2"]):
        mine = scored["by_target"][name]
        assert mine["r2"] == pytest.approx(r2_score(Y[:, j], predicted[:, j]), abs=1e-5)
        assert mine["rmse"] == pytest.approx(
            math.sqrt(mean_squared_error(Y[:, j], predicted[:, j])), rel=1e-5)
        assert mine["mae"] == pytest.approx(mean_absolute_error(Y[:, j], predicted[:, j]),
                                            rel=1e-5)
    assert scored["r2"] == pytest.approx(r2_score(Y, predicted), abs=1e-5)
    assert scored["rmse"] == pytest.approx(math.sqrt(mean_squared_error(Y, predicted)), rel=1e-5)
    # Named in another order, the columns still score their own outputs.
    swapped = json.loads(run("evaluate", str(model), str(data), "--target", "Y2,Y1",
                             "--json").stdout)
    assert swapped["by_target"] == scored["by_target"]
    # The text table shows each target's rows.
    table = run("evaluate", str(model), str(data)).stdout
    assert "r2 [Y1]" in table and "mae [Y2]" in table


def test_rows_to_predict_may_come_without_the_targets(tmp_path: Path) -> None:
    data, model = tmp_path / "lin.csv", tmp_path / "m.npz"
    _linear_file(data, n=60)
    run("train", str(data), "--target", "Y2,Y1", "--epochs", "3", "--out", str(model), "-q")
    header, rows = read_csv(data)
    features = [j for j, name in enumerate(header) if name not in ("Y1", "Y2")]
    new = tmp_path / "new.csv"
    new.write_text("\n".join(",".join(row[j] for j in features)
                             for row in [header, *rows]) + "\n")
    with_targets = run("predict", str(model), str(data)).stdout
    done = run("predict", str(model), str(new), "--keep", "x0")
    assert done.stderr == ""
    kept, predicted = read_csv(done.stdout)
    assert kept == ["x0", "Y2", "Y1"]
    assert [row[1:] for row in predicted] == read_csv(with_targets)[1]
    assert_usage_error(run("evaluate", str(model), str(new), expect=None),
                       "no columns 'Y2', 'Y1' (of the model's targets", "--target COL,COL")


def test_real_data_linnerud_three_targets(tmp_path: Path) -> None:
    from sklearn.datasets import load_linnerud

    bunch = load_linnerud(as_frame=True)
    frame = bunch.frame
    data, model = tmp_path / "linnerud.csv", tmp_path / "m.npz"
    frame.to_csv(data, index=False)
    targets = list(bunch.target_names)  # Weight, Waist, Pulse
    summary = json.loads(run("train", str(data), "--target", ",".join(targets),
                             "--validation", "0", "--epochs", "300", "--out", str(model),
                             "--json").stdout)
    assert summary["network"].startswith("3-64-32-3 ")
    fitted = summary["metrics"]["train"]["by_target"]
    assert list(fitted) == targets
    # Trained and scored on the same 20 rows: each target is fitted better than its mean.
    assert all(scores["r2"] > 0 for scores in fitted.values())
    info = json.loads(run("info", str(model), "--json").stdout)
    assert info["target"] == "Weight,Waist,Pulse"
    assert info["features"] == list(bunch.feature_names)


def test_the_built_in_linnerud_set_trains_and_writes_its_three_targets(tmp_path: Path) -> None:
    summary = json.loads(run("train", "--dataset", "linnerud", "--epochs", "5",
                             "--json").stdout)
    assert summary["target"] == "Weight,Waist,Pulse"
    assert summary["examples"]["test"] == 4  # 0.2 of 20 rows
    assert list(summary["metrics"]["test"]["by_target"]) == ["Weight", "Waist", "Pulse"]
    from sklearn.datasets import load_linnerud

    bunch = load_linnerud()
    header, rows = read_csv(run("dataset", "linnerud").stdout)
    assert header == [*bunch.feature_names, *bunch.target_names]
    np.testing.assert_array_equal(np.array(rows, dtype=float),
                                  np.hstack([bunch.data, bunch.target]))


@pytest.mark.parametrize(("args", "fragments"), [
    (["--target", "Y1,color"], ["column 'color'", "holds text", "regression"]),
    (["--target", "Y1,Y1"], ["--target names column 'Y1' twice"]),
    (["--target", "Y1,Y3"], ["--target: no column 'Y3'"]),
    (["--target", "Y1,Y3,Y4"], ["--target: no columns 'Y3', 'Y4'", "are 'x0', 'Y2', 'x1'"]),
    (["--target", "Y1,Y2", "--output", "multiclass"], ["--output multiclass", "'Y1', 'Y2'"]),
    (["--target", "Y1,Y2", "--drop", "Y2"], ["--drop: column 'Y2' is a target"]),
    (["--target", "Y1,Y2", "--categorical", "Y1"], ["--categorical: column 'Y1' is a target"]),
    (["--target", "Y1", "--target", "Y2"], ["given 2 times", "--target Y1,Y2"]),
])
def test_bad_several_targets_are_one_line_errors(tmp_path: Path, args: list[str],
                                                 fragments: list[str]) -> None:
    data = tmp_path / "lin.csv"
    _linear_file(data, n=30)
    assert_usage_error(run("train", str(data), *args, "--epochs", "1", expect=None),
                       *fragments)


def test_a_missing_target_value_names_its_line_even_with_impute(tmp_path: Path) -> None:
    data = tmp_path / "gap.csv"
    data.write_text("a,b,Y1,Y2\n" + "".join(f"{i},{i % 3},{i},{2 * i}\n" for i in range(9))
                    + "9,0,9,\n")
    for extra in ([], ["--impute", "mean"]):
        done = run("train", str(data), "--target", "Y1,Y2", *extra, expect=None)
        assert_usage_error(done, "line 11", "column 'Y2'", "missing value")


def test_scoring_needs_as_many_targets_as_outputs(tmp_path: Path) -> None:
    data, model = tmp_path / "lin.csv", tmp_path / "m.npz"
    _linear_file(data, n=40)
    run("train", str(data), "--target", "Y1,Y2", "--epochs", "2", "--out", str(model), "-q")
    assert_usage_error(run("evaluate", str(model), str(data), "--target", "Y1", expect=None),
                       "predicts 2 values per row (Y1, Y2)", "--target Y1,Y2")
    assert_usage_error(run("evaluate", str(model), str(data), "--target", "x1,Y1",
                           expect=None), "--target 'x1' is one of the model's feature columns")
    one = tmp_path / "one.npz"
    run("train", str(data), "--target", "Y1", "--drop", "Y2", "--epochs", "2", "--out",
        str(one), "-q")
    assert_usage_error(run("evaluate", str(one), str(data), "--target", "Y1,Y2", expect=None),
                       "--target names 2 columns ('Y1', 'Y2')", "regression model of 1 output")


def test_resuming_with_the_targets_in_another_order_is_refused(tmp_path: Path) -> None:
    data, checkpoints = tmp_path / "lin.csv", tmp_path / "ck"
    _linear_file(data, n=40)
    run("train", str(data), "--target", "Y1,Y2", "--epochs", "2", "--checkpoint-dir",
        str(checkpoints), "-q")
    done = run("train", str(data), "--target", "Y2,Y1", "--epochs", "4", "--resume",
               str(checkpoints), expect=None)
    assert "the checkpoint was trained to predict 'Y1', 'Y2', not 'Y2', 'Y1'" in done.stderr
    assert done.returncode == 2
    run("train", str(data), "--target", "Y1,Y2", "--epochs", "4", "--resume", str(checkpoints),
        "-q")


def test_r2_of_several_outputs_leaves_out_a_constant_one() -> None:
    from lucidnet._cli_report import regression_metrics

    rng = np.random.default_rng(0)
    y = np.column_stack([rng.normal(size=50), np.full(50, 3.0), rng.normal(size=50) * 5])
    predicted = y + rng.normal(scale=0.1, size=y.shape)
    metrics = regression_metrics(y, predicted)
    # scikit-learn's force_finite would average in a 0 for the constant column.
    varied = r2_score(y[:, [0, 2]], predicted[:, [0, 2]])
    assert metrics["r2"] == pytest.approx(varied)
    assert math.isnan(regression_metrics(y[:, 1], predicted[:, 1])["r2"])
    assert math.isnan(regression_metrics(y[:, [1, 1]], predicted[:, [1, 1]])["r2"])
    assert metrics["rmse"] == pytest.approx(math.sqrt(mean_squared_error(y, predicted)))


def test_a_target_named_as_another_outputs_is_refused_not_scored_against_it(
        tmp_path: Path) -> None:
    data, model = tmp_path / "lin.csv", tmp_path / "m.npz"
    _linear_file(data, n=40)
    run("train", str(data), "--target", "Y1,Y2", "--epochs", "2", "--out", str(model), "-q")
    renamed = tmp_path / "renamed.csv"
    renamed.write_text(data.read_text().replace("Y1", "Y1_obs", 1))
    assert_usage_error(run("evaluate", str(model), str(renamed), "--target", "Y2,Y1_obs",
                           expect=None), "'Y2' is given as target 1 of 2", "target 2 (Y1, Y2)")
    # In the model's order, the renamed column scores the first output.
    by_position = json.loads(run("evaluate", str(model), str(renamed), "--target",
                                 "Y1_obs,Y2", "--json").stdout)
    by_name = json.loads(run("evaluate", str(model), str(data), "--json").stdout)
    assert by_position["r2"] == by_name["r2"]
    no_y2 = tmp_path / "no_y2.csv"
    header, rows = read_csv(data)
    keep = [j for j, name in enumerate(header) if name != "Y2"]
    no_y2.write_text("\n".join(",".join(r[j] for j in keep) for r in [header, *rows]) + "\n")
    done = run("evaluate", str(model), str(no_y2), expect=None)
    assert "no column 'Y2' (of the model's targets 'Y1', 'Y2')" in done.stderr


def test_text_in_a_target_column_is_named_as_a_target_cell(tmp_path: Path) -> None:
    data = tmp_path / "t.csv"
    data.write_text("a,b,Y1,Y2\n" + "".join(f"{i},{i % 3},{i},{2 * i}\n" for i in range(9))
                    + "9,0,9,high\n")
    for extra in ([], ["--no-one-hot"]):
        assert_usage_error(run("train", str(data), "--target", "Y1,Y2", *extra, expect=None),
                           "line 11", "column 'Y2'", "'high'",
                           "target columns hold numbers or 0/1 labels")
    model = tmp_path / "m.npz"
    clean = tmp_path / "clean.csv"
    clean.write_text("".join(data.read_text().splitlines(keepends=True)[:-1]))
    run("train", str(clean), "--target", "Y1,Y2", "--epochs", "2", "--out", str(model), "-q")
    assert_usage_error(run("evaluate", str(model), str(data), expect=None),
                       "line 11", "'high'", "target column of a regression model")


def test_a_headerless_file_trained_with_drop_is_scored_in_its_layout(tmp_path: Path) -> None:
    """Columns yb, x1, noise, ya, x3, x4 without a header: --target 3,0 --drop 2."""
    rng = np.random.default_rng(2)
    X = rng.normal(size=(80, 3))
    ya, yb = X @ [1.0, 2.0, -1.0] + 3.0, X @ [-2.0, 0.0, 1.0] - 1.0
    table = np.column_stack([yb, X[:, 0], rng.normal(size=80), ya, X[:, 1], X[:, 2]])
    data, model = tmp_path / "mix.csv", tmp_path / "m.npz"
    np.savetxt(data, table, delimiter=",", fmt="%.10f")
    run("train", str(data), "--target", "3,0", "--drop", "2", "--hidden", "",
        "--optimizer", "lbfgs", "--alpha", "0", "--validation", "0", "--dtype", "float64",
        "--epochs", "300", "--out", str(model), "-q")
    header, rows = read_csv(run("predict", str(model), str(data)).stdout)
    assert header == ["prediction_3", "prediction_0"]  # column numbers are no names
    # L-BFGS stops on its tolerance, a little short of the exact fit.
    np.testing.assert_allclose(np.array(rows, dtype=float), np.column_stack([ya, yb]),
                               atol=5e-3)
    scored = json.loads(run("evaluate", str(model), str(data), "--json").stdout)
    assert scored["r2"] == pytest.approx(1.0, abs=1e-5)
    # The same layout without the target columns predicts the same.
    features_only = tmp_path / "features.csv"
    np.savetxt(features_only, table[:, [1, 2, 4, 5]], delimiter=",", fmt="%.10f")
    assert run("predict", str(model), str(features_only)).stdout == "\n".join(
        [",".join(header), *(",".join(r) for r in rows)]) + "\n"
    # Other layouts are refused, not read by position: the features alone, or the
    # file without the dropped column (its width is the features' and the targets').
    for kept in ([1, 4, 5], [0, 1, 3, 4, 5]):
        other = tmp_path / "other.csv"
        np.savetxt(other, table[:, kept], delimiter=",", fmt="%.10f")
        assert_usage_error(run("predict", str(model), str(other), expect=None),
                           "the targets '3', '0', 3 features and 1 left out by --drop")


def test_targets_a_and_b_beside_a_feature_named_a_comma_b(tmp_path: Path) -> None:
    data, model = tmp_path / "ab.csv", tmp_path / "m.npz"
    data.write_text('x,"a,b",a,b\n' + "".join(f"{i},{i % 4},{2 * i},{i - 3}\n"
                                             for i in range(30)))
    summary = json.loads(run("train", str(data), "--target", "2,3", "--epochs", "2",
                             "--out", str(model), "--json").stdout)
    assert summary["targets"] == ["a", "b"]
    assert json.loads(run("info", str(model), "--json").stdout)["targets"] == ["a", "b"]
    features = tmp_path / "features.csv"
    features.write_text("\n".join(line.rsplit(",", 2)[0]
                                  for line in data.read_text().splitlines()) + "\n")
    header, _ = read_csv(run("predict", str(model), str(features)).stdout)
    assert header == ["a", "b"]
    # Named by the comma, the column "a,b" is one target, said on stderr with the way
    # to the two columns.
    done = run("train", str(data), "--target", "a,b", "--epochs", "1", "--json")
    assert json.loads(done.stdout)["target"] == "a,b"
    assert "--target 'a,b' is the column named so" in done.stderr
    assert "pass their indices: --target 2,3" in done.stderr


def test_a_kept_column_named_as_a_prediction_is_not_written_twice(tmp_path: Path) -> None:
    data, model = tmp_path / "lin.csv", tmp_path / "m.npz"
    _linear_file(data, n=30)
    run("train", str(data), "--target", "Y1,Y2", "--epochs", "2", "--out", str(model), "-q")
    header, rows = read_csv(run("predict", str(model), str(data), "--keep", "Y2").stdout)
    assert header == ["Y2", "predicted_Y1", "predicted_Y2"]  # both outputs named alike
    assert [row[0] for row in rows] == [row[1] for row in read_csv(data)[1]]
    clash = tmp_path / "clash.csv"
    lines = data.read_text().splitlines()
    clash.write_text("\n".join([lines[0] + ",predicted_Y2",
                                *(line + ",0" for line in lines[1:])]) + "\n")
    header, _ = read_csv(run("predict", str(model), str(clash), "--keep",
                             "Y2,predicted_Y2", "--target", "Y1,Y2").stdout)
    assert header == ["Y2", "predicted_Y2", "predicted_Y1", "predicted_predicted_Y2"]


def test_an_npz_file_with_a_two_dimensional_y_trains_one_model_of_both(
        tmp_path: Path) -> None:
    rng = np.random.default_rng(5)
    X = rng.normal(size=(60, 3))
    Y = np.column_stack([X @ [1.0, -2.0, 0.5] + 4.0, X @ [0.0, 1.0, 3.0] - 2.0])
    data, model = tmp_path / "d.npz", tmp_path / "m.npz"
    np.savez(data, X=X, y=Y)
    run("train", str(data), "--hidden", "", "--optimizer", "lbfgs", "--alpha", "0",
        "--validation", "0", "--dtype", "float64", "--epochs", "300", "--out", str(model),
        "-q")
    header, rows = read_csv(run("predict", str(model), str(data)).stdout)
    assert header == ["y_0", "y_1"]
    np.testing.assert_allclose(np.array(rows, dtype=float), Y, atol=5e-3)
    scored = json.loads(run("evaluate", str(model), str(data), "--json").stdout)
    assert list(scored["by_target"]) == ["y_0", "y_1"]
    labels = tmp_path / "labels.npz"
    np.savez(labels, X=X, y=np.column_stack([Y, Y]).astype(str))
    assert_usage_error(run("train", str(labels), expect=None),
                       "array 'y' must have shape (60,)", "(60, k) for k numeric targets")
    assert_usage_error(run("train", str(data), "--output", "binary", expect=None),
                       "--output binary predicts one label column", "targets 'y_0', 'y_1'")


def test_targets_of_class_codes_are_regressed_with_a_note(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 2))
    data = tmp_path / "labels.csv"
    data.write_text("a,b,l1,l2\n" + "".join(
        f"{a!r},{b!r},{int(a > 0)},{2.5 * b!r}\n" for a, b in X.tolist()))
    done = run("train", str(data), "--target", "l1,l2", "--epochs", "1", "--json")
    assert json.loads(done.stdout)["task"] == "regression"
    assert "the target 'l1' holds 2 distinct whole numbers (0, 1)" in done.stderr
    assert "'l2'" not in done.stderr and "--target l1)" in done.stderr
    # Measurements in whole units over few rows (linnerud's waists) are no class codes.
    linnerud = tmp_path / "linnerud.csv"
    run("dataset", "linnerud", "--out", str(linnerud))
    done = run("train", str(linnerud), "--target", "Weight,Waist,Pulse", "--epochs", "1")
    assert "distinct whole numbers" not in done.stderr


def test_no_best_epoch_r2_when_a_target_is_constant(tmp_path: Path) -> None:
    data = tmp_path / "c.csv"
    data.write_text("a,b,Y1,Y2\n" + "".join(f"{i},{i % 3},{i * 0.5},7\n" for i in range(40)))
    done = run("train", str(data), "--target", "Y1,Y2", "--epochs", "3", "--json")
    metrics = json.loads(done.stdout)["metrics"]
    assert "validation" not in metrics  # scikit-learn's R^2 would average in a 0 for Y2
    assert metrics["train+validation"]["by_target"]["Y2"]["r2"] is None
    assert metrics["train+validation"]["r2"] == metrics["train+validation"]["by_target"][
        "Y1"]["r2"]
    assert "the target 'Y2' is 7.0 in every row" in done.stderr


def test_array_and_parquet_files_take_several_targets_by_index_or_name(
        tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    import pandas as pd

    csv, model = tmp_path / "lin.csv", tmp_path / "m.npz"
    inputs, Y = _linear_file(csv, n=50)
    frame = pd.read_csv(csv)
    numeric = frame.drop(columns="color")  # x0, Y2, x1, x2, Y1
    np.save(tmp_path / "d.npy", numeric.to_numpy())
    summary = json.loads(run("train", str(tmp_path / "d.npy"), "--target", "-1,1",
                             "--epochs", "2", "--out", str(model), "--json").stdout)
    assert summary["targets"] == ["4", "1"]
    scored = json.loads(run("evaluate", str(model), str(tmp_path / "d.npy"), "--json").stdout)
    # The training summary and evaluate name the outputs alike.
    assert list(scored["by_target"]) == list(summary["metrics"]["train+validation"]["by_target"])
    assert list(scored["by_target"]) == ["prediction_4", "prediction_1"]
    assert_usage_error(run("train", str(tmp_path / "d.npy"), "--target", "-1,4", expect=None),
                       "--target names column '4' twice")
    frame.to_parquet(tmp_path / "d.parquet")
    run("train", str(tmp_path / "d.parquet"), "--target", "Y1,Y2", "--epochs", "2", "--out",
        str(model), "-q")
    parquet = json.loads(run("evaluate", str(model), str(tmp_path / "d.parquet"),
                             "--json").stdout)
    from_csv = json.loads(run("evaluate", str(model), str(csv), "--json").stdout)
    assert parquet["by_target"] == from_csv["by_target"]
    # A model of named targets meets a file of numbered columns: its targets are not
    # found by name, and the count says how to name them.
    assert_usage_error(run("evaluate", str(model), str(tmp_path / "d.npy"), expect=None),
                       "expects 4 feature columns; the file has 5", "--target COL,COL,...")


def test_an_npz_file_with_y_refuses_target_columns_as_for_one(tmp_path: Path) -> None:
    data = tmp_path / "d.npz"
    np.savez(data, X=np.arange(40.0).reshape(10, 4), y=np.arange(10.0))
    for target in ("0", "0,1"):
        assert_usage_error(run("train", str(data), "--target", target, expect=None),
                           "holds its target as array 'y'", f"({target!r})")


def test_an_empty_file_is_said_empty_whatever_the_targets(tmp_path: Path) -> None:
    data = tmp_path / "empty.csv"
    data.write_text("")
    for target in ("Y1", "Y1,Y2"):
        assert_usage_error(run("train", str(data), "--target", target, expect=None),
                           "the file is empty")


def test_numbers_naming_other_columns_than_their_index_are_pointed_out(tmp_path) -> None:
    """A header of numbers: --target 2,4 names the columns '2' and '4' (indices 1 and
    3), as one --target does, and says so once, with the names that give the columns
    at those indices; the advice, followed, trains on them."""
    rng = np.random.default_rng(0)
    x = rng.standard_normal((60, 3))
    data = tmp_path / "numbered.csv"
    data.write_text("1,2,3,4,5\n" + "".join(
        f"{a:.3f},{b:.3f},{c:.3f},{a + b:.3f},{b - c:.3f}\n" for a, b, c in x.tolist()))
    model = tmp_path / "m.npz"
    done = run("train", str(data), "--target", "2,4", "--epochs", "2", "-q", "--json",
               "--out", str(model))
    note = ("--target 2,4: 2 is the column named '2' (index 1), not the one at index 2 "
            "('3'); 4 is the column named '4' (index 3), not the one at index 4 ('5'); for "
            "the columns at those indices, pass their names: --target 3,5")
    assert done.stderr.count(note) == 1
    assert json.loads(done.stdout)["targets"] == ["2", "4"]
    done = run("evaluate", str(model), str(data), "--target", "2,4")
    assert done.stderr.count("--target 2,4: 2 is the column named '2'") == 1
    followed = run("train", str(data), "--target", "3,5", "--epochs", "2", "-q", "--json")
    assert json.loads(followed.stdout)["targets"] == ["3", "5"]
