"""lucidnet.plots: the figures hold the data given, and PNG files are written.

Truth comes from the inputs themselves (the plotted lines must be the curves
passed in), from scikit-learn's confusion_matrix, and from a hand-written
classifier whose decision rule is known exactly.
"""

from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

pytest.importorskip("matplotlib")

from lucidnet import plots  # noqa: E402

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def is_png(path: Path) -> bool:
    return path.is_file() and path.read_bytes()[:8] == PNG_MAGIC


def test_history_from_a_dict_draws_every_series(tmp_path: Path) -> None:
    curves = {"loss": [0.9, 0.5, 0.3], "val_loss": [1.0, 0.7, 0.6],
              "val_accuracy": [0.5, 0.7, 0.8], "lr": [0.1, 0.1, 0.1]}
    figure = plots.plot_history(curves, tmp_path / "loss.png")
    assert is_png(tmp_path / "loss.png")
    cost, metric = figure.axes[:2]
    assert [list(line.get_ydata()) for line in cost.lines] == [curves["loss"], curves["val_loss"]]
    assert list(cost.lines[0].get_xdata()) == [1, 2, 3]  # epochs count from 1
    assert [list(line.get_ydata()) for line in metric.lines] == [curves["val_accuracy"]]
    assert cost.get_xlabel() == "epoch"


def test_history_from_a_history_object_and_an_estimator() -> None:
    from lucidnet.callbacks import History

    history = History()
    history.history = {"loss": [2.0, 1.0]}
    figure = plots.plot_history(history)
    assert len(figure.axes) == 1 and list(figure.axes[0].lines[0].get_ydata()) == [2.0, 1.0]

    fitted = SimpleNamespace(loss_curve_=[0.7, 0.4, 0.2], validation_scores_=[0.6, 0.8, 0.9])
    figure = plots.plot_history(fitted)
    assert list(figure.axes[0].lines[0].get_ydata()) == [0.7, 0.4, 0.2]
    assert list(figure.axes[1].lines[0].get_ydata()) == [0.6, 0.8, 0.9]


def test_history_from_network_fit_counts_iterations(tmp_path: Path) -> None:
    """Network.fit's costs, recorded every cost_every iterations from 0, drawn over the
    iterations they were recorded at (the course's cost plot)."""
    from lucidnet import Network

    rng = np.random.default_rng(0)
    X = rng.normal(size=(30, 2))
    y = (X[:, 0] > 0).astype(float)
    costs = Network([2, 3, 1], activation="tanh", random_state=0).fit(
        X, y, learning_rate=0.5, num_iterations=450, cost_every=100)
    figure = plots.plot_history(costs, tmp_path / "costs.png", every=100)
    line = figure.axes[0].lines[0]
    assert list(line.get_xdata()) == [0, 100, 200, 300, 400]
    assert list(line.get_ydata()) == costs
    assert figure.axes[0].get_xlabel() == "iteration"
    assert is_png(tmp_path / "costs.png")
    with pytest.raises(ValueError, match="every must be a positive int; got 0"):
        plots.plot_history(costs, every=0)


def test_history_errors_name_the_argument() -> None:
    with pytest.raises(TypeError, match="history must be a History"):
        plots.plot_history(42)
    with pytest.raises(ValueError, match="non-empty 'loss' series"):
        plots.plot_history({"val_loss": [1.0]})
    # A matrix is no series of costs (it was drawn flattened); a column of them is one.
    with pytest.raises(ValueError, match=r"history given as costs must be one series, a cost "
                       r"per step; got an array of shape \(3, 3\)"):
        plots.plot_history(np.ones((3, 3)))
    assert plots._curves(np.arange(3.0).reshape(3, 1)) == {"loss": [0.0, 1.0, 2.0]}


class RightHalf:
    """A classifier with a known rule: "right" where x > 0.5, else "left"."""

    def __init__(self) -> None:
        self.seen: np.ndarray | None = None

    def predict(self, X: np.ndarray) -> np.ndarray:
        self.seen = np.asarray(X)
        return np.where(self.seen[:, 0] > 0.5, "right", "left")


