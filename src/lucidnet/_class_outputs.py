"""What a classifier's network outputs mean: the output layer each kind of target
needs, and the labels and probabilities read from the outputs.

Shared by the scikit-learn classifier and the command line, which predicts from a
model file without importing scikit-learn (about a second of start-up).  The kinds
are scikit-learn's ``type_of_target`` names.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["OUTPUT_LAYERS", "check_output_layer", "labels", "probabilities"]

#: The output layer of each kind of target: activation and number of units (None:
#: one per class or label).
OUTPUT_LAYERS = {
    "binary": ("sigmoid", 1),
    "multiclass": ("softmax", None),
    "multilabel-indicator": ("sigmoid", None),
}


def check_output_layer(y_type: Any, classes: np.ndarray | None, network: Any) -> None:
    """ValueError unless ``network``'s output layer and ``classes`` (shape (k,)) fit a
    ``y_type`` target: a sigmoid unit for two classes, a softmax unit per class for
    more, a sigmoid unit per label (classes 0..k-1, k >= 2) for a multilabel
    indicator; classes sorted and distinct."""
    if classes is None or y_type not in OUTPUT_LAYERS:
        raise ValueError(f"a classifier needs classes and a y_type_ in {sorted(OUTPUT_LAYERS)}")
    activation, n_out = OUTPUT_LAYERS[y_type]
    n_out = n_out or len(classes)
    if network.layers[-1].activation.name != activation or network.layer_sizes[-1] != n_out:
        raise ValueError(
            f"a {y_type} classifier with {len(classes)} classes needs {n_out} {activation} "
            f"output(s); the network has {network.layer_sizes[-1]} "
            f"{network.layers[-1].activation.name}"
        )
    if y_type == "multilabel-indicator":  # at least two labels: one column is binary
        fits = len(classes) >= 2 and np.array_equal(classes, np.arange(len(classes)))
    else:
        fits = (len(classes) == 2) == (y_type == "binary") and len(classes) >= 2 and (
            classes.dtype.kind != "f" or bool((classes == np.round(classes)).all())
        ) and np.array_equal(np.unique(classes), classes)
    if not fits:
        raise ValueError(f"classes {classes.tolist()} do not describe a {y_type} target")


def labels(A: np.ndarray, y_type: str, classes: np.ndarray) -> np.ndarray:
    """Predicted labels from outputs ``A`` (m, n_out): shape (m,), items of ``classes``,
    or for a multilabel indicator a 0/1 matrix (m, n_labels) of ``classes``' dtype."""
    if y_type == "multiclass":
        return classes[A.argmax(axis=1)]
    if y_type == "binary":
        return classes[(A[:, 0] > 0.5).astype(np.intp)]
    return (A > 0.5).astype(classes.dtype)


def probabilities(A: np.ndarray, y_type: str) -> np.ndarray:
    """Class probabilities from float64 outputs ``A`` (m, n_out): (m, n_classes),
    ``[1 - p, p]`` for two classes, each label's own probability for a multilabel
    indicator."""
    if y_type == "binary":
        return np.hstack([1.0 - A, A])
    if y_type == "multiclass":
        # A float32 softmax sums to 1 only within 1e-7; in float64, to 1e-16
        # (scikit-learn's log_loss checks).
        return A / A.sum(axis=1, keepdims=True)
    return A
