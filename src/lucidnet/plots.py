"""Pictures of training: the cost curves, a decision boundary, a confusion matrix.

Each function returns a :class:`matplotlib.figure.Figure` and, given ``path``, also
writes it there as a PNG.  Figures are built with the object-oriented API
(``Figure()``, never ``pyplot``), so they need no display and no backend switch,
leave pyplot's global state alone, and are freed like any other object; Jupyter
still shows a returned figure.

matplotlib is an optional dependency (the ``plot`` extra), imported
only when a function here is called.  This module draws; it does not train, score
or read files.
"""

from __future__ import annotations

import numbers
import os
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:  # pragma: no cover - for annotations only
    from matplotlib.figure import Figure

__all__ = [
    "plot_history",
    "plot_decision_boundary",
    "plot_confusion_matrix",
    "confusion_counts",
    "require_matplotlib",
]

# matplotlib itself: the extra's name works only where lucidnet comes from an index.
_INSTALL_HINT = "plots need matplotlib; install it with: pip install 'matplotlib>=3.7'"


def require_matplotlib() -> None:
    """Raise ``ImportError`` with the install command when matplotlib is missing."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise ImportError(_INSTALL_HINT) from None


def _new_figure(size: tuple[float, float]) -> Figure:
    require_matplotlib()
    from matplotlib.figure import Figure

    return Figure(figsize=size, layout="constrained")


def _finish(figure: Figure, path: str | os.PathLike | None) -> Figure:
    if path is not None:
        from ._atomic import atomic_file

        # Atomically: an earlier plot at ``path`` stays whole if drawing fails, and a
        # missing directory is named (not a traceback from the PNG writer).
        with atomic_file(path, "wb") as stream:
            figure.savefig(stream, format="png", dpi=100)
    return figure


# ------------------------------------------------------------------- history
def _curves(history: Any) -> dict[str, list[float]]:
    """Named per-epoch series from a History, a fitted estimator or a plain dict."""
    if isinstance(history, Mapping):
        curves = dict(history)
    elif isinstance(history, (list, tuple, np.ndarray)):  # Network.fit's recorded costs
        if sum(size > 1 for size in np.shape(history)) > 1:  # (k,), (k, 1) are one series
            raise ValueError("history given as costs must be one series, a cost per step; "
                             f"got an array of shape {np.shape(history)}")
        curves = {"loss": list(np.ravel(history))}
    elif isinstance(getattr(history, "history", None), Mapping):  # callbacks.History
        curves = dict(history.history)
    elif getattr(history, "loss_curve_", None) is not None:  # a fitted estimator
        curves = {"loss": list(history.loss_curve_)}
        scores = getattr(history, "validation_scores_", None)
        if scores is not None and len(scores):
            # scikit-learn's convention: accuracy for classifiers, R^2 for regressors.
            name = "val_accuracy" if hasattr(history, "classes_") else "val_r2"
            curves[name] = list(scores)
    else:
        raise TypeError(
            "history must be a History, a fitted NeuralNetClassifier/NeuralNetRegressor, "
            "a dict of per-epoch lists or a list of costs (Network.fit's); got "
            f"{type(history).__name__}"
        )
    curves = {str(k): [float(v) for v in values] for k, values in curves.items()
              if values is not None and len(values)}
    if "loss" not in curves:
        raise ValueError(
            f"history must hold a non-empty 'loss' series; got series {sorted(curves)}"
        )
    return curves


def plot_history(history_or_estimator: Any, path: str | os.PathLike | None = None, *,
                 every: int | None = None) -> Figure:
    """The training cost per epoch, with the validation cost and metric when recorded.

    Parameters
    ----------
    history_or_estimator : History, fitted estimator, dict, or list of float
        A :class:`lucidnet.callbacks.History` (its ``history`` dict with ``"loss"``
        and optionally ``"val_loss"``, ``"val_accuracy"``, ...), a fitted estimator
        (``loss_curve_`` and ``validation_scores_``), such a dict itself, or the costs
        :meth:`Network.fit` returns (recorded every ``cost_every`` iterations).
    path : str or path-like, optional
        Write the figure there as PNG.
    every : int, optional
        The costs were recorded every this many iterations, from iteration 0
        (``Network.fit``'s ``cost_every``): the x axis then counts iterations, as the
        course's plots do.  None: one value per epoch, counted from 1.

    Returns
    -------
    matplotlib.figure.Figure
        Left axes: the cost curves ("loss", "val_loss"); right axes, when there is
        any other series (metrics, learning rate excluded): those series.
    """
    if every is not None and (isinstance(every, bool) or not isinstance(every, (int, np.integer))
                              or every < 1):
        raise ValueError(f"every must be a positive int; got {every!r}")
    curves = _curves(history_or_estimator)
    metrics = {k: v for k, v in curves.items() if k not in ("loss", "val_loss", "lr")}
    figure = _new_figure((10, 4) if metrics else (6, 4))
    axes = figure.subplots(1, 2 if metrics else 1, squeeze=False)[0]
    cost = axes[0]

    def steps(values: list[float]) -> np.ndarray:
        """Where each recorded value was taken: epochs from 1, or every N iterations."""
        if every is None:
            return np.arange(1, len(values) + 1)
        return np.arange(len(values)) * every

    for name in ("loss", "val_loss"):
        if name in curves:
            cost.plot(steps(curves[name]), curves[name],
                      label="training" if name == "loss" else "validation")
    unit = "epoch" if every is None else "iteration"
    cost.set_xlabel(unit)
    cost.set_ylabel("cost J")
    cost.set_title(f"cost per {unit}" if every in (None, 1) else f"cost every {every} {unit}s")
    cost.legend()
    if metrics:
        for name, values in metrics.items():
            axes[1].plot(steps(values), values, label=name)
        axes[1].set_xlabel(unit)
        axes[1].set_ylabel("score")
        axes[1].set_title(f"metrics per {unit}")
        axes[1].legend()
    return _finish(figure, path)


# --------------------------------------------------------- decision boundary
def plot_decision_boundary(
    model: Any,
    X: Any,
    y: Any,
    path: str | os.PathLike | None = None,
    *,
    resolution: int = 200,
    transform: Any = None,
    feature_names: Sequence[str] | None = None,
) -> Figure:
    """The classes ``model.predict`` gives over the plane, with the examples on top.

    As in the planar-data lesson: predict on a ``resolution x resolution`` grid that
    covers the data with a margin, fill each region with its class colour, and
    scatter the examples coloured by their true class.

    Parameters
    ----------
    model : object with ``predict(X) -> labels``
        A fitted classifier or a :class:`~lucidnet.Network` (its ``(m, 1)`` 0/1
        output is flattened).
    X : array-like of shape (n_samples, 2)
        Two features, in the units to draw.
    y : array-like of shape (n_samples,)
        True class labels (numbers or strings).
    path : str or path-like, optional
        Write the figure there as PNG.
    resolution : int, default 200
        Grid points per axis.
    transform : callable, optional
        Applied to the grid before ``predict`` (e.g. the standardization the model
        was trained with), so the plot stays in the original units.
    feature_names : sequence of two str, optional
        Axis labels (default "feature 1", "feature 2").

    Returns
    -------
    matplotlib.figure.Figure
    """
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y).ravel()
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(
            f"X must have shape (n_samples, 2), two features to draw; got shape {X.shape}"
        )
    if y.shape[0] != X.shape[0]:
        raise ValueError(
            f"y must have shape ({X.shape[0]},), one label per row of X; got {y.shape}"
        )
    if isinstance(resolution, bool) or not isinstance(resolution, int) or resolution < 2:
        raise ValueError(f"resolution must be an int >= 2; got {resolution!r}")
    _check_classifier(model)
    low, high = X.min(axis=0), X.max(axis=0)
    margin = np.where(high > low, 0.1 * (high - low), 1.0)
    xs = np.linspace(low[0] - margin[0], high[0] + margin[0], resolution)
    ys = np.linspace(low[1] - margin[1], high[1] + margin[1], resolution)
    grid_x, grid_y = np.meshgrid(xs, ys)
    grid = np.column_stack([grid_x.ravel(), grid_y.ravel()])
    predicted = np.asarray(model.predict(grid if transform is None else transform(grid)))
    predicted = predicted.reshape(len(grid), -1)[:, 0]
    classes, codes = _class_codes(y, predicted)
    point_codes, region_codes = codes[: len(y)], codes[len(y):].reshape(grid_x.shape)

    figure = _new_figure((6, 5))
    axes = figure.subplots()
    levels = np.arange(len(classes) + 1) - 0.5
    axes.contourf(grid_x, grid_y, region_codes, levels=levels, cmap="Spectral", alpha=0.6)
    axes.scatter(X[:, 0], X[:, 1], c=point_codes, cmap="Spectral", vmin=levels[0],
                 vmax=levels[-1], edgecolors="k", linewidths=0.4, s=18)
    x_label, y_label = feature_names if feature_names is not None else ("feature 1", "feature 2")
    axes.set_xlabel(str(x_label))
    axes.set_ylabel(str(y_label))
    axes.set_title("decision boundary")
    return _finish(figure, path)


def _check_classifier(model: Any) -> None:
    """ValueError for a model that predicts numbers, not classes (a regression
    network, such as system 4's sigmoid with squared error, or a regressor): each
    distinct value would be drawn as a class of its own."""
    from .network import Network

    if isinstance(model, Network):
        if not model.classifies:
            output = model.layers[-1]
            raise ValueError(f"a decision boundary needs a classifier; this network's output "
                             f"({output.activation.name} with {model.loss.name}) predicts "
                             "numbers")
    # Not sklearn.base.is_regressor: it fails on any model without scikit-learn's tags
    # (a duck-typed object with predict is welcome here).
    elif callable(getattr(model, "__sklearn_tags__", None)) and (
            getattr(model.__sklearn_tags__(), "estimator_type", None) == "regressor"):
        raise ValueError(f"a decision boundary needs a classifier; got the regressor "
                         f"{type(model).__name__}")


def _class_codes(y: np.ndarray, predicted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """One colour index per class, shared by the points (``y``) and the regions.

    Numbers are compared as numbers (so a label 1.0 and a prediction 1 are one
    class), anything else as text.
    """
    both = (y, predicted)
    if all(a.dtype.kind in "biuf" for a in both):
        values = np.concatenate([a.astype(np.float64) for a in both])
    else:
        values = np.concatenate([a.astype(str) for a in both])
    classes, codes = np.unique(values, return_inverse=True)
    return classes, codes.ravel()


# ----------------------------------------------------------- confusion matrix
def confusion_counts(y_true: Any, y_pred: Any, labels: Sequence) -> np.ndarray:
    """Counts ``C[i, j]`` of examples of class ``labels[i]`` predicted as ``labels[j]``.

    Returns an int64 array of shape (n_classes, n_classes); examples whose true or
    predicted label is not in ``labels`` are not counted.  ValueError when no true
    label is in ``labels`` (as scikit-learn's ``confusion_matrix``): they are the
    classes as ``y_true`` holds them, not names to show.
    """
    y_true, y_pred = np.asarray(y_true).ravel(), np.asarray(y_pred).ravel()
    if y_true.shape != y_pred.shape:
        raise ValueError(
            f"y_pred must have the shape of y_true {y_true.shape}; got {y_pred.shape}"
        )
    index = {_label_key(label): k for k, label in enumerate(labels)}
    rows = [index.get(_label_key(truth)) for truth in y_true.tolist()]
    if rows and all(row is None for row in rows):
        present = sorted({str(v) for v in y_true.tolist()})
        raise ValueError(f"none of labels {list(labels)!r} is a value of y_true "
                         f"({', '.join(map(repr, present[:10]))}"
                         f"{', ...' if len(present) > 10 else ''}); labels are "
                         "the classes as y_true and y_pred hold them, not names to show")
    counts = np.zeros((len(labels), len(labels)), dtype=np.int64)
    for row, guess in zip(rows, y_pred.tolist(), strict=True):
        column = index.get(_label_key(guess))
        if row is not None and column is not None:
            counts[row, column] += 1
    return counts


def _label_key(label: Any) -> Any:
    """A label as compared: numbers, and text that reads as one ("1"), by value (float
    targets 0.0/1.0 against int predictions 0/1); anything else (words, booleans) by
    its text."""
    if isinstance(label, numbers.Real) and not isinstance(label, (bool, np.bool_)):
        return float(label)
    try:
        return float(label) if isinstance(label, str) else str(label)
    except ValueError:
        return label


def plot_confusion_matrix(
    y_true: Any, y_pred: Any, labels: Sequence, path: str | os.PathLike | None = None,
    *, title: str = "confusion matrix",
) -> Figure:
    """A heat map of the confusion matrix, each cell labelled with its count.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
        True and predicted class labels.
    labels : sequence
        The classes, in the order of the rows (true) and columns (predicted).
    path : str or path-like, optional
        Write the figure there as PNG.
    title : str, default "confusion matrix"
        The figure's title (say which rows were counted).

    Returns
    -------
    matplotlib.figure.Figure
    """
    labels = list(labels)
    if not labels:
        raise ValueError("labels must name at least one class; got an empty sequence")
    counts = confusion_counts(y_true, y_pred, labels)
    size = max(4.0, 0.5 * len(labels) + 2.5)
    figure = _new_figure((size + 1, size))
    axes = figure.subplots()
    image = axes.imshow(counts, cmap="Blues")
    figure.colorbar(image, ax=axes)
    names = [str(label) for label in labels]
    axes.set_xticks(range(len(names)), names, rotation=45 if len(names) > 4 else 0)
    axes.set_yticks(range(len(names)), names)
    axes.set_xlabel("predicted class")
    axes.set_ylabel("true class")
    axes.set_title(title)
    threshold = counts.max() / 2 if counts.size else 0
    for (i, j), count in np.ndenumerate(counts):
        axes.text(j, i, str(count), ha="center", va="center",
                  color="white" if count > threshold else "black")
    return _finish(figure, path)