def test_decision_boundary_predicts_on_a_grid_around_the_data(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    X = rng.uniform(0, 1, (40, 2))
    y = np.where(X[:, 0] > 0.5, "right", "left")
    model = RightHalf()
    figure = plots.plot_decision_boundary(model, X, y, tmp_path / "db.png", resolution=30,
                                          feature_names=["hours slept", "hours studied"])
    assert is_png(tmp_path / "db.png")
    # The grid covers the data with a 10% margin on each side.
    assert model.seen.shape == (30 * 30, 2)
    span = X.max(axis=0) - X.min(axis=0)
    np.testing.assert_allclose(model.seen.min(axis=0), X.min(axis=0) - 0.1 * span)
    np.testing.assert_allclose(model.seen.max(axis=0), X.max(axis=0) + 0.1 * span)
    axes = figure.axes[0]
    assert (axes.get_xlabel(), axes.get_ylabel()) == ("hours slept", "hours studied")
    points = axes.collections[-1]
    np.testing.assert_array_equal(points.get_offsets(), X)
    # Both classes get their own colour: "left" -> 0, "right" -> 1.
    np.testing.assert_array_equal(points.get_array(), (y == "right").astype(int))


def test_decision_boundary_applies_the_transform_and_checks_shapes() -> None:
    X = np.array([[0.0, 0.0], [10.0, 10.0]])
    model = RightHalf()
    plots.plot_decision_boundary(model, X, [0, 1], resolution=5, transform=lambda g: g / 10)
    assert model.seen.max() <= 1.2  # the grid reached predict already scaled
    with pytest.raises(ValueError, match=r"X must have shape \(n_samples, 2\)"):
        plots.plot_decision_boundary(model, np.zeros((3, 3)), [0, 1, 0])
    with pytest.raises(ValueError, match="y must have shape"):
        plots.plot_decision_boundary(model, X, [0, 1, 1])


def test_decision_boundary_refuses_a_model_of_numbers() -> None:
    # System 4's sigmoid with squared error predicts numbers: each would be a "class".
    import lucidnet

    X = np.random.default_rng(0).random((10, 2))
    y = (X[:, 0] > 0.5).astype(int)
    regression = lucidnet.Network([2, 3, 1], output_activation="sigmoid",
                                  loss="sum_squared_error")
    with pytest.raises(ValueError, match=r"needs a classifier; this network's output "
                                         r"\(sigmoid with sum_squared_error\) predicts numbers"):
        plots.plot_decision_boundary(regression, X, y)
    with pytest.raises(ValueError, match="needs a classifier; got the regressor MLPRegressor"):
        plots.plot_decision_boundary(lucidnet.MLPRegressor(), X, y)


def test_a_plot_into_a_missing_directory_is_named_and_an_old_one_kept(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(FileNotFoundError, match="no such directory to write into"):
        plots.plot_history([3.0, 2.0, 1.0], tmp_path / "missing" / "loss.png")
    old = tmp_path / "loss.png"
    old.write_bytes(b"an earlier plot")
    from matplotlib.figure import Figure

    def fails_half_way(self, stream, **kwargs):  # a full disk, in the middle of the PNG
        stream.write(b"\x89PNG half")
        raise OSError("No space left on device")

    with monkeypatch.context() as patched:
        patched.setattr(Figure, "savefig", fails_half_way)
        with pytest.raises(OSError, match="No space left"):
            plots.plot_history([3.0, 2.0, 1.0], old)
    assert old.read_bytes() == b"an earlier plot"
    plots.plot_history([3.0, 2.0, 1.0], old)
    assert old.read_bytes().startswith(b"\x89PNG")


def test_confusion_matrix_matches_scikit_learn(tmp_path: Path) -> None:
    from sklearn.metrics import confusion_matrix

    y_true = ["cat", "dog", "dog", "bird", "cat", "dog"]
    y_pred = ["cat", "cat", "dog", "bird", "bird", "dog"]
    labels = ["bird", "cat", "dog"]
    figure = plots.plot_confusion_matrix(y_true, y_pred, labels, tmp_path / "cm.png")
    assert is_png(tmp_path / "cm.png")
    expected = confusion_matrix(y_true, y_pred, labels=labels)
    axes = figure.axes[0]
    np.testing.assert_array_equal(axes.images[0].get_array(), expected)
    assert [int(t.get_text()) for t in axes.texts] == expected.ravel().tolist()
    assert [t.get_text() for t in axes.get_xticklabels()] == labels
    assert axes.get_title() == "confusion matrix"
    titled = plots.plot_confusion_matrix(y_true, y_pred, labels, title="on the test rows")
    assert titled.axes[0].get_title() == "on the test rows"
    with pytest.raises(ValueError, match="labels must name at least one class"):
        plots.plot_confusion_matrix(y_true, y_pred, [])


def test_confusion_counts_compare_numbers_by_value() -> None:
    """Float targets 0.0/1.0 (what a network trains on) against a network's int
    predictions 0/1: scikit-learn counts them as the same classes."""
    from sklearn.metrics import confusion_matrix

    y_true = np.array([0.0, 1.0, 1.0, 0.0, 1.0])
    y_pred = np.array([0, 1, 0, 0, 1])
    expected = confusion_matrix(y_true, y_pred, labels=[0, 1])
    assert expected.sum() == 5
    for labels in ([0, 1], [0.0, 1.0], np.array([0, 1]), [np.int64(0), np.float32(1)]):
        np.testing.assert_array_equal(plots.confusion_counts(y_true, y_pred, labels), expected)
    # Digits read as text match the numbers too; words match by their text.
    np.testing.assert_array_equal(
        plots.confusion_counts(y_true.astype(int).astype(str), y_pred, [0, 1]), expected)
    np.testing.assert_array_equal(
        plots.confusion_counts(["no", "yes"], ["yes", "yes"], ["no", "yes"]), [[0, 1], [0, 1]])
    # Names to show instead of the classes: nothing would be counted; refused as
    # scikit-learn refuses it.
    with pytest.raises(ValueError, match="At least one label specified must be in y_true"):
        confusion_matrix(y_true, y_pred, labels=["no", "yes"])
    with pytest.raises(ValueError, match=r"none of labels \['no', 'yes'\] is a value of y_true "
                       r"\('0.0', '1.0'\); labels are the classes as y_true and y_pred hold "
                       r"them, not names to show"):
        plots.confusion_counts(y_true, y_pred, ["no", "yes"])


def test_missing_matplotlib_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(ImportError, match=r"pip install 'matplotlib>=3.7'"):
        plots.plot_history({"loss": [1.0]})
