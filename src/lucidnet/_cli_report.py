"""What the command line prints: metrics, text tables and JSON.

The metrics come from scikit-learn (imported inside the functions, so the CLI starts
fast); this module only chooses which ones to report and lays them out.  It does no
training and reads no files.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from typing import Any

import numpy as np

__all__ = [
    "classification_metrics",
    "multilabel_metrics",
    "regression_metrics",
    "format_table",
    "format_confusion",
    "to_json",
]


def classification_metrics(y_true: np.ndarray, y_pred: np.ndarray, labels: Sequence) -> dict:
    """Accuracy, macro precision / recall / F1 and the confusion matrix.

    Parameters
    ----------
    y_true, y_pred : ndarray of shape (n_samples,)
        Class labels (numbers or strings), as the user wrote them.
    labels : sequence
        Every class, in the order of the confusion matrix's rows and columns.

    Returns
    -------
    dict
        ``accuracy``, ``precision``, ``recall``, ``f1`` (floats; macro averages over
        the classes that are true or predicted in some row, scikit-learn's default: a
        class of the model the rows never mention counts for nothing), ``confusion_matrix``
        (list of lists of int, rows are true classes, over ``labels``) and ``labels``.
    """
    from sklearn import metrics

    labels = list(labels)
    mentioned = set(np.asarray(y_true).tolist()) | set(np.asarray(y_pred).tolist())
    precision, recall, f1, _ = metrics.precision_recall_fscore_support(
        y_true, y_pred, labels=[label for label in labels if label in mentioned],
        average="macro", zero_division=0,
    )
    return {
        "accuracy": float(metrics.accuracy_score(y_true, y_pred)),
        "precision": float(precision),
        "recall": float(recall),
        "f1": float(f1),
        "confusion_matrix": metrics.confusion_matrix(y_true, y_pred, labels=labels).tolist(),
        "labels": [_plain(label) for label in labels],
    }


def multilabel_metrics(y_true: np.ndarray, y_pred: np.ndarray, names: Sequence[str]) -> dict:
    """Scores of 0/1 label matrices, each of shape (n_samples, n_labels).

    Returns
    -------
    dict
        ``subset_accuracy`` (the rows whose every label is right: scikit-learn's
        ``accuracy_score``, and a multilabel classifier's ``score``), ``hamming_loss``
        (the fraction of labels that are wrong), ``precision_micro``, ``recall_micro``,
        ``f1_micro`` (pooled over every label of every row), ``precision``, ``recall``,
        ``f1`` (macro: the mean of every label's) and ``by_label``: ``{name:
        {"precision", "recall", "f1", "support"}}``, support being the rows that have
        the label.  All are scikit-learn's, a score with nothing to divide by (a label
        never predicted has no precision) counting 0, as its default does.
    """
    from sklearn import metrics

    scores = metrics.precision_recall_fscore_support(y_true, y_pred, average=None,
                                                     zero_division=0)
    micro = metrics.precision_recall_fscore_support(y_true, y_pred, average="micro",
                                                    zero_division=0)
    macro = [float(np.mean(score)) for score in scores[:3]]
    return {
        "subset_accuracy": float(metrics.accuracy_score(y_true, y_pred)),
        "hamming_loss": float(metrics.hamming_loss(y_true, y_pred)),
        "precision_micro": float(micro[0]),
        "recall_micro": float(micro[1]),
        "f1_micro": float(micro[2]),
        "precision": macro[0],
        "recall": macro[1],
        "f1": macro[2],
        "by_label": {
            name: {"precision": float(scores[0][j]), "recall": float(scores[1][j]),
                   "f1": float(scores[2][j]), "support": int(scores[3][j])}
            for j, name in enumerate(names)
        },
    }


def regression_metrics(y_true: np.ndarray, y_pred: np.ndarray) -> dict:
    """R^2, root mean squared error and mean absolute error of ``y_pred`` (n_samples,),
    or (n_samples, n_outputs): then R^2 is the mean of the outputs' (as scikit-learn's
    ``r2_score``) over those that have one (a constant target has none, where
    scikit-learn would average in a 0), RMSE and MAE are over every value."""
    from sklearn import metrics

    # Values past 1e150 would overflow when squared (R^2's sums, the squared error), and
    # below 1e-150 underflow to 0 (R^2 = 1 and RMSE = 0, however wrong the predictions):
    # taken in units of the largest, R^2 is the same and the errors scale back.
    largest = max(float(np.max(np.abs(y_true), initial=0.0)),
                  float(np.max(np.abs(y_pred), initial=0.0)))
    unit = (largest if math.isfinite(largest) and not 1e-150 <= largest <= 1e150
            and largest > 0 else 1.0)
    y_true, y_pred = (y_true / unit, y_pred / unit) if unit != 1.0 else (y_true, y_pred)
    if y_true.ndim == 2:
        scores = [_r2(y_true[:, j], y_pred[:, j]) for j in range(y_true.shape[1])]
        defined = [score for score in scores if not math.isnan(score)]
        r2 = float(np.mean(defined)) if defined else math.nan
    else:
        r2 = _r2(y_true, y_pred)
    return {
        "r2": r2,
        "rmse": math.sqrt(float(metrics.mean_squared_error(y_true, y_pred))) * unit,
        "mae": float(metrics.mean_absolute_error(y_true, y_pred)) * unit,
    }


def constant_columns(y: np.ndarray) -> np.ndarray:
    """For each column of ``y`` (n_samples,) or (n_samples, k): whether it holds one
    value in every row (bool array of shape (k,); False without rows)."""
    columns = y.reshape(len(y), -1)
    if not len(y):
        return np.zeros(columns.shape[1], dtype=bool)
    return (columns == columns[0]).all(axis=0)


def _r2(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    """R^2 of one output (n_samples,); NaN where it is undefined."""
    import warnings

    from sklearn import metrics
    from sklearn.exceptions import UndefinedMetricWarning

    if len(y_true) > 1 and constant_columns(y_true)[0]:
        # A constant target leaves no variance to explain: undefined, where
        # scikit-learn's force_finite reports 0 (or 1), which reads as a score.
        return math.nan
    with warnings.catch_warnings():
        # R^2 of fewer than two rows is undefined: NaN, shown as "undefined" (null in
        # JSON), without scikit-learn's warning.
        warnings.simplefilter("ignore", UndefinedMetricWarning)
        return float(metrics.r2_score(y_true, y_pred))


#: Outputs whose own metrics a table shows row by row (a model of more: --json).
MAX_OUTPUT_ROWS = 10


def metric_rows(metrics: dict, prefix: str = "", skip: Sequence[str] = ()
                ) -> list[tuple[str, Any]]:
    """``(name, value)`` rows of a metrics dict for a table, each name after ``prefix``;
    a model of several outputs' ``by_target`` (or ``by_label``) metrics come as
    "r2 [name]" rows, up to :data:`MAX_OUTPUT_ROWS` outputs (more: one row saying
    where they are)."""
    rows = []
    for name, value in metrics.items():
        if name in ("by_target", "by_label") and len(value) > MAX_OUTPUT_ROWS:
            what = "target" if name == "by_target" else "label"
            rows.append((f"{prefix}each {what}'s", f"{len(value)} {what}s: see --json"))
        elif name in ("by_target", "by_label"):
            rows.extend((f"{prefix}{metric} [{target}]", number)
                        for target, scores in value.items() for metric, number in scores.items())
        elif name not in skip:
            rows.append((f"{prefix}{_label(name)}", value))
    return rows


def _label(metric: str) -> str:
    """A metric's name in a table: the class-averaged ones say how they average
    ("f1 (macro)", "f1 (micro)"), and words are apart ("subset accuracy")."""
    if metric in ("precision", "recall", "f1"):
        return f"{metric} (macro)"
    if metric.endswith("_micro"):
        return f"{metric.removesuffix('_micro')} (micro)"
    return metric.replace("_", " ")


def format_table(rows: Sequence[Sequence[Any]], header: Sequence[str] | None = None) -> str:
    """Left-aligned columns separated by two spaces, with a rule under the header."""
    cells = [[_cell(value) for value in row] for row in rows]
    if header is not None:
        cells.insert(0, list(header))
    if not cells:
        return ""
    widths = [max(len(row[i]) for row in cells if i < len(row)) for i in range(len(cells[0]))]
    lines = [
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=False)).rstrip()
        for row in cells
    ]
    if header is not None:
        lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def format_confusion(matrix: Sequence[Sequence[int]], labels: Sequence) -> str:
    """The confusion matrix as a table: rows are true classes, columns predictions."""
    names = [str(label) for label in labels]
    rows = [[f"true {name}", *counts] for name, counts in zip(names, matrix, strict=True)]
    return format_table(rows, header=["", *(f"pred {name}" for name in names)])


def to_json(value: Any) -> str:
    """``value`` as indented JSON, with NumPy scalars and arrays turned into plain values
    and NaN or infinite numbers (an undefined metric) into ``null``: strict JSON has no
    NaN, and parsers other than Python's reject it."""
    return json.dumps(_strict(value), indent=2, default=_json_default, allow_nan=False)


