"""Rebuilding a fitted estimator from a model file's state, for :mod:`lucidnet.io`.

The inverse of :meth:`lucidnet.estimators._BaseNeuralNet._lucidnet_export_state`: the
estimator class the file names, made with the file's parameters and given the file's
network and fitted attributes (read with :mod:`lucidnet._estimator_state`).

A module of its own, above :mod:`lucidnet.estimators`, because it needs the estimator
classes while they need :mod:`lucidnet._estimator_state` to write their state: so the
imports point one way.  :mod:`lucidnet.io` imports it only for an estimator file, as
it needs scikit-learn.
"""
from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.preprocessing import LabelBinarizer

from ._estimator_state import _float, _floats, _from_jsonable_param, _import_stopping_state, _int
from .estimators import (
    MLPClassifier,
    MLPRegressor,
    NeuralNetClassifier,
    NeuralNetRegressor,
    _BaseNeuralNet,
    _sklearn_activation_name,
)
from .network import Network

#: The classes a model file may name, by kind (:data:`lucidnet.io.ESTIMATOR_CLASSES`
#: spells their names without importing them).
_ESTIMATORS = {"classifier": (NeuralNetClassifier, MLPClassifier),
               "regressor": (NeuralNetRegressor, MLPRegressor)}


def _import_estimator_state(
    kind: str,
    state: dict[str, Any],
    network: Network,
    classes: np.ndarray | None,
) -> _BaseNeuralNet:
    """Rebuild a fitted estimator from
    :meth:`~lucidnet.estimators._BaseNeuralNet._lucidnet_export_state` (for lucidnet.io).

    Raises ``ValueError``/``TypeError`` when anything does not fit together.
    """
    # lucidnet.io has checked the class name, params and fitted being objects, the sizes
    # and a classifier's classes (_check_estimator_state).
    cls = {cls.__name__: cls for cls in _ESTIMATORS[kind]}[state["class"]]
    params, fitted = state["params"], state["fitted"]
    known = cls().get_params()
    unknown = set(params) - set(known)
    if unknown:
        raise ValueError(f"unknown parameter(s) {', '.join(sorted(unknown))}")
    estimator = cls(**{name: _from_jsonable_param(value) for name, value in params.items()})
    estimator._validate_params()
    n_features, n_outputs = network.layer_sizes[0], network.layer_sizes[-1]
    estimator.network_ = network
    estimator._trainer = None
    estimator.n_features_in_ = n_features
    estimator.n_outputs_ = n_outputs
    estimator.out_activation_ = _sklearn_activation_name(network)
    estimator.n_iter_ = _int(fitted, "n_iter_")
    estimator.t_ = _int(fitted, "t_")
    estimator.loss_curve_ = _floats(fitted, "loss_curve_")
    estimator.loss_ = _float(fitted, "loss_")
    estimator.best_loss_ = _float(fitted, "best_loss_", optional=True)
    scores = fitted.get("validation_scores_")
    estimator.validation_scores_ = None if scores is None else _floats(fitted, "validation_scores_")
    estimator.best_validation_score_ = _float(fitted, "best_validation_score_", optional=True)
    estimator._stopping_state = _import_stopping_state(fitted.get("stopping_state"), network)
    # Only names the estimator was fitted with: the file's informational feature_names
    # would make scikit-learn expect a DataFrame at predict time.
    feature_names = fitted.get("feature_names_in_")
    if feature_names is not None:
        if not isinstance(feature_names, list) or not all(
            isinstance(name, str) for name in feature_names
        ):
            raise ValueError("feature_names_in_ must be a list of str")
        if len(feature_names) != n_features:
            raise ValueError(
                f"feature_names must list the {n_features} features; got {len(feature_names)}"
            )
        estimator.feature_names_in_ = np.asarray(feature_names, dtype=object)
    if kind == "classifier":
        _restore_classes(estimator, fitted, classes, network)
    return estimator


def _restore_classes(estimator, fitted, classes, network) -> None:
    y_type = fitted["y_type_"]  # checked against the classes by lucidnet.io
    binarizer = LabelBinarizer()
    if y_type == "multilabel-indicator":
        binarizer.fit(np.eye(len(classes), dtype=int))
    else:
        binarizer.fit(classes)
    estimator._label_binarizer = binarizer
    estimator.classes_ = classes
