"""A fitted estimator's state in a model file's JSON header: its values written as JSON
and read back checked.

:meth:`lucidnet.estimators._BaseNeuralNet._lucidnet_export_state` writes the state with
these functions and :mod:`lucidnet._estimator_loading` reads it back with them.
Parameter values become JSON (tuples, ranges and arrays as lists, a dict keyed by class
labels as pairs), the numbers strict JSON has no words for become text ("inf", "-inf",
"nan"), and the stopping rule's state is kept so that a warm-start refit goes on from
it.  The readers raise ``ValueError`` naming what they found wrong.
"""
from __future__ import annotations

import math
from numbers import Integral, Real
from typing import Any

import numpy as np

from .network import Network

# ---------------------------------------------------------------- numbers
#: How a model file's JSON header writes the numbers strict JSON has no words for.
_NON_FINITE = ("inf", "-inf", "nan")


def _json_number(value: float | None) -> float | str | None:
    """``value`` for a JSON header: a float, or "inf", "-inf", "nan" (None stays None)."""
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else repr(value)


def _is_json_number(value: Any) -> bool:
    """A number as :func:`_json_number` writes it."""
    if isinstance(value, str):
        return value in _NON_FINITE
    return isinstance(value, (int, float)) and not isinstance(value, bool)


# ---------------------------------------------------------------- parameters
def _jsonable_param(value: Any) -> Any:
    """A parameter value as JSON (tuples, ranges and arrays become lists; RandomState and
    others become None)."""
    if isinstance(value, (bool, str)) or value is None:
        return value
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, (np.ndarray, range)):  # hidden_layer_sizes=np.array([64, 32])
        return _jsonable_param(np.asarray(value).tolist())
    if isinstance(value, (Integral, np.integer)):
        return int(value)
    if isinstance(value, (Real, np.floating)):
        # Strict JSON has no inf (n_iter_no_change=np.inf): written as text, read back.
        return float(value) if math.isfinite(value) else {"__float__": repr(float(value))}
    if isinstance(value, (list, tuple)):
        return [_jsonable_param(v) for v in value]
    if isinstance(value, dict):
        if all(isinstance(k, str) for k in value):
            return {k: _jsonable_param(v) for k, v in value.items()}
        # class_weight keyed by class labels: keep the label type as [key, value] pairs.
        return {"__pairs__": [[_jsonable_param(k), _jsonable_param(v)] for k, v in value.items()]}
    if isinstance(value, np.dtype) or isinstance(value, type):
        return np.dtype(value).name
    return None


def _from_jsonable_param(value: Any) -> Any:
    if isinstance(value, dict):
        if set(value) == {"__pairs__"}:
            return {_hashable(k): v for k, v in value["__pairs__"]}
        if set(value) == {"__float__"} and value["__float__"] in _NON_FINITE:
            return float(value["__float__"])
        return {k: _from_jsonable_param(v) for k, v in value.items()}
    if isinstance(value, list):  # JSON has no tuples; scikit-learn's defaults are tuples
        return tuple(_from_jsonable_param(v) for v in value)
    return value


def _hashable(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


# ---------------------------------------------------------------- the stopping rule
def _export_stopping_state(stopping: tuple[str, dict] | None) -> dict | None:
    """The JSON part of ``_stopping_state``: its best weights are the network's own
    when the fit restored them, and are not written."""
    if stopping is None:
        return None
    monitor, state = stopping
    return {"monitor": monitor, "best": _json_number(state["best"]), "wait": int(state["wait"])}


def _import_stopping_state(value: Any, network: Network) -> tuple[str, dict] | None:
    """``_stopping_state`` from a model file's ``stopping_state`` (None: start afresh)."""
    if value is None:
        return None
    if not (isinstance(value, dict) and isinstance(value.get("monitor"), str)):
        raise ValueError("stopping_state must be null or an object {monitor, best, wait}")
    wait, best = _int(value, "wait"), _float(value, "best", optional=True)
    # A validation monitor restored the best epoch's weights: they are the network's.
    arrays = {"best_params": network.params.copy()} if value["monitor"].startswith("val_") else {}
    return value["monitor"], {"best": best, "best_epoch": None, "wait": wait, "arrays": arrays}


# ---------------------------------------------------------------- fitted attributes
def _int(fitted: dict, key: str) -> int:
    value = fitted.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError(f"{key} must be a non-negative int; got {value!r}")
    return value


def _float(fitted: dict, key: str, *, optional: bool = False) -> float | None:
    value = fitted.get(key)
    if value is None and optional:
        return None
    if not _is_json_number(value):
        raise ValueError(f"{key} must be a number; got {value!r}")
    return float(value)


def _floats(fitted: dict, key: str) -> list[float]:
    value = fitted.get(key)
    if not isinstance(value, list) or not all(_is_json_number(v) for v in value):
        raise ValueError(f"{key} must be a list of numbers; got {type(value).__name__}")
    return [float(v) for v in value]
