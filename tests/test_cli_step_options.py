"""``train --lr-schedule``, ``--momentum`` and ``--dropout``.

Truths not written here: each schedule's closed-form rate (``lucidnet.schedules``'
table, the Keras rule for ``plateau``) applied in plain NumPy to gradient descent on
least squares, whose steps are ``w := w - rate (H w - g)`` with ``H = A^T A / m`` and
``g = A^T y / m``; and scikit-learn's ``MLPRegressor`` for the momentum steps.
"""

from __future__ import annotations

import json
import math
import warnings
from pathlib import Path

import numpy as np
import pytest
from test_cli import assert_usage_error, run

import lucidnet

LR = 0.1
SEED = "5"
#: Models trained on a CSV know its column names; these tests predict on bare arrays.
UNNAMED = pytest.mark.filterwarnings("ignore:X does not have valid feature names")


def _data_file(path: Path, n: int = 40) -> tuple[np.ndarray, np.ndarray]:
    """A CSV of three features and a noisy linear target y; returns (X, y)."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(n, 3))
    y = X @ [1.5, -2.0, 0.5] + 3.0 + 0.3 * rng.normal(size=n)
    lines = ["a,b,c,y"] + [",".join(map(repr, [*row, target]))
                           for row, target in zip(X.tolist(), y.tolist(), strict=True)]
    path.write_text("\n".join(lines) + "\n")
    return X, y


def _linear_fit(data: Path, out: Path, epochs: int, *options: str) -> np.ndarray:
    """Full-batch gradient descent on a linear network (float64, nothing scaled, no
    penalty, every epoch run); returns its parameters ``[w_a, w_b, w_c, bias]``."""
    run("train", str(data), "--target", "y", "--hidden", "", "--optimizer", "gd",
        "--lr", str(LR), "--epochs", str(epochs), "--no-early-stopping", "--validation", "0",
        "--alpha", "0", "--no-standardize", "--dtype", "float64", "--seed", SEED,
        "--out", str(out), "-q", *options)
    model = lucidnet.load(out)
    return np.concatenate([model.coefs_[0].ravel(), model.intercepts_[0]])


@pytest.fixture(scope="module")
def least_squares(tmp_path_factory: pytest.TempPathFactory):
    """The data file, H, g, A, y and the seed's initial parameters w0, found from one
    epoch at the constant rate: w1 = w0 - LR (H w0 - g)."""
    folder = tmp_path_factory.mktemp("schedules")
    data = folder / "d.csv"
    X, y = _data_file(data)
    A = np.column_stack([X, np.ones(len(y))])
    H, g = A.T @ A / len(y), A.T @ y / len(y)
    w1 = _linear_fit(data, folder / "one.npz", 1)
    w0 = np.linalg.solve(np.eye(4) - LR * H, w1 - LR * g)
    return data, folder, A, y, H, g, w0


def _descend(w0: np.ndarray, H: np.ndarray, g: np.ndarray, rates: list[float]) -> np.ndarray:
    w = w0.copy()
    for rate in rates:
        w = w - rate * (H @ w - g)
    return w


@pytest.mark.parametrize("schedule, rate", [
    ("step", lambda e, E: LR * 0.5 ** (e // 10)),
    ("exponential", lambda e, E: LR * 0.95 ** e),
    ("cosine", lambda e, E: LR * (1 + math.cos(math.pi * e / E)) / 2),
    ("constant", lambda e, E: LR),
])
def test_each_schedule_gives_its_closed_form_rates(least_squares, schedule, rate) -> None:
    data, folder, _, _, H, g, w0 = least_squares
    epochs = 25
    fitted = _linear_fit(data, folder / f"{schedule}.npz", epochs, "--lr-schedule", schedule)
    expected = _descend(w0, H, g, [rate(e, epochs) for e in range(epochs)])
    np.testing.assert_allclose(fitted, expected, rtol=1e-10, atol=1e-12)
    if schedule != "constant":  # the rates made a difference
        assert np.abs(fitted - _descend(w0, H, g, [LR] * epochs)).max() > 1e-2


def test_plateau_halves_the_rate_after_half_the_patience(least_squares) -> None:
    """Keras's rule on the training loss (--validation 0): an epoch improves on the
    best by more than 1e-4, or counts; two such epochs (--patience 4) halve the rate."""
    data, folder, A, y, H, g, w0 = least_squares
    epochs = 200
    fitted = _linear_fit(data, folder / "plateau.npz", epochs, "--lr-schedule", "plateau",
                         "--patience", "4")
    w, rate, best, wait, rates = w0.copy(), LR, None, 0, []
    for _ in range(epochs):
        loss = 0.5 * np.mean((A @ w - y) ** 2)  # the epoch's loss, before its step
        rates.append(rate)
        w = w - rate * (H @ w - g)
        if best is None or loss < best - 1e-4:
            best, wait = loss, 0
        else:
            wait += 1
            if wait >= 2:
                rate, wait = rate * 0.5, 0
    assert min(rates) < LR / 4  # the rule fired, more than once
    np.testing.assert_allclose(fitted, w, rtol=1e-10, atol=1e-12)


@UNNAMED
@pytest.mark.parametrize("optimizer, nesterov", [("momentum", False), ("nesterov", True)])
def test_momentum_takes_scikit_learns_steps(tmp_path: Path, optimizer, nesterov) -> None:
    from sklearn.neural_network import MLPRegressor

    data, out = tmp_path / "d.csv", tmp_path / "m.npz"
    X, y = _data_file(data)
    epochs = 15
    run("train", str(data), "--target", "y", "--hidden", "4", "--optimizer", optimizer,
        "--momentum", "0.5", "--lr", "0.01", "--epochs", str(epochs), "--batch-size", "8",
        "--no-early-stopping", "--validation", "0", "--alpha", "0", "--no-standardize",
        "--dtype", "float64", "--seed", SEED, "--out", str(out), "-q")
    ours = lucidnet.load(out).predict(X)

    def sklearn_fit(momentum: float) -> np.ndarray:
        peer = MLPRegressor(hidden_layer_sizes=(4,), solver="sgd", momentum=momentum,
                            nesterovs_momentum=nesterov, learning_rate_init=0.01,
                            max_iter=epochs, batch_size=8, alpha=0, random_state=int(SEED),
                            n_iter_no_change=epochs)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # ConvergenceWarning: max_iter reached
            return peer.fit(X, y).predict(X)

    np.testing.assert_allclose(ours, sklearn_fit(0.5), rtol=1e-9, atol=1e-9)
    assert np.abs(ours - sklearn_fit(0.9)).max() > 1e-2  # --momentum made the difference


@UNNAMED
def test_dropout_is_the_estimators_and_is_recorded(tmp_path: Path) -> None:
    from lucidnet import NeuralNetRegressor

    data, out, plain = tmp_path / "d.csv", tmp_path / "m.npz", tmp_path / "p.npz"
    X, y = _data_file(data, n=60)
    options = ("--target", "y", "--hidden", "8", "--epochs", "20", "--validation", "0",
               "--no-early-stopping", "--no-standardize", "--dtype", "float64", "-q")
    run("train", str(data), *options, "--dropout", "0.25", "--out", str(out))
    run("train", str(data), *options, "--out", str(plain))
    model = lucidnet.load(out)
    same = NeuralNetRegressor(hidden_layer_sizes=(8,), dropout=0.25, max_iter=20, batch_size=32,
                              n_iter_no_change=20, random_state=0, dtype="float64")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # ConvergenceWarning: max_iter reached
        same.fit(X, y)
    np.testing.assert_allclose(model.predict(X), same.predict(X), rtol=1e-10)
    assert np.abs(model.predict(X) - lucidnet.load(plain).predict(X)).max() > 1e-3
    np.testing.assert_array_equal(model.predict(X), model.predict(X))  # none at prediction
    info = json.loads(run("info", str(out), "--json").stdout)
    assert info["training"]["dropout"] == 0.25


@pytest.mark.parametrize("options, fragments", [
    (["--momentum", "0.5"], ["--momentum", "--optimizer adam"]),
    (["--optimizer", "lbfgs", "--dropout", "0.1"], ["--dropout", "lbfgs"]),
    (["--optimizer", "lbfgs", "--lr-schedule", "cosine"], ["--lr-schedule", "lbfgs"]),
    (["--optimizer", "lbfgs", "--lr", "0.5", "--batch-size", "8"],
     ["--lr and --batch-size", "lbfgs"]),
    (["--hidden", "", "--dropout", "0.1"], ["--dropout", "--hidden ''"]),
    (["--dropout", "1"], ["--dropout", "0<=x<1"]),
    (["--lr-schedule", "warmup"], ["--lr-schedule", "warmup"]),
])
def test_settings_that_would_be_ignored_are_refused(options, fragments) -> None:
    assert_usage_error(run("demo", *options, expect=None), *fragments)


def test_resume_refuses_another_schedule_optimizer_or_dropout(tmp_path: Path) -> None:
    data, checkpoints = tmp_path / "d.csv", tmp_path / "ck"
    _data_file(data)
    base = ("train", str(data), "--target", "y", "--hidden", "4", "--no-early-stopping", "-q")
    run(*base, "--epochs", "2", "--lr-schedule", "cosine", "--checkpoint-dir", str(checkpoints))
    for other, said in ((["--lr-schedule", "step"], "--lr-schedule cosine"),
                        (["--lr-schedule", "cosine", "--optimizer", "sgd"], "--optimizer adam"),
                        (["--lr-schedule", "cosine", "--dropout", "0.5"], "--dropout 0")):
        done = run(*base, "--epochs", "4", *other, "--resume", str(checkpoints), expect=None)
        assert done.returncode == 2 and "Traceback" not in done.stderr
        assert said in done.stderr.splitlines()[-1], done.stderr
    resumed = run(*base, "--epochs", "4", "--lr-schedule", "cosine", "--resume",
                  str(checkpoints), "--json")
    assert json.loads(resumed.stdout)["epochs"] == 4
    # Another --momentum goes on from the checkpoint with the new value, as --lr does.
    momentum, model = tmp_path / "ckm", tmp_path / "m.npz"
    run(*base, "--epochs", "2", "--optimizer", "momentum", "--momentum", "0.5",
        "--checkpoint-dir", str(momentum))
    done = run(*base, "--epochs", "4", "--optimizer", "momentum", "--momentum", "0.9",
               "--resume", str(momentum), "--out", str(model))
    assert "other settings (momentum 0.5 -> 0.9)" in done.stderr
    assert json.loads(run("info", str(model), "--json").stdout)["training"]["momentum"] == 0.9