def _strict(value: Any) -> Any:
    """``value`` with every non-finite float, at any depth, replaced by None."""
    value = _plain(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {key: _strict(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_strict(item) for item in value]
    return value


def _json_default(value: Any) -> Any:
    plain = _plain(value)
    return str(value) if plain is value else plain


def _plain(value: Any) -> Any:
    """A JSON-friendly form of NumPy scalars and arrays (other values unchanged)."""
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    return value


def _cell(value: Any) -> str:
    if isinstance(value, (float, np.floating)) and math.isnan(value):
        return "undefined"  # a metric with nothing to measure (R^2 of a single row)
    if isinstance(value, (float, np.floating)):
        return f"{float(value):.4g}" if abs(value) >= 1e-3 or value == 0 else f"{float(value):.3e}"
    return str(value)


def command_line_words(text: str) -> str:
    """``text`` without the Python spelling the data reader adds to the options it
    names ("--header (header=True)"): on the command line the option is enough; and
    ``--encoding`` among the remedies for text read in another encoding."""
    import re

    text = (text.replace(" (header=True)", "").replace(" (header=False)", "")
            .replace("if words look wrong, save the file as UTF-8",
                     "if words look wrong, give its --encoding (cp1251, shift_jis, ...) "
                     "or save it as UTF-8"))
    # UTF-16 without a byte order mark: the reader names which one it is.
    return re.sub(r"(UTF-16-([LB]E) text without a byte order mark .*?); save it as "
                  r"UTF-8 \(or with the mark\)",
                  lambda found: f"{found[1]}; pass --encoding utf-16-{found[2].lower()} "
                                "(or save it as UTF-8)", text)
